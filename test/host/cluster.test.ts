// The extension against the local cluster with the demo apps (cluster/up.sh + cluster/demo.sh).
// Skipped, with a note, when the run has no cluster (SWITCHYARD_KUBECONFIG unset).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, contextShown, extension, tempPath, treeUntil, waitFor, type Row } from './support';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { suite, test } from './tdd';
import { Commands } from '../../src/commands';
import type { ActionOutcome } from '../../src/features/actions/outcome';
import { ensureScaleNamespaces } from '../cluster/scale';

const NS = 'switchyard-demo';

async function workloads(): Promise<{ problem?: string; synced?: boolean; workloads?: { name: string; description: string; health: string }[] }> {
  return (await api()).workloads(NS);
}

/** The namespaces the tree shows (the context's children; "Needs attention" may be above it). */
const namespacesShown = (rows: Row[]) => rows.filter((r) => r.depth === 1 && r.contextValue === 'namespace').map((r) => r.label);

/**
 * Runs `fn` with switchyard.namespaces set to `namespaces` in the workspace settings, then puts the
 * setting back and test/workspace/.vscode/settings.json as it was, byte for byte (VS Code reformats it).
 */
async function withWorkspaceNamespaces(namespaces: string[], fn: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('switchyard');
  const pinned = config.inspect<string[]>('namespaces')?.workspaceValue;
  const settingsFile = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
  const settingsText = readFileSync(settingsFile, 'utf8');
  try {
    await config.update('namespaces', namespaces, vscode.ConfigurationTarget.Workspace);
    await fn();
  } finally {
    await config.update('namespaces', pinned, vscode.ConfigurationTarget.Workspace);
    writeFileSync(settingsFile, settingsText);
  }
}

suite('Live cluster (demo apps)', () => {
  test('the view model of the demo namespace has every strategy with the right descriptions', async function () {
    const first = await workloads();
    if (first.problem || !process.env.KUBECONFIG?.includes('.work/cluster')) {
      console.log(`host: no local cluster for this run (${first.problem ?? 'KUBECONFIG is not the local cluster'}): live tests skipped`);
      this.skip();
    }
    let ws = first;
    const deadline = Date.now() + 60_000;
    while ((!ws.synced || (ws.workloads?.length ?? 0) < 5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      ws = await workloads();
    }
    const byName = Object.fromEntries((ws.workloads ?? []).map((w) => [w.name, w]));
    assert.equal(byName['web']?.description, '4/4 available · rev 3');
    assert.equal(byName['app-prod']?.description, 'blue live · green idle');
    assert.equal(byName['api']?.description, 'canary 1/10 pods · 10%');
    assert.match(byName['checkout']?.description ?? '', /^step 1\/6 · 20% · paused$/);
    assert.match(byName['payments']?.description ?? '', /^active rev 1 · preview rev 2 · paused$/);
  });

  test('the Rollouts tree renders context, namespace, strategy groups and workloads', async function () {
    const first = await workloads();
    if (first.problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    await vscode.commands.executeCommand('switchyard.namespace.select', NS);
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    // The view becomes visible asynchronously; the tree renders namespaces only while it is shown.
    let rows: Row[] = [];
    const deadline = Date.now() + 20_000;
    while (!rows.some((r) => r.depth === 2) && Date.now() < deadline) {
      rows = await (await api()).renderTree(6);
      if (!rows.some((r) => r.depth === 2)) await new Promise((r) => setTimeout(r, 250));
    }
    const labels = rows.map((r) => `${'  '.repeat(r.depth)}${r.label}${r.description ? ` — ${r.description}` : ''}`);
    console.log(`host: tree\n${labels.join('\n')}`);
    assert.equal(contextShown(rows), 'switchyard-local');
    assert.ok(namespacesShown(rows).includes(NS));
    for (const group of ['Blue/green', 'Canary (replica ratio)', 'Argo Rollouts canary', 'Argo Rollouts blue/green', 'Rolling update']) {
      assert.ok(rows.some((r) => r.depth === 2 && r.label === group), `group ${group}`);
    }
    const checkout = rows.find((r) => r.depth === 3 && r.label === 'checkout')!;
    assert.equal(checkout.contextValue, 'rollout:argo-canary:paused:promotable');
    const steps = rows.find((r) => r.label === 'Steps')!;
    assert.equal(steps.description, '1/6 · setWeight 20% · actual 20%');
    assert.ok(rows.some((r) => r.depth === 4 && r.label === 'revision 3' && /1\.2\.0 · 4\/4 available/.test(r.description ?? '')), 'revisions of web');
    assert.ok(rows.filter((r) => r.depth === 5 && r.contextValue === 'pod').length >= 4, 'pods under revisions');
  });

  test('Switch Traffic and Switch Back redraw the pair\'s rows only: no whole-tree, context or namespace redraw, which would drop the rows a context menu was opened on', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    this.timeout(60_000);
    const description = async () => (await (await api()).renderTree(4)).find((r) => r.depth === 3 && r.label === 'app-prod')?.description ?? '';
    for (const deadline = Date.now() + 20_000; !(await description()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 250));
    const [, live, idle] = /^(\w+) live · (\w+) idle/.exec(await description()) ?? [];
    assert.ok(live && idle, await description());
    const before = (await api()).treeWideRefreshes().total;
    for (const [target, shown] of [[idle, `${idle} live · ${live} idle`], [live, `${live} live · ${idle} idle`]]) {
      const outcome = await vscode.commands.executeCommand<ActionOutcome>(Commands.SwitchTraffic, { namespace: NS, name: 'app-prod', target, confirm: true });
      assert.ok(outcome.ok, outcome.message);
      const deadline = Date.now() + 20_000;
      while (!(await description()).startsWith(shown) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(await description(), new RegExp(`^${shown}`));
    }
    // The pods' readiness and the EndpointSlices settle after the Service: a while longer.
    await new Promise((r) => setTimeout(r, 3_000));
    const after = (await api()).treeWideRefreshes();
    assert.deepEqual(after.recent.slice(-Math.min(20, after.total - before)).slice(0, after.total - before), [], 'wide redraws during the switches');
  });

  test('Filter Workloads… keeps the matching workloads, says how many of how many, and Clear brings all back', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    /** The namespace's rows under the context (the Needs attention section is not filtered). */
    const namespaceRows = async () => {
      const rows = await (await api()).renderTree(4);
      return rows.slice(rows.findIndex((r) => r.depth === 0 && r.contextValue === 'context'));
    };
    const until = async (what: string, ok: (rows: Row[]) => boolean) => {
      let rows: Row[] = [];
      const deadline = Date.now() + 20_000;
      while (!ok((rows = await namespaceRows())) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.ok(ok(rows), `${what}; tree: ${rows.map((r) => `${'  '.repeat(r.depth)}${r.label}${r.description ? ` — ${r.description}` : ''}`).join(' / ')}`);
      return rows;
    };
    const names = (rows: Row[]) => rows.filter((r) => r.depth === 3).map((r) => r.label).sort();
    const all = names(await until('the demo namespace', (rows) => rows.some((r) => r.depth === 3 && r.label === 'checkout')));
    try {
      assert.equal(await vscode.commands.executeCommand('switchyard.tree.filter', 'strategy:argo'), undefined);
      const argo = await until('only the Argo Rollouts', (rows) => names(rows).join() === 'checkout,payments');
      const ns = argo.find((r) => r.depth === 1 && r.label === NS)!;
      assert.equal(ns.description, `2 of ${all.length} workloads`);
      assert.deepEqual(argo.filter((r) => r.depth === 2).map((r) => `${r.label} ${r.description}`), ['Argo Rollouts canary 1 of 1', 'Argo Rollouts blue/green 1 of 1']);
      await vscode.commands.executeCommand('switchyard.tree.filter', 'CHECK is:paused');
      await until('checkout alone', (rows) => names(rows).join() === 'checkout');
      await vscode.commands.executeCommand('switchyard.tree.filter', 'no-such-app');
      await until('a row saying nothing matches', (rows) => rows.some((r) => r.label === 'No workload matches "no-such-app"') && !names(rows).length);
      // A filter that is not one changes nothing and says why.
      assert.match(String(await vscode.commands.executeCommand('switchyard.tree.filter', 'colour:blue')), /"colour:" is not a filter/);
      await until('the last good filter stays', (rows) => rows.some((r) => r.label === 'No workload matches "no-such-app"'));
    } finally {
      await vscode.commands.executeCommand('switchyard.tree.clearFilter');
    }
    const back = await until('every workload again', (rows) => names(rows).join() === all.join());
    assert.equal(back.find((r) => r.depth === 1 && r.label === NS)!.description, `${all.length} workloads`);
  });

  test('a cluster without Argo Rollouts (switchyard.kubeconfig changed): the tree says so and Argo actions explain why they cannot run', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    // cluster/bare.sh: a second, real API server on the local cluster's etcd, with no CRDs.
    const bareScript = join(extension().extensionPath, 'cluster', 'bare.sh');
    const bare = execFileSync('bash', [bareScript, 'start'], { encoding: 'utf8' }).trim();
    const config = vscode.workspace.getConfiguration('switchyard');
    try {
      await config.update('kubeconfig', bare, vscode.ConfigurationTarget.Global);
      await treeUntil('the tree follows the new kubeconfig and says Argo is missing', (rows) => contextShown(rows) === 'switchyard-bare' && rows.some((r) => r.label === 'Argo Rollouts is not installed'));
      const outcome = (await vscode.commands.executeCommand('switchyard.rollout.promote', { namespace: NS, name: 'checkout', confirm: true })) as { ok: boolean; message: string };
      assert.equal(outcome.ok, false);
      assert.match(outcome.message, /Argo Rollouts is not installed in this cluster/);
    } finally {
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      execFileSync('bash', [bareScript, 'stop'], { stdio: 'ignore' });
    }
    await treeUntil('back on the local cluster', (rows) => contextShown(rows) === 'switchyard-local');
  });

  test('the tree follows the kubeconfig file: another current-context written there (kubectl config use-context) is shown', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    const file = tempPath('kubeconfig');
    const original = readFileSync(process.env.KUBECONFIG!, 'utf8');
    assert.match(original, /^current-context: switchyard-local$/m);
    writeFileSync(file, original);
    const config = vscode.workspace.getConfiguration('switchyard');
    try {
      await config.update('kubeconfig', file, vscode.ConfigurationTarget.Global);
      await treeUntil('the tree on the copied kubeconfig', (rows) => contextShown(rows) === 'switchyard-local');
      writeFileSync(file, original.replace(/^current-context: switchyard-local$/m, 'current-context: switchyard-limited'));
      await treeUntil('the tree on the context now current in the file', (rows) => contextShown(rows) === 'switchyard-limited');
    } finally {
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    }
    await treeUntil('back on the local cluster', (rows) => contextShown(rows) === 'switchyard-local');
  });

  test('editing switchyard.namespaces moves the tree at once, without Refresh', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    assert.deepEqual(vscode.workspace.getConfiguration('switchyard').inspect<string[]>('namespaces')?.workspaceValue, [NS]);
    await treeUntil('the demo namespace first', (rows) => namespacesShown(rows).join() === NS);
    await withWorkspaceNamespaces(['kube-system'], () => treeUntil('the tree on the namespace the setting now names', (rows) => namespacesShown(rows).join() === 'kube-system'));
    await treeUntil('back on the demo namespace the workspace settings name', (rows) => namespacesShown(rows).join() === NS);
  });

  test('a namespace of 2,000 pods: the tree is given its 200 workload items, and no revision or pod item until one is expanded', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    this.timeout(300_000);
    const scale = 'scale-2000';
    await ensureScaleNamespaces([{ namespace: scale, shape: { deployments: 200, podsPerDeployment: 10 } }], console.log);
    const { treeItemCounts } = await api();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    await withWorkspaceNamespaces([scale], async () => {
      // What VS Code itself asked the provider for while showing the view (renderTree would expand everything).
      const counts = await waitFor('VS Code shows the 200 workloads', () => {
        const c = treeItemCounts(scale);
        return (c.workload ?? 0) >= 200 ? c : undefined;
      }, 120_000);
      await new Promise((r) => setTimeout(r, 2000)); // and nothing more comes after a moment
      assert.deepEqual({ ...treeItemCounts(scale), namespace: undefined }, { ...counts, namespace: undefined });
      assert.equal(counts.workload, 200);
      assert.equal(counts.revision ?? 0, 0, 'no revision item: the workloads are collapsed');
      assert.equal(counts.pod ?? 0, 0, 'no pod item');
    });
  });

  test('Select Namespace says the switchyard.namespaces setting decides while it names namespaces, and picks otherwise', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    const decided = await vscode.commands.executeCommand('switchyard.namespace.select', 'kube-system');
    assert.deepEqual(decided, { decidedBy: 'setting', namespaces: [NS] });
    await treeUntil('the tree still on the namespace the setting names', (rows) => namespacesShown(rows).join() === NS);
    await withWorkspaceNamespaces([], async () => {
      assert.deepEqual(await vscode.commands.executeCommand('switchyard.namespace.select', 'kube-system'), { selected: 'kube-system' });
      await treeUntil('the tree on the picked namespace', (rows) => namespacesShown(rows).join() === 'kube-system');
      assert.deepEqual(await vscode.commands.executeCommand('switchyard.namespace.select', NS), { selected: NS });
    });
    await treeUntil('back on the demo namespace', (rows) => namespacesShown(rows).join() === NS);
  });

  test('All namespaces: every namespace with its count, unexpanded; a namespace made now appears by itself with its workload', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    const client = new KubeClient(loadKubeConfig(process.env.KUBECONFIG));
    const late = `host-allns-${Date.now().toString(36)}`;
    const row = (rows: Row[], ns: string) => rows.find((r) => r.depth === 1 && r.contextValue === 'namespace' && r.label === ns);
    await withWorkspaceNamespaces([], async () => {
      try {
        assert.deepEqual(await vscode.commands.executeCommand('switchyard.namespace.select', '*'), { selected: '*' });
        // The cluster's watches bring every namespace's objects: a collapsed namespace has its count too.
        await treeUntil('every namespace, the demo\'s with its count', (rows) => /^\d+ workloads$/.test(row(rows, NS)?.description ?? '') && row(rows, 'kube-system')?.description === '0 workloads');
        await treeUntil('the admin watches all cluster-wide: no namespace-by-namespace row', (rows) => !rows.some((r) => r.label === 'Namespace by namespace'));
        await client.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: late } } });
        await client.request(`/apis/apps/v1/namespaces/${late}/deployments`, {
          method: 'POST',
          body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'late' }, spec: { replicas: 1, selector: { matchLabels: { app: 'late' } }, template: { metadata: { labels: { app: 'late' } }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/late:1.0.0' }] } } } },
        });
        await treeUntil('the new namespace, by itself (no Refresh), with its workload', (rows) => row(rows, late)?.description === '1 workload');
      } finally {
        await vscode.commands.executeCommand('switchyard.namespace.select', NS);
        await client.request(`/api/v1/namespaces/${late}`, { method: 'DELETE' }).catch(() => undefined);
      }
    });
    await treeUntil('back on the demo namespace', (rows) => namespacesShown(rows).join() === NS);
  });

  test('CodeLenses only for objects the cluster runs where the view looks, naming the context and namespace', async function () {
    if ((await workloads()).problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    await treeUntil('the demo namespace watched (its strategy groups shown)', (rows) => rows.some((r) => r.depth === 2 && r.label === 'Argo Rollouts canary'));
    const file = tempPath('lenses.yaml');
    const rollout = (name: string, namespace?: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  replicas: 1\n`;
    writeFileSync(file, [rollout('checkout', NS), rollout('not-deployed', NS), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n'].join('---\n'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    type Lens = { range: vscode.Range; command?: vscode.Command };
    let lenses: Lens[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(lenses = (await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', uri)) ?? []).some((l) => l.range.start.line >= 15)) await new Promise((r) => setTimeout(r, 250));
    // The lenses of each document (a lens sits at its document's start, which may be its --- line).
    const inLines = (first: number, last: number) => lenses.filter((l) => l.range.start.line >= first && l.range.start.line <= last);
    const titles = (first: number, last: number) => inLines(first, last).map((l) => l.command?.title);
    // After the context, what is live (the step, the images), then the actions and their Git path.
    const checkout = titles(0, 6);
    assert.equal(checkout[0], `$(server-environment) switchyard-local · ${NS}`);
    assert.match(checkout[1] ?? '', /^\$\(pulse\) .*ghcr\.io\/example\/checkout/, 'what the live Rollout runs');
    assert.deepEqual(checkout.slice(2), ['$(play) Promote', '$(stop) Abort', '$(discard) Undo…', '$(git-commit) Roll back in Git…', '$(git-commit) Set field in Git…'], 'the live Rollout');
    assert.deepEqual(titles(7, 14), [], 'a Rollout the cluster does not run');
    // No namespace in the manifest: the namespace the view shows (the workspace names the demo one).
    const web = inLines(15, 21);
    assert.deepEqual(web.map((l) => l.command?.title).filter((_, i) => i !== 1), [`$(server-environment) switchyard-local · ${NS}`, '$(discard) Roll back…', '$(git-commit) Roll back in Git…']);
    assert.match(web[1].command?.title ?? '', /^\$\(package\) running ghcr\.io\/example\/web/, 'the image the live Deployment runs');
    // Every target names its context (the lenses read the primary's store), so a lens acts where it looked even after another context is selected.
    assert.deepEqual(web[2].command?.arguments, [{ context: 'switchyard-local', namespace: NS, name: 'web' }]);
  });
  test('Show Logs on a pod opens its last lines in a (content provider\'s, read-only) document', async function () {
    const shown = await workloads();
    if (shown.problem || !process.env.KUBECONFIG?.includes('.work/cluster')) this.skip();
    // A pod of the demo's web Deployment, as the tree's pod node names it.
    const web = (shown.workloads as unknown as { name: string; id: string; revisions: { replicaSet: string; pods: { name: string }[] }[] }[]).find((w) => w.name === 'web')!;
    const revision = web.revisions.find((r) => r.pods.length)!;
    const node = { type: 'pod', id: `p:${NS}:${revision.pods[0].name}`, namespace: NS, workloadId: web.id, replicaSet: revision.replicaSet, pod: revision.pods[0].name };
    const doc = (await vscode.commands.executeCommand('switchyard.pod.logs', node)) as vscode.TextDocument;
    assert.equal(doc.uri.scheme, 'switchyard-log');
    // kwok serves every healthy pod the app log of cluster/lib/cluster.sh (write_kwok_logs).
    assert.match(doc.getText(), new RegExp(`^# pod ${revision.pods[0].name}, container web · namespace ${NS} · context switchyard-local\n\n# last 200 lines\nstarting app\nlistening on :8080\n`));
    assert.doesNotMatch(doc.getText(), /previous run/, 'it has not restarted');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString(), 'shown');
  });
});
