// Why a release is stuck, against pods that really fail: kwok's failing stages (cluster/kwok,
// chosen by the image tag), the real kube-scheduler and the real ReplicaSet controller with a
// ResourceQuota. Each test waits through ClusterSession until the view model says why, on the
// pod, on the revision and in the workload's description, in the kubelet's and controllers' words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { podEvents } from '../../src/kube/podEvents';
import type { KubeClient } from '../../src/kube/client';
import type { EventView } from '../../src/domain/model/events';
import type { PodView, RevisionView, WorkloadView } from '../../src/domain/model/workloads';
import { deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const deployments = (ns: string) => resourcePath(RESOURCES.deployments, ns);
const rollouts = (ns: string) => resourcePath(RESOURCES.rollouts, ns);
/** The first crash-loop back-off of the local cluster (cluster/lib/cluster.sh). */
const BACKOFF = Number(process.env.SWITCHYARD_POD_BACKOFF_SECONDS ?? 10);
const NODES = Number(process.env.SWITCHYARD_NODES ?? 3);
const UID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const newest = (w: WorkloadView | undefined): RevisionView | undefined => w?.revisions[0];
const byRole = (w: WorkloadView | undefined, role: string) => w?.revisions.find((r) => r.roles.includes(role as never));
const firstPod = (r: RevisionView | undefined): PodView | undefined => r?.pods[0];

/** The pod's events once `ok` holds of them (kwok records them as it moves the pod, as a kubelet would). */
async function eventsUntil(client: KubeClient, ns: string, pod: string, ok: (rows: EventView[]) => boolean): Promise<EventView[]> {
  let rows: EventView[] = [];
  for (let i = 0; i < 120; i++) {
    rows = await podEvents(client, ns, pod);
    if (ok(rows)) return rows;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`events of ${pod}: ${rows.map((r) => `${r.reason}: ${r.message}`).join(' | ')}`);
}
const kubelet = (rows: EventView[], reason: string) => rows.find((r) => r.reason === reason && r.source?.startsWith('kubelet'));

/** The kubelet's ErrImagePull message for an image the registry does not have (containerd's NotFound). */
const pullError = (image: string) => `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;

test('an image that is not there: ErrImagePull, then ImagePullBackOff with the pull error, while the old pods keep serving', async () => {
  await withNamespace('pull', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 2) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].replicas.available === 2);
      const image = 'ghcr.io/acme/web:1.1.0-missing';
      const reasons: string[] = [];
      await client.patch(`${deployments(ns)}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'strategic');
      const [w] = await waitForWorkloads(
        s,
        ns,
        (ws) => newest(ws[0])?.problem?.reason === 'ImagePullBackOff' && ws[0].replicas.updated === 1,
        60_000,
        (ws) => {
          const reason = firstPod(newest(ws[0]))?.problem?.reason;
          if (reason && reasons.at(-1) !== reason) reasons.push(reason);
        },
      );
      const problem = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${pullError(image)}`, container: 'app', image };
      assert.deepEqual(reasons, ['ErrImagePull', 'ImagePullBackOff'], 'the kubelet first fails the pull, then backs off');
      const pod = firstPod(newest(w))!;
      assert.deepEqual(pod.problem, problem);
      assert.equal(pod.phase, 'Pending', 'a container that never started keeps the pod Pending');
      assert.equal(pod.state, 'failed');
      assert.deepEqual(newest(w)!.problem, problem);
      assert.equal(w.description, `new pods cannot start: ImagePullBackOff ${image} · 1/2 updated · rev 2`);
      assert.equal(w.revisions[1].available, 2, 'maxUnavailable 0: the old revision still serves');
      // The kubelet's events about it (images/image_manager.go): the failed pull (a warning), then the back-off.
      const rows = await eventsUntil(client, ns, pod.name, (rows) => !!kubelet(rows, 'Failed') && !!kubelet(rows, 'BackOff'));
      assert.deepEqual(
        [kubelet(rows, 'Failed'), kubelet(rows, 'BackOff')].map((r) => ({ warning: r!.warning, message: r!.message })),
        [
          { warning: true, message: `Failed to pull image "${image}": ${pullError(image)}` },
          { warning: false, message: `Back-off pulling image "${image}"` },
        ],
      );
    } finally {
      s.dispose();
    }
  });
});

test('an Argo canary whose image is not there says the canary cannot start, and the stable pods stay', async () => {
  await withNamespace('pullcanary', async (ns, client) => {
    const s = session();
    try {
      const labels = { app: 'cart' };
      await client.request(rollouts(ns), {
        method: 'POST',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'cart' },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
            template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:1.0.0' }] } },
          },
        },
      });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      const image = 'ghcr.io/acme/cart:1.1.0-missing';
      await client.patch(`${rollouts(ns)}/cart`, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'merge');
      const [w] = await waitForWorkloads(s, ns, (ws) => byRole(ws[0], 'canary')?.problem?.reason === 'ImagePullBackOff', 90_000);
      const problem = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${pullError(image)}`, container: 'app', image };
      assert.deepEqual(byRole(w, 'canary')!.problem, problem);
      assert.deepEqual(firstPod(byRole(w, 'canary'))!.problem, problem);
      assert.match(w.description, new RegExp(`^canary cannot start: ImagePullBackOff ${escape(image)} · step 0/2 · 50%`));
      assert.equal(byRole(w, 'stable')!.problem, undefined);
      assert.ok(byRole(w, 'stable')!.available >= 1, 'the stable revision keeps pods available');
    } finally {
      s.dispose();
    }
  });
});

test('a container that exits 1 crash-loops: CrashLoopBackOff with the growing back-off, restarts and the last run', async () => {
  await withNamespace('crash', async (ns, client) => {
    const s = session();
    try {
      const image = 'ghcr.io/acme/api:2.0.0-crash';
      const restarts: number[] = [];
      const descriptions: string[] = [];
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('api', { app: 'api' }, image, 1) });
      await s.watchNamespace(ns);
      const [w] = await waitForWorkloads(
        s,
        ns,
        (ws) => firstPod(newest(ws[0]))?.problem?.reason === 'CrashLoopBackOff' && firstPod(newest(ws[0]))!.restarts >= 2,
        60_000 + BACKOFF * 3000,
        (ws) => {
          const pod = firstPod(newest(ws[0]));
          if (pod && restarts.at(-1) !== pod.restarts) restarts.push(pod.restarts);
          if (ws[0] && descriptions.at(-1) !== ws[0].description) descriptions.push(ws[0].description);
        },
      );
      assert.deepEqual(restarts, [0, 1, 2], 'restartCount goes up by one per restart');
      const pod = firstPod(newest(w))!;
      // The second back-off is twice the first, in the kubelet's words (duration, container, pod_namespace(uid)).
      assert.match(pod.problem!.message!, new RegExp(`^back-off ${BACKOFF * 2}s restarting failed container=app pod=${escape(pod.name)}_${escape(ns)}\\(${UID}\\); last run Error \\(exit code 1\\)$`));
      assert.deepEqual({ ...pod.problem, message: undefined }, { reason: 'CrashLoopBackOff', message: undefined, container: 'app', image, lastRun: 'Error (exit code 1)' });
      assert.equal(pod.phase, 'Running', 'a crash loop is Running: its container started');
      assert.equal(pod.state, 'failed');
      assert.equal(newest(w)!.problem?.reason, 'CrashLoopBackOff');
      assert.equal(w.description, `new pods cannot start: CrashLoopBackOff ${image} · 0/1 available · rev 1`);
      // Between back-offs the container runs again for a moment (not ready): the workload still says why.
      const first = descriptions.findIndex((d) => d.startsWith('new pods cannot start'));
      assert.ok(first >= 0);
      assert.deepEqual(descriptions.slice(first).filter((d) => !d.startsWith('new pods cannot start')), [], `no flicker: ${descriptions.join(' | ')}`);
      // The kubelet's warning while it waits (kuberuntime_manager.go doBackOff), counted per back-off.
      const rows = await eventsUntil(client, ns, pod.name, (rows) => (kubelet(rows, 'BackOff')?.count ?? 0) >= 2);
      const backOff = kubelet(rows, 'BackOff')!;
      assert.ok(backOff.warning);
      assert.match(backOff.message, new RegExp(`^Back-off restarting failed container app in pod ${escape(pod.name)}_${escape(ns)}\\(${UID}\\)$`));
    } finally {
      s.dispose();
    }
  });
});

test('a container killed for memory: OOMKilled, exit code 137, in a crash loop of a Rollout canary', async () => {
  await withNamespace('oom', async (ns, client) => {
    const s = session();
    try {
      const labels = { app: 'cache' };
      await client.request(rollouts(ns), {
        method: 'POST',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'cache' },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
            template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cache:1.0.0' }] } },
          },
        },
      });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      const image = 'ghcr.io/acme/cache:1.1.0-oom';
      await client.patch(`${rollouts(ns)}/cache`, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'merge');
      const [w] = await waitForWorkloads(s, ns, (ws) => byRole(ws[0], 'canary')?.problem?.reason === 'CrashLoopBackOff', 90_000);
      const pod = firstPod(byRole(w, 'canary'))!;
      assert.equal(pod.problem!.lastRun, 'OOMKilled (exit code 137)');
      assert.match(pod.problem!.message!, new RegExp(`^back-off ${BACKOFF}s restarting failed container=app pod=${escape(pod.name)}_${escape(ns)}\\(${UID}\\); last run OOMKilled \\(exit code 137\\)$`));
      assert.equal(pod.restarts, 1);
      assert.deepEqual(byRole(w, 'canary')!.problem, pod.problem);
      assert.match(w.description, new RegExp(`^canary cannot start: CrashLoopBackOff ${escape(image)} · step 0/2 · 50%`));
    } finally {
      s.dispose();
    }
  });
});

test('pods that run but never pass readiness: NotReady, said to be why once the Deployment passes its progress deadline', async () => {
  await withNamespace('notready', async (ns, client) => {
    const s = session();
    try {
      const image = 'ghcr.io/acme/web:3.0.0-notready';
      const descriptions: string[] = [];
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, image, 1, { progressDeadlineSeconds: 5 }) });
      await s.watchNamespace(ns);
      const [w] = await waitForWorkloads(
        s,
        ns,
        (ws) => ws[0]?.health === 'Degraded' && !!newest(ws[0])?.problem,
        60_000,
        (ws) => ws[0] && descriptions.at(-1) !== ws[0].description && descriptions.push(ws[0].description),
      );
      const problem = { reason: 'NotReady', message: 'ready 0/1', container: 'app', image };
      const pod = firstPod(newest(w))!;
      assert.deepEqual(pod.problem, problem);
      assert.equal(pod.phase, 'Running');
      assert.equal(pod.ready, false);
      assert.deepEqual(newest(w)!.problem, problem);
      assert.equal(w.description, `new pods cannot start: NotReady ${image} · deadline exceeded · 1/1 updated`);
      // Before the deadline a pod not ready yet is a normal moment of a rollout, not a reason.
      assert.ok(descriptions.some((d) => /^0\/1 available/.test(d)), `seen: ${descriptions.join(' | ')}`);
    } finally {
      s.dispose();
    }
  });
});

test('a pod no node can take: Unschedulable, in the scheduler’s words', async () => {
  await withNamespace('unsched', async (ns, client) => {
    const s = session();
    try {
      // kwok nodes have 1k CPUs (cluster/kwok: node-initialize): 2k fits none.
      const body = deploymentManifest('big', { app: 'big' }, 'ghcr.io/acme/big:1.0.0', 1);
      (body.spec.template.spec.containers[0] as Record<string, unknown>).resources = { requests: { cpu: '2k' } };
      await client.request(deployments(ns), { method: 'POST', body });
      await s.watchNamespace(ns);
      // The Deployment's own status (1 updated) may come after the pod's condition.
      const [w] = await waitForWorkloads(s, ns, (ws) => newest(ws[0])?.problem?.reason === 'Unschedulable' && ws[0].replicas.updated === 1);
      // kube-scheduler v1.34's own summary: the fit filter per node, the DRA plugin, then preemption.
      const problem = { reason: 'Unschedulable', message: `0/${NODES} nodes are available: ${NODES} Insufficient cpu. no new claims to deallocate, preemption: 0/${NODES} nodes are available: ${NODES} Preemption is not helpful for scheduling.` };
      const pod = firstPod(newest(w))!;
      assert.deepEqual(pod.problem, problem);
      assert.equal(pod.node, undefined);
      assert.deepEqual(newest(w)!.problem, problem);
      assert.equal(w.description, 'new pods cannot start: Unschedulable · 0/1 available · rev 1');
    } finally {
      s.dispose();
    }
  });
});

test('a quota that allows no pods: the ReplicaSet cannot create them (FailedCreate, the quota’s message)', async () => {
  await withNamespace('quota', async (ns, client) => {
    const s = session();
    try {
      await client.request(`/api/v1/namespaces/${ns}/resourcequotas`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
      // Admission enforces a quota once the quota controller has written its status.
      for (let i = 0; i < 100; i++) {
        const quota = await client.request(`/api/v1/namespaces/${ns}/resourcequotas/no-pods`);
        if (quota.status?.hard?.pods === '0') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 2) });
      await s.watchNamespace(ns);
      const [w] = await waitForWorkloads(s, ns, (ws) => newest(ws[0])?.problem?.reason === 'FailedCreate');
      const revision = newest(w)!;
      assert.match(revision.problem!.message!, new RegExp(`^pods "${escape(revision.replicaSet)}-[a-z0-9]{5}" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0$`));
      assert.deepEqual(Object.keys(revision.problem!).sort(), ['message', 'reason']);
      assert.equal(revision.health, 'ReplicaFailure');
      assert.deepEqual(revision.pods, []);
      assert.equal(w.description, 'new pods cannot start: FailedCreate · 0/2 updated · rev 1');
    } finally {
      s.dispose();
    }
  });
});
