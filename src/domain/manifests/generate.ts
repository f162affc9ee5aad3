// Manifest generators for every strategy. Pure: options in, Kubernetes objects and YAML out.
import { Document } from 'yaml';
import { Annotations, TRACK_KEY } from '../release/vocabulary';
import { argoCanarySplit, describeArgoCanarySplit, describeReplicaCanary, planReplicaCanary } from '../strategy/replicaCanary';
import { walkFlaggerWeights } from '../strategy/flaggerAnalysis';
import {
  DEFAULTS,
  type AnalysisOptions,
  type AppOptions,
  type ArgoBlueGreenOptions,
  type ArgoCanaryOptions,
  type FlaggerOptions,
  type FlaggerStrategyId,
  type RollingOptions,
  type ScaffoldRequest,
  type StrategyId,
  validateApp,
} from './options';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: unknown };

export interface GeneratedManifests {
  strategy: StrategyId;
  objects: K8sObject[];
  /** One comment per object, written above it in the YAML. */
  comments: string[];
  /** What the user should know about the result (e.g. the canary share actually reached). */
  notes: string[];
  yaml: string;
}

export class ScaffoldError extends Error {}

/** Annotation on a replica-ratio canary that records the share it was sized for (checked by lint). */

export function generate(request: ScaffoldRequest): GeneratedManifests {
  const app = { ...DEFAULTS.app, ...request.app };
  const problems = validateApp(app);
  if (problems.length) throw new ScaffoldError(problems.join(' '));
  const parts = build(request.strategy, app, request);
  return { strategy: request.strategy, ...parts, yaml: toYaml(parts.objects, parts.comments) };
}

export type Parts = Omit<GeneratedManifests, 'strategy' | 'yaml'>;

function build(strategy: StrategyId, app: AppOptions, r: ScaffoldRequest): Parts {
  switch (strategy) {
    case 'rolling':
      return rolling(app, { ...DEFAULTS.rolling, ...r.rolling });
    case 'bluegreen':
      return blueGreen(app, r.blueGreen?.liveColor ?? DEFAULTS.blueGreen.liveColor);
    case 'canary-replicas':
      return replicaCanary(app, r.replicaCanary?.canaryPercent ?? DEFAULTS.replicaCanary.canaryPercent);
    case 'canary-istio':
    case 'canary-nginx':
    case 'canary-gateway':
      return weightedCanary(strategy, app, { ...DEFAULTS.weightedCanary, ...r.weightedCanary });
    case 'argo-canary':
      return argoCanary(app, { ...DEFAULTS.argoCanary, ...r.argoCanary }, { ...DEFAULTS.analysis, ...r.analysis });
    case 'argo-bluegreen':
      return argoBlueGreen(app, { ...DEFAULTS.argoBlueGreen, ...r.argoBlueGreen }, { ...DEFAULTS.analysis, ...r.analysis });
    case 'analysis-template':
      return { objects: [analysisTemplate(app, { ...DEFAULTS.analysis, ...r.analysis })], comments: ['Success-rate and latency checks, run by Argo Rollouts during a release.'], notes: [] };
    case 'flagger-bluegreen':
    case 'flagger-nginx':
    case 'flagger-gateway':
      return flaggerRelease(strategy, app, { ...DEFAULTS.flagger, ...r.flagger }, { ...DEFAULTS.analysis, ...r.analysis });
    case 'flagger-metric-template': {
      const templates = flaggerMetricTemplates(app, { ...DEFAULTS.analysis, ...r.analysis });
      return { objects: templates.map((t) => t.object), comments: templates.map((t) => t.comment), notes: [] };
    }
  }
}

export function toYaml(objects: object[], comments: string[] = []): string {
  return objects
    .map((o, i) => {
      // No anchors/aliases for repeated label maps: manifests read better spelled out.
      const doc = new Document(o, { aliasDuplicateObjects: false });
      if (comments[i]) doc.commentBefore = ' ' + comments[i];
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

function meta(app: AppOptions, name: string, labels?: Record<string, string>, annotations?: Record<string, string>): K8sObject['metadata'] {
  return {
    name,
    ...(app.namespace ? { namespace: app.namespace } : {}),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

interface PodOptions {
  preStopSeconds: number;
}

/** A pod template that releases safely: probes, a preStop pause and a grace period to match. */
export function podTemplate(app: AppOptions, labels: Record<string, string>, pod: PodOptions = { preStopSeconds: DEFAULTS.rolling.preStopSeconds }): object {
  const container: Record<string, unknown> = {
    name: app.app,
    image: app.image,
    ports: [{ name: 'http', containerPort: app.port }],
    readinessProbe: { httpGet: { path: '/healthz/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: '/healthz/live', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  };
  if (pod.preStopSeconds > 0) container.lifecycle = { preStop: { sleep: { seconds: pod.preStopSeconds } } };
  return {
    metadata: { labels },
    spec: {
      terminationGracePeriodSeconds: pod.preStopSeconds + 30,
      containers: [container],
    },
  };
}

function deployment(app: AppOptions, name: string, replicas: number, labels: Record<string, string>, extra: Record<string, unknown> = {}, annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(app, name, labels, annotations),
    spec: {
      replicas,
      selector: { matchLabels: labels },
      ...extra,
      template: podTemplate(app, labels),
    },
  };
}

function service(app: AppOptions, name: string, selector: Record<string, string>, annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(app, name, { app: app.app }, annotations),
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

function rolling(app: AppOptions, o: RollingOptions): Parts {
  const labels = { app: app.app };
  const d: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(app, app.app, labels),
    spec: {
      replicas: app.replicas,
      revisionHistoryLimit: o.revisionHistoryLimit,
      minReadySeconds: o.minReadySeconds,
      progressDeadlineSeconds: o.progressDeadlineSeconds,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge, maxUnavailable: o.maxUnavailable } },
      template: podTemplate(app, labels, { preStopSeconds: o.preStopSeconds }),
    },
  };
  return {
    objects: [d, service(app, app.app, labels)],
    comments: [`Rolling update: pods are replaced a few at a time (maxSurge ${o.maxSurge}, maxUnavailable ${o.maxUnavailable}).`, 'Service in front of every version of the app.'],
    notes: [],
  };
}

function blueGreen(app: AppOptions, live: 'blue' | 'green'): Parts {
  const idle = live === 'blue' ? 'green' : 'blue';
  const color = (c: string) => ({ app: app.app, version: c });
  return {
    objects: [
      deployment(app, `${app.app}-blue`, app.replicas, color('blue')),
      deployment(app, `${app.app}-green`, app.replicas, color('green')),
      service(app, app.app, color(live)),
      service(app, `${app.app}-preview`, color(idle)),
    ],
    comments: [
      'Blue environment: a full copy of the app.',
      'Green environment: deploy the new version here while blue serves.',
      `Production Service: switch spec.selector.version (${live} -> ${idle}) to move all traffic at once; switch back to roll back.`,
      'Preview Service: reaches the idle colour for smoke tests before the switch.',
    ],
    notes: [`Live colour: ${live}. Update ${app.app}-${idle}, test it through ${app.app}-preview, then switch the selector of ${app.app}.`],
  };
}

function replicaCanary(app: AppOptions, percent: number): Parts {
  const total = Math.max(app.replicas, 2);
  let plan;
  try {
    plan = planReplicaCanary(percent, total);
  } catch (e) {
    throw new ScaffoldError((e as Error).message);
  }
  const track = (t: string) => ({ app: app.app, [TRACK_KEY]: t });
  return {
    objects: [
      deployment(app, `${app.app}-stable`, plan.stable, track('stable')),
      deployment(app, `${app.app}-canary`, plan.canary, track('canary'), {}, { [Annotations.CanaryShare]: String(percent) }),
      service(app, app.app, { app: app.app }),
    ],
    comments: [
      'Stable version: most of the traffic.',
      `Canary: ${describeReplicaCanary(plan)}.`,
      'One Service selects both tracks (by app only): traffic splits by ready pods.',
    ],
    notes: [describeReplicaCanary(plan)],
  };
}

function weightedCanary(strategy: 'canary-istio' | 'canary-nginx' | 'canary-gateway', app: AppOptions, o: { canaryWeight: number; host: string; gateway?: string }): Parts {
  if (!(o.canaryWeight >= 0 && o.canaryWeight <= 100)) throw new ScaffoldError('The canary weight must be from 0 to 100.');
  const track = (t: string) => ({ app: app.app, [TRACK_KEY]: t });
  const stableWeight = 100 - o.canaryWeight;
  const deployments = [deployment(app, `${app.app}-stable`, app.replicas, track('stable')), deployment(app, `${app.app}-canary`, Math.max(1, Math.ceil((app.replicas * o.canaryWeight) / 100)), track('canary'))];
  const comments = ['Stable version.', 'Canary version: its weight, not its pod count, decides its share of traffic.'];
  if (strategy === 'canary-istio') {
    return {
      objects: [
        ...deployments,
        service(app, app.app, { app: app.app }),
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: meta(app, app.app),
          spec: { host: app.app, subsets: [{ name: 'stable', labels: { [TRACK_KEY]: 'stable' } }, { name: 'canary', labels: { [TRACK_KEY]: 'canary' } }] },
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: meta(app, app.app),
          spec: {
            hosts: [o.host, app.app],
            ...(o.gateway ? { gateways: [o.gateway, 'mesh'] } : {}),
            http: [{ name: 'primary', route: [{ destination: { host: app.app, subset: 'stable' }, weight: stableWeight }, { destination: { host: app.app, subset: 'canary' }, weight: o.canaryWeight }] }],
          },
        },
      ],
      comments: [...comments, 'Service over both tracks; Istio splits it by subset.', 'Subsets by the track label.', `Weights: stable ${stableWeight}, canary ${o.canaryWeight}. Raise the canary weight step by step; set it to 0 to abort.`],
      notes: [`Canary gets ${o.canaryWeight}% of requests whatever its pod count.`],
    };
  }
  const stableSvc = service(app, `${app.app}-stable`, track('stable'));
  const canarySvc = service(app, `${app.app}-canary`, track('canary'));
  if (strategy === 'canary-nginx') {
    const ingress = (name: string, svc: string, annotations?: Record<string, string>): K8sObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(app, name, { app: app.app }, annotations),
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: o.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { name: 'http' } } } }] } }],
      },
    });
    return {
      objects: [
        ...deployments,
        stableSvc,
        canarySvc,
        ingress(app.app, `${app.app}-stable`),
        ingress(`${app.app}-canary`, `${app.app}-canary`, { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': String(o.canaryWeight) }),
      ],
      comments: [...comments, 'Service of the stable track.', 'Service of the canary track.', 'Main Ingress: all traffic not sent to the canary.', `Canary Ingress (same host): NGINX sends ${o.canaryWeight}% here. Delete it or set the weight to 0 to abort.`],
      notes: [`Canary gets ${o.canaryWeight}% of requests at ${o.host}.`],
    };
  }
  return {
    objects: [
      ...deployments,
      stableSvc,
      canarySvc,
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: meta(app, app.app, { app: app.app }),
        spec: {
          parentRefs: [{ name: o.gateway ?? 'public-gateway' }],
          hostnames: [o.host],
          rules: [{ backendRefs: [{ name: `${app.app}-stable`, port: 80, weight: stableWeight }, { name: `${app.app}-canary`, port: 80, weight: o.canaryWeight }] }],
        },
      },
    ],
    comments: [...comments, 'Service of the stable track.', 'Service of the canary track.', `HTTPRoute weights: stable ${stableWeight}, canary ${o.canaryWeight} (relative, need not sum to 100).`],
    notes: [`Canary gets ${o.canaryWeight}% of requests at ${o.host}.`],
  };
}

function argoCanary(app: AppOptions, o: ArgoCanaryOptions, a: AnalysisOptions): Parts {
  const weights = o.weights.filter((w) => w > 0 && w <= 100);
  if (!weights.length) throw new ScaffoldError('Give at least one canary weight between 1 and 100.');
  if (weights.some((w, i) => i > 0 && w < weights[i - 1])) throw new ScaffoldError('Canary weights must not go down.');
  const labels = { app: app.app };
  const steps: object[] = [];
  weights.forEach((w, i) => {
    steps.push({ setWeight: w });
    const pause = o.pauseSeconds[i] ?? 0;
    steps.push({ pause: pause > 0 ? { duration: `${pause}s` } : {} });
  });
  const canary: Record<string, unknown> = { canaryService: `${app.app}-canary`, stableService: `${app.app}-stable`, steps };
  if (o.analysis) canary.analysis = { templates: [{ templateName: `${app.app}-success-rate` }], startingStep: 1, args: [{ name: 'service-name', value: app.app }] };
  const objects: K8sObject[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: meta(app, app.app, labels),
      spec: { replicas: app.replicas, revisionHistoryLimit: 10, selector: { matchLabels: labels }, strategy: { canary }, template: podTemplate(app, labels) },
    },
    service(app, `${app.app}-stable`, labels),
    service(app, `${app.app}-canary`, labels),
  ];
  const comments = [
    `Argo Rollouts canary: ${weights.map((w) => `${w}%`).join(' -> ')} -> 100%, pausing between steps${o.analysis ? ', with background analysis' : ''}.`,
    'Stable Service: the controller points its selector at the stable ReplicaSet.',
    'Canary Service: the controller points its selector at the canary ReplicaSet.',
  ];
  if (o.trafficRouting === 'istio') {
    canary.trafficRouting = { istio: { virtualService: { name: app.app, routes: ['primary'] } } };
    objects.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(app, app.app),
      spec: { hosts: [o.host ?? `${app.app}.example.com`], http: [{ name: 'primary', route: [{ destination: { host: `${app.app}-stable` }, weight: 100 }, { destination: { host: `${app.app}-canary` }, weight: 0 }] }] },
    });
    comments.push('VirtualService whose weights the controller sets at each step.');
  } else if (o.trafficRouting === 'nginx') {
    canary.trafficRouting = { nginx: { stableIngress: app.app } };
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(app, app.app, labels),
      spec: { ingressClassName: 'nginx', rules: [{ host: o.host ?? `${app.app}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `${app.app}-stable`, port: { name: 'http' } } } }] } }] },
    });
    comments.push('Stable Ingress; the controller adds a canary Ingress with the step weight.');
  }
  const notes: string[] = [];
  if (o.trafficRouting === 'none') {
    const off = weights.map((w) => ({ w, split: argoCanarySplit(app.replicas, w) })).filter(({ w, split }) => split.trafficPercent !== w);
    if (off.length) notes.push(`Without trafficRouting the pods are the split: with ${app.replicas} replicas, ${off.map(({ w, split }) => `setWeight ${w} runs ${describeArgoCanarySplit(split)}`).join('; ')}.`);
  }
  if (o.analysis) {
    objects.push(analysisTemplate(app, a));
    comments.push('Analysis run in the background from step 1; failing it aborts the rollout.');
  }
  return { objects, comments, notes };
}

function argoBlueGreen(app: AppOptions, o: ArgoBlueGreenOptions, a: AnalysisOptions): Parts {
  const labels = { app: app.app };
  const blueGreen: Record<string, unknown> = {
    activeService: `${app.app}-active`,
    previewService: `${app.app}-preview`,
    autoPromotionEnabled: o.autoPromotionEnabled,
    scaleDownDelaySeconds: o.scaleDownDelaySeconds,
  };
  if (o.prePromotionAnalysis) blueGreen.prePromotionAnalysis = { templates: [{ templateName: `${app.app}-success-rate` }], args: [{ name: 'service-name', value: `${app.app}-preview` }] };
  const objects: K8sObject[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: meta(app, app.app, labels),
      spec: { replicas: app.replicas, revisionHistoryLimit: 10, selector: { matchLabels: labels }, strategy: { blueGreen }, template: podTemplate(app, labels) },
    },
    service(app, `${app.app}-active`, labels),
    service(app, `${app.app}-preview`, labels),
  ];
  const comments = [
    `Argo Rollouts blue/green: the new version starts behind ${app.app}-preview; ${o.autoPromotionEnabled ? 'it is promoted automatically once ready' : 'promote it to switch production'}; the old one stays ${o.scaleDownDelaySeconds}s for a fast rollback.`,
    'Active Service: production traffic. The controller manages its selector.',
    'Preview Service: the new version before promotion.',
  ];
  if (o.prePromotionAnalysis) {
    objects.push(analysisTemplate(app, a));
    comments.push('Analysis that must pass before promotion.');
  }
  return { objects, comments, notes: [] };
}

function analysisTemplate(app: AppOptions, a: AnalysisOptions): K8sObject {
  const provider = (query: string) => ({ prometheus: { address: a.prometheusAddress, query } });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: meta(app, `${app.app}-success-rate`),
    spec: {
      args: [{ name: 'service-name' }],
      metrics: [
        {
          name: 'success-rate',
          interval: a.interval,
          successCondition: `len(result) == 0 || result[0] >= ${a.successRate}`,
          failureLimit: a.failureLimit,
          provider: provider(
            'sum(rate(http_requests_total{service="{{args.service-name}}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))',
          ),
        },
        {
          name: 'latency-p95',
          interval: a.interval,
          successCondition: `len(result) == 0 || result[0] <= ${a.latencyMs / 1000}`,
          failureLimit: a.failureLimit,
          provider: provider('histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{service="{{args.service-name}}"}[2m])) by (le))'),
        },
      ],
    },
  };
}

// ---- Flagger ------------------------------------------------------------------------------------

/** Flagger's provider per strategy (flagger.app/v1beta1 CanarySpec.provider). */
export const FLAGGER_PROVIDER: Record<FlaggerStrategyId, string> = {
  'flagger-bluegreen': 'kubernetes',
  'flagger-nginx': 'nginx',
  'flagger-gateway': 'gatewayapi:v1',
};

/** The names of the two MetricTemplates an app's Canary refers to. */
export function flaggerTemplateNames(app: string): { errorRate: string; latency: string } {
  return { errorRate: `${app}-error-rate`, latency: `${app}-latency` };
}

/**
 * A Deployment and the Canary that releases it. Flagger takes the Deployment over: it runs a copy
 * named `<app>-primary` that serves, scales `<app>` to zero between releases and creates the Services
 * `<app>`, `<app>-primary` and `<app>-canary` itself, so none are written here.
 */
function flaggerRelease(strategy: FlaggerStrategyId, app: AppOptions, o: FlaggerOptions, a: AnalysisOptions): Parts {
  const parts = flaggerParts(strategy, app, o, a);
  return {
    objects: [deployment(app, app.app, app.replicas, { app: app.app }), ...parts.objects],
    comments: [`Target of the Canary: Flagger copies it to ${app.app}-primary, which serves, and runs this one only while a new version is tested.`, ...parts.comments],
    notes: parts.notes,
  };
}

/**
 * The Canary of the Deployment `app.app` (whose pods listen on `app.port`), with, for NGINX, the
 * Ingress it names unless `ingress` names one that exists, and the MetricTemplates its metrics
 * refer to. New Strategy… and Convert Deployment to Flagger Canary both build it here.
 */
export function flaggerParts(strategy: FlaggerStrategyId, app: AppOptions, o: FlaggerOptions, a: AnalysisOptions, existing: { ingress?: string } = {}): Parts {
  const labels = { app: app.app };
  const blueGreen = strategy === 'flagger-bluegreen';
  const ingressName = existing.ingress ?? app.app;
  const service: Record<string, unknown> = { port: 80, targetPort: app.port, portName: 'http' };
  if (strategy === 'flagger-gateway') {
    service.hosts = [o.host];
    service.gatewayRefs = [{ name: o.gateway, ...(app.namespace ? { namespace: app.namespace } : {}) }];
  }
  const analysis: Record<string, unknown> = { interval: o.interval, threshold: o.threshold };
  if (blueGreen) analysis.iterations = o.iterations;
  else Object.assign(analysis, { maxWeight: o.maxWeight, stepWeight: o.stepWeight });
  const names = flaggerTemplateNames(app.app);
  if (o.metrics) {
    analysis.metrics = [
      { name: 'error-rate', templateRef: { name: names.errorRate }, thresholdRange: { max: errorRatePercent(a.successRate) }, interval: o.interval },
      { name: 'latency', templateRef: { name: names.latency }, thresholdRange: { max: a.latencyMs }, interval: o.interval },
    ];
  }
  const webhooks: object[] = [];
  const canaryHost = `${app.app}-canary${app.namespace ? `.${app.namespace}` : ''}`;
  if (o.loadTest) webhooks.push({ name: 'load-test', type: 'rollout', url: o.loadTesterUrl, timeout: '5s', metadata: { type: 'cmd', cmd: `hey -z 1m -q 10 -c 2 http://${canaryHost}/` } });
  if (o.confirmPromotion) webhooks.push({ name: 'confirm-promotion', type: 'confirm-promotion', url: new URL('gate/check', o.loadTesterUrl).toString() });
  if (webhooks.length) analysis.webhooks = webhooks;
  const canary: K8sObject = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: meta(app, app.app, labels),
    spec: {
      provider: FLAGGER_PROVIDER[strategy],
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.app },
      ...(strategy === 'flagger-nginx' ? { ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: ingressName } } : {}),
      progressDeadlineSeconds: 600,
      service,
      analysis,
    },
  };
  const walk = walkFlaggerWeights({ stepWeight: o.stepWeight, maxWeight: o.maxWeight });
  const objects: K8sObject[] = [canary];
  const comments = [
    blueGreen
      ? `Flagger blue/green: each new version runs beside ${app.app}-primary for ${o.iterations} checks every ${o.interval}, then the Service switches to it; ${o.threshold} failed checks roll it back.`
      : `Flagger canary (${FLAGGER_PROVIDER[strategy]}): the weight goes ${walk.weights.join(' -> ')} one step per passed check every ${o.interval}, then the new version is promoted; ${o.threshold} failed checks roll it back.`,
  ];
  if (strategy === 'flagger-nginx' && !existing.ingress) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(app, ingressName, labels),
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: o.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.app, port: { number: 80 } } } }] } }],
      },
    });
    comments.push(`Ingress of ${o.host}: Flagger adds ${app.app}-canary beside it and sets its canary weight.`);
  }
  if (o.metrics) {
    for (const t of flaggerMetricTemplates(app, a)) {
      objects.push(t.object);
      comments.push(t.comment);
    }
  }
  const notes = [`Flagger creates the Services ${app.app}, ${app.app}-primary and ${app.app}-canary; do not write them yourself.`];
  if (o.loadTest || o.confirmPromotion) notes.push(`The webhooks call flagger-loadtester at ${o.loadTesterUrl}: install it (Flagger's kustomize/tester) or change the URL.`);
  if (!o.metrics && !webhooks.length) notes.push('No metrics and no webhooks: every check passes, so the release is promoted on time alone.');
  return { objects, comments, notes };
}

/** Error rate in percent allowed by a minimum success ratio: 0.99 -> 1. */
function errorRatePercent(successRate: number): number {
  return Math.round((1 - successRate) * 100 * 1000) / 1000;
}

/**
 * Error rate (percent of 5xx) and p95 latency (milliseconds) of the target's pods. Flagger fills in
 * `{{ namespace }}`, `{{ target }}` (the targetRef's name) and `{{ interval }}` (the metric's interval)
 * before each query (pkg/apis/flagger/v1beta1/metric.go, MetricTemplateModel). The pod name pattern
 * matches the canary's pods (`<target>-<hash>-<id>`), not `<target>-primary-…`.
 */
function flaggerMetricTemplates(app: AppOptions, a: AnalysisOptions): { object: K8sObject; comment: string }[] {
  const names = flaggerTemplateNames(app.app);
  const pods = 'namespace="{{ namespace }}", pod=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
  const template = (name: string, query: string): K8sObject => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: meta(app, name, { app: app.app }),
    spec: { provider: { type: 'prometheus', address: a.prometheusAddress }, query },
  });
  return [
    {
      object: template(names.errorRate, `100 * sum(rate(http_requests_total{${pods}, code=~"5.."}[{{ interval }}])) / sum(rate(http_requests_total{${pods}}[{{ interval }}]))`),
      comment: `Error rate of the canary's pods in percent; the Canary fails a check above ${errorRatePercent(a.successRate)}.`,
    },
    {
      object: template(names.latency, `1000 * histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{${pods}}[{{ interval }}])) by (le))`),
      comment: `p95 latency of the canary's pods in milliseconds; the Canary fails a check above ${a.latencyMs}.`,
    },
  ];
}
