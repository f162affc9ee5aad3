// Store benchmark (issue 11), in-process, no network: one namespace of D Deployments, each with two
// ReplicaSets (the old one scaled to 0) and 10 pods on the newest. The live model (src/domain/model/
// live.ts) is fed the calls ClusterSession's watch callbacks make: a reset per listed resource, then
// one upsert per pod status change, each followed by the session's flush (`takeChanges`) and a read of
// the view model. As in the session, a list is stored and the views are brought up to date in slices
// of SLICE_MS (src/kube/slices.ts): each slice is one synchronous task. Baseline in the same run: the store before issue 11, a map per resource and the
// quadratic full build (test/support/referenceWorkloads.ts) on every change.
// Run with --expose-gc for the heap figures.
import { LiveWorkloads } from '../src/domain/model/live';
import { leanObject } from '../src/domain/model/lean';
import { SLICE_MS } from '../src/kube/slices';
import { emptySnapshot, type NamespaceSnapshot, type Pod } from '../src/domain/model/objects';
import type { WorkloadView } from '../src/domain/model/workloads';
import { buildWorkloads as quadraticBuild } from '../test/support/referenceWorkloads';
import { heapUsed, msSince, namespaceOf, NAMESPACE, now, percentiles, PODS_PER_DEPLOYMENT, round, statusChange } from './support';

const CHANGES = 200;

const LISTS = ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices'] as const;

/** A piece of work done in steps: each call works until `stop()` holds and says whether all is done. */
type Job = (stop: () => boolean) => boolean;

/** What a store does on watch events: a job per list (the session runs it in slices), a callback per event, and a flush (a job too) that brings the view model up to date. */
interface Store {
  reset(list: (typeof LISTS)[number], items: unknown[]): Job;
  podChanged(pod: Pod): void;
  flush: Job;
  read(): WorkloadView[];
}

function liveStore(): Store {
  const live = new LiveWorkloads(NAMESPACE);
  return {
    // Trimmed as the session trims what its watches deliver.
    reset: (list, items) => live.resetInSteps(list, items, (o) => leanObject(list, o)),
    podChanged: (pod) => live.upsert('pods', leanObject('pods', pod)),
    flush: (stop) => live.settleSome(stop),
    read: () => {
      live.takeChanges();
      return live.workloads();
    },
  };
}

/** The store before issue 11: a map per resource, and every flush builds the whole namespace again (and keeps it, as its cache did). */
function quadraticStore(): Store {
  const maps = Object.fromEntries(LISTS.map((l) => [l, new Map<string, any>()])) as Record<(typeof LISTS)[number], Map<string, any>>;
  const keyOf = (o: any) => o.metadata.uid ?? o.metadata.name;
  let cached: { snapshot: NamespaceSnapshot; workloads: WorkloadView[] } | undefined;
  return {
    reset: (list, items) => () => ((maps[list] = new Map(items.map((o) => [keyOf(o), o]))), true),
    podChanged: (pod) => maps.pods.set(keyOf(pod), pod),
    flush: () => {
      const snapshot = { ...emptySnapshot(NAMESPACE), ...Object.fromEntries(LISTS.map((l) => [l, [...maps[l].values()]])) };
      cached = { snapshot, workloads: quadraticBuild(snapshot) };
      return true;
    },
    read: () => cached!.workloads,
  };
}

function run(makeStore: () => Store, deployments: number, changes: number) {
  const snapshot = namespaceOf(deployments);
  const pods = [...snapshot.pods];
  const heapBefore = heapUsed();
  const store = makeStore();
  let longestTaskMs = 0;
  const task = <T>(work: () => T): [T, number] => {
    const t0 = now();
    const out = work();
    const took = msSince(t0);
    longestTaskMs = Math.max(longestTaskMs, took);
    return [out, took];
  };
  /** A job in slices of SLICE_MS, each one task (the session yields to the event loop between them). */
  const sliced = (job: Job) => {
    for (let done = false; !done; ) {
      const end = performance.now() + SLICE_MS;
      [done] = task(() => job(() => performance.now() >= end));
    }
  };
  // The lists arrive one by one, then the flush builds the first complete view model.
  const t0 = now();
  for (const list of LISTS) sliced(store.reset(list, snapshot[list]));
  sliced(store.flush);
  const [first] = task(() => store.read());
  const firstViewModelMs = msSince(t0);
  if (first.length !== deployments) throw new Error(`expected ${deployments} workloads, got ${first.length}`);
  const updates: number[] = [];
  for (let n = 0; n < changes; n++) {
    const pod = statusChange(pods, n);
    const [, event] = task(() => store.podChanged(pod));
    const [, flush] = task(() => (store.flush(() => false), store.read()));
    updates.push(event + flush);
  }
  const heapMB = +((heapUsed() - heapBefore) / 2 ** 20).toFixed(1);
  void store; // held until the heap is measured
  return { firstViewModelMs: round(firstViewModelMs), podChangeMs: percentiles(updates), heapMB, longestTaskMs: round(longestTaskMs) };
}

export function benchWorkloads(): Record<string, unknown>[] {
  // Warm-up, so the first size measured does not pay for compiling the code.
  run(liveStore, 20, 20);
  run(quadraticStore, 20, 20);
  return [20, 200, 2000].map((deployments) => {
    const live = run(liveStore, deployments, CHANGES);
    // The quadratic baseline takes seconds per change at 2,000 Deployments: fewer samples there.
    const quadratic = run(quadraticStore, deployments, deployments >= 2000 ? 5 : deployments >= 200 ? 50 : CHANGES);
    return { deployments, pods: deployments * PODS_PER_DEPLOYMENT, live, quadratic };
  });
}

if (require.main === module) console.log(JSON.stringify(benchWorkloads()));
