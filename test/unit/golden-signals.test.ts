// Golden signals per revision (issue 13): the PromQL each convention builds from a revision's pods,
// the setting that overrides it, the comparison and its wording, the plan of queries and what the
// answers become, and how the comparison changes the verdict line. Pure; the real Prometheus is in
// test/cluster/golden.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { CONVENTIONS, durationText, fillTemplate, podSelector, queryFor, signalTargets, templatesFrom, type RevisionGroup } from '../../src/domain/metrics/queries';
import { compareSignals, percentText, poissonTail, type SignalComparison } from '../../src/domain/metrics/compare';
import { MAX_POINTS, planSignals, REFRESH_SECONDS, SCRAPE_INTERVAL_SECONDS, signalsFrom, signalsLine, signalsUnavailable, type GoldenSignals, type QueryAnswer } from '../../src/domain/metrics/signals';
import { renderRollout } from '../../webview/render/rolloutView';
import { releaseVerdict } from '../../src/domain/release/verdict';
import { attentionLevel, attentionOf } from '../../src/domain/release/attention';
import { snapshotFixture } from '../support/snapshot';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const workload = (fixture: string): WorkloadView => buildWorkloads(snapshotFixture(`cluster/${fixture}.yaml`))[0];
const group = (pods: string[], replicaSets = ['web-7d9f']): RevisionGroup => ({ label: 'canary', role: 'canary', revisions: [2], replicaSets, pods, workload: 'web', service: 'web-canary' });

test('the default http convention selects the revision by its pod names, escaped for RE2 inside a PromQL string', () => {
  const q = queryFor('errors', CONVENTIONS.http.templates, group(['web.v2-7d9f-b', 'web.v2-7d9f-a']), 'shop', 20);
  assert.equal(q, 'sum(rate(http_requests_total{namespace="shop",pod=~"web\\\\.v2-7d9f-a|web\\\\.v2-7d9f-b",code=~"5.."}[20s]))');
  assert.equal(queryFor('p95', CONVENTIONS.http.templates, group(['a']), 'shop', 300), 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop",pod=~"a"}[5m])))');
});

test('many pods, or none yet, are selected by the ReplicaSet\'s pod-name prefix', () => {
  const pods = Array.from({ length: 21 }, (_, i) => `web-7d9f-${i}`);
  assert.equal(podSelector(group(pods)), 'web-7d9f-.*');
  assert.equal(podSelector(group(pods.slice(0, 20))).split('|').length, 20);
  assert.equal(podSelector(group([], ['web-7d9f', 'web-6c8e'])), 'web-7d9f-.*|web-6c8e-.*');
});

test('Istio and NGINX Ingress templates fill their placeholders; Istio latency is converted from ms', () => {
  const istio = queryFor('p99', CONVENTIONS.istio.templates, group(['a']), 'shop', 60);
  assert.match(istio, /istio_request_duration_milliseconds_bucket\{reporter="destination",destination_workload_namespace="shop",pod=~"a"\}\[1m\]/);
  assert.match(istio, /^histogram_quantile\(0\.99, .*\/ 1000$/);
  assert.equal(queryFor('requests', CONVENTIONS['nginx-ingress'].templates, group(['a']), 'shop', 90), 'sum(rate(nginx_ingress_controller_requests{exported_namespace="shop",service="web-canary"}[90s]))');
  // An unknown placeholder stays, for Prometheus to reject in its own words.
  assert.equal(fillTemplate('up{x="{{nope}}",w="{{ workload }}"}', group(['a']), 'shop', 20), 'up{x="{{nope}}",w="web"}');
  assert.deepEqual([durationText(300), durationText(90), durationText(7200)], ['5m', '90s', '2h']);
});

test('switchyard.metrics.queries picks a convention, replaces single templates, and says when the convention is unknown', () => {
  assert.equal(templatesFrom(undefined).convention, 'http');
  assert.equal(templatesFrom({ convention: 'istio' }).templates.requests, CONVENTIONS.istio.templates.requests);
  const own = templatesFrom({ convention: 'istio', errors: ' sum(rate(my_errors{pod=~"{{pods}}"}[{{window}}])) ' });
  assert.equal(own.convention, 'custom');
  assert.equal(own.templates.errors, 'sum(rate(my_errors{pod=~"{{pods}}"}[{{window}}]))');
  assert.equal(own.templates.latency, CONVENTIONS.istio.templates.latency);
  assert.match(own.title, /with your errors template/);
  const unknown = templatesFrom({ convention: 'linkerd' });
  assert.equal(unknown.templates.requests, CONVENTIONS.http.templates.requests);
  assert.match(unknown.problem!, /unknown convention "linkerd".*using http/);
});

test('which revisions are compared, per kind: canary vs stable, preview vs active (with their Services), new vs old', () => {
  const canary = signalTargets(workload('argo-canary-paused'));
  assert.deepEqual([canary.candidate?.label, canary.candidate?.replicaSets, canary.baseline?.label, canary.baseline?.replicaSets], ['canary', ['cart-c2'], 'stable', ['cart-c1']]);
  const bg = signalTargets(workload('argo-bluegreen-preview'));
  assert.deepEqual([bg.candidate?.label, bg.candidate?.service, bg.baseline?.label, bg.baseline?.service], ['preview', 'pay-preview', 'active', 'pay-active']);
  const rolling = signalTargets(workload('rolling-progress'));
  assert.deepEqual([rolling.candidate?.pods, rolling.baseline?.pods], [['web-new-a', 'web-new-b'], ['web-old-a']]);
});

test('the Poisson tail: how surprising errors are at the baseline\'s rate', () => {
  assert.equal(poissonTail(0, 3), 1);
  assert.ok(Math.abs(poissonTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
  assert.ok(Math.abs(poissonTail(3, 2) - (1 - Math.exp(-2) * (1 + 2 + 2))) < 1e-12);
  assert.equal(poissonTail(5, 0), 0);
  // far fewer errors than expected is not surprising, even at large counts (no underflow to nonsense)
  assert.ok(poissonTail(10, 5000) > 0.999);
});

test('a canary with a clearly higher error rate: rates, ratio, window, requests and the note', () => {
  const c = compareSignals({ label: 'canary', requests: 1240, errors: 51 }, { label: 'stable', requests: 11_000, errors: 33 }, 300);
  assert.equal(c.verdict, 'worse');
  assert.deepEqual(c.worse, ['errors']);
  assert.equal(c.text, 'canary error rate 4.1% vs stable 0.3% (14x) over the last 5 min, 1,240 canary requests — clearly more errors (51 where stable\'s rate predicts 4)');
  // 20% against none: no ratio to give, said as such
  const bad = compareSignals({ label: 'canary', requests: 600, errors: 120 }, { label: 'stable', requests: 2400, errors: 0 }, 60);
  assert.equal(bad.verdict, 'worse');
  assert.match(bad.text, /^canary error rate 20% vs stable 0% \(stable none\) over the last 60 s, 600 canary requests — clearly more errors \(120 where stable's rate predicts under 1\)$/);
});

test('no difference: the same rate, a few errors that are noise, or a tiny difference that only volume makes significant', () => {
  assert.equal(compareSignals({ label: 'canary', requests: 600, errors: 0 }, { label: 'stable', requests: 2400, errors: 0 }, 60).text, 'canary error rate 0% vs stable 0% over the last 60 s, 600 canary requests — no clear difference');
  assert.equal(compareSignals({ label: 'canary', requests: 400, errors: 3 }, { label: 'stable', requests: 4000, errors: 0 }, 300).verdict, 'same', 'fewer than 5 errors');
  const volume = compareSignals({ label: 'canary', requests: 1_000_000, errors: 11_000 }, { label: 'stable', requests: 1_000_000, errors: 10_000 }, 300);
  assert.ok(volume.p! < 0.001, 'significant…');
  assert.equal(volume.verdict, 'same', '…but 1.1x is no real difference');
});

test('too little traffic to tell is said with the numbers and the rule', () => {
  const c = compareSignals({ label: 'canary', requests: 40, errors: 10 }, { label: 'stable', requests: 900, errors: 0 }, 120);
  assert.equal(c.verdict, 'insufficient');
  assert.equal(c.text, 'too little traffic to tell: canary 40 requests, stable 900 over the last 2 min (each needs 100)');
});

test('latency: clearly slower needs both a factor and a margin', () => {
  const slow = compareSignals({ label: 'canary', requests: 600, errors: 0, p95: 1.5 }, { label: 'stable', requests: 2400, errors: 0, p95: 0.085 }, 60);
  assert.deepEqual(slow.worse, ['latency']);
  assert.match(slow.text, /; p95 1\.5 s vs 85 ms \(18x\) — clearly slower$/);
  assert.equal(compareSignals({ label: 'canary', requests: 600, errors: 0, p95: 0.02 }, { label: 'stable', requests: 2400, errors: 0, p95: 0.01 }, 60).verdict, 'same', '2x of 10 ms is under the 100 ms margin');
  assert.deepEqual([percentText(0.0005), percentText(0.2), percentText(0.041)], ['0.05%', '20%', '4.1%']);
});

test('the plan: range queries since the release started (step ≥ scrape interval, bounded points and history), instant ones for the comparison', () => {
  const w = { ...workload('argo-canary-paused'), clock: { since: new Date(T0 - 90_000).toISOString() } };
  const plan = planSignals(w, undefined, T0)!;
  assert.equal(plan.start, T0 - 90_000);
  assert.equal(plan.stepSeconds, SCRAPE_INTERVAL_SECONDS);
  assert.equal(plan.compareWindowSeconds, 90);
  assert.equal(plan.queries.length, 16, '5 range + 3 instant per revision');
  assert.deepEqual(plan.queries.filter((q) => q.type === 'instant').map((q) => `${q.side}:${q.kind}`), ['candidate:requests', 'candidate:errors', 'candidate:p95', 'baseline:requests', 'baseline:errors', 'baseline:p95']);
  assert.match(plan.queries[0].promql, /pod=~"cart-c2-\.\*"\}\[20s\]/);
  const long = planSignals({ ...w, clock: { since: new Date(T0 - 6 * 3600_000).toISOString() } }, undefined, T0)!;
  assert.equal(long.start, T0 - 3600_000, 'history is cut at one hour');
  assert.ok((long.end - long.start) / 1000 / long.stepSeconds <= MAX_POINTS);
  assert.equal(long.stepSeconds % SCRAPE_INTERVAL_SECONDS, 0);
  assert.equal(long.compareWindowSeconds, 300);
  assert.ok(REFRESH_SECONDS >= SCRAPE_INTERVAL_SECONDS);
  const alone = planSignals(workload('bluegreen'), undefined, T0)!;
  assert.equal(alone.queries.length, 5, 'one side: its chart, nothing to compare');
});

test('answers become series per revision (error share per point, 0% when no failed series) and the comparison over the window', () => {
  const w = { ...workload('argo-canary-paused'), clock: { since: new Date(T0 - 60_000).toISOString() } };
  const plan = planSignals(w, undefined, T0)!;
  const answers: QueryAnswer[] = plan.queries.map((q) => {
    const canary = q.side === 'candidate';
    if (q.type === 'instant') return { type: 'instant', value: q.kind === 'requests' ? (canary ? 10 : 40) : q.kind === 'errors' ? (canary ? 2 : 0) : canary ? 0.09 : 0.085 };
    if (q.kind === 'requests') return { type: 'range', points: [[T0 - 10_000, canary ? 10 : 40], [T0 - 5000, canary ? 10 : 40]] };
    if (q.kind === 'errors') return { type: 'range', points: canary ? [[T0 - 10_000, 2], [T0 - 5000, 2]] : [] };
    return { type: 'range', points: [[T0 - 10_000, Number.NaN], [T0 - 5000, 0.08]] };
  });
  const s = signalsFrom(plan, answers, { source: 'http://prom' });
  assert.equal(s.status, 'live');
  assert.deepEqual(s.sides.map((x) => x.series.errors), [[[T0 - 10_000, 0.2], [T0 - 5000, 0.2]], [[T0 - 10_000, 0], [T0 - 5000, 0]]]);
  assert.deepEqual(s.sides[0].series.p95, [[T0 - 5000, 0.08]], 'NaN (no requests in the window) is no point');
  assert.equal(s.comparison?.candidate.requests, 600);
  assert.equal(s.comparison?.verdict, 'worse');
  assert.equal(signalsLine(s), s.comparison?.text);
  assert.equal(s.queries, 16);
});

const worse: SignalComparison = compareSignals({ label: 'canary', requests: 600, errors: 120 }, { label: 'stable', requests: 2400, errors: 0 }, 60);
const thin: SignalComparison = compareSignals({ label: 'canary', requests: 20, errors: 0 }, { label: 'stable', requests: 80, errors: 0 }, 20);
const same: SignalComparison = compareSignals({ label: 'canary', requests: 600, errors: 0 }, { label: 'stable', requests: 2400, errors: 0 }, 60);

test('the verdict takes the comparison: worse → roll back? (abort, a warning), too little traffic → wait, no difference → unchanged', () => {
  const w = workload('argo-canary-paused');
  const plain = releaseVerdict(w, T0);
  assert.equal(plain.action, 'promoteRollout');
  const back = releaseVerdict(w, T0, worse);
  assert.match(back.text, /^Canary worse than stable: canary error rate 20% vs stable 0% .* — roll back\?$/);
  assert.equal(back.action, 'abortRollout');
  assert.equal(back.attention, 'warning');
  assert.equal(attentionLevel(w, worse), 'warning');
  assert.equal(attentionLevel(w), plain.attention);
  // and the Needs attention list has it as trouble, with what backs it out
  assert.deepEqual([attentionOf(w, worse)?.reason, attentionOf(w, worse)?.severity, attentionOf(w, worse)?.actions], ['signalsWorse', 'trouble', ['abortRollout', 'undoRollout']]);
  assert.match(attentionOf(w, worse)!.summary, /^canary worse than stable: canary error rate 20%/);
  const wait = releaseVerdict(w, T0, thin);
  assert.equal(wait.text, 'Paused at step 1/4 (20%): 1/1 canary pods ready, no failing analysis — wait: too little traffic to tell: canary 20 requests, stable 80 over the last 20 s (each needs 100)');
  assert.equal(wait.action, undefined);
  assert.deepEqual(releaseVerdict(w, T0, same), plain);
  // A stopped release keeps the controller's verdict: the signals add nothing to an abort.
  const aborted = workload('argo-canary-analysis-aborted');
  assert.deepEqual(releaseVerdict(aborted, T0, worse), releaseVerdict(aborted, T0));
});

test('a finished release (no clock) is charted since its new revision was created', () => {
  const w = workload('argo-canary-paused');
  const created = Date.parse(w.revisions.find((r) => r.roles.includes('canary'))!.createdAt!);
  const plan = planSignals({ ...w, clock: undefined }, undefined, created + 120_000)!;
  assert.equal(plan.start, created);
});

test('the Metrics section: charts per revision, the comparison, the queries in use; or the reason there are none', () => {
  const w = { ...workload('argo-canary-paused'), clock: { since: new Date(T0 - 60_000).toISOString() } };
  const plan = planSignals(w, undefined, T0)!;
  const answers: QueryAnswer[] = plan.queries.map((q) => (q.type === 'instant' ? { type: 'instant', value: q.kind === 'requests' ? 10 : q.kind === 'errors' ? (q.side === 'candidate' ? 2 : 0) : 0.1 } : { type: 'range', points: [[T0 - 10_000, 10], [T0 - 5000, 12]] }));
  const state = (metrics: GoldenSignals) => ({ target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live' as const, readOnly: false, workload: w, samples: [], now: T0, metrics });
  const sections = renderRollout(state(signalsFrom(plan, answers, { source: 'http://prom:9090', tookMs: 42 })));
  const metrics = sections.find((x) => x.key === 'metrics')!.html;
  assert.equal((metrics.match(/<svg class="chart"/g) ?? []).length, 3, 'request rate, error rate, latency');
  assert.match(metrics, /class="comparison comparison-worse"[^>]*>canary error rate 20% vs stable 0%/);
  assert.match(metrics, /polyline class="series s-candidate q-p95"/);
  assert.match(metrics, /http_requests_total\{namespace=&quot;\{\{namespace\}\}&quot;/, 'the template in use');
  assert.match(metrics, /<code>\{\{pods\}\}<\/code> = <code>cart-c2-\.\*<\/code>/);
  assert.match(metrics, /<p class="muted metrics-source">Prometheus: http:\/\/prom:9090 · step 5 s · 16 queries in 42 ms · refreshed every 10 s while this panel is visible/);
  // a Prometheus found in a template says where it came from, the setting's goes without saying
  const found = renderRollout(state(signalsFrom(plan, answers, { source: 'service monitoring/prometheus:9090 (through the API server\'s service proxy)', from: 'AnalysisTemplate success-rate' }))).find((x) => x.key === 'metrics')!.html;
  assert.match(found, /Prometheus from AnalysisTemplate success-rate: service monitoring\/prometheus:9090/);
  assert.match(renderRollout(state(signalsFrom(plan, answers, { source: 'http://prom:9090', from: 'switchyard.prometheus.url' }))).find((x) => x.key === 'metrics')!.html, /Prometheus: http:\/\/prom:9090 · step/);
  const forbiddenSecret = renderRollout(state(signalsUnavailable('error', 'Forbidden (403): this context may not read the Secret monitoring/prom-creds', { errorKind: 'forbidden', source: 'https://prom', from: 'AnalysisTemplate success-rate' }))).find((x) => x.key === 'metrics')!.html;
  assert.match(forbiddenSecret, /Forbidden \(403\)[^<]*<\/p><p class="muted metrics-source">Prometheus from AnalysisTemplate success-rate: https:\/\/prom</);
  // the verdict section under the header takes the comparison
  assert.match(sections.find((x) => x.key === 'verdict')!.html, /Canary worse than stable: .* — roll back\?/);
  const down = renderRollout(state(signalsUnavailable('error', 'Prometheus at http://127.0.0.1:1 cannot be reached: ECONNREFUSED', { errorKind: 'unreachable' }))).find((x) => x.key === 'metrics')!.html;
  assert.match(down, /<p class="warn metrics-message" role="status">Prometheus at http:\/\/127\.0\.0\.1:1 cannot be reached/);
  assert.equal(renderRollout({ ...state(undefined as unknown as GoldenSignals), metrics: undefined }).some((x) => x.key === 'metrics'), false, 'no section before the first refresh');
});
