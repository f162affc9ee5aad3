// Ownership of what an action changes (domain/model/ownership.ts), over objects real field managers
// wrote on the local kube-apiserver (test/fixtures/ownership/, saved by test/cluster/ownership.test.ts):
// which managers own the release fields, which GitOps or Helm tool manages an object, what the
// preview says of each, and that the store's lean summary gives the same "Managed by" as full objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { leanObject } from '../../src/domain/model/lean';
import { emptySnapshot, type ObjectMeta, type Deployment, type NamespaceSnapshot, type Rollout, type Service } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { controllerStateOf, durationWords, fieldOwnership, fieldOwnersOf, gitOpsOwners, lastWriterOfField, ownersOfField, ownershipNotice, RELEASE_FIELDS, writtenFields } from '../../src/domain/model/ownership';
import { renderRollout } from '../../webview/render/rolloutView';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { planBlueGreenSwitch, planCanaryPromote, planDeploymentPause, planDeploymentRestart, planDeploymentRollback, planDeploymentScale, planRolloutAction, planRolloutUndo, planSwitchBack, type ActionPlan } from '../../src/domain/actions/plans';

function fixture<T>(name: string): T {
  const o = parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'ownership', `${name}.yaml`), 'utf8'));
  // The saved objects have no version (it varies per run); plans need one to precondition on.
  return { ...o, metadata: { ...o.metadata, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '100', generation: 1 } } as T;
}

const fluxService = () => fixture<Service>('flux-service');
const fluxDeployment = () => fixture<Deployment>('flux-deployment');

test('the owners of the release fields, from fieldsV1 as the API server wrote them', () => {
  assert.deepEqual(fieldOwnersOf(fluxService().metadata.managedFields), { 'spec.selector': [{ manager: 'kustomize-controller', operation: 'Apply' }] });
  const d = fieldOwnersOf(fluxDeployment().metadata.managedFields)!;
  assert.deepEqual(Object.keys(d).sort(), ['spec.replicas', 'spec.selector', 'spec.template']);
  assert.ok(Object.values(d).every((owners) => owners.length === 1 && owners[0].manager === 'kustomize-controller'));
  // kubectl edit took the whole (atomic) selector: kustomize-controller keeps its ports only.
  assert.deepEqual(fieldOwnersOf(fixture<Service>('flux-service-after-kubectl-edit').metadata.managedFields), { 'spec.selector': [{ manager: 'kubectl-edit', operation: 'Update' }] });
  assert.deepEqual(fieldOwnersOf(fixture<Deployment>('kubectl-deployment').metadata.managedFields)?.['spec.replicas'], [{ manager: 'kubectl-client-side-apply', operation: 'Update' }]);
  // Odd input owns nothing and throws nothing.
  assert.equal(fieldOwnersOf(undefined), undefined);
  assert.equal(fieldOwnersOf([{ manager: 'x', fieldsV1: 'nope' } as never, null as never]), undefined);
});

test('one reading of fieldsV1 for dotted fields and for paths through named list items (the Git path\'s fields): owners, and who wrote last', () => {
  const service = fluxService().metadata.managedFields;
  // A key under the atomic selector belongs to whoever owns the selector, as a dotted path or as segments.
  assert.deepEqual(ownersOfField(service, 'spec.selector.version'), ownersOfField(service, ['spec', 'selector', 'version']));
  assert.equal(lastWriterOfField(service, ['spec', 'selector', 'version'])?.manager, 'kustomize-controller');
  // A container picked by name is the API server's k:{"name":…} key; a position never is.
  const deployment = fluxDeployment().metadata.managedFields!;
  const container = (deployment[0] as { fieldsV1: any }).fieldsV1['f:spec']['f:template']['f:spec']['f:containers'];
  const name = JSON.parse(Object.keys(container).find((k) => k.startsWith('k:'))!.slice(2)).name as string;
  assert.equal(lastWriterOfField(deployment, ['spec', 'template', 'spec', 'containers', { name }, 'image'])?.manager, 'kustomize-controller');
  assert.equal(lastWriterOfField(deployment, ['spec', 'template', 'spec', 'containers', { name: 'not-there' }, 'image']), undefined);
  assert.equal(lastWriterOfField(deployment, ['spec', 'template', 'spec', 'containers', 0, 'image']), undefined);
  // Several writers of one field: the latest by time, with its time.
  const entries = [
    { manager: 'kubectl-edit', operation: 'Update', time: '2026-12-02T05:00:00Z', fieldsV1: { 'f:spec': { 'f:selector': {} } } },
    { manager: 'kustomize-controller', operation: 'Apply', time: '2026-12-02T05:10:14Z', fieldsV1: { 'f:spec': { 'f:selector': {} } } },
    { manager: 'kustomize-controller', operation: 'Update', time: '2026-12-02T05:20:00Z', subresource: 'status', fieldsV1: { 'f:spec': { 'f:selector': {} } } },
  ];
  assert.deepEqual(lastWriterOfField(entries, 'spec.selector'), { manager: 'kustomize-controller', operation: 'Apply', time: '2026-12-02T05:10:14Z' });
  assert.deepEqual(ownersOfField(entries, 'spec.selector').map((o) => o.manager), ['kubectl-edit', 'kustomize-controller']);
});

test('which tool manages an object: Flux, Helm, Argo CD; a bare instance label is nobody', () => {
  assert.deepEqual(gitOpsOwners(fluxService().metadata), [{ tool: 'flux-kustomization', name: 'apps', namespace: 'flux-system' }]);
  assert.deepEqual(gitOpsOwners(fixture<Deployment>('helm-deployment').metadata), [{ tool: 'helm', name: 'billing', namespace: fixture<Deployment>('helm-deployment').metadata.annotations!['meta.helm.sh/release-namespace'] }]);
  assert.deepEqual(gitOpsOwners(fixture<Deployment>('argocd-deployment').metadata), [{ tool: 'argocd', name: 'shop' }]);
  assert.deepEqual(gitOpsOwners(fixture<Deployment>('kubectl-deployment').metadata), []);
  // Apps in any namespace: the tracking id's app is "<namespace>_<name>".
  assert.deepEqual(gitOpsOwners({ name: 'x', annotations: { 'argocd.argoproj.io/tracking-id': 'team-a_shop:apps/Deployment:shop/x' } }), [{ tool: 'argocd', name: 'shop', namespace: 'team-a' }]);
  // Label tracking counts once an Argo CD manager wrote the object.
  assert.deepEqual(gitOpsOwners({ name: 'x', labels: { 'app.kubernetes.io/instance': 'shop' }, managedFields: [{ manager: 'argocd-application-controller', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] }), [{ tool: 'argocd', name: 'shop' }]);
  // A HelmRelease's objects carry Helm's marks too: helm-controller is the one named.
  assert.deepEqual(gitOpsOwners({ name: 'x', namespace: 'shop', labels: { 'helm.toolkit.fluxcd.io/name': 'billing', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' }, annotations: { 'meta.helm.sh/release-name': 'shop-billing' } }), [{ tool: 'flux-helmrelease', name: 'billing', namespace: 'flux-system' }]);
});

test('the preview says when the controller reverts, from its object when readable', () => {
  const [f] = fieldOwnership('services/storefront', fluxService().metadata, ['spec.selector.version']);
  const kustomization = (spec: object) => controllerStateOf('flux-kustomization', { spec });
  assert.equal(ownershipNotice(f, kustomization({ interval: '10m', path: './apps/prod' })), 'spec.selector of services/storefront is managed by kustomize-controller (Flux Kustomization flux-system/apps): this change will be reverted at its next reconcile, at most 10 min.');
  assert.equal(ownershipNotice(f, kustomization({ interval: '1h30m0s', suspend: true })), 'spec.selector of services/storefront is managed by kustomize-controller (Flux Kustomization flux-system/apps): this change will be kept while the Kustomization is suspended, reverted when it resumes.');
  assert.equal(ownershipNotice(f, { readable: false }), 'spec.selector of services/storefront is managed by kustomize-controller (Flux Kustomization flux-system/apps): this change will be reverted at its next reconcile (the Kustomization is not readable here: its interval is unknown).');

  const [a] = fieldOwnership('deployments/search', fixture<Deployment>('argocd-deployment').metadata, ['spec.replicas']);
  const app = (syncPolicy: object | undefined) => controllerStateOf('argocd', { spec: { syncPolicy } });
  assert.match(ownershipNotice(a, app({ automated: { selfHeal: true, prune: true } })), /^spec\.replicas of deployments\/search is managed by argocd-controller \(Argo CD Application shop\): this change will be reverted by self-heal within seconds\.$/);
  assert.match(ownershipNotice(a, app({ automated: {} })), /will be kept, but the Application turns OutOfSync; its next automated sync \(a new commit\) reverts it\.$/);
  assert.match(ownershipNotice(a, app({ automated: { enabled: false, selfHeal: true } })), /kept, but the Application turns OutOfSync; the next sync reverts it\.$/);
  assert.match(ownershipNotice(a, app(undefined)), /the next sync reverts it\.$/);
  assert.match(ownershipNotice(a, { readable: false }), /reverted by self-heal if the Application has it on, .*\(the Application is not readable here\)\.$/);

  const [h] = fieldOwnership('deployments/billing', fixture<Deployment>('helm-deployment').metadata, ['spec.template']);
  assert.match(ownershipNotice(h, undefined), /^spec\.template of deployments\/billing is managed by helm \(Helm release .*\/billing\): this change will be overwritten at the next helm upgrade of release "billing"\.$/);

  const release = { name: 'x', labels: { 'helm.toolkit.fluxcd.io/name': 'billing', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' }, managedFields: [{ manager: 'helm-controller', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] };
  const [r] = fieldOwnership('deployments/x', release, ['spec.replicas']);
  assert.match(ownershipNotice(r, controllerStateOf('flux-helmrelease', { spec: { interval: '5m', driftDetection: { mode: 'enabled' } } })), /reverted at its next reconcile \(drift detection is on\), at most 5 min\.$/);
  assert.match(ownershipNotice(r, controllerStateOf('flux-helmrelease', { spec: { interval: '5m' } })), /overwritten at the next upgrade of the release \(its drift detection is off\)\.$/);
});

test('a field the tool does not own: "may" when someone took it, nothing when nobody owns it', () => {
  const edited = fixture<Service>('flux-service-after-kubectl-edit');
  const [f] = fieldOwnership('services/storefront', edited.metadata, ['spec.selector']);
  assert.equal(f.certain, false);
  assert.equal(ownershipNotice(f, controllerStateOf('flux-kustomization', { spec: { interval: '10m' } })), 'spec.selector of services/storefront belongs to Flux Kustomization flux-system/apps (it is now owned by kubectl-edit): if its manifests set it, this change will be reverted at its next reconcile, at most 10 min.');
  // spec.paused is in nobody's manifest: a pause is not reverted.
  assert.deepEqual(fieldOwnership('deployments/storefront-green', fluxDeployment().metadata, ['spec.paused']), []);
  // A plain kubectl object: nothing to say.
  assert.deepEqual(fieldOwnership('deployments/notes', fixture<Deployment>('kubectl-deployment').metadata, ['spec.replicas']), []);
});

test('Go durations in words', () => {
  assert.deepEqual(['10m', '1h0m0s', '1h30m', '45s', '2m30s', '0s', 'soon', ''].map(durationWords), ['10 min', '1 h', '1 h 30 min', '45 s', '2 min 30 s', '0 s', undefined, undefined]);
});

test('every action writes only release fields (the store keeps their owners), and the fields are read off the patches', () => {
  const svc = fluxService();
  const blue = { ...fluxDeployment(), metadata: { ...fluxDeployment().metadata, name: 'storefront-blue', uid: 'uid-blue', labels: { ...fluxDeployment().metadata.labels, version: 'blue' } } } as Deployment;
  blue.spec = { ...blue.spec, selector: { matchLabels: { app: 'storefront', version: 'blue' } }, template: { ...blue.spec!.template, metadata: { labels: { app: 'storefront', version: 'blue' } } } };
  const green = fluxDeployment();
  const snapshot: NamespaceSnapshot = { ...emptySnapshot('shop'), services: [svc], deployments: [blue, green] };
  const pair = buildWorkloads(snapshot).find((w) => w.kind === 'BlueGreen')!;
  const switched = { ...svc, metadata: { ...svc.metadata, annotations: { 'switchyard.dev/previous-selector': '{"app":"storefront","version":"blue"}' } }, spec: { ...svc.spec, selector: { app: 'storefront', version: 'green' } } } as Service;
  const rollout: Rollout = { metadata: { name: 'r', namespace: 'shop', generation: 2, resourceVersion: '1' }, spec: { paused: true, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } }, template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } }, status: { currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }] } } as Rollout;
  const replicaSets = [1, 2].map((n) => ({ metadata: { name: `r-${n}`, namespace: 'shop', labels: { 'rollouts-pod-template-hash': `h${n}`, 'pod-template-hash': `h${n}` }, annotations: { 'rollout.argoproj.io/revision': String(n), 'deployment.kubernetes.io/revision': String(n) }, ownerReferences: [{ kind: 'Rollout', name: 'r', uid: 'uid-r' }, { kind: 'Deployment', name: green.metadata.name, uid: green.metadata.uid! }] }, spec: { template: { spec: { containers: [{ name: 'app', image: `a:${n}` }] } } } }));
  const plans: ActionPlan[] = [
    planBlueGreenSwitch(svc, pair, 'green', { force: true }),
    planSwitchBack(switched, { ...pair, blueGreen: { ...pair.blueGreen!, live: 'green' } }, { force: true }),
    planDeploymentScale(green, 4),
    planDeploymentPause(green, true),
    planDeploymentRestart(green, new Date(0)),
    planDeploymentRollback(green, replicaSets as never, 1),
    planCanaryPromote(blue, green, { force: true }),
    planRolloutAction({ ...rollout, metadata: { ...rollout.metadata, uid: 'uid-r' } }, 'promote', new Date(0)),
    planRolloutAction(rollout, 'restart', new Date(0)),
    planRolloutUndo({ ...rollout, metadata: { ...rollout.metadata, uid: 'uid-r' } }, replicaSets as never, 1),
  ];
  const specFields = plans.flatMap((p) => p.writes.filter((w) => w.subresource !== 'status').flatMap((w) => writtenFields(w.patch)));
  assert.ok(specFields.length >= plans.length - 1);
  for (const f of specFields) assert.ok(RELEASE_FIELDS.some((p) => f === p || f.startsWith(`${p}.`)), `${f} is a release field`);
  assert.deepEqual(writtenFields(plans[0].writes[0].patch), ['spec.selector.version']);
  assert.deepEqual(writtenFields(plans[1].writes[0].patch), ['spec.selector']);
  assert.deepEqual(writtenFields(plans[4].writes[0].patch), ['spec.template.metadata.annotations']);
});

test('the store keeps only the release fields\' owners, and says Managed by as the full objects do', () => {
  const svc = fluxService();
  const d = fluxDeployment();
  const leanSvc = leanObject('services', svc);
  assert.equal(leanSvc.metadata.managedFields, undefined);
  assert.deepEqual(leanSvc.metadata.fieldOwners, { 'spec.selector': [{ manager: 'kustomize-controller', operation: 'Apply' }] });
  const blue = { ...d, metadata: { ...d.metadata, name: 'storefront-blue', uid: 'uid-blue', labels: { ...d.metadata.labels, version: 'blue' } } } as Deployment;
  blue.spec = { ...blue.spec, selector: { matchLabels: { app: 'storefront', version: 'blue' } }, template: { ...blue.spec!.template, metadata: { labels: { app: 'storefront', version: 'blue' } } } };
  const full: NamespaceSnapshot = { ...emptySnapshot('shop'), services: [svc], deployments: [blue, d] };
  const lean: NamespaceSnapshot = { ...full, services: full.services.map((o) => leanObject('services', o)), deployments: full.deployments.map((o) => leanObject('deployments', o)) };
  const views = buildWorkloads(full);
  assert.deepEqual(buildWorkloads(lean), views);
  const pair = views.find((w) => w.kind === 'BlueGreen')!;
  assert.equal(pair.managedBy?.length, 1);
  assert.match(pair.managedBy![0].text, /^Managed by kustomize-controller \(Flux Kustomization flux-system\/apps\): services\/storefront \(spec\.selector\), deployments\/storefront-blue \(spec\.selector, spec\.replicas, spec\.template\), deployments\/storefront-green \(spec\.selector, spec\.replicas, spec\.template\)$/);
  // Pods are no workload's objects: they keep no owners.
  assert.equal(leanObject('pods', { metadata: { name: 'p', managedFields: d.metadata.managedFields } as ObjectMeta }).metadata.fieldOwners, undefined);
});

test('the details panel\'s header says Managed by and the drift lines, escaped', () => {
  const d = fluxDeployment();
  const [w] = buildWorkloads({ ...emptySnapshot('shop'), deployments: [d] });
  const state: RolloutPanelState = { target: { namespace: 'shop', name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: 0, drift: ['differs from <shop>.yaml: deployments/x spec.replicas: live 2, file 4'] };
  const header = renderRollout(state).find((s) => s.key === 'header')!.html;
  assert.match(header, /<p class="managed-by"[^>]*>Managed by kustomize-controller \(Flux Kustomization flux-system\/apps\): deployments\/storefront-green \(spec\.selector, spec\.replicas, spec\.template\)<\/p>/);
  assert.match(header, /<p class="drift"[^>]*>Drift: differs from &lt;shop&gt;\.yaml: deployments\/x spec\.replicas: live 2, file 4<\/p>/);
  assert.doesNotMatch(renderRollout({ ...state, workload: buildWorkloads({ ...emptySnapshot('shop'), deployments: [fixture<Deployment>('kubectl-deployment')] })[0], drift: undefined }).find((s) => s.key === 'header')!.html, /managed-by|class="drift"/);
});
