// What the user chooses when scaffolding a strategy. Shared by the quick-pick flow, the
// command arguments and (later) the designer webview.

export const STRATEGIES = [
  'rolling',
  'bluegreen',
  'canary-replicas',
  'canary-istio',
  'canary-nginx',
  'canary-gateway',
  'argo-canary',
  'argo-bluegreen',
  'analysis-template',
  'flagger-bluegreen',
  'flagger-nginx',
  'flagger-gateway',
  'flagger-metric-template',
] as const;

/** The strategies whose release Flagger runs (a Canary over a plain Deployment). */
export const FLAGGER_STRATEGIES = ['flagger-bluegreen', 'flagger-nginx', 'flagger-gateway'] as const satisfies readonly StrategyId[];
export type FlaggerStrategyId = (typeof FLAGGER_STRATEGIES)[number];

export function isFlaggerStrategy(id: StrategyId): id is FlaggerStrategyId {
  return (FLAGGER_STRATEGIES as readonly StrategyId[]).includes(id);
}

export type StrategyId = (typeof STRATEGIES)[number];

export interface StrategyInfo {
  id: StrategyId;
  label: string;
  detail: string;
}

export const STRATEGY_INFO: Record<StrategyId, StrategyInfo> = {
  rolling: { id: 'rolling', label: 'Rolling update', detail: 'One Deployment replaced pod by pod; no extra environment, slow rollback.' },
  bluegreen: { id: 'bluegreen', label: 'Blue/green (plain Kubernetes)', detail: 'Two Deployments, a Service selector switch moves all traffic; rollback is one switch back.' },
  'canary-replicas': { id: 'canary-replicas', label: 'Canary by replica ratio', detail: 'Stable and canary Deployments under one Service; share = canary pods / all pods.' },
  'canary-istio': { id: 'canary-istio', label: 'Canary by weight: Istio', detail: 'VirtualService weights over DestinationRule subsets.' },
  'canary-nginx': { id: 'canary-nginx', label: 'Canary by weight: NGINX Ingress', detail: 'A second Ingress with nginx canary annotations.' },
  'canary-gateway': { id: 'canary-gateway', label: 'Canary by weight: Gateway API', detail: 'HTTPRoute backendRefs with weights.' },
  'argo-canary': { id: 'argo-canary', label: 'Argo Rollouts canary', detail: 'Rollout with setWeight / pause / analysis steps, optionally with trafficRouting.' },
  'argo-bluegreen': { id: 'argo-bluegreen', label: 'Argo Rollouts blue/green', detail: 'Rollout with active and preview Services, promotion and pre-promotion analysis.' },
  'analysis-template': { id: 'analysis-template', label: 'Argo AnalysisTemplate', detail: 'Prometheus success rate and latency checks for canary or blue/green.' },
  'flagger-bluegreen': { id: 'flagger-bluegreen', label: 'Flagger blue/green (Kubernetes provider)', detail: 'A Canary over a Deployment: Flagger runs <app>-primary, tests the new version for N iterations, then switches the Service.' },
  'flagger-nginx': { id: 'flagger-nginx', label: 'Flagger canary: NGINX Ingress', detail: 'A Canary over a Deployment and an Ingress: Flagger raises the canary weight step by step while the analysis passes.' },
  'flagger-gateway': { id: 'flagger-gateway', label: 'Flagger canary: Gateway API', detail: 'A Canary that writes HTTPRoute weights (gatewayapi:v1) step by step while the analysis passes.' },
  'flagger-metric-template': { id: 'flagger-metric-template', label: 'Flagger MetricTemplate', detail: 'Prometheus error rate and p95 latency for a Canary\'s analysis, with Flagger\'s {{ namespace }} / {{ target }} / {{ interval }}.' },
};

export type IntOrPercent = number | `${number}%`;

export interface AppOptions {
  app: string;
  /** Image with an explicit tag, e.g. `ghcr.io/acme/web:1.4.2`. */
  image: string;
  port: number;
  replicas: number;
  namespace?: string;
}

export interface RollingOptions {
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  minReadySeconds: number;
  progressDeadlineSeconds: number;
  revisionHistoryLimit: number;
  /** Seconds the preStop hook waits so endpoints drop the pod before it stops. */
  preStopSeconds: number;
}

export interface BlueGreenOptions {
  /** Colour that receives production traffic now. */
  liveColor: 'blue' | 'green';
}

export interface ReplicaCanaryOptions {
  /** Requested canary share of traffic in percent (0 < share < 100). */
  canaryPercent: number;
}

export interface WeightedCanaryOptions {
  canaryWeight: number;
  host: string;
  /** Istio gateway or Gateway API parent (gateway) name. */
  gateway?: string;
}

export type ArgoTrafficRouting = 'none' | 'istio' | 'nginx';

export interface ArgoCanaryOptions {
  /** setWeight values in order, each followed by a pause. */
  weights: number[];
  /** Pause after each weight in seconds; 0 = indefinite (needs a promote). */
  pauseSeconds: number[];
  analysis: boolean;
  trafficRouting: ArgoTrafficRouting;
  host?: string;
}

export interface ArgoBlueGreenOptions {
  autoPromotionEnabled: boolean;
  prePromotionAnalysis: boolean;
  scaleDownDelaySeconds: number;
}

export interface AnalysisOptions {
  prometheusAddress: string;
  /** Minimum success ratio, 0..1. */
  successRate: number;
  /** Maximum p95 latency in milliseconds. */
  latencyMs: number;
  failureLimit: number;
  interval: string;
}

/** A Flagger Canary's analysis (flagger.app/v1beta1 CanaryAnalysis) and its checks. */
export interface FlaggerOptions {
  /** Between two checks, e.g. 1m (Flagger: at least 10s). */
  interval: string;
  /** Failed checks that roll the release back. */
  threshold: number;
  /** Blue/green: checks passed before the switch. */
  iterations: number;
  /** Canary: weight added per passed check. */
  stepWeight: number;
  /** Canary: weight at which the canary is promoted. */
  maxWeight: number;
  /** NGINX / Gateway API: the public host. */
  host: string;
  /** Gateway API: the Gateway the HTTPRoute attaches to. */
  gateway: string;
  /** Error-rate and latency MetricTemplates in the analysis. */
  metrics: boolean;
  /** A rollout webhook that drives traffic through flagger-loadtester. */
  loadTest: boolean;
  /** A confirm-promotion webhook: promotion waits until the gate opens. */
  confirmPromotion: boolean;
  /** Where flagger-loadtester listens (it serves both hooks). */
  loadTesterUrl: string;
}

export interface ScaffoldRequest {
  strategy: StrategyId;
  app: AppOptions;
  rolling?: Partial<RollingOptions>;
  blueGreen?: Partial<BlueGreenOptions>;
  replicaCanary?: Partial<ReplicaCanaryOptions>;
  weightedCanary?: Partial<WeightedCanaryOptions>;
  argoCanary?: Partial<ArgoCanaryOptions>;
  argoBlueGreen?: Partial<ArgoBlueGreenOptions>;
  analysis?: Partial<AnalysisOptions>;
  flagger?: Partial<FlaggerOptions>;
}

export const DEFAULTS = {
  app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 4 } as AppOptions,
  rolling: { maxSurge: '25%', maxUnavailable: 0, minReadySeconds: 5, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, preStopSeconds: 10 } as RollingOptions,
  blueGreen: { liveColor: 'blue' } as BlueGreenOptions,
  replicaCanary: { canaryPercent: 10 } as ReplicaCanaryOptions,
  weightedCanary: { canaryWeight: 10, host: 'web.example.com', gateway: 'public-gateway' } as WeightedCanaryOptions,
  argoCanary: { weights: [25, 50, 75], pauseSeconds: [0, 60, 120], analysis: true, trafficRouting: 'none', host: 'web.example.com' } as ArgoCanaryOptions,
  argoBlueGreen: { autoPromotionEnabled: false, prePromotionAnalysis: true, scaleDownDelaySeconds: 30 } as ArgoBlueGreenOptions,
  analysis: { prometheusAddress: 'http://prometheus.monitoring.svc:9090', successRate: 0.99, latencyMs: 500, failureLimit: 2, interval: '1m' } as AnalysisOptions,
  flagger: {
    interval: '1m',
    threshold: 5,
    iterations: 10,
    stepWeight: 10,
    maxWeight: 50,
    host: 'web.example.com',
    gateway: 'public-gateway',
    metrics: true,
    loadTest: true,
    confirmPromotion: false,
    loadTesterUrl: 'http://flagger-loadtester.test/',
  } as FlaggerOptions,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with the user's answers, in words; empty when they are fine. */
export function validateApp(app: AppOptions): string[] {
  const problems: string[] = [];
  if (!DNS_LABEL.test(app.app) || app.app.length > 40) problems.push('App name must be a lowercase DNS label (a-z, 0-9, "-"), at most 40 characters so suffixes fit.');
  const tag = imageTag(app.image);
  if (!app.image.trim()) problems.push('Image is required.');
  else if (!tag && !app.image.includes('@sha256:')) problems.push('Image needs an explicit tag (e.g. :1.4.2): without one there is no version to roll back to.');
  else if (tag === 'latest') problems.push('Image tag "latest" moves: pin a version so a rollback returns to a known build.');
  if (!Number.isInteger(app.port) || app.port < 1 || app.port > 65535) problems.push('Port must be a whole number from 1 to 65535.');
  if (!Number.isInteger(app.replicas) || app.replicas < 1) problems.push('Replicas must be a whole number of at least 1.');
  if (app.namespace !== undefined && app.namespace !== '' && !DNS_LABEL.test(app.namespace)) problems.push('Namespace must be a lowercase DNS label.');
  return problems;
}

/** The tag of an image reference, or undefined when it has none (digest-only or bare name). */
export function imageTag(image: string): string | undefined {
  return splitImage(image).tag;
}

/** An image reference without its tag and digest: "ghcr.io/acme/web:1.0" -> "ghcr.io/acme/web". */
export function imageName(image: string): string {
  return splitImage(image).name;
}

/** An image reference split into its name, tag and digest (a colon before the last slash is a registry port, not a tag). */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const named = colon >= 0 ? { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) } : { name: withoutDigest };
  return digest ? { ...named, digest } : named;
}

/** Parses "25%" or "2" into an IntOrPercent; undefined when it is neither. */
export function parseIntOrPercent(text: string): IntOrPercent | undefined {
  const t = text.trim();
  if (/^\d+%$/.test(t)) return t as `${number}%`;
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}
