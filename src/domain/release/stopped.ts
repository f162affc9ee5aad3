// Why a release stopped and what the user can do: the controller's own condition (an abort, the
// progress deadline, an invalid spec), the analysis metric that failed with its values against its
// condition and limit, the new revision that cannot start (reasons.ts), and the catalogue actions
// that help (retry, undo, roll back, abort), with advice for what no button does ("fix the image").
// Pure.
import type { ActionId } from '../actions/catalogue';
import { failingMetrics, limitReached, metricText, valueAgainstCondition } from '../model/analysis';
import type { Deployment, Rollout } from '../model/objects';
import { problemText, startProblem, type PodProblem } from '../model/reasons';
import type { AnalysisRunView, WorkloadView } from '../model/workloads';

/** The controller's condition that says it stopped, in its words. */
export interface StopCondition {
  /** RolloutAborted, ProgressDeadlineExceeded, InvalidSpec. */
  reason: string;
  message: string;
  /** Asked for (status.abort) but not yet acted on by the controller (no status.abortedAt). */
  pending?: true;
}

const progressing = (conditions: { type: string; reason?: string; message?: string }[] | undefined) => conditions?.find((c) => c.type === 'Progressing');

/** The deployment controller gave up: its Progressing condition says ProgressDeadlineExceeded. */
export function deploymentStop(d: Deployment): StopCondition | undefined {
  const c = progressing(d.status?.conditions);
  return c?.reason === 'ProgressDeadlineExceeded' ? { reason: c.reason, message: c.message ?? '' } : undefined;
}

/**
 * Argo Rollouts stopped the update: aborted (status.abort; the Progressing condition carries the
 * abort message, e.g. the failed metric), timed out, or the spec is invalid.
 */
export function rolloutStop(r: Rollout): StopCondition | undefined {
  const s = r.status ?? {};
  const c = progressing(s.conditions);
  const invalid = s.conditions?.find((x) => x.type === 'InvalidSpec' && x.status === 'True');
  if (invalid) return { reason: 'InvalidSpec', message: invalid.message ?? '' };
  if (s.abort) return { reason: 'RolloutAborted', message: (c?.reason === 'RolloutAborted' ? c.message : undefined) ?? s.message ?? '', ...(s.abortedAt ? {} : { pending: true as const }) };
  if (c?.reason === 'ProgressDeadlineExceeded') return { reason: c.reason, message: c.message ?? '' };
  return undefined;
}

/**
 * Argo Rollouts aborted the update (status.abort, for canary and blue/green alike). A replica canary
 * scaled to 0 is not one: that is also where Promote leaves it.
 */
export function isAborted(w: WorkloadView): boolean {
  return w.stop?.reason === 'RolloutAborted';
}

/**
 * An abort the controller has not acted on yet: Argo sets status.abortedAt when it reconciles one
 * (rollout/pause.go) and only then moves the step back to 0 (rollout/canary.go). A retry before that
 * clears the abort unseen, and the update goes on where it was.
 */
export function abortPending(w: WorkloadView): boolean {
  return isAborted(w) && !!w.stop?.pending;
}

/** `{ stop }` when there is one: views keep no undefined keys. */
export function withStop(stop: StopCondition | undefined): { stop?: StopCondition } {
  return stop ? { stop } : {};
}

export interface WhyStopped {
  /** What stopped it, in a few words: "analysis error-rate failed (0.12 > 0.05)". */
  summary: string;
  /** The evidence, one line each: the controller's message, the metric with its values, the pods' reason. */
  details: string[];
  /** Catalogue actions that help, likeliest first (offered, never run by themselves). */
  actions: ActionId[];
  /** What no button does. */
  advice: string[];
}

/** The run of the revision being released, else the newest (views list runs newest first). */
export function currentRun(w: WorkloadView): AnalysisRunView | undefined {
  const revision = w.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview'))?.revision ?? w.revisions[0]?.revision;
  return w.analysisRuns.find((r) => r.revision === revision) ?? w.analysisRuns[0];
}

/** The failing metric of the current run, in a few words: "analysis error-rate failed (0.12 > 0.05)". */
export function analysisSummary(run: AnalysisRunView): string | undefined {
  const [m] = failingMetrics(run);
  if (!m) return undefined;
  const verb = m.phase === 'Error' ? 'errored' : m.phase === 'Inconclusive' ? 'was inconclusive' : 'failed';
  const evidence = m.phase === 'Failed' ? valueAgainstCondition(m) ?? limitReached(m) : limitReached(m) ?? m.last?.message;
  return `analysis ${m.name} ${verb}${evidence ? ` (${evidence})` : ''}`;
}

const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/** The kubelet cannot get the image (a tag, a registry, a pull secret). */
export function isImageProblem(p: PodProblem): boolean {
  return IMAGE_REASONS.has(p.reason.replace(/^Init:/, ''));
}

/** What to fix when pods cannot start, beyond the buttons. */
function problemAdvice(p: PodProblem): string {
  const reason = p.reason.replace(/^Init:/, '');
  if (isImageProblem(p)) return `Fix the image${p.image ? ` ${p.image}` : ''} (tag, registry, pull secret) and apply again.`;
  if (reason === 'CrashLoopBackOff' || reason === 'OOMKilled' || reason === 'Error') return `Read the logs of container ${p.container ?? ''}${p.message ? ` (${p.message})` : ''}: the new version exits.`.replace(' ()', '');
  if (reason === 'CreateContainerConfigError') return `Create what the pod refers to${p.message ? ` (${p.message})` : ''}.`;
  if (reason === 'Unschedulable') return 'Free or add capacity, or lower the pods\' requests.';
  if (reason === 'FailedCreate') return 'Raise the quota or lower the pods\' requests, or fix what the admission refused.';
  return `Fix why the pods cannot start (${p.reason}).`;
}

/** The actions that take a stopped release back or forward, per kind. */
function stopActions(w: WorkloadView): ActionId[] {
  switch (w.kind) {
    case 'Rollout':
      return isAborted(w) ? ['retryRollout', 'undoRollout'] : ['abortRollout', 'undoRollout'];
    case 'Deployment':
      return ['rollbackDeployment'];
    case 'ReplicaCanary':
      return ['abortCanary'];
    case 'Canary':
      // Flagger rolled back by itself; a new analysis is the way forward.
      return ['retryCanary'];
    case 'BlueGreen':
      // Switching back helps when the live colour is what failed, not when the idle one is stuck.
      return w.health === 'Degraded' && w.blueGreen?.switchBackTo ? ['switchBack'] : [];
  }
}

/**
 * Why the release stopped, when it did: the controller aborted it, gave up at the progress
 * deadline or refuses the spec, or it is Degraded. Undefined while it is not stopped.
 */
export function whyStopped(w: WorkloadView): WhyStopped | undefined {
  if (!w.stop && w.health !== 'Degraded') return undefined;
  const details: string[] = [];
  const advice: string[] = [];
  const run = currentRun(w);
  const failedRun = run && ['Failed', 'Error', 'Inconclusive'].includes(run.phase) ? run : undefined;
  const analysis = failedRun && analysisSummary(failedRun);
  const start = startProblem(w);
  if (w.stop?.message) details.push(w.stop.message);
  else if (w.message) details.push(w.message);
  if (failedRun) {
    for (const m of failingMetrics(failedRun)) details.push(metricText(m));
    advice.push('Fix what the analysis measures (or its query), then retry.');
  }
  if (start) {
    details.push(`${start.who}: ${problemText(start.problem)}${start.problem.message ? ` — ${start.problem.message}` : ''}`);
    advice.push(problemAdvice(start.problem));
  }
  const summary =
    analysis ??
    (start ? `${start.who} cannot start (${problemText(start.problem)})` : undefined) ??
    (w.stop?.reason === 'ProgressDeadlineExceeded' ? 'progress deadline exceeded' : w.stop?.reason === 'InvalidSpec' ? `invalid spec${w.stop.message ? `: ${w.stop.message}` : ''}` : undefined) ??
    (isAborted(w) ? 'aborted' : w.message || w.health.toLowerCase());
  if (w.stop?.reason === 'ProgressDeadlineExceeded' && summary !== 'progress deadline exceeded') details.push('The progress deadline passed.');
  return { summary, details: [...new Set(details)], actions: stopActions(w), advice };
}
