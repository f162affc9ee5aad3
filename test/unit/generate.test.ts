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
