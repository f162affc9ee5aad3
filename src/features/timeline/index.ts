// `Switchyard: Show Rolling-Update Timeline`: the simulation for the Deployment under the cursor,
// or for numbers the user types, opened rendered (the Markdown preview) from a file of its own in the
// extension's storage. An untitled document is no good here: VS Code hands a just-closed untitled
// document's name and text to the next one opened, so the table could show another editor's text.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { parseIntOrPercent, type IntOrPercent } from '../../domain/manifests/options';
import { deploymentRollingUpdate, InvalidRollingParameters, simulateRollingUpdate, timelineMarkdown } from '../../domain/strategy/rollingTimeline';
import { loadAuthoring } from '../lazy';
import { showingExpected } from '../lifecycle';

export interface TimelineArgs {
  replicas: number;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
}

/** The Deployment under the cursor (or the file's first), whose spec gives the numbers. */
interface EditorDeployment {
  deployment: unknown;
}

export function registerTimeline(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.ShowTimeline, (args?: TimelineArgs) => showTimeline(context.globalStorageUri, args)));
}

function fromEditor(): EditorDeployment | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') return undefined;
  const { parseYamlFile, documentAt } = loadAuthoring();
  const file = parseYamlFile(editor.document.getText());
  const doc = documentAt(file, editor.document.offsetAt(editor.selection.active)) ?? file.documents.find((d) => d.kind === 'Deployment');
  return doc?.kind === 'Deployment' ? { deployment: doc.value } : undefined;
}

async function askNumbers(): Promise<TimelineArgs | undefined> {
  const replicas = await vscode.window.showInputBox({ title: 'Rolling-update timeline', prompt: 'Replicas', value: '10', validateInput: (v) => (/^[1-9]\d*$/.test(v) ? undefined : 'A whole number of at least 1.') });
  if (!replicas) return undefined;
  const check = (v: string) => (parseIntOrPercent(v) === undefined ? 'A whole number or a percentage.' : undefined);
  const maxSurge = await vscode.window.showInputBox({ title: 'Rolling-update timeline', prompt: 'maxSurge', value: '25%', validateInput: check });
  if (maxSurge === undefined) return undefined;
  const maxUnavailable = await vscode.window.showInputBox({ title: 'Rolling-update timeline', prompt: 'maxUnavailable', value: '25%', validateInput: check });
  if (maxUnavailable === undefined) return undefined;
  return { replicas: Number(replicas), maxSurge: parseIntOrPercent(maxSurge)!, maxUnavailable: parseIntOrPercent(maxUnavailable)! };
}

async function showTimeline(storage: vscode.Uri, given?: TimelineArgs): Promise<string | undefined> {
  const source = given ?? fromEditor() ?? (await askNumbers());
  if (!source) return undefined;
  // A Recreate Deployment has no timeline: the message says so, as for numbers the API rejects.
  const shown = await showingExpected([InvalidRollingParameters], () => {
    const args = 'deployment' in source ? deploymentRollingUpdate(source.deployment) : source;
    return { args, markdown: timelineMarkdown(simulateRollingUpdate(args.replicas, args.maxSurge, args.maxUnavailable)) };
  });
  if (!shown) return undefined;
  const { args, markdown } = shown;
  const file = vscode.Uri.joinPath(storage, 'timelines', `rolling-update-${args.replicas}-${args.maxSurge}-${args.maxUnavailable}.md`.replace(/%/g, 'pct'));
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(markdown + '\n'));
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', file);
  } catch {
    // No Markdown preview (its built-in extension disabled): the table as text.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  return markdown;
}
