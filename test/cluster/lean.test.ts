// Lean objects on the API server's real answers: the store drops managedFields, kubectl's
// last-applied copy and most of the pod spec (domain/model/lean.ts), and the session's view model
// over them is the one a full list gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leanObject } from '../../src/domain/model/lean';
import { emptySnapshot, type NamespaceSnapshot } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const CORE = ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices'] as const;

test('the session keeps lean objects: half the bytes or less, and the same view model as full objects', async () => {
  await withNamespace('lean', async (ns, client) => {
    await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 4) });
    const s = session();
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.replicas.available === 4 && ws[0].revisions[0]?.pods.length === 4);
      // The same objects as the API serves them, in full; listed again until the watches have caught
      // up with the list (controllers may still write status).
      const listFull = async () => {
        const snapshot: NamespaceSnapshot = emptySnapshot(ns);
        for (const list of CORE) (snapshot[list] as unknown[]) = (await client.request<{ items: unknown[] }>(resourcePath(RESOURCES[list], ns))).items;
        return snapshot;
      };
      let full = await listFull();
      for (let i = 0; i < 20 && JSON.stringify(s.workloads(ns)) !== JSON.stringify(buildWorkloads(full)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        full = await listFull();
      }
      const pods = full.pods as { metadata: { managedFields?: unknown } }[];
      assert.ok(pods.length === 4 && pods.every((p) => p.metadata.managedFields), 'the API server sends managedFields');
      const stored = s.snapshot(ns);
      assert.ok(stored.pods.every((p) => !('managedFields' in p.metadata)), 'the store has none');
      const bytes = (snapshot: NamespaceSnapshot, lists: readonly (typeof CORE)[number][] = CORE) => JSON.stringify(lists.map((list) => snapshot[list])).length;
      const lean: NamespaceSnapshot = { ...full, ...Object.fromEntries(CORE.map((list) => [list, (full[list] as never[]).map((o) => leanObject(list, o))])) };
      // kwok's pods are small already (no volumes, env or probes beyond the template's); real ones shrink more.
      const sizes = `pods ${bytes(lean, ['pods'])} of ${bytes(full, ['pods'])} bytes, everything ${bytes(lean)} of ${bytes(full)}`;
      assert.ok(bytes(lean, ['pods']) * 2 <= bytes(full, ['pods']) && bytes(lean) * 2 <= bytes(full), sizes);
      console.log(`# lean objects: ${sizes}`);
      assert.deepEqual(buildWorkloads(lean), buildWorkloads(full));
      assert.deepEqual(s.workloads(ns), buildWorkloads(full));
    } finally {
      s.dispose();
    }
  });
});
