// Replica-ratio canary arithmetic: under one Service, the canary's share of traffic is roughly
// its ready pods over all ready pods, so only shares of the form k/N can be reached.

import type { IntOrPercent } from '../manifests/options';
import { resolveIntOrPercent } from './rollingTimeline';

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

export interface ArgoCanarySplit {
  canary: number;
  stable: number;
  /** Share of traffic the canary gets, in percent: the weight with a router, else its pods over all pods. */
  trafficPercent: number;
}

/** Argo's default canary maxSurge. */
const ARGO_DEFAULT_MAX_SURGE = '25%';

/**
 * The canary and stable pods the Argo Rollouts controller settles on for a `setWeight`, as v1.9 does.
 *
 * With trafficRouting the router carries the weight: the canary gets ceil(replicas × weight / 100)
 * pods and stable keeps all of spec.replicas. Without it the pods are the split, and the controller
 * picks the count closest to the weight among: canary rounded up or down, out of spec.replicas or,
 * when maxSurge resolves above 0, out of spec.replicas + 1 (a surge pod kept for the whole step).
 * A weight strictly between 0 and 100 never rounds a side to 0 pods, unless one pod and no surge
 * leave no choice; of two counts equally far from the weight it takes the larger canary; earlier
 * candidates win ties. maxUnavailable plays no part: it only paces the scaling towards these counts.
 */
export function argoCanarySplit(replicas: number, setWeight: number, options: { maxSurge?: IntOrPercent | string; trafficRouted?: boolean } = {}): ArgoCanarySplit {
  if (!(setWeight >= 0 && setWeight <= 100)) throw new RangeError('setWeight must be from 0 to 100.');
  const ceil = Math.ceil((replicas * setWeight) / 100);
  if (options.trafficRouted) return { canary: ceil, stable: replicas, trafficPercent: setWeight };
  if (replicas <= 0) return { canary: 0, stable: 0, trafficPercent: 0 };
  const floor = Math.floor((replicas * setWeight) / 100);
  // Any maxSurge above 0 resolves to at least one pod, and one is all this split uses.
  const surge = resolveIntOrPercent(options.maxSurge ?? ARGO_DEFAULT_MAX_SURGE, replicas, true, 'maxSurge') > 0;
  const zeroAllowed = setWeight === 0 || setWeight === 100 || (replicas === 1 && !surge);
  const tied = (total: number) => {
    const exact = total * (setWeight / 100);
    return exact - Math.trunc(exact) === 0.5;
  };
  const candidates: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) candidates.push({ canary: ceil, total: replicas });
  // The floor is the one from spec.replicas in both totals, as in the controller.
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) candidates.push({ canary: floor, total: replicas });
  if (surge) {
    candidates.push({ canary: ceil, total: replicas + 1 });
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed)) candidates.push({ canary: floor, total: replicas + 1 });
  }
  const distance = (c: { canary: number; total: number }) => Math.abs((c.canary * 100) / c.total - setWeight);
  let best = candidates[0] ?? { canary: 0, total: replicas };
  for (const c of candidates) if (distance(c) < distance(best)) best = c;
  return { canary: best.canary, stable: best.total - best.canary, trafficPercent: replicaShare(best.canary, best.total) };
}

/** The pods and share of a split in words, e.g. "3 canary + 8 stable pods = 27.27%". */
export function describeArgoCanarySplit(split: ArgoCanarySplit): string {
  return `${split.canary} canary + ${split.stable} stable pods = ${split.trafficPercent}%`;
}

/** Share a canary with `canary` of `total` ready pods gets, in percent. */
export function replicaShare(canary: number, total: number): number {
  return total <= 0 ? 0 : round2((canary * 100) / total);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
