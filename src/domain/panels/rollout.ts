// The rollout details panel's model: finding the followed workload, the replica-count history and
// the rolling-update simulation for the Deployment's own parameters (its buttons come from the
// action catalogue, domain/actions/catalogue.ts). Pure: the host builds the state with it.
import { shortList, workloadEvents } from '../model/events';
import type { LeanEvent } from '../model/lean';
import type { NamespaceSnapshot } from '../model/objects';
import type { WorkloadView } from '../model/workloads';
import { InvalidRollingParameters, simulateRollingUpdate } from '../strategy/rollingTimeline';
import type { PanelActivity, PanelEvents, ReplicaSample, RollingPlan, RolloutPanelState, RolloutTarget } from './state';
import { workloadTimes } from '../release/verdict';

/** The followed workload: by id when known, else by name. */
export function findWorkload(workloads: WorkloadView[], target: RolloutTarget): WorkloadView | undefined {
  return (target.id && workloads.find((w) => w.id === target.id)) || workloads.find((w) => w.name === target.name && w.namespace === target.namespace);
}

export function sampleOf(w: WorkloadView, t: number): ReplicaSample {
  const r = w.replicas;
  return { t, desired: r.desired, updated: r.updated, available: r.available, old: Math.max(0, r.current - r.updated) };
}

export const MAX_SAMPLES = 240;

/** The history with `sample` appended when the counts moved (a quiet workload adds nothing), capped. */
export function addSample(samples: readonly ReplicaSample[], sample: ReplicaSample, max = MAX_SAMPLES): ReplicaSample[] {
  const last = samples[samples.length - 1];
  if (last && last.desired === sample.desired && last.updated === sample.updated && last.available === sample.available && last.old === sample.old) return samples as ReplicaSample[];
  const out = [...samples, sample];
  return out.length > max ? out.slice(out.length - max) : out;
}

/** The Deployment defaults the API server fills in when rollingUpdate leaves them out. */
const DEFAULT_FENCEPOST = '25%';

/** The simulated timeline of a rolling Deployment with its own maxSurge / maxUnavailable. */
export function rollingPlan(snapshot: NamespaceSnapshot | undefined, w: WorkloadView): RollingPlan | undefined {
  if (w.kind !== 'Deployment' || w.strategy !== 'rolling') return undefined;
  const rollingUpdate = snapshot?.deployments.find((d) => d.metadata.name === w.name)?.spec?.strategy?.rollingUpdate;
  const surge = rollingUpdate?.maxSurge ?? DEFAULT_FENCEPOST;
  const unavailable = rollingUpdate?.maxUnavailable ?? DEFAULT_FENCEPOST;
  const [maxSurge, maxUnavailable] = [String(surge), String(unavailable)];
  try {
    return { maxSurge, maxUnavailable, timeline: simulateRollingUpdate(w.replicas.desired, surge, unavailable) };
  } catch (e) {
    if (e instanceof InvalidRollingParameters) return { maxSurge, maxUnavailable, problem: e.message };
    throw e;
  }
}

/** How long after an action ended its own effects may still land (the controller's next steps): they do not make its line stale. */
export const ACTIVITY_SETTLE_MS = 5_000;

/** What actions change on a workload (its template, scale, pause, step, abort, live colour), not the pods that follow. */
export function intentOf(w: WorkloadView): string {
  return JSON.stringify([w.id, w.images.map((i) => i.image), w.replicas.desired, w.paused, w.canary?.step, w.canary?.aborted, w.blueGreen?.live, w.blueGreen?.switchBackTo]);
}

/** A panel's activity line and the workload's intent as of its action's end. */
export interface TrackedActivity {
  activity?: PanelActivity;
  intent?: string;
}

/**
 * The activity line after the store changed: kept while its action runs and while the action's own
 * effects land (ACTIVITY_SETTLE_MS), then cleared as soon as the workload changes (or goes), so the
 * panel never shows "Switch to green: done" over a workload someone has switched back since.
 */
export function followActivity(tracked: TrackedActivity, w: WorkloadView | undefined, now: number): TrackedActivity {
  const a = tracked.activity;
  if (!a || a.state === 'running') return tracked;
  if (!w) return {};
  const intent = intentOf(w);
  if (now - (a.at ?? 0) < ACTIVITY_SETTLE_MS || tracked.intent === undefined) return { activity: a, intent };
  return intent === tracked.intent ? tracked : {};
}

/**
 * When the panel's relative times ("resumes in 24 s", "running 5 min") go stale and the host should
 * post the state again with a new `now`; undefined when it shows no workload.
 */
export function refreshAfterMs(state: RolloutPanelState): number | undefined {
  return state.status === 'live' && state.workload ? workloadTimes(state.workload, state.now).refreshMs : undefined;
}

/** Rows the Events section shows at most. */
export const EVENTS_SHOWN = 50;

/** The Events section of a workload from the namespace's watched events (warnings first when cut). */
export function panelEvents(w: WorkloadView, events: readonly LeanEvent[], snapshot: NamespaceSnapshot | undefined, watch: { synced: boolean; problem?: string }): PanelEvents {
  const rows = workloadEvents(w, events, snapshot);
  return { synced: watch.synced, ...(watch.problem ? { problem: watch.problem } : {}), rows: shortList(rows, EVENTS_SHOWN), total: rows.length };
}
