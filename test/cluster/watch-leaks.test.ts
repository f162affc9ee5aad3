// Issue 11, "faults at scale": 100 namespace switches and 100 context switches leave no watch open
// beyond the current ones. Counted on the server side: kube-apiserver's own gauge of long-running
// requests (apiserver_longrunning_requests{verb="WATCH"}), read from its /metrics. Only namespaced
// watches are counted: every controller of the local cluster (controller-manager, scheduler, kwok,
// Argo, Prometheus' traffic source…) watches cluster-wide, so the namespaced ones are the sessions'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, apiServerMetric, clusterAvailable, session } from './support';
import type { ClusterSession } from '../../src/kube/session';

/** Open namespaced WATCH requests the API server counts now. */
function namespacedWatches(): Promise<number> {
  return apiServerMetric('apiserver_longrunning_requests', ['verb="WATCH"', 'scope="namespace"']);
}

/** Polls the server's count until `ok` holds (closing a watch reaches the server in a moment), or fails with the last count. */
async function watchesUntil(what: string, ok: (n: number) => boolean, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = await namespacedWatches();
  while (!ok(n) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    n = await namespacedWatches();
  }
  assert.ok(ok(n), `${what}: the API server counts ${n} open namespaced watches`);
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
