// The Rollouts tree: context > namespace > strategy group > workload > revisions / steps / analysis > pods.
// It renders the store's view model and fires change events only for the nodes that changed.
import * as vscode from 'vscode';
import type { Health } from '../../domain/model/status';
import type { PodView, RevisionView, StrategyKind, WorkloadView } from '../../domain/model/workloads';
import type { WorkloadsChange } from '../../kube/session';
import { ALL_NAMESPACES, type ClusterController } from '../session/controller';
import { DisposableOwner } from '../lifecycle';
import { Commands } from '../../commands';
import { revisionContextValue, workloadContextValue } from '../../domain/actions/catalogue';
import { STRATEGY_NAMES } from '../../domain/release/vocabulary';
import { missingWrite, type ResourceRule } from '../../domain/model/access';
import { age } from '../../domain/model/age';

export type TreeNode =
  | { type: 'message'; id: string; label: string; detail?: string; icon: string; color?: string; command?: vscode.Command }
  | { type: 'context'; id: string; name: string }
  | { type: 'namespace'; id: string; namespace: string }
  | { type: 'group'; id: string; namespace: string; strategy: StrategyKind }
  | { type: 'workload'; id: string; namespace: string; workloadId: string }
  | { type: 'revision'; id: string; namespace: string; workloadId: string; replicaSet: string }
  | { type: 'pod'; id: string; namespace: string; workloadId: string; replicaSet: string; pod: string }
  | { type: 'steps'; id: string; namespace: string; workloadId: string }
  | { type: 'step'; id: string; namespace: string; workloadId: string; index: number }
  | { type: 'analysis'; id: string; namespace: string; workloadId: string }
  | { type: 'run'; id: string; namespace: string; workloadId: string; run: string };

/** The tree's name as a watch owner. */
const TREE_OWNER = 'tree';
const STRATEGY_ORDER: StrategyKind[] = ['bluegreen', 'canary-replicas', 'argo-canary', 'argo-bluegreen', 'rolling', 'recreate'];

const HEALTH_ICON: Record<Health, [string, string | undefined]> = {
  Healthy: ['pass-filled', 'charts.green'],
  Progressing: ['sync~spin', 'charts.blue'],
  Paused: ['debug-pause', 'charts.yellow'],
  Degraded: ['error', 'charts.red'],
  Unknown: ['question', undefined],
};

const POD_ICON: Record<PodView['state'], [string, string | undefined]> = {
  ready: ['circle-filled', 'charts.green'],
  starting: ['loading~spin', 'charts.blue'],
  pending: ['circle-outline', 'charts.yellow'],
  failed: ['error', 'charts.red'],
  terminating: ['circle-slash', 'disabledForeground'],
  succeeded: ['check', undefined],
};

function icon([id, color]: [string, string | undefined]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}


export class RolloutTreeProvider extends DisposableOwner implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Node objects by id, so a refresh event names the very instance VS Code holds. */
  private readonly nodes = new Map<string, TreeNode>();
  /** Last rendered signature per workload id, and the workload ids per namespace. */
  private readonly signatures = new Map<string, string>();
  private readonly layout = new Map<string, string>();
  private visible = false;
  private readonly expandedNamespaces = new Set<string>();
  /** RBAC rules per watched namespace (undefined: unknown, actions stay visible and check themselves). */
  private readonly rules = new Map<string, ResourceRule[] | undefined>();
  /** Counts of refresh events, for tests and the benchmark. */
  readonly refreshes = { full: 0, namespace: 0, workload: 0 };

  constructor(private readonly controller: ClusterController) {
    super();
    this.register(
      this.emitter,
      controller.onDidChangeSession(() => this.refreshAll()),
      controller.onDidChangeWorkloads((change) => this.onWorkloadsChanged(change)),
    );
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.visible = view.visible;
    this.register(
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        const session = this.controller.current();
        if (!session) return;
        // Watch only what is visible: hidden view, no watches; shown again, resume the expanded ones.
        if (!e.visible) session.release(TREE_OWNER);
        else this.refreshAll();
      }),
      view.onDidExpandElement((e) => {
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.add(e.element.namespace);
          void this.controller.current()?.watchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
      view.onDidCollapseElement((e) => {
        if (e.element.type === 'namespace') {
          this.expandedNamespaces.delete(e.element.namespace);
          this.controller.current()?.unwatchNamespace(e.element.namespace, TREE_OWNER);
        }
      }),
    );
  }

  private node<T extends TreeNode>(n: T): T {
    const existing = this.nodes.get(n.id) as T | undefined;
    if (existing && JSON.stringify(existing) === JSON.stringify(n)) return existing;
    this.nodes.set(n.id, n);
    return n;
  }

  refreshAll(): void {
    this.signatures.clear();
    this.rules.clear();
    this.layout.clear();
    this.refreshes.full++;
    this.emitter.fire(undefined);
  }

  private onWorkloadsChanged(change: WorkloadsChange): void {
    const session = this.controller.current();
    if (!session) return;
    for (const ns of change.namespaces) {
      const workloads = session.workloads(ns);
      const state = session.state(ns);
      const layout = JSON.stringify([workloads.map((w) => [w.id, w.strategy]), [...(state?.errors.values() ?? [])].map((e) => e.message), session.isSynced(ns)]);
      const nsNode = this.nodes.get(`ns:${ns}`);
      if (this.layout.get(ns) !== layout) {
        this.layout.set(ns, layout);
        for (const w of workloads) this.signatures.set(w.id, JSON.stringify(w));
        if (nsNode) {
          this.refreshes.namespace++;
          this.emitter.fire(nsNode);
        }
        continue;
      }
      for (const w of workloads) {
        const signature = JSON.stringify(w);
        if (this.signatures.get(w.id) === signature) continue;
        this.signatures.set(w.id, signature);
        const node = this.nodes.get(`w:${w.id}`);
        if (node) {
          this.refreshes.workload++;
          this.emitter.fire(node);
        }
      }
    }
  }

  private workload(namespace: string, workloadId: string): WorkloadView | undefined {
    return this.controller.current()?.workloads(namespace).find((w) => w.id === workloadId);
  }

  /** The workload view of a tree node (for commands run from the context menu). */
  workloadOf(node: TreeNode): WorkloadView | undefined {
    return 'workloadId' in node ? this.workload(node.namespace, node.workloadId) : undefined;
  }

  getChildren(element?: TreeNode): vscode.ProviderResult<TreeNode[]> {
    if (!element) return this.roots();
    switch (element.type) {
      case 'context':
        return this.namespaceNodes();
      case 'namespace':
        return this.namespaceChildren(element.namespace);
      case 'group':
        return this.controller
          .current()!
          .workloads(element.namespace)
          .filter((w) => w.strategy === element.strategy)
          .map((w) => this.node({ type: 'workload', id: `w:${w.id}`, namespace: element.namespace, workloadId: w.id }));
      case 'workload':
        return this.workloadChildren(element.namespace, element.workloadId);
      case 'revision': {
        const r = this.workload(element.namespace, element.workloadId)?.revisions.find((x) => x.replicaSet === element.replicaSet);
        return r ? this.podNodes(element.namespace, element.workloadId, r) : [];
      }
      case 'steps':
        return (this.workload(element.namespace, element.workloadId)?.canary?.steps ?? []).map((s) => this.node({ type: 'step', id: `${element.id}:${s.index}`, namespace: element.namespace, workloadId: element.workloadId, index: s.index }));
      case 'analysis':
        return (this.workload(element.namespace, element.workloadId)?.analysisRuns ?? []).map((r) => this.node({ type: 'run', id: `${element.id}:${r.name}`, namespace: element.namespace, workloadId: element.workloadId, run: r.name }));
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
    return [this.node({ type: 'context', id: `ctx:${session.contextName}`, name: session.contextName })];
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
    const errors = [...state.errors.entries()].map(([key, e]) => this.errorNode(`${namespace}:${key}`, e));
    const workloads = session.workloads(namespace);
    this.layout.delete(namespace);
    const groups = STRATEGY_ORDER.filter((s) => workloads.some((w) => w.strategy === s)).map((strategy) => this.node({ type: 'group', id: `g:${namespace}:${strategy}`, namespace, strategy }));
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
    for (const r of w.revisions) out.push(this.node({ type: 'revision', id: `r:${w.id}:${r.replicaSet}`, namespace, workloadId, replicaSet: r.replicaSet }));
    return out;
  }

  private podNodes(namespace: string, workloadId: string, r: RevisionView): TreeNode[] {
    return r.pods.map((p) => this.node({ type: 'pod', id: `p:${namespace}:${p.name}`, namespace, workloadId, replicaSet: r.replicaSet, pod: p.name }));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    switch (n.type) {
      case 'message': {
        const item = new vscode.TreeItem(n.label);
        item.description = n.detail;
        item.tooltip = n.detail;
        item.iconPath = new vscode.ThemeIcon(n.icon, n.color ? new vscode.ThemeColor(n.color) : undefined);
        item.command = n.command;
        item.contextValue = 'message';
        return item;
      }
      case 'context': {
        const session = this.controller.current();
        const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        item.description = session?.client.server;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'context';
        item.tooltip = `Context ${n.name}\n${session?.client.server ?? ''}`;
        return item;
      }
      case 'namespace': {
        const session = this.controller.current();
        const expanded = this.expandedNamespaces.has(n.namespace) || this.controller.selectedNamespaces() !== ALL_NAMESPACES || n.namespace === session?.client.contextNamespace;
        const item = new vscode.TreeItem(n.namespace, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'namespace';
        const count = session?.isWatching(n.namespace) ? session.workloads(n.namespace).length : undefined;
        item.description = count !== undefined ? `${count} workload${count === 1 ? '' : 's'}` : undefined;
        return item;
      }
      case 'group': {
        const workloads = this.controller.current()?.workloads(n.namespace).filter((w) => w.strategy === n.strategy) ?? [];
        const item = new vscode.TreeItem(STRATEGY_NAMES[n.strategy], vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        item.description = `${workloads.length}`;
        item.iconPath = new vscode.ThemeIcon(n.strategy.startsWith('argo') ? 'rocket' : n.strategy === 'bluegreen' ? 'arrow-swap' : n.strategy === 'canary-replicas' ? 'beaker' : 'sync');
        item.contextValue = `group:${n.strategy}`;
        return item;
      }
      case 'workload':
        return this.workloadItem(n);
      case 'revision':
        return this.revisionItem(n);
      case 'pod':
        return this.podItem(n);
      case 'steps': {
        const c = this.workload(n.namespace, n.workloadId)?.canary;
        const item = new vscode.TreeItem('Steps', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = c ? `${c.step ?? 0}/${c.stepCount} · setWeight ${c.setWeight}% · actual ${c.actualWeight}%` : undefined;
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        return item;
      }
      case 'step': {
        const s = this.workload(n.namespace, n.workloadId)?.canary?.steps[n.index];
        const item = new vscode.TreeItem(`${n.index}: ${s?.text ?? ''}`);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon(s?.current ? 'arrow-right' : s?.done ? 'check' : 'circle-large-outline', s?.current ? new vscode.ThemeColor('charts.yellow') : undefined);
        item.description = s?.current ? 'current' : undefined;
        return item;
      }
      case 'analysis': {
        const runs = this.workload(n.namespace, n.workloadId)?.analysisRuns ?? [];
        const item = new vscode.TreeItem('Analysis', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = runs[0] ? `${runs[0].phase}${runs.length > 1 ? ` · ${runs.length} runs` : ''}` : undefined;
        item.iconPath = new vscode.ThemeIcon('graph');
        return item;
      }
      case 'run': {
        const run = this.workload(n.namespace, n.workloadId)?.analysisRuns.find((r) => r.name === n.run);
        const item = new vscode.TreeItem(n.run);
        item.id = n.id;
        item.description = run ? `${run.phase} · ${run.metrics.map((m) => `${m.name} ${m.successful}✓ ${m.failed}✗${m.values.length ? ` last ${m.values.at(-1)}` : ''}`).join(' · ')}` : undefined;
        const phase = run?.phase;
        item.iconPath = icon(phase === 'Successful' ? HEALTH_ICON.Healthy : phase === 'Failed' || phase === 'Error' ? HEALTH_ICON.Degraded : HEALTH_ICON.Progressing);
        item.tooltip = run?.message;
        return item;
      }
    }
  }

  private workloadItem(n: Extract<TreeNode, { type: 'workload' }>): vscode.TreeItem {
    const w = this.workload(n.namespace, n.workloadId);
    if (!w) return new vscode.TreeItem(n.workloadId);
    const item = new vscode.TreeItem(w.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.description = w.description;
    item.iconPath = icon(HEALTH_ICON[w.health]);
    const readOnly = this.readOnlyReason(w);
    item.contextValue = workloadContextValue(w, !!readOnly);
    const lines = [
      `**${w.name}** · ${w.kind} · ${STRATEGY_NAMES[w.strategy]}`,
      '',
      `Status: **${w.health}**${w.message ? ` — ${w.message}` : ''}`,
      '',
      `Replicas: desired ${w.replicas.desired} · current ${w.replicas.current} · updated ${w.replicas.updated} · ready ${w.replicas.ready} · available ${w.replicas.available}`,
    ];
    if (w.images.length) lines.push('', 'Images:', ...w.images.map((i) => `- \`${i.image}\`${i.tags.length ? ` (${i.tags.join(', ')})` : ''}`));
    if (w.canary) lines.push('', `Canary: setWeight ${w.canary.setWeight}% · actual ${w.canary.actualWeight}%${w.canary.step !== undefined ? ` · step ${w.canary.step}/${w.canary.stepCount}` : ''}${w.canary.pauseReasons.length ? ` · paused (${w.canary.pauseReasons.join(', ')})` : ''}`);
    if (w.blueGreen) lines.push('', `Service \`${w.blueGreen.service}\` selects ${w.blueGreen.selectorKey}=${w.blueGreen.live}; endpoints hold ${w.blueGreen.endpointsColours.join(' + ') || 'no'} pods.`);
    if (readOnly) lines.push('', `$(lock) ${readOnly}`);
    item.tooltip = new vscode.MarkdownString(lines.join('\n'), true);
    return item;
  }

  private readOnlyReason(w: WorkloadView): string | undefined {
    const rules = this.rules.get(w.namespace);
    return rules ? missingWrite(rules, w.kind, w.namespace) : undefined;
  }

  private revisionItem(n: Extract<TreeNode, { type: 'revision' }>): vscode.TreeItem {
    const w = this.workload(n.namespace, n.workloadId);
    const r = w?.revisions.find((x) => x.replicaSet === n.replicaSet);
    if (!r) return new vscode.TreeItem(n.replicaSet);
    const roles = r.roles.filter((x) => x !== 'current' && x !== 'old');
    const label = w?.kind === 'BlueGreen' || w?.kind === 'ReplicaCanary' ? `${r.replicaSet.replace(/-[a-z0-9]+$/, '')}` : `revision ${r.revision}`;
    const item = new vscode.TreeItem(label, r.pods.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    const tag = w?.kind === 'BlueGreen' ? (roles.includes('active') ? 'live' : 'idle') : roles.join(', ');
    item.description = `${tag ? tag + ' · ' : ''}${r.images.map((i) => i.split('/').pop()).join(', ')} · ${r.available}/${r.desired} available`;
    item.iconPath = icon(r.health === 'Healthy' ? HEALTH_ICON.Healthy : r.health === 'ReplicaFailure' ? HEALTH_ICON.Degraded : r.health === 'ScaledDown' ? ['circle-slash', 'disabledForeground'] : HEALTH_ICON.Progressing);
    item.contextValue = revisionContextValue(w?.kind, r, !!(w && this.readOnlyReason(w)));
    item.tooltip = new vscode.MarkdownString([`**${r.replicaSet}** · revision ${r.revision}`, '', ...r.images.map((i) => `- \`${i}\``), '', `desired ${r.desired} · current ${r.current} · ready ${r.ready} · available ${r.available}`, r.changeCause ? `\nchange-cause: ${r.changeCause}` : '', r.createdAt ? `\ncreated ${age(r.createdAt)} ago` : ''].join('\n'));
    return item;
  }

  private podItem(n: Extract<TreeNode, { type: 'pod' }>): vscode.TreeItem {
    const p = this.workload(n.namespace, n.workloadId)?.revisions.find((r) => r.replicaSet === n.replicaSet)?.pods.find((x) => x.name === n.pod);
    const item = new vscode.TreeItem(n.pod);
    item.id = n.id;
    if (!p) return item;
    item.description = `${p.state}${p.restarts ? ` · ${p.restarts} restarts` : ''}${p.createdAt ? ` · ${age(p.createdAt)}` : ''}`;
    item.iconPath = icon(POD_ICON[p.state]);
    item.tooltip = `${p.name}\nphase ${p.phase}${p.reason ? ` (${p.reason})` : ''} · ready ${p.ready}\nnode ${p.node ?? '-'}`;
    item.contextValue = 'pod';
    return item;
  }

}
