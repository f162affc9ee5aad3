// Act from the editor: every action reads the objects fresh, plans the patch (pure), checks access,
// previews a server-side dry-run, asks (typing the context name on protected contexts), sends with a
// resourceVersion precondition, and logs what it sent and what came back.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { ACTIONS, READ_ONLY_CONTEXT_KEY, type ActionId } from '../../domain/actions/catalogue';
import type { ActionPlan, RolloutAction } from '../../domain/actions/plans';
import { Annotations } from '../../domain/release/vocabulary';
import type { Deployment, ReplicaSet, Rollout, Service } from '../../domain/model/objects';
import type { WorkloadView } from '../../domain/model/workloads';
import type { ClusterSession } from '../../kube/session';
import type { ClusterController } from '../session/controller';
import type { TreeNode, RolloutTreeProvider } from '../tree/provider';
import { loadAuthoring, loadKube } from '../lazy';
import { notify } from '../lifecycle';
import { globMatch } from './glob';
import { registerActionLenses } from './codelens';

/** Arguments every action accepts, so tests and other extensions can run it without prompts. */
export interface ActionArgs {
  namespace?: string;
  /** Workload name as the tree shows it (Service name for pairs and replica canaries). */
  name?: string;
  /** Skip the confirmation (not the protected-context check, which needs `confirmContext`). */
  confirm?: boolean;
  /** The context name, typed to confirm on a protected context. */
  confirmContext?: string;
  force?: boolean;
  /** Only run the dry-run and return the preview. */
  dryRunOnly?: boolean;
  target?: string;
  revision?: number;
  replicas?: number;
  percent?: number;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  preview?: string;
  apiMs?: number;
  endpointsMs?: number;
  noop?: boolean;
}

type Arg = ActionArgs | TreeNode | undefined;

/** Watches an action starts for itself end with it. */
const ACTIONS_OWNER = 'actions';

export function registerActions(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider): void {
  const output = controller.log;
  const applyDiagnostics = vscode.languages.createDiagnosticCollection('switchyard-apply');
  const runner = new ActionRunner(controller, tree, output, applyDiagnostics);
  registerActionLenses(context, controller);
  const syncReadOnly = () => void vscode.commands.executeCommand('setContext', READ_ONLY_CONTEXT_KEY, controller.settings.readOnly);
  syncReadOnly();
  const register = (id: string, fn: (args: ActionArgs & { node?: TreeNode }) => Promise<ActionOutcome>) =>
    vscode.commands.registerCommand(id, async (arg?: Arg) => {
      const args: ActionArgs & { node?: TreeNode } = isTreeNode(arg) ? { node: arg } : { ...(arg ?? {}) };
      try {
        const outcome = await fn(args).finally(() => controller.peek()?.release(ACTIONS_OWNER));
        if (!outcome.ok && outcome.message) void notify.warn(outcome.message);
        else if (outcome.ok && outcome.message && !args.confirm) void notify.info(outcome.message);
        return outcome;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        output.error(message);
        // No cluster or read-only mode is a state to explain, not a failure.
        if (e instanceof ActionUnavailable) void notify.warn(message);
        else void notify.error(message);
        return { ok: false, message };
      }
    });
  // One handler per writing action of the catalogue (the Record makes a missing one a type error).
  const handlers: Record<Exclude<ActionId, 'openDetails'>, (a: ActionArgs & { node?: TreeNode }) => Promise<ActionOutcome>> = {
    switchTraffic: (a) => runner.switchTraffic(a, false),
    switchBack: (a) => runner.switchTraffic(a, true),
    rollbackDeployment: (a) => runner.rollbackDeployment(a),
    pauseDeployment: (a) => runner.deploymentSimple(a, 'pause'),
    resumeDeployment: (a) => runner.deploymentSimple(a, 'resume'),
    restartDeployment: (a) => runner.deploymentSimple(a, 'restart'),
    scaleDeployment: (a) => runner.deploymentSimple(a, 'scale'),
    setCanaryShare: (a) => runner.replicaCanary(a, 'share'),
    promoteCanary: (a) => runner.replicaCanary(a, 'promote'),
    abortCanary: (a) => runner.replicaCanary(a, 'abort'),
    promoteRollout: (a) => runner.rollout(a, 'promote'),
    promoteFullRollout: (a) => runner.rollout(a, 'promoteFull'),
    abortRollout: (a) => runner.rollout(a, 'abort'),
    retryRollout: (a) => runner.rollout(a, 'retry'),
    undoRollout: (a) => runner.undoRollout(a),
    restartRollout: (a) => runner.rollout(a, 'restart'),
    pauseRollout: (a) => runner.rollout(a, 'pause'),
    resumeRollout: (a) => runner.rollout(a, 'resume'),
  };
  context.subscriptions.push(
    applyDiagnostics,
    vscode.workspace.onDidChangeTextDocument((e) => applyDiagnostics.delete(e.document.uri)),
    register(Commands.ApplyManifest, (a) => runner.apply(a)),
    controller.settings.onDidChange((changed) => changed.has('readOnly') && syncReadOnly()),
    ...ACTIONS.filter((a) => a.id !== 'openDetails').map((a) => register(a.command, handlers[a.id as keyof typeof handlers])),
  );
}

/** The action cannot run in this state (no cluster, read-only mode): said as a warning. */
class ActionUnavailable extends Error {}

/** A VS Code cancellation as the AbortSignal the cluster layer takes. */
function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function isTreeNode(arg: Arg): arg is TreeNode {
  return !!arg && typeof arg === 'object' && 'type' in arg && 'id' in arg;
}

class ActionRunner {
  constructor(
    private readonly controller: ClusterController,
    private readonly tree: RolloutTreeProvider,
    private readonly output: vscode.LogOutputChannel,
    private readonly applyDiagnostics: vscode.DiagnosticCollection,
  ) {}

  private session(): ClusterSession {
    const session = this.controller.current();
    if (!session) throw new ActionUnavailable(this.controller.sessionProblem?.message ?? 'No cluster is configured.');
    if (this.controller.settings.readOnly) throw new ActionUnavailable('Read-only mode is on (switchyard.readOnly): actions that change the cluster are off.');
    return session;
  }

  /** The workload the action is about: the tree node, the named one, or one the user picks. */
  private async resolve(args: ActionArgs & { node?: TreeNode }, accepts: (w: WorkloadView) => boolean, what: string): Promise<WorkloadView | undefined> {
    const session = this.session();
    if (args.node) {
      const w = this.tree.workloadOf(args.node);
      if (w && accepts(w)) return w;
      throw new Error(`This node is not ${what}.`);
    }
    const namespaces = args.namespace ? [args.namespace] : session.watchedNamespaces().length ? session.watchedNamespaces() : [session.client.contextNamespace];
    const candidates: WorkloadView[] = [];
    for (const ns of namespaces) {
      await session.watchNamespace(ns, ACTIONS_OWNER);
      await session.whenSynced(ns);
      candidates.push(...session.workloads(ns).filter(accepts));
    }
    if (args.name) {
      const found = candidates.find((w) => w.name === args.name);
      if (!found) throw new Error(`No ${what} named "${args.name}" in ${namespaces.join(', ')}.`);
      return found;
    }
    if (!candidates.length) throw new Error(`No ${what} in ${namespaces.join(', ')}.`);
    if (candidates.length === 1 && args.confirm) return candidates[0];
    const pick = await vscode.window.showQuickPick(
      candidates.map((w) => ({ label: w.name, description: `${w.namespace} · ${w.description}`, w })),
      { title: `Switchyard: which ${what}?` },
    );
    return pick?.w;
  }

  private get<T>(path: string): Promise<T> {
    return this.session().client.request<T>(path);
  }

  private path(key: 'deployments' | 'services' | 'rollouts' | 'replicaSets', ns: string, name?: string): string {
    return this.session().path(key, ns, name);
  }

  /** Access review, dry-run preview, confirmation, then the real writes. */
  private async execute(plan: ActionPlan, args: ActionArgs, after?: (apiMs: number, token: vscode.CancellationToken) => Promise<Partial<ActionOutcome>>): Promise<ActionOutcome> {
    const session = this.session();
    if (plan.noop) return { ok: true, noop: true, message: plan.noop };
    const { runPlan, reviewAccess } = loadKubeActions();
    const denied = (await reviewAccess(session.client, plan)).filter((d) => !d.allowed);
    if (denied.length) {
      const d = denied[0];
      return { ok: false, message: `Not allowed: you may not ${d.write.verb} ${d.write.resource}${d.write.subresource ? '/' + d.write.subresource : ''} "${d.write.name}" in namespace "${d.write.namespace}"${d.reason ? ` (${d.reason})` : ''}. Nothing was changed.` };
    }
    const dry = await runPlan(session.client, plan, { dryRun: true });
    const preview = await this.preview(plan, dry.results.map((r) => r.object));
    this.output.info(`[dry-run] ${plan.title}\n${plan.summary}\n${preview}`);
    if (args.dryRunOnly) return { ok: true, message: `Dry-run of "${plan.title}" passed.`, preview };
    if (!(await this.confirm(plan, preview, args))) return { ok: false, message: '' };
    for (const w of plan.writes) this.output.info(`[send] PATCH ${w.resource}/${w.name}${w.subresource ? '/' + w.subresource : ''} (${w.patchType}) ${JSON.stringify(w.patch)}`);
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
      if ((e as { kind?: string }).kind === 'conflict') return { ok: false, message: `${plan.title}: the object changed after Switchyard read it (another writer). Nothing was changed; check the new state and try again.` };
      return { ok: false, message: `${plan.title} failed: ${message}` };
    }
  }

  private async preview(plan: ActionPlan, after: any[]): Promise<string> {
    const { toYaml, unifiedDiff } = loadKubeActions();
    const parts: string[] = [];
    for (let i = 0; i < plan.writes.length; i++) {
      const w = plan.writes[i];
      const before = await this.get<any>(this.path(w.resource, w.namespace, w.name));
      const strip = (o: any) => ({ metadata: { labels: o?.metadata?.labels, annotations: o?.metadata?.annotations }, spec: o?.spec, ...(w.subresource === 'status' ? { status: o?.status } : {}) });
      const diff = unifiedDiff(toYaml(strip(before)), toYaml(strip(after[i])));
      parts.push(`--- ${w.resource}/${w.name}${w.subresource ? '/' + w.subresource : ''}\n${diff || '  (no change)'}`);
    }
    return parts.join('\n');
  }

  private async confirm(plan: ActionPlan, preview: string, args: ActionArgs): Promise<boolean> {
    const session = this.session();
    const patterns = this.controller.settings.protectedContexts;
    const isProtected = patterns.some((p) => globMatch(p, session.contextName));
    if (isProtected) {
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
    const go = await vscode.window.showWarningMessage(plan.title, { modal: true, detail: `${plan.summary}\n\nThe server-side dry-run preview is in the Switchyard output.\n\n${preview.split('\n').slice(0, 20).join('\n')}` }, 'Apply');
    return go === 'Apply';
  }

  // ---- actions ------------------------------------------------------------------------------

  async switchTraffic(args: ActionArgs & { node?: TreeNode }, back: boolean): Promise<ActionOutcome> {
    const w = await this.resolve(args, (x) => x.kind === 'BlueGreen', 'blue/green pair');
    if (!w) return { ok: false, message: '' };
    const { planBlueGreenSwitch, planSwitchBack } = loadKubeActions();
    const service = await this.get<Service>(this.path('services', w.namespace, w.blueGreen!.service));
    let target = args.target;
    if (!back && !target) {
      const others = w.blueGreen!.colours.filter((c) => c.colour !== w.blueGreen!.live);
      target = others.length === 1 ? others[0].colour : (await vscode.window.showQuickPick(others.map((c) => c.colour), { title: 'Switch traffic to' }));
      if (!target) return { ok: false, message: '' };
    }
    const plan = back ? planSwitchBack(service, w, { force: args.force }) : planBlueGreenSwitch(service, w, target!, { force: args.force });
    const colour = back ? JSON.parse(service.metadata.annotations?.[Annotations.PreviousSelector] ?? '{}')[w.blueGreen!.selectorKey] : target!;
    return this.execute(plan, args, async (_apiMs, token) => {
      const started = performance.now();
      const session = this.session();
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
    const w = await this.resolve(args, (x) => x.kind === 'Deployment', 'Deployment');
    if (!w) return { ok: false, message: '' };
    const node = args.node;
    let revision = args.revision ?? (node?.type === 'revision' ? w.revisions.find((r) => r.replicaSet === node.replicaSet)?.revision : undefined);
    if (revision === undefined && !args.confirm) {
      const pick = await vscode.window.showQuickPick(
        w.revisions.slice(1).map((r) => ({ label: `revision ${r.revision}`, description: r.images.join(', '), detail: `${r.changeCause ?? 'no change-cause'} · created ${r.createdAt ?? '?'}`, revision: r.revision })),
        { title: `Roll back ${w.name} to` },
      );
      if (!pick) return { ok: false, message: '' };
      revision = pick.revision;
    }
    const { planDeploymentRollback } = loadKubeActions();
    const deployment = await this.get<Deployment>(this.path('deployments', w.namespace, w.name));
    const replicaSets = (await this.get<{ items: ReplicaSet[] }>(this.path('replicaSets', w.namespace))).items;
    return this.execute(planDeploymentRollback(deployment, replicaSets, revision), args);
  }

  async deploymentSimple(args: ActionArgs & { node?: TreeNode }, action: 'pause' | 'resume' | 'restart' | 'scale'): Promise<ActionOutcome> {
    const w = await this.resolve(args, (x) => x.kind === 'Deployment', 'Deployment');
    if (!w) return { ok: false, message: '' };
    const m = loadKubeActions();
    const d = await this.get<Deployment>(this.path('deployments', w.namespace, w.name));
    if (action === 'scale') {
      const replicas = args.replicas ?? Number(await vscode.window.showInputBox({ title: `Scale ${w.name}`, value: String(d.spec?.replicas ?? 1), validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'A whole number.') }));
      if (!Number.isInteger(replicas)) return { ok: false, message: '' };
      return this.execute(m.planDeploymentScale(d, replicas), args);
    }
    const plan = action === 'restart' ? m.planDeploymentRestart(d, new Date()) : m.planDeploymentPause(d, action === 'pause');
    return this.execute(plan, args);
  }

  async replicaCanary(args: ActionArgs & { node?: TreeNode }, action: 'share' | 'promote' | 'abort'): Promise<ActionOutcome> {
    const w = await this.resolve(args, (x) => x.kind === 'ReplicaCanary', 'replica-ratio canary');
    if (!w) return { ok: false, message: '' };
    const m = loadKubeActions();
    const [canaryName, stableName] = w.members;
    const canary = await this.get<Deployment>(this.path('deployments', w.namespace, canaryName));
    const stable = await this.get<Deployment>(this.path('deployments', w.namespace, stableName));
    if (action === 'promote') return this.execute(m.planCanaryPromote(stable, canary), args);
    if (action === 'abort') return this.execute(m.planCanaryAbort(canary, stable), args);
    const percent = args.percent ?? Number(await vscode.window.showInputBox({ title: `Canary share of ${w.name}`, prompt: 'Percent of traffic for the canary', value: String(w.canary?.requestedShare ?? 10), validateInput: (v) => (Number(v) > 0 && Number(v) < 100 ? undefined : 'Above 0 and below 100.') }));
    if (!(percent > 0)) return { ok: false, message: '' };
    return this.execute(m.planCanaryShare(stable, canary, percent), args);
  }

  async rollout(args: ActionArgs & { node?: TreeNode }, action: RolloutAction): Promise<ActionOutcome> {
    const session = this.session();
    if ((await session.checkArgo()) !== 'installed') return { ok: false, message: 'Argo Rollouts is not installed in this cluster (no argoproj.io CRDs): there is no Rollout to act on.' };
    const w = await this.resolve(args, (x) => x.kind === 'Rollout', 'Argo Rollout');
    if (!w) return { ok: false, message: '' };
    const r = await this.get<Rollout>(this.path('rollouts', w.namespace, w.name));
    return this.execute(loadKubeActions().planRolloutAction(r, action, new Date()), args);
  }

  /** Server-side apply of the open manifests: dry-run and diff first; API errors land on the right lines. */
  async apply(args: ActionArgs): Promise<ActionOutcome> {
    const session = this.session();
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'yaml') return { ok: false, message: 'Open a YAML manifest to apply it.' };
    const document = editor.document;
    const { parseYamlFile, rangeForPath } = loadAuthoring();
    const file = parseYamlFile(document.getText());
    if (file.problems.some((p) => p.severity === 'error')) return { ok: false, message: 'The file has YAML errors (see Problems): nothing was applied.' };
    const docs = file.documents.filter((d) => d.apiVersion && d.kind && d.name);
    if (!docs.length) return { ok: false, message: 'No Kubernetes objects (apiVersion, kind, metadata.name) in this file.' };
    let namespace = args.namespace;
    if (!namespace && docs.some((d) => !(d.value as { metadata?: { namespace?: string } }).metadata?.namespace)) {
      const { names } = await session.listNamespaces().catch(() => ({ names: [session.client.contextNamespace] }));
      namespace = args.confirm ? session.client.contextNamespace : (await vscode.window.showQuickPick([session.client.contextNamespace, ...names.filter((n) => n !== session.client.contextNamespace)], { title: 'Apply into which namespace (for objects that name none)?' }));
      if (!namespace) return { ok: false, message: '' };
    }
    const { applyObject, errorFieldPaths, toYaml, unifiedDiff } = loadKubeActions();
    const run = async (dryRun: boolean) => {
      const diagnostics: vscode.Diagnostic[] = [];
      const outcomes = [];
      for (const d of docs) {
        try {
          outcomes.push(await applyObject(session.client, { object: d.value as never, namespace: namespace ?? session.client.contextNamespace }, dryRun));
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          const paths = errorFieldPaths(e);
          const ranges = paths.length ? paths.map((p) => rangeForPath(d, p)) : [rangeForPath(d, ['kind'])];
          for (const r of ranges) {
            const diagnostic = new vscode.Diagnostic(new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), `${d.kind} "${d.name}": ${message}`, vscode.DiagnosticSeverity.Error);
            diagnostic.source = 'switchyard apply';
            diagnostics.push(diagnostic);
          }
        }
      }
      this.applyDiagnostics.set(document.uri, diagnostics);
      return { outcomes, diagnostics };
    };
    const dry = await run(true);
    if (dry.diagnostics.length) return { ok: false, message: `The API server rejected ${dry.diagnostics.length} object(s) in the dry-run: see the Problems view. Nothing was applied.` };
    const strip = (o: any) => (o ? { metadata: { labels: o.metadata?.labels, annotations: o.metadata?.annotations }, spec: o.spec, data: o.data } : {});
    const preview = dry.outcomes.map((o) => `--- ${o.target.object.kind}/${o.target.object.metadata.name}${o.before ? '' : ' (new)'}\n${unifiedDiff(toYaml(strip(o.before)), toYaml(strip(o.after))) || '  (no change)'}`).join('\n');
    this.output.info(`[dry-run] apply ${vscode.workspace.asRelativePath(document.uri)}\n${preview}`);
    const plan = { title: `Apply ${docs.length} object(s) from ${vscode.workspace.asRelativePath(document.uri)}`, summary: `Server-side apply (field manager "switchyard") into context "${session.contextName}"${namespace ? `, namespace "${namespace}"` : ''}.`, writes: [] };
    if (args.dryRunOnly) return { ok: true, message: 'Dry-run passed.', preview };
    if (!(await this.confirm(plan, preview, args))) return { ok: false, message: '' };
    const started = performance.now();
    const real = await run(false);
    if (real.diagnostics.length) return { ok: false, message: `${real.diagnostics.length} object(s) failed to apply: see the Problems view.`, preview };
    for (const o of real.outcomes) this.output.info(`[ok] applied ${o.target.object.kind}/${o.target.object.metadata.name} resourceVersion ${o.after?.metadata?.resourceVersion}`);
    return { ok: true, message: `${plan.title}: done in ${Math.round(performance.now() - started)} ms.`, preview, apiMs: performance.now() - started };
  }

  async undoRollout(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const session = this.session();
    if ((await session.checkArgo()) !== 'installed') return { ok: false, message: 'Argo Rollouts is not installed in this cluster (no argoproj.io CRDs): there is no Rollout to act on.' };
    const w = await this.resolve(args, (x) => x.kind === 'Rollout', 'Argo Rollout');
    if (!w) return { ok: false, message: '' };
    const node = args.node;
    const revision = args.revision ?? (node?.type === 'revision' ? w.revisions.find((r) => r.replicaSet === node.replicaSet)?.revision : undefined);
    const r = await this.get<Rollout>(this.path('rollouts', w.namespace, w.name));
    const replicaSets = (await this.get<{ items: ReplicaSet[] }>(this.path('replicaSets', w.namespace))).items;
    return this.execute(loadKubeActions().planRolloutUndo(r, replicaSets, revision), args);
  }
}

function loadKubeActions() {
  return loadKube().actions;
}
