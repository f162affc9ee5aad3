// The one strategy form behind New Strategy… and the Strategy Designer: which fields each strategy
// has, what the user typed (raw text per field), the ScaffoldRequest it means (or each field's
// problem: one parser for both), and what the design costs: the rolling timeline, the canary plan
// and the pods of blue/green. Pure; the YAML comes from generate.ts.
import {
  DEFAULTS,
  STRATEGY_INFO,
  parseIntOrPercent,
  validateApp,
  type AppOptions,
  type ArgoTrafficRouting,
  type ScaffoldRequest,
  type StrategyId,
} from './options';
import { argoCanarySplit, planReplicaCanary } from '../strategy/replicaCanary';
import { InvalidRollingParameters, simulateRollingUpdate } from '../strategy/rollingTimeline';
import { walkFlaggerWeights } from '../strategy/flaggerAnalysis';
import type { CanaryPlan, DesignPreview, DesignerForm, FieldValue, ReleaseCost } from '../panels/state';

export type FieldKind = 'text' | 'int' | 'number' | 'intOrPercent' | 'numberList' | 'bool' | 'select';

export interface FieldSpec {
  /** Path in the ScaffoldRequest, e.g. "rolling.maxSurge". */
  id: string;
  label: string;
  kind: FieldKind;
  help?: string;
  options?: { value: string; label: string }[];
  optional?: boolean;
  /** New Strategy… asks it (its quick-pick flow asks fewer fields than the designer shows). */
  asked?: boolean;
}

export interface FieldGroup {
  title: string;
  fields: FieldSpec[];
}

const F = {
  app: { id: 'app.app', label: 'App name', kind: 'text', help: 'Names every object and the app label.' , asked: true },
  image: { id: 'app.image', label: 'Image', kind: 'text', help: 'With an explicit tag, so a rollback returns to a known build.' , asked: true },
  port: { id: 'app.port', label: 'Container port', kind: 'int' , asked: true },
  replicas: { id: 'app.replicas', label: 'Replicas', kind: 'int' , asked: true },
  namespace: { id: 'app.namespace', label: 'Namespace', kind: 'text', optional: true, help: 'Empty: taken from the context when applied.' , asked: true },
  maxSurge: { id: 'rolling.maxSurge', label: 'maxSurge', kind: 'intOrPercent', help: 'Extra pods allowed during the update (number or %, rounded up).' , asked: true },
  maxUnavailable: { id: 'rolling.maxUnavailable', label: 'maxUnavailable', kind: 'intOrPercent', help: 'Pods that may be missing during the update (number or %, rounded down).' , asked: true },
  minReadySeconds: { id: 'rolling.minReadySeconds', label: 'minReadySeconds', kind: 'int', help: 'A new pod counts as available after being Ready this long.' },
  progressDeadlineSeconds: { id: 'rolling.progressDeadlineSeconds', label: 'progressDeadlineSeconds', kind: 'int' },
  revisionHistoryLimit: { id: 'rolling.revisionHistoryLimit', label: 'revisionHistoryLimit', kind: 'int', help: 'Old ReplicaSets kept to roll back to.' },
  preStopSeconds: { id: 'rolling.preStopSeconds', label: 'preStop pause (s)', kind: 'int', help: 'Lets endpoints drop the pod before it stops.' },
  liveColor: { id: 'blueGreen.liveColor', label: 'Live colour', kind: 'select', options: [{ value: 'blue', label: 'blue' }, { value: 'green', label: 'green' }], help: 'The colour the production Service selects now.' , asked: true },
  canaryPercent: { id: 'replicaCanary.canaryPercent', label: 'Canary share (%)', kind: 'number', help: 'Reached by pod counts: share = canary pods / all pods.' , asked: true },
  canaryWeight: { id: 'weightedCanary.canaryWeight', label: 'Canary weight (%)', kind: 'int' , asked: true },
  host: { id: 'weightedCanary.host', label: 'Host', kind: 'text' , asked: true },
  gateway: { id: 'weightedCanary.gateway', label: 'Gateway', kind: 'text', optional: true },
  weights: { id: 'argoCanary.weights', label: 'setWeight steps (%)', kind: 'numberList', help: 'In order, comma separated; each is followed by a pause.' , asked: true },
  pauseSeconds: { id: 'argoCanary.pauseSeconds', label: 'Pauses (s)', kind: 'numberList', help: 'After each step; 0 waits for a promote.' , asked: true },
  trafficRouting: {
    id: 'argoCanary.trafficRouting',
    label: 'Traffic routing',
    kind: 'select',
    options: [
      { value: 'none', label: 'None: weights approximated by pods' },
      { value: 'istio', label: 'Istio VirtualService' },
      { value: 'nginx', label: 'NGINX Ingress' },
    ],
    asked: true,
  },
  argoHost: { id: 'argoCanary.host', label: 'Host', kind: 'text' , asked: true },
  argoAnalysis: { id: 'argoCanary.analysis', label: 'Background analysis (success rate, latency)', kind: 'bool' , asked: true },
  autoPromotion: { id: 'argoBlueGreen.autoPromotionEnabled', label: 'Promote automatically once ready', kind: 'bool' , asked: true },
  prePromotionAnalysis: { id: 'argoBlueGreen.prePromotionAnalysis', label: 'Analysis before promotion', kind: 'bool' , asked: true },
  scaleDownDelay: { id: 'argoBlueGreen.scaleDownDelaySeconds', label: 'scaleDownDelaySeconds', kind: 'int', help: 'The old version stays this long after the switch, for a fast rollback.' , asked: true },
  prometheus: { id: 'analysis.prometheusAddress', label: 'Prometheus address', kind: 'text' , asked: true },
  successRate: { id: 'analysis.successRate', label: 'Minimum success rate (0–1)', kind: 'number' },
  latencyMs: { id: 'analysis.latencyMs', label: 'Maximum p95 latency (ms)', kind: 'int' },
  failureLimit: { id: 'analysis.failureLimit', label: 'failureLimit', kind: 'int' },
  interval: { id: 'analysis.interval', label: 'Interval', kind: 'text', help: 'Between measurements, e.g. 1m.' },
  flaggerInterval: { id: 'flagger.interval', label: 'Analysis interval', kind: 'text', help: 'Between two checks, e.g. 1m (Flagger waits at least 10s).', asked: true },
  threshold: { id: 'flagger.threshold', label: 'Failed checks before rollback', kind: 'int', help: 'threshold: this many failed checks roll the release back.', asked: true },
  iterations: { id: 'flagger.iterations', label: 'Checks before the switch', kind: 'int', help: 'iterations: passed checks before all traffic moves to the new version.', asked: true },
  stepWeight: { id: 'flagger.stepWeight', label: 'Step weight (%)', kind: 'int', help: 'stepWeight: added to the canary weight after each passed check.', asked: true },
  maxWeight: { id: 'flagger.maxWeight', label: 'Max weight (%)', kind: 'int', help: 'maxWeight: the canary is promoted once its weight reaches it.', asked: true },
  flaggerHost: { id: 'flagger.host', label: 'Host', kind: 'text', asked: true },
  flaggerGateway: { id: 'flagger.gateway', label: 'Gateway', kind: 'text', help: 'The Gateway the generated HTTPRoute attaches to.', asked: true },
  flaggerMetrics: { id: 'flagger.metrics', label: 'Error-rate and latency checks (MetricTemplates)', kind: 'bool', asked: true },
  loadTest: { id: 'flagger.loadTest', label: 'Load test webhook (flagger-loadtester)', kind: 'bool', asked: true },
  confirmPromotion: { id: 'flagger.confirmPromotion', label: 'Confirm-promotion gate', kind: 'bool', help: 'Promotion waits until the gate is opened.', asked: true },
  loadTesterUrl: { id: 'flagger.loadTesterUrl', label: 'flagger-loadtester URL', kind: 'text', asked: true },
} satisfies Record<string, FieldSpec>;

const ANALYSIS: FieldSpec[] = [F.prometheus, F.successRate, F.latencyMs, F.failureLimit, F.interval];
/** A Flagger MetricTemplate's query has no failure limit or interval of its own: the Canary's analysis sets them. */
const FLAGGER_METRICS: FieldSpec[] = [F.prometheus, F.successRate, F.latencyMs];

/** The form's groups for a strategy; some fields show only when another one asks for them. */
export function fieldGroups(form: DesignerForm): FieldGroup[] {
  const v = form.values;
  const replicas = form.strategy === 'canary-replicas' ? { ...F.replicas, label: 'Total pods (stable + canary)' } : F.replicas;
  const groups: FieldGroup[] = [{ title: 'Application', fields: [F.app, F.image, F.port, replicas, F.namespace] }];
  const own = (fields: FieldSpec[]) => groups.push({ title: STRATEGY_INFO[form.strategy].label, fields });
  switch (form.strategy) {
    case 'rolling':
      own([F.maxSurge, F.maxUnavailable, F.minReadySeconds, F.progressDeadlineSeconds, F.revisionHistoryLimit, F.preStopSeconds]);
      break;
    case 'bluegreen':
      own([F.liveColor]);
      break;
    case 'canary-replicas':
      own([F.canaryPercent]);
      break;
    case 'canary-istio':
    case 'canary-gateway':
      own([F.canaryWeight, F.host, F.gateway]);
      break;
    case 'canary-nginx':
      own([F.canaryWeight, F.host]);
      break;
    case 'argo-canary':
      own([F.weights, F.pauseSeconds, F.trafficRouting, ...(v['argoCanary.trafficRouting'] !== 'none' ? [F.argoHost] : []), F.argoAnalysis]);
      if (v['argoCanary.analysis'] === true) groups.push({ title: 'Analysis', fields: ANALYSIS });
      break;
    case 'argo-bluegreen':
      own([F.autoPromotion, F.prePromotionAnalysis, F.scaleDownDelay]);
      if (v['argoBlueGreen.prePromotionAnalysis'] === true) groups.push({ title: 'Analysis', fields: ANALYSIS });
      break;
    case 'analysis-template':
      groups.push({ title: 'Analysis', fields: ANALYSIS });
      break;
    case 'flagger-bluegreen':
    case 'flagger-nginx':
    case 'flagger-gateway': {
      const progression = form.strategy === 'flagger-bluegreen' ? [F.iterations] : [F.stepWeight, F.maxWeight];
      const routing = form.strategy === 'flagger-nginx' ? [F.flaggerHost] : form.strategy === 'flagger-gateway' ? [F.flaggerHost, F.flaggerGateway] : [];
      const hooks = v['flagger.loadTest'] === true || v['flagger.confirmPromotion'] === true ? [F.loadTesterUrl] : [];
      own([F.flaggerInterval, F.threshold, ...progression, ...routing, F.flaggerMetrics, F.loadTest, F.confirmPromotion, ...hooks]);
      if (v['flagger.metrics'] === true) groups.push({ title: 'Metrics', fields: FLAGGER_METRICS });
      break;
    }
    case 'flagger-metric-template':
      groups.push({ title: 'Metrics', fields: FLAGGER_METRICS });
      break;
  }
  return groups;
}

export function fieldsOf(form: DesignerForm): FieldSpec[] {
  return fieldGroups(form).flatMap((g) => g.fields);
}

/** Every field's default as the form holds it (text, or a boolean for checkboxes). */
export function defaultForm(strategy: StrategyId = 'rolling'): DesignerForm {
  const d = DEFAULTS;
  const list = (xs: number[]) => xs.join(', ');
  const values: Record<string, FieldValue> = {
    'app.app': d.app.app,
    'app.image': d.app.image,
    'app.port': String(d.app.port),
    'app.replicas': String(strategy === 'canary-replicas' ? 10 : d.app.replicas),
    'app.namespace': '',
    'rolling.maxSurge': String(d.rolling.maxSurge),
    'rolling.maxUnavailable': String(d.rolling.maxUnavailable),
    'rolling.minReadySeconds': String(d.rolling.minReadySeconds),
    'rolling.progressDeadlineSeconds': String(d.rolling.progressDeadlineSeconds),
    'rolling.revisionHistoryLimit': String(d.rolling.revisionHistoryLimit),
    'rolling.preStopSeconds': String(d.rolling.preStopSeconds),
    'blueGreen.liveColor': d.blueGreen.liveColor,
    'replicaCanary.canaryPercent': String(d.replicaCanary.canaryPercent),
    'weightedCanary.canaryWeight': String(d.weightedCanary.canaryWeight),
    'weightedCanary.host': d.weightedCanary.host,
    'weightedCanary.gateway': d.weightedCanary.gateway ?? '',
    'argoCanary.weights': list(d.argoCanary.weights),
    'argoCanary.pauseSeconds': list(d.argoCanary.pauseSeconds),
    'argoCanary.trafficRouting': d.argoCanary.trafficRouting,
    'argoCanary.host': d.argoCanary.host ?? '',
    'argoCanary.analysis': d.argoCanary.analysis,
    'argoBlueGreen.autoPromotionEnabled': d.argoBlueGreen.autoPromotionEnabled,
    'argoBlueGreen.prePromotionAnalysis': d.argoBlueGreen.prePromotionAnalysis,
    'argoBlueGreen.scaleDownDelaySeconds': String(d.argoBlueGreen.scaleDownDelaySeconds),
    'analysis.prometheusAddress': d.analysis.prometheusAddress,
    'analysis.successRate': String(d.analysis.successRate),
    'analysis.latencyMs': String(d.analysis.latencyMs),
    'analysis.failureLimit': String(d.analysis.failureLimit),
    'analysis.interval': d.analysis.interval,
    'flagger.interval': d.flagger.interval,
    'flagger.threshold': String(d.flagger.threshold),
    'flagger.iterations': String(d.flagger.iterations),
    'flagger.stepWeight': String(d.flagger.stepWeight),
    'flagger.maxWeight': String(d.flagger.maxWeight),
    'flagger.host': d.flagger.host,
    'flagger.gateway': d.flagger.gateway,
    'flagger.metrics': d.flagger.metrics,
    'flagger.loadTest': d.flagger.loadTest,
    'flagger.confirmPromotion': d.flagger.confirmPromotion,
    'flagger.loadTesterUrl': d.flagger.loadTesterUrl,
  };
  return { strategy, values };
}

/** Another strategy, keeping what the user typed (fields of other strategies stay for a switch back). */
export function withStrategy(form: DesignerForm, strategy: StrategyId): DesignerForm {
  const values = { ...defaultForm(strategy).values, ...form.values };
  // A replica canary needs pods to split: move off the rolling default of 4 only when it is untouched.
  if (strategy === 'canary-replicas' && values['app.replicas'] === String(DEFAULTS.app.replicas)) values['app.replicas'] = '10';
  return { strategy, values };
}

export interface ParsedDesign {
  request?: ScaffoldRequest;
  /** Problems per field id; empty when the request is complete. */
  errors: Record<string, string>;
}

const DURATION = /^\d+(ms|s|m|h)$/;
const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_NAME = HOST;
/** Flagger's CRD: `^[0-9]+(m|s)` (analysis.interval). */
const FLAGGER_INTERVAL = /^\d+(s|m)$/;

/** The request the form means, or the problem of each field that stops it. */
export function parseDesign(form: DesignerForm): ParsedDesign {
  const errors: Record<string, string> = {};
  const text = (id: string) => String(form.values[id] ?? '').trim();
  const bool = (id: string) => form.values[id] === true;
  const fail = (id: string, message: string) => {
    if (!errors[id]) errors[id] = message;
    return undefined;
  };
  const int = (id: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const s = text(id);
    const n = Number(s);
    return /^\d+$/.test(s) && n >= min && n <= max ? n : fail(id, max === Number.MAX_SAFE_INTEGER ? `A whole number of at least ${min}.` : `A whole number from ${min} to ${max}.`);
  };
  const num = (id: string, ok: (n: number) => boolean, message: string) => {
    const s = text(id);
    const n = Number(s);
    return s !== '' && Number.isFinite(n) && ok(n) ? n : fail(id, message);
  };
  const list = (id: string, ok: (n: number) => boolean, message: string) => {
    const parts = text(id).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const ns = parts.map(Number);
    if (!parts.length || ns.some((n) => !Number.isFinite(n) || !ok(n))) return fail(id, message);
    return ns;
  };
  const hostName = (id: string) => (HOST.test(text(id)) ? text(id) : fail(id, 'A DNS host name, e.g. web.example.com.'));

  // The application: the same checks New Strategy… applies to what is typed there.
  const appCheck = (id: string, patch: Partial<AppOptions>) => {
    const problem = validateApp({ ...DEFAULTS.app, ...patch })[0];
    if (problem) fail(id, problem);
  };
  appCheck('app.app', { app: text('app.app') });
  appCheck('app.image', { image: text('app.image') });
  const port = int('app.port', 1, 65535);
  const minReplicas = form.strategy === 'canary-replicas' ? 2 : 1;
  const replicas = int('app.replicas', minReplicas);
  if (text('app.namespace')) appCheck('app.namespace', { namespace: text('app.namespace') });
  const app: AppOptions = { app: text('app.app'), image: text('app.image'), port: port ?? 0, replicas: replicas ?? 0, ...(text('app.namespace') ? { namespace: text('app.namespace') } : {}) };
  const request: ScaffoldRequest = { strategy: form.strategy, app };

  const analysis = () => {
    const prometheusAddress = /^https?:\/\/\S+$/.test(text('analysis.prometheusAddress')) ? text('analysis.prometheusAddress') : fail('analysis.prometheusAddress', 'An http(s) URL.');
    const successRate = num('analysis.successRate', (n) => n > 0 && n <= 1, 'A ratio above 0 and at most 1, e.g. 0.99.');
    const latencyMs = int('analysis.latencyMs', 1);
    const failureLimit = int('analysis.failureLimit', 0);
    const interval = DURATION.test(text('analysis.interval')) ? text('analysis.interval') : fail('analysis.interval', 'A duration such as 30s, 1m or 1h.');
    request.analysis = { prometheusAddress, successRate, latencyMs, failureLimit, interval } as ScaffoldRequest['analysis'];
  };

  const flaggerMetrics = () => {
    const prometheusAddress = /^https?:\/\/\S+$/.test(text('analysis.prometheusAddress')) ? text('analysis.prometheusAddress') : fail('analysis.prometheusAddress', 'An http(s) URL.');
    const successRate = num('analysis.successRate', (n) => n > 0 && n <= 1, 'A ratio above 0 and at most 1, e.g. 0.99.');
    request.analysis = { prometheusAddress, successRate, latencyMs: int('analysis.latencyMs', 1) } as ScaffoldRequest['analysis'];
  };

  switch (form.strategy) {
    case 'rolling': {
      const maxSurge = parseIntOrPercent(text('rolling.maxSurge')) ?? fail('rolling.maxSurge', 'A whole number or a percentage such as 25%.');
      const maxUnavailable = parseIntOrPercent(text('rolling.maxUnavailable')) ?? fail('rolling.maxUnavailable', 'A whole number or a percentage such as 25%.');
      if (maxSurge !== undefined && maxUnavailable !== undefined && /^0%?$/.test(String(maxSurge)) && /^0%?$/.test(String(maxUnavailable))) fail('rolling.maxUnavailable', 'maxSurge and maxUnavailable cannot both be 0: no pod could be replaced.');
      request.rolling = {
        maxSurge,
        maxUnavailable,
        minReadySeconds: int('rolling.minReadySeconds', 0),
        progressDeadlineSeconds: int('rolling.progressDeadlineSeconds', 1),
        revisionHistoryLimit: int('rolling.revisionHistoryLimit', 0),
        preStopSeconds: int('rolling.preStopSeconds', 0),
      };
      break;
    }
    case 'bluegreen': {
      const live = text('blueGreen.liveColor');
      request.blueGreen = { liveColor: live === 'green' ? 'green' : live === 'blue' ? 'blue' : fail('blueGreen.liveColor', 'blue or green.') };
      break;
    }
    case 'canary-replicas':
      request.replicaCanary = { canaryPercent: num('replicaCanary.canaryPercent', (n) => n > 0 && n < 100, 'Above 0 and below 100.') };
      break;
    case 'canary-istio':
    case 'canary-nginx':
    case 'canary-gateway':
      request.weightedCanary = {
        canaryWeight: int('weightedCanary.canaryWeight', 0, 100),
        host: hostName('weightedCanary.host'),
        ...(form.strategy !== 'canary-nginx' && text('weightedCanary.gateway') ? { gateway: text('weightedCanary.gateway') } : {}),
      };
      break;
    case 'argo-canary': {
      const weights = list('argoCanary.weights', (n) => Number.isInteger(n) && n > 0 && n <= 100, 'Whole percentages from 1 to 100, comma separated.');
      if (weights?.some((w, i) => i > 0 && w < weights[i - 1])) fail('argoCanary.weights', 'Weights must not go down: use abort to go back.');
      const pauseSeconds = list('argoCanary.pauseSeconds', (n) => Number.isInteger(n) && n >= 0, 'Whole seconds, 0 or more, comma separated.');
      const routing = text('argoCanary.trafficRouting') as ArgoTrafficRouting;
      if (!['none', 'istio', 'nginx'].includes(routing)) fail('argoCanary.trafficRouting', 'none, istio or nginx.');
      request.argoCanary = { weights, pauseSeconds, trafficRouting: routing, analysis: bool('argoCanary.analysis'), ...(routing !== 'none' ? { host: hostName('argoCanary.host') } : {}) } as ScaffoldRequest['argoCanary'];
      if (bool('argoCanary.analysis')) analysis();
      break;
    }
    case 'argo-bluegreen':
      request.argoBlueGreen = {
        autoPromotionEnabled: bool('argoBlueGreen.autoPromotionEnabled'),
        prePromotionAnalysis: bool('argoBlueGreen.prePromotionAnalysis'),
        scaleDownDelaySeconds: int('argoBlueGreen.scaleDownDelaySeconds', 0, 86400),
      } as ScaffoldRequest['argoBlueGreen'];
      if (bool('argoBlueGreen.prePromotionAnalysis')) analysis();
      break;
    case 'analysis-template':
      analysis();
      break;
    case 'flagger-bluegreen':
    case 'flagger-nginx':
    case 'flagger-gateway': {
      const canary = form.strategy !== 'flagger-bluegreen';
      const interval = FLAGGER_INTERVAL.test(text('flagger.interval')) ? text('flagger.interval') : fail('flagger.interval', 'A duration in seconds or minutes, e.g. 30s or 1m.');
      const stepWeight = canary ? int('flagger.stepWeight', 1, 100) : undefined;
      const maxWeight = canary ? int('flagger.maxWeight', 1, 100) : undefined;
      if (stepWeight !== undefined && maxWeight !== undefined && stepWeight > maxWeight) fail('flagger.stepWeight', `Above the max weight (${maxWeight}): the first step would promote.`);
      const hooks = bool('flagger.loadTest') || bool('flagger.confirmPromotion');
      request.flagger = {
        interval,
        threshold: int('flagger.threshold', 1),
        ...(canary ? { stepWeight, maxWeight } : { iterations: int('flagger.iterations', 1) }),
        ...(canary ? { host: hostName('flagger.host') } : {}),
        ...(form.strategy === 'flagger-gateway' ? { gateway: DNS_NAME.test(text('flagger.gateway')) ? text('flagger.gateway') : fail('flagger.gateway', 'The name of a Gateway: a lowercase DNS name.') } : {}),
        metrics: bool('flagger.metrics'),
        loadTest: bool('flagger.loadTest'),
        confirmPromotion: bool('flagger.confirmPromotion'),
        ...(hooks ? { loadTesterUrl: /^https?:\/\/\S+\/$/.test(text('flagger.loadTesterUrl')) ? text('flagger.loadTesterUrl') : fail('flagger.loadTesterUrl', 'An http(s) URL ending in "/", e.g. http://flagger-loadtester.test/.') } : {}),
      } as ScaffoldRequest['flagger'];
      if (bool('flagger.metrics')) flaggerMetrics();
      break;
    }
    case 'flagger-metric-template':
      flaggerMetrics();
      break;
  }
  return Object.keys(errors).length ? { errors } : { request, errors };
}

// ---- what the design costs ----------------------------------------------------------------------

/** Canary pods of a weighted canary (Istio, NGINX, Gateway API): the weight's share of the replicas, rounded up. */
export function canaryPodsForWeight(replicas: number, weight: number): number {
  return Math.ceil((replicas * weight) / 100);
}

function cost(steady: number, peak: number, lowestCapacityPercent: number, environments: number, text: string): ReleaseCost {
  return { steady, peak, extraPercent: Math.round(((peak - steady) * 100) / steady), lowestCapacityPercent, environments, text };
}

function argoCanaryPlan(replicas: number, o: NonNullable<ScaffoldRequest['argoCanary']>): CanaryPlan {
  const routed = (o.trafficRouting ?? 'none') !== 'none';
  const weights = o.weights ?? [];
  const steps = weights.map((w, i) => {
    const split = argoCanarySplit(replicas, w, { trafficRouted: routed });
    const pause = o.pauseSeconds?.[i] ?? 0;
    return { label: `setWeight ${w}`, requested: w, share: split.trafficPercent, canaryPods: split.canary, stablePods: split.stable, then: pause > 0 ? `pause ${pause}s` : 'wait for promote' };
  });
  steps.push({ label: 'promoted', requested: 100, share: 100, canaryPods: replicas, stablePods: 0, then: 'old ReplicaSet scaled down' });
  return { routed, steps };
}

/**
 * A Flagger release: the new version runs at full size (Flagger scales `<app>` to the replicas of the
 * target) beside `<app>-primary`, so it costs a second environment while it is tested; the canary
 * steps are the weights Flagger sets (strategy/flaggerAnalysis.ts).
 */
function flaggerPreview(request: ScaffoldRequest, base: Pick<DesignPreview, 'strategy' | 'replicas'>): DesignPreview {
  const n = request.app.replicas;
  const o = { ...DEFAULTS.flagger, ...request.flagger };
  const full = cost(n, 2 * n, 100, 2, `${n} primary pods keep serving while ${n} pods of the new version are tested (${2 * n}, +100%); between releases only the primary runs.`);
  if (request.strategy === 'flagger-bluegreen') {
    const steps = [
      { label: `${o.iterations} checks`, requested: 0, share: 0, canaryPods: n, stablePods: n, then: `every ${o.interval}, through ${request.app.app}-canary only` },
      { label: 'promoted', requested: 100, share: 100, canaryPods: n, stablePods: n, then: 'primary updated, then the new pods scale to 0' },
    ];
    return { ...base, canaryPlan: { routed: true, steps, caption: `No weights: Flagger tests the new version through ${request.app.app}-canary only, then switches all traffic at once.` }, cost: full };
  }
  const walk = walkFlaggerWeights(o);
  const steps = walk.weights.map((w) => ({ label: `weight ${w}`, requested: w, share: w, canaryPods: n, stablePods: n, then: `check every ${o.interval}` }));
  steps.push({ label: 'promoted', requested: 100, share: 0, canaryPods: n, stablePods: n, then: 'primary updated, all traffic back to it, then the new pods scale to 0' });
  return { ...base, canaryPlan: { routed: true, steps, caption: 'Flagger sets the weights: the primary keeps all its pods while the new version, at full size, takes the weight.' }, cost: full };
}

/** Timeline, canary plan and pod cost of a complete request. */
export function designPreview(request: ScaffoldRequest): DesignPreview {
  const n = request.app.replicas;
  const base = { strategy: request.strategy, replicas: n };
  switch (request.strategy) {
    case 'rolling': {
      const r = { ...DEFAULTS.rolling, ...request.rolling };
      try {
        const timeline = simulateRollingUpdate(n, r.maxSurge, r.maxUnavailable);
        return {
          ...base,
          timeline,
          cost: cost(n, timeline.highestTotal, timeline.lowestCapacityPercent, 1, `One environment: at most ${timeline.highestTotal} pods (+${timeline.peakExtraPercent}%), capacity never below ${timeline.lowestAvailable}/${n} (${timeline.lowestCapacityPercent}%), ${timeline.stepCount} steps.`),
        };
      } catch (e) {
        if (e instanceof InvalidRollingParameters) return { ...base, cost: cost(n, n, 100, 1, e.message) };
        throw e;
      }
    }
    case 'bluegreen':
      return { ...base, cost: cost(n, 2 * n, 100, 2, `Two full environments: ${n} pods per colour, ${2 * n} in all (+100%) while both run; scale the idle colour to 0 between releases to pay for one.`) };
    case 'argo-bluegreen': {
      const delay = request.argoBlueGreen?.scaleDownDelaySeconds ?? DEFAULTS.argoBlueGreen.scaleDownDelaySeconds;
      return { ...base, cost: cost(n, 2 * n, 100, 2, `Two full environments during the release: the preview ReplicaSet runs ${n} pods next to the active ${n} (${2 * n}, +100%) until ${delay}s after promotion.`) };
    }
    case 'canary-replicas': {
      const percent = request.replicaCanary?.canaryPercent ?? DEFAULTS.replicaCanary.canaryPercent;
      const plan = planReplicaCanary(percent, Math.max(2, n));
      const canaryPlan: CanaryPlan = { routed: false, steps: [{ label: `canary ${percent}%`, requested: percent, share: plan.actualPercent, canaryPods: plan.canary, stablePods: plan.stable, then: plan.exact ? undefined : `${percent}% exactly needs ${plan.podsForExactShare} pods` }] };
      return { ...base, canaryPlan, cost: cost(n, n, 100, 1, `No extra pods: ${plan.stable} stable + ${plan.canary} canary share the ${n}; the canary gets ${plan.actualPercent}% of traffic.`) };
    }
    case 'canary-istio':
    case 'canary-nginx':
    case 'canary-gateway': {
      const w = request.weightedCanary?.canaryWeight ?? DEFAULTS.weightedCanary.canaryWeight;
      const canaryPods = Math.max(1, canaryPodsForWeight(n, w));
      const canaryPlan: CanaryPlan = { routed: true, steps: [{ label: `weight ${w}`, requested: w, share: w, canaryPods, stablePods: n, then: 'raise the weight step by step' }] };
      return { ...base, canaryPlan, cost: cost(n, n + canaryPods, 100, 1, `The router sends ${w}% to ${canaryPods} canary pod(s) next to ${n} stable: ${n + canaryPods} pods (+${Math.round((canaryPods * 100) / n)}%).`) };
    }
    case 'argo-canary': {
      const canaryPlan = argoCanaryPlan(n, { ...DEFAULTS.argoCanary, ...request.argoCanary });
      const peak = Math.max(...canaryPlan.steps.slice(0, -1).map((s) => s.canaryPods + s.stablePods), n);
      const extra = `at most ${peak} pods (+${Math.round(((peak - n) * 100) / n)}%) before the last step`;
      const text = canaryPlan.routed
        ? `Stable keeps all ${n} pods while the router shifts weight; ${extra}.`
        : `No router: the pods are the split, with one surge pod where it gets closer to a weight; ${extra}.`;
      return { ...base, canaryPlan, cost: cost(n, peak, 100, 1, text) };
    }
    case 'analysis-template':
      return { ...base, cost: cost(n, n, 100, 0, 'An AnalysisTemplate runs no pods of the app; Argo Rollouts runs its measurements during a release.') };
    case 'flagger-metric-template':
      return { ...base, cost: cost(n, n, 100, 0, 'A MetricTemplate runs no pods of the app; Flagger runs its query at each check of a Canary\'s analysis.') };
    case 'flagger-bluegreen':
    case 'flagger-nginx':
    case 'flagger-gateway':
      return flaggerPreview(request, base);
  }
}
