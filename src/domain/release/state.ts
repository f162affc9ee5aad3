// One status vocabulary for every engine (issue 14, point 2): Argo Rollouts, Flagger, plain
// Deployments and Switchyard's own pairs and replica canaries are progressing, paused for a person,
// degraded, healthy or aborted, each mapped from the engine's own fields, with the engine's own word
// kept beside it ("paused for a person (WaitingPromotion)"). The tree, the panel, the Needs
// attention list and the notifications say it with `stateText`. Pure.
import { rolloutAborted } from '../actions/catalogue';
import type { WorkloadView } from '../model/workloads';

export type ReleaseState = 'progressing' | 'awaiting' | 'degraded' | 'healthy' | 'aborted';

/** The words of the vocabulary, as every view says them. */
export const STATE_WORDS: Readonly<Record<ReleaseState, string>> = {
  progressing: 'progressing',
  awaiting: 'paused for a person',
  degraded: 'degraded',
  healthy: 'healthy',
  aborted: 'aborted',
};

export interface ReleaseStatus {
  state: ReleaseState;
  /** The engine's own word for it: Flagger's phase, Argo's pause reason or phase, `spec.paused`… */
  engine: string;
}

const is = (state: ReleaseState, engine: string): ReleaseStatus => ({ state, engine });

/** Health words the controllers share, for the engines that have nothing finer. */
function byHealth(w: WorkloadView): ReleaseStatus {
  switch (w.health) {
    case 'Healthy': return is('healthy', 'Healthy');
    case 'Degraded': return is('degraded', w.stop?.reason ?? 'Degraded');
    case 'Paused': return is('awaiting', 'Paused');
    default: return is('progressing', w.health);
  }
}

/** Where `w`'s release is, in the one vocabulary, from its engine's own fields. */
export function releaseState(w: WorkloadView): ReleaseStatus {
  if (w.kind === 'Canary' && w.flagger) {
    const f = w.flagger;
    // spec.suspend: Flagger skips the Canary until someone resumes it (Controller.advanceCanary returns early).
    if (f.suspended) return is('awaiting', 'suspended');
    switch (f.phase) {
      case undefined: return is('progressing', 'no status yet');
      case 'Waiting':
      case 'WaitingPromotion':
        return is('awaiting', f.phase);
      // Flagger rolled the analysis back: the canary is scaled to zero and the primary serves.
      case 'Failed': return is('aborted', f.phase);
      case 'Initialized':
      case 'Succeeded':
      case 'Terminated':
        return is('healthy', f.phase);
      default: return is('progressing', f.phase);
    }
  }
  if (w.kind === 'Rollout') {
    if (rolloutAborted(w)) return is('aborted', w.stop?.reason ?? 'RolloutAborted');
    if (w.health === 'Degraded') return is('degraded', w.stop?.reason ?? 'Degraded');
    const pause = w.pause;
    if (pause?.byHand) return is('awaiting', 'spec.paused');
    // A timed pause ends by itself: the release goes on without anyone.
    if (pause?.reasons.length) return is(pause.timed ? 'progressing' : 'awaiting', pause.reasons.join(', '));
    return byHealth(w);
  }
  if (w.kind === 'Deployment' && w.paused && w.health !== 'Degraded') return is('awaiting', 'spec.paused');
  return byHealth(w);
}

/** "paused for a person (WaitingPromotion)". */
export function stateText(s: ReleaseStatus): string {
  return s.engine && s.engine.toLowerCase() !== STATE_WORDS[s.state] ? `${STATE_WORDS[s.state]} (${s.engine})` : STATE_WORDS[s.state];
}
