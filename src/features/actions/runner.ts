// Runs the actions of the catalogue: every action reads the objects fresh, plans the patch (pure),
// checks access, previews a server-side dry-run, asks (typing the context name on protected
// contexts), sends with a precondition, and logs what it sent and what came back. Each acts in its
// target's context (a tree node's, or the arguments' `context`; the primary one when none is named).
import * as vscode from 'vscode';
import type { ActionPlan, RolloutAction } from '../../domain/actions/plans';
import type { ActionId } from '../../domain/actions/catalogue';
import type { CanaryAction } from '../../domain/actions/flagger';
import type { GateAction } from '../../domain/actions/flaggerGates';
import type { Engines } from '../../domain/actions/managed';
import type { Deployment, FlaggerCanary, Pod, ReplicaSet, Rollout, Service } from '../../domain/model/objects';
import type { WorkloadView } from '../../domain/model/workloads';
import type { WorkloadDrift } from '../../domain/manifests/drift';
import { Annotations } from '../../domain/release/vocabulary';
import type { ClusterSession } from '../../kube/session';
import { loadKube } from '../lazy';
import type { ClusterController } from '../session/controller';
import { pickTarget } from '../session/picker';
import type { TreeNode, RolloutTreeProvider } from '../tree/provider';
import { contextSuffix, isProtectedContext } from '../../domain/model/contexts';
import { contextOfTarget as targetContext } from '../tree/nodes';
import { rollbackChoices } from '../../domain/actions/revisions';
import { pickValue } from '../prompts';
import { ActionUnavailable, CANCELLED, type ActionArgs, type ActionOutcome } from './outcome';

/** Watches an action starts for itself end with it. */
export const ACTIONS_OWNER = 'actions';

/** A VS Code cancellation as the AbortSignal the cluster layer takes. */
function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Asked before an action that has a Git path (catalogue `viaGit`) on its workload (in `session`'s context): false stops it. */
export type DirectChangeGuard = (session: ClusterSession, w: WorkloadView, action: ActionId, args: ActionArgs) => Promise<boolean>;

export class ActionRunner {
  /** Set by the actions feature: warns when a GitOps controller would undo the change. */
  guard?: DirectChangeGuard;

  constructor(
    private readonly controller: ClusterController,
    private readonly tree: RolloutTreeProvider,
    readonly output: vscode.LogOutputChannel,
  ) {}

  /** The session an action writes through: its target's context (undefined: the primary one). */
  session(context?: string): ClusterSession {
    const session = this.controller.sessionOf(context);
    if (!session) throw new ActionUnavailable(this.controller.problemOf(context)?.message ?? 'No cluster is configured.');
    if (this.controller.settings.readOnly) throw new ActionUnavailable('Read-only mode is on (switchyard.readOnly): actions that change the cluster are off.');
    return session;
  }

  /**
   * The context an action without a target acts in (Apply Manifest…): the primary one (undefined)
   * while it is shown alone or with `takePrimary`, else the one picked; null when the pick is cancelled.
   */
  async pickContext(title: string, takePrimary?: boolean): Promise<string | undefined | null> {
    const contexts = this.controller.contexts();
    if (contexts.length < 2 || takePrimary) return undefined;
    const pick = await vscode.window.showQuickPick(contexts.map((c, i) => ({ label: c, description: i === 0 ? 'primary' : undefined })), { title });
    return pick ? pick.label : null;
  }

  /** The workload the action is about: the tree node, the named one, or one the user picks. */
  /**
   * The workload the action is about, and the session of its context: the tree node's, the named
   * one (in the context named, else the primary), or one the user picks (among every context shown
   * when nothing names one).
   */
  private async resolve(session: ClusterSession, args: ActionArgs & { node?: TreeNode }, accepts: (w: WorkloadView) => boolean, what: string, action?: ActionId): Promise<{ s: ClusterSession; w: WorkloadView } | undefined> {
    let found: { s: ClusterSession; w: WorkloadView } | undefined;
    if (args.node) {
      const w = this.tree.workloadOf(args.node);
      if (!w || !accepts(w)) throw new Error(`This node is not ${what}.`);
      found = { s: session, w };
    } else {
      const picked = await pickTarget(() => this.controller.shownSessions(), session, args, { owner: ACTIONS_OWNER, accepts, what, takeOnlyOne: args.confirm, title: `Switchyard: which ${what}?` });
      found = picked && { s: picked.session, w: picked.w };
    }
    if (found && action && this.guard && !(await this.guard(found.s, found.w, action, args))) return undefined;
    return found;
  }

  private get<T>(session: ClusterSession, path: string): Promise<T> {
    return session.client.request<T>(path);
  }

  /** The Canaries and Rollouts of a namespace, read fresh: what they run is refused to the plain actions (domain/actions/managed.ts). */
  private async engines(session: ClusterSession, namespace: string): Promise<Engines> {
    const list = async <T>(path: string): Promise<T[]> => {
      try {
        return (await this.get<{ items: T[] }>(session, path)).items;
      } catch (e) {
        // No such API (Flagger or Argo not installed): nothing runs objects here. Not allowed to list
        // them: what they generate is still known by its owner references; the rest is said in the log.
        const kind = (e as { kind?: string }).kind;
        if (kind === 'notFound') return [];
        if (kind === 'forbidden') {
          this.output.warn(`Cannot list ${path} to check what a release engine runs: ${(e as Error).message}`);
          return [];
        }
        throw e;
      }
    };
    const [canaries, rollouts] = await Promise.all([
      list<FlaggerCanary>(canariesPath(namespace)),
      (await session.checkArgo()) === 'installed' ? list<Rollout>(session.path('rollouts', namespace)) : Promise.resolve([]),
    ]);
    return { canaries, rollouts };
  }

  /** Access review, dry-run preview, confirmation, then the real writes. */
  private async execute(session: ClusterSession, w: WorkloadView | undefined, plan: ActionPlan, args: ActionArgs, after?: (apiMs: number, token: vscode.CancellationToken) => Promise<Partial<ActionOutcome>>): Promise<ActionOutcome> {
    if (plan.noop) return { ok: true, noop: true, message: plan.noop };
    const { runPlan, reviewAccess, ownershipNotices } = loadKubeActions();
    const denied = (await reviewAccess(session.client, plan)).filter((d) => !d.allowed);
    if (denied.length) {
      const d = denied[0];
      return { ok: false, message: `Not allowed: you may not ${d.write.verb} ${d.write.resource}${d.write.subresource ? '/' + d.write.subresource : ''} "${d.write.name}" in namespace "${d.write.namespace}"${d.reason ? ` (${d.reason})` : ''}. Nothing was changed.` };
    }
    const dry = await runPlan(session.client, plan, { dryRun: true });
    const before = await this.readBefore(session, plan);
    const diff = this.preview(plan, before, dry.results.map((r) => r.object));
    // Who owns what this changes (a GitOps controller reverts it), said where the user decides: in the
    // summary every confirmation shows, for every action.
    const ownership = await ownershipNotices(session.client, plan, before);
    if (ownership.length) plan = { ...plan, summary: `${plan.summary}\n${ownership.map((l) => `⚠ ${l}`).join('\n')}` };
    const preview = ownership.length ? `${ownership.map((l) => `⚠ ${l}`).join('\n')}\n${diff}` : diff;
    const where = contextSuffix(session.contextName, this.controller.contexts().length);
    this.output.info(`[dry-run] ${plan.title}${where}\n${plan.summary}\n${diff}`);
    if (args.dryRunOnly) return { ok: true, message: `Dry-run of "${plan.title}" passed.`, preview, ...(ownership.length ? { ownership } : {}) };
    if (!(await this.confirm(session, plan, preview, args, ownership))) return CANCELLED;
    if (where) this.output.info(`[send] to context ${session.contextName} (${session.client.server})`);
    for (const x of plan.writes) this.output.info(`[send] PATCH ${x.resource}/${x.name}${x.subresource ? '/' + x.subresource : ''} (${x.patchType}) ${JSON.stringify(x.patch)}`);
    for (const c of plan.calls ?? []) this.output.info(`[send] POST ${loadKubeActions().proxyPath(c)} ${JSON.stringify(c.body)}`);
    // Panels of this workload hear of it, whichever entry point sent it (their activity line is then stale).
    if (w) this.controller.actionSent({ context: session.contextName, workloadId: w.id, title: plan.title, origin: args.origin });
    try {
      const result = await runPlan(session.client, plan, { dryRun: false });
      for (const r of result.results) this.output.info(`[ok] ${r.write.resource}/${r.write.name} resourceVersion ${r.object?.metadata?.resourceVersion}`);
      // What follows the write (a switch waits for the EndpointSlices) shows progress and can be cancelled.
      const extra = after
        ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Switchyard: ${plan.title}`, cancellable: true }, (progress, token) => {
            progress.report({ message: `API confirmed in ${Math.round(result.durationMs)} ms; waiting for the cluster to follow…` });
            return after(result.durationMs, token);
          })
        : {};
      return { ok: true, message: `${plan.title}: done in ${Math.round(result.durationMs)} ms${extra.message ? `; ${extra.message}` : ''}.`, apiMs: result.durationMs, preview, ...extra, ...(extra.message ? { message: `${plan.title}: API confirmed in ${Math.round(result.durationMs)} ms; ${extra.message}.` } : {}) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.output.error(`[failed] ${plan.title}: ${message}`);
      if (loadKubeActions().isConflict(e)) return { ok: false, message: `${plan.title}: the object changed after Switchyard read it (another writer). Nothing was changed; check the new state and try again.` };
      return { ok: false, message: `${plan.title} failed: ${message}` };
    }
  }

  /** The objects the plan writes, read fresh (undefined for a delete): the diff's "before" and who owns their fields. */
  private async readBefore(session: ClusterSession, plan: ActionPlan): Promise<(any | undefined)[]> {
    return Promise.all(plan.writes.map((w) => (w.verb === 'delete' ? undefined : this.get<any>(session, loadKubeActions().objectPath(w)))));
  }

  private preview(plan: ActionPlan, before: any[], after: any[]): string {
    const { toYaml, unifiedDiff, proxyPath } = loadKubeActions();
    const parts: string[] = [];
    for (let i = 0; i < plan.writes.length; i++) {
      const w = plan.writes[i];
      if (w.verb === 'delete') {
        parts.push(`--- ${w.resource}/${w.name}\n  (deleted; the server's dry-run accepted it)`);
        continue;
      }
      const strip = (o: any) => ({ metadata: { labels: o?.metadata?.labels, annotations: o?.metadata?.annotations }, spec: o?.spec, ...(w.subresource === 'status' ? { status: o?.status } : {}) });
      const diff = unifiedDiff(toYaml(strip(before[i])), toYaml(strip(after[i])));
      parts.push(`--- ${w.resource}/${w.name}${w.subresource ? '/' + w.subresource : ''}\n${diff || '  (no change)'}`);
    }
    for (const c of plan.calls ?? []) parts.push(`--- POST ${proxyPath(c)} (${c.what}; not dry-run: sent as is)\n  ${JSON.stringify(c.body)}`);
    return parts.join('\n');
  }

  /** Asks before `plan` is sent through `session`: the protected-context rule is that session's context's, whichever context is primary. */
  async confirm(session: ClusterSession, plan: ActionPlan, preview: string, args: ActionArgs, ownership: readonly string[] = []): Promise<boolean> {
    // Beside other contexts, every confirmation names the one it writes to.
    const where = contextSuffix(session.contextName, this.controller.contexts().length);
    if (where) plan = { ...plan, title: `${plan.title}${where}` };
    if (isProtectedContext(this.controller.settings.protectedContexts, session.contextName)) {
      if (args.confirmContext !== undefined) {
        if (args.confirmContext !== session.contextName) throw new Error(`"${args.confirmContext}" is not the context name: nothing was changed.`);
        return true;
      }
      const typed = await vscode.window.showInputBox({ title: `${plan.title} on protected context "${session.contextName}"`, prompt: `${plan.summary} Type the context name to confirm.`, placeHolder: session.contextName, ignoreFocusOut: true });
      if (typed === undefined) return false;
      if (typed !== session.contextName) throw new Error('The typed name does not match the context: nothing was changed.');
      return true;
    }
    if (args.confirm) return true;
    this.output.show(true);
    if (plan.movesTraffic) {
      // A modal makes its first button the default, so Enter would move production traffic. Here the
      // default (first, active) choice is Cancel: applying takes picking the action itself.
      const apply = await vscode.window.showQuickPick(
        [
          { label: '$(close) Cancel', description: 'nothing is sent', apply: false },
          { label: `$(warning) ${plan.title}`, description: 'moves production traffic now', detail: plan.summary, apply: true },
          // A quick pick's detail is one line: each managed field gets its own (picking it cancels).
          ...ownership.map((line) => ({ label: `$(sync) ${line}`, description: 'nothing is sent', apply: false })),
        ],
        { title: `${plan.title}?`, placeHolder: 'Enter cancels: pick the action to apply it. The server-side dry-run diff is in the Switchyard output.', ignoreFocusOut: true },
      );
      return apply?.apply === true;
    }
    const go = await vscode.window.showWarningMessage(plan.title, { modal: true, detail: `${plan.summary}\n\nThe server-side dry-run preview is in the Switchyard output.\n\n${preview.split('\n').slice(0, 20).join('\n')}` }, 'Apply');
    return go === 'Apply';
  }

  /** The revision to go back to: the last fully available first and marked, with ages. */
  private async pickRevision(w: WorkloadView, title: string): Promise<number | undefined> {
    const choices = rollbackChoices(w, Date.now());
    if (!choices.length) throw new Error(`${w.name} has no other revision to go back to.`);
    return pickValue(choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.revision })), { title });
  }

  // ---- actions ------------------------------------------------------------------------------

  async switchTraffic(args: ActionArgs & { node?: TreeNode }, back: boolean): Promise<ActionOutcome> {
    const found = await this.resolve(this.session(targetContext(args)), args, (x) => x.kind === 'BlueGreen', 'blue/green pair', back ? 'switchBack' : 'switchTraffic');
    if (!found) return CANCELLED;
    const { s, w } = found;
    const { planBlueGreenSwitch, planSwitchBack } = loadKubeActions();
    const service = await this.get<Service>(s, s.path('services', w.namespace, w.blueGreen!.service));
    let target = args.target;
    if (!back && !target) {
      const others = w.blueGreen!.colours.filter((c) => c.colour !== w.blueGreen!.live);
      target = others.length === 1 ? others[0].colour : (await vscode.window.showQuickPick(others.map((c) => c.colour), { title: 'Switch traffic to' }));
      if (!target) return CANCELLED;
    }
    const engines = await this.engines(s, w.namespace);
    const plan = back ? planSwitchBack(service, w, { force: args.force, engines }) : planBlueGreenSwitch(service, w, target!, { force: args.force, engines });
    const colour = back ? JSON.parse(service.metadata.annotations?.[Annotations.PreviousSelector] ?? '{}')[w.blueGreen!.selectorKey] : target!;
    return this.execute(s, w, plan, args, async (_apiMs, token) => {
      const started = performance.now();
      const session = s;
      await session.watchNamespace(w.namespace, ACTIONS_OWNER);
      const onlyTarget = () => {
        const now = session.workloads(w.namespace).find((x) => x.id === w.id || x.name === w.name);
        return now?.blueGreen?.endpointsColours.length === 1 && now.blueGreen.endpointsColours[0] === colour;
      };
      const confirmed = await session.waitFor(w.namespace, onlyTarget, 30_000, abortSignalOf(token));
      const endpointsMs = performance.now() - started;
      if (confirmed === 'cancelled') return { message: `the selector now names ${colour}; you stopped waiting for the EndpointSlices of "${w.name}" after ${Math.round(endpointsMs)} ms` };
      return confirmed === 'met'
        ? { endpointsMs, message: `the EndpointSlices of "${w.name}" hold only ${colour} pods after ${Math.round(endpointsMs)} ms more` }
        : { message: `the EndpointSlices of "${w.name}" did not show only ${colour} pods within 30 s: check the pods' readiness` };
    });
  }

  async rollbackDeployment(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const found = await this.resolve(this.session(targetContext(args)), args, (x) => x.kind === 'Deployment', 'Deployment', 'rollbackDeployment');
    if (!found) return CANCELLED;
    const { s, w } = found;
    const node = args.node;
    let revision = args.revision ?? (node?.type === 'revision' ? w.revisions.find((r) => r.replicaSet === node.replicaSet)?.revision : undefined);
    if (revision === undefined && !args.confirm) {
      revision = await this.pickRevision(w, `Roll back ${w.name} to`);
      if (revision === undefined) return CANCELLED;
    }
    const { planDeploymentRollback } = loadKubeActions();
    const deployment = await this.get<Deployment>(s, s.path('deployments', w.namespace, w.name));
    const replicaSets = (await this.get<{ items: ReplicaSet[] }>(s, s.path('replicaSets', w.namespace))).items;
    return this.execute(s, w, planDeploymentRollback(deployment, replicaSets, revision, await this.engines(s, w.namespace)), args);
  }

  async deploymentSimple(args: ActionArgs & { node?: TreeNode }, action: 'pause' | 'resume' | 'restart' | 'scale'): Promise<ActionOutcome> {
    const found = await this.resolve(this.session(targetContext(args)), args, (x) => x.kind === 'Deployment', 'Deployment');
    if (!found) return CANCELLED;
    const { s, w } = found;
    const m = loadKubeActions();
    const d = await this.get<Deployment>(s, s.path('deployments', w.namespace, w.name));
    const engines = await this.engines(s, w.namespace);
    if (action === 'scale') {
      const replicas = args.replicas ?? Number(await vscode.window.showInputBox({ title: `Scale ${w.name}`, value: String(d.spec?.replicas ?? 1), validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'A whole number.') }));
      if (!Number.isInteger(replicas)) return CANCELLED;
      return this.execute(s, w, m.planDeploymentScale(d, replicas, engines), args);
    }
    const plan = action === 'restart' ? m.planDeploymentRestart(d, new Date(), engines) : m.planDeploymentPause(d, action === 'pause', engines);
    return this.execute(s, w, plan, args);
  }

  async replicaCanary(args: ActionArgs & { node?: TreeNode }, action: 'share' | 'promote' | 'abort'): Promise<ActionOutcome> {
    const found = await this.resolve(this.session(targetContext(args)), args, (x) => x.kind === 'ReplicaCanary', 'replica-ratio canary', action === 'share' ? 'setCanaryShare' : undefined);
    if (!found) return CANCELLED;
    const { s, w } = found;
    const m = loadKubeActions();
    const [canaryName, stableName] = w.members;
    const canary = await this.get<Deployment>(s, s.path('deployments', w.namespace, canaryName));
    const stable = await this.get<Deployment>(s, s.path('deployments', w.namespace, stableName));
    const engines = await this.engines(s, w.namespace);
    if (action === 'promote') return this.execute(s, w, m.planCanaryPromote(stable, canary, { view: w, force: args.force, engines }), args);
    if (action === 'abort') return this.execute(s, w, m.planCanaryAbort(canary, stable, engines), args);
    const percent = args.percent ?? Number(await vscode.window.showInputBox({ title: `Canary share of ${w.name}`, prompt: 'Percent of traffic for the canary', value: String(w.canary?.requestedShare ?? 10), validateInput: (v) => (Number(v) > 0 && Number(v) < 100 ? undefined : 'Above 0 and below 100.') }));
    if (!(percent > 0)) return CANCELLED;
    return this.execute(s, w, m.planCanaryShare(stable, canary, percent, engines), args);
  }

  /** The Canary of a Canary workload, read fresh (its name: the view's raw Canary, else the workload's). */
  private async flaggerCanary(args: ActionArgs & { node?: TreeNode }): Promise<{ s: ClusterSession; w: WorkloadView; c: FlaggerCanary } | undefined> {
    const found = await this.resolve(this.session(targetContext(args)), args, (x) => x.kind === 'Canary', 'Flagger Canary');
    if (!found) return undefined;
    const { s, w } = found;
    return { s, w, c: await this.get<FlaggerCanary>(s, canariesPath(w.namespace, w.flagger?.canary.metadata.name ?? w.name)) };
  }

  async canary(args: ActionArgs & { node?: TreeNode }, action: CanaryAction): Promise<ActionOutcome> {
    const found = await this.flaggerCanary(args);
    if (!found) return CANCELLED;
    const { s, w, c } = found;
    const ref = c.spec?.targetRef;
    const target = action === 'retry' && ref && (ref.kind ?? 'Deployment') === 'Deployment' ? await this.get<Deployment>(s, s.path('deployments', w.namespace, ref.name)) : undefined;
    return this.execute(s, w, loadKubeActions().planCanaryAction(c, action, { now: new Date(), target, force: args.force }), args);
  }

  /** Approve / halt / open or close rollback: the Canary's gate webhooks, their load testers found, the gate API through the service proxy. */
  async gate(args: ActionArgs & { node?: TreeNode }, action: GateAction): Promise<ActionOutcome> {
    const found = await this.flaggerCanary(args);
    if (!found) return CANCELLED;
    const { s, w, c } = found;
    const m = loadKubeActions();
    const kind = action === 'approve' || action === 'halt' ? 'confirm' : 'rollback';
    const { hooks, problems } = m.gateHooks(c, kind);
    if (!hooks.length) return { ok: false, message: m.noGateMessage(c, kind, problems) };
    const gates = await m.resolveGates(s.client, w.namespace, hooks);
    return this.execute(s, w, m.planGate(c, action, gates, { force: args.force }), args);
  }

  async rollout(args: ActionArgs & { node?: TreeNode }, action: RolloutAction): Promise<ActionOutcome> {
    const target = this.session(targetContext(args));
    const noArgo = { ok: false, message: 'Argo Rollouts is not installed in this cluster (no argoproj.io CRDs): there is no Rollout to act on.' };
    if ((await target.checkArgo()) !== 'installed') return noArgo;
    const found = await this.resolve(target, args, (x) => x.kind === 'Rollout', 'Argo Rollout');
    if (!found) return CANCELLED;
    const { s, w } = found;
    // Picked in another context than the one checked: that one's Argo is asked too.
    if (s !== target && (await s.checkArgo()) !== 'installed') return noArgo;
    const r = await this.get<Rollout>(s, s.path('rollouts', w.namespace, w.name));
    return this.execute(s, w, loadKubeActions().planRolloutAction(r, action, new Date(), { view: w, force: args.force }), args);
  }

  /**
   * Gives a workload's objects the values of their workspace manifests where they drifted: each
   * object read fresh and compared again (the drift seen may be stale), one plan for all of them.
   */
  async manifestValues(w: WorkloadView, drift: WorkloadDrift, args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const s = this.session(targetContext(args));
    const m = loadKubeActions();
    const plans: ActionPlan[] = [];
    for (const o of drift.objects) {
      const live = await this.get<Deployment | Rollout | Service>(s, s.path(o.resource, w.namespace, o.name));
      plans.push(m.planManifestValues(live, o.resource, o.manifest.file, m.driftOf(live, o.kind, o.manifest.value)));
    }
    const writes = plans.flatMap((p) => p.writes);
    const files = [...new Set(drift.objects.map((o) => o.manifest.file))].join(', ');
    const plan: ActionPlan = writes.length
      ? { title: `Apply ${files} to "${w.name}"`, summary: plans.filter((p) => p.writes.length).map((p) => p.summary).join(' '), writes, ...(plans.some((p) => p.movesTraffic) ? { movesTraffic: true as const } : {}) }
      : { title: `Apply ${files} to "${w.name}"`, summary: '', writes: [], noop: `"${w.name}" already has the values of ${files}.` };
    return this.execute(s, w, plan, args);
  }

  /** Deletes one pod (its workload's panels hear of it), read fresh, with the rules of every action. */
  async deletePod(ref: { namespace: string; name: string }, w: WorkloadView | undefined, args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const s = this.session(targetContext(args));
    const pod = await this.get<Pod>(s, s.path('pods', ref.namespace, ref.name));
    return this.execute(s, w, loadKubeActions().planPodDelete(pod), args);
  }

  async undoRollout(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const target = this.session(targetContext(args));
    const noArgo = { ok: false, message: 'Argo Rollouts is not installed in this cluster (no argoproj.io CRDs): there is no Rollout to act on.' };
    if ((await target.checkArgo()) !== 'installed') return noArgo;
    const found = await this.resolve(target, args, (x) => x.kind === 'Rollout', 'Argo Rollout', 'undoRollout');
    if (!found) return CANCELLED;
    const { s, w } = found;
    // Picked in another context than the one checked: that one's Argo is asked too.
    if (s !== target && (await s.checkArgo()) !== 'installed') return noArgo;
    const node = args.node;
    let revision = args.revision ?? (node?.type === 'revision' ? w.revisions.find((r) => r.replicaSet === node.replicaSet)?.revision : undefined);
    if (revision === undefined && !args.confirm) {
      revision = await this.pickRevision(w, `Undo ${w.name} to`);
      if (revision === undefined) return CANCELLED;
    }
    const r = await this.get<Rollout>(s, s.path('rollouts', w.namespace, w.name));
    const replicaSets = (await this.get<{ items: ReplicaSet[] }>(s, s.path('replicaSets', w.namespace))).items;
    return this.execute(s, w, loadKubeActions().planRolloutUndo(r, replicaSets, revision), args);
  }
}
/** Flagger's Canaries (flagger.app/v1beta1): read fresh by the actions, not watched by them. */
function canariesPath(namespace: string, name?: string): string {
  return `/apis/flagger.app/v1beta1/namespaces/${encodeURIComponent(namespace)}/canaries${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export function loadKubeActions() {
  return loadKube().actions;
}
