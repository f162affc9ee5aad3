// SVG charts as pure functions: a model (points in pixels) that tests can check, and its markup.
// Colours come from classes the stylesheet maps to VS Code theme variables; sizes are SVG
// attributes (not inline styles), which the webview's Content Security Policy allows.
import { html, type Html } from './html';
import type { RollingTimeline } from '../../src/domain/strategy/rollingTimeline';
import type { CanaryPlan, ReplicaSample } from '../../src/domain/panels/state';
import type { MetricView } from '../../src/domain/model/workloads';
import { conditionLines, limitReached } from '../../src/domain/model/analysis';
import { clockTime } from '../../src/domain/model/age';

export interface Point {
  x: number;
  y: number;
}

export interface SeriesInput {
  key: string;
  label: string;
  values: { x: number; y: number }[];
}

export interface ChartModel {
  width: number;
  height: number;
  /** Plot area inside the axes. */
  plot: { left: number; top: number; right: number; bottom: number };
  xMin: number;
  xMax: number;
  yMax: number;
  series: { key: string; label: string; points: Point[] }[];
  yTicks: { value: number; y: number }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A step chart: each value holds until the next one (pod counts change in steps, not slopes). The
 * last value holds to `xMax`.
 */
export function stepChart(series: SeriesInput[], options: { width: number; height: number; xMin: number; xMax: number; yMax?: number; yMarks?: number[] }): ChartModel {
  const { width, height, xMin } = options;
  const xMax = options.xMax > xMin ? options.xMax : xMin + 1;
  const plot = { left: 36, top: 8, right: width - 8, bottom: height - 22 };
  const yMax = Math.max(1, options.yMax ?? Math.max(...series.flatMap((s) => s.values.map((v) => v.y)), 1));
  const sx = (x: number) => round1(plot.left + ((x - xMin) / (xMax - xMin)) * (plot.right - plot.left));
  const sy = (y: number) => round1(plot.bottom - (y / yMax) * (plot.bottom - plot.top));
  const out = series.map((s) => {
    const points: Point[] = [];
    s.values.forEach((v, i) => {
      const next = s.values[i + 1]?.x ?? xMax;
      points.push({ x: sx(v.x), y: sy(v.y) }, { x: sx(next), y: sy(v.y) });
    });
    return { key: s.key, label: s.label, points };
  });
  const marks = [...new Set([0, yMax, ...(options.yMarks ?? [])])].filter((v) => v >= 0 && v <= yMax).sort((a, b) => a - b);
  return { width, height, plot, xMin, xMax, yMax, series: out, yTicks: marks.map((value) => ({ value, y: sy(value) })) };
}

const pointsAttr = (points: Point[]) => points.map((p) => `${p.x},${p.y}`).join(' ');

/** The chart's markup; `xLabels` are placed under the plot at their x value. */
export function renderChart(model: ChartModel, options: { label: string; xLabels: { x: number; text: string }[]; dashed?: string[] }): Html {
  const { plot } = model;
  const sx = (x: number) => round1(plot.left + ((x - model.xMin) / (model.xMax - model.xMin)) * (plot.right - plot.left));
  const dashed = new Set(options.dashed ?? []);
  return html`<svg class="chart" viewBox="0 0 ${model.width} ${model.height}" width="100%" role="img" aria-label="${options.label}">
<title>${options.label}</title>
${model.yTicks.map((t) => html`<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${t.y}" y2="${t.y}"></line><text class="tick" x="${plot.left - 4}" y="${t.y + 3}" text-anchor="end">${t.value}</text>`)}
${options.xLabels.map((l) => html`<text class="tick" x="${sx(l.x)}" y="${model.height - 6}" text-anchor="middle">${l.text}</text>`)}
${model.series.map((s) => html`<polyline class="series s-${s.key}${dashed.has(s.key) ? ' dashed' : ''}" points="${pointsAttr(s.points)}"><title>${s.label}</title></polyline>`)}
</svg>`;
}

export function legend(items: { key: string; label: string }[]): Html {
  return html`<ul class="legend">${items.map((i) => html`<li><span class="swatch s-${i.key}" aria-hidden="true"></span>${i.label}</li>`)}</ul>`;
}

// ---- the charts the panels show -------------------------------------------------------------

export const TIMELINE_SERIES = [
  { key: 'total', label: 'pods running' },
  { key: 'available', label: 'serving capacity' },
  { key: 'desired', label: 'desired replicas' },
];

/** Rolling-update simulation: pods running and serving capacity per step, with the desired line. */
export function timelineChartModel(t: RollingTimeline, width = 560, height = 180): ChartModel {
  const last = t.steps[t.steps.length - 1].step;
  const series: SeriesInput[] = [
    { key: 'total', label: 'pods running', values: t.steps.map((s) => ({ x: s.step, y: s.total })) },
    { key: 'available', label: 'serving capacity', values: t.steps.map((s) => ({ x: s.step, y: s.available })) },
    { key: 'desired', label: 'desired replicas', values: [{ x: 0, y: t.replicas }] },
  ];
  return stepChart(series, { width, height, xMin: 0, xMax: last + 1, yMax: t.highestTotal, yMarks: [t.replicas, t.lowestAvailable] });
}

export function renderTimelineChart(t: RollingTimeline): Html {
  const model = timelineChartModel(t);
  const every = Math.max(1, Math.ceil(t.steps.length / 12));
  const xLabels = t.steps.filter((_, i) => i % every === 0).map((s) => ({ x: s.step + 0.5, text: String(s.step) }));
  const label = `Rolling update of ${t.replicas} pods in ${t.stepCount} steps: at most ${t.highestTotal} pods, capacity never below ${t.lowestAvailable}.`;
  return html`${renderChart(model, { label, xLabels, dashed: ['desired'] })}${legend(TIMELINE_SERIES)}`;
}

export const SAMPLE_SERIES = [
  { key: 'updated', label: 'updated' },
  { key: 'available', label: 'available' },
  { key: 'old', label: 'old' },
  { key: 'desired', label: 'desired' },
];

/** Replica counts over time, from the samples the panel kept, up to `now`. */
export function samplesChartModel(samples: ReplicaSample[], now: number, width = 560, height = 160): ChartModel {
  const xMin = samples[0]?.t ?? now;
  const series = SAMPLE_SERIES.map((s) => ({ ...s, values: samples.map((x) => ({ x: x.t, y: x[s.key as keyof ReplicaSample] })) }));
  return stepChart(series, { width, height, xMin, xMax: Math.max(now, xMin + 1000), yMarks: samples.length ? [samples[samples.length - 1].desired] : [] });
}

export function renderSamplesChart(samples: ReplicaSample[], now: number): Html {
  const model = samplesChartModel(samples, now);
  const ago = (t: number) => {
    const s = Math.round((now - t) / 1000);
    return s <= 0 ? 'now' : s < 120 ? `-${s}s` : `-${Math.round(s / 60)}m`;
  };
  const xLabels = [{ x: model.xMin, text: ago(model.xMin) }, { x: model.xMax, text: 'now' }];
  const last = samples[samples.length - 1];
  const label = last ? `Replicas over time: now ${last.updated} updated, ${last.available} available, ${last.old} old of ${last.desired}.` : 'No samples yet.';
  return html`${renderChart(model, { label, xLabels, dashed: ['desired'] })}${legend(SAMPLE_SERIES)}`;
}

// ---- an AnalysisRun metric's measurements ---------------------------------------------------

export interface MeasurementChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** One per numeric measurement, oldest left, evenly spaced (Argo measures at an interval). */
  points: { x: number; y: number; value: number; phase: string; at?: string }[];
  /** The constants the conditions compare `result` with. */
  lines: { y: number; value: number; text: string; kind: 'failure' | 'success' }[];
  yTicks: { value: number; y: number }[];
}

/** Short tick text for a value: 0.05, 1.2k, 3e-4. */
const tickText = (v: number) => (Math.abs(v) >= 1000 ? `${round1(v / 1000)}k` : Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(0) : String(Math.round(v * 1000) / 1000));

/** A metric's measured values as points against its conditions' constants; undefined without a number to show. */
export function measurementChartModel(m: MetricView, width = 360, height = 110): MeasurementChartModel | undefined {
  if (!m.points.length) return undefined;
  const lines = conditionLines(m);
  const all = [...m.points.map((p) => p.value), ...lines.map((l) => l.value)];
  const lo = Math.min(0, ...all);
  let hi = Math.max(...all);
  if (hi <= lo) hi = lo + 1;
  hi += (hi - lo) * 0.1;
  const plot = { left: 40, top: 8, right: width - 8, bottom: height - 18 };
  const sy = (v: number) => round1(plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top));
  const step = (plot.right - plot.left) / m.points.length;
  return {
    width,
    height,
    plot,
    points: m.points.map((p, i) => ({ x: round1(plot.left + step * (i + 0.5)), y: sy(p.value), value: p.value, phase: p.phase, ...(p.at ? { at: p.at } : {}) })),
    lines: lines.map((l) => ({ ...l, y: sy(l.value) })),
    yTicks: [...new Set([lo, ...lines.map((l) => l.value), Math.max(...m.points.map((p) => p.value))])].map((value) => ({ value, y: sy(value) })),
  };
}

/** The chart of a metric's measurements, with its failure count against the limit in the caption. */
export function renderMeasurementChart(m: MetricView): Html | undefined {
  const model = measurementChartModel(m);
  if (!model) return undefined;
  const { plot } = model;
  const limit = limitReached(m);
  const caption = `${m.name}: ${m.points.length} measured value${m.points.length === 1 ? '' : 's'}, ${m.failed} failed (failureLimit ${m.failureLimit})${limit ? ` — ${limit}` : ''}`;
  const label = `${caption}. Values oldest first: ${model.points.map((p) => `${p.value} ${p.phase}`).join(', ')}${model.lines.length ? `; ${model.lines.map((l) => l.text).join(', ')}` : ''}.`;
  return html`<figure class="measurement-chart"><svg class="chart" viewBox="0 0 ${model.width} ${model.height}" width="100%" role="img" aria-label="${label}">
<title>${label}</title>
${model.yTicks.map((t) => html`<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${t.y}" y2="${t.y}"></line><text class="tick" x="${plot.left - 4}" y="${t.y + 3}" text-anchor="end">${tickText(t.value)}</text>`)}
${model.lines.map((l) => html`<line class="condition condition-${l.kind}" x1="${plot.left}" x2="${plot.right}" y1="${l.y}" y2="${l.y}"></line><text class="tick condition-text" x="${plot.right}" y="${l.y - 3}" text-anchor="end">${l.text}</text>`)}
${model.points.map((p) => html`<circle class="measurement m-${p.phase || 'Pending'}" cx="${p.x}" cy="${p.y}" r="3.5"><title>${p.value} · ${p.phase}${p.at ? ` · ${clockTime(Date.parse(p.at))}` : ''}</title></circle>`)}
</svg><figcaption class="${limit ? 'warn' : 'muted'}">${caption}</figcaption></figure>`;
}

// ---- traffic -------------------------------------------------------------------------------

export interface TrafficRow {
  label: string;
  percent: number;
  canary: number;
  stable: number;
}

const clampPercent = (p: number) => Math.min(100, Math.max(0, Number.isFinite(p) ? p : 0));

/** The canary's share as widths of a bar `width` wide: desired first, then actual. */
export function trafficBars(desired: number, actual: number, width = 400): TrafficRow[] {
  return [
    ['desired', desired],
    ['actual', actual],
  ].map(([label, p]) => {
    const percent = clampPercent(p as number);
    const canary = round1((percent / 100) * width);
    return { label: label as string, percent, canary, stable: round1(width - canary) };
  });
}

export function renderTrafficBars(desired: number, actual: number): Html {
  const width = 400;
  const rows = trafficBars(desired, actual, width);
  return html`<div class="traffic">${rows.map(
    (r) => html`<div class="traffic-row"><span class="traffic-label">${r.label}</span><svg class="bar" viewBox="0 0 ${width} 14" width="100%" height="14" preserveAspectRatio="none" role="img" aria-label="${r.label}: canary ${r.percent}%, stable ${100 - r.percent}%"><rect class="stable" x="${r.canary}" y="0" width="${r.stable}" height="14"></rect><rect class="canary" x="0" y="0" width="${r.canary}" height="14"></rect></svg><span class="traffic-value">${r.percent}% canary</span></div>`,
  )}</div>`;
}

/** The designer's canary plan: per step, the share reached and the pods of each track. */
export function renderCanaryPlan(plan: CanaryPlan): Html {
  const width = 120;
  const maxPods = Math.max(...plan.steps.map((s) => s.canaryPods + s.stablePods), 1);
  return html`<div class="table-scroll"><table class="plan"><thead><tr><th scope="col">step</th><th scope="col">share</th><th scope="col">pods (canary + stable)</th><th scope="col">then</th></tr></thead><tbody>${plan.steps.map((s) => {
    const share = round1((clampPercent(s.share) / 100) * width);
    const c = round1((s.canaryPods / maxPods) * width);
    const st = round1((s.stablePods / maxPods) * width);
    const off = s.share !== s.requested;
    return html`<tr><td>${s.label}</td><td><svg class="bar" viewBox="0 0 ${width} 10" width="${width}" height="10" aria-hidden="true"><rect class="track" x="0" y="0" width="${width}" height="10"></rect><rect class="canary" x="0" y="0" width="${share}" height="10"></rect></svg> <span class="${off ? 'warn' : ''}">${s.share}%</span>${off ? html` <span class="muted">(asked ${s.requested}%)</span>` : ''}</td><td><svg class="bar" viewBox="0 0 ${width} 10" width="${width}" height="10" aria-hidden="true"><rect class="canary" x="0" y="0" width="${c}" height="10"></rect><rect class="stable" x="${c}" y="0" width="${st}" height="10"></rect></svg> ${s.canaryPods} + ${s.stablePods}</td><td>${s.then ?? ''}</td></tr>`;
  })}</tbody></table></div>`;
}

