// Real pod logs through pods/log: the API server proxies to kwok's kubelet endpoint, which serves
// the log files cluster/up.sh writes, per image kind (cluster/kwok/pod-logs.yaml.in).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { ClusterError } from '../../src/kube/errors';
import { followPodLog, podContainers, podLog, podLogPart } from '../../src/kube/logs';
import { logChoice, PANEL_LOG_LINES } from '../../src/domain/panels/logs';
import type { KubeClient } from '../../src/kube/client';
import { adminClient, deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const APP_LOG = ['starting app', 'listening on :8080', 'GET /healthz 200 0.4ms', 'GET / 200 3.1ms', 'GET /api/items 200 12.7ms', 'GET /healthz 200 0.3ms'];
const CRASH_LOG = ['starting app', 'loading configuration from /etc/app/config.yaml', 'error: config: DATABASE_URL is not set', 'exiting with status 1'];
const lines = (text: string) => text.split('\n').filter(Boolean);

/** Runs one Deployment of `image` until `ready` holds for its pod; returns the pod's name. */
async function podOf(client: KubeClient, ns: string, image: string, ready: (reason: string | undefined, phase: string) => boolean): Promise<string> {
  const s = session();
  try {
    await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest(image.split(/[/:]/)[2], { app: image.split(/[/:]/)[2] }, image, 1) });
    await s.watchNamespace(ns);
    const [w] = await waitForWorkloads(s, ns, (ws) => !!ws[0]?.revisions[0]?.pods[0] && ready(ws[0].revisions[0].pods[0].problem?.reason, ws[0].revisions[0].pods[0].phase), 60_000);
    return w.revisions[0].pods[0].name;
  } finally {
    s.dispose();
  }
}

async function refusal(p: Promise<unknown>): Promise<ClusterError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof ClusterError, `expected a ClusterError, got ${String(e)}`);
  return e;
}

test('a healthy pod logs like an app: the whole log, its tail, and sinceSeconds filtering on the real times', async () => {
  await withNamespace('logs', async (ns, client) => {
    const pod = await podOf(client, ns, 'ghcr.io/acme/web:1.0.0', (reason, phase) => phase === 'Running' && !reason);
    assert.deepEqual(lines(await podLog(client, ns, pod)), APP_LOG);
    assert.deepEqual(lines(await podLog(client, ns, pod, { container: 'app', tailLines: 2 })), APP_LOG.slice(-2));
    assert.deepEqual(lines(await podLog(client, ns, pod, { sinceSeconds: 86_400 })), APP_LOG);
    // The log's lines were written when kwok started, more than a second ago.
    assert.equal(await podLog(client, ns, pod, { sinceSeconds: 1 }), '');
    // It has not restarted: no previous container.
    const previous = await refusal(podLog(client, ns, pod, { container: 'app', previous: true }));
    assert.equal(previous.kind, 'notFound');
    assert.match(previous.message, new RegExp(`^The container "app" of pod "${pod}" in namespace "${ns}" has no previous run: it has not restarted\\.`));
    const noContainer = await refusal(podLog(client, ns, pod, { container: 'nope' }));
    assert.equal(noContainer.kind, 'notFound');
    assert.equal(noContainer.message, `The pod "${pod}" in namespace "${ns}" has no container "nope". (container nope is not valid for pod ${pod})`);
    const noPod = await refusal(podLog(client, ns, 'no-such-pod'));
    assert.equal(noPod.message, `There is no pod "no-such-pod" in namespace "${ns}": it was deleted or never existed.`);
  });
});

test('following a log streams it until the reader stops', async () => {
  await withNamespace('follow', async (ns, client) => {
    const pod = await podOf(client, ns, 'ghcr.io/acme/web:1.0.0', (reason, phase) => phase === 'Running' && !reason);
    const stop = new AbortController();
    let text = '';
    const following = followPodLog(client, ns, pod, { signal: stop.signal }, (piece) => {
      text += piece;
      if (lines(text).length >= APP_LOG.length) stop.abort();
    });
    await following;
    assert.deepEqual(lines(text), APP_LOG);
    assert.ok(stop.signal.aborted, 'it ended because the reader stopped, not because the server closed it');
  });
});

test('a crash-looping pod logs its last run and its previous run, both ending with the exit', async () => {
  await withNamespace('crashlog', async (ns, client) => {
    const pod = await podOf(client, ns, 'ghcr.io/acme/api:2.0.0-crash', (reason) => reason === 'CrashLoopBackOff');
    assert.deepEqual(lines(await podLog(client, ns, pod)), CRASH_LOG);
    assert.deepEqual(lines(await podLog(client, ns, pod, { container: 'app', previous: true, tailLines: 1 })), ['exiting with status 1']);
  });
});

test('a pod whose image was never pulled has no log, and says so', async () => {
  await withNamespace('nolog', async (ns, client) => {
    const pod = await podOf(client, ns, 'ghcr.io/acme/web:1.1.0-missing', (reason) => reason === 'ImagePullBackOff');
    const e = await refusal(podLog(client, ns, pod, { container: 'app' }));
    assert.equal(e.kind, 'notFound');
    assert.match(e.message, new RegExp(`^The container "app" of pod "${pod}" in namespace "${ns}" has no log: it has not started\\.`));
  });
});

test('a user without pods/log rights is told which permission is missing', async () => {
  await withNamespace('logrbac', async (ns, client) => {
    const pod = await podOf(client, ns, 'ghcr.io/acme/web:1.0.0', (reason, phase) => phase === 'Running' && !reason);
    const e = await refusal(podLog(adminClient('switchyard-limited'), ns, pod));
    assert.equal(e.kind, 'forbidden');
    assert.match(e.message, new RegExp(`^You may not read the logs of pod "${pod}" in namespace "${ns}" \\(RBAC: get on pods/log\\)\\. The API said: pods "${pod}" is forbidden: User "limited" cannot get resource "pods/log"`));
  });
});

test("the panel's Logs section: the failing pod chosen from the view model, its last run and the one before; a never-started one says why", async () => {
  await withNamespace('panellog', async (ns, client) => {
    const s = session();
    try {
      await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('api', { app: 'api' }, 'ghcr.io/acme/api:2.0.0-crash', 1) });
      await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.1.0-missing', 1) });
      await s.watchNamespace(ns);
      const ws = await waitForWorkloads(s, ns, (ws) => ws.find((w) => w.name === 'api')?.revisions[0]?.pods[0]?.problem?.reason === 'CrashLoopBackOff' && ws.find((w) => w.name === 'web')?.revisions[0]?.pods[0]?.problem?.reason === 'ImagePullBackOff', 90_000);
      const crash = logChoice(ws.find((w) => w.name === 'api')!)!;
      assert.equal(crash.why, 'failing');
      assert.equal(crash.container, 'app');
      const [container] = await podContainers(client, ns, crash.pod);
      assert.ok(container.name === 'app' && container.restarts >= 1, 'restarted: a previous run to show');
      const current = await podLogPart(client, ns, crash.pod, { container: 'app', tailLines: PANEL_LOG_LINES });
      const previous = await podLogPart(client, ns, crash.pod, { container: 'app', tailLines: PANEL_LOG_LINES, previous: true });
      assert.deepEqual([current, previous].map((p) => ('text' in p ? lines(p.text) : p.problem)), [CRASH_LOG, CRASH_LOG]);
      const missing = logChoice(ws.find((w) => w.name === 'web')!)!;
      const part = await podLogPart(client, ns, missing.pod, { container: missing.container, tailLines: PANEL_LOG_LINES });
      assert.ok('problem' in part);
      assert.match(part.problem, new RegExp(`^The container "app" of pod "${missing.pod}" in namespace "${ns}" has no log: it has not started\\.`));
    } finally {
      s.dispose();
    }
  });
});
