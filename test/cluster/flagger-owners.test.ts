// Who the API server says wrote what Flagger runs: the managedFields of the real Flagger v1.36.1's
// objects in the local cluster (the demo's blue/green `inventory` and Gateway API canary `search`,
// Initialized in a namespace of their own), read back and given to Switchyard's ownership model.
// Flagger sets no user agent, so the API server names its writes after client-go's default, the
// binary's name; Switchyard's FLAGGER_MANAGER must be that name, or Flagger's writes would read as
// "changed by someone else" (lean.ts latestChange) and a target Deployment whose Canary cannot be
// listed would not be refused (managed.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, FlaggerCanary, KubeObject, Service } from '../../src/domain/model/objects';
import { managedRefusal, managerOf } from '../../src/domain/actions/managed';
import { latestChange } from '../../src/domain/model/lean';
import { fieldOwnersOf, ownersOfField } from '../../src/domain/model/ownership';
import { FLAGGER_MANAGER, RELEASE_CONTROLLERS } from '../../src/domain/release/vocabulary';
import { createObjects, demoObjects, eventually, withNamespace } from './support';

/** The managers of an object's entries that are not a status write, sorted. */
const specManagers = (o: KubeObject) => [...new Set((o.metadata.managedFields ?? []).filter((e) => !e.subresource).map((e) => e.manager))].sort();

describe('Flagger\'s field manager on the objects it writes (real Flagger v1.36.1)', () => {
  test('the primary Deployment, the generated Services and the HTTPRoute are written by "flagger", and so are the target\'s replicas; the ownership model names Flagger for each', async () => {
    await withNamespace('flagger-owners', async (ns, client) => {
      await createObjects(client, ns, demoObjects('60-flagger-bluegreen.yaml', ns));
      await createObjects(client, ns, demoObjects('70-flagger-gateway.yaml', ns));
      for (const name of ['inventory', 'search']) {
        await eventually(`Canary ${name} Initialized`, () => client.request<FlaggerCanary>(`/apis/flagger.app/v1beta1/namespaces/${ns}/canaries/${name}`), (c) => c.status?.phase === 'Initialized', 150_000);
      }
      const get = <T extends KubeObject>(path: string) => client.request<T>(path);
      const deployment = (name: string) => get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
      const service = (name: string) => get<Service>(`/api/v1/namespaces/${ns}/services/${name}`);
      const route = await get<KubeObject>(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/search`);

      // What Flagger generates: written by Flagger alone (the Deployment controller writes only status).
      const generated: [string, KubeObject][] = [
        ['deployments/inventory-primary', await deployment('inventory-primary')],
        ['deployments/search-primary', await deployment('search-primary')],
        ...(await Promise.all(['inventory', 'inventory-primary', 'inventory-canary', 'search-primary', 'search-canary'].map(async (n) => [`services/${n}`, await service(n)] as [string, KubeObject]))),
        ['httproutes/search', route],
      ];
      for (const [key, o] of generated) {
        assert.deepEqual(specManagers(o), [FLAGGER_MANAGER], `${key}: ${JSON.stringify(o.metadata.managedFields?.map((e) => [e.manager, e.operation, e.subresource]))}`);
        // A release controller's write is no news: no "changed by" for what Flagger did.
        assert.equal(latestChange(o.metadata.managedFields), undefined, `${key}: Flagger's writes are a release controller's`);
      }
      assert.ok(RELEASE_CONTROLLERS.includes(FLAGGER_MANAGER));
      const primary = await deployment('inventory-primary');
      assert.deepEqual(ownersOfField(primary.metadata.managedFields, 'spec.template').map((e) => e.manager), [FLAGGER_MANAGER], 'the template Flagger copies from the target');
      for (const n of ['inventory', 'inventory-primary', 'inventory-canary']) {
        assert.deepEqual(ownersOfField((await service(n)).metadata.managedFields, 'spec.selector').map((e) => e.manager), [FLAGGER_MANAGER], `services/${n} selector`);
      }

      // The targets are ours (created by this test), scaled to 0 by Flagger at its initialisation: their replicas are Flagger's.
      for (const name of ['inventory', 'search']) {
        const target = await deployment(name);
        assert.equal(target.spec?.replicas, 0, `${name} scaled to 0`);
        assert.ok(ownersOfField(target.metadata.managedFields, 'spec.replicas').some((e) => e.manager === FLAGGER_MANAGER), `${name}: spec.replicas owned by ${FLAGGER_MANAGER}: ${JSON.stringify(target.metadata.managedFields?.map((e) => [e.manager, e.operation]))}`);
        assert.ok(fieldOwnersOf(target.metadata.managedFields)?.['spec.replicas']?.some((e) => e.manager === FLAGGER_MANAGER), 'the store keeps that owner');
        // Without the Canaries (not listable): the guard rails still name Flagger, from its field manager.
        assert.deepEqual(managerOf('Deployment', target), { engine: 'Flagger', role: `its field manager "${FLAGGER_MANAGER}" owns spec.replicas` });
        assert.equal(managedRefusal('Deployment', target), `Deployment "${name}" is run by Flagger (its field manager "${FLAGGER_MANAGER}" owns spec.replicas): Flagger would undo this; use Approve / Retry on the Canary instead.`);
      }
      // What Flagger generated: by its owner reference, naming the Canary.
      assert.deepEqual(managerOf('Deployment', primary), { engine: 'Flagger', owner: { kind: 'Canary', name: 'inventory' }, role: 'the primary Deployment Flagger generates' });
    });
  });
});
