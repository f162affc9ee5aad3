// The Metrics section of the rollout details panel: golden signals per revision since the release
// started (request rate, error rate, p50/p95/p99 latency as small charts), the comparison line and
// the templates in use; or why there are none. Pure, like the other renderers.
import type { GoldenSignals, SignalSide } from '../../src/domain/metrics/signals';
import type { SignalKind } from '../../src/domain/metrics/queries';
import { secondsText } from '../../src/domain/metrics/compare';
import { legend, renderChart, stepChart, type SeriesInput } from './charts';
import { html, type Html } from './html';

const round = (n: number, digits: number) => Number(n.toFixed(digits));

interface ChartSpec {
  title: string;
  unit: string;
  kinds: SignalKind[];
  /** The value as drawn (req/s, %, ms). */
  scale: (v: number) => number;
}

const CHARTS: ChartSpec[] = [
  { title: 'Request rate', unit: 'req/s', kinds: ['requests'], scale: (v) => round(v, 1) },
  { title: 'Error rate', unit: '%', kinds: ['errors'], scale: (v) => round(v * 100, 1) },
  { title: 'Latency p50 / p95 / p99', unit: 'ms', kinds: ['p50', 'p95', 'p99'], scale: (v) => Math.round(v * 1000) },
];

/** Series keys: the side (colour) and, for latency, the quantile (dash pattern). */
const seriesKey = (side: SignalSide, kind: SignalKind) => (kind === 'requests' || kind === 'errors' ? side.side : `${side.side} q-${kind}`);

function chart(s: GoldenSignals, spec: ChartSpec): Html {
  const xMin = s.start ?? 0;
  const xMax = s.end ?? xMin + 1;
  const series: SeriesInput[] = s.sides.flatMap((side) =>
    spec.kinds.map((kind) => ({ key: seriesKey(side, kind), label: `${side.label}${spec.kinds.length > 1 ? ` ${kind}` : ''}`, values: side.series[kind].map(([t, v]) => ({ x: t, y: spec.scale(v) })) })),
  );
  const last = (side: SignalSide, kind: SignalKind) => side.series[kind][side.series[kind].length - 1]?.[1];
  const now = s.sides.map((side) => `${side.label} ${spec.kinds.map((k) => (last(side, k) === undefined ? 'no data' : `${spec.kinds.length > 1 ? `${k} ` : ''}${spec.scale(last(side, k)!)} ${spec.unit}`)).join(', ')}`).join('; ');
  const model = stepChart(series, { width: 360, height: 120, xMin, xMax });
  const minutes = Math.round((xMax - xMin) / 60_000);
  const label = `${spec.title} since the release started (${spec.unit}): now ${now}.`;
  return html`<figure class="signal-chart"><figcaption>${spec.title} <span class="muted">${spec.unit} · now ${now}</span></figcaption>${renderChart(model, { label, xLabels: [{ x: xMin, text: minutes >= 1 ? `-${minutes}m` : `-${Math.round((xMax - xMin) / 1000)}s` }, { x: xMax, text: 'now' }] })}</figure>`;
}

function templates(s: GoldenSignals): Html {
  if (!s.templates) return html``;
  return html`<details class="templates"><summary>Queries: ${s.templateTitle ?? s.convention ?? ''} <span class="muted">(switchyard.metrics.queries)</span></summary>
<dl>${(['requests', 'errors', 'latency'] as const).map((k) => html`<dt>${k}</dt><dd><code>${s.templates![k]}</code></dd>`)}</dl>
${s.sides.map((side) => html`<p class="muted">${side.label}: revision ${side.revisions.join(', ')}, ${side.pods} pod(s), <code>{{pods}}</code> = <code>${side.selector}</code></p>`)}
</details>`;
}

/** Which Prometheus, and how it was chosen when not by the setting: "Prometheus from AnalysisTemplate success-rate: service …". */
function prometheusLine(s: GoldenSignals): string {
  const from = s.sourceFrom && s.sourceFrom !== 'switchyard.prometheus.url' ? ` from ${s.sourceFrom}` : '';
  return `Prometheus${from}${s.source ? `: ${s.source}` : ''}`;
}

/** The section, or a message in it when Prometheus is not configured, cannot be reached, refuses, or rejects a query. */
export function metricsSection(s: GoldenSignals | undefined): Html | undefined {
  if (!s) return undefined;
  const head = html`<h2 id="h-metrics">Metrics <span class="muted">golden signals per revision</span></h2>`;
  if (s.status !== 'live') {
    const cls = s.status === 'noRevisions' ? 'muted' : 'warn';
    return html`<section aria-labelledby="h-metrics" class="metrics-section">${head}<p class="${cls} metrics-message" role="status">${s.message ?? ''}</p>${s.source ? html`<p class="muted metrics-source">${prometheusLine(s)}</p>` : ''}${templates(s)}</section>`;
  }
  const c = s.comparison;
  const comparison = c ? html`<p class="comparison comparison-${c.verdict}" role="status">${c.text}</p>` : html`<p class="muted">Only ${s.sides[0]?.label ?? 'one revision'} runs: nothing to compare it with.</p>`;
  const quantiles = [
    { key: 'q-p50', label: 'p50 (dotted)' },
    { key: 'q-p99', label: 'p99 (dashed)' },
  ];
  return html`<section aria-labelledby="h-metrics" class="metrics-section">${head}
${comparison}
${s.settingProblem ? html`<p class="warn">${s.settingProblem}</p>` : ''}
<div class="signal-charts">${CHARTS.map((spec) => chart(s, spec))}</div>
${legend([...s.sides.map((side) => ({ key: side.side, label: side.label })), ...quantiles])}
<p class="muted metrics-source">${prometheusLine(s)} · step ${s.stepSeconds ?? '?'} s · ${s.queries} queries${s.tookMs !== undefined ? ` in ${secondsText(s.tookMs / 1000)}` : ''} · refreshed every ${s.refreshSeconds} s while this panel is visible</p>
${templates(s)}
</section>`;
}
