// Scale benchmarks against the local cluster's real API server (issue 11): one namespace of D
// Deployments with 10 pods each at 200 / 2,000 / 20,000 pods, and 200 namespaces of 10 workloads
// for All namespaces. The namespaces are written straight to the API server (test/cluster/scale.ts)
// and kept for the next run. Every figure has its baseline from the same run:
// - session start -> complete view model: against a bare paged list of the same pods (same client, same pages);
// - a pod status written -> view model updated, while a background writer changes 100 pods/s: against
//   the same write seen as a raw watch event (client-node Watch on the same pods);
// - heap held (after GC) and the process's CPU over 5 s of idling once synced;
// - the longest synchronous task: the event loop's longest delay (perf_hooks.monitorEventLoopDelay);
// - watch connections, as the API server counts them (apiserver_longrunning_requests).
// Run with --expose-gc.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import { ClusterSession } from '../src/kube/session';
import { LIST_PAGE_SIZE, RESOURCES, resourcePath } from '../src/kube/watcher';
import type { WorkloadView } from '../src/domain/model/workloads';
import { adminClient, apiServerMetric, kubeconfig } from '../test/cluster/support';
import { BulkClient, ensureScaleNamespaces, setRestarts, type ScaleShape } from '../test/cluster/scale';

const PODS_PER_DEPLOYMENT = 10;
const SIZES = [20, 200, 2000].map((deployments) => ({ namespace: `scale-${deployments * PODS_PER_DEPLOYMENT}`, shape: { deployments, podsPerDeployment: PODS_PER_DEPLOYMENT } }));
const ALL_NAMESPACES = Array.from({ length: 200 }, (_, i) => ({ namespace: `scale-all-${String(i).padStart(3, '0')}`, shape: { deployments: 10, podsPerDeployment: 1 } satisfies ScaleShape }));
const WRITES = Number(process.env.SWITCHYARD_BENCH_SCALE_WRITES ?? 100);
const BACKGROUND_PER_SECOND = 100;
const IDLE_MS = 5000;

const log = (line: string) => console.error(line);
const round = (x: number) => (x >= 100 ? Math.round(x) : Math.round(x * 10) / 10);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const stats = (xs: number[]) => ({ n: xs.length, p50: round(pct(xs, 50)), p99: round(pct(xs, 99)), max: round(Math.max(...xs)) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
const mb = (bytes: number) => round(bytes / 2 ** 20);
const namespacedWatches = () => apiServerMetric('apiserver_longrunning_requests', ['verb="WATCH"', 'scope="namespace"']);
const clusterWatches = () => apiServerMetric('apiserver_longrunning_requests', ['verb="WATCH"', 'scope="cluster"']);

/** The longest synchronous task from now to `stop()`: the event loop's longest delay (ms). */
function longestTask() {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return () => {
    h.disable();
    return round(h.max / 1e6);
  };
}

/** Resolves once `done(workloads of each namespace)` holds, checked after every change the session tells. */
function until(s: ClusterSession, namespaces: string[], done: () => boolean, timeoutMs = 600_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (subscription.dispose(), reject(new Error(`timed out: ${namespaces.length} namespaces, synced ${namespaces.filter((ns) => s.isSynced(ns)).length}`))), timeoutMs);
    const check = () => done() && (clearTimeout(timer), subscription.dispose(), resolve());
    const subscription = s.onDidChangeWorkloads(check);
    check();
  });
}

/** A bare paged list of the namespace's pods: the pages the session's pod watch asks for, nothing done with them. */
async function barePagedList(namespace: string): Promise<{ ms: number; items: number }> {
  const client = adminClient();
  const t0 = performance.now();
  let token: string | undefined;
  let items = 0;
  do {
    const page = await client.request(resourcePath(RESOURCES.pods, namespace), { query: { limit: LIST_PAGE_SIZE, continue: token } });
    items += page.items.length;
    token = page.metadata.continue || undefined;
  } while (token);
  return { ms: performance.now() - t0, items };
}

/** Session start -> complete view model of one namespace, and what the synced session costs. */
async function load(namespace: string, shape: ScaleShape) {
  const bare = await barePagedList(namespace);
  const watchesBefore = await namespacedWatches();
  const heapBefore = heapUsed();
  const stop = longestTask();
  const t0 = performance.now();
  const s = new ClusterSession({ kubeconfig });
  await s.watchNamespace(namespace);
  await until(s, [namespace], () => s.isSynced(namespace) && s.workloads(namespace).length === shape.deployments);
  const loadMs = performance.now() - t0;
  const longestLoadTaskMs = stop();
  const heapMB = mb(heapUsed() - heapBefore);
  const watches = (await namespacedWatches()) - watchesBefore;
  const events = () => s.state(namespace)!.watchers.reduce((n, w) => n + w.stats.events, 0);
  const eventsBefore = events();
  const cpu0 = process.cpuUsage();
  const stopIdle = longestTask();
  await sleep(IDLE_MS);
  const cpu = process.cpuUsage(cpu0);
  const idle = { cpuPercent: round(((cpu.user + cpu.system) / 1000 / IDLE_MS) * 100), events: events() - eventsBefore, longestTaskMs: stopIdle() };
  return { s, result: { pods: bare.items, loadMs: round(loadMs), barePagedListMs: round(bare.ms), loadOverBare: round(loadMs / bare.ms), longestLoadTaskMs, heapMB, watches, idle } };
}

/** Pod status writes -> view model, against the same writes as raw watch events, with 100 other pods/s changing meanwhile. */
async function writes(s: ClusterSession, namespace: string, samples: number) {
  const bulk = await BulkClient.of(kubeconfig, 24);
  const pods = s.snapshot(namespace).pods.map((p) => p.metadata.name);
  const measured = new Set(pods.filter((_, i) => i % Math.max(1, Math.floor(pods.length / samples)) === 0).slice(0, samples));
  const others = pods.filter((p) => !measured.has(p));
  // Each write sets a pod's restart count to a number not seen before (no controller answers that change).
  let serial = 0;
  const changed = new Set<string>();
  const write = (pod: string) => {
    changed.add(pod);
    return { restarts: ++serial, done: setRestarts(bulk, namespace, pod, serial) };
  };
  // A pod's workload by its name (test/cluster/scale.ts names pods <Deployment>-<hash>-<n>): the check costs no scan of 20,000 pods.
  const podOf = (pod: string): { restarts: number } | undefined => {
    const deployment = pod.split('-').slice(0, 2).join('-');
    return s.workloads(namespace).find((w) => w.name === deployment)?.revisions.flatMap((r) => r.pods).find((p) => p.name === pod);
  };
  const raw = new Watch(adminClient().config);
  let rawSeen: ((o: any) => void) | undefined;
  // From the collection's current version: changes only, not an ADDED event per pod first.
  const { metadata } = await adminClient().request(resourcePath(RESOURCES.pods, namespace), { query: { limit: 1 } });
  const abort = await raw.watch(resourcePath(RESOURCES.pods, namespace), { resourceVersion: metadata.resourceVersion }, (_t, o) => rawSeen?.(o), () => undefined);
  // The background writer: 100 pod changes a second, spread over the second.
  let background = 0;
  let inFlight = 0;
  const writer = setInterval(() => {
    if (inFlight > 50 || !others.length) return;
    const pod = others[(background++ * 7919) % others.length];
    inFlight++;
    void write(pod).done.finally(() => inFlight--);
  }, 1000 / BACKGROUND_PER_SECOND);
  const stop = longestTask();
  const started = performance.now();
  const model: number[] = [];
  const event: number[] = [];
  try {
    await sleep(1000); // the writer at its pace first
    for (const pod of measured) {
      const restarts = serial + 1;
      const viewed = new Promise<number>((resolve) => {
        const subscription = s.onDidChangeWorkloads(() => podOf(pod)?.restarts === restarts && (subscription.dispose(), resolve(performance.now())));
      });
      const arrived = new Promise<number>((resolve) => (rawSeen = (o) => o?.metadata?.name === pod && o.status?.containerStatuses?.[0]?.restartCount === restarts && resolve(performance.now())));
      const t0 = performance.now();
      await write(pod).done;
      const [tv, tr] = await Promise.all([viewed, arrived]);
      model.push(tv - t0);
      event.push(tr - t0);
      await sleep(50);
    }
  } finally {
    clearInterval(writer);
    abort.abort();
  }
  const backgroundRate = round(background / ((performance.now() - started) / 1000));
  const longestTaskMs = stop();
  while (inFlight) await sleep(50);
  // Back as seeded: no restarts.
  await Promise.all([...changed].map((pod) => setRestarts(bulk, namespace, pod, 0)));
  bulk.close();
  return { viewModel: stats(model), rawWatchEvent: stats(event), p99Ratio: round(pct(model, 99) / pct(event, 99)), backgroundPerSecond: backgroundRate, longestTaskMs };
}

/**
 * All namespaces, both ways the session watches them: `cluster`, one watch per resource type for the
 * whole cluster (what the tree does when the user may list cluster-wide; it brings every namespace,
 * the scale namespaces of the sizes above too), and `per namespace`, each namespace's own watches
 * (the fallback when RBAC allows only some namespaces), the baseline.
 */
async function allNamespaces(way: 'cluster' | 'per namespace') {
  const namespaces = ALL_NAMESPACES.map((n) => n.namespace);
  const watchesBefore = { namespace: await namespacedWatches(), cluster: await clusterWatches() };
  const heapBefore = heapUsed();
  const stop = longestTask();
  const t0 = performance.now();
  const s = new ClusterSession({ kubeconfig });
  if (way === 'cluster') await s.watchAllNamespaces('bench');
  else await Promise.all(namespaces.map((ns) => s.watchNamespace(ns)));
  await until(s, namespaces, () => namespaces.every((ns) => s.isSynced(ns) && s.workloads(ns).length === 10));
  const loadMs = performance.now() - t0;
  const longestTaskMs = stop();
  // The watches open once their lists are in: the longest task while they do (3 s), apart.
  const stopOpening = longestTask();
  await sleep(3000);
  const longestTaskWatchesOpeningMs = stopOpening();
  const heapMB = mb(heapUsed() - heapBefore);
  await sleep(2000); // the server's gauge follows the last watches
  const watches = (await namespacedWatches()) - watchesBefore.namespace + (await clusterWatches()) - watchesBefore.cluster;
  const mode = s.watchMode();
  // The session's own count of its open watches beside the server's, which counts every client's.
  const ownWatches = mode.watches;
  const resourceTypes = mode.scope === 'cluster' ? mode.clusterWide.length : s.argo === 'installed' ? 10 : 5;
  const watchedNamespaces = s.watchedNamespaces().length;
  const workloads = s.watchedNamespaces().reduce((n, ns) => n + s.workloads(ns).length, 0);
  // What the watches cost the client: connections opened in all (lists' and watches'), and the HTTP/2 ones its watches share.
  const { connections, streams, streamConnections } = s.client.connectionStats;
  s.dispose();
  return { way, namespaces: namespaces.length, watchedNamespaces, workloads, loadMs: round(loadMs), longestTaskMs, longestTaskWatchesOpeningMs, heapMB, watches, ownWatches, resourceTypes, watchesPerResourceType: round(ownWatches / resourceTypes), connections, streams, streamConnections };
}

async function main() {
  const t0 = performance.now();
  const seeded = await ensureScaleNamespaces([...SIZES, ...ALL_NAMESPACES], log);
  log(`scale: namespaces ready in ${Math.round((performance.now() - t0) / 1000)} s`);
  // The controllers catch up with what was written (statuses, revision annotations) before anything is measured.
  await sleep(seeded.written.length ? 30_000 : 0);
  const sizes = [];
  for (const { namespace, shape } of SIZES) {
    log(`scale: ${namespace}`);
    const { s, result } = await load(namespace, shape);
    const w = await writes(s, namespace, WRITES);
    s.dispose();
    sizes.push({ deployments: shape.deployments, ...result, writes: w });
    await sleep(2000);
  }
  log('scale: all namespaces, one watch per resource type');
  const cluster = await allNamespaces('cluster');
  await sleep(2000);
  log('scale: all namespaces, per namespace');
  const perNamespace = await allNamespaces('per namespace');
  console.log(JSON.stringify({ seeded, sizes, allNamespaces: { cluster, perNamespace } }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
