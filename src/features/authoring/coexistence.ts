// Living beside other YAML extensions (Red Hat's YAML extension above all): it reports syntax
// errors and, with a Kubernetes schema, explains fields on hover. Switchyard should add to that,
// not say it twice. Both checks look at what other extensions actually show, not at their ids.
import * as vscode from 'vscode';

/** Lines where a diagnostic of another source reports an error (their syntax errors cover ours). */
export function foreignErrorLines(uri: vscode.Uri, ownSource: string): Set<number> {
  const lines = new Set<number>();
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== ownSource && d.severity === vscode.DiagnosticSeverity.Error) lines.add(d.range.start.line);
  }
  return lines;
}

let askingOthers = false;

/**
 * Whether another hover provider explains the node under `range` (same line, overlapping it, not a
 * whole-line hover such as a blame annotation). Asks every provider through VS Code; ours answers
 * nothing while it asks (it checks isAskingOthers() first, so this never runs nested). Gives up after
 * `timeoutMs` (a slow language server then gets our full hover).
 */
export async function othersExplain(document: vscode.TextDocument, position: vscode.Position, range: vscode.Range, timeoutMs = 400): Promise<boolean> {
  askingOthers = true;
  let giveUp = () => {};
  const timedOut = new Promise<undefined>((resolve) => (giveUp = () => resolve(undefined)));
  const timer = setTimeout(giveUp, timeoutMs);
  try {
    const hovers = await Promise.race([Promise.resolve(vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)), timedOut]);
    const indent = document.lineAt(range.start.line).firstNonWhitespaceCharacterIndex;
    return (hovers ?? []).some(
      (h) =>
        h.range !== undefined &&
        h.range.isSingleLine &&
        h.range.start.line === range.start.line &&
        h.range.start.character >= indent &&
        h.range.intersection(range) !== undefined &&
        h.contents.some((c) => (typeof c === 'string' ? c : c.value).trim().length > 0),
    );
  } finally {
    clearTimeout(timer);
    askingOthers = false;
  }
}

/** True while othersExplain() is asking: our own hover provider must stay out of the answer. */
export function isAskingOthers(): boolean {
  return askingOthers;
}
