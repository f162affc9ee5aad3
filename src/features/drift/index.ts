// Drift (issue 15, point 3): a workload whose live objects differ from their workspace manifests on
// the release fields says so in the tree (description and tooltip) and its panel, with the diff in
// VS Code's diff editor and both ways to resolve it: apply the file's values (an action with the
// usual preview, ownership lines included) or take the live values into the files.
// The manifests are the workspace's one index (features/manifests/workspace.ts, the Git path's and
// the lenses'), read once a cluster session asks (not at activation) and again when a file changes.
// Which manifest defines a live object, the values its Kustomize overlays give it and the file an
// edit of a value goes to are domain/manifests/locate.ts's (drift.ts: definingObject,
// effectiveManifest, liveValueEdits).
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { contextOfTarget } from '../tree/nodes';
import type { ManifestObject, WorkloadDrift } from '../../domain/manifests/drift';
import type { ManifestIndex } from '../../domain/manifests/locate';
import type { KubeObject } from '../../domain/model/objects';
import type { WorkloadView } from '../../domain/model/workloads';
import { loadAuthoring } from '../lazy';
import { notify } from '../lifecycle';
import type { WorkspaceManifests } from '../manifests/workspace';
import type { ClusterController } from '../session/controller';
import type { ActionRunner } from '../actions/runner';
import type { ActionArgs, ActionOutcome } from '../actions/outcome';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';

const DIFF_SCHEME = 'switchyard-drift';
/** Typing in a manifest is a burst of changes: the index is read again once it pauses (as the lenses wait). */
const REREAD_MS = 500;

const LISTS: Record<string, 'services' | 'deployments' | 'rollouts'> = { Service: 'services', Deployment: 'deployments', Rollout: 'rollouts' };

type Arg = (ActionArgs & { node?: TreeNode }) | TreeNode | undefined;

export function registerDrift(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider, runner: ActionRunner, manifests: WorkspaceManifests): void {
  const sides = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const relative = (path: string) => vscode.workspace.asRelativePath(vscode.Uri.file(path));
  /** The index the tree's rows were drawn from (undefined: not read yet). */
  let index: ManifestIndex | undefined;
  let reading: Promise<ManifestIndex> | undefined;
  /**
   * The workloads made of objects whose manifests changed are redrawn, in every context shown
   * (undefined: every workload). Rows only, never the whole tree: a whole-tree refresh drops the
   * handles of every row while it is drawn again, and a context-menu command chosen then gets no row
   * (Pin Workload asked which workload, in a UI run, right after the workspace was first read).
   */
  const redraw = (objects: ManifestObject[] | undefined) => {
    for (const s of controller.sessions()) tree.refreshWorkloads(s.contextName, s.watchedNamespaces().flatMap((ns) => (objects ? loadAuthoring().workloadsOfObjects(s.workloads(ns), objects) : s.workloads(ns).map((w) => w.id))));
  };
  /** The index as the files are now (after a read under way); the rows it changes are redrawn. */
  const read = (): Promise<ManifestIndex> => (reading = (reading ?? Promise.resolve()).catch(() => undefined).then(async () => {
    const next = await manifests.index();
    const objects = next === index ? [] : loadAuthoring().changedManifestObjects(index, next);
    index = next;
    redraw(objects);
    return next;
  }));
  /** A read nobody awaits (the tree's first row, a file's change): a failure is logged, the rows keep the last index. */
  const readLater = () => void read().catch((e) => controller.log.warn(`[drift] the workspace's manifests could not be read: ${e instanceof Error ? e.message : String(e)}`));
  let reread: ReturnType<typeof setTimeout> | undefined;
  const driftOf = (context: string | undefined, w: WorkloadView): WorkloadDrift | undefined => {
    const session = controller.peekOf(context);
    if (!session) return undefined;
    if (!reading) readLater();
    const objects = session.state(w.namespace)?.live.objects;
    if (!index || !objects) return undefined;
    const live = (kind: string, name: string) => (objects.list(LISTS[kind]) as KubeObject[]).find((o) => o.metadata.name === name) as never;
    return loadAuthoring().workloadDrift(w, live, index, relative);
  };
  tree.setDriftSource(driftOf);
  const args = (a: Arg): ActionArgs & { node?: TreeNode } => (a && 'type' in a && typeof (a as TreeNode).type === 'string' ? { node: a as TreeNode } : { ...((a as ActionArgs) ?? {}) });
  /** The drifted workload an argument names (tree node, {context, namespace, name}) or the user picks, with its context. */
  const pick = async (a: Arg): Promise<{ context: string; w: WorkloadView; drift: WorkloadDrift; index: ManifestIndex } | undefined> => {
    const given = args(a);
    const named = contextOfTarget(given);
    const session = controller.sessionOf(named);
    if (!session) throw new Error(controller.problemOf(named)?.message ?? 'No cluster is configured.');
    const context = session.contextName;
    const w = given.node ? tree.workloadOf(given.node) : given.name ? session.workloads(given.namespace ?? session.client.contextNamespace).find((x) => x.name === given.name) : undefined;
    // The files as they are now (the tree's rows may be drawn from an index a moment older).
    const current = await read();
    if (w) {
      const drift = driftOf(context, w);
      if (!drift) throw new Error(`"${w.name}" has no drift from a workspace manifest.`);
      return { context, w, drift, index: current };
    }
    // Nothing named: the drifted workloads of every context shown.
    const drifted = controller.sessions().flatMap((s) => s.watchedNamespaces().flatMap((ns) => s.workloads(ns)).flatMap((x) => {
      const drift = driftOf(s.contextName, x);
      return drift ? [{ context: s.contextName, w: x, drift, index: current }] : [];
    }));
    if (!drifted.length) throw new Error('No watched workload differs from its workspace manifest.');
    const multiple = controller.multipleContexts;
    const chosen = await vscode.window.showQuickPick(drifted.map((d) => ({ label: d.w.name, description: multiple ? `${d.context} · ${d.w.namespace}` : d.w.namespace, detail: d.drift.lines.join(' · '), d })), { title: 'Switchyard: which workload\'s drift?' });
    return chosen?.d;
  };
  const guarded = (fn: (a: Arg) => Promise<unknown>) => async (a: Arg) => {
    try {
      return await fn(a);
    } catch (e) {
      void notify.warn(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  };
  context.subscriptions.push(
    changed,
    { dispose: () => clearTimeout(reread) },
    // A file's change redraws the workloads made of the objects it changed (once read: before, no row shows drift).
    manifests.onDidChange(() => {
      if (!reading) return;
      clearTimeout(reread);
      reread = setTimeout(readLater, REREAD_MS);
    }),
    controller.onDidChangeSession(() => controller.peek() && !reading && readLater()),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => sides.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand(Commands.ShowDrift, guarded(async (a) => {
      const found = await pick(a);
      if (!found) return undefined;
      const fields = found.drift.objects.flatMap((o) => o.fields);
      const { live, file } = loadAuthoring().driftSides(fields);
      const files = [...new Set(found.drift.objects.map((o) => o.manifest.file))].join(', ');
      const where = controller.multipleContexts ? `/${encodeURIComponent(found.context)}` : '';
      const left = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `${where}/${found.w.namespace}/${found.w.name}.live.yaml` });
      const right = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `${where}/${found.w.namespace}/${found.w.name}.file.yaml` });
      sides.set(left.toString(), live);
      sides.set(right.toString(), file);
      changed.fire(left);
      changed.fire(right);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${found.w.name}: live ↔ ${files}`);
      return { live, file };
    })),
    vscode.commands.registerCommand(Commands.ApplyManifestValues, guarded(async (a): Promise<ActionOutcome | undefined> => {
      const found = await pick(a);
      if (!found) return undefined;
      const outcome = await runner.manifestValues(found.w, found.drift, { ...args(a), context: found.context });
      if (!outcome.cancelled) void (outcome.ok ? notify.info(outcome.message) : notify.warn(outcome.message));
      return outcome;
    })),
    vscode.commands.registerCommand(Commands.TakeLiveValues, guarded(async (a) => {
      const found = await pick(a);
      if (!found) return undefined;
      const edit = new vscode.WorkspaceEdit();
      const left: string[] = [];
      const files = new Set<string>();
      let taken = 0;
      // Each value goes where the index says the files set it (an overlay's patch, a transformer), as the
      // Git path's edits do; the index holds open editors' texts, saved or not, so the offsets are theirs.
      for (const o of found.drift.objects) {
        const result = loadAuthoring().liveValueEdits(found.index, o.manifest.object, o.fields);
        for (const e of result.edits) {
          const document = await vscode.workspace.openTextDocument(vscode.Uri.file(e.file));
          for (const t of e.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(t.start), document.positionAt(t.end)), t.newText);
          files.add(relative(e.file));
        }
        taken += result.edits.length;
        left.push(...result.left.map((f) => `${f.object} ${f.field}`));
      }
      if (taken) await vscode.workspace.applyEdit(edit);
      const message = `${taken} live value${taken === 1 ? '' : 's'} taken into ${taken ? `${[...files].join(', ')} (unsaved: review and save)` : 'the files'}${left.length ? `; edit by hand: ${left.join(', ')}` : ''}.`;
      void notify.info(message);
      return { taken, left, files: [...files] };
    })),
  );
}
