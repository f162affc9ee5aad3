// The view model of a Flagger Canary (flagger.app/v1beta1): one pure function from the Canary, the
// Deployments it runs (its target, where the canary runs, and `<target>-primary`, which serves) with
// their ReplicaSets and pods, and the MetricTemplates its analysis refers to. Flagger's own rules are
// read from its source (github.com/fluxcd/flagger v1.36.1) and cited where they are used; nothing
// here is copied from it.
import type { EventView } from './events';
import type { Condition, FlaggerAnalysis, FlaggerCanary, FlaggerHookType, FlaggerMetric, FlaggerPhase } from './objects';
import { flaggerDeployments, type IndexedNamespace } from './indexed';
import type { Health } from './status';
import { countdownText, goDurationMs } from '../release/clock';
import { withLastChange } from './lean';
import { withStartProblem, withStuckProblems } from './reasons';
import { deploymentView, groupRevisions, withServices, type FlaggerStrategy, type GroupMember, type StrategyKind, type WorkloadView } from './workloads';

/** A metric of the analysis, with the range it must stay in and, for a `templateRef`, the template's provider and query. */
export interface FlaggerMetricView {
  name: string;
  /** The metric's interval (Flagger's default MetricInterval is 1m). */
  interval: string;
  /** The range a check passes in: thresholdRange, or the deprecated `threshold` as Flagger reads it (a minimum for request-success-rate, a maximum otherwise). */
  min?: number;
  max?: number;
  /** Flagger's built-in metrics (request-success-rate in percent, request-duration in milliseconds): their query is the mesh provider's. */
  builtin: boolean;
  query?: string;
  template?: {
    name: string;
    namespace: string;
    /** The template was found in the store. */
    found: boolean;
    /** Its namespace is watched (only the Canary's own is): a template elsewhere is not known, not missing. */
    watched: boolean;
    provider?: string;
    address?: string;
    query?: string;
  };
}

export interface FlaggerWebhookView {
  name: string;
  /** Flagger's default type is `rollout` (a check run at every iteration). */
  type: FlaggerHookType;
  url: string;
  /** A gate: confirm-rollout, confirm-promotion or confirm-traffic-increase hold the analysis until they answer 200. */
  gate: boolean;
}

/** Flagger's estimate of how long an analysis takes (docs: interval × steps), counted from a status change. */
export interface FlaggerEstimate {
  /** Analysis intervals still to run before the promotion starts. */
  remaining: number;
  /** All of them, from the start of an analysis. */
  total: number;
  intervalMs: number;
  /** analysis.interval as written (or Flagger's default). */
  interval: string;
  /** The status change the count starts from (status.lastTransitionTime): Flagger writes it at every step. */
  from?: string;
  /** The formula in words: "interval 1m × 5 steps (maxWeight 50 / stepWeight 10)". */
  formula: string;
}

export interface FlaggerView {
  /** The Canary as the store keeps it: the actions decide on its spec and status (actions/flagger.ts). */
  canary: FlaggerCanary;
  /** status.phase; absent until Flagger has seen the Canary. */
  phase?: FlaggerPhase;
  /** spec.provider (kubernetes, istio, gatewayapi:v1, …); empty: Flagger's -mesh-provider flag. */
  provider: string;
  target: string;
  primary: string;
  /** status.canaryWeight against maxWeight (the last of stepWeights, else maxWeight, else 100). */
  weight: number;
  maxWeight: number;
  stepWeight?: number;
  /** The weights the canary walks through, in order. */
  steps: number[];
  /** The step reached: how many of `steps` are at or below the weight. */
  step: number;
  /** status.iterations against analysis.iterations (blue/green and A/B). */
  iterations: number;
  iterationsTotal?: number;
  failedChecks: number;
  /** Failed checks before a rollback (analysis.threshold, 1 when unset: GetAnalysisThreshold). */
  threshold: number;
  /** analysis.interval as Flagger reads it (60 s when unset or unreadable, at least 10 s: GetAnalysisInterval). */
  interval: string;
  intervalMs: number;
  /** The Promoted condition: its reason is the phase, its message where the analysis is. */
  promoted?: Pick<Condition, 'status' | 'reason' | 'message' | 'lastTransitionTime' | 'lastUpdateTime'>;
  suspended: boolean;
  skipAnalysis: boolean;
  lastTransitionTime?: string;
  metrics: FlaggerMetricView[];
  webhooks: FlaggerWebhookView[];
  /** The gates that hold the current phase: confirm-rollout for Waiting, confirm-promotion for WaitingPromotion, confirm-traffic-increase for a Progressing canary's next step. */
  gates: FlaggerWebhookView[];
  /** Analysis time left by Flagger's formula; absent when nothing runs (or a person is waited for). */
  estimate?: FlaggerEstimate;
  /** Whether Flagger found its analysis spec (no `analysis`: Flagger skips the analysis and promotes at once). */
  hasAnalysis: boolean;
}

/** The gate types and the phase each holds (pkg/controller/scheduler_hooks.go: runConfirmRolloutHooks sets Waiting, runConfirmPromotionHooks sets WaitingPromotion, runConfirmTrafficIncreaseHooks only halts a Progressing step). */
export const GATE_OF_PHASE: Readonly<Partial<Record<FlaggerPhase, FlaggerHookType>>> = {
  Waiting: 'confirm-rollout',
  WaitingPromotion: 'confirm-promotion',
  Progressing: 'confirm-traffic-increase',
};
const GATES: ReadonlySet<string> = new Set(Object.values(GATE_OF_PHASE));

/** Canary.GetAnalysis: `analysis`, else the deprecated `canaryAnalysis`. */
export function canaryAnalysis(c: FlaggerCanary): FlaggerAnalysis | undefined {
  return c.spec?.analysis ?? c.spec?.canaryAnalysis;
}

/** Canary.GetAnalysisInterval: 60 s when unset or not a Go duration, at least 10 s. */
export function analysisIntervalMs(a: FlaggerAnalysis | undefined): number {
  const ms = a?.interval ? goDurationMs(a.interval) : undefined;
  if (ms === undefined) return 60_000;
  return Math.max(ms, 10_000);
}

/** The scheduler's maxWeight (pkg/controller/scheduler.go): the last stepWeight (at most 100), else maxWeight, else 100. */
export function flaggerMaxWeight(a: FlaggerAnalysis | undefined): number {
  const steps = a?.stepWeights ?? [];
  if (steps.length) return Math.min(100, steps[steps.length - 1]);
  return a?.maxWeight && a.maxWeight > 0 ? a.maxWeight : 100;
}

/**
 * Which strategy the scheduler runs (advanceCanary, pkg/controller/scheduler.go): the kubernetes
 * provider is always blue/green (it forces 10 iterations and drops `match`); else `match` with
 * iterations is A/B testing, iterations alone blue/green, and the rest a canary by weight.
 */
export function flaggerStrategy(c: FlaggerCanary): FlaggerStrategy {
  const a = canaryAnalysis(c);
  if (c.spec?.provider === 'kubernetes') return 'flagger-bluegreen';
  if ((a?.iterations ?? 0) > 0) return (a?.match?.length ?? 0) > 0 ? 'flagger-ab' : 'flagger-bluegreen';
  return 'flagger-canary';
}

/**
 * The weights a canary walks through: stepWeights as given (nextStepWeight), else stepWeight, 2 ×
 * stepWeight, … capped at maxWeight (runCanary never goes past it).
 */
export function weightSteps(a: FlaggerAnalysis | undefined): number[] {
  const max = flaggerMaxWeight(a);
  if (a?.stepWeights?.length && !(a.stepWeight && a.stepWeight > 0)) return a.stepWeights.map((w) => Math.min(w, max));
  const step = a?.stepWeight ?? 0;
  if (step <= 0) return [];
  const out: number[] = [];
  for (let w = step; out[out.length - 1] !== max; w += step) out.push(Math.min(w, max));
  return out;
}

/** How the scheduler reads a metric's limits (checkFlaggerMetrics / runBuiltinMetricChecks): thresholdRange, else `threshold`. */
function metricRange(m: FlaggerMetric): { min?: number; max?: number } {
  if (m.thresholdRange) return { ...(m.thresholdRange.min !== undefined ? { min: m.thresholdRange.min } : {}), ...(m.thresholdRange.max !== undefined ? { max: m.thresholdRange.max } : {}) };
  if (m.threshold === undefined) return {};
  // The success rate fails below its threshold; the duration and every other metric above it.
  return m.name === 'request-success-rate' ? { min: m.threshold } : { max: m.threshold };
}

function metricView(m: FlaggerMetric, c: FlaggerCanary, ns: IndexedNamespace): FlaggerMetricView {
  const ref = m.templateRef;
  const builtin = !ref && !m.query && (m.name === 'request-success-rate' || m.name === 'request-duration');
  let template: FlaggerMetricView['template'];
  if (ref?.name) {
    const namespace = ref.namespace || c.metadata.namespace || ns.namespace;
    const found = namespace === ns.namespace ? ns.metricTemplatesByName.get(ref.name)[0] : undefined;
    const provider = found?.spec?.provider;
    template = {
      name: ref.name,
      namespace,
      found: !!found,
      watched: namespace === ns.namespace,
      ...(provider?.type ? { provider: provider.type } : {}),
      ...(provider?.address ? { address: provider.address } : {}),
      ...(found?.spec?.query ? { query: found.spec.query } : {}),
    };
  }
  return { name: m.name, interval: m.interval || '1m', ...metricRange(m), builtin, ...(m.query ? { query: m.query } : {}), ...(template ? { template } : {}) };
}

/** Flagger's phase as the Health every workload has (the words the controllers share). */
function phaseHealth(phase: FlaggerPhase | undefined, suspended: boolean): Health {
  if (suspended) return 'Paused';
  switch (phase) {
    case 'Initialized':
    case 'Succeeded':
    case 'Terminated':
      return 'Healthy';
    case 'Waiting':
    case 'WaitingPromotion':
      return 'Paused';
    case 'Failed':
      return 'Degraded';
    case undefined:
      return 'Unknown';
    default:
      return 'Progressing';
  }
}

/**
 * The analysis time left by Flagger's documented formula (docs, "Canary analysis": a canary takes
 * interval × (maxWeight / stepWeight), or one interval per stepWeights entry; blue/green and A/B take
 * interval × iterations). Counted from the last status change; failed checks add an interval each
 * (up to the threshold), a gate waits for a person. Undefined when no analysis runs.
 */
function estimate(strategy: FlaggerStrategy, v: Pick<FlaggerView, 'phase' | 'steps' | 'step' | 'iterations' | 'iterationsTotal' | 'intervalMs' | 'interval' | 'lastTransitionTime' | 'maxWeight' | 'stepWeight' | 'suspended'>): FlaggerEstimate | undefined {
  if (v.phase !== 'Progressing' || v.suspended) return undefined;
  const from = v.lastTransitionTime ? { from: v.lastTransitionTime } : {};
  if (strategy === 'flagger-canary') {
    if (!v.steps.length) return undefined;
    const formula = v.stepWeight ? `interval ${v.interval} × ${v.steps.length} steps (maxWeight ${v.maxWeight} / stepWeight ${v.stepWeight})` : `interval ${v.interval} × ${v.steps.length} stepWeights`;
    return { remaining: Math.max(0, v.steps.length - v.step), total: v.steps.length, intervalMs: v.intervalMs, interval: v.interval, ...from, formula };
  }
  const total = v.iterationsTotal ?? 0;
  if (total <= 0) return undefined;
  return { remaining: Math.max(0, total - v.iterations), total, intervalMs: v.intervalMs, interval: v.interval, ...from, formula: `interval ${v.interval} × ${total} iterations` };
}

/** When the estimate says the analysis ends (epoch ms), and how long that is from `now`: "about", never exact. */
export function timeLeft(e: FlaggerEstimate, now: number): { endsAt: number; leftMs: number } | undefined {
  const from = e.from ? Date.parse(e.from) : NaN;
  if (Number.isNaN(from)) return undefined;
  const endsAt = from + e.remaining * e.intervalMs;
  return { endsAt, leftMs: Math.max(0, endsAt - now) };
}

/** "weight 20/50", "iteration 3/10": where the analysis is, in a few words. */
export function flaggerPosition(strategy: StrategyKind, f: FlaggerView): string {
  // Entering WaitingPromotion, Flagger zeroes status.canaryWeight (setStatusPhase) while the router keeps the last weight.
  if (strategy === 'flagger-canary' && f.phase === 'WaitingPromotion') return f.steps.length ? `all ${f.steps.length} steps done` : 'analysis done';
  if (strategy === 'flagger-canary') return `weight ${f.weight}/${f.maxWeight}${f.steps.length ? ` · step ${f.step}/${f.steps.length}` : ''}`;
  return `iteration ${f.iterations}/${f.iterationsTotal ?? '?'}`;
}

/** "gate approve (confirm-promotion)": the webhooks named, with their type. */
export function gatesText(gates: readonly FlaggerWebhookView[]): string {
  return gates.map((g) => `gate ${g.name} (${g.type})`).join(' or ');
}

function describe(strategy: FlaggerStrategy, f: FlaggerView, primaryRevision: number | undefined): string {
  const checks = f.failedChecks ? ` · checks failed ${f.failedChecks}/${f.threshold}` : '';
  const rev = primaryRevision ? ` · primary rev ${primaryRevision}` : '';
  const suspended = f.suspended ? 'suspended · ' : '';
  switch (f.phase) {
    case undefined: return `${suspended}not yet seen by Flagger`;
    case 'Waiting': return `${suspended}awaiting approval to start${f.gates.length ? ` · ${f.gates.map((g) => g.name).join(', ')}` : ''}`;
    case 'WaitingPromotion': return `${suspended}awaiting promotion approval${f.gates.length ? ` · ${f.gates.map((g) => g.name).join(', ')}` : ''} · ${flaggerPosition(strategy, f)}${checks}`;
    case 'Progressing': return `${suspended}${flaggerPosition(strategy, f)}${checks}`;
    case 'Failed': return `${suspended}failed · canary scaled to 0${rev}`;
    default: return `${suspended}${f.phase.toLowerCase()}${rev}`;
  }
}

/** A Flagger Canary's workload: its phase, analysis and the two Deployments it runs, folded in. */
export function flaggerView(c: FlaggerCanary, ns: IndexedNamespace): WorkloadView {
  const a = canaryAnalysis(c);
  const s = c.status ?? {};
  const strategy = flaggerStrategy(c);
  const names = flaggerDeployments(c);
  const target = names?.target ?? c.spec?.targetRef?.name ?? '';
  const primary = names?.primary ?? `${target}-primary`;
  const deployment = (name: string) => (names ? ns.deploymentsByName.get(name).pop() : undefined);
  const targetDeployment = deployment(target);
  const primaryDeployment = deployment(primary);
  const targetView = targetDeployment && deploymentView(targetDeployment, ns);
  const primaryView = primaryDeployment && deploymentView(primaryDeployment, ns);
  const suspended = !!c.spec?.suspend;
  const health = phaseHealth(s.phase, suspended);
  const members: GroupMember[] = [...(primaryView ? [{ view: primaryView, role: 'primary' as const }] : []), ...(targetView ? [{ view: targetView, role: 'canary' as const }] : [])];
  // The target is scaled to 0 between analyses: only a revision that runs pods is the canary.
  const revisions = withStuckProblems(groupRevisions(members, undefined), health).filter((r) => !r.roles.includes('canary') || r.desired > 0 || r.current > 0);
  const webhooks: FlaggerWebhookView[] = (a?.webhooks ?? []).map((h) => ({ name: h.name, type: h.type ?? 'rollout', url: h.url, gate: GATES.has(h.type ?? '') }));
  const gateType = s.phase && GATE_OF_PHASE[s.phase];
  const steps = strategy === 'flagger-canary' ? weightSteps(a) : [];
  const weight = s.canaryWeight ?? 0;
  const intervalMs = analysisIntervalMs(a);
  const promoted = s.conditions?.find((x) => x.type === 'Promoted');
  const base = {
    canary: c,
    ...(s.phase ? { phase: s.phase } : {}),
    provider: c.spec?.provider ?? '',
    target,
    primary,
    weight,
    maxWeight: flaggerMaxWeight(a),
    ...(a?.stepWeight ? { stepWeight: a.stepWeight } : {}),
    steps,
    step: steps.filter((w) => w <= weight).length,
    // The kubernetes provider runs 10 iterations when none are set (advanceCanary).
    iterations: s.iterations ?? 0,
    ...(strategy !== 'flagger-canary' ? { iterationsTotal: (a?.iterations ?? 0) > 0 ? a!.iterations! : 10 } : {}),
    failedChecks: s.failedChecks ?? 0,
    threshold: a?.threshold && a.threshold > 0 ? a.threshold : 1,
    interval: a?.interval && goDurationMs(a.interval) !== undefined ? a.interval : '1m',
    intervalMs,
    ...(promoted ? { promoted: { status: promoted.status, ...(promoted.reason ? { reason: promoted.reason } : {}), ...(promoted.message ? { message: promoted.message } : {}), ...(promoted.lastTransitionTime ? { lastTransitionTime: promoted.lastTransitionTime } : {}), ...(promoted.lastUpdateTime ? { lastUpdateTime: promoted.lastUpdateTime } : {}) } } : {}),
    suspended,
    skipAnalysis: !!c.spec?.skipAnalysis,
    ...(s.lastTransitionTime ? { lastTransitionTime: s.lastTransitionTime } : {}),
    metrics: (a?.metrics ?? []).map((m) => metricView(m, c, ns)),
    webhooks,
    gates: gateType ? webhooks.filter((h) => h.type === gateType) : [],
    hasAnalysis: !!a,
  };
  const est = estimate(strategy, base);
  const flagger: FlaggerView = { ...base, ...(est ? { estimate: est } : {}) };
  const primaryRev = revisions.find((r) => r.roles.includes('primary'));
  const canaryRev = revisions.find((r) => r.roles.includes('canary'));
  const images = [
    ...(primaryRev?.images ?? []).map((image) => ({ image, tags: ['primary'] })),
    ...(canaryRev?.images ?? []).map((image) => ({ image, tags: ['canary'] })),
  ];
  const [apex, primaryService, canaryService] = serviceNames(c, target);
  const view: WorkloadView = {
    id: `Canary/${ns.namespace}/${c.metadata.name}`,
    kind: 'Canary',
    name: c.metadata.name,
    namespace: ns.namespace,
    strategy,
    health,
    message: promoted?.message ?? (s.phase ? s.phase : 'Flagger has not reported on this Canary yet (is Flagger running?).'),
    replicas: primaryView?.replicas ?? { desired: 0, current: 0, updated: 0, ready: 0, available: 0 },
    images,
    revisions,
    analysisRuns: [],
    members: [target, primary].filter((n) => !!deployment(n)),
    paused: suspended || health === 'Paused',
    resourceVersion: c.metadata.resourceVersion,
    argoManaged: false,
    description: '',
    ...withLastChange(c.metadata, ...(targetDeployment ? [targetDeployment.metadata] : []), ...(primaryDeployment ? [primaryDeployment.metadata] : [])),
    ...withServices({ current: apex, primary: primaryService, canary: canaryService }),
    flagger,
  };
  view.description = withStartProblem({ ...view, description: describe(strategy, flagger, primaryRev?.revision) });
  return view;
}

/** The Services Flagger generates (Canary.GetServiceNames): the apex (spec.service.name, else the target), `-primary` and `-canary`. */
function serviceNames(c: FlaggerCanary, target: string): [string, string, string] {
  const apex = c.spec?.service?.name || target;
  return [apex, `${apex}-primary`, `${apex}-canary`];
}

/** "about 3 min left (3 of 5 intervals of 1m, from the last step at 12:03:04 UTC)": the estimate at `now`, never said as exact. */
export function timeLeftText(e: FlaggerEstimate, now: number): string {
  const of = `${e.remaining} of ${e.total} intervals of ${e.interval}`;
  const left = timeLeft(e, now);
  if (!left) return `about ${e.remaining} × ${e.interval} left (${of})`;
  const from = `from the last step at ${new Date(Date.parse(e.from!)).toISOString().slice(11, 19)} UTC`;
  return left.leftMs > 0 ? `about ${countdownText(left.leftMs)} left (${of}, ${from})` : `about due now (${of}, ${from})`;
}

/** A Flagger analysis in a few lines (the tree's tooltip): where it is, its checks, gates, metrics and time left at `now`. */
export function flaggerLines(w: Pick<WorkloadView, 'strategy' | 'revisions'>, f: FlaggerView, now = Date.now()): string[] {
  const rev = (role: 'primary' | 'canary') => w.revisions.find((r) => r.roles.includes(role));
  const revText = (role: 'primary' | 'canary', name: string) => {
    const r = rev(role);
    return r ? `${name} rev ${r.revision} (${r.ready}/${r.desired} ready)` : `${name} (no pods)`;
  };
  const lines = [
    `Flagger ${f.phase ?? 'no status yet'}${f.provider ? ` · provider ${f.provider}` : ''} · ${flaggerPosition(w.strategy, f)} · failed checks ${f.failedChecks}/${f.threshold} · interval ${f.interval}${f.suspended ? ' · suspended' : ''}${f.skipAnalysis ? ' · skipAnalysis' : ''}`,
    `${revText('primary', f.primary)} · ${revText('canary', f.target)}`,
  ];
  if (f.promoted?.message) lines.push(`Promoted: ${f.promoted.message}`);
  // A Progressing step's gate leaves no status when it holds (only an event): what it checks, not that it holds.
  if (f.gates.length) lines.push(f.phase === 'Progressing' ? `Each step waits for ${gatesText(f.gates)}` : `Held by ${gatesText(f.gates)}`);
  if (f.estimate) lines.push(`Time left: ${timeLeftText(f.estimate, now)}`);
  for (const m of f.metrics) lines.push(`- metric ${metricText(m)}`);
  for (const h of f.webhooks) lines.push(`- webhook ${h.name} (${h.type})`);
  return lines;
}

/** "request-success-rate ≥ 99 every 1m", "latency ≤ 500 every 30s (template latency: prometheus)". */
export function metricText(m: FlaggerMetricView): string {
  const range = m.min !== undefined && m.max !== undefined ? `in [${m.min}, ${m.max}]` : m.min !== undefined ? `≥ ${m.min}` : m.max !== undefined ? `≤ ${m.max}` : 'no threshold';
  const unit = m.builtin ? (m.name === 'request-duration' ? ' ms' : m.name === 'request-success-rate' ? ' %' : '') : '';
  const t = m.template;
  const from = t ? ` (template ${t.namespace}/${t.name}${t.found ? `: ${t.provider ?? 'prometheus'}` : t.watched ? ': not found' : ': not watched'})` : m.builtin ? ' (built-in)' : '';
  return `${m.name} ${range}${unit} every ${m.interval}${from}`;
}

/** Flagger's event when a confirm-traffic-increase gate holds a step (scheduler_hooks.go runConfirmTrafficIncreaseHooks). */
const TRAFFIC_HALT = /^Halt (\S+) advancement waiting for traffic increase approval (.+)$/;

/**
 * Whether a confirm-traffic-increase gate holds a Progressing canary's next step now, from Flagger's
 * events of the Canary: no status tells (the phase stays Progressing, nothing is written), but each
 * interval it is held Flagger records the Warning "Halt NAME.NAMESPACE advancement waiting for
 * traffic increase approval HOOK" (aggregated into one Event whose last time moves on). Held: such
 * an event later than the last status change (a step that passed writes one) and within two
 * intervals of `now` (Flagger still ticks). Undefined otherwise.
 */
export function trafficGateHold(w: Pick<WorkloadView, 'name' | 'namespace' | 'flagger'>, events: readonly EventView[], now: number): { hook: string; last: string } | undefined {
  const f = w.flagger;
  if (!f || f.phase !== 'Progressing') return undefined;
  const changed = f.lastTransitionTime ? Date.parse(f.lastTransitionTime) : NaN;
  for (const e of events) {
    const m = e.warning && e.object.kind === 'Canary' && e.object.name === w.name ? TRAFFIC_HALT.exec(e.message) : null;
    if (!m || m[1] !== `${w.name}.${w.namespace}`) continue;
    const last = Date.parse(e.last);
    if (Number.isNaN(last) || (!Number.isNaN(changed) && last < changed) || now - last > 2 * f.intervalMs) continue;
    return { hook: m[2], last: e.last };
  }
  return undefined;
}
