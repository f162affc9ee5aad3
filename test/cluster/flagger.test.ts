// The real Flagger v1.36.1 controller and load tester of the local cluster (cluster/up.sh), on the
// demo's own Flagger apps (cluster/demo/60-flagger-bluegreen.yaml, 70-flagger-gateway.yaml), each
// test in its own namespace. Nothing is mocked: the phases, weights, iterations and failed checks
// below are what Flagger writes into the Canary's status, from the metrics the real Prometheus
// scrapes off the traffic source and the gates the real load tester keeps.
//
// What Flagger's scheduler does, and so what to expect (pkg/controller/scheduler.go of v1.36.1):
// - Every Canary gets a job (scheduleCanaries, every -control-loop-interval: 2 s here) that runs
//   advanceCanary once at once and then once per `analysis.interval` (10 s in the demo): one step
//   per tick, never more. Initialization (primary Deployment created and Ready, target scaled to
//   0) takes one or two ticks; a new template then takes one tick to go Progressing (the canary
//   scaled up, checkCanaryStatus), and the next ready tick starts the analysis ("Starting canary
//   analysis", pre-rollout webhooks) without metric checks, then shifts the first step.
// - From then on each tick first runs the analysis (rollout webhooks, then the metrics, runAnalysis
//   and runMetricChecks in scheduler_metrics.go): a failed check increments status.failedChecks
//   and ends the tick; when failedChecks has reached `threshold` at the start of a tick, Flagger
//   rolls back (rollback: traffic to the primary, target scaled to 0, phase Failed, and that sync
//   writes failedChecks 0 again, so it is seen on the way, not at the end).
// - Canary (stepWeight/maxWeight): +stepWeight per passed tick up to maxWeight (runCanary), the next
//   tick promotes (template copied to <target>-primary, Promoting), then all traffic back to the
//   primary (Finalising), then the target to 0 replicas (Succeeded): 25 → 50 → promote ≈ 6 ticks.
// - Blue/green (provider kubernetes, iterations): status.iterations +1 per passed tick
//   (runBlueGreen); at `iterations` the confirm-promotion webhooks run (scheduler_hooks.go): a
//   non-2xx answer sets WaitingPromotion, and while the gate stays closed each further tick
//   alternates status.iterations between iterations-1 and iterations (the analysis keeps running);
//   once it answers 2xx, one more iteration, then Promoting, Finalising, Succeeded a tick each.
// - A metric is queried over its own `interval` (20 s here), at the tick's time: the first metric
//   check comes a full analysis interval after the canary pods were Ready, so Prometheus (5 s
//   scrapes) has at least two samples of them; `threshold: 2` absorbs one early empty answer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../src/kube/client';
import type { FlaggerCanary, FlaggerPhase } from '../../src/domain/model/objects';
import { createObjects, demoObjects, eventually, loadtesterProxyUnavailable, withNamespace } from './support';

/** What the polling saw of a Canary's status over time. */
interface Seen {
  phases: FlaggerPhase[];
  weights: Set<number>;
  iterations: Set<number>;
  maxFailedChecks: number;
  last?: FlaggerCanary;
}

const canaryPath = (namespace: string, name: string) => `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries/${name}`;

/**
 * Polls the Canary until `done` holds for it, recording every phase (in order, once per change),
 * canary weight, iteration count and the largest failedChecks seen. Generous deadline: one analysis
 * is ~6-8 ticks of 10 s on a loaded machine.
 */
async function follow(client: KubeClient, namespace: string, name: string, seen: Seen, done: (c: FlaggerCanary) => boolean, observe?: () => Promise<void>, timeoutMs = 150_000): Promise<FlaggerCanary> {
  return eventually(
    `canary ${name}: ${done.toString()}`,
    async () => {
      const canary = await client.request<FlaggerCanary>(canaryPath(namespace, name));
      await observe?.();
      const status = canary.status ?? {};
      if (status.phase && seen.phases[seen.phases.length - 1] !== status.phase) seen.phases.push(status.phase);
      if (status.canaryWeight !== undefined) seen.weights.add(status.canaryWeight);
      if (status.iterations !== undefined) seen.iterations.add(status.iterations);
      seen.maxFailedChecks = Math.max(seen.maxFailedChecks, status.failedChecks ?? 0);
      seen.last = canary;
      return canary;
    },
    done,
    timeoutMs,
  );
}

const newSeen = (): Seen => ({ phases: [], weights: new Set(), iterations: new Set(), maxFailedChecks: 0 });

async function setImage(client: KubeClient, namespace: string, deployment: string, image: string): Promise<void> {
  await client.patch(`/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`, { spec: { template: { spec: { containers: [{ name: deployment, image }] } } } }, 'strategic');
}

const imageOf = async (client: KubeClient, namespace: string, deployment: string) =>
  (await client.request(`/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`)).spec.template.spec.containers[0].image as string;

/** The weights of the HTTPRoute Flagger owns, by backend Service name. */
async function routeWeights(client: KubeClient, namespace: string, route: string): Promise<Record<string, number>> {
  const r = await client.request(`/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes/${route}`);
  return Object.fromEntries(r.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]));
}

/** The messages of the events Flagger recorded for the Canary. */
async function canaryEvents(client: KubeClient, namespace: string, name: string): Promise<string[]> {
  const list = await client.request(`/api/v1/namespaces/${namespace}/events`, { query: { fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}` } });
  return list.items.map((e: any) => e.message as string);
}

/** The demo's Gateway API canary `search` (Gateway, Deployment at 1.0.0, MetricTemplate, Canary), Initialized. */
async function initializedSearch(client: KubeClient, namespace: string): Promise<void> {
  await createObjects(client, namespace, demoObjects('70-flagger-gateway.yaml', namespace));
  await follow(client, namespace, 'search', newSeen(), (c) => c.status?.phase === 'Initialized');
  assert.equal(await imageOf(client, namespace, 'search-primary'), 'ghcr.io/example/search:1.0.0');
  assert.deepEqual(await routeWeights(client, namespace, 'search'), { 'search-primary': 100, 'search-canary': 0 });
}

// The three run side by side (each ~1-2 min, mostly Flagger's 10 s ticks).
describe('Flagger v1.36.1 on the local cluster', { concurrency: 3 }, () => {
  test('a good release through the Gateway API: Progressing, weights 25 and 50 on the HTTPRoute, Succeeded with the primary on the new image', async () => {
    await withNamespace('flagger-good', async (namespace, client) => {
      await initializedSearch(client, namespace);
      await setImage(client, namespace, 'search', 'ghcr.io/example/search:1.1.0');
      const seen = newSeen();
      const routeWeightsSeen = new Set<string>();
      const observeRoute = async () => {
        const w = await routeWeights(client, namespace, 'search');
        routeWeightsSeen.add(`${w['search-primary']}/${w['search-canary']}`);
      };
      await follow(client, namespace, 'search', seen, (c) => c.status?.phase === 'Succeeded', observeRoute);
      // each phase lasts a 10 s tick and is polled every second, so none is missed
      assert.deepEqual(seen.phases.filter((p) => p !== 'Initialized'), ['Progressing', 'Promoting', 'Finalising', 'Succeeded']);
      assert.ok(seen.weights.has(25) && seen.weights.has(50), `canary weights 25 and 50 (stepWeight 25, maxWeight 50), saw ${[...seen.weights].join(', ')}`);
      assert.ok(routeWeightsSeen.has('75/25') && routeWeightsSeen.has('50/50'), `the HTTPRoute carried those weights, saw ${[...routeWeightsSeen].join(', ')}`);
      assert.equal(seen.maxFailedChecks, 0, 'a good image fails no error-rate check');
      assert.equal(await imageOf(client, namespace, 'search-primary'), 'ghcr.io/example/search:1.1.0');
      assert.deepEqual(await routeWeights(client, namespace, 'search'), { 'search-primary': 100, 'search-canary': 0 });
      assert.equal((await client.request(`/apis/apps/v1/namespaces/${namespace}/deployments/search`)).spec.replicas, 0, 'target scaled to zero after promotion');
      assert.ok((await canaryEvents(client, namespace, 'search')).some((m) => /^Advance search\.\S+ canary weight 50$/.test(m)));
    });
  });

  test('a -bad release fails its error-rate checks up to the threshold and ends Failed, the primary still on the old image', async () => {
    await withNamespace('flagger-bad', async (namespace, client) => {
      await initializedSearch(client, namespace);
      await setImage(client, namespace, 'search', 'ghcr.io/example/search:1.1.0-bad');
      const seen = newSeen();
      const canary = await follow(client, namespace, 'search', seen, (c) => c.status?.phase === 'Failed');
      const threshold = canary.spec!.analysis!.threshold!;
      assert.equal(threshold, 2);
      assert.ok(seen.phases.includes('Progressing'), `went Progressing first: ${seen.phases.join(' → ')}`);
      assert.ok(seen.maxFailedChecks >= threshold, `failedChecks reached the threshold ${threshold}, saw at most ${seen.maxFailedChecks}`);
      assert.ok(!seen.phases.includes('Promoting'), 'never promoted');
      assert.equal(await imageOf(client, namespace, 'search-primary'), 'ghcr.io/example/search:1.0.0');
      assert.deepEqual(await routeWeights(client, namespace, 'search'), { 'search-primary': 100, 'search-canary': 0 });
      const events = await canaryEvents(client, namespace, 'search');
      assert.ok(events.some((m) => m.includes(`failed checks threshold reached ${threshold}`)), `rollback event, saw: ${events.join(' | ')}`);
    });
  });

  const proxyUnavailable = loadtesterProxyUnavailable();
  test('a confirm-promotion gate holds a blue/green in WaitingPromotion until it is opened through the API server\'s service proxy', { skip: proxyUnavailable }, async () => {
    await withNamespace('flagger-gate', async (namespace, client) => {
      // The load tester as the namespace's Service, as demo.sh makes it (placeholder Pod with the host address).
      const proxy = demoObjects('05-flagger-loadtester.yaml', namespace);
      await createObjects(client, namespace, proxy);
      const host = proxy.find((o) => o.kind === 'Endpoints').subsets[0].addresses[0].ip as string;
      await client.patch(`/api/v1/namespaces/${namespace}/pods/flagger-loadtester/status`, { status: { podIP: host, podIPs: [{ ip: host }] } }, 'merge');
      const via = (path: string) => `/api/v1/namespaces/${namespace}/services/flagger-loadtester:http/proxy${path}`;
      const health = await eventually('the load tester through the service proxy', async () => {
        const r = await client.send(via('/healthz'));
        return r.ok ? r.text : undefined;
      });
      assert.equal(health, 'OK');
      const gate = { name: 'inventory', namespace };
      const check = async () => (await client.send(via('/gate/check'), { method: 'POST', body: gate })).status;

      await createObjects(client, namespace, demoObjects('60-flagger-bluegreen.yaml', namespace));
      await follow(client, namespace, 'inventory', newSeen(), (c) => c.status?.phase === 'Initialized');
      await setImage(client, namespace, 'inventory', 'ghcr.io/example/inventory:2.1.0');
      const seen = newSeen();
      const waiting = await follow(client, namespace, 'inventory', seen, (c) => c.status?.phase === 'WaitingPromotion');
      assert.ok(seen.phases.includes('Progressing'));
      assert.ok(seen.iterations.has(1) && seen.iterations.has(2), `iterations 1 and 2 of ${waiting.spec!.analysis!.iterations}, saw ${[...seen.iterations].join(', ')}`);
      assert.equal(waiting.status!.conditions?.find((c) => c.type === 'Promoted')?.reason, 'WaitingPromotion');
      assert.equal(await imageOf(client, namespace, 'inventory-primary'), 'ghcr.io/example/inventory:2.0.0', 'not promoted while the gate is closed');
      assert.equal(await check(), 403, 'the gate is closed');
      // Held: a later tick asks the closed gate again, which moves status.iterations (between
      // iterations-1 and iterations, see above) and leaves the phase as it was.
      const entered = waiting.status!.iterations;
      const held = await follow(client, namespace, 'inventory', seen, (c) => c.status?.iterations !== entered || c.status?.phase !== 'WaitingPromotion');
      assert.equal(held.status?.phase, 'WaitingPromotion', `still waiting after another tick: ${seen.phases.join(' → ')}`);
      assert.equal(await imageOf(client, namespace, 'inventory-primary'), 'ghcr.io/example/inventory:2.0.0');

      const opened = await client.send(via('/gate/open'), { method: 'POST', body: gate });
      assert.equal(opened.status, 202, `gate/open through the proxy: ${opened.status} ${opened.text}`);
      assert.equal(await check(), 200, 'the gate is open');
      await follow(client, namespace, 'inventory', seen, (c) => c.status?.phase === 'Succeeded');
      assert.ok(seen.phases.indexOf('Promoting') > seen.phases.indexOf('WaitingPromotion'), `promoted after waiting: ${seen.phases.join(' → ')}`);
      assert.equal(await imageOf(client, namespace, 'inventory-primary'), 'ghcr.io/example/inventory:2.1.0');
      assert.ok((await canaryEvents(client, namespace, 'inventory')).some((m) => m === 'Confirm-promotion check confirm-promotion passed'));
    });
  });
});
