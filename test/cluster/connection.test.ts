// Disconnected is visible (issue 12, part 10, 3): with the real API server stopped, the session says
// it is disconnected (since when, and why) instead of showing its last objects as if live; started
// again, the watches reconnect and resync by themselves, and the session says connected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from '../../src/kube/session';
import { adminClient, clusterAvailable, component, deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const deployments = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

test('the API server goes away: the session reports disconnected, then reconnects and resyncs by itself', { skip: !clusterAvailable() && 'no local cluster' }, async () => {
  await withNamespace('disconnect', async (ns, client) => {
    await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('before', { app: 'before' }, 'ghcr.io/acme/before:1.0.0', 1) });
    const s = session();
    const seen: Connection[] = [];
    s.onDidChangeConnection((c) => seen.push(c));
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => s.isSynced(ns) && ws.some((w) => w.name === 'before'));
      assert.deepEqual(s.connection(), { state: 'connected' });
      const stoppedAt = Date.now();
      component('stop', 'kube-apiserver');
      let restarted = false;
      try {
        const lost = await until(() => s.connection().state === 'disconnected', 60_000);
        assert.ok(lost, `no disconnect reported; connection ${JSON.stringify(s.connection())}`);
        const c = s.connection();
        assert.ok(c.since! >= stoppedAt, 'since when: after the server went away');
        assert.match(c.problem ?? '', /Cannot reach the cluster/);
        // What the store holds is kept (shown as stale), not dropped.
        assert.ok(s.workloads(ns).some((w) => w.name === 'before'));
        component('start', 'kube-apiserver');
        restarted = true;
      } finally {
        if (!restarted) component('start', 'kube-apiserver');
      }
      // Written after the restart: only watches that reconnected by themselves deliver it.
      await adminClient().request(deployments(ns), { method: 'POST', body: deploymentManifest('after', { app: 'after' }, 'ghcr.io/acme/after:1.0.0', 1) });
      await waitForWorkloads(s, ns, (ws) => ws.some((w) => w.name === 'after') && s.connection().state === 'connected' && s.state(ns)!.errors.size === 0, 90_000);
      assert.deepEqual(seen.map((x) => x.state), ['disconnected', 'connected'], 'told once each way, not once per watch');
    } finally {
      s.dispose();
    }
  });
});

function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => (predicate() ? resolve(true) : Date.now() > end ? resolve(false) : setTimeout(tick, 100));
    tick();
  });
}
