// CodeLenses on manifests whose objects the cluster runs: switch a blue/green Service, promote or
// abort a Rollout, roll back a Deployment — the same commands as the tree, for the object named
// by the document. Shown only once a cluster session exists (never loads the client by itself).
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../cluster/controller';
import { loadAuthoring } from '../lazy';

const COLOUR_KEYS = ['version', 'color', 'colour', 'slot'];

export function registerActionLenses(context: vscode.ExtensionContext, controller: ClusterController): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    controller.onDidChangeSession(() => changed.fire()),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        const session = controller.peek();
        if (!session || vscode.workspace.getConfiguration('switchyard').get<boolean>('readOnly', false)) return [];
        const { parseYamlFile } = loadAuthoring();
        const lenses: vscode.CodeLens[] = [];
        for (const d of parseYamlFile(document.getText()).documents) {
          if (!d.name || !d.kind) continue;
          const value = d.value as { metadata?: { namespace?: string; annotations?: Record<string, string> }; spec?: { selector?: Record<string, string> } };
          const args = { namespace: value.metadata?.namespace ?? session.client.contextNamespace, name: d.name };
          const at = new vscode.Range(document.positionAt(d.start), document.positionAt(d.start));
          const lens = (title: string, command: string, extra: object = {}) => lenses.push(new vscode.CodeLens(at, { title, command, arguments: [{ ...args, ...extra }] }));
          if (d.kind === 'Service' && COLOUR_KEYS.some((k) => value.spec?.selector?.[k]) && !value.metadata?.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts']) {
            lens('$(arrow-swap) Switch traffic…', Commands.SwitchTraffic);
            lens('$(history) Switch back', Commands.SwitchBack);
          } else if (d.kind === 'Rollout' && d.apiVersion?.startsWith('argoproj.io/')) {
            lens('$(play) Promote', Commands.PromoteRollout);
            lens('$(stop) Abort', Commands.AbortRollout);
            lens('$(discard) Undo…', Commands.UndoRollout);
          } else if (d.kind === 'Deployment' && d.apiVersion === 'apps/v1') {
            lens('$(discard) Roll back…', Commands.RollbackDeployment);
          }
        }
        return lenses;
      },
    }),
  );
}
