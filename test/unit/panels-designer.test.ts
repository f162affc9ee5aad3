// The strategy designer's logic in plain Node: the form of every strategy, what it parses to, the
// YAML (the New Strategy… generator), the timeline chart, the canary plan, the cost, the markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { generate } from '../../src/domain/manifests/generate';
import { STRATEGIES } from '../../src/domain/manifests/options';
import { defaultForm, designPreview, fieldGroups, fieldsOf, parseDesign, withStrategy } from '../../src/domain/manifests/form';
import { formShape, highlightYaml, renderDesignerForm, renderDesignerPreview } from '../../webview/render/designerView';
import type { DesignerForm, DesignerPanelState } from '../../src/domain/panels/state';

function set(form: DesignerForm, values: Record<string, string | boolean>): DesignerForm {
  return { ...form, values: { ...form.values, ...values } };
}

function stateOf(form: DesignerForm): DesignerPanelState {
  const { request, errors } = parseDesign(form);
  const manifests = request && generate(request);
  return { form, formRevision: 1, errors, yaml: manifests?.yaml ?? '', notes: manifests?.notes ?? [], preview: request && designPreview(request), insertTarget: 'Insert opens a new YAML document.' };
}

test('every strategy of New Strategy… has a form whose defaults make valid manifests', () => {
  for (const strategy of STRATEGIES) {
    const form = defaultForm(strategy);
    const { request, errors } = parseDesign(form);
    assert.deepEqual(errors, {}, strategy);
    const out = generate(request!);
    assert.equal(out.strategy, strategy);
    for (const doc of parseAllDocuments(out.yaml)) assert.deepEqual(doc.errors, [], strategy);
    // Every field the form shows has a default value.
    for (const f of fieldsOf(form)) assert.notEqual(form.values[f.id], undefined, `${strategy}: ${f.id}`);
  }
});

test('the form as typed becomes the request New Strategy… would build', () => {
  const form = set(defaultForm('rolling'), { 'app.app': 'shop', 'app.image': 'ghcr.io/acme/shop:2.1.0', 'app.replicas': '10', 'rolling.maxSurge': '2', 'rolling.maxUnavailable': '10%', 'app.namespace': 'prod' });
  const { request } = parseDesign(form);
  assert.deepEqual(request?.app, { app: 'shop', image: 'ghcr.io/acme/shop:2.1.0', port: 8080, replicas: 10, namespace: 'prod' });
  assert.equal(request?.rolling?.maxSurge, 2);
  assert.equal(request?.rolling?.maxUnavailable, '10%');
  const yaml = generate(request!).yaml;
  assert.match(yaml, /maxSurge: 2\n/);
  assert.match(yaml, /maxUnavailable: 10%\n/);
  assert.match(yaml, /namespace: prod\n/);

  const canary = parseDesign(set(defaultForm('argo-canary'), { 'argoCanary.weights': '5, 20,50', 'argoCanary.pauseSeconds': '0,30', 'argoCanary.trafficRouting': 'istio', 'argoCanary.host': 'shop.example.com', 'argoCanary.analysis': false }));
  assert.deepEqual(canary.request?.argoCanary, { weights: [5, 20, 50], pauseSeconds: [0, 30], trafficRouting: 'istio', analysis: false, host: 'shop.example.com' });
  assert.equal(canary.request?.analysis, undefined);
});

test('each wrong field gets its own message; no request until all are fixed', () => {
  const bad = parseDesign(set(defaultForm('rolling'), { 'app.app': 'Shop!', 'app.image': 'nginx', 'app.port': '0', 'rolling.maxSurge': '0', 'rolling.maxUnavailable': '0%' }));
  assert.equal(bad.request, undefined);
  assert.deepEqual(Object.keys(bad.errors).sort(), ['app.app', 'app.image', 'app.port', 'rolling.maxUnavailable']);
  assert.match(bad.errors['app.image'], /explicit tag/);
  assert.match(bad.errors['rolling.maxUnavailable'], /both be 0/);
  assert.match(parseDesign(set(defaultForm('argo-canary'), { 'argoCanary.weights': '50, 20' })).errors['argoCanary.weights'], /must not go down/);
  assert.match(parseDesign(set(defaultForm('canary-replicas'), { 'app.replicas': '1' })).errors['app.replicas'], /at least 2/);
  assert.match(parseDesign(set(defaultForm('analysis-template'), { 'analysis.interval': 'soon' })).errors['analysis.interval'], /duration/);
});

test('fields follow the choices: analysis only when asked for, the host only with a router', () => {
  const ids = (form: DesignerForm) => fieldsOf(form).map((f) => f.id);
  const canary = defaultForm('argo-canary');
  assert.ok(ids(canary).includes('analysis.successRate'));
  assert.ok(!ids(canary).includes('argoCanary.host'));
  assert.ok(!ids(set(canary, { 'argoCanary.analysis': false })).includes('analysis.successRate'));
  assert.ok(ids(set(canary, { 'argoCanary.trafficRouting': 'nginx' })).includes('argoCanary.host'));
  assert.notEqual(formShape(canary), formShape(set(canary, { 'argoCanary.analysis': false })));
  assert.equal(formShape(canary), formShape(set(canary, { 'app.app': 'other' })), 'typing does not change the shape');
  assert.deepEqual(fieldGroups(defaultForm('analysis-template')).map((g) => g.title), ['Application', 'Analysis']);
});

test('switching strategy keeps what was typed', () => {
  const typed = set(defaultForm('rolling'), { 'app.app': 'shop', 'rolling.maxSurge': '3' });
  const bg = withStrategy(typed, 'bluegreen');
  assert.equal(bg.strategy, 'bluegreen');
  assert.equal(bg.values['app.app'], 'shop');
  assert.equal(withStrategy(bg, 'rolling').values['rolling.maxSurge'], '3');
  assert.equal(withStrategy(typed, 'canary-replicas').values['app.replicas'], '10', 'a replica canary starts with pods to split');
});

test('rolling: the cost is the simulation\'s peak and lowest capacity', () => {
  const p = designPreview(parseDesign(set(defaultForm('rolling'), { 'app.replicas': '10', 'rolling.maxSurge': '25%', 'rolling.maxUnavailable': '25%' })).request!);
  assert.equal(p.timeline?.surge, 3);
  assert.equal(p.timeline?.unavailable, 2);
  assert.deepEqual([p.cost.steady, p.cost.peak, p.cost.extraPercent, p.cost.lowestCapacityPercent, p.cost.environments], [10, 13, 30, 80, 1]);
});

test('blue/green costs two full environments', () => {
  const p = designPreview(parseDesign(set(defaultForm('bluegreen'), { 'app.replicas': '6' })).request!);
  assert.deepEqual([p.cost.steady, p.cost.peak, p.cost.extraPercent, p.cost.environments], [6, 12, 100, 2]);
  const argo = designPreview(parseDesign(set(defaultForm('argo-bluegreen'), { 'app.replicas': '6', 'argoBlueGreen.scaleDownDelaySeconds': '90' })).request!);
  assert.equal(argo.cost.peak, 12);
  assert.match(argo.cost.text, /90s after promotion/);
});

test('canary plan: share and pods per step, by pods without a router, by weight with one', () => {
  const byPods = designPreview(parseDesign(set(defaultForm('argo-canary'), { 'app.replicas': '4', 'argoCanary.weights': '10, 50', 'argoCanary.pauseSeconds': '0, 60' })).request!);
  assert.deepEqual(byPods.canaryPlan, {
    routed: false,
    steps: [
      { label: 'setWeight 10', requested: 10, share: 20, canaryPods: 1, stablePods: 4, then: 'wait for promote' },
      { label: 'setWeight 50', requested: 50, share: 50, canaryPods: 2, stablePods: 2, then: 'pause 60s' },
      { label: 'promoted', requested: 100, share: 100, canaryPods: 4, stablePods: 0, then: 'old ReplicaSet scaled down' },
    ],
  });
  const routed = designPreview(parseDesign(set(defaultForm('argo-canary'), { 'app.replicas': '4', 'argoCanary.weights': '10, 50', 'argoCanary.trafficRouting': 'istio', 'argoCanary.host': 'web.example.com' })).request!);
  assert.deepEqual(routed.canaryPlan?.steps.slice(0, 2).map((s) => [s.share, s.canaryPods, s.stablePods]), [[10, 1, 4], [50, 2, 4]]);
  assert.equal(routed.cost.peak, 6);
  const replica = designPreview(parseDesign(set(defaultForm('canary-replicas'), { 'app.replicas': '10', 'replicaCanary.canaryPercent': '15' })).request!);
  assert.deepEqual(replica.canaryPlan?.steps.map((s) => [s.share, s.canaryPods, s.stablePods]), [[20, 2, 8]]);
  assert.match(replica.canaryPlan!.steps[0].then!, /15% exactly needs 20 pods/);
});

test('the designer markup: a control per field, the YAML highlighted and escaped, Insert disabled while a field is wrong', () => {
  const form = defaultForm('argo-canary');
  const markup = renderDesignerForm(form, { 'app.image': 'Image needs an explicit tag' });
  for (const f of fieldsOf(form)) assert.match(markup, new RegExp(`data-field="${f.id.replace('.', '\\.')}"`), f.id);
  assert.match(markup, /<vscode-textfield id="f-app\.image" data-field="app\.image" data-key="field:app\.image" value="ghcr\.io\/acme\/web:1\.0\.0" invalid>/);
  assert.match(markup, /<vscode-checkbox [^>]*data-field="argoCanary\.analysis"[^>]* checked>/);
  assert.match(markup, /<vscode-option value="argo-canary" [^>]* selected>/);

  const good = renderDesignerPreview(stateOf(form));
  assert.deepEqual(good.map((s) => s.key), ['actions', 'cost', 'plan', 'notes', 'yaml'].filter((k) => k !== 'notes' || stateOf(form).notes.length));
  assert.doesNotMatch(good[0].html, /disabled/);
  const rolling = renderDesignerPreview(stateOf(defaultForm('rolling')));
  assert.ok(rolling.some((s) => s.key === 'timeline' && /<svg class="chart"/.test(s.html)));

  const broken = renderDesignerPreview(stateOf(set(defaultForm('rolling'), { 'app.image': 'nginx' })));
  assert.deepEqual(broken.map((s) => s.key), ['actions']);
  assert.match(broken[0].html, /Insert into editor/);
  assert.equal((broken[0].html.match(/ disabled>/g) ?? []).length, 2);

  // While a field is being fixed the panel keeps the last valid design on screen, marked, and blocked.
  const valid = stateOf(defaultForm('rolling'));
  const stale = renderDesignerPreview({ ...valid, errors: { 'app.image': 'An image with an explicit tag.' }, stale: true });
  assert.ok(stale.some((sec) => sec.key === 'yaml' && /kind<\/span>: <span class="y-value">Deployment/.test(sec.html)), 'the last YAML stays');
  assert.match(stale[0].html, /Fix one field: below is the last valid design, not what the form says now\./);
  assert.equal((stale[0].html.match(/ disabled>/g) ?? []).length, 2, 'Insert and Save stay off');

  assert.equal(highlightYaml('# c <b>\nkind: Deployment\n---\n  - name: "a"').value, '<span class="y-comment"># c &lt;b&gt;</span>\n<span class="y-key">kind</span>: <span class="y-value">Deployment</span>\n<span class="y-separator">---</span>\n  - <span class="y-key">name</span>: <span class="y-value">&quot;a&quot;</span>');
});

test('Flagger plan: the weights Flagger sets (the last one overshooting maxWeight), full-size canary pods beside the primary', () => {
  const nginx = designPreview(parseDesign(set(defaultForm('flagger-nginx'), { 'app.replicas': '3', 'flagger.stepWeight': '20', 'flagger.maxWeight': '50' })).request!);
  assert.deepEqual(nginx.canaryPlan?.steps.map((s) => [s.label, s.share, s.canaryPods, s.stablePods]), [
    ['weight 20', 20, 3, 3],
    ['weight 40', 40, 3, 3],
    ['weight 60', 60, 3, 3],
    ['promoted', 0, 3, 3],
  ]);
  assert.deepEqual([nginx.cost.peak, nginx.cost.extraPercent, nginx.cost.environments], [6, 100, 2]);
  const bg = designPreview(parseDesign(set(defaultForm('flagger-bluegreen'), { 'flagger.iterations': '4' })).request!);
  assert.equal(bg.canaryPlan?.steps[0].label, '4 checks');
  const bgSections = renderDesignerPreview(stateOf(set(defaultForm('flagger-bluegreen'), { 'flagger.iterations': '4' })));
  assert.match(bgSections.find((s) => s.key === 'plan')!.html, /No weights: Flagger tests the new version through web-canary only/);
  const markup = renderDesignerForm(defaultForm('flagger-gateway'), {});
  for (const id of ['flagger.stepWeight', 'flagger.maxWeight', 'flagger.gateway', 'flagger.confirmPromotion']) assert.match(markup, new RegExp(`data-field="${id.replace('.', '\\.')}"`), id);
  assert.match(markup, /<vscode-option value="flagger-gateway" [^>]* selected>/);
});
