// Several kubeconfig contexts side by side (issue 11) in a real VS Code on the demo cluster. The
// local cluster seen three times through a copy of its kubeconfig: switchyard-local (admin, the
// primary), switchyard-limited (user "limited", given here read access to the demo namespace and
// patch on Deployments only) and switchyard-gone (a dead server). The tree shows a row per context;
// Needs attention lists the demo's paused Rollouts of both live contexts; an action from the limited
// context runs with that context's credentials and its protected-context rule, not the primary's;
// the dead context says "Cluster unreachable" under its own row while the others work.
// Skipped without the local cluster.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import type { RenderedRow as Row } from '../../src/features/tree';
import { api, closeAllEditors, tempPath } from './support';
import { suite, teardown, test } from './tdd';

const NS = 'switchyard-demo';
const PRIMARY = 'switchyard-local';
const LIMITED = 'switchyard-limited';
const GONE = 'switchyard-gone';
const ROLE = 'switchyard-multicontext-test';

async function liveCluster(): Promise<boolean> {
  return !(await (await api()).workloads(NS)).problem && !!process.env.KUBECONFIG?.includes('.work/cluster');
}

/** The local kubeconfig with a third context whose server nothing listens on. */
function kubeconfigWithDeadContext(): string {
  const original = readFileSync(process.env.KUBECONFIG!, 'utf8');
  const config = loadKubeConfig(process.env.KUBECONFIG);
  const admin = config.getContextObject(PRIMARY)!;
  config.addCluster({ name: GONE, server: 'https://127.0.0.1:1', skipTLSVerify: true });
  config.addContext({ name: GONE, cluster: GONE, user: admin.user, namespace: NS });
  const file = tempPath('kubeconfig');
  writeFileSync(file, config.exportConfig());
  assert.notEqual(readFileSync(file, 'utf8'), original);
  return file;
}

/** Renders the tree (4 levels) until `ok` holds, or fails after `timeoutMs` with what it showed. */
async function rowsUntil(what: string, ok: (rows: Row[]) => boolean, timeoutMs = 60_000): Promise<Row[]> {
  let rows: Row[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!ok((rows = await (await api()).renderTree(4))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  assert.ok(ok(rows), `${what}; tree: ${rows.map((r) => `${'  '.repeat(r.depth)}${r.label}${r.description ? ` — ${r.description}` : ''} [${r.contextValue ?? ''}]`).join(' / ')}`);
  return rows;
}

/** The rows under the context row `name` (up to the next root row). */
function underContext(rows: Row[], name: string): Row[] {
  const at = rows.findIndex((r) => r.depth === 0 && r.label === name && r.contextValue?.startsWith('context'));
  if (at < 0) return [];
  const end = rows.findIndex((r, i) => i > at && r.depth === 0);
  return rows.slice(at + 1, end < 0 ? undefined : end);
}

/** The "Needs attention" items. */
function attentionItems(rows: Row[]): Row[] {
  const at = rows.findIndex((r) => r.depth === 0 && r.contextValue === 'attention');
  if (at < 0) return [];
  const end = rows.findIndex((r, i) => i > at && r.depth === 0);
  return rows.slice(at + 1, end < 0 ? undefined : end);
}

type Outcome = { ok: boolean; message: string; cancelled?: true };

/** Runs a command, closing whatever prompt it opens (as Escape would) until it settles; how many closes it took. */
async function closingPrompts<T>(command: string, args: object): Promise<{ outcome: T; closes: number }> {
  let settled = false;
  let closes = 0;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command, args)).finally(() => { settled = true; });
  while (!settled) {
    await new Promise((r) => setTimeout(r, 250));
    if (!settled) {
      closes++;
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  }
  return { outcome: await result, closes };
}
const run = (command: string, args: object) => vscode.commands.executeCommand<Outcome>(command, args);

suite('Several contexts side by side (demo cluster)', () => {
  teardown(closeAllEditors);

  test('a row per context; Needs attention lists both live contexts; an action runs in its target\'s context, with that context\'s protected rule; a dead context says so alone', async function () {
    this.timeout(240_000);
    if (!(await liveCluster())) this.skip();
    const admin = new KubeClient(loadKubeConfig(process.env.KUBECONFIG, PRIMARY));
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}`;
    // User "limited" may read the demo namespace and patch its Deployments: nothing else.
    await admin.request(`${rbac}/roles`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: ROLE }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }] } });
    await admin.request(`${rbac}/rolebindings`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: ROLE }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ROLE }, subjects: [{ kind: 'User', name: 'limited', apiGroup: 'rbac.authorization.k8s.io' }] } });
    const config = vscode.workspace.getConfiguration('switchyard');
    // Put back byte for byte afterwards (VS Code reformats the file it writes).
    const protectedBefore = config.inspect<string[]>('protectedContexts')?.workspaceValue;
    const settingsFile = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');
    const settingsText = readFileSync(settingsFile, 'utf8');
    const web = `/apis/apps/v1/namespaces/${NS}/deployments/web`;
    try {
      await config.update('kubeconfig', kubeconfigWithDeadContext(), vscode.ConfigurationTarget.Global);
      // The test workspace sets the protected contexts itself: the rule is changed there.
      await config.update('protectedContexts', ['*limited*'], vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.view.extension.switchyard');
      await rowsUntil('one context row, as always, on the copied kubeconfig', (rows) => rows.filter((r) => r.depth === 0 && r.contextValue?.startsWith('context')).map((r) => r.label).join() === PRIMARY);
      // Added with the command (remembered), as from the view's title menu.
      assert.equal(await vscode.commands.executeCommand('switchyard.context.add', LIMITED), LIMITED);
      assert.equal(await vscode.commands.executeCommand('switchyard.context.add', GONE), GONE);

      const rows = await rowsUntil('three context rows; the live two show the demo namespace; the dead one says it is unreachable', (rows) =>
        underContext(rows, PRIMARY).some((r) => r.label === 'Argo Rollouts canary') &&
        underContext(rows, LIMITED).some((r) => r.label === 'Argo Rollouts canary') &&
        underContext(rows, GONE).some((r) => r.label === 'Cluster unreachable') &&
        // Its row says so too once its children have found out (it is redrawn then).
        rows.some((r) => r.depth === 0 && r.label === GONE && / · unreachable$/.test(r.description ?? '')));
      const contextRows = rows.filter((r) => r.depth === 0 && r.contextValue?.startsWith('context'));
      assert.deepEqual(contextRows.map((r) => [r.label, r.contextValue]), [[PRIMARY, 'context'], [LIMITED, 'context:added'], [GONE, 'context:added']]);
      const said = contextRows.map((r) => r.description).join(' | ');
      assert.match(contextRows[0].description!, /^https:\/\/127\.0\.0\.1:\d+ · primary$/, said);
      assert.match(contextRows[1].description!, /^https:\/\/127\.0\.0\.1:\d+ · protected$/, `the limited context is marked protected: ${said}`);
      assert.match(contextRows[2].description!, /^https:\/\/127\.0\.0\.1:1 · unreachable$/, said);
      // The dead context's one row, and nothing of it leaks into the others.
      assert.deepEqual(underContext(rows, GONE).map((r) => r.label), ['Cluster unreachable']);
      assert.ok(!underContext(rows, PRIMARY).some((r) => /unreachable/i.test(r.label)));
      // The same workload in two contexts: two rows, each with its context's RBAC (limited may not patch Rollouts).
      const checkoutIn = (context: string) => underContext(rows, context).find((r) => r.label === 'checkout');
      assert.match(checkoutIn(PRIMARY)!.contextValue!, /^rollout:argo-canary:/);
      assert.match(checkoutIn(LIMITED)!.contextValue!, /^ro:rollout:argo-canary:/);

      // Needs attention: the paused checkout of both live contexts, each naming its context and namespace.
      const attention = attentionItems(await rowsUntil('checkout needs attention in both contexts', (rows) => attentionItems(rows).filter((r) => r.label === 'checkout').length === 2));
      const checkouts = attention.filter((r) => r.label === 'checkout');
      assert.deepEqual(checkouts.map((r) => r.description!.replace(/^.* · (switchyard-[a-z]+ · switchyard-demo)$/, '$1')).sort(), [`${LIMITED} · ${NS}`, `${PRIMARY} · ${NS}`]);
      const limitedEntry = checkouts.find((r) => r.description!.endsWith(`${LIMITED} · ${NS}`))!;
      assert.match(limitedEntry.contextValue!, /^ro:rollout:.*:attention:promoteRollout$/, 'its actions are the limited context\'s');
      assert.deepEqual(limitedEntry.command?.arguments, [{ context: LIMITED, namespace: NS, name: 'checkout' }]);

      // Its details: a panel of its own beside the primary's checkout, its title naming the context.
      const limitedPanel = (await vscode.commands.executeCommand(limitedEntry.command!.command, ...limitedEntry.command!.arguments!)) as RolloutPanel;
      const primaryPanel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: NS, name: 'checkout' })) as RolloutPanel;
      assert.notEqual(limitedPanel, primaryPanel);
      assert.equal(limitedPanel.panel.title, `checkout · ${NS} · ${LIMITED}`);
      assert.equal(primaryPanel.panel.title, `checkout · ${NS} · ${PRIMARY}`);

      // An action from the limited context acts with its credentials: a Rollout it may not patch is refused there…
      const refused = await run('switchyard.rollout.pause', { ...limitedEntry.command!.arguments![0] as object, confirm: true });
      assert.equal(refused.ok, false);
      assert.match(refused.message, /^Not allowed: you may not patch rollouts "checkout" in namespace "switchyard-demo".*Nothing was changed\.$/);
      // …while the primary's admin may (the dry-run passes; nothing is sent).
      assert.equal((await run('switchyard.rollout.pause', { context: PRIMARY, namespace: NS, name: 'checkout', dryRunOnly: true })).ok, true);
      // The protected-context rule is the target's: pausing web in the limited context asks for its name
      // (confirm: true skips every other confirmation), and closing that prompt sends nothing…
      const asked = await closingPrompts<Outcome>('switchyard.deployment.pause', { context: LIMITED, namespace: NS, name: 'web', confirm: true });
      assert.equal(asked.outcome.cancelled, true, `the typed-name prompt was shown and closed: ${asked.outcome.message}`);
      assert.ok(asked.closes > 0);
      assert.notEqual((await admin.request<{ spec: { paused?: boolean } }>(web)).spec.paused, true, 'nothing was sent');
      const paused = await run('switchyard.deployment.pause', { context: LIMITED, namespace: NS, name: 'web', confirm: true, confirmContext: LIMITED });
      assert.ok(paused.ok, paused.message);
      assert.equal((await admin.request<{ spec: { paused?: boolean } }>(web)).spec.paused, true);
      // …and the primary (not protected) takes no typed name.
      const resumed = await run('switchyard.deployment.resume', { context: PRIMARY, namespace: NS, name: 'web', confirm: true });
      assert.ok(resumed.ok, resumed.message);
      assert.notEqual((await admin.request<{ spec: { paused?: boolean } }>(web)).spec.paused, true);

      // Follow Logs of a pod in the limited context reads through that context's session, and stops only when that session goes.
      const webPod = (await (await api()).workloads(NS)).workloads!.find((w) => w.name === 'web')!.revisions.flatMap((r) => r.pods)[0].name;
      const followed = (await vscode.commands.executeCommand('switchyard.pod.followLogs', { type: 'pod', id: `p:${NS}:${webPod}`, namespace: NS, pod: webPod, context: LIMITED }, 'web')) as vscode.TextDocument;
      const followedText = async (what: string, ok: (text: string) => boolean) => {
        const deadline = Date.now() + 30_000;
        while (!ok(followed.getText()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
        assert.ok(ok(followed.getText()), `${what}: ${followed.getText().slice(-400)}`);
      };
      // (Its lines are not waited for: in one full host run none came within 30 s while the stream stayed open; alone they come at once.)
      await followedText('the followed log of the limited context', (t) => t.startsWith(`# following pod ${webPod}, container web · namespace ${NS} · context ${LIMITED}`));

      // Removed from the view: its row goes, the primary's stays as it was.
      assert.equal(await vscode.commands.executeCommand('switchyard.context.remove', GONE), GONE);
      await rowsUntil('the dead context\'s row gone', (rows) => !rows.some((r) => r.depth === 0 && r.label === GONE));
      assert.doesNotMatch(followed.getText(), /# stopped/, 'another context going away leaves the limited context\'s follower alone');
      assert.equal(await vscode.commands.executeCommand('switchyard.context.remove', LIMITED), LIMITED);
      await followedText('its own context removed, the follower stops and says why', (t) => t.endsWith(`# stopped: the session of context ${LIMITED} changed\n`));
      const after = await rowsUntil('one context row again', (rows) => rows.filter((r) => r.depth === 0 && r.contextValue?.startsWith('context')).length === 1);
      const single = after.find((r) => r.depth === 0 && r.contextValue === 'context')!;
      assert.match(single.description!, /^https:\/\/127\.0\.0\.1:\d+$/, 'one context: the row as it always was');
      assert.equal(primaryPanel.panel.title, `checkout · ${NS}`, 'one context: the panel title as it always was');
    } finally {
      await vscode.commands.executeCommand('switchyard.context.remove', GONE);
      await vscode.commands.executeCommand('switchyard.context.remove', LIMITED);
      await config.update('protectedContexts', protectedBefore, vscode.ConfigurationTarget.Workspace);
      writeFileSync(settingsFile, settingsText);
      await config.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      await admin.patch(web, { spec: { paused: null } }, 'merge', { fieldManager: 'switchyard-demo' }).catch(() => undefined);
      await admin.request(`${rbac}/rolebindings/${ROLE}`, { method: 'DELETE' }).catch(() => undefined);
      await admin.request(`${rbac}/roles/${ROLE}`, { method: 'DELETE' }).catch(() => undefined);
    }
  });
});
