import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { closeAllEditors, tempPath, waitFor } from './support';
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

  // Red Hat's YAML extension cannot be installed here (no Marketplace or Open VSX on this network).
  // It meets Switchyard through the same two channels these tests use: a hover provider for YAML and
  // a diagnostic collection. The tests stand in for it on those channels, in the real host.
  test('beside another hover on the same field, the Switchyard hover comes once and adds only its own part', async () => {
    const uri = workspaceFile('rolling-update.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const at = document.getText().indexOf('maxSurge:');
    const position = document.positionAt(at + 2);
    const hoverTexts = async () =>
      (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)).map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'));
    const ours = (texts: string[]) => texts.filter((t) => t.includes('*Release impact:*'));

    const alone = ours(await hoverTexts());
    assert.equal(alone.length, 1, 'one Switchyard hover');
    const summary = alone[0].split('\n')[2];
    assert.ok(summary && summary.length > 20, `the full hover has a summary: ${alone[0]}`);

    const keyRange = new vscode.Range(document.positionAt(at), document.positionAt(at + 'maxSurge'.length));
    const schema = vscode.languages.registerHoverProvider({ language: 'yaml' }, {
      provideHover: (d, p) => (d.uri.toString() === uri.toString() && keyRange.contains(p) ? new vscode.Hover('The maximum number of pods that can be scheduled above the desired number of pods.', keyRange) : undefined),
    });
    try {
      const beside = await hoverTexts();
      assert.equal(ours(beside).length, 1, 'still one Switchyard hover');
      assert.ok(beside.some((t) => t.startsWith('The maximum number of pods')), 'the other hover shows');
      assert.ok(!ours(beside)[0].includes(summary), 'our summary is left to the other hover');
      assert.match(ours(beside)[0], /\*Default:\*[\s\S]*\[Reference\]/);
    } finally {
      schema.dispose();
    }

    // A whole-line hover (a blame annotation, say) explains nothing about the field.
    const line = document.lineAt(position.line).range;
    const blame = vscode.languages.registerHoverProvider({ language: 'yaml' }, { provideHover: () => new vscode.Hover('committed 3 days ago', line) });
    try {
      assert.ok(ours(await hoverTexts())[0].includes(summary), 'full hover beside a whole-line hover');
    } finally {
      blame.dispose();
    }
  });

  test('a syntax error another extension already reports is not reported twice; the release rules stay', async () => {
    const file = tempPath('broken.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n          ports: [{containerPort: 8080}]\n---\nkind: Service\nspec: [unclosed\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const codes = () => switchyardDiagnostics(uri).map(codeOf).sort().join();
    await waitFor('our syntax error and the readiness finding', () => (codes() === 'no-prestop,no-readiness-probe,yaml-syntax' ? true : undefined));
    const ourSyntax = switchyardDiagnostics(uri).find((d) => codeOf(d) === 'yaml-syntax')!;

    const other = vscode.languages.createDiagnosticCollection('YAML');
    try {
      const theirs = new vscode.Diagnostic(ourSyntax.range, 'Flow sequence in block collection must be sufficiently indented and end with a ]', vscode.DiagnosticSeverity.Error);
      theirs.source = 'YAML';
      other.set(uri, [theirs]);
      await waitFor('our copy of the syntax error to go', () => (codes() === 'no-prestop,no-readiness-probe' ? true : undefined));
      other.clear();
      await waitFor('our syntax error to come back', () => (codes() === 'no-prestop,no-readiness-probe,yaml-syntax' ? true : undefined));
    } finally {
      other.dispose();
    }
  });
});
