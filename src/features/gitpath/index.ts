// The Git path (issue 15): a release change made as an edit of the workspace manifest that sets the
// field (the overlay's patch, the base, the images or replicas transformer), shown in VS Code's
// refactor preview, left for the user to save, commit and push with VS Code's own Git (Switchyard
// never commits or pushes), then watched until the GitOps controller has applied it.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { GitPathEdit } from '../../domain/gitops/gitpath';
import { gitOpsOfWorkload, type GitOpsManager } from '../../domain/gitops/managed';
import type { FieldPath, ManifestIndex } from '../../domain/manifests/locate';
import type { Deployment, ReplicaSet } from '../../domain/model/objects';
import type { WorkloadView } from '../../domain/model/workloads';
import { rollbackChoices } from '../../domain/actions/revisions';
import { planReplicaCanary } from '../../domain/strategy/replicaCanary';
import type { ClusterSession } from '../../kube/session';
import { notify } from '../lifecycle';
import { loadAuthoring, loadKube } from '../lazy';
import { pickValue } from '../prompts';
import type { ClusterController } from '../session/controller';
import { NoWorkload, pickTarget } from '../session/picker';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';
import { contextOfTarget } from '../tree/nodes';
import type { ActionArgs } from '../actions/outcome';
import type { WorkspaceManifests } from '../manifests/workspace';

const GIT_OWNER = 'gitpath';
/** How long Switchyard watches for the controller to apply a change (a Flux interval is often 1-10 min). */
const WATCH_MS = 30 * 60_000;

export interface GitPathArgs extends ActionArgs {
  node?: TreeNode;
  /** A Rollout field to set (`spec.strategy.canary.steps[0].setWeight`) and its value (YAML). */
  field?: string;
  value?: string;
  /** Leave the refactor preview out and apply the edit (tests; the file is still only edited, never saved or committed). */
  noPreview?: boolean;
}

export interface GitPathOutcome {
  ok: boolean;
  message: string;
  edits?: { file: string; where: string }[];
  /** Resolves when the watch ends: the last state said. */
  applied?: Promise<string>;
}

export class GitPath {
  /** The workspace's one manifest index (activate() owns it): what the edits are planned over. */
  constructor(private readonly controller: ClusterController, private readonly tree: RolloutTreeProvider, readonly manifests: WorkspaceManifests) {}

  /** The GitOps controller that manages a workload's objects (from their labels and annotations), if any. */
  managerOf(session: ClusterSession, w: WorkloadView): GitOpsManager | undefined {
    return gitOpsOfWorkload(w, session.snapshot(w.namespace));
  }

  private async workload(args: GitPathArgs, accepts: (w: WorkloadView) => boolean, what: string): Promise<{ session: ClusterSession; w: WorkloadView } | undefined> {
    // The target's context (a tree node's, the arguments'; else the primary): the file is compared with that cluster's object.
    const context = contextOfTarget(args);
    const session = this.controller.sessionOf(context);
    if (!session) throw new NoWorkload(this.controller.problemOf(context)?.message ?? 'No cluster is configured: the Git path compares the file with the live object.');
    if (args.node) {
      const w = this.tree.workloadOf(args.node);
      if (!w || !accepts(w)) throw new NoWorkload(`This node is not ${what}.`);
      return { session, w };
    }
    const picked = await pickTarget(() => this.controller.shownSessions(), session, args, { owner: GIT_OWNER, accepts, what, takeOnlyOne: args.confirm, title: `Switchyard: which ${what}? (the change is made in Git)` });
    return picked && { session: picked.session, w: picked.w };
  }

  async switchTraffic(args: GitPathArgs): Promise<GitPathOutcome | undefined> {
    const found = await this.workload(args, (x) => x.kind === 'BlueGreen' && !x.argoManaged, 'blue/green pair');
    if (!found) return undefined;
    const { w } = found;
    const bg = w.blueGreen!;
    const others = bg.colours.map((c) => c.colour).filter((c) => c !== bg.live);
    const target = args.target ?? (others.length === 1 && args.confirm ? others[0] : await vscode.window.showQuickPick(others, { title: `Switch ${w.name} to (an edit of the manifest)` }));
    if (!target) return undefined;
    return this.make(found, (index, folder) => [loadAuthoring().planSelectorEdit(index, { kind: 'Service', name: bg.service, namespace: w.namespace }, bg.selectorKey, target, folder)], args);
  }

  /** A Deployment's or a Rollout's containers back to a revision's images (the revision's ReplicaSet template). */
  async rollback(args: GitPathArgs): Promise<GitPathOutcome | undefined> {
    const found = await this.workload(args, (x) => x.kind === 'Deployment' || x.kind === 'Rollout', 'Deployment or Rollout');
    if (!found) return undefined;
    const { session, w } = found;
    const node = args.node;
    let revision = args.revision ?? (node?.type === 'revision' ? w.revisions.find((r) => r.replicaSet === node.replicaSet)?.revision : undefined);
    if (revision === undefined) {
      const choices = rollbackChoices(w, Date.now());
      if (!choices.length) return { ok: false, message: `${w.name} has no other revision to go back to.` };
      revision = await pickValue(choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.revision })), { title: `Roll ${w.name} back to (an edit of the manifest)` });
      if (revision === undefined) return undefined;
    }
    const r = w.revisions.find((x) => x.revision === revision);
    const rs = r && session.snapshot(w.namespace).replicaSets.find((x) => x.metadata.name === r.replicaSet) as (ReplicaSet & { spec?: { template?: { spec?: { containers?: { name: string; image?: string }[] } } } }) | undefined;
    const containers = rs?.spec?.template?.spec?.containers ?? [];
    if (!containers.length) return { ok: false, message: `Revision ${revision} of ${w.name} is not in the cluster any more: nothing to read its images from.` };
    const { planImageEdit } = loadAuthoring();
    return this.make(found, (index, folder) => containers.filter((c) => c.image).map((c) => planImageEdit(index, { kind: w.kind, name: w.name, namespace: w.namespace }, c.name, c.image!, folder)), args);
  }

  /** A replica canary's share: the canary's and the stable Deployment's replicas, as Set Canary Share counts them. */
  async canaryShare(args: GitPathArgs): Promise<GitPathOutcome | undefined> {
    const found = await this.workload(args, (x) => x.kind === 'ReplicaCanary', 'replica-ratio canary');
    if (!found) return undefined;
    const { session, w } = found;
    const [canaryName, stableName] = w.members;
    const deployments = session.snapshot(w.namespace).deployments;
    const replicas = (name: string) => (deployments.find((d) => d.metadata.name === name) as Deployment | undefined)?.spec?.replicas ?? 1;
    const percent = args.percent ?? Number(await vscode.window.showInputBox({ title: `Canary share of ${w.name} (an edit of the manifests)`, prompt: 'Percent of traffic for the canary', value: String(w.canary?.requestedShare ?? 10), validateInput: (v) => (Number(v) > 0 && Number(v) < 100 ? undefined : 'Above 0 and below 100.') }));
    if (!(percent > 0)) return undefined;
    let plan;
    try {
      plan = planReplicaCanary(percent, replicas(canaryName) + replicas(stableName));
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const { planReplicasEdit } = loadAuthoring();
    return this.make(found, (index, folder) => [
      planReplicasEdit(index, { kind: 'Deployment', name: canaryName, namespace: w.namespace }, plan.canary, folder),
      planReplicasEdit(index, { kind: 'Deployment', name: stableName, namespace: w.namespace }, plan.stable, folder),
    ], args);
  }

  async rolloutField(args: GitPathArgs): Promise<GitPathOutcome | undefined> {
    const found = await this.workload(args, (x) => x.kind === 'Rollout', 'Argo Rollout');
    if (!found) return undefined;
    const { parseFieldPath, planFieldEdit } = loadAuthoring();
    const text = args.field ?? await vscode.window.showInputBox({ title: `Field of ${found.w.name} to set in Git`, value: 'spec.strategy.canary.steps[0].setWeight', validateInput: (v) => (parseFieldPath(v) ? undefined : 'A path like spec.replicas, spec.strategy.canary.steps[0].setWeight or spec.template.spec.containers[name=app].image.') });
    const field = text === undefined ? undefined : parseFieldPath(text);
    if (!field) return text === undefined ? undefined : { ok: false, message: `"${text}" is not a field path.` };
    const raw = args.value ?? await vscode.window.showInputBox({ title: `New value of ${text}`, prompt: 'A YAML value: 20, "5m", true' });
    if (raw === undefined) return undefined;
    const value = yamlScalar(raw);
    return this.make(found, (index, folder) => [planFieldEdit(index, loadAuthoring().findObjects(index, { kind: 'Rollout', name: found.w.name, namespace: found.w.namespace }, folder)[0] ?? noManifest(found.w), field, value, `Set ${text} of ${found.w.name} in Git`)], args);
  }

  /** Plans the edits over the workspace's manifests, shows them, and watches the cluster take them once committed. */
  private async make(found: { session: ClusterSession; w: WorkloadView }, plan: (index: ManifestIndex, folder?: string) => GitPathEdit[], args: GitPathArgs): Promise<GitPathOutcome | undefined> {
    const { session, w } = found;
    const { fluxKustomization, watchApplied } = loadKube().gitpath;
    const manager = this.managerOf(session, w);
    const kustomization = await fluxKustomization(session.client, manager);
    const index = await this.manifests.index();
    let edits: GitPathEdit[];
    try {
      edits = plan(index, kustomization?.spec?.path);
    } catch (e) {
      if (e instanceof loadAuthoring().EditError) return { ok: false, message: e.message };
      throw e;
    }
    const { describeSetter } = loadAuthoring();
    const relative = (p: string) => vscode.workspace.asRelativePath(vscode.Uri.file(p));
    const where = edits.map((e) => ({ file: e.file, where: describeSetter(e, relative) }));
    const workspaceEdit = new vscode.WorkspaceEdit();
    for (const e of edits) {
      const uri = vscode.Uri.file(e.file);
      const doc = await vscode.workspace.openTextDocument(uri);
      for (const t of e.edits) workspaceEdit.replace(uri, new vscode.Range(doc.positionAt(t.start), doc.positionAt(t.end)), t.newText, { needsConfirmation: !args.noPreview, label: e.title, description: describeSetter(e, relative) });
    }
    const git = gitRepository(vscode.Uri.file(edits[0].file));
    const baseline = git?.state.HEAD?.commit;
    if (!(await vscode.workspace.applyEdit(workspaceEdit, { isRefactoring: !args.noPreview }))) return undefined;
    const title = edits.map((e) => e.title).join('; ');
    const managed = manager ? ` ${manager.tool} ${manager.kind} "${manager.namespace ? `${manager.namespace}/` : ''}${manager.name}" applies it once it is pushed.` : '';
    const message = `${title}: edited ${where.map((x) => x.where).join(', ')}. Save, commit and push it with Source Control;${managed} Switchyard says when the cluster has it.`;
    const controller = new AbortController();
    let pushedAt: Date | undefined;
    const commit = async () => {
      const head = git?.state.HEAD;
      if (!git || !head?.commit || head.commit === baseline) return undefined;
      const pushed = !!head.upstream && head.ahead === 0;
      if (pushed) pushedAt ??= new Date();
      const at = pushedAt ?? (await git.getCommit(head.commit).catch(() => undefined))?.commitDate ?? new Date();
      return { sha: head.commit, at, pushed };
    };
    const applied = vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Switchyard: ${title}`, cancellable: false }, async (progress) => {
      const states = await Promise.all(edits.map((e) => watchApplied(session.client, {
        kind: e.object.ref.kind, namespace: w.namespace, name: e.object.ref.name, field: e.field as FieldPath, expected: e.expected, manager, commit: git ? commit : undefined, timeoutMs: WATCH_MS, signal: controller.signal,
        onProgress: (s) => progress.report({ message: s.message }),
      })));
      const said = states.map((s, i) => `${edits[i].object.ref.name}: ${s.message}`).join('; ');
      if (states.every((s) => s.matches)) void notify.info(`${title}: ${said}.`);
      else if (!controller.signal.aborted) void notify.warn(`${title}: not applied within ${WATCH_MS / 60_000} min: ${said}.`);
      return said;
    });
    this.controller.log.info(`[git path] ${message}`);
    if (!args.confirm) {
      void vscode.window.showInformationMessage(message, 'Open Source Control', 'Stop Watching').then((choice) => {
        if (choice === 'Open Source Control') void vscode.commands.executeCommand('workbench.view.scm');
        if (choice === 'Stop Watching') controller.abort();
      });
    }
    session.release(GIT_OWNER);
    return { ok: true, message, edits: where, applied: Promise.resolve(applied) };
  }
}

function noManifest(w: WorkloadView): never {
  throw new (loadAuthoring().EditError)(`No manifest of Rollout "${w.name}" (namespace ${w.namespace}) in this workspace: open the repository the GitOps controller syncs from.`);
}

/** A typed value as YAML reads it (20 is a number, "20" a string), through the authoring bundle's parser. */
function yamlScalar(text: string): unknown {
  const [doc] = loadAuthoring().parseYamlFile(`v: ${text}`).documents;
  return (doc?.value as { v?: unknown } | undefined)?.v ?? text;
}

/** What Switchyard reads of VS Code's Git extension: the repository of a file, its HEAD and commits. */
interface GitRepository {
  state: { HEAD?: { commit?: string; upstream?: unknown; ahead?: number } };
  getCommit(ref: string): Promise<{ commitDate?: Date }>;
}

function gitRepository(uri: vscode.Uri): GitRepository | undefined {
  try {
    const api = vscode.extensions.getExtension<{ getAPI(v: 1): { getRepository(uri: vscode.Uri): GitRepository | null } }>('vscode.git')?.exports?.getAPI(1);
    return api?.getRepository(uri) ?? undefined;
  } catch {
    return undefined; // Git disabled or not activated: the report does without the commit
  }
}

export function registerGitPath(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider, manifests: WorkspaceManifests): GitPath {
  const gitPath = new GitPath(controller, tree, manifests);
  const register = (id: string, fn: (args: GitPathArgs) => Promise<GitPathOutcome | undefined>) =>
    vscode.commands.registerCommand(id, async (arg?: GitPathArgs | TreeNode) => {
      const args: GitPathArgs = arg && 'type' in arg && 'id' in arg ? { node: arg as TreeNode } : { ...((arg as GitPathArgs) ?? {}) };
      try {
        const outcome = await fn(args);
        if (outcome && !outcome.ok) void notify.warn(outcome.message);
        return outcome ?? { ok: false, message: 'Cancelled: nothing was edited.' };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        controller.log.error(`[git path] ${message}`);
        void (e instanceof NoWorkload ? notify.warn(message) : notify.error(message));
        return { ok: false, message };
      } finally {
        controller.sessions().forEach((s) => s.release(GIT_OWNER));
      }
    });
  context.subscriptions.push(
    register(Commands.SwitchTrafficInGit, (a) => gitPath.switchTraffic(a)),
    register(Commands.RollbackInGit, (a) => gitPath.rollback(a)),
    register(Commands.SetCanaryShareInGit, (a) => gitPath.canaryShare(a)),
    register(Commands.SetRolloutFieldInGit, (a) => gitPath.rolloutField(a)),
  );
  return gitPath;
}
