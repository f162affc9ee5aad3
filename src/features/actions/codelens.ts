// CodeLenses on manifests whose objects the cluster runs: switch a blue/green Service, promote or
// abort a Rollout, roll back a Deployment — the same commands as the tree, for the object named
// by the document. Shown only once a cluster session exists (never loads the client by itself).
import * as vscode from 'vscode';
import { lensActions } from '../../domain/actions/catalogue';
import type { WorkloadKind } from '../../domain/model/workloads';
import { Annotations, COLOUR_KEYS } from '../../domain/release/vocabulary';
import type { ClusterController } from '../session/controller';
import { loadAuthoring } from '../lazy';


type ManifestValue = { metadata?: { annotations?: Record<string, string> }; spec?: { selector?: Record<string, string> } };

/** The workload a manifest document stands for in the tree: a colour-selecting Service is a blue/green pair's. */
function workloadKindOfManifest(kind: string, apiVersion: string | undefined, value: ManifestValue): WorkloadKind | undefined {
  if (kind === 'Service') return COLOUR_KEYS.some((k) => value.spec?.selector?.[k]) && !value.metadata?.annotations?.[Annotations.ArgoManagedBy] ? 'BlueGreen' : undefined;
  if (kind === 'Rollout') return apiVersion?.startsWith('argoproj.io/') ? 'Rollout' : undefined;
  if (kind === 'Deployment') return apiVersion === 'apps/v1' ? 'Deployment' : undefined;
  return undefined;
}

export function registerActionLenses(context: vscode.ExtensionContext, controller: ClusterController): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    controller.onDidChangeSession(() => changed.fire()),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        const session = controller.peek();
        if (!session || controller.settings.readOnly) return [];
        const { parseYamlFile } = loadAuthoring();
        const lenses: vscode.CodeLens[] = [];
        for (const d of parseYamlFile(document.getText()).documents) {
          if (!d.name || !d.kind) continue;
          const value = d.value as { metadata?: { namespace?: string; annotations?: Record<string, string> }; spec?: { selector?: Record<string, string> } };
          const args = { namespace: value.metadata?.namespace ?? session.client.contextNamespace, name: d.name };
          const at = new vscode.Range(document.positionAt(d.start), document.positionAt(d.start));
          const lens = (title: string, command: string, extra: object = {}) => lenses.push(new vscode.CodeLens(at, { title, command, arguments: [{ ...args, ...extra }] }));
          const kind = workloadKindOfManifest(d.kind, d.apiVersion, value);
          if (kind) for (const a of lensActions(kind)) lens(a.lens!, a.command);
        }
        return lenses;
      },
    }),
  );
}
