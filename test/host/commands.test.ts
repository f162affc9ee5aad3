import * as assert from 'node:assert/strict';
import { suite, test } from './tdd';
import * as vscode from 'vscode';
import { extension } from './support';

suite('Commands', () => {
  test('every command contributed in package.json is registered', async () => {
    const ext = extension();
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });
});
