// What both panels' webviews share on the host side: where their bundles are, what they may load.
import * as vscode from 'vscode';
import { panelDocument } from './document';

export type PanelEntry = 'rollout' | 'designer';

/** dist/webview: the only folder a panel may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** Options of a new panel: no retainContextWhenHidden (the webview restores from its state instead). */
export const PANEL_OPTIONS: vscode.WebviewPanelOptions = { enableFindWidget: true };

/** Loads the entry's bundle into the panel under the locked-down document. */
export function loadWebview(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, entry: PanelEntry): void {
  const root = webviewRoot(extensionUri);
  const webview = panel.webview;
  webview.options = webviewOptions(extensionUri);
  webview.html = panelDocument({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${entry}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'panels.css')).toString(),
    title: panel.title,
  });
}
