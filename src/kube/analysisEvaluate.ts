// "Evaluate now": one measurement of an AnalysisTemplate's Prometheus metric, taken as Argo Rollouts'
// analysis controller takes it (args substituted into the whole metric, an instant query at now with
// the metric's headers and timeout, the answer turned into `result`, the phase by EvaluateResult's
// rules), without creating an AnalysisRun. Part of the lazily loaded kube bundle.
import type { KubeClient } from './client';
import { PrometheusClient, PrometheusError, forContext, parsePrometheusAddress } from './prometheus';
import type { SettingValues } from '../settings';
import { ArgsError, errorVerdict, measurementVerdict, resultOf, substituteArgs, substituteArgsMapped, type PrometheusData, type PrometheusMetricSpec } from '../domain/analysis/measure';
import type { MetricEvaluation } from '../domain/analysis/evaluation';

type PrometheusSettings = Pick<SettingValues, 'prometheus.url' | 'prometheus.auth'>;

/** Argo's Prometheus provider's default query timeout. */
const DEFAULT_TIMEOUT_S = 30;

/**
 * The Prometheus a metric asks: its own `provider.prometheus.address` (an in-cluster address
 * through the service proxy), else the context's switchyard.prometheus.url; the context's
 * switchyard.prometheus.auth with the metric's own headers over it. Throws a 'config'
 * PrometheusError when neither names one.
 */
export function prometheusForMetric(metric: Pick<PrometheusMetricSpec, 'address'>, kube: KubeClient | undefined, settings: PrometheusSettings, headers: Record<string, string> = {}): PrometheusClient {
  const address = metric.address ?? (kube ? forContext(settings['prometheus.url'], kube.contextName) : undefined);
  if (!address) throw new PrometheusError('config', `The metric names no provider.prometheus.address and switchyard.prometheus.url has no Prometheus for ${kube ? `context "${kube.contextName}"` : 'this context (no cluster is selected)'}.`);
  const auth = (kube ? forContext(settings['prometheus.auth'], kube.contextName) : undefined) ?? {};
  return new PrometheusClient(parsePrometheusAddress(address), kube, { ...auth, headers: { ...auth.headers, ...headers } });
}

export interface EvaluateOptions {
  /** The context's client: for an in-cluster address (the service proxy) and the per-context settings. */
  kube?: KubeClient;
  settings: PrometheusSettings;
  signal?: AbortSignal;
}

export async function evaluateMetric(metric: PrometheusMetricSpec, args: Record<string, string>, options: EvaluateOptions): Promise<MetricEvaluation> {
  const base = { metric: metric.name, warnings: [] as string[] };
  let query: ReturnType<typeof substituteArgsMapped>;
  let conditions: Pick<PrometheusMetricSpec, 'successCondition' | 'failureCondition'>;
  const headers: Record<string, string> = {};
  try {
    // Argo resolves args in the whole metric: conditions and headers too
    query = substituteArgsMapped(metric.query, args);
    conditions = {
      ...(metric.successCondition ? { successCondition: substituteArgs(metric.successCondition, args) } : {}),
      ...(metric.failureCondition ? { failureCondition: substituteArgs(metric.failureCondition, args) } : {}),
    };
    for (const h of metric.headers ?? []) headers[h.key] = substituteArgs(h.value, args);
  } catch (e) {
    if (e instanceof ArgsError) return { ...base, verdict: errorVerdict(e.message) };
    throw e;
  }
  const notEvaluated = (why: string): MetricEvaluation => ({ ...base, query: query.text, verdict: { message: `not evaluated: ${why}` } });
  if (metric.authentication) return notEvaluated(`the metric signs its queries (${metric.authentication}), which Evaluate now does not do`);
  if (metric.rangeQuery !== undefined) return notEvaluated('the metric uses rangeQuery, which Evaluate now does not run yet');
  let prometheus: PrometheusClient;
  try {
    prometheus = prometheusForMetric(metric, options.kube, options.settings, headers);
  } catch (e) {
    if (e instanceof PrometheusError) return notEvaluated(e.message);
    throw e;
  }
  const asked = { ...base, prometheus: prometheus.description, query: query.text };
  let answer;
  try {
    answer = await prometheus.query(query.text, { signal: options.signal, timeoutMs: (metric.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000 });
  } catch (e) {
    if (!(e instanceof PrometheusError) || e.kind === 'cancelled') throw e;
    const rejected = e.kind === 'badQuery' && e.prometheus ? { error: e.prometheus.error, ...(e.position ? { position: e.position } : {}) } : undefined;
    const at = rejected?.position ? offsetOf(query.text, rejected.position) : undefined;
    return { ...asked, verdict: errorVerdict(e.message), ...(rejected ? { rejected } : {}), ...(at !== undefined ? { rejectedAt: query.original(at) } : {}) };
  }
  const read = resultOf(answer.data as PrometheusData);
  if ('error' in read) return { ...asked, warnings: answer.warnings, verdict: errorVerdict(read.error) };
  return { ...asked, warnings: answer.warnings, value: read.value, result: read.result, verdict: measurementVerdict(conditions, read.result) };
}

/** A 1-based line and column (Prometheus counts columns in bytes; queries are ASCII in practice) as an offset. */
function offsetOf(text: string, position: { line: number; column: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return Math.min(text.length, offset + Math.max(0, position.column - 1));
}
