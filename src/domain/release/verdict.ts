// The verdict on a release: one line from the evidence (health, the new revision's reasons, how long
// its pods have been ready, pauses, analysis, abort) with the catalogue action it suggests, and the
// attention a workload needs. It advises; it never acts. The tree, the details panel and the
// needs-attention list all use these two functions. Pure: times are counted against a `now`.
import { attentionLevel, type AttentionLevel } from './attention';
import { workloadFlags, type ActionId } from '../actions/catalogue';
import { nextMeasurementAt } from '../model/analysis';
import { startProblem, problemText } from '../model/reasons';
import type { AnalysisRunView, MetricView, RevisionView, WorkloadView } from '../model/workloads';
import { countdownText, elapsedText, refreshDelayMs, releaseTimes, type ReleaseTimes } from './clock';
import { currentRun, isAborted, isImageProblem, whyStopped } from './stopped';
import type { SignalComparison } from '../metrics/compare';
import { flaggerPosition, gatesText, timeLeft, timeLeftText, type FlaggerView } from '../model/flagger';
import { releaseState, stateText } from './state';

/**
 * How much a workload needs someone, worst last: `decision` waits for a person (an indefinite
 * pause, a paused Deployment); `warning` is going wrong before the controller says so (its new
 * pods cannot start, an inconclusive analysis); `error` the controller stopped it (Degraded,
 * aborted). `health` stays the controller's word; this is ours.
 */

export interface Verdict {
  /** attentionLevel(w): the line never says more or less than the tree's icon and the Needs attention list. */
  attention: AttentionLevel;
  /** "Aborted: analysis error-rate failed (0.12 > 0.05) — retry after a fix, or undo". */
  text: string;
  /** The catalogue action it suggests, for a button; never run by itself. */
  action?: ActionId;
  /** How soon the line goes stale (a countdown in seconds): when to render it again. */
  refreshMs: number;
}

/** The revision a release brings up, as the view's roles name it per kind. */
export function newRevision(w: WorkloadView): RevisionView | undefined {
  const role = w.kind === 'Deployment' ? 'current' : w.kind === 'BlueGreen' || w.strategy === 'argo-bluegreen' ? 'preview' : 'canary';
  return w.revisions.find((r) => r.roles.includes(role));
}

/** Every desired pod of the revision is ready. */
export function allReady(r: { desired: number; ready: number } | undefined): boolean {
  return !!r && r.desired > 0 && r.ready >= r.desired;
}

/** How long all of a revision's desired pods have been ready (since the last one turned Ready), in ms. */
export function readyForMs(r: RevisionView | undefined, now: number): number | undefined {
  if (!r || !allReady(r)) return undefined;
  const ready = r.pods.filter((p) => p.ready);
  if (ready.length < r.desired || ready.some((p) => !p.readySince)) return undefined;
  return Math.max(0, now - Math.max(...ready.map((p) => Date.parse(p.readySince!))));
}

/** The metric measured next in a running analysis, and when (epoch ms). */
export function nextMeasurement(run: AnalysisRunView | undefined): { metric: MetricView; at: number } | undefined {
  if (!run || run.phase !== 'Running') return undefined;
  return run.metrics
    .map((metric) => ({ metric, at: nextMeasurementAt(run, metric) }))
    .filter((x): x is { metric: MetricView; at: number } => x.at !== undefined)
    .sort((a, b) => a.at - b.at)[0];
}

/** Every time the panel shows for a workload at `now`, and how soon they go stale. */
export interface WorkloadTimes extends ReleaseTimes {
  readyForMs?: number;
  next?: { metric: string; run: string; inMs: number };
  refreshMs: number;
}

export function workloadTimes(w: WorkloadView, now: number): WorkloadTimes {
  const times = releaseTimes(w.clock, now);
  const run = w.kind === 'Rollout' ? currentRun(w) : undefined;
  const next = nextMeasurement(run);
  const ready = readyForMs(newRevision(w), now);
  return {
    ...times,
    ...(ready !== undefined ? { readyForMs: ready } : {}),
    ...(next && run ? { next: { metric: next.metric.name, run: run.name, inMs: next.at - now } } : {}),
    refreshMs: refreshDelayMs([times.deadlineMs, times.pauseMs, next && next.at - now], [times.runningMs, ready]),
  };
}

/**
 * When a row whose text holds the verdict (the tree tooltip's "resumes in 24 s", "running 3 min")
 * should be drawn again: at the verdict's own rate while its words move with the clock (the same
 * verdict an hour later reads otherwise), undefined when they do not, so a steady row is never redrawn.
 */
export function tickAfterMs(w: WorkloadView, now: number, signals?: SignalComparison): number | undefined {
  const v = releaseVerdict(w, now, signals);
  return releaseVerdict(w, now + 3_600_000, signals).text === v.text ? undefined : v.refreshMs;
}

/** What takes a release whose new pods cannot start out of the way, per kind (a pair's idle colour takes no traffic: nothing to undo). */
const BACK_OUT: Partial<Record<WorkloadView['kind'], ActionId>> = { Rollout: 'abortRollout', ReplicaCanary: 'abortCanary', Deployment: 'rollbackDeployment' };

/** "step 2/4 (20%)" for an Argo canary, "" for the rest. */
function position(w: WorkloadView): string {
  const c = w.canary;
  if (w.kind !== 'Rollout' || !c || c.step === undefined || !c.stepCount) return '';
  return c.step >= c.stepCount ? 'all steps done' : `step ${c.step}/${c.stepCount} (${c.setWeight}%)`;
}

/** "3/3 canary pods ready for 5 min"; `counts` stand in when the revision's ReplicaSet is not known. */
function readyText(label: string, r: RevisionView | undefined, now: number, counts?: { desired: number; ready: number }): string {
  const c = r ?? counts;
  if (!c) return '';
  const ready = readyForMs(r, now);
  return `${c.ready}/${c.desired} ${label} ready${ready !== undefined ? ` for ${elapsedText(ready)}` : ''}`;
}

/** The analysis so far, for a paused release: "no failing analysis", "analysis error-rate failed 1 of limit 2". */
function analysisNote(run: AnalysisRunView | undefined): string | undefined {
  if (!run) return undefined;
  const failures = run.metrics.filter((m) => m.failed > 0 || m.error > 0).map((m) => `${m.name} ${m.failed ? `failed ${m.failed} of limit ${m.failureLimit}` : `errored ${m.error}`}`);
  return failures.length ? `analysis ${failures.join(', ')}` : 'no failing analysis';
}

const joined = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(', ');

/** Actions that take a release further: a comparison with too little traffic says wait instead. */
const GO_AHEAD: ReadonlySet<ActionId> = new Set<ActionId>(['promoteRollout', 'promoteCanary', 'switchTraffic']);

/**
 * The one-line verdict at `now`. `signals` (the golden-signal comparison of the new revision against
 * the baseline, when a details panel measures it) turns a clearly worse release into "roll back?"
 * and a go-ahead with too little traffic to compare into "wait".
 */
export function releaseVerdict(w: WorkloadView, now: number, signals?: SignalComparison): Verdict {
  const verdict = evidenceVerdict(w, now, signals);
  if (!signals || verdict.attention === 'error' || whyStopped(w) || startProblem(w)) return verdict;
  if (signals.verdict === 'worse') {
    const who = newRevision(w) ? signals.candidate.label : 'new revision';
    const ask = w.kind === 'BlueGreen' ? `keep ${signals.baseline.label} live, fix ${who}` : 'roll back?';
    // BACK_OUT has no action for a pair: its idle colour takes no production traffic, nothing to undo.
    const action = BACK_OUT[w.kind];
    return { ...withoutAction(verdict), text: `${who[0].toUpperCase()}${who.slice(1)} worse than ${signals.baseline.label}: ${signals.text} — ${ask}`, ...(action ? { action } : {}) };
  }
  if (signals.verdict === 'insufficient' && verdict.action && GO_AHEAD.has(verdict.action)) {
    return { ...withoutAction(verdict), text: `${verdict.text.replace(/ — [^—]*$/, '')} — wait: ${signals.text}` };
  }
  return verdict;
}

function withoutAction(v: Verdict): Verdict {
  const { action: _, ...rest } = v;
  return rest;
}

function evidenceVerdict(w: WorkloadView, now: number, signals?: SignalComparison): Verdict {
  const times = workloadTimes(w, now);
  // The attention is the Needs attention list's, whatever the line says: one place decides it.
  const attention = attentionLevel(w, signals);
  const v = (text: string, action?: ActionId): Verdict => ({ attention, text, ...(action ? { action } : {}), refreshMs: times.refreshMs });
  const deadline = times.deadlineMs !== undefined ? (times.deadlineMs >= 0 ? `the controller gives up in ${countdownText(times.deadlineMs)}${w.clock?.deadline?.abort ? ' and aborts' : ''}` : 'progress deadline passed') : undefined;
  const running = times.runningMs !== undefined ? `running ${elapsedText(times.runningMs)}` : undefined;
  const fresh = newRevision(w);
  const podsLabel = w.kind === 'Deployment' ? 'new pods' : w.kind === 'BlueGreen' ? `${w.blueGreen?.idle ?? 'idle'} pods` : w.strategy === 'argo-bluegreen' ? 'preview pods' : 'canary pods';

  if (w.kind === 'Canary' && w.flagger) return canaryVerdict(w, w.flagger, now, v);

  const stopped = whyStopped(w);
  if (stopped) {
    const aborted = isAborted(w);
    const [action] = stopped.actions;
    const idleStuck = w.kind === 'BlueGreen' && w.health !== 'Degraded';
    const next = w.kind === 'Rollout' ? (aborted ? 'retry after a fix, or undo' : 'abort, or undo') : w.kind === 'Deployment' ? 'fix and apply again, or roll back' : w.kind === 'ReplicaCanary' ? 'abort?' : idleStuck ? 'fix it before switching' : action ? 'switch back?' : 'fix the live colour';
    const head = aborted ? 'Aborted' : w.stop?.reason === 'ProgressDeadlineExceeded' ? 'Stuck' : 'Degraded';
    return v(`${head}: ${stopped.summary} — ${next}`, idleStuck ? undefined : action);
  }

  const start = startProblem(w);
  if (start) {
    const action = BACK_OUT[w.kind];
    const ask = w.kind === 'BlueGreen' ? 'fix it before switching' : w.kind === 'Deployment' ? `fix ${isImageProblem(start.problem) ? 'the image' : 'it'} or roll back?` : 'abort?';
    return v(`${start.who[0].toUpperCase()}${start.who.slice(1)} cannot start (${problemText(start.problem)}) — ${joined(ask, deadline)}`, action);
  }

  const run = w.kind === 'Rollout' ? currentRun(w) : undefined;
  if (w.kind === 'Rollout') {
    const c = w.canary;
    if (c?.pauseReasons.includes('InconclusiveAnalysis')) return v(`Inconclusive: analysis ${run?.metrics.find((m) => m.phase === 'Inconclusive')?.name ?? run?.name ?? ''} could not decide — promote or abort?`, 'promoteRollout');
    if (w.health === 'Paused') {
      const pause = w.clock?.pause;
      const where = w.strategy === 'argo-bluegreen' ? `Preview rev ${fresh?.revision ?? '?'}` : `Paused at ${position(w)}`;
      const ready = readyText(podsLabel, fresh, now);
      const analysis = analysisNote(run?.phase === 'Running' || run?.phase === 'Successful' ? run : undefined);
      if (pause && times.pauseMs !== undefined) {
        const when = times.pauseMs > 0 ? `${pause.ends === 'promote' ? 'promoted' : 'resumes'} in ${countdownText(times.pauseMs)}` : pause.ends === 'promote' ? 'promotion due now' : 'resuming now';
        return v(`${where}: ${joined(ready, analysis, when)} — promote to skip the wait?`, 'promoteRollout');
      }
      return allReady(fresh)
        ? v(`${where}: ${joined(ready, analysis)} — promote?`, 'promoteRollout')
        : v(`${where}: ${ready || 'no new pods yet'} — wait for the pods, then promote`);
    }
    // Waiting on the analysis is an analysis step (or a blue/green's promotion analysis); a background analysis runs beside the steps.
    const atAnalysis = w.strategy === 'argo-bluegreen' || w.canary?.steps.find((x) => x.current)?.text === 'analysis';
    if (run?.phase === 'Running' && w.health !== 'Healthy' && atAnalysis) {
      const measuring = run.metrics.filter((m) => m.phase === 'Running' || m.phase === 'Pending').map((m) => m.name);
      const failures = run.metrics.filter((m) => m.failed > 0).map((m) => `${m.name} failed ${m.failed} of limit ${m.failureLimit}`);
      const next = times.next ? `next in ${countdownText(times.next.inMs)}` : undefined;
      return v(`Waiting: analysis ${measuring.join(', ') || run.name} measuring${failures.length ? ` (${failures.join(', ')})` : ''}${next ? `, ${next}` : ''}`);
    }
  }

  switch (w.health) {
    case 'Healthy':
      return healthy(w, now, v);
    case 'Paused':
      return v(`Paused: ${w.replicas.updated}/${w.replicas.desired} updated — resume?`, w.kind === 'Deployment' ? 'resumeDeployment' : undefined);
    case 'Progressing': {
      const what = w.kind === 'Rollout' ? joined(position(w), readyText(podsLabel, fresh, now), analysisNote(run?.phase === 'Running' ? run : undefined)) : w.kind === 'Deployment' ? `${w.replicas.updated}/${w.replicas.desired} updated, ${w.replicas.available} available` : readyText(podsLabel, fresh, now) || w.description;
      return v(`Progressing: ${joined(what, running, deadline)}`);
    }
    default:
      return v(`${w.health}${w.message ? `: ${w.message}` : ''}`);
  }
}

function healthy(w: WorkloadView, now: number, v: (text: string, action?: ActionId) => Verdict): Verdict {
  if (w.kind === 'BlueGreen' && w.blueGreen) {
    const bg = w.blueGreen;
    const idle = bg.colours.find((c) => c.colour === bg.idle);
    const live = bg.colours.find((c) => c.colour === bg.live);
    const differs = !!idle && !!live && idle.images.join() !== live.images.join();
    if (idle && bg.idleReady && differs) return v(`Ready to switch: ${readyText(`${idle.colour} pods`, newRevision(w), now, { desired: idle.replicas.desired, ready: idle.replicas.available })} (${idle.images.join(', ')}) — switch?`, 'switchTraffic');
    return v(`Healthy: ${bg.live} live, ${live?.replicas.available ?? 0}/${live?.replicas.desired ?? 0} available${idle ? `; ${idle.colour} idle${differs ? '' : ' with the same images'}` : ''}`);
  }
  if (w.kind === 'ReplicaCanary' && w.canary && !w.canary.aborted) {
    // Every member is healthy here, so the canary's pods are all ready.
    const canary = newRevision(w);
    const ready = canary ? `${readyText('canary pods', canary, now)} (${w.canary.actualWeight}% of traffic)` : `canary ready with ${w.canary.actualWeight}% of traffic`;
    return v(`Healthy: ${ready} — promote?`, 'promoteCanary');
  }
  const r = w.replicas;
  const current = w.revisions.find((x) => x.roles.includes('current') || x.roles.includes('stable') || x.roles.includes('active'));
  const ready = readyForMs(current, now);
  return v(`Healthy: ${r.available}/${r.desired} available${current?.revision ? `, revision ${current.revision}` : ''}${ready !== undefined ? `, ready for ${elapsedText(ready)}` : ''}`);
}

/**
 * A Flagger Canary's line: the vocabulary word with Flagger's phase, where the analysis is, and what
 * waits for whom, with the catalogue action that takes it on (Approve while a gate holds it, Resume,
 * Retry after a rollback, Restore after a promotion without analysis).
 */
function canaryVerdict(w: WorkloadView, f: FlaggerView, now: number, v: (text: string, action?: ActionId) => Verdict): Verdict {
  const said = stateText(releaseState(w));
  const head = `${said[0].toUpperCase()}${said.slice(1)}`;
  const checks = f.failedChecks ? `checks failed ${f.failedChecks}/${f.threshold}` : undefined;
  const start = startProblem(w);
  if (start && f.phase !== 'Failed') return v(`${head}: ${start.who} cannot start (${problemText(start.problem)}) — Flagger rolls it back when its progress deadline passes`);
  if (f.suspended) return v(`${head}: spec.suspend is set — Flagger skips this Canary until it is resumed`, 'resumeCanary');
  const approve = workloadFlags(w).includes('gated') ? 'approveCanary' : undefined;
  switch (f.phase) {
    case 'Failed':
      return v(`${head}: ${w.message || 'analysis failed'} — fix the canary and apply a new revision (Flagger analyses it again)`, 'retryCanary');
    case 'Waiting':
      return v(`${head}: ${f.gates.length ? `awaiting approval from ${gatesText(f.gates)}` : 'awaiting approval'} before the analysis starts`, approve);
    case 'WaitingPromotion':
      return v(`${head}: analysis passed (${joined(flaggerPosition(w.strategy, f), checks)}), ${f.gates.length ? `awaiting approval from ${gatesText(f.gates)}` : 'awaiting approval'} to promote`, approve);
    case 'Progressing': {
      const e = f.estimate;
      const left = e && timeLeft(e, now);
      // confirm-traffic-increase halts a step without a status change (runConfirmTrafficIncreaseHooks only records an event): a step overdue by an interval may be held there.
      const traffic = f.webhooks.filter((h) => h.type === 'confirm-traffic-increase');
      const overdue = !!left && !!e?.from && now - Date.parse(e.from) > 2 * f.intervalMs;
      const held = overdue && traffic.length ? `no step for ${elapsedText(now - Date.parse(e!.from!))}: ${gatesText(traffic)} may hold the next one` : undefined;
      return { ...v(`${head}: ${joined(flaggerPosition(w.strategy, f), checks, held ?? (e && timeLeftText(e, now)))}`), refreshMs: refreshDelayMs([left?.leftMs]) };
    }
    default:
      return v(`${head}: ${joined(w.message, f.phase === 'Succeeded' || f.phase === 'Initialized' ? `${w.replicas.available}/${w.replicas.desired} primary pods available` : undefined, f.phase === 'Succeeded' && f.skipAnalysis && 'promoted without analysis: spec.skipAnalysis is still true')}`, f.phase === 'Succeeded' && f.skipAnalysis ? 'restoreAnalysisCanary' : undefined);
  }
}
