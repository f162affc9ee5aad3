// Flagger's strategies, server-side dry-run against the real API server with Flagger's CRDs installed
// by the local cluster (cluster/): every strategy × the options that shape the Canary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/domain/manifests/generate';
import { STRATEGIES } from '../../src/domain/manifests/options';
import { adminClient, withNamespace } from './support';

const PLURALS: Record<string, string> = { Deployment: 'deployments', Ingress: 'ingresses', Canary: 'canaries', MetricTemplate: 'metrictemplates' };
const VARIANTS = [{}, { metrics: false, loadTest: false, confirmPromotion: false }, { metrics: true, loadTest: true, confirmPromotion: true, threshold: 1, iterations: 1, stepWeight: 5, maxWeight: 100 }];

test('Flagger\'s CRDs are served by the local cluster', async () => {
  await adminClient().request('/apis/flagger.app/v1beta1');
});

for (const strategy of STRATEGIES.filter((s) => s.startsWith('flagger-'))) {
  test(`${strategy}: every scaffolded object, with each set of options, passes the API server's dry-run`, async () => {
    await withNamespace('fdry', async (ns, client) => {
      for (const flagger of VARIANTS) {
        const out = generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 2, namespace: ns }, flagger });
        for (const o of out.objects) {
          const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
          const created = await client.request(`${base}/namespaces/${ns}/${PLURALS[o.kind]}`, { method: 'POST', body: o, query: { dryRun: 'All', fieldValidation: 'Strict' } });
          assert.equal(created.metadata.name, o.metadata.name);
        }
      }
    });
  });
}

test('the API server refuses a Canary its CRD schema refuses (the check can fail)', async () => {
  await withNamespace('fdry', async (ns, client) => {
    const canary = generate({ strategy: 'flagger-nginx', app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 2, namespace: ns } }).objects.find((o) => o.kind === 'Canary') as any;
    canary.spec.analysis.interval = '1h';
    await assert.rejects(client.request(`/apis/flagger.app/v1beta1/namespaces/${ns}/canaries`, { method: 'POST', body: canary, query: { dryRun: 'All' } }), /interval/);
  });
});
