// Drift of live objects from their workspace manifests (domain/manifests/drift.ts): the release fields
// compared where the file sets them, the patch that applies the file, and the edits that take the live
// values into the file. Live objects are the ones the local API server returned (test/fixtures/ownership/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { changedObjects, driftOf, driftSides, liveValueEdits, workloadDrift, workloadsOfObjects, fileValueOps, type ManifestRef } from '../../src/domain/manifests/drift';
import { planManifestValues } from '../../src/domain/actions/plans';
import { parseYamlFile, valueRangeForPath } from '../../src/domain/yaml/documents';
import type { Deployment, Rollout, Service } from '../../src/domain/model/objects';

function live<T>(name: string): T {
  const o = parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'ownership', `${name}.yaml`), 'utf8'));
  return { ...o, metadata: { ...o.metadata, namespace: 'shop', resourceVersion: '7', generation: 3 } } as T;
}

const FILE = `# the team's manifests
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront-green
spec:
  replicas: 4 # more for the sale
  selector:
    matchLabels: { app: storefront, version: green }
  template:
    metadata:
      labels: { app: storefront, version: green }
    spec:
      containers:
        - name: sidecar
          image: ghcr.io/acme/proxy:1.0
        - name: app
          image: "ghcr.io/acme/storefront:1.2.0"
---
apiVersion: v1
kind: Service
metadata:
  name: storefront
spec:
  selector:
    app: storefront
    version: green
  ports: [{ port: 80, targetPort: 8080 }]
`;

test('the release fields that differ, where the file sets them', () => {
  const [deployment, service] = parseYamlFile(FILE).documents;
  const d = driftOf(live<Deployment>('flux-deployment'), 'Deployment', deployment.value);
  assert.deepEqual(d.map((f) => [f.field, f.live, f.file, f.patchable]), [['spec.replicas', 2, 4, true], ['image of container sidecar', undefined, 'ghcr.io/acme/proxy:1.0', false], ['image of container app', 'ghcr.io/acme/storefront:1.1.0', 'ghcr.io/acme/storefront:1.2.0', true]]);
  // The container is found by name: index 0 live, 1 in the file.
  assert.deepEqual(d[2].livePath, ['spec', 'template', 'spec', 'containers', 0, 'image']);
  assert.deepEqual(d[2].filePath, ['spec', 'template', 'spec', 'containers', 1, 'image']);
  assert.deepEqual(driftOf(live<Service>('flux-service'), 'Service', service.value).map((f) => [f.field, f.live, f.file]), [['spec.selector.version', 'blue', 'green']]);
  // A selector key only one side has is drift; a file without replicas has no replica drift.
  assert.deepEqual(driftOf(live<Service>('flux-service'), 'Service', { spec: { selector: { app: 'storefront' } } }).map((f) => [f.field, f.live, f.file]), [['spec.selector.version', 'blue', undefined]]);
  assert.deepEqual(driftOf(live<Deployment>('flux-deployment'), 'Deployment', { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/storefront:1.1.0' }] } } } }), []);
  // Step weights of a canary Rollout; odd files drift on nothing and throw nothing.
  const rollout = { metadata: { name: 'r' }, spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }] } } } } as Rollout;
  assert.deepEqual(driftOf(rollout, 'Rollout', { spec: { strategy: { canary: { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }] } } } }).map((f) => [f.field, f.live, f.file]), [['setWeight of step 0', 20, 10]]);
  for (const odd of [undefined, null, 'text', { spec: 'x' }, { spec: { template: { spec: { containers: 'x' } } } }]) assert.deepEqual(driftOf(rollout, 'Rollout', odd), []);
});

test('the workload says which objects drifted, from which file; the diff sides line up', () => {
  const docs = parseYamlFile(FILE).documents;
  const objects: Record<string, any> = { 'Service/storefront': live<Service>('flux-service'), 'Deployment/storefront-green': live<Deployment>('flux-deployment') };
  const drift = workloadDrift(
    { kind: 'BlueGreen', name: 'storefront', namespace: 'shop', members: ['storefront-blue', 'storefront-green'], blueGreen: { service: 'storefront' } },
    (kind, name) => objects[`${kind}/${name}`],
    (kind, name) => {
      const d = docs.find((x) => x.kind === kind && x.name === name);
      return d && { file: 'deploy/shop.yaml', uri: 'file:///w/deploy/shop.yaml', kind, name, value: d.value };
    },
  )!;
  assert.deepEqual(drift.objects.map((o) => `${o.resource}/${o.name}`), ['services/storefront', 'deployments/storefront-green']);
  assert.deepEqual(drift.lines, [
    'differs from deploy/shop.yaml: services/storefront spec.selector.version: live blue, file green',
    'differs from deploy/shop.yaml: deployments/storefront-green spec.replicas: live 2, file 4; deployments/storefront-green image of container sidecar: live (none), file ghcr.io/acme/proxy:1.0; deployments/storefront-green image of container app: live ghcr.io/acme/storefront:1.1.0, file ghcr.io/acme/storefront:1.2.0',
  ]);
  const sides = driftSides(drift.objects.flatMap((o) => o.fields));
  assert.equal(sides.live.split('\n').length, sides.file.split('\n').length);
  assert.match(sides.file, /deployments\/storefront-green {2}spec\.replicas: 4/);
  assert.equal(workloadDrift({ kind: 'Deployment', name: 'x', namespace: 'shop', members: [] }, () => undefined, () => undefined), undefined);
});

test('applying the file: one JSON patch of the file\'s values, preconditioned on the generation', () => {
  const d = live<Deployment>('flux-deployment');
  const fields = driftOf(d, 'Deployment', parseYamlFile(FILE).documents[0].value);
  const plan = planManifestValues(d, 'deployments', 'deploy/shop.yaml', fields);
  assert.deepEqual(plan.writes[0].patch, [
    { op: 'test', path: '/metadata/generation', value: 3 },
    { op: 'add', path: '/spec/replicas', value: 4 },
    { op: 'add', path: '/spec/template/spec/containers/0/image', value: 'ghcr.io/acme/storefront:1.2.0' },
  ]);
  assert.equal(plan.movesTraffic, undefined);
  // The sidecar only the file has is not patched into the app container's place: it is said.
  assert.match(plan.summary, /Not sent: image of container sidecar/);
  const s = live<Service>('flux-service');
  const switched = planManifestValues(s, 'services', 'deploy/shop.yaml', driftOf(s, 'Service', { spec: { selector: { app: 'storefront' } } }));
  assert.equal(switched.movesTraffic, true, 'a selector change moves traffic: its confirmation defaults to Cancel');
  assert.deepEqual(fileValueOps(driftOf(s, 'Service', { spec: { selector: { app: 'storefront' } } })), [{ op: 'remove', path: '/spec/selector/version' }]);
  assert.ok(planManifestValues(d, 'deployments', 'f.yaml', []).noop);
});

test('taking the live values into the file: the value nodes change, comments and layout stay', () => {
  const file = parseYamlFile(FILE);
  const [deployment] = file.documents;
  const fields = driftOf(live<Deployment>('flux-deployment'), 'Deployment', deployment.value);
  const { edits, left } = liveValueEdits(fields, (path) => valueRangeForPath(deployment, path));
  assert.deepEqual(left.map((f) => f.field), ['image of container sidecar']);
  let text = FILE;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  assert.match(text, /replicas: 2 # more for the sale/);
  assert.match(text, /image: ghcr\.io\/acme\/storefront:1\.1\.0\n/);
  assert.match(text, /^# the team's manifests/);
  assert.deepEqual(driftOf(live<Deployment>('flux-deployment'), 'Deployment', parseYamlFile(text).documents[0].value).map((f) => f.field), ['image of container sidecar'], 'only the sidecar is left');
  // A key only one side has is not guessed: said as left to edit by hand.
  const [, service] = file.documents;
  const missing = driftOf(live<Service>('flux-service'), 'Service', { spec: { selector: { app: 'storefront' } } });
  assert.equal(liveValueEdits(missing, (path) => valueRangeForPath(service, path)).left.length, 1);
});

test('a file that changes redraws only the workloads made of the objects whose documents it changed', () => {
  const ref = (kind: string, name: string, value: unknown, namespace?: string): ManifestRef => ({ file: 'shop.yaml', uri: 'file:///w/shop.yaml', kind, name, ...(namespace ? { namespace } : {}), value });
  const before = [ref('Service', 'storefront', { spec: { selector: { version: 'blue' } } }), ref('Deployment', 'storefront-blue', { spec: { replicas: 2 } }), ref('Deployment', 'web', { spec: { replicas: 3 } }, 'shop')];
  // Saved as it was: nothing to redraw.
  assert.deepEqual(changedObjects(before, before.map((r) => ({ ...r, value: structuredClone(r.value) }))), []);
  // The selector switched, web removed, api added.
  const after = [ref('Service', 'storefront', { spec: { selector: { version: 'green' } } }), before[1], ref('Deployment', 'api', { spec: { replicas: 1 } })];
  const changed = changedObjects(before, after);
  assert.deepEqual(changed, [{ kind: 'Service', name: 'storefront' }, { kind: 'Deployment', name: 'web', namespace: 'shop' }, { kind: 'Deployment', name: 'api' }]);
  // A second document of the same object in the file (its match becomes ambiguous) is a change too.
  assert.deepEqual(changedObjects([before[1]], [before[1], before[1]]), [{ kind: 'Deployment', name: 'storefront-blue' }]);

  const workloads = [
    { id: 'BlueGreen/shop/storefront', kind: 'BlueGreen', name: 'storefront', namespace: 'shop', members: ['storefront-blue', 'storefront-green'], blueGreen: { service: 'storefront' } },
    { id: 'BlueGreen/other/storefront', kind: 'BlueGreen', name: 'storefront', namespace: 'other', members: ['storefront-blue', 'storefront-green'], blueGreen: { service: 'storefront' } },
    { id: 'Deployment/shop/web', kind: 'Deployment', name: 'web', namespace: 'shop', members: [] },
    { id: 'Deployment/other/web', kind: 'Deployment', name: 'web', namespace: 'other', members: [] },
    { id: 'Deployment/shop/cart', kind: 'Deployment', name: 'cart', namespace: 'shop', members: [] },
    { id: 'ReplicaCanary/shop/api', kind: 'ReplicaCanary', name: 'api', namespace: 'shop', members: ['api', 'api-canary'] },
  ];
  // The Service names no namespace (both pairs); web is shop's only; api is a member of the canary; cart is untouched.
  assert.deepEqual(workloadsOfObjects(workloads, changed), ['BlueGreen/shop/storefront', 'BlueGreen/other/storefront', 'Deployment/shop/web', 'ReplicaCanary/shop/api']);
  assert.deepEqual(workloadsOfObjects(workloads, [{ kind: 'Deployment', name: 'storefront-green', namespace: 'other' }]), ['BlueGreen/other/storefront']);
  assert.deepEqual(workloadsOfObjects(workloads, []), []);
});
