// Drift (issue 15, point 3): a workload whose live objects differ from their workspace manifests on
// the release fields says so in the tree (description and tooltip) and its panel, with the diff in
// VS Code's diff editor and both ways to resolve it: apply the file's values (an action with the
// usual preview, ownership lines included) or take the live values into the file.
// The manifests are the workspace's YAML files, read once a cluster session exists (not at
// activation) and again when one changes. Which document defines a live object is the plain-YAML
// match (kind, name, the namespace when the file names one): the Kustomize-aware lookup of
// src/domain/manifests/ replaces it when it lands.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { contextOfTarget } from '../tree/nodes';
import { changedObjects, workloadDrift, workloadsOfObjects, type ManifestObject, type ManifestRef, type WorkloadDrift, driftKind, driftSides, liveValueEdits } from '../../domain/manifests/drift';
import type { KubeObject } from '../../domain/model/objects';
import type { IndexedNamespace } from '../../domain/model/indexed';
import type { WorkloadView } from '../../domain/model/workloads';
import { loadAuthoring } from '../lazy';
import { notify } from '../lifecycle';
import type { ClusterController } from '../session/controller';
import type { ActionRunner } from '../actions/runner';
import type { ActionArgs, ActionOutcome } from '../actions/outcome';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';

const MAX_FILES = 2000;
const MAX_FILE_BYTES = 512 * 1024;
const DIFF_SCHEME = 'switchyard-drift';
const MANIFEST_GLOB = '**/*.{yaml,yml}';
const EXCLUDE = '**/node_modules/**';

const LISTS: Record<string, 'services' | 'deployments' | 'rollouts'> = { Service: 'services', Deployment: 'deployments', Rollout: 'rollouts' };

/** The workspace's documents that could define a release object, by kind/name. */
export class ManifestIndex implements vscode.Disposable {
  private readonly byFile = new Map<string, ManifestRef[]>();
  private readonly changed = new vscode.EventEmitter<ManifestObject[] | undefined>();
  /** The objects whose documents changed (undefined: the whole workspace was read). */
  readonly onDidChange = this.changed.event;
  private watcher?: vscode.FileSystemWatcher;
  private folders?: vscode.FileSystemWatcher;
  private saves?: vscode.Disposable;
  private started?: Promise<void>;

  /** Reads the workspace once (the first time a session asks), then re-reads each file that changes. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
      const reread = (uri: vscode.Uri) => void this.read(uri).then((objects) => objects.length && this.changed.fire(objects));
      this.watcher.onDidChange(reread);
      this.watcher.onDidCreate(reread);
      // An editor's save, whether or not the watcher's event comes (it can be late or dropped under load).
      this.saves = vscode.workspace.onDidSaveTextDocument((d) => d.uri.scheme === 'file' && /\.ya?ml$/.test(d.uri.path) && reread(d.uri));
      // A folder created (a clone) or deleted may be one event for the folder, which the glob does
      // not match: it stands for every file under it.
      this.folders = vscode.workspace.createFileSystemWatcher('**', false, true, false);
      this.folders.onDidCreate(async (uri) => {
        if ((await vscode.workspace.fs.stat(uri).then((s) => s.type, () => 0)) !== vscode.FileType.Directory) return;
        const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, MANIFEST_GLOB), EXCLUDE, MAX_FILES);
        const objects = (await Promise.all(files.map((f) => this.read(f)))).flat();
        if (objects.length) this.changed.fire(objects);
      });
      this.folders.onDidDelete((uri) => {
        const gone = [...this.byFile.keys()].filter((k) => k === uri.toString() || k.startsWith(`${uri.toString()}/`));
        const objects = changedObjects(gone.flatMap((k) => this.byFile.get(k) ?? []), []);
        this.byName = undefined;
        for (const k of gone) this.byFile.delete(k);
        if (objects.length) this.changed.fire(objects);
      });
      const files = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDE, MAX_FILES);
      await Promise.all(files.map((f) => this.read(f)));
      this.changed.fire(undefined);
    })();
    return this.started;
  }

  /** Reads one file again; the objects whose documents it changed. */
  private async read(uri: vscode.Uri): Promise<ManifestObject[]> {
    const before = this.byFile.get(uri.toString()) ?? [];
    this.byName = undefined;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        this.byFile.delete(uri.toString());
        return changedObjects(before, []);
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const refs: ManifestRef[] = [];
      for (const d of loadAuthoring().parseYamlFile(text).documents) {
        if (!d.kind || !d.name || d.templated || !driftKind(d.kind)) continue;
        const namespace = (d.value as { metadata?: { namespace?: unknown } })?.metadata?.namespace;
        refs.push({ file: vscode.workspace.asRelativePath(uri), uri: uri.toString(), kind: d.kind, name: d.name, ...(typeof namespace === 'string' ? { namespace } : {}), value: d.value });
      }
      if (refs.length) this.byFile.set(uri.toString(), refs);
      else this.byFile.delete(uri.toString());
      return changedObjects(before, refs);
    } catch {
      // Unreadable or gone: it defines nothing.
      this.byFile.delete(uri.toString());
      return changedObjects(before, []);
    }
  }

  /** The documents by kind/name, rebuilt after a file changes (the tree asks per workload row). */
  private byName?: Map<string, ManifestRef[]>;

  /** The one document that defines the object; none when several files do (which one is meant is not guessed). */
  manifestOf(kind: string, name: string, namespace: string): ManifestRef | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (const m of [...this.byFile.values()].flat()) this.byName.set(`${m.kind}/${m.name}`, [...(this.byName.get(`${m.kind}/${m.name}`) ?? []), m]);
    }
    const found = (this.byName.get(`${kind}/${name}`) ?? []).filter((m) => m.namespace === undefined || m.namespace === namespace);
    const exact = found.filter((m) => m.namespace === namespace);
    const pick = exact.length ? exact : found;
    return pick.length === 1 ? pick[0] : undefined;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.folders?.dispose();
    this.saves?.dispose();
    this.changed.dispose();
  }
}

/** The drift of a workload against the index, from the store's objects (its lists of Services, Deployments, Rollouts: never the pods). */
export function driftOfWorkload(w: WorkloadView, objects: IndexedNamespace | undefined, index: ManifestIndex): WorkloadDrift | undefined {
  if (!objects) return undefined;
  const live = (kind: string, name: string) => (objects.list(LISTS[kind]) as KubeObject[]).find((o) => o.metadata.name === name) as never;
  return workloadDrift(w, live, (kind, name, ns) => index.manifestOf(kind, name, ns));
}

type Arg = (ActionArgs & { node?: TreeNode }) | TreeNode | undefined;

export function registerDrift(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider, runner: ActionRunner): void {
  const index = new ManifestIndex();
  const sides = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const driftOf = (context: string | undefined, w: WorkloadView) => {
    const session = controller.peekOf(context);
    if (!session) return undefined;
    void index.start();
    return driftOfWorkload(w, session.state(w.namespace)?.live.objects, index);
  };
  tree.setDriftSource(driftOf);
  const args = (a: Arg): ActionArgs & { node?: TreeNode } => (a && 'type' in a && typeof (a as TreeNode).type === 'string' ? { node: a as TreeNode } : { ...((a as ActionArgs) ?? {}) });
  /** The drifted workload an argument names (tree node, {context, namespace, name}) or the user picks, with its context. */
  const pick = async (a: Arg): Promise<{ context: string; w: WorkloadView; drift: WorkloadDrift } | undefined> => {
    const given = args(a);
    const named = contextOfTarget(given);
    const session = controller.sessionOf(named);
    if (!session) throw new Error(controller.problemOf(named)?.message ?? 'No cluster is configured.');
    const context = session.contextName;
    const w = given.node ? tree.workloadOf(given.node) : given.name ? session.workloads(given.namespace ?? session.client.contextNamespace).find((x) => x.name === given.name) : undefined;
    if (w) {
      const drift = driftOf(context, w);
      if (!drift) throw new Error(`"${w.name}" has no drift from a workspace manifest.`);
      return { context, w, drift };
    }
    await index.start();
    // Nothing named: the drifted workloads of every context shown.
    const drifted = controller.sessions().flatMap((s) => s.watchedNamespaces().flatMap((ns) => s.workloads(ns)).flatMap((x) => {
      const drift = driftOf(s.contextName, x);
      return drift ? [{ context: s.contextName, w: x, drift }] : [];
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
    index,
    changed,
    // A file's change redraws the workloads made of the objects it changed; the first read, all.
    index.onDidChange((objects) => {
      const session = controller.peek();
      if (!objects) tree.refreshAll();
      else if (session) tree.refreshWorkloads(session.contextName, session.watchedNamespaces().flatMap((ns) => workloadsOfObjects(session.workloads(ns), objects)));
    }),
    controller.onDidChangeSession(() => controller.peek() && void index.start()),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => sides.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand(Commands.ShowDrift, guarded(async (a) => {
      const found = await pick(a);
      if (!found) return undefined;
      const fields = found.drift.objects.flatMap((o) => o.fields);
      const { live, file } = driftSides(fields);
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
      let taken = 0;
      const { parseYamlFile, valueRangeForPath } = loadAuthoring();
      for (const o of found.drift.objects) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(o.manifest.uri));
        const parsed = parseYamlFile(document.getText()).documents.find((d) => d.kind === o.kind && d.name === o.name);
        if (!parsed) {
          left.push(...o.fields.map((f) => `${f.object} ${f.field}`));
          continue;
        }
        // The value nodes are found in the document as it is now (an open editor's text, saved or not).
        const result = liveValueEdits(o.fields, (path) => valueRangeForPath(parsed, path));
        for (const e of result.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
        taken += result.edits.length;
        left.push(...result.left.map((f) => `${f.object} ${f.field}`));
      }
      if (taken) await vscode.workspace.applyEdit(edit);
      const message = `${taken} live value${taken === 1 ? '' : 's'} taken into the file${taken ? ' (unsaved: review and save)' : ''}${left.length ? `; edit by hand: ${left.join(', ')}` : ''}.`;
      void notify.info(message);
      return { taken, left };
    })),
  );
}
