// Why a pod, a revision and a workload are stuck, in the kubelet's and scheduler's own words (issue 12).
// The pod statuses below are shaped as the kubelet reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, NamespaceSnapshot, Pod, ReplicaSet } from '../../src/domain/model/objects';
import { emptySnapshot } from '../../src/domain/model/objects';
import { podProblem, replicaSetProblem } from '../../src/domain/model/reasons';
import { buildWorkloads } from '../../src/domain/model/workloads';

const IMAGE = 'ghcr.io/acme/app:1.3.0-missing';
const pod = (status: Pod['status'], spec: Pod['spec'] = { containers: [{ name: 'app', image: IMAGE }] }): Pod => ({ metadata: { name: 'app-1', uid: 'p1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-new', uid: 'rs-new' }] }, spec, status });
const waiting = (reason: string, message?: string, extra: object = {}) => pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason, message } }, ...extra }] });

test('a container that cannot start says why, with its image', () => {
  assert.deepEqual(podProblem(waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`)), { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"`, container: 'app', image: IMAGE });
  assert.deepEqual(podProblem(waiting('CreateContainerConfigError', 'secret "db" not found')), { reason: 'CreateContainerConfigError', message: 'secret "db" not found', container: 'app', image: IMAGE });
  // A crash loop names what ended the last run.
  const oom = podProblem(waiting('CrashLoopBackOff', 'back-off 40s restarting failed container=app pod=app-1', { restartCount: 5, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }));
  assert.equal(oom?.reason, 'CrashLoopBackOff');
  assert.match(oom?.message ?? '', /back-off 40s .*; last run OOMKilled \(exit code 137\)$/);
  // Creating a container is not a problem.
  assert.equal(podProblem(waiting('ContainerCreating')), undefined);
});

test('init containers, the scheduler and readiness', () => {
  const spec = { initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:2' }], containers: [{ name: 'app', image: IMAGE }] };
  const initRunning = pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { running: {} } }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] }, spec);
  assert.deepEqual(podProblem(initRunning), { reason: 'Init:0/1', message: undefined, container: 'migrate', image: 'ghcr.io/acme/migrate:2' });
  const initCrash = pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] }, spec);
  assert.equal(podProblem(initCrash)?.reason, 'Init:CrashLoopBackOff');
  const unschedulable = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] });
  assert.deepEqual(podProblem(unschedulable), { reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' });
  const halfReady = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }, { name: 'sidecar', ready: false, state: { running: {} } }] });
  assert.deepEqual(podProblem(halfReady), { reason: 'NotReady', message: 'ready 1/2', container: 'sidecar' });
  assert.equal(podProblem(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] })), undefined);
});

test('a ReplicaSet that cannot create its pods (a quota) says so', () => {
  const message = 'pods "app-new-x7k2p" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2, limited: cpu=2';
  assert.deepEqual(replicaSetProblem({ metadata: { name: 'app-new' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }] } }), { reason: 'FailedCreate', message });
});

function rollingWith(newPod: Pod): NamespaceSnapshot {
  const template = (image: string) => ({ metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image }] } });
  const d: Deployment = { metadata: { name: 'app', uid: 'd1', generation: 2 }, spec: { replicas: 3, selector: { matchLabels: { app: 'app' } }, template: template(IMAGE) }, status: { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] } };
  const rs = (name: string, uid: string, revision: string, image: string, replicas: number): ReplicaSet => ({ metadata: { name, uid, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'd1' }] }, spec: { replicas, template: template(image) }, status: { replicas, readyReplicas: image === IMAGE ? 0 : replicas, availableReplicas: image === IMAGE ? 0 : replicas, observedGeneration: 1 } });
  return { ...emptySnapshot('demo'), deployments: [d], replicaSets: [rs('app-new', 'rs-new', '2', IMAGE, 1), rs('app-old', 'rs-old', '1', 'ghcr.io/acme/app:1.2.0', 3)], pods: [newPod] };
}

test('a workload whose new revision cannot start says so first, not only "Progressing"', () => {
  const [w] = buildWorkloads(rollingWith(waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`)));
  assert.match(w.description, new RegExp(`^new pods cannot start: ImagePullBackOff ${IMAGE.replace(/[.]/g, '\\.')} · `));
  assert.equal(w.revisions[0].problem?.reason, 'ImagePullBackOff');
  assert.equal(w.revisions[0].pods[0].problem?.reason, 'ImagePullBackOff');
  // A new pod that is only not ready yet is a normal moment of a rollout: no "cannot start".
  const [starting] = buildWorkloads(rollingWith(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] })));
  assert.doesNotMatch(starting.description, /cannot start/);
  assert.equal(starting.revisions[0].problem, undefined);
});

test('a crash loop between its back-offs is Running, not ready, and still says what ended the last run', () => {
  const running = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] });
  assert.deepEqual(podProblem(running), { reason: 'NotReady', message: 'ready 0/1; restarted 2×, last run OOMKilled (exit code 137)', container: 'app', image: IMAGE, lastRun: 'OOMKilled (exit code 137)' });
  // So the workload keeps saying its new pods cannot start, instead of flickering every restart.
  const [w] = buildWorkloads(rollingWith(running));
  assert.match(w.description, /^new pods cannot start: NotReady /);
  // A container restarted after a clean exit (exit code 0) did not crash.
  const cleanExit = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: 'Completed', exitCode: 0 } } }] });
  assert.deepEqual(podProblem(cleanExit), { reason: 'NotReady', message: 'ready 0/1', container: 'app', image: IMAGE });
});

test('pods that never get ready are why a workload is stuck once it passed its progress deadline', () => {
  const notReady = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { running: {} } }] });
  const snapshot = rollingWith(notReady);
  const [progressing] = buildWorkloads(snapshot);
  assert.equal(progressing.revisions[0].problem, undefined);
  const d = snapshot.deployments[0];
  const degraded = { ...d, status: { ...d.status, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "app-new" has timed out progressing.' }] } };
  const [w] = buildWorkloads({ ...snapshot, deployments: [degraded] });
  assert.deepEqual(w.revisions[0].problem, { reason: 'NotReady', message: 'ready 0/1', container: 'app', image: IMAGE });
  assert.equal(w.description, `new pods cannot start: NotReady ${IMAGE} · deadline exceeded · 1/3 updated`);
});
