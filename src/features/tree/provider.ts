// The Rollouts tree's data provider: it renders the store's view model (items.ts says how each node
// looks) and fires change events only for the nodes that changed.
import * as vscode from 'vscode';
import type { ResourceRule } from '../../domain/model/access';
import type { RevisionView, StrategyKind, WorkloadView } from '../../domain/model/workloads';
import type { GoldenSignals } from '../../domain/metrics/signals';
import type { WorkloadDrift } from '../../domain/manifests/drift';
import { Commands } from '../../commands';
import { disconnectedText } from '../../domain/model/age';
import { ALL_NAMESPACES, type ClusterController, type ContextWorkloadsChange } from '../session/controller';
import type { ClusterSession } from '../../kube/session';
import { inContext, isProtectedContext } from '../../domain/model/contexts';
import { DisposableOwner } from '../lifecycle';
import { eventRowKey, eventsAbout, revisionNeedsEvents, revisionObjects, shortList } from '../../domain/model/events';
import { TreeEventWatches } from './eventWatches';
import type { NeedsAttention } from '../attention';
import type { Pins } from '../pins';
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
/** The layout key of how All namespaces is watched (a namespace cannot be named so: names are DNS labels). */
const SCOPE_LAYOUT = '*scope';
const STRATEGY_ORDER: StrategyKind[] = ['bluegreen', 'canary-replicas', 'argo-canary', 'argo-bluegreen', 'argo-invalid', 'flagger-canary', 'flagger-bluegreen', 'flagger-ab', 'rolling', 'recreate'];

export class RolloutTreeProvider extends DisposableOwner implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Node objects by id, so a refresh event names the very instance VS Code holds. */
  private readonly nodes = new NodeRegistry();
  /** The workload ids and strategies, watch errors and sync state per namespace of a context (`inContext`), as last rendered. */
  private readonly layout = new Map<string, string>();
  private visible = false;
  /** Expanded namespaces, by `inContext(context, namespace)`. */
  private readonly expandedNamespaces = new Set<string>();
  /** RBAC rules per watched namespace of a context (undefined: unknown, actions stay visible and check themselves). */
  private readonly rules = new Map<string, ResourceRule[] | undefined>();
  /** The expanded Events nodes, each holding its namespace's events watch in its context's session. */
  private readonly eventWatches = new TreeEventWatches((context) => this.controller.peekOf(context));
  /** What a context's row last said about the context as a whole ("unreachable", "forbidden"…), by context: its row shows it. */
  private readonly contextStates = new Map<string, string>();
  /**
   * Why the latest redraws of a whole tree, context or namespace came (the newest 20). Such a redraw
   * drops, in VS Code's extension host, every row below it until VS Code asks for them again: a
   * context-menu command chosen meanwhile runs without its row. Tests assert what causes them.
   */
  readonly wideRefreshes = { total: 0, recent: [] as string[] };
  /** Golden signals of workloads whose details panel samples them (features/panels/signals.ts), by `inContext(context, workload id)`. */
  private readonly signals = new Map<string, GoldenSignals>();
  private readonly items = new TreeItems({
    session: (context) => this.controller.sessionOf(context),
    problem: (context) => this.controller.problemOf(context),
    primary: () => this.controller.current()?.contextName,
    multipleContexts: () => this.controller.multipleContexts,
    contextState: (context) => this.contextStates.get(context),
    isProtected: (context) => isProtectedContext(this.controller.settings.protectedContexts, context),
    selectedNamespaces: (context) => this.controller.selectedNamespaces(context),
    isExpanded: (context, namespace) => this.expandedNamespaces.has(inContext(context, namespace)),
    workload: (context, namespace, workloadId) => this.workload(context, namespace, workloadId),
    attention: () => this.attention.list(),
    rules: (context, namespace) => this.rules.get(inContext(context, namespace)),
    signals: (context, workloadId) => this.signals.get(inContext(context, workloadId)),
    filter: () => this.filter,
    drawn: (node, tickMs) => this.ticker.rendered(node, tickMs),
    drift: (context, w) => this.driftSource?.(context, w),
    isPinned: (context, w) => this.pins.isPinned(context, w),
  });
  /** Draws the rows whose times go stale again, while the view is visible. */
  private readonly ticker = new RowTicker<TreeNode>((ids) => {
    for (const node of ids.map((id) => this.nodes.get(id))) if (node) this.emitter.fire(node);
  });
  /** How a workload differs from its workspace manifest (features/drift), once that feature gives it. */
  private driftSource?: (context: string, w: WorkloadView) => WorkloadDrift | undefined;

  /** The drift feature's source (set at activation, before any manifest is read: its index redraws the tree once it has read them). */
  setDriftSource(source: (context: string, w: WorkloadView) => WorkloadDrift | undefined): void {
    this.driftSource = source;
  }

  /** A workload's drift (in `context`) from its workspace manifest (the panel shows it too). */
  driftOf(context: string, w: WorkloadView): WorkloadDrift | undefined {
    return this.driftSource?.(context, w);
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
    private readonly pins: Pins,
  ) {
    super();
    this.register(
      // A pin marks the workload's rows (and changes their menus): those are redrawn.
      pins.onDidChange((ref) => this.refreshWorkloads(ref.context, (this.controller.peekOf(ref.context)?.workloads(ref.namespace) ?? []).filter((w) => w.name === ref.name).map((w) => w.id))),
      this.emitter,
      this.filterChanged,
      controller.onDidChangeSession(() => this.refreshAll('the session changed')),
      controller.onDidChangeWorkloads((change) => this.onWorkloadsChanged(change)),
      attention.onDidChange(() => this.onAttentionChanged()),
      // Lost or back: the context's one "Cluster unreachable" row comes or goes (rare: a full refresh).
      controller.onDidChangeConnection((c) => this.refreshAll(`${c.context} ${c.state}${c.problem ? `: ${c.problem}` : ''}`)),
      // A context row marks itself protected.
      controller.settings.onDidChange((changed) => changed.has('protectedContexts') && this.refreshAll('protected contexts changed')),
    );
  }

  /** The section appears or goes with the roots; while it stays, only it is redrawn. */
  private onAttentionChanged(): void {
    const section = this.nodes.get(ATTENTION_ID);
    if (this.attentionShown !== this.attention.list().length > 0 || !section) {
      if (this.attentionShown || this.attention.list().length) this.fireWide(undefined, `attention section ${this.attentionShown ? 'went' : 'came'}`);
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
        const sessions = this.controller.sessions();
        if (!sessions.length) return;
        // Watch only what is visible: hidden view, no watches (in any context); shown again, resume the expanded ones.
        if (!e.visible) {
          for (const session of sessions) session.release(TREE_OWNER);
          this.eventWatches.releaseAll();
        } else this.refreshAll('the view was shown');
      }),
      // All namespaces is watched once for the cluster: expanding or collapsing one opens or stops nothing.
      view.onDidExpandElement((e) => {
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.add(inContext(e.element.context, e.element.namespace));
          if (!this.allNamespaces(e.element.context)) void this.controller.sessionOf(e.element.context)?.watchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
      view.onDidCollapseElement((e) => {
        this.eventWatches.collapsed(e.element);
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.delete(inContext(e.element.context, e.element.namespace));
          if (!this.allNamespaces(e.element.context)) this.controller.peekOf(e.element.context)?.unwatchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
    );
  }

  /** Whether the tree shows All namespaces (watched once for the cluster, see `namespaceNodes`). */
  /** Whether `context` shows All namespaces (one watch per resource for its cluster). */
  private allNamespaces(context: string): boolean {
    return this.controller.selectedNamespaces(context) === ALL_NAMESPACES;
  }

  /** What of All namespaces' watch the namespace list shows: whether it is decided, and its message row. */
  private scopeLayout(context: string): string {
    const mode = this.controller.peekOf(context)?.watchMode();
    return JSON.stringify(mode?.scope === 'cluster' ? [mode.deciding, mode.message] : []);
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
    this.refreshAll('the filter changed');
  }

  /** The workloads of a namespace of a context the tree shows: all, or those the filter matches (the one filter applies in every context). */
  private shown(context: string, namespace: string): WorkloadView[] {
    const all = this.controller.sessionOf(context)?.workloads(namespace) ?? [];
    return this.filter ? all.filter((w) => this.filter!.matches(w)) : all;
  }

  refreshAll(cause: string): void {
    // Expanded Events nodes ask again as they are redrawn (a new session starts with no watches).
    this.eventWatches.releaseAll();
    this.nodes.clear();
    this.rules.clear();
    this.layout.clear();
    this.fireWide(undefined, cause);
  }

  /** Fires a change of the whole tree (undefined), a context or a namespace, noting why. */
  private fireWide(node: TreeNode | undefined, cause: string): void {
    this.wideRefreshes.total++;
    this.wideRefreshes.recent.push(`${node ? node.id : 'tree'}: ${cause}`);
    if (this.wideRefreshes.recent.length > 20) this.wideRefreshes.recent.shift();
    this.emitter.fire(node);
  }

  private onWorkloadsChanged(change: ContextWorkloadsChange): void {
    const { context } = change;
    const session = this.controller.peekOf(context);
    if (!session) return;
    // New events redraw the expanded Events nodes of their namespace (rows and the latest warning).
    for (const ns of change.events ?? []) {
      for (const { id } of this.eventWatches.nodesOf(context, ns)) {
        const node = this.nodes.get(id);
        if (node) this.emitter.fire(node);
      }
    }
    const changed = new Set(change.workloadIds);
    // All namespaces: a namespace that appeared or went, or another way of watching (its message row), redraws the namespace list.
    const contextNode = this.nodes.get(inContext(context, 'ctx'));
    if (contextNode && this.allNamespaces(context)) {
      // A row without objects (went) is listed again: it stays while the namespace exists.
      const appearedOrWent = change.namespaces.some((ns) => !this.nodes.get(inContext(context, `ns:${ns}`)) === session.isWatching(ns));
      if (appearedOrWent || (change.scope && this.layout.get(inContext(context, SCOPE_LAYOUT)) !== this.scopeLayout(context))) {
        this.fireWide(contextNode, appearedOrWent ? 'a namespace came or went' : 'the way of watching changed');
        return;
      }
    }
    for (const ns of change.namespaces) {
      const workloads = session.workloads(ns);
      const parts = this.namespaceLayout(session, ns);
      const layout = JSON.stringify(parts);
      const nsNode = this.nodes.get(inContext(context, `ns:${ns}`));
      const before = this.layout.get(inContext(context, ns));
      if (before !== layout) {
        this.layout.set(inContext(context, ns), layout);
        if (nsNode) this.fireWide(nsNode, layoutChange(before, parts));
        continue;
      }
      // The store names the workloads whose views changed: only their nodes are redrawn.
      for (const w of workloads) {
        if (!changed.has(w.id)) continue;
        const node = this.nodes.get(inContext(context, `w:${w.id}`));
        if (node) this.emitter.fire(node);
      }
    }
  }

  /** What a namespace's rows are made of (its workloads' groups, which are shown, its watch errors, whether it has listed): a change of it redraws the namespace. */
  private namespaceLayout(session: ClusterSession, namespace: string): unknown[] {
    return [session.workloads(namespace).map((w) => [w.id, w.strategy, !this.filter || this.filter.matches(w)]), [...session.watchErrors(namespace).values()].map((e) => e.message), session.isSynced(namespace)];
  }

  /** Redraws the rows of these workloads of `context` only, their Needs attention entries too (their drift or their pin changed). */
  refreshWorkloads(context: string, workloadIds: readonly string[]): void {
    for (const id of new Set(workloadIds)) {
      for (const node of [this.nodes.get(inContext(context, `w:${id}`)), this.nodes.get(inContext(context, `att:${id}`))]) {
        if (!node) continue;
        this.emitter.fire(node);
      }
    }
  }

  /** A panel's newest golden signals for a workload (undefined: its panel stopped sampling): redraws that node only. */
  showSignals(context: string, namespace: string, workloadId: string, signals: GoldenSignals | undefined): void {
    const key = inContext(context, workloadId);
    if (signals) this.signals.set(key, signals);
    else if (!this.signals.delete(key)) return;
    // The Needs attention list (the tree's top section) classifies with the comparison too.
    this.attention.signalsChanged(context, namespace, workloadId, signals?.comparison);
    const node = this.nodes.get(inContext(context, `w:${workloadId}`));
    if (node) this.emitter.fire(node);
  }

  private workload(context: string, namespace: string, workloadId: string): WorkloadView | undefined {
    return this.controller.sessionOf(context)?.workloads(namespace).find((w) => w.id === workloadId);
  }

  /** The tree items of each type VS Code has been given in `namespace` (it asks only for the children of expanded items). */
  itemCounts(namespace: string): Partial<Record<TreeNode['type'], number>> {
    return this.nodes.countsIn(namespace);
  }

  /** The workload view of a tree node, in the node's context (for commands run from the context menu). */
  workloadOf(node: TreeNode): WorkloadView | undefined {
    return 'workloadId' in node ? this.workload(node.context, node.namespace, node.workloadId) : undefined;
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
        return this.attention.list().map((a) => this.node({ type: 'attentionItem', id: inContext(a.context, `att:${a.workloadId}`), context: a.context, namespace: a.namespace, workloadId: a.workloadId }));
      case 'context':
        return this.namespaceNodes(element.name);
      case 'namespace':
        return this.namespaceChildren(element.context, element.namespace);
      case 'group': {
        const { context, namespace } = element;
        return this.shown(context, namespace)
          .filter((w) => w.strategy === element.strategy)
          .map((w) => this.node({ type: 'workload', id: inContext(context, `w:${w.id}`), context, namespace, workloadId: w.id }));
      }
      case 'workload':
        return this.workloadChildren(element.context, element.namespace, element.workloadId);
      case 'revision': {
        const { context, namespace } = element;
        const w = this.workload(context, namespace, element.workloadId);
        const r = w?.revisions.find((x) => x.replicaSet === element.replicaSet);
        if (!w || !r) return [];
        const events = revisionNeedsEvents(r) ? [this.node({ type: 'events', id: inContext(context, `ev:${w.id}:${r.replicaSet}`), context, namespace, workloadId: w.id, strategy: w.strategy, replicaSet: r.replicaSet })] : [];
        return [...events, ...this.podNodes(context, namespace, element.workloadId, r)];
      }
      case 'events':
        return this.eventNodes(element);
      case 'steps': {
        const { context, namespace, workloadId } = element;
        return (this.workload(context, namespace, workloadId)?.canary?.steps ?? []).map((s) => this.node({ type: 'step', id: `${element.id}:${s.index}`, context, namespace, workloadId, index: s.index }));
      }
      case 'analysis': {
        const { context, namespace, workloadId } = element;
        return (this.workload(context, namespace, workloadId)?.analysisRuns ?? []).map((r) => this.node({ type: 'run', id: `${element.id}:${r.name}`, context, namespace, workloadId, run: r.name }));
      }
      case 'experiment': {
        const { context, namespace, workloadId } = element;
        const e = this.workload(context, namespace, workloadId)?.experiments?.find((x) => x.name === element.experiment);
        return (e?.templates ?? []).map((t) => this.node({ type: 'template', id: `${element.id}:${t.name}`, context, namespace, workloadId, experiment: element.experiment, template: t.name }));
      }
      case 'template': {
        const { context, namespace, workloadId } = element;
        const t = this.workload(context, namespace, workloadId)?.experiments?.find((x) => x.name === element.experiment)?.templates.find((x) => x.name === element.template);
        return t?.replicaSet ? this.podNodes(context, namespace, workloadId, t.replicaSet) : [];
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
    // One row per context shown (one, as always, until others are added), each with its namespaces beneath.
    const contexts = this.controller.contexts().map((name) => this.node({ type: 'context', id: inContext(name, 'ctx'), name }));
    this.attentionShown = this.attention.list().length > 0;
    return this.attentionShown ? [this.node({ type: 'attention', id: ATTENTION_ID }), ...contexts] : contexts;
  }

  /** A context's children said what fails for the whole context (undefined: nothing): its row is redrawn when that changes. */
  private noteContextState(context: string, state: string | undefined): void {
    if (this.contextStates.get(context) === state) return;
    if (state) this.contextStates.set(context, state);
    else this.contextStates.delete(context);
    const row = this.nodes.get(inContext(context, 'ctx'));
    // After the children in hand are returned: the row, not its children, is what changed.
    if (row) setTimeout(() => this.emitter.fire(row), 0);
  }

  private async namespaceNodes(context: string): Promise<TreeNode[]> {
    const out = await this.contextChildren(context);
    // The errors of the context as a whole (listing its namespaces, discovery), not of one watch.
    const whole = [inContext(context, 'msg:ctx-error'), inContext(context, 'msg:ctx-unreachable')];
    const failed = out.find((n) => whole.includes(n.id));
    this.noteContextState(context, failed?.type === 'message' ? failed.label : undefined);
    return out;
  }

  private async contextChildren(context: string): Promise<TreeNode[]> {
    const session = this.controller.sessionOf(context);
    // A context that could not start (not in the kubeconfig, a broken user) says so under its own row alone.
    if (!session) return [this.node({ type: 'message', id: inContext(context, 'msg:config'), label: 'Context problem', detail: this.controller.problemOf(context)?.message ?? 'No session for this context.', icon: 'warning', color: 'charts.yellow' })];
    const selected = this.controller.selectedNamespaces(context);
    const out: TreeNode[] = [];
    let names: string[];
    if (selected === ALL_NAMESPACES) {
      try {
        // One watch per resource for the cluster (what RBAC allows): the namespaces with objects come by themselves.
        await session.watchAllNamespaces(TREE_OWNER);
        names = [...new Set([...(await session.listNamespaces()).names, ...session.watchedNamespaces()])].sort();
      } catch (e) {
        return [this.errorNode(context, 'ctx-error', e)];
      }
      const mode = session.watchMode();
      this.layout.set(inContext(context, SCOPE_LAYOUT), this.scopeLayout(context));
      if (mode.scope === 'cluster' && mode.message) out.push(this.node({ type: 'message', id: inContext(context, 'msg:scope'), label: 'Namespace by namespace', detail: mode.message, icon: 'lock', color: 'charts.yellow' }));
    } else {
      names = selected;
      session.unwatchAllNamespaces(TREE_OWNER);
    }
    const connection = session.connection();
    // One row for the whole context, not one per watch of every namespace.
    if (connection.state === 'disconnected') out.push(this.node({ type: 'message', id: inContext(context, 'msg:disconnected'), label: 'Cluster unreachable', detail: `${disconnectedText(connection)}: data may be stale; reconnecting by itself. ${connection.problem ?? ''}`, icon: 'debug-disconnect', color: 'charts.red', command: { command: Commands.RefreshTree, title: 'Retry now' } }));
    for (const namespace of names) out.push(this.node({ type: 'namespace', id: inContext(context, `ns:${namespace}`), context, namespace }));
    try {
      const argo = await session.checkArgo();
      if (argo === 'missing') out.push(this.node({ type: 'message', id: inContext(context, 'msg:argo-missing'), label: 'Argo Rollouts is not installed', detail: 'No argoproj.io CRDs in this cluster: Rollouts are not shown.', icon: 'info' }));
      if (argo === 'forbidden') out.push(this.node({ type: 'message', id: inContext(context, 'msg:argo-forbidden'), label: 'Argo Rollouts: discovery forbidden', detail: 'You may not read the argoproj.io API group.', icon: 'lock' }));
    } catch (e) {
      return [this.errorNode(context, 'ctx-unreachable', e)];
    }
    return out;
  }

  private errorNode(context: string, id: string, e: unknown): TreeNode {
    const message = e instanceof Error ? e.message : String(e);
    const kind = (e as { kind?: string }).kind;
    const label = kind === 'unreachable' ? 'Cluster unreachable' : kind === 'forbidden' ? 'Forbidden' : kind === 'unauthorized' ? 'Credentials rejected' : 'Cluster error';
    return this.node({ type: 'message', id: inContext(context, `msg:${id}`), label, detail: message, icon: kind === 'forbidden' ? 'lock' : 'error', color: 'charts.red', command: { command: Commands.RefreshTree, title: 'Retry' } });
  }

  private async namespaceChildren(context: string, namespace: string): Promise<TreeNode[]> {
    const session = this.controller.sessionOf(context);
    if (!this.visible || !session) return [];
    const key = inContext(context, namespace);
    this.expandedNamespaces.add(key);
    // All namespaces brings every namespace's objects already.
    if (!this.allNamespaces(context)) await session.watchNamespace(namespace, TREE_OWNER);
    this.rules.set(key, await session.accessRules(namespace));
    // The first list is under way; the 'changed' event re-renders this node if it lands later.
    await session.whenSynced(namespace, 5000);
    // Unreachable is said once, on the context (namespaceNodes); other errors are per watch.
    const errors = [...session.watchErrors(namespace).entries()].filter(([, e]) => e.kind !== 'unreachable').map(([resource, e]) => this.errorNode(context, `${namespace}:${resource}`, e));
    const workloads = this.shown(context, namespace);
    // What is drawn now: a change redraws the namespace only once its layout differs from this.
    this.layout.set(key, JSON.stringify(this.namespaceLayout(session, namespace)));
    const groups = STRATEGY_ORDER.filter((s) => workloads.some((w) => w.strategy === s)).map((strategy) => this.node({ type: 'group', id: inContext(context, `g:${namespace}:${strategy}`), context, namespace, strategy }));
    if (!groups.length && this.filter && session.workloads(namespace).length) return [...errors, this.node({ type: 'message', id: inContext(context, `msg:filtered:${namespace}`), label: `No workload matches "${this.filter.text}"`, detail: `${session.workloads(namespace).length} workloads are hidden by the filter.`, icon: 'filter', command: { command: Commands.ClearTreeFilter, title: 'Clear Filter' } })];
    if (!groups.length && !errors.length && session.isSynced(namespace)) return [this.node({ type: 'message', id: inContext(context, `msg:empty:${namespace}`), label: 'No workloads', detail: 'No Deployments or Rollouts in this namespace.', icon: 'circle-slash' })];
    return [...errors, ...groups];
  }

  private workloadChildren(context: string, namespace: string, workloadId: string): TreeNode[] {
    const w = this.workload(context, namespace, workloadId);
    if (!w) return [];
    const out: TreeNode[] = [];
    const id = (local: string) => inContext(context, local);
    if (w.kind === 'BlueGreen' || w.kind === 'ReplicaCanary') {
      for (const r of w.revisions) out.push(this.node({ type: 'revision', id: id(`r:${w.id}:${r.replicaSet}`), context, namespace, workloadId, replicaSet: r.replicaSet }));
      return out;
    }
    if (w.canary?.steps.length) out.push(this.node({ type: 'steps', id: id(`steps:${w.id}`), context, namespace, workloadId }));
    if (w.analysisRuns.length) out.push(this.node({ type: 'analysis', id: id(`analysis:${w.id}`), context, namespace, workloadId }));
    for (const e of w.experiments ?? []) out.push(this.node({ type: 'experiment', id: id(`x:${w.id}:${e.name}`), context, namespace, workloadId, experiment: e.name }));
    for (const r of w.revisions) out.push(this.node({ type: 'revision', id: id(`r:${w.id}:${r.replicaSet}`), context, namespace, workloadId, replicaSet: r.replicaSet }));
    return out;
  }

  /** An expanded Events node: its namespace's events are watched from now on (in its context), its rows are the revision's. */
  private eventNodes(element: Extract<TreeNode, { type: 'events' }>): TreeNode[] {
    const { context, namespace } = element;
    const session = this.controller.sessionOf(context);
    const w = this.workload(context, namespace, element.workloadId);
    if (!session || !w) return [];
    this.eventWatches.shown(element);
    const watch = session.eventsState(namespace);
    if (watch?.error && !watch.synced) return [this.errorNode(context, `events:${element.id}`, watch.error)];
    if (!watch?.synced) return [this.node({ type: 'message', id: `msg:events-loading:${element.id}`, label: 'Loading events…', icon: 'loading~spin' })];
    const rows = shortList(eventsAbout(revisionObjects(w, element.replicaSet, session.snapshot(namespace)), session.events(namespace)), EVENT_ROWS);
    if (!rows.length) return [this.node({ type: 'message', id: `msg:events-none:${element.id}`, label: 'No events', detail: 'The API server keeps events for an hour by default.', icon: 'circle-slash' })];
    return rows.map((row) => this.node({ type: 'event', id: `${element.id}:${eventRowKey(row)}`, context, namespace, row }));
  }

  private podNodes(context: string, namespace: string, workloadId: string, r: RevisionView): TreeNode[] {
    return r.pods.map((p) => this.node({ type: 'pod', id: inContext(context, `p:${namespace}:${p.name}`), context, namespace, workloadId, replicaSet: r.replicaSet, pod: p.name }));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return this.items.item(n);
  }
}

/** What of a namespace's layout changed, in a few words (for `wideRefreshes`). */
function layoutChange(before: string | undefined, [workloads, errors, synced]: unknown[]): string {
  if (before === undefined) return 'first drawn';
  const [w0, e0, s0] = JSON.parse(before) as unknown[];
  const said: string[] = [];
  if (JSON.stringify(w0) !== JSON.stringify(workloads)) said.push(`workloads ${(w0 as unknown[]).length} -> ${(workloads as unknown[]).length} (or their strategies, order, filter)`);
  if (JSON.stringify(e0) !== JSON.stringify(errors)) said.push(`watch errors ${JSON.stringify(e0)} -> ${JSON.stringify(errors)}`);
  if (s0 !== synced) said.push(`synced ${s0} -> ${synced}`);
  return said.join('; ');
}
