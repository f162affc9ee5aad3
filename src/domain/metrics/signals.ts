// The golden signals of one workload's release as the details panel shows them: what to ask
// Prometheus (a plan of range queries since the release started and instant queries over the
// comparison window), and what the answers mean (series per revision, the comparison). Pure: the
// host runs the plan (src/kube/goldenSignals.ts) and the webview renders the result.
import type { WorkloadView } from '../model/workloads';
import type { MetricsQueriesSetting } from '../../settings';
import { compareSignals, type SignalComparison, type WindowTotals } from './compare';
import { podSelector, queryFor, signalTargets, SIGNAL_KINDS, templatesFrom, type RevisionGroup, type SignalKind, type SignalTemplates } from './queries';

/** Prometheus's scrape interval in the common setups (and the local cluster's): no step or refresh is shorter. */
export const SCRAPE_INTERVAL_SECONDS = 5;
/** How often an open, visible panel asks again: twice the scrape interval, so each refresh sees a new scrape. */
export const REFRESH_SECONDS = 2 * SCRAPE_INTERVAL_SECONDS;
/** The history drawn goes back at most this far (a release that started earlier is cut), in at most MAX_POINTS steps. */
export const MAX_HISTORY_SECONDS = 3600;
export const MAX_POINTS = 120;
/** The comparison's window: the last 5 minutes, or since the release started when that is shorter. */
export const COMPARE_WINDOW_SECONDS = 300;
/** A rate needs two scrapes in its window: at least four scrape intervals. */
export const MIN_RATE_WINDOW_SECONDS = 4 * SCRAPE_INTERVAL_SECONDS;

export type Side = 'candidate' | 'baseline';

export interface PlannedQuery {
  side: Side;
  kind: SignalKind;
  /** range: the chart since the release started; instant: the comparison window's totals. */
  type: 'range' | 'instant';
  promql: string;
}

export interface SignalsPlan {
  namespace: string;
  sides: { side: Side; group: RevisionGroup }[];
  /** Epoch ms. */
  start: number;
  end: number;
  stepSeconds: number;
  rateWindowSeconds: number;
  compareWindowSeconds: number;
  queries: PlannedQuery[];
  convention: string;
  templateTitle: string;
  templates: SignalTemplates;
  problem?: string;
}

/** The instant queries the comparison needs (requests and errors become counts over the window). */
const INSTANT_KINDS: SignalKind[] = ['requests', 'errors', 'p95'];

/** What to ask for a workload at `now`; undefined when it has no revision with pods to measure. */
export function planSignals(w: WorkloadView, setting: MetricsQueriesSetting | undefined, now: number): SignalsPlan | undefined {
  const targets = signalTargets(w);
  const sides = (['candidate', 'baseline'] as const).flatMap((side) => (targets[side] ? [{ side, group: targets[side]! }] : []));
  if (!sides.length) return undefined;
  // The release's clock while it runs; once done, the new revision's age (RFC 3339 sorts as time).
  const releaseStart = w.clock?.since ?? (targets.candidate ?? targets.baseline)?.createdAt;
  const since = releaseStart ? Date.parse(releaseStart) : NaN;
  const start = Math.max(Number.isNaN(since) ? now - 15 * 60_000 : since, now - MAX_HISTORY_SECONDS * 1000);
  const span = Math.max(1, (now - start) / 1000);
  const stepSeconds = Math.max(SCRAPE_INTERVAL_SECONDS, Math.ceil(span / MAX_POINTS / SCRAPE_INTERVAL_SECONDS) * SCRAPE_INTERVAL_SECONDS);
  const rateWindowSeconds = Math.max(MIN_RATE_WINDOW_SECONDS, stepSeconds);
  const compareWindowSeconds = Math.max(MIN_RATE_WINDOW_SECONDS, Math.min(COMPARE_WINDOW_SECONDS, Math.floor(span)));
  const { convention, title, templates, problem } = templatesFrom(setting);
  const queries: PlannedQuery[] = [];
  for (const { side, group } of sides) {
    for (const kind of SIGNAL_KINDS) queries.push({ side, kind, type: 'range', promql: queryFor(kind, templates, group, w.namespace, rateWindowSeconds) });
    // Only a pair is compared: one side alone gets its chart.
    if (sides.length === 2) for (const kind of INSTANT_KINDS) queries.push({ side, kind, type: 'instant', promql: queryFor(kind, templates, group, w.namespace, compareWindowSeconds) });
  }
  return { namespace: w.namespace, sides, start, end: now, stepSeconds, rateWindowSeconds, compareWindowSeconds, queries, convention, templateTitle: title, templates, ...(problem ? { problem } : {}) };
}

/** A query's answer: the points of a range query (epoch ms, value), the value of an instant one. */
export type QueryAnswer = { type: 'range'; points: [number, number][] } | { type: 'instant'; value?: number };

export type SignalPoints = Record<SignalKind, [number, number][]>;

export interface SignalSide {
  side: Side;
  label: string;
  role: string;
  revisions: number[];
  pods: number;
  /** The `{{pods}}` value the queries used. */
  selector: string;
  /** requests: per second; errors: failed share of requests (0..1) per point; p50/p95/p99: seconds. */
  series: SignalPoints;
}

export type SignalsStatus = 'live' | 'notConfigured' | 'error' | 'noRevisions';

/** The Metrics section's data. Plain JSON: it crosses postMessage in the panel state. */
export interface GoldenSignals {
  status: SignalsStatus;
  /** Why there are no numbers (not configured, unreachable, forbidden, a rejected query), in words. */
  message?: string;
  /** The client's error kind when status is error (PrometheusErrorKind). */
  errorKind?: string;
  /** Where the numbers come from (the Prometheus client's description). */
  source?: string;
  /** How that Prometheus was chosen: "switchyard.prometheus.url", or the template it was found in ("AnalysisTemplate success-rate"). */
  sourceFrom?: string;
  convention?: string;
  templateTitle?: string;
  templates?: SignalTemplates;
  /** A problem of the setting itself (an unknown convention). */
  settingProblem?: string;
  start?: number;
  end?: number;
  stepSeconds?: number;
  sides: SignalSide[];
  comparison?: SignalComparison;
  /** Queries this refresh sent, and how long they took together (ms). */
  queries: number;
  tookMs?: number;
  refreshSeconds: number;
}

/** The numbers from the answers, in the plan's order. A side's error series is errors / requests per point. */
export function signalsFrom(plan: SignalsPlan, answers: QueryAnswer[], extra: { source?: string; from?: string; tookMs?: number } = {}): GoldenSignals {
  const answerOf = (side: Side, kind: SignalKind, type: 'range' | 'instant') => answers[plan.queries.findIndex((q) => q.side === side && q.kind === kind && q.type === type)];
  const points = (a: QueryAnswer | undefined) => (a?.type === 'range' ? a.points.filter(([, v]) => Number.isFinite(v)) : []);
  const instant = (a: QueryAnswer | undefined) => (a?.type === 'instant' && a.value !== undefined && Number.isFinite(a.value) ? a.value : undefined);
  const sides: SignalSide[] = plan.sides.map(({ side, group }) => {
    const series = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, points(answerOf(side, k, 'range'))])) as SignalPoints;
    const requests = new Map(series.requests);
    // An error share where there were requests; no requests, no share (not 0%).
    series.errors = series.errors.filter(([t]) => (requests.get(t) ?? 0) > 0).map(([t, v]) => [t, v / requests.get(t)!]);
    // A side with requests but no failed ones has no error series at all (Prometheus drops empty sums): 0%.
    if (!points(answerOf(side, 'errors', 'range')).length) series.errors = series.requests.filter(([, v]) => v > 0).map(([t]) => [t, 0]);
    return { side, label: group.label, role: group.role, revisions: group.revisions, pods: group.pods.length, selector: podSelector(group), series };
  });
  let comparison: SignalComparison | undefined;
  if (plan.sides.length === 2) {
    const totals = (side: Side, label: string): WindowTotals => {
      const p95 = instant(answerOf(side, 'p95', 'instant'));
      return {
        label,
        requests: (instant(answerOf(side, 'requests', 'instant')) ?? 0) * plan.compareWindowSeconds,
        errors: (instant(answerOf(side, 'errors', 'instant')) ?? 0) * plan.compareWindowSeconds,
        ...(p95 !== undefined ? { p95 } : {}),
      };
    };
    comparison = compareSignals(totals('candidate', sides[0].label), totals('baseline', sides[1].label), plan.compareWindowSeconds);
  }
  return {
    status: 'live',
    ...(extra.source ? { source: extra.source } : {}),
    ...(extra.from ? { sourceFrom: extra.from } : {}),
    convention: plan.convention,
    templateTitle: plan.templateTitle,
    templates: plan.templates,
    ...(plan.problem ? { settingProblem: plan.problem } : {}),
    start: plan.start,
    end: plan.end,
    stepSeconds: plan.stepSeconds,
    sides,
    ...(comparison ? { comparison } : {}),
    queries: answers.length,
    ...(extra.tookMs !== undefined ? { tookMs: extra.tookMs } : {}),
    refreshSeconds: REFRESH_SECONDS,
  };
}

/** The section's data when there are no numbers to show, with the reason. */
export function signalsUnavailable(status: Exclude<SignalsStatus, 'live'>, message: string, extra: { errorKind?: string; source?: string; from?: string; plan?: SignalsPlan } = {}): GoldenSignals {
  const p = extra.plan;
  return {
    status,
    message,
    ...(extra.errorKind ? { errorKind: extra.errorKind } : {}),
    ...(extra.source ? { source: extra.source } : {}),
    ...(extra.from ? { sourceFrom: extra.from } : {}),
    ...(p ? { convention: p.convention, templateTitle: p.templateTitle, templates: p.templates } : {}),
    sides: [],
    queries: 0,
    refreshSeconds: REFRESH_SECONDS,
  };
}

/** The one line the tree shows for a workload whose panel samples it: the comparison, or why there is none. */
export function signalsLine(s: GoldenSignals | undefined): string | undefined {
  if (!s) return undefined;
  if (s.status !== 'live') return s.status === 'noRevisions' ? undefined : `metrics: ${s.message ?? s.status}`;
  return s.comparison?.text;
}
