// Cluster benchmarks against the local control plane. Every figure has a baseline from the same run:
// - write -> view model: against the same write seen as a raw watch event (client-node Watch);
// - initial load of 200 workloads: against a bare list of the same Deployments;
// - blue/green switch and rollback: against kubectl (built from the same Kubernetes version).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import { runPlan } from '../src/kube/actions';
import { ClusterSession } from '../src/kube/session';
import { RESOURCES, resourcePath } from '../src/kube/watcher';
import { planBlueGreenSwitch, planDeploymentRollback } from '../src/domain/actions/plans';
import type { WorkloadView } from '../src/domain/model/workloads';
import { adminClient, deploymentManifest, kubeconfig, waitForWorkloads, withNamespace } from '../test/cluster/support';

const kubectl = process.env.SWITCHYARD_KUBECTL!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (n: number) => Math.round(n * 10) / 10;
const stats = (xs: number[]) => ({ n: xs.length, p50: round(pct(xs, 50)), p99: round(pct(xs, 99)), max: round(Math.max(...xs)) });

async function writeToViewModel(samples: number) {
  return withNamespace('bench-lat', async (ns, client) => {
    const s = new ClusterSession({ kubeconfig, coalesceMs: 0 });
    const raw = new Watch(client.config);
    let rawSeen: ((o: any) => void) | undefined;
    try {
      await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('lat', { app: 'lat' }, 'ghcr.io/acme/lat:1', 0) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws.length === 1);
      const abort = await raw.watch(resourcePath(RESOURCES.deployments, ns), {}, (_t, o) => rawSeen?.(o), () => undefined);
      const model: number[] = [];
      const watchEvent: number[] = [];
      for (let i = 1; i <= samples; i++) {
        const replicas = i % 2; // 0 <-> 1: the view model shows desired replicas
        const viewed = new Promise<number>((resolve) => {
          const subscription = s.onDidChangeWorkloads(() => {
            const w = s.workloads(ns)[0];
            if (w?.replicas.desired === replicas) {
              subscription.dispose();
              resolve(performance.now());
            }
          });
        });
        const rawArrived = new Promise<number>((resolve) => (rawSeen = (o) => o?.spec?.replicas === replicas && resolve(performance.now())));
        const t0 = performance.now();
        await client.patch(`${resourcePath(RESOURCES.deployments, ns)}/lat`, { spec: { replicas } }, 'merge');
        const [tv, tr] = await Promise.all([viewed, rawArrived]);
        model.push(tv - t0);
        watchEvent.push(tr - t0);
      }
      abort.abort();
      return { viewModel: stats(model), rawWatchEvent: stats(watchEvent), p99Ratio: round(pct(model, 99) / pct(watchEvent, 99)) };
    } finally {
      s.dispose();
    }
  });
}

async function initialLoad(count: number) {
  return withNamespace('bench-load', async (ns, client) => {
    const path = resourcePath(RESOURCES.deployments, ns);
    for (let i = 0; i < count; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => client.request(path, { method: 'POST', body: deploymentManifest(`app-${i + k}`, { app: `app-${i + k}` }, `ghcr.io/acme/app:${i + k}`, 1) })));
    }
    // Let the controllers create the ReplicaSets and pods first: the load then covers every kind.
    const probe = new ClusterSession({ kubeconfig, coalesceMs: 0 });
    await probe.watchNamespace(ns);
    await waitForWorkloads(probe, ns, (ws) => ws.length === count && ws.every((w) => w.health === 'Healthy'), 300_000);
    probe.dispose();
    const t0 = performance.now();
    await client.request(path);
    const bareList = performance.now() - t0;
    (globalThis as { gc?: () => void }).gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const s = new ClusterSession({ kubeconfig, coalesceMs: 0 });
    const t1 = performance.now();
    await s.watchNamespace(ns);
    let ws: WorkloadView[] = [];
    ws = await waitForWorkloads(s, ns, (x) => s.isSynced(ns) && x.length === count, 120_000);
    const load = performance.now() - t1;
    (globalThis as { gc?: () => void }).gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const objects = Object.values(s.snapshot(ns)).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
    s.dispose();
    return { workloads: ws.length, objects, loadMs: round(load), bareDeploymentListMs: round(bareList), ratio: round(load / bareList), storeHeapMB: round((heapAfter - heapBefore) / 2 ** 20) };
  });
}

async function switchVersusKubectl(rounds: number) {
  return withNamespace('bench-switch', async (ns, client) => {
    for (const colour of ['blue', 'green']) await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest(`shop-${colour}`, { app: 'shop', version: colour }, `ghcr.io/acme/shop:${colour}`, 2) });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: ns }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80, targetPort: 8080 }] } };
    await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: svc });
    const s = new ClusterSession({ kubeconfig, coalesceMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
    const ours = { api: [] as number[], endpoints: [] as number[] };
    const theirs = { api: [] as number[], endpoints: [] as number[] };
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => !!ws[0]?.blueGreen?.idleReady && ws[0].blueGreen.endpointsColours.join() === 'blue', 120_000);
      let live = 'blue';
      for (let i = 0; i < rounds; i++) {
        const target = live === 'blue' ? 'green' : 'blue';
        const endpoints = () => waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.endpointsColours.join() === target, 60_000).then(() => performance.now());
        if (i % 2 === 0) {
          const t0 = performance.now();
          const view = s.workloads(ns)[0];
          const service = await client.request(`${resourcePath(RESOURCES.services, ns)}/shop`);
          await runPlan(client, planBlueGreenSwitch(service, view, target), { dryRun: false });
          ours.api.push(performance.now() - t0);
          ours.endpoints.push((await endpoints()) - t0);
        } else {
          const file = join(dir, `svc-${i}.json`);
          writeFileSync(file, JSON.stringify({ ...svc, spec: { ...svc.spec, selector: { app: 'shop', version: target } } }));
          const t0 = performance.now();
          execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '-f', file], { stdio: 'ignore' });
          theirs.api.push(performance.now() - t0);
          theirs.endpoints.push((await endpoints()) - t0);
        }
        live = target;
      }
      return { switchyard: { apiConfirmed: stats(ours.api), endpointsUpdated: stats(ours.endpoints) }, kubectlApply: { apiConfirmed: stats(theirs.api), endpointsUpdated: stats(theirs.endpoints) }, apiP50Ratio: round(pct(ours.api, 50) / pct(theirs.api, 50)) };
    } finally {
      s.dispose();
    }
  });
}

async function rollbackVersusKubectl(rounds: number) {
  return withNamespace('bench-undo', async (ns, client) => {
    const path = resourcePath(RESOURCES.deployments, ns);
    await client.request(path, { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1', 1) });
    const s = new ClusterSession({ kubeconfig, coalesceMs: 0 });
    const ours: number[] = [];
    const theirs: number[] = [];
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
      await client.patch(`${path}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/web:2' }] } } } }, 'strategic');
      for (let i = 0; i < rounds; i++) {
        await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
        const t0 = performance.now();
        if (i % 2 === 0) {
          const d = await client.request(`${path}/web`);
          const rs = (await client.request(resourcePath(RESOURCES.replicaSets, ns))).items;
          await runPlan(client, planDeploymentRollback(d, rs), { dryRun: false });
          ours.push(performance.now() - t0);
        } else {
          execFileSync(kubectl, ['--kubeconfig', kubeconfig, '-n', ns, 'rollout', 'undo', 'deployment/web'], { stdio: 'ignore' });
          theirs.push(performance.now() - t0);
        }
      }
      return { switchyard: stats(ours), kubectlRolloutUndo: stats(theirs), p50Ratio: round(pct(ours, 50) / pct(theirs, 50)) };
    } finally {
      s.dispose();
    }
  });
}

async function main() {
  void adminClient;
  const result = {
    writeToViewModel: await writeToViewModel(Number(process.env.SWITCHYARD_BENCH_WRITES ?? 200)),
    initialLoad200: await initialLoad(200),
    switchVersusKubectlApply: await switchVersusKubectl(10),
    rollbackVersusKubectlUndo: await rollbackVersusKubectl(10),
  };
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
