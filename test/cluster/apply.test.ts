import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyObject, errorFieldPaths, resolveResource } from '../../src/kube/apply';
import { ClusterError } from '../../src/kube/errors';
import { generate } from '../../src/domain/manifests/generate';
import { parseYamlFile, rangeForPath } from '../../src/domain/yaml/documents';
import { withNamespace } from './support';

test('server-side apply: dry-run changes nothing, the real apply creates, a second apply is idempotent', async () => {
  await withNamespace('apply', async (ns, client) => {
    const [deployment] = generate({ strategy: 'rolling', app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 2 } }).objects as any[];
    const dry = await applyObject(client, { object: deployment, namespace: ns }, true);
    assert.equal(dry.before, undefined);
    assert.equal(dry.after.spec.replicas, 2);
    await assert.rejects(client.request(`/apis/apps/v1/namespaces/${ns}/deployments/web`), (e: unknown) => e instanceof ClusterError && e.kind === 'notFound');
    const real = await applyObject(client, { object: deployment, namespace: ns }, false);
    assert.equal(real.after.metadata.managedFields.some((f: any) => f.manager === 'switchyard'), true);
    const again = await applyObject(client, { object: deployment, namespace: ns }, false);
    assert.equal(again.after.metadata.generation, real.after.metadata.generation, 'no change to the spec, no new generation');
    assert.equal(again.before.spec.replicas, 2);
  });
});

test('API errors name fields that map back to the right YAML lines', async () => {
  await withNamespace('apply-bad', async (ns, client) => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  selector:
    matchLabels: {app: bad}
  template:
    metadata:
      labels: {app: other}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/bad:1
`;
    const file = parseYamlFile(text);
    const error = await applyObject(client, { object: file.documents[0].value as any, namespace: ns }, true).then(() => undefined, (e) => e);
    assert.ok(error instanceof ClusterError && error.kind === 'invalid', String(error));
    const paths = errorFieldPaths(error).map((p) => p.join('.'));
    assert.ok(paths.includes('spec.replicas'), paths.join(', '));
    const range = rangeForPath(file.documents[0], ['spec', 'replicas']);
    assert.equal(text.slice(range.start, range.end), 'replicas');
  });
});

test('kinds the cluster does not serve are named clearly (missing CRD)', async () => {
  await withNamespace('apply-crd', async (_ns, client) => {
    await assert.rejects(resolveResource(client, 'example.com/v1', 'Widget'), /does not serve example\.com\/v1 \(is its CRD installed\?\)/);
    await assert.rejects(resolveResource(client, 'apps/v1', 'Widget'), /no kind Widget/);
  });
});
