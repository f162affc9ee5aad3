// Pods that serve traffic are never hidden (issue 12, part 10): a grouped workload shows every
// ReplicaSet of its members that still has pods, and a replica canary's actual share comes from
// the ready endpoints of its Service, credited to the revision whose pods they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, EndpointSlice, NamespaceSnapshot, Pod, ReplicaSet, Service } from '../../src/domain/model/objects';
import { emptySnapshot } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { LiveWorkloads } from '../../src/domain/model/live';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { renderRollout } from '../../webview/render/rolloutView';
import { buildWorkloads as referenceWorkloads } from '../support/referenceWorkloads';

const OLD = 'ghcr.io/acme/feed:1.1.0';
const NEW = 'ghcr.io/acme/feed:1.2.0';
const STABLE = 'ghcr.io/acme/feed:1.0.0';

const template = (labels: Record<string, string>, image: string) => ({ metadata: { labels }, spec: { containers: [{ name: 'feed', image }] } });

function deployment(name: string, labels: Record<string, string>, image: string, replicas: number, status: Deployment['status'], annotations?: Record<string, string>): Deployment {
  return { metadata: { name, uid: `d-${name}`, generation: 2, annotations }, spec: { replicas, selector: { matchLabels: labels }, template: template(labels, image) }, status: { observedGeneration: 2, ...status } };
}

function replicaSet(owner: string, hash: string, revision: number, labels: Record<string, string>, image: string, replicas: number, ready: number): ReplicaSet {
  return {
    metadata: { name: `${owner}-${hash}`, uid: `rs-${owner}-${hash}`, labels: { ...labels, 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner, uid: `d-${owner}` }] },
    spec: { replicas, template: template(labels, image) },
    status: { replicas, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 },
  };
}

const readyPod = (rs: ReplicaSet, i: number): Pod => ({
  metadata: { name: `${rs.metadata.name}-${i}`, uid: `p-${rs.metadata.name}-${i}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid! }] },
  spec: { containers: [{ name: 'feed', image: rs.spec!.template!.spec!.containers![0].image }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'feed', ready: true, restartCount: 0, state: { running: {} } }] },
});

const crashingPod = (rs: ReplicaSet): Pod => ({
  ...readyPod(rs, 0),
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'feed', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] },
});

function slice(service: string, pods: Pod[], ready: (p: Pod) => boolean): EndpointSlice {
  return { metadata: { name: `${service}-abcde`, labels: { 'kubernetes.io/service-name': service } }, endpoints: pods.map((p, i) => ({ addresses: [`10.0.0.${i + 1}`], conditions: { ready: ready(p) }, targetRef: { kind: 'Pod', name: p.metadata.name } })) };
}

const service = (name: string, selector: Record<string, string>): Service => ({ metadata: { name, resourceVersion: '5' }, spec: { selector } });

/**
 * The demo's replica canary after `feed-canary` got a crash-looping image: its new pod never gets
 * ready, so its rolling update (maxUnavailable 0) keeps the old canary pod, which keeps serving
 * its 10% under the old image.
 */
function crashingCanary(): NamespaceSnapshot {
  const stableLabels = { app: 'feed', track: 'stable' };
  const canaryLabels = { app: 'feed', track: 'canary' };
  const stableRs = replicaSet('feed-stable', 's1', 1, stableLabels, STABLE, 9, 9);
  const oldCanary = replicaSet('feed-canary', 'c1', 1, canaryLabels, OLD, 1, 1);
  const newCanary = replicaSet('feed-canary', 'c2', 2, canaryLabels, NEW, 1, 0);
  const pods = [...Array.from({ length: 9 }, (_, i) => readyPod(stableRs, i)), readyPod(oldCanary, 0), crashingPod(newCanary)];
  return {
    ...emptySnapshot('demo'),
    deployments: [
      deployment('feed-stable', stableLabels, STABLE, 9, { replicas: 9, updatedReplicas: 9, readyReplicas: 9, availableReplicas: 9 }),
      deployment('feed-canary', canaryLabels, NEW, 1, { replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }, { 'switchyard.dev/canary-share': '10' }),
    ],
    replicaSets: [stableRs, oldCanary, newCanary],
    pods,
    services: [service('feed', { app: 'feed' })],
    endpointSlices: [slice('feed', pods, (p) => p.status?.conditions?.[0].status === 'True')],
  };
}

test('replica canary: the old canary pod that still serves is shown, and its share is not credited to the new image', () => {
  const [w] = buildWorkloads(crashingCanary());
  assert.equal(w.kind, 'ReplicaCanary');
  assert.deepEqual(
    w.revisions.map((r) => [r.replicaSet, r.roles, r.images[0], r.pods.length, r.endpoints]),
    [
      ['feed-canary-c2', ['canary'], NEW, 1, 0],
      ['feed-canary-c1', ['canary', 'old'], OLD, 1, 1],
      ['feed-stable-s1', ['stable'], STABLE, 9, 9],
    ],
  );
  // The new image serves nothing: the 10% is the old canary pod's.
  assert.equal(w.canary!.actualWeight, 0);
  assert.deepEqual(w.canary!.traffic!.map((t) => [t.images[0], t.serving, t.percent, t.from]), [
    [OLD, 1, 10, 'endpoints'],
    [STABLE, 9, 90, 'endpoints'],
  ]);
  assert.match(w.description, /^canary cannot start: CrashLoopBackOff ghcr\.io\/acme\/feed:1\.2\.0 · canary 0\/10 pods · 0%$/);
});

test('replica canary: the actual share follows the endpoints, not the ready count of the Deployment', () => {
  const snapshot = crashingCanary();
  // The new canary pod becomes ready, but the EndpointSlice controller has not added it yet.
  const newPod = snapshot.pods.at(-1)!;
  newPod.status = readyPod(snapshot.replicaSets[2], 0).status;
  assert.equal(buildWorkloads(snapshot)[0].canary!.actualWeight, 0, 'not an endpoint yet: serves nothing');
  snapshot.endpointSlices = [slice('feed', snapshot.pods.filter((p) => !p.metadata.name.startsWith('feed-canary-c1')), () => true)];
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.canary!.actualWeight, 10);
  assert.deepEqual(w.canary!.traffic!.map((t) => [t.images[0], t.percent]), [[NEW, 10], [STABLE, 90]]);
});

test('replica canary without EndpointSlices: the revisions\' ready pods stand in, said so', () => {
  const snapshot = crashingCanary();
  snapshot.endpointSlices = [];
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.canary!.actualWeight, 0);
  assert.deepEqual(w.canary!.traffic!.map((t) => [t.images[0], t.serving, t.from]), [[OLD, 1, 'ready pods'], [STABLE, 9, 'ready pods']]);
  assert.equal(w.revisions.every((r) => r.endpoints === undefined), true);
});

test('blue/green: an old ReplicaSet of the live colour that still has pods is shown with the endpoints it holds', () => {
  const blue = { app: 'shop', version: 'blue' };
  const green = { app: 'shop', version: 'green' };
  const blueOld = replicaSet('shop-blue', 'b1', 1, blue, 'ghcr.io/acme/shop:1.0.0', 1, 1);
  const blueNew = replicaSet('shop-blue', 'b2', 2, blue, 'ghcr.io/acme/shop:1.0.1', 2, 1);
  const greenRs = replicaSet('shop-green', 'g1', 1, green, 'ghcr.io/acme/shop:2.0.0', 2, 2);
  const pods = [readyPod(blueOld, 0), readyPod(blueNew, 0), crashingPod(blueNew), readyPod(greenRs, 0), readyPod(greenRs, 1)];
  pods[2].metadata = { ...pods[2].metadata, name: 'shop-blue-b2-1', uid: 'p-b2-1' };
  const snapshot: NamespaceSnapshot = {
    ...emptySnapshot('demo'),
    deployments: [
      deployment('shop-blue', blue, 'ghcr.io/acme/shop:1.0.1', 2, { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
      deployment('shop-green', green, 'ghcr.io/acme/shop:2.0.0', 2, { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }),
    ],
    replicaSets: [blueOld, blueNew, greenRs],
    pods,
    services: [service('shop', blue)],
    endpointSlices: [slice('shop', pods.slice(0, 3), (p) => p.status?.conditions?.[0].status === 'True')],
  };
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.kind, 'BlueGreen');
  assert.deepEqual(
    w.revisions.map((r) => [r.replicaSet, r.roles, r.endpoints]),
    [
      ['shop-blue-b2', ['active'], 1],
      ['shop-blue-b1', ['active', 'old'], 1],
      ['shop-green-g1', ['preview'], 0],
    ],
  );
  // The old blue pod is one of the two pods blue serves with: it shows, with its endpoint.
  assert.equal(w.blueGreen!.colours[0].liveEndpoints, 2);
});

test('the reference build and the incremental store agree on the grouped revisions and traffic', () => {
  const snapshot = crashingCanary();
  const live = new LiveWorkloads('demo');
  for (const list of ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices'] as const) live.reset(list, snapshot[list] as never[]);
  assert.deepEqual(live.workloads(), referenceWorkloads(snapshot));
  assert.deepEqual(live.workloads(), buildWorkloads(snapshot));
  // The canary pod gets ready and becomes an endpoint: the store follows by the EndpointSlice event.
  const newPod = structuredClone(snapshot.pods.at(-1)!);
  newPod.status = readyPod(snapshot.replicaSets[2], 0).status;
  live.upsert('pods', newPod);
  live.upsert('endpointSlices', slice('feed', [...snapshot.pods.slice(0, -1), newPod], () => true));
  assert.equal(live.workloads()[0].canary!.traffic!.find((t) => t.images[0] === NEW)?.serving, 1);
});

test('the details panel credits each share to the image that serves it', () => {
  const [w] = buildWorkloads(crashingCanary());
  const state: RolloutPanelState = { target: { namespace: 'demo', name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: Date.now() };
  const canary = renderRollout(state).find((s) => s.key === 'canary')!.html;
  assert.match(canary, new RegExp(`Actual traffic, from the Service's endpoints: <span class="traffic-share"><code>${OLD.replace(/\./g, '\\.')}</code> 10%`));
  assert.doesNotMatch(canary, new RegExp(`<code>${NEW.replace(/\./g, '\\.')}</code> \\d`), 'the new image is credited no share');
  const revisions = renderRollout(state).find((s) => s.key === 'revisions')!.html;
  assert.match(revisions, /feed-canary-c1 · 1\/1 ready · 1 serving/, 'the old canary ReplicaSet is in the revisions');
});
