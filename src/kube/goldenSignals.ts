// Runs a workload's golden-signal plan (domain/metrics/signals.ts) against Prometheus: range queries
// since the release started, instant queries over the comparison window, a few at a time. Every
// failure becomes the section's message (not configured, unreachable, forbidden, a rejected query in
// Prometheus's words); nothing throws. No vscode: part of the lazily loaded kube bundle.
import type { WorkloadView } from '../domain/model/workloads';
import { planSignals, signalsFrom, signalsUnavailable, type GoldenSignals, type QueryAnswer } from '../domain/metrics/signals';
import { sampleValue } from '../domain/analysis/measure';
import type { MetricsQueriesSetting, SettingValues } from '../settings';
import type { KubeClient } from './client';
import { PrometheusError, prometheusFromSettings, type PrometheusClient, type VectorSample } from './prometheus';

/** Queries in flight at once for one panel: enough to finish a refresh quickly, few enough to spare a shared Prometheus. */
const CONCURRENCY = 4;

export interface SampleOptions {
  now?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The Prometheus of the context, or the section's "not configured" / bad-setting message. */
export function signalsSource(kube: KubeClient, settings: Pick<SettingValues, 'prometheus.url' | 'prometheus.auth'>): PrometheusClient | GoldenSignals {
  try {
    return (
      prometheusFromSettings(kube, settings) ??
      signalsUnavailable('notConfigured', `No Prometheus is configured for context "${kube.contextName}": set switchyard.prometheus.url (e.g. {"${kube.contextName}": "http://prometheus.monitoring.svc:9090"}) to see request rate, errors and latency per revision.`)
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
  if (!plan) return signalsUnavailable('noRevisions', 'No revision with pods to measure yet.', { source });
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
    return signalsFrom(plan, answers, { source, tookMs: Math.round(performance.now() - started) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return signalsUnavailable('error', message, { errorKind: e instanceof PrometheusError ? e.kind : undefined, source, plan });
  }
}

// What the tree shows of a workload whose panel samples it, from this bundle (the tree loads it anyway).
export { signalsLine, REFRESH_SECONDS } from '../domain/metrics/signals';
