// Flagger in a real VS Code on the demo cluster (issue 14): the demo's two Canaries in the tree's
// Flagger groups, the details panel's Flagger section and buttons, Needs attention naming the gate
// that holds `inventory`, Approve from VS Code opening that gate on the real load tester (through
// the API server's service proxy) so the real Flagger promotes, and the guard rails refusing the
// plain actions on what Flagger runs. Skipped without the local cluster.
//
// It leaves the demo as cluster/demo.sh does (the UI tier and the next run find the same): inventory
// primary on 2.0.0, the target on 2.1.0 held in WaitingPromotion by its closed confirm-promotion gate.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import type { Deployment, FlaggerPhase } from '../../src/domain/model/objects';
import { FLAGGER_MANAGER } from '../../src/domain/release/vocabulary';
import type { WorkloadView } from '../../src/domain/model/workloads';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import type { RenderedRow } from '../../src/features/tree';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { renderRollout } from '../../webview/render/rolloutView';
import { api, closeAllEditors, contextShown, extension, renderedUntil, treeUntil, type Row } from './support';
import { suite, teardown, test } from './tdd';

const NS = 'switchyard-demo';
/** How demo.sh sets images (kubectl set image): the field manager kubectl names, so managedFields read as demo.sh leaves them. */
const DEMO_IMAGE_MANAGER = 'kubectl-set';

async function liveCluster(): Promise<boolean> {
  return !(await (await api()).workloads(NS)).problem && !!process.env.KUBECONFIG?.includes('.work/cluster');
}

const workload = async (name: string): Promise<WorkloadView | undefined> => (await (await api()).workloads(NS)).workloads?.find((w) => w.name === name);

/** Polls the view model until `ok` holds for the workload, or fails after `timeoutMs` with the phases seen. */
async function canaryUntil(name: string, what: string, ok: (w: WorkloadView) => boolean, timeoutMs: number, phases: FlaggerPhase[] = []): Promise<WorkloadView> {
  const deadline = Date.now() + timeoutMs;
  let w: WorkloadView | undefined;
  for (;;) {
    w = await workload(name);
    const phase = w?.flagger?.phase;
    if (phase && phases[phases.length - 1] !== phase) phases.push(phase);
    if (w && ok(w)) return w;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${name}: ${what}; phases seen ${phases.join(' → ')}; now: ${w?.description}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first state the webview drew that satisfies `predicate`. */
const rendered = (panel: RolloutPanel, what: string, predicate: (s: RolloutPanelState) => boolean, timeoutMs = 60_000) => renderedUntil(panel, what, predicate, timeoutMs, (s) => s?.workload?.description);

/** Renders the tree down to the workloads (treeUntil stops above them) until `ok` holds, or fails after 30 s with what it showed. */
async function workloadRowsUntil(what: string, ok: (rows: Row[]) => boolean): Promise<Row[]> {
  let rows: Row[] = [];
  const deadline = Date.now() + 30_000;
  while (!ok((rows = await (await api()).renderTree(4))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  assert.ok(ok(rows), `${what}; tree: ${rows.map((r) => `${'  '.repeat(r.depth)}${r.label}`).join(' / ')}`);
  return rows;
}

const section = (s: RolloutPanelState, key: string) => renderRollout(s).find((x) => x.key === key)?.html ?? '';

/** The "Needs attention" items as the tree renders them. */
async function attentionItems(): Promise<RenderedRow[]> {
  const rows = await (await api()).renderTree(2);
  const at = rows.findIndex((r) => r.depth === 0 && r.contextValue === 'attention');
  if (at < 0) return [];
  const end = rows.findIndex((r, i) => i > at && r.depth === 0);
  return rows.slice(at + 1, end < 0 ? undefined : end);
}

async function run(command: string, args: object): Promise<{ ok: boolean; message: string }> {
  return (await vscode.commands.executeCommand(command, { ...args, confirm: true })) as { ok: boolean; message: string };
}

/** The gate's state on the real load tester, asked the way Flagger's webhook asks (200 open, 403 closed). */
async function gateOpen(client: KubeClient): Promise<boolean> {
  const answer = await client.send(`/api/v1/namespaces/${NS}/services/flagger-loadtester:http/proxy/gate/check`, { method: 'POST', body: { name: 'inventory', namespace: NS } });
  return answer.status === 200;
}

const primaryImage = (w: WorkloadView) => w.revisions.find((r) => r.roles.includes('primary'))?.images.join();

suite('Flagger in VS Code (demo cluster)', () => {
  teardown(closeAllEditors);

  test('the tree has a Flagger group per strategy, with inventory awaiting promotion approval and search succeeded', async function () {
    // Run alone, this is the suite's first look at the demo namespace: its watches list first.
    this.timeout(90_000);
    if (!(await liveCluster())) this.skip();
    const deadline = Date.now() + 60_000;
    while (!(await (await api()).workloads(NS)).synced && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    const rows = await workloadRowsUntil('both Flagger Canaries under their groups', (r) => r.some((x) => x.depth === 3 && x.label === 'inventory') && r.some((x) => x.depth === 3 && x.label === 'search'));
    const index = (label: string, depth: number) => rows.findIndex((r) => r.depth === depth && r.label === label);
    assert.equal(rows[index('Flagger blue/green', 2)]?.description, '1');
    assert.equal(rows[index('Flagger canary', 2)]?.description, '1');
    assert.equal(index('inventory', 3), index('Flagger blue/green', 2) + 1, 'inventory right under its group');
    assert.equal(index('search', 3), index('Flagger canary', 2) + 1, 'search right under its group');
    const inventory = rows[index('inventory', 3)];
    // While the gate stays closed Flagger alternates status.iterations between 1 and 2 (runConfirmPromotionHooks).
    assert.match(inventory.description ?? '', /^awaiting promotion approval · confirm-promotion · iteration [12]\/2$/);
    assert.equal(inventory.contextValue, 'canary:flagger-bluegreen:paused:gated');
    assert.match(rows[index('search', 3)].description ?? '', /^succeeded · primary rev \d+$/);
    assert.equal(rows[index('search', 3)].contextValue, 'canary:flagger-canary:healthy');
    // Flagger's Deployments are folded into their Canary, not workloads of their own.
    for (const name of ['inventory-primary', 'search-primary']) assert.equal(index(name, 3), -1, `${name} is no workload row`);
  });

  test('the details panel of a Canary shows its Flagger section and the buttons of its phase', async function () {
    if (!(await liveCluster())) this.skip();
    const panel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: NS, name: 'inventory' })) as RolloutPanel;
    const held = await rendered(panel, 'inventory held by its gate', (s) => s.workload?.flagger?.phase === 'WaitingPromotion');
    const f = held.workload!.flagger!;
    assert.deepEqual([f.provider, f.target, f.primary, f.iterationsTotal, f.threshold, f.interval], ['kubernetes', 'inventory', 'inventory-primary', 2, 2, '10s']);
    assert.deepEqual(f.gates.map((g) => `${g.name} ${g.type}`), ['confirm-promotion confirm-promotion']);
    const flagger = section(held, 'flagger');
    assert.match(flagger, /badge-state-awaiting[^>]*title="Flagger's phase: WaitingPromotion"[^>]*>paused for a person \(WaitingPromotion\)</);
    assert.match(flagger, /<dt>iteration<\/dt><dd>[12]\/2<\/dd>/);
    assert.match(flagger, /<dt>failed checks<\/dt><dd class="">0\/2<\/dd>/);
    assert.match(flagger, /Held by gate confirm-promotion \(confirm-promotion\): Flagger goes on when it answers 200\./);
    assert.match(flagger, /primary <code>inventory-primary<\/code>: revision \d+ · 2\/2 ready · <code>ghcr\.io\/example\/inventory:2\.0\.0<\/code>/);
    assert.match(flagger, /canary <code>inventory<\/code>: revision \d+ · 2\/2 ready · <code>ghcr\.io\/example\/inventory:2\.1\.0<\/code>/);
    assert.match(flagger, /<code>confirm-promotion<\/code> · confirm-promotion \(gate\) · <code>http:\/\/[\d.]+:\d+\/gate\/check<\/code>/);
    // The buttons of a Canary its gate holds: Approve leads; the verdict suggests it.
    const header = section(held, 'header');
    const buttons = [...header.matchAll(/<vscode-button data-action="\w+"([^>]*)>([^<]+)</g)].map((m) => `${m[2]}${/ disabled\b/.test(m[1]) ? ' (off)' : ''}${/ secondary\b/.test(m[1]) ? '' : ' (primary)'}`);
    assert.deepEqual(buttons, ['Approve (primary)', 'Halt', 'Retry', 'Suspend', 'Promote without analysis']);
    assert.match(header, /data-action="approve"[^>]*data-suggested="true"/);

    // A Gateway API canary at rest: its weight against maxWeight, its steps, its metric template.
    const search = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: NS, name: 'search' })) as RolloutPanel;
    const done = await rendered(search, 'search succeeded', (s) => s.workload?.flagger?.phase === 'Succeeded');
    const canary = section(done, 'flagger');
    assert.match(canary, /aria-label="canary weight 0 of maxWeight 50"/);
    assert.match(canary, /<dt>step<\/dt><dd>0\/2<\/dd>/);
    assert.match(canary, /provider gatewayapi:v1/);
    assert.match(canary, /<h3>Metrics<\/h3><ul class="flagger-metrics"><li>error-rate ≤ 0.05 every 20s \(template switchyard-demo\/error-rate: prometheus\)/);
    assert.deepEqual([...section(done, 'header').matchAll(/<vscode-button data-action="(\w+)"/g)].map((m) => m[1]), ['retry', 'suspend', 'skipAnalysis']);
  });

  test('Needs attention lists inventory awaiting approval from its gate; Approve from VS Code opens it on the load tester and Flagger promotes (then the demo is put back)', async function () {
    // Three releases of the real Flagger, 10 s a tick: approve → Succeeded, 2.0.0 through the open gate, then 2.1.0 held again.
    this.timeout(420_000);
    if (!(await liveCluster())) this.skip();
    const client = new KubeClient(loadKubeConfig(process.env.KUBECONFIG));
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    let items: RenderedRow[] = [];
    const deadline = Date.now() + 60_000;
    while (!(items = await attentionItems()).some((r) => r.label === 'inventory') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const inventory = items.find((r) => r.label === 'inventory');
    assert.ok(inventory, `inventory in Needs attention: ${items.map((r) => `${r.label} — ${r.description}`).join(' / ')}`);
    assert.match(inventory.description!, new RegExp(`^paused for a person \\(WaitingPromotion\\): awaiting approval from gate confirm-promotion \\(confirm-promotion\\) · iteration [12]/2 · \\d+\\w+ · ${NS}$`), 'then how long it waits, then where');
    assert.equal(inventory.contextValue, 'canary:flagger-bluegreen:paused:gated:attention:approveCanary');
    assert.equal(await gateOpen(client), false, 'demo.sh left the gate closed');
    const panel = (await vscode.commands.executeCommand(inventory.command!.command, ...(inventory.command!.arguments ?? []))) as RolloutPanel;
    assert.equal(panel.target.name, 'inventory');

    const target = inventory.command!.arguments![0] as object;
    const phases: FlaggerPhase[] = ['WaitingPromotion'];
    try {
      // The inline Approve of the attention node: the gate API through the service proxy.
      const approved = await run('switchyard.flagger.approve', target);
      assert.ok(approved.ok, approved.message);
      assert.match(approved.message, /^Approve "inventory" \(open its gate\): done in \d+ ms\.$/);
      assert.equal(await gateOpen(client), true, 'Switchyard opened the gate on the load tester');
      const promoted = await canaryUntil('inventory', 'promoted past its gate', (w) => w.flagger?.phase === 'Succeeded', 120_000, phases);
      assert.ok(phases.indexOf('Promoting') > 0, `promoted after the approval: ${phases.join(' → ')}`);
      assert.equal(primaryImage(promoted), 'ghcr.io/example/inventory:2.1.0');
      await rendered(panel, 'the panel following the promotion', (s) => s.workload?.flagger?.phase === 'Succeeded');
      assert.ok(!(await attentionItems()).some((r) => r.label === 'inventory'), 'promoted: nobody is needed');
    } finally {
      // As demo.sh left it: 2.0.0 promoted through the gate still open, the gate closed (Halt, from VS Code), 2.1.0 held again.
      const setImage = (image: string) => client.patch(`/apis/apps/v1/namespaces/${NS}/deployments/inventory`, { spec: { template: { spec: { containers: [{ name: 'inventory', image }] } } } }, 'strategic', { fieldManager: DEMO_IMAGE_MANAGER });
      await canaryUntil('inventory', 'at rest before the demo is put back', (w) => w.flagger?.phase === 'Succeeded' || w.flagger?.phase === 'WaitingPromotion', 120_000);
      if ((await workload('inventory'))?.flagger?.phase === 'Succeeded') {
        if (!(await gateOpen(client))) assert.ok((await run('switchyard.flagger.approve', target)).ok);
        await setImage('ghcr.io/example/inventory:2.0.0');
        await canaryUntil('inventory', 'back on 2.0.0', (w) => w.flagger?.phase === 'Succeeded' && primaryImage(w) === 'ghcr.io/example/inventory:2.0.0', 150_000);
        const halted = await run('switchyard.flagger.halt', target);
        assert.ok(halted.ok, halted.message);
        assert.equal(await gateOpen(client), false, 'Halt closed the gate');
        await setImage('ghcr.io/example/inventory:2.1.0');
      }
      await canaryUntil('inventory', 'held by its gate again, as demo.sh leaves it', (w) => w.flagger?.phase === 'WaitingPromotion', 150_000);
    }
  });

  test('on an API server that serves no Canaries, the plain actions refuse what Flagger runs, saying why and what to use instead', async function () {
    this.timeout(120_000);
    if (!(await liveCluster())) this.skip();
    // cluster/bare.sh: a second, real API server on the same etcd (a data prefix of its own), without
    // CRDs: no Canary API, as for a user whose role may read Deployments but not Canaries. Flagger's
    // two Deployments of inventory are put there as the real Flagger's read back: spec, labels, owner
    // references, and Flagger's field manager on them.
    const bareScript = join(extension().extensionPath, 'cluster', 'bare.sh');
    const bare = execFileSync('bash', [bareScript, 'start'], { encoding: 'utf8' }).trim();
    const main = new KubeClient(loadKubeConfig(process.env.KUBECONFIG));
    const other = new KubeClient(loadKubeConfig(bare));
    const path = (name: string) => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;
    await other.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } }).catch((e) => { if ((e as { kind?: string }).kind !== 'conflict') throw e; });
    for (const name of ['inventory-primary', 'inventory']) {
      const d = await main.request<Deployment>(path(name));
      const { labels, annotations, ownerReferences } = d.metadata;
      await other.patch(path(name), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS, labels, annotations, ownerReferences }, spec: d.spec }, 'apply', { fieldManager: FLAGGER_MANAGER, force: true });
    }
    const config = vscode.workspace.getConfiguration('switchyard');
    try {
      await config.update('kubeconfig', bare, vscode.ConfigurationTarget.Global);
      await workloadRowsUntil('the tree on the bare server, Flagger\'s Deployments as plain ones', (rows) => contextShown(rows) === 'switchyard-bare' && rows.some((r) => r.depth === 3 && r.label === 'inventory-primary'));
      // The primary: by its owner reference to the Canary.
      const primary = await run('switchyard.deployment.rollback', { namespace: NS, name: 'inventory-primary' });
      assert.equal(primary.ok, false);
      assert.equal(primary.message, 'Deployment "inventory-primary" is run by Flagger\'s Canary "inventory" (the primary Deployment Flagger generates): Flagger would undo this; use Approve / Retry on the Canary instead.');
      // The target has no owner reference: Flagger's field manager owns the replicas it scaled to 0.
      const targetScale = await run('switchyard.deployment.scale', { namespace: NS, name: 'inventory', replicas: 2 });
      assert.equal(targetScale.ok, false);
      assert.equal(targetScale.message, 'Deployment "inventory" is run by Flagger (its field manager "flagger" owns spec.replicas): Flagger would undo this; use Approve / Retry on the Canary instead.');
    } finally {
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      for (const name of ['inventory-primary', 'inventory']) await other.request(path(name), { method: 'DELETE' }).catch(() => undefined);
      execFileSync('bash', [bareScript, 'stop'], { stdio: 'ignore' });
    }
    await treeUntil('back on the local cluster', (rows) => contextShown(rows) === 'switchyard-local');
  });
});
