// The local demo cluster (cluster/up.sh + cluster/demo.sh) for the UI tests: whether this run has
// one, and putting back what a test changed, so the demo is left as the test found it. The tests
// themselves act only through the workbench; kubectl (built by cluster/build.sh) is used only here.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.mjs';

export const DEMO_NAMESPACE = 'switchyard-demo';
export const DEMO_CONTEXT = 'switchyard-local';

/** The kubeconfig of this run's cluster (SWITCHYARD_KUBECONFIG), or undefined when it has none. */
export function clusterKubeconfig() {
  return process.env.SWITCHYARD_KUBECONFIG || undefined;
}

let kubectlPath;
/** kubectl on the demo cluster (the binary cluster/build.sh made; its path from cluster/lib/common.sh). */
export async function kubectl(args, { timeoutMs = 120_000 } = {}) {
  kubectlPath ??= execFileSync('bash', ['-c', '. "$CLUSTER_SRC/lib/common.sh" && printf %s "$KUBECTL_BIN"'], {
    env: { ...process.env, CLUSTER_SRC: join(repoRoot, 'cluster') },
    encoding: 'utf8',
  });
  const { stdout } = await promisify(execFile)(kubectlPath, [`--kubeconfig=${clusterKubeconfig()}`, `--context=${DEMO_CONTEXT}`, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return stdout;
}

/** Revision number and image of each ReplicaSet of the demo's Deployment `web`, newest first. */
export async function webRevisions() {
  const list = JSON.parse(await kubectl(['-n', DEMO_NAMESPACE, 'get', 'replicasets', '-l', 'app=web', '-o', 'json']));
  return list.items
    .map((rs) => ({ revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0), image: rs.spec.template.spec.containers[0].image }))
    .sort((a, b) => b.revision - a.revision);
}

/** Whether `web` is as cluster/demo.sh leaves it: revisions 3, 2, 1 with images 1.2.0, 1.1.0, 1.0.0. */
export function webIsAsDemoLeftIt(revisions) {
  return JSON.stringify(revisions) === JSON.stringify([3, 2, 1].map((revision, i) => ({ revision, image: `ghcr.io/example/web:1.${2 - i}.0` })));
}

/**
 * Recreates `web` the way cluster/demo.sh does (apply 1.0.0, then 1.1.0 and 1.2.0 with their
 * change-causes), since revision numbers only go up: a rollback cannot be undone by another one.
 */
export async function recreateDemoWeb() {
  const ns = ['-n', DEMO_NAMESPACE];
  // Foreground: the old ReplicaSets are gone before the new ones (same names) are created.
  await kubectl([...ns, 'delete', 'deployment', 'web', '--cascade=foreground', '--wait=true', '--timeout=90s']);
  await kubectl(['apply', '--server-side', '--field-manager=switchyard-demo', '-f', join(repoRoot, 'cluster', 'demo', '10-rolling.yaml')]);
  await kubectl([...ns, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
  for (const version of ['1.1.0', '1.2.0']) {
    await kubectl([...ns, 'set', 'image', 'deployment/web', `web=ghcr.io/example/web:${version}`]);
    await kubectl([...ns, 'annotate', 'deployment/web', '--overwrite', `kubernetes.io/change-cause=image ${version}`]);
    await kubectl([...ns, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
  }
}
