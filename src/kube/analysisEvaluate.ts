// "Evaluate now": one measurement of an AnalysisTemplate's Prometheus metric, taken as Argo Rollouts'
// analysis controller takes it (metricproviders/prometheus: args substituted into the whole metric,
// an instant query at now, or its rangeQuery's range, with the metric's headers, timeout and
// `insecure`; the answer turned into `result`, the phase by EvaluateResult's rules), without
// creating an AnalysisRun. What the controller does with its own identity (AWS SigV4 signing,
// an OAuth2 token) is not done here, and the report says so. Part of the lazily loaded kube bundle.
import type { KubeClient } from './client';
import { PrometheusClient, PrometheusError, forContext, parsePrometheusAddress } from './prometheus';
import { resolveAuth, type PrometheusSettings } from './prometheusSource';
import { ArgsError, errorVerdict, measurementVerdict, rangeOf, resultOf, substituteArgs, substituteArgsMapped, type PrometheusData, type PrometheusMetricSpec, type RangeQuerySpec } from '../domain/analysis/measure';
import type { MetricEvaluation } from '../domain/analysis/evaluation';

/** Argo's Prometheus provider's default query timeout. */
const DEFAULT_TIMEOUT_S = 30;

/**
 * The Prometheus a metric asks: its own `provider.prometheus.address` (an in-cluster address
 * through the service proxy), else the context's switchyard.prometheus.url; the context's
 * switchyard.prometheus.auth (and the Secret it names) with the metric's own headers over it, and
 * no certificate check for an `insecure` metric. Throws a PrometheusError when neither names one,
 * or the Secret cannot be read.
 */
export async function prometheusForMetric(metric: Pick<PrometheusMetricSpec, 'address' | 'insecure'>, kube: KubeClient | undefined, settings: PrometheusSettings, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<PrometheusClient> {
  const address = metric.address ?? (kube ? forContext(settings['prometheus.url'], kube.contextName) : undefined);
  if (!address) throw new PrometheusError('config', `The metric names no provider.prometheus.address and switchyard.prometheus.url has no Prometheus for ${kube ? `context "${kube.contextName}"` : 'this context (no cluster is selected)'}.`);
  const target = parsePrometheusAddress(address);
  const auth = await resolveAuth(kube, kube ? forContext(settings['prometheus.auth'], kube.contextName) : undefined, signal);
  return new PrometheusClient(target, kube, { ...auth, headers: { ...auth.headers, ...headers }, ...(metric.insecure ? { insecureSkipVerify: true } : {}) });
}

/**
 * Why a metric cannot be measured here as the controller would, if it cannot: Argo v1.9 signs with
 * SigV4 only for an Amazon Managed Prometheus address ("aps-workspaces"), and takes an OAuth2
 * token when a tokenUrl is set; both use what the controller holds.
 */
function signedBy(metric: Pick<PrometheusMetricSpec, 'authentication' | 'address'>): string | undefined {
  const kinds = metric.authentication?.split(', ') ?? [];
  if (kinds.includes('sigv4') && metric.address?.includes('aps-workspaces')) return 'the metric signs its queries with AWS SigV4 (authentication.sigv4), which needs AWS credentials that the Argo Rollouts controller has (its IAM role) and Evaluate now does not: it cannot be evaluated here';
  if (kinds.includes('oauth2')) return 'the metric gets an OAuth2 token for its queries (authentication.oauth2, client credentials), which Evaluate now does not request: it cannot be evaluated here';
  return undefined;
}

export interface EvaluateOptions {
  /** The context's client: for an in-cluster address (the service proxy) and the per-context settings. */
  kube?: KubeClient;
  settings: PrometheusSettings;
  signal?: AbortSignal;
  /** The time a rangeQuery's now() is (epoch ms); the clock's when left out. */
  now?: number;
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
  const signed = signedBy(metric);
  if (signed) return notEvaluated(signed);
  let range: { start: number; end: number; stepSeconds: number } | undefined;
  if (metric.rangeQuery) {
    let spec: RangeQuerySpec;
    try {
      spec = Object.fromEntries(Object.entries(metric.rangeQuery).map(([k, v]) => [k, substituteArgs(v, args)]));
    } catch (e) {
      if (e instanceof ArgsError) return { ...base, query: query.text, verdict: errorVerdict(e.message) };
      throw e;
    }
    const read = rangeOf(spec, options.now ?? Date.now());
    if ('unsupported' in read) return notEvaluated(read.unsupported);
    if ('error' in read) return { ...base, query: query.text, verdict: errorVerdict(read.error) };
    range = read;
  }
  let prometheus: PrometheusClient;
  try {
    prometheus = await prometheusForMetric(metric, options.kube, options.settings, headers, options.signal);
  } catch (e) {
    if (e instanceof PrometheusError && e.kind !== 'cancelled') return notEvaluated(e.message);
    throw e;
  }
  const asked = { ...base, prometheus: prometheus.description, query: query.text, ...(range ? { range } : {}) };
  let answer;
  try {
    const common = { signal: options.signal, timeoutMs: (metric.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000 };
    answer = range ? await prometheus.queryRange(query.text, { ...common, start: new Date(range.start), end: new Date(range.end), stepSeconds: range.stepSeconds }) : await prometheus.query(query.text, common);
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
