// The cluster objects the view model reads, as the API serves them (JSON). Only the fields we use
// are typed; everything is optional because a watch may deliver partial or odd objects.

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
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string } }[];
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: { templateName?: string }[] };
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  experiment?: unknown;
  setHeaderRoute?: unknown;
  setMirrorRoute?: unknown;
  plugin?: unknown;
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
    restartAt?: string;
    selector?: LabelSelector;
    template?: PodTemplate;
    workloadRef?: { apiVersion?: string; kind?: string; name?: string };
    strategy?: {
      canary?: {
        steps?: CanaryStep[];
        trafficRouting?: Record<string, unknown>;
        canaryService?: string;
        stableService?: string;
        analysis?: unknown;
      };
      blueGreen?: {
        activeService?: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
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
    controllerPause?: boolean;
    pauseConditions?: { reason: string; startTime?: string }[];
    conditions?: Condition[];
    restartedAt?: string;
    canary?: {
      weights?: { canary?: { weight?: number }; stable?: { weight?: number } };
      currentStepAnalysisRunStatus?: AnalysisRunStatusRef;
      currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef;
    };
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      prePromotionAnalysisRunStatus?: AnalysisRunStatusRef;
      postPromotionAnalysisRunStatus?: AnalysisRunStatusRef;
    };
  };
}

export interface AnalysisRun extends KubeObject {
  spec?: { metrics?: { name: string; successCondition?: string; failureCondition?: string }[] };
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
      message?: string;
      measurements?: { phase?: string; value?: string; startedAt?: string; finishedAt?: string; message?: string }[];
    }[];
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
}

export function emptySnapshot(namespace: string): NamespaceSnapshot {
  return { namespace, deployments: [], replicaSets: [], pods: [], services: [], endpointSlices: [], rollouts: [], analysisRuns: [] };
}
