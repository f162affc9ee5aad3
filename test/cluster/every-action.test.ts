// Every action plan against the real API server and controllers (the switch, rollback, promote and
// apply cases have their own files): Deployment pause/resume/restart/scale, the replica-ratio canary,
// and the Argo Rollouts actions the plugin offers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../src/kube/actions';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import {
  planCanaryAbort,
  planCanaryPromote,
  planCanaryShare,
  planDeploymentPause,
  planDeploymentRestart,
  planDeploymentScale,
  planRolloutAction,
  planRolloutUndo,
} from '../../src/domain/actions/plans';
import { deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const deployments = (ns: string) => resourcePath(RESOURCES.deployments, ns);

test('Deployment: pause, resume, restart and scale', async () => {
  await withNamespace('act-deploy', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1', 2) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
      const read = () => client.request(`${deployments(ns)}/web`);
      await runPlan(client, planDeploymentPause(await read(), true), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.paused === true);
      assert.match(planDeploymentPause(await read(), true).noop!, /already paused/);
      await runPlan(client, planDeploymentPause(await read(), false), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.paused === false);
      await runPlan(client, planDeploymentRestart(await read(), new Date()), { dryRun: false });
      const [restarted] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0]?.revision === 2, 60_000);
      assert.equal(restarted.revisions[0].images[0], 'ghcr.io/acme/web:1', 'a restart is a new revision of the same template');
      await runPlan(client, planDeploymentScale(await read(), 3), { dryRun: false });
      const [scaled] = await waitForWorkloads(s, ns, (ws) => ws[0]?.replicas.available === 3, 60_000);
      assert.equal(scaled.replicas.desired, 3);
    } finally {
      s.dispose();
    }
  });
});

test('replica-ratio canary: set the share, promote, abort', async () => {
  await withNamespace('act-canary', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('feed-stable', { app: 'feed', track: 'stable' }, 'ghcr.io/acme/feed:1', 8) });
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('feed-canary', { app: 'feed', track: 'canary' }, 'ghcr.io/acme/feed:2', 2) });
      await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'feed' }, spec: { selector: { app: 'feed' }, ports: [{ port: 80 }] } } });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.kind === 'ReplicaCanary' && ws[0].replicas.ready === 10, 60_000);
      const read = async () => [await client.request(`${deployments(ns)}/feed-stable`), await client.request(`${deployments(ns)}/feed-canary`)];
      let [stable, canary] = await read();
      await runPlan(client, planCanaryShare(stable, canary, 30), { dryRun: false });
      const [shared] = await waitForWorkloads(s, ns, (ws) => ws[0]?.canary?.actualWeight === 30, 60_000);
      assert.equal(shared.description, 'canary 3/10 pods · 30%');
      [stable, canary] = await read();
      await runPlan(client, planCanaryAbort(canary, stable), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.description === 'canary scaled to 0' && ws[0].replicas.ready === 10, 60_000);
      [stable, canary] = await read();
      await runPlan(client, planCanaryShare(stable, { ...canary, spec: { ...canary.spec, replicas: 1 } }, 10), { dryRun: true });
      await runPlan(client, planCanaryPromote(stable, canary), { dryRun: false });
      const [promoted] = await waitForWorkloads(s, ns, (ws) => ws[0]?.revisions.some((r) => r.roles.includes('stable') && r.images[0] === 'ghcr.io/acme/feed:2' && r.available === 10) ?? false, 90_000);
      assert.equal(promoted.canary!.aborted, true, 'the canary is at 0 after the promote');
    } finally {
      s.dispose();
    }
  });
});

test('Argo canary: abort, retry, pause, resume, promote fully, restart, undo', async () => {
  await withNamespace('act-argo', async (ns, client) => {
    const s = session();
    const rollouts = resourcePath(RESOURCES.rollouts, ns);
    const labels = { app: 'cart' };
    const read = () => client.request(`${rollouts}/cart`);
    const settle = () => new Promise((r) => setTimeout(r, 1500)); // see live.test.ts: Argo 1.9 informer race
    try {
      await client.request(rollouts, { method: 'POST', body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'cart' }, spec: { replicas: 2, selector: { matchLabels: labels }, strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:1' }] } } } } });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      await client.patch(`${rollouts}/cart`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/cart:2' }] } } } }, 'merge');
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Paused' && ws[0].canary?.step === 1, 90_000);
      await settle();
      await runPlan(client, planRolloutAction(await read(), 'abort', new Date()), { dryRun: false });
      // Retry only once the controller has acted on the abort (status.abortedAt): before, it is refused.
      const [aborted] = await waitForWorkloads(s, ns, (ws) => ws[0]?.canary?.aborted === true && !ws[0].stop?.pending && ws[0].health === 'Degraded', 90_000);
      assert.match(aborted.description, /^aborted/);
      await settle();
      await runPlan(client, planRolloutAction(await read(), 'retry', new Date()), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.canary?.aborted === false && ws[0].health === 'Paused', 90_000);
      await settle();
      await runPlan(client, planRolloutAction(await read(), 'pause', new Date()), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => /manually paused|CanaryPauseStep/.test(ws[0]?.message ?? '') && ws[0].paused, 30_000);
      assert.equal((await read()).spec.paused, true);
      await runPlan(client, planRolloutAction(await read(), 'resume', new Date()), { dryRun: false });
      await waitForWorkloads(s, ns, () => true);
      assert.equal((await read()).spec.paused, false);
      await settle();
      await runPlan(client, planRolloutAction(await read(), 'promoteFull', new Date()), { dryRun: false });
      const [full] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].images.length === 1 && ws[0].images[0].image === 'ghcr.io/acme/cart:2', 90_000);
      assert.deepEqual(full.images[0].tags, ['stable']);
      await runPlan(client, planRolloutAction(await read(), 'restart', new Date()), { dryRun: false });
      await waitForWorkloads(s, ns, () => true);
      assert.ok((await read()).spec.restartAt, 'restartAt is set');
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      const rs = (await client.request(resourcePath(RESOURCES.replicaSets, ns))).items;
      await runPlan(client, planRolloutUndo(await read(), rs), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.canary?.canaryImages[0] === 'ghcr.io/acme/cart:1', 90_000);
      assert.equal((await read()).spec.template.spec.containers[0].image, 'ghcr.io/acme/cart:1', 'undo puts the previous template back');
    } finally {
      s.dispose();
    }
  });
});
