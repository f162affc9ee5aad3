// A pure simulation of a Deployment rolling update, rounding as the Deployment controller does:
// maxSurge rounds up, maxUnavailable rounds down, and when both resolve to 0 the controller
// falls back to maxUnavailable = 1 (the API only rejects both given as literal 0).

export interface TimelineStep {
  step: number;
  /** Set when the row stands for a run of identical steps, `step` to `through`; its numbers are the state after `through`. */
  through?: number;
  /** Pods of the old ReplicaSet (all Ready). */
  oldPods: number;
  /** Pods of the new ReplicaSet, Ready or not. */
  newPods: number;
  /** New pods that are Ready. */
  newReady: number;
  /** Ready pods that can serve: old + new Ready. */
  available: number;
  /** All pods running at this point. */
  total: number;
  /** What happened in this step, in words. */
  action: string;
}

export interface RollingTimeline {
  replicas: number;
  surge: number;
  unavailable: number;
  /** Every step (start and done included) or, past MAX_LISTED_STEPS, runs of identical steps as one row each. */
  steps: TimelineStep[];
  /** The controller's scaling steps between start and done. */
  stepCount: number;
  lowestAvailable: number;
  /** Lowest serving capacity in percent of desired replicas. */
  lowestCapacityPercent: number;
  highestTotal: number;
  /** Extra pods needed at the peak, in percent of desired replicas. */
  peakExtraPercent: number;
}

export class InvalidRollingParameters extends Error {}

/** spec.replicas and the int-or-percent fields are int32 in the API. */
const INT32_MAX = 2 ** 31 - 1;

/** Up to this many steps the timeline lists each one; beyond, a run of identical steps is one row. */
export const MAX_LISTED_STEPS = 100;

/** spec.replicas as the API server accepts it: a whole number from 0 to 2^31 - 1. */
export function checkReplicas(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return value;
  throw new InvalidRollingParameters(`replicas ${shown(value)} is not a whole number from 0 to ${INT32_MAX}.`);
}

/**
 * Resolves an int-or-percent against `replicas`, rounding up or down as the controller does. Only
 * what the API server accepts resolves: a whole number from 0 to 2^31 - 1 or a string of digits and
 * `%` (a quoted "2" is rejected there too).
 */
export function resolveIntOrPercent(value: unknown, replicas: number, roundUp: boolean, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return value;
  const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  if (!m) throw new InvalidRollingParameters(`${field} ${shown(value)} is neither a whole number of 0 or more nor a percentage such as "25%".`);
  const exact = (Number(m[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Resolved surge and unavailable, or an error when the API server would reject the pair. */
export function resolveFenceposts(replicas: number, maxSurge: unknown, maxUnavailable: unknown): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true, 'maxSurge');
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false, 'maxUnavailable');
  if (typeof maxUnavailable === 'string' && Number(maxUnavailable.slice(0, -1)) > 100) throw new InvalidRollingParameters(`maxUnavailable ${maxUnavailable} is more than 100%.`);
  if (isLiteralZero(maxSurge) && isLiteralZero(maxUnavailable)) {
    throw new InvalidRollingParameters('maxSurge and maxUnavailable cannot both be 0: no pod could be added or removed.');
  }
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

function isLiteralZero(v: unknown): boolean {
  return v === 0 || v === '0%';
}

/**
 * The rolling update a Deployment's spec describes, with the API server's defaults (1 replica,
 * 25% / 25%); an InvalidRollingParameters saying why when it has none (Recreate) or is invalid.
 */
export function deploymentRollingUpdate(deployment: unknown): { replicas: number; maxSurge: unknown; maxUnavailable: unknown } {
  const spec = isObject(deployment) && isObject(deployment.spec) ? deployment.spec : {};
  const strategy = isObject(spec.strategy) ? spec.strategy : {};
  if (strategy.type === 'Recreate') throw new InvalidRollingParameters('strategy Recreate: no rolling update. Every old pod stops before a new one starts, so nothing serves in between.');
  if (strategy.type !== undefined && strategy.type !== 'RollingUpdate') throw new InvalidRollingParameters(`strategy type ${shown(strategy.type)} is neither RollingUpdate nor Recreate: the API server rejects it.`);
  const rollingUpdate = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  return { replicas: checkReplicas(spec.replicas ?? 1), maxSurge: rollingUpdate.maxSurge ?? '25%', maxUnavailable: rollingUpdate.maxUnavailable ?? '25%' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A step and the change it made, kept while simulating. */
interface Scaling extends TimelineStep {
  removed: number;
  added: number;
}

/**
 * Steps the controller's reconcile: the pods added last step are Ready, the old ReplicaSet scales
 * down while enough pods stay available, the new one scales up within the surge. Each record is
 * the state right after that scaling, before the added pods turn Ready (the lowest point).
 *
 * A step that removes as many old pods as it adds new ones leaves the next step the same inputs, so
 * it repeats until the old pods or the missing new ones run short: such a run is computed in one go,
 * which keeps the work to a few steps at any replica count.
 */
export function simulateRollingUpdate(replicas: number, maxSurge: unknown, maxUnavailable: unknown): RollingTimeline {
  checkReplicas(replicas);
  if (replicas === 0) throw new InvalidRollingParameters('replicas 0: a rolling update has no pods to replace.');
  const { surge, unavailable } = resolveFenceposts(replicas, maxSurge, maxUnavailable);
  const maxTotal = replicas + surge;
  const minAvailable = replicas - unavailable;
  let oldPods = replicas;
  let newPods = 0;
  let newReady = 0;
  const rows: Scaling[] = [];
  let step = 1;
  for (; ; step++) {
    newReady = newPods; // what the previous step added is Ready now
    if (oldPods === 0 && newReady === replicas) break;
    // Every step but the runs' first ones changes what the next step sees; a handful suffices.
    if (rows.length > 64) throw new InvalidRollingParameters('The rollout cannot make progress with these parameters.');
    const removed = Math.max(0, Math.min(oldPods, oldPods + newReady - minAvailable));
    oldPods -= removed;
    const added = Math.max(0, Math.min(maxTotal - (oldPods + newPods), replicas - newPods));
    newPods += added;
    const parts = [];
    if (removed) parts.push(`-${removed} old`);
    if (added) parts.push(`+${added} new`);
    const row: Scaling = { step, oldPods, newPods, newReady, available: oldPods + newReady, total: oldPods + newPods, action: parts.join(', ') || 'wait for new pods to become Ready', removed, added };
    if (removed > 0 && removed === added) {
      const repeats = Math.min(Math.floor(oldPods / removed), Math.floor((replicas - newPods) / added));
      if (repeats > 0) {
        oldPods -= repeats * removed;
        newPods += repeats * added;
        Object.assign(row, { through: step + repeats, oldPods, newPods, newReady: newPods - added });
        step += repeats;
      }
    }
    rows.push(row);
  }
  const stepCount = step - 1;
  const listed = stepCount <= MAX_LISTED_STEPS ? rows.flatMap(eachStep) : rows.map(summarised);
  const steps: TimelineStep[] = [
    { step: 0, oldPods: replicas, newPods: 0, newReady: 0, available: replicas, total: replicas, action: `Start: ${replicas} old pods serve.` },
    ...listed,
    { step: stepCount + 1, oldPods: 0, newPods: replicas, newReady: replicas, available: replicas, total: replicas, action: `Done: ${replicas} new pods serve.` },
  ];
  // A run holds serving and running pods constant, so its row has its extremes.
  const lowestAvailable = steps.reduce((low, s) => Math.min(low, s.available), replicas);
  const highestTotal = steps.reduce((high, s) => Math.max(high, s.total), replicas);
  return {
    replicas,
    surge,
    unavailable,
    steps,
    stepCount,
    lowestAvailable,
    lowestCapacityPercent: Math.round((lowestAvailable * 100) / replicas),
    highestTotal,
    peakExtraPercent: Math.round(((highestTotal - replicas) * 100) / replicas),
  };
}

/** A run's steps one by one: each removes and adds the same pods as its first. */
function eachStep({ removed, added, ...row }: Scaling): TimelineStep[] {
  if (row.through === undefined) return [row];
  const { through, ...last } = row;
  return Array.from({ length: through - row.step + 1 }, (_, i) => {
    const after = through - row.step - i;
    const oldPods = last.oldPods + after * removed;
    const newPods = last.newPods - after * added;
    return { ...last, step: row.step + i, oldPods, newPods, newReady: newPods - added };
  });
}

function summarised({ removed, added, ...row }: Scaling): TimelineStep {
  return row.through === undefined ? row : { ...row, action: `${row.action} in each of ${row.through - row.step + 1} steps` };
}

/** A short Markdown table of the timeline, for hovers and the output channel. */
export function timelineMarkdown(t: RollingTimeline): string {
  const rows = t.steps.map((s) => `| ${s.through === undefined ? s.step : `${s.step}–${s.through}`} | ${s.oldPods} | ${s.newPods} (${s.newReady} ready) | ${s.available} | ${s.total} | ${s.action} |`);
  return [
    `**Rolling update of ${t.replicas} pods** (surge ${t.surge}, unavailable ${t.unavailable}): ${t.stepCount} steps, capacity never below ${t.lowestAvailable}/${t.replicas} (${t.lowestCapacityPercent}%), at most ${t.highestTotal} pods (+${t.peakExtraPercent}%).`,
    '',
    '| step | old | new | serving | pods | action |',
    '|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}
