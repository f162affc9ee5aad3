// UI tests of Flagger in the workbench (issue 14), against the demo cluster: the Rollouts view's two
// Flagger groups with the demo's Canaries as a person sees them, and the Rollout Details panel of
// `inventory`, held by its confirm-promotion gate, with its Flagger section and buttons. Read only:
// the demo stays as cluster/demo.sh leaves it (the Approve that moves it is the host tier's test).
import assert from 'node:assert/strict';
import { DEMO_NAMESPACE } from './demo.mjs';
import { clipAround, expandTreeItem, hideNotifications, openContextMenu, treeItem, waitForTreeItemName, workloadItem } from './driver.mjs';
import { chooseMenuItemAgainIfStill, closeAllEditors, hideBottomPanel, setColorTheme, showRolloutsView, webviewContent } from './panels.mjs';

export default [
  {
    name: 'Flagger: the tree\'s Flagger groups show inventory awaiting promotion approval and search succeeded; inventory\'s details show its Flagger analysis and Approve',
    needsCluster: true,
    timeoutMs: 120_000,
    async run({ page, shot, log }) {
      log(`theme Dark Modern: ${await setColorTheme(page, 'Dark Modern', 'vs-dark')}`);
      await closeAllEditors(page);
      await showRolloutsView(page);
      const namespace = treeItem(page, DEMO_NAMESPACE);
      await namespace.waitFor({ timeout: 60_000 });
      await expandTreeItem(namespace);
      for (const group of [/^Flagger blue\/green 1$/, /^Flagger canary 1$/]) await expandTreeItem(treeItem(page, group));
      const inventory = workloadItem(page, 'inventory');
      // While its gate stays closed Flagger alternates the iteration between 1 and 2.
      log(await waitForTreeItemName(inventory, /^inventory awaiting promotion approval · confirm-promotion · iteration [12]\/2$/));
      log(await waitForTreeItemName(workloadItem(page, 'search'), /^search succeeded · primary rev \d+$/));
      // The Canary's own rows: its primary and canary revisions.
      await expandTreeItem(inventory);
      const revisions = page.locator('.part.sidebar').getByRole('treeitem', { name: /^inventory(-primary)? rev \d+ (primary|canary) · inventory:2\.[01]\.0 · / });
      await revisions.nth(1).waitFor();
      log(`revisions: ${(await revisions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);
      const sidebar = page.locator('.part.sidebar');
      await shot('flagger-tree', { clip: await clipAround(page, [page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ }), sidebar.locator('.composite.title'), sidebar.getByRole('treeitem').last()]) });

      await openContextMenu(page, inventory);
      await chooseMenuItemAgainIfStill(page, 'Open Rollout Details');
      await page.locator('.tabs-container .tab.active', { hasText: `inventory · ${DEMO_NAMESPACE}` }).waitFor();
      const frame = await webviewContent(page, '#root.rollout #h-flagger');
      const flagger = frame.locator('section[aria-labelledby="h-flagger"]');
      await flagger.locator('.badge-state-awaiting', { hasText: 'paused for a person (WaitingPromotion)' }).waitFor();
      const text = (await flagger.innerText()).replace(/\s+/g, ' ');
      log(`Flagger section: ${text.slice(0, 400)}`);
      assert.match(text, /iteration [12]\/2 failed checks 0\/2 interval 10s/);
      assert.match(text, /Held by gate confirm-promotion \(confirm-promotion\): Flagger goes on when it answers 200\./);
      assert.match(text, /primary inventory-primary: revision \d+ · 2\/2 ready · ghcr\.io\/example\/inventory:2\.0\.0/);
      assert.match(text, /canary inventory: revision \d+ · 2\/2 ready · ghcr\.io\/example\/inventory:2\.1\.0/);
      // The buttons of a Canary its gate holds, Approve leading (and suggested by the verdict).
      const buttons = frame.locator('header.head .actions vscode-button');
      assert.deepEqual((await buttons.allInnerTexts()).map((t) => t.trim()), ['Approve', 'Halt', 'Retry', 'Suspend', 'Promote without analysis']);
      assert.equal(await frame.locator('vscode-button[data-action="approve"]').getAttribute('data-suggested'), 'true');
      log(`verdict: ${(await frame.locator('.verdict').innerText()).trim()}`);
      await hideNotifications(page);
      await hideBottomPanel(page);
      await shot('flagger-panel', { animations: 'disabled' });
      await closeAllEditors(page);
    },
  },
];
