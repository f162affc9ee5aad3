// Hover documentation for release-related manifest fields: what a field does, its default, and
// what it means for downtime and rollback. Pure data plus a path matcher; no VS Code imports.
// Texts are written for this project (not copied from upstream docs); each links to the
// official reference for the details.

export interface FieldDoc {
  /** Kinds it applies to, e.g. ['Deployment'], ['Deployment', 'Rollout']. */
  kinds: string[];
  /** API groups it applies to (the apiVersion part before '/', '' for core v1). */
  groups: string[];
  /** Path segments from the document root; '[]' stands for any sequence index. */
  path: string[];
  /** Short title, e.g. 'maxSurge'. */
  title: string;
  /** What it does, 1-3 sentences. */
  summary: string;
  /** The default when omitted, if any. */
  default?: string;
  /** What it means for downtime and rollback, 1-3 sentences. */
  release: string;
  /** Link to the official reference. */
  link: string;
  /** What each value of an enumerated field does, shown when the hover is on that value. */
  values?: Readonly<Record<string, string>>;
}

// ---- Where things live -------------------------------------------------------------------------

/**
 * The API group that serves each documented kind. An entry's kinds and groups are read as pairs
 * through it: WORKLOAD lists Deployment and Rollout with apps and argoproj.io, but a Deployment under
 * argoproj.io or a Rollout under apps exists nowhere, and gets no hover.
 */
export const GROUP_OF_KIND: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  Rollout: 'argoproj.io',
  AnalysisTemplate: 'argoproj.io',
  ClusterAnalysisTemplate: 'argoproj.io',
  Service: '',
  VirtualService: 'networking.istio.io',
  DestinationRule: 'networking.istio.io',
  HTTPRoute: 'gateway.networking.k8s.io',
  Ingress: 'networking.k8s.io',
  Canary: 'flagger.app',
  MetricTemplate: 'flagger.app',
};

const DEPLOYMENT = { kinds: ['Deployment'], groups: ['apps'] };
/** Fields a Rollout shares with a Deployment (same meaning in both). */
const WORKLOAD = { kinds: ['Deployment', 'Rollout'], groups: ['apps', 'argoproj.io'] };
const ROLLOUT = { kinds: ['Rollout'], groups: ['argoproj.io'] };
const ANALYSIS = { kinds: ['AnalysisTemplate', 'ClusterAnalysisTemplate'], groups: ['argoproj.io'] };
const SERVICE = { kinds: ['Service'], groups: [''] };
const VIRTUAL_SERVICE = { kinds: ['VirtualService'], groups: ['networking.istio.io'] };
const DESTINATION_RULE = { kinds: ['DestinationRule'], groups: ['networking.istio.io'] };
const HTTP_ROUTE = { kinds: ['HTTPRoute'], groups: ['gateway.networking.k8s.io'] };
const INGRESS = { kinds: ['Ingress'], groups: ['networking.k8s.io'] };
const FLAGGER_CANARY = { kinds: ['Canary'], groups: ['flagger.app'] };
const FLAGGER_METRIC_TEMPLATE = { kinds: ['MetricTemplate'], groups: ['flagger.app'] };

const CONTAINER = ['spec', 'template', 'spec', 'containers', '[]'];
const CANARY = ['spec', 'strategy', 'canary'];
const STEP = [...CANARY, 'steps', '[]'];
const BLUE_GREEN = ['spec', 'strategy', 'blueGreen'];
const METRIC = ['spec', 'metrics', '[]'];
const FLAGGER_ANALYSIS = ['spec', 'analysis'];
const FLAGGER_METRIC = [...FLAGGER_ANALYSIS, 'metrics', '[]'];
const FLAGGER_HOOK = [...FLAGGER_ANALYSIS, 'webhooks', '[]'];
const NGINX = (name: string): string[] => ['metadata', 'annotations', `nginx.ingress.kubernetes.io/${name}`];

// ---- Official references -----------------------------------------------------------------------

const K8S = 'https://kubernetes.io/docs/';
const DEPLOY_DOC = `${K8S}concepts/workloads/controllers/deployment/`;
const PROBES_DOC = `${K8S}tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`;
const ARGO = 'https://argo-rollouts.readthedocs.io/en/stable/';
const ARGO_SPEC = `${ARGO}features/specification/`;
const ARGO_CANARY = `${ARGO}features/canary/`;
const ARGO_BG = `${ARGO}features/bluegreen/`;
const ARGO_ANALYSIS = `${ARGO}features/analysis/`;
const ISTIO_VS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/';
const ISTIO_DR = 'https://istio.io/latest/docs/reference/config/networking/destination-rule/';
const GATEWAY_ROUTE = 'https://gateway-api.sigs.k8s.io/api-types/httproute/';
const GATEWAY_SPLIT = 'https://gateway-api.sigs.k8s.io/guides/traffic-splitting/';
const NGINX_CANARY = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary';
const FLAGGER = 'https://docs.flagger.app/usage/';
const FLAGGER_HOW = `${FLAGGER}how-it-works`;
const FLAGGER_STRATEGIES = `${FLAGGER}deployment-strategies`;
const FLAGGER_METRICS = `${FLAGGER}metrics`;
const FLAGGER_WEBHOOKS = `${FLAGGER}webhooks`;

export const FIELD_DOCS: readonly FieldDoc[] = [
  // ---- Deployment strategy ---------------------------------------------------------------------
  {
    ...DEPLOYMENT,
    path: ['spec', 'strategy'],
    title: 'strategy',
    summary: 'How the Deployment swaps old Pods for new ones when the pod template changes. Only template edits (image, env, labels…) start a rollout; changing replicas just scales.',
    default: 'RollingUpdate with maxSurge 25% and maxUnavailable 25%',
    release: 'RollingUpdate keeps serving throughout as long as readiness probes are honest; Recreate always leaves a gap. `kubectl rollout undo` is itself a new rollout to the previous template, using this same strategy.',
    link: `${DEPLOY_DOC}#strategy`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'strategy', 'type'],
    title: 'strategy.type',
    summary: '`RollingUpdate` replaces Pods gradually, old and new side by side. `Recreate` scales the old ReplicaSet to zero and waits for its Pods to be gone before starting any new Pod.',
    default: 'RollingUpdate',
    release: 'Recreate means an outage on every release and every rollback; reserve it for apps where two versions must never run at once (exclusive volume, incompatible schema). With Recreate, leave `rollingUpdate` out: the API rejects the combination.',
    link: `${DEPLOY_DOC}#strategy`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'strategy', 'rollingUpdate'],
    title: 'rollingUpdate',
    summary: 'Pace of a RollingUpdate: how far above (maxSurge) and below (maxUnavailable) the desired replica count the Deployment may go while it swaps Pods.',
    default: 'maxSurge 25%, maxUnavailable 25%',
    release: 'These two numbers set both the speed and the capacity floor of the release. For no capacity loss at all, use `maxUnavailable: 0` with `maxSurge: 1` or more, which needs spare room in the cluster.',
    link: `${DEPLOY_DOC}#rolling-update-deployment`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'],
    title: 'maxSurge',
    summary: 'How many extra Pods may exist above `spec.replicas` during a rollout, as a number or a percentage of replicas. Percentages are rounded up.',
    default: '25% (rounded up)',
    release: 'More surge brings new Pods up faster but needs spare CPU, memory and quota; if surge Pods cannot be scheduled the rollout stalls until the progress deadline. It may only be 0 when maxUnavailable is above 0.',
    link: `${DEPLOY_DOC}#max-surge`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
    title: 'maxUnavailable',
    summary: 'How many of the desired Pods may be unavailable at once during a rollout, as a number or a percentage of replicas. Percentages are rounded down.',
    default: '25% (rounded down)',
    release: 'Anything above 0 lets serving capacity drop while Pods swap: with 8 replicas the default allows 2 to be down at once (with fewer than 4 replicas, 25% rounds down to 0). Set 0, with maxSurge ≥ 1, for services that run close to capacity.',
    link: `${DEPLOY_DOC}#max-unavailable`,
  },
  {
    ...WORKLOAD,
    path: ['spec', 'minReadySeconds'],
    title: 'minReadySeconds',
    summary: 'How long a new Pod must stay Ready, with no container crashing, before it counts as available.',
    default: '0 (available as soon as it is Ready)',
    release: 'Availability is what lets the rollout move on and old Pods be removed, so 10–30 s here catches Pods that pass readiness and then crash. Each batch of the rollout takes at least this long.',
    link: `${DEPLOY_DOC}#min-ready-seconds`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'progressDeadlineSeconds'],
    title: 'progressDeadlineSeconds',
    summary: 'How long the rollout may go without progress before the Deployment reports it as failed (condition Progressing=False, reason ProgressDeadlineExceeded). Must be larger than minReadySeconds; time spent paused is not counted.',
    default: '600',
    release: 'Kubernetes does not roll back by itself when this fires: it only reports the failure (`kubectl rollout status` exits non-zero), so your pipeline has to run `kubectl rollout undo`. Old Pods still running keep serving meanwhile.',
    link: `${DEPLOY_DOC}#progress-deadline-seconds`,
  },
  {
    ...WORKLOAD,
    path: ['spec', 'revisionHistoryLimit'],
    title: 'revisionHistoryLimit',
    summary: 'How many old ReplicaSets (scaled to zero) are kept around as earlier revisions.',
    default: '10',
    release: 'Those old ReplicaSets are what `kubectl rollout undo` and `kubectl argo rollouts undo` go back to; 0 deletes them all, so there is nothing to undo to. Keep a handful: each one is only a small API object.',
    link: `${DEPLOY_DOC}#revision-history-limit`,
  },
  {
    ...WORKLOAD,
    path: ['spec', 'replicas'],
    title: 'replicas',
    summary: 'Desired number of Pods. Percentages in maxSurge, maxUnavailable and canary weights are computed from it; changing it scales but does not start a rollout.',
    default: '1',
    release: 'With one replica a release is only gap-free if a surge Pod starts before the old one stops, and any crash is an outage. If a HorizontalPodAutoscaler owns the scale, leave this field out of applied manifests so each apply does not reset it.',
    link: `${DEPLOY_DOC}#replicas`,
  },
  {
    ...DEPLOYMENT,
    path: ['spec', 'paused'],
    title: 'paused',
    summary: 'While true, pod template changes are recorded but no rollout starts; scaling still works. Set by `kubectl rollout pause` and cleared by `kubectl rollout resume`.',
    default: 'false',
    release: 'Useful to batch several template edits into a single rollout. A paused Deployment never hits its progress deadline, so a forgotten pause silently blocks every later release.',
    link: `${DEPLOY_DOC}#pausing-and-resuming-a-deployment`,
  },
  {
    ...WORKLOAD,
    path: ['spec', 'selector'],
    title: 'selector',
    summary: 'Label query deciding which Pods and ReplicaSets this workload owns. It must match `spec.template.metadata.labels`.',
    release: 'For apps/v1 Deployments it cannot be changed after creation: changing it means delete and recreate, i.e. downtime unless another workload carries traffic meanwhile. Never let two workloads select overlapping Pods; their controllers fight over them.',
    link: `${DEPLOY_DOC}#selector`,
  },

  // ---- Pod template (Deployment and Rollout) ---------------------------------------------------
  {
    ...WORKLOAD,
    path: ['spec', 'template', 'metadata', 'labels'],
    title: 'pod labels',
    summary: 'Labels put on every Pod created from this template; the workload selector and Service selectors match against them.',
    release: 'Editing them starts a rollout. For Service-selector blue/green, give each colour a distinguishing label (e.g. `version: green`) while keeping the workload selector limited to labels that do not change between releases.',
    link: `${K8S}concepts/overview/working-with-objects/labels/`,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'image'],
    title: 'image',
    summary: 'Container image to run. Changing it is the usual trigger for a new rollout.',
    release: 'Pin an immutable tag or a digest (`@sha256:…`): re-pushing the same tag starts no rollout, Pods rescheduled later may pull different code, and an undo would not bring back what actually ran. Images tagged `:latest` or untagged default to imagePullPolicy Always.',
    link: `${K8S}concepts/containers/images/`,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'readinessProbe'],
    title: 'readinessProbe',
    summary: 'Check the kubelet repeats to decide whether the container may receive traffic. While it fails, the Pod is removed from Service endpoints but not restarted.',
    default: 'none: Ready as soon as the container starts (when set: every 10 s, 1 s timeout, 3 failures to turn unready)',
    release: 'This is the gate of every zero-downtime strategy: rolling updates, canaries and blue/green all wait for readiness, so without it Pods get traffic before the app listens. Probe something that proves the app can serve, but not shared dependencies that could mark every Pod unready at once.',
    link: PROBES_DOC,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'livenessProbe'],
    title: 'livenessProbe',
    summary: 'Check that restarts the container after it fails failureThreshold times in a row. It does not affect traffic routing directly.',
    default: 'none: the container is only restarted if its process exits',
    release: 'It does not gate the rollout, but a strict probe (tight timeout, checks on dependencies) causes restart storms under load or during slow boots that look like a bad release. Keep it cheap and more lenient than readiness; cover slow starts with a startupProbe.',
    link: PROBES_DOC,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'startupProbe'],
    title: 'startupProbe',
    summary: 'Check that runs first after the container starts: liveness and readiness probes are held back until it succeeds, and the container is restarted if it never does.',
    default: 'none',
    release: 'Gives slow starters a budget of failureThreshold × periodSeconds without loosening liveness. New Pods stay unready until it passes, so keep that budget well under progressDeadlineSeconds.',
    link: PROBES_DOC,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'lifecycle'],
    title: 'lifecycle',
    summary: 'Hooks run right after the container starts (`postStart`) and just before it is stopped (`preStop`).',
    release: 'For releases, `preStop` is the one that matters: it runs on every old Pod the rollout removes, before the app gets SIGTERM. `postStart` runs alongside the entrypoint with no ordering guarantee; do not rely on it for warm-up.',
    link: `${K8S}concepts/containers/container-lifecycle-hooks/`,
  },
  {
    ...WORKLOAD,
    path: [...CONTAINER, 'lifecycle', 'preStop'],
    title: 'preStop',
    summary: 'Action (exec, httpGet, or on recent Kubernetes a built-in sleep) run when the Pod starts terminating, before the container receives SIGTERM. Its time counts against terminationGracePeriodSeconds.',
    release: 'Endpoint removal and container shutdown happen in parallel, so proxies and load balancers keep sending requests for a few seconds after termination begins. A short preStop pause (5–15 s) lets them catch up and avoids 502s and resets on every rollout.',
    link: `${K8S}concepts/containers/container-lifecycle-hooks/`,
  },
  {
    ...WORKLOAD,
    path: ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'],
    title: 'terminationGracePeriodSeconds',
    summary: 'Time a terminating Pod gets (preStop hook, then SIGTERM handling) before its containers are killed with SIGKILL.',
    default: '30',
    release: 'Must cover the preStop pause plus draining in-flight requests and long-lived connections, or old Pods cut requests off when the rollout removes them. Large values only make old Pods linger longer.',
    link: `${K8S}concepts/workloads/pods/pod-lifecycle/#pod-termination`,
  },

  // ---- Service ---------------------------------------------------------------------------------
  {
    ...SERVICE,
    path: ['spec', 'selector'],
    title: 'selector',
    summary: 'Labels a Pod must carry to receive this Service\'s traffic; every Ready Pod that matches becomes an endpoint.',
    release: 'This is the blue/green switch: once all green Pods are Ready, change e.g. `version: blue` to `version: green`; rolling back is switching it back while blue still runs. New connections move at once but keep-alive connections stay on old Pods until closed, and a selector matching both colours sends traffic to both.',
    link: `${K8S}concepts/services-networking/service/`,
  },

  // ---- Argo Rollout: general -------------------------------------------------------------------
  {
    ...ROLLOUT,
    path: ['spec', 'strategy'],
    title: 'strategy',
    summary: 'Chooses how a Rollout updates: `canary` (stepwise traffic shift) or `blueGreen` (full second stack, then one switch). Exactly one of them.',
    release: 'As with a Deployment, only pod template changes start an update. The very first deploy skips steps and analysis and goes straight to full size.',
    link: ARGO_SPEC,
  },
  {
    ...ROLLOUT,
    path: ['spec', 'workloadRef'],
    title: 'workloadRef',
    summary: 'Takes the pod template from an existing Deployment (apiVersion, kind, name) instead of `spec.template`. `scaleDown` says what happens to that Deployment: `never`, `onsuccess` or `progressively`.',
    release: 'The no-downtime path for moving a Deployment to Argo Rollouts: the Deployment keeps serving until the Rollout is up. With `never` both stay at full size; do not set `spec.template` as well.',
    link: `${ARGO}migrating/`,
  },
  {
    ...ROLLOUT,
    path: ['spec', 'progressDeadlineSeconds'],
    title: 'progressDeadlineSeconds',
    summary: 'How long an update may go without progress before the Rollout is marked degraded with ProgressDeadlineExceeded. Time spent paused is not counted.',
    default: '600',
    release: 'On its own it only reports the failure; add `progressDeadlineAbort: true` to have Argo abort and send traffic back to the stable version.',
    link: ARGO_SPEC,
  },
  {
    ...ROLLOUT,
    path: ['spec', 'progressDeadlineAbort'],
    title: 'progressDeadlineAbort',
    summary: 'Abort the update automatically once progressDeadlineSeconds is exceeded.',
    default: 'false',
    release: 'Turns a stuck update (crash-looping, unschedulable or never-ready new Pods) into an automatic return to stable, even without analysis. Worth enabling when nobody watches every release.',
    link: ARGO_SPEC,
  },
  {
    ...ROLLOUT,
    path: ['spec', 'paused'],
    title: 'paused',
    summary: 'Manual pause of the whole Rollout, set by `kubectl argo rollouts pause` and cleared by `resume`. It is separate from pause steps, which are tracked in the status.',
    default: 'false',
    release: 'The update freezes where it is and keeps serving the current split; the progress deadline does not run. A forgotten pause blocks every later release.',
    link: ARGO_SPEC,
  },
  {
    ...ROLLOUT,
    path: ['spec', 'restartAt'],
    title: 'restartAt',
    summary: 'Timestamp (RFC 3339); every Pod created before it is evicted and replaced, without running the canary or blue/green steps. `kubectl argo rollouts restart` sets it to now.',
    release: 'Old Pods go down before replacements come up, at most maxUnavailable at a time and subject to PodDisruptionBudgets, so a single-replica Rollout has an outage during a restart. A template change mid-restart cancels it in favour of a normal update.',
    link: `${ARGO}features/restart/`,
  },

  // ---- Argo Rollout: canary --------------------------------------------------------------------
  {
    ...ROLLOUT,
    path: CANARY,
    title: 'canary',
    summary: 'Canary update: the new ReplicaSet takes a growing share of traffic through `steps` before it becomes the stable one.',
    release: 'Without trafficRouting the share is approximated with Pod counts behind one Service, so small shares need many replicas (5% needs 20 Pods). `kubectl argo rollouts abort` returns all traffic to stable: instantly with traffic routing, by scaling stable back up with the basic canary.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'steps'],
    title: 'steps',
    summary: 'Ordered actions (setWeight, pause, analysis, setCanaryScale, experiment…) walked through on every update; after the last step the canary is promoted to 100% and becomes stable.',
    default: 'none: the update rolls straight to 100%, paced by maxSurge and maxUnavailable',
    release: 'Follow each weight increase with a pause or analysis: setWeight alone moves on as soon as the canary Pods are available. `kubectl argo rollouts promote` skips to the next step, `promote --full` skips them all.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...STEP, 'setWeight'],
    title: 'setWeight',
    summary: 'Percentage of traffic (0–100) the canary should receive from this step on.',
    release: 'With trafficRouting Argo writes this weight into the mesh or ingress and scales the canary to match; without it the Pods are the split: Argo runs the canary and stable counts closest to the weight, within spec.replicas or with one surge Pod when maxSurge is above 0 (3 replicas at 20% run 1 canary + 3 stable = 25%). The step completes when the canary Pods are available.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...STEP, 'pause'],
    title: 'pause',
    summary: 'Holds the update at this step. With a duration it continues by itself; `pause: {}` waits until someone promotes.',
    release: 'An open-ended pause is your manual gate: check dashboards, then `kubectl argo rollouts promote`, or `abort` to go back to stable. The canary keeps its current share of traffic the whole time.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...STEP, 'pause', 'duration'],
    title: 'pause.duration',
    summary: 'How long to wait before the next step: a number of seconds, or a string with an s, m or h unit (`30s`, `10m`, `1h`).',
    default: 'none: wait for a manual promote',
    release: 'Make it long enough for your alerts to fire on canary traffic; a 30 s pause at 5% rarely catches anything. Paused time does not count toward progressDeadlineSeconds.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...STEP, 'analysis'],
    title: 'analysis step',
    summary: 'Starts an AnalysisRun from the listed templates at this point and holds the step until the run finishes.',
    release: 'Successful moves on; Failed or Error aborts the update and sends traffic back to stable; Inconclusive pauses for a human. Give its metrics a count: a metric with only an interval never finishes, so the step waits until it fails.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ROLLOUT,
    path: [...STEP, 'setCanaryScale'],
    title: 'setCanaryScale',
    summary: 'Sizes the canary ReplicaSet independently of its traffic weight: a fixed `replicas`, a `weight` (percent of spec.replicas), or `matchTrafficWeight: true` to follow setWeight again.',
    release: 'Requires trafficRouting. Handy for warming up capacity before sending traffic (scale first, shift weight later). An explicit size stays in force for later steps until `matchTrafficWeight: true`, so a high setWeight on a few Pods can overload them.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'canaryService'],
    title: 'canaryService',
    summary: 'Name of a Service that Argo narrows to the canary Pods only, by adding the new ReplicaSet\'s rollouts-pod-template-hash to its selector.',
    release: 'Most trafficRouting providers send the canary share here, and it lets you test the new version directly. Create it yourself with the same app selector as stableService; Argo owns the hash part while it manages the Rollout.',
    link: `${ARGO}features/traffic-management/`,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'stableService'],
    title: 'stableService',
    summary: 'Name of a Service that Argo keeps narrowed to the stable Pods only, via the stable ReplicaSet\'s pod-template hash.',
    release: 'The mesh or ingress sends the stable share here, which is what makes abort immediate with traffic routing. Weights are only exact if production traffic flows through the stable and canary Services, not through one that selects both versions.',
    link: `${ARGO}features/traffic-management/`,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'trafficRouting'],
    title: 'trafficRouting',
    summary: 'Hands the traffic split to a mesh or ingress (istio, nginx, alb, smi, traefik, apisix, ambassador, or plugins such as Gateway API), so weights no longer depend on replica counts.',
    release: 'Enables exact small weights, header routes, mirroring and instant abort. Argo edits the referenced VirtualService, Ingress or route while releasing, so keep GitOps tools from reverting those weights mid-release.',
    link: `${ARGO}features/traffic-management/`,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'analysis'],
    title: 'background analysis',
    summary: 'AnalysisRun started with the update (or at `startingStep`) that keeps running beside the steps until the update completes.',
    release: 'A failure at any moment, even in the middle of a pause, aborts the update and returns traffic to stable. Its metrics usually have an interval and no count so they keep checking for the whole release.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'maxSurge'],
    title: 'canary.maxSurge',
    summary: 'How many Pods above spec.replicas the stable and canary ReplicaSets may run together during the update, as a number or a percentage (rounded up).',
    default: '25% (rounded up)',
    release: 'Mostly shapes the basic, replica-based canary and the final promotion. May only be 0 when maxUnavailable is above 0.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'maxUnavailable'],
    title: 'canary.maxUnavailable',
    summary: 'How many Pods below spec.replicas may be unavailable during the update, as a number or a percentage (rounded down).',
    default: '25% (rounded down)',
    release: 'Above 0, serving capacity dips while Pods swap. Set 0 (with maxSurge above 0) to keep full capacity at the cost of extra Pods.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'dynamicStableScale'],
    title: 'dynamicStableScale',
    summary: 'With trafficRouting, shrinks the stable ReplicaSet as the canary weight grows instead of keeping it at full size.',
    default: 'false',
    release: 'Saves close to a full extra copy of the app during the release, but abort stops being instant: stable has to scale back up, and traffic shifts back only as it does. Leave it off for services where a fast abort matters.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'scaleDownDelaySeconds'],
    title: 'canary.scaleDownDelaySeconds',
    summary: 'With trafficRouting, how long the previous stable ReplicaSet stays up after the canary is fully promoted. Ignored by the basic canary.',
    default: '30',
    release: 'Gives proxies time to stop sending to the old Pods before they go away; keep at least 30 s.',
    link: ARGO_CANARY,
  },
  {
    ...ROLLOUT,
    path: [...CANARY, 'abortScaleDownDelaySeconds'],
    title: 'canary.abortScaleDownDelaySeconds',
    summary: 'After an abort, how long the canary Pods stay up before being scaled down. Applies only with trafficRouting; 0 keeps them running.',
    default: '30',
    release: 'Use 0 to keep the failed version around for debugging; it gets no traffic after abort. The basic canary ignores it: an abort is simply a rolling update back to stable.',
    link: `${ARGO}features/scaledown-aborted-rs/`,
  },

  // ---- Argo Rollout: blue/green ----------------------------------------------------------------
  {
    ...ROLLOUT,
    path: BLUE_GREEN,
    title: 'blueGreen',
    summary: 'Blue/green update: the new version comes up beside the old one (reachable via previewService), then activeService is switched to it in one step.',
    release: 'Needs room for two full copies of the app during the release. Right after the switch, rollback is another instant switch as long as the old ReplicaSet is still up (see scaleDownDelaySeconds).',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'activeService'],
    title: 'activeService',
    summary: 'Required. The Service carrying production traffic; Argo rewrites its selector to the active ReplicaSet\'s pod-template hash.',
    release: 'Promotion is a selector change: new connections move at once while existing keep-alive connections drain from the old Pods. The Service must exist, and Argo owns its selector: do not edit it by hand during a release.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'previewService'],
    title: 'previewService',
    summary: 'Optional Service that Argo points at the new ReplicaSet before promotion, so it can be tested with no production traffic.',
    release: 'Target it with smoke tests and prePromotionAnalysis. After promotion it selects the same Pods as activeService.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'autoPromotionEnabled'],
    title: 'autoPromotionEnabled',
    summary: 'Whether the switch happens by itself once the new ReplicaSet is fully available (and pre-promotion analysis passed), or the Rollout pauses waiting for `kubectl argo rollouts promote`.',
    default: 'true',
    release: 'Set false for a manual go/no-go gate. Left true without analysis, nothing but readiness checks the new version before it gets all the traffic.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'autoPromotionSeconds'],
    title: 'autoPromotionSeconds',
    summary: 'Wait before automatic promotion, counted from when the new ReplicaSet is fully available. Ignored when autoPromotionEnabled is false.',
    default: '0 (switch as soon as the new version is ready)',
    release: 'A cheap soak window for testing through previewService; you can still abort during it, with no user impact.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'prePromotionAnalysis'],
    title: 'prePromotionAnalysis',
    summary: 'AnalysisRun against the new version started before the switch; promotion waits for it to succeed.',
    release: 'A failure aborts before any user reaches the new version, which makes this the cheapest place to catch a bad release. Query the preview Pods: they get no production traffic yet.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'postPromotionAnalysis'],
    title: 'postPromotionAnalysis',
    summary: 'AnalysisRun started right after the switch, checking the new version under real traffic.',
    release: 'On failure Argo aborts and switches activeService back; the previous ReplicaSet is kept up until this analysis succeeds, so the switch back is instant. Users are exposed for the length of the analysis, so keep it short and sensitive.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'scaleDownDelaySeconds'],
    title: 'scaleDownDelaySeconds',
    summary: 'How long the previous ReplicaSet stays up after the switch before being scaled down.',
    default: '30',
    release: 'Keep at least 30 s so every node and load balancer has stopped routing to the old Pods. Longer gives a window in which rolling back is an instant switch instead of a fresh scale-up.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'previewReplicaCount'],
    title: 'previewReplicaCount',
    summary: 'How many Pods the new version runs while in preview, before promotion.',
    default: 'spec.replicas (full size)',
    release: 'Lowering it saves resources while testing, but promotion then first scales the new ReplicaSet to full size before switching, so it takes longer.',
    link: ARGO_BG,
  },
  {
    ...ROLLOUT,
    path: [...BLUE_GREEN, 'abortScaleDownDelaySeconds'],
    title: 'blueGreen.abortScaleDownDelaySeconds',
    summary: 'After an abort, how long the preview (new) ReplicaSet stays up before being scaled down; 0 keeps it running.',
    default: '30',
    release: 'Use 0 to keep the failed version reachable through previewService for debugging; it takes no production traffic after the abort.',
    link: `${ARGO}features/scaledown-aborted-rs/`,
  },

  // ---- AnalysisTemplate / ClusterAnalysisTemplate ----------------------------------------------
  {
    ...ANALYSIS,
    path: ['spec', 'args'],
    title: 'args',
    summary: 'Named inputs used in metrics as `{{args.NAME}}`; each may have a default `value` or a `valueFrom` (Secret key or field). The Rollout supplies the rest when it starts the analysis.',
    release: 'An argument left without a value cannot be resolved, so the analysis cannot run and the release stalls or fails. From the Rollout, pass the canary hash (`valueFrom.podTemplateHashValue: Latest`) to measure only the new version.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: ['spec', 'metrics'],
    title: 'metrics',
    summary: 'Checks to run: each names a provider query, conditions that judge every measurement, and timing (interval, count).',
    release: 'The run succeeds only if every metric does; one Failed metric fails the run and aborts the Rollout. Keep metrics focused on the new version so unrelated noise does not abort good releases.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'interval'],
    title: 'interval',
    summary: 'Time between measurements, e.g. `30s`, `5m`. Without it the metric measures once.',
    default: 'none: a single measurement',
    release: 'interval × count is roughly how long the analysis takes. With an interval and no count the metric runs until it fails or the update ends: right for background analysis, a hang for an analysis step.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'count'],
    title: 'count',
    summary: 'Number of measurements to take. A count above 1 needs an interval.',
    default: '1 without interval; unlimited with interval',
    release: 'Take enough measurements to see a trend over the canary window; each one adds an interval to the release time.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'successCondition'],
    title: 'successCondition',
    summary: 'Expression on each measurement\'s `result` (e.g. `result[0] >= 0.99`) that marks it Successful.',
    release: 'With only this condition set, any measurement that does not satisfy it counts as Failed. Guard against empty or NaN results (no traffic yet), which otherwise fail or error and can abort a healthy release.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'failureCondition'],
    title: 'failureCondition',
    summary: 'Expression on `result` (e.g. `result[0] > 0.05`) that marks a measurement Failed. When both conditions are set, a measurement matching neither is Inconclusive.',
    release: 'With only this condition set, anything not matching it passes, including results you did not foresee. Inconclusive measurements lead to a pause for a human, not an abort.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'failureLimit'],
    title: 'failureLimit',
    summary: 'How many Failed measurements the metric tolerates; one more and the metric fails. `-1` turns the limit off (for use with consecutiveSuccessLimit).',
    default: '0',
    release: 'At the default a single bad measurement aborts the Rollout. Allow 1–2 for noisy metrics, knowing that each extra allowance lets a bad version serve traffic for another interval.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'inconclusiveLimit'],
    title: 'inconclusiveLimit',
    summary: 'How many Inconclusive measurements the metric tolerates before it becomes Inconclusive itself.',
    default: '0',
    release: 'An Inconclusive analysis pauses the Rollout until someone promotes or aborts, so ambiguous conditions with a tight limit mean releases wait on a human.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'consecutiveErrorLimit'],
    title: 'consecutiveErrorLimit',
    summary: 'How many measurement errors in a row (provider unreachable, bad query) are tolerated before the metric ends in Error.',
    default: '4',
    release: 'An Error aborts the Rollout just like a failure, so a metrics-backend outage longer than limit × interval rolls back a good release. Errors below the limit do not count as failures.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'initialDelay'],
    title: 'initialDelay',
    summary: 'Wait before the metric\'s first measurement, e.g. `5m`.',
    default: 'none: measure immediately',
    release: 'Gives the new version time to receive traffic and fill rate windows; early measurements on an empty or half-filled window are noisy and can fail a healthy release.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'provider'],
    title: 'provider',
    summary: 'Where measurements come from: prometheus, datadog, newRelic, cloudWatch, wavefront, graphite, influxdb, kayenta, web (HTTP call), job (Kubernetes Job) or a plugin. One per metric.',
    release: 'The analysis is only as good as its query: make sure it isolates the new version and that the Argo Rollouts controller can reach the provider, since unreachable providers produce errors.',
    link: ARGO_ANALYSIS,
  },
  {
    ...ANALYSIS,
    path: [...METRIC, 'provider', 'prometheus', 'query'],
    title: 'prometheus.query',
    summary: 'PromQL run for each measurement, with `{{args.*}}` placeholders filled in. The result is a vector, so conditions usually read `result[0]`.',
    release: 'Scope it to the new version (pod-template hash or canary Service) and use a rate window shorter than the step it guards. A query with no series (no traffic yet) yields an empty result: handle it with `len(result) > 0` or `isNaN()` in the conditions.',
    link: `${ARGO}analysis/prometheus/`,
  },

  // ---- Istio -----------------------------------------------------------------------------------
  {
    ...VIRTUAL_SERVICE,
    path: ['spec', 'http', '[]', 'route'],
    title: 'http.route',
    summary: 'Destinations, with weights, for requests matching this HTTP rule.',
    release: 'A canary split lives here as a stable and a canary destination. When Argo Rollouts manages this VirtualService it rewrites these weights, so no other tool should edit the same route during a release.',
    link: `${ISTIO_VS}#HTTPRoute`,
  },
  {
    ...VIRTUAL_SERVICE,
    path: ['spec', 'http', '[]', 'route', '[]', 'weight'],
    title: 'weight',
    summary: 'Relative share of this rule\'s traffic sent to the destination: its weight divided by the sum of weights in the route. Older Istio versions require the weights to add up to 100.',
    default: 'all traffic if it is the only destination; otherwise unset counts as 0',
    release: 'Shift in steps (95/5, 75/25, 0/100) and keep the old destination listed at 0 so rollback is a one-number change. Set a weight on every destination: with several, one without a weight gets nothing.',
    link: `${ISTIO_VS}#HTTPRouteDestination`,
  },
  {
    ...VIRTUAL_SERVICE,
    path: ['spec', 'http', '[]', 'route', '[]', 'destination', 'subset'],
    title: 'destination.subset',
    summary: 'Name of a subset declared in a DestinationRule for the destination host; it picks that host\'s Pods by the subset\'s labels.',
    release: 'The subset must exist before a route points at it, or those requests fail with 503. Apply DestinationRule additions first and remove route references before deleting a subset.',
    link: `${ISTIO_VS}#Destination`,
  },
  {
    ...DESTINATION_RULE,
    path: ['spec', 'subsets'],
    title: 'subsets',
    summary: 'Named groups of the host\'s Pods, selected by labels (e.g. `version: v2`), each optionally with its own traffic policy.',
    release: 'Each version in a split needs a subset whose labels match only its own Pods. With Argo Rollouts the subset labels are the pod-template hashes it injects, so let Argo manage them.',
    link: `${ISTIO_DR}#Subset`,
  },

  // ---- Gateway API -----------------------------------------------------------------------------
  {
    ...HTTP_ROUTE,
    path: ['spec', 'rules', '[]', 'backendRefs'],
    title: 'backendRefs',
    summary: 'Backends (usually Services) that requests matching this rule are sent to, each with an optional weight.',
    release: 'A canary or blue/green split is two backendRefs with different weights. If a backend is missing or not permitted (cross-namespace without a ReferenceGrant), its share of requests gets 500 errors.',
    link: GATEWAY_ROUTE,
  },
  {
    ...HTTP_ROUTE,
    path: ['spec', 'rules', '[]', 'backendRefs', '[]', 'weight'],
    title: 'weight',
    summary: 'Relative share of the rule\'s requests: weight divided by the sum of all weights in the list. It is not a percentage and the sum need not be 100; 0 sends nothing.',
    default: '1',
    release: 'Keep the old backend listed at 0 instead of removing it, so rollback is a one-number change. Because the default is 1, two backends without weights split 50/50.',
    link: GATEWAY_SPLIT,
  },

  // ---- NGINX Ingress canary annotations ---------------------------------------------------------
  {
    ...INGRESS,
    path: NGINX('canary'),
    title: 'canary',
    summary: 'Marks this Ingress as the canary for the same host and path as a main Ingress; it receives traffic only as its other canary-* annotations allow.',
    default: '"false"',
    release: 'Annotation values are strings, so write `"true"`. Only one canary Ingress per host/path is supported, and most other annotations on it are ignored in favour of the main Ingress\'s.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-weight'),
    title: 'canary-weight',
    summary: 'Share of random requests routed to the canary, an integer from 0 to canary-weight-total (100 unless changed, so a percentage).',
    default: '0 (no requests by weight)',
    release: 'Raise it in steps and set it back to `"0"` for an instant rollback. The split is per request, not per user, unless session affinity is on; use header or cookie rules when users must see one version consistently.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-weight-total'),
    title: 'canary-weight-total',
    summary: 'The value canary-weight is measured against, allowing finer steps, e.g. 1000 for 0.1% increments.',
    default: '100',
    release: 'Useful for very small first steps on busy services. Older ingress-nginx releases ignore it and read canary-weight as a percentage.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-by-header'),
    title: 'canary-by-header',
    summary: 'Request header that overrides the split: value `always` goes to the canary, `never` to the main backend, anything else falls through to cookie and weight rules.',
    release: 'Lets testers and synthetic checks reach the canary before any real user does. Header rules win over cookie and weight rules.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-by-header-value'),
    title: 'canary-by-header-value',
    summary: 'Custom header value that sends a request to the canary, instead of the fixed `always`. Only works together with canary-by-header.',
    release: 'Requests with other values fall through to cookie and weight rules. Pick a value that is hard to guess if the canary must stay private.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-by-header-pattern'),
    title: 'canary-by-header-pattern',
    summary: 'Like canary-by-header-value, but a regular expression matched against the header value. Ignored when canary-by-header-value is set.',
    release: 'Handy for routing a group of test clients or tenants to the canary; an invalid pattern simply never matches.',
    link: NGINX_CANARY,
  },
  {
    ...INGRESS,
    path: NGINX('canary-by-cookie'),
    title: 'canary-by-cookie',
    summary: 'Cookie that overrides the split: value `always` goes to the canary, `never` to the main backend, other values fall through to the weight rule.',
    release: 'Good for letting chosen users opt in to the new version consistently across requests. Checked after header rules and before weight.',
    link: NGINX_CANARY,
  },
  // ---- Flagger Canary and MetricTemplate ---------------------------------------------------------
  // Written from Flagger v1.36.1's scheduler (pkg/controller/scheduler.go, scheduler_hooks.go,
  // webhook.go), its API types (pkg/apis/flagger/v1beta1/canary.go, metric.go) and its router for
  // Services (pkg/router/kubernetes_default.go); the weights follow strategy/flaggerAnalysis.ts.
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'provider'],
    title: 'provider',
    summary: 'Which router Flagger drives to move traffic: `kubernetes` (Services only: blue/green, no weights), `nginx`, `gatewayapi:v1`, `istio`, `linkerd`, `contour`, and more.',
    default: "the controller's -mesh-provider flag",
    release: 'It decides what a release can do: with `kubernetes` all traffic moves at once after the checks (set `iterations`); a weighted provider shifts `stepWeight` at a time. The router and its metrics must be installed where the Canary runs.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'targetRef'],
    title: 'targetRef',
    summary: 'The Deployment (or DaemonSet) this Canary releases. Flagger copies it to `<name>-primary`, which serves, and scales the original to zero between releases; a change to its pod template starts a release.',
    release: 'Keep editing the original as before: Flagger tests each new template on it and copies it to the primary on promotion. It must exist in the Canary\'s namespace, or nothing is released.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'autoscalerRef'],
    title: 'autoscalerRef',
    summary: 'A HorizontalPodAutoscaler (or KEDA ScaledObject) of the target. Flagger makes a copy for the primary and pauses the original while no release runs.',
    release: 'Without it the primary keeps the target\'s replicas at the time of the last promotion; with it the primary scales with load and the canary starts at the autoscaler\'s minimum.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'ingressRef'],
    title: 'ingressRef',
    summary: 'The Ingress of the app, for the nginx (and skipper) providers. Flagger adds a `<name>-canary` Ingress beside it with the canary weight.',
    release: 'The Ingress must send traffic to the apex Service Flagger creates (`<service.name or target>`); Flagger never edits the original Ingress\'s rules.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'progressDeadlineSeconds'],
    title: 'progressDeadlineSeconds',
    summary: 'How long the canary (and the primary) may take to become ready before Flagger gives up on the release.',
    default: '600',
    release: 'Past it, Flagger rolls the release back (even with skipAnalysis): all traffic to the primary, the canary scaled to zero, phase Failed.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'service'],
    title: 'service',
    summary: 'The Services Flagger creates and owns: `<name>` (the apex, what clients call), `<name>-primary` and `<name>-canary`, where name is `service.name` or the target\'s name.',
    release: 'Do not write Services with those names yourself: Flagger overwrites their selector and ports on every reconcile, and your own apply writes them back.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'service', 'name'],
    title: 'service.name',
    summary: 'The name of the apex Service (and the prefix of `-primary` / `-canary`).',
    default: "the targetRef's name",
    release: 'Set it when clients already call a name other than the Deployment\'s; a hand-written Service of that name is taken over by Flagger.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'service', 'port'],
    title: 'service.port',
    summary: 'The port of the Services Flagger generates (apex, primary, canary), named `service.portName` (default http).',
    release: 'Clients, the Ingress or HTTPRoute and load tests use this port. Traffic goes to `service.targetPort` on the pods, which defaults to this same number: set targetPort when the container listens elsewhere.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'service', 'targetPort'],
    title: 'service.targetPort',
    summary: 'The container port (number or name) the generated Services send traffic to.',
    default: 'service.port',
    release: 'If the pods do not listen there, the canary gets no successful requests and its checks fail, which rolls every release back.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'service', 'gatewayRefs'],
    title: 'service.gatewayRefs',
    summary: 'Gateway API Gateways the HTTPRoute Flagger writes attaches to (provider gatewayapi:v1), with `service.hosts` as its hostnames.',
    release: 'Flagger sets that HTTPRoute\'s backend weights at each step; the Gateway must allow routes from the Canary\'s namespace or no traffic reaches either version.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'skipAnalysis'],
    title: 'skipAnalysis',
    summary: 'When true, a new version is promoted without checks: Flagger routes all traffic to the primary, copies the new template to it and finishes.',
    default: 'false',
    release: 'An emergency switch: the next release skips every metric and webhook, including confirm gates. Readiness still counts: a canary that misses progressDeadlineSeconds is rolled back.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: ['spec', 'suspend'],
    title: 'suspend',
    summary: 'When true, Flagger skips this Canary entirely at every interval: no analysis, no promotion, no rollback.',
    default: 'false',
    release: 'A release in flight stays where it is (weights included) until suspend is false again; changes to the target are not released meanwhile.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: FLAGGER_ANALYSIS,
    title: 'analysis',
    summary: 'How a release advances: every `interval` Flagger runs the checks (rollout webhooks, then metrics); a pass moves one step (weight or iteration), a failure counts towards `threshold`.',
    release: 'Without metrics and rollout webhooks every check passes, so a release is promoted on time alone. A failed check does not advance: the release repeats the step.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'interval'],
    title: 'analysis.interval',
    summary: 'Time between two checks (and two steps), e.g. `1m`; the CRD takes seconds or minutes.',
    default: '60s; below 10s Flagger uses 10s',
    release: 'A release takes about (steps + 1) × interval when every check passes. Make metric windows at least this long, or a check reads mostly the previous step.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'threshold'],
    title: 'analysis.threshold',
    summary: 'Failed checks that roll the release back (they need not be in a row: passes do not reset the count).',
    default: '1 (when unset or 0)',
    release: 'With 1, a single failed check (one scrape gap, one slow minute) rolls back. Rollback sends all traffic to the primary and scales the canary to zero.',
    link: FLAGGER_HOW,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'maxWeight'],
    title: 'analysis.maxWeight',
    summary: 'The canary weight (percent) at which Flagger stops adding steps and promotes.',
    default: '100',
    release: 'Flagger keeps adding stepWeight while the weight is below maxWeight and caps only at 100, so when stepWeight does not divide it the last step overshoots (stepWeight 20, maxWeight 50: 20, 40, 60).',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'stepWeight'],
    title: 'analysis.stepWeight',
    summary: 'Weight (percent) added to the canary after each passed check, from 0 up to maxWeight.',
    release: 'ceil(maxWeight / stepWeight) checks decide a release; a stepWeight at or above maxWeight leaves one check. When both are set, stepWeight wins over stepWeights.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'stepWeights'],
    title: 'analysis.stepWeights',
    summary: 'The canary weights in order, e.g. `[1, 5, 10, 25, 50]`; the last one is the promotion weight (maxWeight is then ignored).',
    release: 'They must increase: at a weight whose next entry is not larger, Flagger finds no step up and the release stops advancing for good (no promotion, no rollback).',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'stepWeightPromotion'],
    title: 'analysis.stepWeightPromotion',
    summary: 'During promotion, weight moved back to the primary per interval, after the new template was copied to it.',
    default: 'unset: all traffic to the primary at once',
    release: 'Only for weighted providers; it lengthens the promotion by 100 / stepWeightPromotion intervals.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'iterations'],
    title: 'analysis.iterations',
    summary: 'Blue/green and A/B testing: passed checks before promotion. The canary is tested through `<name>-canary` (or the `match` rules) and gets no weighted traffic.',
    default: 'unset: a weighted canary; 10 for provider kubernetes',
    release: 'Exactly this many checks decide the release, so 1 promotes on the first passed check. The switch after the last one is all at once.',
    link: FLAGGER_STRATEGIES,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'metrics'],
    title: 'analysis.metrics',
    summary: 'Checks run at every interval: built-in `request-success-rate` / `request-duration` (service meshes and ingresses) or a MetricTemplate by `templateRef`, each with a thresholdRange.',
    release: 'A metric whose query returns no data fails the check: make sure traffic reaches the canary (a load-test webhook) before it is measured.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_METRIC, 'thresholdRange'],
    title: 'thresholdRange',
    summary: 'The range a metric\'s value must stay in to pass: `min`, `max` or both, in the query\'s unit (percent, milliseconds…).',
    release: 'A value outside fails the whole check and counts towards threshold. For built-in request-duration the unit is milliseconds.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_METRIC, 'templateRef'],
    title: 'templateRef',
    summary: 'The MetricTemplate whose query this metric runs (name, and namespace when not the Canary\'s own).',
    release: 'Flagger checks at the start of a release that the template exists and its provider answers; a missing template keeps the release from starting.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_METRIC, 'interval'],
    title: 'metric interval',
    summary: 'The window of the metric\'s query: what `{{ interval }}` becomes in a MetricTemplate, and the range of the built-in metrics.',
    default: '1m',
    release: 'Keep it at least analysis.interval so each check sees a full step of traffic, and short enough that the previous step does not dominate.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_ANALYSIS, 'webhooks'],
    title: 'analysis.webhooks',
    summary: 'HTTP POSTs Flagger makes at points of a release (see type); an answer of 200-202 passes, anything else or no answer within `timeout` fails.',
    release: 'Gates (confirm-*) hold the release until they pass; a failing rollout hook fails the check like a metric does.',
    link: FLAGGER_WEBHOOKS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_HOOK, 'type'],
    title: 'webhook type',
    summary: 'When the hook is called: `rollout` (default) at every check; `pre-rollout` before the first step; `post-rollout` after success or failure; `confirm-rollout`, `confirm-traffic-increase`, `confirm-promotion` gates; `rollback`; `event`.',
    default: 'rollout',
    release: 'Gates do not count as failures: the release waits at that point until the hook passes. Only a rollout hook checks the new version at every interval.',
    link: FLAGGER_WEBHOOKS,
    values: {
      rollout: 'Called at every check from the second interval on; a failure counts towards threshold. The place for a load test.',
      'pre-rollout': 'Called once before traffic moves to the canary; a failure counts towards threshold and the step is tried again. The place for acceptance tests against `<name>-canary`.',
      'post-rollout': 'Called once after the release ends, promoted or rolled back; its answer changes nothing.',
      'confirm-rollout': 'A gate before the release starts: the Canary waits (phase Waiting) until it passes, at every interval.',
      'confirm-traffic-increase': 'A gate before each weight increase: the step waits until it passes. Weighted providers only.',
      'confirm-promotion': 'A gate before promotion: after the last step the Canary waits (phase WaitingPromotion) until it passes, while the analysis goes on.',
      rollback: 'Asked at each check: when it passes, Flagger rolls the release back (a manual abort).',
      event: 'Receives every event Flagger records about the Canary (for chat or audit); never gates anything.',
    },
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_HOOK, 'url'],
    title: 'webhook url',
    summary: 'Where Flagger POSTs the Canary\'s name, namespace, phase and the hook\'s metadata (flagger-loadtester understands `metadata.cmd`).',
    release: 'Flagger\'s controller must reach it: a wrong URL fails rollout hooks (and rolls back after threshold) and keeps gates closed for ever.',
    link: FLAGGER_WEBHOOKS,
  },
  {
    ...FLAGGER_CANARY,
    path: [...FLAGGER_HOOK, 'timeout'],
    title: 'webhook timeout',
    summary: 'How long Flagger waits for the hook to answer.',
    default: '10s',
    release: 'A load-test command that runs longer than the timeout makes the hook fail; the loadtester runs `hey -z 1m` in the background for that reason.',
    link: FLAGGER_WEBHOOKS,
  },
  {
    ...FLAGGER_METRIC_TEMPLATE,
    path: ['spec', 'provider'],
    title: 'provider',
    summary: 'Where the query runs: `type` (prometheus, datadog, cloudwatch, newrelic, graphite, influxdb, dynatrace, keptn, splunk, stackdriver), `address`, and a `secretRef` for credentials.',
    release: 'Flagger checks the provider answers when a release starts; unreachable, the release does not start.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_METRIC_TEMPLATE,
    path: ['spec', 'provider', 'address'],
    title: 'provider.address',
    summary: 'The URL of the metrics backend (for Prometheus, its HTTP API root), as seen from Flagger\'s controller pod.',
    release: 'Point it at the Prometheus that scrapes the canary\'s pods or router: another one returns no data, and no data fails every check.',
    link: FLAGGER_METRICS,
  },
  {
    ...FLAGGER_METRIC_TEMPLATE,
    path: ['spec', 'query'],
    title: 'query',
    summary: 'The query run at each check, a Go template: `{{ namespace }}`, `{{ target }}` (targetRef name), `{{ service }}`, `{{ ingress }}`, `{{ route }}`, `{{ interval }}` (the metric\'s interval) and `{{ variables.* }}`.',
    release: 'It must return one number, compared with the Canary\'s thresholdRange. Select the canary\'s pods (`{{ target }}-<hash>`), not the primary\'s, or the check measures the old version.',
    link: FLAGGER_METRICS,
  },
];

function segmentMatches(pattern: string, segment: string | number): boolean {
  if (pattern === '[]') return typeof segment === 'number' && Number.isInteger(segment) && segment >= 0;
  return segment === pattern;
}

/**
 * The doc for a concrete field path (numbers are sequence indices and match '[]'), or undefined.
 * The path must match an entry's path exactly, and the entry must list both the group and the kind.
 */
export function findFieldDoc(group: string, kind: string, path: readonly (string | number)[]): FieldDoc | undefined {
  return FIELD_DOCS.find(
    (doc) =>
      doc.path.length === path.length &&
      GROUP_OF_KIND[kind] === group &&
      doc.groups.includes(group) &&
      doc.kinds.includes(kind) &&
      doc.path.every((pattern, i) => segmentMatches(pattern, path[i] as string | number)),
  );
}
