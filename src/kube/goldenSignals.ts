// Runs a workload's golden-signal plan (domain/metrics/signals.ts) against Prometheus: range queries
// since the release started, instant queries over the comparison window, a few at a time. Every
// failure becomes the section's message (not configured, unreachable, forbidden, a rejected query in
// Prometheus's words); nothing throws. No vscode: part of the lazily loaded kube bundle.
import type { WorkloadView } from '../domain/model/workloads';
import { planSignals, signalsFrom, signalsUnavailable, type GoldenSignals, type QueryAnswer } from '../domain/metrics/signals';
import { sampleValue } from '../domain/analysis/measure';
import type { MetricsQueriesSetting } from '../settings';
import type { KubeClient } from './client';
import { PrometheusError, type PrometheusClient, type VectorSample } from './prometheus';
import { prometheusForNamespace, type PrometheusSettings, type PrometheusSource } from './prometheusSource';

/** Queries in flight at once for one panel: enough to finish a refresh quickly, few enough to spare a shared Prometheus. */
const CONCURRENCY = 4;

export interface SampleOptions {
  now?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Where the Prometheus came from, for the section ("AnalysisTemplate success-rate"). */
  from?: string;
}

/**
 * The Prometheus of a namespace's golden signals (the setting, else its analysis templates'), or
 * the section's "not configured" / bad setting / unreadable Secret message.
 */
export async function signalsSource(kube: KubeClient, settings: PrometheusSettings, namespace: string, signal?: AbortSignal): Promise<PrometheusSource | GoldenSignals> {
  try {
    return (
      (await prometheusForNamespace(kube, settings, namespace, signal)) ??
      signalsUnavailable('notConfigured', `No Prometheus is configured for context "${kube.contextName}", and no AnalysisTemplate of namespace ${namespace} names one in the cluster: set switchyard.prometheus.url (e.g. {"${kube.contextName}": "http://prometheus.monitoring.svc:9090"}) to see request rate, errors and latency per revision.`)
    );
  } catch (e) {
    return signalsUnavailable('error', e instanceof Error ? e.message : String(e), { errorKind: e instanceof PrometheusError ? e.kind : undefined });
  }
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** One refresh of a workload's golden signals. */
export async function sampleGoldenSignals(prometheus: PrometheusClient, w: WorkloadView, setting: MetricsQueriesSetting | undefined, options: SampleOptions = {}): Promise<GoldenSignals> {
  const now = options.now ?? Date.now();
  const plan = planSignals(w, setting, now);
  const source = prometheus.description;
  const from = options.from;
  if (!plan) return signalsUnavailable('noRevisions', 'No revision with pods to measure yet.', { source, from });
  const started = performance.now();
  try {
    const answers = await mapLimited(plan.queries, CONCURRENCY, async (q): Promise<QueryAnswer> => {
      const common = { signal: options.signal, timeoutMs: options.timeoutMs ?? 10_000 };
      if (q.type === 'range') {
        const { data } = await prometheus.queryRange(q.promql, { ...common, start: new Date(plan.start), end: new Date(plan.end), stepSeconds: plan.stepSeconds });
        const series = data.result[0];
        return { type: 'range', points: (series?.values ?? []).map(([t, v]) => [t * 1000, sampleValue(v)] as [number, number]) };
      }
      const { data } = await prometheus.query(q.promql, { ...common, time: new Date(plan.end) });
      const first = data.resultType === 'vector' ? (data.result as VectorSample[])[0] : undefined;
      return { type: 'instant', ...(first ? { value: sampleValue(first.value[1]) } : {}) };
    });
    return signalsFrom(plan, answers, { source, from, tookMs: Math.round(performance.now() - started) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return signalsUnavailable('error', message, { errorKind: e instanceof PrometheusError ? e.kind : undefined, source, from, plan });
  }
}

// What the tree shows of a workload whose panel samples it, from this bundle (the tree loads it anyway).
export { signalsLine, REFRESH_SECONDS } from '../domain/metrics/signals';
