// One strategy form for New Strategy… and the Strategy Designer: New Strategy asks a subset of the
// designer's fields, in its order, and checks each answer with the designer's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultForm, fieldsOf, parseDesign } from '../../src/domain/manifests/form';
import { STRATEGIES, type StrategyId } from '../../src/domain/manifests/options';
import type { DesignerForm } from '../../src/domain/panels/state';

const APP = ['app.app', 'app.image', 'app.port', 'app.replicas', 'app.namespace'];
const asked = (form: DesignerForm) => fieldsOf(form).filter((f) => f.asked).map((f) => f.id);
const answer = (strategy: StrategyId, id: string, text: string) => {
  const form = defaultForm(strategy);
  return parseDesign({ ...form, values: { ...form.values, [id]: text } }).errors[id];
};

test('New Strategy asks the application, then the strategy\'s own choices', () => {
  assert.deepEqual(asked(defaultForm('rolling')), [...APP, 'rolling.maxSurge', 'rolling.maxUnavailable']);
  assert.deepEqual(asked(defaultForm('bluegreen')), [...APP, 'blueGreen.liveColor']);
  assert.deepEqual(asked(defaultForm('canary-replicas')), [...APP, 'replicaCanary.canaryPercent']);
  assert.deepEqual(asked(defaultForm('canary-istio')), [...APP, 'weightedCanary.canaryWeight', 'weightedCanary.host']);
  assert.deepEqual(asked(defaultForm('argo-bluegreen')), [...APP, 'argoBlueGreen.autoPromotionEnabled', 'argoBlueGreen.prePromotionAnalysis', 'argoBlueGreen.scaleDownDelaySeconds', 'analysis.prometheusAddress']);
  const canary = defaultForm('argo-canary');
  assert.deepEqual(asked(canary), [...APP, 'argoCanary.weights', 'argoCanary.pauseSeconds', 'argoCanary.trafficRouting', 'argoCanary.analysis', 'analysis.prometheusAddress']);
  // A router needs a host: the question appears once the answer asks for it.
  assert.ok(asked({ ...canary, values: { ...canary.values, 'argoCanary.trafficRouting': 'istio' } }).includes('argoCanary.host'));
});

test('every strategy\'s defaults parse: accepting every prompt scaffolds', () => {
  for (const strategy of STRATEGIES) assert.deepEqual(parseDesign(defaultForm(strategy)).errors, {}, strategy);
});

test('answers are checked the designer\'s way (New Strategy had looser checks of its own)', () => {
  assert.match(answer('canary-istio', 'weightedCanary.host', 'Web.Example.com') ?? '', /DNS host name/, 'upper case is no DNS name');
  assert.match(answer('canary-istio', 'weightedCanary.host', 'web-.example.com-') ?? '', /DNS host name/);
  assert.match(answer('canary-istio', 'weightedCanary.canaryWeight', '12.5') ?? '', /whole number/i, 'weights are whole percentages');
  assert.match(answer('argo-canary', 'argoCanary.pauseSeconds', '0, 1.5') ?? '', /Whole seconds/);
  assert.match(answer('analysis-template', 'analysis.prometheusAddress', 'http://') ?? '', /http\(s\) URL/);
  assert.equal(answer('analysis-template', 'analysis.prometheusAddress', 'http://prometheus.monitoring:9090'), undefined);
});

test('Flagger: New Strategy asks the analysis, the router\'s host and gateway, and the hooks\' URL only when a hook is on', () => {
  const common = ['flagger.interval', 'flagger.threshold'];
  const checks = ['flagger.metrics', 'flagger.loadTest', 'flagger.confirmPromotion', 'flagger.loadTesterUrl', 'analysis.prometheusAddress'];
  assert.deepEqual(asked(defaultForm('flagger-bluegreen')), [...APP, ...common, 'flagger.iterations', ...checks]);
  assert.deepEqual(asked(defaultForm('flagger-nginx')), [...APP, ...common, 'flagger.stepWeight', 'flagger.maxWeight', 'flagger.host', ...checks]);
  assert.deepEqual(asked(defaultForm('flagger-gateway')), [...APP, ...common, 'flagger.stepWeight', 'flagger.maxWeight', 'flagger.host', 'flagger.gateway', ...checks]);
  const quiet = defaultForm('flagger-nginx');
  const noHooks = { ...quiet, values: { ...quiet.values, 'flagger.loadTest': false, 'flagger.confirmPromotion': false, 'flagger.metrics': false } };
  assert.deepEqual(asked(noHooks), [...APP, ...common, 'flagger.stepWeight', 'flagger.maxWeight', 'flagger.host', 'flagger.metrics', 'flagger.loadTest', 'flagger.confirmPromotion']);
  assert.deepEqual(asked(defaultForm('flagger-metric-template')), [...APP, 'analysis.prometheusAddress']);
});

test('Flagger answers are checked as Flagger reads them', () => {
  assert.match(answer('flagger-nginx', 'flagger.interval', '1h') ?? '', /seconds or minutes/, 'the CRD takes s or m only');
  assert.equal(answer('flagger-nginx', 'flagger.interval', '30s'), undefined);
  assert.match(answer('flagger-nginx', 'flagger.stepWeight', '60') ?? '', /first step would promote/);
  assert.match(answer('flagger-nginx', 'flagger.maxWeight', '120') ?? '', /from 1 to 100/);
  assert.match(answer('flagger-bluegreen', 'flagger.iterations', '0') ?? '', /at least 1/);
  assert.match(answer('flagger-gateway', 'flagger.gateway', 'Edge GW') ?? '', /Gateway/);
  assert.match(answer('flagger-nginx', 'flagger.loadTesterUrl', 'http://flagger-loadtester.test') ?? '', /ending in "\/"/);
  const { request } = parseDesign(defaultForm('flagger-gateway'));
  assert.deepEqual(request?.flagger, { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50, host: 'web.example.com', gateway: 'public-gateway', metrics: true, loadTest: true, confirmPromotion: false, loadTesterUrl: 'http://flagger-loadtester.test/' });
});
