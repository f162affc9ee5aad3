// `npm start`: the local demo cluster (built from Go modules on first run, with sample apps of every
// strategy), then Switchyard in a real VS Code (code-server) pointed at it. Ctrl+C stops both.
// SWITCHYARD_NO_CLUSTER=1 starts the editor alone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const kubeconfig = resolve('.work/cluster/kubeconfig');
let startedCluster = false;
if (!process.env.SWITCHYARD_NO_CLUSTER) {
  const before = spawnSync('bash', ['cluster/component.sh', 'status'], { encoding: 'utf8' });
  const wasUp = before.status === 0 && /api .* ready/.test(before.stdout) && !/not ready/.test(before.stdout);
  console.log(wasUp ? 'Local cluster already up.' : 'Starting the local cluster (the first run builds it from Go modules: this takes a while)...');
  const up = spawnSync('bash', ['cluster/up.sh'], { stdio: 'inherit' });
  startedCluster = !wasUp && up.status === 0;
  if (up.status === 0) spawnSync('bash', ['cluster/demo.sh'], { stdio: 'inherit' });
  else console.error('The local cluster did not start: Switchyard opens without it (see .work/cluster/logs).');
}

const env = { ...process.env };
if (existsSync(kubeconfig) && !process.env.SWITCHYARD_NO_CLUSTER) env.SWITCHYARD_KUBECONFIG = kubeconfig;
const editor = spawn(process.execPath, ['test/harness/start.mjs'], { stdio: 'inherit', env });
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  editor.kill('SIGINT');
  editor.once('exit', () => {
    if (startedCluster) spawnSync('bash', ['cluster/down.sh'], { stdio: 'inherit' });
    process.exit(code);
  });
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
editor.on('exit', (code) => {
  if (stopping) return;
  if (startedCluster) spawnSync('bash', ['cluster/down.sh'], { stdio: 'inherit' });
  process.exit(code ?? 1);
});
