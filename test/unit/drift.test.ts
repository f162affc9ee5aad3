// Drift of live objects from their workspace manifests (domain/manifests/drift.ts): the release fields
// compared where the file sets them, the patch that applies the file, and the edits that take the live
// values into the file. Live objects are the ones the local API server returned (test/fixtures/ownership/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { changedManifestObjects, definingObject, driftOf, driftSides, liveValueEdits, workloadDrift, workloadsOfObjects, fileValueOps } from '../../src/domain/manifests/drift';
import { indexManifests } from '../../src/domain/manifests/locate';
import { planManifestValues } from '../../src/domain/actions/plans';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import type { Deployment, Rollout, Service } from '../../src/domain/model/objects';
import { applyEdits } from '../support/fixtures';

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
  // The container is found by name: index 0 live, named for the files (index 1 there).
  assert.deepEqual(d[2].livePath, ['spec', 'template', 'spec', 'containers', 0, 'image']);
  assert.deepEqual(d[2].fieldPath, ['spec', 'template', 'spec', 'containers', { name: 'app' }, 'image']);
  assert.deepEqual(driftOf(live<Service>('flux-service'), 'Service', service.value).map((f) => [f.field, f.live, f.file]), [['spec.selector.version', 'blue', 'green']]);
  // A selector key only one side has is drift; a file without replicas has no replica drift.
  assert.deepEqual(driftOf(live<Service>('flux-service'), 'Service', { spec: { selector: { app: 'storefront' } } }).map((f) => [f.field, f.live, f.file]), [['spec.selector.version', 'blue', undefined]]);
  assert.deepEqual(driftOf(live<Deployment>('flux-deployment'), 'Deployment', { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/storefront:1.1.0' }] } } } }), []);
  // Step weights of a canary Rollout; odd files drift on nothing and throw nothing.
  const rollout = { metadata: { name: 'r' }, spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }] } } } } as Rollout;
  assert.deepEqual(driftOf(rollout, 'Rollout', { spec: { strategy: { canary: { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }] } } } }).map((f) => [f.field, f.live, f.file]), [['setWeight of step 0', 20, 10]]);
  for (const odd of [undefined, null, 'text', { spec: 'x' }, { spec: { template: { spec: { containers: 'x' } } } }]) assert.deepEqual(driftOf(rollout, 'Rollout', odd), []);
});

/** The workspace index of file texts by path, and how the feature shows a path (workspace-relative). */
const indexOf = (files: Record<string, string>) => indexManifests(new Map(Object.entries(files).map(([p, t]) => [`/w/${p}`, t])));
const relative = (path: string) => path.replace(/^\/w\//, '');

test('the workload says which objects drifted, from which file; the diff sides line up', () => {
  const objects: Record<string, any> = { 'Service/storefront': live<Service>('flux-service'), 'Deployment/storefront-green': live<Deployment>('flux-deployment') };
  const index = indexOf({ 'deploy/shop.yaml': FILE });
  const drift = workloadDrift(
    { kind: 'BlueGreen', name: 'storefront', namespace: 'shop', members: ['storefront-blue', 'storefront-green'], blueGreen: { service: 'storefront' } },
    (kind, name) => objects[`${kind}/${name}`],
    index,
    relative,
  )!;
  assert.deepEqual(drift.objects.map((o) => `${o.resource}/${o.name}`), ['services/storefront', 'deployments/storefront-green']);
  assert.deepEqual(drift.lines, [
    'differs from deploy/shop.yaml: services/storefront spec.selector.version: live blue, file green',
    'differs from deploy/shop.yaml: deployments/storefront-green spec.replicas: live 2, file 4; deployments/storefront-green image of container sidecar: live (none), file ghcr.io/acme/proxy:1.0; deployments/storefront-green image of container app: live ghcr.io/acme/storefront:1.1.0, file ghcr.io/acme/storefront:1.2.0',
  ]);
  const sides = driftSides(drift.objects.flatMap((o) => o.fields));
  assert.equal(sides.live.split('\n').length, sides.file.split('\n').length);
  assert.match(sides.file, /deployments\/storefront-green {2}spec\.replicas: 4/);
  assert.equal(workloadDrift({ kind: 'Deployment', name: 'x', namespace: 'shop', members: [] }, () => undefined, index), undefined);
  // A second file defining the Service: which one is meant is not guessed (its drift is not claimed).
  const twice = workloadDrift({ kind: 'BlueGreen', name: 'storefront', namespace: 'shop', members: ['storefront-blue', 'storefront-green'], blueGreen: { service: 'storefront' } }, (kind, name) => objects[`${kind}/${name}`], indexOf({ 'deploy/shop.yaml': FILE, 'old/service.yaml': FILE.split('---\n')[1] }), relative)!;
  assert.deepEqual(twice.objects.map((o) => o.name), ['storefront-green']);
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
  const index = indexOf({ 'deploy/shop.yaml': FILE });
  const object = definingObject(index, { kind: 'Deployment', name: 'storefront-green', namespace: 'shop' })!;
  const fields = driftOf(live<Deployment>('flux-deployment'), 'Deployment', parseYamlFile(FILE).documents[0].value);
  const { edits, left } = liveValueEdits(index, object, fields);
  assert.deepEqual(left.map((f) => f.field), ['image of container sidecar']);
  assert.deepEqual([...new Set(edits.map((e) => e.file))], ['/w/deploy/shop.yaml']);
  const text = applyEdits(FILE, edits.flatMap((e) => e.edits));
  assert.match(text, /replicas: 2 # more for the sale/);
  assert.match(text, /image: "ghcr\.io\/acme\/storefront:1\.1\.0"\n/, 'the quotes stay');
  assert.match(text, /^# the team's manifests/);
  assert.deepEqual(driftOf(live<Deployment>('flux-deployment'), 'Deployment', parseYamlFile(text).documents[0].value).map((f) => f.field), ['image of container sidecar'], 'only the sidecar is left');
  // A key only one side has is not guessed: said as left to edit by hand.
  const service = definingObject(indexOf({ 'shop.yaml': 'kind: Service\nmetadata: { name: storefront }\nspec:\n  selector: { app: storefront }\n' }), { kind: 'Service', name: 'storefront', namespace: 'shop' })!;
  const missing = driftOf(live<Service>('flux-service'), 'Service', { spec: { selector: { app: 'storefront' } } });
  assert.equal(liveValueEdits(index, service, missing).left.length, 1);
});

// A Kustomize layout: the base's Deployment and Service; the prod overlay gives them their namespace,
// a new tag (images transformer), 5 replicas (replicas transformer) and the live colour (a patch).
const BASE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0.0
`;
const BASE_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
`;
const OVERLAY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - ../base
images:
  - name: ghcr.io/acme/web
    newTag: 1.2.0 # the release
replicas:
  - name: web
    count: 5
patches:
  - path: colour.yaml
`;
const COLOUR = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    version: green
`;
const LAYOUT = {
  'base/deployment.yaml': BASE_DEPLOYMENT,
  'base/service.yaml': BASE_SERVICE,
  'base/kustomization.yaml': 'resources: [deployment.yaml, service.yaml]\n',
  'prod/kustomization.yaml': OVERLAY,
  'prod/colour.yaml': COLOUR,
};

function liveWeb(replicas: number, image: string): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', resourceVersion: '7', generation: 3 }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', image }] } } } } as unknown as Deployment;
}
const WEB = { kind: 'Deployment', name: 'web', namespace: 'shop', members: [] };

test('drift compares a live object with what the Kustomize overlay makes of its base', () => {
  const index = indexOf(LAYOUT);
  // Live has the overlay's values: no drift (the raw base document says 2 replicas of 1.0.0).
  assert.equal(workloadDrift(WEB, () => liveWeb(5, 'ghcr.io/acme/web:1.2.0') as never, index, relative), undefined);
  // Live has the base's values: drift from the overlay, which sets both.
  const drift = workloadDrift(WEB, () => liveWeb(2, 'ghcr.io/acme/web:1.0.0') as never, index, relative)!;
  assert.deepEqual(drift.objects[0].fields.map((f) => [f.field, f.live, f.file]), [['spec.replicas', 2, 5], ['image of container app', 'ghcr.io/acme/web:1.0.0', 'ghcr.io/acme/web:1.2.0']]);
  assert.deepEqual(drift.lines, ['differs from prod/kustomization.yaml: deployments/web spec.replicas: live 2, file 5; deployments/web image of container app: live ghcr.io/acme/web:1.0.0, file ghcr.io/acme/web:1.2.0']);
  // The Service's selector is the base's key and the patch's: a live selector without the colour drifted.
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' }, spec: { selector: { app: 'web', version: 'blue' } } };
  const pair = workloadDrift({ kind: 'BlueGreen', name: 'web', namespace: 'shop', members: [], blueGreen: { service: 'web' } }, () => service as never, index, relative)!;
  assert.deepEqual(pair.lines, ['differs from prod/colour.yaml: services/web spec.selector.version: live blue, file green']);
  assert.equal(workloadDrift({ kind: 'BlueGreen', name: 'web', namespace: 'shop', members: [], blueGreen: { service: 'web' } }, () => ({ ...service, spec: { selector: { app: 'web', version: 'green' } } }) as never, index), undefined);

  // Taking the live values: the edits go where the overlay sets them (the transformers), not into the base.
  const object = drift.objects[0].manifest.object;
  const { edits, left } = liveValueEdits(index, object, drift.objects[0].fields);
  assert.deepEqual(left, []);
  assert.deepEqual(edits.map((e) => [relative(e.file), e.setter?.by]), [['prod/kustomization.yaml', 'replicas'], ['prod/kustomization.yaml', 'images']]);
  const text = applyEdits(OVERLAY, edits.flatMap((e) => e.edits));
  assert.match(text, /newTag: 1\.0\.0 # the release/);
  assert.match(text, /count: 2\n/);
  const after = indexOf({ ...LAYOUT, 'prod/kustomization.yaml': text });
  assert.equal(workloadDrift(WEB, () => liveWeb(2, 'ghcr.io/acme/web:1.0.0') as never, after), undefined, 'no drift once taken');
  const colour = liveValueEdits(index, pair.objects[0].manifest.object, pair.objects[0].fields);
  assert.deepEqual(colour.edits.map((e) => relative(e.file)), ['prod/colour.yaml']);
  assert.match(applyEdits(COLOUR, colour.edits.flatMap((e) => e.edits)), /version: blue\n/);
});

test('the one manifest of a live object: an overlay over the base it includes; two overlays, none', () => {
  const noNamespace = { ...LAYOUT, 'prod/kustomization.yaml': OVERLAY.replace('namespace: shop\n', '') };
  // The base is rendered by itself (a nested kustomization) and by the overlay: one definition, the overlay's.
  const located = definingObject(indexOf(noNamespace), { kind: 'Deployment', name: 'web', namespace: 'shop' });
  assert.equal(located?.kustomization, '/w/prod/kustomization.yaml');
  assert.equal(workloadDrift(WEB, () => liveWeb(5, 'ghcr.io/acme/web:1.2.0') as never, indexOf(noNamespace)), undefined);
  // A staging overlay of the same base, neither naming a namespace: which one runs here is not guessed.
  const both = indexOf({ ...noNamespace, 'staging/kustomization.yaml': 'resources: [../base]\n' });
  assert.equal(definingObject(both, { kind: 'Deployment', name: 'web', namespace: 'shop' }), undefined);
  assert.equal(workloadDrift(WEB, () => liveWeb(2, 'ghcr.io/acme/web:1.0.0') as never, both), undefined);
  // With its namespace, prod's overlay is the one for namespace shop again.
  assert.equal(definingObject(indexOf({ ...LAYOUT, 'staging/kustomization.yaml': 'namespace: staging\nresources: [../base]\n' }), { kind: 'Deployment', name: 'web', namespace: 'shop' })?.kustomization, '/w/prod/kustomization.yaml');
});

test('a file that changes redraws only the workloads made of the objects whose manifests it changed', () => {
  const files = { ...LAYOUT, 'shop.yaml': FILE };
  const before = indexOf(files);
  assert.equal(changedManifestObjects(undefined, before), undefined, 'the first read: everything');
  // The next index, as the workspace builds it: the unchanged files' parses kept from the one before.
  const next = (changes: Record<string, string>) => changedManifestObjects(before, indexManifests(new Map(Object.entries({ ...files, ...changes }).map(([p, t]) => [`/w/${p}`, t])), before));
  // Saved as it was: nothing to redraw.
  assert.deepEqual(next({}), []);
  assert.deepEqual(next({ 'shop.yaml': FILE }), []);
  // The overlay's new tag: the objects it renders (the Service too: the transformer is one of its layers).
  assert.deepEqual(next({ 'prod/kustomization.yaml': OVERLAY.replace('1.2.0', '1.3.0') }), [{ kind: 'Deployment', name: 'web', namespace: 'shop' }, { kind: 'Service', name: 'web', namespace: 'shop' }]);
  // The colour patch: the Service only. The plain file's Service switched: only it.
  assert.deepEqual(next({ 'prod/colour.yaml': COLOUR.replace('green', 'blue') }), [{ kind: 'Service', name: 'web', namespace: 'shop' }]);
  assert.deepEqual(next({ 'shop.yaml': FILE.replace('version: green\n  ports', 'version: blue\n  ports') }), [{ kind: 'Service', name: 'storefront' }]);
  // A second file defining a Deployment (its match becomes ambiguous) is a change of that object.
  assert.deepEqual(next({ 'copy.yaml': FILE.split('---\n')[0] }), [{ kind: 'Deployment', name: 'storefront-green' }]);

  const changed = [{ kind: 'Service', name: 'storefront' }, { kind: 'Deployment', name: 'web', namespace: 'shop' }, { kind: 'Deployment', name: 'api' }];
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
