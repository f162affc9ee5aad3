// Bundles each unit test with esbuild (fast, and lets ESM-only schema packages load on Node 20),
// then runs them with node's test runner. Exits with the runner's code.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = 'test/unit';
const entryPoints = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f));
rmSync('out/unit', { recursive: true, force: true });
await esbuild.build({ entryPoints, outdir: 'out/unit', bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', external: ['vscode'], logLevel: 'warning' });
const reporter = process.argv.includes('--tap') ? ['--test-reporter=tap'] : [];
const files = entryPoints.map((f) => join('out/unit', f.slice(dir.length + 1).replace(/\.ts$/, '.js')));
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...reporter, ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
