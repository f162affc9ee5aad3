// The Kubernetes events of a workload (issue 12): what the controllers, the scheduler and the kubelet
// said about the workload's own objects, deduplicated with counts, newest first; and the bounded
// log of a namespace's events the store keeps. Events arrive lean (domain/model/lean.ts). Pure.
import { age } from './age';
import type { LeanEvent } from './lean';
import type { NamespaceSnapshot } from './objects';
import type { WorkloadView } from './workloads';

/** The events of one workload's objects, merged: one row per (object, reason, message). */
export interface EventView {
  object: { kind: string; name: string };
  type: string;
  warning: boolean;
  reason: string;
  message: string;
  count: number;
  first: string;
  last: string;
  source?: string;
}

const refKey = (kind: string, name: string) => `${kind}/${name}`;

/** What a workload is made of, as events name it (see `workloadObjects`). */
export interface WorkloadObjects {
  /** `Kind/name` of each object, with its uid when the snapshot knows it. */
  exact: Map<string, string | undefined>;
  /** ReplicaSets whose pods count even once they are gone (a crash-looping pod replaced): its pods are named `<replicaSet>-<5 characters>`. */
  replicaSets: Set<string>;
}

type Named = { metadata: { name: string; uid?: string } };

/**
 * The objects a workload is made of, as events name them: the Deployment or Rollout itself, the
 * Deployments of a pair or canary, every ReplicaSet of its revisions and their pods, a Rollout's
 * Experiments with their templates' ReplicaSets and pods, its analysis runs and the Services it
 * routes through. Uids come from the snapshot when it has them, so events
 * about an earlier object of the same name (deleted and created again) are left out.
 */
export function workloadObjects(w: WorkloadView, snapshot?: NamespaceSnapshot): WorkloadObjects {
  // The store hands out the same view and snapshot objects until they change: while only events
  // arrive, every flush reuses the objects found for the shown workload.
  const cached = objectsCache.get(w);
  if (cached && cached.snapshot === snapshot) return cached.objects;
  const objects = findObjects(w, snapshot);
  objectsCache.set(w, { snapshot, objects });
  return objects;
}

const objectsCache = new WeakMap<WorkloadView, { snapshot?: NamespaceSnapshot; objects: WorkloadObjects }>();

function findObjects(w: WorkloadView, snapshot?: NamespaceSnapshot): WorkloadObjects {
  const wanted: [list: keyof Omit<NamespaceSnapshot, 'namespace'>, kind: string, name: string | undefined][] = [];
  if (w.kind === 'Deployment') wanted.push(['deployments', 'Deployment', w.name]);
  if (w.kind === 'Rollout') {
    wanted.push(['rollouts', 'Rollout', w.name]);
    const strategy = snapshot?.rollouts.find((r) => r.metadata.name === w.name)?.spec?.strategy;
    for (const s of [strategy?.canary?.canaryService, strategy?.canary?.stableService, strategy?.blueGreen?.activeService, strategy?.blueGreen?.previewService]) wanted.push(['services', 'Service', s]);
  }
  for (const m of w.members) wanted.push(['deployments', 'Deployment', m]);
  if (w.kind === 'BlueGreen' || w.kind === 'ReplicaCanary') wanted.push(['services', 'Service', w.name]);
  // A Flagger Canary: Flagger's own events are about the Canary object (recordEventInfof); its Deployments are members, its Services generated.
  if (w.kind === 'Canary') {
    wanted.push(['canaries', 'Canary', w.name]);
    for (const s of Object.values(w.services ?? {})) wanted.push(['services', 'Service', s]);
  }
  wanted.push(['services', 'Service', w.blueGreen?.previewService]);
  // A Rollout's Experiments run ReplicaSets of their own (one per template).
  const experimentReplicaSets = (w.experiments ?? []).flatMap((e) => e.templates.flatMap((t) => (t.replicaSet ? [t.replicaSet] : [])));
  const replicaSets = [...w.revisions, ...experimentReplicaSets];
  for (const e of w.experiments ?? []) wanted.push(['experiments', 'Experiment', e.name]);
  for (const r of replicaSets) {
    wanted.push(['replicaSets', 'ReplicaSet', r.replicaSet]);
    for (const p of r.pods) wanted.push(['pods', 'Pod', p.name]);
  }
  for (const run of w.analysisRuns) wanted.push(['analysisRuns', 'AnalysisRun', run.name]);
  const exact = new Map<string, string | undefined>();
  const byList = new Map<string, Map<string, string>>();
  for (const [list, kind, name] of wanted) {
    if (!name) continue;
    exact.set(refKey(kind, name), undefined);
    if (!byList.has(list)) byList.set(list, new Map());
    byList.get(list)!.set(name, refKey(kind, name));
  }
  // One pass over each list the workload has objects in (not one search per object: 20,000 pods).
  for (const [list, names] of byList) {
    for (const o of (snapshot?.[list as 'pods'] ?? []) as Named[]) {
      const key = names.get(o.metadata.name);
      if (key && o.metadata.uid) exact.set(key, o.metadata.uid);
    }
  }
  return { exact, replicaSets: new Set(replicaSets.map((r) => r.replicaSet)) };
}

/** The objects of one revision: its ReplicaSet and its pods (those that are gone too). */
export function revisionObjects(w: WorkloadView, replicaSet: string, snapshot?: NamespaceSnapshot): WorkloadObjects {
  const all = workloadObjects(w, snapshot);
  const r = w.revisions.find((x) => x.replicaSet === replicaSet);
  const keys = r ? [refKey('ReplicaSet', r.replicaSet), ...r.pods.map((p) => refKey('Pod', p.name))] : [];
  return { exact: new Map(keys.map((k) => [k, all.exact.get(k)])), replicaSets: new Set(r ? [r.replicaSet] : []) };
}

/** A pod name a ReplicaSet generates: its name, a dash and five characters. */
function podOfReplicaSet(name: string, replicaSets: ReadonlySet<string>): boolean {
  const dash = name.lastIndexOf('-');
  return dash > 0 && name.length - dash === 6 && replicaSets.has(name.slice(0, dash));
}

function about(objects: WorkloadObjects, e: LeanEvent): boolean {
  const key = refKey(e.object.kind, e.object.name);
  if (objects.exact.has(key)) {
    const uid = objects.exact.get(key);
    return !uid || !e.object.uid || uid === e.object.uid;
  }
  return e.object.kind === 'Pod' && podOfReplicaSet(e.object.name, objects.replicaSets);
}

/**
 * The events about `objects`, merged by (object, reason, message): counts add up (each Event object
 * counts its own occurrences, a series included), the first and last times span them all, a Warning
 * among them makes the row a warning. Newest first.
 */
export function eventsAbout(objects: WorkloadObjects, events: readonly LeanEvent[]): EventView[] {
  const rows = new Map<string, EventView>();
  for (const e of events) {
    if (!about(objects, e)) continue;
    const rowKey = eventRowKey(e);
    const row = rows.get(rowKey);
    const warning = e.type === 'Warning';
    if (!row) {
      rows.set(rowKey, { object: { kind: e.object.kind, name: e.object.name }, type: e.type, warning, reason: e.reason, message: e.message, count: e.count, first: e.first, last: e.last, ...(e.source ? { source: e.source } : {}) });
      continue;
    }
    row.count += e.count;
    if (e.first < row.first) row.first = e.first;
    if (e.last > row.last) row.last = e.last;
    if (warning && !row.warning) Object.assign(row, { warning, type: e.type });
  }
  return [...rows.values()].sort(newestFirst);
}

function newestFirst(a: EventView, b: EventView): number {
  return b.last.localeCompare(a.last) || a.object.name.localeCompare(b.object.name) || a.reason.localeCompare(b.reason);
}

/** One object, as `eventsAbout` takes it: the events of a single pod, say. */
export function objectEvents(kind: string, name: string, uid?: string): WorkloadObjects {
  return { exact: new Map([[refKey(kind, name), uid]]), replicaSets: new Set() };
}

/** The text of a document listing an object's events, newest first: one line each, warnings marked. */
export function eventsDocument(title: string, rows: readonly EventView[], now = Date.now()): string {
  const lines = rows.map((e) => `${e.warning ? '⚠ ' : ''}${eventLine(e, now)}${e.source ? ` (${e.source})` : ''}`);
  return `# ${title}\n\n${lines.length ? lines.join('\n') : 'No events: the API server keeps them for an hour by default.'}\n`;
}

/** The events of a workload (see workloadObjects), merged and newest first. */
export function workloadEvents(w: WorkloadView, events: readonly LeanEvent[], snapshot?: NamespaceSnapshot): EventView[] {
  return eventsAbout(workloadObjects(w, snapshot), events);
}

/**
 * At most `limit` rows for a short list: the warnings first (newest first), then the newest of the
 * rest, so a Back-off is not pushed out by a stream of Scheduled / Pulled events.
 */
export function shortList(rows: readonly EventView[], limit: number): EventView[] {
  if (rows.length <= limit) return [...rows];
  const warnings = rows.filter((r) => r.warning);
  return [...warnings, ...rows.filter((r) => !r.warning)].slice(0, limit);
}

/** "12× · last 20s ago" (or "20s ago" for a single one). */
export function eventTiming(e: Pick<EventView, 'count' | 'last'>, now = Date.now()): string {
  const ago = e.last ? `${age(e.last, now)} ago` : '';
  return e.count > 1 ? `${e.count}× · last ${ago}` : ago;
}

/** One line: "Pod web-7d9f-x2: Back-off pulling image "…" ×12, last 20s ago". */
export function eventLine(e: EventView, now = Date.now()): string {
  const when = e.count > 1 ? ` ×${e.count}, last ${age(e.last, now)} ago` : e.last ? `, ${age(e.last, now)} ago` : '';
  return `${e.reason}: ${e.message}${when}`;
}

/** How many events the store keeps per namespace (the newest). */
export const EVENTS_KEPT = 1000;

const keyOf = (e: LeanEvent) => e.metadata.uid || e.metadata.name;
const byLastDesc = (a: LeanEvent, b: LeanEvent) => b.last.localeCompare(a.last) || keyOf(a).localeCompare(keyOf(b));

/**
 * The events of one namespace as the store keeps them: by uid, at most `limit` (the newest by last
 * occurrence). A burst only adds to a map; trimming sorts once per quarter of `limit` over it (so a
 * busy namespace costs O(log n) per event), and the sorted list is built when first read.
 */
export class EventLog {
  private readonly byKey = new Map<string, LeanEvent>();
  private sorted?: LeanEvent[];

  constructor(readonly limit = EVENTS_KEPT) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Replaces every event (after a list or re-list). */
  reset(events: readonly LeanEvent[]): void {
    this.byKey.clear();
    for (const e of events) this.byKey.set(keyOf(e), e);
    this.changed();
  }

  upsert(e: LeanEvent): void {
    this.byKey.set(keyOf(e), e);
    this.changed();
  }

  delete(e: LeanEvent): void {
    if (this.byKey.delete(keyOf(e))) this.sorted = undefined;
  }

  /** The kept events, newest first (at most `limit`). */
  list(): readonly LeanEvent[] {
    if (!this.sorted) {
      this.trim(this.limit);
      this.sorted = [...this.byKey.values()].sort(byLastDesc);
    }
    return this.sorted;
  }

  private changed(): void {
    this.sorted = undefined;
    if (this.byKey.size > this.limit + Math.max(16, this.limit >> 2)) this.trim(this.limit);
  }

  /** Keeps the newest `n`. */
  private trim(n: number): void {
    if (this.byKey.size <= n) return;
    const keep = [...this.byKey.values()].sort(byLastDesc).slice(0, n);
    this.byKey.clear();
    for (const e of keep) this.byKey.set(keyOf(e), e);
  }
}

/** A revision worth its events in the tree: it has a problem, or not every desired pod is available. */
export function revisionNeedsEvents(r: { problem?: unknown; desired: number; available: number }): boolean {
  return !!r.problem || r.available < r.desired;
}

/** The row's identity (object, reason, message), for tree node ids. */
export function eventRowKey(e: Pick<EventView, 'object' | 'reason' | 'message'>): string {
  return JSON.stringify([e.object.kind, e.object.name, e.reason, e.message]);
}
