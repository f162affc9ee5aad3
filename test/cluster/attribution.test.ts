// "Who changed it" through the real API server (issue 12, part 8): a selector switch PATCHed with
// another field manager is attributed to that manager in the store's lean object and in the view,
// and the transition says so; a switch by Switchyard itself is no news.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../src/kube/actions';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { planBlueGreenSwitch } from '../../src/domain/actions/plans';
import { transition } from '../../src/domain/release/notices';
import { deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

const MANAGER = 'kubectl-client-side-apply';

test('a selector PATCHed with fieldManager=kubectl-client-side-apply is attributed to it; Switchyard\'s own switch is not news', async () => {
  await withNamespace('who', async (ns, client) => {
    const services = resourcePath(RESOURCES.services, ns);
    const create = (path: string, body: unknown) => client.request(path, { method: 'POST', body, query: { fieldManager: 'switchyard-test-setup' } });
    for (const colour of ['blue', 'green']) await create(resourcePath(RESOURCES.deployments, ns), deploymentManifest(`shop-${colour}`, { app: 'shop', version: colour }, `ghcr.io/acme/shop:${colour}`, 2));
    await create(services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const s = session();
    try {
      await s.watchNamespace(ns);
      const [before] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.live === 'blue' && ws[0].blueGreen.idleReady);
      assert.equal(before.lastChange?.manager, 'switchyard-test-setup', 'the creator, before anyone else wrote');
      // managedFields times are whole seconds: a PATCH in the creation's second would tie with it.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
      const patchedAt = Math.floor(Date.now() / 1000) * 1000;
      await client.patch(`${services}/shop`, { spec: { selector: { app: 'shop', version: 'green' } } }, 'merge', { fieldManager: MANAGER });
      const [after] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.live === 'green');

      // The store keeps a summary of managedFields, not the entries.
      const stored = s.snapshot(ns).services.find((x) => x.metadata.name === 'shop')!.metadata;
      assert.equal('managedFields' in stored, false);
      assert.equal(stored.lastChange?.manager, MANAGER);
      assert.equal(stored.lastChange?.operation, 'Update');
      assert.ok(Date.parse(stored.lastChange!.time!) >= patchedAt, `time ${stored.lastChange?.time} is the PATCH's`);
      // The full object agrees: the API server recorded that manager for the selector.
      const full = await client.request<{ metadata: { managedFields: { manager: string; fieldsV1?: { 'f:spec'?: { 'f:selector'?: unknown } } }[] } }>(`${services}/shop`);
      assert.ok(full.metadata.managedFields.some((e) => e.manager === MANAGER && e.fieldsV1?.['f:spec']?.['f:selector']), JSON.stringify(full.metadata.managedFields.map((e) => e.manager)));
      assert.deepEqual(after.lastChange, stored.lastChange);

      const notice = transition(before, after, Date.now());
      assert.equal(notice?.kind, 'changedByOther');
      assert.match(notice!.message, new RegExp(`^shop was switched to green by ${MANAGER} \\d+ s ago\\.$`));
      assert.deepEqual(notice!.actions.map((a) => a.label), ['Switch back to blue', 'Open Details']);

      // Switchyard switches back, as its action does: the last change is its own, and that is no news.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
      await runPlan(client, planBlueGreenSwitch(await client.request(`${services}/shop`), after, 'blue'), { dryRun: false });
      const [back] = await waitForWorkloads(s, ns, (ws) => ws[0]?.blueGreen?.live === 'blue');
      assert.equal(back.lastChange?.manager, 'switchyard');
      assert.equal(transition(after, back, Date.now()), undefined);
    } finally {
      s.dispose();
    }
  });
});
