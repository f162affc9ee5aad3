import * as assert from 'node:assert/strict';
import { suite, teardown, test } from './tdd';
import * as vscode from 'vscode';
import { closeAllEditors, runAcceptingDefaults, waitFor } from './support';

suite('New Strategy', () => {
  teardown(closeAllEditors);

  test('a rolling update given as arguments opens an untitled YAML Deployment', async () => {
    // Whatever the arguments leave open (namespace, maxSurge, …) is answered with its default.
    await runAcceptingDefaults('switchyard.strategy.new', {
      strategy: 'rolling',
      app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 3 },
      target: 'newDocument',
    });
    const editor = await waitFor('an untitled editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.isUntitled ? active : undefined;
    });
    const text = editor.document.getText();
    assert.equal(editor.document.languageId, 'yaml');
    assert.match(text, /^kind: Deployment$/m);
    assert.match(text, /ghcr\.io\/acme\/web:1\.0\.0/);
    assert.match(text, /^\s*replicas: 3$/m);
  });
});
