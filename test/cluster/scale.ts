// Namespaces at production scale in the local cluster (issue 11): D Deployments, each with two
// ReplicaSets (revision 1 scaled to 0, revision 2 with P Ready pods), written straight to the API
// server, as the controllers would have left them, instead of waiting for them: at their default
// 20 requests/s, kube-controller-manager, kube-scheduler and kwok need hours for 20,000 pods.
//
// How it keeps the controllers from fighting what it writes:
// - kube-controller-manager is stopped while the objects are written (and started again after), so
//   the ReplicaSet controller never creates or deletes pods for a ReplicaSet whose pods are not all
//   written yet, and nothing adopts half-made objects. Without it no ServiceAccount controller runs:
//   the namespace's `default` ServiceAccount, which pod admission needs, is written here too.
// - The revision-2 ReplicaSet's template is the Deployment's plus a `pod-template-hash` label: the
//   Deployment controller finds a Deployment's new ReplicaSet by comparing templates without that
//   label (deployment/util FindNewReplicaSet, EqualIgnoreHash), so it takes ours rather than making
//   one; the revision annotations it would add are there already.
// - Pods are bound to the kwok nodes (`nodeName`: no scheduling) and their Running/Ready status is
//   written through the status subresource at once, so none of kwok's pod stages matches them.
//   kwok and kube-scheduler are stopped meanwhile too: on two cores, following every pod write took
//   a third of the CPU (measured: API server 59 %, etcd 23 %, kwok 23 %, scheduler 12 %). Without the
//   controller manager nothing marks their nodes NotReady meanwhile, and kwok renews the leases on start.
// - The statuses of ReplicaSets and Deployments are written as their controllers compute them, so a
//   restarted controller manager finds little to change.
// - Every pod carries the label `switchyard.dev/scale`, which the traffic source leaves out
//   (cluster/traffic): Prometheus does not scrape series for them.
// A namespace is marked seeded once complete, and reused by later runs (benchmarks, the fault test).
import { Agent, request as httpsRequest } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { component, kubeconfig } from './support';

/** On every pod of a scale namespace: the traffic source (cluster/traffic/main.go) leaves these out. */
export const SCALE_LABEL = 'switchyard.dev/scale';
/** On a scale namespace once every object is written: its shape, `<deployments>x<pods per deployment>`. */
const SEEDED_ANNOTATION = 'switchyard.dev/scale-seeded';
/** Stopped while a namespace is written (see above), started again after. */
const PAUSED = ['kube-controller-manager', 'kube-scheduler', 'kwok'];

export interface ScaleShape {
  deployments: number;
  podsPerDeployment: number;
}

/** A JSON client for bulk writes: one keep-alive agent with many sockets, each write retried on 429, 5xx and dropped connections. */
export class BulkClient {
  private constructor(
    private readonly server: URL,
    private readonly headers: Record<string, string>,
    private readonly agent: Agent,
  ) {}

  static async of(file = kubeconfig, sockets = 32): Promise<BulkClient> {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const opts: { ca?: Buffer | string; cert?: Buffer | string; key?: Buffer | string; headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(opts as never);
    const agent = new Agent({ keepAlive: true, maxSockets: sockets, ca: opts.ca, cert: opts.cert, key: opts.key });
    return new BulkClient(new URL(kc.getCurrentCluster()!.server), opts.headers ?? {}, agent);
  }

  /** One request; retried on 429, 5xx and dropped connections (a loaded server), thrown on other errors. */
  async request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, contentType);
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (attempt >= 6 || (status !== undefined && status !== 429 && status < 500)) throw e;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private once<T>(method: string, path: string, body: unknown, contentType: string): Promise<T> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: this.server.hostname, port: this.server.port, path, method, agent: this.agent, headers: { ...this.headers, 'User-Agent': 'switchyard-scale', Accept: 'application/json', ...(data ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if ((res.statusCode ?? 0) >= 300) reject(Object.assign(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`), { status: res.statusCode }));
            else resolve(text ? JSON.parse(text) : undefined);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `tasks` with at most `limit` at a time. */
async function bounded(limit: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

const merge = 'application/merge-patch+json';

/** Writes one Deployment with its two ReplicaSets and its pods, statuses included. */
async function writeDeployment(c: BulkClient, namespace: string, index: number, shape: ScaleShape, nodes: string[], podIndex: () => number): Promise<void> {
  const name = `app-${String(index).padStart(4, '0')}`;
  const scale = String(shape.deployments * shape.podsPerDeployment);
  const labels = { app: name, [SCALE_LABEL]: scale };
  const image = (revision: number) => `ghcr.io/acme/${name}:${revision}.0.0`;
  const template = (revision: number, extra: Record<string, string> = {}) => ({ metadata: { labels: { ...labels, ...extra } }, spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: image(revision) }] } });
  const P = shape.podsPerDeployment;
  const d = await c.request('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: P, selector: { matchLabels: { app: name } }, template: template(2) },
  });
  const owner = (o: { metadata: { name: string; uid: string } }, kind: string, apiVersion: string) => [{ apiVersion, kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true }];
  const maxSurge = Math.ceil(P / 4);
  const replicaSet = async (revision: number) => {
    const hash = `${index.toString(36)}r${revision}`;
    const replicas = revision === 2 ? P : 0;
    const rs = await c.request('POST', `/apis/apps/v1/namespaces/${namespace}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${hash}`, labels: { ...labels, 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': String(P), 'deployment.kubernetes.io/max-replicas': String(P + maxSurge) }, ownerReferences: owner(d, 'Deployment', 'apps/v1') },
      spec: { replicas, selector: { matchLabels: { ...labels, 'pod-template-hash': hash } }, template: template(revision, { 'pod-template-hash': hash }) },
    });
    return { rs, hash, replicas };
  };
  const [previous, current] = await Promise.all([replicaSet(1), replicaSet(2)]);
  const now = new Date().toISOString();
  await Promise.all(
    Array.from({ length: current.replicas }, async (_, p) => {
      const n = podIndex();
      const pod = await c.request('POST', `/api/v1/namespaces/${namespace}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${current.rs.metadata.name}-${p.toString(36).padStart(5, '0')}`, labels: { ...labels, 'pod-template-hash': current.hash }, ownerReferences: owner(current.rs, 'ReplicaSet', 'apps/v1') },
        spec: { ...template(2).spec, nodeName: nodes[n % nodes.length] },
      });
      const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
      await c.request('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`, {
        status: {
          phase: 'Running',
          conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
          hostIP: '127.0.0.1',
          hostIPs: [{ ip: '127.0.0.1' }],
          podIP: `10.${128 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`,
          startTime: now,
          containerStatuses: containerStatuses(image(2), 0, now),
        },
      }, merge);
    }),
  );
  await Promise.all(
    [previous, current].map(({ rs, replicas }) =>
      c.request('PATCH', `/apis/apps/v1/namespaces/${namespace}/replicasets/${rs.metadata.name}/status`, { status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: rs.metadata.generation } }, merge),
    ),
  );
  await c.request('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}/status`, {
    status: {
      observedGeneration: d.metadata.generation,
      replicas: P,
      updatedReplicas: P,
      readyReplicas: P,
      availableReplicas: P,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${current.rs.metadata.name}" has successfully progressed.` },
      ],
    },
  }, merge);
}

/** The one container's status of a scale pod, Ready, restarted `restarts` times. */
function containerStatuses(image: string, restarts: number, startedAt: string) {
  return [{ name: 'app', image, imageID: `${image}@sha256:${'0'.repeat(64)}`, ready: true, started: true, restartCount: restarts, state: { running: { startedAt } } }];
}

/**
 * A pod status change that no controller answers: the restart count of its container (the view
 * shows it). A readiness flip would not do: kwok, as the kubelet, makes the pod Ready again 1.5 s later.
 * The whole container status is written: a pod's containerStatuses have no merge key, a patch replaces the list.
 */
export function setRestarts(c: BulkClient, namespace: string, pod: string, restarts: number): Promise<unknown> {
  const deployment = pod.split('-').slice(0, 2).join('-'); // pods are named <Deployment>-<hash>-<n>, Deployments app-NNNN
  return c.request('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod}/status`, { status: { containerStatuses: containerStatuses(`ghcr.io/acme/${deployment}:2.0.0`, restarts, new Date().toISOString()) } }, 'application/merge-patch+json');
}

/** Whether the namespace exists, and with which seeded shape. */
async function seededShape(c: BulkClient, namespace: string): Promise<string | undefined | null> {
  try {
    const ns = await c.request('GET', `/api/v1/namespaces/${namespace}`);
    return ns.metadata.annotations?.[SEEDED_ANNOTATION] ?? null;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

async function deleteNamespace(c: BulkClient, namespace: string): Promise<void> {
  // Pods at once (grace 0: no kwok round per pod), then the namespace, waited for.
  await c.request('DELETE', `/api/v1/namespaces/${namespace}/pods?gracePeriodSeconds=0`).catch(() => undefined);
  await c.request('DELETE', `/api/v1/namespaces/${namespace}`).catch(() => undefined);
  for (let i = 0; i < 600 && (await seededShape(c, namespace)) !== undefined; i++) await new Promise((r) => setTimeout(r, 500));
}

export interface SeedReport {
  /** Namespaces written in this call (the others were there already, seeded). */
  written: string[];
  deployments: number;
  pods: number;
  /** Wall time of writing them, with the controller manager stopped and started again. */
  ms: number;
  requests: number;
}

/**
 * Makes sure each namespace holds its shape (reusing one already seeded with it, writing it anew
 * otherwise), all in one window with kube-controller-manager stopped.
 */
export async function ensureScaleNamespaces(wanted: { namespace: string; shape: ScaleShape }[], log: (line: string) => void = () => undefined): Promise<SeedReport> {
  const c = await BulkClient.of();
  const report: SeedReport = { written: [], deployments: 0, pods: 0, ms: 0, requests: 0 };
  try {
    const todo: typeof wanted = [];
    for (const w of wanted) {
      const seeded = await seededShape(c, w.namespace);
      if (seeded === `${w.shape.deployments}x${w.shape.podsPerDeployment}`) continue;
      if (seeded !== undefined) await deleteNamespace(c, w.namespace);
      todo.push(w);
    }
    if (!todo.length) return report;
    const nodes = (await c.request('GET', '/api/v1/nodes?labelSelector=type%3Dkwok')).items.map((n: { metadata: { name: string } }) => n.metadata.name);
    const t0 = performance.now();
    for (const name of PAUSED) component('stop', name);
    try {
      let pods = 0;
      const tasks: (() => Promise<void>)[] = [];
      for (const { namespace, shape } of todo) {
        await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [SCALE_LABEL]: String(shape.deployments * shape.podsPerDeployment) } } });
        await c.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
        for (let i = 0; i < shape.deployments; i++) tasks.push(() => writeDeployment(c, namespace, i, shape, nodes, () => pods++));
        report.deployments += shape.deployments;
        report.pods += shape.deployments * shape.podsPerDeployment;
      }
      let done = 0;
      await bounded(6, tasks.map((t) => async () => {
        await t();
        if (++done % 250 === 0) log(`scale: ${done}/${tasks.length} Deployments written (${Math.round((performance.now() - t0) / 1000)} s)`);
      }));
      for (const { namespace, shape } of todo) await c.request('PATCH', `/api/v1/namespaces/${namespace}`, { metadata: { annotations: { [SEEDED_ANNOTATION]: `${shape.deployments}x${shape.podsPerDeployment}` } } }, merge);
    } finally {
      for (const name of PAUSED) component('start', name);
    }
    report.written = todo.map((w) => w.namespace);
    report.ms = Math.round(performance.now() - t0);
    report.requests = 2 + report.deployments * 6 + report.pods * 2;
    log(`scale: ${report.deployments} Deployments, ${report.pods} pods in ${report.written.length} namespaces written in ${(report.ms / 1000).toFixed(1)} s`);
    return report;
  } finally {
    c.close();
  }
}

/** Deletes scale namespaces (pods first, without grace) and waits until they are gone. */
export async function deleteScaleNamespaces(namespaces: string[]): Promise<void> {
  const c = await BulkClient.of();
  try {
    await Promise.all(namespaces.map((ns) => deleteNamespace(c, ns)));
  } finally {
    c.close();
  }
}
