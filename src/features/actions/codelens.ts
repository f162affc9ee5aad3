// CodeLenses on manifests whose objects the cluster runs, in the namespaces the view watches: what
// is live for that object (the colour serving now, the image running, the Rollout's step), then
// switch a blue/green Service, promote or abort a Rollout, roll back a Deployment, and their Git
// path (the catalogue's lens rows, the same commands as the tree), after a first lens naming the
// context and namespace they act on. Manifests are matched to live objects through the workspace's
// Kustomize layouts too (domain/manifests/locate.ts: a base's file and an overlay's patch get the
// lenses of the objects they render). On a GitOps-managed object the Git path comes first and the
// direct actions carry a warning: the controller would undo them.
// Shown only once a cluster session exists (never loads the client by itself).
import * as vscode from 'vscode';
import { refOf } from '../../domain/model/contexts';
import { isViaGit, lensActions } from '../../domain/actions/catalogue';
import type { WorkloadKind, WorkloadView } from '../../domain/model/workloads';
import type { ClusterSession } from '../../kube/session';
import { Commands } from '../../commands';
import { Annotations, COLOUR_KEYS } from '../../domain/release/vocabulary';
import type { FieldPath, LocatedObject, ManifestIndex } from '../../domain/manifests/locate';
import type { ClusterController } from '../session/controller';
import type { GitPath } from '../gitpath';
import { loadAuthoring } from '../lazy';

/** A field's value as the object's manifests give it (through the index's patches), else its own document's. */
type FieldOf = (field: FieldPath) => unknown;

/** The workload a manifest's object stands for in the tree: a colour-selecting Service is a blue/green pair's. */
function workloadKindOfObject(o: LocatedObject, field: FieldOf): WorkloadKind | undefined {
  const { kind } = o.ref;
  const annotations = (o.value.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  if (kind === 'Service') return COLOUR_KEYS.some((k) => field(['spec', 'selector', k])) && !annotations?.[Annotations.ArgoManagedBy] ? 'BlueGreen' : undefined;
  if (kind === 'Rollout') return o.apiVersion?.startsWith('argoproj.io/') ? 'Rollout' : undefined;
  if (kind === 'Deployment') return o.apiVersion === 'apps/v1' ? 'Deployment' : undefined;
  return undefined;
}

/** What is live for the workload, in one line: "green live (the file says blue)", "running web:1.2.0", "step 2/6 · 20%". */
function liveSummary(w: WorkloadView, field: FieldOf): string {
  if (w.kind === 'BlueGreen' && w.blueGreen) {
    const file = field(['spec', 'selector', w.blueGreen.selectorKey]);
    const differs = typeof file === 'string' && file !== w.blueGreen.live ? ` (the file says ${file})` : '';
    return `$(circle-large-filled) ${w.blueGreen.live ?? 'no colour'} live${differs}`;
  }
  const images = w.images.map((i) => `${i.image}${i.tags.length ? `:${i.tags.join(', ')}` : ''}`).join(' · ');
  if (w.kind === 'Deployment') return `$(package) running ${images || 'no image'}${w.description ? ` · ${w.description}` : ''}`;
  return `$(pulse) ${w.description || w.health}${images ? ` · ${images}` : ''}`;
}

/** Re-asking for lenses on every store change would re-parse each visible manifest many times a second. */
const LENS_REFRESH_MS = 500;

export function registerActionLenses(context: vscode.ExtensionContext, controller: ClusterController, gitPath: GitPath): void {
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
    gitPath.manifests.onDidChange(soon),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], {
      onDidChangeCodeLenses: changed.event,
      async provideCodeLenses(document) {
        const session = controller.peek();
        if (!session || controller.settings.readOnly) return [];
        const { parseYamlFile, manifestObjects, fieldValue } = loadAuthoring();
        const file = parseYamlFile(document.getText());
        const index: ManifestIndex | undefined = document.uri.scheme === 'file' ? await gitPath.manifests.index().catch(() => undefined) : undefined;
        const lenses: vscode.CodeLens[] = [];
        const seen = new Set<string>();
        for (const { document: at, object } of manifestObjects(index, document.uri.path, file)) {
          const d = file.documents[at];
          if (!d) continue;
          const field: FieldOf = (path) => (index ? fieldValue(index, object, path).value : undefined) ?? loadAuthoring().getIn(object.value, path.filter((s): s is string | number => typeof s !== 'object'));
          const kind = workloadKindOfObject(object, field);
          if (!kind) continue;
          // Only for an object the cluster runs, where the view looks: a draft (New Strategy's output,
          // a file for another cluster) gets no actions that would fail or hit a namespace by accident.
          const live = findLive(session, controller, kind, object.ref.name, object.ref.namespace);
          if (!live || seen.has(`${at}/${live.id}`)) continue;
          seen.add(`${at}/${live.id}`);
          const range = new vscode.Range(document.positionAt(d.start), document.positionAt(d.start));
          // The lenses read the primary context's store, and their targets name it.
          const args = refOf(live, session.contextName);
          lenses.push(new vscode.CodeLens(range, { title: `$(server-environment) ${session.contextName} · ${live.namespace}`, tooltip: 'The context and namespace these actions act on: open the details', command: Commands.OpenRolloutDetails, arguments: [{ ...args, id: live.id }] }));
          lenses.push(new vscode.CodeLens(range, { title: liveSummary(live, field), tooltip: `What the cluster runs now for ${object.ref.kind} "${object.ref.name}"`, command: Commands.OpenRolloutDetails, arguments: [{ ...args, id: live.id }] }));
          const manager = gitPath.managerOf(session, live);
          const actions = lensActions(kind);
          const viaGit = actions.filter(isViaGit);
          const direct = actions.filter((a) => !viaGit.includes(a));
          const warn = manager ? ` — ${manager.tool} undoes a change made in the cluster at its next reconcile` : '';
          for (const a of manager ? [...viaGit, ...direct] : [...direct, ...viaGit]) {
            const undone = manager && !viaGit.includes(a);
            lenses.push(new vscode.CodeLens(range, { title: undone ? `$(warning) ${a.lens!.replace(/^\$\([\w-]+\) /, '')}` : a.lens!, tooltip: undone ? `${a.title}${warn}` : a.title, command: a.command, arguments: [args] }));
          }
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
