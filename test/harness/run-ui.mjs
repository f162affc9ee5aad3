// Runs the UI tests (test/ui/*.ui.mjs) with Playwright against the code-server workbench, with the
// extension under development loaded (no test runner in the host). Tests run in order on one page.
//
//   node test/harness/run-ui.mjs
//
// Environment: SWITCHYARD_UI_GREP runs only the tests whose name matches; SWITCHYARD_KUBECONFIG as
// for run-host.mjs. A test may set `needsCluster: true` (skipped, and counted as skipped, when
// SWITCHYARD_KUBECONFIG is unset) and `timeoutMs` (default 120 s). Output in test-results/ui/: a
// screenshot per step, code-server.log, browser-console.log and vscode-logs/.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.mjs';
import { openSession, prepareExtension, printSummary, resultsFolder } from './session.mjs';

const TEST_TIMEOUT_MS = 120_000;
const uiDir = join(repoRoot, 'test', 'ui');

async function loadTests() {
  const grep = process.env.SWITCHYARD_UI_GREP ? new RegExp(process.env.SWITCHYARD_UI_GREP) : undefined;
  const tests = [];
  for (const file of readdirSync(uiDir).filter((f) => f.endsWith('.ui.mjs')).sort()) {
    tests.push(...(await import(pathToFileURL(join(uiDir, file)).href)).default);
  }
  return grep ? tests.filter((t) => grep.test(t.name)) : tests;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const started = Date.now();
  const outDir = resultsFolder('ui');
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    prepareExtension();
    const tests = await loadTests();
    const session = await openSession({ tier: 'ui', outDir });
    let shots = 0;
    const shot = (name, options = {}) => session.page.screenshot({ ...options, path: join(outDir, `${String(++shots).padStart(2, '0')}-${name}.png`) });
    try {
      await shot('workbench');
      for (const t of tests) {
        if (t.needsCluster && !process.env.SWITCHYARD_KUBECONFIG) {
          skipped++;
          console.log(`  skip ${t.name} (no cluster: SWITCHYARD_KUBECONFIG is unset)`);
          continue;
        }
        const testStarted = Date.now();
        const lines = [];
        try {
          await withTimeout(t.run({ page: session.page, shot, log: (line) => lines.push(line) }), t.timeoutMs ?? TEST_TIMEOUT_MS, t.name);
          passed++;
          console.log(`  ok   ${t.name} (${Date.now() - testStarted} ms)`);
        } catch (error) {
          failed++;
          console.log(`  FAIL ${t.name} (${Date.now() - testStarted} ms)\n${String(error.stack ?? error).replace(/^/gm, '       ')}`);
          await shot('failed').catch(() => {});
          // Leave no prompt open for the next test.
          await session.page.keyboard.press('Escape').catch(() => {});
        }
        for (const line of lines) console.log(`       ${line}`);
      }
    } finally {
      await session.close({ screenshot: null });
    }
  } catch (error) {
    failed++;
    console.log(`  FAIL ${error.message}`);
  }
  console.log(`ui: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  printSummary('ui', { passed, failed, skipped }, outDir);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
