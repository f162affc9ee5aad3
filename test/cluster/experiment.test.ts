// Argo Rollouts beyond plain canary and blue/green, against the real controller (cluster/): an
// experiment step creates an Experiment with a ReplicaSet per template, kwok makes their pods Ready,
// and the Rollout goes on once the Experiment succeeds; a Rollout without a strategy gets the
// controller's InvalidSpec; a blue/green promotion leaves the old ReplicaSet a scale-down deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { rolloutStatus } from '../../src/domain/model/status';
import { scaleDownText } from '../../src/domain/model/age';
import type { Experiment, Rollout } from '../../src/domain/model/objects';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { session, waitForWorkloads, withNamespace } from './support';

const image = (tag: string) => ({ template: { spec: { containers: [{ name: 'app', image: `ghcr.io/acme/lab:${tag}` }] } } });

function rollout(name: string, strategy: Record<string, unknown>, replicas = 2) {
  const labels = { app: name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, strategy, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/lab:1.0.0' }] } } },
  };
}

test('an experiment step: the Experiment, its templates, ReplicaSets and pods show under the Rollout with the controller phase, and the Rollout goes past the step', async () => {
  await withNamespace('exp', async (ns, client) => {
    const s = session();
    try {
      const rollouts = resourcePath(RESOURCES.rollouts, ns);
      const steps = [
        { setWeight: 25 },
        { experiment: { duration: '5s', templates: [{ name: 'baseline', specRef: 'stable' }, { name: 'candidate', specRef: 'canary' }] } },
        { setWeight: 50 },
        { pause: {} },
      ];
      await client.request(rollouts, { method: 'POST', body: rollout('lab', { canary: { steps } }) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      await new Promise((r) => setTimeout(r, 1500)); // the controller's status-write race (live.test.ts)
      await client.patch(`${rollouts}/lab`, { spec: image('2.0.0') }, 'merge');

      // While the experiment runs: both templates have a ReplicaSet with a Ready pod of its image.
      const lab = (ws: WorkloadView[]) => ws.find((w) => w.name === 'lab');
      const [running] = await waitForWorkloads(
        s,
        ns,
        (ws) => {
          const e = lab(ws)?.experiments?.[0];
          return !!e && e.phase === 'Running' && e.templates.every((t) => t.replicaSet?.pods.some((p) => p.ready));
        },
        90_000,
      );
      const e = running.experiments![0];
      const live = await client.request<Experiment>(`${resourcePath(RESOURCES.experiments, ns)}/${e.name}`);
      assert.equal(live.metadata.ownerReferences?.[0]?.kind, 'Rollout', 'the controller makes the Rollout own its Experiment');
      assert.ok(['Running', 'Successful'].includes(live.status?.phase ?? ''), `the controller’s phase is ${live.status?.phase}`);
      assert.equal(e.current, true, 'status.canary.currentExperiment names it');
      assert.deepEqual(e.templates.map((t) => t.name), ['baseline', 'candidate']);
      const templateImages = Object.fromEntries(e.templates.map((t) => [t.name, t.replicaSet!.images]));
      assert.deepEqual(templateImages, { baseline: ['ghcr.io/acme/lab:1.0.0'], candidate: ['ghcr.io/acme/lab:2.0.0'] }, 'specRef stable / canary pick the stable and canary pod templates');
      assert.ok(e.templates.every((t) => t.replicaSet!.replicaSet.startsWith(`${e.name}-${t.name}`)), 'each template has its own ReplicaSet, owned by the Experiment');
      assert.equal(running.canary!.step, 1);
      assert.equal(running.canary!.steps[1].text, 'experiment: baseline, candidate (5s)');
      assert.match(running.description, /^step 1\/4 · 25%( \(actual \d+%\))? · experiment Running$/);
      assert.ok(running.images.some((i) => i.image === 'ghcr.io/acme/lab:1.0.0' && i.tags.includes('Σ:baseline')), JSON.stringify(running.images));
      // The Experiment's pods are not the Rollout's revisions.
      assert.ok(!running.revisions.some((r) => r.replicaSet.startsWith(e.name)));

      // After the duration the Experiment succeeds and the Rollout goes on to its pause.
      const [after] = await waitForWorkloads(s, ns, (ws) => lab(ws)?.canary?.step === 3 && lab(ws)?.health === 'Paused', 90_000);
      const done = after.experiments!.find((x) => x.name === e.name)!;
      const finished = await client.request<Experiment>(`${resourcePath(RESOURCES.experiments, ns)}/${e.name}`);
      assert.equal(finished.status?.phase, 'Successful');
      assert.equal(done.phase, 'Successful', 'the view follows the Experiment to its end');
      assert.equal(done.current, false, 'no step runs it any more');
      assert.equal(after.description, 'step 3/4 · 50% · paused');
    } finally {
      s.dispose();
    }
  });
});

test('a Rollout without a strategy: the view is not blue/green and says what the controller says', async () => {
  await withNamespace('invalid', async (ns, client) => {
    const s = session();
    try {
      const created = await client.request<Rollout>(resourcePath(RESOURCES.rollouts, ns), { method: 'POST', body: rollout('nostrategy', {}) });
      // Before the controller has looked: the view predicts its message.
      const predicted = rolloutStatus({ ...created, status: undefined });
      await s.watchNamespace(ns);
      const [w] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Degraded' && ws[0].message.startsWith('InvalidSpec'), 90_000);
      assert.equal(w.strategy, 'argo-invalid');
      assert.equal(w.message, predicted.message, 'the prediction is the controller’s own message');
      assert.equal(w.description, 'invalid spec: no canary or blueGreen strategy');
      assert.equal(w.canary, undefined);
      // Both strategies: the other message the controller's strategy check has.
      const both = await client.request<Rollout>(resourcePath(RESOURCES.rollouts, ns), { method: 'POST', body: rollout('both', { canary: { steps: [{ setWeight: 50 }] }, blueGreen: { activeService: 'both-active' } }) });
      const expected = rolloutStatus({ ...both, status: undefined }).message;
      // Once the controller has written its phase, the view shows the controller's message: the predicted one.
      const [bothView] = await waitForWorkloads(s, ns, (ws) => ws[0]?.name === 'both' && s.snapshot(ns).rollouts.some((r) => r.metadata.name === 'both' && !!r.status?.phase), 90_000);
      assert.equal(bothView.message, expected);
      assert.equal(bothView.strategy, 'argo-invalid');
    } finally {
      s.dispose();
    }
  });
});

test('blue/green: after promotion the old revision shows its scale-down deadline', async () => {
  await withNamespace('bgdelay', async (ns, client) => {
    const s = session();
    try {
      for (const name of ['shop-active', 'shop-preview'])
        await client.request(resourcePath(RESOURCES.services, ns), { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] } } });
      const rollouts = resourcePath(RESOURCES.rollouts, ns);
      await client.request(rollouts, { method: 'POST', body: rollout('shop', { blueGreen: { activeService: 'shop-active', previewService: 'shop-preview', autoPromotionEnabled: true, scaleDownDelaySeconds: 600 } }, 1) });
      await s.watchNamespace(ns);
      await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy', 90_000);
      await new Promise((r) => setTimeout(r, 1500));
      await client.patch(`${rollouts}/shop`, { spec: image('2.0.0') }, 'merge');
      const [w] = await waitForWorkloads(s, ns, (ws) => ws[0]?.health === 'Healthy' && ws[0].revisions.length === 2 && !!ws[0].revisions[1].scaleDownDeadline, 90_000);
      const old = w.revisions[1];
      assert.deepEqual(old.images, ['ghcr.io/acme/lab:1.0.0']);
      const left = Date.parse(old.scaleDownDeadline!) - Date.now();
      assert.ok(left > 500_000 && left <= 600_000, `deadline about 600 s away: ${old.scaleDownDeadline}`);
      assert.match(scaleDownText(old.scaleDownDeadline), /^scale-down in (9|10)m/);
      assert.equal(w.revisions[0].scaleDownDeadline, undefined);
    } finally {
      s.dispose();
    }
  });
});
