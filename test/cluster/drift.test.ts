// Drift resolved on the real API server: a pair's Service and Deployment differ from their manifest;
// the plan that applies the file's values (one JSON patch per object, preconditioned) is accepted by
// the server's dry-run and then sent, after which nothing differs. The Flux-labelled objects also get
// the ownership line every preview carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { driftOf } from '../../src/domain/manifests/drift';
import { planManifestValues } from '../../src/domain/actions/plans';
import { runPlan } from '../../src/kube/actions';
import { ownershipNotices } from '../../src/kube/ownership';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { deploymentManifest, withNamespace } from './support';

const FLUX = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };

test('the file\'s values applied to drifted objects: dry-run, send, no drift left', async () => {
  await withNamespace('drift', async (ns, client) => {
    const labels = { app: 'shop', version: 'green' };
    const applied = { ...deploymentManifest('shop-green', labels, 'ghcr.io/acme/shop:1.0.0', 2), metadata: { name: 'shop-green', labels: { ...labels, ...FLUX } } };
    await client.patch(resourcePath(RESOURCES.deployments, ns, 'shop-green'), applied, 'apply', { fieldManager: 'kustomize-controller', force: true });
    await client.patch(resourcePath(RESOURCES.services, ns, 'shop'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', labels: FLUX }, spec: { selector: { app: 'shop', version: 'blue' }, ports: [{ port: 80 }] } }, 'apply', { fieldManager: 'kustomize-controller', force: true });
    const file = parseYamlFile(`apiVersion: apps/v1
kind: Deployment
metadata: { name: shop-green }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/shop:1.1.0
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec:
  selector: { app: shop, version: green }
`).documents;
    for (const [kind, resource, name, doc] of [['Deployment', 'deployments', 'shop-green', file[0]], ['Service', 'services', 'shop', file[1]]] as const) {
      const live = await client.request<any>(resourcePath(RESOURCES[resource], ns, name));
      const fields = driftOf(live, kind, doc.value);
      assert.ok(fields.length, `${kind} drifted`);
      const plan = planManifestValues(live, resource, 'shop.yaml', fields);
      const notices = await ownershipNotices(client, plan, [live]);
      assert.ok(notices.length && notices.every((n) => /is managed by kustomize-controller \(Flux Kustomization flux-system\/apps\)/.test(n)), notices.join('\n'));
      const dry = await runPlan(client, plan, { dryRun: true });
      assert.deepEqual(driftOf(dry.results[0].object, kind, doc.value), [], `${kind}: the dry-run's object has the file's values`);
      await runPlan(client, plan, { dryRun: false });
      assert.deepEqual(driftOf(await client.request<any>(resourcePath(RESOURCES[resource], ns, name)), kind, doc.value), [], `${kind}: no drift after the write`);
    }
  });
});
