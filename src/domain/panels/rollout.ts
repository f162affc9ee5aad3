// The rollout details panel's model: finding the followed workload, the replica-count history, the
// rolling-update simulation for the Deployment's own parameters, and which buttons it offers.
// Pure: the host builds the state with it, the webview renders the buttons from it.
import type { NamespaceSnapshot } from '../model/objects';
import type { RevisionView, WorkloadView } from '../model/workloads';
import { InvalidRollingParameters, simulateRollingUpdate } from '../strategy/rollingTimeline';
import type { PanelAction, ReplicaSample, RollingPlan, RolloutTarget } from './state';

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
  const maxSurge = String(rollingUpdate?.maxSurge ?? DEFAULT_FENCEPOST);
  const maxUnavailable = String(rollingUpdate?.maxUnavailable ?? DEFAULT_FENCEPOST);
  try {
    return { maxSurge, maxUnavailable, timeline: simulateRollingUpdate(w.replicas.desired, maxSurge, maxUnavailable) };
  } catch (e) {
    if (e instanceof InvalidRollingParameters) return { maxSurge, maxUnavailable, problem: e.message };
    throw e;
  }
}

export interface ActionButton {
  action: PanelAction;
  label: string;
  /** Tooltip: what the command will do. */
  title: string;
  revision?: number;
  primary?: boolean;
  disabled?: boolean;
}

/** The workload's own buttons (the tree's context-menu actions for the same kind). */
export function workloadActions(w: WorkloadView): ActionButton[] {
  switch (w.kind) {
    case 'BlueGreen': {
      const bg = w.blueGreen;
      const idle = bg?.idle ?? 'the idle colour';
      const switchTo: ActionButton = {
        action: 'switch',
        label: `Switch to ${idle}`,
        title: bg?.idleReady ? `Point Service "${bg.service}" at ${idle}: all traffic moves at once.` : `${idle} is not fully available: the switch will be refused unless forced.`,
        primary: !!bg?.idleReady,
      };
      if (!bg?.switchBackTo) {
        return [switchTo, { action: 'switchBack', label: 'Switch back', title: 'No switch made with Switchyard is recorded on this Service: nothing to switch back to.', disabled: true }];
      }
      const back: ActionButton = { action: 'switchBack', label: `Switch back to ${bg.switchBackTo}`, title: `Restore the selector the last switch replaced (${bg.selectorKey}: ${bg.switchBackTo}).` };
      // Going back to the idle colour is what Switch would do too: one button, the exact undo.
      return bg.switchBackTo === bg.idle ? [{ ...back, primary: switchTo.primary }] : [switchTo, back];
    }
    case 'ReplicaCanary':
      return [
        { action: 'promote', label: 'Promote', title: 'Give the stable Deployment the canary template and scale the canary to 0.', primary: true },
        { action: 'abort', label: 'Abort', title: 'Scale the canary to 0: all traffic back to stable.', disabled: !!w.canary?.aborted },
      ];
    case 'Rollout': {
      const aborted = !!w.canary?.aborted || /abort/i.test(w.message);
      return [
        { action: 'promote', label: 'Promote', title: 'Resume: skip the current pause (or promote the preview).', primary: w.health === 'Paused', disabled: aborted },
        { action: 'promoteFull', label: 'Promote full', title: 'Skip every remaining step and analysis: go to 100% now.', disabled: aborted },
        { action: 'abort', label: 'Abort', title: 'Send all traffic back to stable and scale the canary down.', disabled: aborted || w.health === 'Healthy' },
        { action: 'retry', label: 'Retry', title: 'Start the aborted update again from the first step.', disabled: !aborted },
      ];
    }
    case 'Deployment':
      return [];
  }
}

/** Rolling back to a revision: old revisions of a Deployment or a Rollout (kubectl rollout undo semantics). */
export function revisionAction(w: WorkloadView, r: RevisionView): ActionButton | undefined {
  if ((w.kind !== 'Deployment' && w.kind !== 'Rollout') || !r.roles.includes('old') || !r.revision) return undefined;
  return { action: 'rollback', revision: r.revision, label: 'Roll back', title: `Roll ${w.name} back to revision ${r.revision} (${r.images.join(', ')}).` };
}

/** Whether the panel offers this action for this workload now (the host checks what a webview asks). */
export function isOffered(w: WorkloadView, action: PanelAction, revision?: number): boolean {
  if (action === 'rollback') return w.revisions.some((r) => revisionAction(w, r)?.revision === revision);
  return workloadActions(w).some((b) => b.action === action && !b.disabled);
}
