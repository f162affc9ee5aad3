// Issue 11, "faults at scale": 100 namespace switches and 100 context switches leave no watch open
// beyond the current ones. Counted on the server side: kube-apiserver's own gauge of long-running
// requests (apiserver_longrunning_requests{verb="WATCH"}), read from its /metrics. Only namespaced
// watches are counted: every controller of the local cluster (controller-manager, scheduler, kwok,
// Argo, Prometheus' traffic source…) watches cluster-wide, so the namespaced ones are the sessions'; for
// All namespaces (one cluster-wide watch per resource) it is the difference per resource that counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, clusterAvailable, deploymentManifest, session } from './support';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import type { ClusterSession } from '../../src/kube/session';

/** Open WATCH requests the API server counts now, by scope ("namespace", "cluster") and resource ("apps/deployments"). */
async function openWatches(): Promise<{ scope: string; resource: string; open: number }[]> {
  const text = await adminClient().request<string>('/metrics', { text: true });
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_longrunning_requests{') || !line.includes('verb="WATCH"')) continue;
    const label = (name: string) => new RegExp(`[{,]${name}="([^"]*)"`).exec(line)?.[1] ?? '';
    out.push({ scope: label('scope'), resource: `${label('group')}/${label('resource')}`, open: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return out;
}

/** Open namespaced WATCH requests the API server counts now. */
async function namespacedWatches(): Promise<number> {
  return (await openWatches()).filter((w) => w.scope === 'namespace').reduce((n, w) => n + w.open, 0);
}

/** Open cluster-wide WATCH requests per resource ("apps/deployments"). */
async function clusterWatches(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const w of await openWatches()) if (w.scope === 'cluster') out.set(w.resource, (out.get(w.resource) ?? 0) + w.open);
  return out;
}

/**
 * Polls the cluster-wide WATCH counts per resource, less those of `idle` (the controllers'), until they
 * are `expected`, or fails with the last difference.
 */
async function clusterWatchesUntil(what: string, idle: Map<string, number>, expected: Record<string, number>, timeoutMs = 30_000): Promise<void> {
  const ours = async () => Object.fromEntries([...(await clusterWatches())].map(([r, n]) => [r, n - (idle.get(r) ?? 0)] as const).filter(([, d]) => d !== 0).sort());
  const want = Object.fromEntries(Object.entries(expected).sort());
  const deadline = Date.now() + timeoutMs;
  let seen = await ours();
  while (JSON.stringify(seen) !== JSON.stringify(want) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await ours();
  }
  assert.deepEqual(seen, want, what);
}

/** Polls the server's count until `ok` holds (closing a watch reaches the server in a moment), or fails with the last count. */
async function watchesUntil(what: string, ok: (n: number) => boolean, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = await namespacedWatches();
  while (!ok(n) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    n = await namespacedWatches();
  }
  if (!ok(n)) {
    const byResource = (await openWatches()).filter((w) => w.scope === 'namespace' && w.open).map((w) => `${w.resource} ${w.open}`).join(', ');
    assert.fail(`${what}: the API server counts ${n} open namespaced watches (${byResource})`);
  }
  return n;
}

test('100 namespace switches and 100 context switches leave only the current watches open, counted by the API server', { skip: !clusterAvailable() && 'no local cluster' }, async () => {
  const client = adminClient();
  const names = [0, 1, 2].map((i) => `leaks-${process.pid}-${Date.now().toString(36)}-${i}`);
  for (const name of names) await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  let s: ClusterSession | undefined;
  try {
    const idle = await namespacedWatches();
    // One namespace watched (with its events, as the panel does): how many watches that is.
    s = session();
    await s.watchNamespace(names[0], 'tree');
    s.watchEvents(names[0], 'panel');
    await s.whenSynced(names[0], 30_000);
    const one = (await watchesUntil('one namespace watched', (n) => n > idle)) - idle;
    assert.ok(one >= 6, `a namespace takes its Deployments, ReplicaSets, pods, Services, EndpointSlices and events watches at least (${one})`);

    // Namespace switches as the tree and the panel make them: the next one asked for before the last
    // one's first list (and the Argo discovery) has answered, every fifth one waited for.
    for (let i = 1; i <= 100; i++) {
      const from = names[(i - 1) % 3];
      const to = names[i % 3];
      const watching = s.watchNamespace(to, 'tree');
      s.watchEvents(to, 'panel');
      s.unwatchNamespace(from, 'tree');
      s.unwatchEvents(from, 'panel');
      if (i % 5 === 0) await watching.then(() => s!.whenSynced(to, 30_000));
    }
    await watchesUntil('after 100 namespace switches: one namespace', (n) => n === idle + one);

    // Context switches: the session as a whole is disposed and a new one starts (what Select Context does).
    for (let i = 0; i < 100; i++) {
      s.dispose();
      s = session();
      const watching = s.watchNamespace(names[i % 3], 'tree');
      if (i % 10 === 0) await watching.then(() => s!.whenSynced(names[i % 3], 30_000));
    }
    await s.whenSynced(names[99 % 3], 30_000);
    await watchesUntil('after 100 context switches: one namespace', (n) => n === idle + one - 1 /* no events watch now */);
    s.dispose();
    s = undefined;
    await watchesUntil('every session disposed: none of ours', (n) => n === idle);
  } finally {
    s?.dispose();
    for (const name of names) await client.request(`/api/v1/namespaces/${name}`, { method: 'DELETE' }).catch(() => undefined);
  }
});

test('All namespaces over 12 namespaces opens exactly one WATCH per resource type, none per namespace, and leaving it leaves none open', { skip: !clusterAvailable() && 'no local cluster' }, async () => {
  const client = adminClient();
  const names = Array.from({ length: 12 }, (_, i) => `allns-leaks-${process.pid}-${Date.now().toString(36)}-${i}`);
  for (const name of names) {
    await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    await client.request(resourcePath(RESOURCES.deployments, name), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 1) });
  }
  let s: ClusterSession | undefined;
  try {
    const idleNamespaced = await namespacedWatches();
    const idleCluster = await clusterWatches();
    s = session();
    await s.watchAllNamespaces('tree');
    // A panel and an action on namespaces the cluster watch covers: no watch of their own.
    await s.watchNamespace(names[0], 'panel');
    await s.watchNamespace(names[1], 'actions');
    assert.equal((await s.whenAllSynced(60_000)), 'met');
    const mode = s.watchMode();
    assert.equal(mode.scope, 'cluster');
    assert.ok(mode.scope === 'cluster' && !mode.message && !mode.oneByOne, `the admin watches everything cluster-wide: ${JSON.stringify(mode)}`);
    const kinds = mode.scope === 'cluster' ? mode.clusterWide : [];
    assert.ok(kinds.length >= 5, `core kinds at least, Argo's and Flagger's when served: ${kinds.join(', ')}`);
    await clusterWatchesUntil('one cluster-wide WATCH per resource type, counted by the API server', idleCluster, Object.fromEntries(kinds.map((k) => [`${RESOURCES[k].group}/${RESOURCES[k].plural}`, 1])));
    assert.equal(await namespacedWatches(), idleNamespaced, 'no namespaced watch for 12 namespaces, the panel\'s and the action\'s included');
    for (const name of names) assert.equal(s.workloads(name).length, 1, `${name}'s Deployment is in the view`);

    // Leaving All namespaces: the cluster-wide watches go; the panel's and the action's namespaces get their own.
    s.unwatchAllNamespaces('tree');
    assert.equal(s.watchMode().scope, 'namespaces');
    assert.deepEqual(s.watchedNamespaces().sort(), [names[0], names[1]].sort(), 'only the namespaces someone still holds stay');
    await s.whenSynced(names[0], 30_000);
    await s.whenSynced(names[1], 30_000);
    assert.equal(s.workloads(names[0]).length, 1);
    await watchesUntil('the panel and the action on watches of their own, one per kind each', (n) => n === idleNamespaced + 2 * kinds.length);
    await clusterWatchesUntil('no cluster-wide watch of ours is left open', idleCluster, {});

    // All namespaces again: the cluster-wide watches take over from the namespaces' own (never two for one namespace).
    await s.watchAllNamespaces('tree');
    await s.whenAllSynced(60_000);
    await watchesUntil('All namespaces again: the namespaces\' own watches handed over', (n) => n === idleNamespaced);
    assert.equal(s.workloads(names[0]).length, 1);
    // Then the session disposed as a whole (a context switch): none of ours.
    s.dispose();
    s = undefined;
    await watchesUntil('every session disposed: no namespaced watch of ours', (n) => n === idleNamespaced);
    await clusterWatchesUntil('disposed: no cluster-wide watch of ours', idleCluster, {});
  } finally {
    s?.dispose();
    for (const name of names) await client.request(`/api/v1/namespaces/${name}`, { method: 'DELETE' }).catch(() => undefined);
  }
});
