// How Flagger v1.36 walks a Canary's analysis, worked out from its scheduler so that the designer,
// the lint rules and the hovers say the same numbers the controller will:
// pkg/controller/scheduler.go (advanceCanary, runCanary, runBlueGreen, maxWeight, nextStepWeight,
// totalWeight) and pkg/apis/flagger/v1beta1/canary.go (GetAnalysisThreshold, GetAnalysisInterval).
// Pure; no YAML here.

/** Flagger's total weight: the canary never gets more than this (scheduler.go, totalWeight). */
export const FLAGGER_TOTAL_WEIGHT = 100;
/** Iterations Flagger forces for the kubernetes provider when none are set (scheduler.go, advanceCanary). */
export const FLAGGER_KUBERNETES_DEFAULT_ITERATIONS = 10;

export interface FlaggerWeights {
  stepWeight?: number;
  stepWeights?: number[];
  maxWeight?: number;
}

/**
 * The weight at which Flagger promotes: the last of `stepWeights` (at most 100) when they are set,
 * else `maxWeight` when above 0, else 100 (scheduler.go, maxWeight).
 */
export function flaggerMaxWeight(a: FlaggerWeights): number {
  if (a.stepWeights?.length) return Math.min(FLAGGER_TOTAL_WEIGHT, a.stepWeights[a.stepWeights.length - 1]);
  return a.maxWeight !== undefined && a.maxWeight > 0 ? a.maxWeight : FLAGGER_TOTAL_WEIGHT;
}

export interface FlaggerWalk {
  /** The canary weights in order, each set after one check passed (the first right after the pre-rollout hooks). */
  weights: number[];
  /** Flagger reaches the promotion weight (false: it stops advancing at the last weight, for ever). */
  promotes: boolean;
  /** The weight at which it promotes (the max weight). */
  maxWeight: number;
}

/**
 * The weights a canary analysis goes through. Each interval that passes its checks, Flagger adds
 * the next step to the canary weight while the weight is below the max weight; the sum is capped at
 * 100, not at maxWeight, so a stepWeight that does not divide maxWeight overshoots it on the last
 * step (runCanary). With `stepWeights` the step is the difference to the next listed weight after
 * the current one (nextStepWeight): a list that does not increase makes a step of 0 or less, and
 * Flagger then neither advances nor promotes (advanceCanary only runs runCanary when the next step
 * is above 0).
 */
export function walkFlaggerWeights(a: FlaggerWeights): FlaggerWalk {
  const maxWeight = flaggerMaxWeight(a);
  const weights: number[] = [];
  let weight = 0;
  // Each step moves the weight or stops the walk; 101 steps cover every weight from 1 to 100.
  for (let guard = 0; weight < maxWeight && guard <= FLAGGER_TOTAL_WEIGHT; guard++) {
    const step = nextStep(a, weight);
    if (!(step > 0)) return { weights, promotes: false, maxWeight };
    weight = Math.min(FLAGGER_TOTAL_WEIGHT, weight + step);
    weights.push(weight);
  }
  return { weights, promotes: weight >= maxWeight, maxWeight };
}

function nextStep(a: FlaggerWeights, weight: number): number {
  const list = a.stepWeights ?? [];
  if ((a.stepWeight ?? 0) > 0 || !list.length) return a.stepWeight ?? 0;
  const room = FLAGGER_TOTAL_WEIGHT - weight;
  if (room === 0) return 1;
  if (weight === 0) return Math.min(room, list[0]);
  const at = list.slice(0, -1).indexOf(weight);
  return at >= 0 ? Math.min(room, list[at + 1] - weight) : room;
}

/**
 * How many analysis checks decide a release before its promotion: a canary runs one at each weight it
 * sets (the first weight is set before any check, right after the pre-rollout hooks), a blue/green
 * or A/B test one per iteration (runBlueGreen / runAB). Failed checks repeat the same step.
 */
export function flaggerChecksBeforePromotion(a: FlaggerWeights & { iterations?: number }): number {
  if ((a.iterations ?? 0) > 0) return a.iterations!;
  return walkFlaggerWeights(a).weights.length;
}

/**
 * The Services Flagger creates for a Canary: the apex (`service.name`, else the target's name), its
 * `-primary` and its `-canary` (pkg/apis/flagger/v1beta1/canary.go, GetServiceNames). Undefined
 * while the Canary names neither.
 */
export function flaggerServiceNames(spec: { service?: { name?: unknown }; targetRef?: { name?: unknown } } | undefined): { apex: string; primary: string; canary: string } | undefined {
  const given = spec?.service?.name;
  const apex = typeof given === 'string' && given ? given : spec?.targetRef?.name;
  if (typeof apex !== 'string' || !apex) return undefined;
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}
