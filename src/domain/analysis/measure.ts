// One measurement of an AnalysisTemplate's Prometheus metric as Argo Rollouts v1.9.2 takes it,
// without an AnalysisRun: the args merged and substituted (utils/analysis MergeArgs, utils/template
// over fasttemplate: `{{args.x}}` and `{{ args.x }}`), Prometheus's answer turned into `result`
// (metricproviders/prometheus processResponse: a vector or matrix becomes a list of floats, a
// scalar one float) and the phase Argo records (utils/evaluate EvaluateResult). Pure.
import { ExprError, UnsupportedExpression, evaluateCondition } from './expr';
import { goDurationMs } from '../release/clock';

// Not yaml/documents' isRecord: the view model imports this file, and must not pull in the YAML parser.
const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An argument as a template declares it and a Rollout passes it. */
export interface AnalysisArg {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key?: string };
    podTemplateHashValue?: string;
    fieldRef?: { fieldPath?: string };
  };
}

export interface PrometheusMetricSpec {
  name: string;
  /** Index in spec.metrics (for positions in the document). */
  index: number;
  query: string;
  address?: string;
  successCondition?: string;
  failureCondition?: string;
  /** Set when the metric asks for a range query: start and end are expr expressions (`now() - duration("5m")`), step a Go duration. */
  rangeQuery?: RangeQuerySpec;
  /** `insecure: true`: the metric's Prometheus certificate is not verified. */
  insecure?: boolean;
  /** Request headers (args substituted in their values as in the rest of the metric). */
  headers?: { key: string; value: string }[];
  /** Argo's query timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** The signing the metric asks for (sigv4, oauth2), which Evaluate now does not do. */
  authentication?: string;
}

/** PrometheusRangeQueryArgs as the template writes it. */
export interface RangeQuerySpec {
  start?: string;
  end?: string;
  step?: string;
}

/** The Prometheus metrics of an AnalysisTemplate / ClusterAnalysisTemplate's spec, and its args. */
export function prometheusMetrics(spec: unknown): { args: AnalysisArg[]; metrics: PrometheusMetricSpec[] } {
  const s = isRecord(spec) ? spec : {};
  const args = Array.isArray(s.args) ? s.args.filter((a): a is AnalysisArg => isRecord(a) && typeof a.name === 'string') : [];
  const metrics: PrometheusMetricSpec[] = [];
  (Array.isArray(s.metrics) ? s.metrics : []).forEach((m: unknown, index: number) => {
    if (!isRecord(m) || typeof m.name !== 'string') return;
    const p = isRecord(m.provider) && isRecord(m.provider.prometheus) ? m.provider.prometheus : undefined;
    if (!p || typeof p.query !== 'string') return;
    metrics.push({
      name: m.name,
      index,
      query: p.query,
      ...(typeof p.address === 'string' && p.address ? { address: p.address } : {}),
      ...(typeof m.successCondition === 'string' && m.successCondition ? { successCondition: m.successCondition } : {}),
      ...(typeof m.failureCondition === 'string' && m.failureCondition ? { failureCondition: m.failureCondition } : {}),
      ...(isRecord(p.rangeQuery) ? { rangeQuery: Object.fromEntries((['start', 'end', 'step'] as const).flatMap((k) => (p.rangeQuery[k] !== undefined ? [[k, String(p.rangeQuery[k])]] : []))) as RangeQuerySpec } : {}),
      ...(p.insecure === true ? { insecure: true } : {}),
      ...(Array.isArray(p.headers) ? { headers: p.headers.filter((h: unknown) => isRecord(h) && typeof h.key === 'string').map((h: Record<string, unknown>) => ({ key: h.key as string, value: String(h.value ?? '') })) } : {}),
      ...(typeof p.timeout === 'number' && p.timeout > 0 ? { timeoutSeconds: p.timeout } : {}),
      ...(isRecord(p.authentication) && Object.keys(p.authentication).some((k) => isRecord(p.authentication[k]) && Object.keys(p.authentication[k]).length) ? { authentication: Object.keys(p.authentication).filter((k) => isRecord(p.authentication[k]) && Object.keys(p.authentication[k]).length).join(', ') } : {}),
    });
  });
  return { args, metrics };
}

// ---------- args ----------

export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

/** An arg without a value that a person can supply (a secret, a field of a Rollout we do not have). */
export interface ArgToAsk {
  name: string;
  why: string;
}

/**
 * The template's args with the caller's (a Rollout's analysis args, or typed ones) merged over them
 * as MergeArgs does: an incoming value or valueFrom replaces the template's; an incoming arg the
 * template does not declare is ignored. Values come from `value`, or from the Rollout for
 * `podTemplateHashValue` and `fieldRef`; what stays unknown is to ask, and an arg with neither
 * value nor valueFrom is the error Argo gives ("args.x was not resolved").
 */
export function resolveArgs(templateArgs: readonly AnalysisArg[], incoming: readonly AnalysisArg[] = [], rollout?: unknown): { values: Record<string, string>; toAsk: ArgToAsk[] } {
  const merged = templateArgs.map((a) => ({ ...a }));
  for (const arg of incoming) {
    const target = merged.find((a) => a.name === arg.name);
    if (!target) continue;
    if (arg.value !== undefined) target.value = arg.value;
    else if (arg.valueFrom !== undefined) target.valueFrom = arg.valueFrom;
  }
  const missing = merged.find((a) => a.value === undefined && a.valueFrom === undefined);
  if (missing) throw new ArgsError(`args.${missing.name} was not resolved`);
  const values: Record<string, string> = {};
  const toAsk: ArgToAsk[] = [];
  for (const a of merged) {
    if (a.value !== undefined) {
      values[a.name] = a.value;
      continue;
    }
    const from = a.valueFrom!;
    const resolved = rollout !== undefined ? valueFromRollout(from, rollout) : undefined;
    if (resolved !== undefined) values[a.name] = resolved;
    else toAsk.push({ name: a.name, why: whyUnknown(from, rollout !== undefined) });
  }
  return { values, toAsk };
}

function whyUnknown(from: NonNullable<AnalysisArg['valueFrom']>, haveRollout: boolean): string {
  if (from.secretKeyRef) return `from Secret ${from.secretKeyRef.name ?? '?'} key ${from.secretKeyRef.key ?? '?'} (not read: type it to evaluate)`;
  if (from.podTemplateHashValue) return haveRollout ? `the Rollout has no ${from.podTemplateHashValue} pod-template hash yet` : `the ${from.podTemplateHashValue} pod-template hash of a Rollout`;
  if (from.fieldRef) return haveRollout ? `field ${from.fieldRef.fieldPath ?? '?'} of the Rollout is not set` : `field ${from.fieldRef.fieldPath ?? '?'} of a Rollout`;
  return 'a valueFrom this evaluator does not read';
}

/** podTemplateHashValue (Stable: status.stableRS, Latest: status.currentPodHash) and fieldRef, as the rollout controller resolves them. */
function valueFromRollout(from: NonNullable<AnalysisArg['valueFrom']>, rollout: unknown): string | undefined {
  const r = isRecord(rollout) ? rollout : {};
  const status = isRecord(r.status) ? r.status : {};
  if (from.podTemplateHashValue === 'Latest') return typeof status.currentPodHash === 'string' && status.currentPodHash ? status.currentPodHash : undefined;
  if (from.podTemplateHashValue === 'Stable') return typeof status.stableRS === 'string' && status.stableRS ? status.stableRS : undefined;
  if (from.fieldRef?.fieldPath) return fieldOf(r, from.fieldRef.fieldPath);
  return undefined;
}

/** A fieldPath as Argo reads it from the Rollout: dotted names, `labels['key']` / `annotations['key']`. */
function fieldOf(object: Record<string, unknown>, fieldPath: string): string | undefined {
  const parts: string[] = [];
  const re = /([^.[\]]+)|\[['"]([^'"]+)['"]\]/g;
  for (let m; (m = re.exec(fieldPath)); ) parts.push(m[1] ?? m[2]);
  let v: unknown = object;
  for (const p of parts) v = isRecord(v) ? v[p] : undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * `{{…}}` replaced as Argo's template resolution does it (fasttemplate with `{{` `}}`): the tag is
 * trimmed, so `{{args.x}}` and `{{ args.x }}` both work; a tag that names no supplied arg is an
 * error ("failed to resolve {{tag}}", the last one reported as Argo does); an unclosed `{{` too.
 */
export function substituteArgs(text: string, values: Record<string, string>): string {
  return substituteArgsMapped(text, values).text;
}

/**
 * substituteArgs, and where an offset of the substituted text was in the original (an offset inside
 * a substituted value maps to its tag's start): Prometheus's error positions point into the text
 * it got, the editor shows the template's.
 */
export function substituteArgsMapped(text: string, values: Record<string, string>): { text: string; original: (offset: number) => number } {
  let out = '';
  let unresolved: string | undefined;
  // [offset in out, offset in text, length of the value written (-1: copied text)]
  const pieces: [number, number, number][] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new ArgsError(`Cannot find end tag="}}" in the template=${JSON.stringify(text)} starting from ${JSON.stringify(text.slice(open + 2))}`);
    pieces.push([out.length, i, -1]);
    out += text.slice(i, open);
    const tag = text.slice(open + 2, close);
    const key = tag.trim();
    const value = key.startsWith('args.') && Object.prototype.hasOwnProperty.call(values, key.slice(5)) ? values[key.slice(5)] : undefined;
    if (value === undefined) unresolved = tag;
    else {
      pieces.push([out.length, open, value.length]);
      out += value;
    }
    i = close + 2;
  }
  if (unresolved !== undefined) throw new ArgsError(`failed to resolve {{${unresolved}}}`);
  pieces.push([out.length, i, -1]);
  out += text.slice(i);
  const original = (offset: number) => {
    let piece = pieces[0];
    for (const p of pieces) if (p[0] <= offset) piece = p;
    return piece[2] >= 0 ? piece[1] : piece[1] + (offset - piece[0]);
  };
  return { text: out, original };
}

// ---------- range queries ----------

/**
 * A rangeQuery's start or end as Argo evaluates it (utils/evaluate EvalTime: an expr expression that
 * must give a time): `now()`, optionally plus or minus `duration("…")` (a Go duration), which is
 * what templates write; any other expression is unsupported here rather than guessed. Epoch ms.
 */
export function rangeTime(expression: string, now: number): { at: number } | { error: string } | { unsupported: string } {
  const m = /^\s*now\(\)\s*(?:([+-])\s*duration\(\s*(?:"([^"]*)"|'([^']*)')\s*\)\s*)?$/.exec(expression);
  if (!m) return { unsupported: `\`${expression}\` (Evaluate now reads now() and now() ± duration("…"))` };
  if (!m[1]) return { at: now };
  const text = m[2] ?? m[3];
  const ms = goDurationMs(text);
  if (ms === undefined) return { error: `time: invalid duration ${JSON.stringify(text)}` };
  return { at: m[1] === '-' ? now - ms : now + ms };
}

/**
 * The range a metric's rangeQuery asks for at `now` (args already substituted), or the error Argo
 * records ("failed to parse rangeQuery.start as time: …"), or what Evaluate now cannot read.
 */
export function rangeOf(spec: RangeQuerySpec, now: number): { start: number; end: number; stepSeconds: number } | { error: string } | { unsupported: string } {
  const start = rangeTime(spec.start ?? '', now);
  if (!('at' in start)) return 'error' in start ? { error: `failed to parse rangeQuery.start as time: ${start.error}` } : { unsupported: `rangeQuery.start ${start.unsupported}` };
  const end = rangeTime(spec.end ?? '', now);
  if (!('at' in end)) return 'error' in end ? { error: `failed to parse rangeQuery.end as time: ${end.error}` } : { unsupported: `rangeQuery.end ${end.unsupported}` };
  const stepMs = goDurationMs(spec.step ?? '');
  if (stepMs === undefined) return { error: `failed to parse rangeQuery.step as duration: time: invalid duration ${JSON.stringify(spec.step ?? '')}` };
  return { start: start.at, end: end.at, stepSeconds: stepMs / 1000 };
}

// ---------- the result ----------

/** Prometheus's query answer (as src/kube/prometheus.ts types it), structurally. */
export type PrometheusData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/** A sample value as Prometheus writes it ("NaN", "+Inf", "-Inf", decimals). */
export function sampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64), which Prometheus's SampleValue.String() uses: no exponent. */
export function formatSample(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp < 0) return `${m[1]}0.${'0'.repeat(-exp - 1)}${digits}`;
  return m[1] + digits.padEnd(exp + 1, '0');
}

/** `result` for the conditions and the value Argo records, or the error for a type it does not take. */
export function resultOf(data: PrometheusData): { result: number | number[]; value: string } | { error: string } {
  switch (data.resultType) {
    case 'scalar':
      return { result: sampleValue(data.result[1]), value: formatSample(sampleValue(data.result[1])) };
    case 'vector': {
      const values = data.result.map((s) => sampleValue(s.value[1]));
      return { result: values, value: `[${values.map(formatSample).join(',')}]` };
    }
    case 'matrix': {
      // every sample of every series, one flat list
      const values = data.result.flatMap((s) => s.values.map((v) => sampleValue(v[1])));
      return { result: values, value: `[${values.map(formatSample).join(',')}]` };
    }
    default:
      return { error: 'Prometheus metric type not supported' };
  }
}

// ---------- the verdict ----------

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface ConditionOutcome {
  condition: string;
  /** Its value; undefined when it could not be evaluated (see error / unsupported). */
  holds?: boolean;
  error?: string;
  unsupported?: string;
}

export interface MeasurementVerdict {
  /** The phase Argo records; undefined when a condition is outside the supported subset. */
  phase?: MeasurementPhase;
  success?: ConditionOutcome;
  failure?: ConditionOutcome;
  message?: string;
}

function outcome(condition: string, result: number | number[]): ConditionOutcome {
  try {
    return { condition, holds: evaluateCondition(condition, result) };
  } catch (e) {
    if (e instanceof UnsupportedExpression) return { condition, unsupported: e.message };
    if (e instanceof ExprError) return { condition, error: e.message };
    throw e;
  }
}

/**
 * The phase of one measurement with this result (EvaluateResult): an evaluation error is Error; no
 * conditions is Successful; with only a successCondition, not holding is Failed; with only a
 * failureCondition, not holding is Successful; with both, Failed wins, and neither holding is
 * Inconclusive.
 */
export function measurementVerdict(metric: Pick<PrometheusMetricSpec, 'successCondition' | 'failureCondition'>, result: number | number[]): MeasurementVerdict {
  const success = metric.successCondition ? outcome(metric.successCondition, result) : undefined;
  // Argo stops at the successCondition's error: the failureCondition is not evaluated then
  if (success?.error) return { phase: 'Error', success, message: success.error };
  const failure = metric.failureCondition ? outcome(metric.failureCondition, result) : undefined;
  const unsupported = success?.unsupported ?? failure?.unsupported;
  const verdict = { ...(success ? { success } : {}), ...(failure ? { failure } : {}) };
  // whatever an unsupported successCondition would give, an erring failureCondition makes it Error
  if (failure?.error) return { ...verdict, phase: 'Error', message: failure.error };
  if (unsupported) return { ...verdict, message: unsupported };
  if (!success && !failure) return { phase: 'Successful' };
  let succeeded = success?.holds ?? false;
  let failed = failure?.holds ?? false;
  if (success && !failure) failed = !succeeded;
  if (!success && failure) succeeded = !failed;
  if (failed) return { ...verdict, phase: 'Failed' };
  if (!succeeded) return { ...verdict, phase: 'Inconclusive' };
  return { ...verdict, phase: 'Successful' };
}

/** A measurement that never reached the conditions (a query error, an unsupported result type): Error, with the message. */
export function errorVerdict(message: string): MeasurementVerdict {
  return { phase: 'Error', message };
}

// ---------- which Rollouts use a template ----------

export interface TemplateRef {
  templateName: string;
  clusterScope: boolean;
}

/** One place of a Rollout's spec that runs analysis: its templates and the args it passes them. */
export interface AnalysisUsage {
  /** How the place reads: "background analysis", "step 3 analysis", "prePromotionAnalysis"… */
  where: string;
  templates: TemplateRef[];
  args: AnalysisArg[];
}

function refsOf(value: unknown): TemplateRef[] {
  return (Array.isArray(value) ? value : []).filter((t) => isRecord(t) && typeof t.templateName === 'string').map((t) => ({ templateName: t.templateName, clusterScope: t.clusterScope === true }));
}

function usage(where: string, analysis: unknown): AnalysisUsage[] {
  if (!isRecord(analysis)) return [];
  const templates = refsOf(analysis.templates);
  const args = Array.isArray(analysis.args) ? analysis.args.filter((a): a is AnalysisArg => isRecord(a) && typeof a.name === 'string') : [];
  return templates.length ? [{ where, templates, args }] : [];
}

/** Every place a Rollout's strategy runs AnalysisTemplates: background and step analysis, experiment analyses, blue/green pre- and post-promotion. */
export function analysisUsages(rollout: unknown): AnalysisUsage[] {
  const strategy = isRecord(rollout) && isRecord(rollout.spec) && isRecord(rollout.spec.strategy) ? rollout.spec.strategy : {};
  const canary = isRecord(strategy.canary) ? strategy.canary : {};
  const blueGreen = isRecord(strategy.blueGreen) ? strategy.blueGreen : {};
  const steps: unknown[] = Array.isArray(canary.steps) ? canary.steps : [];
  return [
    ...usage('background analysis', canary.analysis),
    ...steps.flatMap((step, i) => {
      if (!isRecord(step)) return [];
      const experiment = isRecord(step.experiment) && Array.isArray(step.experiment.analyses) ? step.experiment.analyses : [];
      return [
        ...usage(`step ${i} analysis`, step.analysis),
        ...experiment.flatMap((a: unknown) => (isRecord(a) ? usage(`step ${i} experiment analysis ${String(a.name ?? '')}`.trim(), { templates: [a], args: a.args }) : [])),
      ];
    }),
    ...usage('prePromotionAnalysis', blueGreen.prePromotionAnalysis),
    ...usage('postPromotionAnalysis', blueGreen.postPromotionAnalysis),
  ];
}

/** The usages of one template (a ClusterAnalysisTemplate is referenced with clusterScope: true). */
export function usagesOf(rollout: unknown, templateName: string, clusterScope: boolean): AnalysisUsage[] {
  return analysisUsages(rollout).filter((u) => u.templates.some((t) => t.templateName === templateName && t.clusterScope === clusterScope));
}
