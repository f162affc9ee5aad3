// The extension-host suite's entry: the module shape that `@vscode/test-electron` and
// `@vscode/test-cli` load as `extensionTestsPath` (an exported `run()` that rejects on failure).
// test/harness/host-suite.mjs bundles it with mocha into one file, so the same suite runs in
// code-server (test/harness/run-host.mjs) and in desktop VS Code (test/harness/run-desktop.mjs).
//
// Results leave the host two ways: mocha's spec reporter on the console, and, when the harness sets
// SWITCHYARD_HOST_RESULTS, a JSON file it reads back (passed, failed, each test, metrics).
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { metrics } from './support';

// The part of mocha's API this runner uses (see tdd.ts for why it is typed here).
interface MochaTest {
  fullTitle(): string;
  duration?: number;
}
interface MochaRunner {
  on(event: 'pass' | 'fail' | 'pending', listener: (test: MochaTest, error?: Error) => void): MochaRunner;
}
interface MochaInstance {
  suite: { emit(event: 'pre-require', context: object, file: string, mocha: MochaInstance): void };
  grep(pattern: string): MochaInstance;
  run(done: (failures: number) => void): MochaRunner;
}
const Mocha: new (options: { ui: 'tdd'; color: boolean; timeout: number; reporter: string }) => MochaInstance = require('mocha');

/** In the order they run: activation first, so it is measured from a cold start. */
const suites = [
  () => import('./activation.test'),
  () => import('./commands.test'),
  () => import('./newStrategy.test'),
  () => import('./commandsRun.test'),
  () => import('./authoring.test'),
  () => import('./cluster.test'),
  // The demo's Flux storefront: a clone of its repository in the workspace while it runs.
  () => import('./gitops.test'),
  () => import('./panels.test'),
  // Reads the demo's replica canary and evaluates templates of its own: changes nothing of the demo.
  () => import('./metrics.test'),
  // After the panels: it finds the demo's checkout paused at step 1 again, and leaves it so.
  () => import('./attention.test'),
  // After attention: it switches app-prod by other field managers and pauses web, and puts both back.
  () => import('./pins.test'),
  // After the attention test: it approves inventory and puts the demo back as demo.sh leaves it.
  () => import('./flagger.test'),
  // After attention: the demo's checkout paused at step 1 in two contexts at once.
  () => import('./multicontext.test'),
  () => import('./trust.test'),
  // Last: it starts yaml-language-server beside Switchyard (and stops it when done).
  () => import('./coexistence.test'),
];

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.SWITCHYARD_HOST_GREP) mocha.grep(process.env.SWITCHYARD_HOST_GREP);
  // What `mocha.addFile` + `loadFiles` do, for suites bundled into this file: expose the TDD
  // functions, then load each suite so it registers its tests.
  mocha.suite.emit('pre-require', globalThis, 'switchyard-host', mocha);
  for (const load of suites) await load();

  const results: TestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner
      .on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }))
      .on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }))
      .on('fail', (t, error) => results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: error?.stack ?? String(error) }));
  });

  const count = (state: TestResult['state']) => results.filter((r) => r.state === state).length;
  const report = {
    tier: 'host',
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    metrics,
    tests: results,
  };
  if (process.env.SWITCHYARD_HOST_RESULTS) writeFileSync(process.env.SWITCHYARD_HOST_RESULTS, JSON.stringify(report, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
