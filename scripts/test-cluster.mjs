// The cluster tier: brings the local control plane up (cluster/up.sh builds what is missing),
// runs test/cluster against it with node's test runner, and stops it again if it started it.
// `--only name,name` runs just the files whose name contains one (SWITCHYARD_KEEP_CLUSTER=1 keeps it up).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { localClusterUp, localKubeconfig } from './local-cluster.mjs';

const tap = process.argv.includes('--tap') ? ['--tap'] : [];
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? ['--only', process.argv[onlyArg + 1]] : [];
const wasUp = localClusterUp();
if (!wasUp) {
  const up = spawnSync('bash', ['cluster/up.sh'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (up.status !== 0) {
    console.error('cluster/up.sh failed: the cluster tier cannot run');
    process.exit(1);
  }
}
let code = 1;
try {
  if (!existsSync(localKubeconfig)) throw new Error('no kubeconfig after cluster/up.sh');
  const run = spawnSync(process.execPath, ['scripts/test-unit.mjs', '--dir', 'test/cluster', ...tap, ...only], { stdio: 'inherit', env: { ...process.env, SWITCHYARD_KUBECONFIG: localKubeconfig } });
  code = run.status ?? 1;
} finally {
  if (!wasUp && !process.env.SWITCHYARD_KEEP_CLUSTER) spawnSync('bash', ['cluster/down.sh'], { stdio: 'inherit' });
}
process.exit(code);
