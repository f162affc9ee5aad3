// Flagger Canaries in the view model (issue 14, points 1 and 2): Canary objects shaped as Flagger's
// e2e tests write them (test/kubernetes/test-deployment.sh: a kubernetes-provider blue/green with a
// confirm-rollout gate; test/gatewayapi/test-canary.sh: a Gateway API canary, maxWeight 50 /
// stepWeight 10, MetricTemplates), their status as the scheduler writes it in each phase
// (pkg/canary/status.go: setStatusPhase, MakeStatusConditions), and the Deployments Flagger runs
// (pkg/canary/deployment_controller.go: `<target>-primary`, labelled `app: <target>-primary`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySnapshot, type Deployment, type FlaggerCanary, type FlaggerPhase, type NamespaceSnapshot, type Pod, type ReplicaSet, type Rollout, type Service } from '../../src/domain/model/objects';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { LiveWorkloads } from '../../src/domain/model/live';
import { OBJECT_LISTS } from '../../src/domain/model/indexed';
import { timeLeft, timeLeftText, trafficGateHold, weightSteps } from '../../src/domain/model/flagger';
import { attentionLevel, attentionOf, needsAttention } from '../../src/domain/release/attention';
import { releaseState, stateText, STATE_WORDS } from '../../src/domain/release/state';
import { releaseVerdict } from '../../src/domain/release/verdict';
import { workloadObjects, type EventView } from '../../src/domain/model/events';
import { snapshotFixture } from '../support/snapshot';

const NS = 'test';
const T0 = '2026-12-02T10:00:00Z';

/** A Deployment with its current ReplicaSet and ready pods, as the deployment controller leaves them. */
function deployment(s: NamespaceSnapshot, name: string, app: string, image: string, replicas: number, revision = 1, extraLabels: Record<string, string> = {}): Deployment {
  const labels = { app, ...extraLabels };
  const d: Deployment = {
    metadata: { name, namespace: NS, uid: `uid-${name}`, generation: 1, labels },
    spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: { containers: [{ name: 'podinfod', image }] } } },
    status: { observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas },
  };
  const rs: ReplicaSet = {
    metadata: { name: `${name}-${revision}abc`, namespace: NS, uid: `uid-${name}-rs`, labels: { ...labels, 'pod-template-hash': `${revision}abc` }, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `uid-${name}`, controller: true }] },
    spec: { replicas, template: d.spec!.template },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
  };
  s.deployments.push(d);
  s.replicaSets.push(rs);
  for (let i = 0; i < replicas; i++) {
    const pod: Pod = {
      metadata: { name: `${rs.metadata.name}-p${i}`, namespace: NS, uid: `uid-${rs.metadata.name}-p${i}`, labels: rs.metadata.labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true }] },
      spec: { containers: [{ name: 'podinfod', image }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T0 }], containerStatuses: [{ name: 'podinfod', ready: true, restartCount: 0, state: { running: { startedAt: T0 } } }] },
    };
    s.pods.push(pod);
  }
  return d;
}

function service(s: NamespaceSnapshot, name: string, selector: Record<string, string>): Service {
  const svc: Service = { metadata: { name, namespace: NS, uid: `uid-svc-${name}` }, spec: { selector, ports: [{ port: 9898 }] } };
  s.services.push(svc);
  return svc;
}

/** The Promoted condition as MakeStatusConditions writes it for a phase. */
function promoted(phase: FlaggerPhase, kind = 'Deployment') {
  const byPhase: Partial<Record<FlaggerPhase, [string, string]>> = {
    Initializing: ['Unknown', `New ${kind} detected, starting initialization.`],
    Initialized: ['True', `${kind} initialization completed.`],
    Waiting: ['Unknown', 'Waiting for approval.'],
    WaitingPromotion: ['Unknown', 'Waiting for approval.'],
    Progressing: ['Unknown', 'New revision detected, progressing canary analysis.'],
    Promoting: ['Unknown', 'Canary analysis completed, starting primary rolling update.'],
    Finalising: ['Unknown', 'Canary analysis completed, routing all traffic to primary.'],
    Succeeded: ['True', 'Canary analysis completed successfully, promotion finished.'],
    Failed: ['False', `Canary analysis failed, ${kind} scaled to zero.`],
  };
  const [status, message] = byPhase[phase] ?? ['Unknown', ''];
  return [{ type: 'Promoted', status, reason: phase, message, lastUpdateTime: T0, lastTransitionTime: T0 }];
}

/** A Canary as the API serves it: `spec` as the e2e test applies it, the status Flagger wrote in `phase`. */
function canaryObject(spec: NonNullable<FlaggerCanary['spec']>, phase: FlaggerPhase, status: Partial<NonNullable<FlaggerCanary['status']>>): FlaggerCanary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: NS, uid: 'uid-canary', resourceVersion: '7' },
    spec,
    status: { phase, failedChecks: 0, canaryWeight: 0, iterations: 0, lastTransitionTime: T0, conditions: promoted(phase), ...status },
  };
}

/** test/kubernetes/test-deployment.sh's Canary: kubernetes provider (blue/green), 5 iterations of 15s, a confirm-rollout gate. */
function blueGreenCanary(phase: FlaggerPhase, status: Partial<NonNullable<FlaggerCanary['status']>> = {}): FlaggerCanary {
  return canaryObject(
    {
      provider: 'kubernetes',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      progressDeadlineSeconds: 60,
      service: { port: 80, targetPort: 9898, name: 'podinfo-svc' },
      analysis: {
        interval: '15s',
        threshold: 10,
        iterations: 5,
        metrics: [
          { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: '30s', thresholdRange: { max: 500 } },
        ],
        webhooks: [
          { name: 'gate', type: 'confirm-rollout', url: 'http://flagger-loadtester.test/gate/approve' },
          { name: 'acceptance-test', type: 'pre-rollout', url: 'http://flagger-loadtester.test/', timeout: '10s' },
          { name: 'load-test', url: 'http://flagger-loadtester.test/', timeout: '5s' },
          { name: 'promotion-gate', type: 'confirm-promotion', url: 'http://flagger-loadtester.test/gate/check' },
        ],
      },
    },
    phase,
    status,
  );
}

/** test/gatewayapi/test-canary.sh's Canary: Gateway API, maxWeight 50, stepWeight 10, MetricTemplates. */
function weightedCanary(phase: FlaggerPhase, status: Partial<NonNullable<FlaggerCanary['status']>> = {}): FlaggerCanary {
  return canaryObject(
    {
      provider: 'gatewayapi:v1',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      progressDeadlineSeconds: 60,
      service: { port: 9898, portName: 'http', hosts: ['www.example.com'], gatewayRefs: [{ name: 'gateway', namespace: 'istio-ingress' }] },
      analysis: {
        interval: '15s',
        threshold: 15,
        maxWeight: 50,
        stepWeight: 10,
        metrics: [
          { name: 'error-rate', templateRef: { name: 'error-rate', namespace: 'flagger-system' }, thresholdRange: { max: 1 }, interval: '1m' },
          { name: 'latency', templateRef: { name: 'latency' }, thresholdRange: { max: 0.5 }, interval: '30s' },
        ],
        webhooks: [
          { name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.test/', timeout: '5s' },
          { name: 'traffic-gate', type: 'confirm-traffic-increase', url: 'http://flagger-loadtester.test/gate/check' },
        ],
      },
    },
    phase,
    status,
  );
}

/** The namespace as Flagger leaves it: the primary serving, the target running the canary (or scaled to 0). */
function namespace(canary: FlaggerCanary, canaryReplicas: number): NamespaceSnapshot {
  const s = emptySnapshot(NS);
  s.canaries.push(canary);
  deployment(s, 'podinfo-primary', 'podinfo-primary', 'ghcr.io/stefanprodan/podinfo:6.0.0', 2, 1);
  deployment(s, 'podinfo', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.1', canaryReplicas, 2);
  // The Services Flagger generates (pkg/router/kubernetes_default.go): apex and -primary select the primary, -canary the target.
  const apex = canary.spec?.service?.name ?? 'podinfo';
  service(s, apex, { app: 'podinfo-primary' });
  service(s, `${apex}-primary`, { app: 'podinfo-primary' });
  service(s, `${apex}-canary`, { app: 'podinfo' });
  s.metricTemplates.push({ apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 'latency', namespace: NS }, spec: { provider: { type: 'prometheus', address: 'http://prometheus.istio-system:9090' }, query: 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{namespace=~"{{ namespace }}", app="{{ target }}"}[{{ interval }}])) by (le))' } });
  return s;
}

const canaryOf = (ws: WorkloadView[]) => {
  assert.deepEqual(ws.map((w) => w.id), ['Canary/test/podinfo'], 'the Canary is the one workload: its Deployments are folded in');
  return ws[0];
};

test('the primary and target Deployments and the generated Services fold into one Canary workload', () => {
  const s = namespace(blueGreenCanary('Progressing', { iterations: 2 }), 2);
  const w = canaryOf(buildWorkloads(s));
  assert.equal(w.kind, 'Canary');
  assert.equal(w.strategy, 'flagger-bluegreen');
  assert.deepEqual(w.members.sort(), ['podinfo', 'podinfo-primary']);
  assert.deepEqual(w.revisions.map((r) => [r.replicaSet, r.roles, r.revision, r.pods.length]), [
    ['podinfo-primary-1abc', ['primary'], 1, 2],
    ['podinfo-2abc', ['canary'], 2, 2],
  ]);
  assert.deepEqual(w.images, [{ image: 'ghcr.io/stefanprodan/podinfo:6.0.0', tags: ['primary'] }, { image: 'ghcr.io/stefanprodan/podinfo:6.0.1', tags: ['canary'] }]);
  assert.deepEqual(w.services, { current: 'podinfo-svc', primary: 'podinfo-svc-primary', canary: 'podinfo-svc-canary' });
  // Without the Canary the same Deployments are two workloads of their own.
  const without = { ...s, canaries: [] };
  assert.deepEqual(buildWorkloads(without).map((w) => w.id).sort(), ['Deployment/test/podinfo', 'Deployment/test/podinfo-primary']);
});

test('a Deployment Flagger runs is taken from a blue/green pair it would otherwise form', () => {
  // Flagger copies the target's labels to the primary (makePrimaryLabels rewrites only the selector label): a
  // `version` label differs between them mid-release, and a user's Service on name + version looks like a pair.
  const s = emptySnapshot(NS);
  s.canaries.push(blueGreenCanary('Progressing'));
  deployment(s, 'podinfo-primary', 'podinfo-primary', 'ghcr.io/stefanprodan/podinfo:6.0.0', 2, 1, { name: 'podinfo', version: '6.0.0' });
  deployment(s, 'podinfo', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.1', 2, 2, { name: 'podinfo', version: '6.0.1' });
  service(s, 'podinfo-stable', { name: 'podinfo', version: '6.0.0' });
  canaryOf(buildWorkloads(s));
  assert.deepEqual(buildWorkloads({ ...s, canaries: [] }).map((w) => w.kind), ['BlueGreen'], 'without the Canary they do form a pair');
});

test('the store (live.ts) folds, unfolds and follows the Canary as buildWorkloads does', () => {
  const s = namespace(weightedCanary('Progressing', { canaryWeight: 20 }), 1);
  const live = new LiveWorkloads(NS);
  for (const list of OBJECT_LISTS) live.reset(list, s[list] as never[]);
  assert.deepEqual(live.workloads(), buildWorkloads(s));
  live.takeChanges();
  // Flagger advances the weight: only the Canary changes.
  live.upsert('canaries', { ...s.canaries[0], status: { ...s.canaries[0].status, canaryWeight: 30 } });
  assert.deepEqual(live.takeChanges(), ['Canary/test/podinfo']);
  assert.equal(live.workloads()[0].flagger?.weight, 30);
  // A pod of the primary changes: the Canary's view follows it.
  const pod = s.pods.find((p) => p.metadata.name.startsWith('podinfo-primary'))!;
  live.upsert('pods', { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'False' }] } });
  assert.deepEqual(live.takeChanges(), ['Canary/test/podinfo']);
  assert.equal(live.workloads()[0].revisions.find((r) => r.roles.includes('primary'))!.pods.filter((p) => p.ready).length, 1);
  // The Canary goes: its Deployments are workloads again.
  live.delete('canaries', s.canaries[0]);
  assert.deepEqual(live.workloads().map((w) => w.id).sort(), ['Deployment/test/podinfo', 'Deployment/test/podinfo-primary']);
  assert.deepEqual(live.workloads(), buildWorkloads({ ...live.snapshot() }));
});

test('a canary by weight: weight against maxWeight, steps, failed checks against threshold, metrics with their templates', () => {
  const w = canaryOf(buildWorkloads(namespace(weightedCanary('Progressing', { canaryWeight: 20, failedChecks: 2 }), 1)));
  const f = w.flagger!;
  assert.equal(w.strategy, 'flagger-canary');
  assert.deepEqual([f.weight, f.maxWeight, f.steps, f.step, f.failedChecks, f.threshold], [20, 50, [10, 20, 30, 40, 50], 2, 2, 15]);
  assert.equal(w.description, 'weight 20/50 · step 2/5 · checks failed 2/15');
  assert.deepEqual(f.metrics, [
    { name: 'error-rate', interval: '1m', max: 1, builtin: false, template: { name: 'error-rate', namespace: 'flagger-system', found: false, watched: false } },
    { name: 'latency', interval: '30s', max: 0.5, builtin: false, template: { name: 'latency', namespace: 'test', found: true, watched: true, provider: 'prometheus', address: 'http://prometheus.istio-system:9090', query: 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{namespace=~"{{ namespace }}", app="{{ target }}"}[{{ interval }}])) by (le))' } },
  ]);
  assert.deepEqual(f.webhooks.map((h) => [h.name, h.type, h.gate]), [['load-test', 'rollout', false], ['traffic-gate', 'confirm-traffic-increase', true]]);
  assert.equal(f.promoted?.message, 'New revision detected, progressing canary analysis.');
});

test('blue/green: iterations against analysis.iterations; the kubernetes provider without iterations runs 10 (advanceCanary)', () => {
  const w = canaryOf(buildWorkloads(namespace(blueGreenCanary('Progressing', { iterations: 3 }), 2)));
  assert.deepEqual([w.flagger!.iterations, w.flagger!.iterationsTotal], [3, 5]);
  assert.equal(w.description, 'iteration 3/5');
  const bare = blueGreenCanary('Progressing', { iterations: 1 });
  delete bare.spec!.analysis!.iterations;
  const v = canaryOf(buildWorkloads(namespace(bare, 2)));
  assert.deepEqual([v.strategy, v.flagger!.iterationsTotal], ['flagger-bluegreen', 10]);
  // A/B testing: match with iterations, on a mesh provider.
  const ab = weightedCanary('Progressing');
  ab.spec!.analysis = { ...ab.spec!.analysis, iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] };
  assert.equal(canaryOf(buildWorkloads(namespace(ab, 1))).strategy, 'flagger-ab');
});

test('the deprecated threshold reads as Flagger reads it: a minimum for request-success-rate, a maximum for the rest', () => {
  const c = weightedCanary('Progressing');
  c.spec!.analysis!.metrics = [{ name: 'request-success-rate', threshold: 99, interval: '1m' }, { name: 'request-duration', threshold: 500 }];
  const f = canaryOf(buildWorkloads(namespace(c, 1))).flagger!;
  assert.deepEqual(f.metrics.map((m) => [m.name, m.min, m.max, m.builtin, m.interval]), [['request-success-rate', 99, undefined, true, '1m'], ['request-duration', undefined, 500, true, '1m']]);
});

test('weight steps: stepWeight to maxWeight, or stepWeights as given (nextStepWeight)', () => {
  assert.deepEqual(weightSteps({ maxWeight: 50, stepWeight: 10 }), [10, 20, 30, 40, 50]);
  assert.deepEqual(weightSteps({ maxWeight: 50, stepWeight: 20 }), [20, 40, 50]);
  assert.deepEqual(weightSteps({ stepWeight: 25 }), [25, 50, 75, 100]);
  assert.deepEqual(weightSteps({ stepWeights: [1, 10, 30, 80] }), [1, 10, 30, 80]);
  assert.deepEqual(weightSteps({}), []);
});

test('time left by Flagger\'s formula: interval × (maxWeight / stepWeight) or × iterations, from the last status change', () => {
  const now = Date.parse(T0) + 5_000;
  const canary = canaryOf(buildWorkloads(namespace(weightedCanary('Progressing', { canaryWeight: 20 }), 1))).flagger!.estimate!;
  assert.deepEqual([canary.remaining, canary.total, canary.intervalMs], [3, 5, 15_000]);
  assert.equal(canary.formula, 'interval 15s × 5 steps (maxWeight 50 / stepWeight 10)');
  assert.deepEqual(timeLeft(canary, now), { endsAt: Date.parse(T0) + 45_000, leftMs: 40_000 });
  assert.equal(timeLeftText(canary, now), 'about 40 s left (3 of 5 intervals of 15s, from the last step at 10:00:00 UTC)');
  const bg = canaryOf(buildWorkloads(namespace(blueGreenCanary('Progressing', { iterations: 3 }), 2))).flagger!.estimate!;
  assert.deepEqual([bg.remaining, bg.total, bg.formula], [2, 5, 'interval 15s × 5 iterations']);
  assert.equal(timeLeftText(bg, Date.parse(T0) + 60_000), 'about due now (2 of 5 intervals of 15s, from the last step at 10:00:00 UTC)');
  // An interval under 10 s counts as 10 s; an unreadable one as 60 s (GetAnalysisInterval).
  const fast = weightedCanary('Progressing');
  fast.spec!.analysis!.interval = '2s';
  assert.equal(canaryOf(buildWorkloads(namespace(fast, 1))).flagger!.intervalMs, 10_000);
  // Nothing is estimated while a person is waited for, or after the analysis.
  for (const phase of ['Waiting', 'WaitingPromotion', 'Succeeded', 'Failed'] as const) assert.equal(canaryOf(buildWorkloads(namespace(weightedCanary(phase), 1))).flagger!.estimate, undefined, phase);
});

/** Every Flagger phase in the one vocabulary, with Flagger's word beside it. */
const FLAGGER_STATES: [FlaggerPhase, string, string][] = [
  ['Initializing', 'progressing', 'progressing (Initializing)'],
  ['Initialized', 'healthy', 'healthy (Initialized)'],
  ['Waiting', 'awaiting', 'paused for a person (Waiting)'],
  ['Progressing', 'progressing', 'progressing'],
  ['WaitingPromotion', 'awaiting', 'paused for a person (WaitingPromotion)'],
  ['Promoting', 'progressing', 'progressing (Promoting)'],
  ['Finalising', 'progressing', 'progressing (Finalising)'],
  ['Succeeded', 'healthy', 'healthy (Succeeded)'],
  ['Failed', 'aborted', 'aborted (Failed)'],
  ['Terminating', 'progressing', 'progressing (Terminating)'],
  ['Terminated', 'healthy', 'healthy (Terminated)'],
];

test('every Flagger phase maps to the one vocabulary, with Flagger\'s own word', () => {
  for (const [phase, state, text] of FLAGGER_STATES) {
    const w = canaryOf(buildWorkloads(namespace(weightedCanary(phase), phase === 'Progressing' ? 1 : 0)));
    assert.equal(releaseState(w).state, state, phase);
    assert.equal(stateText(releaseState(w)), text, phase);
  }
  const suspended = weightedCanary('Progressing');
  suspended.spec!.suspend = true;
  assert.equal(stateText(releaseState(canaryOf(buildWorkloads(namespace(suspended, 1))))), 'paused for a person (suspended)');
  const unseen = weightedCanary('Progressing');
  delete unseen.status;
  assert.equal(stateText(releaseState(canaryOf(buildWorkloads(namespace(unseen, 0))))), 'progressing (no status yet)');
});

test('every Argo Rollouts state maps to the same vocabulary, with Argo\'s own word', () => {
  const rollout = (fixture: string, edit: (r: Rollout) => void = () => {}) => {
    const s = structuredClone(snapshotFixture(`cluster/${fixture}.yaml`));
    edit(s.rollouts[0]);
    return buildWorkloads(s).find((w) => w.kind === 'Rollout')!;
  };
  const cases: [string, WorkloadView, string][] = [
    ['healthy', rollout('argo-canary-paused', (r) => ((r.status!.phase = 'Healthy'), (r.status!.pauseConditions = []), (r.status!.controllerPause = false))), 'healthy'],
    ['progressing', rollout('argo-canary-paused', (r) => ((r.status!.phase = 'Progressing'), (r.status!.pauseConditions = []), (r.status!.controllerPause = false))), 'progressing'],
    ['paused at an indefinite pause step', rollout('argo-canary-paused'), 'paused for a person (CanaryPauseStep)'],
    ['paused by hand', rollout('argo-canary-paused', (r) => (r.spec!.paused = true)), 'paused for a person (spec.paused)'],
    ['inconclusive', rollout('argo-canary-paused', (r) => (r.status!.pauseConditions = [{ reason: 'InconclusiveAnalysisRun', startTime: T0 }])), 'paused for a person (InconclusiveAnalysisRun)'],
    ['aborted', rollout('argo-canary-paused', (r) => ((r.status!.abort = true), (r.status!.phase = 'Degraded'), (r.status!.pauseConditions = []), (r.status!.controllerPause = false))), 'aborted (RolloutAborted)'],
    ['degraded', rollout('argo-canary-paused', (r) => ((r.status!.phase = 'Degraded'), (r.status!.message = 'ProgressDeadlineExceeded'), (r.status!.pauseConditions = []), (r.status!.controllerPause = false))), 'degraded'],
    ['invalid', buildWorkloads(snapshotFixture('cluster/argo-invalid-strategy.yaml')).find((w) => w.stop?.reason === 'InvalidSpec')!, 'degraded (InvalidSpec)'],
    ['a blue/green pause for promotion', rollout('argo-bluegreen-preview'), 'paused for a person (BlueGreenPause)'],
  ];
  for (const [what, w, text] of cases) assert.equal(stateText(releaseState(w)), text, what);
  // A timed pause ends by itself: progressing.
  const timed = rollout('argo-canary-paused', (r) => {
    const steps = r.spec!.strategy!.canary!.steps!;
    steps[r.status!.currentStepIndex ?? 0] = { pause: { duration: '5m' } };
  });
  assert.equal(releaseState(timed).state, 'progressing');
  assert.deepEqual(Object.values(STATE_WORDS), ['progressing', 'paused for a person', 'degraded', 'healthy', 'aborted']);
});

test('Waiting and WaitingPromotion are awaiting approval in Needs attention, naming the gate that holds them; Failed is trouble', () => {
  const waiting = canaryOf(buildWorkloads(namespace(blueGreenCanary('Waiting'), 0)));
  assert.deepEqual(attentionOf(waiting), {
    workloadId: 'Canary/test/podinfo', namespace: NS, name: 'podinfo', kind: 'Canary', reason: 'approval', severity: 'waiting',
    summary: 'paused for a person (Waiting): awaiting approval from gate gate (confirm-rollout)', actions: ['approveCanary'], since: T0,
  });
  const promotion = canaryOf(buildWorkloads(namespace(blueGreenCanary('WaitingPromotion', { iterations: 4 }), 2)));
  assert.equal(attentionOf(promotion)?.summary, 'paused for a person (WaitingPromotion): awaiting approval from gate promotion-gate (confirm-promotion) · iteration 4/5');
  assert.equal(attentionLevel(promotion), 'decision');
  const weighted = canaryOf(buildWorkloads(namespace(weightedCanary('WaitingPromotion'), 1)));
  assert.equal(attentionOf(weighted)?.summary, 'paused for a person (WaitingPromotion): awaiting approval · all 5 steps done');
  const failed = canaryOf(buildWorkloads(namespace(blueGreenCanary('Failed', { failedChecks: 10 }), 0)));
  assert.deepEqual([attentionOf(failed)?.reason, attentionOf(failed)?.severity, attentionOf(failed)?.summary], ['aborted', 'trouble', 'aborted (Failed): Canary analysis failed, Deployment scaled to zero']);
  assert.deepEqual(attentionOf(failed)?.actions, ['retryCanary']);
  assert.equal(attentionLevel(failed), 'error');
  for (const phase of ['Initialized', 'Progressing', 'Promoting', 'Finalising', 'Succeeded'] as const) assert.equal(attentionOf(canaryOf(buildWorkloads(namespace(blueGreenCanary(phase), 2)))), undefined, phase);
  assert.deepEqual(needsAttention([promotion, failed]).map((a) => a.severity), ['trouble', 'waiting']);
});

test('the verdict line speaks the vocabulary and Flagger\'s numbers', () => {
  const now = Date.parse(T0) + 5_000;
  const line = (c: FlaggerCanary, canaryPods = 1, at = now) => releaseVerdict(canaryOf(buildWorkloads(namespace(c, canaryPods))), at).text;
  assert.equal(line(weightedCanary('Progressing', { canaryWeight: 20, failedChecks: 1 })), 'Progressing: weight 20/50 · step 2/5, checks failed 1/15, about 40 s left (3 of 5 intervals of 15s, from the last step at 10:00:00 UTC)');
  // confirm-traffic-increase halts a step with an event only: a step overdue by more than two intervals says who may hold it.
  assert.equal(line(weightedCanary('Progressing', { canaryWeight: 20 }), 1, Date.parse(T0) + 60_000), 'Progressing: weight 20/50 · step 2/5, no step for 1 min: gate traffic-gate (confirm-traffic-increase) may hold the next one');
  assert.equal(line(blueGreenCanary('Waiting'), 0), 'Paused for a person (Waiting): awaiting approval from gate gate (confirm-rollout) before the analysis starts');
  assert.equal(line(blueGreenCanary('Failed'), 0), 'Aborted (Failed): Canary analysis failed, Deployment scaled to zero. — fix the canary and apply a new revision (Flagger analyses it again)');
  assert.equal(line(blueGreenCanary('Succeeded'), 0), 'Healthy (Succeeded): Canary analysis completed successfully, promotion finished., 2/2 primary pods available');
});

test('the Canary\'s events are those of the Canary object, its Deployments and their pods', () => {
  const s = namespace(weightedCanary('Progressing', { canaryWeight: 10 }), 1);
  const objects = workloadObjects(canaryOf(buildWorkloads(s)), s);
  for (const key of ['Canary/podinfo', 'Deployment/podinfo', 'Deployment/podinfo-primary', 'Service/podinfo-canary', 'ReplicaSet/podinfo-primary-1abc']) assert.ok([...objects.exact.keys()].some((k) => k.includes(key.split('/')[1]) && k.startsWith(key.split('/')[0])), key);
});

test('the details panel shows the Flagger section: vocabulary word, weight against maxWeight, checks, Promoted message, gate, time left, Deployments, metrics, webhooks', async () => {
  const { renderRollout } = await import('../../webview/render/rolloutView');
  const now = Date.parse(T0) + 5_000;
  const panel = (c: FlaggerCanary, pods: number) => {
    const w = canaryOf(buildWorkloads(namespace(c, pods)));
    const sections = renderRollout({ target: { namespace: NS, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now });
    return sections.find((x) => x.key === 'flagger')?.html ?? '';
  };
  const progressing = panel(weightedCanary('Progressing', { canaryWeight: 20, failedChecks: 1 }), 1);
  assert.match(progressing, /badge-state-progressing[^>]*>progressing</);
  assert.match(progressing, /aria-label="canary weight 20 of maxWeight 50"/);
  assert.match(progressing, />20\/50</);
  assert.match(progressing, /<dt>failed checks<\/dt><dd class="warn">1\/15</);
  assert.match(progressing, /Promoted \(Unknown\): New revision detected, progressing canary analysis\./);
  assert.match(progressing, /Time left: about 40 s left \(3 of 5 intervals of 15s/);
  assert.match(progressing, /primary <code>podinfo-primary<\/code>: revision 1 · 2\/2 ready/);
  assert.match(progressing, /canary <code>podinfo<\/code>: revision 2 · 1\/1 ready/);
  assert.match(progressing, /latency ≤ 0.5 every 30s \(template test\/latency: prometheus\)/);
  assert.match(progressing, /error-rate ≤ 1 every 1m \(template flagger-system\/error-rate: not watched\)/);
  assert.match(progressing, /histogram_quantile\(0.99/);
  assert.match(progressing, /<code>traffic-gate<\/code> · confirm-traffic-increase \(gate\)/);
  // Its traffic gate may or may not hold the step now (Flagger writes no status for it): not said to hold.
  assert.match(progressing, /Each step waits for gate traffic-gate \(confirm-traffic-increase\) to answer 200; Flagger tells a held step only in its events/);
  assert.doesNotMatch(progressing, /Held by/);
  const waiting = panel(blueGreenCanary('WaitingPromotion', { iterations: 4 }), 2);
  assert.match(waiting, /paused for a person \(WaitingPromotion\)/);
  assert.match(waiting, /Held by gate promotion-gate \(confirm-promotion\)/);
  assert.match(waiting, /<dt>iteration<\/dt><dd>4\/5</);
  assert.doesNotMatch(waiting, /Time left/);
  const suspended = weightedCanary('Progressing');
  suspended.spec!.suspend = true;
  assert.match(panel(suspended, 1), /paused for a person \(suspended\)[\s\S]*>suspended</);
});

test('notifications: a Canary that waits for its gate, fails, or finishes says so once; a suspend by someone else is news', async () => {
  const { transition } = await import('../../src/domain/release/notices');
  const view = (c: FlaggerCanary, pods: number, edit: (s: NamespaceSnapshot) => void = () => {}) => {
    const s = namespace(c, pods);
    edit(s);
    return canaryOf(buildWorkloads(s));
  };
  const now = Date.parse(T0) + 60_000;
  const progressing = view(blueGreenCanary('Progressing', { iterations: 4 }), 2);
  const waiting = transition(progressing, view(blueGreenCanary('WaitingPromotion', { iterations: 4 }), 2), now);
  assert.equal(waiting?.kind, 'attention');
  assert.equal(waiting?.message, 'podinfo waits for you: paused for a person (WaitingPromotion): awaiting approval from gate promotion-gate (confirm-promotion) · iteration 4/5.');
  assert.equal(transition(progressing, view(blueGreenCanary('Failed'), 0), now)?.message, 'podinfo is in trouble: aborted (Failed): Canary analysis failed, Deployment scaled to zero.');
  // Promotion: the primary gets the canary's template (a new revision of podinfo-primary) and the target goes to 0.
  const succeeded = view(blueGreenCanary('Succeeded'), 0, (s) => {
    const rs = s.replicaSets.find((r) => r.metadata.name.startsWith('podinfo-primary'))!;
    rs.metadata.annotations!['deployment.kubernetes.io/revision'] = '2';
    rs.spec!.template!.spec!.containers![0].image = 'ghcr.io/stefanprodan/podinfo:6.0.1';
  });
  assert.equal(transition(view(blueGreenCanary('Finalising'), 2), succeeded, now)?.message, 'podinfo finished its release: ghcr.io/stefanprodan/podinfo:6.0.1, Healthy.');
  const bySomeone = (suspend: boolean) => {
    const c = blueGreenCanary('Progressing', { iterations: 2 });
    c.spec!.suspend = suspend;
    c.metadata.lastChange = { manager: 'kubectl-patch', operation: 'Update', time: suspend ? T0 : '2026-12-02T09:00:00Z' };
    return view(c, 2);
  };
  assert.equal(transition(bySomeone(false), bySomeone(true), now)?.message, 'podinfo was suspended by kubectl-patch 60 s ago.');
});

test('a confirm-traffic-increase gate holding a step is told by Flagger\'s events only: held while its Halt event is newer than the last step and recent', async () => {
  const { renderRollout } = await import('../../webview/render/rolloutView');
  const w = canaryOf(buildWorkloads(namespace(weightedCanary('Progressing', { canaryWeight: 20 }), 1)));
  const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
  // What Flagger's event recorder makes of the halt it records every interval: one Event, its count and last time moving on.
  const halt = (last: string, message = `Halt podinfo.${NS} advancement waiting for traffic increase approval traffic-gate`): EventView => ({ object: { kind: 'Canary', name: 'podinfo' }, type: 'Warning', warning: true, reason: 'Synced', message, count: 4, first: at(15_000), last, source: 'flagger' });
  const now = Date.parse(T0) + 61_000;
  assert.deepEqual(trafficGateHold(w, [halt(at(60_000))], now), { hook: 'traffic-gate', last: at(60_000) });
  assert.equal(trafficGateHold(w, [halt(at(10_000))], now), undefined, 'older than two intervals (15s): Flagger is not halting it now');
  assert.equal(trafficGateHold(w, [halt(new Date(Date.parse(T0) - 1000).toISOString())], Date.parse(T0) + 1000), undefined, 'before the last step: that step passed');
  assert.equal(trafficGateHold(w, [halt(at(60_000), `Halt other.${NS} advancement waiting for traffic increase approval traffic-gate`)], now), undefined, 'another Canary');
  assert.equal(trafficGateHold({ ...w, flagger: { ...w.flagger!, phase: 'WaitingPromotion' } }, [halt(at(60_000))], now), undefined, 'only a Progressing step');
  const html = (events: EventView[]) => renderRollout({ target: { namespace: NS, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now, events: { synced: true, rows: events, total: events.length } }).find((x) => x.key === 'flagger')!.html;
  assert.match(html([halt(at(60_000))]), /Held by gate traffic-gate \(confirm-traffic-increase\): Flagger's event at 10:01:00 UTC says the next step waits for approval\./);
  assert.match(html([]), /Each step waits for gate traffic-gate/);
});
