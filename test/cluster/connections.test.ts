// Connections to the real API server are kept and reused (src/kube/transport.ts): the pages of a
// list and the read before a write go over one TLS connection, not a handshake each; an API server
// restarted under a client leaves no request failing on the dead kept connection; a rotated client
// certificate (an exec plugin's) is sent on a new connection, so the server sees the new identity;
// a session's watches are streams of one HTTP/2 connection, and go over HTTP/1.1 through a proxy that
// speaks nothing else; a disposed session leaves no connection open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { adminClient, clientWithUser, clusterAvailable, component, deploymentManifest, eventually, kubeconfig, serviceNamesWatcher, session, waitForWorkloads, withNamespace } from './support';

const skip = !clusterAvailable() && 'no local cluster';

test('a list of several pages, a read and a patch go over one connection; a disposed session closes its connections', { skip }, async () => {
  await withNamespace('conn', async (ns, admin) => {
    const path = resourcePath(RESOURCES.deployments, ns);
    for (const name of ['a', 'b', 'c']) await admin.request(path, { method: 'POST', body: deploymentManifest(name, { app: name }, 'ghcr.io/acme/app:1', 0) });
    const client = adminClient();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.request(path, { query: { limit: 1, continue: token } });
      token = page.metadata.continue || undefined;
      pages++;
    } while (token);
    const d = await client.request(`${path}/a`);
    await client.patch(`${path}/a`, [{ op: 'test', path: '/metadata/resourceVersion', value: d.metadata.resourceVersion }, { op: 'replace', path: '/spec/replicas', value: 1 }], 'json');
    assert.equal(pages, 3);
    assert.deepEqual(client.connectionStats, { requests: 5, connections: 1, retries: 0, deferred: 0, streams: 0, streamConnections: 0, http1Streams: 0 }, 'five requests, one TLS connection');
    client.dispose();
    assert.equal(client.openConnections(), 0);

    const s = session();
    await s.watchNamespace(ns);
    await waitForWorkloads(s, ns, (ws) => s.isSynced(ns) && ws.length === 3);
    // Every watch is a stream of one HTTP/2 connection (the API server speaks HTTP/2), as client-go's are.
    await eventually('every watch under way', async () => s.client.connectionStats.streams, (streams) => streams >= s.watchMode().watches);
    const { requests, connections, streams, streamConnections } = s.client.connectionStats;
    assert.ok(streams >= 5, `${streams} watch streams`);
    assert.equal(streamConnections, 1, `${streams} watches over ${streamConnections} HTTP/2 connections`);
    // The lists start together (one connection each at most); discovery and later requests reuse them.
    assert.ok(connections < requests, `${connections} connections for ${requests} requests`);
    assert.ok(s.client.openConnections() > 0);
    s.dispose();
    assert.equal(s.client.openConnections(), 0, 'the session’s connections close with it');
  });
});

test('the API server restarted under a client: the next request succeeds on a new connection, not failing on the dead one', { skip, timeout: 300_000 }, async () => {
  const client = adminClient();
  await client.request('/api/v1/namespaces/default');
  assert.equal(client.openConnections(), 1, 'one kept connection');
  // execFileSync blocks this process's event loop for the whole restart: the server's close of the
  // kept connection is not taken in before the next request picks that connection from the pool.
  component('restart', 'kube-apiserver');
  const ns = await client.request('/api/v1/namespaces/default');
  assert.equal(ns.metadata.name, 'default');
  assert.equal(client.connectionStats.connections, 2, 'a new connection after the restart');
  client.dispose();
  // The cluster as it was for the tests after this one: the controller manager's watches were
  // refused for a moment by the new server (RBAC not loaded yet) and back off; wait until it acts again.
  await withNamespace('conn-after', async (ns, admin) => {
    await admin.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('probe', { app: 'probe' }, 'ghcr.io/acme/probe:1', 1) });
    await eventually('the controller manager makes a ReplicaSet again', async () => (await admin.request(resourcePath(RESOURCES.replicaSets, ns))).items.length || undefined, undefined, 150_000);
  });
});

test('an exec plugin’s rotated client certificate goes over a new connection: the server sees the new user', { skip }, async () => {
  const pki = join(dirname(kubeconfig), 'pki');
  const dir = mkdtempSync(join(tmpdir(), 'sy-rotate-'));
  const credential = join(dir, 'credential.json');
  const issue = (user: string) => {
    const key = join(dir, `${user}.key`);
    const cert = join(dir, `${user}.crt`);
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=${user}`, '-out', join(dir, `${user}.csr`)], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, `${user}.csr`), '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '1', '-out', cert], { stdio: 'ignore' });
    // No expirationTimestamp: client-node runs the plugin again for every request, as after an expiry.
    writeFileSync(credential, JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: readFileSync(cert, 'utf8'), clientKeyData: readFileSync(key, 'utf8') } }));
  };
  const client = clientWithUser(`    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: cat
      args: [${JSON.stringify(credential)}]
      interactiveMode: Never`);
  const whoami = async () => (await client.request('/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } })).status.userInfo.username;
  try {
    issue('sy-rotate-first');
    assert.equal(await whoami(), 'sy-rotate-first');
    assert.equal(await whoami(), 'sy-rotate-first');
    assert.equal(client.connectionStats.connections, 1, 'the same certificate: the same connection');
    issue('sy-rotate-second');
    assert.equal(await whoami(), 'sy-rotate-second', 'the rotated certificate is the one the server sees');
    assert.equal(client.connectionStats.connections, 2);
  } finally {
    client.dispose();
  }
});

test('through a TLS proxy that speaks HTTP/1.1 only, watches go over HTTP/1.1 and still see every change', { skip }, async () => {
  // A TLS-terminating proxy (the API server's own certificate, so the cluster's CA accepts it) that
  // offers only http/1.1 in its ALPN and relays the bytes to the API server, as many corporate proxies do.
  const pki = join(dirname(kubeconfig), 'pki');
  const config = loadKubeConfig(kubeconfig);
  const cluster = config.getCurrentCluster()!;
  const upstream = new URL(cluster.server);
  const proxy = createTlsServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')), ALPNProtocols: ['http/1.1'] }, (downstream) => {
    const up = tlsConnect({ host: upstream.hostname, port: Number(upstream.port), ca: readFileSync(join(pki, 'ca.crt')), ALPNProtocols: ['http/1.1'] });
    downstream.pipe(up).pipe(downstream);
    const close = () => (downstream.destroy(), up.destroy());
    downstream.on('error', close).on('close', close);
    up.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  config.clusters = config.clusters.map((c) => (c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}` } : c));
  const proxied = new KubeClient(config);
  try {
    await withNamespace('conn-h1', async (ns, admin) => {
      const { watcher, names, firstList } = serviceNamesWatcher(proxied, ns);
      watcher.start();
      try {
        await firstList;
        await eventually('the watch open', async () => (watcher.stats.watches > 0 ? true : undefined), undefined, 10_000);
        await admin.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'seen' }, spec: { selector: { app: 'seen' }, ports: [{ port: 80 }] } } });
        await eventually('the new Service seen through the watch', async () => (names.has('seen') ? true : undefined), undefined, 15_000);
      } finally {
        watcher.dispose();
      }
    });
    const stats = proxied.connectionStats;
    assert.ok(stats.http1Streams >= 1, `the watch went over HTTP/1.1: ${JSON.stringify(stats)}`);
    assert.equal(stats.streamConnections, 1, 'one HTTP/2 attempt, then none: the proxy said http/1.1');
  } finally {
    proxied.dispose();
    proxy.close();
  }
});
