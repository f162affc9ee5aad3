// Who owns what an action changes, on objects the real API server's field managers wrote: a
// Flux-style blue/green pair applied server-side as kustomize-controller (its own labels and
// manager name), a Deployment applied as helm and one as argocd-controller, a plain kubectl
// client-side apply, and a kubectl-edit update that takes a field from the applier. What the session's
// view model says (Managed by …) and what the preview says of a switch (ownershipNotices over the
// real plan and the objects read fresh) are checked; the Kustomization and Application are not
// readable here (no Flux or Argo CD CRDs, and a 403 for the limited user): said so, never an error.
// SWITCHYARD_WRITE_FIXTURES=1 saves the objects as the API returned them into
// test/fixtures/ownership/ for the unit tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeClient } from '../../src/kube/client';
import { planBlueGreenSwitch, planDeploymentScale } from '../../src/domain/actions/plans';
import { ownershipNotices, readControllerState } from '../../src/kube/ownership';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { adminClient, deploymentManifest, repoRoot, session, waitForWorkloads, withNamespace } from './support';

const FLUX = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };

async function apply(client: KubeClient, resource: 'services' | 'deployments', ns: string, body: any, fieldManager: string): Promise<any> {
  return client.patch(resourcePath(RESOURCES[resource], ns, body.metadata.name), body, 'apply', { fieldManager, force: true });
}

/** An update (not an apply) as kubectl's client-side apply or edit sends it: a patch under its manager name. */
async function update(client: KubeClient, resource: 'services' | 'deployments', ns: string, name: string, patch: unknown, fieldManager: string): Promise<any> {
  return client.patch(resourcePath(RESOURCES[resource], ns, name), patch, 'merge', { fieldManager });
}

function service(name: string, selector: Record<string, string>, labels: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } };
}

const saved: Record<string, unknown> = {};
function keep(name: string, o: any): void {
  const { metadata } = o;
  // Only what identifies the object and who wrote it: uids, versions and times vary per run.
  saved[name] = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: metadata.name, labels: metadata.labels, annotations: metadata.annotations, managedFields: metadata.managedFields.map((e: any) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, fieldsType: e.fieldsType, fieldsV1: e.fieldsV1, ...(e.subresource ? { subresource: e.subresource } : {}) })) }, spec: o.spec };
}

test('ownership of real field managers: Managed by in the view model, and what the preview says of a switch and a scale', async () => {
  await withNamespace('ownership', async (ns, client) => {
    const app = { app: 'storefront' };
    // kustomize-controller applies the pair (blue without replicas: the manifest leaves them to someone else).
    const blue = await apply(client, 'deployments', ns, { ...deploymentManifest('storefront-blue', { ...app, version: 'blue' }, 'ghcr.io/acme/storefront:1.0.0', 2), metadata: { name: 'storefront-blue', labels: { ...app, version: 'blue', ...FLUX } } }, 'kustomize-controller');
    const green = await apply(client, 'deployments', ns, { ...deploymentManifest('storefront-green', { ...app, version: 'green' }, 'ghcr.io/acme/storefront:1.1.0', 2), metadata: { name: 'storefront-green', labels: { ...app, version: 'green', ...FLUX } } }, 'kustomize-controller');
    const svc = await apply(client, 'services', ns, service('storefront', { ...app, version: 'blue' }, { ...app, ...FLUX }), 'kustomize-controller');
    keep('flux-service', svc);
    keep('flux-deployment', green);
    assert.ok(blue.metadata.managedFields.some((e: any) => e.manager === 'kustomize-controller' && e.operation === 'Apply'));

    // Helm and Argo CD (server-side apply syncs) each apply a Deployment; kubectl client-side applies one.
    const helm = await apply(client, 'deployments', ns, { ...deploymentManifest('billing', { app: 'billing' }, 'ghcr.io/acme/billing:2.0.0', 1), metadata: { name: 'billing', labels: { app: 'billing', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'billing' }, annotations: { 'meta.helm.sh/release-name': 'billing', 'meta.helm.sh/release-namespace': ns } } }, 'helm');
    keep('helm-deployment', helm);
    const argo = await apply(client, 'deployments', ns, { ...deploymentManifest('search', { app: 'search' }, 'ghcr.io/acme/search:3.0.0', 1), metadata: { name: 'search', labels: { app: 'search' }, annotations: { 'argocd.argoproj.io/tracking-id': `shop:apps/Deployment:${ns}/search` } } }, 'argocd-controller');
    keep('argocd-deployment', argo);
    const plainManifest = { ...deploymentManifest('notes', { app: 'notes' }, 'ghcr.io/acme/notes:1.0.0', 1), metadata: { name: 'notes', labels: { app: 'notes', 'app.kubernetes.io/instance': 'notes' } } };
    await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: plainManifest, query: { fieldManager: 'kubectl-client-side-apply' } });
    const plain = await update(client, 'deployments', ns, 'notes', { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(plainManifest) } } }, 'kubectl-client-side-apply');
    keep('kubectl-deployment', plain);

    const s = session();
    try {
      await s.watchNamespace(ns);
      const ws = await waitForWorkloads(s, ns, (x) => ['storefront', 'billing', 'search', 'notes'].every((n) => x.some((w) => w.name === n)));
      const byName = (n: string) => ws.find((w) => w.name === n)!;
      const pair = byName('storefront');
      assert.equal(pair.kind, 'BlueGreen');
      assert.equal(pair.managedBy?.length, 1, 'one Kustomization manages the Service and both Deployments');
      const text = pair.managedBy![0].text;
      assert.match(text, /^Managed by kustomize-controller \(Flux Kustomization flux-system\/apps\): /);
      assert.match(text, /services\/storefront \(spec\.selector\)/);
      assert.match(text, /deployments\/storefront-green \(spec\.selector, spec\.replicas, spec\.template\)/);
      assert.match(byName('billing').managedBy![0].text, /^Managed by helm \(Helm release .*\/billing\): deployments\/billing \(spec\.selector, spec\.replicas, spec\.template\)$/);
      assert.match(byName('search').managedBy![0].text, /^Managed by argocd-controller \(Argo CD Application shop\): /);
      assert.equal(byName('notes').managedBy, undefined, 'app.kubernetes.io/instance from a plain kubectl apply is nobody\'s GitOps');

      // The switch the user would preview: the real plan, over the Service as read now.
      const read = (resource: 'services' | 'deployments', name: string) => client.request<any>(resourcePath(RESOURCES[resource], ns, name));
      const current = await read('services', 'storefront');
      const plan = planBlueGreenSwitch(current, pair, 'green', { force: true });
      const notices = await ownershipNotices(s.client, plan, [current]);
      assert.deepEqual(notices, ['spec.selector of services/storefront is managed by kustomize-controller (Flux Kustomization flux-system/apps): this change will be reverted at its next reconcile (the Kustomization is not readable here: its interval is unknown).']);
      assert.deepEqual(await readControllerState(s.client, { tool: 'argocd', name: 'shop' }), { readable: false }, 'no Argo CD CRD: a 404, not readable');

      // A scale of what nobody manages says nothing; of Helm's Deployment, that the next upgrade overwrites it.
      const notes = await read('deployments', 'notes');
      assert.deepEqual(await ownershipNotices(s.client, planDeploymentScale(notes, 3), [notes]), []);
      const billing = await read('deployments', 'billing');
      assert.deepEqual(await ownershipNotices(s.client, planDeploymentScale(billing, 3), [billing]), ['spec.replicas of deployments/billing is managed by helm (Helm release ' + ns + '/billing): this change will be overwritten at the next helm upgrade of release "billing".']);

      // Someone edits the selector with kubectl edit: the field moves to kubectl-edit, and the
      // Kustomization may still set it (it takes it back at its next reconcile if its manifest does).
      const edited = await update(client, 'services', ns, 'storefront', { spec: { selector: { version: 'green' } } }, 'kubectl-edit');
      keep('flux-service-after-kubectl-edit', edited);
      // A Service's selector is an atomic map: the whole of it moves to its new writer.
      const owners = edited.metadata.managedFields.filter((e: any) => e.fieldsV1?.['f:spec']?.['f:selector']).map((e: any) => e.manager);
      assert.deepEqual(owners, ['kubectl-edit'], 'the API server moved the changed field to its new writer');
      const back = planBlueGreenSwitch(edited, { ...pair, blueGreen: { ...pair.blueGreen!, live: 'green' } }, 'blue', { force: true });
      assert.deepEqual(await ownershipNotices(s.client, back, [edited]), ['spec.selector of services/storefront belongs to Flux Kustomization flux-system/apps (it is now owned by kubectl-edit): if its manifests set it, this change will be reverted at its next reconcile (the Kustomization is not readable here: its interval is unknown).']);
    } finally {
      s.dispose();
    }
    if (process.env.SWITCHYARD_WRITE_FIXTURES) {
      const dir = join(repoRoot, 'test', 'fixtures', 'ownership');
      mkdirSync(dir, { recursive: true });
      for (const [name, o] of Object.entries(saved)) writeFileSync(join(dir, `${name}.yaml`), `# Written by test/cluster/ownership.test.ts (SWITCHYARD_WRITE_FIXTURES=1): the object as the local\n# kube-apiserver (Kubernetes v1.34.4) returned it, managedFields as its field managers left them.\n${stringify(o, { lineWidth: 0 })}`);
    }
  });
});

test('a Kustomization the user may not read is "not readable", not an error', async () => {
  const limited = adminClient('switchyard-limited');
  const path = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps';
  await assert.rejects(limited.request(path), (e: { status?: number }) => e.status === 403, 'the limited user gets a 403');
  await assert.rejects(adminClient().request(path), (e: { status?: number }) => e.status === 404, 'without the CRD, the admin gets a 404');
  assert.deepEqual(await readControllerState(limited, { tool: 'flux-kustomization', name: 'apps', namespace: 'flux-system' }), { readable: false });
});
