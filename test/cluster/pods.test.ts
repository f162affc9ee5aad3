// Delete pod on the real control plane (issue 12, part 10, 6): the dry-run deletes nothing, the
// real delete goes through once, and a pod that changed since it was read is not deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planPodDelete } from '../../src/domain/actions/plans';
import type { Pod } from '../../src/domain/model/objects';
import { runPlan } from '../../src/kube/actions';
import { ClusterError } from '../../src/kube/errors';
import { clusterAvailable, withNamespace } from './support';

test('Delete pod: the dry-run deletes nothing, a status change does not block it, a new pod of the same name is not deleted', { skip: !clusterAvailable() && 'no local cluster' }, async () => {
  await withNamespace('pods', async (ns, client) => {
    const path = `/api/v1/namespaces/${ns}/pods`;
    // A new namespace's default ServiceAccount comes from the controller manager a moment later
    // (longer right after an API server restart): pods are refused until it exists.
    await waitUntil(async () => !!(await client.request(`/api/v1/namespaces/${ns}/serviceaccounts/default`).catch(() => undefined)));
    await client.request<Pod>(path, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'victim', labels: { app: 'victim' } }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1' }] } } });
    // Ready on its (kwok) node before anything is asked of it: kwok has no more status to write.
    await waitUntil(async () => !!(await client.request<Pod>(`${path}/victim`)).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const created = await client.request<Pod>(`${path}/victim`);
    const plan = planPodDelete(created);
    const dry = await runPlan(client, plan, { dryRun: true });
    assert.equal(dry.results.length, 1);
    assert.equal((await client.request<Pod>(`${path}/victim`)).metadata.uid, created.metadata.uid, 'the dry-run deleted nothing');
    // Its status moves after it was read (as a kubelet reports a probe): the delete still goes through, on the pod that was read.
    await client.patch(`${path}/victim/status`, { status: { conditions: [{ type: 'example.com/probed', status: 'True' }] } }, 'strategic');
    assert.notEqual((await client.request<Pod>(`${path}/victim`)).metadata.resourceVersion, created.metadata.resourceVersion);
    await runPlan(client, plan, { dryRun: false });
    await waitUntil(async () => (await client.request<Pod>(`${path}/victim`).catch((e: ClusterError) => e)) instanceof ClusterError);
    // A new pod of the same name: the old plan (the uid it read) must not delete it.
    await client.request<Pod>(path, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'victim' }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:2' }] } } });
    await assert.rejects(runPlan(client, plan, { dryRun: false }), (e: unknown) => e instanceof ClusterError && e.kind === 'conflict');
    const survivor = await client.request<Pod>(`${path}/victim`);
    assert.notEqual(survivor.metadata.uid, created.metadata.uid);
    assert.equal(survivor.metadata.deletionTimestamp, undefined, 'the replacement is not deleted');
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
