// Trust what you see (issue 12, part 10) in a real VS Code against the local demo cluster.
// Skipped, with a note, when the run has no cluster.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { api, contextShown, runAcceptingDefaults, tempPath, treeUntil } from './support';
import { suite, test } from './tdd';

const NS = 'switchyard-demo';

suite('Trust what you see (demo apps)', () => {
  test('a confirmation that moves production traffic defaults to Cancel: Enter sends nothing', async function () {
    const first = await (await api()).workloads(NS);
    if (first.problem || !process.env.KUBECONFIG?.includes('.work/cluster')) {
      console.log(`host: no local cluster for this run (${first.problem ?? 'KUBECONFIG is not the local cluster'}): trust tests skipped`);
      this.skip();
    }
    const pair = async () => (await (await api()).workloads(NS)).workloads?.find((w) => w.name === 'app-prod');
    const deadline = Date.now() + 60_000;
    while (!(await pair())?.blueGreen?.idleReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const before = (await pair())!.blueGreen!;
    assert.ok(before.idleReady, 'the idle colour is ready: the switch is not refused before it asks');
    // Enter on every prompt, as a user would on the confirmation: the switch must not be sent.
    const outcome = await runAcceptingDefaults<{ ok: boolean; cancelled?: boolean; message: string }>('switchyard.bluegreen.switch', { namespace: NS, name: 'app-prod' });
    assert.equal(outcome.cancelled, true, `Enter cancelled the switch: ${outcome.message}`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await pair())!.blueGreen!.live, before.live, 'the Service still selects the colour it did');
  });

  test('Describe on a pod row opens its YAML, read fresh, in a read-only editor', async function () {
    const answer = await (await api()).workloads(NS);
    if (answer.problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    const pod = answer.workloads?.flatMap((w) => w.revisions.flatMap((r) => r.pods))[0];
    assert.ok(pod, 'the demo namespace has pods');
    await vscode.commands.executeCommand('switchyard.pod.describe', { namespace: NS, name: pod.name });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.scheme, 'switchyard-pod', 'a content-provider document: VS Code opens it read-only');
    assert.equal(editor.document.languageId, 'yaml');
    assert.match(editor.document.getText(), new RegExp(`^kind: Pod$[\\s\\S]*^  name: ${pod.name}$`, 'm'));
    assert.doesNotMatch(editor.document.getText(), /managedFields/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a kubeconfig whose folder goes away and comes back (cluster down, up) reconnects by itself, without a Refresh', async function () {
    if ((await (await api()).workloads(NS)).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    const file = tempPath('kubeconfig');
    const original = readFileSync(process.env.KUBECONFIG!, 'utf8');
    writeFileSync(file, original);
    const config = vscode.workspace.getConfiguration('switchyard');
    try {
      await config.update('kubeconfig', file, vscode.ConfigurationTarget.Global);
      await treeUntil('the tree on the copied kubeconfig', (rows) => contextShown(rows) === 'switchyard-local');
      rmSync(dirname(file), { recursive: true });
      await treeUntil('the tree once the kubeconfig is gone', (rows) => contextShown(rows) !== 'switchyard-local');
      mkdirSync(dirname(file));
      writeFileSync(file, original);
      await treeUntil('the tree back on the re-made kubeconfig, by itself', (rows) => contextShown(rows) === 'switchyard-local');
    } finally {
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    }
    await treeUntil('back on the local cluster', (rows) => contextShown(rows) === 'switchyard-local');
  });
});
