// The one table of what a workload offers: every action, which workload kinds and states it applies
// to, its command, title and icon, whether it targets a revision, where it appears (tree inline /
// tree menu / details panel / CodeLens / palette) and whether it writes. The extension's command
// registration, the tree's context values and menus (package.json, checked against this table by a
// unit test both ways), the panel's buttons and the manifests' CodeLenses are all derived from it.
// Adding an action means one row here plus its handler. Pure: no `vscode`.
import { Commands, type CommandId } from '../../commands';
import type { RevisionView, WorkloadView, WorkloadKind } from '../model/workloads';
import type { PanelAction } from '../panels/state';
import { notReadyReason, promotedRevision, revisionReady } from '../model/reasons';
import { canGoBackTo } from './revisions';
import { ANALYSING, ROLLBACK_CHECKED, gateHooks } from './flaggerGates';
import { abortPending, isAborted } from '../release/stopped';

/** One action of the catalogue; `id` names it for its handler. */
export type ActionId =
  | 'openDetails'
  | 'switchTraffic' | 'switchBack'
  | 'rollbackDeployment' | 'pauseDeployment' | 'resumeDeployment' | 'restartDeployment' | 'scaleDeployment'
  | 'setCanaryShare' | 'promoteCanary' | 'abortCanary'
  | 'promoteRollout' | 'promoteFullRollout' | 'abortRollout' | 'retryRollout' | 'undoRollout' | 'restartRollout' | 'pauseRollout' | 'resumeRollout'
  | 'suspendCanary' | 'resumeCanary' | 'retryCanary' | 'skipAnalysisCanary' | 'restoreAnalysisCanary' | 'approveCanary' | 'haltCanary' | 'openRollbackCanary' | 'closeRollbackCanary'
  | 'podLogs' | 'followPodLogs' | 'podEvents' | 'describePod' | 'deletePod' | 'copyPodName'
  | 'evaluateAnalysis'
  | 'switchTrafficInGit' | 'rollbackInGit' | 'setCanaryShareInGit' | 'setRolloutFieldInGit';

/**
 * A state of a workload that a menu entry needs, as the tree's context value spells it. A Flagger
 * Canary's: `gated` (a webhook checks a load tester's gate), `rollbackgate` (a rollback hook does),
 * `skipanalysis` (spec.skipAnalysis is on).
 */
/** promotable: its promote would go through now (something to promote, and that revision ready): the inline Promote is shown then only. */
export type WorkloadFlag = 'aborted' | 'switched' | 'gated' | 'rollbackgate' | 'skipanalysis' | 'promotable';

/** A button of the details panel, as the webview renders it. */
export interface ActionButton {
  action: PanelAction;
  label: string;
  /** Tooltip: what the command will do. */
  title: string;
  revision?: number;
  primary?: boolean;
  disabled?: boolean;
}

export interface ActionSpec {
  id: ActionId;
  command: CommandId;
  /** The command's title in the palette and the menus. */
  title: string;
  /** A codicon id, without `$()`. */
  icon: string;
  kinds: readonly WorkloadKind[];
  /** The workload's node offers it (`workload`), an old revision's node does (`revision`), or both; or a pod's node (`pod`). */
  target: 'workload' | 'revision' | 'both' | 'pod';
  /** Changes the cluster: hidden in read-only mode and on nodes the user may not change. */
  writes: boolean;
  /** Offered in the tree's menu only in this state. */
  when?: WorkloadFlag;
  /** Shown on the node itself, besides the context menu; a flag: only in that state (the context menu offers it always). */
  inline?: boolean | WorkloadFlag;
  /** Resolves what a "Needs attention" node is about (domain/release/attention.ts): shown inline there. */
  resolves?: true;
  /** The context menu group (default 1_actions). */
  group?: string;
  /** A button of the details panel: its verb and how it reads for this workload (undefined: not shown). */
  panel?: { action: PanelAction; button?: (w: WorkloadView) => Omit<ActionButton, 'action'> | undefined };
  /** A CodeLens on the workload's manifest, with this text. */
  lens?: string;
  /** Hidden from the command palette (default: shown there, asking which workload). */
  notInPalette?: true;
  /** The same change made in Git (the Git path): offered instead on a GitOps-managed workload, whose controller would undo this one. */
  viaGit?: ActionId;
}

const ALL_KINDS: readonly WorkloadKind[] = ['Deployment', 'Rollout', 'BlueGreen', 'ReplicaCanary', 'Canary'];

/** An Argo Rollout that was aborted (status.abort, release/stopped.ts), or a replica canary scaled to 0. */
export function rolloutAborted(w: WorkloadView): boolean {
  return w.kind === 'Rollout' ? isAborted(w) : !!w.canary?.aborted;
}

/**
 * A promote button: off when there is nothing to promote (no canary or preview: fully promoted, or
 * a replica canary at 0 or on the stable image), and saying so, not primary, when what it would
 * promote is not ready (the promotion is then refused unless forced).
 */
/** Why a promote of `w` cannot go through now: nothing to promote (`nothing`), or a candidate that is not ready (`notReady`); undefined: it can. */
function promoteBlocker(w: WorkloadView): { nothing: string } | { notReady: string } | undefined {
  const r = promotedRevision(w);
  // A replica canary is its canary Deployment (whose ReplicaSets may not be listed yet); a Rollout's is its canary or preview revision.
  const why = rolloutAborted(w)
    ? (w.kind === 'ReplicaCanary' ? 'the canary is scaled to 0' : 'the update was aborted')
    : w.kind === 'ReplicaCanary'
      ? (w.canary?.canaryImages.join() === w.canary?.stableImages.join() ? 'the canary runs the stable image' : undefined)
      : (!r ? 'no canary or preview revision' : undefined);
  if (why) return { nothing: why };
  if (r && !revisionReady(r)) return { notReady: `The ${r.roles.includes('preview') ? 'preview' : 'canary'} is not ready (${notReadyReason(r)})` };
  return undefined;
}

function promoteButton(w: WorkloadView, label: string, title: string, primary: boolean): Omit<ActionButton, 'action'> {
  const blocker = promoteBlocker(w);
  if (blocker && 'nothing' in blocker) return { label, title: `Nothing to promote: ${blocker.nothing}.`, disabled: true };
  if (blocker) return { label, title: `${blocker.notReady}: the promotion will be refused unless forced.` };
  return { label, title, primary };
}

/** Switch and Switch back of a blue/green pair; after a switch, going back to the idle colour is one button, the exact undo. */
function switchButton(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
  const bg = w.blueGreen;
  if (bg?.switchBackTo && bg.switchBackTo === bg.idle) return undefined;
  const idle = bg?.idle ?? 'the idle colour';
  return {
    label: `Switch to ${idle}`,
    title: bg?.idleReady ? `Point Service "${bg.service}" at ${idle}: all traffic moves at once.` : `${idle} is not fully available: the switch will be refused unless forced.`,
    primary: !!bg?.idleReady,
  };
}

function switchBackButton(w: WorkloadView): Omit<ActionButton, 'action'> {
  const bg = w.blueGreen;
  if (!bg?.switchBackTo) return { label: 'Switch back', title: 'No switch made with Switchyard is recorded on this Service: nothing to switch back to.', disabled: true };
  const back = { label: `Switch back to ${bg.switchBackTo}`, title: `Restore the selector the last switch replaced (${bg.selectorKey}: ${bg.switchBackTo}).` };
  // When it is the only button, it is as primary as Switch would have been.
  return bg.switchBackTo === bg.idle ? { ...back, primary: !!bg.idleReady } : back;
}

/**
 * The buttons of a Flagger Canary, decided on its phase as Flagger's scheduler reads it (the plans of
 * flagger.ts refuse the same states): Approve is on while a gate holds the phase (f.gates: confirm-rollout
 * for Waiting, confirm-promotion for WaitingPromotion, confirm-traffic-increase for a Progressing step);
 * the rollback gate while Flagger asks its rollback hooks; Suspend or Resume, and Promote without
 * analysis or Restore, whichever applies. Gate buttons only for a Canary with such a gate.
 */
const canaryButtons = {
  approve(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    const f = w.flagger;
    if (!f || !workloadFlags(w).includes('gated')) return undefined;
    const gated = new Set(gateHooks(f.canary, 'confirm').hooks.map((h) => h.webhook.name));
    const holding = f.gates.filter((g) => gated.has(g.name));
    if (f.suspended || !holding.length) return { label: 'Approve', title: `No gate holds "${w.name}" now (${f.suspended ? 'suspended' : `phase ${f.phase ?? 'unknown'}`}): Approve opens its gate while Flagger waits there.`, disabled: true };
    const names = holding.map((g) => g.name).join(', ');
    const then = f.phase === 'Waiting' ? 'the analysis starts' : f.phase === 'WaitingPromotion' ? 'Flagger promotes the canary' : 'the next traffic step may pass';
    return { label: 'Approve', title: `Open gate ${names} on its load tester: at Flagger's next check (every ${f.interval}) ${then}. It stays open until Halt.`, primary: f.phase !== 'Progressing' };
  },
  halt(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    if (!w.flagger || !workloadFlags(w).includes('gated')) return undefined;
    return { label: 'Halt', title: 'Close the gate on its load tester: Flagger stops at the next gated step and waits there for approval (an open gate also lets later releases through).' };
  },
  openRollback(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    const f = w.flagger;
    if (!f || !workloadFlags(w).includes('rollbackgate')) return undefined;
    if (!f.phase || !ROLLBACK_CHECKED.includes(f.phase)) return { label: 'Roll back', title: `Not being analysed (phase ${f.phase ?? 'unknown'}): an open rollback gate would roll back the next release as soon as it starts.`, disabled: true };
    return { label: 'Roll back', title: `Open the rollback gate: at Flagger's next check (every ${f.interval}) all traffic goes back to ${f.primary} and the canary scales to 0.` };
  },
  closeRollback(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    if (!w.flagger || !workloadFlags(w).includes('rollbackgate')) return undefined;
    return { label: 'Close rollback gate', title: 'Close the rollback gate on its load tester: the rollback hooks stop asking Flagger to roll back.' };
  },
  retry(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    const f = w.flagger;
    if (!f) return undefined;
    if (f.suspended) return { label: 'Retry', title: 'Suspended: Flagger would not look at a new revision. Resume it first.', disabled: true };
    if (!f.phase || f.phase === 'Initializing') return { label: 'Retry', title: `Flagger has not taken "${f.target}" over yet (phase ${f.phase ?? 'none yet'}).`, disabled: true };
    if (ANALYSING.includes(f.phase)) return { label: 'Retry', title: `An analysis runs now (phase ${f.phase}): a new one starts over from the first step, so it is refused unless forced.` };
    return { label: 'Retry', title: `Give the pod template of "${f.target}" a new annotation: Flagger analyses it again from the first step.`, primary: f.phase === 'Failed' };
  },
  suspend(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    if (!w.flagger || w.flagger.suspended) return undefined;
    return { label: 'Suspend', title: 'Set spec.suspend: Flagger stops acting on this Canary (no step, no promotion, no rollback) and traffic stays where it is.' };
  },
  resume(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    if (!w.flagger?.suspended) return undefined;
    return { label: 'Resume', title: 'Clear spec.suspend: Flagger goes on from where it stopped.', primary: true };
  },
  skipAnalysis(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    const f = w.flagger;
    if (!f || !f.hasAnalysis || f.skipAnalysis) return undefined;
    return { label: 'Promote without analysis', title: 'Set spec.skipAnalysis: Flagger skips the metrics, every webhook and the traffic steps, and promotes this and every later revision unchecked until Restore.' };
  },
  restoreAnalysis(w: WorkloadView): Omit<ActionButton, 'action'> | undefined {
    if (!w.flagger?.skipAnalysis) return undefined;
    return { label: 'Restore analysis', title: 'Set spec.skipAnalysis back to false: the next revision is analysed again.', primary: true };
  },
};

/**
 * The Git path (issue 15): the same release changes made as an edit of the workspace manifest, for
 * the user to commit; they change no cluster object (not `writes`). Their menu group comes before
 * the direct actions: on a GitOps-managed workload they are the ones that last.
 */
const GIT_GROUP = '0_viaGit';

/** The catalogue, in the order the panel shows its buttons. */
export const ACTIONS: readonly ActionSpec[] = [
  { id: 'openDetails', command: Commands.OpenRolloutDetails, title: 'Open Rollout Details', icon: 'preview', kinds: ALL_KINDS, target: 'workload', writes: false, inline: true, group: '0_open' },

  { id: 'switchTraffic', command: Commands.SwitchTraffic, title: 'Switch Traffic…', icon: 'arrow-swap', kinds: ['BlueGreen'], target: 'workload', writes: true, inline: true, panel: { action: 'switch', button: switchButton }, lens: '$(arrow-swap) Switch traffic…', viaGit: 'switchTrafficInGit' },
  { id: 'switchBack', command: Commands.SwitchBack, title: 'Switch Back', icon: 'history', kinds: ['BlueGreen'], target: 'workload', writes: true, resolves: true, when: 'switched', panel: { action: 'switchBack', button: switchBackButton }, lens: '$(history) Switch back', viaGit: 'switchTrafficInGit' },

  { id: 'rollbackDeployment', command: Commands.RollbackDeployment, title: 'Roll Back Deployment…', icon: 'discard', kinds: ['Deployment'], target: 'both', writes: true, resolves: true, panel: { action: 'rollback' }, lens: '$(discard) Roll back…', viaGit: 'rollbackInGit' },
  { id: 'pauseDeployment', command: Commands.PauseDeployment, title: 'Pause Deployment', icon: 'debug-pause', kinds: ['Deployment'], target: 'workload', writes: true },
  { id: 'resumeDeployment', command: Commands.ResumeDeployment, title: 'Resume Deployment', icon: 'debug-continue', kinds: ['Deployment'], target: 'workload', writes: true, resolves: true },
  { id: 'restartDeployment', command: Commands.RestartDeployment, title: 'Restart Deployment', icon: 'debug-restart', kinds: ['Deployment'], target: 'workload', writes: true },
  { id: 'scaleDeployment', command: Commands.ScaleDeployment, title: 'Scale Deployment…', icon: 'arrow-both', kinds: ['Deployment'], target: 'workload', writes: true },

  { id: 'setCanaryShare', command: Commands.SetCanaryShare, title: 'Set Canary Share…', icon: 'settings', kinds: ['ReplicaCanary'], target: 'workload', writes: true, viaGit: 'setCanaryShareInGit' },
  {
    id: 'promoteCanary', command: Commands.PromoteCanary, title: 'Promote Canary', icon: 'check-all', kinds: ['ReplicaCanary'], target: 'workload', writes: true, inline: 'promotable',
    panel: { action: 'promote', button: (w) => promoteButton(w, 'Promote', 'Give the stable Deployment the canary template and scale the canary to 0.', true) },
  },
  {
    id: 'abortCanary', command: Commands.AbortCanary, title: 'Abort Canary', icon: 'close', kinds: ['ReplicaCanary'], target: 'workload', writes: true, resolves: true,
    panel: { action: 'abort', button: (w) => ({ label: 'Abort', title: 'Scale the canary to 0: all traffic back to stable.', disabled: !!w.canary?.aborted }) },
  },

  {
    id: 'promoteRollout', command: Commands.PromoteRollout, title: 'Promote Rollout', icon: 'play', kinds: ['Rollout'], target: 'workload', writes: true, inline: 'promotable', lens: '$(play) Promote',
    panel: { action: 'promote', button: (w) => promoteButton(w, 'Promote', 'Resume: skip the current pause (or promote the preview).', w.health === 'Paused') },
  },
  {
    id: 'promoteFullRollout', command: Commands.PromoteFullRollout, title: 'Promote Rollout Fully', icon: 'run-all', kinds: ['Rollout'], target: 'workload', writes: true,
    panel: { action: 'promoteFull', button: (w) => promoteButton(w, 'Promote full', 'Skip every remaining step and analysis: go to 100% now.', false) },
  },
  {
    id: 'abortRollout', command: Commands.AbortRollout, title: 'Abort Rollout', icon: 'stop', kinds: ['Rollout'], target: 'workload', writes: true, resolves: true, lens: '$(stop) Abort',
    panel: { action: 'abort', button: (w) => ({ label: 'Abort', title: 'Send all traffic back to stable and scale the canary down.', disabled: rolloutAborted(w) || w.health === 'Healthy' }) },
  },
  {
    id: 'retryRollout', command: Commands.RetryRollout, title: 'Retry Rollout', icon: 'refresh', kinds: ['Rollout'], target: 'workload', writes: true, resolves: true,
    panel: { action: 'retry', button: (w) => (abortPending(w) ? { label: 'Retry', title: 'The controller has not acted on the abort yet: a retry now would cancel it.', disabled: true } : { label: 'Retry', title: 'Start the aborted update again from the first step.', disabled: !rolloutAborted(w) }) },
  },
  { id: 'undoRollout', command: Commands.UndoRollout, title: 'Undo Rollout…', icon: 'discard', kinds: ['Rollout'], target: 'both', writes: true, resolves: true, panel: { action: 'rollback' }, lens: '$(discard) Undo…', viaGit: 'rollbackInGit' },
  { id: 'restartRollout', command: Commands.RestartRollout, title: 'Restart Rollout', icon: 'debug-restart', kinds: ['Rollout'], target: 'workload', writes: true },
  { id: 'pauseRollout', command: Commands.PauseRollout, title: 'Pause Rollout', icon: 'debug-pause', kinds: ['Rollout'], target: 'workload', writes: true },
  { id: 'resumeRollout', command: Commands.ResumeRollout, title: 'Resume Rollout', icon: 'debug-continue', kinds: ['Rollout'], target: 'workload', writes: true, resolves: true },
  {
    // reads only: one measurement of each Prometheus metric of the Rollout's templates, no AnalysisRun
    id: 'evaluateAnalysis', command: Commands.EvaluateAnalysis, title: 'Evaluate Analysis Now…', icon: 'beaker', kinds: ['Rollout'], target: 'workload', writes: false,
    panel: { action: 'evaluate', button: (w) => (w.analysisTemplates?.length ? { label: 'Evaluate analysis now', title: `Query Prometheus now for ${w.analysisTemplates.map((t) => t.templateName).join(', ')} and say what Argo would record (no AnalysisRun is created).` } : undefined) },
  },

  { id: 'switchTrafficInGit', command: Commands.SwitchTrafficInGit, title: 'Switch Traffic in Git…', icon: 'git-commit', kinds: ['BlueGreen'], target: 'workload', writes: false, group: GIT_GROUP, lens: '$(git-commit) Switch in Git…' },
  { id: 'rollbackInGit', command: Commands.RollbackInGit, title: 'Roll Back in Git…', icon: 'git-commit', kinds: ['Deployment', 'Rollout'], target: 'both', writes: false, group: GIT_GROUP, lens: '$(git-commit) Roll back in Git…' },
  { id: 'setCanaryShareInGit', command: Commands.SetCanaryShareInGit, title: 'Set Canary Share in Git…', icon: 'git-commit', kinds: ['ReplicaCanary'], target: 'workload', writes: false, group: GIT_GROUP, lens: '$(git-commit) Set share in Git…' },
  { id: 'setRolloutFieldInGit', command: Commands.SetRolloutFieldInGit, title: 'Set Rollout Field in Git…', icon: 'git-commit', kinds: ['Rollout'], target: 'workload', writes: false, group: GIT_GROUP, lens: '$(git-commit) Set field in Git…' },
  // Flagger's Canary: decided on its own spec and status (w.flagger.canary); the gates through its load tester (src/kube/loadtester.ts).
  { id: 'approveCanary', command: Commands.ApproveCanary, title: 'Approve Canary (Open Gate)', icon: 'pass', kinds: ['Canary'], target: 'workload', writes: true, inline: true, resolves: true, when: 'gated', panel: { action: 'approve', button: canaryButtons.approve } },
  { id: 'haltCanary', command: Commands.HaltCanary, title: 'Halt Canary (Close Gate)', icon: 'circle-slash', kinds: ['Canary'], target: 'workload', writes: true, when: 'gated', panel: { action: 'halt', button: canaryButtons.halt } },
  { id: 'openRollbackCanary', command: Commands.OpenRollbackCanary, title: 'Roll Back Canary (Open Rollback Gate)', icon: 'discard', kinds: ['Canary'], target: 'workload', writes: true, resolves: true, when: 'rollbackgate', panel: { action: 'openRollback', button: canaryButtons.openRollback } },
  { id: 'closeRollbackCanary', command: Commands.CloseRollbackCanary, title: 'Close Rollback Gate', icon: 'lock', kinds: ['Canary'], target: 'workload', writes: true, when: 'rollbackgate', panel: { action: 'closeRollback', button: canaryButtons.closeRollback } },
  { id: 'retryCanary', command: Commands.RetryCanary, title: 'Retry Canary (New Analysis)', icon: 'refresh', kinds: ['Canary'], target: 'workload', writes: true, resolves: true, panel: { action: 'retry', button: canaryButtons.retry } },
  { id: 'suspendCanary', command: Commands.SuspendCanary, title: 'Suspend Canary', icon: 'debug-pause', kinds: ['Canary'], target: 'workload', writes: true, panel: { action: 'suspend', button: canaryButtons.suspend } },
  { id: 'resumeCanary', command: Commands.ResumeCanary, title: 'Resume Canary', icon: 'debug-continue', kinds: ['Canary'], target: 'workload', writes: true, resolves: true, panel: { action: 'resume', button: canaryButtons.resume } },
  { id: 'skipAnalysisCanary', command: Commands.SkipAnalysisCanary, title: 'Promote without analysis (skipAnalysis)', icon: 'run-all', kinds: ['Canary'], target: 'workload', writes: true, group: '3_danger', panel: { action: 'skipAnalysis', button: canaryButtons.skipAnalysis } },
  { id: 'restoreAnalysisCanary', command: Commands.RestoreAnalysisCanary, title: 'Restore Analysis (skipAnalysis: false)', icon: 'beaker', kinds: ['Canary'], target: 'workload', writes: true, resolves: true, when: 'skipanalysis', panel: { action: 'restoreAnalysis', button: canaryButtons.restoreAnalysis } },

  // A pod's row, under any workload. Show Logs, Follow Logs and Show Events are registered by their feature (src/features/logs).
  { id: 'podLogs', command: Commands.PodLogs, title: 'Show Logs', icon: 'output', kinds: ALL_KINDS, target: 'pod', writes: false, inline: true, group: '0_open', notInPalette: true },
  { id: 'followPodLogs', command: Commands.PodFollowLogs, title: 'Follow Logs', icon: 'debug-start', kinds: ALL_KINDS, target: 'pod', writes: false, group: '0_open', notInPalette: true },
  { id: 'podEvents', command: Commands.PodEvents, title: 'Show Events', icon: 'history', kinds: ALL_KINDS, target: 'pod', writes: false, group: '0_open', notInPalette: true },
  { id: 'describePod', command: Commands.DescribePod, title: 'Describe Pod', icon: 'code', kinds: ALL_KINDS, target: 'pod', writes: false, group: '2_pod', notInPalette: true },
  { id: 'copyPodName', command: Commands.CopyPodName, title: 'Copy Pod Name', icon: 'copy', kinds: ALL_KINDS, target: 'pod', writes: false, group: '2_pod', notInPalette: true },
  { id: 'deletePod', command: Commands.DeletePod, title: 'Delete Pod…', icon: 'trash', kinds: ALL_KINDS, target: 'pod', writes: true, group: '3_danger', notInPalette: true },
];

/**
 * An action of the Git path (it edits the workspace's manifest, not the cluster): the rows of its
 * menu group, whether or not a direct action names it as its `viaGit` (Set Rollout Field in Git… has
 * no direct twin, and a GitOps controller undoes it no more than the others).
 */
export function isViaGit(a: ActionSpec): boolean {
  return a.group === GIT_GROUP;
}

export function actionSpec(id: ActionId): ActionSpec {
  const spec = ACTIONS.find((a) => a.id === id);
  if (!spec) throw new Error(`no action ${id} in the catalogue`);
  return spec;
}

// ---- the tree's context values and the menus that match them ----------------------------------

/** `workloadKey('ReplicaCanary')` = `replicacanary`: how context values name a workload kind. */
const kindKey = (kind: WorkloadKind) => kind.toLowerCase();

/** The states of `w` its menus depend on, in context-value order. */
export function workloadFlags(w: WorkloadView): WorkloadFlag[] {
  const flags: WorkloadFlag[] = [];
  if (w.canary?.aborted) flags.push('aborted');
  if ((w.kind === 'Rollout' || w.kind === 'ReplicaCanary') && !promoteBlocker(w)) flags.push('promotable');
  if (w.blueGreen?.switchBackTo) flags.push('switched');
  const c = w.flagger?.canary;
  if (c) {
    if (gateHooks(c, 'confirm').hooks.length) flags.push('gated');
    if (gateHooks(c, 'rollback').hooks.length) flags.push('rollbackgate');
    if (c.spec?.skipAnalysis) flags.push('skipanalysis');
  }
  return flags;
}

/** The last flag of a pinned workload's context value (domain/model/pins.ts): its menu offers Unpin instead of Pin. */
const PINNED_FLAG = 'pinned';

/**
 * A workload node's context value: `[ro:]kind:strategy:health[:flag]…[:pinned]` (workloadFlags, then
 * the pin). Nodes the user may not change start with `ro:`, so the menus of writing actions (matching
 * `^kind:`) leave them out.
 */
export function workloadContextValue(w: WorkloadView, readOnly: boolean, pinned = false): string {
  const flags = workloadFlags(w);
  return [...(readOnly ? ['ro'] : []), kindKey(w.kind), w.strategy, w.health.toLowerCase(), ...flags, ...(pinned ? [PINNED_FLAG] : [])].join(':');
}

/**
 * A "Needs attention" node's context value: its workload's (so every menu of the workload applies),
 * then `:attention:<action>`, the action that resolves it, which the node shows inline.
 */
export function attentionContextValue(w: WorkloadView, readOnly: boolean, resolves: ActionId, pinned = false): string {
  return `${workloadContextValue(w, readOnly, pinned)}:attention:${resolves}`;
}

/**
 * A revision node's context value: `[ro:]revision:kind[:old]`. `old` marks a revision one can go back
 * to (what the panel's Roll back buttons offer): for a Deployment or a Rollout, any but its current
 * template, an aborted Rollout's stable one included.
 */
export function revisionContextValue(w: WorkloadView | undefined, revision: RevisionView, readOnly: boolean): string {
  const old = w && (w.kind === 'Deployment' || w.kind === 'Rollout') ? canGoBackTo(w, revision) : revision.roles.includes('old') || revision.health === 'ScaledDown';
  return [...(readOnly ? ['ro'] : []), 'revision', ...(w ? [kindKey(w.kind)] : []), ...(old ? ['old'] : [])].join(':');
}

export const ROLLOUTS_VIEW = 'switchyard.rollouts';
/** A pod node's context value (every pod row offers the catalogue's pod actions). */
export const POD_CONTEXT_VALUE = 'pod';
export const READ_ONLY_CONTEXT_KEY = 'switchyard.readOnly';

/** The `when` clause of an action's tree menu entries; `attention`: of its inline entry on the attention nodes it resolves. */
export function menuWhen(a: ActionSpec, attention = false): string {
  const kinds = a.kinds.map(kindKey);
  const flag = attention ? `.*:attention:${a.id}$` : a.when ? `.*:${a.when}` : '';
  const workload = `viewItem =~ /^${kinds.length > 1 ? `(${kinds.join('|')})` : kinds[0]}:${flag}/`;
  const revision = kinds.map((k) => `viewItem =~ /^revision:${k}:old/`);
  const items = a.target === 'pod' ? [`viewItem =~ /^${POD_CONTEXT_VALUE}$/`] : attention || a.target === 'workload' ? [workload] : a.target === 'revision' ? revision : [workload, ...revision];
  return [`view == ${ROLLOUTS_VIEW}`, ...(a.writes ? [`!${READ_ONLY_CONTEXT_KEY}`] : []), items.length > 1 ? `(${items.join(' || ')})` : items[0]].join(' && ');
}

export interface MenuEntry {
  command: CommandId;
  when: string;
  group: string;
}

/**
 * Every `view/item/context` entry of the catalogue's actions, as package.json must have them. An
 * action that `resolves` is inline on the attention nodes it resolves (attentionContextValue).
 */
export function treeMenuEntries(): MenuEntry[] {
  return ACTIONS.flatMap((a) => {
    const when = menuWhen(a);
    const group = a.group ?? '1_actions';
    const inlineWhen = typeof a.inline === 'string' ? menuWhen({ ...a, when: a.inline }) : when;
    const inline = a.inline ? { command: a.command, when: inlineWhen, group: group === '0_open' ? 'inline@0' : 'inline' } : a.resolves ? { command: a.command, when: menuWhen(a, true), group: 'inline' } : undefined;
    return [{ command: a.command, when, group }, ...(inline ? [inline] : [])];
  });
}

/**
 * Pin Workload and Unpin Workload on every workload row (and Needs attention entry), whichever the
 * row's pin state calls for: read-only rows too, as a pin changes nothing in the cluster.
 */
export function pinMenuEntries(): MenuEntry[] {
  const row = `^(ro:)?(${ALL_KINDS.map(kindKey).join('|')}):`;
  const pinned = `.*:${PINNED_FLAG}(:|$)`;
  return [
    { command: Commands.PinWorkload, when: `view == ${ROLLOUTS_VIEW} && viewItem =~ /${row}(?!${pinned})/`, group: '0_open@9' },
    { command: Commands.UnpinWorkload, when: `view == ${ROLLOUTS_VIEW} && viewItem =~ /${row}${pinned}/`, group: '0_open@9' },
  ];
}

/** The `contributes.menus.commandPalette` entries of the catalogue: only the actions hidden there have one. */
export function paletteEntries(): { command: CommandId; when: string }[] {
  return ACTIONS.filter((a) => a.notInPalette).map((a) => ({ command: a.command, when: 'false' }));
}

/** The `contributes.commands` entry of an action. */
export function commandContribution(a: ActionSpec): { command: CommandId; title: string; category: string; icon: string; enablement?: string } {
  return { command: a.command, title: a.title, category: 'Switchyard', icon: `$(${a.icon})`, ...(a.writes ? { enablement: `!${READ_ONLY_CONTEXT_KEY}` } : {}) };
}

// ---- the details panel ------------------------------------------------------------------------

/** The workload's own buttons (the tree's context-menu actions that the panel shows for the kind). */
export function workloadActions(w: WorkloadView): ActionButton[] {
  return ACTIONS.filter((a) => a.kinds.includes(w.kind) && a.target === 'workload' && a.panel?.button).flatMap((a) => {
    const button = a.panel!.button!(w);
    return button ? [{ action: a.panel!.action, ...button }] : [];
  });
}

/** Rolling back to an old revision of a Deployment or a Rollout (kubectl rollout undo semantics). */
export function revisionAction(w: WorkloadView, r: RevisionView): ActionButton | undefined {
  const a = ACTIONS.find((x) => x.kinds.includes(w.kind) && (x.target === 'revision' || x.target === 'both') && x.panel);
  if (!a || (w.kind !== 'Deployment' && w.kind !== 'Rollout') || !canGoBackTo(w, r)) return undefined;
  return { action: a.panel!.action, revision: r.revision, label: 'Roll back', title: `Roll ${w.name} back to revision ${r.revision} (${r.images.join(', ')}).` };
}

/** Whether the panel offers this action for this workload now (the host checks what a webview asks). */
export function isOffered(w: WorkloadView, action: PanelAction, revision?: number): boolean {
  if (revision !== undefined) return w.revisions.some((r) => { const b = revisionAction(w, r); return b?.action === action && b.revision === revision; });
  return workloadActions(w).some((b) => b.action === action && !b.disabled);
}

/** The action a panel button of this workload runs; undefined when the kind has no such button. */
export function panelActionSpec(w: WorkloadView, action: PanelAction, revision?: number): ActionSpec | undefined {
  return ACTIONS.find((a) => a.kinds.includes(w.kind) && a.panel?.action === action && (revision === undefined ? (a.target === 'workload' || a.target === 'both') && !!a.panel.button : a.target === 'revision' || a.target === 'both'));
}

// ---- CodeLenses -------------------------------------------------------------------------------

/** The lenses a manifest of this workload kind gets, in catalogue order. */
export function lensActions(kind: WorkloadKind): ActionSpec[] {
  return ACTIONS.filter((a) => a.lens && a.kinds.includes(kind));
}
