// What the store benchmarks share (bench/workloads.bench.ts, bench/events.bench.ts): the namespace
// they feed in-process (D Deployments, each with two ReplicaSets, the old one scaled to 0, and 10
// pods on the newest), the pod status changes the kubelet reports, and how they measure.
import { emptySnapshot, type Deployment, type NamespaceSnapshot, type Pod, type ReplicaSet } from '../src/domain/model/objects';

export const PODS_PER_DEPLOYMENT = 10;
export const NAMESPACE = 'bench';

export function namespaceOf(deployments: number): NamespaceSnapshot {
  const s = emptySnapshot(NAMESPACE);
  for (let i = 0; i < deployments; i++) {
    const name = `web-${i}`;
    const labels = { app: name };
    s.deployments.push({
      metadata: { name, namespace: NAMESPACE, uid: `d-${i}`, generation: 2, resourceVersion: String(i), annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/web:2' }] } } },
      status: { observedGeneration: 2, replicas: PODS_PER_DEPLOYMENT, updatedReplicas: PODS_PER_DEPLOYMENT, readyReplicas: PODS_PER_DEPLOYMENT, availableReplicas: PODS_PER_DEPLOYMENT },
    } satisfies Deployment);
    for (const revision of [1, 2]) {
      const hash = `${i}r${revision}`;
      const replicas = revision === 2 ? PODS_PER_DEPLOYMENT : 0;
      const rs: ReplicaSet = {
        metadata: { name: `${name}-${hash}`, namespace: NAMESPACE, uid: `rs-${hash}`, labels: { ...labels, 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `d-${i}`, controller: true }] },
        spec: { replicas, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: `ghcr.io/acme/web:${revision}` }] } } },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
      };
      s.replicaSets.push(rs);
      for (let p = 0; p < replicas; p++) {
        s.pods.push({
          metadata: { name: `${rs.metadata.name}-${p}`, namespace: NAMESPACE, uid: `pod-${hash}-${p}`, resourceVersion: '1', labels: rs.metadata.labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true }] },
          spec: { nodeName: `node-${p % 3}` },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', ready: true, restartCount: 0, state: { running: {} } }] },
        } satisfies Pod);
      }
    }
  }
  return s;
}

/** The n-th pod status change: a pod's readiness flips, as the kubelet reports it. */
export function statusChange(pods: Pod[], n: number): Pod {
  const pod = pods[(n * 7919) % pods.length];
  const ready = pod.status?.conditions?.[0]?.status !== 'True';
  const changed: Pod = { ...pod, metadata: { ...pod.metadata, resourceVersion: String(n + 2) }, status: { ...pod.status, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
  pods[(n * 7919) % pods.length] = changed;
  return changed;
}

// ---- measuring -----------------------------------------------------------------------------------

export const now = () => process.hrtime.bigint();
export const msSince = (t0: bigint) => Number(now() - t0) / 1e6;
export const round = (x: number) => (x >= 10 ? Math.round(x) : +x.toFixed(2));

export function percentiles(samples: number[]): { p50: number; p99: number; n: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]);
  return { p50: at(0.5), p99: at(0.99), n: sorted.length, max: round(sorted[sorted.length - 1]) };
}

export function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
