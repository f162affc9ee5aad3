// Golden-signal cost (issue 13's Figures), against the local cluster's real Prometheus behind a
// counting proxy (every HTTP request Switchyard sends to Prometheus is counted):
// - 2,000 workloads in the store and a real namespace watched, no details panel open: everything
//   that runs per workload without a panel (view model, verdict, attention, the tree's signals
//   line) for two refresh intervals → requests counted;
// - one panel open on a real replica canary: the panel sampler (src/features/panels/signals.ts, the
//   code the extension runs) for several refreshes → queries per refresh, time per refresh, the
//   interval between refreshes;
// - the panel closed: requests counted after it stopped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkloads } from '../src/domain/model/workloads';
import { releaseVerdict } from '../src/domain/release/verdict';
import { attentionOf } from '../src/domain/release/attention';
import { REFRESH_SECONDS, SCRAPE_INTERVAL_SECONDS, signalsLine, type GoldenSignals } from '../src/domain/metrics/signals';
import * as signalsModule from '../src/kube/goldenSignals';
import { PanelSignals } from '../src/features/panels/signals';
import { SETTING_DEFAULTS, type SettingKey } from '../src/settings';
import type { ClusterController } from '../src/features/session/controller';
import { clusterPort, deploymentManifest, session, waitForWorkloads, withNamespace } from '../test/cluster/support';
import { namespaceOf } from './support';

const round = (n: number) => Math.round(n * 10) / 10;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A proxy in front of Prometheus that counts what reaches it. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; server: Server }> {
  let count = 0;
  const server = createServer(async (req, res) => {
    count++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = await fetch(target + req.url, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' }, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => count, server };
}

async function main() {
  const proxy = await countingProxy(clusterPort('PROMETHEUS_URL'));
  const values: Partial<Record<SettingKey, unknown>> = { 'prometheus.url': { '*': proxy.url } };
  const result = await withNamespace('bench-golden', async (namespace, client) => {
    const post = (path: string, body: unknown) => client.request(`/apis/apps/v1/namespaces/${namespace}/${path}`, { method: 'POST', body });
    await post('deployments', deploymentManifest('shop-stable', { app: 'shop', track: 'stable' }, 'ghcr.io/example/shop:1.0.0', 3));
    await post('deployments', deploymentManifest('shop-canary', { app: 'shop', track: 'canary' }, 'ghcr.io/example/shop:1.1.0-bad', 1));
    await client.request(`/api/v1/namespaces/${namespace}/services`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] } } });
    const s = session();
    try {
      await s.watchNamespace(namespace, 'bench');
      await waitForWorkloads(s, namespace, (ws) => ws.some((w) => w.kind === 'ReplicaCanary' && w.replicas.ready === 4));
      const controller = {
        current: () => s,
        settings: { get: (key: SettingKey) => values[key] ?? SETTING_DEFAULTS[key] },
        log: { error: (m: string) => console.error(m) },
      } as unknown as Pick<ClusterController, 'current' | 'settings' | 'log'>;

      // 1. No panel open: 2,000 workloads in the store, every per-workload path of the tree, two refresh intervals.
      const store = buildWorkloads(namespaceOf(2000));
      const idleStart = proxy.count();
      const idleUntil = Date.now() + 2 * REFRESH_SECONDS * 1000;
      let passes = 0;
      while (Date.now() < idleUntil) {
        for (const w of store) {
          releaseVerdict(w, Date.now());
          attentionOf(w);
          signalsLine(undefined);
        }
        passes++;
        await sleep(1000);
      }
      const idleRequests = proxy.count() - idleStart;

      // 2. One panel open (visible): the extension's sampler, several refreshes.
      const refreshes: { at: number; signals: GoldenSignals; requests: number }[] = [];
      const panel = new PanelSignals(controller, () => s.workloads(namespace).find((w) => w.kind === 'ReplicaCanary'), (signals) => signals && refreshes.push({ at: Date.now(), signals, requests: proxy.count() }), () => signalsModule);
      const openStart = proxy.count();
      panel.start();
      const wanted = Number(process.env.SWITCHYARD_BENCH_REFRESHES ?? 6);
      while (refreshes.length < wanted) await sleep(200);
      panel.stop();
      const perRefresh = refreshes.map((r, i) => r.requests - (i ? refreshes[i - 1].requests : openStart));
      const intervals = refreshes.slice(1).map((r, i) => (r.at - refreshes[i].at) / 1000);
      const took = refreshes.map((r) => r.signals.tookMs ?? 0);

      // 3. The panel closed: nothing more.
      const closedStart = proxy.count();
      await sleep(2 * REFRESH_SECONDS * 1000);
      const closedRequests = proxy.count() - closedStart;
      panel.dispose();
      const last = refreshes[refreshes.length - 1].signals;
      return {
        idle: { workloads: store.length, seconds: 2 * REFRESH_SECONDS, passes, requests: idleRequests },
        open: {
          refreshes: refreshes.length,
          queriesPerRefresh: { min: Math.min(...perRefresh), max: Math.max(...perRefresh) },
          reportedQueries: last.queries,
          refreshMs: { p50: round(pct(took, 50)), max: round(Math.max(...took)) },
          intervalSeconds: { min: round(Math.min(...intervals)), max: round(Math.max(...intervals)) },
          refreshSetting: REFRESH_SECONDS,
          scrapeInterval: SCRAPE_INTERVAL_SECONDS,
          stepSeconds: last.stepSeconds,
          points: last.sides.map((x) => x.series.requests.length),
          comparison: last.comparison?.text,
        },
        closed: { seconds: 2 * REFRESH_SECONDS, requests: closedRequests },
      };
    } finally {
      s.dispose();
    }
  });
  proxy.server.close();
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
