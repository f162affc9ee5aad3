// Needs attention and notifications in a real VS Code on the demo cluster (issue 12, parts 7 and 8):
// the section lists the demo's paused Argo Rollouts with the action that resolves them, that action
// moves checkout out of the section (and abort / retry bring it back, as the demo left it), and a
// selector switch by another field manager is notified with who did it and a button to switch back.
// Skipped without the local cluster.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import type { RenderedRow } from '../../src/features/tree';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import { api, closeAllEditors } from './support';
import { suite, teardown, test } from './tdd';

const NS = 'switchyard-demo';

async function liveCluster(): Promise<boolean> {
  return !(await (await api()).workloads(NS)).problem && !!process.env.KUBECONFIG?.includes('.work/cluster');
}

/** The "Needs attention" rows (section and items) as the tree renders them. */
async function attentionRows(): Promise<{ section?: RenderedRow; items: RenderedRow[] }> {
  const rows = await (await api()).renderTree(2);
  const at = rows.findIndex((r) => r.depth === 0 && r.contextValue === 'attention');
  if (at < 0) return { items: [] };
  const end = rows.findIndex((r, i) => i > at && r.depth === 0);
  return { section: rows[at], items: rows.slice(at + 1, end < 0 ? undefined : end) };
}

/** Renders the section until `ok` holds, or fails after `timeoutMs` with what it showed. */
async function sectionUntil(what: string, ok: (s: { section?: RenderedRow; items: RenderedRow[] }) => boolean, timeoutMs = 60_000): Promise<{ section?: RenderedRow; items: RenderedRow[] }> {
  let seen = await attentionRows();
  const deadline = Date.now() + timeoutMs;
  while (!ok(seen) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    seen = await attentionRows();
  }
  assert.ok(ok(seen), `${what}; section: ${seen.section?.label ?? '(none)'} / ${seen.items.map((r) => `${r.label} — ${r.description} [${r.contextValue}]`).join(' / ')}`);
  return seen;
}

const item = (s: { items: RenderedRow[] }, name: string) => s.items.find((r) => r.label === name);

/** Polls the async `probe` until it returns a value, or fails after `timeoutMs` saying `what`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const workload = async (name: string) => (await (await api()).workloads(NS)).workloads?.find((w) => w.name === name);

async function run(command: string, args: object): Promise<void> {
  const outcome = (await vscode.commands.executeCommand(command, { ...args, confirm: true })) as { ok: boolean; message: string };
  assert.ok(outcome.ok, outcome.message);
}

suite('Needs attention and notifications (demo cluster)', () => {
  teardown(closeAllEditors);

  test('the section lists the paused Argo canary and blue/green with their actions; Promote takes checkout out, abort and retry bring it back', async function () {
    // Three moves of the real Argo controller, each waited for (its waits below allow 60-90 s).
    this.timeout(180_000);
    if (!(await liveCluster())) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    const first = await sectionUntil('checkout and payments wait for promotion', (s) => /paused for promotion · step 1\/6 · 20%/.test(item(s, 'checkout')?.description ?? '') && !!item(s, 'payments'));
    assert.match(first.section!.label, /^Needs attention \(\d+\)$/);
    assert.equal(first.section!.label, `Needs attention (${first.items.length})`);
    const checkout = item(first, 'checkout')!;
    // Its workload's context value (so the Rollout menus and the inline Promote apply), then what resolves it.
    assert.equal(checkout.contextValue, 'rollout:argo-canary:paused:promotable:attention:promoteRollout');
    assert.match(checkout.description!, new RegExp(` · ${NS}$`));
    assert.match(item(first, 'payments')!.description!, /^paused for promotion · /);
    assert.equal(item(first, 'payments')!.contextValue, 'rollout:argo-bluegreen:paused:promotable:attention:promoteRollout');

    // A click opens the details of that workload.
    assert.equal(checkout.command?.command, 'switchyard.panel.open');
    const panel = (await vscode.commands.executeCommand(checkout.command!.command, ...(checkout.command!.arguments ?? []))) as RolloutPanel;
    assert.equal(panel.target.name, 'checkout');
    assert.equal(panel.target.namespace, NS);

    // The inline Promote, on the workload the node names: past the indefinite pause, checkout needs nobody.
    const target = checkout.command!.arguments![0] as object;
    await run('switchyard.rollout.promote', target);
    await sectionUntil('checkout promoted: not in the section', (s) => !item(s, 'checkout') && !!item(s, 'payments'));
    // The controller scales the canary for 50% before anything else is sent (each action decides on the step it saw).
    await until('checkout at 50%', async () => ((await workload('checkout'))?.canary?.actualWeight === 50 ? true : undefined), 60_000);
    await run('switchyard.rollout.abort', target);
    const aborted = await sectionUntil('aborted checkout is trouble, resolved by Retry inline', (s) => item(s, 'checkout')?.contextValue?.endsWith(':attention:retryRollout') === true);
    assert.match(item(aborted, 'checkout')!.description!, /^aborted/);
    assert.equal(aborted.items[0].label, 'checkout', 'trouble comes first');
    await run('switchyard.rollout.retry', target);
    await sectionUntil('checkout paused at step 1 again, as the demo left it', (s) => /^paused for promotion · step 1\/6 · 20%/.test(item(s, 'checkout')?.description ?? ''), 90_000);
  });

  test('a selector switch by another field manager is notified with who and when, and its button switches back', async function () {
    if (!(await liveCluster())) this.skip();
    // switchyard.notifications is "mine" by default: app-prod is mine while its details are open.
    await vscode.commands.executeCommand('switchyard.panel.open', { namespace: NS, name: 'app-prod' });
    await until('app-prod listed, blue live', async () => ((await workload('app-prod'))?.blueGreen?.live === 'blue' ? true : undefined));
    const client = new KubeClient(loadKubeConfig(process.env.KUBECONFIG));
    const service = `/api/v1/namespaces/${NS}/services/app-prod`;
    const before = (await api()).notifications().length;
    try {
      // What `kubectl apply` of an edited Service sends, under kubectl's field manager.
      await client.patch(service, { spec: { selector: { app: 'app', version: 'green' } } }, 'merge', { fieldManager: 'kubectl-client-side-apply' });
      const notice = await until('a notification about app-prod', async () => (await api()).notifications().slice(before).find((n) => n.workloadId === `BlueGreen/${NS}/app-prod`));
      assert.match(notice.message, /^app-prod was switched to green by kubectl-client-side-apply \d+ s ago\.$/);
      assert.equal(notice.severity, 'warning');
      assert.deepEqual(notice.buttons.map((b) => b.label), ['Switch back to blue', 'Open Details']);
      // What the first button runs (a person would confirm the dialog it shows; the tests confirm by argument).
      const back = notice.buttons[0];
      const outcome = (await vscode.commands.executeCommand(back.command, { ...(back.arguments[0] as object), confirm: true })) as { ok: boolean; message: string };
      assert.ok(outcome.ok, outcome.message);
      assert.equal((await client.request<{ spec: { selector: Record<string, string> } }>(service)).spec.selector.version, 'blue');
    } finally {
      // The demo as it was: blue live, no switch recorded.
      await client.patch(service, { metadata: { annotations: { 'switchyard.dev/previous-selector': null } }, spec: { selector: { app: 'app', version: 'blue' } } }, 'merge', { fieldManager: 'switchyard-demo' });
    }
  });
});
