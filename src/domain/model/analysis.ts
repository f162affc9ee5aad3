// An AnalysisRun as the view model keeps it, and what Argo Rollouts' analysis controller decides from
// it: a metric's measured values against its conditions and limits (assessMetricStatus), and when it
// measures next (calculateNextReconcileTime). Pure.
import type { AnalysisMetric, AnalysisRun } from './objects';
import type { AnalysisRunView, MetricView } from './workloads';
import { Annotations } from '../release/vocabulary';
import { goDurationMs } from '../release/clock';
import { sampleValue } from '../analysis/measure';

/** Argo Rollouts' defaults (utils/defaults): a metric fails on its first failure and errs on its fifth error in a row. */
const DEFAULT_FAILURE_LIMIT = 0;
const DEFAULT_INCONCLUSIVE_LIMIT = 0;
const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
/** A measurement that errored is retried after this long, whatever the interval (DefaultErrorRetryInterval). */
export const ERROR_RETRY_MS = 10_000;
/** Measured values kept per metric, newest last. */
const VALUES_KEPT = 10;

const intOf = (v: number | string | undefined): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

type MetricResult = NonNullable<NonNullable<AnalysisRun['status']>['metricResults']>[number];

/** One metric: its results, with the spec's conditions, limits and schedule. */
export function metricView(result: MetricResult, spec: AnalysisMetric | undefined): MetricView {
  const measurements = result.measurements ?? [];
  const last = measurements[measurements.length - 1];
  const count = intOf(spec?.count);
  const lastFailed = [...measurements].reverse().find((x) => x.phase === 'Failed' && x.value !== undefined)?.value;
  return {
    name: result.name,
    phase: result.phase ?? 'Pending',
    successful: result.successful ?? 0,
    failed: result.failed ?? 0,
    inconclusive: result.inconclusive ?? 0,
    error: result.error ?? 0,
    values: measurements.slice(-VALUES_KEPT).map((x) => x.value ?? x.phase ?? ''),
    points: measurements.slice(-VALUES_KEPT).flatMap((x) => {
      const value = measuredNumber(x.value);
      const at = x.finishedAt ?? x.startedAt;
      return value === undefined ? [] : [{ value, phase: x.phase ?? '', ...(at ? { at } : {}) }];
    }),
    ...(result.message !== undefined ? { message: result.message } : {}),
    ...(spec?.successCondition ? { successCondition: spec.successCondition } : {}),
    ...(spec?.failureCondition ? { failureCondition: spec.failureCondition } : {}),
    failureLimit: intOf(spec?.failureLimit) ?? DEFAULT_FAILURE_LIMIT,
    inconclusiveLimit: intOf(spec?.inconclusiveLimit) ?? DEFAULT_INCONCLUSIVE_LIMIT,
    consecutiveErrorLimit: intOf(spec?.consecutiveErrorLimit) ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT,
    consecutiveErrors: result.consecutiveError ?? 0,
    measured: result.count ?? measurements.length,
    // Metric.EffectiveCount: no count (or 0) means once without an interval, until the run ends with one.
    ...(count ? { count } : spec?.interval ? {} : { count: 1 }),
    ...(spec?.interval ? { interval: spec.interval } : {}),
    ...(spec?.initialDelay ? { initialDelay: spec.initialDelay } : {}),
    ...(last ? { last: { phase: last.phase ?? '', ...pick(last, ['startedAt', 'finishedAt', 'resumeAt', 'message']) } } : {}),
    ...(lastFailed !== undefined ? { lastFailed } : {}),
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

/** An AnalysisRun's view: its phase and each metric with its spec. */
export function analysisRunView(r: AnalysisRun): AnalysisRunView {
  const specs = new Map((r.spec?.metrics ?? []).map((m) => [m.name, m]));
  return {
    name: r.metadata.name,
    phase: r.status?.phase ?? 'Pending',
    message: r.status?.message,
    revision: r.metadata.annotations?.[Annotations.RolloutRevision] !== undefined ? Number(r.metadata.annotations[Annotations.RolloutRevision]) : undefined,
    createdAt: r.metadata.creationTimestamp,
    ...(r.status?.startedAt ? { startedAt: r.status.startedAt } : {}),
    metrics: (r.status?.metricResults ?? []).map((m) => metricView(m, specs.get(m.name))),
  };
}

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/**
 * When the controller takes the metric's next measurement, in epoch ms: the last one's finishedAt
 * plus the interval (10 s after an error), its resumeAt while one is in flight, the end of the
 * initial delay before the first; undefined when it takes no more (done, count reached, no interval).
 */
export function nextMeasurementAt(run: AnalysisRunView, m: MetricView): number | undefined {
  if (COMPLETED.has(m.phase) || COMPLETED.has(run.phase)) return undefined;
  const last = m.last;
  if (!last) {
    const delay = m.initialDelay ? goDurationMs(m.initialDelay) : undefined;
    const start = run.startedAt ?? run.createdAt;
    return delay !== undefined && start ? Date.parse(start) + delay : undefined;
  }
  if (!last.finishedAt) return last.resumeAt ? Date.parse(last.resumeAt) : undefined;
  if (m.count !== undefined && m.measured >= m.count) return undefined;
  const interval = last.phase === 'Error' ? ERROR_RETRY_MS : m.interval ? goDurationMs(m.interval) : undefined;
  return interval === undefined ? undefined : Date.parse(last.finishedAt) + interval;
}

/**
 * The limit a metric went past, in Argo's terms (assessMetricFailureInconclusiveOrError), the
 * last check winning as there: "failed 3 > failureLimit 2". Undefined while none is.
 */
export function limitReached(m: MetricView): string | undefined {
  let out: string | undefined;
  if (m.failureLimit >= 0 && m.failed > m.failureLimit) out = `failed ${m.failed} > failureLimit ${m.failureLimit}`;
  if (m.inconclusive > m.inconclusiveLimit) out = `inconclusive ${m.inconclusive} > inconclusiveLimit ${m.inconclusiveLimit}`;
  if (m.consecutiveErrors > m.consecutiveErrorLimit) out = `consecutive errors ${m.consecutiveErrors} > consecutiveErrorLimit ${m.consecutiveErrorLimit}`;
  return out;
}

/** The condition a metric is judged by, as written: "failureCondition result[0] > 0.05". */
export function conditionText(m: MetricView): string | undefined {
  const parts = [m.failureCondition && `failureCondition ${m.failureCondition}`, m.successCondition && `successCondition ${m.successCondition}`].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * The newest failed value (else the newest) set against the condition, when the condition compares
 * `result` (or `result[0]`) with a constant: "0.12 > 0.05" for a failureCondition that held,
 * "0.12, needs < 0.05" for a successCondition that did not.
 */
export function valueAgainstCondition(m: MetricView): string | undefined {
  const value = m.lastFailed ?? m.values[m.values.length - 1];
  if (value === undefined) return undefined;
  const failure = comparison(m.failureCondition);
  if (failure) return `${value} ${failure.op} ${failure.operand}`;
  const success = comparison(m.successCondition);
  if (success) return `${value}, needs ${success.op} ${success.operand}`;
  return undefined;
}

/** A condition that compares `result` (or `result[0]`) with a constant: its operator and operand, as written. */
export function comparison(condition: string | undefined): { op: string; operand: string } | undefined {
  const found = condition && /^\s*result(?:\[0\])?\s*(>=|<=|==|!=|>|<)\s*([^\s&|()]+)\s*$/.exec(condition);
  return found ? { op: found[1], operand: found[2] } : undefined;
}

/**
 * A measured value as a number, for a chart: a scalar ("0.12", a web metric's jsonPath result) or
 * the first sample of a Prometheus vector ("[0.998]", "[0.5,0.7]"); undefined for anything else.
 */
export function measuredNumber(value: string | undefined): number | undefined {
  const text = value?.trim().replace(/^\[(.*)\]$/, '$1').split(',')[0]?.trim();
  if (!text) return undefined;
  const n = sampleValue(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A line a metric's chart draws: the constant a `result` is compared with, and which condition. */
export interface ConditionLine {
  value: number;
  /** "fails if > 0.05", "passes if >= 0.95". */
  text: string;
  kind: 'failure' | 'success';
}

/** The lines of a metric's conditions that compare `result` with a number. */
export function conditionLines(m: Pick<MetricView, 'failureCondition' | 'successCondition'>): ConditionLine[] {
  const line = (condition: string | undefined, kind: ConditionLine['kind']): ConditionLine[] => {
    const c = comparison(condition);
    const value = c ? Number(c.operand) : NaN;
    return c && Number.isFinite(value) ? [{ value, kind, text: `${kind === 'failure' ? 'fails' : 'passes'} if ${c.op} ${c.operand}` }] : [];
  };
  return [...line(m.failureCondition, 'failure'), ...line(m.successCondition, 'success')];
}

/** A metric's case in one line: "error-rate: 0.12, 0.15, 0.14 — failed 3 > failureLimit 2 (failureCondition result[0] > 0.05)". */
export function metricText(m: MetricView): string {
  const values = m.values.length ? `: ${m.values.join(', ')}` : '';
  const limit = limitReached(m);
  const condition = conditionText(m);
  const lastError = m.last?.phase === 'Error' && m.last.message ? ` — last error: ${m.last.message}` : '';
  return `${m.name}${values}${limit ? ` — ${limit}` : ` — ${m.phase}`}${condition ? ` (${condition})` : ''}${lastError}`;
}

/** The metrics that decided a run's failure (Failed, Error or Inconclusive), worst first. */
export function failingMetrics(run: AnalysisRunView): MetricView[] {
  const rank: Record<string, number> = { Failed: 0, Error: 1, Inconclusive: 2 };
  return run.metrics.filter((m) => m.phase in rank || limitReached(m)).sort((a, b) => (rank[a.phase] ?? 3) - (rank[b.phase] ?? 3));
}
