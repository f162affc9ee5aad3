// The Git path's watch on the real API server: what the files say after a Git-path edit is
// server-side applied by a field manager of its own (as a GitOps controller applies it), and
// watchApplied reads the live object until it matches, naming the manager that owns the field from
// the API server's own managedFields (associative list keys `k:{"name":…}` included). The Flux
// controllers themselves are the subject of gitpath.test.ts once the local cluster runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fieldValue, findObjects, indexManifests } from '../../src/domain/manifests/locate';
import { containerImageField, planImageEdit, planSelectorEdit } from '../../src/domain/gitops/gitpath';
import { readObject, watchApplied } from '../../src/kube/gitpath';
import { lastWriterOfField } from '../../src/domain/model/ownership';
import { RESOURCES, resourcePath } from '../../src/kube/watcher';
import { applyEdits } from '../support/fixtures';
import { deploymentManifest, repoRoot, withNamespace } from './support';

const MANAGER = 'gitpath-test-applier';

function storefrontFiles(): Map<string, string> {
  const root = join(repoRoot, 'test', 'fixtures', 'gitpath', 'storefront');
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

test('after a Git-path switch, the applier\'s server-side apply of what the files say is seen: matches, and the field is the applier\'s', async () => {
  await withNamespace('gitpath', async (ns, client) => {
    const files = storefrontFiles();
    const index = indexManifests(files);
    const ref = { kind: 'Service', name: 'storefront', namespace: 'switchyard-gitops' };
    const edit = planSelectorEdit(index, ref, 'version', 'green');
    const next = indexManifests(new Map(files).set(edit.file, applyEdits(files.get(edit.file)!, edit.edits)));
    const o = findObjects(next, ref)[0];
    const selector = { app: String(fieldValue(next, o, ['spec', 'selector', 'app']).value), version: String(fieldValue(next, o, ['spec', 'selector', 'version']).value) };
    assert.deepEqual(selector, { app: 'storefront', version: 'green' });
    const path = resourcePath(RESOURCES.services, ns, 'storefront');
    const service = (version: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'storefront', namespace: ns }, spec: { selector: { ...selector, version }, ports: [{ port: 80, targetPort: 8080 }] } });
    await client.patch(path, service('blue'), 'apply', { fieldManager: MANAGER });
    // Before the applier takes the commit: waiting, in words that name both values.
    const before = await watchApplied(client, { kind: 'Service', namespace: ns, name: 'storefront', field: edit.field, expected: edit.expected, timeoutMs: 0, intervalMs: 10 });
    assert.equal(before.matches, false);
    assert.match(before.message, /spec\.selector\.version is "blue" in the cluster, the file says "green"/);
    await client.patch(path, service('green'), 'apply', { fieldManager: MANAGER });
    const after = await watchApplied(client, { kind: 'Service', namespace: ns, name: 'storefront', field: edit.field, expected: edit.expected, timeoutMs: 60_000, intervalMs: 200 });
    assert.deepEqual(after, { matches: true, appliedCommit: false, message: 'the cluster matches the file' });
    const live = await readObject(client, 'Service', ns, 'storefront');
    assert.equal(lastWriterOfField(live.metadata.managedFields, edit.field)?.manager, MANAGER);
  });
});

test('a Git-path rollback of an image: the container\'s image field is found under its k:{"name"} key of the real managedFields', async () => {
  await withNamespace('gitpath', async (ns, client) => {
    const index = indexManifests(storefrontFiles());
    const ref = { kind: 'Deployment', name: 'storefront-blue', namespace: 'switchyard-gitops' };
    const edit = planImageEdit(index, ref, 'web', 'ghcr.io/example/storefront:1.0.0');
    assert.equal(edit.file, 'apps/storefront/prod/kustomization.yaml');
    const path = resourcePath(RESOURCES.deployments, ns, 'storefront-blue');
    const manifest = deploymentManifest('storefront-blue', { app: 'storefront', version: 'blue' }, String(edit.expected), 1) as any;
    manifest.metadata.namespace = ns;
    manifest.spec.template.spec.containers[0].name = 'web';
    await client.patch(path, manifest, 'apply', { fieldManager: MANAGER });
    const state = await watchApplied(client, { kind: 'Deployment', namespace: ns, name: 'storefront-blue', field: edit.field, expected: edit.expected, timeoutMs: 60_000, intervalMs: 200 });
    assert.equal(state.matches, true);
    const live = await readObject(client, 'Deployment', ns, 'storefront-blue');
    assert.equal(lastWriterOfField(live.metadata.managedFields, containerImageField('Deployment', 'web'))?.manager, MANAGER);
    assert.equal(lastWriterOfField(live.metadata.managedFields, containerImageField('Deployment', 'sidecar')), undefined);
  });
});
