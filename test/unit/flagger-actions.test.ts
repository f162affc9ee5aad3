// Switchyard's actions on a Flagger Canary (plans, gates, the URL → load tester Service mapping), the
// catalogue's rows and attention for it, and the guard rails that keep the plain-Kubernetes actions
// off what Flagger or Argo Rollouts run. Over objects shaped as the API serves them.
import { test } from 'node:test';
import { snapshotFixture } from '../support/snapshot';
import { buildWorkloads } from '../../src/domain/model/workloads';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ActionRefused, planBlueGreenSwitch, planCanaryAbort, planCanaryPromote, planCanaryShare, planDeploymentPause, planDeploymentRestart, planDeploymentRollback, planDeploymentScale, planSwitchBack, type ActionPlan } from '../../src/domain/actions/plans';
import { planCanaryAction, planGate, proxyPath } from '../../src/domain/actions/flagger';
import { gateHooks, noGateMessage, parseHookUrl, serviceForAddress, type ResolvedGate } from '../../src/domain/actions/flaggerGates';
import { managedRefusal, managerOf, type Engines } from '../../src/domain/actions/managed';
import { ACTIONS, attentionContextValue, isOffered, menuWhen, panelActionSpec, workloadActions, workloadContextValue } from '../../src/domain/actions/catalogue';
import { Commands } from '../../src/commands';
import { parseRolloutMessage } from '../../src/domain/panels/protocol';
import { attentionOf } from '../../src/domain/release/attention';
import { callFailure } from '../../src/kube/loadtester';
import type { Deployment, EndpointSlice, FlaggerCanary, Rollout, Service } from '../../src/domain/model/objects';
import type { WorkloadView } from '../../src/domain/model/workloads';

function fixture() {
  const docs = parseAllDocuments(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'flagger', 'podinfo.yaml'), 'utf8')).map((d) => d.toJS());
  const of = <T>(kind: string) => docs.filter((d) => d.kind === kind) as T[];
  const deployments = of<Deployment>('Deployment');
  return {
    canary: of<FlaggerCanary>('Canary')[0],
    deployment: (name: string) => deployments.find((d) => d.metadata.name === name)!,
    service: (name: string) => of<Service>('Service').find((s) => s.metadata.name === name)!,
    slices: of<EndpointSlice>('EndpointSlice'),
    engines: { canaries: of<FlaggerCanary>('Canary'), rollouts: of<Rollout>('Rollout') } as Engines,
  };
}

const now = new Date('2026-12-02T06:00:00Z');
const withPhase = (c: FlaggerCanary, phase: NonNullable<FlaggerCanary['status']>['phase'], spec: Partial<NonNullable<FlaggerCanary['spec']>> = {}): FlaggerCanary => ({ ...c, spec: { ...c.spec, ...spec }, status: { ...c.status, phase } });
const refused = (fn: () => unknown, message: RegExp, forcible = false) =>
  assert.throws(fn, (e: unknown) => e instanceof ActionRefused && message.test(e.message) && e.forcible === forcible);

// ---- plans on the Canary ----------------------------------------------------------------------

test('suspend and resume patch spec.suspend, tested on the Canary generation; each is a no-op in its own state', () => {
  const { canary } = fixture();
  const suspend = planCanaryAction(canary, 'suspend', { now });
  assert.deepEqual(suspend.writes, [{ resource: 'canaries', namespace: 'test', name: 'podinfo', subresource: undefined, patchType: 'json', verb: 'patch', patch: [{ op: 'test', path: '/metadata/generation', value: 3 }, { op: 'add', path: '/spec/suspend', value: true }] }]);
  assert.match(suspend.summary, /no analysis step, no promotion, no rollback/);
  assert.ok(!suspend.movesTraffic);
  assert.match(planCanaryAction(canary, 'resume', { now }).noop!, /not suspended/);
  const suspended = withPhase(canary, 'Progressing', { suspend: true });
  assert.match(planCanaryAction(suspended, 'suspend', { now }).noop!, /already suspended/);
  assert.deepEqual((planCanaryAction(suspended, 'resume', { now }).writes[0].patch as unknown[])[1], { op: 'add', path: '/spec/suspend', value: false });
});

test('retry sets switchyard.dev/restartedAt on the target\'s pod template (a new revision for Flagger), refused while analysing unless forced', () => {
  const { canary, deployment } = fixture();
  const target = deployment('podinfo');
  const failed = withPhase(canary, 'Failed');
  const plan = planCanaryAction(failed, 'retry', { now, target });
  assert.equal(plan.writes.length, 1);
  assert.equal(plan.writes[0].resource, 'deployments');
  assert.equal(plan.writes[0].name, 'podinfo');
  assert.deepEqual(plan.writes[0].patch, [
    { op: 'test', path: '/metadata/generation', value: 7 },
    { op: 'add', path: '/spec/template/metadata/annotations/switchyard.dev~1restartedAt', value: '2026-12-02T06:00:00.000Z' },
  ]);
  assert.match(plan.summary, /runs the whole analysis again from the first step/);
  // No annotations on the template yet: the map is created.
  const bare = { ...target, spec: { ...target.spec, template: { metadata: { labels: { app: 'podinfo' } }, spec: target.spec!.template!.spec } } };
  assert.deepEqual((planCanaryAction(failed, 'retry', { now, target: bare }).writes[0].patch as unknown[])[1], { op: 'add', path: '/spec/template/metadata/annotations', value: { 'switchyard.dev/restartedAt': '2026-12-02T06:00:00.000Z' } });
  refused(() => planCanaryAction(canary, 'retry', { now, target }), /analysing a revision now \(phase WaitingPromotion, all on the primary\).*or force it\./, true);
  assert.match(planCanaryAction(canary, 'retry', { now, target, force: true }).summary, /FORCED while WaitingPromotion/);
  refused(() => planCanaryAction(withPhase(canary, 'Failed', { suspend: true }), 'retry', { now, target }), /suspended.*Resume it first/);
  refused(() => planCanaryAction(withPhase(canary, 'Initializing'), 'retry', { now, target }), /not initialised yet/);
  refused(() => planCanaryAction(failed, 'retry', { now }), /Deployment "podinfo" \(the target of Canary "podinfo"\) was not found/);
  refused(() => planCanaryAction(withPhase(canary, 'Failed', { targetRef: { kind: 'DaemonSet', name: 'podinfo' } }), 'retry', { now, target }), /targets DaemonSet "podinfo"/);
  assert.match(planCanaryAction(withPhase(canary, 'Succeeded', { skipAnalysis: true }), 'retry', { now, target }).summary, /skipAnalysis is true/);
});

test('promote without analysis sets spec.skipAnalysis, says what it skips and that it stays; restore sets it back', () => {
  const { canary } = fixture();
  const plan = planCanaryAction(canary, 'skipAnalysis', { now });
  assert.equal(plan.title, 'Promote "podinfo" without analysis (skipAnalysis)');
  assert.equal(plan.movesTraffic, true);
  assert.deepEqual((plan.writes[0].patch as unknown[])[1], { op: 'add', path: '/spec/skipAnalysis', value: true });
  assert.match(plan.summary, /skips the metric checks, every webhook \(load tests, gates, rollback hooks\) and the traffic steps/);
  assert.match(plan.summary, /The flag stays until set back \(Restore Analysis\)/);
  assert.match(plan.summary, /copies the canary's template to "podinfo-primary"/);
  assert.match(planCanaryAction(withPhase(canary, 'Succeeded'), 'skipAnalysis', { now }).summary, /the next one is promoted at once/);
  const skipping = withPhase(canary, 'Succeeded', { skipAnalysis: true });
  assert.match(planCanaryAction(skipping, 'skipAnalysis', { now }).noop!, /already skips/);
  assert.match(planCanaryAction({ ...canary, spec: { ...canary.spec, analysis: undefined } }, 'skipAnalysis', { now }).noop!, /has no analysis/);
  assert.deepEqual((planCanaryAction(skipping, 'restoreAnalysis', { now }).writes[0].patch as unknown[])[1], { op: 'add', path: '/spec/skipAnalysis', value: false });
  assert.match(planCanaryAction(canary, 'restoreAnalysis', { now }).noop!, /does not skip/);
});

// ---- webhook URLs and the load tester's Service ----------------------------------------------

test('a webhook URL names a Service by its DNS name (namespace default: the Canary\'s), or an address', () => {
  const svc = (name: string, namespace: string, port: string, path = '/gate/check', scheme = 'http') => ({ kind: 'service', name, namespace, port, scheme, path });
  assert.deepEqual(parseHookUrl('http://flagger-loadtester.test/gate/check', 'apps'), svc('flagger-loadtester', 'test', '80'));
  assert.deepEqual(parseHookUrl('http://flagger-loadtester.test.svc/gate/check', 'apps'), svc('flagger-loadtester', 'test', '80'));
  assert.deepEqual(parseHookUrl('http://flagger-loadtester.test.svc.cluster.local:8080/gate/check', 'apps'), svc('flagger-loadtester', 'test', '8080'));
  assert.deepEqual(parseHookUrl('http://flagger-loadtester/gate/check', 'apps'), svc('flagger-loadtester', 'apps', '80'));
  assert.deepEqual(parseHookUrl('https://lt.tools.svc.corp.internal/lt/rollback/check', 'apps'), svc('lt', 'tools', '443', '/lt/rollback/check', 'https'));
  assert.deepEqual(parseHookUrl('http://10.244.1.17:8080/gate/check', 'apps'), { kind: 'ip', ip: '10.244.1.17', port: 8080, scheme: 'http', path: '/gate/check' });
  assert.deepEqual(parseHookUrl('http://[fd00::17]:8080/gate/check', 'apps'), { kind: 'ip', ip: 'fd00::17', port: 8080, scheme: 'http', path: '/gate/check' });
  assert.match(parseHookUrl('http://gates.example.com/gate/check', 'apps') as string, /not the name of a Service in the cluster/);
  assert.match(parseHookUrl('not a url', 'apps') as string, /is not a URL/);
  assert.match(parseHookUrl('ftp://lt.test/gate/check', 'apps') as string, /not an http\(s\) URL/);
});

test('an address is the Service whose EndpointSlice holds it with that port, with the port\'s name for the proxy', () => {
  const { slices } = fixture();
  assert.deepEqual(serviceForAddress(slices, '10.244.1.17', 8080), { namespace: 'tools', name: 'flagger-loadtester', port: 'http' });
  assert.deepEqual(serviceForAddress(slices, '10.244.1.17', 9090), { namespace: 'tools', name: 'other', port: 'metrics' });
  assert.equal(serviceForAddress(slices, '10.244.1.18', 8080), undefined);
  assert.equal(serviceForAddress(slices, '10.244.1.17', 80), undefined);
  const unnamed: EndpointSlice = { ...slices[0], ports: [{ port: 8080, protocol: 'TCP' }] };
  assert.deepEqual(serviceForAddress([unnamed], '10.244.1.17', 8080), { namespace: 'tools', name: 'flagger-loadtester', port: '' });
});

test('the gates of a Canary are its confirm-* and rollback webhooks on a load tester\'s /gate/check and /rollback/check', () => {
  const { canary } = fixture();
  const confirm = gateHooks(canary, 'confirm');
  assert.deepEqual(confirm.hooks.map((h) => [h.webhook.name, h.type, h.base]), [['ask-for-promotion', 'confirm-promotion', '']]);
  assert.deepEqual(confirm.problems, []);
  const rollback = gateHooks(canary, 'rollback');
  assert.deepEqual(rollback.hooks.map((h) => [h.webhook.name, h.address.kind]), [['rollback', 'ip']]);
  const odd = { ...canary, spec: { ...canary.spec, analysis: { webhooks: [
    { name: 'always', type: 'confirm-rollout' as const, url: 'http://lt.test/gate/approve' },
    { name: 'elsewhere', type: 'confirm-promotion' as const, url: 'http://approvals.example.com/ok' },
    { name: 'not-a-gate', type: 'confirm-traffic-increase' as const, url: 'http://lt.test/run' },
  ] } } };
  const found = gateHooks(odd, 'confirm');
  assert.deepEqual(found.hooks, []);
  assert.match(found.problems[0], /"always" calls \/gate\/approve, which always approves: point it at \/gate\/check/);
  assert.match(found.problems[1], /"elsewhere": "approvals.example.com" is not the name of a Service/);
  assert.match(found.problems[2], /"not-a-gate" \(http:\/\/lt.test\/run\) is not a Flagger load tester's \/gate\/check/);
  assert.match(noGateMessage(odd, 'confirm', found.problems), /^No webhook of Canary "podinfo" is a gate \(confirm-rollout, confirm-promotion, confirm-traffic-increase\)/);
});

function resolved(canary: FlaggerCanary, kind: 'confirm' | 'rollback', service: ResolvedGate['service']): ResolvedGate[] {
  return gateHooks(canary, kind).hooks.map((h) => ({ ...h, service }));
}

test('approve opens the Canary\'s gate through the service proxy (moves traffic: a promotion); halt closes it', () => {
  const { canary } = fixture();
  const gates = resolved(canary, 'confirm', { namespace: 'tools', name: 'flagger-loadtester', port: '8080' });
  const approve = planGate(canary, 'approve', gates);
  assert.equal(approve.movesTraffic, true);
  assert.deepEqual(approve.writes, []);
  assert.deepEqual(approve.calls, [{ namespace: 'tools', service: 'flagger-loadtester', port: '8080', scheme: 'http', path: '/gate/open', body: { name: 'podinfo', namespace: 'test' }, what: 'webhook "ask-for-promotion" (confirm-promotion)' }]);
  assert.equal(proxyPath(approve.calls![0]), '/api/v1/namespaces/tools/services/flagger-loadtester:8080/proxy/gate/open');
  assert.match(approve.summary, /promoted to "podinfo-primary" and traffic moves to it.*The gate stays open until closed/);
  const halt = planGate(canary, 'halt', gates);
  assert.ok(!halt.movesTraffic);
  assert.equal(halt.calls![0].path, '/gate/close');
  refused(() => planGate(canary, 'approve', []), /No webhook of Canary "podinfo" is a gate/);
  // Two gates on one load tester: one call (the gate is one per Canary there).
  const twice = planGate(canary, 'approve', [...gates, { ...gates[0], type: 'confirm-rollout', webhook: { name: 'start', type: 'confirm-rollout', url: gates[0].webhook.url } }]);
  assert.equal(twice.calls!.length, 1);
  assert.match(twice.calls![0].what, /ask-for-promotion.*start/);
  // https and an unnamed port are spelt as the proxy takes them.
  assert.equal(proxyPath({ namespace: 'a b', service: 'lt', port: '', scheme: 'https', path: '/x' }), '/api/v1/namespaces/a%20b/services/https:lt/proxy/x');
});

test('open rollback makes Flagger roll back (moves traffic), refused outside an analysis unless forced; close rollback closes it', () => {
  const { canary } = fixture();
  const gates = resolved(canary, 'rollback', { namespace: 'tools', name: 'flagger-loadtester', port: 'http' });
  const open = planGate(canary, 'openRollback', gates);
  assert.equal(open.movesTraffic, true);
  assert.equal(proxyPath(open.calls![0]), '/api/v1/namespaces/tools/services/flagger-loadtester:http/proxy/rollback/open');
  assert.match(open.summary, /all traffic goes back to the primary.*phase becomes Failed/);
  const done = withPhase(canary, 'Succeeded');
  refused(() => planGate(done, 'openRollback', gates), /not being analysed \(phase Succeeded\).*or force it\./, true);
  assert.match(planGate(done, 'openRollback', gates, { force: true }).summary, /FORCED while Succeeded/);
  assert.equal(planGate(done, 'closeRollback', gates).calls![0].path, '/rollback/close');
});

test('the load tester\'s and the API server\'s refusals are told apart', () => {
  const call = { namespace: 'tools', service: 'flagger-loadtester', port: 'http', scheme: 'http' as const, path: '/gate/open', body: { name: 'podinfo', namespace: 'test' }, what: 'x' };
  assert.equal(callFailure(call, 202, undefined), undefined);
  assert.match(callFailure(call, 403, { kind: 'Status', message: 'services "flagger-loadtester" is forbidden: User "dev" cannot create resource "services/proxy"' })!, /Forbidden: you may not use the service proxy of tools\/flagger-loadtester \(it needs "create" on services\/proxy/);
  assert.match(callFailure(call, 503, { kind: 'Status', message: 'no endpoints available for service "flagger-loadtester"' })!, /cannot be reached through the API server/);
  assert.match(callFailure(call, 404, { kind: 'Status', message: 'services "flagger-loadtester" not found' })!, /no such Service or port/);
  assert.match(callFailure(call, 403, 'Forbidden')!, /The load tester tools\/flagger-loadtester refused \/gate\/open for namespace "test".*-namespace-regexp/);
  assert.match(callFailure(call, 404, '404 page not found')!, /has no \/gate\/open/);
  assert.match(callFailure(call, 400, '')!, /answered 400 to \/gate\/open/);
});

// ---- guard rails ------------------------------------------------------------------------------

test('one function says who runs a Deployment or Service: Flagger (target, generated, owned) or Argo Rollouts (workloadRef, managed Services)', () => {
  const { deployment, service, engines } = fixture();
  assert.deepEqual(managerOf('Deployment', deployment('podinfo'), engines), { engine: 'Flagger', owner: { kind: 'Canary', name: 'podinfo' }, role: 'its target Deployment' });
  assert.deepEqual(managerOf('Deployment', deployment('podinfo-primary')), { engine: 'Flagger', owner: { kind: 'Canary', name: 'podinfo' }, role: 'the primary Deployment Flagger generates' });
  for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
    assert.equal(managerOf('Service', service(name))?.owner?.name, 'podinfo', `${name} by its owner reference`);
    const unowned = { ...service(name), metadata: { ...service(name).metadata, ownerReferences: undefined } };
    assert.equal(managerOf('Service', unowned, engines)?.engine, 'Flagger', `${name} by the Canary's names`);
  }
  assert.deepEqual(managerOf('Deployment', deployment('checkout-template'), engines), { engine: 'Argo Rollouts', owner: { kind: 'Rollout', name: 'checkout' }, role: 'the Deployment its workloadRef takes the pod template from' });
  const argoService: Service = { metadata: { name: 'checkout-stable', annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'checkout' } } };
  assert.equal(managerOf('Service', argoService)?.engine, 'Argo Rollouts');
  assert.equal(managerOf('Deployment', deployment('web'), engines), undefined);
  assert.equal(managedRefusal('Deployment', deployment('podinfo-primary')), 'Deployment "podinfo-primary" is run by Flagger\'s Canary "podinfo" (the primary Deployment Flagger generates): Flagger would undo this; use Approve / Retry on the Canary instead.');
  // No Canary to read (not allowed to list them) and no owner reference (the target is the user's):
  // Flagger's field manager owning the replicas it scaled tells (as test/cluster/flagger-owners reads it).
  const scaled: Deployment = { ...deployment('podinfo'), metadata: { ...deployment('podinfo').metadata, managedFields: [
    { manager: 'kubectl-client-side-apply', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {} } } } } },
    { manager: 'flagger', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
  ] } };
  assert.deepEqual(managerOf('Deployment', scaled), { engine: 'Flagger', role: 'its field manager "flagger" owns spec.replicas' });
  assert.equal(managedRefusal('Deployment', scaled), 'Deployment "podinfo" is run by Flagger (its field manager "flagger" owns spec.replicas): Flagger would undo this; use Approve / Retry on the Canary instead.');
  // Someone else's managedFields say nothing: a plain Deployment stays plain.
  assert.equal(managerOf('Deployment', { ...scaled, metadata: { ...scaled.metadata, managedFields: scaled.metadata.managedFields!.filter((e) => e.manager !== 'flagger') } }), undefined);
  const takenOver: Service = { metadata: { name: 'shop', managedFields: [{ manager: 'flagger', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:selector': {} } } }] } };
  assert.equal(managerOf('Service', takenOver)?.role, 'its field manager "flagger" owns spec.selector', 'a hand-written Service Flagger took over');
});

test('every plain plan refuses what an engine runs, with the engine\'s own action to use; unmanaged objects still plan', () => {
  const { deployment, service, engines } = fixture();
  const primary = deployment('podinfo-primary');
  const target = deployment('podinfo');
  const template = deployment('checkout-template');
  const flagger = /run by Flagger's Canary "podinfo".*Flagger would undo this; use Approve \/ Retry on the Canary instead\./;
  const argo = /run by the Argo Rollout "checkout".*Argo Rollouts would undo this; use Promote \/ Abort \/ Undo on the Rollout instead\./;
  const view = { name: 'podinfo', namespace: 'test', blueGreen: { selectorKey: 'app', live: 'podinfo-primary', colours: [] } } as unknown as WorkloadView;
  const plans: [string, () => ActionPlan, RegExp][] = [
    ['switch traffic', () => planBlueGreenSwitch(service('podinfo'), view, 'green', { force: true, engines }), /Service "podinfo" is run by Flagger's Canary "podinfo"/],
    ['switch back', () => planSwitchBack(service('podinfo-canary'), view, { engines }), /Service "podinfo-canary" is run by Flagger's Canary/],
    ['rollback', () => planDeploymentRollback(primary, [], undefined, engines), flagger],
    ['pause', () => planDeploymentPause(target, true, engines), /Deployment "podinfo" is run by Flagger's Canary "podinfo" \(its target Deployment\)/],
    ['resume', () => planDeploymentPause({ ...primary, spec: { ...primary.spec, paused: true } }, false, engines), flagger],
    ['restart', () => planDeploymentRestart(primary, now, engines), flagger],
    ['scale', () => planDeploymentScale(template, 3, engines), argo],
    ['canary share', () => planCanaryShare(primary, target, 20, engines), flagger],
    ['promote canary', () => planCanaryPromote(template, deployment('web'), { engines }), argo],
    ['abort canary', () => planCanaryAbort(deployment('web'), template, engines), argo],
  ];
  for (const [name, plan, message] of plans) refused(plan, message), assert.ok(true, name);
  // Generated objects are refused on their own (owner references), without the engines' list.
  refused(() => planDeploymentScale(primary, 3), flagger);
  assert.equal(planDeploymentScale(deployment('web'), 3, engines).writes.length, 1);
  assert.equal(planDeploymentRestart(deployment('web'), now, engines).writes.length, 1);
});

// ---- catalogue and attention ------------------------------------------------------------------

/** The view model of `c` beside the fixture's objects of its namespace, as the store builds it. */
function canaryView(c: FlaggerCanary): WorkloadView {
  const snapshot = snapshotFixture('flagger/podinfo.yaml', 'test');
  for (const list of Object.values(snapshot)) if (Array.isArray(list)) list.splice(0, list.length, ...list.filter((o: { metadata: { namespace?: string } }) => o.metadata.namespace === 'test'));
  snapshot.canaries = [c];
  const view = buildWorkloads(snapshot).find((w) => w.kind === 'Canary');
  assert.ok(view, 'the Canary has a view');
  return view;
}

function menuOffers(contextValue: string): string[] {
  return ACTIONS.filter((a) => a.kinds.includes('Canary') && a.target === 'workload').filter((a) => [...menuWhen(a).matchAll(/viewItem =~ \/(.*?)\/(?= \|\||\)|$)/g)].some((m) => new RegExp(m[1]).test(contextValue))).map((a) => a.id);
}

test('a Canary\'s menus offer its gates only when a webhook is one, and Restore Analysis only while skipping', () => {
  const { canary } = fixture();
  const all = menuOffers(workloadContextValue(canaryView(canary), false));
  assert.deepEqual(all, ['openDetails', 'approveCanary', 'haltCanary', 'openRollbackCanary', 'closeRollbackCanary', 'retryCanary', 'suspendCanary', 'resumeCanary', 'skipAnalysisCanary']);
  const plain = { ...canary, spec: { ...canary.spec, skipAnalysis: true, analysis: { ...canary.spec!.analysis, webhooks: [canary.spec!.analysis!.webhooks![0]] } } };
  assert.deepEqual(menuOffers(workloadContextValue(canaryView(plain), false)), ['openDetails', 'retryCanary', 'suspendCanary', 'resumeCanary', 'skipAnalysisCanary', 'restoreAnalysisCanary']);
  assert.deepEqual(menuOffers(workloadContextValue(canaryView(canary), true)).filter((id) => id !== 'openDetails'), [], 'read-only: no writing action');
});

test('needs attention: awaiting approval resolves by Approve, Failed by Retry, suspended by Resume, a skipped analysis by Restore', () => {
  const { canary } = fixture();
  const a = attentionOf(canaryView(canary))!;
  assert.deepEqual([a.reason, a.severity, a.actions], ['approval', 'waiting', ['approveCanary', 'openRollbackCanary']]);
  assert.match(a.summary, /^paused for a person \(WaitingPromotion\): awaiting approval from gate ask-for-promotion \(confirm-promotion\)/);
  assert.match(attentionContextValue(canaryView(canary), false, a.actions[0]), /^canary:.*:gated:rollbackgate:attention:approveCanary$/);
  const failed = withPhase(canary, 'Failed');
  failed.status!.conditions = [{ type: 'Promoted', status: 'False', reason: 'Failed', message: 'Canary analysis failed, Deployment scaled to zero.' }];
  assert.deepEqual(attentionOf(canaryView(failed)), { workloadId: 'Canary/test/podinfo', namespace: 'test', name: 'podinfo', kind: 'Canary', reason: 'aborted', severity: 'trouble', summary: 'aborted (Failed): Canary analysis failed, Deployment scaled to zero', actions: ['retryCanary'] });
  assert.deepEqual(attentionOf(canaryView(withPhase(canary, 'Progressing', { suspend: true })))!.actions, ['resumeCanary']);
  assert.deepEqual(attentionOf(canaryView(withPhase(canary, 'Succeeded', { skipAnalysis: true })))!.actions, ['restoreAnalysisCanary']);
  assert.equal(attentionOf(canaryView(withPhase(canary, 'Succeeded'))), undefined);
  const waiting = withPhase({ ...canary, spec: { ...canary.spec, analysis: {} } }, 'Waiting');
  assert.deepEqual(attentionOf(canaryView(waiting))!.actions, ['openDetails'], 'no gate to open: the details');
  for (const id of ['approveCanary', 'retryCanary', 'resumeCanary', 'restoreAnalysisCanary', 'openRollbackCanary'] as const) assert.ok(ACTIONS.find((x) => x.id === id)!.resolves, `${id} is inline on the attention nodes it resolves`);
});

test('the details panel has a button per Canary action, on or off by the phase: Approve while a gate holds it, Roll back while Flagger asks its rollback hooks', () => {
  const { canary } = fixture();
  const buttons = (c: FlaggerCanary) => workloadActions(canaryView(c)).map((b) => `${b.action}${b.disabled ? ' (off)' : ''}${b.primary ? ' (primary)' : ''}`);
  // WaitingPromotion on its confirm-promotion gate (the fixture): Approve leads.
  assert.deepEqual(buttons(canary), ['approve (primary)', 'halt', 'openRollback', 'closeRollback', 'retry', 'suspend', 'skipAnalysis']);
  const approve = workloadActions(canaryView(canary)).find((b) => b.action === 'approve')!;
  assert.match(approve.title, /^Open gate ask-for-promotion on its load tester: at Flagger's next check \(every 30s\) Flagger promotes the canary\. It stays open until Halt\.$/);
  // Done: no gate holds it and no rollback hook is asked; Retry is there for a new analysis.
  assert.deepEqual(buttons(withPhase(canary, 'Succeeded')), ['approve (off)', 'halt', 'openRollback (off)', 'closeRollback', 'retry', 'suspend', 'skipAnalysis']);
  assert.deepEqual(buttons(withPhase(canary, 'Failed')), ['approve (off)', 'halt', 'openRollback (off)', 'closeRollback', 'retry (primary)', 'suspend', 'skipAnalysis']);
  // Analysing: Retry starts over (refused unless forced, so it says so); no gate of a Progressing blue/green.
  const progressing = workloadActions(canaryView(withPhase(canary, 'Progressing')));
  assert.match(progressing.find((b) => b.action === 'retry')!.title, /refused unless forced/);
  assert.equal(progressing.find((b) => b.action === 'approve')!.disabled, true);
  assert.equal(progressing.find((b) => b.action === 'openRollback')!.disabled, undefined);
  // Suspended: Resume instead of Suspend, leading; the gate waits for it; Retry off.
  assert.deepEqual(buttons(withPhase(canary, 'WaitingPromotion', { suspend: true })), ['approve (off)', 'halt', 'openRollback', 'closeRollback', 'retry (off)', 'resume (primary)', 'skipAnalysis']);
  // Skipping its analysis: Restore instead of Promote without analysis; no gate webhook, no gate buttons.
  const plain = { ...canary, spec: { ...canary.spec, skipAnalysis: true, analysis: { ...canary.spec!.analysis, webhooks: [canary.spec!.analysis!.webhooks![0]] } } };
  assert.deepEqual(buttons(withPhase(plain, 'Succeeded')), ['retry', 'suspend', 'restoreAnalysis (primary)']);
  // Each button runs its catalogue command, and the host runs only what is on.
  const w = canaryView(canary);
  for (const b of workloadActions(w)) assert.equal(panelActionSpec(w, b.action)?.kinds.join(), 'Canary', b.action);
  assert.equal(panelActionSpec(w, 'approve')?.command, Commands.ApproveCanary);
  assert.equal(panelActionSpec(w, 'retry')?.command, Commands.RetryCanary);
  assert.ok(isOffered(w, 'approve') && !isOffered(canaryView(withPhase(canary, 'Succeeded')), 'approve'));
  // What a webview may ask for: every button's verb passes the protocol's check.
  for (const b of workloadActions(w)) assert.deepEqual(parseRolloutMessage({ type: 'action', action: b.action }), { type: 'action', action: b.action });
});
