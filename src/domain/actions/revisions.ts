// The revisions a Roll back… / Undo… picker offers, in the order to offer them: the one that was last
// fully available first (an aborted Rollout's stable revision, which is what serves, not the
// aborted one), marked, with ages ("3h ago") instead of UTC stamps. Pure: the runner shows them.
import { age } from '../model/age';
import type { RevisionView, WorkloadView } from '../model/workloads';

export interface RevisionChoice {
  revision: number;
  label: string;
  description: string;
  detail: string;
  /** The revision that was last fully available (what serves now when the newest cannot). */
  lastAvailable: boolean;
}

/** Whether a revision's template is the workload's own now (going back to it changes nothing). */
function isCurrentTemplate(w: WorkloadView, r: RevisionView): boolean {
  if (w.kind === 'Deployment') return r.roles.includes('current');
  if (r.roles.some((x) => x === 'canary' || x === 'preview' || x === 'current')) return true;
  // Fully promoted: the stable revision is the current template.
  return r.roles.includes('stable') && !w.revisions.some((x) => x.roles.some((y) => y === 'canary' || y === 'preview' || y === 'current'));
}

/** The revision that was last fully available: a Rollout's stable one; for a Deployment, the current when it is, else the newest old one that still serves (else the previous). */
export function lastAvailableRevision(w: WorkloadView): RevisionView | undefined {
  if (w.kind === 'Rollout') return w.revisions.find((r) => r.roles.includes('stable'));
  const [current, ...old] = w.revisions;
  if (current && current.desired > 0 && current.available >= current.desired && !current.problem) return current;
  return old.find((r) => r.available > 0) ?? old[0];
}

/** Whether going back to this revision would change the workload: any with a number but the current template (an aborted Rollout's stable one too). */
export function canGoBackTo(w: WorkloadView, r: RevisionView): boolean {
  return r.revision > 0 && !isCurrentTemplate(w, r);
}

export function rollbackChoices(w: WorkloadView, now: number): RevisionChoice[] {
  const last = lastAvailableRevision(w);
  return w.revisions
    .filter((r) => canGoBackTo(w, r))
    .sort((a, b) => Number(b === last) - Number(a === last) || b.revision - a.revision)
    .map((r) => {
      const serving = r.available > 0 ? `serving on ${r.available} pod${r.available === 1 ? '' : 's'}` : '';
      return {
        revision: r.revision,
        label: `${r === last ? '$(check) ' : ''}revision ${r.revision}`,
        description: [r.images.join(', '), r === last ? 'last fully available' : '', serving].filter(Boolean).join(' · '),
        detail: `${r.changeCause ?? 'no change-cause'}${r.createdAt ? ` · created ${age(r.createdAt, now)} ago` : ''}`,
        lastAvailable: r === last,
      };
    });
}
