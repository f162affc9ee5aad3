import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReplicaCanary, podsForExactShare } from '../../src/domain/strategy/replicaCanary';
import { resolveFenceposts, simulateRollingUpdate } from '../../src/domain/strategy/rollingTimeline';
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
