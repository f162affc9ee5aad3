// The extension-host suite (test/host, TypeScript + mocha) as both runners use it: bundled into one
// CommonJS file that VS Code loads as extensionTestsPath, and its results file printed.
// Used by run-host.mjs (code-server) and run-desktop.mjs (@vscode/test-electron).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot, workDir } from './paths.mjs';

export const hostBundle = join(workDir, 'host-suite', 'index.js');

/** mocha comes from the repo's devDependencies, or from a folder on NODE_PATH. */
export async function bundleHostSuite() {
  try {
    createRequire(join(repoRoot, 'package.json')).resolve('mocha');
  } catch {
    throw new Error('mocha is not installed: add it to devDependencies and run npm install');
  }
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'test', 'host', 'index.ts')],
    outfile: hostBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The lowest Node that a supported VS Code runs extensions on (desktop Electron 22.x, code-server 24).
    target: 'node20',
    external: ['vscode'],
    nodePaths: process.env.NODE_PATH ? process.env.NODE_PATH.split(':') : [],
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode resolves its worker files at run time; the suite runs serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return hostBundle;
}

/** Prints each test of the suite's results file, the runtime and the activate() time. */
export function printHostResults(tier, results) {
  for (const t of results.tests) {
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip' }[t.state];
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '       '));
  }
  console.log(`${tier}: VS Code ${results.vscodeVersion}, extension host on Node ${results.nodeVersion}`);
  console.log(`${tier}: ${results.metrics?.activateMs === undefined ? 'activate() not timed: the extension was active before the suite' : `activate() took ${results.metrics.activateMs} ms`}`);
}
