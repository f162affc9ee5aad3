// The local demo cluster (cluster/up.sh + cluster/demo.sh) for the UI tests: whether this run has
// one, and putting back what a test changed, so the demo is left as the test found it. The tests
// themselves act only through the workbench; kubectl (built by cluster/build.sh) is used only here,
// and for what comes from outside the editor (a release that a pipeline ships: setCheckoutImage).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
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

/** The Argo canary `checkout`'s image as demo.sh leaves it (its update from 1.0.0, paused at step 1). */
export const CHECKOUT_DEMO_IMAGE = 'ghcr.io/example/checkout:1.1.0';

/** The Rollout `checkout` as the API server has it. */
export async function checkoutRollout() {
  return JSON.parse(await kubectl(['-n', DEMO_NAMESPACE, 'get', 'rollouts.argoproj.io', 'checkout', '-o', 'json']));
}

/** Whether `checkout` is as cluster/demo.sh leaves it: revision 2 (1.1.0) paused at step 1 of its first update. */
export function checkoutIsAsDemoLeftIt(rollout) {
  return (
    rollout.spec.template.spec.containers[0].image === CHECKOUT_DEMO_IMAGE &&
    rollout.metadata.annotations?.['rollout.argoproj.io/revision'] === '2' &&
    rollout.status?.phase === 'Paused' &&
    rollout.status?.currentStepIndex === 1
  );
}

/**
 * Sets the image of `checkout` the way demo.sh does (a JSON patch of the template's container), as a
 * release pipeline or `kubectl argo rollouts set image` would: Argo starts a new canary revision.
 */
export async function setCheckoutImage(image) {
  const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }];
  await kubectl(['-n', DEMO_NAMESPACE, 'patch', 'rollouts.argoproj.io', 'checkout', '--type=json', `-p=${JSON.stringify(patch)}`]);
}

/**
 * Recreates `checkout` the way cluster/demo.sh drives it (apply its manifest as demo.sh rendered it,
 * Healthy at 1.0.0, then 1.1.0 to the pause at step 1), since a Rollout's revisions only go up:
 * setting the old image back would be revision 4, and the broken one would stay in its history.
 */
export async function recreateDemoCheckout() {
  const ns = ['-n', DEMO_NAMESPACE];
  // The pods of revisions demo.sh never made (the broken image's): their Events go with them, or the
  // recreated Rollout's ReplicaSet of the same name and hash would show a later run their old warnings.
  const demoImages = ['ghcr.io/example/checkout:1.0.0', CHECKOUT_DEMO_IMAGE];
  const replicaSets = JSON.parse(await kubectl([...ns, 'get', 'replicasets', '-l', 'app=checkout', '-o', 'json'])).items;
  const foreign = replicaSets.filter((rs) => !demoImages.includes(rs.spec.template.spec.containers[0].image)).map((rs) => rs.metadata.name);
  // Foreground: its ReplicaSets and pods are gone before the new ones (same names) are created.
  await kubectl([...ns, 'delete', 'rollouts.argoproj.io', 'checkout', '--cascade=foreground', '--wait=true', '--timeout=120s'], { timeoutMs: 150_000 });
  // demo.sh's rendering of the manifest, with this cluster's Prometheus in the AnalysisTemplate.
  await kubectl(['apply', '--server-side', '--field-manager=switchyard-demo', '-f', join(dirname(clusterKubeconfig()), 'demo', '40-argo-canary.yaml')]);
  await checkoutUntil('Healthy at 1.0.0', (r) => r.status?.phase === 'Healthy');
  await setCheckoutImage(CHECKOUT_DEMO_IMAGE);
  await checkoutUntil('paused at step 1', (r) => r.status?.phase === 'Paused' && r.status?.currentStepIndex === 1);
  const events = JSON.parse(await kubectl([...ns, 'get', 'events', '-o', 'json'])).items;
  const stale = events.filter((e) => foreign.some((rs) => e.involvedObject.name === rs || e.involvedObject.name.startsWith(`${rs}-`))).map((e) => e.metadata.name);
  if (stale.length) await kubectl([...ns, 'delete', 'events', ...stale, '--ignore-not-found']);
}

/** Polls `checkout` until `done(rollout)` (the controller has not written its status at first: no kubectl wait on a field). */
async function checkoutUntil(what, done, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (let rollout; !done((rollout = await checkoutRollout())); ) {
    if (Date.now() > deadline) throw new Error(`checkout not ${what} after ${timeoutMs / 1000} s: ${JSON.stringify(rollout.status ?? {})}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
