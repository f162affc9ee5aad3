// The session's view of real Flagger Canaries (issue 14, points 1 and 2): the local cluster's
// Flagger v1.36.1 runs the demo's Gateway API canary `search` and its blue/green `inventory` with a
// confirm-promotion gate (cluster/demo/70-flagger-gateway.yaml, 60-flagger-bluegreen.yaml), and the
// store (ClusterSession, its Canary and MetricTemplate watches) shows them as one Canary workload
// each, in the one status vocabulary. Nothing is mocked: every number is what Flagger writes.
// What Flagger does per tick, and why these expectations: test/cluster/flagger.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../src/kube/client';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { attentionOf } from '../../src/domain/release/attention';
import { releaseState, stateText } from '../../src/domain/release/state';
import { createObjects, demoObjects, eventually, loadtesterProxyUnavailable, session, waitForWorkloads, withNamespace } from './support';

const canaryIn = (ws: WorkloadView[], name: string) => ws.find((w) => w.id.endsWith(`/${name}`) && w.kind === 'Canary');

async function setImage(client: KubeClient, namespace: string, deployment: string, image: string): Promise<void> {
  await client.patch(`/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`, { spec: { template: { spec: { containers: [{ name: deployment, image }] } } } }, 'strategic');
}

describe('the session\'s view of Flagger v1.36.1 Canaries', { concurrency: 2 }, () => {
  test('a Gateway API canary: Initialized, Progressing through weights 25 and 50 of maxWeight 50, Succeeded; its Deployments folded in', async () => {
    await withNamespace('flagger-view', async (namespace, client) => {
      const s = session();
      try {
        assert.equal(await s.checkFlagger(), 'installed');
        await s.watchNamespace(namespace, 'test');
        await createObjects(client, namespace, demoObjects('70-flagger-gateway.yaml', namespace));
        const initialized = await waitForWorkloads(s, namespace, (ws) => canaryIn(ws, 'search')?.flagger?.phase === 'Initialized', 120_000);
        // The target and its -primary are the Canary's, not workloads of their own.
        assert.deepEqual(initialized.filter((w) => /search/.test(w.name)).map((w) => w.id), [`Canary/${namespace}/search`]);
        const init = canaryIn(initialized, 'search')!;
        assert.equal(init.strategy, 'flagger-canary');
        assert.equal(stateText(releaseState(init)), 'healthy (Initialized)');
        assert.deepEqual([init.flagger!.maxWeight, init.flagger!.steps], [50, [25, 50]]);
        assert.ok(init.revisions.some((r) => r.roles.includes('primary') && r.images.includes('ghcr.io/example/search:1.0.0')));
        assert.ok(init.flagger!.metrics.some((m) => m.template?.found && !!m.template.query), `the MetricTemplate is resolved: ${JSON.stringify(init.flagger!.metrics)}`);

        await setImage(client, namespace, 'search', 'ghcr.io/example/search:1.1.0');
        const weights = new Set<number>();
        const phases: string[] = [];
        let estimated = false;
        const done = await waitForWorkloads(s, namespace, (ws) => canaryIn(ws, 'search')?.flagger?.phase === 'Succeeded', 180_000, (ws) => {
          const w = canaryIn(ws, 'search');
          const f = w?.flagger;
          if (!f) return;
          if (f.phase && phases[phases.length - 1] !== f.phase) phases.push(f.phase);
          if (f.phase === 'Progressing') {
            weights.add(f.weight);
            assert.equal(releaseState(w).state, 'progressing');
            if (f.estimate) estimated = f.estimate.total === 2 && f.estimate.intervalMs === 10_000;
            // The canary runs on the target Deployment while it is analysed.
            if (f.weight > 0) assert.ok(w.revisions.some((r) => r.roles.includes('canary') && r.images.includes('ghcr.io/example/search:1.1.0')), 'canary revision shown');
          }
        });
        assert.ok(weights.has(25) && weights.has(50), `weights 25 and 50 seen by the store, saw ${[...weights].join(', ')}`);
        assert.ok(estimated, 'time left by interval × (maxWeight / stepWeight)');
        assert.deepEqual(phases.filter((p) => p !== 'Initialized'), ['Progressing', 'Promoting', 'Finalising', 'Succeeded']);
        const w = canaryIn(done, 'search')!;
        assert.equal(stateText(releaseState(w)), 'healthy (Succeeded)');
        assert.equal(w.flagger!.promoted?.message, 'Canary analysis completed successfully, promotion finished.');
        assert.ok(w.revisions.find((r) => r.roles.includes('primary'))!.images.includes('ghcr.io/example/search:1.1.0'), 'primary promoted to the new image');
        assert.equal(attentionOf(w), undefined);
        // Flagger's events are about the Canary object: the panel's events watch sees them.
        s.watchEvents(namespace, 'test');
        await eventually('Flagger events of the Canary', async () => s.events(namespace).find((e) => e.object.kind === 'Canary' && /canary weight 50/.test(e.message)), undefined, 60_000);
      } finally {
        s.dispose();
      }
    });
  });

  const proxyUnavailable = loadtesterProxyUnavailable();
  test('a blue/green held by its confirm-promotion gate is paused for a person and in Needs attention, naming the gate', { skip: proxyUnavailable }, async () => {
    await withNamespace('flagger-view-gate', async (namespace, client) => {
      const s = session();
      try {
        await s.watchNamespace(namespace, 'test');
        // The load tester as the namespace's Service, as demo.sh makes it (flagger.test.ts does the same).
        const proxy = demoObjects('05-flagger-loadtester.yaml', namespace);
        await createObjects(client, namespace, proxy);
        const host = proxy.find((o) => o.kind === 'Endpoints').subsets[0].addresses[0].ip as string;
        await client.patch(`/api/v1/namespaces/${namespace}/pods/flagger-loadtester/status`, { status: { podIP: host, podIPs: [{ ip: host }] } }, 'merge');
        await createObjects(client, namespace, demoObjects('60-flagger-bluegreen.yaml', namespace));
        await waitForWorkloads(s, namespace, (ws) => canaryIn(ws, 'inventory')?.flagger?.phase === 'Initialized', 120_000);
        await setImage(client, namespace, 'inventory', 'ghcr.io/example/inventory:2.1.0');
        const ws = await waitForWorkloads(s, namespace, (x) => canaryIn(x, 'inventory')?.flagger?.phase === 'WaitingPromotion', 180_000);
        const w = canaryIn(ws, 'inventory')!;
        assert.equal(w.strategy, 'flagger-bluegreen');
        assert.equal(stateText(releaseState(w)), 'paused for a person (WaitingPromotion)');
        const a = attentionOf(w);
        assert.equal(a?.reason, 'approval');
        assert.equal(a?.severity, 'waiting');
        assert.match(a!.summary, /^paused for a person \(WaitingPromotion\): awaiting approval from gate confirm-promotion \(confirm-promotion\) · iteration [12]\/2$/);
        assert.ok(w.revisions.some((r) => r.roles.includes('canary') && r.images.includes('ghcr.io/example/inventory:2.1.0')), 'the canary runs the new image while it waits');
      } finally {
        s.dispose();
      }
    });
  });
});
