// The Git path end to end with the real Flux (cluster/up.sh runs source-controller and
// kustomize-controller v1.9.6 beside the git server): a clone of the demo's repository
// ($GITOPS_REPO_URL) gets Switchyard's "Switch in Git" edit of storefront's overlay — the same domain
// functions the command runs (locate the manifest through the Kustomization's spec.path, plan the
// selector edit) — the test commits and pushes it as a user would, kustomize-controller applies it,
// and watchApplied (src/kube/gitpath.ts) says who applied which revision how long after the push.
// Afterwards a revert is pushed, so the demo and later runs see the repository as it was.
//
// It runs on the demo's own namespace switchyard-gitops (the overlay names it): when demo.sh has
// not run, the test creates the demo's GitRepository and Kustomization (cluster/demo/60-gitops.yaml)
// and deletes them again at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexManifests } from '../../src/domain/manifests/locate';
import { planSelectorEdit } from '../../src/domain/gitops/gitpath';
import { gitOpsManager } from '../../src/domain/gitops/managed';
import { lastWriterOfField } from '../../src/domain/model/ownership';
import type { WorkloadView } from '../../src/domain/model/workloads';
import { fluxKustomization, readObject, watchApplied } from '../../src/kube/gitpath';
import { applyEdits } from '../support/fixtures';
import { adminClient, clusterPort, collectionPath, createObjects, demoObjects, eventually, session, waitForWorkloads } from './support';

const NS = 'switchyard-gitops';
const KUSTOMIZATION = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations/storefront`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Switchyard test', '-c', 'user.email=test@switchyard.local', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The clone's manifests as the workspace index reads them (WorkspaceManifests: YAML files by absolute path, .git left out). */
function workspaceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) e.name !== '.git' && walk(path);
      else if (/\.ya?ml$|^Kustomization$/.test(e.name)) files.set(path, readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

const ready = (k: any, revision: string) => k?.status?.lastAppliedRevision === revision && k.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

test('Switch in Git on the demo\'s Flux storefront: the overlay edited in a clone, pushed, applied by kustomize-controller, and watchApplied names it with the pushed revision and the seconds after the push', async () => {
  const client = adminClient();
  // The demo's GitOps objects, unless demo.sh made them.
  const created = await client.request(KUSTOMIZATION).then(() => false, () => true);
  let createdNamespace = false;
  if (created) {
    createdNamespace = await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } }).then(() => true, (e) => {
      if ((e as { kind?: string }).kind !== 'conflict') throw e;
      return false;
    });
    await createObjects(client, NS, demoObjects('60-gitops.yaml', NS).filter((o) => o.kind !== 'Namespace'));
  }
  const clone = mkdtempSync(join(tmpdir(), 'switchyard-gitpath-flux-'));
  const s = session();
  let pushed: string | undefined;
  try {
    git(clone, 'clone', '-q', clusterPort('GITOPS_REPO_URL'), '.');
    const original = git(clone, 'rev-parse', 'HEAD');
    await eventually('the Kustomization Ready at the repository\'s HEAD', () => client.request<any>(KUSTOMIZATION), (k) => ready(k, `main@sha1:${original}`), 180_000);

    // What the command starts from: the pair as the tree shows it, the Kustomization that manages its Service.
    await s.watchNamespace(NS);
    const pair = (ws: WorkloadView[]) => ws.find((w) => w.kind === 'BlueGreen' && w.name === 'storefront' && w.blueGreen?.live);
    const w = pair(await waitForWorkloads(s, NS, (ws) => pair(ws) !== undefined, 90_000))!;
    const bg = w.blueGreen!;
    const target = bg.colours.map((c) => c.colour).find((c) => c !== bg.live)!;
    const service = await readObject(client, 'Service', NS, bg.service);
    const manager = gitOpsManager(service.metadata);
    assert.deepEqual(manager, { tool: 'Flux', kind: 'Kustomization', name: 'storefront', namespace: NS });
    const kustomization = await fluxKustomization(client, manager);
    assert.equal(kustomization?.spec?.path, './apps/storefront/prod');

    // The Git path's edit (GitPath.switchTraffic → planSelectorEdit over the workspace index).
    const files = workspaceFiles(clone);
    const edit = planSelectorEdit(indexManifests(files), { kind: 'Service', name: bg.service, namespace: NS }, bg.selectorKey, target, kustomization?.spec?.path);
    assert.equal(edit.file, join(clone, 'apps/storefront/prod/service-selector.yaml'), 'the overlay\'s patch sets the live colour');
    const before = files.get(edit.file)!;
    const after = applyEdits(before, edit.edits);
    assert.equal(after, before.replace(`version: ${bg.live}`, `version: ${target}`), 'only the colour changes: comments and layout kept');
    writeFileSync(edit.file, after);
    git(clone, 'commit', '-q', '-a', '-m', `storefront: ${target} live (Switch in Git)`);
    git(clone, 'push', '-q', 'origin', 'HEAD:main');
    const pushedAt = new Date();
    pushed = git(clone, 'rev-parse', 'HEAD');

    // What Switchyard reports, with the command's own read interval.
    const state = await watchApplied(client, {
      kind: 'Service', namespace: NS, name: bg.service, field: edit.field, expected: edit.expected, manager,
      commit: async () => ({ sha: pushed!, at: pushedAt, pushed: true }), timeoutMs: 120_000,
    });
    const seen = (Date.now() - pushedAt.getTime()) / 1000;
    console.log(`# gitpath-flux: ${state.message} (seen ${seen.toFixed(1)} s after the push)`);
    assert.ok(state.matches && state.appliedCommit, state.message);
    const m = /^applied by kustomize-controller (\d+) s after the commit was pushed \(revision main@sha1:([0-9a-f]{7})\)$/.exec(state.message);
    assert.ok(m, state.message);
    assert.equal(m[2], pushed.slice(0, 7), 'the pushed commit\'s revision');

    // The cluster as Flux left it: the selector names the new colour, written by kustomize-controller
    // after the push, and the Kustomization's last applied revision is the pushed commit.
    const live = await readObject(client, 'Service', NS, bg.service);
    assert.equal(live.spec.selector[bg.selectorKey], target);
    const writer = lastWriterOfField(live.metadata.managedFields, edit.field);
    assert.equal(writer?.manager, 'kustomize-controller');
    const writtenAfter = (Date.parse(writer!.time!) - pushedAt.getTime()) / 1000;
    assert.ok(writtenAfter > -1 && writtenAfter <= seen + 1, `written ${writtenAfter} s after the push, seen at ${seen} s`);
    assert.equal(Number(m[1]), Math.max(0, Math.round(writtenAfter)), 'the seconds are the field\'s write time after the push');
    assert.equal((await client.request<any>(KUSTOMIZATION)).status.lastAppliedRevision, `main@sha1:${pushed}`);
    await waitForWorkloads(s, NS, (ws) => pair(ws)?.blueGreen?.live === target, 30_000);
  } finally {
    s.dispose();
    try {
      if (pushed) {
        // Put the repository back: a revert, pushed, applied (the demo shows its first colour again).
        git(clone, 'revert', '--no-edit', pushed);
        git(clone, 'push', '-q', 'origin', 'HEAD:main');
        const revert = git(clone, 'rev-parse', 'HEAD');
        await eventually('the revert applied', () => client.request<any>(KUSTOMIZATION), (k) => ready(k, `main@sha1:${revert}`), 120_000);
      }
    } finally {
      rmSync(clone, { recursive: true, force: true });
      if (created) {
        for (const o of demoObjects('60-gitops.yaml', NS).filter((x) => x.kind !== 'Namespace').reverse()) await client.request(`${collectionPath(o.kind, NS)}/${o.metadata.name}`, { method: 'DELETE' }).catch(() => undefined);
        if (createdNamespace) await client.request(`/api/v1/namespaces/${NS}`, { method: 'DELETE' }).catch(() => undefined);
      }
    }
  }
});
