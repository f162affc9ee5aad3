// A pod row's "Show Events": the events about one pod, read once from the real API server (the
// scheduler's Scheduled, kube-scheduler's FailedScheduling for a pod that fits no node), merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsDocument } from '../../src/domain/model/events';
import { podEvents } from '../../src/kube/podEvents';
import { resourcePath, RESOURCES } from '../../src/kube/watcher';
import { deploymentManifest, session, waitForWorkloads, withNamespace } from './support';

test("a pod's events: only that pod's, merged, newest first; a pod that fits no node has the scheduler's warning", async () => {
  await withNamespace('pod-events', async (ns, client) => {
    await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: deploymentManifest('web', { app: 'web' }, 'ghcr.io/acme/web:1.0.0', 2) });
    const huge = deploymentManifest('huge', { app: 'huge' }, 'ghcr.io/acme/huge:1.0.0', 1);
    Object.assign(huge.spec.template.spec.containers[0], { resources: { requests: { cpu: '5000' } } });
    await client.request(resourcePath(RESOURCES.deployments, ns), { method: 'POST', body: huge });
    const s = session();
    try {
      await s.watchNamespace(ns);
      const ws = await waitForWorkloads(s, ns, (all) => all.find((w) => w.name === 'web')?.revisions[0]?.pods.length === 2 && !!all.find((w) => w.name === 'huge')?.revisions[0]?.pods.length);
      const [first, second] = ws.find((w) => w.name === 'web')!.revisions[0].pods.map((p) => p.name);
      const pending = ws.find((w) => w.name === 'huge')!.revisions[0].pods[0].name;
      // Events are written asynchronously by the scheduler: wait until each pod has its own.
      const until = async (pod: string, ok: (reasons: string[]) => boolean) => {
        for (let i = 0; i < 60; i++) {
          const rows = await podEvents(client, ns, pod);
          if (ok(rows.map((r) => r.reason))) return rows;
          await new Promise((r) => setTimeout(r, 500));
        }
        assert.fail(`no events as expected for ${pod}`);
      };
      const rows = await until(first, (reasons) => reasons.includes('Scheduled'));
      assert.ok(rows.every((r) => r.object.kind === 'Pod' && r.object.name === first), 'only this pod');
      assert.ok(!rows.some((r) => r.message.includes(second)), 'not its sibling');
      const warning = (await until(pending, (reasons) => reasons.includes('FailedScheduling'))).find((r) => r.reason === 'FailedScheduling')!;
      assert.ok(warning.warning);
      assert.match(warning.message, /Insufficient cpu/);
      assert.match(eventsDocument(`events of pod ${pending}`, [warning]), /^# events of pod .*\n\n⚠ FailedScheduling: .*Insufficient cpu/);
    } finally {
      s.dispose();
    }
  });
});
