// The Rollouts tree's data provider: it renders the store's view model (items.ts says how each node
// looks) and fires change events only for the nodes that changed.
import * as vscode from 'vscode';
import type { ResourceRule } from '../../domain/model/access';
import type { RevisionView, StrategyKind, WorkloadView } from '../../domain/model/workloads';
import type { WorkloadsChange } from '../../kube/session';
import type { GoldenSignals } from '../../domain/metrics/signals';
import type { WorkloadDrift } from '../../domain/manifests/drift';
import { Commands } from '../../commands';
import { disconnectedText } from '../../domain/model/age';
import { ALL_NAMESPACES, type ClusterController } from '../session/controller';
import { DisposableOwner } from '../lifecycle';
import { eventRowKey, eventsAbout, revisionNeedsEvents, revisionObjects, shortList } from '../../domain/model/events';
import { TreeEventWatches } from './eventWatches';
import type { NeedsAttention } from '../attention';
import { TreeItems } from './items';
import { NodeRegistry, type TreeNode } from './nodes';
import type { WorkloadFilter } from '../../domain/model/filter';
import { RowTicker } from './ticker';

export type { TreeNode } from './nodes';

/** The tree's name as a watch owner. */
const TREE_OWNER = 'tree';
/** Event rows under a revision's Events node at most (warnings first when cut). */
const EVENT_ROWS = 20;
const ATTENTION_ID = 'attention';
const STRATEGY_ORDER: StrategyKind[] = ['bluegreen', 'canary-replicas', 'argo-canary', 'argo-bluegreen', 'argo-invalid', 'flagger-canary', 'flagger-bluegreen', 'flagger-ab', 'rolling', 'recreate'];

export class RolloutTreeProvider extends DisposableOwner implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Node objects by id, so a refresh event names the very instance VS Code holds. */
  private readonly nodes = new NodeRegistry();
  /** The workload ids and strategies, watch errors and sync state per namespace, as last rendered. */
  private readonly layout = new Map<string, string>();
  private visible = false;
  private readonly expandedNamespaces = new Set<string>();
  /** RBAC rules per watched namespace (undefined: unknown, actions stay visible and check themselves). */
  private readonly rules = new Map<string, ResourceRule[] | undefined>();
  /** The expanded Events nodes, each holding its namespace's events watch. */
  private readonly eventWatches = new TreeEventWatches(() => this.controller.current());
  /** Counts of refresh events, for tests and the benchmark. */
  readonly refreshes = { full: 0, namespace: 0, workload: 0 };
  /** Golden signals of workloads whose details panel samples them (features/panels/signals.ts), by workload id. */
  private readonly signals = new Map<string, GoldenSignals>();
  private readonly items = new TreeItems({
    session: () => this.controller.current(),
    selectedNamespaces: () => this.controller.selectedNamespaces(),
    isExpanded: (namespace) => this.expandedNamespaces.has(namespace),
    workload: (namespace, workloadId) => this.workload(namespace, workloadId),
    attention: () => this.attention.list(),
    rules: (namespace) => this.rules.get(namespace),
    signals: (workloadId) => this.signals.get(workloadId),
    filter: () => this.filter,
    drawn: (node, tickMs) => this.ticker.rendered(node, tickMs),
    drift: (w) => this.driftSource?.(w),
  });
  /** Draws the rows whose times go stale again, while the view is visible. */
  private readonly ticker = new RowTicker<TreeNode>((ids) => {
    for (const node of ids.map((id) => this.nodes.get(id))) if (node) this.emitter.fire(node);
  });
  /** How a workload differs from its workspace manifest (features/drift), once that feature gives it. */
  private driftSource?: (w: WorkloadView) => WorkloadDrift | undefined;

  /** The drift feature's source (set at activation, before any manifest is read: its index redraws the tree once it has read them). */
  setDriftSource(source: (w: WorkloadView) => WorkloadDrift | undefined): void {
    this.driftSource = source;
  }

  /** A workload's drift from its workspace manifest (the panel shows it too). */
  driftOf(w: WorkloadView): WorkloadDrift | undefined {
    return this.driftSource?.(w);
  }

  /** Whether the "Needs attention" section was among the roots last rendered. */
  private attentionShown = false;
  /** The tree's filter (Filter… in its title bar): only matching workloads are shown. */
  private filter?: WorkloadFilter;
  private readonly filterChanged = new vscode.EventEmitter<WorkloadFilter | undefined>();
  readonly onDidChangeFilter = this.filterChanged.event;

  constructor(
    private readonly controller: ClusterController,
    private readonly attention: NeedsAttention,
  ) {
    super();
    this.register(
      this.emitter,
      this.filterChanged,
      controller.onDidChangeSession(() => this.refreshAll()),
      controller.onDidChangeWorkloads((change) => this.onWorkloadsChanged(change)),
      attention.onDidChange(() => this.onAttentionChanged()),
      // Lost or back: the context's one "Cluster unreachable" row comes or goes (rare: a full refresh).
      controller.onDidChangeConnection(() => this.refreshAll()),
    );
  }

  /** The section appears or goes with the roots; while it stays, only it is redrawn. */
  private onAttentionChanged(): void {
    const section = this.nodes.get(ATTENTION_ID);
    if (this.attentionShown !== this.attention.list().length > 0 || !section) {
      if (this.attentionShown || this.attention.list().length) this.emitter.fire(undefined);
      return;
    }
    this.emitter.fire(section);
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.visible = view.visible;
    this.ticker.setVisible(view.visible);
    this.register(
      this.ticker,
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        this.ticker.setVisible(e.visible);
        const session = this.controller.current();
        if (!session) return;
        // Watch only what is visible: hidden view, no watches; shown again, resume the expanded ones.
        if (!e.visible) {
          session.release(TREE_OWNER);
          this.eventWatches.releaseAll();
        } else this.refreshAll();
      }),
      view.onDidExpandElement((e) => {
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.add(e.element.namespace);
          void this.controller.current()?.watchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
      view.onDidCollapseElement((e) => {
        this.eventWatches.collapsed(e.element);
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.delete(e.element.namespace);
          this.controller.current()?.unwatchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
    );
  }

  private node<T extends TreeNode>(n: T): T {
    return this.nodes.node(n);
  }

  /** How many node objects the tree holds (for tests: it does not grow with every pod ever seen). */
  get nodeCount(): number {
    return this.nodes.size;
  }

  get activeFilter(): WorkloadFilter | undefined {
    return this.filter;
  }

  /** Shows only the workloads `filter` matches (undefined: all), at once. */
  setFilter(filter: WorkloadFilter | undefined): void {
    this.filter = filter;
    this.filterChanged.fire(filter);
    this.refreshAll();
  }

  /** The workloads of a namespace the tree shows: all, or those the filter matches. */
  private shown(namespace: string): WorkloadView[] {
    const all = this.controller.current()?.workloads(namespace) ?? [];
    return this.filter ? all.filter((w) => this.filter!.matches(w)) : all;
  }

  refreshAll(): void {
    // Expanded Events nodes ask again as they are redrawn (a new session starts with no watches).
    this.eventWatches.releaseAll();
    this.nodes.clear();
    this.rules.clear();
    this.layout.clear();
    this.refreshes.full++;
    this.emitter.fire(undefined);
  }

  private onWorkloadsChanged(change: WorkloadsChange): void {
    const session = this.controller.current();
    if (!session) return;
    // New events redraw the expanded Events nodes of their namespace (rows and the latest warning).
    for (const ns of change.events ?? []) {
      for (const { id } of this.eventWatches.nodesOf(ns)) {
        const node = this.nodes.get(id);
        if (node) this.emitter.fire(node);
      }
    }
    const changed = new Set(change.workloadIds);
    for (const ns of change.namespaces) {
      const workloads = session.workloads(ns);
      const state = session.state(ns);
      const layout = JSON.stringify([workloads.map((w) => [w.id, w.strategy, !this.filter || this.filter.matches(w)]), [...(state?.errors.values() ?? [])].map((e) => e.message), session.isSynced(ns)]);
      const nsNode = this.nodes.get(`ns:${ns}`);
      if (this.layout.get(ns) !== layout) {
        this.layout.set(ns, layout);
        if (nsNode) {
          this.refreshes.namespace++;
          this.emitter.fire(nsNode);
        }
        continue;
      }
      // The store names the workloads whose views changed: only their nodes are redrawn.
      for (const w of workloads) {
        if (!changed.has(w.id)) continue;
        const node = this.nodes.get(`w:${w.id}`);
        if (node) {
          this.refreshes.workload++;
          this.emitter.fire(node);
        }
      }
    }
  }

  /** Redraws the rows of these workloads only (their drift from the workspace's manifests changed). */
  refreshWorkloads(workloadIds: readonly string[]): void {
    for (const id of new Set(workloadIds)) {
      const node = this.nodes.get(`w:${id}`);
      if (node) {
        this.refreshes.workload++;
        this.emitter.fire(node);
      }
    }
  }

  /** A panel's newest golden signals for a workload (undefined: its panel stopped sampling): redraws that node only. */
  showSignals(namespace: string, workloadId: string, signals: GoldenSignals | undefined): void {
    if (signals) this.signals.set(workloadId, signals);
    else if (!this.signals.delete(workloadId)) return;
    // The Needs attention list (the tree's top section) classifies with the comparison too.
    this.attention.signalsChanged(namespace, workloadId, signals?.comparison);
    const node = this.nodes.get(`w:${workloadId}`);
    if (node) {
      this.refreshes.workload++;
      this.emitter.fire(node);
    }
  }

  private workload(namespace: string, workloadId: string): WorkloadView | undefined {
    return this.controller.current()?.workloads(namespace).find((w) => w.id === workloadId);
  }

  /** The workload view of a tree node (for commands run from the context menu). */
  workloadOf(node: TreeNode): WorkloadView | undefined {
    return 'workloadId' in node ? this.workload(node.namespace, node.workloadId) : undefined;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    const children = this.nodes.children(element?.id, await this.childrenOf(element));
    this.eventWatches.prune((id) => !!this.nodes.get(id));
    return children;
  }

  private childrenOf(element: TreeNode | undefined): TreeNode[] | Promise<TreeNode[]> {
    if (!element) return this.roots();
    switch (element.type) {
      case 'attention':
        return this.attention.list().map((a) => this.node({ type: 'attentionItem', id: `att:${a.workloadId}`, namespace: a.namespace, workloadId: a.workloadId }));
      case 'context':
        return this.namespaceNodes();
      case 'namespace':
        return this.namespaceChildren(element.namespace);
      case 'group':
        return this.shown(element.namespace)
          .filter((w) => w.strategy === element.strategy)
          .map((w) => this.node({ type: 'workload', id: `w:${w.id}`, namespace: element.namespace, workloadId: w.id }));
      case 'workload':
        return this.workloadChildren(element.namespace, element.workloadId);
      case 'revision': {
        const w = this.workload(element.namespace, element.workloadId);
        const r = w?.revisions.find((x) => x.replicaSet === element.replicaSet);
        if (!w || !r) return [];
        const events = revisionNeedsEvents(r) ? [this.node({ type: 'events', id: `ev:${w.id}:${r.replicaSet}`, namespace: element.namespace, workloadId: w.id, strategy: w.strategy, replicaSet: r.replicaSet })] : [];
        return [...events, ...this.podNodes(element.namespace, element.workloadId, r)];
      }
      case 'events':
        return this.eventNodes(element);
      case 'steps':
        return (this.workload(element.namespace, element.workloadId)?.canary?.steps ?? []).map((s) => this.node({ type: 'step', id: `${element.id}:${s.index}`, namespace: element.namespace, workloadId: element.workloadId, index: s.index }));
      case 'analysis':
        return (this.workload(element.namespace, element.workloadId)?.analysisRuns ?? []).map((r) => this.node({ type: 'run', id: `${element.id}:${r.name}`, namespace: element.namespace, workloadId: element.workloadId, run: r.name }));
      case 'experiment': {
        const e = this.workload(element.namespace, element.workloadId)?.experiments?.find((x) => x.name === element.experiment);
        return (e?.templates ?? []).map((t) => this.node({ type: 'template', id: `${element.id}:${t.name}`, namespace: element.namespace, workloadId: element.workloadId, experiment: element.experiment, template: t.name }));
      }
      case 'template': {
        const t = this.workload(element.namespace, element.workloadId)?.experiments?.find((x) => x.name === element.experiment)?.templates.find((x) => x.name === element.template);
        return t?.replicaSet ? this.podNodes(element.namespace, element.workloadId, t.replicaSet) : [];
      }
      default:
        return [];
    }
  }

  private roots(): TreeNode[] {
    const session = this.controller.current();
    if (!session) {
      const problem = this.controller.sessionProblem;
      // No kubeconfig: the view's welcome content explains what to do.
      if (!problem || problem.kind === 'noKubeconfig') return [];
      return [this.node({ type: 'message', id: 'msg:config', label: 'Kubeconfig problem', detail: problem.message, icon: 'warning', color: 'charts.yellow' })];
    }
    const context = this.node({ type: 'context', id: `ctx:${session.contextName}`, name: session.contextName });
    this.attentionShown = this.attention.list().length > 0;
    return this.attentionShown ? [this.node({ type: 'attention', id: ATTENTION_ID }), context] : [context];
  }

  private async namespaceNodes(): Promise<TreeNode[]> {
    const session = this.controller.current()!;
    const selected = this.controller.selectedNamespaces();
    const out: TreeNode[] = [];
    let names: string[];
    if (selected === ALL_NAMESPACES) {
      try {
        names = (await session.listNamespaces()).names;
      } catch (e) {
        return [this.errorNode('ctx-error', e)];
      }
    } else names = selected;
    const connection = session.connection();
    // One row for the whole context, not one per watch of every namespace.
    if (connection.state === 'disconnected') out.push(this.node({ type: 'message', id: 'msg:disconnected', label: 'Cluster unreachable', detail: `${disconnectedText(connection)}: data may be stale; reconnecting by itself. ${connection.problem ?? ''}`, icon: 'debug-disconnect', color: 'charts.red', command: { command: Commands.RefreshTree, title: 'Retry now' } }));
    for (const namespace of names) out.push(this.node({ type: 'namespace', id: `ns:${namespace}`, namespace }));
    try {
      const argo = await session.checkArgo();
      if (argo === 'missing') out.push(this.node({ type: 'message', id: 'msg:argo-missing', label: 'Argo Rollouts is not installed', detail: 'No argoproj.io CRDs in this cluster: Rollouts are not shown.', icon: 'info' }));
      if (argo === 'forbidden') out.push(this.node({ type: 'message', id: 'msg:argo-forbidden', label: 'Argo Rollouts: discovery forbidden', detail: 'You may not read the argoproj.io API group.', icon: 'lock' }));
    } catch (e) {
      return [this.errorNode('ctx-unreachable', e)];
    }
    return out;
  }

  private errorNode(id: string, e: unknown): TreeNode {
    const message = e instanceof Error ? e.message : String(e);
    const kind = (e as { kind?: string }).kind;
    const label = kind === 'unreachable' ? 'Cluster unreachable' : kind === 'forbidden' ? 'Forbidden' : kind === 'unauthorized' ? 'Credentials rejected' : 'Cluster error';
    return this.node({ type: 'message', id: `msg:${id}`, label, detail: message, icon: kind === 'forbidden' ? 'lock' : 'error', color: 'charts.red', command: { command: Commands.RefreshTree, title: 'Retry' } });
  }

  private async namespaceChildren(namespace: string): Promise<TreeNode[]> {
    const session = this.controller.current()!;
    if (!this.visible) return [];
    this.expandedNamespaces.add(namespace);
    const state = await session.watchNamespace(namespace, TREE_OWNER);
    this.rules.set(namespace, await session.accessRules(namespace));
    // The first list is under way; the 'changed' event re-renders this node if it lands later.
    await session.whenSynced(namespace, 5000);
    // Unreachable is said once, on the context (namespaceNodes); other errors are per watch.
    const errors = [...state.errors.entries()].filter(([, e]) => e.kind !== 'unreachable').map(([key, e]) => this.errorNode(`${namespace}:${key}`, e));
    const workloads = this.shown(namespace);
    this.layout.delete(namespace);
    const groups = STRATEGY_ORDER.filter((s) => workloads.some((w) => w.strategy === s)).map((strategy) => this.node({ type: 'group', id: `g:${namespace}:${strategy}`, namespace, strategy }));
    if (!groups.length && this.filter && session.workloads(namespace).length) return [...errors, this.node({ type: 'message', id: `msg:filtered:${namespace}`, label: `No workload matches "${this.filter.text}"`, detail: `${session.workloads(namespace).length} workloads are hidden by the filter.`, icon: 'filter', command: { command: Commands.ClearTreeFilter, title: 'Clear Filter' } })];
    if (!groups.length && !errors.length && session.isSynced(namespace)) return [this.node({ type: 'message', id: `msg:empty:${namespace}`, label: 'No workloads', detail: 'No Deployments or Rollouts in this namespace.', icon: 'circle-slash' })];
    return [...errors, ...groups];
  }

  private workloadChildren(namespace: string, workloadId: string): TreeNode[] {
    const w = this.workload(namespace, workloadId);
    if (!w) return [];
    const out: TreeNode[] = [];
    if (w.kind === 'BlueGreen' || w.kind === 'ReplicaCanary') {
      for (const r of w.revisions) out.push(this.node({ type: 'revision', id: `r:${w.id}:${r.replicaSet}`, namespace, workloadId, replicaSet: r.replicaSet }));
      return out;
    }
    if (w.canary?.steps.length) out.push(this.node({ type: 'steps', id: `steps:${w.id}`, namespace, workloadId }));
    if (w.analysisRuns.length) out.push(this.node({ type: 'analysis', id: `analysis:${w.id}`, namespace, workloadId }));
    for (const e of w.experiments ?? []) out.push(this.node({ type: 'experiment', id: `x:${w.id}:${e.name}`, namespace, workloadId, experiment: e.name }));
    for (const r of w.revisions) out.push(this.node({ type: 'revision', id: `r:${w.id}:${r.replicaSet}`, namespace, workloadId, replicaSet: r.replicaSet }));
    return out;
  }

  /** An expanded Events node: its namespace's events are watched from now on, its rows are the revision's. */
  private eventNodes(element: Extract<TreeNode, { type: 'events' }>): TreeNode[] {
    const session = this.controller.current();
    const w = this.workload(element.namespace, element.workloadId);
    if (!session || !w) return [];
    this.eventWatches.shown(element);
    const watch = session.eventsState(element.namespace);
    if (watch?.error && !watch.synced) return [this.errorNode(`events:${element.id}`, watch.error)];
    if (!watch?.synced) return [this.node({ type: 'message', id: `msg:events-loading:${element.id}`, label: 'Loading events…', icon: 'loading~spin' })];
    const rows = shortList(eventsAbout(revisionObjects(w, element.replicaSet, session.snapshot(element.namespace)), session.events(element.namespace)), EVENT_ROWS);
    if (!rows.length) return [this.node({ type: 'message', id: `msg:events-none:${element.id}`, label: 'No events', detail: 'The API server keeps events for an hour by default.', icon: 'circle-slash' })];
    return rows.map((row) => this.node({ type: 'event', id: `${element.id}:${eventRowKey(row)}`, namespace: element.namespace, row }));
  }

  private podNodes(namespace: string, workloadId: string, r: RevisionView): TreeNode[] {
    return r.pods.map((p) => this.node({ type: 'pod', id: `p:${namespace}:${p.name}`, namespace, workloadId, replicaSet: r.replicaSet, pod: p.name }));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return this.items.item(n);
  }
}
