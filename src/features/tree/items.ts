// How each node of the Rollouts tree looks: label, description, icon, tooltip, context value.
// Reads the view model through the provider's lookup; holds no state of its own.
import * as vscode from 'vscode';
import { attentionContextValue, POD_CONTEXT_VALUE, revisionContextValue, workloadContextValue } from '../../domain/actions/catalogue';
import type { AttentionLevel } from '../../domain/release/attention';
import type { ShownAttention } from '../attention';
import { refOf } from '../../domain/model/contexts';
import { Commands } from '../../commands';
import { missingWrite, type ResourceRule } from '../../domain/model/access';
import { age, scaleDownText } from '../../domain/model/age';
import { eventsAbout, eventTiming, revisionNeedsEvents, revisionObjects } from '../../domain/model/events';
import type { Health } from '../../domain/model/status';
import { replicaSetOf, weightText, type PodView, type WorkloadView } from '../../domain/model/workloads';
import { STRATEGY_NAMES } from '../../domain/release/vocabulary';
import type { GoldenSignals } from '../../domain/metrics/signals';
import type { WorkloadDrift } from '../../domain/manifests/drift';
import type { SignalComparison } from '../../domain/metrics/compare';
import { loadKube } from '../lazy';
import type { ClusterSession } from '../../kube/session';
import { ALL_NAMESPACES, type SessionProblem } from '../session/controller';
import type { TreeNode } from './nodes';
import type { WorkloadFilter } from '../../domain/model/filter';

/** What the items read: each context's session, its selection and the view model the provider holds. */
export interface TreeLookup {
  session(context: string): ClusterSession | undefined;
  /** Why a context has no session. */
  problem(context: string): SessionProblem | undefined;
  /** The primary context's name (Select Context…). */
  primary(): string | undefined;
  /** Whether the view shows more than one context: then rows say which context they are of. */
  multipleContexts(): boolean;
  /** What fails for a context as a whole, as its one error row says it ("Cluster unreachable"), if anything. */
  contextState(context: string): string | undefined;
  /** Whether switchyard.protectedContexts names the context. */
  isProtected(context: string): boolean;
  selectedNamespaces(context: string): string[] | typeof ALL_NAMESPACES;
  isExpanded(context: string, namespace: string): boolean;
  workload(context: string, namespace: string, workloadId: string): WorkloadView | undefined;
  /** The workloads that need attention in every context shown, most urgent first. */
  attention(): readonly ShownAttention[];
  /** RBAC rules of a namespace of a context (undefined: unknown, actions stay visible and check themselves). */
  rules(context: string, namespace: string): ResourceRule[] | undefined;
  /** Golden signals of a workload whose details panel samples them. */
  signals(context: string, workloadId: string): GoldenSignals | undefined;
  /** A row was drawn whose text moves with the clock after `tickMs` (undefined: never): draw it again then. */
  drawn(node: TreeNode, tickMs: number | undefined): void;
  /** The tree's filter, when one is set. */
  filter(): WorkloadFilter | undefined;
  /** How the workload differs from its workspace manifest (undefined: no drift, or no manifest). */
  drift(context: string, w: WorkloadView): WorkloadDrift | undefined;
  /** Whether the user pinned the workload (Pin Workload): it notifies as "mine". */
  isPinned(context: string, w: WorkloadView): boolean;
}

/** "12 workloads", or with a filter "3 of 12 workloads" (`unit` empty: numbers only). */
function countText(all: readonly WorkloadView[], filter: WorkloadFilter | undefined, unit: boolean): string {
  const noun = unit ? ` workload${all.length === 1 ? '' : 's'}` : '';
  return filter ? `${all.filter((w) => filter.matches(w)).length} of ${all.length}${noun}` : `${all.length}${noun}`;
}

/** A pinned workload's tooltip line. */
const PINNED_LINE = '$(pinned) Pinned: notifies you of its changes while switchyard.notifications is "mine" (Unpin Workload to stop).';

/** The tree's word for a golden-signal comparison (the tooltip has the whole line). */
const SIGNALS_WORD: Record<SignalComparison['verdict'], string> = { worse: 'signals worse', same: 'signals no different', insufficient: 'too little traffic' };

const HEALTH_ICON: Record<Health, [string, string | undefined]> = {
  Healthy: ['pass-filled', 'charts.green'],
  Progressing: ['sync~spin', 'charts.blue'],
  Paused: ['debug-pause', 'charts.yellow'],
  Degraded: ['error', 'charts.red'],
  Unknown: ['question', undefined],
};

/** Attention the controller's health does not show yet (new pods that cannot start), over the health icon. */
const ATTENTION_ICON: Partial<Record<AttentionLevel, [string, string]>> = {
  warning: ['warning', 'charts.yellow'],
  error: ['error', 'charts.red'],
};

const POD_ICON: Record<PodView['state'], [string, string | undefined]> = {
  ready: ['circle-filled', 'charts.green'],
  starting: ['loading~spin', 'charts.blue'],
  pending: ['circle-outline', 'charts.yellow'],
  failed: ['error', 'charts.red'],
  terminating: ['circle-slash', 'disabledForeground'],
  succeeded: ['check', undefined],
};

/** An AnalysisRun's or an Experiment's phase (Argo's AnalysisPhase) as a health icon. */
function phaseIcon(phase: string | undefined): [string, string | undefined] {
  return phase === 'Successful' ? HEALTH_ICON.Healthy : phase === 'Failed' || phase === 'Error' ? HEALTH_ICON.Degraded : HEALTH_ICON.Progressing;
}

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
      case 'attention': {
        const list = this.lookup.attention();
        const item = new vscode.TreeItem(`Needs attention (${list.length})`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        const trouble = list.some((a) => a.severity === 'trouble');
        item.iconPath = new vscode.ThemeIcon(trouble ? 'warning' : 'bell', new vscode.ThemeColor(trouble ? 'charts.red' : 'charts.yellow'));
        item.contextValue = 'attention';
        item.tooltip = `Workloads of the watched namespaces${this.lookup.multipleContexts() ? ' of every context shown' : ''} that wait for a person or are in trouble.`;
        return item;
      }
      case 'attentionItem':
        return this.attentionItem(n);
      case 'context':
        return this.contextItem(n);
      case 'namespace': {
        const session = this.lookup.session(n.context);
        const expanded = this.lookup.isExpanded(n.context, n.namespace) || this.lookup.selectedNamespaces(n.context) !== ALL_NAMESPACES || n.namespace === session?.client.contextNamespace;
        const item = new vscode.TreeItem(n.namespace, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'namespace';
        // All namespaces counts a namespace without objects too, once the cluster's watches have listed.
        item.description = session?.isWatching(n.namespace) || session?.isSynced(n.namespace) ? countText(session.workloads(n.namespace), this.lookup.filter(), true) : undefined;
        return item;
      }
      case 'group': {
        const workloads = this.lookup.session(n.context)?.workloads(n.namespace).filter((w) => w.strategy === n.strategy) ?? [];
        const item = new vscode.TreeItem(STRATEGY_NAMES[n.strategy], vscode.TreeItemCollapsibleState.Expanded);
        item.id = n.id;
        item.description = countText(workloads, this.lookup.filter(), false);
        item.iconPath = new vscode.ThemeIcon(n.strategy.startsWith('argo') ? 'rocket' : n.strategy.startsWith('flagger') ? 'flame' : n.strategy === 'bluegreen' ? 'arrow-swap' : n.strategy === 'canary-replicas' ? 'beaker' : 'sync');
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
        const c = this.lookup.workload(n.context, n.namespace, n.workloadId)?.canary;
        const item = new vscode.TreeItem('Steps', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = c ? `${c.step ?? 0}/${c.stepCount} · setWeight ${weightText(c.setWeight, c.maxWeight)} · actual ${weightText(c.actualWeight, c.maxWeight)}` : undefined;
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        return item;
      }
      case 'step': {
        const s = this.lookup.workload(n.context, n.namespace, n.workloadId)?.canary?.steps[n.index];
        const item = new vscode.TreeItem(`${n.index}: ${s?.text ?? ''}`);
        item.id = n.id;
        item.iconPath = new vscode.ThemeIcon(s?.current ? 'arrow-right' : s?.done ? 'check' : 'circle-large-outline', s?.current ? new vscode.ThemeColor('charts.yellow') : undefined);
        item.description = s?.current ? 'current' : undefined;
        return item;
      }
      case 'analysis': {
        const runs = this.lookup.workload(n.context, n.namespace, n.workloadId)?.analysisRuns ?? [];
        const item = new vscode.TreeItem('Analysis', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = runs[0] ? `${runs[0].phase}${runs.length > 1 ? ` · ${runs.length} runs` : ''}` : undefined;
        item.iconPath = new vscode.ThemeIcon('graph');
        return item;
      }
      case 'events':
        return this.eventsItem(n);
      case 'event': {
        const e = n.row;
        const item = new vscode.TreeItem(`${e.reason}: ${e.message}`);
        item.id = n.id;
        item.description = `${e.object.kind} ${e.object.name} · ${eventTiming(e)}`;
        item.iconPath = e.warning ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('info');
        item.tooltip = new vscode.MarkdownString([`**${e.warning ? 'Warning' : e.type}** ${e.reason} · ${e.object.kind} \`${e.object.name}\``, '', e.message, '', `${e.count}× · first ${age(e.first)} ago · last ${age(e.last)} ago${e.source ? ` · ${e.source}` : ''}`].join('\n'));
        item.contextValue = e.warning ? 'event:warning' : 'event';
        return item;
      }
      case 'run': {
        const run = this.lookup.workload(n.context, n.namespace, n.workloadId)?.analysisRuns.find((r) => r.name === n.run);
        const item = new vscode.TreeItem(n.run);
        item.id = n.id;
        item.description = run ? `${run.phase} · ${run.metrics.map((m) => `${m.name} ${m.successful}✓ ${m.failed}✗${m.values.length ? ` last ${m.values.at(-1)}` : ''}`).join(' · ')}` : undefined;
        item.iconPath = icon(phaseIcon(run?.phase));
        item.tooltip = [run?.experiment ? `run by experiment ${run.experiment}` : '', run?.message ?? ''].filter(Boolean).join('\n') || undefined;
        return item;
      }
      case 'experiment': {
        const e = this.lookup.workload(n.context, n.namespace, n.workloadId)?.experiments?.find((x) => x.name === n.experiment);
        const item = new vscode.TreeItem(n.experiment, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = n.id;
        item.description = e ? `Experiment · ${e.phase}${e.current ? ' · current step' : ''}${e.duration ? ` · ${e.duration}` : ''}` : undefined;
        item.iconPath = icon(phaseIcon(e?.phase));
        item.tooltip = e ? [`Experiment ${e.name} · ${e.phase}${e.revision !== undefined ? ` · revision ${e.revision}` : ''}`, e.message ?? '', e.analysisRuns.length ? `analysis: ${e.analysisRuns.join(', ')}` : ''].filter(Boolean).join('\n') : undefined;
        return item;
      }
      case 'template': {
        const t = this.lookup.workload(n.context, n.namespace, n.workloadId)?.experiments?.find((x) => x.name === n.experiment)?.templates.find((x) => x.name === n.template);
        const rs = t?.replicaSet;
        const item = new vscode.TreeItem(n.template, rs?.pods.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = n.id;
        item.description = t ? [rs ? rs.images.map((i) => i.split('/').pop()).join(', ') : 'no ReplicaSet yet', `${rs?.ready ?? 0}/${t.replicas} ready`, t.status ?? '', rs?.problem?.reason ?? ''].filter(Boolean).join(' · ') : undefined;
        item.iconPath = icon(t?.status === 'Failed' || t?.status === 'Error' || rs?.problem ? HEALTH_ICON.Degraded : rs && rs.ready >= t!.replicas ? HEALTH_ICON.Healthy : HEALTH_ICON.Progressing);
        item.tooltip = t ? [`template ${t.name}${rs ? ` · ReplicaSet ${rs.replicaSet}` : ''}`, t.message ?? '', rs?.problem ? `${rs.problem.reason}${rs.problem.message ? `: ${rs.problem.message}` : ''}` : ''].filter(Boolean).join('\n') : undefined;
        return item;
      }
    }
  }

  private workloadItem(n: Extract<TreeNode, { type: 'workload' }>): vscode.TreeItem {
    const w = this.lookup.workload(n.context, n.namespace, n.workloadId);
    if (!w) return new vscode.TreeItem(n.workloadId);
    const item = new vscode.TreeItem(w.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.description = w.description;
    // A workload comes from a cluster session: the Kubernetes bundle, where the verdict lives, is loaded.
    const { attentionLevel, releaseVerdict, tickAfterMs, whyStopped, releaseState, stateText, flaggerLines } = loadKube().release;
    // Only a workload whose details panel is visible has golden signals: nothing is queried for the rest.
    const signals = this.lookup.signals(n.context, w.id);
    const comparison = signals?.comparison;
    item.iconPath = icon(ATTENTION_ICON[attentionLevel(w, comparison)] ?? HEALTH_ICON[w.health]);
    const signalsLine = loadKube().signals.signalsLine(signals);
    if (comparison) item.description = `${w.description} · ${SIGNALS_WORD[comparison.verdict]}`;
    const drift = this.lookup.drift(n.context, w);
    if (drift) item.description = `${item.description} · drift`;
    // Marked in words, last: the icon says the workload's health, and the rows keep their order.
    const pinned = this.lookup.isPinned(n.context, w);
    if (pinned) item.description = `${item.description} · pinned`;
    const readOnly = this.readOnlyReason(n.context, w);
    // The tooltip is built when the item is: its times are as of now, and the row is drawn again when they go stale.
    const now = Date.now();
    const verdict = releaseVerdict(w, now, comparison);
    this.lookup.drawn(n, tickAfterMs(w, now, comparison));
    const why = whyStopped(w);
    item.contextValue = workloadContextValue(w, !!readOnly, pinned);
    const lines = [
      `**${w.name}** · ${w.kind} · ${STRATEGY_NAMES[w.strategy]}`,
      ...(pinned ? ['', PINNED_LINE] : []),
      '',
      `**${verdict.text}**`,
      '',
      `State: **${stateText(releaseState(w))}** · Status: **${w.health}**${w.message ? ` — ${w.message}` : ''}`,
      ...(signalsLine ? ['', `Golden signals (details panel open): ${signalsLine}`] : []),
      ...(why ? ['', 'Why it stopped:', ...why.details.map((d) => `- ${d}`), ...why.advice.map((a) => `- ${a}`)] : []),
      '',
      `Replicas: desired ${w.replicas.desired} · current ${w.replicas.current} · updated ${w.replicas.updated} · ready ${w.replicas.ready} · available ${w.replicas.available}`,
    ];
    if (w.images.length) lines.push('', 'Images:', ...w.images.map((i) => `- \`${i.image}\`${i.tags.length ? ` (${i.tags.join(', ')})` : ''}`));
    if (w.canary) lines.push('', `Canary: setWeight ${weightText(w.canary.setWeight, w.canary.maxWeight)} · actual ${weightText(w.canary.actualWeight, w.canary.maxWeight)}${w.canary.step !== undefined ? ` · step ${w.canary.step}/${w.canary.stepCount}` : ''}${w.canary.pauseReasons.length ? ` · paused (${w.canary.pauseReasons.join(', ')})` : ''}`);
    if (w.canary?.traffic?.length) lines.push('', `Actual traffic (${w.canary.traffic[0].from}):`, ...w.canary.traffic.map((t) => `- \`${t.images.join(', ')}\` ${t.percent}% (${t.roles.join(', ')}, ${t.serving})`));
    if (w.flagger) lines.push('', ...flaggerLines(w, w.flagger).map((l) => (l.startsWith('- ') ? l : `${l}  `)));
    if (w.blueGreen) lines.push('', `Service \`${w.blueGreen.service}\` selects ${w.blueGreen.selectorKey}=${w.blueGreen.live}; endpoints hold ${w.blueGreen.endpointsColours.join(' + ') || 'no'} pods.`);
    // A switch or rollback of what a GitOps controller owns is reverted: who does is said before acting.
    if (w.managedBy?.length) lines.push('', ...w.managedBy.map((m) => `$(sync) ${m.text}`));
    if (drift) {
      const target = encodeURIComponent(JSON.stringify([refOf(w, n.context)]));
      const link = (label: string, command: string) => `[${label}](command:${command}?${target})`;
      lines.push('', ...drift.lines.map((l) => `$(diff) ${l}`), '', [link('Show diff', Commands.ShowDrift), ...(readOnly ? [] : [link('Apply the file to the cluster…', Commands.ApplyManifestValues)]), link('Take the live values into the file', Commands.TakeLiveValues)].join(' · '));
    }
    if (readOnly) lines.push('', `$(lock) ${readOnly}`);
    item.tooltip = new vscode.MarkdownString(lines.join('\n'), true);
    if (drift) item.tooltip.isTrusted = { enabledCommands: [Commands.ShowDrift, Commands.ApplyManifestValues, Commands.TakeLiveValues] };
    return item;
  }

  /** A workload that needs a person: its menus, the action that resolves it inline, a click opens its details. */
  private attentionItem(n: Extract<TreeNode, { type: 'attentionItem' }>): vscode.TreeItem {
    const w = this.lookup.workload(n.context, n.namespace, n.workloadId);
    const a = this.lookup.attention().find((x) => x.context === n.context && x.workloadId === n.workloadId);
    if (!w || !a) return new vscode.TreeItem(n.workloadId);
    const item = new vscode.TreeItem(w.name);
    item.id = n.id;
    // Beside other contexts, each entry says which context it is in, before its namespace.
    const where = this.lookup.multipleContexts() ? `${n.context} · ${w.namespace}` : w.namespace;
    item.description = `${a.summary}${a.since ? ` · ${age(a.since)}` : ''} · ${where}`;
    item.iconPath = icon(a.severity === 'trouble' ? HEALTH_ICON.Degraded : HEALTH_ICON.Paused);
    const readOnly = this.readOnlyReason(n.context, w);
    item.contextValue = attentionContextValue(w, !!readOnly, a.actions[0], this.lookup.isPinned(n.context, w));
    item.tooltip = new vscode.MarkdownString([`**${w.name}** · ${where} · ${STRATEGY_NAMES[w.strategy]}`, '', `${a.severity === 'trouble' ? 'In trouble' : 'Waits for you'}: ${a.summary}`, '', w.message, ...(readOnly ? ['', `$(lock) ${readOnly}`] : [])].join('\n'), true);
    item.command = { command: Commands.OpenRolloutDetails, title: 'Open Rollout Details', arguments: [refOf(w, n.context)] };
    return item;
  }

  /**
   * A context row: its name and server; beside other contexts also which one is primary, whether it
   * is protected and how its session is (its own problem, unreachable), so one broken context shows as such.
   */
  private contextItem(n: Extract<TreeNode, { type: 'context' }>): vscode.TreeItem {
    const session = this.lookup.session(n.name);
    const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = n.id;
    const primary = n.name === this.lookup.primary();
    const isProtected = this.lookup.isProtected(n.name);
    const connection = session?.connection();
    const failed = this.lookup.contextState(n.name);
    const state = !session ? 'problem' : connection?.state === 'disconnected' || failed === 'Cluster unreachable' ? 'unreachable' : failed?.toLowerCase();
    const multiple = this.lookup.multipleContexts();
    item.description = multiple ? [session?.client.server, primary ? 'primary' : undefined, isProtected ? 'protected' : undefined, state].filter(Boolean).join(' · ') : session?.client.server;
    item.iconPath = multiple && state ? new vscode.ThemeIcon(session ? 'debug-disconnect' : 'warning', new vscode.ThemeColor(session ? 'charts.red' : 'charts.yellow')) : new vscode.ThemeIcon(isProtected && multiple ? 'shield' : 'server-environment');
    item.contextValue = primary ? 'context' : 'context:added';
    const problem = session ? undefined : this.lookup.problem(n.name)?.message;
    item.tooltip = [`Context ${n.name}${primary && multiple ? ' (primary: Select Context…)' : ''}`, session?.client.server ?? '', isProtected ? 'Protected (switchyard.protectedContexts): every change here asks you to type its name.' : '', problem ?? ''].filter(Boolean).join('\n');
    return item;
  }

  private readOnlyReason(context: string, w: WorkloadView): string | undefined {
    const rules = this.lookup.rules(context, w.namespace);
    return rules ? missingWrite(rules, w.kind, w.namespace) : undefined;
  }

  private revisionItem(n: Extract<TreeNode, { type: 'revision' }>): vscode.TreeItem {
    const w = this.lookup.workload(n.context, n.namespace, n.workloadId);
    const r = w?.revisions.find((x) => x.replicaSet === n.replicaSet);
    if (!r) return new vscode.TreeItem(n.replicaSet);
    const roles = r.roles.filter((x) => x !== 'current' && x !== 'old');
    // A group's revisions (and a Flagger Canary's: primary and target) are named by their Deployment; each has its own revision numbers.
    const label = w?.kind === 'BlueGreen' || w?.kind === 'ReplicaCanary' ? `${r.replicaSet.replace(/-[a-z0-9]+$/, '')}` : w?.kind === 'Canary' ? `${r.replicaSet.replace(/-[a-z0-9]+$/, '')} rev ${r.revision}` : `revision ${r.revision}`;
    const item = new vscode.TreeItem(label, r.pods.length || revisionNeedsEvents(r) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    const tag = w?.kind === 'BlueGreen' ? `${roles.includes('active') ? 'live' : 'idle'}${r.roles.includes('old') ? ', old' : ''}` : roles.join(', ');
    const serving = r.endpoints !== undefined ? ` · ${r.endpoints} serving` : '';
    const scaleDown = scaleDownText(r.scaleDownDeadline);
    item.description = `${tag ? tag + ' · ' : ''}${r.images.map((i) => i.split('/').pop()).join(', ')} · ${r.available}/${r.desired} available${serving}${r.problem ? ` · ${r.problem.reason}` : ''}${scaleDown ? ` · ${scaleDown}` : ''}`;
    item.iconPath = icon(r.health === 'Healthy' ? HEALTH_ICON.Healthy : r.health === 'ReplicaFailure' ? HEALTH_ICON.Degraded : r.health === 'ScaledDown' ? ['circle-slash', 'disabledForeground'] : HEALTH_ICON.Progressing);
    item.contextValue = revisionContextValue(w, r, !!(w && this.readOnlyReason(n.context, w)));
    item.tooltip = new vscode.MarkdownString([`**${r.replicaSet}** · revision ${r.revision}`, '', ...r.images.map((i) => `- \`${i}\``), '', `desired ${r.desired} · current ${r.current} · ready ${r.ready} · available ${r.available}`, r.problem ? `\n**${r.problem.reason}**${r.problem.message ? `: ${r.problem.message}` : ''}` : '', r.changeCause ? `\nchange-cause: ${r.changeCause}` : '', r.createdAt ? `\ncreated ${age(r.createdAt)} ago` : ''].join('\n'));
    return item;
  }

  /** "Events" under an unhealthy revision: collapsed until asked for (its watch starts then); once watched, the latest warning in the description. */
  private eventsItem(n: Extract<TreeNode, { type: 'events' }>): vscode.TreeItem {
    const item = new vscode.TreeItem('Events', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = n.id;
    item.iconPath = new vscode.ThemeIcon('bell');
    const session = this.lookup.session(n.context);
    const w = this.lookup.workload(n.context, n.namespace, n.workloadId);
    if (session?.eventsState(n.namespace)?.synced && w) {
      const rows = eventsAbout(revisionObjects(w, n.replicaSet, session.snapshot(n.namespace)), session.events(n.namespace));
      const warning = rows.find((r) => r.warning);
      item.description = warning ? `${rows.filter((r) => r.warning).length} warning(s) · latest ${warning.reason} ${eventTiming(warning)}` : `${rows.length} event(s)`;
      if (warning) item.iconPath = new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('charts.yellow'));
    } else item.description = 'expand to watch';
    item.tooltip = 'Kubernetes events of this revision\'s ReplicaSet and pods, watched while expanded.';
    return item;
  }

  private podItem(n: Extract<TreeNode, { type: 'pod' }>): vscode.TreeItem {
    const w = this.lookup.workload(n.context, n.namespace, n.workloadId);
    const p = (w && replicaSetOf(w, n.replicaSet))?.pods.find((x) => x.name === n.pod);
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
