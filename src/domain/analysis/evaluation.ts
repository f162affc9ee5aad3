// What "Evaluate now" shows for a metric and where a query Prometheus rejects is in the document.
// The measurement itself is taken by src/kube/analysisEvaluate.ts; this is its shape, its Markdown
// report and the position mapping. Pure.
import { formatSample, type MeasurementVerdict, type ConditionOutcome } from './measure';

export interface MetricEvaluation {
  metric: string;
  /** The query after args substitution (undefined when substitution failed). */
  query?: string;
  /** Where it was asked (a URL, or a Service through the API server's proxy). */
  prometheus?: string;
  /** A rangeQuery's range as asked (epoch ms, step in seconds). */
  range?: { start: number; end: number; stepSeconds: number };
  /** The value Argo would record (`[0.2]`), and the result the conditions saw. */
  value?: string;
  result?: number | number[];
  warnings: string[];
  verdict: MeasurementVerdict;
  /** A query Prometheus rejected: its own words and, for a parse error, where (1-based, in `query`). */
  rejected?: { error: string; position?: { line: number; column: number } };
  /** Offset in the template's query text of the rejected position (see substituteArgsMapped). */
  rejectedAt?: number;
}

const FIRST_VALUES = 10;

function conditionLine(label: string, c: ConditionOutcome | undefined): string {
  if (!c) return `- ${label}: not set`;
  const state = c.holds !== undefined ? `**${c.holds}**` : c.error ? `error: ${c.error}` : c.unsupported!;
  return `- ${label} \`${c.condition}\`: ${state}`;
}

/** A read-only Markdown report of one evaluation of a template's metrics. */
export function evaluationReport(template: { kind: string; name: string; namespace?: string }, args: Record<string, string>, evaluations: readonly MetricEvaluation[], at: Date): string {
  const lines = [`# Evaluate now: ${template.kind} ${template.namespace ? `${template.namespace}/` : ''}${template.name}`, '', `${at.toISOString()} — one measurement per metric, as Argo Rollouts would take it. No AnalysisRun was created.`, ''];
  const argNames = Object.keys(args);
  if (argNames.length) lines.push('Args:', '', ...argNames.map((n) => `- \`${n}\` = \`${args[n]}\``), '');
  for (const e of evaluations) {
    lines.push(`## ${e.metric}: ${e.verdict.phase ?? 'no verdict'}`, '');
    if (e.prometheus) lines.push(`Prometheus: ${e.prometheus}`, '');
    if (e.range) lines.push(`Range query: ${new Date(e.range.start).toISOString()} to ${new Date(e.range.end).toISOString()}, step ${e.range.stepSeconds} s`, '');
    if (e.query !== undefined) lines.push('```promql', e.query.trimEnd(), '```', '');
    if (e.rejected) lines.push(`Prometheus rejected the query: ${e.rejected.error}`, '');
    if (Array.isArray(e.result)) {
      const shown = e.result.slice(0, FIRST_VALUES).map(formatSample).join(', ');
      lines.push(`Result: ${e.result.length} value(s)${e.result.length ? `: ${shown}${e.result.length > FIRST_VALUES ? ', …' : ''}` : ' (empty: no series matched)'}`, '');
    } else if (e.result !== undefined) lines.push(`Result: ${formatSample(e.result)} (a scalar)`, '');
    if (e.value !== undefined) lines.push(`Value Argo records: \`${e.value}\``, '');
    for (const w of e.warnings) lines.push(`> Prometheus warning: ${w}`, '');
    if (e.verdict.success || e.verdict.failure || e.result !== undefined) lines.push(conditionLine('successCondition', e.verdict.success), conditionLine('failureCondition', e.verdict.failure), '');
    lines.push(`Measurement: **${e.verdict.phase ?? 'not evaluated'}**${e.verdict.message ? ` — ${e.verdict.message}` : ''}`, '');
  }
  return lines.join('\n');
}

/**
 * Where a 1-based line/column of a metric's query (the template's text, before substitution) is in
 * the file: `source` is the YAML text of the `query` value node from its first character (`|`, a
 * quote or the plain scalar itself) at `valueStart` in the file. Exact for literal block scalars
 * (`|`, the usual form) and one-line plain or quoted scalars; a folded block (`>`) joins its lines,
 * so there the position is the block's first line.
 */
export function queryOffsetInFile(source: string, valueStart: number, queryText: string, offsetInQuery: number): number {
  const before = queryText.slice(0, offsetInQuery);
  const line = before.split('\n').length - 1;
  const column = offsetInQuery - (before.lastIndexOf('\n') + 1);
  if (source.startsWith('|') || source.startsWith('>')) {
    const body = source.slice(source.indexOf('\n') + 1);
    const rows = body.split('\n');
    const indent = /^ */.exec(rows.find((r) => r.trim()) ?? '')![0].length;
    let offset = valueStart + source.indexOf('\n') + 1;
    if (source.startsWith('>')) return offset + indent;
    for (let i = 0; i < line && i < rows.length; i++) offset += rows[i].length + 1;
    return offset + indent + column;
  }
  const quoted = source.startsWith('"') || source.startsWith("'") ? 1 : 0;
  return valueStart + quoted + (line === 0 ? column : offsetInQuery);
}
