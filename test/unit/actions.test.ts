import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ActionRefused,
  planBlueGreenSwitch,
  planCanaryShare,
  planDeploymentRollback,
  planRolloutAction,
  planRolloutUndo,
  planSwitchBack,
} from '../../src/domain/actions/plans';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { Annotations } from '../../src/domain/release/vocabulary';
import type { Deployment, ReplicaSet } from '../../src/domain/model/objects';
import { unifiedDiff } from '../../src/domain/text/diff';
import { snapshotFixture } from '../support/snapshot';

const PREVIOUS_SELECTOR = Annotations.PreviousSelector;

test('blue/green switch: patches only the selector colour, with the resourceVersion and the previous selector', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  const [view] = buildWorkloads(snapshot);
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  const plan = planBlueGreenSwitch(service, view, 'green');
  assert.equal(plan.writes.length, 1);
  assert.deepEqual(plan.writes[0].patch, { metadata: { resourceVersion: '77', annotations: { [PREVIOUS_SELECTOR]: '{"app":"shop","version":"blue"}' } }, spec: { selector: { version: 'green' } } });
  assert.equal(plan.writes[0].patchType, 'merge');
});

test('blue/green switch refuses a colour that is not ready (unless forced), Argo-managed Services, and the live colour', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  snapshot.deployments[1].status!.availableReplicas = 1;
  const [view] = buildWorkloads(snapshot);
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  assert.throws(() => planBlueGreenSwitch(service, view, 'green'), /not ready to take all traffic: 1\/2 available/);
  assert.match(planBlueGreenSwitch(service, view, 'green', { force: true }).summary, /FORCED/);
  assert.throws(() => planBlueGreenSwitch(service, view, 'blue'), /already live/);
  const managed = { ...service, metadata: { ...service.metadata, annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'pay' } } };
  assert.throws(() => planBlueGreenSwitch(managed, view, 'green', { force: true }), /Service "shop" is run by the Argo Rollout "pay" \(a Service it points at its revisions\): Argo Rollouts would undo this; use Promote \/ Abort \/ Undo on the Rollout instead\./);
});

test('switch back restores the recorded selector whole', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  service.spec!.selector = { app: 'shop', version: 'green' };
  service.metadata.annotations = { [PREVIOUS_SELECTOR]: '{"app":"shop","version":"blue"}' };
  const [view] = buildWorkloads(snapshot);
  const plan = planSwitchBack(service, view);
  assert.deepEqual(plan.writes[0].patch, [
    { op: 'replace', path: '/metadata/resourceVersion', value: '77' },
    { op: 'replace', path: '/spec/selector', value: { app: 'shop', version: 'blue' } },
    { op: 'replace', path: '/metadata/annotations/switchyard.dev~1previous-selector', value: '{"app":"shop","version":"green"}' },
  ]);
  delete service.metadata.annotations;
  assert.throws(() => planSwitchBack(service, view), /no previous selector recorded/);
});

const rs = (revision: number, image: string, hash: string, extra: Record<string, string> = {}): ReplicaSet => ({
  metadata: { name: `web-${hash}`, uid: `rs-${hash}`, labels: { app: 'web', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': String(revision), ...extra }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-web' }] },
  spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'web', image }] } } },
});
const deployment = (image: string, paused = false): Deployment => ({
  metadata: { name: 'web', namespace: 'demo', uid: 'd-web', resourceVersion: '42', annotations: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'v3' } },
  spec: { paused, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
});
const history = [rs(1, 'web:1', 'h1', { 'kubernetes.io/change-cause': 'v1' }), rs(2, 'web:2', 'h2'), rs(3, 'web:3', 'h3')];

test('rollback follows kubectl rollout undo: previous revision, template without the hash, annotations copied', () => {
  const plan = planDeploymentRollback(deployment('web:3'), history);
  const ops = plan.writes[0].patch as any[];
  assert.deepEqual(ops[0], { op: 'replace', path: '/metadata/resourceVersion', value: '42' }, 'no generation read: falls back to the resourceVersion');
  assert.deepEqual(ops[1].value, { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } });
  assert.deepEqual(ops[2].value, { 'deployment.kubernetes.io/revision': '3' });
  const toOne = planDeploymentRollback(deployment('web:3'), history, 1);
  assert.equal((toOne.writes[0].patch as any[])[2].value['kubernetes.io/change-cause'], 'v1');
  assert.match(toOne.summary, /revision 1 \(web:1\).*as revision 4/);
});

test('rollback refuses when paused, is a no-op when the template already matches, names missing revisions', () => {
  assert.throws(() => planDeploymentRollback(deployment('web:3', true), history), /paused/);
  const same = planDeploymentRollback(deployment('web:2'), history, 2);
  assert.equal(same.writes.length, 0);
  assert.match(same.noop!, /already runs the template of revision 2/);
  assert.throws(() => planDeploymentRollback(deployment('web:3'), history, 9), /Revision 9 .*kept: 3, 2, 1/);
  assert.throws(() => planDeploymentRollback(deployment('web:3'), [history[2]]), ActionRefused);
});

test('canary share plans stable and canary replicas and says what share is reached', () => {
  const stable: Deployment = { metadata: { name: 'feed-stable', resourceVersion: '1', generation: 4 }, spec: { replicas: 8 } };
  const canary: Deployment = { metadata: { name: 'feed-canary', resourceVersion: '2', generation: 7 }, spec: { replicas: 2 } };
  const plan = planCanaryShare(stable, canary, 30);
  assert.deepEqual(plan.writes.map((w) => [w.name, w.patch]), [
    ['feed-canary', [{ op: 'test', path: '/metadata/generation', value: 7 }, { op: 'add', path: '/spec/replicas', value: 3 }]],
    ['feed-stable', [{ op: 'test', path: '/metadata/generation', value: 4 }, { op: 'add', path: '/spec/replicas', value: 7 }]],
  ]);
  assert.match(planCanaryShare(stable, canary, 5).summary, /9 stable \+ 1 canary .* about 10%.*5% exactly needs 20 pods/);
});

test('Argo actions are the plugin patches, on the status subresource where the plugin uses it, guarded by generation and step', () => {
  const r: any = { metadata: { name: 'cart', namespace: 'demo', resourceVersion: '9', generation: 3 }, spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }] } } }, status: { currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] } };
  const gen = { op: 'test', path: '/metadata/generation', value: 3 };
  const step = { op: 'test', path: '/status/currentStepIndex', value: 1 };
  const promote = planRolloutAction(r, 'promote', new Date());
  assert.deepEqual(promote.writes.map((w) => [w.subresource, w.patch]), [['status', [gen, step, { op: 'remove', path: '/status/pauseConditions' }]]]);
  const manual = planRolloutAction({ ...r, spec: { ...r.spec, paused: true }, status: { currentStepIndex: 1 } }, 'promote', new Date());
  assert.deepEqual(manual.writes.map((w) => [w.subresource, w.patch]), [
    ['status', [gen, step, { op: 'add', path: '/status/currentStepIndex', value: 2 }]],
    [undefined, [gen, { op: 'add', path: '/spec/paused', value: false }]],
  ]);
  const inconclusive = planRolloutAction({ ...r, status: { ...r.status, controllerPause: true, canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } } } }, 'promote', new Date());
  assert.deepEqual(inconclusive.writes[0].patch, [gen, step, { op: 'remove', path: '/status/pauseConditions' }, { op: 'add', path: '/status/controllerPause', value: false }, { op: 'add', path: '/status/currentStepIndex', value: 2 }]);
  assert.match(planRolloutAction({ ...r, status: { currentPodHash: 'a', stableRS: 'a' } }, 'promoteFull', new Date()).noop!, /already fully promoted/);
  assert.deepEqual(planRolloutAction(r, 'abort', new Date()).writes[0].patch, [gen, { op: 'add', path: '/status/abort', value: true }]);
  assert.deepEqual(planRolloutAction(r, 'promoteFull', new Date()).writes[0].patch, [gen, { op: 'add', path: '/status/promoteFull', value: true }]);
  assert.equal(planRolloutAction(r, 'retry', new Date()).noop, 'Rollout "cart" is not aborted.');
  const abortedAt = '2026-12-02T01:57:21Z';
  assert.deepEqual(planRolloutAction({ ...r, status: { abort: true, abortedAt } }, 'retry', new Date()).writes[0].patch, [gen, { op: 'test', path: '/status/abortedAt', value: abortedAt }, { op: 'add', path: '/status/abort', value: false }]);
  // Asked for, not yet acted on (no abortedAt): clearing it now would lose the abort, so it is refused, saying why.
  assert.throws(() => planRolloutAction({ ...r, status: { abort: true, currentStepIndex: 2 } }, 'retry', new Date()), /has not acted on the abort of "cart" yet: a retry now would cancel the abort and the update would go on from step 2/);
  assert.deepEqual(planRolloutAction(r, 'restart', new Date('2026-11-25T10:00:00.123Z')).writes[0].patch, [gen, { op: 'add', path: '/spec/restartAt', value: '2026-11-25T10:00:00Z' }]);
  assert.deepEqual(planRolloutAction(r, 'pause', new Date()).writes[0].patch, [gen, { op: 'add', path: '/spec/paused', value: true }]);
});

test('Argo undo drops the rollouts-pod-template-hash and refuses workloadRef rollouts', () => {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const r = snapshot.rollouts[0];
  snapshot.replicaSets[1].spec!.template = { metadata: { labels: { app: 'cart', 'rollouts-pod-template-hash': 'c1' } }, spec: { containers: [{ name: 'cart', image: 'ghcr.io/acme/cart:1.0.0' }] } };
  const plan = planRolloutUndo(r, snapshot.replicaSets);
  assert.deepEqual((plan.writes[0].patch as any[])[1].value.metadata.labels, { app: 'cart' });
  assert.throws(() => planRolloutUndo({ ...r, spec: { ...r.spec, workloadRef: { kind: 'Deployment', name: 'cart' } } }, snapshot.replicaSets), /roll back that workload/);
});

test('unified diff shows only the changed lines with context', () => {
  assert.equal(unifiedDiff('a\nb\nc', 'a\nb\nc'), '');
  assert.equal(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\ni', 'a\nb\nc\nd\nE\nf\ng\nh\ni', 1), '  …\n  d\n- e\n+ E\n  f\n  …');
});
