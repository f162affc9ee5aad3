// A pure simulation of a Deployment rolling update, rounding as the Deployment controller does:
// maxSurge rounds up, maxUnavailable rounds down, and when both resolve to 0 the controller
// falls back to maxUnavailable = 1 (the API only rejects both given as literal 0).

import type { IntOrPercent } from '../manifests/options';

export interface TimelineStep {
  step: number;
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
  steps: TimelineStep[];
  lowestAvailable: number;
  /** Lowest serving capacity in percent of desired replicas. */
  lowestCapacityPercent: number;
  highestTotal: number;
  /** Extra pods needed at the peak, in percent of desired replicas. */
  peakExtraPercent: number;
}

export class InvalidRollingParameters extends Error {}

/** Resolves an int-or-percent against `replicas`, rounding up or down as the controller does. */
export function resolveIntOrPercent(value: IntOrPercent | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value).trim());
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0) return n;
    throw new InvalidRollingParameters(`"${value}" is neither a whole number nor a percentage.`);
  }
  const exact = (Number(m[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Resolved surge and unavailable, or an error when the pair cannot make progress. */
export function resolveFenceposts(replicas: number, maxSurge: IntOrPercent | string, maxUnavailable: IntOrPercent | string): { surge: number; unavailable: number } {
  if (isLiteralZero(maxSurge) && isLiteralZero(maxUnavailable)) {
    throw new InvalidRollingParameters('maxSurge and maxUnavailable cannot both be 0: no pod could be added or removed.');
  }
  const surge = resolveIntOrPercent(maxSurge, replicas, true);
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

function isLiteralZero(v: IntOrPercent | string): boolean {
  return v === 0 || v === '0' || v === '0%';
}

/**
 * Steps the controller's reconcile: the pods added last step are Ready, the old ReplicaSet scales
 * down while enough pods stay available, the new one scales up within the surge. Each record is
 * the state right after that scaling, before the added pods turn Ready (the lowest point).
 */
export function simulateRollingUpdate(replicas: number, maxSurge: IntOrPercent | string, maxUnavailable: IntOrPercent | string): RollingTimeline {
  if (!Number.isInteger(replicas) || replicas < 1) throw new InvalidRollingParameters('Replicas must be at least 1.');
  const { surge, unavailable } = resolveFenceposts(replicas, maxSurge, maxUnavailable);
  const maxTotal = replicas + surge;
  const minAvailable = replicas - unavailable;
  let oldPods = replicas;
  let newPods = 0;
  let newReady = 0;
  const steps: TimelineStep[] = [{ step: 0, oldPods, newPods, newReady, available: replicas, total: replicas, action: `Start: ${replicas} old pods serve.` }];
  for (let step = 1; ; step++) {
    newReady = newPods; // what the previous step added is Ready now
    if (oldPods === 0 && newReady === replicas) break;
    if (step > 10 * replicas + 10) throw new InvalidRollingParameters('The rollout cannot make progress with these parameters.');
    const removable = Math.max(0, Math.min(oldPods, oldPods + newReady - minAvailable));
    oldPods -= removable;
    const added = Math.max(0, Math.min(maxTotal - (oldPods + newPods), replicas - newPods));
    newPods += added;
    const parts = [];
    if (removable) parts.push(`-${removable} old`);
    if (added) parts.push(`+${added} new`);
    steps.push({ step, oldPods, newPods, newReady, available: oldPods + newReady, total: oldPods + newPods, action: parts.join(', ') || 'wait for new pods to become Ready' });
  }
  steps.push({ step: steps.length, oldPods: 0, newPods: replicas, newReady: replicas, available: replicas, total: replicas, action: `Done: ${replicas} new pods serve.` });
  const lowestAvailable = Math.min(...steps.map((s) => s.available));
  const highestTotal = Math.max(...steps.map((s) => s.total));
  return {
    replicas,
    surge,
    unavailable,
    steps,
    lowestAvailable,
    lowestCapacityPercent: Math.round((lowestAvailable * 100) / replicas),
    highestTotal,
    peakExtraPercent: Math.round(((highestTotal - replicas) * 100) / replicas),
  };
}

/** A short Markdown table of the timeline, for hovers and the output channel. */
export function timelineMarkdown(t: RollingTimeline): string {
  const rows = t.steps.map((s) => `| ${s.step} | ${s.oldPods} | ${s.newPods} (${s.newReady} ready) | ${s.available} | ${s.total} | ${s.action} |`);
  return [
    `**Rolling update of ${t.replicas} pods** (surge ${t.surge}, unavailable ${t.unavailable}): ${t.steps.length - 2} steps, capacity never below ${t.lowestAvailable}/${t.replicas} (${t.lowestCapacityPercent}%), at most ${t.highestTotal} pods (+${t.peakExtraPercent}%).`,
    '',
    '| step | old | new | serving | pods | action |',
    '|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}
