// Notifications (issue 12, part 8): the pure transition from the view last told about to the view
// now, on fixtures of each strategy edited as a person, Switchyard or a controller would, and the
// coalescer that turns a burst of watch events into one notice per workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoticeCoalescer, transition, type Notice } from '../../src/domain/release/notices';
import type { NamespaceSnapshot } from '../../src/domain/model/objects';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

const T = Date.parse('2026-11-25T10:05:00Z');
const at = (ms: number) => new Date(T + ms).toISOString().replace(/\.\d+Z$/, 'Z');
const entry = (manager: string, ms: number) => ({ manager, operation: 'Update', time: at(ms), fieldsType: 'FieldsV1', fieldsV1: {} });

function view(fixture: string, edit: (s: NamespaceSnapshot) => void = () => {}): WorkloadView {
  const snapshot = structuredClone(snapshotFixture(`cluster/${fixture}.yaml`));
  edit(snapshot);
  const [w] = buildWorkloads(snapshot);
  return w;
}
const said = (n: Notice | undefined) => n && { kind: n.kind, severity: n.severity, message: n.message, buttons: n.actions.map((a) => a.label) };

/** The pair "shop" with its selector on `colour`, last written by `manager` at T + `ms`. */
const shop = (colour: string, manager: string, ms: number) => view('bluegreen', (s) => {
  const service = s.services.find((x) => x.metadata.name === 'shop')!;
  service.spec!.selector!.version = colour;
  service.metadata.managedFields = [entry('switchyard-demo', -60_000), entry(manager, ms), entry('kube-controller-manager', ms + 1000)];
});

test('a selector switch by another field manager is said with who and when, offering to switch back', () => {
  const notice = transition(shop('blue', 'switchyard-demo', -60_000), shop('green', 'kubectl-client-side-apply', 0), T + 12_000);
  assert.deepEqual(said(notice), { kind: 'changedByOther', severity: 'warning', message: 'shop was switched to green by kubectl-client-side-apply 12 s ago.', buttons: ['Switch back to blue', 'Open Details'] });
  assert.deepEqual(notice!.actions[0], { action: 'switchTraffic', label: 'Switch back to blue', args: { target: 'blue' } });
});

test('Switchyard\'s own switch and a controller\'s writes are no news; first sight and a workload that went say nothing', () => {
  assert.equal(transition(shop('blue', 'switchyard-demo', -60_000), shop('green', 'switchyard', 0), T + 1000), undefined);
  // Only the endpoint controller wrote (it is never "who"): the last change is still the demo's apply.
  const controllerOnly = view('bluegreen', (s) => (s.services[0].metadata.managedFields = [entry('switchyard-demo', -60_000), entry('kube-controller-manager', 0)]));
  assert.equal(transition(shop('blue', 'switchyard-demo', -60_000), controllerOnly, T), undefined);
  assert.equal(transition(undefined, shop('green', 'kubectl-client-side-apply', 0), T), undefined);
  assert.equal(transition(shop('blue', 'switchyard-demo', -60_000), undefined, T), undefined);
});

test('a Deployment rolled back by kubectl names the revision it went back to', () => {
  const before = view('rolling-progress');
  const after = view('rolling-progress', (s) => {
    const old = s.replicaSets.find((r) => r.metadata.name === 'web-old')!;
    old.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
    s.deployments[0].metadata.managedFields = [entry('kubectl-rollout', -3000)];
  });
  assert.deepEqual(said(transition(before, after, T)), { kind: 'changedByOther', severity: 'warning', message: 'web was rolled back to revision 1 (ghcr.io/acme/web:1.0.0) by kubectl-rollout 3 s ago.', buttons: ['Open Details'] });
});

test('an Argo canary reaching its indefinite pause waits for you, with Promote and Abort; aborted, it is in trouble with Retry', () => {
  const stepping = view('argo-canary-paused', (s) => Object.assign(s.rollouts[0].status!, { phase: 'Progressing', message: '', currentStepIndex: 0, pauseConditions: undefined, controllerPause: false }));
  const paused = view('argo-canary-paused');
  assert.deepEqual(said(transition(stepping, paused, T)), { kind: 'attention', severity: 'info', message: 'cart waits for you: paused for promotion · step 1/4 · 20%.', buttons: ['Promote', 'Abort', 'Open Details'] });
  // Still paused a watch event later: nothing new to say.
  assert.equal(transition(paused, view('argo-canary-paused'), T), undefined);
  const aborted = view('argo-canary-paused', (s) => Object.assign(s.rollouts[0].status!, { abort: true, abortedAt: '2026-12-02T01:57:21Z', phase: 'Degraded', message: 'RolloutAborted: metric "success-rate" assessed Failed', pauseConditions: undefined, controllerPause: false }));
  assert.deepEqual(said(transition(paused, aborted, T)), { kind: 'attention', severity: 'warning', message: 'cart is in trouble: aborted: RolloutAborted: metric "success-rate" assessed Failed.', buttons: ['Retry', 'Undo', 'Open Details'] });
});

test('a promote from another tool is said as such; the release then finishing is said once it is Healthy', () => {
  const paused = view('argo-canary-paused', (s) => (s.rollouts[0].metadata.managedFields = [entry('switchyard-demo', -60_000)]));
  const promoted = view('argo-canary-paused', (s) => {
    s.rollouts[0].metadata.managedFields = [entry('switchyard-demo', -60_000), { ...entry('kubectl-argo-rollouts', -2000), subresource: 'status' }];
    Object.assign(s.rollouts[0].status!, { phase: 'Progressing', message: 'more replicas need to be updated', currentStepIndex: 2, pauseConditions: undefined, controllerPause: false });
  });
  assert.deepEqual(said(transition(paused, promoted, T)), { kind: 'changedByOther', severity: 'warning', message: 'cart was promoted by kubectl-argo-rollouts 2 s ago.', buttons: ['Abort', 'Open Details'] });
  const done = view('argo-canary-paused', (s) => {
    s.rollouts[0].metadata.managedFields = promoted.lastChange ? [{ ...entry('kubectl-argo-rollouts', -2000), subresource: 'status' }] : [];
    Object.assign(s.rollouts[0].status!, { phase: 'Healthy', message: '', currentStepIndex: 4, stableRS: 'c2', pauseConditions: undefined, controllerPause: false });
  });
  assert.deepEqual(said(transition(promoted, done, T)), { kind: 'finished', severity: 'info', message: 'cart finished its release: ghcr.io/acme/cart:2.0.0, Healthy.', buttons: ['Open Details'] });
  // Promoted and finished inside one quiet period: still one notice, about who promoted it.
  assert.equal(transition(paused, done, T)?.kind, 'changedByOther');
});

test('a new image from another tool whose canary crash-loops within the same quiet period: who changed it and the trouble it is in, in one notice, its way out first', () => {
  const image = 'ghcr.io/acme/cart:2.1.0-crash';
  const paused = view('argo-canary-paused', (s) => (s.rollouts[0].metadata.managedFields = [entry('switchyard-demo', -60_000)]));
  const broken = view('argo-canary-paused', (s) => {
    const rollout = s.rollouts[0];
    rollout.metadata.managedFields = [entry('switchyard-demo', -60_000), entry('kubectl-patch', -4000)];
    rollout.spec!.template!.spec!.containers![0].image = image;
    Object.assign(rollout.status!, { phase: 'Progressing', message: 'more replicas need to be updated', currentPodHash: 'c3', currentStepIndex: 0, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4, pauseConditions: undefined, controllerPause: false });
    s.replicaSets.find((r) => r.metadata.name === 'cart-c2')!.spec!.replicas = 0;
    s.replicaSets.find((r) => r.metadata.name === 'cart-c2')!.status = { replicas: 0 };
    s.replicaSets.unshift({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'cart-c3', namespace: 'demo', uid: 'rs-c3', labels: { app: 'cart', 'rollouts-pod-template-hash': 'c3' }, annotations: { 'rollout.argoproj.io/revision': '3' }, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'cart', uid: 'ro-cart' }] },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'cart', image }] } } },
      status: { replicas: 1 },
    } as never);
    s.pods = [{ metadata: { name: 'cart-c3-x', namespace: 'demo', uid: 'p3', labels: { app: 'cart', 'rollouts-pod-template-hash': 'c3' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-c3', uid: 'rs-c3' }] }, spec: { containers: [{ name: 'cart', image }] }, status: { phase: 'Running', containerStatuses: [{ name: 'cart', image, ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=cart pod=cart-c3-x_demo(p3)' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] } }] as never;
  });
  assert.deepEqual(said(transition(paused, broken, T)), { kind: 'changedByOther', severity: 'warning', message: `cart was updated to ${image} by kubectl-patch 4 s ago, and is in trouble: canary cannot start: CrashLoopBackOff ${image}.`, buttons: ['Abort', 'Undo', 'Open Details'] });
  // Told so, the crash loop's next restarts are no news.
  assert.equal(transition(broken, broken, T + 20_000), undefined);
});

test('a Deployment scaled back to Healthy did not release anything', () => {
  const progressing = view('rolling-progress');
  const healthyNew = view('rolling-progress', (s) => {
    Object.assign(s.deployments[0].status!, { replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    s.replicaSets.find((r) => r.metadata.name === 'web-old')!.status = { replicas: 0 };
  });
  assert.equal(transition(progressing, healthyNew, T)?.kind, 'finished');
  assert.equal(transition(healthyNew, view('rolling-progress', (s) => {
    Object.assign(s.deployments[0].status!, { replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    s.replicaSets.find((r) => r.metadata.name === 'web-old')!.status = { replicas: 0 };
    s.pods.pop();
  }), T), undefined);
});

test('the coalescer says one notice per workload after a quiet period, however many events came, and never the same twice in a row', () => {
  const c = new NoticeCoalescer({ quietMs: 2000, maxWaitMs: 15_000, repeatMs: 60_000 });
  const blue = shop('blue', 'switchyard-demo', -60_000);
  c.observe(blue.id, blue, T); // first sight: the baseline, nothing pending
  assert.equal(c.nextDue(), undefined);
  const green = shop('green', 'kubectl-client-side-apply', 0);
  for (let i = 0; i < 5; i++) c.observe(green.id, green, T + i * 300);
  assert.equal(c.nextDue(), T + 1200 + 2000);
  assert.deepEqual(c.flush(T + 3000), [], 'not quiet yet');
  const [notice, ...more] = c.flush(T + 3200);
  assert.equal(more.length, 0);
  assert.match(notice.message, /^shop was switched to green by kubectl-client-side-apply 3 s ago\.$/);
  assert.equal(c.nextDue(), undefined);
  // Switched back and forth by kubectl within a minute: "switched to green" is not said a second time.
  c.observe(blue.id, shop('blue', 'kubectl-client-side-apply', 5000), T + 5000);
  assert.equal(c.flush(T + 7000).length, 1);
  c.observe(blue.id, shop('green', 'kubectl-client-side-apply', 8000), T + 8000);
  assert.deepEqual(c.flush(T + 10_000), []);
});

test('the coalescer: a workload that keeps changing is decided after maxWaitMs; baselines (a namespace still listing) say nothing', () => {
  const c = new NoticeCoalescer({ quietMs: 2000, maxWaitMs: 5000, repeatMs: 60_000 });
  const paused = view('argo-canary-paused');
  const stepping = view('argo-canary-paused', (s) => Object.assign(s.rollouts[0].status!, { phase: 'Progressing', message: '', currentStepIndex: 0, pauseConditions: undefined, controllerPause: false }));
  c.baseline(paused);
  c.baseline(stepping); // the listing went on: the latest view is the baseline
  for (let ms = 0; ms <= 6000; ms += 1000) c.observe(paused.id, paused, T + ms);
  assert.equal(c.nextDue(), T + 5000);
  assert.deepEqual(c.flush(T + 6000).map((n) => n.kind), ['attention']);
});
