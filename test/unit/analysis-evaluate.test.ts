// "Evaluate now" of an AnalysisTemplate, the pure parts: the expr-lang subset Argo Rollouts v1.9.2
// evaluates conditions with (antonmedv/expr v1.15.5: its precedence table, type check, int/float
// and runtime errors), args merged and substituted as Argo's templating does, Prometheus's answer
// turned into `result`, and the measurement phase by EvaluateResult's rules. The same template
// against the real Prometheus and the real Argo controller is test/cluster/evaluate.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExprError, UnsupportedExpression, evaluateCondition } from '../../src/domain/analysis/expr';
import { ArgsError, analysisUsages, formatSample, measurementVerdict, prometheusMetrics, rangeOf, resolveArgs, resultOf, substituteArgs, usagesOf } from '../../src/domain/analysis/measure';
import { evaluationReport, queryOffsetInFile } from '../../src/domain/analysis/evaluation';
import { workloadActions } from '../../src/domain/actions/catalogue';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';
import { evaluateMetric, prometheusForMetric } from '../../src/kube/analysisEvaluate';
import { PrometheusError } from '../../src/kube/prometheus';
import type { KubeClient } from '../../src/kube/client';

const ok = (condition: string, result: number | number[]) => evaluateCondition(condition, result);
const exprError = (condition: string, result: number | number[], pattern: RegExp) =>
  assert.throws(() => evaluateCondition(condition, result), (e: unknown) => e instanceof ExprError && pattern.test(e.message), condition);
const unsupported = (condition: string, result: number | number[] = [1]) =>
  assert.throws(() => evaluateCondition(condition, result), (e: unknown) => e instanceof UnsupportedExpression && e.message.startsWith('this expression is not supported: '), condition);

test('the conditions Argo users write, on a vector result (a list of floats)', () => {
  assert.equal(ok('result[0] < 0.05', [0.01]), true);
  assert.equal(ok('result[0] < 0.05', [0.2]), false);
  assert.equal(ok('result[0] >= 0.95', [0.95]), true);
  assert.equal(ok('len(result) == 0', []), true);
  assert.equal(ok('len(result) > 0 && result[0] < 1', [0.5]), true);
  assert.equal(ok('all(result, {# < 0.05})', [0.01, 0.04]), true);
  assert.equal(ok('all(result, # < 0.05)', [0.01, 0.06]), false);
  assert.equal(ok('any(result, {# > 0.5})', [0.1, 0.6]), true);
  assert.equal(ok('none(result, {# > 0.5})', [0.1, 0.6]), false);
  assert.equal(ok('one(result, {# > 0.5})', [0.1, 0.6]), true);
  assert.equal(ok('len(filter(result, {# > 0.5})) == 1', [0.1, 0.6]), true);
  assert.equal(ok('count(result, {# > 0.05}) < 2', [0.1, 0.6]), false);
  assert.equal(ok('all(map(result, {# * 100}), {# < 10})', [0.01, 0.05]), true);
  assert.equal(ok('0.5 in result', [0.1, 0.5]), true);
  assert.equal(ok('0.5 not in result', [0.1, 0.5]), false);
  // a negative index counts from the end, as expr's runtime.Fetch does
  assert.equal(ok('result[-1] == 3', [1, 2, 3]), true);
  assert.equal(ok('isNaN(result[0])', [NaN]), true);
  assert.equal(ok('isInf(result[0])', [-Infinity]), true);
  assert.equal(ok('asInt(result[0]) == 2', [2.9]), true);
  assert.equal(ok('asFloat("0.25") == 0.25', [1]), true);
  assert.equal(ok('isNil(result)', [1]), false);
  assert.equal(ok('default(result, 0)[0] == 1', [1]), true);
  // NaN compares false both ways, as in Go
  assert.equal(ok('result[0] < 0.05', [NaN]), false);
  assert.equal(ok('result[0] >= 0.05', [NaN]), false);
});

test('a scalar result is one float', () => {
  assert.equal(ok('result < 0.05', 0.01), true);
  assert.equal(ok('result == 1', 1), true);
  assert.equal(ok('isNaN(result)', NaN), true);
  exprError('result[0] < 1', 0.5, /does not support indexing/);
  exprError('len(result) > 0', 0.5, /invalid argument for len/);
});

test('precedence and associativity follow expr\'s operator table', () => {
  assert.equal(ok('1 + 2 * 3 == 7', []), true);
  assert.equal(ok('(1 + 2) * 3 == 9', []), true);
  assert.equal(ok('2 ** 3 ** 2 == 512', []), true, '** is right-associative');
  assert.equal(ok('-2 ** 2 == -4', []), true, 'unary minus binds looser than **');
  assert.equal(ok('10 - 4 - 3 == 3', []), true, '- is left-associative');
  assert.equal(ok('true || false && false', []), true, 'and binds tighter than or');
  assert.equal(ok('not false and false', []), false, 'not binds tighter than and');
  assert.equal(ok('!(1 > 2) or false', []), true);
  assert.equal(ok('1 < 2 ? true : false', []), true);
  assert.equal(ok('len(result) > 0 ? result[0] < 0.05 : false', []), false);
  assert.equal(ok('1 + 1 == 2 and 3 % 2 == 1', []), true);
});

test('ints and floats: / and ** give floats, % takes ints, ints and floats compare by value', () => {
  assert.equal(ok('1 / 2 == 0.5', []), true);
  assert.equal(ok('7 % 3 == 1', []), true);
  assert.equal(ok('-7 % 3 == -1', []), true, 'Go truncates');
  assert.equal(ok('len(result) == 2.0', [1, 2]), true);
  exprError('result[0] % 2 == 0', [4], /mismatched types float64 and int/);
  exprError('5 % 0 == 0', [], /integer divide by zero/);
  assert.equal(ok('1 / 0 > 1000', []), true, 'float division by zero is +Inf');
});

test('type errors are errors before running, even where and/or would short-circuit', () => {
  exprError('true or result < 1', [0.5], /mismatched types \[\]float64 and int/);
  exprError('false and result == 1', [0.5], /mismatched types \[\]float64 and int/);
  exprError('result[0] + "x" == "y"', [1], /mismatched types/);
  exprError('result[0]', [1], /expected bool, but got float64/);
  exprError('len(result)', [1], /expected bool, but got int/);
  exprError('result[0] and true', [1], /mismatched types float64 and bool/);
  exprError('1 ? true : false', [], /non-bool expression/);
  exprError('foo > 1', [1], /unknown name foo/);
  exprError('bar(result)', [1], /unknown func bar/);
  exprError('isNaN(result)', [1], /cannot use \[\]float64 as argument/);
  exprError('all(result[0], {# > 1})', [1], /takes only array/);
});

test('run-time errors: an empty result, a bad string, a syntax error', () => {
  exprError('result[0] < 0.05', [], /index out of range: 0 \(array length is 0\)/);
  exprError('result[2] < 0.05', [1], /index out of range/);
  exprError('asInt("1.5") == 1', [1], /invalid syntax/);
  exprError('result[0] <', [1], /unexpected end of expression/);
  exprError('result[0] < 0.05)', [1], /unexpected token/);
  exprError('result[0] @ 1', [1], /unrecognized character/);
  exprError('# > 1', [1], /pointer accessor outside closure/);
  exprError("'abc", [1], /literal not terminated/);
});

test('valid expr outside the subset says so instead of guessing', () => {
  unsupported('abs(result[0]) < 1');
  unsupported('sum(result) < 1');
  unsupported('result[0:1] == nil');
  unsupported('result | len() > 0');
  unsupported('let x = result[0]; x < 1');
  unsupported('result[0] matches "1"');
  unsupported('1..3 == nil');
  unsupported('result == [1]');
  unsupported('asInt(result[0] / 0) == 1', [1]);
});

test('args: {{args.x}} and {{ args.x }} are substituted; an unknown or unclosed tag is Argo\'s error', () => {
  assert.equal(substituteArgs('rate(x{ns="{{args.namespace}}",pod=~"{{ args.app }}-.*"}[1m])', { namespace: 'shop', app: 'web' }), 'rate(x{ns="shop",pod=~"web-.*"}[1m])');
  assert.equal(substituteArgs('no tags at all', {}), 'no tags at all');
  assert.throws(() => substituteArgs('{{args.missing}} and {{args.other}}', {}), (e: unknown) => e instanceof ArgsError && e.message === 'failed to resolve {{args.other}}');
  assert.throws(() => substituteArgs('{{namespace}}', { namespace: 'x' }), (e: unknown) => e instanceof ArgsError && e.message === 'failed to resolve {{namespace}}');
  assert.throws(() => substituteArgs('x{{args.a', { a: '1' }), (e: unknown) => e instanceof ArgsError && /Cannot find end tag="}}"/.test(e.message));
});

test('args are merged as MergeArgs does and taken from the Rollout: values, pod-template hashes, fields; secrets are asked', () => {
  const template = [{ name: 'canary-hash' }, { name: 'namespace' }, { name: 'threshold', value: '0.05' }, { name: 'token', valueFrom: { secretKeyRef: { name: 'prom', key: 'token' } } }];
  const rolloutArgs = [
    { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'threshold', value: '0.01' },
    { name: 'undeclared', value: 'ignored' },
  ];
  const rollout = { metadata: { name: 'checkout', namespace: 'shop', labels: { team: 'payments' } }, status: { currentPodHash: '6d4f9', stableRS: '5c8b7' } };
  const { values, toAsk } = resolveArgs(template, rolloutArgs, rollout);
  assert.deepEqual(values, { 'canary-hash': '6d4f9', namespace: 'shop', threshold: '0.01' });
  assert.deepEqual(toAsk.map((a) => a.name), ['token']);
  assert.match(toAsk[0].why, /Secret prom key token/);
  assert.deepEqual(resolveArgs([{ name: 'team', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } }, { name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } }], [], rollout).values, { team: 'payments', stable: '5c8b7' });
  // without a Rollout, valueFrom args are to ask; an arg with neither value nor valueFrom is Argo's error
  assert.deepEqual(resolveArgs(template, rolloutArgs).toAsk.map((a) => a.name), ['canary-hash', 'namespace', 'token']);
  assert.throws(() => resolveArgs(template, []), (e: unknown) => e instanceof ArgsError && e.message === 'args.canary-hash was not resolved');
});

test('Prometheus\'s answer becomes result as Argo\'s provider makes it, with its recorded value', () => {
  const vector = resultOf({ resultType: 'vector', result: [{ metric: {}, value: [1, '0.2'] }, { metric: {}, value: [1, 'NaN'] }, { metric: {}, value: [1, '+Inf'] }] });
  assert.deepEqual(vector, { result: [0.2, NaN, Infinity], value: '[0.2,NaN,+Inf]' });
  assert.deepEqual(resultOf({ resultType: 'vector', result: [] }), { result: [], value: '[]' });
  assert.deepEqual(resultOf({ resultType: 'scalar', result: [1, '1e-7'] }), { result: 1e-7, value: '0.0000001' });
  assert.deepEqual(resultOf({ resultType: 'matrix', result: [{ metric: {}, values: [[1, '1'], [2, '2']] }, { metric: {}, values: [[1, '3']] }] }), { result: [1, 2, 3], value: '[1,2,3]' });
  assert.deepEqual(resultOf({ resultType: 'string', result: [1, 'x'] }), { error: 'Prometheus metric type not supported' });
  assert.equal(formatSample(1.5e21), '1500000000000000000000');
});

test('the measurement phase follows EvaluateResult: Successful, Failed, Inconclusive, Error', () => {
  assert.equal(measurementVerdict({}, [0.9]).phase, 'Successful', 'no conditions: successful unless an error');
  assert.equal(measurementVerdict({ successCondition: 'result[0] < 0.05' }, [0.01]).phase, 'Successful');
  assert.equal(measurementVerdict({ successCondition: 'result[0] < 0.05' }, [0.2]).phase, 'Failed', 'only a successCondition: not holding fails');
  assert.equal(measurementVerdict({ failureCondition: 'result[0] > 0.1' }, [0.05]).phase, 'Successful', 'only a failureCondition: not holding succeeds');
  assert.equal(measurementVerdict({ failureCondition: 'result[0] > 0.1' }, [0.2]).phase, 'Failed');
  const both = { successCondition: 'result[0] < 0.05', failureCondition: 'result[0] > 0.1' };
  assert.equal(measurementVerdict(both, [0.07]).phase, 'Inconclusive', 'both set, neither holds');
  assert.equal(measurementVerdict(both, [0.2]).phase, 'Failed');
  assert.equal(measurementVerdict({ successCondition: 'result[0] > 0', failureCondition: 'result[0] > 0' }, [1]).phase, 'Failed', 'failure wins when both hold');
  const empty = measurementVerdict({ successCondition: 'result[0] < 0.05' }, []);
  assert.equal(empty.phase, 'Error');
  assert.match(empty.message!, /index out of range/);
  assert.deepEqual(measurementVerdict(both, [0.01]).success, { condition: 'result[0] < 0.05', holds: true });
  // an unsupported condition gives no phase, except where the other one decides it anyway
  const unknown = measurementVerdict({ successCondition: 'abs(result[0]) < 1' }, [0.5]);
  assert.equal(unknown.phase, undefined);
  assert.match(unknown.message!, /^this expression is not supported: the function abs\(\)/);
  assert.equal(measurementVerdict({ successCondition: 'abs(result[0]) < 1', failureCondition: 'result[0] < "x"' }, [0.5]).phase, 'Error');
});

test('the Prometheus metrics of a template, with its args', () => {
  const { args, metrics } = prometheusMetrics({
    args: [{ name: 'namespace' }],
    metrics: [
      { name: 'error-rate', successCondition: 'result[0] < 0.05', provider: { prometheus: { address: 'http://prometheus.monitoring.svc:9090', query: 'up' } } },
      { name: 'web', provider: { web: { url: 'http://x' } } },
      { name: 'latency', failureCondition: 'result[0] > 1', provider: { prometheus: { query: 'p95' } } },
    ],
  });
  assert.deepEqual(args, [{ name: 'namespace' }]);
  assert.deepEqual(metrics, [
    { name: 'error-rate', index: 0, query: 'up', address: 'http://prometheus.monitoring.svc:9090', successCondition: 'result[0] < 0.05' },
    { name: 'latency', index: 2, query: 'p95', failureCondition: 'result[0] > 1' },
  ]);
});

test('the Rollouts that run a template: background, step, experiment and blue/green analysis, with their args', () => {
  const rollout = {
    spec: {
      strategy: {
        canary: {
          analysis: { templates: [{ templateName: 'error-rate' }], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
          steps: [
            { setWeight: 20 },
            { analysis: { templates: [{ templateName: 'latency', clusterScope: true }, { templateName: 'error-rate' }], args: [{ name: 'hash', value: 'x' }] } },
            { experiment: { templates: [{ name: 'baseline' }], analyses: [{ name: 'compare', templateName: 'error-rate', args: [{ name: 'hash', value: 'y' }] }] } },
          ],
        },
      },
    },
  };
  assert.deepEqual(analysisUsages(rollout).map((u) => u.where), ['background analysis', 'step 1 analysis', 'step 2 experiment analysis compare']);
  assert.deepEqual(usagesOf(rollout, 'error-rate', false).map((u) => u.args), [[{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }], [{ name: 'hash', value: 'x' }], [{ name: 'hash', value: 'y' }]]);
  assert.deepEqual(usagesOf(rollout, 'latency', true).map((u) => u.where), ['step 1 analysis']);
  assert.deepEqual(usagesOf(rollout, 'latency', false), [], 'a ClusterAnalysisTemplate is referenced with clusterScope');
  const bg = { spec: { strategy: { blueGreen: { prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] }, postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } } } } };
  assert.deepEqual(analysisUsages(bg).map((u) => u.where), ['prePromotionAnalysis', 'postPromotionAnalysis']);
});

test('a Rollout that runs templates offers Evaluate analysis now in its panel; one without analysis does not', () => {
  const withAnalysis = buildWorkloads(snapshotFixture('cluster/argo-canary-analysis-passed.yaml')).find((w) => w.kind === 'Rollout')!;
  assert.ok(withAnalysis.analysisTemplates?.length, 'the fixture runs an AnalysisTemplate');
  const button = workloadActions(withAnalysis).find((b) => b.action === 'evaluate');
  assert.ok(button && button.title.includes(withAnalysis.analysisTemplates![0].templateName), JSON.stringify(button));
  const plain = buildWorkloads(snapshotFixture('cluster/argo-bluegreen-preview.yaml')).find((w) => w.kind === 'Rollout')!;
  assert.equal(plain.analysisTemplates, undefined);
  assert.equal(workloadActions(plain).find((b) => b.action === 'evaluate'), undefined);
});

test('a position in the template\'s query is found in the file: literal blocks line by line, one-line scalars by column', () => {
  const text = 'spec:\n  query: |\n    sum(rate(a[1m]))\n    / sum(rate(b[1m])\n  next: 1\n';
  const valueStart = text.indexOf('|');
  const query = 'sum(rate(a[1m]))\n/ sum(rate(b[1m])\n';
  const at = queryOffsetInFile(text.slice(valueStart, text.indexOf('  next')), valueStart, query, query.indexOf('b['));
  assert.equal(text.slice(at, at + 2), 'b[');
  const one = 'query: "sum(x{a=1)"\n';
  assert.equal(one.slice(queryOffsetInFile('"sum(x{a=1)"', one.indexOf('"'), 'sum(x{a=1)', 6)).slice(0, 3), 'a=1');
  const plain = 'query: sum(x{a=1)\n';
  assert.equal(plain.slice(queryOffsetInFile('sum(x{a=1)', plain.indexOf('sum'), 'sum(x{a=1)', 6)).slice(0, 3), 'a=1');
});

test('the report shows the substituted query, the first values, each condition with true/false and the phase', () => {
  const report = evaluationReport({ kind: 'AnalysisTemplate', name: 'error-rate', namespace: 'shop' }, { namespace: 'shop' }, [
    { metric: 'error-rate', query: 'sum(rate(x{namespace="shop"}[1m]))', prometheus: 'http://127.0.0.1:9090', value: '[0.2]', result: [0.2], warnings: [], verdict: measurementVerdict({ successCondition: 'result[0] < 0.05' }, [0.2]) },
    { metric: 'broken', query: 'sum(', warnings: [], verdict: { phase: 'Error', message: 'Prometheus rejected the query: 1:5: parse error: unclosed left parenthesis' }, rejected: { error: '1:5: parse error: unclosed left parenthesis', position: { line: 1, column: 5 } } },
  ], new Date('2026-01-01T00:00:00Z'));
  assert.match(report, /No AnalysisRun was created/);
  assert.match(report, /## error-rate: Failed/);
  assert.match(report, /sum\(rate\(x\{namespace="shop"\}\[1m\]\)\)/);
  assert.match(report, /Result: 1 value\(s\): 0\.2/);
  assert.match(report, /successCondition `result\[0\] < 0\.05`: \*\*false\*\*/);
  assert.match(report, /failureCondition: not set/);
  assert.match(report, /## broken: Error/);
  assert.match(report, /Prometheus rejected the query: 1:5: parse error: unclosed left parenthesis/);
});

test('a metric\'s own headers, timeout and signing are read; its Prometheus is its address or the context\'s setting', async () => {
  const { metrics } = prometheusMetrics({
    metrics: [
      { name: 'a', provider: { prometheus: { address: 'http://prometheus.monitoring.svc:9090', query: 'up', timeout: 5, headers: [{ key: 'X-Scope-OrgID', value: '{{args.tenant}}' }] } } },
      { name: 'b', provider: { prometheus: { query: 'up', authentication: { sigv4: { region: 'eu-west-1' } } } } },
    ],
  });
  assert.deepEqual(metrics[0].headers, [{ key: 'X-Scope-OrgID', value: '{{args.tenant}}' }]);
  assert.equal(metrics[0].timeoutSeconds, 5);
  assert.equal(metrics[1].authentication, 'sigv4');
  const kube = { contextName: 'prod' } as KubeClient;
  const settings = { 'prometheus.url': { '*': 'https://prometheus.example.com' }, 'prometheus.auth': { prod: { bearerToken: 't', headers: { 'X-A': '1' } } } };
  assert.deepEqual((await prometheusForMetric(metrics[0], kube, settings)).target, { kind: 'service', namespace: 'monitoring', name: 'prometheus', port: '9090', scheme: 'http', path: '' });
  assert.deepEqual((await prometheusForMetric(metrics[1], kube, settings)).target, { kind: 'url', url: 'https://prometheus.example.com' });
  await assert.rejects(prometheusForMetric(metrics[1], undefined, settings), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && /names no provider\.prometheus\.address/.test(e.message));
  await assert.rejects(prometheusForMetric(metrics[0], undefined, settings), (e: unknown) => e instanceof PrometheusError && e.kind === 'config', 'an in-cluster address needs a cluster');
  // rangeQuery and insecure as the template writes them
  const ranged = prometheusMetrics({ metrics: [{ name: 'r', provider: { prometheus: { query: 'up', insecure: true, rangeQuery: { start: 'now() - duration("5m")', end: 'now()', step: '1m' } } } }] }).metrics[0];
  assert.deepEqual(ranged.rangeQuery, { start: 'now() - duration("5m")', end: 'now()', step: '1m' });
  assert.equal(ranged.insecure, true);
});

test('a rangeQuery\'s start and end are read as Argo\'s EvalTime reads them; what is not now() ± duration() is unsupported, not guessed', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.deepEqual(rangeOf({ start: 'now() - duration("1h30m")', end: 'now()', step: '30s' }, now), { start: now - 5_400_000, end: now, stepSeconds: 30 });
  assert.deepEqual(rangeOf({ start: "now()-duration('5m')", end: 'now() + duration("0s")', step: '1m' }, now), { start: now - 300_000, end: now, stepSeconds: 60 });
  assert.deepEqual(rangeOf({ start: 'now() - duration("5 minutes")', end: 'now()', step: '1m' }, now), { error: 'failed to parse rangeQuery.start as time: time: invalid duration "5 minutes"' });
  assert.deepEqual(rangeOf({ start: 'now() - duration("5m")', end: 'now()' }, now), { error: 'failed to parse rangeQuery.step as duration: time: invalid duration ""' });
  const odd = rangeOf({ start: 'date("2026-01-01")', end: 'now()', step: '1m' }, now);
  assert.ok('unsupported' in odd && /rangeQuery\.start `date\("2026-01-01"\)`/.test(odd.unsupported), JSON.stringify(odd));
});

test('a metric the controller signs with its own identity is not evaluated and says why; a range with a bad step is the Error Argo records', async () => {
  const settings = { 'prometheus.url': {}, 'prometheus.auth': {} };
  const signed = await evaluateMetric({ name: 'b', index: 0, query: 'up', address: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', authentication: 'sigv4' }, {}, { settings });
  assert.equal(signed.verdict.phase, undefined);
  assert.match(signed.verdict.message!, /^not evaluated: the metric signs its queries with AWS SigV4 \(authentication\.sigv4\).*cannot be evaluated here$/);
  const oauth = await evaluateMetric({ name: 'o', index: 0, query: 'up', address: 'http://127.0.0.1:1', authentication: 'oauth2' }, {}, { settings });
  assert.match(oauth.verdict.message!, /OAuth2/);
  // Argo signs only an Amazon Managed Prometheus address: elsewhere sigv4 is ignored, and so the query is asked (here: nothing listens)
  const unsigned = await evaluateMetric({ name: 'u', index: 0, query: 'up', address: 'http://127.0.0.1:1', authentication: 'sigv4' }, {}, { settings });
  assert.equal(unsigned.verdict.phase, 'Error');
  assert.match(unsigned.verdict.message!, /ECONNREFUSED/);
  const badStep = await evaluateMetric({ name: 'r', index: 0, query: 'up', address: 'http://127.0.0.1:1', rangeQuery: { start: 'now() - duration("{{args.lookback}}")', end: 'now()', step: 'often' } }, { lookback: '5m' }, { settings });
  assert.deepEqual(badStep.verdict, { phase: 'Error', message: 'failed to parse rangeQuery.step as duration: time: invalid duration "often"' });
  const unresolved = await evaluateMetric({ name: 'r', index: 0, query: 'up', address: 'http://127.0.0.1:1', rangeQuery: { start: 'now() - duration("{{args.lookback}}")', end: 'now()', step: '1m' } }, {}, { settings });
  assert.deepEqual(unresolved.verdict, { phase: 'Error', message: 'failed to resolve {{args.lookback}}' });
  const missing = await evaluateMetric({ name: 'm', index: 0, query: 'up{ns="{{args.ns}}"}', address: 'http://127.0.0.1:1' }, {}, { settings });
  assert.deepEqual(missing.verdict, { phase: 'Error', message: 'failed to resolve {{args.ns}}' });
  const nowhere = await evaluateMetric({ name: 'n', index: 0, query: 'up' }, {}, { settings });
  assert.match(nowhere.verdict.message!, /not evaluated: .*switchyard\.prometheus\.url/);
});
