// The local control plane as the scripts see it (cluster/ starts and stops it): whether it is up,
// and the kubeconfig it writes. Only Node's own modules: npm start and npm test import this before set-up.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnvironment } from './environment.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const localKubeconfig = join(repoRoot, '.work', 'cluster', 'kubeconfig');

/** Whether the local cluster's API server answers (every component started by cluster/up.sh). */
export function localClusterUp() {
  const status = spawnSync('bash', ['cluster/component.sh', 'status'], { cwd: repoRoot, encoding: 'utf8', env: cleanEnvironment() });
  return status.status === 0 && /api .* ready/.test(status.stdout) && !/not ready/.test(status.stdout);
}

/** The kubeconfig context of the local cluster (cluster/lib/cluster.sh names it). */
export const localContext = 'switchyard-local';

/** The local cluster's Prometheus (cluster/README.md), as its ports.env says; undefined without one. */
export function localPrometheusUrl() {
  try {
    return /^PROMETHEUS_URL=(\S+)$/m.exec(readFileSync(join(repoRoot, '.work', 'cluster', 'ports.env'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
