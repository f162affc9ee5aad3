// CodeLenses on manifests whose objects the cluster runs, in the namespaces the view watches: switch
// a blue/green Service, promote or abort a Rollout, roll back a Deployment (the catalogue's lens rows,
// the same commands as the tree), after a first lens naming the context and namespace they act on.
// Shown only once a cluster session exists (never loads the client by itself).
import * as vscode from 'vscode';
import { lensActions } from '../../domain/actions/catalogue';
import type { WorkloadKind, WorkloadView } from '../../domain/model/workloads';
import type { ClusterSession } from '../../kube/session';
import { Commands } from '../../commands';
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

/** Re-asking for lenses on every store change would re-parse each visible manifest many times a second. */
const LENS_REFRESH_MS = 500;

export function registerActionLenses(context: vscode.ExtensionContext, controller: ClusterController): void {
  const changed = new vscode.EventEmitter<void>();
  let refresh: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(refresh);
    refresh = setTimeout(() => changed.fire(), LENS_REFRESH_MS);
  };
  context.subscriptions.push(
    changed,
    { dispose: () => clearTimeout(refresh) },
    controller.onDidChangeSession(() => changed.fire()),
    controller.onDidChangeWorkloads(soon),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        const session = controller.peek();
        if (!session || controller.settings.readOnly) return [];
        const { parseYamlFile } = loadAuthoring();
        const lenses: vscode.CodeLens[] = [];
        for (const d of parseYamlFile(document.getText()).documents) {
          if (!d.name || !d.kind) continue;
          const value = d.value as ManifestValue & { metadata?: { namespace?: string } };
          const kind = workloadKindOfManifest(d.kind, d.apiVersion, value);
          if (!kind) continue;
          // Only for an object the cluster runs, where the view looks: a draft (New Strategy's output,
          // a file for another cluster) gets no actions that would fail or hit a namespace by accident.
          const live = findLive(session, controller, kind, d.name, value.metadata?.namespace);
          if (!live) continue;
          const at = new vscode.Range(document.positionAt(d.start), document.positionAt(d.start));
          const args = { namespace: live.namespace, name: live.name };
          lenses.push(new vscode.CodeLens(at, { title: `$(server-environment) ${session.contextName} · ${live.namespace}`, tooltip: 'The context and namespace these actions act on: open the details', command: Commands.OpenRolloutDetails, arguments: [{ ...args, id: live.id }] }));
          for (const a of lensActions(kind)) lenses.push(new vscode.CodeLens(at, { title: a.lens!, command: a.command, arguments: [args] }));
        }
        return lenses;
      },
    }),
  );
}

/** The live workload a manifest stands for: in its own namespace, else in the namespaces the view shows (watched ones only). */
function findLive(session: ClusterSession, controller: ClusterController, kind: WorkloadKind, name: string, namespace: string | undefined): WorkloadView | undefined {
  const selected = controller.selectedNamespaces();
  const candidates = namespace ? [namespace] : Array.isArray(selected) ? selected : session.watchedNamespaces();
  for (const ns of candidates) {
    if (!session.isWatching(ns)) continue;
    const w = session.workloads(ns).find((x) => x.kind === kind && x.name === name);
    if (w) return w;
  }
  return undefined;
}
