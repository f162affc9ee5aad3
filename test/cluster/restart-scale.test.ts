// Issue 11, faults at scale: with a namespace of 2,000 Deployments and 20,000 pods watched, the
// kube-apiserver process is killed mid-watch (SIGKILL, no graceful close) and started again. Once the
// new server answers /readyz, the view must be correct again with at most one re-list per resource
// type (counted by each watcher: lists that arrived whole; the server's own count, from its request
// counters that start at zero with the new process, is printed beside it: it counts the namespaced
// lists of every client, not only this session's), and equal the
// view of a fresh session's list: nothing duplicated, nothing lost, including the pod changes written
// just before the kill. How long that took after /readyz (issue 11's target: 5 s) is printed, not
// asserted: a time is a benchmark's figure, and under a loaded machine it measures the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ClusterSession } from '../../src/kube/session';
import { LIST_PAGE_SIZE, RESOURCES, type ResourceKey } from '../../src/kube/watcher';
import { adminClient, apiServerMetric, clusterAvailable, repoRoot, session } from './support';
import { BulkClient, deleteScaleNamespaces, ensureScaleNamespaces, setRestarts } from './scale';

const NAMESPACE = 'scale-20000';
const SHAPE = { deployments: 2000, podsPerDeployment: 10 };

/** `component.sh restart kube-apiserver` with no grace: SIGTERM and SIGKILL at once, as in a crash. Runs beside the test (the session keeps retrying meanwhile). */
function killAndRestartApiServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [join(repoRoot, 'cluster', 'component.sh'), 'restart', 'kube-apiserver'], { stdio: 'inherit', env: { ...process.env, SWITCHYARD_APISERVER_STOP_GRACE: '0' } });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`component.sh restart kube-apiserver: exit ${code}`))));
  });
}

/** Resolves with the first moment the API server answers /readyz with ok (polled every 50 ms). */
async function readyAnswered(): Promise<number> {
  const client = adminClient();
  for (;;) {
    const ok = await client.request<string>('/readyz', { text: true, timeoutMs: 1000 }).then((t) => t.trim() === 'ok', () => false);
    if (ok) return performance.now();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Successful namespaced LISTs of a resource the server has answered since it started. */
function lists(key: ResourceKey): Promise<number> {
  const r = RESOURCES[key];
  return apiServerMetric('apiserver_request_total', ['verb="LIST"', `resource="${r.plural}"`, `group="${r.group}"`, 'scope="namespace"', 'code="200"']);
}

const comparable = (s: ClusterSession) => JSON.stringify(s.workloads(NAMESPACE));

test('the API server killed and restarted mid-watch at 20,000 pods: the view is right again with one re-list per resource type, nothing duplicated or lost', { skip: !clusterAvailable() && 'no local cluster', timeout: 900_000 }, async () => {
  await ensureScaleNamespaces([{ namespace: NAMESPACE, shape: SHAPE }], console.log);
  const s = session();
  const bulk = await BulkClient.of();
  let fresh: ClusterSession | undefined;
  const flipped = new Set<string>();
  try {
    await s.watchNamespace(NAMESPACE);
    await s.whenSynced(NAMESPACE, 300_000);
    await until(() => s.workloads(NAMESPACE).length === SHAPE.deployments, 120_000);
    const keys = s.state(NAMESPACE)!.watchers.map((w) => (Object.keys(RESOURCES) as ResourceKey[]).find((k) => RESOURCES[k] === w.type)!);
    const counts = Object.fromEntries(keys.map((k) => [k, s.snapshot(NAMESPACE)[k].length]));
    assert.equal(counts.pods, SHAPE.deployments * SHAPE.podsPerDeployment);

    // Pod changes right up to the kill (restart counts: no controller answers them): some of their events die with the server's connections.
    const pods = s.snapshot(NAMESPACE).pods.map((p) => p.metadata.name);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const pod = pods[(i * 7919) % pods.length];
      flipped.add(pod);
      writes.push(setRestarts(bulk, NAMESPACE, pod, 7));
    }
    await Promise.all(writes);

    let changedAt = 0;
    const subscription = s.onDidChangeWorkloads((c) => c.namespaces.includes(NAMESPACE) && (changedAt = performance.now()));
    let connectedAt = 0;
    const connection = s.onDidChangeConnection((c) => c.state === 'connected' && (connectedAt = performance.now()));
    const listedBefore = s.state(NAMESPACE)!.watchers.map((w) => w.stats.listed);
    const killedAt = performance.now();
    const restart = killAndRestartApiServer();
    await until(() => s.connection().state === 'disconnected', 60_000);
    const readyAt = await readyAnswered();
    await restart;
    // Every watch back (connected), its re-list taken in and told, and 1 s without changes after that.
    await until(() => s.connection().state === 'connected' && s.state(NAMESPACE)!.errors.size === 0 && !s.state(NAMESPACE)!.resetting && performance.now() - Math.max(changedAt, connectedAt) > 1000, 120_000);
    const recoveredMs = Math.max(changedAt, connectedAt) - readyAt;
    subscription.dispose();
    connection.dispose();
    // Counted before the fresh session lists too.
    const relists = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, (await lists(k)) / Math.max(1, Math.ceil(counts[k] / LIST_PAGE_SIZE))] as const)));
    const watcherLists = s.state(NAMESPACE)!.watchers.map((w) => w.stats.lists);
    const relisted = Object.fromEntries(s.state(NAMESPACE)!.watchers.map((w, i) => [keys[i], w.stats.listed - listedBefore[i]]));

    fresh = session();
    await fresh.watchNamespace(NAMESPACE);
    await fresh.whenSynced(NAMESPACE, 300_000);
    await until(() => fresh!.workloads(NAMESPACE).length === SHAPE.deployments, 120_000);
    console.log(`restart at 20,000 pods: server down ${Math.round(readyAt - killedAt)} ms (kill to /readyz), view right ${Math.round(recoveredMs)} ms after /readyz; re-lists per resource type: ${JSON.stringify(relisted)} (whole lists taken in), server-side ${JSON.stringify(relists)} (all clients); list attempts per watcher (incl. the first and those that failed) ${watcherLists.join(',')}`);

    const byName = (x: ClusterSession) => new Map(x.snapshot(NAMESPACE).pods.map((p) => [p.metadata.name, p.metadata.resourceVersion]));
    const [ours, theirs] = [byName(s), byName(fresh)];
    assert.equal(s.snapshot(NAMESPACE).pods.length, ours.size, 'no pod held twice');
    assert.deepEqual([...ours].sort(), [...theirs].sort(), 'the same pods, each at the same version, as a fresh list');
    const shown = new Map(s.workloads(NAMESPACE).flatMap((w) => w.revisions.flatMap((r) => r.pods)).map((p) => [p.name, p.restarts]));
    for (const pod of flipped) assert.equal(shown.get(pod), 7, `${pod}: its change before the kill is in the view`);
    assert.equal(comparable(s), comparable(fresh), 'the view model equals a fresh list’s');
    // One list after 410 Gone (a watch the new server could resume from its version needs none); a second (a storm's first step) fails.
    for (const [k, n] of Object.entries(relisted)) assert.ok(n <= 1, `${k}: ${n} lists after the restart (at most one: no storm)`);
  } finally {
    s.dispose();
    fresh?.dispose();
    // Back as seeded.
    await Promise.all([...flipped].map((pod) => setRestarts(bulk, NAMESPACE, pod, 0).catch(() => undefined)));
    bulk.close();
    if (!process.env.SWITCHYARD_KEEP_SCALE) await deleteScaleNamespaces([NAMESPACE]);
  }
});

function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => (predicate() ? resolve() : Date.now() > end ? reject(new Error(`timed out after ${timeoutMs} ms`)) : setTimeout(tick, 20));
    tick();
  });
}
