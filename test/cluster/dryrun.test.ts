import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/domain/manifests/generate';
import { STRATEGIES } from '../../src/domain/manifests/options';
import { adminClient, withNamespace } from './support';

const PLURALS: Record<string, string> = {
  Deployment: 'deployments',
  Service: 'services',
  Ingress: 'ingresses',
  Rollout: 'rollouts',
  AnalysisTemplate: 'analysistemplates',
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
  HTTPRoute: 'httproutes',
};

// Flagger's strategies write Canaries and MetricTemplates, which need Flagger's CRDs: they are
// dry-run by flagger-dryrun.test.ts once the local cluster installs them (their own schema check is
// the unit test's). The others are dry-run here.
const CORE_STRATEGIES = STRATEGIES.filter((s) => !s.startsWith('flagger-'));

async function served(apiVersion: string): Promise<boolean> {
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return adminClient().request(path).then(() => true, () => false);
}

for (const strategy of CORE_STRATEGIES) {
  test(`${strategy}: every scaffolded object passes the API server's server-side dry-run`, async (t) => {
    await withNamespace('dry', async (ns, client) => {
      const out = generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 10, namespace: ns } });
      let checked = 0;
      for (const o of out.objects) {
        if (!(await served(o.apiVersion))) {
          t.diagnostic(`${o.apiVersion} is not served by the local cluster (no CRD): ${o.kind} ${o.metadata.name} checked by schema only`);
          continue;
        }
        const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
        const created = await client.request(`${base}/namespaces/${ns}/${PLURALS[o.kind]}`, { method: 'POST', body: o, query: { dryRun: 'All', fieldValidation: 'Strict' } });
        assert.equal(created.metadata.name, o.metadata.name);
        checked++;
      }
      assert.ok(checked > 0, 'at least one object of each strategy went through the API server');
    });
  });
}

test('the dry-run rejects an invalid object (the check can fail)', async () => {
  await withNamespace('dry', async (ns, client) => {
    const [d] = generate({ strategy: 'rolling', app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 2, namespace: ns } }).objects as any[];
    d.spec.selector.matchLabels = { app: 'other' };
    await assert.rejects(client.request(`/apis/apps/v1/namespaces/${ns}/deployments`, { method: 'POST', body: d, query: { dryRun: 'All' } }), /selector/);
  });
});
