// Issue 11: All namespaces as one watch per resource for the cluster, against the real API server.
// The objects of every namespace come through the cluster-wide watches to their namespace's view
// model, which equals the one per-namespace watches give; namespaces come and go with their objects.
// A real restricted user (a ServiceAccount with a token, bound by RBAC to some namespaces only) gets
// per-namespace watches on the namespaces it may read, and the words that say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession, type WorkloadsChange } from '../../src/kube/session';
import type { KubeClient } from '../../src/kube/client';
import { RESOURCES, resourcePath, type ResourceKey } from '../../src/kube/watcher';
import { adminClient, clusterAvailable, deploymentManifest, eventually, kubeconfigWithUser, session } from './support';

const skip = !clusterAvailable() && 'no local cluster';

async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
}

async function createDeployment(client: KubeClient, namespace: string, name: string, replicas = 1): Promise<void> {
  await client.request(resourcePath(RESOURCES.deployments, namespace), { method: 'POST', body: deploymentManifest(name, { app: name }, 'ghcr.io/acme/web:1.0.0', replicas) });
}

test('All namespaces: each object to its namespace, created and deleted across namespaces, a namespace deleted; the view equals per-namespace watches', { skip }, async () => {
  const client = adminClient();
  const prefix = `allns-${process.pid}-${Date.now().toString(36)}`;
  const names = [0, 1, 2, 3, 4, 5].map((i) => `${prefix}-${i}`);
  const late = `${prefix}-late`;
  let s: ClusterSession | undefined;
  let p: ClusterSession | undefined;
  try {
    for (const [i, ns] of names.entries()) {
      await createNamespace(client, ns);
      await createDeployment(client, ns, `web-${i}`, 2);
    }
    // A blue/green pair in one namespace (Deployments, a Service, its EndpointSlices), an Argo canary in another.
    for (const colour of ['blue', 'green']) await client.request(resourcePath(RESOURCES.deployments, names[1]), { method: 'POST', body: deploymentManifest(`shop-${colour}`, { app: 'shop', version: colour }, 'ghcr.io/acme/shop:1.0.0', 1) });
    await client.request(resourcePath(RESOURCES.services, names[1]), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    await client.request(resourcePath(RESOURCES.rollouts, names[2]), {
      method: 'POST',
      body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'cart' }, spec: { replicas: 1, selector: { matchLabels: { app: 'cart' } }, strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } }, template: { metadata: { labels: { app: 'cart' } }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:1.0.0' }] } } } },
    });

    s = session();
    const changes: WorkloadsChange[] = [];
    s.onDidChangeWorkloads((c) => changes.push(c));
    await s.watchAllNamespaces('test');
    assert.equal(await s.whenAllSynced(60_000), 'met');
    for (const ns of names) assert.ok(s.isWatching(ns), `${ns} is in the store by itself, from the cluster's watches`);

    // The same namespaces watched one by one, in another session: the views are the same.
    p = session();
    for (const ns of names) await p.watchNamespace(ns);
    for (const ns of names) await p.whenSynced(ns, 30_000);
    const same = () => names.every((ns) => JSON.stringify(s!.workloads(ns)) === JSON.stringify(p!.workloads(ns)));
    await eventually('the cluster watch\'s view of each namespace equals per-namespace watches', async () => same() || undefined, undefined, 90_000).catch((e) => {
      for (const ns of names) if (JSON.stringify(s!.workloads(ns)) !== JSON.stringify(p!.workloads(ns))) assert.deepEqual(s!.workloads(ns), p!.workloads(ns), `${ns}: ${e.message}`);
      throw e;
    });
    assert.deepEqual(s.workloads(names[1]).map((w) => w.kind).sort(), ['BlueGreen', 'Deployment']);
    assert.deepEqual(s.workloads(names[2]).map((w) => w.kind).sort(), ['Deployment', 'Rollout']);

    // A namespace made now, with a Deployment: it appears by itself, and a change names it and the workload.
    await createNamespace(client, late);
    await createDeployment(client, late, 'late');
    const [lateWorkload] = await eventually('the new namespace in the view', async () => (s!.workloads(late).length ? s!.workloads(late) : undefined));
    // The view is built when read; the change is told by the (sliced) flush that follows.
    await eventually('a change named the new namespace and its workload', async () => changes.some((c) => c.namespaces.includes(late) && c.workloadIds.includes(lateWorkload.id)) || undefined);

    // The only Deployment of a namespace deleted: its workload is named as gone, and the namespace goes with its last object (ReplicaSet, pods).
    const gone = s.workloads(names[3])[0];
    changes.length = 0;
    await client.request(`${resourcePath(RESOURCES.deployments, names[3])}/${gone.name}`, { method: 'DELETE', body: { propagationPolicy: 'Background' } });
    await eventually(`${names[3]} gone from the store with its last object`, async () => !s!.isWatching(names[3]) || undefined, undefined, 90_000);
    await eventually('a change named the deleted workload', async () => changes.some((c) => c.namespaces.includes(names[3]) && c.workloadIds.includes(gone.id)) || undefined);
    assert.deepEqual(s.workloads(names[3]), []);

    // A namespace deleted: its objects go, and it with them; the others stay as they were.
    await client.request(`/api/v1/namespaces/${names[4]}`, { method: 'DELETE' });
    await eventually(`${names[4]} gone from the store`, async () => !s!.isWatching(names[4]) || undefined, undefined, 120_000);
    assert.equal(s.workloads(names[0]).length, 1);
    assert.equal(s.workloads(names[5]).length, 1);
    assert.equal(s.watchMode().scope, 'cluster');
  } finally {
    s?.dispose();
    p?.dispose();
    for (const ns of [...names, late]) await client.request(`/api/v1/namespaces/${ns}`, { method: 'DELETE' }).catch(() => undefined);
  }
});

/** Get, list and watch of every kind the session watches (a namespace reader's role). */
const READER_RULES = Object.values(
  (Object.keys(RESOURCES) as ResourceKey[]).reduce<Record<string, { apiGroups: string[]; resources: string[]; verbs: string[] }>>((rules, key) => {
    const { group, plural } = RESOURCES[key];
    (rules[group] ??= { apiGroups: [group], resources: [], verbs: ['get', 'list', 'watch'] }).resources.push(plural);
    return rules;
  }, {}),
);

/** A kubeconfig of the local API server for a bearer token, its context pointing at `namespace`. */
const tokenKubeconfig = (token: string, namespace: string) => kubeconfigWithUser(`    token: "${token}"`, namespace);

test('All namespaces for a user who may read some namespaces only: watched one by one there, said in words; what it may watch cluster-wide is watched once', { skip }, async () => {
  const client = adminClient();
  const prefix = `allns-rbac-${process.pid}-${Date.now().toString(36)}`;
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => `${prefix}-${x}`);
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const sessions: ClusterSession[] = [];
  const open = (file: string) => {
    const s = new ClusterSession({ kubeconfig: file, coalesceMs: 5 });
    sessions.push(s);
    return s;
  };
  const clusterObjects: string[] = [];
  const make = async (path: string, body: Record<string, unknown>) => {
    await client.request(path, { method: 'POST', body });
    if (!path.includes('/namespaces/')) clusterObjects.push(`${path}/${(body.metadata as { name: string }).name}`);
  };
  try {
    for (const ns of [a, b, c, d]) {
      await createNamespace(client, ns);
      await createDeployment(client, ns, 'web');
    }
    const subject = { kind: 'ServiceAccount', name: 'reader', namespace: a };
    await client.request(`/api/v1/namespaces/${a}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } } });
    await make(`${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${prefix}-reader` }, rules: READER_RULES });
    await make(`${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${prefix}-namespaces` }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }] });
    await make(`${rbac}/clusterrolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${prefix}-namespaces` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${prefix}-namespaces` }, subjects: [subject] });
    for (const ns of [a, b, c]) await make(`${rbac}/namespaces/${ns}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${prefix}-reader` }, subjects: [subject] });
    const { status } = await client.request(`/api/v1/namespaces/${a}/serviceaccounts/reader/token`, { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } } });

    // Nothing cluster-wide: every kind in a, b and c one by one; d, where it may read nothing, not at all.
    const s = open(tokenKubeconfig(status.token, a));
    await s.watchAllNamespaces('tree');
    const mode = s.watchMode();
    assert.ok(mode.scope === 'cluster', JSON.stringify(mode));
    const kinds = mode.oneByOne?.resources ?? [];
    assert.deepEqual(mode.clusterWide, []);
    assert.deepEqual(mode.oneByOne, { resources: kinds, namespaces: [a, b, c], unlisted: false });
    assert.ok(kinds.length >= 5);
    assert.equal(mode.message, `You may not watch deployments.apps, replicasets.apps, pods and ${kinds.length - 3} more cluster-wide: watching 3 namespaces one by one (${a}, ${b}, ${c})`);
    assert.equal(await s.whenAllSynced(60_000), 'met');
    for (const ns of [a, b, c]) {
      assert.equal(s.workloads(ns).length, 1, `${ns}'s Deployment`);
      assert.deepEqual([...s.watchErrors(ns).values()].map((e) => e.message), [], `${ns} reads without errors`);
    }
    assert.equal(s.isWatching(d), false, 'no watch where the user may read nothing');
    assert.equal(mode.watches, 3 * kinds.length, 'one watch per kind in each of the three namespaces');

    // Deployments allowed cluster-wide: one watch for them (d's comes too), the rest one by one.
    await make(`${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${prefix}-deployments` }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'watch'] }] });
    await make(`${rbac}/clusterrolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${prefix}-deployments` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${prefix}-deployments` }, subjects: [subject] });
    const hybrid = open(tokenKubeconfig(status.token, a));
    await hybrid.watchAllNamespaces('tree');
    const hybridMode = hybrid.watchMode();
    assert.ok(hybridMode.scope === 'cluster');
    assert.deepEqual(hybridMode.clusterWide, ['deployments']);
    assert.deepEqual(hybridMode.oneByOne?.namespaces, [a, b, c]);
    assert.match(hybridMode.message!, new RegExp(`^You may not watch replicasets\\.apps, pods, services and \\d+ more cluster-wide: watching 3 namespaces one by one \\(${a}, ${b}, ${c}\\)$`));
    assert.equal(hybridMode.watches, 1 + 3 * (kinds.length - 1));
    assert.equal(await hybrid.whenAllSynced(60_000), 'met');
    await eventually(`${d}'s Deployment through the cluster-wide watch`, async () => (hybrid.workloads(d).length === 1 ? true : undefined));
    assert.equal(hybrid.workloads(a)[0]?.replicas.desired, 1);

    // Not even the namespaces list: the context's namespace only.
    await client.request(`${rbac}/clusterrolebindings/${prefix}-namespaces`, { method: 'DELETE' });
    const unlisted = open(tokenKubeconfig(status.token, b));
    await eventually('the namespaces list forbidden', async () => ((await unlisted.listNamespaces()).restricted ? true : undefined));
    await unlisted.watchAllNamespaces('tree');
    const unlistedMode = unlisted.watchMode();
    assert.ok(unlistedMode.scope === 'cluster');
    assert.deepEqual(unlistedMode.oneByOne?.namespaces, [b]);
    assert.match(unlistedMode.message!, new RegExp(`nor list namespaces: watching the context's namespace "${b}" only$`));
    assert.equal(await unlisted.whenAllSynced(60_000), 'met');
    assert.equal(unlisted.workloads(b).length, 1);
  } finally {
    sessions.forEach((s) => s.dispose());
    for (const path of clusterObjects) await client.request(path, { method: 'DELETE' }).catch(() => undefined);
    for (const ns of [a, b, c, d]) await client.request(`/api/v1/namespaces/${ns}`, { method: 'DELETE' }).catch(() => undefined);
  }
});
