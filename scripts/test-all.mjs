// `npm test`: first the set-up that is missing (scripts/setup.mjs: npm dependencies, the real VS Code,
// the local control plane), then every tier in order (type check, unit tests, cluster tests against
// the local control plane, the extension-host suite in a real VS Code, the UI tests, the packaged
// .vsix installed), then one closing line that counts them all: "N passed, N failed".
// A tier that cannot run (set-up failure, crash, no results) counts as a failure, never a pass.
//
//   npm test                  every tier
//   npm test -- unit host     some tiers (or SWITCHYARD_TIERS=unit,host)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cleanEnvironment } from './environment.mjs';
import { localClusterUp, localKubeconfig } from './local-cluster.mjs';
import { ensureSetup, formatDuration } from './setup.mjs';

const allTiers = [
  // setup: the set-up steps a tier cannot run without; wantsCluster: it uses the local cluster when it is up.
  { name: 'typecheck', cmd: ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit'], parse: 'exit', setup: ['npm'] },
  { name: 'unit', cmd: ['scripts/test-unit.mjs', '--tap'], parse: 'tap', setup: ['npm'] },
  { name: 'cluster', cmd: ['scripts/test-unit.mjs', '--dir', 'test/cluster', '--tap'], parse: 'tap', setup: ['npm', 'cluster'], needsCluster: true },
  { name: 'host', cmd: ['test/harness/run-host.mjs'], parse: 'results', setup: ['npm', 'vscode'], wantsCluster: true },
  { name: 'ui', cmd: ['test/harness/run-ui.mjs'], parse: 'results', setup: ['npm', 'vscode'], wantsCluster: true },
  { name: 'package', cmd: ['test/harness/run-package.mjs'], parse: 'results', setup: ['npm', 'vscode'] },
];
const named = process.argv.slice(2).length ? process.argv.slice(2) : process.env.SWITCHYARD_TIERS?.split(',').map((s) => s.trim());
const unknown = (named ?? []).filter((name) => !allTiers.some((t) => t.name === name));
if (unknown.length) {
  console.error(`unknown tier ${unknown.join(', ')}; the tiers are ${allTiers.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const tiers = allTiers.filter((t) => !named || named.includes(t.name));

// The set-up these tiers need; a tier whose set-up failed is not run and counts as failed.
const usesCluster = tiers.some((t) => t.needsCluster || t.wantsCluster);
console.log('=== set-up ===');
const setupStarted = Date.now();
const setup = await ensureSetup([...new Set(tiers.flatMap((t) => t.setup).concat(usesCluster ? ['cluster'] : []))]);
console.log(`set-up: ${formatDuration(Date.now() - setupStarted)}`);
if (setup.some((r) => r.interrupted)) process.exit(130);
const failedSetup = new Map(setup.filter((r) => !r.ok).map((r) => [r.name, r]));

// One local cluster for the cluster, host and UI tiers: the host and UI tiers then also see the demo apps.
let clusterStarted = false;
let clusterReady = false;
if (usesCluster && !failedSetup.has('cluster') && !failedSetup.has('npm')) {
  const wasUp = localClusterUp();
  console.log('\n=== local cluster ===');
  const up = spawnSync('bash', ['cluster/up.sh'], { stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnvironment() });
  clusterStarted = !wasUp && up.status === 0;
  clusterReady = up.status === 0 && spawnSync('bash', ['cluster/demo.sh', '--reset'], { stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnvironment() }).status === 0;
  if (clusterReady) process.env.SWITCHYARD_KUBECONFIG = localKubeconfig;
  else console.log('The local cluster did not come up: the cluster tier fails; host and UI run without it.');
}

function run(tier) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tier.cmd, { stdio: ['ignore', 'pipe', 'inherit'], env: cleanEnvironment() });
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let reported = false;
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let m;
        if (tier.parse === 'tap' && (m = /^# (pass|fail|skipped) (\d+)$/.exec(line))) {
          reported = true;
          if (m[1] === 'pass') passed = Number(m[2]);
          else if (m[1] === 'fail') failed = Number(m[2]);
          else skipped = Number(m[2]);
        } else if (tier.parse === 'results' && (m = /^SWITCHYARD_RESULTS (\{.*\})$/.exec(line))) {
          const r = JSON.parse(m[1]);
          reported = true;
          passed += r.passed;
          failed += r.failed;
          skipped += r.skipped ?? 0;
        }
      }
    });
    child.on('close', (code) => {
      if (tier.parse === 'exit') return resolve({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });
      // A tier that exits non-zero without a failing test still failed (crash, time-out, setup).
      if (!reported || (code !== 0 && failed === 0)) failed += 1;
      resolve({ passed, failed, skipped });
    });
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];
for (const result of failedSetup.values()) {
  summary.push(`set-up ${result.name}: FAILED, ${result.error}${result.log ? ` (log: ${result.log})` : ''}`);
  if (result.ran) failed += 1;
}
for (const tier of tiers) {
  const missingSetup = tier.setup.filter((name) => failedSetup.has(name));
  if (missingSetup.length) {
    summary.push(`${tier.name}: not run, its set-up failed (${missingSetup.join(', ')})`);
    failed += 1;
    continue;
  }
  if (tier.needsCluster && !clusterReady) {
    summary.push(`${tier.name}: no local cluster`);
    failed += 1;
    continue;
  }
  if (!existsSync(tier.cmd[0])) {
    summary.push(`${tier.name}: missing ${tier.cmd[0]}`);
    failed += 1;
    continue;
  }
  console.log(`\n=== ${tier.name} ===`);
  const r = await run(tier);
  summary.push(`${tier.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
}
if (clusterStarted && !process.env.SWITCHYARD_KEEP_CLUSTER) spawnSync('bash', ['cluster/down.sh'], { stdio: 'inherit' });
console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
