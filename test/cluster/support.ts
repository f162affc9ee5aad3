// Shared helpers for tests against the real local control plane (cluster/up.sh). No mocks: every
// request goes to a real kube-apiserver with real controllers, kwok and the Argo Rollouts controller.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { ClusterSession } from '../../src/kube/session';
import type { ClusterError } from '../../src/kube/errors';
import { RESOURCES, ResourceWatcher, type WatcherEvents } from '../../src/kube/watcher';
import type { WorkloadView } from '../../src/domain/model/workloads';

/** The checkout: the folder above this bundle that holds cluster/ (out/cluster for this tier, .work/host-suite for the host tests). */
export const repoRoot = ((dir: string): string => {
  for (let d = dir; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'cluster', 'component.sh'))) return d;
  return join(dir, '..', '..');
})(__dirname);
export const kubeconfig = process.env.SWITCHYARD_KUBECONFIG ?? join(repoRoot, '.work', 'cluster', 'kubeconfig');
/** The local cluster's folder (ports.env, pki/), as cluster/lib/common.sh names it. */
export const clusterDir = process.env.SWITCHYARD_CLUSTER_DIR ?? join(repoRoot, '.work', 'cluster');

/**
 * Starts (returning its kubeconfig) or stops the second, CRD-less API server of cluster/bare.sh.
 * `env` reaches the script (SWITCHYARD_BARE_AUTH_CONFIG); a start first stops one already running,
 * so it always runs with this `env`.
 */
export function bareServer(action: 'start' | 'stop', env: Record<string, string> = {}): string {
  const script = join(repoRoot, 'cluster', 'bare.sh');
  if (action === 'start') execFileSync('bash', [script, 'stop'], { stdio: 'ignore' });
  return execFileSync('bash', [script, action], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** A value of the local cluster's ports.env (cluster/lib/cluster.sh writes it), e.g. PROMETHEUS_URL. */
export function clusterPort(name: string): string {
  const value = new RegExp(`^${name}=(.+)$`, 'm').exec(readFileSync(join(clusterDir, 'ports.env'), 'utf8'))?.[1];
  if (!value) throw new Error(`${join(clusterDir, 'ports.env')} has no ${name}: start the cluster with this worktree's cluster/up.sh`);
  return value;
}

export function clusterAvailable(): boolean {
  return existsSync(kubeconfig);
}

export function adminClient(context?: string): KubeClient {
  return new KubeClient(loadKubeConfig(kubeconfig, context));
}

/**
 * A kubeconfig file of the local cluster for the user `user` (the YAML lines of a kubeconfig user,
 * indented by four), its context pointing at `namespace` when given.
 */
export function kubeconfigWithUser(user: string, namespace?: string): string {
  const cluster = loadKubeConfig(kubeconfig).getCurrentCluster()!;
  const file = join(mkdtempSync(join(tmpdir(), 'sy-user-')), 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "${cluster.server}", certificate-authority-data: "${readFileSync(join(clusterDir, 'pki', 'ca.crt')).toString('base64')}"}}]
contexts: [{name: local, context: {cluster: local, user: me${namespace ? `, namespace: ${namespace}` : ''}}}]
current-context: local
users:
- name: me
  user:
${user}
`,
  );
  return file;
}

/** A client of the local cluster as the user `user` (the YAML lines of a kubeconfig user, indented by four) authenticates. */
export function clientWithUser(user: string): KubeClient {
  return new KubeClient(loadKubeConfig(kubeconfigWithUser(user)));
}

let counter = 0;
/** A fresh namespace per test (on the local cluster unless another client is given), deleted afterwards. */
export async function withNamespace<T>(prefix: string, fn: (namespace: string, client: KubeClient) => Promise<T>, client: KubeClient = adminClient()): Promise<T> {
  const namespace = `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  try {
    return await fn(namespace, client);
  } finally {
    await client.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' }).catch(() => undefined);
  }
}

export function session(context?: string): ClusterSession {
  return new ClusterSession({ kubeconfig, context, coalesceMs: 5 });
}

/**
 * Resolves with the first view-model state for which `predicate` holds, checking after every
 * change the store reports; rejects after `timeoutMs` with the last state seen.
 */
export function waitForWorkloads(s: ClusterSession, namespace: string, predicate: (ws: WorkloadView[]) => boolean, timeoutMs = 60_000, observe?: (ws: WorkloadView[]) => void): Promise<WorkloadView[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ws = s.workloads(namespace);
      observe?.(ws);
      if (predicate(ws)) {
        cleanup();
        resolve(ws);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out; last state: ${JSON.stringify(s.workloads(namespace).map((w) => [w.id, w.health, w.description, w.message]))}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    const subscription = s.onDidChangeWorkloads((change) => change.namespaces.includes(namespace) && check());
    check();
  });
}

/**
 * The sum of the API server's own metric lines (its /metrics) that start with `metric{` and carry
 * every one of `labels` (e.g. `verb="WATCH"`): open watches, requests served since it started.
 */
export async function apiServerMetric(metric: string, labels: string[], client: KubeClient = adminClient()): Promise<number> {
  const text = await client.request<string>('/metrics', { text: true });
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${metric}{`) && labels.every((l) => line.includes(l))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

export function component(action: 'restart' | 'stop' | 'start', name: string): void {
  execFileSync('bash', [join(repoRoot, 'cluster', 'component.sh'), action, name], { stdio: 'inherit' });
}

export function deploymentManifest(name: string, labels: Record<string, string>, image: string, replicas = 3, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image, readinessProbe: { tcpSocket: { port: 8080 } } }] } },
      ...extra,
    },
  };
}

/**
 * Polls `probe` until it returns a value (not undefined) that `accept` takes, or fails naming the
 * last value or error seen. (Rates need two scrapes of every pod: the first answers can be partial.)
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, accept: (value: T) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      last = value;
      if (value !== undefined && accept(value)) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The names of the Ready pods of `app` once there are `count` of them. */
export async function readyPods(client: KubeClient, namespace: string, app: string, count: number): Promise<string[]> {
  return eventually(`${count} Ready pods of ${app}`, async () => {
    const list = await client.request(`/api/v1/namespaces/${namespace}/pods`, { query: { labelSelector: `app=${app}` } });
    const ready = list.items.filter((p: any) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === count ? ready.map((p: any) => p.metadata.name as string).sort() : undefined;
  });
}

/**
 * The load tester's proxy is unavailable on this machine (ports.env's LOADTESTER_PROXY_UNAVAILABLE
 * says why: no address the API server's service proxy accepts), or undefined when it works.
 */
export function loadtesterProxyUnavailable(): string | undefined {
  return clusterPort('LOADTESTER_PROXY_UNAVAILABLE').replace(/^"(.*)"$/, '$1') || undefined;
}

/**
 * The objects of a demo file (cluster/demo/<file>) as demo.sh renders them: this cluster's
 * Prometheus and load tester filled in, and in `namespace` instead of the demo's.
 */
export function demoObjects(file: string, namespace: string): any[] {
  const text = readFileSync(join(repoRoot, 'cluster', 'demo', file), 'utf8')
    .replaceAll('@PROMETHEUS_URL@', clusterPort('PROMETHEUS_URL'))
    .replaceAll('@LOADTESTER_URL@', clusterPort('LOADTESTER_URL'))
    .replaceAll('@LOADTESTER_HOST@', clusterPort('LOADTESTER_HOST'))
    .replaceAll('"@LOADTESTER_PORT@"', clusterPort('LOADTESTER_PORT'))
    .replaceAll('@GITOPS_REPO_URL@', clusterPort('GITOPS_REPO_URL'))
    .replaceAll('namespace: switchyard-demo', `namespace: ${namespace}`);
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** cluster/demo/40-argo-canary.yaml's objects as demo.sh renders them (Prometheus's URL filled in), for `namespace`. */
export function demoCanaryObjects(namespace: string): any[] {
  return demoObjects('40-argo-canary.yaml', namespace);
}

const collections: Record<string, string> = {
  Rollout: 'apis/argoproj.io/v1alpha1/namespaces/NS/rollouts',
  AnalysisTemplate: 'apis/argoproj.io/v1alpha1/namespaces/NS/analysistemplates',
  Service: 'api/v1/namespaces/NS/services',
  Pod: 'api/v1/namespaces/NS/pods',
  Endpoints: 'api/v1/namespaces/NS/endpoints',
  EndpointSlice: 'apis/discovery.k8s.io/v1/namespaces/NS/endpointslices',
  Deployment: 'apis/apps/v1/namespaces/NS/deployments',
  Canary: 'apis/flagger.app/v1beta1/namespaces/NS/canaries',
  MetricTemplate: 'apis/flagger.app/v1beta1/namespaces/NS/metrictemplates',
  Gateway: 'apis/gateway.networking.k8s.io/v1/namespaces/NS/gateways',
  GitRepository: 'apis/source.toolkit.fluxcd.io/v1/namespaces/NS/gitrepositories',
  Kustomization: 'apis/kustomize.toolkit.fluxcd.io/v1/namespaces/NS/kustomizations',
};

/** The collection path of a namespaced kind the demo uses, e.g. /apis/flagger.app/v1beta1/namespaces/N/canaries. */
export function collectionPath(kind: string, namespace: string): string {
  if (!collections[kind]) throw new Error(`no path for ${kind}`);
  return `/${collections[kind].replace('NS', namespace)}`;
}

/** Creates `objects` (from demoObjects) in `namespace`, in their order. */
export async function createObjects(client: KubeClient, namespace: string, objects: any[]): Promise<void> {
  for (const object of objects) await client.request(collectionPath(object.kind, namespace), { method: 'POST', body: object });
}

/** Creates the demo's Argo canary (Rollout checkout, AnalysisTemplate checkout-error-rate, its Services) in `namespace`. */
export async function createDemoCanary(client: KubeClient, namespace: string): Promise<void> {
  await createObjects(client, namespace, demoCanaryObjects(namespace));
}

/**
 * A watcher of the namespace's Services and the names it holds, kept by its events; `firstList`
 * resolves once the first list is in. `onError` and `onListPage` as a ResourceWatcher takes them.
 */
export function serviceNamesWatcher(client: KubeClient, ns: string, options: { onError?: (error: ClusterError | undefined) => void; onListPage?: WatcherEvents<unknown>['onListPage']; pageSize?: number } = {}) {
  const names = new Set<string>();
  let listed!: () => void;
  const firstList = new Promise<void>((resolve) => (listed = resolve));
  const watcher = new ResourceWatcher<{ metadata: { name: string } }>(client, RESOURCES.services, ns, {
    onReset: (items) => { names.clear(); items.forEach((i) => names.add(i.metadata.name)); listed(); },
    onUpsert: (i) => names.add(i.metadata.name),
    onDelete: (i) => names.delete(i.metadata.name),
    onError: options.onError ?? (() => {}),
    onListPage: options.onListPage,
  }, undefined, options.pageSize);
  return { watcher, names, firstList };
}
