// What to tell the user when a watched workload changes (issue 12, part 8): one pure transition from
// the view last told about to the view now, and a coalescer that waits for a workload to be quiet
// before asking it, so a burst of watch events makes one notification per workload, not one each.
import { actionSpec, type ActionId } from '../actions/catalogue';
import { attentionOf } from './attention';
import { FIELD_MANAGER } from './vocabulary';
import type { FieldChange } from '../model/objects';
import type { WorkloadView } from '../model/workloads';

/** A button of a notice: a catalogue action run on the workload, with what the action takes besides. */
export interface NoticeAction {
  action: ActionId;
  label: string;
  args?: { target?: string };
}

export interface Notice {
  workloadId: string;
  namespace: string;
  name: string;
  /** Someone else changed it; it needs a person now; or a release of it finished. */
  kind: 'changedByOther' | 'attention' | 'finished';
  severity: 'info' | 'warning';
  message: string;
  /** The message without its times: what makes two notices the same news. */
  topic: string;
  actions: NoticeAction[];
}

const sameChange = (a: FieldChange | undefined, b: FieldChange | undefined) => a?.manager === b?.manager && a?.time === b?.time && a?.operation === b?.operation;

/** "12 s ago", "3 min ago": how long before `now` a change was made. */
function ago(time: string | undefined, now: number): string {
  if (!time) return '';
  const s = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  return s < 120 ? ` ${s} s ago` : ` ${Math.round(s / 60)} min ago`;
}

/** The images that run (revisions with pods), the mark of a release: it differs once a release is through. */
function running(w: WorkloadView): string {
  return [...new Set(w.revisions.filter((r) => r.current > 0).flatMap((r) => r.images))].sort().join(', ');
}

/** An Argo Rollout's stable (or active) revision, or a Flagger Canary's primary, the mark of its release: its old revisions keep running a while after promotion. */
function stableRevision(w: WorkloadView) {
  return w.revisions.find((r) => r.roles.includes('stable') || r.roles.includes('active') || r.roles.includes('primary'));
}

const byStableRevision = (w: WorkloadView) => w.kind === 'Rollout' || w.kind === 'Canary';

function releaseMark(w: WorkloadView): string {
  return byStableRevision(w) ? `rev ${stableRevision(w)?.revision}` : running(w);
}

/** The images a finished release serves. */
function released(w: WorkloadView): string {
  return byStableRevision(w) ? (stableRevision(w)?.images ?? []).join(', ') : running(w);
}

/** What someone visibly did between two views, in a few words ("switched to green"); undefined when nothing a release cares about changed. */
function whatChanged(prev: WorkloadView, next: WorkloadView): { what: string; actions: NoticeAction[] } | undefined {
  const open: NoticeAction = { action: 'openDetails', label: 'Open Details' };
  const bgPrev = prev.blueGreen;
  const bgNext = next.blueGreen;
  if (bgPrev && bgNext && bgPrev.live !== bgNext.live) {
    const back: NoticeAction[] = bgPrev.live ? [{ action: 'switchTraffic', label: `Switch back to ${bgPrev.live}`, args: { target: bgPrev.live } }] : [];
    return { what: `switched to ${bgNext.live}`, actions: [...back, open] };
  }
  const newest = next.revisions[0];
  if (newest && prev.revisions[0] && newest.revision !== prev.revisions[0].revision && (next.kind === 'Deployment' || next.kind === 'Rollout')) {
    // A rollback brings an existing ReplicaSet back with a new revision number.
    const was = prev.revisions.find((r) => r.replicaSet === newest.replicaSet);
    return { what: was ? `rolled back to revision ${was.revision} (${newest.images.join(', ')})` : `updated to ${newest.images.join(', ')}`, actions: [open] };
  }
  if (next.kind === 'Rollout') {
    if (next.canary?.aborted && !prev.canary?.aborted) return { what: 'aborted', actions: [{ action: 'retryRollout', label: 'Retry' }, open] };
    if (!!next.pause?.byHand !== !!prev.pause?.byHand) return { what: next.pause?.byHand ? 'paused' : 'resumed', actions: [open] };
    if (prev.pause && !next.pause) return { what: 'promoted', actions: [{ action: 'abortRollout', label: 'Abort' }, open] };
    if ((next.canary?.step ?? 0) > (prev.canary?.step ?? 0) && prev.pause) return { what: `promoted to step ${next.canary!.step}/${next.canary!.stepCount}`, actions: [{ action: 'abortRollout', label: 'Abort' }, open] };
  }
  if (next.kind === 'Canary' && !!prev.flagger?.suspended !== !!next.flagger?.suspended) return { what: next.flagger?.suspended ? 'suspended' : 'resumed', actions: [open] };
  if (prev.paused !== next.paused && next.kind === 'Deployment') return { what: next.paused ? 'paused' : 'resumed', actions: [open] };
  if (prev.replicas.desired !== next.replicas.desired) return { what: `scaled to ${next.replicas.desired}`, actions: [open] };
  if (next.kind === 'ReplicaCanary' && (prev.canary?.canaryImages.join() !== next.canary?.canaryImages.join() || prev.canary?.stableImages.join() !== next.canary?.stableImages.join())) {
    return { what: `changed: canary ${next.canary?.canaryImages.join(', ') || 'none'}, stable ${next.canary?.stableImages.join(', ')}`, actions: [open] };
  }
  return undefined;
}

/** The buttons for a workload that needs a person: its resolving actions, then its details. */
function attentionActions(ids: readonly ActionId[]): NoticeAction[] {
  const withDetails: ActionId[] = ids.includes('openDetails') ? [...ids] : [...ids, 'openDetails'];
  return withDetails.map((action) => ({ action, label: actionSpec(action).title.replace(/ (Rollout|Deployment|Canary)\b/, '').replace(/…$/, '') }));
}

/**
 * What to say about a workload that went from `prev` to `next` (at `now`, ms): a change made by
 * someone other than Switchyard (the release controllers are never "who", lean.ts), with the trouble
 * it led to; else that it needs a person for a new reason; else that a release finished.
 * Nothing on first sight or when it went.
 */
export function transition(prev: WorkloadView | undefined, next: WorkloadView | undefined, now: number): Notice | undefined {
  if (!prev || !next) return undefined;
  const about = { workloadId: next.id, namespace: next.namespace, name: next.name };
  const before = attentionOf(prev);
  const after = attentionOf(next);
  const needs = after && after.reason !== before?.reason ? after : undefined;
  const needsText = needs && `${needs.severity === 'trouble' ? 'is in trouble' : 'waits for you'}: ${needs.summary}`;
  const change = next.lastChange;
  if (change && change.manager !== FIELD_MANAGER && !sameChange(prev.lastChange, change)) {
    const seen = whatChanged(prev, next);
    if (seen) {
      // Trouble the change led to within the same quiet period (a new image whose pods crash) is said with
      // it, its resolving actions first: the view told about then is already in trouble, so no later notice
      // would say it. (A wait the change itself asked for, such as a suspend, goes without saying.)
      const trouble = needs?.severity === 'trouble' ? needs : undefined;
      const actions = trouble ? [...attentionActions(trouble.actions).filter((a) => a.action !== 'openDetails'), ...seen.actions].filter((a, i, all) => all.findIndex((b) => b.action === a.action) === i) : seen.actions;
      return { ...about, kind: 'changedByOther', severity: 'warning', message: `${next.name} was ${seen.what} by ${change.manager}${ago(change.time, now)}${trouble ? `, and ${needsText}` : ''}.`, topic: `${seen.what} by ${change.manager}`, actions };
    }
  }
  if (needs) {
    const message = `${next.name} ${needsText}.`;
    return { ...about, kind: 'attention', severity: needs.severity === 'trouble' ? 'warning' : 'info', message, topic: message, actions: attentionActions(needs.actions) };
  }
  if (next.health === 'Healthy' && releaseMark(prev) !== releaseMark(next)) {
    const message = `${next.name} finished its release: ${released(next) || next.description}, Healthy.`;
    return { ...about, kind: 'finished', severity: 'info', message, topic: message, actions: attentionActions([]) };
  }
  return undefined;
}

interface Pending {
  view: WorkloadView | undefined;
  first: number;
  last: number;
}

/**
 * One notice per workload per transition: a workload's changes wait until it has been quiet for
 * `quietMs` (or changing for `maxWaitMs`), then the view last told about and the view now decide
 * together. The same news (topic) of a workload is not repeated within `repeatMs`. Pure: the
 * caller gives the time and runs `flush` when `nextDue` says.
 */
export class NoticeCoalescer {
  private readonly told = new Map<string, WorkloadView>();
  private readonly pending = new Map<string, Pending>();
  /** Per workload, when each topic was last said. */
  private readonly said = new Map<string, Map<string, number>>();

  constructor(private readonly timing = { quietMs: 2000, maxWaitMs: 15_000, repeatMs: 60_000 }) {}

  /** The workload as it is now, nothing to say about it (first sight, or its namespace still listing). */
  baseline(view: WorkloadView): void {
    this.told.set(view.id, view);
    this.pending.delete(view.id);
  }

  /** Whether the workload has a baseline (was seen). */
  knows(id: string): boolean {
    return this.told.has(id);
  }

  /** The workload changed (`view` undefined: it went). Workloads seen for the first time only set the baseline. */
  observe(id: string, view: WorkloadView | undefined, now: number): void {
    if (!this.told.has(id)) {
      if (view) this.baseline(view);
      return;
    }
    const p = this.pending.get(id);
    this.pending.set(id, { view, first: p?.first ?? now, last: now });
  }

  /** When the next flush has something to decide (ms), or undefined. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const p of this.pending.values()) {
      const at = Math.min(p.last + this.timing.quietMs, p.first + this.timing.maxWaitMs);
      if (due === undefined || at < due) due = at;
    }
    return due;
  }

  /** The notices of the workloads whose wait is over; their views become the ones told about. */
  flush(now: number): Notice[] {
    const out: Notice[] = [];
    for (const [id, p] of this.pending) {
      if (now < Math.min(p.last + this.timing.quietMs, p.first + this.timing.maxWaitMs)) continue;
      this.pending.delete(id);
      const notice = transition(this.told.get(id), p.view, now);
      if (p.view) this.told.set(id, p.view);
      else this.told.delete(id);
      if (!notice) continue;
      const said = this.said.get(id) ?? new Map<string, number>();
      for (const [topic, when] of said) if (now - when >= this.timing.repeatMs) said.delete(topic);
      this.said.set(id, said);
      if (said.has(notice.topic)) continue;
      said.set(notice.topic, now);
      out.push(notice);
    }
    return out;
  }

  /** Forgets the workloads of a namespace no longer watched (ids are kind/namespace/name). */
  forgetNamespace(namespace: string): void {
    for (const map of [this.told, this.pending, this.said]) for (const id of map.keys()) if (id.split('/')[1] === namespace) map.delete(id);
  }

  /** Forgets everything (another context, notifications turned off). */
  clear(): void {
    this.told.clear();
    this.pending.clear();
    this.said.clear();
  }
}
