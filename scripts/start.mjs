// `npm start`: the set-up that is missing (scripts/setup.mjs), the local demo cluster with sample
// apps of every strategy, then Switchyard in a real VS Code (code-server) pointed at it. Ctrl+C, or
// SIGINT / SIGTERM to this process alone, stops the editor and the cluster it started, at any stage.
// SWITCHYARD_NO_CLUSTER=1 starts the editor alone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startEditor, stopRequested, untilStopped } from '../test/harness/start.mjs';
import { cleanEnvironment } from './environment.mjs';
import { localClusterUp, localContext, localKubeconfig, localPrometheusUrl } from './local-cluster.mjs';
import { ensureSetup } from './setup.mjs';

const withCluster = !process.env.SWITCHYARD_NO_CLUSTER;
let stopping = false;
stopRequested().then(() => { stopping = true; });

/** Runs a script with its output shown, without blocking this process (a signal is seen at once). */
function runShown(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnvironment() });
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });
}

let startedCluster = false;
function finish(code) {
  if (startedCluster) spawnSync('bash', ['cluster/down.sh'], { stdio: 'inherit', env: cleanEnvironment() });
  process.exit(code);
}

const setup = await ensureSetup(withCluster ? ['npm', 'vscode', 'cluster'] : ['npm', 'vscode']);
if (stopping) finish(130);
if (setup.some((r) => !r.ok && r.name !== 'cluster')) finish(1);

if (withCluster && setup.every((r) => r.ok)) {
  const wasUp = localClusterUp();
  console.log(wasUp ? 'Local cluster already up.' : 'Starting the local cluster...');
  const up = await runShown('bash', ['cluster/up.sh']);
  startedCluster = !wasUp && up === 0;
  if (up === 0 && !stopping) await runShown('bash', ['cluster/demo.sh']);
  else if (up !== 0) console.error('The local cluster did not start: Switchyard opens without it (see .work/cluster/logs).');
} else if (withCluster) {
  console.error('The local control plane could not be built (see above): Switchyard opens without a cluster.');
}
if (stopping) finish(130);

if (withCluster && existsSync(localKubeconfig)) process.env.SWITCHYARD_KUBECONFIG = localKubeconfig;
// The demo's golden signals and "Evaluate now" need its Prometheus: set for the local context only.
const prometheus = withCluster ? localPrometheusUrl() : undefined;
let server;
try {
  server = await startEditor(prometheus ? { 'switchyard.prometheus.url': { [localContext]: prometheus } } : {});
} catch (error) {
  console.error(`The editor did not start: ${error.message}`);
  finish(1);
}
if (stopping) {
  await server.stop();
  finish(130);
}
console.log(`Ctrl+C stops it${startedCluster ? ' and the local cluster' : ''}.`);
const { exited } = await untilStopped(server);
await server.stop();
finish(exited ? 1 : 0);
