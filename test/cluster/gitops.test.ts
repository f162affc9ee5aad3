// Flux's real source-controller and kustomize-controller (cluster/up.sh) applying a git repository
// served by the local git server (cluster/gitserver): what a GitOps-managed object looks like from the
// API, a direct selector switch reverted at the next reconcile, a pushed commit applied. Each test
// run owns its namespace, repository, GitRepository and Kustomization (a copy of the demo's,
// cluster/demo/gitops/), so the demo's own switchyard-gitops namespace stays as it is.
//
// SWITCHYARD_CAPTURE_GITOPS_FIXTURES=1 also writes what the API returned into test/fixtures/gitops/
// (see its README.md): the ownership model's unit tests read those real answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeClient } from '../../src/kube/client';
import { runPlan } from '../../src/kube/actions';
import { planBlueGreenSwitch } from '../../src/domain/actions/plans';
import { FIELD_MANAGER } from '../../src/domain/release/vocabulary';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { clusterPort, eventually, repoRoot, session, waitForWorkloads, withNamespace } from './support';

// kustomize-controller's field manager and owner labels: its main.go names the controller
// "kustomize-controller" (controllerName), and the reconciler hands that name to fluxcd/pkg/ssa's
// ResourceManager as Owner.Field (internal/controller/kustomization_controller.go, reconcile), which
// applies with it as the field manager and SetOwnerLabels writes <group>/name and <group>/namespace.
const FLUX_MANAGER = 'kustomize-controller';
const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
const KUSTOMIZATION = 'storefront';
const OVERLAY_SELECTOR = 'apps/storefront/prod/service-selector.yaml';
const fixtures = join(repoRoot, 'test', 'fixtures', 'gitops');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Switchyard test', '-c', 'user.email=test@switchyard.local', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A bare repository of the git server holding the demo's manifests, pushed over HTTP as a user would; returns its URL and a clone. */
function seedRepository(name: string): { url: string; clone: string; bare: string } {
  const bare = join(clusterPort('GIT_ROOT'), `${name}.git`);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const url = `${clusterPort('GIT_URL')}/${name}.git`;
  const clone = mkdtempSync(join(tmpdir(), 'switchyard-gitops-'));
  git(clone, 'clone', '-q', url, '.');
  cpSync(join(repoRoot, 'cluster', 'demo', 'gitops'), clone, { recursive: true });
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', 'storefront: blue live');
  git(clone, 'push', '-q', 'origin', 'HEAD:main');
  return { url, clone, bare };
}

const servicePath = (ns: string) => `/api/v1/namespaces/${ns}/services/storefront`;
const kustomizationPath = (ns: string) => `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations/${KUSTOMIZATION}`;

/** The managedFields entry of `manager` with `operation`, if any. */
const managedBy = (object: any, manager: string, operation: 'Apply' | 'Update') =>
  (object.metadata.managedFields ?? []).find((m: any) => m.manager === manager && m.operation === operation);
/**
 * Whether a managedFields entry owns the Service's .spec.selector. A Service's selector is an atomic
 * map (core/v1 ServiceSpec.Selector is `+mapType=atomic`): managedFields say `f:selector: {}` for the
 * whole of it, never per key, so whoever last wrote any key owns all of it.
 */
const ownsSelector = (entry: any) => entry?.fieldsV1?.['f:spec']?.['f:selector'] !== undefined;

async function createFluxObjects(client: KubeClient, ns: string, url: string): Promise<void> {
  await client.request(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories`, {
    method: 'POST',
    body: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: KUSTOMIZATION }, spec: { interval: '5s', url, ref: { branch: 'main' } } },
  });
  await client.request(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`, {
    method: 'POST',
    body: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: KUSTOMIZATION },
      // the overlay names the demo's namespace; targetNamespace puts everything in this test's
      spec: { interval: '10s', retryInterval: '5s', timeout: '2m', path: './apps/storefront/prod', prune: true, wait: true, targetNamespace: ns, sourceRef: { kind: 'GitRepository', name: KUSTOMIZATION } },
    },
  });
}

/** The Kustomization once Ready with `revision` (any, when not given) applied. */
function kustomizationReady(client: KubeClient, ns: string, revision?: string): Promise<any> {
  return eventually(
    `Kustomization ${ns}/${KUSTOMIZATION} Ready${revision ? ` at ${revision}` : ''}`,
    () => client.request(kustomizationPath(ns)),
    (k) => k.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && (!revision || k.status.lastAppliedRevision === revision),
    90_000,
  );
}

/** What the API returned, as a fixture (only when asked: the files name this run's namespace). */
function capture(file: string, object: unknown): void {
  if (process.env.SWITCHYARD_CAPTURE_GITOPS_FIXTURES !== '1') return;
  mkdirSync(fixtures, { recursive: true });
  writeFileSync(join(fixtures, file), stringify(object));
}

test('Flux owns what it applies; a direct switch is reverted; a pushed commit is applied', async () => {
  await withNamespace('gitops', async (ns, client) => {
    const repo = seedRepository(ns);
    const s = session();
    try {
      await createFluxObjects(client, ns, repo.url);
      const head = git(repo.clone, 'rev-parse', 'HEAD');
      const ready = await kustomizationReady(client, ns, `main@sha1:${head}`);

      // (c) what Flux writes that tells ownership: its labels and its field manager
      const service = await client.request(servicePath(ns));
      const deployment = await client.request(`/apis/apps/v1/namespaces/${ns}/deployments/storefront-blue`);
      for (const object of [service, deployment]) {
        assert.equal(object.metadata.labels[FLUX_NAME_LABEL], KUSTOMIZATION, `${object.kind} names its Kustomization`);
        assert.equal(object.metadata.labels[FLUX_NAMESPACE_LABEL], ns, `${object.kind} names the Kustomization's namespace`);
        assert.ok(managedBy(object, FLUX_MANAGER, 'Apply'), `${object.kind}: ${FLUX_MANAGER} applies it (server-side apply)`);
      }
      assert.deepEqual(service.spec.selector, { app: 'storefront', version: 'blue' }, 'the overlay picks blue');
      assert.ok(ownsSelector(managedBy(service, FLUX_MANAGER, 'Apply')), `${FLUX_MANAGER} owns spec.selector`);
      // the Kustomization's inventory lists what it applied ("<ns>_<name>_<group>_<Kind>")
      const inventory = ready.status.inventory.entries.map((e: any) => e.id).sort();
      assert.deepEqual(inventory, [`${ns}_storefront-blue_apps_Deployment`, `${ns}_storefront-green_apps_Deployment`, `${ns}_storefront__Service`].sort());
      capture('service-flux-applied.yaml', service);
      capture('deployment-flux-applied.yaml', deployment);
      capture('kustomization-ready.yaml', ready);

      // (a) Switchyard's own switch (a merge patch, field manager "switchyard") lands, then
      // kustomize-controller puts the selector back at its next reconcile: every interval it
      // applies all of the Kustomization's objects with server-side apply and ForceOwnership
      // (reconcile requeues after spec.interval, jittered; fluxcd/pkg/ssa's ApplyAllStaged dry-runs
      // each object, compares it with the live one and applies what drifted).
      await s.watchNamespace(ns);
      const pair = (ws: WorkloadView[]) => ws.find((w) => w.blueGreen?.live === 'blue' && w.blueGreen.idleReady);
      const view = pair(await waitForWorkloads(s, ns, (ws) => pair(ws) !== undefined, 90_000))!;
      const switchedAt = Date.now();
      await runPlan(client, planBlueGreenSwitch(service, view, 'green'), { dryRun: false });
      const switched = await client.request(servicePath(ns));
      assert.equal(switched.spec.selector.version, 'green', 'the switch landed');
      assert.ok(ownsSelector(managedBy(switched, FIELD_MANAGER, 'Update')), 'switchyard owns the selector it wrote');
      const reverted = await eventually<any>('kustomize-controller to revert the selector', () => client.request(servicePath(ns)), (svc) => svc.spec.selector.version === 'blue', 90_000);
      console.log(`# gitops: kustomize-controller reverted the direct switch ${((Date.now() - switchedAt) / 1000).toFixed(1)} s after it (Kustomization interval 10 s)`);
      assert.ok(ownsSelector(managedBy(reverted, FLUX_MANAGER, 'Apply')), `${FLUX_MANAGER} owns the selector again`);
      assert.ok(!ownsSelector(managedBy(reverted, FIELD_MANAGER, 'Update')), 'the forced apply took spec.selector from switchyard');
      capture('service-switch-reverted.yaml', reverted);

      // (b) the GitOps way: edit the overlay, commit, push; Flux applies it
      const overlay = join(repo.clone, OVERLAY_SELECTOR);
      writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('version: blue', 'version: green'));
      git(repo.clone, 'commit', '-q', '-a', '-m', 'storefront: green live');
      git(repo.clone, 'push', '-q', 'origin', 'HEAD:main');
      const pushed = git(repo.clone, 'rev-parse', 'HEAD');
      const pushedAt = Date.now();
      const applied = await eventually<any>('the pushed selector applied', () => client.request(servicePath(ns)), (svc) => svc.spec.selector.version === 'green', 90_000);
      console.log(`# gitops: the pushed commit reached the Service ${((Date.now() - pushedAt) / 1000).toFixed(1)} s after the push (GitRepository interval 5 s)`);
      assert.deepEqual(applied.spec.selector, { app: 'storefront', version: 'green' });
      assert.ok(ownsSelector(managedBy(applied, FLUX_MANAGER, 'Apply')), `${FLUX_MANAGER} manages spec.selector`);
      await kustomizationReady(client, ns, `main@sha1:${pushed}`);
    } finally {
      s.dispose();
      rmSync(repo.clone, { recursive: true, force: true });
      rmSync(repo.bare, { recursive: true, force: true });
    }
  });
});
