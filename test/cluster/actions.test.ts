import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewAccess, runPlan } from '../../src/kube/actions';
import { ClusterError } from '../../src/kube/errors';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { ActionRefused, planBlueGreenSwitch, planDeploymentRollback, planSwitchBack } from '../../src/domain/actions/plans';
import { missingWrite } from '../../src/domain/model/access';
import { adminClient, deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const deployments = (ns: string) => resourcePath(RESOURCES.deployments, ns);
const services = (ns: string) => resourcePath(RESOURCES.services, ns);

async function bluegreen(ns: string, client = adminClient()) {
  for (const colour of ['blue', 'green']) await client.request(deployments(ns), { method: 'POST', body: deploymentManifest(`shop-${colour}`, { app: 'shop', version: colour }, `ghcr.io/acme/shop:${colour}`, 2) });
  await client.request(services(ns), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80, targetPort: 8080 }] } } });
}

test('switch and switch back through the real API, confirmed by EndpointSlices', async () => {
  await withNamespace('act-bg', async (ns, client) => {
    await bluegreen(ns, client);
    const s = session();
    try {
      await s.watchNamespace(ns);
      const [view] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.idleReady === true && ws[0].blueGreen.endpointsColours.join() === 'blue');
      const service = await client.request(`${services(ns)}/shop`);
      const dry = await runPlan(client, planBlueGreenSwitch(service, view, 'green'), { dryRun: true });
      assert.equal(dry.results[0].object.spec.selector.version, 'green', 'the dry-run shows the new selector');
      assert.equal((await client.request(`${services(ns)}/shop`)).spec.selector.version, 'blue', 'and changes nothing');
      await runPlan(client, planBlueGreenSwitch(service, view, 'green'), { dryRun: false });
      const [switched] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.endpointsColours.join() === 'green', 30_000);
      const after = await client.request(`${services(ns)}/shop`);
      await runPlan(client, planSwitchBack(after, switched), { dryRun: false });
      await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.live === 'blue' && ws[0].blueGreen.endpointsColours.join() === 'blue', 30_000);
      assert.deepEqual((await client.request(`${services(ns)}/shop`)).spec.selector, { app: 'shop', version: 'blue' });
    } finally {
      s.dispose();
    }
  });
});

test('a concurrent writer between decision and patch: 409 Conflict and nothing changed', async () => {
  await withNamespace('act-409', async (ns, client) => {
    await bluegreen(ns, client);
    const s = session();
    try {
      await s.watchNamespace(ns);
      const [view] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.idleReady === true);
      const service = await client.request(`${services(ns)}/shop`);
      const plan = planBlueGreenSwitch(service, view, 'green');
      // Someone else edits the Service after Switchyard decided.
      await client.patch(`${services(ns)}/shop`, { metadata: { labels: { touched: 'yes' } } }, 'merge');
      await assert.rejects(runPlan(client, plan, { dryRun: false }), (e: unknown) => e instanceof ClusterError && e.kind === 'conflict' && /Nothing was changed/.test(e.message));
      const now = await client.request(`${services(ns)}/shop`);
      assert.equal(now.spec.selector.version, 'blue');
      assert.equal(now.metadata.labels.touched, 'yes');
    } finally {
      s.dispose();
    }
  });
});

test('a switch to a colour that is not ready is refused', async () => {
  await withNamespace('act-notready', async (ns, client) => {
    await bluegreen(ns, client);
    const s = session();
    try {
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.idleReady === true);
      // Scale green up: its new pods are not Ready yet (kwok makes them Ready after a delay).
      await client.patch(`${deployments(ns)}/shop-green`, { spec: { replicas: 4 } }, 'merge');
      const [view] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.colours.find((c) => c.colour === 'green')?.replicas.desired === 4);
      const service = await client.request(`${services(ns)}/shop`);
      assert.throws(() => planBlueGreenSwitch(service, view, 'green'), (e: unknown) => e instanceof ActionRefused && /not ready to take all traffic/.test((e as Error).message));
    } finally {
      s.dispose();
    }
  });
});

test('rollback of a Deployment to the previous and to a chosen revision, as kubectl rollout undo', async () => {
  await withNamespace('act-undo', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1', 2) });
      await s.watchNamespace(ns);
      for (const image of ['ghcr.io/acme/web:2', 'ghcr.io/acme/web:3']) {
        await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
        await client.patch(`${deployments(ns)}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }, 'strategic');
      }
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0].revision === 3, 60_000);
      const read = async () => ({ d: await client.request(`${deployments(ns)}/web`), rs: (await client.request(resourcePath(RESOURCES.replicaSets, ns))).items });
      let { d, rs } = await read();
      await runPlan(client, planDeploymentRollback(d, rs), { dryRun: false });
      const [back] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0].revision === 4, 60_000);
      assert.deepEqual(back.revisions[0].images, ['ghcr.io/acme/web:2']);
      ({ d, rs } = await read());
      await runPlan(client, planDeploymentRollback(d, rs, 1), { dryRun: false });
      const [one] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0].revision === 5, 60_000);
      assert.deepEqual(one.revisions[0].images, ['ghcr.io/acme/web:1']);
      ({ d, rs } = await read());
      assert.match(planDeploymentRollback(d, rs, 5).noop!, /already runs/);
    } finally {
      s.dispose();
    }
  });
});

test('a user with a read-only Role: sees the workloads, the access review denies the patch with a reason, the patch is forbidden', async () => {
  await withNamespace('act-rbac', async (ns, client) => {
    await bluegreen(ns, client);
    // User "limited" may read the namespace (like the built-in "view" role) but not change it.
    await client.request(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-only' }, rules: [{ apiGroups: ['', 'apps', 'discovery.k8s.io', 'argoproj.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] } });
    await client.request(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'limited-read-only' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-only' }, subjects: [{ kind: 'User', name: 'limited', apiGroup: 'rbac.authorization.k8s.io' }] } });
    const s = session('switchyard-limited');
    try {
      await s.watchNamespace(ns);
      const [view] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.idleReady === true, 60_000);
      const plan = planBlueGreenSwitch(await adminClient('switchyard-limited').request(`${services(ns)}/shop`), view, 'green');
      const limited = adminClient('switchyard-limited');
      const [decision] = await reviewAccess(limited, plan);
      assert.equal(decision.allowed, false);
      await assert.rejects(runPlan(limited, plan, { dryRun: true }), (e: unknown) => e instanceof ClusterError && e.kind === 'forbidden' && new RegExp(`you may not patch services/shop in namespace "${ns}"`).test(e.message));
      assert.equal((await reviewAccess(client, plan))[0].allowed, true, 'the admin may');
      assert.equal((await client.request(`${services(ns)}/shop`)).spec.selector.version, 'blue', 'nothing changed');
      // The tree hides the actions ahead of time, with the reason, from the user's rules.
      const rules = await s.accessRules(ns);
      assert.match(missingWrite(rules!, 'BlueGreen', ns)!, new RegExp(`You may not patch services in namespace "${ns}"`));
      assert.equal(missingWrite((await session().accessRules(ns))!, 'BlueGreen', ns), undefined, 'the admin may');
    } finally {
      s.dispose();
    }
  });
});

test('a rollback decided on a spec that someone changed meanwhile is refused as a conflict; status churn is not', async () => {
  await withNamespace('act-gen', async (ns, client) => {
    const s = session();
    try {
      await client.request(deployments(ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1', 2) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 60_000);
      await client.patch(`${deployments(ns)}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/web:2' }] } } } }, 'strategic');
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions[0].revision === 2, 60_000);
      const d = await client.request(`${deployments(ns)}/web`);
      const rs = (await client.request(resourcePath(RESOURCES.replicaSets, ns))).items;
      const plan = planDeploymentRollback(d, rs);
      // Status churn (the controller rewriting status) moves the resourceVersion, not the generation.
      await client.patch(`${deployments(ns)}/web/status`, { status: { conditions: [...d.status.conditions] } }, 'merge');
      await runPlan(client, plan, { dryRun: true });
      // A concurrent spec change: the decision is stale.
      await client.patch(`${deployments(ns)}/web`, { spec: { replicas: 3 } }, 'merge');
      await assert.rejects(runPlan(client, plan, { dryRun: false }), (e: unknown) => e instanceof ClusterError && e.kind === 'conflict' && /changed after Switchyard read it/.test(e.message));
      const now = await client.request(`${deployments(ns)}/web`);
      assert.equal(now.spec.template.spec.containers[0].image, 'ghcr.io/acme/web:2', 'nothing was rolled back');
    } finally {
      s.dispose();
    }
  });
});
