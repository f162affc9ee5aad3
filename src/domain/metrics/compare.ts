// The comparison of a release's golden signals: the new revision's error rate and latency against
// the baseline's over one window, in words ("canary error rate 4.1% vs stable 0.3% (13x) over the
// last 5 min, 1,240 canary requests"), and whether it is clearly worse, no different, or too little
// traffic to tell. Pure; the verdict line (release/verdict.ts) and the panel read its result.

/** What one side served over the window. */
export interface WindowTotals {
  label: string;
  requests: number;
  errors: number;
  /** p95 latency in seconds over the window, when the latency query answered. */
  p95?: number;
}

export interface ComparisonRules {
  /** Requests each side needs in the window before anything is said about it. */
  minRequests: number;
  /** Errors the new revision needs before it can be called worse (a handful is noise). */
  minErrors: number;
  /** How improbable the new revision's errors must be at the baseline's rate to count (one-sided). */
  pValue: number;
  /** The new revision's error rate must also be at least this many times the baseline's. */
  minRatio: number;
  /** Latency: worse when p95 is this many times the baseline's and at least `latencyMarginSeconds` more. */
  latencyRatio: number;
  latencyMarginSeconds: number;
}

export const DEFAULT_RULES: ComparisonRules = { minRequests: 100, minErrors: 5, pValue: 0.001, minRatio: 1.5, latencyRatio: 1.5, latencyMarginSeconds: 0.1 };

export type ComparisonVerdict = 'worse' | 'same' | 'insufficient';

export interface SignalComparison {
  verdict: ComparisonVerdict;
  /** Which signals are worse, when it is. */
  worse: ('errors' | 'latency')[];
  /** The line: numbers, ratio, window, requests, and the honest note when it cannot tell. */
  text: string;
  windowSeconds: number;
  candidate: WindowTotals;
  baseline: WindowTotals;
  /** Errors the baseline's rate predicts for the new revision's requests. */
  expectedErrors?: number;
  /** P(errors ≥ observed) at that rate. */
  p?: number;
}

const LN_FACTORIAL: number[] = [0];
function lnFactorial(n: number): number {
  for (let i = LN_FACTORIAL.length; i <= n; i++) LN_FACTORIAL[i] = LN_FACTORIAL[i - 1] + Math.log(i);
  return LN_FACTORIAL[n];
}

/** P(X ≥ k) for X ~ Poisson(λ): the chance of seeing at least k errors where λ are expected. */
export function poissonTail(k: number, lambda: number): number {
  const kk = Math.max(0, Math.ceil(k));
  if (kk === 0) return 1;
  if (lambda <= 0) return 0;
  let below = 0;
  for (let i = 0; i < kk; i++) below += Math.exp(-lambda + i * Math.log(lambda) - lnFactorial(i));
  return Math.min(1, Math.max(0, 1 - below));
}

/** "4.1%", "0%", "0.05%": two significant figures under 10%. */
export function percentText(rate: number): string {
  const p = rate * 100;
  if (p === 0) return '0%';
  if (p >= 10) return `${p.toFixed(1).replace(/\.0$/, '')}%`;
  return `${Number(p.toPrecision(2))}%`;
}

/** "85 ms", "1.5 s". */
export function secondsText(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${Number(s.toPrecision(3))} s`;
}

const countText = (n: number) => Math.round(n).toLocaleString('en-US');

/** "5 min", "40 s". */
export function windowText(seconds: number): string {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

const rateOf = (t: WindowTotals) => (t.requests > 0 ? t.errors / t.requests : 0);

function ratioText(candidate: number, baseline: number): string {
  if (baseline === 0) return '';
  const r = candidate / baseline;
  return ` (${r >= 10 ? Math.round(r) : Number(r.toFixed(1))}x)`;
}

/**
 * Compares the new revision with the baseline over the window. Errors are worse when they are both
 * improbable at the baseline's rate (Poisson tail of the errors seen against those expected at the
 * baseline's rate, which gets one error added so that a baseline with none still has a rate) and a
 * real difference (at least `minRatio` times the rate, at least `minErrors` errors). Too few
 * requests on either side is said as such, with the numbers.
 */
export function compareSignals(candidate: WindowTotals, baseline: WindowTotals, windowSeconds: number, rules: ComparisonRules = DEFAULT_RULES): SignalComparison {
  const base = { windowSeconds, candidate, baseline };
  const over = `over the last ${windowText(windowSeconds)}`;
  if (candidate.requests < rules.minRequests || baseline.requests < rules.minRequests) {
    return {
      ...base,
      verdict: 'insufficient',
      worse: [],
      text: `too little traffic to tell: ${candidate.label} ${countText(candidate.requests)} requests, ${baseline.label} ${countText(baseline.requests)} ${over} (each needs ${rules.minRequests})`,
    };
  }
  const cRate = rateOf(candidate);
  const bRate = rateOf(baseline);
  const baselineRate = (baseline.errors + 1) / (baseline.requests + 1);
  const expectedErrors = candidate.requests * baselineRate;
  const p = poissonTail(Math.round(candidate.errors), expectedErrors);
  const worse: SignalComparison['worse'] = [];
  if (candidate.errors >= rules.minErrors && p < rules.pValue && cRate >= rules.minRatio * bRate) worse.push('errors');
  const latency = candidate.p95 !== undefined && baseline.p95 !== undefined && Number.isFinite(candidate.p95) && Number.isFinite(baseline.p95);
  if (latency && candidate.p95! >= rules.latencyRatio * baseline.p95! && candidate.p95! - baseline.p95! >= rules.latencyMarginSeconds) worse.push('latency');
  const ratio = bRate === 0 ? (cRate === 0 ? '' : ` (${baseline.label} none)`) : ratioText(cRate, bRate);
  const errorsLine = `${candidate.label} error rate ${percentText(cRate)} vs ${baseline.label} ${percentText(bRate)}${ratio} ${over}, ${countText(candidate.requests)} ${candidate.label} requests`;
  const latencyLine = latency ? `; p95 ${secondsText(candidate.p95!)} vs ${secondsText(baseline.p95!)}${worse.includes('latency') ? ratioText(candidate.p95!, baseline.p95!) : ''}` : '';
  const note = worse.length
    ? ` — ${worse.map((x) => (x === 'errors' ? `clearly more errors (${countText(candidate.errors)} where ${baseline.label}'s rate predicts ${expectedErrors < 1 ? 'under 1' : countText(expectedErrors)})` : 'clearly slower')).join(' and ')}`
    : ' — no clear difference';
  return { ...base, verdict: worse.length ? 'worse' : 'same', worse, text: `${errorsLine}${latencyLine}${note}`, expectedErrors, p };
}
