// Which workloads need a person: waiting for one (an Argo pause for promotion, an inconclusive
// analysis, a pause by hand) or in trouble (aborted, its new revision cannot start, past its progress
// deadline, degraded), each with the catalogue actions that resolve it. One pure function of the view
// model; the tree's "Needs attention" section, the status bar and the notifications all read it.
import { rolloutAborted, workloadFlags, type ActionId } from '../actions/catalogue';
import { problemText, startProblem } from '../model/reasons';
import { abortPending } from './stopped';
import type { WorkloadKind, WorkloadView } from '../model/workloads';
import type { SignalComparison } from '../metrics/compare';
import { flaggerPosition, gatesText } from '../model/flagger';
import { releaseState, stateText } from './state';

/** approval: a Flagger gate webhook (confirm-rollout, confirm-promotion) holds the analysis until it answers; analysisSkipped: promoted by skipAnalysis, still set. */
export type AttentionReason = 'aborted' | 'cannotStart' | 'deadline' | 'degraded' | 'signalsWorse' | 'promotion' | 'judgement' | 'pausedByHand' | 'approval' | 'analysisSkipped';

export interface Attention {
  workloadId: string;
  namespace: string;
  name: string;
  kind: WorkloadKind;
  reason: AttentionReason;
  /** In trouble (something fails), or waiting for a person (nothing fails, nothing moves). */
  severity: 'trouble' | 'waiting';
  /** What is wrong, in a few words: "paused for promotion · step 1/6 · 20%". */
  summary: string;
  /** Catalogue actions that resolve it, the one offered first leading. */
  actions: ActionId[];
  /** Since when it waits (the pause's start), when known. */
  since?: string;
}

/** Argo's pause reasons (status.pauseConditions) that wait for a promotion, and for a judgement. */
const PROMOTION_PAUSES = ['CanaryPauseStep', 'BlueGreenPause'];
const JUDGEMENT_PAUSES = ['InconclusiveAnalysisRun', 'InconclusiveExperiment'];

/** What undoes a release that went wrong, by workload kind (a pair without a recorded switch has only its details). */
function backOut(w: WorkloadView): ActionId[] {
  switch (w.kind) {
    case 'Rollout': return ['abortRollout', 'undoRollout'];
    case 'Deployment': return ['rollbackDeployment'];
    case 'ReplicaCanary': return ['abortCanary'];
    // Flagger rolls back by itself on failed checks; by hand, through its rollback gate.
    case 'Canary': return ['openRollbackCanary'];
    case 'BlueGreen': return w.blueGreen?.switchBackTo ? ['switchBack'] : ['openDetails'];
  }
}

const progressDeadline = (w: WorkloadView) => /progress ?deadline/i.test(w.message);

function canaryStep(w: WorkloadView): string {
  const c = w.canary;
  return c?.step !== undefined && c.stepCount ? ` · step ${c.step}/${c.stepCount} · ${c.setWeight}%` : '';
}

/**
 * Whether and why `w` needs a person; undefined when it does not. Trouble comes before waiting.
 * `signals`, the golden-signal comparison of its release when a details panel measures it: clearly
 * worse than the baseline is trouble before any controller says so.
 */
export function attentionOf(w: WorkloadView, signals?: SignalComparison): Attention | undefined {
  const found = (reason: AttentionReason, severity: Attention['severity'], summary: string, actions: ActionId[], since?: string): Attention => ({
    workloadId: w.id, namespace: w.namespace, name: w.name, kind: w.kind, reason, severity, summary, actions, ...(since ? { since } : {}),
  });
  if (w.kind === 'Rollout' && abortPending(w)) return found('aborted', 'trouble', 'aborting: the controller has not acted on it yet', ['undoRollout']);
  if (w.kind === 'Rollout' && rolloutAborted(w)) return found('aborted', 'trouble', `aborted${w.message ? `: ${w.message}` : ''}`, ['retryRollout', 'undoRollout']);
  const state = releaseState(w);
  // Flagger rolled back (Failed: failed checks or its rollback gate): a retry starts a new analysis.
  if (w.kind === 'Canary' && state.state === 'aborted') return found('aborted', 'trouble', `${stateText(state)}${w.message ? `: ${w.message.replace(/\.$/, '')}` : ''}`, ['retryCanary']);
  const stuck = startProblem(w);
  if (stuck) {
    // The idle colour of a pair failing hurts no traffic: its details say why; the live one needs backing out.
    const actions = w.kind === 'BlueGreen' && stuck.who !== 'live colour' ? ['openDetails' as const] : backOut(w);
    return found('cannotStart', 'trouble', `${stuck.who} cannot start: ${problemText(stuck.problem)}`, actions);
  }
  if (w.health === 'Degraded') {
    if (progressDeadline(w)) return found('deadline', 'trouble', 'stuck past its progress deadline', backOut(w));
    return found('degraded', 'trouble', `degraded${w.message ? `: ${w.message}` : ''}`, backOut(w));
  }
  if (signals?.verdict === 'worse') return found('signalsWorse', 'trouble', `${signals.candidate.label} worse than ${signals.baseline.label}: ${signals.text}`, backOut(w));
  if (w.kind === 'Rollout' && w.pause) {
    const { pause } = w;
    if (pause.byHand) return found('pausedByHand', 'waiting', 'paused by hand', ['resumeRollout'], pause.since);
    if (pause.reasons.some((r) => JUDGEMENT_PAUSES.includes(r))) return found('judgement', 'waiting', `analysis inconclusive: promote or abort${canaryStep(w)}`, ['promoteRollout', 'abortRollout'], pause.since);
    if (!pause.timed && pause.reasons.some((r) => PROMOTION_PAUSES.includes(r))) return found('promotion', 'waiting', `paused for promotion${canaryStep(w)}`, ['promoteRollout', 'abortRollout'], pause.since);
  }
  if (w.kind === 'Deployment' && w.paused) return found('pausedByHand', 'waiting', 'paused by hand', ['resumeDeployment']);
  if (w.kind === 'Canary' && w.flagger && state.state === 'awaiting') {
    const f = w.flagger;
    if (f.suspended) return found('pausedByHand', 'waiting', `${stateText(state)}: spec.suspend is set, Flagger skips it`, ['resumeCanary']);
    // Flagger writes the Promoted condition when the phase changes (MakeStatusConditions): its update time is when the wait began.
    const since = f.promoted?.reason === f.phase ? f.promoted?.lastUpdateTime : undefined;
    const gate = f.gates.length ? `awaiting approval from ${gatesText(f.gates)}` : 'awaiting approval';
    const where = f.phase === 'WaitingPromotion' ? ` · ${flaggerPosition(w.strategy, f)}` : '';
    const flags = workloadFlags(w);
    const resolve: ActionId[] = [...(flags.includes('gated') ? ['approveCanary' as const] : []), ...(flags.includes('rollbackgate') ? ['openRollbackCanary' as const] : [])];
    return found('approval', 'waiting', `${stateText(state)}: ${gate}${where}`, resolve.length ? resolve : ['openDetails'], since);
  }
  if (w.kind === 'Canary' && w.flagger?.phase === 'Succeeded' && w.flagger.skipAnalysis) return found('analysisSkipped', 'waiting', 'promoted without analysis: spec.skipAnalysis is still true', ['restoreAnalysisCanary']);
  return undefined;
}


/** How loud a workload is in the tree (its icon) and the verdict line: from `attentionOf`, the one classification. */
export type AttentionLevel = 'none' | 'decision' | 'warning' | 'error';

export function attentionLevel(w: WorkloadView, signals?: SignalComparison): AttentionLevel {
  const a = attentionOf(w, signals);
  if (!a) return 'none';
  // Worse signals warn: the controller has not stopped anything.
  if (a.reason === 'signalsWorse') return 'warning';
  if (a.severity === 'waiting') return a.reason === 'judgement' ? 'warning' : 'decision';
  // New pods that cannot start are a warning until the controller gives up (Degraded); a pair's idle colour never takes traffic.
  if (a.reason === 'cannotStart') return w.health === 'Degraded' && w.kind !== 'BlueGreen' ? 'error' : 'warning';
  return 'error';
}

/** Trouble first, then waiting; by namespace and name within each. */
export function byUrgency(a: Attention, b: Attention): number {
  return (a.severity === b.severity ? 0 : a.severity === 'trouble' ? -1 : 1) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind);
}

/** Every workload of `workloads` that needs a person, most urgent first. */
export function needsAttention(workloads: Iterable<WorkloadView>): Attention[] {
  const out: Attention[] = [];
  for (const w of workloads) {
    const a = attentionOf(w);
    if (a) out.push(a);
  }
  return out.sort(byUrgency);
}
