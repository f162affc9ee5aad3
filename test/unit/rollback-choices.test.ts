// Undo… and Roll back… (issue 12, part 10, 5): an aborted Rollout goes back to what serves (its
// stable revision), which the picker offers first, marked as last fully available, with ages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRolloutUndo } from '../../src/domain/actions/plans';
import { rollbackChoices } from '../../src/domain/actions/revisions';
import { revisionAction, revisionContextValue } from '../../src/domain/actions/catalogue';
import type { NamespaceSnapshot, ReplicaSet } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

const NOW = Date.parse('2026-11-25T13:05:00Z');

/**
 * The fixture's canary after two failed attempts: revision 2 was aborted earlier (scaled down),
 * revision 3 is aborted now; revision 1 is the stable one and serves.
 */
function abortedTwice(): NamespaceSnapshot {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const rs = (name: string) => snapshot.replicaSets.find((r) => r.metadata.name === name)!;
  rs('cart-c1').metadata.creationTimestamp = '2026-11-25T10:00:00Z';
  const c2 = rs('cart-c2');
  c2.metadata.creationTimestamp = '2026-11-25T12:00:00Z';
  c2.spec = { ...c2.spec, replicas: 0 };
  c2.status = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };
  const c3: ReplicaSet = structuredClone(c2);
  c3.metadata = { ...c3.metadata, name: 'cart-c3', uid: 'rs-c3', creationTimestamp: '2026-11-25T13:00:00Z', labels: { app: 'cart', 'rollouts-pod-template-hash': 'c3' }, annotations: { 'rollout.argoproj.io/revision': '3' } };
  c3.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/cart:3.0.0';
  snapshot.replicaSets.push(c3);
  const r = snapshot.rollouts[0];
  r.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/cart:3.0.0';
  r.status = { ...r.status, currentPodHash: 'c3', stableRS: 'c1', abort: true, abortedAt: '2026-12-02T01:57:21Z', pauseConditions: [], controllerPause: false, phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 3' };
  return snapshot;
}

test('Undo of an aborted Rollout goes back to the stable revision that serves, not the previous number', () => {
  const snapshot = abortedTwice();
  const plan = planRolloutUndo(snapshot.rollouts[0], snapshot.replicaSets);
  assert.equal(plan.title, 'Undo "cart" to revision 1');
  assert.match(plan.summary, /ghcr\.io\/acme\/cart:1\.0\.0/);
});

test('the undo picker offers the stable revision first, marked, with ages, and not the aborted one', () => {
  const [w] = buildWorkloads(abortedTwice());
  const choices = rollbackChoices(w, NOW);
  assert.deepEqual(choices.map((c) => [c.revision, c.lastAvailable]), [[1, true], [2, false]], 'revision 3 is the template now: not offered');
  assert.equal(choices[0].label, '$(check) revision 1');
  assert.equal(choices[0].description, 'ghcr.io/acme/cart:1.0.0 · last fully available · serving on 4 pods');
  assert.equal(choices[0].detail, 'no change-cause · created 3h ago');
  assert.equal(choices[1].detail, 'no change-cause · created 65m ago');
  assert.doesNotMatch(choices.map((c) => c.detail).join(), /\d{4}-\d\d-\d\dT/, 'no raw UTC stamps');
});

test('a Deployment stuck on a new revision: the old one that still serves is offered first', () => {
  const snapshot = snapshotFixture('cluster/rolling-progress.yaml');
  const [w] = buildWorkloads(snapshot);
  const choices = rollbackChoices(w, NOW);
  assert.equal(choices[0].revision, 1);
  assert.equal(choices[0].lastAvailable, true);
  assert.ok(choices.every((c) => c.revision !== w.revisions[0].revision), 'the current revision is not offered');
});

test('the panel offers Roll back on an aborted Rollout\'s stable revision, and never on the current template', () => {
  const [w] = buildWorkloads(abortedTwice());
  assert.deepEqual(w.revisions.filter((r) => revisionAction(w, r)).map((r) => r.revision).sort(), [1, 2]);
  // The tree's revision rows say the same: the stable revision's row offers Undo….
  const stable = w.revisions.find((r) => r.revision === 1)!;
  assert.equal(revisionContextValue(w, stable, false), 'revision:rollout:old');
  assert.equal(revisionContextValue(w, w.revisions.find((r) => r.revision === 3)!, false), 'revision:rollout', 'the aborted template: nothing to go back to');
  const [healthy] = buildWorkloads(snapshotFixture('cluster/rolling-progress.yaml'));
  assert.equal(revisionAction(healthy, healthy.revisions[0]), undefined, 'the current revision of a Deployment');
});
