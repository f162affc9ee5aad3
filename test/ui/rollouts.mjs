// UI tests of the Rollouts view against the local demo cluster (cluster/up.sh + cluster/demo.sh):
// the tree as a person sees it, and actions from its context menus, confirmed in the modal dialog.
// `needsCluster`: test/harness/run-ui.mjs reports them as skipped when SWITCHYARD_KUBECONFIG is unset.
// They adapt to the demo's state (which colour is live, which revisions `web` has) and put back
// what they changed: the traffic is switched back, `web` is recreated as demo.sh leaves it.
import assert from 'node:assert/strict';
import { DEMO_CONTEXT, DEMO_NAMESPACE, recreateDemoWeb, webIsAsDemoLeftIt, webRevisions } from './demo.mjs';
import {
  chooseMenuItem,
  clipAround,
  escapeRegExp,
  expandTreeItem,
  hideNotifications,
  openContextMenu,
  quickInput,
  runCommand,
  readConfirmation,
  setSideBarWidth,
  treeItem,
  waitForNotification,
  waitForTreeItemName,
  workloadItem,
} from './driver.mjs';

/** Wide enough for the longest workload description ("active rev 1 · preview rev 2 · paused"). */
const SIDE_BAR_WIDTH = 560;

/** The Switchyard view, shown and wide; the tree's rows load once the namespace is watched. */
async function showRolloutsView(page) {
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /Switchyard.*Rollouts/i }).waitFor();
  await setSideBarWidth(page, SIDE_BAR_WIDTH);
}

/** A clip of the Switchyard view: its activity-bar tab, title and tree rows (plus `extra`). */
async function viewClip(page, extra = []) {
  const sidebar = page.locator('.part.sidebar');
  return clipAround(page, [page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ }), sidebar.locator('.composite.title'), sidebar.getByRole('treeitem').last(), ...extra]);
}

/** "blue live · green idle" → { live: 'blue', idle: 'green' } */
async function liveAndIdle(row) {
  const name = await waitForTreeItemName(row, /^app-prod \w+ live · \w+ idle$/);
  const [, live, idle] = /^app-prod (\w+) live · (\w+) idle$/.exec(name);
  return { live, idle };
}

/**
 * Runs a context-menu action on `row` that ends in its confirmation: right-click, the item, then
 * the confirmation (a modal dialog, or a quick pick led by Cancel for traffic), with nothing else
 * asked in between. Applies it and returns what it said.
 */
async function actFromContextMenu(page, shot, row, title, { shotPrefix, log = () => {} }) {
  const t0 = Date.now();
  const items = await openContextMenu(page, row);
  assert.ok(items.includes(title), `"${title}" is in the context menu (${items.join(', ')})`);
  if (shotPrefix) await shot(`${shotPrefix}-menu`);
  await chooseMenuItem(page, title);
  // The command reads the objects and runs a server-side dry-run first; the confirmation is the one question.
  const said = await readConfirmation(page);
  log(`${title}: ${Date.now() - t0} ms from the right-click to the confirmation (${said.kind})`);
  assert.deepEqual(said.buttons.filter((b) => b === 'Apply'), ['Apply'], `an Apply choice (${said.buttons.join(', ')})`);
  // Moving production traffic: Enter must not apply it (Cancel comes first).
  if (said.kind === 'pick') assert.ok(said.defaultIsCancel, `Cancel is the default choice (${said.buttons.join(', ')})`);
  if (shotPrefix) await shot(`${shotPrefix}-confirm`, { clip: await viewClip(page, [said.element]) });
  await said.apply();
  return said;
}

export default [
  {
    name: 'the Rollouts tree shows the demo cluster: context, namespace, strategy groups, workloads',
    needsCluster: true,
    async run({ page, shot, log }) {
      await showRolloutsView(page);
      const context = treeItem(page, new RegExp(`^Context ${DEMO_CONTEXT}\\b`));
      await context.waitFor({ timeout: 60_000 });
      assert.equal(await context.getAttribute('aria-expanded'), 'true');
      const namespace = treeItem(page, DEMO_NAMESPACE);
      await expandTreeItem(namespace);
      await waitForTreeItemName(namespace, /^switchyard-demo 7 workloads$/);
      for (const group of ['Blue/green', 'Canary (replica ratio)', 'Argo Rollouts canary', 'Argo Rollouts blue/green', 'Rolling update']) {
        await expandTreeItem(treeItem(page, new RegExp(`^${escapeRegExp(group)} 1$`)));
      }
      // Each workload with its description. demo.sh leaves them as `demo` says (with " · drift" where the
      // workspace's manifest says otherwise: demo.sh updates images in the cluster only); the patterns also
      // take the other states of the same format, since others may act on a shared demo cluster.
      const expected = [
        ['app-prod', /^app-prod (blue|green) live · (blue|green) idle( · drift)?$/, 'app-prod blue live · green idle'],
        ['api', /^api (canary \d+\/\d+ pods · \d+%|canary scaled to 0)( · drift)?$/, 'api canary 1/10 pods · 10%'],
        ['checkout', /^checkout (degraded · )?(aborted · \d+%|(step \d\/6 · )?\d+%( \(actual \d+%\))?( · paused)?)( · drift)?$/, 'checkout step 1/6 · 20% · paused'],
        ['payments', /^payments (degraded · )?(active rev \d+|no active)( · preview rev \d+( \(\d+\/\d+\))?)?( · paused)?( · drift)?$/, 'payments active rev 1 · preview rev 2 · paused'],
        ['web', /^web 4\/4 available · rev \d+( · drift)?$/, 'web 4/4 available · rev 3'],
      ];
      for (const [workload, pattern, demo] of expected) {
        const name = await waitForTreeItemName(workloadItem(page, workload), pattern);
        log(`${name}${name === demo ? '' : ` (demo.sh leaves "${demo}")`}`);
      }
      // Rows in tree order with their depth (aria-level): each workload right under its group.
      const rows = await page.locator('.part.sidebar [role="treeitem"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-level')} ${e.getAttribute('aria-label').replace(/, has actions$/, '')}`));
      const index = (start) => rows.findIndex((r) => r.startsWith(start));
      for (const [group, workload] of [['Blue/green', 'app-prod'], ['Canary (replica ratio)', 'api'], ['Argo Rollouts canary', 'checkout'], ['Argo Rollouts blue/green', 'payments'], ['Rolling update', 'web']]) {
        assert.equal(index(`4 ${workload} `), index(`3 ${group} `) + 1, `${workload} right under ${group}:\n${rows.join('\n')}`);
      }
      // A look inside: the pair's two colours, and the Argo canary's steps and revisions.
      await expandTreeItem(workloadItem(page, 'app-prod'));
      for (const colour of ['blue', 'green']) log(await waitForTreeItemName(treeItem(page, `app-${colour}`), new RegExp(`^app-${colour} (live|idle) · app:1\\.[01]\\.0 · 3/3 available( · \\d+ serving)?$`)));
      await expandTreeItem(workloadItem(page, 'checkout'));
      const steps = treeItem(page, 'Steps');
      log(await waitForTreeItemName(steps, /^Steps \d\/6 · setWeight \d+% · actual \d+%$/));
      await expandTreeItem(steps);
      await treeItem(page, /^0: setWeight: 20\b/).waitFor();
      await shot('rollouts-tree', { clip: await viewClip(page) });
    },
  },
  {
    name: 'blue/green: Switch Traffic… from the context menu, confirmed, then Switch Back',
    needsCluster: true,
    async run({ page, shot, log }) {
      await showRolloutsView(page);
      const pair = workloadItem(page, 'app-prod');
      await pair.waitFor({ timeout: 60_000 });
      const { live, idle } = await liveAndIdle(pair);
      log(`found: ${live} live, ${idle} idle`);
      await expandTreeItem(pair);
      const colourRow = (colour) => treeItem(page, `app-${colour}`);
      await waitForTreeItemName(colourRow(live), new RegExp(`^app-${live} live · `));

      let started = Date.now();
      const said = await actFromContextMenu(page, shot, pair, 'Switch Traffic…', { shotPrefix: 'switch', log });
      log(`dialog: ${said.message}`);
      assert.equal(said.message, `Switch "app-prod" to ${idle}`);
      assert.match(said.detail, new RegExp(`selector version: ${live} -> ${idle}`));
      const switched = await waitForNotification(page, new RegExp(`Switch "app-prod" to ${idle}: API confirmed in \\d+ ms; the EndpointSlices of "app-prod" hold only ${idle} pods after \\d+ ms more`));
      log(`notification: ${switched}`);
      await waitForTreeItemName(pair, new RegExp(`^app-prod ${idle} live · ${live} idle$`));
      await waitForTreeItemName(colourRow(idle), new RegExp(`^app-${idle} live · `));
      await waitForTreeItemName(colourRow(live), new RegExp(`^app-${live} idle · `));
      log(`switch to ${idle}: ${Date.now() - started} ms from the menu to the tree (dialog included)`);
      await shot('switch-tree-updated');

      started = Date.now();
      const back = await actFromContextMenu(page, shot, pair, 'Switch Back', { shotPrefix: 'switch-back', log });
      assert.equal(back.message, `Switch "app-prod" back to ${live}`);
      log(`notification: ${await waitForNotification(page, new RegExp(`Switch "app-prod" back to ${live}: API confirmed in \\d+ ms; the EndpointSlices of "app-prod" hold only ${live} pods`))}`);
      await waitForTreeItemName(pair, new RegExp(`^app-prod ${live} live · ${idle} idle$`));
      await waitForTreeItemName(colourRow(live), new RegExp(`^app-${live} live · `));
      log(`switch back to ${live}: ${Date.now() - started} ms`);
      await shot('switch-back-tree');
      await hideNotifications(page);
    },
  },
  {
    name: 'rolling: Roll Back Deployment… from an old revision of web, confirmed; the tree shows the new revision',
    needsCluster: true,
    timeoutMs: 240_000,
    async run({ page, shot, log }) {
      await showRolloutsView(page);
      const found = await webRevisions();
      log(`found web revisions: ${found.map((r) => `${r.revision} ${r.image.split('/').pop()}`).join(', ')}`);
      assert.ok(found.length >= 2, 'web has an old revision to roll back to');
      const top = found[0].revision;
      // The demo's revision 2 (1.1.0); in another state, the newest old revision.
      const target = found.find((r) => r.revision === 2) ?? found[1];
      const tag = target.image.split('/').pop(); // "web:1.1.0"
      const web = workloadItem(page, 'web');
      await waitForTreeItemName(web, new RegExp(`^web 4/4 available · rev ${top}$`));
      await expandTreeItem(web);
      const revision = treeItem(page, new RegExp(`^revision ${target.revision} ${escapeRegExp(tag)} · `));
      await revision.waitFor();
      try {
        const started = Date.now();
        const said = await actFromContextMenu(page, shot, revision, 'Roll Back Deployment…', { shotPrefix: 'rollback', log });
        log(`dialog: ${said.message} — ${said.detail.split('\n')[0]}`);
        assert.equal(said.message, `Roll back "web" to revision ${target.revision}`);
        assert.match(said.detail, new RegExp(`rolls it out as revision ${top + 1}`));
        log(`notification: ${await waitForNotification(page, new RegExp(`Roll back "web" to revision ${target.revision}: done in \\d+ ms`))}`);
        // The controller rolls the old template out as a new revision: 4 pods, one at a time.
        await waitForTreeItemName(web, new RegExp(`^web 4/4 available · rev ${top + 1}$`), { timeout: 120_000 });
        log(`rollback: ${Date.now() - started} ms from the menu to "4/4 available · rev ${top + 1}"`);
        const newest = page.locator('.part.sidebar').getByRole('treeitem', { name: /^revision \d+ web:/ }).first();
        const name = await waitForTreeItemName(newest, new RegExp(`^revision ${top + 1} ${escapeRegExp(tag)} · 4/4 available$`));
        log(`top revision: ${name}`);
        // The rolled-back revision's ReplicaSet became the new one: its old number is gone from the list.
        assert.equal(await treeItem(page, new RegExp(`^revision ${target.revision} web:`)).count(), 0);
        await shot('rollback-tree-updated');
        await hideNotifications(page);
      } finally {
        // Revision numbers only go up: put the demo's web back by recreating it as demo.sh does.
        if (webIsAsDemoLeftIt(found)) {
          const t0 = Date.now();
          await recreateDemoWeb();
          log(`web recreated as demo.sh leaves it in ${Date.now() - t0} ms`);
        } else log(`web was not as demo.sh leaves it (revisions ${found.map((r) => r.revision).join(', ')}): left at the rollback's result`);
      }
      if (webIsAsDemoLeftIt(found)) await waitForTreeItemName(web, /^web 4\/4 available · rev 3$/);
    },
  },
  {
    name: 'Add Context to View… shows a second context beside the first, with its own errors; Remove Context from View takes it away',
    needsCluster: true,
    async run({ page, shot, log }) {
      await showRolloutsView(page);
      const first = treeItem(page, new RegExp(`^Context ${DEMO_CONTEXT}\\b`));
      await first.waitFor({ timeout: 60_000 });
      // The local kubeconfig's other context: the same cluster as user "limited", who has no RBAC at all.
      await runCommand(page, 'Switchyard: Add Context to View');
      const widget = quickInput(page);
      await page.keyboard.type('switchyard-limited');
      await widget.locator('.monaco-list-row.focused', { hasText: 'switchyard-limited' }).waitFor();
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      const second = treeItem(page, /^Context switchyard-limited\b/);
      try {
        await second.waitFor({ timeout: 60_000 });
        // Its errors are its own rows (a string tooltip is the row's accessible name): the first context's workloads stay.
        // They are the tree's last rows; after the tests before this one expanded rows they are below the
        // fold, and the list draws only the rows in view: scrolled to the end until they come.
        const refused = page.locator('.part.sidebar').getByRole('treeitem', { name: /User "limited" cannot (list|watch)/ }).first();
        const deadline = Date.now() + 60_000;
        while (!(await refused.count()) && Date.now() < deadline) {
          await page.locator('.part.sidebar .monaco-list').first().hover();
          await page.mouse.wheel(0, 10_000);
          await page.waitForTimeout(250);
        }
        await refused.waitFor({ timeout: 1000 });
        log(`the second context's own error: ${(await refused.getAttribute('aria-label')).slice(0, 160)}`);
        await shot('two-contexts', { clip: await viewClip(page) });
        // Root rows know their place among the roots (aria-posinset) even when the others are out of view.
        const secondAt = Number(await second.getAttribute('aria-posinset'));
        await page.locator('.part.sidebar .monaco-list').first().hover();
        await page.mouse.wheel(0, -10_000);
        await waitForTreeItemName(workloadItem(page, 'web'), /^web 4\/4 available · rev \d+( · drift)?$/);
        const firstAt = Number(await first.getAttribute('aria-posinset'));
        log(`root rows: ${DEMO_CONTEXT} at ${firstAt}, switchyard-limited at ${secondAt}`);
        assert.ok(firstAt < secondAt, `the primary context first (${firstAt} < ${secondAt})`);
      } finally {
        // Taken away even when a check above failed: the tests after this one expect one context.
        await page.keyboard.press('Escape');
        await runCommand(page, 'Switchyard: Remove Context from View');
        await widget.locator('.monaco-list-row.focused', { hasText: 'switchyard-limited' }).waitFor();
        await page.keyboard.press('Enter');
        await second.waitFor({ state: 'detached', timeout: 30_000 });
      }
      await first.waitFor();
    },
  },
  {
    name: 'Pin Workload from the context menu marks the row as pinned; Unpin Workload takes the mark away',
    needsCluster: true,
    async run({ page, shot }) {
      await showRolloutsView(page);
      // The Needs attention section coming (the demo has paused releases) redraws the whole tree, which
      // drops every row's handle while it is drawn: a menu command chosen then gets no row. Acted on after.
      await page.locator('.part.sidebar [role="treeitem"][aria-level="1"]', { hasText: /^\s*Needs attention \(\d+\)/ }).waitFor({ timeout: 60_000 });
      const web = workloadItem(page, 'web');
      await waitForTreeItemName(web, /^web 4\/4 available · rev \d+( · drift)?$/);
      const menu = await openContextMenu(page, web);
      assert.ok(menu.includes('Pin Workload') && !menu.includes('Unpin Workload'), `an unpinned row offers Pin only (${menu.join(', ')})`);
      await chooseMenuItem(page, 'Pin Workload');
      await waitForTreeItemName(web, /^web 4\/4 available · rev \d+( · drift)? · pinned$/);
      await shot('pinned-row', { clip: await viewClip(page) });
      const pinnedMenu = await openContextMenu(page, web);
      assert.ok(pinnedMenu.includes('Unpin Workload') && !pinnedMenu.includes('Pin Workload'), `a pinned row offers Unpin only (${pinnedMenu.join(', ')})`);
      await chooseMenuItem(page, 'Unpin Workload');
      await waitForTreeItemName(web, /^web 4\/4 available · rev \d+( · drift)?$/);
    },
  },
];
