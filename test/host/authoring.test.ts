import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor } from './support';
import { suite, teardown, test } from './tdd';

const SOURCE = 'switchyard';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with test/workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

function switchyardDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

suite('Authoring on the sample workspace', () => {
  teardown(closeAllEditors);

  test('diagnostics flag the pitfalls file and leave every good manifest clean', async () => {
    const pitfalls = workspaceFile('pitfalls.yaml');
    await vscode.window.showTextDocument(pitfalls);
    const found = await waitFor('diagnostics on pitfalls.yaml', () => {
      const d = switchyardDiagnostics(pitfalls);
      return d.length ? d.map(codeOf) : undefined;
    });
    assert.ok(found.includes('no-readiness-probe'), `got ${found.join(', ')}`);
    assert.ok(found.includes('image-without-tag'), `got ${found.join(', ')}`);

    for (const name of ['rolling-update.yaml', 'blue-green.yaml', 'canary-replicas.yaml', 'argo-canary.yaml', 'argo-blue-green.yaml']) {
      const uri = workspaceFile(name);
      await vscode.workspace.openTextDocument(uri); // linted on open
      assert.deepEqual(switchyardDiagnostics(uri).map((d) => `${codeOf(d)}: ${d.message}`), [], name);
    }
  });

  test('the hover on maxSurge explains the field', async () => {
    const uri = workspaceFile('rolling-update.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = document.positionAt(document.getText().indexOf('maxSurge:') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /maxSurge/);
  });

  test('the readinessProbe quick fix applies and its diagnostic clears', async () => {
    // A copy in an untitled document, so the fix never touches the workspace on disk.
    const original = await vscode.workspace.openTextDocument(workspaceFile('pitfalls.yaml'));
    const copy = await vscode.workspace.openTextDocument({ language: 'yaml', content: original.getText() });
    await vscode.window.showTextDocument(copy);
    const probe = await waitFor('the no-readiness-probe diagnostic', () => switchyardDiagnostics(copy.uri).find((d) => codeOf(d) === 'no-readiness-probe'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', copy.uri, probe.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /readinessProbe/.test(a.title));
    assert.ok(fix?.edit, `no quick fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(copy.getText(), /readinessProbe:/);
    await waitFor('the diagnostic to clear', () => (switchyardDiagnostics(copy.uri).some((d) => codeOf(d) === 'no-readiness-probe') ? undefined : true));
  });
});
