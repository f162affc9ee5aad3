// The cluster objects the view model reads, as the API serves them (JSON). Only the fields we use
// are typed; everything is optional because a watch may deliver partial or odd objects.
import type { FieldOwners } from './ownership';

/** One writer's entry of `metadata.managedFields`, as far as the store keeps it (see lean.ts). */
export interface FieldChange {
  manager: string;
  /** Apply (server-side apply) or Update (create, update, patch). */
  operation: string;
  /** When this manager last changed its fields (RFC 3339, whole seconds). */
  time?: string;
  /** `status` when it wrote through the status subresource. */
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  /** As the API server sends it; the store keeps only `lastChange` (lean.ts). */
  managedFields?: (Partial<FieldChange> & { fieldsV1?: unknown; apiVersion?: string; fieldsType?: string })[];
  /** The store's summary of managedFields: the latest change by someone other than a release controller. */
  lastChange?: FieldChange;
  /** The store's summary of managedFields: who owns the fields actions change (ownership.ts). */
  fieldOwners?: FieldOwners;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface Container {
  name: string;
  image?: string;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; [k: string]: unknown };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: LabelSelector;
    template?: PodTemplate;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: Condition[] };
}

/** What the kubelet reports of one container's current (or last) run. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod extends KubeObject {
  /** The store keeps node and images only (lean.ts); an action reads the pod fresh, grace period included. */
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[]; terminationGracePeriodSeconds?: number };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    startTime?: string;
  };
}

export interface Service extends KubeObject {
  spec?: { selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string; name?: string }[]; type?: string };
}

export interface EndpointSlice extends KubeObject {
  addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  /** The ports of the endpoints (a Service's targetPorts, resolved), named as the Service's ports are. */
  ports?: { name?: string; port?: number; protocol?: string }[];
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string } }[];
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: { templateName?: string }[] };
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  experiment?: ExperimentStep;
  setHeaderRoute?: unknown;
  setMirrorRoute?: unknown;
  plugin?: unknown;
}

/** A canary step that runs an Experiment: its templates (stable or canary pod template), for a duration. */
export interface ExperimentStep {
  templates?: { name: string; specRef?: string; replicas?: number; weight?: number }[];
  duration?: string | number;
  analyses?: { name: string; templateName?: string }[];
}

export interface AnalysisRunStatusRef {
  name?: string;
  status?: string;
  message?: string;
}

export interface Rollout extends KubeObject {
  spec?: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    progressDeadlineAbort?: boolean;
    restartAt?: string;
    selector?: LabelSelector;
    template?: PodTemplate;
    workloadRef?: { apiVersion?: string; kind?: string; name?: string };
    strategy?: {
      canary?: {
        steps?: CanaryStep[];
        /** The router's kind (nginx, istio, alb, …) as a key; maxTrafficWeight is the scale weights are given in (default 100). */
        trafficRouting?: Record<string, unknown> & { maxTrafficWeight?: number };
        canaryService?: string;
        stableService?: string;
        /** Two Services that take turns as stable and canary (ALB, Istio): status.canary.stablePingPong says which is stable. */
        pingPong?: { pingService?: string; pongService?: string };
        analysis?: unknown;
      };
      blueGreen?: {
        activeService?: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
        autoPromotionSeconds?: number;
        scaleDownDelaySeconds?: number;
        postPromotionAnalysis?: unknown;
        prePromotionAnalysis?: unknown;
      };
    };
  };
  status?: {
    phase?: string;
    message?: string;
    observedGeneration?: string | number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
    abort?: boolean;
    /** When the controller acted on `abort` (scaled the canary / preview down): until then a retry would cancel the abort. */
    abortedAt?: string;
    controllerPause?: boolean;
    pauseConditions?: { reason: string; startTime?: string }[];
    conditions?: Condition[];
    restartedAt?: string;
    canary?: {
      weights?: { canary?: { weight?: number }; stable?: { weight?: number } };
      currentStepAnalysisRunStatus?: AnalysisRunStatusRef;
      currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef;
      /** The Experiment the current step runs. */
      currentExperiment?: string;
      /** Which pingPong Service is stable now. */
      stablePingPong?: 'ping' | 'pong';
    };
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      prePromotionAnalysisRunStatus?: AnalysisRunStatusRef;
      postPromotionAnalysisRunStatus?: AnalysisRunStatusRef;
    };
  };
}

/** A metric of an AnalysisRun's spec: what it measures against, how often and how many failures it tolerates. */
export interface AnalysisMetric {
  name: string;
  successCondition?: string;
  failureCondition?: string;
  /** Go durations ("30s", "5m"). */
  interval?: string;
  initialDelay?: string;
  count?: number | string;
  failureLimit?: number | string;
  inconclusiveLimit?: number | string;
  consecutiveErrorLimit?: number | string;
  provider?: Record<string, unknown>;
}

export interface AnalysisRun extends KubeObject {
  spec?: { metrics?: AnalysisMetric[] };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    metricResults?: {
      name: string;
      phase?: string;
      successful?: number;
      failed?: number;
      inconclusive?: number;
      error?: number;
      count?: number;
      consecutiveError?: number;
      message?: string;
      measurements?: { phase?: string; value?: string; startedAt?: string; finishedAt?: string; resumeAt?: string; message?: string }[];
    }[];
  };
}

/** An Argo Experiment (a canary step's, owned by its Rollout): ReplicaSets per template, owned by it, and AnalysisRuns. */
export interface Experiment extends KubeObject {
  spec?: {
    duration?: string;
    templates?: { name: string; replicas?: number; template?: PodTemplate }[];
    analyses?: { name: string; templateName?: string }[];
  };
  status?: {
    phase?: string;
    message?: string;
    availableAt?: string;
    templateStatuses?: { name: string; replicas?: number; readyReplicas?: number; availableReplicas?: number; status?: string; message?: string; podTemplateHash?: string }[];
    analysisRuns?: { name: string; analysisRun?: string; phase?: string; message?: string }[];
    conditions?: Condition[];
  };
}

/**
 * Flagger's phases of a Canary, in the order an analysis goes through them (flagger.app/v1beta1,
 * pkg/apis/flagger/v1beta1/status.go of Flagger v1.36).
 */
export type FlaggerPhase = 'Initializing' | 'Initialized' | 'Waiting' | 'Progressing' | 'WaitingPromotion' | 'Promoting' | 'Finalising' | 'Succeeded' | 'Failed' | 'Terminating' | 'Terminated';

/** The kinds of a Flagger webhook (`analysis.webhooks[].type`); Flagger's default is `rollout`. */
export type FlaggerHookType = 'rollout' | 'pre-rollout' | 'post-rollout' | 'confirm-rollout' | 'confirm-promotion' | 'confirm-traffic-increase' | 'rollback' | 'event';

export interface FlaggerObjectRef {
  apiVersion?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface FlaggerMetric {
  name: string;
  interval?: string;
  /** Deprecated form of thresholdRange.min (success rate) / max (latency) for the built-in metrics. */
  threshold?: number;
  thresholdRange?: { min?: number; max?: number };
  query?: string;
  templateRef?: FlaggerObjectRef;
  templateVariables?: Record<string, string>;
}

export interface FlaggerWebhook {
  type?: FlaggerHookType;
  name: string;
  url: string;
  muteAlert?: boolean;
  timeout?: string;
  metadata?: Record<string, string>;
  retries?: number;
}

export interface FlaggerAnalysis {
  interval?: string;
  /** Blue/green: the number of checks before promotion (no traffic steps). */
  iterations?: number;
  mirror?: boolean;
  mirrorWeight?: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  stepWeightPromotion?: number;
  /** Failed checks before a rollback. */
  threshold?: number;
  primaryReadyThreshold?: number;
  canaryReadyThreshold?: number;
  metrics?: FlaggerMetric[];
  webhooks?: FlaggerWebhook[];
  match?: unknown[];
  sessionAffinity?: { cookieName?: string; maxAge?: number };
}

/** A Flagger Canary (flagger.app/v1beta1), as pkg/apis/flagger/v1beta1/canary.go serves it. */
export interface FlaggerCanary extends KubeObject {
  spec?: {
    /** kubernetes, istio, nginx, gatewayapi:v1, …; Flagger's -mesh-provider flag when empty. */
    provider?: string;
    metricsServer?: string;
    /** The Deployment (or DaemonSet) Flagger takes over: it scales it to zero and runs `<name>-primary`. */
    targetRef?: FlaggerObjectRef;
    autoscalerRef?: FlaggerObjectRef;
    ingressRef?: FlaggerObjectRef;
    routeRef?: FlaggerObjectRef;
    upstreamRef?: FlaggerObjectRef;
    service?: { name?: string; port?: number; portName?: string; targetPort?: number | string; gatewayRefs?: { name: string; namespace?: string; sectionName?: string }[]; hosts?: string[]; [k: string]: unknown };
    analysis?: FlaggerAnalysis;
    /** Deprecated name of `analysis`. */
    canaryAnalysis?: FlaggerAnalysis;
    progressDeadlineSeconds?: number;
    skipAnalysis?: boolean;
    revertOnDeletion?: boolean;
    suspend?: boolean;
  };
  status?: {
    phase?: FlaggerPhase;
    failedChecks?: number;
    canaryWeight?: number;
    iterations?: number;
    lastAppliedSpec?: string;
    lastPromotedSpec?: string;
    lastTransitionTime?: string;
    trackedConfigs?: Record<string, string>;
    /** Flagger writes one, `Promoted`, whose reason and message say where the analysis is. */
    conditions?: Condition[];
  };
}

/** A Flagger MetricTemplate (flagger.app/v1beta1, pkg/apis/flagger/v1beta1/metric.go). */
export interface FlaggerMetricTemplate extends KubeObject {
  spec?: {
    provider?: { type?: string; address?: string; secretRef?: { name: string }; region?: string; insecureSkipVerify?: boolean };
    query?: string;
  };
}

/** Everything the view model needs from one namespace. */
export interface NamespaceSnapshot {
  namespace: string;
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  pods: Pod[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  rollouts: Rollout[];
  analysisRuns: AnalysisRun[];
  experiments: Experiment[];
  /** Flagger's Canaries (watched when flagger.app/v1beta1 serves them), and the MetricTemplates their analyses refer to. */
  canaries: FlaggerCanary[];
  metricTemplates: FlaggerMetricTemplate[];
}

export function emptySnapshot(namespace: string): NamespaceSnapshot {
  return { namespace, deployments: [], replicaSets: [], pods: [], services: [], endpointSlices: [], rollouts: [], analysisRuns: [], experiments: [], canaries: [], metricTemplates: [] };
}
