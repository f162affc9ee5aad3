// How each node of the Rollouts tree looks: label, description, icon, tooltip, context value.
// Reads the view model through the provider's lookup; holds no state of its own.
import * as vscode from 'vscode';
import { POD_CONTEXT_VALUE, revisionContextValue, workloadContextValue } from '../../domain/actions/catalogue';
import { missingWrite, type ResourceRule } from '../../domain/model/access';
import { age } from '../../domain/model/age';
import type { Health } from '../../domain/model/status';
import type { PodView, WorkloadView } from '../../domain/model/workloads';
import { STRATEGY_NAMES } from '../../domain/release/vocabulary';
import type { ClusterSession } from '../../kube/session';
import { ALL_NAMESPACES } from '../session/controller';
import type { TreeNode } from './nodes';

/** What the items read: the session, the selection and the view model the provider holds. */
export interface TreeLookup {
  session(): ClusterSession | undefined;
  selectedNamespaces(): string[] | typeof ALL_NAMESPACES;
  isExpanded(namespace: string): boolean;
  workload(namespace: string, workloadId: string): WorkloadView | undefined;
  /** RBAC rules of a namespace (undefined: unknown, actions stay visible and check themselves). */
  rules(namespace: string): ResourceRule[] | undefined;
}

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

export class TreeItems {
  constructor(private readonly lookup: TreeLookup) {}

  item(n: TreeNode): vscode.TreeItem {
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
        const session = this.lookup.session();
        const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        item.description = session?.client.server;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'context';
        item.tooltip = `Context ${n.name}\n${session?.client.server ?? ''}`;
        return item;
      }
      case 'namespace': {
        const session = this.lookup.session();
        const expanded = this.lookup.isExpanded(n.namespace) || this.lookup.selectedNamespaces() !== ALL_NAMESPACES || n.namespace === session?.client.contextNamespace;
        const item = new vscode.TreeItem(n.namespace, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'namespace';
        const count = session?.isWatching(n.namespace) ? session.workloads(n.namespace).length : undefined;
        item.description = count !== undefined ? `${count} workload${count === 1 ? '' : 's'}` : undefined;
        return item;
      }
      case 'group': {
        const workloads = this.lookup.session()?.workloads(n.namespace).filter((w) => w.strategy === n.strategy) ?? [];
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
        const c = this.lookup.workload(n.namespace, n.workloadId)?.canary;
        const item = new vscode.TreeItem('Steps', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = c ? `${c.step ?? 0}/${c.stepCount} · setWeight ${c.setWeight}% · actual ${c.actualWeight}%` : undefined;
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        return item;
      }
      case 'step': {
        const s = this.lookup.workload(n.namespace, n.workloadId)?.canary?.steps[n.index];
        const item = new vscode.TreeItem(`${n.index}: ${s?.text ?? ''}`);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon(s?.current ? 'arrow-right' : s?.done ? 'check' : 'circle-large-outline', s?.current ? new vscode.ThemeColor('charts.yellow') : undefined);
        item.description = s?.current ? 'current' : undefined;
        return item;
      }
      case 'analysis': {
        const runs = this.lookup.workload(n.namespace, n.workloadId)?.analysisRuns ?? [];
        const item = new vscode.TreeItem('Analysis', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = runs[0] ? `${runs[0].phase}${runs.length > 1 ? ` · ${runs.length} runs` : ''}` : undefined;
        item.iconPath = new vscode.ThemeIcon('graph');
        return item;
      }
      case 'run': {
        const run = this.lookup.workload(n.namespace, n.workloadId)?.analysisRuns.find((r) => r.name === n.run);
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
    const w = this.lookup.workload(n.namespace, n.workloadId);
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
    if (w.canary?.traffic?.length) lines.push('', `Actual traffic (${w.canary.traffic[0].from}):`, ...w.canary.traffic.map((t) => `- \`${t.images.join(', ')}\` ${t.percent}% (${t.roles.join(', ')}, ${t.serving})`));
    if (w.blueGreen) lines.push('', `Service \`${w.blueGreen.service}\` selects ${w.blueGreen.selectorKey}=${w.blueGreen.live}; endpoints hold ${w.blueGreen.endpointsColours.join(' + ') || 'no'} pods.`);
    if (readOnly) lines.push('', `$(lock) ${readOnly}`);
    item.tooltip = new vscode.MarkdownString(lines.join('\n'), true);
    return item;
  }

  private readOnlyReason(w: WorkloadView): string | undefined {
    const rules = this.lookup.rules(w.namespace);
    return rules ? missingWrite(rules, w.kind, w.namespace) : undefined;
  }

  private revisionItem(n: Extract<TreeNode, { type: 'revision' }>): vscode.TreeItem {
    const w = this.lookup.workload(n.namespace, n.workloadId);
    const r = w?.revisions.find((x) => x.replicaSet === n.replicaSet);
    if (!r) return new vscode.TreeItem(n.replicaSet);
    const roles = r.roles.filter((x) => x !== 'current' && x !== 'old');
    const label = w?.kind === 'BlueGreen' || w?.kind === 'ReplicaCanary' ? `${r.replicaSet.replace(/-[a-z0-9]+$/, '')}` : `revision ${r.revision}`;
    const item = new vscode.TreeItem(label, r.pods.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    const tag = w?.kind === 'BlueGreen' ? `${roles.includes('active') ? 'live' : 'idle'}${r.roles.includes('old') ? ', old' : ''}` : roles.join(', ');
    const serving = r.endpoints !== undefined ? ` · ${r.endpoints} serving` : '';
    item.description = `${tag ? tag + ' · ' : ''}${r.images.map((i) => i.split('/').pop()).join(', ')} · ${r.available}/${r.desired} available${serving}${r.problem ? ` · ${r.problem.reason}` : ''}`;
    item.iconPath = icon(r.health === 'Healthy' ? HEALTH_ICON.Healthy : r.health === 'ReplicaFailure' ? HEALTH_ICON.Degraded : r.health === 'ScaledDown' ? ['circle-slash', 'disabledForeground'] : HEALTH_ICON.Progressing);
    item.contextValue = revisionContextValue(w, r, !!(w && this.readOnlyReason(w)));
    item.tooltip = new vscode.MarkdownString([`**${r.replicaSet}** · revision ${r.revision}`, '', ...r.images.map((i) => `- \`${i}\``), '', `desired ${r.desired} · current ${r.current} · ready ${r.ready} · available ${r.available}`, r.problem ? `\n**${r.problem.reason}**${r.problem.message ? `: ${r.problem.message}` : ''}` : '', r.changeCause ? `\nchange-cause: ${r.changeCause}` : '', r.createdAt ? `\ncreated ${age(r.createdAt)} ago` : ''].join('\n'));
    return item;
  }

  private podItem(n: Extract<TreeNode, { type: 'pod' }>): vscode.TreeItem {
    const p = this.lookup.workload(n.namespace, n.workloadId)?.revisions.find((r) => r.replicaSet === n.replicaSet)?.pods.find((x) => x.name === n.pod);
    const item = new vscode.TreeItem(n.pod);
    item.id = n.id;
    if (!p) return item;
    item.description = `${p.state}${p.problem ? ` · ${p.problem.reason}` : ''}${p.restarts ? ` · ${p.restarts} restarts` : ''}${p.createdAt ? ` · ${age(p.createdAt)}` : ''}`;
    item.iconPath = icon(POD_ICON[p.state]);
    item.tooltip = `${p.name}\nphase ${p.phase}${p.reason ? ` (${p.reason})` : ''} · ready ${p.ready}\nnode ${p.node ?? '-'}${p.problem ? `\n${p.problem.reason}${p.problem.container ? ` (container ${p.problem.container}${p.problem.image ? `, ${p.problem.image}` : ''})` : ''}${p.problem.message ? `: ${p.problem.message}` : ''}` : ''}`;
    item.contextValue = POD_CONTEXT_VALUE;
    return item;
  }
}
