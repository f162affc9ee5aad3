// The repo's Node scripts (build, bench, test runners, harness) are plain .mjs that no compiler
// checks: a syntax error in one would only show when someone runs it. `node --check` each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
const folders = ['scripts', 'test/harness', 'test/ui', 'webview'];

test('every .mjs script of the repo parses', () => {
  const scripts = folders.flatMap((folder) => readdirSync(join(repo, folder)).filter((f) => f.endsWith('.mjs')).map((f) => join(folder, f)));
  assert.ok(scripts.includes(join('scripts', 'bench.mjs')), 'finds the scripts');
  for (const script of scripts) {
    const run = spawnSync(process.execPath, ['--check', join(repo, script)], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${script}: ${run.stderr}`);
  }
});
