// The webview panels in a real VS Code: the webviews load under their Content Security Policy,
// say ready and acknowledge the state they render (so every wait below is on what the webview
// actually drew); the designer inserts and saves manifests; the details panel follows a live Argo
// canary of the local cluster (skipped without one).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DesignerPanelState, RolloutPanelState } from '../../src/domain/panels/state';
import type { DesignerPanel } from '../../src/features/panels/designerPanel';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import { api, closeAllEditors, renderedUntil, tempPath, type DrawnPanel } from './support';
import { suite, teardown, test } from './tdd';

const DEMO = 'switchyard-demo';

type Rendered<S> = DrawnPanel<S>;
const rendered = <S>(panel: Rendered<S>, what: string, predicate: (s: S) => boolean, timeoutMs = 20_000) => renderedUntil(panel, what, predicate, timeoutMs);

/**
 * Like `rendered`, then until the webview has drawn no other workload for `quietMs` (the controller
 * is done writing). Redraws of the same workload (a countdown ticking) do not count.
 */
async function settled<S extends { workload?: unknown }>(panel: Rendered<S>, what: string, predicate: (s: S) => boolean, timeoutMs = 60_000, quietMs = 1500): Promise<S> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = JSON.stringify((await rendered(panel, what, predicate, Math.max(1, deadline - Date.now()))).workload);
    const changed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(false);
      }, quietMs);
      const listener = panel.channel.onDidRender((s) => {
        if (JSON.stringify(s.workload) === seen) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(true);
      });
    });
    if (!changed && predicate(panel.channel.rendered!)) return panel.channel.rendered!;
  }
}

suite('Webview panels', () => {
  teardown(closeAllEditors);

  test('the designer renders a design and inserts its manifests at the cursor of the YAML editor', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: '# mine\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(doc.lineCount - 1, 0, doc.lineCount - 1, 0);

    const panel = (await vscode.commands.executeCommand('switchyard.designer.open', {
      strategy: 'argo-canary',
      values: { 'app.app': 'shop', 'app.image': 'ghcr.io/acme/shop:1.2.3', 'app.replicas': '5', 'argoCanary.weights': '20, 50' },
    })) as DesignerPanel;
    const state = await rendered<DesignerPanelState>(panel, 'the argo-canary design', (s) => s.form.strategy === 'argo-canary' && s.yaml.length > 0);
    assert.deepEqual(state.errors, {});
    // Argo's split for 5 replicas: setWeight 50 is 2.5 pods, so it keeps a surge pod, 3 + 3 (issue 16).
    assert.deepEqual(state.preview?.canaryPlan?.steps.map((s) => [s.requested, s.canaryPods, s.stablePods]), [[20, 1, 4], [50, 3, 3], [100, 5, 0]]);
    assert.match(state.insertTarget, /^Insert at line 6 of Untitled/);

    await panel.receive({ type: 'run', action: 'insert' });
    const text = doc.getText();
    assert.ok(text.startsWith('# mine\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n'), text.slice(0, 200));
    assert.match(text, /^kind: Rollout$/m);
    assert.match(text, /image: ghcr\.io\/acme\/shop:1\.2\.3/);
    assert.match(text, /setWeight: 50/);
    assert.equal(text.slice(text.indexOf('---\n') + 4), state.yaml);
    await rendered<DesignerPanelState>(panel, 'the insert as done', (s) => s.activity?.action === 'insert' && s.activity.state === 'done');
  });

  test('the designer saves the manifests as a file and survives a strategy change from the webview', async () => {
    const panel = (await vscode.commands.executeCommand('switchyard.designer.open', { strategy: 'bluegreen', values: { 'app.app': 'pay', 'app.replicas': '3' } })) as DesignerPanel;
    const bg = await rendered<DesignerPanelState>(panel, 'the blue/green design', (s) => s.form.strategy === 'bluegreen' && s.yaml.length > 0);
    assert.deepEqual([bg.preview?.cost.peak, bg.preview?.cost.environments], [6, 2]);
    // What the webview sends when the user picks another strategy and types a wrong image.
    await panel.receive({ type: 'change', form: { strategy: 'rolling', values: { ...bg.form.values, 'app.image': 'nginx' } } });
    const wrong = await rendered<DesignerPanelState>(panel, 'the field error', (s) => s.form.strategy === 'rolling' && !!s.errors['app.image']);
    assert.equal(wrong.yaml, '');
    await panel.receive({ type: 'change', form: { strategy: 'rolling', values: { ...bg.form.values, 'rolling.maxSurge': '1', 'rolling.maxUnavailable': '0' } } });
    const rolling = await rendered<DesignerPanelState>(panel, 'the rolling design', (s) => s.form.strategy === 'rolling' && s.yaml.length > 0);
    assert.equal(rolling.preview?.timeline?.lowestCapacityPercent, 100);
    // A field of the same design goes wrong: its last valid manifests stay on screen, marked stale.
    await panel.receive({ type: 'change', form: { strategy: 'rolling', values: { ...rolling.form.values, 'app.port': 'http' } } });
    const stale = await rendered<DesignerPanelState>(panel, 'the stale design', (s) => !!s.errors['app.port']);
    assert.equal(stale.stale, true);
    assert.equal(stale.yaml, rolling.yaml);
    await panel.receive({ type: 'change', form: rolling.form });
    await rendered<DesignerPanelState>(panel, 'the design valid again', (s) => !s.stale && Object.keys(s.errors).length === 0);

    const file = vscode.Uri.file(tempPath('pay.yaml'));
    const saved = await panel.save(file);
    assert.equal(saved?.fsPath, file.fsPath);
    assert.equal(readFileSync(file.fsPath, 'utf8'), rolling.yaml);
  });

  test('the details panel opened by arguments renders, with or without a cluster', async () => {
    const panel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: DEMO, name: 'checkout' })) as RolloutPanel;
    assert.ok(panel, 'the command returns the panel');
    const state = await rendered<RolloutPanelState>(panel, 'a settled state', (s) => s.status !== 'loading', 60_000);
    const probe = await (await api()).workloads(DEMO);
    if (probe.problem) {
      assert.equal(state.status, 'noCluster');
      assert.ok(state.problem);
      console.log(`host: no cluster (${probe.problem}): the details panel shows it; live panel tests skipped`);
      return;
    }
    assert.equal(state.status, 'live', state.problem);
    assert.equal(state.workload?.kind, 'Rollout');
    assert.equal(state.workload?.strategy, 'argo-canary');
    // The same command again reveals the same panel.
    assert.equal(await vscode.commands.executeCommand('switchyard.panel.open', { namespace: DEMO, name: 'checkout' }), panel);
  });

  test('the details panel follows a paused Argo canary through promote, abort and retry', async function () {
    // Four moves of the real Argo controller, each waited for (the demo's background analysis starts at step 2).
    this.timeout(180_000);
    const probe = await (await api()).workloads(DEMO);
    if (probe.problem) this.skip();
    const panel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: DEMO, name: 'checkout' })) as RolloutPanel;
    const paused = await rendered<RolloutPanelState>(panel, 'checkout', (s) => s.status !== 'loading', 60_000);
    const c = paused.workload?.canary;
    // The demo is reset before the live tiers (scripts/test-all.mjs); anything else is a failure.
    assert.ok(paused.workload?.health === 'Paused' && c?.step === 1, `checkout should be paused at step 1 (cluster/demo.sh --reset), is: ${paused.workload?.description}`);
    assert.equal(c.steps.find((s) => s.current)?.index, 1);
    assert.equal(c.setWeight, 20);

    // What the panel's buttons run (they add no confirm: the tree's confirmation shows; here it is given).
    const run = async (command: string) => {
      const outcome = (await vscode.commands.executeCommand(command, { namespace: DEMO, name: 'checkout', confirm: true })) as { ok: boolean; message: string };
      assert.ok(outcome.ok, outcome.message);
    };
    await run('switchyard.rollout.promote');
    await rendered<RolloutPanelState>(panel, 'the canary past step 1', (s) => (s.workload?.canary?.step ?? 0) >= 2 && s.workload?.canary?.setWeight === 50, 60_000);
    // The canary scales up for 50%: the panel keeps the replica counts as they change.
    await rendered<RolloutPanelState>(panel, 'more canary pods in the samples', (s) => s.samples.length >= 2 && s.samples[s.samples.length - 1].updated > s.samples[0].updated, 60_000);
    // Each command reads the Rollout fresh and writes with its resourceVersion: wait until the
    // controller has finished reacting to the last one, as a person reading the panel would.
    await settled<RolloutPanelState>(panel, 'the canary at 50%', (s) => s.workload?.canary?.actualWeight === 50);
    await run('switchyard.rollout.abort');
    await settled<RolloutPanelState>(panel, 'the aborted canary, scaled down', (s) => !!s.workload?.canary?.aborted && !!s.workload.revisions.find((r) => r.roles.includes('canary') && r.available === 0));
    // Retry starts over: setWeight 20, then the indefinite pause, as the demo left it.
    await run('switchyard.rollout.retry');
    const again = await rendered<RolloutPanelState>(panel, 'the canary paused at step 1 again', (s) => s.workload?.health === 'Paused' && s.workload.canary?.step === 1 && !s.workload.canary.aborted, 90_000);
    assert.equal(again.workload?.canary?.setWeight, 20);
  });
});
