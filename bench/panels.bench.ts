// Panel update benchmark: the cost of one update of the rollout details panel for an Argo canary
// with 200 pods, as a pod changes state. Measured in plain Node: what the host does per store event
// (find the workload, compare it, record a sample, build the state, serialise it as postMessage
// does) and what the webview does with it (render every section, pick the changed ones). The DOM
// swap of the changed sections is not included. Target: under one frame (16.7 ms).
import { buildWorkloads } from '../src/domain/model/workloads';
import { emptySnapshot, type NamespaceSnapshot, type Pod } from '../src/domain/model/objects';
import { addSample, findWorkload, sampleOf } from '../src/domain/panels/rollout';
import { renderRollout } from '../webview/render/rolloutView';
import { diffSections } from '../webview/render/sections';
import type { ReplicaSample, RolloutPanelState, RolloutTarget } from '../src/domain/panels/state';

const PODS = 200;
const CANARY_PODS = 40;
const FRAME_MS = 1000 / 60;

function pod(name: string, hash: string, rsUid: string, ready: boolean): Pod {
  return {
    metadata: { name, namespace: 'bench', uid: `pod-${name}`, labels: { app: 'cart', 'rollouts-pod-template-hash': hash }, ownerReferences: [{ kind: 'ReplicaSet', name: `cart-${hash}`, uid: rsUid }], creationTimestamp: '2026-11-25T10:00:00Z' },
    spec: { nodeName: `node-${name.length % 3}`, containers: [{ name: 'cart', image: `ghcr.io/acme/cart:${hash === 'c2' ? '2.0.0' : '1.0.0'}` }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'cart', ready, restartCount: 0, state: { running: {} } }] },
  };
}

/** An Argo canary paused at 20% with 160 stable and 40 canary pods and a running analysis. */
export function canarySnapshot(notReady = -1): NamespaceSnapshot {
  const s = emptySnapshot('bench');
  s.rollouts.push({
    metadata: { name: 'cart', namespace: 'bench', uid: 'ro-cart', generation: 2, resourceVersion: '1' },
    spec: { replicas: PODS, selector: { matchLabels: { app: 'cart' } }, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }, { setWeight: 80 }, { pause: { duration: '30s' } }] } } },
    status: { observedGeneration: '2', phase: 'Paused', message: 'CanaryPauseStep', replicas: PODS, updatedReplicas: CANARY_PODS, readyReplicas: PODS, availableReplicas: PODS, currentPodHash: 'c2', stableRS: 'c1', currentStepIndex: 1, controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-25T10:00:00Z' }] },
  } as never);
  for (const [hash, count, revision] of [['c1', PODS - CANARY_PODS, 1], ['c2', CANARY_PODS, 2]] as const) {
    s.replicaSets.push({
      metadata: { name: `cart-${hash}`, namespace: 'bench', uid: `rs-${hash}`, labels: { app: 'cart', 'rollouts-pod-template-hash': hash }, annotations: { 'rollout.argoproj.io/revision': String(revision) }, ownerReferences: [{ kind: 'Rollout', name: 'cart', uid: 'ro-cart' }] },
      spec: { replicas: count, template: { spec: { containers: [{ name: 'cart', image: `ghcr.io/acme/cart:${revision}.0.0` }] } } },
      status: { replicas: count, readyReplicas: count, availableReplicas: count },
    } as never);
    for (let i = 0; i < count; i++) s.pods.push(pod(`cart-${hash}-${String(i).padStart(3, '0')}`, hash, `rs-${hash}`, s.pods.length !== notReady));
  }
  s.analysisRuns.push({
    metadata: { name: 'cart-c2-2', namespace: 'bench', uid: 'ar', creationTimestamp: '2026-11-25T10:00:05Z', annotations: { 'rollout.argoproj.io/revision': '2' }, ownerReferences: [{ kind: 'Rollout', name: 'cart', uid: 'ro-cart' }] },
    status: { phase: 'Running', metricResults: [{ name: 'success-rate', phase: 'Running', successful: 9, count: 9, measurements: Array.from({ length: 9 }, (_, i) => ({ phase: 'Successful', value: `[0.99${i}]` })) }, { name: 'latency-p95', phase: 'Running', successful: 9, count: 9, measurements: Array.from({ length: 9 }, (_, i) => ({ phase: 'Successful', value: `[0.3${i}]` })) }] },
  } as never);
  return s;
}

function stats(samples: number[]): { median: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => +sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(3);
  return { median: at(0.5), p95: at(0.95), max: +sorted[sorted.length - 1].toFixed(3) };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Times `updates` panel updates, each with one pod flipping readiness; the view models are built beforehand (that is the store's cost, shared with the tree). */
export function benchPanels(updates = 300): Record<string, unknown> {
  const views = Array.from({ length: 8 }, (_, i) => buildWorkloads(canarySnapshot(i * 17)));
  const target: RolloutTarget = { namespace: 'bench', name: 'cart' };
  let samples: ReplicaSample[] = [];
  let signature = '';
  let shown = new Map<string, string>();
  const host: number[] = [];
  const webview: number[] = [];
  const total: number[] = [];
  let changedSections = 0;
  let bytes = 0;
  for (let i = 0; i < updates + 20; i++) {
    const workloads = views[i % views.length];
    const t0 = process.hrtime.bigint();
    // Host: the store said the namespace changed.
    const w = findWorkload(workloads, target)!;
    const next = JSON.stringify(w);
    if (next === signature) throw new Error('the benchmark expects a change per update');
    signature = next;
    samples = addSample(samples, { ...sampleOf(w, 1_700_000_000_000 + i * 1000), available: PODS - (i % 2) });
    const state: RolloutPanelState = { target, status: 'live', context: 'bench', readOnly: false, workload: w, samples, now: 1_700_000_000_000 + i * 1000 };
    const message = JSON.stringify({ type: 'state', seq: i, state });
    const hostMs = ms(t0);
    // Webview: the message arrives (parsed), every section renders, the changed ones are picked.
    const t1 = process.hrtime.bigint();
    const received = JSON.parse(message).state as RolloutPanelState;
    const sections = renderRollout(received);
    const patch = diffSections(shown, sections);
    shown = new Map(sections.map((s) => [s.key, s.html]));
    const webviewMs = ms(t1);
    if (i < 20) continue; // warm-up
    host.push(hostMs);
    webview.push(webviewMs);
    total.push(hostMs + webviewMs);
    changedSections += patch.changed.length;
    bytes = message.length;
  }
  const pods = views[0][0].revisions.reduce((n, r) => n + r.pods.length, 0);
  const t = stats(total);
  return {
    pods,
    updates,
    messageKB: +(bytes / 1024).toFixed(1),
    hostMs: stats(host),
    renderAndDiffMs: stats(webview),
    updateMs: t,
    sectionsChangedPerUpdate: +(changedSections / updates).toFixed(2),
    frameMs: +FRAME_MS.toFixed(1),
    withinFrame: t.p95 < FRAME_MS,
  };
}

if (require.main === module) console.log(JSON.stringify(benchPanels()));
