// Time, why it stopped and the verdict line (issue 12, parts 4, 5, 9 and 10's early warning), on
// fixtures: the controllers' arithmetic (Argo's pause and analysis schedule, both progress
// deadlines), the failing metric in words, and one verdict per strategy kind and state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisMetric, Deployment, NamespaceSnapshot, Pod, ReplicaSet, Rollout } from '../../src/domain/model/objects';
import { emptySnapshot } from '../../src/domain/model/objects';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { leanObject } from '../../src/domain/model/lean';
import { deploymentStatus, rolloutStatus } from '../../src/domain/model/status';
import { countdownText, goDurationMs, pauseSeconds, refreshDelayMs, releaseTimes } from '../../src/domain/release/clock';
import { nextMeasurementAt, metricText, valueAgainstCondition, limitReached } from '../../src/domain/model/analysis';
import { whyStopped } from '../../src/domain/release/stopped';
import { releaseVerdict, workloadTimes } from '../../src/domain/release/verdict';
import { attentionLevel } from '../../src/domain/release/attention';
import { actionSpec } from '../../src/domain/actions/catalogue';
import { snapshotFixture } from '../support/snapshot';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const only = (s: NamespaceSnapshot): WorkloadView => {
  const ws = buildWorkloads(s);
  assert.equal(ws.length, 1);
  return ws[0];
};

test("Go durations and Argo's pause seconds, as the controller parses them", () => {
  assert.equal(goDurationMs('1m30s'), 90_000);
  assert.equal(goDurationMs('1.5h'), 5_400_000);
  assert.equal(goDurationMs('300ms'), 300);
  assert.equal(goDurationMs('0'), 0);
  assert.equal(goDurationMs('10'), undefined, 'Go wants a unit');
  assert.equal(goDurationMs('5 m'), undefined);
  // RolloutPause.DurationSeconds: digits without a unit are seconds, Go durations truncate, the rest is -1.
  assert.equal(pauseSeconds('30s'), 30);
  assert.equal(pauseSeconds('10'), 10);
  assert.equal(pauseSeconds(45), 45);
  assert.equal(pauseSeconds('1m30.9s'), 90);
  assert.equal(pauseSeconds('soon'), -1);
  assert.equal(countdownText(24_000), '24 s');
  assert.equal(countdownText(250_000), '4 min 10 s');
  assert.equal(countdownText(30 * 60_000), '30 min');
});

// ---- Deployments ------------------------------------------------------------------------------

const IMAGE = 'ghcr.io/acme/web:2.0.0-missing';

/** A rolling Deployment half way: revision 2 has one pod, `newPod`; revision 1 still serves. */
function rolling(newPod: Partial<Pod['status']> | undefined, deployment: (d: Deployment) => void = () => undefined): NamespaceSnapshot {
  const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
  const d: Deployment = {
    metadata: { name: 'web', uid: 'd1', generation: 2 },
    spec: { replicas: 3, progressDeadlineSeconds: 600, selector: { matchLabels: { app: 'web' } }, template: template(IMAGE) },
    status: { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: iso(T0), lastTransitionTime: iso(T0 - 3_600_000) }] },
  };
  deployment(d);
  const rs = (name: string, uid: string, revision: string, image: string, replicas: number, created: number, ready: number): ReplicaSet => ({
    metadata: { name, uid, creationTimestamp: iso(created), annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }] },
    spec: { replicas, template: template(image) },
    status: { replicas, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 },
  });
  const pods: Pod[] = newPod ? [{ metadata: { name: 'web-new-1', uid: 'p1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-new', uid: 'rs-new' }] }, spec: { containers: [{ name: 'web', image: IMAGE }] }, status: newPod }] : [];
  return { ...emptySnapshot('demo'), deployments: [d], replicaSets: [rs('web-new', 'rs-new', '2', IMAGE, 1, T0 - 60_000, 0), rs('web-old', 'rs-old', '1', 'ghcr.io/acme/web:1.0.0', 3, T0 - 86_400_000, 3)], pods };
}
const imagePull = { phase: 'Pending', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` } } }] };

test('a Deployment\'s progress deadline counts from the Progressing condition\'s lastUpdateTime, as the deployment controller does', () => {
  const w = only(rolling({ phase: 'Running', containerStatuses: [{ name: 'web', ready: false, state: { running: {} } }] }));
  assert.deepEqual(w.clock, { since: iso(T0 - 60_000), deadline: { seconds: 600, lastProgress: iso(T0), abort: false } });
  assert.deepEqual(releaseTimes(w.clock, T0 + 120_000), { runningMs: 180_000, deadlineMs: 480_000 });
  assert.equal(releaseVerdict(w, T0 + 120_000).text, 'Progressing: 1/3 updated, 3 available, running 3 min, the controller gives up in 8 min');
  assert.equal(releaseVerdict(w, T0 + 600_000).text, 'Progressing: 1/3 updated, 3 available, running 11 min, the controller gives up in 0 s', 'at the deadline itself it has not timed out (strictly before now)');
  // No countdown while paused, once finished, or without a deadline (MaxInt32).
  for (const change of [(d: Deployment) => (d.spec!.paused = true), (d: Deployment) => (d.status!.conditions![0].reason = 'NewReplicaSetAvailable'), (d: Deployment) => (d.spec!.progressDeadlineSeconds = 2147483647)]) {
    assert.equal(only(rolling(undefined, change)).clock?.deadline, undefined);
  }
});

test('warn early: a new revision whose pods cannot start is a warning at once, while health stays the controller\'s', () => {
  const snapshot = rolling(imagePull);
  const w = only(snapshot);
  assert.equal(w.health, 'Progressing', 'kubectl rollout status still says progressing');
  assert.deepEqual(deploymentStatus(snapshot.deployments[0]).health, w.health);
  assert.equal(attentionLevel(w), 'warning');
  const verdict = releaseVerdict(w, T0 + 60_000);
  assert.equal(verdict.text, `New pods cannot start (ImagePullBackOff ${IMAGE}) — fix the image or roll back?, the controller gives up in 9 min`);
  assert.equal(verdict.action, 'rollbackDeployment');
  assert.equal(verdict.attention, 'warning');
  // A pod only not ready yet is the normal moment of a rollout: no warning.
  assert.equal(attentionLevel(only(rolling({ phase: 'Running', containerStatuses: [{ name: 'web', ready: false, state: { running: {} } }] }))), 'none');
});

test('a Deployment past its deadline: stuck, with the controller\'s message, the pods\' reason and a roll back', () => {
  const w = only(rolling(imagePull, (d) => (d.status!.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.', lastUpdateTime: iso(T0) }])));
  assert.equal(w.health, 'Degraded');
  assert.deepEqual(w.stop, { reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.' });
  assert.equal(w.clock?.deadline, undefined, 'no countdown once it has passed');
  const why = whyStopped(w)!;
  assert.equal(why.summary, 'new pods cannot start (ImagePullBackOff ghcr.io/acme/web:2.0.0-missing)');
  assert.deepEqual(why.details, ['ReplicaSet "web-new" has timed out progressing.', `new pods: ImagePullBackOff ${IMAGE} — Back-off pulling image "${IMAGE}"`, 'The progress deadline passed.']);
  assert.deepEqual(why.actions, ['rollbackDeployment']);
  assert.deepEqual(why.advice, [`Fix the image ${IMAGE} (tag, registry, pull secret) and apply again.`]);
  const verdict = releaseVerdict(w, T0);
  assert.equal(verdict.text, `Stuck: new pods cannot start (ImagePullBackOff ${IMAGE}) — fix and apply again, or roll back`);
  assert.equal(verdict.attention, 'error');
});

test('a ReplicaSet that cannot create pods (quota) gets the quota advice', () => {
  const s = rolling(undefined, (d) => (d.status!.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.' }]));
  s.replicaSets[0].status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-new-x" is forbidden: exceeded quota: compute' }];
  const why = whyStopped(only(s))!;
  assert.equal(why.summary, 'new pods cannot start (FailedCreate)');
  assert.match(why.advice[0], /quota/);
});

test('healthy, paused and Recreate Deployments', () => {
  const healthy = rolling(undefined, (d) => {
    d.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/web:1.0.0';
    d.status = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: iso(T0) }] };
  });
  healthy.replicaSets = healthy.replicaSets.slice(1);
  healthy.replicaSets[0].metadata.annotations!['deployment.kubernetes.io/revision'] = '3';
  healthy.pods = [0, 1, 2].map((i) => ({ metadata: { name: `web-old-${i}`, uid: `o${i}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-old', uid: 'rs-old' }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T0 - (i + 1) * 60_000) }], containerStatuses: [{ name: 'web', ready: true, state: { running: {} } }] } }));
  const w = only(healthy);
  assert.equal(releaseVerdict(w, T0 + 240_000).text, 'Healthy: 3/3 available, revision 3, ready for 5 min', 'ready since the last pod turned Ready');
  assert.equal(attentionLevel(w), 'none');
  const paused = only(rolling(undefined, (d) => (d.spec!.paused = true)));
  assert.equal(paused.health, 'Paused');
  assert.deepEqual([releaseVerdict(paused, T0).text, releaseVerdict(paused, T0).action, attentionLevel(paused)], ['Paused: 1/3 updated — resume?', 'resumeDeployment', 'decision']);
  const recreate = only(rolling({ phase: 'Pending', containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] }, (d) => (d.spec!.strategy = { type: 'Recreate' })));
  assert.equal(recreate.strategy, 'recreate');
  assert.match(releaseVerdict(recreate, T0).text, /^New pods cannot start \(CrashLoopBackOff ghcr\.io\/acme\/web:2\.0\.0-missing\) — fix it or roll back\?/, 'a crash is not the image\'s fault');
});

// ---- Argo Rollouts ----------------------------------------------------------------------------

test('a timed Argo pause resumes at the pause condition\'s startTime + duration (CompletedCanaryPauseStep)', () => {
  const s = snapshotFixture('cluster/argo-canary-paused.yaml');
  const r = s.rollouts[0];
  r.status!.currentStepIndex = 3; // pause: {duration: 30s}
  r.status!.pauseConditions = [{ reason: 'CanaryPauseStep', startTime: iso(T0) }];
  s.analysisRuns = [];
  const w = only(s);
  assert.deepEqual(w.clock?.pause, { startTime: iso(T0), seconds: 30, ends: 'resume' });
  const verdict = releaseVerdict(w, T0 + 6_000);
  assert.equal(verdict.text, 'Paused at step 3/4 (50%): 1/1 canary pods ready, resumes in 24 s — promote to skip the wait?');
  assert.equal(verdict.action, 'promoteRollout');
  assert.equal(verdict.attention, 'none', 'a pause that ends by itself needs no one');
  assert.equal(verdict.refreshMs, 1000, 'a countdown in seconds re-renders every second');
  assert.match(releaseVerdict(w, T0 + 31_000).text, /resuming now/);
  // An indefinite pause step waits for a person.
  r.status!.currentStepIndex = 1;
  assert.equal(attentionLevel(only(s)), 'decision');
});

test('a blue/green preview with autoPromotionSeconds is promoted at the pause startTime + its seconds', () => {
  const s = snapshotFixture('cluster/argo-bluegreen-preview.yaml');
  const bg = s.rollouts[0].spec!.strategy!.blueGreen!;
  bg.autoPromotionEnabled = undefined;
  bg.autoPromotionSeconds = 120;
  s.rollouts[0].status!.pauseConditions = [{ reason: 'BlueGreenPause', startTime: iso(T0) }];
  const w = only(s);
  assert.equal(releaseVerdict(w, T0 + 30_000).text, 'Preview rev 2: 2/2 preview pods ready, promoted in 1 min 30 s — promote to skip the wait?');
  bg.autoPromotionEnabled = false;
  assert.equal(only(s).clock?.pause, undefined, 'autoPromotionEnabled: false waits for a person');
  assert.equal(releaseVerdict(only(s), T0).text, 'Preview rev 2: 2/2 preview pods ready — promote?');
});

test('a Rollout\'s progress deadline: default 600 s, not during pause or analysis steps, and it says when it will abort', () => {
  const s = snapshotFixture('cluster/argo-canary-paused.yaml');
  const r = s.rollouts[0];
  r.status!.conditions = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: iso(T0) }];
  assert.equal(only(s).clock?.deadline, undefined, 'step 1 is a pause: its wait does not count');
  r.status!.currentStepIndex = 2;
  r.status!.phase = 'Progressing';
  r.status!.pauseConditions = [];
  r.spec!.progressDeadlineAbort = true;
  s.analysisRuns = [];
  const w = only(s);
  assert.deepEqual(w.clock?.deadline, { seconds: 600, lastProgress: iso(T0), abort: true });
  assert.equal(releaseVerdict(w, T0 + 60_000).text, 'Progressing: step 2/4 (50%), 1/1 canary pods ready, the controller gives up in 9 min and aborts');
  assert.equal(workloadTimes(w, T0 + 60_000).deadlineMs, 540_000);
});

/** A running analysis: two measurements, the last finished at T0. */
function runningAnalysis(last: { phase: string; finishedAt?: string; resumeAt?: string }, metric: Partial<AnalysisMetric> = {}): NamespaceSnapshot {
  const s = snapshotFixture('cluster/argo-canary-paused.yaml');
  const r: Rollout = s.rollouts[0];
  r.spec!.strategy!.canary!.steps = [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { pause: {} }];
  Object.assign(r.status!, { phase: 'Progressing', message: '', currentStepIndex: 1, controllerPause: false, pauseConditions: [] });
  s.analysisRuns = [{
    metadata: { name: 'cart-c2-2', creationTimestamp: iso(T0 - 60_000), annotations: { 'rollout.argoproj.io/revision': '2' }, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'cart', uid: 'ro-cart' }] },
    spec: { metrics: [{ name: 'error-rate', interval: '1m', count: 5, failureLimit: 2, failureCondition: 'result[0] > 0.05', ...metric }] },
    status: { phase: 'Running', startedAt: iso(T0 - 60_000), metricResults: [{ name: 'error-rate', phase: 'Running', count: 2, successful: 1, failed: 1, measurements: [{ phase: 'Successful', value: '[0.01]', finishedAt: iso(T0 - 60_000) }, { value: '[0.07]', ...last }] }] },
  }];
  return s;
}

test('a running analysis: the next measurement is due at the last finishedAt + interval (10 s after an error)', () => {
  const w = only(runningAnalysis({ phase: 'Failed', finishedAt: iso(T0) }));
  const run = w.analysisRuns[0];
  assert.equal(nextMeasurementAt(run, run.metrics[0]), T0 + 60_000);
  const verdict = releaseVerdict(w, T0 + 20_000);
  assert.equal(verdict.text, 'Waiting: analysis error-rate measuring (error-rate failed 1 of limit 2), next in 40 s');
  assert.equal(verdict.attention, 'none');
  assert.deepEqual(workloadTimes(w, T0 + 20_000).next, { metric: 'error-rate', run: 'cart-c2-2', inMs: 40_000 });
  const errored = only(runningAnalysis({ phase: 'Error', finishedAt: iso(T0) })).analysisRuns[0];
  assert.equal(nextMeasurementAt(errored, errored.metrics[0]), T0 + 10_000);
  const inFlight = only(runningAnalysis({ phase: 'Running', resumeAt: iso(T0 + 5_000) })).analysisRuns[0];
  assert.equal(nextMeasurementAt(inFlight, inFlight.metrics[0]), T0 + 5_000);
  const done = only(runningAnalysis({ phase: 'Failed', finishedAt: iso(T0) }, { count: 2 })).analysisRuns[0];
  assert.equal(nextMeasurementAt(done, done.metrics[0]), undefined, 'count reached: no more measurements');
});

test('a metric in words: values against the condition, the limit reached, Argo\'s default limits', () => {
  const m = only(runningAnalysis({ phase: 'Failed', finishedAt: iso(T0) })).analysisRuns[0].metrics[0];
  assert.deepEqual([m.failureLimit, m.inconclusiveLimit, m.consecutiveErrorLimit, m.count, m.interval], [2, 0, 4, 5, '1m']);
  assert.equal(valueAgainstCondition(m), '[0.07] > 0.05');
  assert.equal(limitReached(m), undefined, 'one failure of a limit of two');
  assert.equal(limitReached({ ...m, failed: 3 }), 'failed 3 > failureLimit 2');
  assert.equal(limitReached({ ...m, consecutiveErrors: 5 }), 'consecutive errors 5 > consecutiveErrorLimit 4');
  assert.equal(metricText({ ...m, failed: 3, phase: 'Failed' }), 'error-rate: [0.01], [0.07] — failed 3 > failureLimit 2 (failureCondition result[0] > 0.05)');
  assert.equal(valueAgainstCondition({ ...m, failureCondition: undefined, successCondition: 'result < 0.05' }), '[0.07], needs < 0.05');
  assert.equal(valueAgainstCondition({ ...m, failureCondition: 'result > 0.05 && result < 1' }), undefined, 'only simple comparisons are spelled out');
});

test('an abort the controller made (captured from the local cluster): the metric, its values, its condition; retry or undo', () => {
  const s = snapshotFixture('cluster/argo-canary-analysis-aborted.yaml');
  const w = only(s);
  assert.equal(w.health, rolloutStatus(s.rollouts[0]).health);
  assert.equal(w.health, 'Degraded');
  const why = whyStopped(w)!;
  assert.equal(why.summary, 'analysis error-rate failed (0.12 > 0.05)');
  assert.deepEqual(why.details, [
    'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)',
    'error-rate: 0.12, 0.12 — failed 2 > failureLimit 1 (failureCondition result > 0.05)',
  ]);
  assert.deepEqual(why.actions, ['retryRollout', 'undoRollout']);
  const verdict = releaseVerdict(w, Date.parse('2026-12-02T02:00:00Z'));
  assert.deepEqual(verdict, { attention: 'error', text: 'Aborted: analysis error-rate failed (0.12 > 0.05) — retry after a fix, or undo', action: 'retryRollout', refreshMs: 30_000 });
  assert.equal(actionSpec(verdict.action!).panel?.action, 'retry', 'a catalogue action the panel has a button for');
  // The store keeps lean objects: the run's spec (conditions, limits) survives the trim.
  const lean: NamespaceSnapshot = { ...s, rollouts: s.rollouts.map((o) => leanObject('rollouts', o)), analysisRuns: s.analysisRuns.map((o) => leanObject('analysisRuns', o)), replicaSets: s.replicaSets.map((o) => leanObject('replicaSets', o)), pods: s.pods.map((o) => leanObject('pods', o)) };
  assert.deepEqual(buildWorkloads(lean), [w]);
});

test('a passed analysis then the indefinite pause (captured from the local cluster): promote?', () => {
  const w = only(snapshotFixture('cluster/argo-canary-analysis-passed.yaml'));
  const verdict = releaseVerdict(w, Date.parse('2026-12-02T02:02:30Z'));
  assert.match(verdict.text, /^Paused at step 2\/3 \(50%\): 1\/1 canary pods ready for 5 min, no failing analysis — promote\?$/);
  assert.equal(verdict.action, 'promoteRollout');
  assert.equal(whyStopped(w), undefined);
});

test('an Argo canary whose canary cannot start: warning and abort?, before any deadline', () => {
  const s = snapshotFixture('cluster/argo-canary-paused.yaml');
  s.analysisRuns = [];
  s.rollouts[0].status = { ...s.rollouts[0].status!, phase: 'Progressing', message: 'more replicas need to be updated', currentStepIndex: 0, pauseConditions: [], controllerPause: false };
  s.pods = [{ metadata: { name: 'cart-c2-1', uid: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-c2', uid: 'rs-c2' }] }, spec: { containers: [{ name: 'cart', image: 'ghcr.io/acme/cart:2.0.0' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'cart', ready: false, state: { waiting: { reason: 'ErrImagePull' } } }] } }];
  const w = only(s);
  assert.equal(w.health, 'Progressing');
  const verdict = releaseVerdict(w, T0);
  assert.deepEqual([verdict.text, verdict.action, verdict.attention], ['Canary cannot start (ErrImagePull ghcr.io/acme/cart:2.0.0) — abort?', 'abortRollout', 'warning']);
});

test('plain blue/green pair and replica canary: switch? and promote?, never acting', () => {
  const pair = only(snapshotFixture('cluster/bluegreen.yaml'));
  const v = releaseVerdict(pair, T0);
  assert.deepEqual([v.text, v.action, v.attention], ['Ready to switch: 2/2 green pods ready (ghcr.io/acme/shop:1.1.0) — switch?', 'switchTraffic', 'none']);
  const canary = only(snapshotFixture('cluster/replica-canary.yaml'));
  const c = releaseVerdict(canary, T0);
  assert.deepEqual([c.text, c.action], ['Healthy: canary ready with 10% of traffic — promote?', 'promoteCanary']);
});

test('refresh: every second while a countdown or an elapsed time shows seconds, else every 30 s', () => {
  assert.equal(refreshDelayMs([24_000]), 1000);
  assert.equal(refreshDelayMs([9 * 60_000]), 1000);
  assert.equal(refreshDelayMs([20 * 60_000], [3_600_000]), 30_000);
  assert.equal(refreshDelayMs([-120_000]), 30_000, 'long past: the controller has acted, a watch event redraws');
  assert.equal(refreshDelayMs([], [30_000]), 1000);
});

test('every workload of every cluster fixture gets a verdict with a catalogue action of its own kind, or none', () => {
  for (const name of ['argo-bluegreen-preview', 'argo-canary-paused', 'bluegreen', 'replica-canary', 'rolling-progress', 'argo-canary-analysis-aborted', 'argo-canary-analysis-passed']) {
    for (const w of buildWorkloads(snapshotFixture(`cluster/${name}.yaml`))) {
      const v = releaseVerdict(w, T0);
      assert.ok(v.text.length > 10, name);
      if (v.action) assert.ok(actionSpec(v.action).kinds.includes(w.kind), `${name}: ${v.action} is not an action of a ${w.kind}`);
      assert.equal(v.attention, attentionLevel(w));
    }
  }
});

/** The plain pair of the fixture with green (idle) rolling to an image that cannot be pulled. */
function pairWithStuckGreen(deadlinePassed: boolean): NamespaceSnapshot {
  const s = snapshotFixture('cluster/bluegreen.yaml');
  const green = s.deployments.find((d) => d.metadata.name === 'shop-green')!;
  green.spec!.template!.spec!.containers![0].image = 'ghcr.io/acme/shop:1.2.0-typo';
  green.status = { observedGeneration: 3, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [deadlinePassed ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "shop-green-2" has timed out progressing.' } : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: iso(T0) }] };
  green.spec!.progressDeadlineSeconds = 600;
  s.replicaSets.push({ metadata: { name: 'shop-green-2', uid: 'rs-green-2', creationTimestamp: iso(T0 - 30_000), labels: { app: 'shop', version: 'green' }, annotations: { 'deployment.kubernetes.io/revision': '2' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop-green', uid: 'd-green' }] }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'shop', image: 'ghcr.io/acme/shop:1.2.0-typo' }] } } }, status: { replicas: 1 } });
  s.pods.push({ metadata: { name: 'shop-green-2-a', uid: 'pg', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'shop-green-2', uid: 'rs-green-2' }] }, spec: { containers: [{ name: 'shop', image: 'ghcr.io/acme/shop:1.2.0-typo' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'shop', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }] } });
  return s;
}

test('a pair whose idle colour cannot start: a warning before and after green\'s deadline, never a switch, production still Healthy', () => {
  const w = only(pairWithStuckGreen(false));
  assert.equal(w.health, 'Healthy', 'blue serves');
  assert.equal(attentionLevel(w), 'warning');
  const v = releaseVerdict(w, T0 + 60_000);
  assert.deepEqual([v.text, v.action], ['Green cannot start (ImagePullBackOff ghcr.io/acme/shop:1.2.0-typo) — fix it before switching, the controller gives up in 9 min', undefined]);
  assert.match(w.description, /^green cannot start: ImagePullBackOff/);
  const stuck = only(pairWithStuckGreen(true));
  assert.equal(stuck.stop?.reason, 'ProgressDeadlineExceeded');
  assert.equal(attentionLevel(stuck), 'warning', 'production is fine: not an error');
  const sv = releaseVerdict(stuck, T0);
  assert.deepEqual([sv.text, sv.action], ['Stuck: green cannot start (ImagePullBackOff ghcr.io/acme/shop:1.2.0-typo) — fix it before switching', undefined]);
  assert.deepEqual(whyStopped(stuck)!.actions, []);
});

test('a replica canary whose canary cannot start: abort?', () => {
  const s = snapshotFixture('cluster/replica-canary.yaml');
  const canary = s.deployments.find((d) => d.metadata.name === 'feed-canary')!;
  canary.metadata.uid = 'd-canary';
  canary.status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 };
  s.replicaSets.push({ metadata: { name: 'feed-canary-1', uid: 'rs-c', annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'feed-canary', uid: 'd-canary' }] }, spec: { replicas: 1 }, status: { replicas: 1 } });
  s.pods.push({ metadata: { name: 'feed-canary-1-a', uid: 'pc', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'feed-canary-1', uid: 'rs-c' }] }, spec: { containers: [{ name: 'feed', image: 'ghcr.io/acme/feed:1.1.0' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'feed', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] } });
  const w = only(s);
  const v = releaseVerdict(w, T0);
  assert.deepEqual([v.text, v.action, v.attention], ['Canary cannot start (CrashLoopBackOff ghcr.io/acme/feed:1.1.0) — abort?', 'abortCanary', 'warning']);
});

test('a replica canary scaled to 0 (where Promote leaves it) is at rest, not aborted', () => {
  const s = snapshotFixture('cluster/replica-canary.yaml');
  const canary = s.deployments.find((d) => d.metadata.name === 'feed-canary')!;
  canary.spec!.replicas = 0;
  canary.status = { observedGeneration: 1, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 };
  const w = only(s);
  assert.equal(w.canary?.aborted, true, 'the view\'s own flag: scaled to 0');
  assert.equal(attentionLevel(w), 'none');
  assert.equal(whyStopped(w), undefined);
  assert.match(releaseVerdict(w, T0).text, /^Healthy: /);
});

test('the failed value, not a later passing one, is set against the condition; a background analysis does not make the rollout "waiting"', () => {
  const s = runningAnalysis({ phase: 'Successful', finishedAt: iso(T0) });
  s.analysisRuns[0].status!.metricResults![0].measurements![1].value = '[0.02]';
  s.analysisRuns[0].status!.metricResults![0].measurements![0] = { phase: 'Failed', value: '[0.09]', finishedAt: iso(T0 - 60_000) };
  const m = only(s).analysisRuns[0].metrics[0];
  assert.equal(m.lastFailed, '[0.09]');
  assert.equal(valueAgainstCondition(m), '[0.09] > 0.05');
  // The same run as a background analysis while the canary is at its setWeight step.
  s.rollouts[0].status!.currentStepIndex = 0;
  assert.equal(releaseVerdict(only(s), T0).text, 'Progressing: step 0/3 (20%), 1/1 canary pods ready, analysis error-rate failed 1 of limit 2');
});
