// "Evaluate now" against the local cluster's real Prometheus, with the real Argo Rollouts controller
// as the oracle: the demo's AnalysisTemplate (and variants) evaluated by Switchyard for real pods of
// a good and a -bad image must get the phase the controller records for an AnalysisRun of the same
// metric and args. A query Prometheus rejects is reported on the template's line it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusClient, parsePrometheusAddress } from '../../src/kube/prometheus';
import { evaluateMetric } from '../../src/kube/analysisEvaluate';
import { prometheusMetrics, resolveArgs, usagesOf, type PrometheusMetricSpec } from '../../src/domain/analysis/measure';
import { runPlan } from '../../src/kube/actions';
import { planRolloutAction } from '../../src/domain/actions/plans';
import type { Rollout } from '../../src/domain/model/objects';
import { queryOffsetInFile } from '../../src/domain/analysis/evaluation';
import { parseYamlFile, valueRangeForPath } from '../../src/domain/yaml/documents';
import { adminClient, clusterPort, createDemoCanary, demoCanaryObjects, deploymentManifest, eventually, readyPods, withNamespace } from './support';

const prometheusUrl = () => clusterPort('PROMETHEUS_URL');
/** No switchyard.prometheus settings: the templates name their Prometheus. */
const noSettings = { 'prometheus.url': {}, 'prometheus.auth': {} };

/** The demo's AnalysisTemplate as demo.sh renders it, in `namespace`. */
const demoTemplate = (namespace: string) => demoCanaryObjects(namespace).find((o) => o.kind === 'AnalysisTemplate');

test('the demo template evaluated now gets the phase the real Argo controller records, for good and -bad pods and three variants', async () => {
  await withNamespace('evaluate', async (namespace, client) => {
    const template = demoTemplate(namespace);
    const base = template.spec.metrics[0];
    // The demo's query selects pods named checkout-<canary-hash>-…: these Deployments' pods are.
    for (const [name, image] of [['checkout-good', 'ghcr.io/example/checkout:1.1.0'], ['checkout-bad', 'ghcr.io/example/checkout:1.1.1-bad']]) {
      await client.request(`/apis/apps/v1/namespaces/${namespace}/deployments`, { method: 'POST', body: deploymentManifest(name, { app: name }, image, 2) });
    }
    await readyPods(client, namespace, 'checkout-good', 2);
    await readyPods(client, namespace, 'checkout-bad', 2);
    // both pods of each scraped often enough for the 20 s rate to be steady
    const p = new PrometheusClient(parsePrometheusAddress(prometheusUrl()));
    const rate = async (hash: string) => {
      const { data } = await p.query(`sum(rate(http_requests_total{namespace="${namespace}",pod=~"checkout-${hash}-.*"}[20s]))`);
      return Number((data.result as { value: [number, string] }[])[0]?.value[1]);
    };
    await eventually('both pods of each Deployment measured', async () => Math.min(await rate('good'), await rate('bad')), (r) => r > 19 && r < 21);

    const variants: { name: string; metric: Record<string, unknown> }[] = [
      { name: 'demo', metric: {} },
      { name: 'both', metric: { successCondition: 'result[0] < 0.05', failureCondition: 'result[0] > 0.5' } },
      { name: 'only-failure', metric: { successCondition: undefined, failureCondition: 'len(result) == 1 && result[0] >= 0.1' } },
      { name: 'error', metric: { successCondition: 'result[1] < 0.05', consecutiveErrorLimit: 0 } },
    ];
    const cases = variants.flatMap((v) => ['good', 'bad'].map((hash) => ({ ...v, hash, spec: { ...base, initialDelay: undefined, interval: undefined, count: 1, ...v.metric } })));
    // the oracle: one AnalysisRun per case through the real controller (count 1: one measurement)
    for (const c of cases) {
      const run = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: `${c.name}-${c.hash}` }, spec: { args: [{ name: 'namespace', value: namespace }, { name: 'canary-hash', value: c.hash }], metrics: [JSON.parse(JSON.stringify(c.spec))] } };
      await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`, { method: 'POST', body: run });
    }
    const kube = adminClient();
    const ours = new Map<string, { phase?: string; value?: string }>();
    for (const c of cases) {
      const { metrics, args } = prometheusMetrics({ args: template.spec.args, metrics: [c.spec] });
      const { values, toAsk } = resolveArgs(args, [{ name: 'namespace', value: namespace }, { name: 'canary-hash', value: c.hash }]);
      assert.deepEqual(toAsk, []);
      const metric: PrometheusMetricSpec = metrics[0];
      const e = await evaluateMetric(metric, values, { kube, settings: noSettings });
      assert.ok(e.query!.includes(`pod=~"checkout-${c.hash}-.*"`) && e.query!.includes(`namespace="${namespace}"`), e.query);
      ours.set(`${c.name}-${c.hash}`, { phase: e.verdict.phase, value: e.value });
    }
    const theirs = await eventually('every AnalysisRun completed', async () => {
      const list = await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`);
      const done = list.items.filter((r: any) => ['Successful', 'Failed', 'Inconclusive', 'Error'].includes(r.status?.phase));
      return done.length === cases.length ? new Map<string, any>(done.map((r: any) => [r.metadata.name, r.status.metricResults[0].measurements.at(-1)])) : undefined;
    }, () => true, 90_000);
    const expected: Record<string, string> = { 'demo-good': 'Successful', 'demo-bad': 'Failed', 'both-good': 'Successful', 'both-bad': 'Inconclusive', 'only-failure-good': 'Successful', 'only-failure-bad': 'Failed', 'error-good': 'Error', 'error-bad': 'Error' };
    for (const [name, want] of Object.entries(expected)) {
      const measurement = theirs.get(name);
      assert.equal(measurement.phase, want, `the controller's measurement of ${name}: ${JSON.stringify(measurement)}`);
      assert.equal(ours.get(name)!.phase, measurement.phase, `${name}: Switchyard says ${ours.get(name)!.phase}, Argo ${measurement.phase} (${measurement.message ?? measurement.value})`);
      if (measurement.value !== undefined) {
        // the value as Argo records it; a -bad rate is exact to the traffic source's arithmetic, not the bit
        const [a, b] = [JSON.parse(ours.get(name)!.value!), JSON.parse(measurement.value)] as number[][];
        assert.equal(a.length, b.length, name);
        a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 0.005, `${name}: ${ours.get(name)!.value} vs ${measurement.value}`));
      }
    }
  });
});

test('a query Prometheus rejects is reported with its own words on the template\'s line it names', async () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: AnalysisTemplate',
    'metadata: {name: broken}',
    'spec:',
    '  args: [{name: namespace}]',
    '  metrics:',
    '  - name: error-rate',
    '    successCondition: result[0] < 0.05',
    '    provider:',
    '      prometheus:',
    `        address: ${prometheusUrl()}`,
    '        query: |',
    '          sum(rate(http_requests_total{namespace="{{args.namespace}}",code=~"5.."}[20s]))',
    '          / sum(rate(http_requests_total{namespace="{{ args.namespace }}"}[20s]))) > 0',
    '',
  ].join('\n');
  const file = parseYamlFile(text);
  const doc = file.documents[0];
  const { metrics } = prometheusMetrics((doc.value as any).spec);
  const metric = metrics[0];
  const namespace = 'a-much-longer-namespace-than-the-tag';
  const e = await evaluateMetric(metric, { namespace }, { settings: noSettings });
  // Prometheus's answer to the same substituted query, asked directly, for comparison
  const direct = (await (await fetch(`${prometheusUrl()}/api/v1/query`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: e.query! }) })).json()) as { error: string };
  assert.equal(e.verdict.phase, 'Error');
  assert.equal(e.rejected?.error, direct.error);
  assert.ok(e.verdict.message!.includes(direct.error));
  assert.equal(e.rejected?.position?.line, 2, direct.error);
  const range = valueRangeForPath(doc, ['spec', 'metrics', metric.index, 'provider', 'prometheus', 'query']);
  const at = queryOffsetInFile(text.slice(range.start, range.end), range.start, metric.query, e.rejectedAt!);
  const before = text.slice(0, at);
  const fileLine = before.split('\n').length - 1;
  // the query block starts on line 12 (0-based); Prometheus names its second line
  assert.equal(fileLine, 13, `${direct.error} → ${JSON.stringify(text.split('\n')[fileLine])}`);
  // the column is where Prometheus points in the query it got, found in the template's own text
  // of that line, past the substituted value (longer than its tag)
  const column = at - (before.lastIndexOf('\n') + 1);
  const named = e.query!.split('\n')[1].slice(e.rejected!.position!.column - 1);
  assert.match(named, /^ > 0/, direct.error);
  assert.equal(text.split('\n')[13].slice(column), named);
});

test('for the demo Rollout, the args come from the Rollout as the Argo controller resolves them, and the verdict is its first measurement\'s', async () => {
  await withNamespace('evaluate-rollout', async (namespace, client) => {
    await createDemoCanary(client, namespace);
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/checkout`;
    const read = () => client.request<Rollout>(path);
    await eventually('checkout Healthy at 1.0.0', read, (r) => r.status?.phase === 'Healthy', 90_000);
    // a -bad release paused at step 1 with its canary pod up: what Evaluate now is for
    await client.patch(path, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'ghcr.io/example/checkout:1.1.0-bad' }], 'json');
    const paused = await eventually('paused at step 1', read, (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.readyReplicas === 5 && r.status.updatedReplicas === 1);
    const template = (await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysistemplates/checkout-error-rate`)) as any;
    const usages = usagesOf(paused, 'checkout-error-rate', false);
    assert.deepEqual(usages.map((u) => u.where), ['background analysis']);
    const { args, metrics } = prometheusMetrics(template.spec);
    const { values, toAsk } = resolveArgs(args, usages[0].args, paused);
    assert.deepEqual(toAsk, []);
    assert.deepEqual(values, { 'canary-hash': paused.status!.currentPodHash, namespace });
    // the canary pod's 20 s rate once it has been scraped for a while
    const ours = await eventually('the canary pod measured', () => evaluateMetric(metrics[0], values, { kube: adminClient(), settings: noSettings }), (e) => e.verdict.phase === 'Failed' && Math.abs((e.result as number[])[0] - 0.2) < 0.01, 60_000);
    assert.match(ours.value!, /^\[0\.(19|2)\d*\]$/);

    // the oracle: promote, and the controller starts the background analysis with the args it resolved
    await runPlan(client, planRolloutAction(await read(), 'promote', new Date()), { dryRun: false });
    const run = await eventually('the background AnalysisRun measured once', async () => {
      const runs = await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`);
      return runs.items.find((r: any) => r.status?.metricResults?.[0]?.measurements?.some((m: any) => m.phase !== 'Running'));
    }, () => true, 90_000);
    assert.deepEqual(Object.fromEntries(run.spec.args.map((a: any) => [a.name, a.value])), values, 'the args Argo resolved from the Rollout are ours');
    const first = run.status.metricResults[0].measurements[0];
    assert.equal(first.phase, ours.verdict.phase, JSON.stringify(first));
    assert.ok(Math.abs(JSON.parse(first.value)[0] - (ours.result as number[])[0]) < 0.01, `${first.value} vs ${ours.value}`);
  });
});
