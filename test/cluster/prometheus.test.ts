// Switchyard's metrics source against the local cluster's real Prometheus (cluster/up.sh), which
// scrapes the traffic source (cluster/traffic): request metrics for every Ready pod, with errors and
// latency that follow the pod's image tag. Nothing here writes a metric by hand or mocks Prometheus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusClient, PrometheusError, parsePrometheusAddress, type VectorSample } from '../../src/kube/prometheus';
import { prometheusFromSettings } from '../../src/kube/prometheusSource';
import type { KubeClient } from '../../src/kube/client';
import { runPlan } from '../../src/kube/actions';
import { planRolloutAction } from '../../src/domain/actions/plans';
import type { Rollout } from '../../src/domain/model/objects';
import { adminClient, clusterPort, createDemoCanary, deploymentManifest, eventually, readyPods, withNamespace } from './support';

const prometheusUrl = () => clusterPort('PROMETHEUS_URL');
const prometheus = () => new PrometheusClient(parsePrometheusAddress(prometheusUrl()));

/** One number from an instant query whose answer is a one-sample vector (undefined while empty or NaN). */
async function scalar(client: PrometheusClient, promql: string): Promise<number | undefined> {
  const { data } = await client.query(promql);
  assert.equal(data.resultType, 'vector');
  const value = Number((data.result as VectorSample[])[0]?.value[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** Deployments whose pods the traffic source serves as good, failing and slow (by image tag alone). */
async function deployReleases(client: KubeClient, namespace: string) {
  const releases = { good: 'ghcr.io/example/shop:2.0.0', bad: 'ghcr.io/example/shop:2.0.1-bad', slow: 'ghcr.io/example/shop:2.0.2-slow' };
  for (const [name, image] of Object.entries(releases)) {
    await client.request(`/apis/apps/v1/namespaces/${namespace}/deployments`, { method: 'POST', body: deploymentManifest(name, { app: name }, image, 2) });
  }
  return { good: await readyPods(client, namespace, 'good', 2), bad: await readyPods(client, namespace, 'bad', 2), slow: await readyPods(client, namespace, 'slow', 2) };
}

test('the traffic source\'s series for real pods appear in Prometheus, and the error rate and latency follow the image', async () => {
  await withNamespace('prom', async (namespace, client) => {
    const pods = await deployReleases(client, namespace);
    const p = prometheus();
    // every Ready pod of the namespace, by name, with both status codes
    const series = await eventually('a series per pod', async () => {
      const { data } = await p.query(`count by (pod) (http_requests_total{namespace="${namespace}"})`);
      const names = (data.result as VectorSample[]).map((s) => s.metric.pod).sort();
      return names.length === 6 ? names : undefined;
    });
    assert.deepEqual(series, [...pods.bad, ...pods.good, ...pods.slow].sort());
    for (const pod of series) assert.equal(await scalar(p, `count(http_requests_total{namespace="${namespace}",pod="${pod}"})`), 2, `${pod}: codes 200 and 500`);

    const errorRate = (app: string) => scalar(p, `sum(rate(http_requests_total{namespace="${namespace}",pod=~"${app}-.*",code=~"5.."}[20s])) / sum(rate(http_requests_total{namespace="${namespace}",pod=~"${app}-.*"}[20s]))`);
    const p95 = (app: string) => scalar(p, `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${namespace}",pod=~"${app}-.*"}[20s])))`);
    // a steady 10 requests/s per pod once Ready (both pods scraped twice)
    await eventually('2 pods × 10 requests/s', () => scalar(p, `sum(rate(http_requests_total{namespace="${namespace}",pod=~"good-.*"}[20s]))`), (rate) => rate > 19 && rate < 21);
    await eventually('a -bad image failing 20 % of requests', () => errorRate('bad'), (rate) => Math.abs(rate - 0.2) < 0.01);
    await eventually('a good image failing none', () => errorRate('good'), (rate) => rate === 0);
    await eventually('a -slow image with p95 ≈ 1.5 s', () => p95('slow'), (p95) => Math.abs(p95 - 1.5) < 0.05);
    await eventually('a good image with p95 < 100 ms', () => p95('good'), (p95) => p95 < 0.1);

    // a range query: a matrix, one series per pod, points every step
    const end = new Date();
    const range = await p.queryRange(`sum by (pod) (rate(http_requests_total{namespace="${namespace}",pod=~"bad-.*",code="500"}[20s]))`, { start: new Date(end.getTime() - 30_000), end, stepSeconds: 5 });
    assert.equal(range.data.resultType, 'matrix');
    assert.deepEqual(range.data.result.map((s) => s.metric.pod).sort(), pods.bad);
    for (const s of range.data.result) {
      assert.ok(s.values.length >= 2, `several points for ${s.metric.pod}`);
      for (const [, v] of s.values) assert.ok(Number(v) > 0, 'a -bad pod keeps failing');
    }
  });
});

test('a malformed PromQL query returns Prometheus\'s own parse error, with its position', async () => {
  const query = 'sum(rate(http_requests_total{code="500"}[1m])';
  // Prometheus's answer as it gives it, for comparison
  const direct = await fetch(`${prometheusUrl()}/api/v1/query`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query }) });
  const own = (await direct.json()) as { errorType: string; error: string };
  assert.equal(direct.status, 400);
  await assert.rejects(prometheus().query(query), (e: unknown) => {
    assert.ok(e instanceof PrometheusError);
    assert.equal(e.kind, 'badQuery');
    assert.deepEqual(e.prometheus, { errorType: own.errorType, error: own.error });
    assert.ok(e.message.includes(own.error), e.message);
    assert.match(own.error, /parse error/);
    assert.equal(e.position?.line, 1);
    assert.ok(e.position!.column > 1, `the column Prometheus names (${own.error})`);
    return true;
  });
  // an error at execution, not parse, time: also in Prometheus's words
  await assert.rejects(prometheus().query('http_requests_total / on() http_requests_total'), (e: unknown) => e instanceof PrometheusError && e.kind === 'badQuery' && e.prometheus?.errorType === 'execution' && /many/.test(e.message));
});

test('a URL nothing listens on, and a path that is not the query API, are told as such', async () => {
  const free = await new Promise<number>((resolve) => {
    const server = require('node:net').createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      server.close(() => resolve(port));
    });
  });
  await assert.rejects(new PrometheusClient(parsePrometheusAddress(`http://127.0.0.1:${free}`)).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'unreachable' && /ECONNREFUSED/.test(e.message));
  await assert.rejects(new PrometheusClient(parsePrometheusAddress(`${prometheusUrl()}/not-prometheus`)).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'notFound');
});

test('the settings pick the context\'s Prometheus; bearer and basic auth are accepted by an open Prometheus', async () => {
  const kube = adminClient();
  assert.equal(await prometheusFromSettings(kube, { 'prometheus.url': { other: prometheusUrl() }, 'prometheus.auth': {} }), undefined);
  const byName = await prometheusFromSettings(kube, { 'prometheus.url': { [kube.contextName]: prometheusUrl() }, 'prometheus.auth': { '*': { bearerToken: 'token' } } });
  assert.equal(byName?.from, 'switchyard.prometheus.url');
  assert.match((await byName!.client.buildInfo()).version, /^3\.\d+\.\d+$/);
  const fallback = await prometheusFromSettings(kube, { 'prometheus.url': { '*': prometheusUrl() }, 'prometheus.auth': { '*': { username: 'u', password: 'p', headers: { 'X-Scope-OrgID': 'demo' } } } });
  assert.ok(await fallback!.client.query('up'));
});

test('through the API server\'s service proxy: no permission, no Service, no endpoint each say so', async () => {
  await withNamespace('prom-proxy', async (namespace, client) => {
    // a Service whose selector matches no pod: the API server has no endpoint to proxy to
    await client.request(`/api/v1/namespaces/${namespace}/services`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus' }, spec: { selector: { app: 'prometheus' }, ports: [{ name: 'web', port: 9090 }] } } });
    const address = `http://prometheus.${namespace}.svc.cluster.local:9090`;
    await eventually('the Service\'s Endpoints', async () => {
      const e = await client.request(`/api/v1/namespaces/${namespace}/endpoints/prometheus`).catch(() => undefined);
      return e ? true : undefined;
    });
    await assert.rejects(new PrometheusClient(parsePrometheusAddress(address), client).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'unreachable' && /no endpoints available/.test(e.message));
    await assert.rejects(new PrometheusClient(parsePrometheusAddress(`http://missing.${namespace}.svc:9090`), client).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'notFound' && e.message.includes(`${namespace}/missing`));
    // user "limited" has no RBAC at all: the proxy is forbidden, and the message names what to ask for
    await assert.rejects(new PrometheusClient(parsePrometheusAddress(address), adminClient('switchyard-limited')).query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'forbidden' && /services\/proxy/.test(e.message) && /limited/.test(e.message));
  });
  assert.throws(() => new PrometheusClient(parsePrometheusAddress('http://prometheus.monitoring.svc:9090')), (e: unknown) => e instanceof PrometheusError && e.kind === 'config');
});

test('the demo\'s Argo canary analysis really runs on Prometheus: a good release passes, a -bad one fails and Argo aborts', async () => {
  // cluster/demo/40-argo-canary.yaml as demo.sh renders it, in a namespace of its own
  await withNamespace('prom-demo', async (namespace, client) => {
    await createDemoCanary(client, namespace);
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/checkout`;
    const read = () => client.request<Rollout>(path);
    const release = async (image: string) => {
      await client.patch(path, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }], 'json');
      // at the indefinite pause of step 1 with the canary pod up; promote as Switchyard does
      await eventually(`${image} paused at step 1`, read, (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.updatedReplicas === 1);
      await runPlan(client, planRolloutAction(await read(), 'promote', new Date()), { dryRun: false });
      return (await read()).status!.currentPodHash!;
    };
    const runOf = async (hash: string) => {
      const runs = await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`);
      return runs.items.find((run: any) => run.metadata.labels?.['rollouts-pod-template-hash'] === hash);
    };
    await eventually('checkout Healthy at 1.0.0', read, (r) => r.status?.phase === 'Healthy', 90_000);

    const good = await release('ghcr.io/example/checkout:1.1.0');
    const passed = await eventually('the good release\'s analysis', () => runOf(good), (run) => ['Successful', 'Failed', 'Error'].includes(run.status?.phase), 120_000);
    assert.equal(passed.status.phase, 'Successful', JSON.stringify(passed.status));
    for (const m of passed.status.metricResults[0].measurements) assert.equal(Number(JSON.parse(m.value)[0]), 0, 'a good canary fails no request');
    assert.notEqual((await read()).status?.abort, true);

    const bad = await release('ghcr.io/example/checkout:1.2.0-bad');
    const failed = await eventually('the -bad release\'s analysis', () => runOf(bad), (run) => ['Successful', 'Failed', 'Error'].includes(run.status?.phase), 120_000);
    assert.equal(failed.status.phase, 'Failed', JSON.stringify(failed.status));
    const measured = Number(JSON.parse(failed.status.metricResults[0].measurements.at(-1).value)[0]);
    assert.ok(Math.abs(measured - 0.2) < 0.02, `the canary's error rate as the traffic source serves it, got ${measured}`);
    const aborted = await eventually('Argo aborting the -bad release', read, (r) => r.status?.abort === true, 60_000);
    assert.notEqual(aborted.status?.stableRS, bad, 'the -bad release never became stable');
  });
});
