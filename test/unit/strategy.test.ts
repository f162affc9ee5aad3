import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argoCanarySplit, planReplicaCanary, podsForExactShare } from '../../src/domain/strategy/replicaCanary';
import { deploymentRollingUpdate, InvalidRollingParameters, MAX_LISTED_STEPS, resolveFenceposts, simulateRollingUpdate } from '../../src/domain/strategy/rollingTimeline';
import { recommendStrategy, type ReleaseAnswers } from '../../src/domain/strategy/recommend';

test('replica canary plans: exact shares, rounding, the pods an exact share needs', () => {
  assert.deepEqual(planReplicaCanary(10, 10), { stable: 9, canary: 1, actualPercent: 10, requestedPercent: 10, exact: true, podsForExactShare: 10 });
  const onePercent = planReplicaCanary(1, 10);
  assert.equal(onePercent.canary, 1);
  assert.equal(onePercent.actualPercent, 10);
  assert.equal(onePercent.exact, false);
  assert.equal(onePercent.podsForExactShare, 100);
  assert.equal(planReplicaCanary(1, 100).exact, true);
  assert.equal(planReplicaCanary(33, 3).actualPercent, 33.33);
  assert.equal(podsForExactShare(25), 4);
  assert.equal(podsForExactShare(12.5), 8);
  // The stable side always keeps a pod.
  assert.deepEqual([planReplicaCanary(90, 2).stable, planReplicaCanary(90, 2).canary], [1, 1]);
  assert.throws(() => planReplicaCanary(0, 10), RangeError);
  assert.throws(() => planReplicaCanary(10, 1), RangeError);
});

// Inputs and outputs of Argo Rollouts v1.9.2's TestApproximateWeightedNewStableReplicaCounts
// (utils/replicaset/canary_test.go), the test of the split without traffic routing: spec.replicas,
// setWeight, resolved maxSurge (all with maxWeight 100) -> canary and stable pods.
const ARGO_APPROXIMATED_SPLITS: [replicas: number, weight: number, maxSurge: number, canary: number, stable: number][] = [
  [0, 0, 0, 0, 0], [0, 50, 0, 0, 0], [0, 100, 0, 0, 0],
  [0, 0, 1, 0, 0], [0, 50, 1, 0, 0], [0, 100, 1, 0, 0],
  [1, 0, 0, 0, 1], [1, 1, 0, 0, 1], [1, 49, 0, 0, 1], [1, 50, 0, 1, 0], [1, 99, 0, 1, 0], [1, 100, 0, 1, 0],
  [1, 0, 1, 0, 1], [1, 1, 1, 1, 1], [1, 49, 1, 1, 1], [1, 50, 1, 1, 1], [1, 99, 1, 1, 1], [1, 100, 1, 1, 0],
  [2, 0, 0, 0, 2], [2, 1, 0, 1, 1], [2, 50, 0, 1, 1], [2, 99, 0, 1, 1], [2, 100, 0, 2, 0],
  [2, 0, 1, 0, 2], [2, 1, 1, 1, 2], [2, 50, 1, 1, 1], [2, 99, 1, 2, 1], [2, 100, 1, 2, 0],
  [3, 10, 0, 1, 2], [3, 25, 0, 1, 2], [3, 33, 0, 1, 2], [3, 34, 0, 1, 2], [3, 49, 0, 1, 2], [3, 50, 0, 2, 1],
  [3, 10, 1, 1, 3], [3, 25, 1, 1, 3], [3, 33, 1, 1, 2], [3, 34, 1, 1, 2], [3, 49, 1, 2, 2], [3, 50, 1, 2, 2],
  [10, 0, 1, 0, 10], [10, 1, 0, 1, 9], [10, 14, 0, 1, 9], [10, 15, 0, 2, 8], [10, 16, 0, 2, 8], [10, 99, 0, 9, 1], [10, 100, 1, 10, 0],
  [10, 0, 1, 0, 10], [10, 1, 1, 1, 10], [10, 18, 1, 2, 9], [10, 19, 1, 2, 9], [10, 20, 1, 2, 8], [10, 23, 1, 2, 8],
  [10, 24, 1, 3, 8], [10, 25, 1, 3, 8], [10, 99, 1, 10, 1], [10, 100, 1, 10, 0],
];

test('Argo canary split without a router: the controller\'s own cases', () => {
  for (const [replicas, weight, maxSurge, canary, stable] of ARGO_APPROXIMATED_SPLITS) {
    const split = argoCanarySplit(replicas, weight, { maxSurge });
    assert.deepEqual([split.canary, split.stable], [canary, stable], `${replicas} replicas, setWeight ${weight}, maxSurge ${maxSurge}`);
  }
});

test('Argo canary split: the share reached, the default maxSurge, traffic routing', () => {
  // The default maxSurge (25%) allows the surge pod.
  assert.deepEqual(argoCanarySplit(1, 50), { canary: 1, stable: 1, trafficPercent: 50 });
  assert.deepEqual(argoCanarySplit(3, 20), { canary: 1, stable: 3, trafficPercent: 25 });
  assert.deepEqual(argoCanarySplit(10, 25), { canary: 3, stable: 8, trafficPercent: 27.27 });
  assert.deepEqual(argoCanarySplit(10, 25, { maxSurge: '0%' }), { canary: 3, stable: 7, trafficPercent: 30 });
  assert.deepEqual(argoCanarySplit(4, 0), { canary: 0, stable: 4, trafficPercent: 0 });
  assert.deepEqual(argoCanarySplit(4, 100), { canary: 4, stable: 0, trafficPercent: 100 });
  // A router carries the weight: the canary is sized up to it, stable keeps every pod.
  assert.deepEqual(argoCanarySplit(10, 25, { trafficRouted: true }), { canary: 3, stable: 10, trafficPercent: 25 });
  assert.throws(() => argoCanarySplit(10, 120), RangeError);
});

test('fenceposts round surge up and unavailable down, like the Deployment controller', () => {
  assert.deepEqual(resolveFenceposts(10, '25%', '25%'), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(3, '10%', '10%'), { surge: 1, unavailable: 0 });
  // Percentages that both round to 0 fall back to one unavailable pod.
  assert.deepEqual(resolveFenceposts(3, '0%', '10%'), { surge: 0, unavailable: 1 });
  assert.throws(() => resolveFenceposts(3, 0, 0), /both be 0/);
  assert.throws(() => resolveFenceposts(3, '0%', 0), /both be 0/);
});

test('rolling timeline: surge only keeps full capacity and adds pods', () => {
  const t = simulateRollingUpdate(4, 1, 0);
  assert.equal(t.lowestAvailable, 4);
  assert.equal(t.highestTotal, 5);
  assert.equal(t.steps[0].oldPods, 4);
  assert.deepEqual(t.steps.at(-1), { step: t.steps.length - 1, oldPods: 0, newPods: 4, newReady: 4, available: 4, total: 4, action: 'Done: 4 new pods serve.' });
  // Pods are conserved: every step, old + new = total, and available never exceeds total.
  for (const s of t.steps) {
    assert.equal(s.oldPods + s.newPods, s.total);
    assert.ok(s.available <= s.total && s.newReady <= s.newPods);
  }
});

test('rolling timeline: unavailable only never adds pods and dips by that many', () => {
  const t = simulateRollingUpdate(10, 0, 3);
  assert.equal(t.highestTotal, 10);
  assert.equal(t.lowestAvailable, 7);
  assert.equal(t.lowestCapacityPercent, 70);
});

test('rolling timeline: defaults 25%/25% on 10 pods keep at least 8 and at most 13', () => {
  const t = simulateRollingUpdate(10, '25%', '25%');
  assert.equal(t.lowestAvailable, 8);
  assert.equal(t.highestTotal, 13);
  assert.ok(t.steps.length < 8);
});

/** The controller's reconcile one step at a time, as plainly as it can be written: the reference. */
function stepByStep(replicas: number, surge: number, unavailable: number) {
  let [oldPods, newPods] = [replicas, 0];
  const steps: { oldPods: number; newPods: number; newReady: number; available: number; total: number }[] = [];
  for (;;) {
    const newReady = newPods;
    if (oldPods === 0 && newReady === replicas) return steps;
    oldPods -= Math.max(0, Math.min(oldPods, oldPods + newReady - (replicas - unavailable)));
    newPods += Math.max(0, Math.min(replicas + surge - (oldPods + newPods), replicas - newPods));
    steps.push({ oldPods, newPods, newReady, available: oldPods + newReady, total: oldPods + newPods });
  }
}

test('rolling timeline: every step is the controller\'s, and a long rollout is summarised with the same numbers', () => {
  for (let replicas = 1; replicas <= 300; replicas += replicas < 30 ? 1 : 37) {
    for (const [maxSurge, maxUnavailable] of [[1, 0], [0, 1], ['25%', '25%'], [2, 3], ['10%', 0], [0, '30%'], ['100%', 0], [5, '100%']] as const) {
      const t = simulateRollingUpdate(replicas, maxSurge, maxUnavailable);
      const reference = stepByStep(replicas, t.surge, t.unavailable);
      const label = `${replicas} replicas, ${maxSurge} / ${maxUnavailable}`;
      assert.equal(t.stepCount, reference.length, label);
      assert.equal(t.lowestAvailable, Math.min(replicas, ...reference.map((s) => s.available)), label);
      assert.equal(t.highestTotal, Math.max(replicas, ...reference.map((s) => s.total)), label);
      const middle = t.steps.slice(1, -1);
      if (reference.length <= MAX_LISTED_STEPS) {
        assert.deepEqual(middle.map(({ step, action, ...counts }) => counts), reference, label);
      } else {
        // Each row is the state after its last step, and the rows cover every step once.
        for (const row of middle) {
          const { step, through, action, ...counts } = row;
          assert.deepEqual(counts, reference[(through ?? step) - 1], `${label}, step ${step}`);
        }
        assert.equal(middle.reduce((n, r) => n + (r.through ?? r.step) - r.step + 1, 0), reference.length, label);
        assert.ok(t.steps.length < 20, label);
      }
    }
  }
});

test('rolling timeline: 300,000 or 2^31 - 1 replicas take a few rows, not a step each (no RangeError, no memory blow-up)', () => {
  const big = simulateRollingUpdate(300_000, 1, 0);
  assert.deepEqual([big.stepCount, big.lowestAvailable, big.highestTotal], [300_001, 300_000, 300_001]);
  assert.ok(big.steps.length < 10);
  assert.match(big.steps.find((s) => s.through)!.action, /-1 old, \+1 new in each of 299999 steps/);
  const most = simulateRollingUpdate(2 ** 31 - 1, '25%', '25%');
  assert.equal(most.lowestAvailable, 2 ** 31 - 1 - Math.floor((2 ** 31 - 1) / 4));
  assert.ok(most.steps.length < 10);
});

test('rolling timeline: inputs the API server rejects are refused with what is wrong', () => {
  const refused = (replicas: number, maxSurge: unknown, maxUnavailable: unknown, message: RegExp) =>
    assert.throws(() => simulateRollingUpdate(replicas, maxSurge, maxUnavailable), (e: unknown) => e instanceof InvalidRollingParameters && message.test(e.message), `${replicas} ${maxSurge} ${maxUnavailable}`);
  refused(1e10, 1, 0, /replicas 10000000000 is not a whole number from 0 to 2147483647/);
  refused(2.5, 1, 0, /replicas 2.5/);
  refused(-1, 1, 0, /replicas -1/);
  refused(10, 1.5, 0, /maxSurge 1.5 is neither/);
  refused(10, 0, 0.5, /maxUnavailable 0.5 is neither/);
  refused(10, Infinity, 0, /maxSurge Infinity is neither/);
  refused(1e7, -1, 0, /maxSurge -1 is neither/);
  refused(10, '2', 0, /maxSurge "2" is neither/);
  refused(10, '2.5%', 0, /maxSurge "2.5%"/);
  refused(10, 1, '101%', /maxUnavailable 101% is more than 100%/);
  assert.equal(simulateRollingUpdate(10, '150%', 0).surge, 15, 'maxSurge may pass 100%');
  // Percentages: surge rounds up, unavailable down.
  assert.deepEqual(resolveFenceposts(7, '10%', '20%'), { surge: 1, unavailable: 1 });
});

test('a Recreate Deployment has no rolling timeline, and says why', () => {
  const recreate = { spec: { replicas: 3, strategy: { type: 'Recreate' } } };
  assert.throws(() => deploymentRollingUpdate(recreate), /Recreate: no rolling update/);
  assert.deepEqual(deploymentRollingUpdate({ spec: {} }), { replicas: 1, maxSurge: '25%', maxUnavailable: '25%' });
  assert.throws(() => deploymentRollingUpdate({ spec: { replicas: 1e9 + 0.5 } }), InvalidRollingParameters);
});

const base: ReleaseAnswers = { tolerableFailure: 'few-users', rollbackSpeed: 'minutes', canSplitTraffic: false, canObserveMetrics: true, spareCapacity: false, databaseChange: 'none', argoRollouts: false };

test('recommendations follow the release checklist', () => {
  assert.equal(recommendStrategy(base).strategy, 'canary-replicas');
  assert.equal(recommendStrategy({ ...base, canSplitTraffic: true }).strategy, 'canary-istio');
  assert.equal(recommendStrategy({ ...base, argoRollouts: true }).strategy, 'argo-canary');
  assert.equal(recommendStrategy({ ...base, canObserveMetrics: false, rollbackSpeed: 'seconds', spareCapacity: true }).strategy, 'bluegreen');
  assert.equal(recommendStrategy({ ...base, canObserveMetrics: false, rollbackSpeed: 'seconds', spareCapacity: true, argoRollouts: true }).strategy, 'argo-bluegreen');
  assert.equal(recommendStrategy({ ...base, canObserveMetrics: false, rollbackSpeed: 'seconds', spareCapacity: false }).strategy, 'rolling');
  const breaking = recommendStrategy({ ...base, databaseChange: 'breaking', spareCapacity: true, rollbackSpeed: 'seconds' });
  assert.equal(breaking.strategy, 'bluegreen');
  assert.match(breaking.cautions.join(' '), /expand\/contract/);
  assert.ok(recommendStrategy(base).reasons.length > 0);
});
