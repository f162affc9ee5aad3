// `Which Strategy Fits?`: the release checklist as a pure decision with its reasons.
import type { StrategyId } from '../manifests/options';

export interface ReleaseAnswers {
  /** How much failure users may see during a release. */
  tolerableFailure: 'none' | 'few-users' | 'brief-errors';
  /** How fast a rollback must take effect. */
  rollbackSpeed: 'seconds' | 'minutes';
  /** Can traffic be split by weight (mesh, ingress, gateway) and is error rate / latency observable? */
  canSplitTraffic: boolean;
  canObserveMetrics: boolean;
  /** Is there spare capacity to run two full environments during the release? */
  spareCapacity: boolean;
  /** Does the release change the database, and can old and new versions both run against it? */
  databaseChange: 'none' | 'backward-compatible' | 'breaking';
  /** Is Argo Rollouts installed (or may it be)? */
  argoRollouts: boolean;
}

export interface Recommendation {
  strategy: StrategyId;
  reasons: string[];
  cautions: string[];
}

export function recommendStrategy(a: ReleaseAnswers): Recommendation {
  const reasons: string[] = [];
  const cautions: string[] = [];
  if (a.databaseChange === 'breaking') {
    cautions.push('A breaking database change means old and new versions cannot run side by side: split it into expand/contract steps (add, migrate, then remove) before using any zero-downtime strategy.');
  }
  const mixedVersionsOk = a.databaseChange !== 'breaking';

  // Canaries expose a small share of users first; they need a share that can be measured.
  if (a.tolerableFailure !== 'brief-errors' && mixedVersionsOk && a.canObserveMetrics) {
    reasons.push('A canary limits a bad release to a small share of real traffic, and your metrics can tell when to stop.');
    if (a.argoRollouts) {
      reasons.push('Argo Rollouts automates the steps and aborts on failed analysis, so nobody has to watch the graphs.');
      if (a.canSplitTraffic) reasons.push('With traffic routing, the weight is exact whatever the pod count.');
      else cautions.push('Without traffic routing, Argo approximates weights by pod counts: choose replicas so each setWeight is reachable.');
      return { strategy: 'argo-canary', reasons, cautions };
    }
    if (a.canSplitTraffic) {
      reasons.push('Your router can split by weight, so the canary share does not depend on pod counts.');
      return { strategy: 'canary-istio', reasons, cautions: [...cautions, 'Istio is scaffolded; NGINX Ingress and Gateway API variants exist too.'] };
    }
    reasons.push('Without a traffic splitter, the canary share is its pods over all pods behind one Service.');
    cautions.push('Small shares need many pods (1% needs 100).');
    return { strategy: 'canary-replicas', reasons, cautions };
  }

  if (a.rollbackSpeed === 'seconds' || a.tolerableFailure === 'none') {
    if (a.spareCapacity) {
      reasons.push('Blue/green tests the new version before it gets traffic, switches everyone at once, and rolls back with one switch.');
      if (!mixedVersionsOk) reasons.push('Only one version serves at a time, which suits a release where versions must not mix (after the expand step).');
      if (a.argoRollouts) {
        reasons.push('Argo Rollouts manages the Services and can gate promotion on analysis.');
        return { strategy: 'argo-bluegreen', reasons, cautions };
      }
      return { strategy: 'bluegreen', reasons, cautions };
    }
    cautions.push('Blue/green would fit the rollback need, but it needs capacity for two full environments.');
  }

  reasons.push('A rolling update needs no extra environment and no router: pods are replaced a few at a time behind one Service.');
  if (a.rollbackSpeed === 'seconds') cautions.push('Rolling back is another rolling update: minutes, not seconds.');
  if (!mixedVersionsOk) cautions.push('Old and new pods serve side by side during the update.');
  return { strategy: 'rolling', reasons, cautions };
}
