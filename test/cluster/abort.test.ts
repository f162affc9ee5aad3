// A real abort (issue 12): the Argo Rollouts controller of the local cluster measures a `web` metric
// served by this test on 127.0.0.1, fails the analysis and aborts the canary; the view model says
// why, with the measured values against the condition and the limit, and the verdict advises a
// retry. A passing analysis reaches the pause after it and the verdict asks to promote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import type { KubeClient } from '../../src/kube/client';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { releaseVerdict } from '../../src/domain/release/verdict';
import { whyStopped } from '../../src/domain/release/stopped';
import { session, waitForWorkloads, withNamespace } from './support';

/** A metrics endpoint: each path answers its own error rate, and counts what it was asked. */
async function metricsServer(rates: Record<string, number>): Promise<{ url: (path: string) => string; hits: Map<string, number>; close: () => Promise<void> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const rate = rates[path];
    res.writeHead(rate === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(rate === undefined ? { error: 'unknown path' } : { errorRate: rate }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const analysisTemplates = (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/analysistemplates`;

/** An AnalysisTemplate measuring `url` 3 times, 1 s apart, failing past one failure. */
async function errorRateTemplate(client: KubeClient, ns: string, url: string): Promise<void> {
  await client.request(analysisTemplates(ns), {
    method: 'POST',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'error-rate' },
      spec: { metrics: [{ name: 'error-rate', interval: '1s', count: 3, failureLimit: 1, failureCondition: 'result > 0.05', provider: { web: { url, jsonPath: '{$.errorRate}' } } }] },
    },
  });
}

/** A canary Rollout with an analysis step, released once (no steps on a first release), then updated to v2. */
async function releaseCanary(client: KubeClient, ns: string, s: ReturnType<typeof session>): Promise<void> {
  const rollouts = resourcePath(RESOURCES.rollouts, ns);
  const labels = { app: 'cart' };
  const template = (image: string) => ({ metadata: { labels }, spec: { containers: [{ name: 'app', image }] } });
  await client.request(rollouts, {
    method: 'POST',
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'cart' }, spec: { replicas: 2, selector: { matchLabels: labels }, strategy: { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { pause: {} }] } }, template: template('ghcr.io/acme/cart:1') } },
  });
  await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
  await client.patch(`${rollouts}/cart`, { spec: { template: template('ghcr.io/acme/cart:2') } }, 'merge');
}

const describe = (w: WorkloadView | undefined) => JSON.stringify({ health: w?.health, stop: w?.stop, runs: w?.analysisRuns.map((r) => [r.phase, r.metrics.map((m) => [m.name, m.phase, m.values])]) });

test('a failing web metric: the controller aborts, the view says which metric with its values and condition, the verdict advises a retry', async () => {
  const metrics = await metricsServer({ '/bad': 0.12 });
  try {
    await withNamespace('abort', async (ns, client) => {
      const s = session();
      try {
        await s.watchNamespace(ns);
        await errorRateTemplate(client, ns, metrics.url('/bad'));
        await releaseCanary(client, ns, s);
        const [w] = await waitForWorkloads(s, ns, (ws) => ws[0]?.stop?.reason === 'RolloutAborted' && ws[0].analysisRuns[0]?.phase === 'Failed', 120_000).catch((e) => {
          throw new Error(`${e.message}\n${describe(s.workloads(ns)[0])}`);
        });
        assert.ok((metrics.hits.get('/bad') ?? 0) >= 2, 'the controller measured our endpoint');
        // The view keeps the spec's condition and limit beside the measured values.
        const metric = w.analysisRuns[0].metrics[0];
        assert.equal(metric.name, 'error-rate');
        assert.equal(metric.failureCondition, 'result > 0.05');
        assert.equal(metric.failureLimit, 1);
        assert.deepEqual(metric.values, ['0.12', '0.12'], 'two failures, past the limit of one');
        assert.match(w.stop!.message, /error-rate/, 'the controller\'s abort message names the metric');
        const why = whyStopped(w)!;
        assert.equal(why.summary, 'analysis error-rate failed (0.12 > 0.05)');
        assert.ok(why.details.includes('error-rate: 0.12, 0.12 — failed 2 > failureLimit 1 (failureCondition result > 0.05)'), why.details.join('\n'));
        assert.deepEqual(why.actions, ['retryRollout', 'undoRollout']);
        const verdict = releaseVerdict(w, Date.now());
        assert.equal(verdict.text, 'Aborted: analysis error-rate failed (0.12 > 0.05) — retry after a fix, or undo');
        assert.equal(verdict.attention, 'error');
        assert.equal(verdict.action, 'retryRollout');
      } finally {
        s.dispose();
      }
    });
  } finally {
    await metrics.close();
  }
});

test('a passing web metric: the analysis succeeds, the rollout pauses after it and the verdict asks to promote', async () => {
  const metrics = await metricsServer({ '/good': 0.01 });
  try {
    await withNamespace('abort-ok', async (ns, client) => {
      const s = session();
      try {
        await s.watchNamespace(ns);
        await errorRateTemplate(client, ns, metrics.url('/good'));
        await releaseCanary(client, ns, s);
        const [w] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Paused' && ws[0].canary?.step === 2 && ws[0].analysisRuns[0]?.phase === 'Successful' && ws[0].revisions.find((r) => r.roles.includes('canary'))?.ready === 1, 120_000).catch((e) => {
          throw new Error(`${e.message}\n${describe(s.workloads(ns)[0])}`);
        });
        assert.equal(metrics.hits.get('/good'), 3, 'count 3: three measurements');
        assert.deepEqual(w.analysisRuns[0].metrics[0].values, ['0.01', '0.01', '0.01']);
        assert.equal(w.stop, undefined);
        const verdict = releaseVerdict(w, Date.now());
        assert.match(verdict.text, /^Paused at step 2\/3 \(50%\): 1\/1 canary pods ready for \d+ s, no failing analysis — promote\?$/);
        assert.equal(verdict.attention, 'decision');
        assert.equal(verdict.action, 'promoteRollout');
      } finally {
        s.dispose();
      }
    });
  } finally {
    await metrics.close();
  }
});
