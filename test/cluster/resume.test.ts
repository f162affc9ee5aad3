// A watch broken by the network, not by the server: the client reaches the local API server through
// a TCP relay in this test, which can cut every connection it carries (as a proxy, a NAT or a load
// balancer does). The first cut of an open watch is resumed at once and told to nobody; a second
// one soon after is told (the view says the cluster is unreachable) and then cleared. Nothing is
// lost either way: objects made while the watch was cut come in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { eventually, kubeconfig, serviceNamesWatcher, withNamespace } from './support';

/** A TCP relay to `host:port` on 127.0.0.1 that can cut every connection it carries (it keeps listening). */
async function tcpRelay(host: string, port: number) {
  const open = new Set<Socket>();
  const server = createServer((downstream) => {
    const upstream = connect(port, host);
    for (const s of [downstream, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Resets every carried connection (RST, as a dropped NAT entry does). */
    cut: () => {
      for (const s of open) s.resetAndDestroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}

const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });

test('an open watch cut by the network resumes at once, untold; a second cut soon after is told, then cleared; nothing is lost', async () => {
  const config = loadKubeConfig(kubeconfig);
  const cluster = config.getCurrentCluster()!;
  const upstream = new URL(cluster.server);
  const relay = await tcpRelay(upstream.hostname, Number(upstream.port));
  config.clusters = config.clusters.map((c) => (c.name === cluster.name ? { ...c, server: `https://${upstream.hostname}:${relay.port}` } : c));
  const relayed = new KubeClient(config);
  try {
    await withNamespace('resume', async (ns, client) => {
      const told: (string | undefined)[] = [];
      const { watcher, names, firstList } = serviceNamesWatcher(relayed, ns, { onError: (e) => void told.push(e?.kind) });
      watcher.start();
      try {
        await firstList;
        const watching = () => eventually('the watch open', async () => (watcher.stats.watches > 0 && told.at(-1) === undefined ? true : undefined), undefined, 10_000);
        await watching();
        const createAndSee = async (name: string) => {
          await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: service(name) });
          await eventually(`${name} seen`, async () => (names.has(name) ? true : undefined), undefined, 15_000);
        };
        await createAndSee('before');
        const toldBefore = told.filter((k) => k !== undefined).length;

        relay.cut();
        await createAndSee('after-first-cut');
        assert.equal(watcher.stats.quietResumes, 1, JSON.stringify(watcher.stats));
        assert.deepEqual(told.filter((k) => k !== undefined).slice(toldBefore), [], 'the first cut told nobody');
        assert.equal(watcher.stats.listed, 1, 'resumed from its version, not listed again');

        relay.cut();
        await createAndSee('after-second-cut');
        const afterSecond = told.slice(told.findIndex((k, i) => i >= toldBefore && k !== undefined));
        assert.ok(afterSecond.length >= 2 && afterSecond[0] !== undefined, `the second cut is told: ${JSON.stringify(told)}`);
        assert.equal(afterSecond.at(-1), undefined, `then cleared: ${JSON.stringify(told)}`);
        assert.equal(watcher.stats.quietResumes, 1, 'one quiet resume per 30 s');
        assert.deepEqual([...names].sort(), ['after-first-cut', 'after-second-cut', 'before']);
      } finally {
        watcher.dispose();
      }
    });
  } finally {
    relayed.dispose();
    await relay.close();
  }
});
