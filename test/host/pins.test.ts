// Pinned workloads in a real VS Code on the demo cluster (issue 12, points 8 and 9): with
// switchyard.notifications "mine" and no details panel open, a pinned workload's change by another
// field manager is notified, and once unpinned the same kind of change is not; the tree row shows
// the pin; a workload row's tooltip says the verdict its details panel shows. Skipped without the
// local cluster. It leaves the demo as it found it: app-prod blue (the selector switchyard-demo's),
// web not paused, nothing pinned.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import type { RenderedRow } from '../../src/features/tree';
import type { ShownNotice } from '../../src/features/notifications';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { renderRollout } from '../../webview/render/rolloutView';
import { escapeHtml } from '../../webview/render/html';
import { api, closeAllEditors } from './support';
import { suite, teardown, test } from './tdd';

const NS = 'switchyard-demo';
const APP_PROD = `BlueGreen/${NS}/app-prod`;
const WEB = `Deployment/${NS}/web`;

async function liveCluster(): Promise<boolean> {
  return !(await (await api()).workloads(NS)).problem && !!process.env.KUBECONFIG?.includes('.work/cluster');
}

/** Polls the async `probe` until it returns a value, or fails after `timeoutMs` saying `what` (and what `seen` says of the last try). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, seen?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; ${await seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The workload rows (depth 3: context > namespace > group > workload) as the tree renders them. */
const workloadRow = async (name: string): Promise<RenderedRow | undefined> => (await (await api()).renderTree(4)).find((r) => r.depth === 3 && r.label === name);
const rowUntil = (what: string, name: string, ok: (r: RenderedRow) => boolean) =>
  until(what, async () => {
    const r = await workloadRow(name);
    return r && ok(r) ? r : undefined;
  }, 30_000, async () => `row: ${JSON.stringify(await workloadRow(name))?.slice(0, 300)}`);

const noticesSince = async (before: number): Promise<ShownNotice[]> => (await api()).notifications().slice(before);
const noticeUntil = (what: string, before: number, ok: (n: ShownNotice) => boolean) =>
  until(what, async () => (await noticesSince(before)).find(ok), 30_000, async () => `notices: ${(await noticesSince(before)).map((n) => n.message).join(' / ') || 'none'}; app-prod changed last by ${JSON.stringify((await live('app-prod'))?.lastChange)}`);

const live = async (name: string) => (await (await api()).workloads(NS)).workloads?.find((w) => w.name === name);

suite('Pinned workloads (demo cluster)', () => {
  teardown(closeAllEditors);

  test('with "mine" and no panel open, a pinned workload\'s change by someone else is notified; once unpinned, none is; the row shows the pin', async function () {
    this.timeout(180_000);
    if (!(await liveCluster())) this.skip();
    assert.equal(vscode.workspace.getConfiguration('switchyard').get('notifications'), 'mine');
    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    await until('app-prod listed, blue live', async () => ((await live('app-prod'))?.blueGreen?.live === 'blue' ? true : undefined));
    const client = new KubeClient(loadKubeConfig(process.env.KUBECONFIG));
    const service = `/api/v1/namespaces/${NS}/services/app-prod`;
    const web = `/apis/apps/v1/namespaces/${NS}/deployments/web`;
    // Each change by another tool has a manager of its own: the same news of a workload is said once a minute.
    const switchTo = (version: string, fieldManager: string) => client.patch(service, { spec: { selector: { app: 'app', version } } }, 'merge', { fieldManager });
    const before = await rowUntil('app-prod unpinned at first', 'app-prod', (r) => !r.contextValue?.endsWith(':pinned'));
    try {
      // Named in the primary context (as a notification's button or a keybinding would): the pin names that context.
      const pinnedRef = await vscode.commands.executeCommand('switchyard.workload.pin', { namespace: NS, name: 'app-prod' });
      assert.deepEqual(pinnedRef, { context: (await (await api()).workloads(NS)).context, namespace: NS, name: 'app-prod' });
      await vscode.commands.executeCommand('switchyard.workload.pin', { namespace: NS, name: 'web' });
      const row = await rowUntil('app-prod marked pinned', 'app-prod', (r) => !!r.contextValue?.endsWith(':pinned'));
      assert.equal(row.description, `${before.description} · pinned`);
      assert.equal(row.icon, before.icon, 'the icon still says its health');
      assert.match(row.tooltip ?? '', /\$\(pinned\) Pinned: notifies you of its changes/);

      // Pinned, no panel: a selector switch by another field manager is notified. A workload's changes
      // are told once it has been quiet for 2 s: a change within that of the previous test's switch back
      // to blue would be folded into it (green to green, no news). So the switch waits out the quiet
      // period after the last change (its time is in whole seconds: 2 s more).
      const since = (await live('app-prod'))?.lastChange?.time;
      if (since) await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(since) + 4000 - Date.now())));
      let mark = (await api()).notifications().length;
      await switchTo('green', 'kubectl-edit');
      const notice = await noticeUntil('a notification about pinned app-prod', mark, (n) => n.workloadId === APP_PROD);
      assert.match(notice.message, /^app-prod was switched to green by kubectl-edit \d+ s ago\.$/);
      mark = (await api()).notifications().length;
      await switchTo('blue', 'kubectl-patch');
      await noticeUntil('a notification about pinned app-prod switched back', mark, (n) => n.workloadId === APP_PROD && /switched to blue by kubectl-patch/.test(n.message));

      // Unpinned: the same kind of change says nothing. web, still pinned and changed after it, is the
      // witness: once its notice is in, app-prod's (seen first, due first) would have been too.
      const unpinned = await vscode.commands.executeCommand('switchyard.workload.unpin', { namespace: NS, name: 'app-prod' });
      assert.ok(unpinned, 'Unpin returns the pin it removed');
      const plain = await rowUntil('app-prod no longer marked', 'app-prod', (r) => !r.contextValue?.endsWith(':pinned'));
      assert.ok(!plain.description?.includes('pinned') && !plain.tooltip?.includes('Pinned'), plain.description);
      mark = (await api()).notifications().length;
      await switchTo('green', 'helm');
      // Its endpoints too (the endpoints controller follows the selector): app-prod's last change before web's.
      await until('app-prod green, endpoints included, in the view model', async () => {
        const bg = (await live('app-prod'))?.blueGreen;
        return bg?.live === 'green' && bg.endpointsColours.join() === 'green' ? true : undefined;
      });
      await client.patch(web, { spec: { paused: true } }, 'merge', { fieldManager: 'helm' });
      await noticeUntil('a notification about pinned web', mark, (n) => n.workloadId === WEB && /^web was paused by helm/.test(n.message));
      assert.deepEqual((await noticesSince(mark)).filter((n) => n.workloadId === APP_PROD).map((n) => n.message), [], 'nothing about unpinned app-prod');
    } finally {
      await vscode.commands.executeCommand('switchyard.workload.unpin', { namespace: NS, name: 'app-prod' });
      await vscode.commands.executeCommand('switchyard.workload.unpin', { namespace: NS, name: 'web' });
      // The demo as it was: blue live, no switch recorded, web running.
      await client.patch(service, { metadata: { annotations: { 'switchyard.dev/previous-selector': null } }, spec: { selector: { app: 'app', version: 'blue' } } }, 'merge', { fieldManager: 'switchyard-demo' });
      await client.patch(web, { spec: { paused: null } }, 'merge', { fieldManager: 'switchyard-demo' });
    }
  });

  test('a workload row\'s tooltip says the verdict its details panel shows', async function () {
    this.timeout(90_000);
    if (!(await liveCluster())) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.switchyard');
    const panel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: NS, name: 'checkout' })) as RolloutPanel;
    const channel = (panel as unknown as { channel: { rendered?: RolloutPanelState } }).channel;
    // Both are drawn from the same view model at their own time: a countdown in the text may differ by a tick, so the two are read until they agree.
    let last = '';
    await until('the tree tooltip and the panel to say the same verdict', async () => {
      const s = channel.rendered;
      const tooltip = (await workloadRow('checkout'))?.tooltip;
      if (s?.status !== 'live' || !tooltip) return undefined;
      const shown = /<span class="verdict-text">([^<]*)<\/span>/.exec(renderRollout(s).find((x) => x.key === 'verdict')?.html ?? '')?.[1];
      // The tooltip's verdict is its bold line after the title.
      const said = tooltip.split('\n').find((l) => /^\*\*.*\*\*$/.test(l) && !l.startsWith('**checkout**'))?.slice(2, -2);
      last = `panel: ${shown} / tooltip: ${said}`;
      return shown && said !== undefined && shown === escapeHtml(said) ? true : undefined;
    }, 60_000, async () => last);
  });
});
