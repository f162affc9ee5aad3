// The rollout details panel of one workload: live from the cluster store the tree renders, with a
// history of replica counts kept here while the panel is open, and buttons that run the tree's
// commands.
import * as vscode from 'vscode';
import type { ActionOutcome } from '../actions';
import type { ClusterController } from '../session/controller';
import { DisposableOwner, notify } from '../lifecycle';
import { disconnectedText } from '../../domain/model/age';
import { isOffered, revisionAction, workloadActions } from '../../domain/actions/catalogue';
import { addSample, findWorkload, followActivity, panelEvents, rollingPlan, sampleOf, type TrackedActivity } from '../../domain/panels/rollout';
import { loadKube } from '../lazy';
import type { WorkloadDrift } from '../../domain/manifests/drift';
import type { PanelAction, PanelActivity, PanelEvents, ReplicaSample, RolloutPanelState, RolloutTarget } from '../../domain/panels/state';
import type { WorkloadView } from '../../domain/model/workloads';
import { commandFor } from './actions';
import { StateChannel } from './channel';
import { parseRolloutMessage, ViewType, type RolloutFromWebview, type RolloutPersisted } from '../../domain/panels/protocol';
import { PANEL_OPTIONS, loadWebview } from './webview';
import { PanelSignals } from './signals';
import { PanelLogReader } from './logs';
import { Commands } from '../../commands';
import { inContext, refKey, refOf } from '../../domain/model/contexts';
import type { GoldenSignals } from '../../domain/metrics/signals';

/**
 * The Rollouts tree stops every watch when it is hidden; while this panel is visible it checks this
 * often that its namespace is still watched, and resumes the watch when it is not.
 */

/** "checkout · shop", and its context after it while the view shows more than one. */
export function panelTitle(target: RolloutTarget, multipleContexts = false): string {
  return `${target.name} · ${target.namespace}${multipleContexts && target.context ? ` · ${target.context}` : ''}`;
}

export class RolloutPanel extends DisposableOwner {
  readonly channel: StateChannel<RolloutPanelState>;
  target: RolloutTarget;
  private samples: ReplicaSample[];
  private tracked: TrackedActivity = {};
  private signature?: string;
  /** Posts the state again when its relative times go stale (a countdown), while the panel is visible. */
  private refresh?: ReturnType<typeof setTimeout>;
  /** This panel's name as a watch owner: its namespace stays watched while it is open. */
  private readonly owner = `panel:${Math.random().toString(36).slice(2)}`;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  private readonly signalsEmitter = new vscode.EventEmitter<{ context: string; namespace: string; workloadId?: string; signals?: GoldenSignals }>();
  /** Each golden-signal result of this panel's workload (undefined once it stops sampling), for the tree's line. */
  readonly onDidChangeSignals = this.signalsEmitter.event;
  /** Golden signals, sampled only while this panel is visible. */
  private readonly signals: PanelSignals;
  /** The Logs section's reads, only while this panel is visible. */
  private readonly logs: PanelLogReader;

  static create(extensionUri: vscode.Uri, controller: ClusterController, target: RolloutTarget): RolloutPanel {
    const panel = vscode.window.createWebviewPanel(ViewType.Rollout, panelTitle(target, controller.multipleContexts), vscode.ViewColumn.Active, PANEL_OPTIONS);
    return new RolloutPanel(panel, extensionUri, controller, { target, samples: [] });
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: ClusterController,
    restored: RolloutPersisted,
  ) {
    super();
    this.samples = restored.samples;
    this.target = restored.target;
    panel.title = panelTitle(this.target, controller.multipleContexts);
    this.channel = new StateChannel(panel.webview, () => this.stateWithRefresh(), 'rollout panel', controller.log);
    // Sampling and logs read through this panel's own context's session.
    const session = { current: () => this.session(), settings: controller.settings, log: controller.log };
    this.signals = new PanelSignals(session, () => this.workload(), (signals) => {
      this.signalsEmitter.fire({ context: this.session()?.contextName ?? this.target.context ?? '', namespace: this.target.namespace, workloadId: this.target.id, signals });
      if (signals) this.channel.update();
    });
    this.logs = new PanelLogReader(session, () => this.channel.update());
    loadWebview(panel, extensionUri, 'rollout');
    // Disposed last registered first: the panel goes after everyone has been told.
    this.register(
      panel,
      this.disposedEmitter,
      { dispose: () => this.disposedEmitter.fire() },
      { dispose: () => this.controller.peekOf(this.target.context)?.release(this.owner) },
      { dispose: () => clearTimeout(this.refresh) },
      this.channel,
      this.signalsEmitter,
      this.signals,
      this.logs,
      controller.settings.onDidChange((changed) => (changed.has('prometheus.url') || changed.has('prometheus.auth') || changed.has('metrics.queries')) && this.signals.restart()),
      controller.onDidChangeWorkloads((change) => change.context === this.session()?.contextName && (change.namespaces.includes(this.target.namespace) || change.events?.includes(this.target.namespace)) && this.changed()),
      controller.onDidChangeSession(() => {
        // Another context added or removed: the title names the context only beside others.
        this.panel.title = panelTitle(this.target, controller.multipleContexts);
        this.watch();
        this.signals.restart();
        this.changed(true);
      }),
      controller.settings.onDidChange((changed) => changed.has('readOnly') && this.changed(true)),
      controller.onDidChangeConnection((connection) => connection.context === this.session()?.contextName && this.changed(true)),
      // An action on this workload from elsewhere (tree, palette, another window's lens): this panel's line is old news.
      controller.onDidSendAction((sent) => sent.context === this.session()?.contextName && sent.workloadId === this.target.id && sent.origin !== this.owner && this.tracked.activity?.state !== 'running' && this.setActivity(undefined)),
      panel.onDidChangeViewState(() => this.onVisibility()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.onVisibility();
    this.changed(true);
  }

  get key(): string {
    return panelKey(this.target);
  }

  /** The session of this panel's context (its target's; the primary one for a target that names none). */
  private session() {
    return this.controller.sessionOf(this.target.context);
  }

  reveal(): void {
    this.panel.reveal();
  }

  private onVisibility(): void {
    // Watch only what is visible: a hidden panel lets go of its namespace and its events (the tree may still hold them).
    if (this.panel.visible) {
      this.watch();
      this.signals.start();
      // Shown again: the log is read afresh (it was let go when hidden), not at the next store change.
      this.logs.update(this.workload());
    } else {
      this.signals.stop();
      this.logs.stop();
      this.controller.peekOf(this.target.context)?.release(this.owner);
      clearTimeout(this.refresh);
      this.channel.onHidden();
    }
  }

  private watch(): void {
    const session = this.session();
    if (!session) return;
    const fresh = !session.isWatching(this.target.namespace);
    session.watchEvents(this.target.namespace, this.owner);
    void session.watchNamespace(this.target.namespace, this.owner).then(() => fresh && this.changed());
  }

  /** The store changed: record a sample and post an update when this panel's workload changed. */
  private changed(force = false): void {
    const session = this.session();
    const w = session ? findWorkload(session.workloads(this.target.namespace), this.target) : undefined;
    if (w) {
      this.signals.firstSample();
      this.target = refOf(w, this.target.context, true);
      this.samples = addSample(this.samples, sampleOf(w, Date.now()));
    }
    if (session?.isSynced(this.target.namespace)) this.tracked = followActivity(this.tracked, w, Date.now());
    if (this.panel.visible) this.logs.update(w);
    const signature = w ? JSON.stringify([w, this.events(w)]) : `${!!session}:${session?.isSynced(this.target.namespace)}`;
    if (!force && signature === this.signature) return;
    this.signature = signature;
    this.channel.update();
  }

  /** The state to post, and a timer to post it again when its countdowns go stale (the next post re-arms it). */
  private stateWithRefresh(): RolloutPanelState {
    const state = this.state();
    clearTimeout(this.refresh);
    // A live state comes from a cluster session: the Kubernetes bundle, where the verdict lives, is loaded.
    const after = this.panel.visible && state.status === 'live' ? loadKube().release.refreshAfterMs(state) : undefined;
    if (after !== undefined) this.refresh = setTimeout(() => this.channel.update(), after);
    return state;
  }

  state(): RolloutPanelState {
    const session = this.session();
    const base = {
      target: this.target,
      samples: this.samples,
      readOnly: this.controller.settings.readOnly,
      activity: this.tracked.activity,
      now: Date.now(),
    };
    if (!session) return { ...base, status: 'noCluster', problem: this.controller.problemOf(this.target.context)?.message ?? 'No Kubernetes cluster is configured.' };
    const { namespace, name } = this.target;
    const context = session.contextName;
    const connection = session.connection();
    if (connection.state === 'disconnected') Object.assign(base, { disconnected: { since: connection.since, problem: connection.problem } });
    const errors = [...(session.state(namespace)?.errors.values() ?? [])].map((e) => e.message);
    if (!session.isSynced(namespace)) return { ...base, context, status: 'loading' };
    const workload = findWorkload(session.workloads(namespace), this.target);
    if (!workload) return { ...base, context, status: 'notFound', problem: errors[0] ?? `No workload "${name}" in namespace ${namespace} of context ${context}.` };
    const drift = this.driftOf?.(context, workload);
    return { ...base, context, status: 'live', workload, rolling: rollingPlan(session.snapshot(namespace), workload), ...(this.panel.visible ? { events: this.events(workload), logs: this.logs.state() } : {}), ...(this.signals.latest ? { metrics: this.signals.latest } : {}), ...(drift ? { drift: drift.lines } : {}) };
  }

  /** The workload's drift from its workspace manifest (the tree's, set when the panel is adopted). */
  driftOf?: (context: string, w: WorkloadView) => WorkloadDrift | undefined;

  private workload() {
    const session = this.session();
    return session ? findWorkload(session.workloads(this.target.namespace), this.target) : undefined;
  }

  /** The Events section while the panel watches them (it is visible); undefined otherwise. */
  private events(w: WorkloadView): PanelEvents | undefined {
    const session = this.session();
    const watch = session?.eventsState(w.namespace);
    if (!session || !watch) return undefined;
    return panelEvents(w, session.events(w.namespace), session.snapshot(w.namespace), { synced: watch.synced, problem: watch.error?.message });
  }

  /** Handles a message of the webview (also the way tests press its buttons). */
  async receive(raw: unknown): Promise<void> {
    const m: RolloutFromWebview | undefined = parseRolloutMessage(raw);
    if (!m || this.channel.receiveCommon(m)) return;
    if (m.type === 'selectPod') {
      this.logs.select(m.pod);
      if (this.panel.visible) this.logs.update(this.workload());
      this.channel.update();
    } else if (m.type === 'followLogs') await this.follow(m.pod, m.container);
    else await this.run(m.action, m.revision);
  }

  /** The Logs section's Follow: the pod row's command, on this panel's pod. */
  private async follow(pod: string, container?: string): Promise<void> {
    const w = this.workload();
    const revision = w?.revisions.find((r) => r.pods.some((p) => p.name === pod));
    if (!w || !revision) {
      void notify.warn(`There is no pod ${pod} in ${this.target.name} now.`);
      return;
    }
    const context = this.session()?.contextName ?? '';
    const node = { type: 'pod', id: inContext(context, `p:${w.namespace}:${pod}`), context, namespace: w.namespace, workloadId: w.id, replicaSet: revision.replicaSet, pod };
    await vscode.commands.executeCommand(Commands.PodFollowLogs, node, container);
  }

  private setActivity(activity: Omit<PanelActivity, 'at'> | undefined): void {
    this.tracked = { activity: activity && { ...activity, at: Date.now() } };
    this.channel.update();
  }

  private async run(action: PanelAction, revision?: number): Promise<ActionOutcome | undefined> {
    const session = this.session();
    const w = session && findWorkload(session.workloads(this.target.namespace), this.target);
    const command = w && isOffered(w, action, revision) ? commandFor(w, action, revision, session.contextName) : undefined;
    if (!w || !command) {
      this.setActivity({ action, revision, state: 'failed', message: `${action} is not available for ${this.target.name} now.` });
      return undefined;
    }
    const connection = session.connection();
    if (connection.state === 'disconnected') {
      // Decided on what may be stale: not sent (the buttons are off; a message from before can still arrive).
      this.setActivity({ action, revision, state: 'failed', message: `Not sent: the cluster is unreachable (${disconnectedText(connection)}).` });
      return undefined;
    }
    if (this.tracked.activity?.state === 'running') return undefined;
    const label = (revision === undefined ? workloadActions(w).find((b) => b.action === action) : w.revisions.map((r) => revisionAction(w, r)).find((b) => b?.revision === revision))?.label ?? action;
    this.setActivity({ action, revision, state: 'running', message: `${label}${revision === undefined ? '' : ` to revision ${revision}`}…` });
    const outcome = await vscode.commands.executeCommand<ActionOutcome | undefined>(command.command, { ...command.args, origin: this.owner });
    if (!outcome || outcome.cancelled) this.setActivity(undefined);
    else this.setActivity({ action, revision, state: outcome.ok ? 'done' : 'failed', message: outcome.message });
    return outcome;
  }

  /** What the serializer restores after a reload. */
  persisted(): RolloutPersisted {
    return { target: this.target, samples: this.samples };
  }

}

/** One panel per workload of a context: the same names in two contexts are two panels. */
export function panelKey(target: RolloutTarget): string {
  return refKey(target);
}
