// "Evaluate now": one measurement of an AnalysisTemplate's Prometheus metric, taken as Argo Rollouts'
// analysis controller takes it (args substituted into the whole metric, an instant query at now,
// the answer turned into `result`, the phase by EvaluateResult's rules), without creating an
// AnalysisRun. Part of the lazily loaded kube bundle.
import type { KubeClient } from './client';
import { PrometheusClient, PrometheusError, forContext, parsePrometheusAddress, prometheusFromSettings } from './prometheus';
import type { SettingValues } from '../settings';
import { ArgsError, errorVerdict, measurementVerdict, resultOf, substituteArgsMapped, type PrometheusData, type PrometheusMetricSpec } from '../domain/analysis/measure';
import type { MetricEvaluation } from '../domain/analysis/evaluation';

type PrometheusSettings = Pick<SettingValues, 'prometheus.url' | 'prometheus.auth'>;

/**
 * The Prometheus a metric asks: its own `provider.prometheus.address` (an in-cluster address
 * through the service proxy), else the context's switchyard.prometheus.url. Throws a 'config'
 * PrometheusError when neither names one.
 */
export function prometheusForMetric(metric: Pick<PrometheusMetricSpec, 'address'>, kube: KubeClient | undefined, settings: PrometheusSettings): PrometheusClient {
  if (metric.address) return new PrometheusClient(parsePrometheusAddress(metric.address), kube, kube ? forContext(settings['prometheus.auth'], kube.contextName) : undefined);
  const fromSettings = kube ? prometheusFromSettings(kube, settings) : undefined;
  if (!fromSettings) throw new PrometheusError('config', 'The metric names no provider.prometheus.address and switchyard.prometheus.url has no Prometheus for this context.');
  return fromSettings;
}

export async function evaluateMetric(prometheus: PrometheusClient, metric: PrometheusMetricSpec, args: Record<string, string>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<MetricEvaluation> {
  const base = { metric: metric.name, prometheus: prometheus.description, warnings: [] as string[] };
  let query: ReturnType<typeof substituteArgsMapped>;
  let conditions: Pick<PrometheusMetricSpec, 'successCondition' | 'failureCondition'>;
  try {
    // Argo resolves args in the whole metric, conditions included
    query = substituteArgsMapped(metric.query, args);
    conditions = {
      ...(metric.successCondition ? { successCondition: substituteArgsMapped(metric.successCondition, args).text } : {}),
      ...(metric.failureCondition ? { failureCondition: substituteArgsMapped(metric.failureCondition, args).text } : {}),
    };
  } catch (e) {
    if (e instanceof ArgsError) return { ...base, verdict: errorVerdict(e.message) };
    throw e;
  }
  if (metric.rangeQuery !== undefined) return { ...base, query: query.text, verdict: { message: 'this metric uses rangeQuery, which Evaluate now does not run yet' } };
  let answer;
  try {
    answer = await prometheus.query(query.text, { signal: options.signal, timeoutMs: options.timeoutMs });
  } catch (e) {
    if (!(e instanceof PrometheusError) || e.kind === 'cancelled') throw e;
    const rejected = e.kind === 'badQuery' && e.prometheus ? { error: e.prometheus.error, ...(e.position ? { position: e.position } : {}) } : undefined;
    const at = rejected?.position ? offsetOf(query.text, rejected.position) : undefined;
    return { ...base, query: query.text, verdict: errorVerdict(e.message), ...(rejected ? { rejected } : {}), ...(at !== undefined ? { rejectedAt: query.original(at) } : {}) };
  }
  const read = resultOf(answer.data as PrometheusData);
  if ('error' in read) return { ...base, query: query.text, warnings: answer.warnings, verdict: errorVerdict(read.error) };
  return { ...base, query: query.text, warnings: answer.warnings, value: read.value, result: read.result, verdict: measurementVerdict(conditions, read.result) };
}

/** A 1-based line and column (Prometheus counts columns in bytes; queries are ASCII in practice) as an offset. */
function offsetOf(text: string, position: { line: number; column: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return Math.min(text.length, offset + Math.max(0, position.column - 1));
}
