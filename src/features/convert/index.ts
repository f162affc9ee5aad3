// `Switchyard: Convert Deployment to Rollout` on the open YAML document.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ConvertMode, RolloutStrategy } from '../../domain/manifests/convert';
import { loadAuthoring } from '../lazy';
import { notify, showingExpected } from '../lifecycle';
import { pickValue } from '../prompts';

export interface ConvertArgs {
  mode?: ConvertMode;
  strategy?: RolloutStrategy;
  name?: string;
}

export function registerConvert(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.ConvertToRollout, (args?: ConvertArgs) => convert(args ?? {})));
}

async function convert(args: ConvertArgs): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') {
    void notify.info('open a YAML file with a Deployment to convert it.');
    return false;
  }
  const { parseYamlFile, deploymentsIn, convertDeploymentToRollout, ConvertError } = loadAuthoring();
  const file = parseYamlFile(editor.document.getText());
  const deployments = deploymentsIn(file);
  if (!deployments.length) {
    void notify.info('this file has no apps/v1 Deployment to convert.');
    return false;
  }
  let name = args.name;
  if (!name && deployments.length > 1) {
    name = (await vscode.window.showQuickPick(deployments.map((d) => d.name ?? ''), { title: 'Convert which Deployment?' })) ?? undefined;
    if (!name) return false;
  }
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
  const result = await showingExpected([ConvertError], () => convertDeploymentToRollout(file, { mode, strategy, name }));
  if (!result) return false;
  const document = editor.document;
  const applied = await editor.edit((b) => {
    for (const e of result.edits) b.replace(new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  });
  if (applied && result.notes.length) void vscode.window.showInformationMessage(result.notes.join(' '));
  return applied;
}
