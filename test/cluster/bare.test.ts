// Cases the full local cluster cannot show, against a second, real kube-apiserver on the same etcd
// (cluster/bare.sh): no CRDs, so no Argo Rollouts; and no watch cache, so a watch resumed from a
// resourceVersion etcd has compacted is answered 410 Gone by etcd itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { ClusterError } from '../../src/kube/errors';
import { ClusterSession } from '../../src/kube/session';
import { RESOURCES, ResourceWatcher, resourcePath } from '../../src/kube/watcher';
import { bareServer, clusterPort, serviceNamesWatcher, withNamespace } from './support';

let bareKubeconfig = '';

before(() => {
  bareKubeconfig = bareServer('start');
});
after(() => {
  bareServer('stop');
});

function etcdUrl(path: string): string {
  return `http://127.0.0.1:${clusterPort('ETCD_PORT')}${path}`;
}

/** etcd's current revision, then a compaction of every older one (etcd's own v3 HTTP gateway). */
async function compactEtcd(): Promise<number> {
  const range = await fetch(etcdUrl('/v3/kv/range'), { method: 'POST', body: JSON.stringify({ key: Buffer.from('/registry-bare/').toString('base64') }) });
  const revision = Number(((await range.json()) as { header: { revision: string } }).header.revision);
  const compaction = await fetch(etcdUrl('/v3/kv/compaction'), { method: 'POST', body: JSON.stringify({ revision, physical: true }) });
  assert.equal(compaction.status, 200, await compaction.text());
  return revision;
}

const withBareNamespace = <T>(fn: (namespace: string, client: KubeClient) => Promise<T>) => withNamespace('bare', fn, new KubeClient(loadKubeConfig(bareKubeconfig)));

const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });

test('a watch resumed from a compacted resourceVersion gets 410 Gone, re-lists, and misses nothing', async () => {
  await withBareNamespace(async (ns, client) => {
    await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: service('before') });
    const names = new Set<string>();
    let changed = () => {};
    const watcher = new ResourceWatcher<{ metadata: { name: string } }>(
      client,
      RESOURCES.services,
      ns,
      {
        onReset: (items) => { names.clear(); items.forEach((i) => names.add(i.metadata.name)); changed(); },
        onUpsert: (i) => { names.add(i.metadata.name); changed(); },
        onDelete: (i) => { names.delete(i.metadata.name); changed(); },
        onError: () => {},
      },
      () => 1, // the server closes each watch after a second; the watcher resumes from its last version
    );
    const until = (what: string, ok: () => boolean, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: services ${[...names].join(', ')}, stats ${JSON.stringify(watcher.stats)}`)), ms);
        changed = () => ok() && (clearTimeout(timer), resolve());
        const poll = setInterval(() => ok() && (clearInterval(poll), clearTimeout(timer), resolve()), 100);
      });
    watcher.start();
    try {
      await until('the first list', () => names.has('before'));
      // Writes elsewhere move etcd past the watcher's version; then history up to there is compacted.
      const other = `${ns}-other`;
      await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: other } } });
      for (let i = 0; i < 5; i++) await client.request(`/api/v1/namespaces/${other}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } } });
      await client.request(`/api/v1/namespaces/${other}`, { method: 'DELETE' });
      const compactedAt = await compactEtcd();
      await until('a re-list after 410 Gone', () => watcher.stats.relistsAfterGone > 0);
      // The watch goes on from the fresh list: a Service created now arrives.
      await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: service('after') });
      await until('the Service created after the re-list', () => names.has('after') && names.has('before'));
      assert.ok(watcher.stats.lists >= 2, `listed again (compacted at revision ${compactedAt})`);
    } finally {
      watcher.dispose();
    }
  });
});

/** Moves etcd past the current revision with writes in a namespace of its own, then compacts its history. */
async function churnAndCompact(client: KubeClient, ns: string): Promise<number> {
  const other = `${ns}-churn`;
  await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: other } } });
  for (let i = 0; i < 3; i++) await client.request(`/api/v1/namespaces/${other}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } } });
  await client.request(`/api/v1/namespaces/${other}`, { method: 'DELETE' });
  return compactEtcd();
}

/** A watcher of the namespace's Services in pages of two, and the names it holds. */
const pagedServiceWatcher = (client: KubeClient, ns: string, onListPage: (itemsSoFar: number) => Promise<void> | void) => serviceNamesWatcher(client, ns, { onListPage, pageSize: 2 });

test('a list comes in pages (limit + continue) and holds every object', async () => {
  await withBareNamespace(async (ns, client) => {
    for (let i = 0; i < 5; i++) await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: service(`s${i}`) });
    const progress: number[] = [];
    const { watcher, names, firstList } = pagedServiceWatcher(client, ns, (n) => void progress.push(n));
    watcher.start();
    try {
      await firstList;
      assert.deepEqual([...names].sort(), ['s0', 's1', 's2', 's3', 's4']);
      assert.equal(watcher.stats.pages, 3, 'five Services in pages of two');
      assert.deepEqual(progress, [2, 4]);
      assert.equal(watcher.stats.listRestarts, 0);
    } finally {
      watcher.dispose();
    }
  });
});

test('a page whose continue token expired (etcd compacted in between) starts the list over, unpaged', async () => {
  await withBareNamespace(async (ns, client) => {
    for (let i = 0; i < 5; i++) await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: service(`s${i}`) });
    let compacted = false;
    const { watcher, names, firstList } = pagedServiceWatcher(client, ns, async () => {
      if (compacted) return;
      compacted = true;
      await churnAndCompact(client, ns);
    });
    watcher.start();
    try {
      await firstList;
      assert.equal(watcher.stats.listRestarts, 1, `started over once: ${JSON.stringify(watcher.stats)}`);
      // The next page is asked for from each page's head: the expired one is the second (asked before the compaction, answered after) or the third.
      assert.ok([3, 4].includes(watcher.stats.pages), `the first page, maybe the second, the expired one, one full list: ${JSON.stringify(watcher.stats)}`);
      assert.deepEqual([...names].sort(), ['s0', 's1', 's2', 's3', 's4'], 'nothing lost or duplicated');
    } finally {
      watcher.dispose();
    }
  });
});

test('a cluster without the Argo Rollouts or Flagger CRDs: discovery says missing, and a Rollout read is a clear not-found', async () => {
  const s = new ClusterSession({ kubeconfig: bareKubeconfig, coalesceMs: 5 });
  try {
    assert.equal(await s.checkArgo(), 'missing');
    assert.equal(s.argo, 'missing');
    assert.equal(await s.checkFlagger(), 'missing');
    assert.equal(s.flagger, 'missing');
    // Only the core kinds are watched then.
    const state = await s.watchNamespace('default', 'test');
    assert.deepEqual(state.watchers.map((w) => w.type.plural).sort(), ['deployments', 'endpointslices', 'pods', 'replicasets', 'services']);
  } finally {
    s.dispose();
  }
  const client = new KubeClient(loadKubeConfig(bareKubeconfig));
  await assert.rejects(client.request(resourcePath(RESOURCES.rollouts, 'default', 'checkout')), (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'notFound');
    return true;
  });
});
