// Commands run with their answers as arguments (no prompts), snippets expand from the contributed
// file, and cluster actions without a cluster say so instead of failing.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { suite, teardown, test } from './tdd';
import { api, closeAllEditors, tempPath, waitFor } from './support';

const ROLLING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`;

/** A YAML editor on a new file of its own (see tempPath). */
async function yamlEditor(content: string): Promise<vscode.TextEditor> {
  const file = tempPath('manifest.yaml');
  writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

suite('Commands with arguments', () => {
  teardown(closeAllEditors);

  test('Which Strategy Fits? answers from the checklist given as an argument', async () => {
    const result = (await vscode.commands.executeCommand('switchyard.strategy.recommend', {
      tolerableFailure: 'none', rollbackSpeed: 'seconds', canSplitTraffic: false, canObserveMetrics: false, spareCapacity: true, databaseChange: 'none', argoRollouts: false,
    })) as { strategy: string; reasons: string[] };
    assert.equal(result.strategy, 'bluegreen');
    assert.ok(result.reasons.length > 0);
  });

  test('Show Rolling-Update Timeline simulates the numbers given and opens the table', async () => {
    const markdown = (await vscode.commands.executeCommand('switchyard.timeline.show', { replicas: 10, maxSurge: '25%', maxUnavailable: '25%' })) as string;
    assert.match(markdown, /Rolling update of 10 pods\*\* \(surge 3, unavailable 2\)/);
    // Opened rendered: the Markdown preview of the table's file, beside the editor.
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const preview = await waitFor('the timeline preview', () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /rolling-update-10-25pct-25pct\.md/.test(t.label)));
    assert.match(preview.label, /^Preview rolling-update-10-25pct-25pct\.md$/);
  });

  test('Convert Deployment to Rollout rewrites the open document', async () => {
    const editor = await yamlEditor(ROLLING);
    const applied = await vscode.commands.executeCommand('switchyard.deployment.convertToRollout', { mode: 'inline', strategy: 'canary' });
    assert.equal(applied, true);
    const text = editor.document.getText();
    assert.match(text, /^kind: Rollout$/m);
    assert.match(text, /^apiVersion: argoproj\.io\/v1alpha1$/m);
    assert.match(text, /setWeight: 20/);
    assert.match(text, /image: ghcr\.io\/acme\/web:1\.0\.0/);
  });

  test('contributed snippets expand in a YAML editor', async () => {
    for (const [name, expected] of [
      ['Switchyard: rolling update', /kind: Deployment[\s\S]*type: RollingUpdate/],
      ['Switchyard: Argo Rollouts canary', /kind: Rollout[\s\S]*setWeight/],
      ['Switchyard: Gateway API weighted canary', /kind: HTTPRoute[\s\S]*weight/],
    ] as const) {
      const editor = await yamlEditor('');
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name });
      const text = await waitFor(`snippet "${name}"`, () => (editor.document.getText().length > 0 ? editor.document.getText() : undefined));
      assert.match(text, expected, name);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('cluster actions without a cluster answer with a message, not an exception', async function () {
    const probe = await (await api()).workloads();
    if (!probe.problem) return; // a cluster is configured in this run: the live suites cover the actions
    for (const command of ['switchyard.bluegreen.switch', 'switchyard.deployment.rollback', 'switchyard.rollout.promote', 'switchyard.manifest.apply']) {
      const outcome = (await vscode.commands.executeCommand(command, { name: 'x', confirm: true })) as { ok: boolean; message: string };
      assert.equal(outcome.ok, false, command);
      assert.ok(outcome.message.length > 0, `${command} says why`);
    }
  });
});
