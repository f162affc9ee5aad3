// Why a pod or a ReplicaSet is not serving, in the words kubectl and the kubelet use: the scheduler's
// message, an init container that has not finished, a container waiting (ImagePullBackOff,
// CrashLoopBackOff, CreateContainerConfigError…) or terminated (OOMKilled, Error), readiness per
// container, or the ReplicaSet's own failure to create pods (quota, admission). Pure.
import type { Pod, ReplicaSet } from './objects';
import type { WorkloadKind } from './workloads';

export interface PodProblem {
  /** The kubelet's or scheduler's reason, as `kubectl get pods` shows it: ImagePullBackOff, Init:0/1, OOMKilled, Unschedulable, NotReady… */
  reason: string;
  /** Its message, when there is one (the image that was not found, the scheduler's explanation). */
  message?: string;
  /** The container it is about, and that container's image. */
  container?: string;
  image?: string;
  /** What ended the container's last run when it crashed before ("Error (exit code 1)", "OOMKilled (exit code 137)"). */
  lastRun?: string;
}

type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

const imageOf = (p: Pod, name: string, init = false) => (init ? p.spec?.initContainers : p.spec?.containers)?.find((c) => c.name === name)?.image;

/** The first thing that stops the pod from serving, or undefined when it is ready (or done, or going). */
export function podProblem(p: Pod): PodProblem | undefined {
  if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded') return undefined;
  const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return { reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message };
  const init = p.status?.initContainerStatuses ?? [];
  const initDone = init.filter((c) => c.state?.terminated?.exitCode === 0).length;
  if (initDone < init.length) {
    const current = init.find((c) => c.state?.terminated?.exitCode !== 0)!;
    const stuck = containerReason(current);
    return { reason: stuck ? `Init:${stuck.reason}` : `Init:${initDone}/${init.length}`, message: stuck?.message, container: current.name, image: imageOf(p, current.name, true) };
  }
  const statuses = p.status?.containerStatuses ?? [];
  for (const c of statuses) {
    const why = containerReason(c);
    if (why) return { ...why, container: c.name, image: imageOf(p, c.name) };
  }
  if (p.status?.phase === 'Failed') return { reason: p.status.reason ?? 'Failed', message: p.status.message };
  const ready = statuses.filter((c) => c.ready).length;
  if (statuses.length && ready < statuses.length && statuses.every((c) => c.state?.running)) {
    // A crash loop is Running between its back-offs: say what ended the last run, it is why.
    const crashed = statuses.find((c) => !c.ready && (c.restartCount ?? 0) > 0 && failedRun(c));
    const readyText = `ready ${ready}/${statuses.length}`;
    const container = crashed ?? statuses.find((c) => !c.ready)!;
    const which = { container: container.name, ...withImage(imageOf(p, container.name)) };
    if (!crashed) return { reason: 'NotReady', message: readyText, ...which };
    const lastRun = failedRun(crashed)!;
    return { reason: 'NotReady', message: `${readyText}; restarted ${crashed.restartCount}×, last run ${lastRun}`, ...which, lastRun };
  }
  return undefined;
}

const withImage = (image: string | undefined) => (image ? { image } : {});

/** How the container's previous run ended, when it failed: "Error (exit code 1)". */
function failedRun(c: ContainerStatus): string | undefined {
  const last = c.lastState?.terminated;
  if (!last || last.exitCode === 0) return undefined;
  return `${last.reason ?? 'ended'}${last.exitCode !== undefined ? ` (exit code ${last.exitCode})` : ''}`;
}

/** A container's waiting or terminated reason; for a crash loop, what ended the last run (OOMKilled…). */
function containerReason(c: ContainerStatus): { reason: string; message?: string; lastRun?: string } | undefined {
  const waiting = c.state?.waiting;
  if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
    const lastRun = waiting.reason === 'CrashLoopBackOff' ? failedRun(c) : undefined;
    return { reason: waiting.reason, message: [waiting.message, lastRun && `last run ${lastRun}`].filter(Boolean).join('; ') || undefined, ...(lastRun ? { lastRun } : {}) };
  }
  const terminated = c.state?.terminated;
  if (terminated && terminated.exitCode !== 0) return { reason: terminated.reason ?? 'Error', message: terminated.message ?? (terminated.exitCode !== undefined ? `exit code ${terminated.exitCode}` : undefined) };
  return undefined;
}

/** The ReplicaSet could not create its pods (a quota, an admission webhook): its ReplicaFailure condition. */
export function replicaSetProblem(rs: ReplicaSet): PodProblem | undefined {
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  return failure ? { reason: failure.reason ?? 'FailedCreate', message: failure.message } : undefined;
}

/** A problem in a few words for a tree description: "ImagePullBackOff ghcr.io/acme/app:1.3.0-missing". */
export function problemText(problem: PodProblem): string {
  return problem.image ? `${problem.reason} ${problem.image}` : problem.reason;
}

/**
 * Reasons that say a pod cannot start: not merely that it is not ready yet, as every new pod is
 * for a moment, unless it crashed before or its workload's controller gave up waiting (`stuck`:
 * the progress deadline passed, so "not ready" is no longer a moment).
 */
function cannotStart(problem: PodProblem, stuck: boolean): boolean {
  return problem.reason !== 'NotReady' || problem.lastRun !== undefined || stuck;
}

/** A revision's problem: its ReplicaSet could not create pods, else the first of its pods that cannot start. */
export function revisionProblem(rs: ReplicaSet, pods: readonly { problem?: PodProblem }[]): PodProblem | undefined {
  return replicaSetProblem(rs) ?? pods.map((p) => p.problem).find((x): x is PodProblem => !!x && cannotStart(x, false));
}

/**
 * A workload's revisions once its controller gave up waiting (`health` Degraded: the progress
 * deadline passed): a pod that never got ready is then why, not a moment of the rollout.
 */
export function withStuckProblems<R extends { problem?: PodProblem; pods: readonly { problem?: PodProblem }[] }>(revisions: R[], health: string): R[] {
  if (health !== 'Degraded') return revisions;
  return revisions.map((r) => (r.problem ? r : { ...r, ...withProblem(r.pods.map((p) => p.problem).find((x): x is PodProblem => !!x && cannotStart(x, true))) }));
}

interface ReleaseView {
  kind: WorkloadKind;
  health: string;
  description: string;
  revisions: readonly { roles: readonly string[]; problem?: PodProblem }[];
  blueGreen?: { idle?: string };
}

/** The revision a release brings up, and what the description calls it. */
const NEW_REVISION: Record<ReleaseView['kind'], { role: string; who: (w: Pick<ReleaseView, 'blueGreen'>) => string }[]> = {
  Deployment: [{ role: 'current', who: () => 'new pods' }],
  Rollout: [{ role: 'canary', who: () => 'canary' }, { role: 'preview', who: () => 'preview' }],
  ReplicaCanary: [{ role: 'canary', who: () => 'canary' }],
  // Flagger's canary runs on the target Deployment; its primary takes the template at promotion.
  Canary: [{ role: 'canary', who: () => 'canary' }, { role: 'primary', who: () => 'primary' }],
  BlueGreen: [{ role: 'preview', who: (w) => w.blueGreen?.idle ?? 'idle colour' }, { role: 'active', who: () => 'live colour' }],
};

/**
 * The description with why the release is stuck in front, when the revision it brings up cannot
 * start: "canary cannot start: ImagePullBackOff ghcr.io/acme/app:1.3.0-missing · step 0/6 · 0%".
 */
export function withStartProblem(w: ReleaseView): string {
  const start = startProblem(w);
  return start ? `${start.who} cannot start: ${problemText(start.problem)} · ${w.description}` : w.description;
}

/**
 * The revision a release brings up cannot start (not merely not ready yet): what it is called and
 * why. A healthy pair is still asked about its idle colour: its health is the live colour's.
 */
export function startProblem(w: ReleaseView): { who: string; role: string; problem: PodProblem } | undefined {
  const asked = w.health !== 'Healthy' ? NEW_REVISION[w.kind] : w.kind === 'BlueGreen' ? NEW_REVISION.BlueGreen.filter((x) => x.role === 'preview') : [];
  for (const { role, who } of asked) {
    const problem = w.revisions.find((r) => r.roles.includes(role))?.problem;
    if (problem) return { who: who(w), role, problem };
  }
  return undefined;
}

/** `{ problem }` when there is one: views keep no undefined keys (they are compared and posted as JSON). */
export function withProblem(problem: PodProblem | undefined): { problem?: PodProblem } {
  return problem ? { problem } : {};
}

/** A revision view with its problem (see revisionProblem). */
export function withRevisionProblem<R extends { pods: readonly { problem?: PodProblem }[] }>(rs: ReplicaSet, revision: R): R & { problem?: PodProblem } {
  return { ...revision, ...withProblem(revisionProblem(rs, revision.pods)) };
}

interface ServedRevision {
  roles: readonly string[];
  desired: number;
  available: number;
  problem?: PodProblem;
}

/** The revision a promotion gives traffic to: the (current) canary or preview, when there is one. */
export function promotedRevision<R extends ServedRevision>(w: { revisions: readonly R[] }): R | undefined {
  return w.revisions.find((r) => (r.roles.includes('canary') || r.roles.includes('preview')) && !r.roles.includes('old'));
}

/** Ready to take the traffic a promotion gives it: every desired pod available, none that cannot start. */
export function revisionReady(r: ServedRevision): boolean {
  return !r.problem && r.available >= r.desired;
}

/** Why a revision is not ready, in the kubelet's words when there are some: "CrashLoopBackOff ghcr.io/acme/app:1.3.0 (back-off 40s…) · 0/1 available". */
export function notReadyReason(r: ServedRevision): string {
  const counts = `${r.available}/${r.desired} available`;
  return r.problem ? `${problemText(r.problem)}${r.problem.message ? ` (${r.problem.message})` : ''} · ${counts}` : counts;
}
