// Time in a release, with the controllers' own arithmetic: how long the release has run, when a timed
// Argo pause ends, when the progress deadline passes. The view model keeps absolute times (a
// ReleaseClock does not change between watch events); what is left is computed against a `now`.
// Pure.
import type { Condition, Deployment, Pod, Rollout } from '../model/objects';
import { currentCanaryStep } from '../model/status';

export interface ReleaseClock {
  /** When the revision being released was created (its ReplicaSet). */
  since?: string;
  /** The controller's progress deadline while it counts: it gives up `seconds` after `lastProgress`. */
  deadline?: { seconds: number; lastProgress: string; abort: boolean };
  /** A pause that ends by itself `seconds` after `startTime`: a `pause: {duration}` step resumes, a blue/green preview with autoPromotionSeconds is promoted. */
  pause?: { startTime: string; seconds: number; ends: 'resume' | 'promote' };
}

/** What is left of a clock at `now`, in milliseconds (negative: the time has passed, the controller acts on its next sync). */
export interface ReleaseTimes {
  runningMs?: number;
  deadlineMs?: number;
  pauseMs?: number;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("1m30s", "1.5h", "300ms"), in milliseconds; undefined when Go would refuse it. */
export function goDurationMs(text: string): number | undefined {
  const m = /^([-+]?)(.+)$/.exec(text.trim());
  if (!m) return undefined;
  if (m[2] === '0') return 0;
  const parts = [...m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== m[2]) return undefined;
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
  return m[1] === '-' ? -ms : ms;
}

/**
 * A pause step's duration in whole seconds as Argo Rollouts counts it (RolloutPause.DurationSeconds):
 * a number, digits without a unit, or a Go duration truncated to seconds; -1 for anything else.
 */
export function pauseSeconds(duration: string | number): number {
  if (typeof duration === 'number') return duration;
  if (/^[-+]?\d+$/.test(duration)) return Number(duration);
  const ms = goDurationMs(duration);
  return ms === undefined ? -1 : Math.trunc(ms / 1000);
}

/** The API server's "no deadline" value of progressDeadlineSeconds (math.MaxInt32). */
const NO_DEADLINE = 2147483647;
/** Argo Rollouts' default progressDeadlineSeconds. */
const ROLLOUT_DEFAULT_DEADLINE = 600;

const progressing = (conditions: Condition[] | undefined) => conditions?.find((c) => c.type === 'Progressing');

/**
 * The deployment controller's progress check (DeploymentTimedOut): counted from the Progressing
 * condition's lastUpdateTime while the rollout has neither finished (NewReplicaSetAvailable) nor
 * already timed out; not while paused (the controller then only syncs the status).
 */
function deploymentDeadline(d: Deployment): ReleaseClock['deadline'] {
  const seconds = d.spec?.progressDeadlineSeconds;
  const c = progressing(d.status?.conditions);
  if (seconds === undefined || seconds === NO_DEADLINE || d.spec?.paused || !c?.lastUpdateTime) return undefined;
  if (c.reason === 'NewReplicaSetAvailable' || c.reason === 'ProgressDeadlineExceeded') return undefined;
  return { seconds, lastProgress: c.lastUpdateTime, abort: false };
}

/**
 * Argo Rollouts' check (RolloutTimedOut, as calculateRolloutConditions calls it): not once aborted,
 * paused or finished, and not during an indefinite step (pause, analysis, experiment) or a blue/green
 * pause, whose waiting does not count against the deadline.
 */
function rolloutDeadline(r: Rollout): ReleaseClock['deadline'] {
  const s = r.status ?? {};
  const c = progressing(s.conditions);
  if (s.abort || !c?.lastUpdateTime) return undefined;
  if (['RolloutAborted', 'RolloutPaused', 'ProgressDeadlineExceeded', 'NewReplicaSetAvailable'].includes(c.reason ?? '')) return undefined;
  const { step } = currentCanaryStep(r);
  if (step && (step.pause || step.analysis || step.experiment)) return undefined;
  if (s.conditions?.some((x) => x.type === 'Paused' && x.status === 'True')) return undefined;
  return { seconds: r.spec?.progressDeadlineSeconds ?? ROLLOUT_DEFAULT_DEADLINE, lastProgress: c.lastUpdateTime, abort: !!r.spec?.progressDeadlineAbort };
}

/**
 * The pause that ends by itself: a canary `pause: {duration}` step resumes at the pause condition's
 * startTime + its duration (CompletedCanaryPauseStep); a blue/green preview is promoted at startTime
 * + autoPromotionSeconds unless autoPromotionEnabled is false.
 */
function timedPause(r: Rollout): ReleaseClock['pause'] {
  const conditions = r.status?.pauseConditions ?? [];
  const canaryPause = conditions.find((p) => p.reason === 'CanaryPauseStep');
  const { step } = currentCanaryStep(r);
  if (canaryPause?.startTime && step?.pause?.duration !== undefined) return { startTime: canaryPause.startTime, seconds: pauseSeconds(step.pause.duration), ends: 'resume' };
  const bg = r.spec?.strategy?.blueGreen;
  const bgPause = conditions.find((p) => p.reason === 'BlueGreenPause');
  if (bg && bgPause?.startTime && bg.autoPromotionEnabled !== false && (bg.autoPromotionSeconds ?? 0) > 0) return { startTime: bgPause.startTime, seconds: bg.autoPromotionSeconds!, ends: 'promote' };
  return undefined;
}

function clockOf(since: string | undefined, deadline: ReleaseClock['deadline'], pause?: ReleaseClock['pause']): ReleaseClock {
  return { ...(since ? { since } : {}), ...(deadline ? { deadline } : {}), ...(pause ? { pause } : {}) };
}

/** A Deployment's clock; `since` is its newest revision's creation. */
export function deploymentClock(d: Deployment, since: string | undefined): ReleaseClock {
  return clockOf(since, deploymentDeadline(d));
}

/** A Rollout's clock; `since` is the creation of the revision it releases (canary or preview). */
export function rolloutClock(r: Rollout, since: string | undefined): ReleaseClock {
  return clockOf(since, rolloutDeadline(r), timedPause(r));
}

/** `{ clock }` when it holds anything: views keep no empty keys. */
export function withClock(clock: ReleaseClock | undefined): { clock?: ReleaseClock } {
  return clock && Object.keys(clock).length ? { clock } : {};
}

/** `{ readySince }`: when a ready pod last turned Ready (its Ready condition's lastTransitionTime). */
export function withReadySince(p: Pod): { readySince?: string } {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && ready.lastTransitionTime ? { readySince: ready.lastTransitionTime } : {};
}

const at = (timestamp: string) => Date.parse(timestamp);

/** What is left of each of the clock's times at `now`. */
export function releaseTimes(clock: ReleaseClock | undefined, now: number): ReleaseTimes {
  if (!clock) return {};
  const out: ReleaseTimes = {};
  if (clock.since && !Number.isNaN(at(clock.since))) out.runningMs = Math.max(0, now - at(clock.since));
  // Both controllers time out only once the deadline is strictly before now: at the deadline itself there is 0 left.
  if (clock.deadline && !Number.isNaN(at(clock.deadline.lastProgress))) out.deadlineMs = at(clock.deadline.lastProgress) + clock.deadline.seconds * 1000 - now;
  if (clock.pause && !Number.isNaN(at(clock.pause.startTime))) out.pauseMs = at(clock.pause.startTime) + clock.pause.seconds * 1000 - now;
  return out;
}

/** A countdown in words, to the second below 10 min: "24 s", "4 min 10 s", "12 min", "3 h 5 min", "2 d". */
export function countdownText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return elapsedText(s * 1000);
}

/** Time gone by, in words, to the second below a minute only: "40 s", "5 min", "3 h 5 min", "2 d". */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d`;
}

/**
 * How soon a rendering of these times goes stale: every second while a countdown (or an elapsed
 * time) shows seconds, else every 30 s. Countdowns passed more than a minute ago no longer count:
 * the controller has acted and the next watch event redraws.
 */
export function refreshDelayMs(countdownsMs: readonly (number | undefined)[], elapsedMs: readonly (number | undefined)[] = []): number {
  const seconds = countdownsMs.some((x) => x !== undefined && x > -60_000 && x < 600_000) || elapsedMs.some((x) => x !== undefined && x < 60_000);
  return seconds ? 1000 : 30_000;
}
