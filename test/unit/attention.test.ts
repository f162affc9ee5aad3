// Needs attention (issue 12, part 7): which workloads wait for a person or are in trouble, on
// fixtures of every strategy kind, each state made by editing the objects as the controllers would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionLevel, attentionOf, needsAttention, type Attention } from '../../src/domain/release/attention';
import type { Deployment, NamespaceSnapshot, Pod, Rollout } from '../../src/domain/model/objects';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

/** The workloads of a fixture after `edit` (on a copy). */
function workloads(fixture: string, edit: (s: NamespaceSnapshot) => void = () => {}): WorkloadView[] {
  const snapshot = structuredClone(snapshotFixture(`cluster/${fixture}.yaml`));
  edit(snapshot);
  return buildWorkloads(snapshot);
}

const only = (ws: WorkloadView[]) => {
  assert.equal(ws.length, 1, ws.map((w) => w.id).join());
  return ws[0];
};
const brief = (a: Attention | undefined) => a && { reason: a.reason, severity: a.severity, summary: a.summary, actions: a.actions };
const deployment = (s: NamespaceSnapshot, name: string) => s.deployments.find((d) => d.metadata.name === name)!;
const deadline = (d: Deployment) => {
  d.status!.conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${d.metadata.name}-x" has timed out progressing.` }];
};
const pullBackOff = (pod: Pod, image: string) => {
  pod.status = { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } }] };
  pod.spec = { containers: [{ name: 'web', image }] };
};

test('Deployment: a release in progress needs nobody; paused by hand, past its deadline or unable to start does', () => {
  assert.equal(attentionOf(only(workloads('rolling-progress'))), undefined);
  assert.deepEqual(brief(attentionOf(only(workloads('rolling-progress', (s) => (s.deployments[0].spec!.paused = true))))), { reason: 'pausedByHand', severity: 'waiting', summary: 'paused by hand', actions: ['resumeDeployment'] });
  assert.deepEqual(brief(attentionOf(only(workloads('rolling-progress', (s) => deadline(s.deployments[0]))))), { reason: 'deadline', severity: 'trouble', summary: 'stuck past its progress deadline', actions: ['rollbackDeployment'] });
  const stuck = only(workloads('rolling-progress', (s) => pullBackOff(s.pods.find((p) => p.metadata.name === 'web-new-b')!, 'ghcr.io/acme/web:1.1.0-missing')));
  assert.deepEqual(brief(attentionOf(stuck)), { reason: 'cannotStart', severity: 'trouble', summary: 'new pods cannot start: ImagePullBackOff ghcr.io/acme/web:1.1.0-missing', actions: ['rollbackDeployment'] });
});

test('plain blue/green pair: healthy needs nobody; a selector naming no colour is trouble, backed out by Switch back when one is recorded', () => {
  assert.equal(attentionOf(only(workloads('bluegreen'))), undefined);
  const noColour = (s: NamespaceSnapshot) => (s.services.find((x) => x.metadata.name === 'shop')!.spec!.selector!.version = 'red');
  const broken = attentionOf(only(workloads('bluegreen', noColour)));
  assert.equal(broken?.reason, 'degraded');
  assert.match(broken!.summary, /^degraded: Service "shop" selects version=red, but no Deployment has that colour/);
  assert.deepEqual(broken?.actions, ['openDetails']);
  const switched = attentionOf(only(workloads('bluegreen', (s) => {
    noColour(s);
    s.services.find((x) => x.metadata.name === 'shop')!.metadata.annotations = { 'switchyard.dev/previous-selector': JSON.stringify({ app: 'shop', version: 'blue' }) };
  })));
  assert.deepEqual(switched?.actions, ['switchBack']);
});

test('replica-ratio canary: a canary past its progress deadline is trouble, aborted by scaling it to 0', () => {
  assert.equal(attentionOf(only(workloads('replica-canary'))), undefined);
  const late = attentionOf(only(workloads('replica-canary', (s) => deadline(deployment(s, 'feed-canary')))));
  assert.deepEqual(brief(late), { reason: 'deadline', severity: 'trouble', summary: 'stuck past its progress deadline', actions: ['abortCanary'] });
});

test('Argo canary: an indefinite pause step waits for promotion; a timed one does not; inconclusive analysis and a pause by hand wait too', () => {
  const paused = attentionOf(only(workloads('argo-canary-paused')));
  assert.deepEqual(brief(paused), { reason: 'promotion', severity: 'waiting', summary: 'paused for promotion · step 1/4 · 20%', actions: ['promoteRollout', 'abortRollout'] });
  assert.equal(paused?.since, '2026-11-25T10:00:00Z');
  // Step 3 is `pause: {duration: 30s}`: the controller goes on by itself.
  assert.equal(attentionOf(only(workloads('argo-canary-paused', (s) => (s.rollouts[0].status!.currentStepIndex = 3)))), undefined);
  const inconclusive = (r: Rollout) => (r.status!.pauseConditions = [{ reason: 'InconclusiveAnalysisRun', startTime: '2026-11-25T10:05:00Z' }]);
  assert.deepEqual(brief(attentionOf(only(workloads('argo-canary-paused', (s) => inconclusive(s.rollouts[0]))))), { reason: 'judgement', severity: 'waiting', summary: 'analysis inconclusive: promote or abort · step 1/4 · 20%', actions: ['promoteRollout', 'abortRollout'] });
  // The tree's icon and the verdict line take their level from the same classification (Argo's reason is InconclusiveAnalysisRun).
  assert.equal(attentionLevel(only(workloads('argo-canary-paused', (s) => inconclusive(s.rollouts[0])))), 'warning');
  assert.equal(attentionLevel(only(workloads('argo-canary-paused'))), 'decision');
  assert.equal(attentionOf(only(workloads('argo-canary-paused', (s) => (s.rollouts[0].spec!.paused = true))))?.reason, 'pausedByHand');
});

test('Argo canary: aborted is trouble, retried or undone; the controller\'s Degraded with a deadline too', () => {
  const aborted = attentionOf(only(workloads('argo-canary-paused', (s) => {
    const st = s.rollouts[0].status!;
    Object.assign(st, { abort: true, abortedAt: '2026-12-02T01:57:21Z', phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', pauseConditions: undefined, controllerPause: false });
  })));
  assert.deepEqual(brief(aborted), { reason: 'aborted', severity: 'trouble', summary: 'aborted: RolloutAborted: Rollout aborted update to revision 2', actions: ['retryRollout', 'undoRollout'] });
  // The moment after Abort, before the controller's sync (no abortedAt): no Retry yet, it would cancel the abort.
  const aborting = only(workloads('argo-canary-paused', (s) => Object.assign(s.rollouts[0].status!, { abort: true })));
  assert.deepEqual(brief(attentionOf(aborting)), { reason: 'aborted', severity: 'trouble', summary: 'aborting: the controller has not acted on it yet', actions: ['undoRollout'] });
  assert.match(aborting.description, /^aborting · /);
  const late = attentionOf(only(workloads('argo-canary-paused', (s) => Object.assign(s.rollouts[0].status!, { phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "cart-c2" has timed out progressing.', pauseConditions: undefined, controllerPause: false }))));
  assert.deepEqual(late?.actions, ['abortRollout', 'undoRollout']);
  assert.equal(late?.reason, 'deadline');
});

test('Argo blue/green: BlueGreenPause waits for promotion unless autoPromotionSeconds promotes it', () => {
  assert.deepEqual(brief(attentionOf(only(workloads('argo-bluegreen-preview')))), { reason: 'promotion', severity: 'waiting', summary: 'paused for promotion', actions: ['promoteRollout', 'abortRollout'] });
  const auto = (r: Rollout) => (r.spec!.strategy!.blueGreen = { ...r.spec!.strategy!.blueGreen, autoPromotionEnabled: undefined, autoPromotionSeconds: 60 });
  assert.equal(attentionOf(only(workloads('argo-bluegreen-preview', (s) => auto(s.rollouts[0])))), undefined);
});

test('needsAttention lists trouble first, then waiting, by namespace and name', () => {
  const all = [
    ...workloads('argo-bluegreen-preview'),
    ...workloads('argo-canary-paused'),
    ...workloads('bluegreen'),
    ...workloads('rolling-progress', (s) => deadline(s.deployments[0])),
  ];
  assert.deepEqual(needsAttention(all).map((a) => [a.name, a.reason]), [['web', 'deadline'], ['cart', 'promotion'], ['pay', 'promotion']]);
});
