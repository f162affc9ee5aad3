// The events of a workload, from the real controllers of the local cluster (issue 12, part 2): the
// deployment and ReplicaSet controllers and the scheduler write them, ClusterSession watches them only
// while someone shows them, and the API server itself says when that watch is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { workloadEvents, type EventView } from '../../src/domain/model/events';
import type { ClusterSession } from '../../src/kube/session';
import type { KubeClient } from '../../src/kube/client';
import { adminClient, deploymentManifest, session, withNamespace } from './support';

const deployments = (ns: string) => resourcePath(RESOURCES.deployments, ns);
const OWNER = 'events-test';

/** The merged events of workload `name`, once `predicate` holds for them (checked after every store change). */
async function eventsOf(s: ClusterSession, ns: string, name: string, predicate: (rows: EventView[]) => boolean, timeoutMs = 60_000): Promise<EventView[]> {
  const rows = () => {
    const w = s.workloads(ns).find((x) => x.name === name);
    return w ? workloadEvents(w, s.events(ns), s.snapshot(ns)) : [];
  };
  const outcome = await s.waitFor(ns, () => predicate(rows()), timeoutMs);
  assert.equal(outcome, 'met', `events of ${name}: ${JSON.stringify(rows().map((r) => [r.object.name, r.reason, r.count]))}`);
  return rows();
}

/** Watches of namespaced events the API server is serving now (its own gauge, every client counted). */
async function eventWatchesServed(client: KubeClient): Promise<number> {
  const metrics = await client.request<string>('/metrics', { info: { verb: 'get', resource: 'metrics' } });
  return String(metrics)
    .split('\n')
    .filter((l) => l.startsWith('apiserver_longrunning_requests{') && l.includes('resource="events"') && l.includes('verb="WATCH"') && l.includes('scope="namespace"'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const unique = (rows: EventView[]) => new Set(rows.map((r) => JSON.stringify([r.object, r.reason, r.message]))).size === rows.length;

test('a scaled Deployment and an unschedulable pod: the controllers\' and the scheduler\'s events, merged, watched only while shown', async () => {
  await withNamespace('events', async (ns, client) => {
    const s = session();
    try {
      const baseline = await eventWatchesServed(client);
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 1) });
      // The namespace is shown by someone else (the tree): letting go of the events leaves it watched.
      await s.watchNamespace(ns, 'tree');
      s.watchEvents(ns, OWNER);
      s.watchEvents(ns, 'second-viewer');
      assert.deepEqual(s.watchedEvents(), [ns], 'one watch, however many viewers');
      await client.patch(`${deployments(ns)}/web/scale`, { spec: { replicas: 3 } }, 'merge');
      const web = await eventsOf(s, ns, 'web', (rows) => ['ScalingReplicaSet', 'SuccessfulCreate'].every((r) => rows.some((x) => x.reason === r)) && rows.filter((x) => x.reason === 'Scheduled').length === 3);
      const kinds = Object.fromEntries(web.map((r) => [r.reason, r.object.kind]));
      assert.deepEqual([kinds.ScalingReplicaSet, kinds.SuccessfulCreate, kinds.Scheduled], ['Deployment', 'ReplicaSet', 'Pod']);
      assert.ok(web.some((r) => r.message === `Scaled up replica set ${web.find((x) => x.object.kind === 'ReplicaSet')!.object.name} from 1 to 3`), 'the scale from 1 to 3 is there');
      assert.equal(s.eventsState(ns)?.api, 'events.k8s.io');
      assert.ok(unique(web));

      // More CPU than any kwok node has: kube-scheduler's own FailedScheduling warning.
      const big = deploymentManifest('big', { app: 'big' }, 'ghcr.io/acme/big:1.0.0', 1);
      big.spec.template.spec.containers[0] = { ...big.spec.template.spec.containers[0], resources: { requests: { cpu: '5000' } } } as never;
      await client.request(deployments(ns), { method: 'POST', body: big });
      const failing = await eventsOf(s, ns, 'big', (rows) => rows.some((r) => r.reason === 'FailedScheduling'));
      const warning = failing.find((r) => r.reason === 'FailedScheduling')!;
      assert.equal(warning.warning, true);
      assert.equal(warning.object.kind, 'Pod');
      assert.match(warning.message, /Insufficient cpu/);
      assert.equal(warning.source, 'default-scheduler');
      assert.ok(failing.every((r) => r.object.name.startsWith('big')), 'only big\'s objects');

      // The same event from a second reporting instance (a controller's replica, say): one row, counts added.
      const pod = warning.object.name;
      const podUid = s.snapshot(ns).pods.find((p) => p.metadata.name === pod)!.metadata.uid;
      for (const [i, count] of [[1, 4], [2, 5]]) {
        await client.request(resourcePath({ plural: 'events', group: '', version: 'v1' }, ns), {
          method: 'POST',
          body: { apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod}.retry${i}` }, involvedObject: { kind: 'Pod', name: pod, namespace: ns, uid: podUid }, reason: 'BackOff', message: 'Back-off pulling image "ghcr.io/acme/big:1.0.0"', type: 'Warning', count, firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), source: { component: 'kubelet', host: `kwok-node-${i}` } },
        });
      }
      const merged = await eventsOf(s, ns, 'big', (rows) => rows.some((r) => r.reason === 'BackOff' && r.count === 9));
      assert.equal(merged.filter((r) => r.reason === 'BackOff').length, 1);
      assert.ok(unique(merged));

      // The API server serves one events watch for this namespace while it is shown…
      assert.equal(await eventWatchesServed(client), baseline + 1);
      s.release(OWNER);
      assert.deepEqual(s.watchedEvents(), [ns], 'the second viewer still holds it');
      const watcher = s.eventsState(ns)!.watcher;
      s.unwatchEvents(ns, 'second-viewer');
      // …and none once the last viewer let go: no watcher in the store, none on the server.
      assert.deepEqual(s.watchedEvents(), []);
      assert.equal(s.eventsState(ns), undefined);
      assert.deepEqual(s.events(ns), []);
      await until('the API server to close the events watch', async () => (await eventWatchesServed(client)) === baseline);
      const seen = watcher.stats.events;
      await client.patch(`${deployments(ns)}/web/scale`, { spec: { replicas: 1 } }, 'merge');
      await s.waitFor(ns, () => s.workloads(ns).find((w) => w.name === 'web')?.replicas.desired === 1, 30_000);
      assert.equal(watcher.stats.events, seen, 'the stopped watcher heard nothing more');
    } finally {
      s.dispose();
    }
  });
});

test('a user who may read core events but not events.k8s.io gets the same events through the core API', async () => {
  await withNamespace('events-core', async (ns, client) => {
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
    await client.request(`${rbac}/roles`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'core-events' }, rules: [{ apiGroups: [''], resources: ['events', 'pods'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] }] } });
    await client.request(`${rbac}/rolebindings`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'core-events' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'core-events' }, subjects: [{ kind: 'User', name: 'limited', apiGroup: 'rbac.authorization.k8s.io' }] } });
    await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 2) });
    const s = session('switchyard-limited');
    try {
      await s.watchNamespace(ns, OWNER);
      s.watchEvents(ns, OWNER);
      const rows = await eventsOf(s, ns, 'web', (r) => r.some((x) => x.reason === 'ScalingReplicaSet') && r.filter((x) => x.reason === 'Scheduled').length === 2);
      assert.equal(s.eventsState(ns)?.api, 'core');
      assert.equal(s.eventsState(ns)?.error, undefined, 'the fallback is not reported as a problem');
      assert.ok(unique(rows));
    } finally {
      s.dispose();
      await adminClient().request(`${rbac}/rolebindings/core-events`, { method: 'DELETE' }).catch(() => undefined);
    }
  });
});
