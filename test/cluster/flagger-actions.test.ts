// Switchyard's Flagger actions against the real Flagger v1.36.1 controller and load tester of the
// local cluster (cluster/up.sh), on the demo's blue/green Canary `inventory`
// (cluster/demo/60-flagger-bluegreen.yaml), each test in its own namespace. The plans are the
// extension's own (domain/actions/flagger.ts), sent the way the action runner sends them: access
// review, server-side dry-run, then the writes and the gate calls through the API server's service
// proxy (kube/actions.ts runPlan, kube/loadtester.ts). Nothing is mocked: phases and images are what
// Flagger writes, the gate state what the real load tester keeps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../src/kube/client';
import type { Deployment, FlaggerCanary, FlaggerPhase, Rollout, Service } from '../../src/domain/model/objects';
import { planCanaryAction, planGate, type CanaryAction } from '../../src/domain/actions/flagger';
import { gateHooks, type GateAction } from '../../src/domain/actions/flaggerGates';
import { ActionRefused, planBlueGreenSwitch, planDeploymentRestart, planDeploymentScale, type ActionPlan } from '../../src/domain/actions/plans';
import type { Engines } from '../../src/domain/actions/managed';
import { reviewAccess, runPlan } from '../../src/kube/actions';
import { resolveGates } from '../../src/kube/loadtester';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { createObjects, demoObjects, eventually, loadtesterProxyUnavailable, withNamespace } from './support';

const canaryPath = (ns: string, name = 'inventory') => `/apis/flagger.app/v1beta1/namespaces/${ns}/canaries/${name}`;
const deploymentPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
const readCanary = (client: KubeClient, ns: string) => client.request<FlaggerCanary>(canaryPath(ns));
const imageOf = async (client: KubeClient, ns: string, name: string) => (await client.request<Deployment>(deploymentPath(ns, name))).spec!.template!.spec!.containers![0].image;

/** Polls the Canary until `done`, recording every phase it passes (generous: Flagger ticks every 10 s). */
async function follow(client: KubeClient, ns: string, done: (c: FlaggerCanary) => boolean, phases: FlaggerPhase[] = []): Promise<FlaggerCanary> {
  return eventually(`canary inventory in ${ns}: ${done.toString()}`, async () => {
    const c = await readCanary(client, ns);
    if (c.status?.phase && phases[phases.length - 1] !== c.status.phase) phases.push(c.status.phase);
    return c;
  }, done, 150_000);
}

/** What the action runner does with a plan once confirmed: every write and call allowed, a dry-run, then the real thing. */
async function send(client: KubeClient, plan: ActionPlan): Promise<void> {
  assert.ok(!plan.noop, `not a no-op: ${plan.noop}`);
  const denied = (await reviewAccess(client, plan)).filter((d) => !d.allowed);
  assert.deepEqual(denied, [], 'the admin may send it');
  await runPlan(client, plan, { dryRun: true });
  await runPlan(client, plan, { dryRun: false });
}

const canaryAction = async (client: KubeClient, ns: string, action: CanaryAction, options: { force?: boolean } = {}) => {
  const c = await readCanary(client, ns);
  const target = action === 'retry' ? await client.request<Deployment>(deploymentPath(ns, 'inventory')) : undefined;
  await send(client, planCanaryAction(c, action, { now: new Date(), target, ...options }));
};

/** A gate action as Switchyard runs it: the Canary's gate webhooks, their load tester found from the URL (an IP here: Flagger runs on the host), the gate API through the service proxy. */
async function gateAction(client: KubeClient, ns: string, action: GateAction): Promise<ActionPlan> {
  const c = await readCanary(client, ns);
  const { hooks, problems } = gateHooks(c, action === 'approve' || action === 'halt' ? 'confirm' : 'rollback');
  assert.deepEqual(problems, []);
  const gates = await resolveGates(client, ns, hooks);
  assert.deepEqual(gates.map((g) => g.service), [{ namespace: ns, name: 'flagger-loadtester', port: 'http' }], 'the IP in the webhook URL is the EndpointSlice of Service flagger-loadtester');
  const plan = planGate(c, action, gates);
  await send(client, plan);
  return plan;
}

const gateState = async (client: KubeClient, ns: string, gate: 'gate' | 'rollback') =>
  (await client.send(`/api/v1/namespaces/${ns}/services/flagger-loadtester:http/proxy/${gate}/check`, { method: 'POST', body: { name: 'inventory', namespace: ns } })).status;

/**
 * The load tester as the namespace's Service (demo.sh's placeholder Pod with the host address) and
 * the demo's `inventory` Canary, with `extraHooks` (a rollback hook), Initialized.
 */
async function initializedInventory(client: KubeClient, ns: string, extraHooks: (url: string) => object[] = () => []): Promise<void> {
  const proxy = demoObjects('05-flagger-loadtester.yaml', ns);
  await createObjects(client, ns, proxy);
  const host = proxy.find((o) => o.kind === 'Endpoints').subsets[0].addresses[0].ip as string;
  await client.patch(`/api/v1/namespaces/${ns}/pods/flagger-loadtester/status`, { status: { podIP: host, podIPs: [{ ip: host }] } }, 'merge');
  await eventually('the load tester through the service proxy', async () => (await client.send(`/api/v1/namespaces/${ns}/services/flagger-loadtester:http/proxy/healthz`)).ok || undefined);
  const objects = demoObjects('60-flagger-bluegreen.yaml', ns);
  const canary = objects.find((o) => o.kind === 'Canary');
  const url = canary.spec.analysis.webhooks[0].url.replace(/\/gate\/check$/, '');
  canary.spec.analysis.webhooks.push(...extraHooks(url));
  await createObjects(client, ns, objects);
  await follow(client, ns, (c) => c.status?.phase === 'Initialized');
}

const setImage = (client: KubeClient, ns: string, image: string) => client.patch(deploymentPath(ns, 'inventory'), { spec: { template: { spec: { containers: [{ name: 'inventory', image }] } } } }, 'strategic');

const skip = loadtesterProxyUnavailable();

describe('Switchyard\'s Flagger actions on the real Flagger v1.36.1', { concurrency: 3 }, () => {
  test('guard rails refuse the generated objects; suspend / resume reach the Canary; Approve opens the gate through the service proxy and Flagger promotes; Halt closes it', { skip }, async () => {
    await withNamespace('fa-gate', async (ns, client) => {
      await initializedInventory(client, ns);
      // Guard rails, on what the real Flagger generated (its owner references) and its target.
      const engines: Engines = { canaries: (await client.request<{ items: FlaggerCanary[] }>(`/apis/flagger.app/v1beta1/namespaces/${ns}/canaries`)).items, rollouts: [] as Rollout[] };
      const primary = await client.request<Deployment>(deploymentPath(ns, 'inventory-primary'));
      const target = await client.request<Deployment>(deploymentPath(ns, 'inventory'));
      const flagger = /run by Flagger's Canary "inventory".*Flagger would undo this; use Approve \/ Retry on the Canary instead\./;
      assert.throws(() => planDeploymentScale(primary, 5), (e: unknown) => e instanceof ActionRefused && flagger.test(e.message), 'the primary, by its owner reference alone');
      assert.throws(() => planDeploymentRestart(target, new Date(), engines), (e: unknown) => e instanceof ActionRefused && /Deployment "inventory" is run by Flagger's Canary "inventory" \(its target Deployment\)/.test(e.message));
      for (const name of ['inventory', 'inventory-primary', 'inventory-canary']) {
        const service = await client.request<Service>(`/api/v1/namespaces/${ns}/services/${name}`);
        const view = { name, namespace: ns, blueGreen: { selectorKey: 'app', live: 'x', colours: [] } } as unknown as WorkloadView;
        assert.throws(() => planBlueGreenSwitch(service, view, 'y', { force: true }), (e: unknown) => e instanceof ActionRefused && new RegExp(`Service "${name}" is run by Flagger's Canary "inventory" \\(a Service Flagger generates\\)`).test(e.message), `Service ${name} by its owner reference`);
      }

      await canaryAction(client, ns, 'suspend');
      assert.equal((await readCanary(client, ns)).spec?.suspend, true);
      await canaryAction(client, ns, 'resume');
      assert.equal((await readCanary(client, ns)).spec?.suspend, false);

      await setImage(client, ns, 'ghcr.io/example/inventory:2.1.0');
      const phases: FlaggerPhase[] = [];
      await follow(client, ns, (c) => c.status?.phase === 'WaitingPromotion', phases);
      assert.equal(await gateState(client, ns, 'gate'), 403, 'the gate is closed');
      assert.equal(await imageOf(client, ns, 'inventory-primary'), 'ghcr.io/example/inventory:2.0.0');
      const approve = await gateAction(client, ns, 'approve');
      assert.equal(approve.movesTraffic, true);
      assert.equal(await gateState(client, ns, 'gate'), 200, 'Switchyard opened the gate');
      await follow(client, ns, (c) => c.status?.phase === 'Succeeded', phases);
      assert.ok(phases.indexOf('Promoting') > phases.indexOf('WaitingPromotion'), `promoted after the approval: ${phases.join(' → ')}`);
      assert.equal(await imageOf(client, ns, 'inventory-primary'), 'ghcr.io/example/inventory:2.1.0');
      await gateAction(client, ns, 'halt');
      assert.equal(await gateState(client, ns, 'gate'), 403, 'Halt closed it: the next release waits again');
    });
  });

  test('the rollback gate opened by Switchyard makes Flagger roll back; Retry starts a new analysis of the same revision', { skip }, async () => {
    await withNamespace('fa-rollback', async (ns, client) => {
      await initializedInventory(client, ns, (url) => [{ name: 'manual-rollback', type: 'rollback', url: `${url}/rollback/check` }]);
      await setImage(client, ns, 'ghcr.io/example/inventory:2.1.0');
      const phases: FlaggerPhase[] = [];
      await follow(client, ns, (c) => c.status?.phase === 'WaitingPromotion', phases);
      const open = await gateAction(client, ns, 'openRollback');
      assert.equal(open.movesTraffic, true);
      const failed = await follow(client, ns, (c) => c.status?.phase === 'Failed', phases);
      assert.ok(!phases.includes('Promoting'), `rolled back, never promoted: ${phases.join(' → ')}`);
      assert.equal(await imageOf(client, ns, 'inventory-primary'), 'ghcr.io/example/inventory:2.0.0');
      await gateAction(client, ns, 'closeRollback');
      assert.equal(await gateState(client, ns, 'rollback'), 403);

      // Retry: a new pod-template hash of the target, the same image; Flagger analyses it again.
      await canaryAction(client, ns, 'retry');
      const again: FlaggerPhase[] = [];
      const retried = await follow(client, ns, (c) => c.status?.phase === 'WaitingPromotion', again);
      assert.ok(again.includes('Progressing'), `a new analysis: ${again.join(' → ')}`);
      assert.notEqual(retried.status?.lastAppliedSpec, failed.status?.lastAppliedSpec, 'Flagger took the retried template as a new revision');
      assert.ok((await client.request<Deployment>(deploymentPath(ns, 'inventory'))).spec!.template!.metadata!.annotations!['switchyard.dev/restartedAt']);
    });
  });

  test('Promote without analysis (skipAnalysis) promotes at once, past the closed gate; Restore sets it back', { skip }, async () => {
    await withNamespace('fa-skip', async (ns, client) => {
      await initializedInventory(client, ns);
      await canaryAction(client, ns, 'skipAnalysis');
      assert.equal((await readCanary(client, ns)).spec?.skipAnalysis, true);
      assert.equal(await gateState(client, ns, 'gate'), 403, 'the gate is closed');
      await setImage(client, ns, 'ghcr.io/example/inventory:2.2.0');
      const phases: FlaggerPhase[] = [];
      await follow(client, ns, (c) => c.status?.phase === 'Succeeded', phases);
      assert.equal(await imageOf(client, ns, 'inventory-primary'), 'ghcr.io/example/inventory:2.2.0');
      assert.ok(!phases.includes('WaitingPromotion'), `the gate was skipped: ${phases.join(' → ')}`);
      await canaryAction(client, ns, 'restoreAnalysis');
      assert.equal((await readCanary(client, ns)).spec?.skipAnalysis, false);
    });
  });
});
