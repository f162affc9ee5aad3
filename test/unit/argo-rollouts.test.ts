// Argo Rollouts beyond plain canary and blue/green (issue 12, part 6): experiment steps, pingPong,
// maxTrafficWeight, pre/post-promotion analysis, scale-down delays, invalid strategies. Fixtures are
// the controller's objects (test/fixtures/cluster/argo-*.yaml).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { LiveWorkloads } from '../../src/domain/model/live';
import { leanObject } from '../../src/domain/model/lean';
import { OBJECT_LISTS } from '../../src/domain/model/indexed';
import { rolloutStatus } from '../../src/domain/model/status';
import { humanDuration, scaleDownText } from '../../src/domain/model/age';
import type { Experiment, Rollout } from '../../src/domain/model/objects';
import { snapshotFixture } from '../support/snapshot';
import { renderRollout } from '../../webview/render/rolloutView';
import type { RolloutPanelState } from '../../src/domain/panels/state';

test('experiment step: the Experiment under its Rollout, with templates, their ReplicaSets, pods and AnalysisRuns', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/argo-experiment.yaml'));
  assert.equal(w.strategy, 'argo-canary');
  assert.equal(w.canary!.steps[1].text, 'experiment: baseline, candidate (5s)');
  assert.equal(w.description, 'step 1/4 · 25% (actual 33%) · experiment Running');
  const [e] = w.experiments!;
  assert.deepEqual([e.name, e.phase, e.current, e.revision, e.duration], ['lab-59b4585df7-2-1', 'Running', true, 2, '5s']);
  assert.deepEqual(
    e.templates.map((t) => [t.name, t.status, t.replicaSet?.replicaSet, t.replicaSet?.images, t.replicaSet?.pods.map((p) => [p.name, p.state])]),
    [
      ['baseline', 'Running', 'lab-59b4585df7-2-1-baseline', ['ghcr.io/acme/lab:1.0.0'], [['lab-59b4585df7-2-1-baseline-mjt62', 'ready']]],
      ['candidate', 'Running', 'lab-59b4585df7-2-1-candidate', ['ghcr.io/acme/lab:2.0.0'], [['lab-59b4585df7-2-1-candidate-w2x8l', 'ready']]],
    ],
  );
  // The Experiment's ReplicaSets are not revisions of the Rollout; its AnalysisRun is in the analysis view, marked.
  assert.deepEqual(w.revisions.map((r) => [r.revision, r.roles]), [[2, ['canary']], [1, ['stable']]]);
  assert.deepEqual(e.analysisRuns, ['lab-59b4585df7-2-1-compare']);
  assert.deepEqual(w.analysisRuns.map((r) => [r.name, r.experiment, r.phase]), [['lab-59b4585df7-2-1-compare', 'lab-59b4585df7-2-1', 'Running']]);
  // Images carry the plugin's Σ:template tags beside the roles.
  assert.deepEqual(w.images, [
    { image: 'ghcr.io/acme/lab:1.0.0', tags: ['stable', 'Σ:baseline'] },
    { image: 'ghcr.io/acme/lab:2.0.0', tags: ['canary', 'Σ:candidate'] },
  ]);
});

test('experiment: a finished one is not current, and a Rollout past the step no longer says experiment', () => {
  const snapshot = snapshotFixture('cluster/argo-experiment.yaml');
  const rollout = snapshot.rollouts[0];
  rollout.status = { ...rollout.status, currentStepIndex: 3, canary: {}, phase: 'Paused', message: 'CanaryPauseStep', pauseConditions: [{ reason: 'CanaryPauseStep' }] };
  snapshot.experiments[0].status!.phase = 'Successful';
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.experiments![0].current, false);
  assert.equal(w.experiments![0].phase, 'Successful');
  assert.equal(w.description, 'step 3/4 · 50% (actual 33%) · paused');
});

test('experiment: a change to the Experiment, its ReplicaSet, its pod or its AnalysisRun recomputes the Rollout (live model)', () => {
  const snapshot = snapshotFixture('cluster/argo-experiment.yaml');
  const live = new LiveWorkloads(snapshot.namespace);
  for (const list of OBJECT_LISTS) live.reset(list, snapshot[list] as never[]);
  live.takeChanges();
  const edits: [string, () => void, (w: ReturnType<typeof live.workloads>[number]) => unknown, unknown][] = [
    ['experiment phase', () => live.upsert('experiments', { ...snapshot.experiments[0], status: { ...snapshot.experiments[0].status, phase: 'Failed' } }), (w) => w.experiments![0].phase, 'Failed'],
    ['template ReplicaSet', () => live.upsert('replicaSets', { ...snapshot.replicaSets[2], status: { replicas: 1, readyReplicas: 0, availableReplicas: 0 } }), (w) => w.experiments![0].templates[0].replicaSet!.ready, 0],
    ['template pod', () => live.delete('pods', snapshot.pods[1]), (w) => w.experiments![0].templates[1].replicaSet!.pods.length, 0],
    ['experiment AnalysisRun', () => live.upsert('analysisRuns', { ...snapshot.analysisRuns[0], status: { phase: 'Successful' } }), (w) => w.analysisRuns[0].phase, 'Successful'],
  ];
  for (const [what, edit, read, expected] of edits) {
    edit();
    assert.deepEqual(live.takeChanges(), ['Rollout/demo/lab'], what);
    assert.equal(read(live.workloads()[0]), expected, what);
    assert.deepEqual(live.workloads(), buildWorkloads(live.snapshot()), `${what}: equals the full build`);
  }
});

test('experiment: the store keeps a lean Experiment (no managedFields, lean pod templates) with the same view', () => {
  const snapshot = snapshotFixture('cluster/argo-experiment.yaml');
  const full = structuredClone(snapshot.experiments[0]) as Experiment & { metadata: { managedFields?: unknown } };
  full.metadata.managedFields = [{ manager: 'rollouts-controller' }];
  (full.spec!.templates![0].template!.spec as Record<string, unknown>).volumes = [{ name: 'cache', emptyDir: {} }];
  const lean = leanObject('experiments', full);
  assert.equal((lean.metadata as { managedFields?: unknown }).managedFields, undefined);
  assert.deepEqual(lean.spec!.templates![0].template!.spec, { containers: [{ name: 'app', image: 'ghcr.io/acme/lab:1.0.0' }] });
  assert.equal(lean.spec!.templates![1].name, 'candidate');
  assert.deepEqual(buildWorkloads({ ...snapshot, experiments: [lean] }), buildWorkloads(snapshot));
});

test('pingPong: ping / pong roles from status.canary.stablePingPong, not from the Service names', () => {
  const snapshot = snapshotFixture('cluster/argo-pingpong-maxweight.yaml');
  const [w] = buildWorkloads(snapshot);
  assert.deepEqual(w.revisions.map((r) => [r.revision, r.roles]), [[2, ['canary', 'ping']], [1, ['stable', 'pong']]]);
  assert.deepEqual(w.canary!.pingPong, { pingService: 'pay-ping', pongService: 'pay-pong', stable: 'pong' });
  assert.deepEqual(w.images.map((i) => [i.image, i.tags]), [['ghcr.io/acme/pay:1.0.0', ['pong', 'stable']], ['ghcr.io/acme/pay:2.0.0', ['canary', 'ping']]]);
  // After the next promotion the controller flips it: the ping Service is stable.
  snapshot.rollouts[0].status!.canary!.stablePingPong = 'ping';
  assert.deepEqual(buildWorkloads(snapshot)[0].revisions.map((r) => r.roles), [['canary', 'pong'], ['stable', 'ping']]);
});

test('maxTrafficWeight 200: weights against it, the actual one from status.canary.weights, the router named', () => {
  const snapshot = snapshotFixture('cluster/argo-pingpong-maxweight.yaml');
  const [w] = buildWorkloads(snapshot);
  assert.deepEqual([w.canary!.setWeight, w.canary!.actualWeight, w.canary!.maxWeight, w.canary!.trafficRouting], [20, 18, 200, 'alb']);
  assert.equal(w.description, 'step 1/3 · weight 20/200 (actual 18) · paused');
  // Done: the controller's weight is the maximum, not 100.
  snapshot.rollouts[0].status = { ...snapshot.rollouts[0].status, currentStepIndex: 3, pauseConditions: [], phase: 'Healthy', message: '' };
  const [done] = buildWorkloads(snapshot);
  assert.deepEqual([done.canary!.setWeight, done.canary!.actualWeight], [200, 200]);
  assert.equal(done.description, 'step 3/3 · weight 200/200');
  // Without maxTrafficWeight the scale stays percent and the field is left out.
  delete (snapshot.rollouts[0].spec!.strategy!.canary!.trafficRouting as Record<string, unknown>).maxTrafficWeight;
  const [percent] = buildWorkloads(snapshot);
  assert.equal(percent.canary!.maxWeight, undefined);
  assert.equal(percent.description, 'step 3/3 · 100%');
});

test('blue/green post-promotion analysis: the controller’s words, the run, and the old revision’s scale-down delay', () => {
  const snapshot = snapshotFixture('cluster/argo-bluegreen-postpromotion.yaml');
  const [w] = buildWorkloads(snapshot);
  assert.equal(w.message, 'waiting for analysis to complete');
  assert.equal(w.description, 'active rev 2 · post-promotion analysis Running');
  assert.deepEqual(w.revisions.map((r) => [r.revision, r.roles, r.scaleDownDeadline]), [[2, ['active'], undefined], [1, ['stable'], '2026-11-25T14:00:00Z']]);
  assert.equal(w.analysisRuns[0].name, 'shop-b2-2-post');
  // A controller that writes no phase: the client-side calculation says the same.
  const r = structuredClone(snapshot.rollouts[0]);
  delete r.status!.phase;
  assert.equal(rolloutStatus(r).message, 'waiting for analysis to complete');
  r.status!.blueGreen!.postPromotionAnalysisRunStatus!.status = 'Successful';
  assert.equal(rolloutStatus(r).message, 'waiting for post-promotion verification to complete');
  // Once it succeeded the description no longer names it.
  snapshot.rollouts[0].status!.blueGreen!.postPromotionAnalysisRunStatus!.status = 'Successful';
  assert.equal(buildWorkloads(snapshot)[0].description, 'active rev 2');
});

test('blue/green pre-promotion analysis is named beside the preview revision', () => {
  const snapshot = snapshotFixture('cluster/argo-bluegreen-preview.yaml');
  const rollout = snapshot.rollouts[0] as Rollout;
  rollout.spec!.strategy!.blueGreen!.prePromotionAnalysis = { templates: [{ templateName: 'smoke' }] };
  rollout.status!.blueGreen = { ...rollout.status!.blueGreen, prePromotionAnalysisRunStatus: { name: 'checkout-pre', status: 'Running' } };
  assert.equal(buildWorkloads(snapshot)[0].description, 'active rev 1 · preview rev 2 · pre-promotion analysis Running · paused');
});

test('scale-down delay in the plugin’s words (Kubernetes HumanDuration)', () => {
  const now = Date.parse('2026-11-25T10:00:30Z');
  assert.equal(scaleDownText('2026-11-25T14:00:00Z', now), 'scale-down in 3h59m');
  assert.equal(scaleDownText('2026-11-25T10:00:00Z', now), 'scale-down passed');
  assert.equal(scaleDownText(undefined, now), '');
  assert.equal(scaleDownText('not a time', now), '');
  assert.deepEqual([90e3, 330e3, 42 * 60e3, 20 * 3600e3, (3 * 24 + 4) * 3600e3, 30 * 86400e3].map(humanDuration), ['90s', '5m30s', '42m', '20h', '3d4h', '30d']);
});

test('a Rollout with neither strategy or both: argo-invalid with the controller’s InvalidSpec message, never blue/green', () => {
  const snapshot = snapshotFixture('cluster/argo-invalid-strategy.yaml');
  const [both, none] = buildWorkloads(snapshot);
  assert.deepEqual([none.name, none.strategy, none.health], ['nostrategy', 'argo-invalid', 'Degraded']);
  assert.equal(none.message, snapshot.rollouts[0].status!.message, 'the controller’s message as it wrote it');
  assert.equal(none.description, 'invalid spec: no canary or blueGreen strategy');
  assert.equal(none.canary, undefined);
  // Not seen by the controller yet: the view says what it will say.
  assert.deepEqual([both.strategy, both.health], ['argo-invalid', 'Degraded']);
  assert.equal(both.message, 'InvalidSpec: The Rollout "both" is invalid: spec.strategy.strategy: Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed');
  assert.equal(both.description, 'invalid spec: both canary and blueGreen');
  const unseen = structuredClone(snapshot.rollouts[0]);
  delete unseen.status;
  assert.equal(rolloutStatus(unseen).message, snapshot.rollouts[0].status!.message, 'the prediction equals what the controller wrote');
});

function panelOf(fixture: string, now = Date.parse('2026-11-25T10:00:30Z')): Record<string, string> {
  const [w] = buildWorkloads(snapshotFixture(`cluster/${fixture}.yaml`));
  const state: RolloutPanelState = { target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now };
  return Object.fromEntries(renderRollout(state).map((s) => [s.key, s.html]));
}

test('panel: the Experiment with its templates, images and pods, and its run marked in the analysis', () => {
  const panel = panelOf('argo-experiment');
  const section = panel.experiments;
  assert.ok(section, 'an Experiments section');
  assert.match(section, /lab-59b4585df7-2-1<\/h3><span class="badge badge-progressing"[^>]*>Running<\/span><span class="badge badge-progressing"[^>]*>current step/);
  assert.match(section, /<h4>baseline <span class="muted">Running · lab-59b4585df7-2-1-baseline · 1\/1 ready<\/span><\/h4>\s*<p class="images"><code>ghcr.io\/acme\/lab:1.0.0<\/code>/);
  assert.match(section, /aria-label="Pods of experiment template candidate: 1 ready"/);
  assert.match(panel.analysis, /experiment lab-59b4585df7-2-1 · revision 2/);
  assert.equal(panelOf('argo-canary-paused').experiments, undefined, 'no section without experiments');
});

test('panel: weights out of maxTrafficWeight drawn in proportion, pingPong Services by role, scale-down delay on the revision', () => {
  const canary = panelOf('argo-pingpong-maxweight').canary;
  assert.match(canary, /aria-label="desired: canary 10%/);
  assert.match(canary, /aria-label="actual: canary 9%/);
  assert.match(canary, /Weights are out of 200 \(maxTrafficWeight\): 20 desired, 18 actual\./);
  assert.match(canary, /Ping Service <code>pay-ping<\/code> \(canary\), pong Service <code>pay-pong<\/code> \(stable\)\./);
  assert.match(panelOf('argo-bluegreen-postpromotion').revisions, /shop-b1 · 2\/2 ready · scale-down in 3h59m/);
});
