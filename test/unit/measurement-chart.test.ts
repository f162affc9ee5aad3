// AnalysisRun measurements as charts (issue 13, point 5): each metric's measured values against its
// condition and the failure limit, from AnalysisRuns the real Argo controller wrote (captured fixtures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads, type MetricView } from '../../src/domain/model/workloads';
import { conditionLines, measuredNumber } from '../../src/domain/model/analysis';
import { measurementChartModel, renderMeasurementChart } from '../../webview/render/charts';
import { renderRollout } from '../../webview/render/rolloutView';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { snapshotFixture } from '../support/snapshot';

const metricOf = (fixture: string): { metric: MetricView; state: RolloutPanelState } => {
  const [w] = buildWorkloads(snapshotFixture(`cluster/${fixture}.yaml`));
  const metric = w.analysisRuns.flatMap((r) => r.metrics)[0];
  const state: RolloutPanelState = { target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', context: 'local', readOnly: false, workload: w, samples: [], now: Date.parse('2026-12-02T01:58:00Z') };
  return { metric, state };
};

test('measured values as numbers: a web metric scalar, a Prometheus vector, nothing else', () => {
  assert.equal(measuredNumber('0.12'), 0.12);
  assert.equal(measuredNumber('[0.998]'), 0.998);
  assert.equal(measuredNumber('[0.5,0.7]'), 0.5);
  assert.equal(measuredNumber('+Inf'), undefined);
  assert.equal(measuredNumber('{"a":1}'), undefined);
  assert.equal(measuredNumber(undefined), undefined);
  assert.equal(measuredNumber('[]'), undefined);
});

test('the lines a chart draws come from conditions that compare result with a number', () => {
  assert.deepEqual(conditionLines({ failureCondition: 'result > 0.05' }), [{ value: 0.05, kind: 'failure', text: 'fails if > 0.05' }]);
  assert.deepEqual(conditionLines({ successCondition: 'result[0] >= 0.95', failureCondition: 'len(result) == 0' }), [{ value: 0.95, kind: 'success', text: 'passes if >= 0.95' }]);
  assert.deepEqual(conditionLines({ successCondition: 'result[0] >= args.threshold' }), []);
});

test('the aborted canary (Argo measured 0.12 twice, failureCondition result > 0.05, failureLimit 1): two red points above the failure line', () => {
  const { metric, state } = metricOf('argo-canary-analysis-aborted');
  assert.deepEqual(metric.points, [
    { value: 0.12, phase: 'Failed', at: '2026-12-02T01:57:20Z' },
    { value: 0.12, phase: 'Failed', at: '2026-12-02T01:57:21Z' },
  ]);
  const model = measurementChartModel(metric)!;
  assert.equal(model.points.length, 2);
  assert.ok(model.points[0].x < model.points[1].x, 'oldest left');
  assert.equal(model.lines.length, 1);
  // SVG y grows downwards: the values are above the line they crossed, and inside the plot.
  for (const p of model.points) {
    assert.ok(p.y < model.lines[0].y, `${p.y} above the line at ${model.lines[0].y}`);
    assert.ok(p.y >= model.plot.top && p.y <= model.plot.bottom);
  }
  const html = renderMeasurementChart(metric)!.value;
  assert.equal((html.match(/<circle class="measurement m-Failed"/g) ?? []).length, 2);
  assert.match(html, /class="condition condition-failure"/);
  assert.match(html, />fails if &gt; 0\.05</);
  assert.match(html, /error-rate: 2 measured values, 2 failed \(failureLimit 1\) — failed 2 &gt; failureLimit 1/);
  // In the panel's Analysis section, under the run's table.
  const analysis = renderRollout(state).find((s) => s.key === 'analysis')?.html ?? '';
  assert.match(analysis, /<div class="measurement-charts"><figure class="measurement-chart">/);
});

test('a passing Prometheus metric: green points; a metric with no numeric value draws no chart', () => {
  const { metric } = metricOf('argo-canary-paused');
  assert.ok(metric.points.length >= 2);
  assert.ok(metric.points.every((p) => p.phase === 'Successful'));
  assert.match(renderMeasurementChart(metric)!.value, /m-Successful/);
  assert.equal(renderMeasurementChart({ ...metric, points: [] }), undefined);
});
