import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { generate, ScaffoldError } from '../../src/domain/manifests/generate';
import { STRATEGIES } from '../../src/domain/manifests/options';
import { validateObject } from '../support/validate';

const app = { app: 'shop', image: 'ghcr.io/acme/shop:2.3.1', port: 8080, replicas: 10, namespace: 'store' };

for (const strategy of STRATEGIES) {
  test(`${strategy}: every generated object is valid against its schema and round-trips through YAML`, () => {
    const out = generate({ strategy, app });
    assert.ok(out.objects.length > 0);
    assert.doesNotMatch(out.yaml, /[&*]a\d+\b/, 'no YAML anchors or aliases');
    const docs = parseAllDocuments(out.yaml) as any[];
    assert.equal(docs.length, out.objects.length);
    docs.forEach((doc, i) => {
      assert.deepEqual(doc.errors, []);
      assert.deepEqual(doc.toJS(), out.objects[i]);
      validateObject(doc.toJS());
      assert.equal(doc.toJS().metadata.namespace, 'store');
    });
  });
}

test('invalid objects are rejected by the schema check (the check can fail)', () => {
  const out = generate({ strategy: 'rolling', app });
  const broken = structuredClone(out.objects[0]) as any;
  broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
  assert.throws(() => validateObject(broken), /containerPort/);
});

test('rolling: carries the chosen surge, probes, preStop and a grace period longer than the preStop pause', () => {
  const out = generate({ strategy: 'rolling', app, rolling: { maxSurge: 2, maxUnavailable: '10%', preStopSeconds: 15 } });
  const d = out.objects[0] as any;
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '10%' } });
  const c = d.spec.template.spec.containers[0];
  assert.ok(c.readinessProbe && c.livenessProbe);
  assert.equal(c.lifecycle.preStop.sleep.seconds, 15);
  assert.ok(d.spec.template.spec.terminationGracePeriodSeconds > 15);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
});

test('blue/green: production selects the live colour, preview the idle one', () => {
  const out = generate({ strategy: 'bluegreen', app, blueGreen: { liveColor: 'green' } });
  const byName = Object.fromEntries(out.objects.map((o) => [o.metadata.name, o as any]));
  assert.deepEqual(byName['shop'].spec.selector, { app: 'shop', version: 'green' });
  assert.deepEqual(byName['shop-preview'].spec.selector, { app: 'shop', version: 'blue' });
  assert.equal(byName['shop-blue'].spec.template.metadata.labels.version, 'blue');
  assert.equal(byName['shop-green'].spec.selector.matchLabels.version, 'green');
});

test('replica canary: 10% of 10 pods is 9 + 1 and says so; 1% of 10 says 100 pods are needed', () => {
  const ten = generate({ strategy: 'canary-replicas', app, replicaCanary: { canaryPercent: 10 } });
  assert.equal((ten.objects[0] as any).spec.replicas, 9);
  assert.equal((ten.objects[1] as any).spec.replicas, 1);
  assert.match(ten.notes[0], /9 stable \+ 1 canary = 10%/);
  const one = generate({ strategy: 'canary-replicas', app, replicaCanary: { canaryPercent: 1 } });
  assert.match(one.notes[0], /= 10% .*1% exactly needs 100 pods/);
});

test('weighted canaries put the weights where each router reads them', () => {
  const istio = generate({ strategy: 'canary-istio', app, weightedCanary: { canaryWeight: 5 } });
  const vs = istio.objects.find((o) => o.kind === 'VirtualService') as any;
  assert.deepEqual(vs.spec.http[0].route.map((r: any) => r.weight), [95, 5]);
  const nginx = generate({ strategy: 'canary-nginx', app, weightedCanary: { canaryWeight: 5 } });
  const canaryIngress = nginx.objects.find((o) => o.metadata.name === 'shop-canary' && o.kind === 'Ingress')!;
  assert.equal(canaryIngress.metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight'], '5');
  const gw = generate({ strategy: 'canary-gateway', app, weightedCanary: { canaryWeight: 5 } });
  const route = gw.objects.find((o) => o.kind === 'HTTPRoute') as any;
  assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => b.weight), [95, 5]);
});

test('argo canary: setWeight/pause steps, analysis, and traffic routing variants', () => {
  const out = generate({ strategy: 'argo-canary', app: { ...app, replicas: 4 }, argoCanary: { weights: [10, 50], pauseSeconds: [0, 30], analysis: true, trafficRouting: 'none' } });
  const r = out.objects[0] as any;
  assert.deepEqual(r.spec.strategy.canary.steps, [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }]);
  assert.equal(r.spec.strategy.canary.analysis.templates[0].templateName, 'shop-success-rate');
  assert.ok(out.objects.some((o) => o.kind === 'AnalysisTemplate'));
  assert.match(out.notes.join(' '), /setWeight 10 runs 1 canary \+ 4 stable pods = 20%/);
  for (const routing of ['istio', 'nginx'] as const) {
    const o = generate({ strategy: 'argo-canary', app, argoCanary: { trafficRouting: routing } });
    assert.ok((o.objects[0] as any).spec.strategy.canary.trafficRouting[routing]);
    o.objects.forEach(validateObject);
  }
  assert.throws(() => generate({ strategy: 'argo-canary', app, argoCanary: { weights: [50, 20] } }), ScaffoldError);
});

test('argo blue/green: active and preview services, promotion settings', () => {
  const out = generate({ strategy: 'argo-bluegreen', app, argoBlueGreen: { autoPromotionEnabled: true, prePromotionAnalysis: false, scaleDownDelaySeconds: 60 } });
  const bg = (out.objects[0] as any).spec.strategy.blueGreen;
  assert.deepEqual(bg, { activeService: 'shop-active', previewService: 'shop-preview', autoPromotionEnabled: true, scaleDownDelaySeconds: 60 });
  assert.equal(out.objects.length, 3);
});

test('bad answers are refused with a reason', () => {
  assert.throws(() => generate({ strategy: 'rolling', app: { ...app, image: 'nginx' } }), /explicit tag/);
  assert.throws(() => generate({ strategy: 'rolling', app: { ...app, image: 'nginx:latest' } }), /latest/);
  assert.throws(() => generate({ strategy: 'rolling', app: { ...app, app: 'Shop_1' } }), /DNS label/);
  assert.throws(() => generate({ strategy: 'canary-replicas', app, replicaCanary: { canaryPercent: 100 } }), /below 100%/);
});

// ---- Flagger ------------------------------------------------------------------------------------

const flaggerVariants = [
  {},
  { metrics: false, loadTest: false, confirmPromotion: false },
  { metrics: true, loadTest: true, confirmPromotion: true },
  { metrics: false, loadTest: false, confirmPromotion: true, threshold: 1, iterations: 1, stepWeight: 5, maxWeight: 100 },
];

test('Flagger: every strategy × option that shapes the Canary validates against Flagger\'s own CRD schema', () => {
  let canaries = 0;
  for (const strategy of ['flagger-bluegreen', 'flagger-nginx', 'flagger-gateway'] as const) {
    for (const flagger of flaggerVariants) {
      for (const namespace of ['store', undefined]) {
        const out = generate({ strategy, app: { ...app, namespace }, flagger });
        out.objects.forEach(validateObject);
        canaries += out.objects.filter((o) => o.kind === 'Canary').length;
      }
    }
  }
  assert.equal(canaries, 3 * flaggerVariants.length * 2);
  generate({ strategy: 'flagger-metric-template', app }).objects.forEach(validateObject);
});

test('Flagger\'s CRD schema check can fail: a wrong type, an interval it refuses, an unknown provider type', () => {
  const canary = structuredClone(generate({ strategy: 'flagger-nginx', app }).objects[1]) as any;
  canary.spec.analysis.threshold = 'five';
  assert.throws(() => validateObject(canary), /threshold/);
  const slow = structuredClone(generate({ strategy: 'flagger-nginx', app }).objects[1]) as any;
  slow.spec.analysis.interval = '1h';
  assert.throws(() => validateObject(slow), /interval/);
  const template = structuredClone(generate({ strategy: 'flagger-metric-template', app }).objects[0]) as any;
  template.spec.provider.type = 'graphite2';
  assert.throws(() => validateObject(template), /type/);
});

test('Flagger blue/green: the Kubernetes provider, iterations, the Deployment as target and no hand-written Services', () => {
  const out = generate({ strategy: 'flagger-bluegreen', app, flagger: { iterations: 6, threshold: 3, interval: '30s' } });
  assert.deepEqual(out.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['Deployment/shop', 'Canary/shop', 'MetricTemplate/shop-error-rate', 'MetricTemplate/shop-latency']);
  const c = out.objects[1] as any;
  assert.equal(c.spec.provider, 'kubernetes');
  assert.deepEqual(c.spec.targetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' });
  assert.deepEqual(c.spec.service, { port: 80, targetPort: 8080, portName: 'http' });
  assert.equal(c.spec.analysis.iterations, 6);
  assert.equal(c.spec.analysis.stepWeight, undefined, 'blue/green has no weights');
  assert.equal(c.spec.analysis.threshold, 3);
  assert.deepEqual(c.spec.analysis.metrics.map((m: any) => [m.templateRef.name, m.thresholdRange.max, m.interval]), [['shop-error-rate', 1, '30s'], ['shop-latency', 500, '30s']]);
  assert.deepEqual(c.spec.analysis.webhooks.map((w: any) => [w.type, w.metadata.cmd]), [['rollout', 'hey -z 1m -q 10 -c 2 http://shop-canary.store/']]);
  assert.match(out.notes.join(' '), /creates the Services shop, shop-primary and shop-canary/);
  assert.equal(out.objects.filter((o) => o.kind === 'Service').length, 0);
});

test('Flagger NGINX canary: ingressRef names the Ingress it writes, stepWeight and maxWeight, and a confirm-promotion gate', () => {
  const out = generate({ strategy: 'flagger-nginx', app, flagger: { stepWeight: 20, maxWeight: 60, host: 'shop.example.com', confirmPromotion: true } });
  const c = out.objects.find((o) => o.kind === 'Canary') as any;
  const ingress = out.objects.find((o) => o.kind === 'Ingress') as any;
  assert.equal(c.spec.provider, 'nginx');
  assert.deepEqual(c.spec.ingressRef, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: ingress.metadata.name });
  assert.equal(ingress.spec.rules[0].host, 'shop.example.com');
  assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, 'shop', 'the apex Service Flagger creates');
  assert.deepEqual([c.spec.analysis.stepWeight, c.spec.analysis.maxWeight], [20, 60]);
  assert.deepEqual(c.spec.analysis.webhooks.map((w: any) => [w.type, w.url]), [['rollout', 'http://flagger-loadtester.test/'], ['confirm-promotion', 'http://flagger-loadtester.test/gate/check']]);
  assert.match(out.comments[1], /20 -> 40 -> 60/);
});

test('Flagger Gateway API canary: gatewayapi:v1 with gatewayRefs and hosts, no HTTPRoute of its own (Flagger writes it)', () => {
  const out = generate({ strategy: 'flagger-gateway', app, flagger: { gateway: 'edge', host: 'shop.example.com', stepWeight: 15, maxWeight: 50 } });
  const c = out.objects.find((o) => o.kind === 'Canary') as any;
  assert.equal(c.spec.provider, 'gatewayapi:v1');
  assert.deepEqual(c.spec.service.gatewayRefs, [{ name: 'edge', namespace: 'store' }]);
  assert.deepEqual(c.spec.service.hosts, ['shop.example.com']);
  assert.equal(out.objects.some((o) => o.kind === 'HTTPRoute'), false);
  // 15 does not divide 50: Flagger's last step overshoots to 60 (it caps at 100, not at maxWeight).
  assert.match(out.comments[1], /15 -> 30 -> 45 -> 60/);
});

test('Flagger without metrics or webhooks says it promotes on time alone', () => {
  const out = generate({ strategy: 'flagger-nginx', app, flagger: { metrics: false, loadTest: false, confirmPromotion: false } });
  const c = out.objects.find((o) => o.kind === 'Canary') as any;
  assert.equal(c.spec.analysis.metrics, undefined);
  assert.equal(c.spec.analysis.webhooks, undefined);
  assert.equal(out.objects.some((o) => o.kind === 'MetricTemplate'), false);
  assert.match(out.notes.join(' '), /promoted on time alone/);
});

test('Flagger MetricTemplates query the target\'s pods with Flagger\'s template variables', () => {
  const out = generate({ strategy: 'flagger-metric-template', app, analysis: { prometheusAddress: 'http://prom:9090', successRate: 0.995, latencyMs: 250 } });
  assert.deepEqual(out.objects.map((o) => o.metadata.name), ['shop-error-rate', 'shop-latency']);
  for (const t of out.objects as any[]) {
    assert.deepEqual(t.spec.provider, { type: 'prometheus', address: 'http://prom:9090' });
    for (const variable of ['{{ namespace }}', '{{ target }}', '{{ interval }}']) assert.ok(t.spec.query.includes(variable), `${t.metadata.name}: ${variable}`);
  }
  assert.match(out.comments[0], /above 0\.5\b/);
  assert.match(out.comments[1], /above 250/);
});
