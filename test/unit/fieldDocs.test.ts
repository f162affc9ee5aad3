import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_DOCS, findFieldDoc } from '../../src/domain/docs/fieldDocs';

const OFFICIAL_HOSTS = new Set([
  'kubernetes.io',
  'argo-rollouts.readthedocs.io',
  'istio.io',
  'gateway-api.sigs.k8s.io',
  'kubernetes.github.io',
  'docs.flagger.app',
]);

const CONTAINER = ['spec', 'template', 'spec', 'containers', '[]'];
const CANARY = ['spec', 'strategy', 'canary'];
const STEP = [...CANARY, 'steps', '[]'];
const BG = ['spec', 'strategy', 'blueGreen'];
const METRIC = ['spec', 'metrics', '[]'];
const NGINX = (name: string) => ['metadata', 'annotations', `nginx.ingress.kubernetes.io/${name}`];

const FLAGGER_ANALYSIS = ['spec', 'analysis'];

/** Everything the hover must cover, as [group, kind, path]. */
const REQUIRED: [string, string, string[]][] = [
  ...[
    ['spec', 'provider'],
    ['spec', 'targetRef'],
    ['spec', 'service'],
    ['spec', 'service', 'port'],
    ['spec', 'skipAnalysis'],
    ['spec', 'suspend'],
    ['spec', 'progressDeadlineSeconds'],
    ...['interval', 'threshold', 'maxWeight', 'stepWeight', 'stepWeights', 'iterations', 'metrics', 'webhooks'].map((k) => [...FLAGGER_ANALYSIS, k]),
    [...FLAGGER_ANALYSIS, 'metrics', '[]', 'thresholdRange'],
    [...FLAGGER_ANALYSIS, 'metrics', '[]', 'templateRef'],
    [...FLAGGER_ANALYSIS, 'webhooks', '[]', 'type'],
  ].map((p): [string, string, string[]] => ['flagger.app', 'Canary', p]),
  ...[['spec', 'provider'], ['spec', 'query']].map((p): [string, string, string[]] => ['flagger.app', 'MetricTemplate', p]),
  ...[
    ['spec', 'strategy'],
    ['spec', 'strategy', 'type'],
    ['spec', 'strategy', 'rollingUpdate'],
    ['spec', 'strategy', 'rollingUpdate', 'maxSurge'],
    ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
    ['spec', 'minReadySeconds'],
    ['spec', 'progressDeadlineSeconds'],
    ['spec', 'revisionHistoryLimit'],
    ['spec', 'replicas'],
    ['spec', 'paused'],
    ['spec', 'selector'],
  ].map((p): [string, string, string[]] => ['apps', 'Deployment', p]),
  ...(['Deployment', 'Rollout'] as const).flatMap((kind) =>
    [
      [...CONTAINER, 'readinessProbe'],
      [...CONTAINER, 'livenessProbe'],
      [...CONTAINER, 'startupProbe'],
      [...CONTAINER, 'lifecycle'],
      [...CONTAINER, 'lifecycle', 'preStop'],
      [...CONTAINER, 'image'],
      ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'],
    ].map((p): [string, string, string[]] => [kind === 'Deployment' ? 'apps' : 'argoproj.io', kind, p]),
  ),
  ['', 'Service', ['spec', 'selector']],
  ...[
    CANARY,
    [...CANARY, 'steps'],
    [...STEP, 'setWeight'],
    [...STEP, 'pause'],
    [...STEP, 'pause', 'duration'],
    [...STEP, 'analysis'],
    [...STEP, 'setCanaryScale'],
    [...CANARY, 'canaryService'],
    [...CANARY, 'stableService'],
    [...CANARY, 'trafficRouting'],
    [...CANARY, 'analysis'],
    [...CANARY, 'maxSurge'],
    [...CANARY, 'maxUnavailable'],
    [...CANARY, 'dynamicStableScale'],
    [...CANARY, 'abortScaleDownDelaySeconds'],
    BG,
    [...BG, 'activeService'],
    [...BG, 'previewService'],
    [...BG, 'autoPromotionEnabled'],
    [...BG, 'autoPromotionSeconds'],
    [...BG, 'prePromotionAnalysis'],
    [...BG, 'postPromotionAnalysis'],
    [...BG, 'scaleDownDelaySeconds'],
    [...BG, 'previewReplicaCount'],
    [...BG, 'abortScaleDownDelaySeconds'],
    ['spec', 'workloadRef'],
    ['spec', 'progressDeadlineAbort'],
    ['spec', 'paused'],
    ['spec', 'restartAt'],
  ].map((p): [string, string, string[]] => ['argoproj.io', 'Rollout', p]),
  ...(['AnalysisTemplate', 'ClusterAnalysisTemplate'] as const).flatMap((kind) =>
    [
      ['spec', 'args'],
      ['spec', 'metrics'],
      ...['interval', 'count', 'successCondition', 'failureCondition', 'failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'initialDelay', 'provider'].map((f) => [...METRIC, f]),
      [...METRIC, 'provider', 'prometheus', 'query'],
    ].map((p): [string, string, string[]] => ['argoproj.io', kind, p]),
  ),
  ['networking.istio.io', 'VirtualService', ['spec', 'http', '[]', 'route']],
  ['networking.istio.io', 'VirtualService', ['spec', 'http', '[]', 'route', '[]', 'weight']],
  ['networking.istio.io', 'VirtualService', ['spec', 'http', '[]', 'route', '[]', 'destination', 'subset']],
  ['networking.istio.io', 'DestinationRule', ['spec', 'subsets']],
  ['gateway.networking.k8s.io', 'HTTPRoute', ['spec', 'rules', '[]', 'backendRefs']],
  ['gateway.networking.k8s.io', 'HTTPRoute', ['spec', 'rules', '[]', 'backendRefs', '[]', 'weight']],
  ...['canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value', 'canary-by-cookie'].map(
    (a): [string, string, string[]] => ['networking.k8s.io', 'Ingress', NGINX(a)],
  ),
];

/** A concrete path for a table path: every '[]' becomes an index. */
const concrete = (path: string[]): (string | number)[] => path.map((s, i) => (s === '[]' ? i % 3 : s));

test('every entry links to an official https reference', () => {
  for (const doc of FIELD_DOCS) {
    const url = new URL(doc.link);
    assert.equal(url.protocol, 'https:', doc.link);
    assert.ok(OFFICIAL_HOSTS.has(url.hostname), `${doc.title}: unexpected host ${url.hostname}`);
    if (url.hostname === 'kubernetes.github.io') assert.ok(url.pathname.startsWith('/ingress-nginx/'), doc.link);
  }
});

test('every entry has a title, a short summary and release advice, and well-formed scope', () => {
  for (const doc of FIELD_DOCS) {
    const name = `${doc.kinds.join('/')} ${doc.path.join('.')}`;
    assert.ok(doc.title.trim().length > 0, name);
    assert.ok(doc.summary.trim().length > 20, `${name}: summary`);
    assert.ok(doc.release.trim().length > 20, `${name}: release`);
    assert.ok(doc.summary.length <= 400 && doc.release.length <= 400, `${name}: keep texts tight`);
    if (doc.default !== undefined) assert.ok(doc.default.trim().length > 0, `${name}: empty default`);
    assert.ok(doc.kinds.length > 0 && doc.groups.length > 0 && doc.path.length > 0, name);
    assert.ok(doc.path.every((s) => s.length > 0), `${name}: empty segment`);
    assert.ok(doc.groups.every((g) => !g.includes('/')), `${name}: group must not carry a version`);
  }
});

test('(group, kind, path) keys are unique', () => {
  const seen = new Map<string, string>();
  for (const doc of FIELD_DOCS) {
    for (const group of doc.groups) {
      for (const kind of doc.kinds) {
        const key = JSON.stringify([group, kind, doc.path]);
        assert.ok(!seen.has(key), `duplicate ${key} (${seen.get(key)} and ${doc.title})`);
        seen.set(key, doc.title);
      }
    }
  }
});

test('covers every required field, reachable through findFieldDoc with concrete indices', () => {
  for (const [group, kind, path] of REQUIRED) {
    const doc = findFieldDoc(group, kind, concrete(path));
    assert.ok(doc, `missing ${group}/${kind} ${path.join('.')}`);
    assert.deepEqual(doc.path, path);
  }
});

test('resolves container fields with indices for Deployment and Rollout', () => {
  const path = ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe'];
  const deployment = findFieldDoc('apps', 'Deployment', path);
  const rollout = findFieldDoc('argoproj.io', 'Rollout', path);
  assert.equal(deployment?.title, 'readinessProbe');
  assert.equal(rollout, deployment);
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 'template', 'spec', 'containers', 3, 'lifecycle', 'preStop'])?.title, 'preStop');
  assert.equal(findFieldDoc('argoproj.io', 'Rollout', ['spec', 'strategy', 'canary', 'steps', 2, 'pause', 'duration'])?.title, 'pause.duration');
  assert.equal(
    findFieldDoc('networking.istio.io', 'VirtualService', ['spec', 'http', 0, 'route', 1, 'weight'])?.link.startsWith('https://istio.io/'),
    true,
  );
  assert.equal(findFieldDoc('gateway.networking.k8s.io', 'HTTPRoute', ['spec', 'rules', 0, 'backendRefs', 1, 'weight'])?.default, '1');
});

test('returns undefined for the wrong kind, group or path', () => {
  const probe = ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe'];
  assert.equal(findFieldDoc('apps', 'StatefulSet', probe), undefined);
  assert.equal(findFieldDoc('argoproj.io', 'Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge']), undefined);
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 'strategy', 'canary']), undefined);
  assert.equal(findFieldDoc('', 'Deployment', ['spec', 'replicas']), undefined);
  assert.equal(findFieldDoc('extensions', 'Ingress', NGINX('canary-weight')), undefined);
  assert.equal(findFieldDoc('networking.k8s.io', 'Service', NGINX('canary-weight')), undefined);
  assert.equal(findFieldDoc('apps', 'Service', ['spec', 'selector']), undefined);
  // Exact length only: no prefix or suffix matches.
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 'template', 'spec', 'containers', 0]), undefined);
  assert.equal(findFieldDoc('apps', 'Deployment', [...probe, 'httpGet']), undefined);
  assert.equal(findFieldDoc('apps', 'Deployment', []), undefined);
  // '[]' matches sequence indices only, and a number never matches a named segment.
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 'template', 'spec', 'containers', 'app', 'readinessProbe']), undefined);
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 'template', 'spec', 'containers', '0', 'readinessProbe']), undefined);
  assert.equal(findFieldDoc('apps', 'Deployment', ['spec', 0]), undefined);
  assert.equal(findFieldDoc('argoproj.io', 'Rollout', ['spec', 'strategy', 'canary', 'steps', 'setWeight']), undefined);
});

test('documents the defaults engineers rely on', () => {
  const def = (group: string, kind: string, path: (string | number)[]) => findFieldDoc(group, kind, path)?.default ?? '';
  assert.match(def('apps', 'Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge']), /25%.*up/);
  assert.match(def('apps', 'Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']), /25%.*down/);
  assert.match(def('apps', 'Deployment', ['spec', 'strategy', 'type']), /^RollingUpdate/);
  assert.equal(def('apps', 'Deployment', ['spec', 'progressDeadlineSeconds']), '600');
  assert.equal(def('argoproj.io', 'Rollout', ['spec', 'progressDeadlineSeconds']), '600');
  assert.equal(def('apps', 'Deployment', ['spec', 'revisionHistoryLimit']), '10');
  assert.equal(def('apps', 'Deployment', ['spec', 'replicas']), '1');
  assert.equal(def('apps', 'Deployment', ['spec', 'template', 'spec', 'terminationGracePeriodSeconds']), '30');
  assert.match(def('argoproj.io', 'Rollout', [...CANARY, 'maxSurge']), /25%/);
  assert.match(def('argoproj.io', 'Rollout', [...CANARY, 'maxUnavailable']), /25%/);
  assert.equal(def('argoproj.io', 'Rollout', [...CANARY, 'dynamicStableScale']), 'false');
  assert.equal(def('argoproj.io', 'Rollout', [...CANARY, 'abortScaleDownDelaySeconds']), '30');
  assert.equal(def('argoproj.io', 'Rollout', [...BG, 'scaleDownDelaySeconds']), '30');
  assert.equal(def('argoproj.io', 'Rollout', [...BG, 'abortScaleDownDelaySeconds']), '30');
  assert.equal(def('argoproj.io', 'Rollout', [...BG, 'autoPromotionEnabled']), 'true');
  assert.equal(def('argoproj.io', 'Rollout', ['spec', 'progressDeadlineAbort']), 'false');
  assert.equal(def('argoproj.io', 'AnalysisTemplate', ['spec', 'metrics', 0, 'failureLimit']), '0');
  assert.equal(def('argoproj.io', 'ClusterAnalysisTemplate', ['spec', 'metrics', 0, 'inconclusiveLimit']), '0');
  assert.equal(def('argoproj.io', 'AnalysisTemplate', ['spec', 'metrics', 1, 'consecutiveErrorLimit']), '4');
  assert.equal(def('networking.k8s.io', 'Ingress', NGINX('canary-weight-total')), '100');
  assert.equal(def('gateway.networking.k8s.io', 'HTTPRoute', ['spec', 'rules', 0, 'backendRefs', 0, 'weight']), '1');
});
