// Events benchmark (issue 12, part 2), in-process, no network: a burst of events in the namespace of
// the store benchmark at 2,000 Deployments / 20,000 pods (bench/workloads.bench.ts), fed as
// ClusterSession's events watch feeds them: each raw event (events.k8s.io/v1, shaped as the API
// server sends them) read lean and put in the namespace's bounded EventLog, and at each coalesced
// flush the open details panel's Events section computed for one workload. Baselines in the same run:
// the same burst of pod status changes through the live view model (what the store pays already for
// as many watch events), and a store without coalescing or a bound (an unbounded list, the panel's
// rows recomputed on every event).
// Run with --expose-gc for the heap figures.
import { LiveWorkloads } from '../src/domain/model/live';
import { EventLog } from '../src/domain/model/events';
import { leanEvent, type LeanEvent } from '../src/domain/model/lean';
import { buildWorkloads } from '../src/domain/model/workloads';
import type { Pod } from '../src/domain/model/objects';
import { panelEvents } from '../src/domain/panels/rollout';
import { heapUsed, msSince, namespaceOf, now, percentiles, round, statusChange } from './support';

const DEPLOYMENTS = 2000;
const BURST = 20_000;
/** Events per coalesced flush: a burst of 20,000 over ~0.6 s is ~40 flushes of the session's 16 ms window. */
const PER_FLUSH = 500;
/** The baseline recomputes per event: measured over the first events of the burst only. */
const BASELINE_EVENTS = 2000;
const REASONS = [
  ['Scheduled', 'Normal', 'default-scheduler', (pod: string, i: number) => `Successfully assigned bench/${pod} to kwok-node-${i % 3}`],
  ['Pulled', 'Normal', 'kubelet', () => 'Container image "ghcr.io/acme/web:2" already present on machine'],
  ['Started', 'Normal', 'kubelet', () => 'Started container web'],
  ['BackOff', 'Warning', 'kubelet', () => 'Back-off pulling image "ghcr.io/acme/web:3-missing"'],
] as const;

/** Every this many events of the burst is about a pod of the workload the panel shows (it is failing), the rest anywhere. */
const SHOWN_SHARE = 20;

/** The n-th raw event of the burst, about a pod (in a scattered order), as events.k8s.io/v1 serves it. */
function rawEvent(pods: Pod[], shownPods: Pod[], n: number): Record<string, unknown> {
  const pod = n % SHOWN_SHARE === 0 ? shownPods[(n / SHOWN_SHARE) % shownPods.length] : pods[(n * 7919) % pods.length];
  const [reason, type, controller, note] = n % SHOWN_SHARE === 0 ? REASONS[3] : REASONS[n % REASONS.length];
  const t = new Date(Date.UTC(2026, 11, 2, 2, 0, 0) + n * 3).toISOString().replace('Z', '123Z');
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${n.toString(16)}`, namespace: 'bench', uid: `ev-${n}`, resourceVersion: String(100_000 + n), creationTimestamp: t.slice(0, 19) + 'Z', managedFields: [{ manager: controller, operation: 'Update', apiVersion: 'events.k8s.io/v1', time: t.slice(0, 19) + 'Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:note': {}, 'f:reason': {}, 'f:regarding': {}, 'f:type': {} } }] },
    eventTime: t,
    action: reason === 'Scheduled' ? 'Binding' : reason,
    reason,
    note: note(pod.metadata.name, n),
    type,
    regarding: { apiVersion: 'v1', kind: 'Pod', namespace: 'bench', name: pod.metadata.name, uid: pod.metadata.uid, resourceVersion: '1', fieldPath: 'spec.containers{web}' },
    reportingController: controller,
    reportingInstance: `${controller}-kwok-node-${n % 3}`,
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  };
}

export function benchEvents(): Record<string, unknown> {
  const snapshot = namespaceOf(DEPLOYMENTS);
  const workloads = buildWorkloads(snapshot);
  // The panel shows a failing workload: one event in SHOWN_SHARE of the burst is its pods' Back-off.
  const shown = workloads[0];
  const shownPods = snapshot.pods.filter((p) => shown.revisions.some((r) => r.pods.some((x) => x.name === p.metadata.name)));
  const raws = Array.from({ length: BURST }, (_, n) => rawEvent(snapshot.pods, shownPods, n));

  // The session's events watch: lean + bounded log per event, the panel's rows per flush.
  // Each watch event is its own task (a callback of the watch stream), each flush another.
  const eventUs: number[] = [];
  const flushMs: number[] = [];
  let log: EventLog | undefined = new EventLog();
  let rows = 0;
  const t0 = now();
  for (let start = 0; start < BURST; start += PER_FLUSH) {
    for (let n = start; n < Math.min(BURST, start + PER_FLUSH); n++) {
      const t = now();
      const e = leanEvent(raws[n]);
      if (e) log!.upsert(e);
      eventUs.push(msSince(t) * 1000);
    }
    const t = now();
    rows = panelEvents(shown, log.list(), snapshot, { synced: true }).total;
    flushMs.push(msSince(t));
  }
  const burstMs = msSince(t0);
  // Heap held by the log: the heap with it, minus the heap once it is dropped (read after the
  // measure, so the log is live while it is measured).
  const withLog = heapUsed();
  const kept = log.size;
  log = undefined;
  const heapMB = (withLog - heapUsed()) / 2 ** 20;

  // Baseline 1: the same number of pod status changes through the live view model, flushed as often.
  const live = new LiveWorkloads('bench');
  for (const list of ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices'] as const) live.reset(list, snapshot[list] as never[]);
  live.takeChanges();
  live.workloads();
  const pods = [...snapshot.pods];
  const t1 = now();
  for (let start = 0; start < BURST; start += PER_FLUSH) {
    for (let n = start; n < Math.min(BURST, start + PER_FLUSH); n++) live.upsert('pods', statusChange(pods, n));
    live.takeChanges();
    live.workloads();
  }
  const podBurstMs = msSince(t1);

  // Baseline 2: no coalescing and no bound: every event appended, the panel's rows recomputed each time.
  let all: LeanEvent[] | undefined = [];
  const t2 = now();
  for (let n = 0; n < BASELINE_EVENTS; n++) {
    all.push(leanEvent(raws[n])!);
    panelEvents(shown, all, snapshot, { synced: true });
  }
  const naiveMs = msSince(t2);
  for (let n = BASELINE_EVENTS; n < BURST; n++) all.push(leanEvent(raws[n])!);
  const withAll = heapUsed();
  const unbounded = all.length;
  all = undefined;
  const unboundedMB = (withAll - heapUsed()) / 2 ** 20;
  const ours = burstMs / BURST;
  return {
    pods: snapshot.pods.length,
    burst: BURST,
    flushes: Math.ceil(BURST / PER_FLUSH),
    kept,
    shownRows: rows,
    burstMs: round(burstMs),
    perEventUs: round(ours * 1000),
    eventUs: percentiles(eventUs),
    flushMs: percentiles(flushMs),
    heapMB: round(heapMB),
    podBurstMs: round(podBurstMs),
    overPodBurst: round(burstMs / podBurstMs),
    naive: { events: BASELINE_EVENTS, kept: unbounded, ms: round(naiveMs), perEventUs: round((naiveMs / BASELINE_EVENTS) * 1000), unboundedHeapMB: round(unboundedMB) },
    overNaivePerEvent: round(ours / (naiveMs / BASELINE_EVENTS)),
  };
}

if (require.main === module) console.log(JSON.stringify(benchEvents()));
