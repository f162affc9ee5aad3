// Replica-ratio canary arithmetic: under one Service, the canary's share of traffic is roughly
// its ready pods over all ready pods, so only shares of the form k/N can be reached.

export interface ReplicaCanaryPlan {
  stable: number;
  canary: number;
  /** Share actually reached, in percent. */
  actualPercent: number;
  requestedPercent: number;
  /** Whether the requested share is reached exactly with these pods. */
  exact: boolean;
  /** The fewest pods in total that reach the requested share exactly. */
  podsForExactShare: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Fewest pods that express `percent` exactly (percent rounded to 0.01). */
export function podsForExactShare(percent: number): number {
  const hundredths = Math.round(percent * 100);
  return 10000 / gcd(hundredths, 10000);
}

/**
 * Splits `totalReplicas` into stable and canary for the requested share. The canary always gets at
 * least one pod and the stable side keeps at least one, so a share too small for the total is
 * reported, not silently dropped.
 */
export function planReplicaCanary(requestedPercent: number, totalReplicas: number): ReplicaCanaryPlan {
  if (!(requestedPercent > 0 && requestedPercent < 100)) throw new RangeError('The canary share must be above 0% and below 100%.');
  if (!Number.isInteger(totalReplicas) || totalReplicas < 2) throw new RangeError('A replica-ratio canary needs at least 2 pods in total.');
  const canary = Math.min(totalReplicas - 1, Math.max(1, Math.round((totalReplicas * requestedPercent) / 100)));
  const stable = totalReplicas - canary;
  const actualPercent = round2((canary * 100) / totalReplicas);
  return {
    stable,
    canary,
    actualPercent,
    requestedPercent,
    exact: Math.abs(actualPercent - requestedPercent) < 0.005,
    podsForExactShare: podsForExactShare(requestedPercent),
  };
}

/** A sentence that states what the plan reaches, e.g. "10% requested: 9 stable + 1 canary = 10%". */
export function describeReplicaCanary(plan: ReplicaCanaryPlan): string {
  const base = `${plan.requestedPercent}% requested: ${plan.stable} stable + ${plan.canary} canary = ${plan.actualPercent}% of traffic`;
  if (plan.exact) return base;
  return `${base}; ${plan.requestedPercent}% exactly needs ${plan.podsForExactShare} pods (or weighted routing)`;
}

/** Share a canary with `canary` of `total` ready pods gets, in percent. */
export function replicaShare(canary: number, total: number): number {
  return total <= 0 ? 0 : round2((canary * 100) / total);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
