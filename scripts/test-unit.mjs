// Bundles each test file of a folder with esbuild (fast, and lets ESM-only schema packages load on
// Node 20), then runs them with node's test runner. Exits with the runner's code.
// Usage: node scripts/test-unit.mjs [--dir test/cluster] [--tap] [--only name,name] (files whose name contains one)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dirArg = process.argv.indexOf('--dir');
const dir = dirArg > 0 ? process.argv[dirArg + 1] : 'test/unit';
const outDir = join('out', dir.replace(/^test\//, ''));
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : undefined;
const entryPoints = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && (!only || only.some((name) => f.includes(name)))).map((f) => join(dir, f));
rmSync(outDir, { recursive: true, force: true });
await esbuild.build({ entryPoints, outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', external: ['vscode'], logLevel: 'warning' });
const reporter = process.argv.includes('--tap') ? ['--test-reporter=tap'] : [];
const files = entryPoints.map((f) => join(outDir, f.slice(dir.length + 1).replace(/\.ts$/, '.js')));
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...reporter, ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
