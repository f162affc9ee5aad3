// Promote and Promote full are checked like Switch Traffic (issue 12, part 10, 2): refused while the
// canary or preview is not ready, naming why in the kubelet's words, unless forced; not offered by
// the panel when there is nothing to promote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionRefused, planBlueGreenSwitch, planCanaryPromote, planRolloutAction } from '../../src/domain/actions/plans';
import { isOffered, workloadActions } from '../../src/domain/actions/catalogue';
import type { NamespaceSnapshot, Pod } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

const NOW = new Date('2026-11-25T10:05:00Z');

/** The paused Argo canary of the fixture, its one canary pod crash-looping. */
function crashingArgoCanary(): NamespaceSnapshot {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const rs = snapshot.replicaSets.find((r) => r.metadata.name === 'cart-c2')!;
  rs.status = { replicas: 1, readyReplicas: 0, availableReplicas: 0 };
  const pod: Pod = {
    metadata: { name: 'cart-c2-x', uid: 'p-x', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-c2', uid: 'rs-c2' }] },
    spec: { containers: [{ name: 'cart', image: 'ghcr.io/acme/cart:2.0.0' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'cart', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] },
  };
  snapshot.pods.push(pod);
  return snapshot;
}

const refusal = (fn: () => unknown): ActionRefused => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ActionRefused) return e;
    throw e;
  }
  assert.fail('not refused');
};

test('Promote and Promote full refuse a canary that cannot start, naming the reason, and go through when forced', () => {
  const snapshot = crashingArgoCanary();
  const [view] = buildWorkloads(snapshot);
  const rollout = snapshot.rollouts[0];
  for (const action of ['promote', 'promoteFull'] as const) {
    const e = refusal(() => planRolloutAction(rollout, action, NOW, { view }));
    assert.match(e.message, /^The canary \(revision 2, ghcr\.io\/acme\/cart:2\.0\.0\) is not ready: CrashLoopBackOff ghcr\.io\/acme\/cart:2\.0\.0 \(back-off 40s restarting failed container; last run OOMKilled \(exit code 137\)\) · 0\/1 available\. .*or force it\.$/);
    assert.equal(e.forcible, true, 'the refusal offers Force');
    const forced = planRolloutAction(rollout, action, NOW, { view, force: true });
    assert.ok(forced.writes.length, 'forced, it is sent');
    assert.match(forced.summary, /FORCED while the canary is not ready \(CrashLoopBackOff/);
  }
  // A ready canary is promoted without a word of it.
  const [ready] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  assert.doesNotMatch(planRolloutAction(rollout, 'promote', NOW, { view: ready }).summary, /FORCED/);
});

test('Promote of an Argo blue/green refuses a preview that is not fully available', () => {
  const snapshot = snapshotFixture('cluster/argo-bluegreen-preview.yaml');
  snapshot.replicaSets.find((r) => r.metadata.name === 'pay-p2')!.status = { replicas: 2, readyReplicas: 1, availableReplicas: 1 };
  const [view] = buildWorkloads(snapshot);
  const e = refusal(() => planRolloutAction(snapshot.rollouts[0], 'promote', NOW, { view }));
  assert.match(e.message, /^The preview \(revision 2, ghcr\.io\/acme\/pay:2\.0\.0\) is not ready: 1\/2 available\./);
  // The panel still offers it (forcing is the user's call), but says it will be refused, and not as the primary button.
  const button = workloadActions(view).find((b) => b.action === 'promote')!;
  assert.equal(button.disabled, undefined);
  assert.equal(button.primary, undefined);
  assert.match(button.title, /preview is not ready \(1\/2 available\): the promotion will be refused unless forced/);
});

test('a replica canary whose new pod crash-loops is not promoted onto the stable Deployment', () => {
  const snapshot = snapshotFixture('cluster/replica-canary.yaml');
  const [view] = buildWorkloads(snapshot);
  const stable = snapshot.deployments.find((d) => d.metadata.name === 'feed-stable')!;
  const canary = snapshot.deployments.find((d) => d.metadata.name === 'feed-canary')!;
  const crashing = { ...view, revisions: [{ revision: 2, replicaSet: 'feed-canary-c2', images: ['ghcr.io/acme/feed:1.1.0'], desired: 1, current: 1, ready: 0, available: 0, roles: ['canary' as const], health: 'Progressing' as const, pods: [], problem: { reason: 'ImagePullBackOff', image: 'ghcr.io/acme/feed:1.1.0' } }] };
  assert.match(refusal(() => planCanaryPromote(stable, canary, { view: crashing })).message, /^The canary .* is not ready: ImagePullBackOff ghcr\.io\/acme\/feed:1\.1\.0 · 0\/1 available/);
  assert.ok(planCanaryPromote(stable, canary, { view: crashing, force: true }).writes.length);
});

test('nothing to promote: the panel does not offer Promote or Promote full', () => {
  // The Argo canary once fully promoted: its current revision is the stable one.
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const r = snapshot.rollouts[0];
  r.status = { ...r.status, currentPodHash: 'c1', stableRS: 'c1', currentStepIndex: 4, pauseConditions: [], controllerPause: false, phase: 'Healthy', message: undefined };
  const [promoted] = buildWorkloads(snapshot);
  for (const action of ['promote', 'promoteFull'] as const) {
    assert.equal(isOffered(promoted, action), false, `${action} on a fully promoted Rollout`);
    assert.match(workloadActions(promoted).find((b) => b.action === action)!.title, /^Nothing to promote: no canary or preview revision/);
  }
  const [paused] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  assert.equal(isOffered(paused, 'promote'), true);
  assert.equal(workloadActions(paused).find((b) => b.action === 'promote')!.primary, true);
  // A replica canary scaled to 0, or running the stable image, has nothing to promote either.
  const canarySnapshot = snapshotFixture('cluster/replica-canary.yaml');
  assert.equal(isOffered(buildWorkloads(canarySnapshot)[0], 'promote'), true);
  canarySnapshot.deployments.find((d) => d.metadata.name === 'feed-canary')!.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/feed:1.0.0';
  assert.equal(isOffered(buildWorkloads(canarySnapshot)[0], 'promote'), false);
});

test('every refusal that says "or force it" is one the Force button can override, and only those', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  snapshot.deployments[1].status!.availableReplicas = 1;
  const [view] = buildWorkloads(snapshot);
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  const notReady = refusal(() => planBlueGreenSwitch(service, view, 'green'));
  assert.match(notReady.message, /or force the switch\.$/);
  assert.equal(notReady.forcible, true);
  const live = refusal(() => planBlueGreenSwitch(service, view, 'blue'));
  assert.equal(live.forcible, false, 'switching to the live colour cannot be forced: there is nothing to force');
});

test('plans that move production traffic say so (their confirmation defaults to Cancel); the others do not', () => {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const [view] = buildWorkloads(snapshot);
  const r = snapshot.rollouts[0];
  for (const action of ['promote', 'promoteFull', 'abort'] as const) assert.equal(planRolloutAction(r, action, NOW, { view }).movesTraffic, true, action);
  for (const action of ['pause', 'resume', 'restart'] as const) assert.equal(planRolloutAction(r, action, NOW).movesTraffic, undefined, action);
  const bg = snapshotFixture('cluster/bluegreen.yaml');
  assert.equal(planBlueGreenSwitch(bg.services.find((s) => s.metadata.name === 'shop')!, buildWorkloads(bg)[0], 'green').movesTraffic, true);
  const canary = snapshotFixture('cluster/replica-canary.yaml');
  const [stable, canaryD] = [canary.deployments[0], canary.deployments[1]];
  assert.equal(planCanaryPromote(stable, canaryD).movesTraffic, true);
});
