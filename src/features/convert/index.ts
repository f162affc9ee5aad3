// `Switchyard: Convert Deployment to Rollout` and `Convert Deployment to Flagger Canary` on the open
// YAML document: the same choice of Deployment, the same edit of the document.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ConvertMode, RolloutStrategy } from '../../domain/manifests/convert';
import type { TextEdit } from '../../domain/lint/rules';
import { FLAGGER_STRATEGIES, STRATEGY_INFO, type FlaggerStrategyId } from '../../domain/manifests/options';
import type { ParsedFile } from '../../domain/yaml/documents';
import { loadAuthoring } from '../lazy';
import { notify, showingExpected } from '../lifecycle';
import { pickValue } from '../prompts';

export interface ConvertArgs {
  mode?: ConvertMode;
  strategy?: RolloutStrategy;
  name?: string;
}

export interface FlaggerConvertArgs {
  strategy?: FlaggerStrategyId;
  name?: string;
}

export function registerConvert(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.ConvertToRollout, (args?: ConvertArgs) => convert(args ?? {})),
    vscode.commands.registerCommand(Commands.ConvertToFlaggerCanary, (args?: FlaggerConvertArgs) => convertToFlagger(args ?? {})),
  );
}

interface Source {
  editor: vscode.TextEditor;
  file: ParsedFile;
  /** The Deployment to convert; undefined: the file's only one. */
  name?: string;
}

/** The active YAML editor and the Deployment of it to convert (asked when there are several), or undefined after saying why not. */
async function pickDeployment(given: string | undefined): Promise<Source | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') {
    void notify.info('open a YAML file with a Deployment to convert it.');
    return undefined;
  }
  const { parseYamlFile, deploymentsIn } = loadAuthoring();
  const file = parseYamlFile(editor.document.getText());
  const deployments = deploymentsIn(file);
  if (!deployments.length) {
    void notify.info('this file has no apps/v1 Deployment to convert.');
    return undefined;
  }
  let name = given;
  if (!name && deployments.length > 1) {
    name = (await vscode.window.showQuickPick(deployments.map((d) => d.name ?? ''), { title: 'Convert which Deployment?' })) ?? undefined;
    if (!name) return undefined;
  }
  return { editor, file, name };
}

async function applyEdits(editor: vscode.TextEditor, result: { edits: TextEdit[]; notes: string[] }): Promise<boolean> {
  const document = editor.document;
  const applied = await editor.edit((b) => {
    for (const e of result.edits) b.replace(new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  });
  if (applied && result.notes.length) void vscode.window.showInformationMessage(result.notes.join(' '));
  return applied;
}

async function convert(args: ConvertArgs): Promise<boolean> {
  const source = await pickDeployment(args.name);
  if (!source) return false;
  const mode =
    args.mode ??
    (await pickValue<ConvertMode>(
      [
        { label: 'Reference the Deployment (workloadRef)', detail: 'The Deployment stays and supplies the pod template; the Rollout takes over its pods progressively.', value: 'workloadRef' },
        { label: 'Inline template', detail: 'The Rollout replaces the Deployment in this file, with its pod template.', value: 'inline' },
      ],
      { title: 'Convert Deployment to Rollout' },
    ));
  if (!mode) return false;
  const strategy =
    args.strategy ??
    (await pickValue<RolloutStrategy>(
      [
        { label: 'Canary', detail: 'setWeight / pause steps', value: 'canary' },
        { label: 'Blue/green', detail: 'active and preview Services', value: 'blueGreen' },
      ],
      { title: 'Rollout strategy' },
    ));
  if (!strategy) return false;
  const { convertDeploymentToRollout, ConvertError } = loadAuthoring();
  const result = await showingExpected([ConvertError], () => convertDeploymentToRollout(source.file, { mode, strategy, name: source.name }));
  return result ? applyEdits(source.editor, result) : false;
}

async function convertToFlagger(args: FlaggerConvertArgs): Promise<boolean> {
  const source = await pickDeployment(args.name);
  if (!source) return false;
  if (args.strategy && !(FLAGGER_STRATEGIES as readonly string[]).includes(args.strategy)) {
    void notify.error(`unknown Flagger strategy "${args.strategy}". Choose one of ${FLAGGER_STRATEGIES.join(', ')}.`);
    return false;
  }
  const strategy =
    args.strategy ??
    (await pickValue<FlaggerStrategyId>(
      FLAGGER_STRATEGIES.map((id) => ({ label: STRATEGY_INFO[id].label, detail: STRATEGY_INFO[id].detail, value: id })),
      { title: 'Convert Deployment to Flagger Canary: which provider?' },
    ));
  if (!strategy) return false;
  const { convertDeploymentToFlaggerCanary, ConvertError } = loadAuthoring();
  const result = await showingExpected([ConvertError], () => convertDeploymentToFlaggerCanary(source.file, { strategy, name: source.name }));
  return result ? applyEdits(source.editor, result) : false;
}
