import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { deploymentStatus, rolloutStatus } from '../../src/domain/model/status';
import type { Deployment, Rollout } from '../../src/domain/model/objects';
import { snapshotFixture } from '../support/snapshot';

const deployment = (status: Deployment['status'], extra: Partial<Deployment> = {}): Deployment => ({
  metadata: { name: 'web', generation: 3 },
  spec: { replicas: 3 },
  status: { observedGeneration: 3, ...status },
  ...extra,
});

test('deployment status follows kubectl rollout status, in order', () => {
  assert.equal(deploymentStatus(deployment({ observedGeneration: 2 })).message, 'Waiting for deployment spec update to be observed...');
  const deadline = deploymentStatus(deployment({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }], updatedReplicas: 1 }));
  assert.deepEqual(deadline, { health: 'Degraded', message: 'deployment "web" exceeded its progress deadline', done: false });
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 1, replicas: 3 })).message, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 3, replicas: 4 })).message, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
  assert.equal(deploymentStatus(deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message, 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
  assert.deepEqual(deploymentStatus(deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 })), { health: 'Healthy', message: 'deployment "web" successfully rolled out', done: true });
  const paused = deploymentStatus(deployment({ updatedReplicas: 1, replicas: 3 }, { spec: { replicas: 3, paused: true } }));
  assert.equal(paused.health, 'Paused');
});

test('rollout status: controller phase once the generation is observed, else waiting', () => {
  const base: Rollout = { metadata: { name: 'r', generation: 2 }, spec: {}, status: { observedGeneration: '2', phase: 'Paused', message: 'CanaryPauseStep', controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep' }] } };
  assert.deepEqual(rolloutStatus(base), { health: 'Paused', message: 'CanaryPauseStep', done: false });
  assert.equal(rolloutStatus({ ...base, status: { ...base.status, observedGeneration: '1' } }).message, 'waiting for rollout spec update to be observed');
  assert.equal(rolloutStatus({ ...base, status: { ...base.status, pauseConditions: [] } }).message, 'waiting for rollout to unpause');
  // Without status.phase (old controllers) the phase is calculated as the controller would.
  const calc: Rollout = { metadata: { name: 'r', generation: 1 }, spec: { replicas: 2, strategy: { canary: {} } }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, stableRS: 'a', currentPodHash: 'a' } };
  assert.equal(rolloutStatus(calc).health, 'Healthy');
  assert.equal(rolloutStatus({ ...calc, status: { ...calc.status, currentPodHash: 'b' } }).message, 'waiting for all steps to complete');
  assert.equal(rolloutStatus({ ...calc, status: { ...calc.status, conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'aborted' }] } }).health, 'Degraded');
});

test('rolling Deployment mid-update: revisions, pods, description', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/rolling-progress.yaml'));
  assert.equal(w.kind, 'Deployment');
  assert.equal(w.strategy, 'rolling');
  assert.equal(w.health, 'Progressing');
  assert.equal(w.description, '2/4 updated · rev 2');
  assert.deepEqual(w.revisions.map((r) => [r.revision, r.roles[0], r.images[0], r.pods.length]), [
    [2, 'current', 'ghcr.io/acme/web:1.1.0', 2],
    [1, 'old', 'ghcr.io/acme/web:1.0.0', 1],
  ]);
  assert.equal(w.revisions[0].changeCause, 'image 1.1.0');
  assert.deepEqual(w.revisions[0].pods.map((p) => [p.name, p.state, p.restarts]), [['web-new-a', 'ready', 1], ['web-new-b', 'starting', 0]]);
  assert.equal(w.revisions[1].pods[0].state, 'terminating');
  assert.equal(w.resourceVersion, '900');
});

test('blue/green pair: live and idle colours, readiness of the idle one, endpoints', () => {
  const workloads = buildWorkloads(snapshotFixture('cluster/bluegreen.yaml'));
  assert.equal(workloads.length, 1, 'the two Deployments are members of the pair, not listed alone');
  const [w] = workloads;
  assert.equal(w.kind, 'BlueGreen');
  assert.equal(w.name, 'shop');
  assert.equal(w.blueGreen!.live, 'blue');
  assert.equal(w.blueGreen!.idle, 'green');
  assert.equal(w.blueGreen!.idleReady, true);
  assert.equal(w.blueGreen!.previewService, 'shop-preview');
  assert.deepEqual(w.blueGreen!.endpointsColours, ['blue']);
  assert.deepEqual(w.members.sort(), ['shop-blue', 'shop-green']);
  assert.equal(w.description, 'blue live · green idle');
  assert.equal(w.resourceVersion, '77');
});

test('blue/green pair: an idle colour that is not ready says so', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  snapshot.deployments[1].status!.availableReplicas = 1;
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.blueGreen!.idleReady, false);
  assert.equal(w.description, 'blue live · green idle (1/2)');
});

test('replica canary: share from ready pods, requested share from the annotation', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/replica-canary.yaml'));
  assert.equal(w.kind, 'ReplicaCanary');
  assert.equal(w.canary!.actualWeight, 10);
  assert.equal(w.canary!.requestedShare, 10);
  assert.equal(w.description, 'canary 1/10 pods · 10%');
  assert.deepEqual(w.canary!.canaryImages, ['ghcr.io/acme/feed:1.1.0']);
});

test('Argo canary paused at a step: step i/n, setWeight, actual weight, analysis', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  assert.equal(w.strategy, 'argo-canary');
  assert.equal(w.health, 'Paused');
  assert.equal(w.message, 'CanaryPauseStep');
  assert.equal(w.canary!.step, 1);
  assert.equal(w.canary!.stepCount, 4);
  assert.equal(w.canary!.setWeight, 20);
  assert.equal(w.canary!.actualWeight, 20);
  assert.deepEqual(w.canary!.pauseReasons, ['CanaryPauseStep']);
  assert.deepEqual(w.canary!.steps.map((s) => [s.text, s.current, s.done]), [['setWeight: 20', false, true], ['pause', true, false], ['setWeight: 50', false, false], ['pause: 30s', false, false]]);
  assert.equal(w.description, 'step 1/4 · 20% · paused');
  assert.deepEqual(w.images, [{ image: 'ghcr.io/acme/cart:1.0.0', tags: ['stable'] }, { image: 'ghcr.io/acme/cart:2.0.0', tags: ['canary'] }]);
  assert.equal(w.analysisRuns[0].metrics[0].values.at(-1), '[0.995]');
  assert.equal(w.analysisRuns[0].revision, 2);
});

test('Argo blue/green waiting for promotion: active and preview revisions', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/argo-bluegreen-preview.yaml'));
  assert.equal(w.strategy, 'argo-bluegreen');
  assert.equal(w.health, 'Paused');
  assert.deepEqual(w.revisions.map((r) => [r.revision, r.roles]), [[2, ['preview']], [1, ['stable', 'active']]]);
  assert.equal(w.description, 'active rev 1 · preview rev 2 · paused');
  assert.equal(w.argoManaged, true);
  assert.deepEqual(w.images.map((i) => i.tags), [['active', 'stable'], ['preview']]);
});

test('blue/green: the colour a switch back would restore comes from the Service annotation', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  assert.equal(buildWorkloads(snapshot)[0].blueGreen!.switchBackTo, undefined, 'never switched');
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  service.spec!.selector = { app: 'shop', version: 'green' };
  service.metadata.annotations = { 'switchyard.dev/previous-selector': '{"app":"shop","version":"blue"}' };
  assert.equal(buildWorkloads(snapshot)[0].blueGreen!.switchBackTo, 'blue');
});
