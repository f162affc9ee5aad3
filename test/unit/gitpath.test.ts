import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { fieldValue, findObjects, indexManifests, objectsIn, transformImage, type ManifestIndex } from '../../src/domain/manifests/locate';
import { editYaml } from '../../src/domain/manifests/edit';
import { lastWriterOfField } from '../../src/domain/model/ownership';
import { appliedState, containerImageField, describeSetter, planFieldEdit, planImageEdit, planReplicasEdit, planSelectorEdit, revisionSha } from '../../src/domain/gitops/gitpath';
import { gitOpsManager } from '../../src/domain/gitops/managed';
import { applyEdits } from '../support/fixtures';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

/** Every file under a folder, by its path relative to that folder (as the workspace index keys them). */
function filesUnder(folder: string): Map<string, string> {
  const root = join(fixtures, folder);
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.set(relative(root, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const only = <T>(xs: T[]): T => {
  assert.equal(xs.length, 1, `expected one, found ${xs.length}`);
  return xs[0];
};

/** The edited file's text after a Git-path edit, and the index rebuilt from it. */
function afterEdit(files: Map<string, string>, edit: { file: string; edits: { start: number; end: number; newText: string }[] }): { text: string; index: ManifestIndex } {
  const text = applyEdits(files.get(edit.file)!, edit.edits);
  const next = new Map(files).set(edit.file, text);
  return { text, index: indexManifests(next) };
}

// ---- kustomize's own example: multibases (examples/multibases) ----------------------------------

test('kustomize multibases: nested prefixes, outer first (cluster-a-dev-myapp-pod), each variant from the one base pod', () => {
  const index = indexManifests(filesUnder('gitpath/kustomize-multibases'));
  const pods = index.objects.filter((o) => o.kustomization === 'kustomization.yaml').map((o) => o.ref.name).sort();
  assert.deepEqual(pods, ['cluster-a-dev-myapp-pod', 'cluster-a-prod-myapp-pod', 'cluster-a-stag-myapp-pod']);
  const dev = only(findObjects(index, { kind: 'Pod', name: 'cluster-a-dev-myapp-pod' }));
  assert.deepEqual(dev.names, ['myapp-pod', 'dev-myapp-pod', 'cluster-a-dev-myapp-pod']);
  // The variants' own builds are there too (a Flux Kustomization may point at dev/), not the base file as a plain Pod.
  assert.ok(findObjects(index, { kind: 'Pod', name: 'dev-myapp-pod' }).length === 1);
  assert.equal(findObjects(index, { kind: 'Pod', name: 'myapp-pod' })[0]?.kustomization, 'base/kustomization.yaml');
  const image = fieldValue(index, dev, containerImageField('Pod', 'nginx'));
  assert.equal(image.value, 'nginx:1.7.9');
  assert.equal(image.setter?.source.file, 'base/pod.yaml');
  // The base pod's file defines all of them: each gets its lens.
  assert.ok(objectsIn(index, 'base/pod.yaml').some((x) => x.object.ref.name === 'cluster-a-prod-myapp-pod' && x.layer === 'resource'));
});

// ---- Flux's example repository (fluxcd/flux2-kustomize-helm-example) ----------------------------

test('flux2-kustomize-helm-example: staging patches the HelmRelease by target kind, production by patchesStrategicMerge; the base sets the rest', () => {
  const files = filesUnder('gitpath/flux2-kustomize-helm-example');
  const index = indexManifests(files);
  const ref = { kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo' };
  const staging = only(findObjects(index, ref, 'apps/staging').slice(0, 1));
  assert.equal(staging.kustomization, 'apps/staging/kustomization.yaml');
  assert.equal(findObjects(index, ref, 'apps/production')[0].kustomization, 'apps/production/kustomization.yaml');
  const version = fieldValue(index, staging, ['spec', 'chart', 'spec', 'version']);
  assert.equal(version.value, '>=1.0.0');
  assert.equal(version.setter?.by, 'patch');
  assert.equal(version.setter?.source.file, 'apps/staging/podinfo-values.yaml');
  const interval = fieldValue(index, staging, ['spec', 'interval']);
  assert.deepEqual([interval.value, interval.setter?.source.file], ['50m', 'apps/base/podinfo/release.yaml']);
  const prod = findObjects(index, ref, 'apps/production')[0];
  assert.equal(fieldValue(index, prod, ['spec', 'values', 'httpRoute', 'hostnames', 0]).setter?.source.file, 'apps/production/podinfo-values.yaml');
  // The staging patch is a patch of the HelmRelease, not an object of its own.
  assert.ok(!index.objects.some((o) => o.layers[0].type === 'resource' && o.layers[0].source.file === 'apps/staging/podinfo-values.yaml'));
});

// ---- Flagger's kustomize folder (the corpus): bases with files and folders, a two-document patch file, images in the base --

test('flagger kustomize/linkerd: the base images transformer sets the image, the overlay patch the args; namespace from the kustomization', () => {
  const all = filesUnder('corpus/flagger/kustomize');
  const index = indexManifests(all);
  const [flagger] = findObjects(index, { kind: 'Deployment', name: 'flagger', namespace: 'flagger-system' }, 'linkerd');
  assert.equal(flagger.kustomization, 'linkerd/kustomization.yaml');
  const image = fieldValue(index, flagger, containerImageField('Deployment', 'flagger'));
  assert.equal(image.value, 'ghcr.io/fluxcd/flagger:1.44.0');
  assert.deepEqual([image.setter?.by, image.setter?.source.file], ['images', 'base/flagger/kustomization.yaml']);
  const args = fieldValue(index, flagger, ['spec', 'template', 'spec', 'containers', { name: 'flagger' }, 'args']);
  assert.equal(args.setter?.source.file, 'linkerd/patch.yaml');
  assert.ok((args.value as string[]).includes('-mesh-provider=gatewayapi:v1beta1'));
  // the patch file's second document patches the ClusterRoleBinding
  const binding = findObjects(index, { kind: 'ClusterRoleBinding', name: 'flagger' }, 'linkerd')[0];
  const subjects = fieldValue(index, binding, ['subjects']);
  assert.deepEqual([subjects.setter?.source.file, subjects.setter?.source.document], ['linkerd/patch.yaml', 1]);
  // an inline JSON 6902 patch sets the AuthorizationPolicy's namespace field
  const policy = findObjects(index, { kind: 'AuthorizationPolicy', name: 'prometheus-admin-flagger' }, 'linkerd')[0];
  assert.deepEqual(fieldValue(index, policy, ['metadata', 'namespace']).value, 'linkerd-viz');
  // Rolling the image back edits the images entry of the base, keeping the rest of the file.
  const edit = planImageEdit(index, { kind: 'Deployment', name: 'flagger', namespace: 'flagger-system' }, 'flagger', 'ghcr.io/fluxcd/flagger:1.43.0', 'linkerd');
  const { text, index: next } = afterEdit(all, edit);
  assert.equal(edit.file, 'base/flagger/kustomization.yaml');
  assert.equal(text, all.get('base/flagger/kustomization.yaml')!.replace('newTag: 1.44.0', 'newTag: 1.43.0'));
  assert.equal(fieldValue(next, findObjects(next, flagger.ref, 'linkerd')[0], containerImageField('Deployment', 'flagger')).value, 'ghcr.io/fluxcd/flagger:1.43.0');
});

test('microservices-demo kubernetes-manifests: plain resources of a kustomization are found by name, the file each is in', () => {
  const index = indexManifests(filesUnder('corpus/microservices-demo/kubernetes-manifests'));
  const frontend = findObjects(index, { kind: 'Deployment', name: 'frontend', namespace: 'default' })[0];
  assert.equal(frontend.layers[0].type === 'resource' && frontend.layers[0].source.file, 'frontend.yaml');
  assert.equal(frontend.kustomization, 'kustomization.yaml');
  assert.match(String(fieldValue(index, frontend, containerImageField('Deployment', 'server')).value), /^frontend/);
});

// ---- the storefront pair as the local cluster's GitOps repository lays it out --------------------

const storefront = () => filesUnder('gitpath/storefront');
const service = { kind: 'Service', name: 'storefront', namespace: 'switchyard-gitops' };

test('the overlay patch sets the selector, not the base: the switch edits the patch, keeping its quotes and comment', () => {
  const files = storefront();
  const index = indexManifests(files);
  const o = findObjects(index, service)[0];
  const selector = fieldValue(index, o, ['spec', 'selector', 'version']);
  assert.deepEqual([selector.value, selector.setter?.by, selector.setter?.source.file], ['blue', 'patch', 'apps/storefront/prod/service-live.yaml']);
  assert.equal(fieldValue(index, o, ['spec', 'selector', 'app']).setter?.source.file, 'apps/storefront/base/service.yaml');
  const edit = planSelectorEdit(index, service, 'version', 'green');
  assert.equal(describeSetter(edit, (p) => p), 'the patch apps/storefront/prod/service-live.yaml');
  const { text, index: next } = afterEdit(files, edit);
  assert.equal(text, files.get(edit.file)!.replace("version: 'blue'", "version: 'green'"));
  assert.match(text, /# switched by a commit, never by hand/);
  assert.equal(fieldValue(next, findObjects(next, service)[0], ['spec', 'selector', 'version']).value, 'green');
  // the base is left as it was
  assert.equal(next.parsed.get('apps/storefront/base/service.yaml')!.text, files.get('apps/storefront/base/service.yaml'));
});

test('the images transformer sets the image: a rollback edits its newTag (quoted as it was), the manifests keep theirs', () => {
  const files = storefront();
  const index = indexManifests(files);
  const blue = { kind: 'Deployment', name: 'storefront-blue', namespace: 'switchyard-gitops' };
  assert.equal(fieldValue(index, findObjects(index, blue)[0], containerImageField('Deployment', 'web')).value, 'ghcr.io/example/storefront:1.1.0');
  const edit = planImageEdit(index, blue, 'web', 'ghcr.io/example/storefront:1.0.0');
  assert.equal(edit.file, 'apps/storefront/prod/kustomization.yaml');
  const { text } = afterEdit(files, edit);
  assert.equal(text, files.get(edit.file)!.replace('newTag: "1.1.0"', 'newTag: "1.0.0"'));
  // a digest replaces the tag
  const pinned = afterEdit(files, planImageEdit(index, blue, 'web', 'ghcr.io/example/storefront@sha256:' + 'a'.repeat(64)));
  const images = (parseAllDocuments(pinned.text)[0].toJS() as any).images;
  assert.deepEqual(images, [{ name: 'ghcr.io/example/storefront', digest: 'sha256:' + 'a'.repeat(64) }]);
  assert.match(pinned.text, /# production traffic: the live colour/);
  // a new registry is a newName
  const moved = afterEdit(files, planImageEdit(index, blue, 'web', 'registry.local:5000/storefront:1.0.0'));
  assert.deepEqual((parseAllDocuments(moved.text)[0].toJS() as any).images[0], { name: 'ghcr.io/example/storefront', newTag: '1.0.0', newName: 'registry.local:5000/storefront' });
});

test('inline patches: the canary overlay edits inside its block scalar, re-indented; JSON 6902 op values and the replicas transformer too', () => {
  const files = storefront();
  const index = indexManifests(files);
  const ns = 'storefront-canary';
  const svc = findObjects(index, { kind: 'Service', name: 'canary-storefront', namespace: ns })[0];
  const selector = fieldValue(index, svc, ['spec', 'selector', 'version']);
  assert.deepEqual([selector.value, selector.setter?.source.inline], ['green', ['patches', 0, 'patch']]);
  assert.equal(describeSetter(planSelectorEdit(index, svc.ref, 'version', 'blue'), (p) => p), 'the inline patch of apps/storefront/canary/kustomization.yaml');
  const switched = afterEdit(files, planSelectorEdit(index, svc.ref, 'version', 'blue'));
  assert.equal(switched.text, files.get('apps/storefront/canary/kustomization.yaml')!.replace('          version: green', '          version: blue'));
  const green = { kind: 'Deployment', name: 'canary-storefront-green', namespace: ns };
  const image = fieldValue(index, findObjects(index, green)[0], containerImageField('Deployment', 'web'));
  assert.deepEqual([image.value, image.setter?.by], ['ghcr.io/example/storefront:1.2.0-rc1', 'json6902']);
  const rolled = afterEdit(files, planImageEdit(index, green, 'web', 'ghcr.io/example/storefront:1.1.0'));
  assert.equal(rolled.text, files.get('apps/storefront/canary/kustomization.yaml')!.replace('value: ghcr.io/example/storefront:1.2.0-rc1', 'value: ghcr.io/example/storefront:1.1.0'));
  const blue = { kind: 'Deployment', name: 'canary-storefront-blue', namespace: ns };
  assert.deepEqual(fieldValue(index, findObjects(index, blue)[0], ['spec', 'replicas']).value, 9);
  const scaled = afterEdit(files, planReplicasEdit(index, blue, 8));
  assert.equal(scaled.text, files.get('apps/storefront/canary/kustomization.yaml')!.replace('count: 9', 'count: 8'));
  // replicas set nowhere but the base: the base's manifest is edited
  const prodGreen = afterEdit(files, planReplicasEdit(index, { kind: 'Deployment', name: 'storefront-green', namespace: 'switchyard-gitops' }, 3));
  assert.match(prodGreen.text, /name: storefront-green\n[^]*?replicas: 3/);
  assert.match(prodGreen.text, /# The two colours of the storefront: both run, one serves\./);
});

test('a field nobody sets yet is added to the object\'s own manifest through the Document API, comments kept', () => {
  const files = storefront();
  const index = indexManifests(files);
  const o = findObjects(index, service)[0];
  const edit = planFieldEdit(index, o, ['spec', 'sessionAffinity'], 'ClientIP', 'affinity');
  const { text, index: next } = afterEdit(files, edit);
  assert.equal(edit.file, 'apps/storefront/base/service.yaml');
  assert.match(text, /# the base serves blue; prod decides/);
  assert.equal(fieldValue(next, findObjects(next, service)[0], ['spec', 'sessionAffinity']).value, 'ClientIP');
  // only lines that changed are replaced
  assert.ok(edit.edits.every((e) => !e.newText.includes('apiVersion')));
});

test('edits refuse what they cannot do safely, in words', () => {
  const index = indexManifests(storefront());
  assert.throws(() => planSelectorEdit(index, { kind: 'Service', name: 'checkout', namespace: 'x' }, 'version', 'green'), /No manifest of Service "checkout" \(namespace x\) in this workspace/);
  assert.throws(() => planImageEdit(index, { kind: 'Deployment', name: 'storefront-blue' }, 'sidecar', 'x:1'), /no spec\.template\.spec\.containers\[name=sidecar\]\.image to change/);
  assert.throws(() => editYaml('a: [1\n', { document: 0 }, [{ path: ['a'], value: 2 }]), /YAML errors/);
  assert.throws(() => editYaml('patch: >\n  a: 1\n', { document: 0, inline: ['patch'] }, [{ path: ['a'], value: 2 }]), /literal block/);
});

test('images transformer semantics: newName, newTag, digest; registry ports are not tags', () => {
  assert.equal(transformImage('nginx:1.7.9', { name: 'nginx', newTag: '1.8' }), 'nginx:1.8');
  assert.equal(transformImage('nginx', { name: 'nginx', newName: 'my/nginx' }), 'my/nginx');
  assert.equal(transformImage('localhost:5000/app:1', { name: 'localhost:5000/app', digest: 'sha256:ab' }), 'localhost:5000/app@sha256:ab');
  const index = indexManifests(new Map([
    ['k/kustomization.yaml', 'resources: [d.yaml]\nimages:\n- name: localhost:5000/app\n  newTag: "2"\n'],
    ['k/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: c, image: "localhost:5000/app:1"}\n'],
  ]));
  assert.equal(fieldValue(index, findObjects(index, { kind: 'Deployment', name: 'd' })[0], containerImageField('Deployment', 'c')).value, 'localhost:5000/app:2');
});

// ---- GitOps-managed, and the controller applying the commit -------------------------------------

test('GitOps-managed from the controllers\' labels and annotations', () => {
  assert.deepEqual(gitOpsManager({ labels: { 'kustomize.toolkit.fluxcd.io/name': 'storefront', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }), { tool: 'Flux', kind: 'Kustomization', name: 'storefront', namespace: 'flux-system' });
  assert.equal(gitOpsManager({ annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:prod/web' } })?.name, 'shop');
  assert.equal(gitOpsManager({ labels: { 'app.kubernetes.io/instance': 'web' } }), undefined);
  // Argo CD's own label key counts; a Helm release alone reconciles nothing from Git.
  assert.deepEqual(gitOpsManager({ labels: { 'argocd.argoproj.io/instance': 'shop' } }), { tool: 'Argo CD', kind: 'Application', name: 'shop' });
  assert.equal(gitOpsManager({ annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'prod' } }), undefined);
  assert.equal(gitOpsManager(undefined), undefined);
});

test('applied: the Kustomization applied the commit and kustomize-controller owns the field, N s after the push; else "matches" or "waiting"', () => {
  const live = {
    spec: { selector: { app: 'storefront', version: 'green' } },
    metadata: {
      managedFields: [
        { manager: 'kubectl', operation: 'Update', time: '2026-12-02T05:00:00Z', fieldsV1: { 'f:spec': { 'f:ports': {} } } },
        { manager: 'kustomize-controller', operation: 'Apply', time: '2026-12-02T05:10:14Z', fieldsV1: { 'f:spec': { 'f:selector': { 'f:app': {}, 'f:version': {} } } } },
      ],
    },
  };
  const field = ['spec', 'selector', 'version'];
  const commit = { sha: 'abcdef1234567890abcdef1234567890abcdef12', at: new Date('2026-12-02T05:10:00Z'), pushed: true };
  const applied = appliedState({ expected: 'green', live, field, commit, lastAppliedRevision: `main@sha1:${commit.sha}` });
  assert.deepEqual(applied, { matches: true, appliedCommit: true, message: 'applied by kustomize-controller 14 s after the commit was pushed (revision main@sha1:abcdef1)' });
  assert.equal(appliedState({ expected: 'green', live, field, commit, lastAppliedRevision: 'main@sha1:0123456789' }).message, 'the cluster matches the file');
  assert.equal(appliedState({ expected: 'green', live, field }).message, 'the cluster matches the file');
  const waiting = appliedState({ expected: 'blue', live, field, commit, lastAppliedRevision: 'main@sha1:0123456789abcdef' });
  assert.equal(waiting.matches, false);
  assert.equal(waiting.message, 'waiting: spec.selector.version is "green" in the cluster, the file says "blue"; the controller last applied main@sha1:0123456');
  assert.equal(lastWriterOfField(live.metadata.managedFields, ['spec', 'ports'])?.manager, 'kubectl');
  assert.equal(lastWriterOfField([{ manager: 'm', fieldsV1: { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } }], ['spec', 'containers', { name: 'web' }, 'image'])?.manager, 'm');
  assert.equal(revisionSha('main/abc1234'), 'abc1234');
});

test('the lenses\' objects of a file: a base file stands for what the overlays render from it, an overlay patch for the object it patches; a file outside the index for its own documents', async () => {
  const { manifestObjects } = await import('../../src/domain/manifests/locate');
  const { parseYamlFile } = await import('../../src/domain/yaml/documents');
  const files = storefront();
  const index = indexManifests(files);
  const base = 'apps/storefront/base/service.yaml';
  const rendered = manifestObjects(index, base, parseYamlFile(files.get(base)!)).map((x) => `${x.layer} ${x.object.ref.namespace ?? '-'}/${x.object.ref.name}`);
  assert.deepEqual(rendered.sort(), ['resource -/storefront', 'resource storefront-canary/canary-storefront', 'resource switchyard-gitops/storefront']);
  const patch = 'apps/storefront/prod/service-live.yaml';
  assert.deepEqual(manifestObjects(index, patch, parseYamlFile(files.get(patch)!)).map((x) => `${x.layer} ${x.object.ref.namespace}/${x.object.ref.name}`), ['patch switchyard-gitops/storefront']);
  const draft = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n';
  assert.deepEqual(manifestObjects(index, 'Untitled-1', parseYamlFile(draft)).map((x) => x.object.ref), [{ kind: 'Service', name: 'web', namespace: 'shop' }]);
  assert.deepEqual(manifestObjects(undefined, 'x.yaml', parseYamlFile(draft)).length, 1);
});

test('field paths as typed for Set Rollout Field in Git', async () => {
  const { parseFieldPath } = await import('../../src/domain/gitops/gitpath');
  assert.deepEqual(parseFieldPath('spec.strategy.canary.steps[0].setWeight'), ['spec', 'strategy', 'canary', 'steps', 0, 'setWeight']);
  assert.deepEqual(parseFieldPath('spec.template.spec.containers[name=web].image'), ['spec', 'template', 'spec', 'containers', { name: 'web' }, 'image']);
  assert.equal(parseFieldPath('spec..x]'), undefined);
  assert.equal(parseFieldPath(''), undefined);
});

test('a field inside an atomic value (a Service\'s selector: `f:selector: {}` in fieldsV1) is owned by who owns the value', () => {
  const entries = [{ manager: 'kustomize-controller', operation: 'Apply', time: '2026-12-02T05:10:14Z', fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:selector': {} } } }];
  assert.equal(lastWriterOfField(entries, ['spec', 'selector', 'version'])?.manager, 'kustomize-controller');
  assert.equal(lastWriterOfField(entries, ['spec', 'type']), undefined);
});

test('after one file changes, the index keeps the other files\' parses and renders what a fresh index of all the files renders', () => {
  const files = storefront();
  const first = indexManifests(files);
  const patch = 'apps/storefront/prod/service-live.yaml';
  const changed = new Map(files).set(patch, files.get(patch)!.replace('blue', 'green'));
  const next = indexManifests(changed, first);
  for (const path of next.parsed.keys()) {
    if (path === patch) assert.notEqual(next.parsed.get(path), first.parsed.get(path), 'the changed file is parsed again');
    else assert.equal(next.parsed.get(path), first.parsed.get(path), `${path}: its parse is kept`);
  }
  const fresh = indexManifests(changed);
  assert.deepEqual(next.objects, fresh.objects);
  const ref = { kind: 'Service', name: 'storefront', namespace: 'switchyard-gitops' };
  assert.equal(fieldValue(next, findObjects(next, ref)[0], ['spec', 'selector', 'version']).value, 'green', 'the new text is what the index says');
  // A file gone from the workspace is gone from the index, whatever the previous one held.
  const without = new Map(changed);
  without.delete(patch);
  assert.equal(indexManifests(without, next).parsed.has(patch), false);
});

test('while the Kustomization is still on the commit (attempted, health checks running, not failed) the revision that names it may still come', async () => {
  const { applyingCommit } = await import('../../src/domain/gitops/gitpath');
  const sha = 'abcdef1234567890abcdef1234567890abcdef12';
  const ready = (status: string) => [{ type: 'Ready', status }];
  // The real Kustomization of a run (test/fixtures/gitops): applied and attempted are the same, so nothing is pending.
  const k = parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'gitops', 'kustomization-ready.yaml'), 'utf8'));
  assert.equal(applyingCommit(k.status, revisionSha(k.status.lastAppliedRevision)), false);
  assert.equal(applyingCommit({ lastAppliedRevision: 'main@sha1:0123456789', lastAttemptedRevision: `main@sha1:${sha}`, conditions: ready('Unknown') }, sha), true);
  assert.equal(applyingCommit({ lastAppliedRevision: 'main@sha1:0123456789', lastAttemptedRevision: `main@sha1:${sha}`, conditions: ready('True') }, sha.slice(0, 7)), true, 'an abbreviated sha');
  assert.equal(applyingCommit({ lastAppliedRevision: 'main@sha1:0123456789', lastAttemptedRevision: `main@sha1:${sha}`, conditions: ready('False') }, sha), false, 'its health check failed');
  assert.equal(applyingCommit({ lastAppliedRevision: `main@sha1:${sha}`, lastAttemptedRevision: `main@sha1:${sha}` }, sha), false, 'applied: nothing to wait for');
  assert.equal(applyingCommit({ lastAttemptedRevision: 'main@sha1:0123456789' }, sha), false, 'not on the commit yet');
  assert.equal(applyingCommit(undefined, sha), false);
});
