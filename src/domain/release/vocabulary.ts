// The release vocabulary every part of Switchyard speaks: which labels tell the environments of a
// blue/green pair apart, how a selector matches labels, the annotations Switchyard and Argo Rollouts
// write, and the display name of each strategy. Defined once here; the model, lint, the actions, the
// tree, the lenses and the panels import it. Pure.
import type { StrategyKind } from '../model/workloads';

/**
 * Label keys whose values name the environments of a blue/green pair (`version: blue`). `track` is
 * not one of them: it names the stable and canary tracks of a canary, which one Service selects
 * together on purpose (by replica ratio) or a router splits by weight.
 */
export const COLOUR_KEYS: readonly string[] = ['version', 'color', 'colour', 'slot'];

/** The label of a canary's tracks (`track: stable` / `track: canary`), as the generators write it. */
export const TRACK_KEY = 'track';

/** Whether every key of a non-empty selector has its value in `labels` (an empty selector matches nothing here). */
export function labelsMatch(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** Annotations read and written on release objects. */
export const Annotations = {
  /** On a Service Switchyard switched: the selector it replaced, as JSON (Switch back restores it). */
  PreviousSelector: 'switchyard.dev/previous-selector',
  /** On a replica canary's canary Deployment: the share of traffic asked for, in percent. */
  CanaryShare: 'switchyard.dev/canary-share',
  /** On a Service Argo Rollouts manages (its active / preview / stable / canary Service). */
  ArgoManagedBy: 'argo-rollouts.argoproj.io/managed-by-rollouts',
  /** A Deployment's ReplicaSet revision. */
  DeploymentRevision: 'deployment.kubernetes.io/revision',
  /** A Rollout's ReplicaSet revision. */
  RolloutRevision: 'rollout.argoproj.io/revision',
  /**
   * On an old ReplicaSet of a Rollout (or an Experiment's): when the controller may scale it down
   * (RFC 3339), set from scaleDownDelaySeconds. Argo's key has no prefix.
   */
  ScaleDownDeadline: 'scale-down-deadline',
  /** On an Experiment's ReplicaSet: the template it runs. */
  ExperimentTemplate: 'experiment.argoproj.io/template-name',
  /**
   * On the pod template of a Flagger Canary's target Deployment: when Switchyard asked for a new
   * analysis (Retry). Flagger starts one when the template's hash changes (pkg/canary
   * DeploymentController.HasTargetChanged compares it with status.lastAppliedSpec).
   */
  RetriedAt: 'switchyard.dev/restartedAt',
} as const;

/** The field manager Switchyard writes as (server-side apply and every action's PATCH): its own changes are not news to its user. */
export const FIELD_MANAGER = 'switchyard';

/**
 * The field manager Flagger writes as: it sets no user agent (cmd/flagger/main.go of v1.36.1), so
 * client-go's default, its binary's name, is what the API server records (as read back from the real
 * Flagger's objects in test/cluster/flagger-owners.test.ts): on the Canary's status, the primary
 * Deployment it copies the target's template to, the target it scales, the Services and routes it
 * generates or takes over.
 */
export const FLAGGER_MANAGER = 'flagger';

/**
 * Field managers of the controllers that carry a release forward (the Deployment and ReplicaSet
 * controllers run in kube-controller-manager; Argo's controller writes as rollouts-controller;
 * Flagger's). They write on every step, so their entries say nothing about who changed a workload.
 */
export const RELEASE_CONTROLLERS: readonly string[] = ['kube-controller-manager', 'rollouts-controller', FLAGGER_MANAGER];

/** The name of each strategy, as the tree's groups, tooltips and the panels show it. */
export const STRATEGY_NAMES: Readonly<Record<StrategyKind, string>> = {
  rolling: 'Rolling update',
  recreate: 'Recreate',
  bluegreen: 'Blue/green',
  'canary-replicas': 'Canary (replica ratio)',
  'argo-canary': 'Argo Rollouts canary',
  'argo-bluegreen': 'Argo Rollouts blue/green',
  'argo-invalid': 'Argo Rollouts without a valid strategy',
  'flagger-canary': 'Flagger canary',
  'flagger-bluegreen': 'Flagger blue/green',
  'flagger-ab': 'Flagger A/B testing',
};
