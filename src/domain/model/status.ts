// Status decisions that must match the trusted tools exactly: `kubectl rollout status` for
// Deployments and the Argo Rollouts plugin (GetRolloutPhase) for Rollouts.
import type { CanaryStep, Deployment, Rollout } from './objects';

export type Health = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded' | 'Unknown';

export interface StatusVerdict {
  health: Health;
  message: string;
  /** Whether `kubectl rollout status` would exit successfully. */
  done: boolean;
}

/** `kubectl rollout status deployment/NAME`, step for step; Paused is ours (kubectl would just wait). */
export function deploymentStatus(d: Deployment): StatusVerdict {
  const name = d.metadata.name;
  const generation = d.metadata.generation ?? 0;
  const status = d.status ?? {};
  const verdict = (health: Health, message: string, done = false): StatusVerdict => ({
    health: health === 'Progressing' && d.spec?.paused ? 'Paused' : health,
    message: d.spec?.paused && !done ? `${message} (paused)` : message,
    done,
  });
  if (generation > (status.observedGeneration ?? 0)) return verdict('Progressing', 'Waiting for deployment spec update to be observed...');
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { health: 'Degraded', message: `deployment "${name}" exceeded its progress deadline`, done: false };
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return verdict('Progressing', `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  if (replicas > updated) return verdict('Progressing', `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`);
  if (available < updated) return verdict('Progressing', `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
  return { health: 'Healthy', message: `deployment "${name}" successfully rolled out`, done: true };
}

function isGenerationObserved(r: Rollout): boolean {
  const observed = Number(r.status?.observedGeneration);
  if (!Number.isInteger(observed)) return true; // old controllers stored a hash here
  return observed >= (r.metadata.generation ?? 0);
}

/** The plugin's GetRolloutPhase: the controller's phase/message once the spec is observed. */
export function rolloutStatus(r: Rollout): StatusVerdict {
  const s = r.status ?? {};
  const done = (v: Omit<StatusVerdict, 'done'>): StatusVerdict => ({ ...v, done: v.health === 'Healthy' });
  if (!isGenerationObserved(r)) return done({ health: 'Progressing', message: 'waiting for rollout spec update to be observed' });
  if (s.controllerPause && !(s.pauseConditions?.length ?? 0)) return done({ health: 'Progressing', message: 'waiting for rollout to unpause' });
  if (s.phase) return done({ health: asHealth(s.phase), message: s.message ?? '' });
  return done(calculateRolloutPhase(r));
}

function asHealth(phase: string): Health {
  return phase === 'Healthy' || phase === 'Progressing' || phase === 'Paused' || phase === 'Degraded' ? phase : 'Unknown';
}

/**
 * The controller's InvalidSpec message for a Rollout with neither strategy or both (its
 * ValidateRolloutStrategy, the first error it reports), or undefined when it has exactly one.
 */
export function invalidStrategy(r: Rollout): string | undefined {
  const strategy = r.spec?.strategy;
  const canary = !!strategy?.canary;
  const blueGreen = !!strategy?.blueGreen;
  if (canary === blueGreen) {
    const why = canary ? `Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed` : `Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'`;
    // The controller names the field spec.strategy.strategy (its path is already spec.strategy).
    return `The Rollout "${r.metadata.name}" is invalid: spec.strategy.strategy: ${why}`;
  }
  return undefined;
}

const ANALYSIS_COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/** Whether an AnalysisRun phase is final (the controller's AnalysisPhase.Completed). */
export function analysisCompleted(phase: string | undefined): boolean {
  return !!phase && ANALYSIS_COMPLETED.has(phase);
}

/** The controller-side calculation, for controllers that do not write status.phase (or have not reconciled yet). */
function calculateRolloutPhase(r: Rollout): { health: Health; message: string } {
  const s = r.status ?? {};
  for (const c of s.conditions ?? []) {
    if (c.type === 'InvalidSpec') return { health: 'Degraded', message: `InvalidSpec: ${c.message ?? ''}` };
    if (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded') return { health: 'Degraded', message: `${c.reason}: ${c.message ?? ''}` };
  }
  // What the controller will say once it sees the spec (it validates before anything else).
  const invalid = invalidStrategy(r);
  if (invalid) return { health: 'Degraded', message: `InvalidSpec: ${invalid}` };
  if (r.spec?.paused) return { health: 'Paused', message: 'manually paused' };
  if (s.pauseConditions?.length) return { health: 'Paused', message: s.pauseConditions[0].reason };
  if (r.spec?.restartAt && s.restartedAt !== r.spec.restartAt) return { health: 'Progressing', message: 'rollout is restarting' };
  const desired = r.spec?.replicas ?? 1;
  if ((s.updatedReplicas ?? 0) < desired) return { health: 'Progressing', message: 'more replicas need to be updated' };
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return { health: 'Progressing', message: 'updated replicas are still becoming available' };
  const promoted = !!s.stableRS && s.stableRS === s.currentPodHash;
  if (r.spec?.strategy?.blueGreen) {
    if (!s.blueGreen?.activeSelector || s.blueGreen.activeSelector !== s.currentPodHash) return { health: 'Progressing', message: 'active service cutover pending' };
    if (!promoted) {
      const waitingForAnalysis = !!r.spec.strategy.blueGreen.postPromotionAnalysis && !analysisCompleted(s.blueGreen?.postPromotionAnalysisRunStatus?.status);
      return { health: 'Progressing', message: waitingForAnalysis ? 'waiting for analysis to complete' : 'waiting for post-promotion verification to complete' };
    }
  } else if (r.spec?.strategy?.canary) {
    if (!r.spec.strategy.canary.trafficRouting && (s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return { health: 'Progressing', message: 'old replicas are pending termination' };
    if (!promoted) return { health: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { health: 'Healthy', message: '' };
}

/** The current canary step (undefined once all steps are done), as the plugin computes it. */
export function currentCanaryStep(r: Rollout): { step?: CanaryStep; index: number } {
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  const index = r.status?.currentStepIndex ?? 0;
  if (!steps.length || index >= steps.length) return { index };
  return { step: steps[index], index };
}

/** The scale of canary weights: trafficRouting.maxTrafficWeight, else 100 (the controller's MaxTrafficWeight). */
export function maxTrafficWeight(r: Rollout): number {
  const max = r.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight;
  return typeof max === 'number' && max > 0 ? max : 100;
}

/** Desired canary weight: the last setWeight at or before the current step; the maximum weight when done, 0 when aborted. */
export function currentSetWeight(r: Rollout): number {
  if (r.status?.abort) return 0;
  const { step, index } = currentCanaryStep(r);
  if (!step) return maxTrafficWeight(r);
  const steps = r.spec?.strategy?.canary?.steps ?? [];
  for (let i = index; i >= 0; i--) if (typeof steps[i]?.setWeight === 'number') return steps[i].setWeight!;
  return 0;
}

/** A step in words, as the plugin prints it. */
export function canaryStepText(step: CanaryStep): string {
  if (typeof step.setWeight === 'number') return `setWeight: ${step.setWeight}`;
  if (step.pause) return step.pause.duration !== undefined ? `pause: ${step.pause.duration}` : 'pause';
  if (step.experiment) {
    const templates = (step.experiment.templates ?? []).map((t) => t.name).join(', ');
    const duration = step.experiment.duration;
    return `experiment${templates ? `: ${templates}` : ''}${duration !== undefined && duration !== '' ? ` (${duration})` : ''}`;
  }
  if (step.analysis) return 'analysis';
  if (step.setCanaryScale) {
    const s = step.setCanaryScale;
    if (s.weight !== undefined) return `setCanaryScale{weight: ${s.weight}}`;
    if (s.matchTrafficWeight) return 'setCanaryScale{matchTrafficWeight: true}';
    if (s.replicas !== undefined) return `setCanaryScale{replicas: ${s.replicas}}`;
  }
  if (step.setHeaderRoute) return 'setHeaderRoute';
  if (step.setMirrorRoute) return 'setMirrorRoute';
  if (step.plugin) return 'plugin';
  return 'invalid';
}

/** Why an Argo Rollout is paused and whether it goes on by itself. */
export interface PauseView {
  /** `status.pauseConditions` reasons as the controller writes them: CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun, InconclusiveExperiment. */
  reasons: string[];
  /** `spec.paused`: someone paused it (kubectl argo rollouts pause, Pause Rollout). */
  byHand: boolean;
  /** Resumes without anyone: a pause step with a duration, or blue/green `autoPromotionSeconds`. */
  timed: boolean;
  /** The earliest pause condition's start. */
  since?: string;
}

/** The Rollout's pause, when it is paused; undefined when it is not. */
export function rolloutPause(r: Rollout): PauseView | undefined {
  const conditions = r.status?.pauseConditions ?? [];
  const byHand = !!r.spec?.paused;
  if (!conditions.length && !byHand) return undefined;
  const reasons = conditions.map((c) => c.reason);
  const { step } = currentCanaryStep(r);
  const bg = r.spec?.strategy?.blueGreen;
  // Only the pauses the controller ends itself; an analysis left inconclusive waits for a person.
  const timed = !byHand && reasons.length > 0 && reasons.every((reason) =>
    (reason === 'CanaryPauseStep' && step?.pause?.duration !== undefined) ||
    (reason === 'BlueGreenPause' && bg?.autoPromotionEnabled !== false && (bg?.autoPromotionSeconds ?? 0) > 0));
  const since = conditions.map((c) => c.startTime).filter((t): t is string => !!t).sort()[0];
  return { reasons, byHand, timed, ...(since ? { since } : {}) };
}
