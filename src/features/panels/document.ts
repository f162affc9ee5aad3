// The HTML document of a panel's webview: locked down by a Content Security Policy that allows
// nothing by default, styles and fonts only from the built webview folder, and the one script only
// by a nonce. No `vscode` import, so tests check the policy in plain Node.
import { randomBytes } from 'node:crypto';

export interface PanelDocument {
  /** `webview.cspSource`: the origin of the panel's local resources. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** Defaults to a fresh one from `crypto`; given only by tests. */
  nonce?: string;
}

/** 128 random bits, base64: unguessable per document, so only our script tag can carry it. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelDocument(d: PanelDocument): string {
  const nonce = d.nonce ?? createNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(d.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(d.styleUri)}">
<title>${attr(d.title)}</title>
</head>
<body>
<main id="root"></main>
<script nonce="${attr(nonce)}" src="${attr(d.scriptUri)}"></script>
</body>
</html>`;
}
