// Golden signals per revision against the local cluster's real Prometheus (cluster/up.sh), which
// scrapes the traffic source: request metrics for every Ready pod, failing 20% for an image tagged
// -bad. A replica canary in a fresh namespace is measured through Switchyard's own path (the view
// model's revisions → the queries → Prometheus → the comparison → the panel's Metrics section).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusClient, parsePrometheusAddress } from '../../src/kube/prometheus';
import { sampleGoldenSignals, signalsSource } from '../../src/kube/goldenSignals';
import type { GoldenSignals } from '../../src/domain/metrics/signals';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { releaseVerdict } from '../../src/domain/release/verdict';
import { renderRollout } from '../../webview/render/rolloutView';
import type { KubeClient } from '../../src/kube/client';
import { adminClient, clusterPort, deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const prometheus = () => new PrometheusClient(parsePrometheusAddress(clusterPort('PROMETHEUS_URL')));

/** A replica canary: 3 stable pods and 1 canary pod behind Service "shop". */
async function replicaCanary(client: KubeClient, namespace: string, canaryImage: string): Promise<void> {
  const post = (path: string, body: unknown) => client.request(`/apis/apps/v1/namespaces/${namespace}/${path}`, { method: 'POST', body });
  await post('deployments', deploymentManifest('shop-stable', { app: 'shop', track: 'stable' }, 'ghcr.io/example/shop:1.0.0', 3));
  await post('deployments', deploymentManifest('shop-canary', { app: 'shop', track: 'canary' }, canaryImage, 1));
  await client.request(`/api/v1/namespaces/${namespace}/services`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] } } });
}

/** A replica canary (canary image `canaryImage`) in a fresh namespace, its view once all 4 pods are ready; the watch ends with `fn`. */
async function withReplicaCanary(prefix: string, canaryImage: string, fn: (w: WorkloadView) => Promise<void>): Promise<void> {
  await withNamespace(prefix, async (namespace, client) => {
    await replicaCanary(client, namespace, canaryImage);
    const s = session();
    try {
      await s.watchNamespace(namespace, 'test');
      const ws = await waitForWorkloads(s, namespace, (xs) => xs.some((w) => w.kind === 'ReplicaCanary' && w.replicas.ready === 4));
      await fn(ws.find((w) => w.kind === 'ReplicaCanary')!);
    } finally {
      s.dispose();
    }
  });
}

/**
 * Samples until the comparison has enough traffic to say something (100 requests each: 10 s of one
 * pod) and the charts have a few points (rates need two scrapes in their window).
 */
async function sampleUntilDecided(w: WorkloadView, timeoutMs = 90_000): Promise<GoldenSignals> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await sampleGoldenSignals(prometheus(), w, undefined);
    if (s.status === 'live' && s.comparison && s.comparison.verdict !== 'insufficient' && s.sides.every((x) => x.series.requests.length >= 3)) return s;
    if (Date.now() > deadline) throw new Error(`no decision in time; last: ${JSON.stringify({ status: s.status, message: s.message, comparison: s.comparison?.text, points: s.sides.map((x) => x.series.requests.length) })}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

const metricsHtml = (w: WorkloadView, metrics: GoldenSignals) => renderRollout({ target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: Date.now(), metrics }).find((x) => x.key === 'metrics')?.html ?? '';

test('a -bad canary: about 20% errors against the stable\'s 0%, clearly worse, and the verdict says roll back', async () => {
  await withReplicaCanary('golden-bad', 'ghcr.io/example/shop:1.1.0-bad', async (w) => {
    const first = await sampleGoldenSignals(prometheus(), w, undefined);
    assert.equal(first.status, 'live');
    assert.equal(first.queries, 16, '5 range + 3 instant queries per revision');
    const s = await sampleUntilDecided(w);
    const c = s.comparison!;
    assert.equal(c.verdict, 'worse', c.text);
    assert.deepEqual(c.worse, ['errors']);
    const canaryRate = c.candidate.errors / c.candidate.requests;
    assert.ok(canaryRate > 0.15 && canaryRate < 0.25, `canary error rate ${canaryRate}`);
    assert.equal(c.baseline.errors, 0);
    assert.match(c.text, /^canary error rate (19|20|21)(\.\d)?% vs stable 0% \(stable none\) over the last \d+ (s|min), [\d,]+ canary requests/);
    // the canary's pods are named in its queries; the stable's 3 pods serve 3 times its requests
    const [canary, stable] = s.sides;
    assert.equal(canary.pods, 1);
    assert.ok(canary.selector.startsWith('shop-canary-'), canary.selector);
    assert.ok(c.baseline.requests > 2 * c.candidate.requests);
    // the series since the release started: requests per second and the error share per point
    assert.ok(canary.series.requests.length >= 3, `a point per step since the release started: ${JSON.stringify(canary.series.requests)}`);
    const [, latest] = canary.series.requests[canary.series.requests.length - 1];
    assert.ok(latest > 8 && latest < 12, `about 10 requests/s now: ${latest}`);
    assert.ok(canary.series.errors.some(([, v]) => v > 0.15 && v < 0.25));
    assert.ok(stable.series.errors.every(([, v]) => v === 0));
    assert.ok(canary.series.p95.length > 0);
    const verdict = releaseVerdict(w, Date.now(), c);
    assert.match(verdict.text, /^Canary worse than stable: canary error rate .* — roll back\?$/);
    assert.equal(verdict.action, 'abortCanary');
    const section = metricsHtml(w, s);
    assert.match(section, /canary error rate (19|20|21)/);
    assert.match(section, /comparison-worse/);
    assert.match(section, /http_requests_total/, 'the template in use is shown');
  });
});

test('a good canary shows no difference from the stable', async () => {
  await withReplicaCanary('golden-good', 'ghcr.io/example/shop:1.1.0', async (w) => {
    const s = await sampleUntilDecided(w);
    const c = s.comparison!;
    assert.equal(c.verdict, 'same', c.text);
    assert.equal(c.candidate.errors, 0);
    assert.match(c.text, /^canary error rate 0% vs stable 0% over the last .* — no clear difference$/);
    assert.equal(releaseVerdict(w, Date.now(), c).text, releaseVerdict(w, Date.now()).text, 'no difference leaves the verdict as it was');
  });
});

test('a -slow canary: no more errors, but clearly slower (p95 about 1.5 s against about 85 ms)', async () => {
  await withReplicaCanary('golden-slow', 'ghcr.io/example/shop:1.1.0-slow', async (w) => {
    const s = await sampleUntilDecided(w);
    const c = s.comparison!;
    assert.equal(c.verdict, 'worse', c.text);
    assert.deepEqual(c.worse, ['latency']);
    assert.ok(c.candidate.p95! > 1.2 && c.candidate.p95! < 1.8, `canary p95 ${c.candidate.p95}`);
    assert.ok(c.baseline.p95! < 0.2, `stable p95 ${c.baseline.p95}`);
    assert.match(c.text, /^canary error rate 0% vs stable 0% .*; p95 1\.\d+ s vs \d+ ms \(\d+x\) — clearly slower$/);
    // the quantile series are ordered at every step both have: p50 ≤ p95 ≤ p99
    const { p50, p95, p99 } = s.sides[0].series;
    const at = (xs: [number, number][], t: number) => xs.find(([x]) => x === t)?.[1];
    const steps = p95.map(([t]) => t).filter((t) => at(p50, t) !== undefined && at(p99, t) !== undefined);
    assert.ok(steps.length >= 3);
    for (const t of steps) assert.ok(at(p50, t)! <= at(p95, t)! && at(p95, t)! <= at(p99, t)!, `quantiles at ${t}`);
    assert.match(releaseVerdict(w, Date.now(), c).text, /^Canary worse than stable: .* clearly slower — roll back\?$/);
  });
});

test('Prometheus unreachable, not configured or forbidden: the section says so, nothing throws', async () => {
  await withReplicaCanary('golden-down', 'ghcr.io/example/shop:1.1.0', async (w) => {
    // a port nothing listens on
    const down = await sampleGoldenSignals(new PrometheusClient(parsePrometheusAddress('http://127.0.0.1:1')), w, undefined);
    assert.equal(down.status, 'error');
    assert.equal(down.errorKind, 'unreachable');
    assert.match(metricsHtml(w, down), /metrics-message[^>]*>[^<]*127\.0\.0\.1:1/);
    const none = await signalsSource(adminClient(), { 'prometheus.url': {}, 'prometheus.auth': {} }, w.namespace);
    assert.ok('status' in none && none.status === 'notConfigured');
    assert.match(metricsHtml(w, none as GoldenSignals), /No Prometheus is configured for context &quot;switchyard-local&quot;, and no AnalysisTemplate of namespace golden-down-[^ ]+ names one in the cluster: set switchyard.prometheus.url/);
    // an in-cluster address through the service proxy, as a user without RBAC: the proxy refuses
    const limited = await signalsSource(adminClient('switchyard-limited'), { 'prometheus.url': { '*': 'http://prometheus.monitoring.svc:9090' }, 'prometheus.auth': {} }, w.namespace);
    assert.ok(!('status' in limited));
    const forbidden = await sampleGoldenSignals(limited.client, w, undefined);
    assert.equal(forbidden.errorKind, 'forbidden');
    assert.match(metricsHtml(w, forbidden), /Forbidden: this context may not use the service proxy of monitoring\/prometheus/);
  });
});
