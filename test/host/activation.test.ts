import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { suite, test } from './tdd';
import { extension, metrics } from './support';

suite('Activation', () => {
  test('the extension is present and activates without a cluster', async () => {
    const ext = extension();
    // Nothing in the test workspace is open yet, so this is a cold activation: loading the bundle
    // plus activate(). The harness points KUBECONFIG at an empty file, so no cluster is reachable.
    assert.equal(ext.isActive, false, 'activated before the suite asked: check activationEvents');
    const started = performance.now();
    await ext.activate();
    metrics.activateMs = Math.round((performance.now() - started) * 10) / 10;
    console.log(`switchyard: activate() took ${metrics.activateMs} ms in VS Code's extension host`);
    assert.equal(ext.isActive, true);
  });
});
