import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { runPlan } from '../../src/kube/actions';
import { planRolloutAction } from '../../src/domain/actions/plans';
import { adminClient, component, deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const deployments = (ns: string) => resourcePath(RESOURCES.deployments, ns);

test('a Deployment rolling update is observed step by step until complete', async () => {
  await withNamespace('roll', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 3) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].replicas.available === 3);
      const seen: string[] = [];
      await client.patch(`${deployments(ns)}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.1.0' }] } } } }, 'strategic');
      const [done] = await waitForWorkloads(
        s,
        ns,
        (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0]?.revision === 2 && ws[0].revisions[0].available === 3 && ws[0].replicas.current === 3,
        90_000,
        (ws) => ws[0] && seen.at(-1) !== ws[0].description && seen.push(ws[0].description),
      );
      // Intermediate states were seen, in order, between the two healthy ones.
      const progress = seen.filter((d) => /^\d\/3 updated/.test(d)).map((d) => Number(d[0]));
      assert.ok(progress.length >= 2, `saw step by step progress: ${seen.join(' | ')}`);
      assert.deepEqual(progress, [...progress].sort(), 'updated count never goes down');
      assert.deepEqual(done.revisions.map((r) => [r.revision, r.desired]), [[2, 3], [1, 0]]);
      assert.equal(done.message, 'deployment "web" successfully rolled out');
    } finally {
      s.dispose();
    }
  });
});

test('a blue/green selector switch is seen as the other colour live, endpoints included', async () => {
  await withNamespace('bg', async (ns, client) => {
    const s = session();
    try {
      for (const colour of ['blue', 'green']) await client.request(deployments(ns), { method: 'POST', body: deploymentManifest(`shop-${colour}`, { app: 'shop', version: colour }, `ghcr.io/acme/shop:${colour === 'blue' ? '1.0.0' : '1.1.0'}`, 2) });
      await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80, targetPort: 8080 }] } } });
      await s.watchNamespace(ns);
      const [before] = await waitForWorkloads(s, ns, (ws) => ws[0]?.kind === 'BlueGreen' && ws[0].blueGreen!.idleReady && ws[0].blueGreen!.endpointsColours.join() === 'blue');
      assert.equal(before.blueGreen!.live, 'blue');
      await client.patch(`${resourcePath(RESOURCES.services, ns)}/shop`, { spec: { selector: { version: 'green' } } }, 'merge');
      const [after] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.live === 'green' && ws[0].blueGreen.endpointsColours.join() === 'green', 30_000);
      assert.equal(after.blueGreen!.idle, 'blue');
      assert.equal(after.description, 'green live · blue idle');
    } finally {
      s.dispose();
    }
  });
});

test('an Argo canary steps through its pause and completes after a promote', async () => {
  await withNamespace('argo', async (ns, client) => {
    const s = session();
    try {
      const rollouts = resourcePath(RESOURCES.rollouts, ns);
      const labels = { app: 'cart' };
      await client.request(rollouts, {
        method: 'POST',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'cart' },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }] } },
            template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:1.0.0' }] } },
          },
        },
      });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      await client.patch(`${rollouts}/cart`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:2.0.0' }] } } } }, 'merge');
      const [paused] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Paused' && ws[0].canary?.step === 1, 90_000);
      assert.equal(paused.canary!.setWeight, 50);
      assert.equal(paused.description, 'step 1/3 · 50% · paused');
      assert.deepEqual(paused.canary!.pauseReasons, ['CanaryPauseStep']);
      // Argo 1.9 race: the controller writes its own status patch back into its informer cache, so a
      // change that lands within milliseconds of it can be overwritten in the cache and missed until
      // the next resync. People do not promote that fast; the test waits like one.
      await new Promise((r) => setTimeout(r, 1500));
      // Switchyard's promote (the plugin's patches), planned on the Rollout as read now.
      const plan = planRolloutAction(await client.request(`${rollouts}/cart`), 'promote', new Date());
      await runPlan(client, plan, { dryRun: false });
      const [done] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].canary?.setWeight === 100, 90_000);
      assert.deepEqual(done.images, [{ image: 'ghcr.io/acme/cart:2.0.0', tags: ['stable'] }]);
    } finally {
      s.dispose();
    }
  });
});

test('the API server restarts mid-watch and the store catches up by itself', async () => {
  await withNamespace('restart', async (ns, client) => {
    const s = session();
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, () => s.isSynced(ns));
      component('restart', 'kube-apiserver');
      // Written after the restart: only a resumed (or re-listed) watch can deliver it.
      await adminClient().request(deployments(ns), { method: 'POST', body: deploymentManifest('after-restart', { app: 'after' }, 'ghcr.io/acme/after:1.0.0', 1) });
      const [w] = await waitForWorkloads(s, ns, (ws) => ws.some((x) => x.name === 'after-restart') && s.state(ns)!.errors.size === 0, 90_000);
      assert.equal(w.name, 'after-restart');
      assert.ok(Object.values(s.state(ns)!.watchers).length >= 5);
    } finally {
      s.dispose();
    }
    void client;
  });
});

test('a user without rights gets a forbidden error naming the verb, resource and namespace', async () => {
  await withNamespace('rbac', async (ns) => {
    const s = session('switchyard-limited');
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, () => s.state(ns)?.errors.has('deployments') === true, 30_000);
      const error = s.state(ns)!.errors.get('deployments')!;
      assert.equal(error.kind, 'forbidden');
      assert.match(error.message, new RegExp(`Forbidden: you may not list deployments.apps in namespace "${ns}"`));
    } finally {
      s.dispose();
    }
  });
});

test('watches have owners: one set of watches per namespace, stopped when the last owner lets go', async () => {
  await withNamespace('owners', async (ns) => {
    const s = session();
    try {
      const a = await s.watchNamespace(ns, 'tree');
      const b = await s.watchNamespace(ns, 'panel');
      assert.equal(a, b, 'never two watches for the same namespace');
      s.unwatchNamespace(ns, 'tree');
      assert.equal(s.isWatching(ns), true, 'the panel still needs it');
      s.release('panel');
      assert.equal(s.isWatching(ns), false);
    } finally {
      s.dispose();
    }
  });
});

test('an API group the cluster does not serve is reported missing (the path Argo takes without its CRDs)', async () => {
  const s = session();
  try {
    assert.equal(await s.groupServed('example.com/v1', 'widgets'), 'missing');
    assert.equal(await s.groupServed('argoproj.io/v1alpha1', 'rollouts'), 'installed');
    assert.equal(await s.groupServed('apps/v1', 'widgets'), 'missing', 'a served group without the resource');
  } finally {
    s.dispose();
  }
});
