// UI tests: what a person sees in the workbench, run in order on one page by test/harness/run-ui.mjs.
// Each test gets { page, shot }; shot(name) saves a screenshot into test-results/ui/.
import assert from 'node:assert/strict';
import { readNotifications } from '../harness/workbench.mjs';
import { acceptDefaultsUntil, activeEditorLines, hoverWord, openFile, runCommand } from './driver.mjs';

export default [
  {
    name: 'the Switchyard view container opens from the activity bar',
    async run({ page, shot }) {
      await page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ }).click();
      const sidebar = page.locator('.part.sidebar');
      // A container with one view shows it under one title: "Switchyard: Rollouts".
      await sidebar.locator('.composite.title', { hasText: /Switchyard.*Rollouts/i }).waitFor();
      // Without a cluster the view shows its welcome content with the scaffold actions.
      await sidebar.locator('.welcome-view-content').getByRole('button', { name: /New Strategy/ }).waitFor();
      await shot('switchyard-view');
    },
  },
  {
    name: 'Switchyard: New Strategy… from the command palette scaffolds a rolling Deployment',
    async run({ page, shot, log }) {
      await runCommand(page, 'Switchyard: New Strategy');
      const deployment = activeEditorLines(page).filter({ hasText: /kind:\s+Deployment/ });
      const prompts = await acceptDefaultsUntil(page, deployment, (prompt, index) => shot(`new-strategy-prompt-${index}`));
      for (const p of prompts) log(`prompt: ${[p.placeholder, p.message, p.focusedItem || p.value].filter(Boolean).join(' | ')}`);
      // strategy, app name, image, port, replicas, namespace, then the rolling update's own questions
      assert.ok(prompts.length >= 6, `expected at least 6 prompts, got ${prompts.length}`);
      await page.locator('.tabs-container .tab.active', { hasText: /Untitled-\d+/ }).waitFor();
      await page.locator('[id="status.editor.mode"]', { hasText: 'YAML' }).waitFor();
      await shot('new-strategy-yaml');
    },
  },
  {
    name: 'hovering maxSurge in a workspace manifest explains it',
    async run({ page, shot, log }) {
      await openFile(page, 'rolling-update.yaml');
      const text = await hoverWord(page, 'maxSurge');
      log(`hover: ${text.split('\n')[0]}`);
      assert.match(text, /maxSurge/);
      await shot('hover-maxSurge');
    },
  },
  {
    name: 'no error notifications',
    async run({ page, shot }) {
      const notifications = await readNotifications(page);
      await shot('notifications');
      assert.deepEqual(notifications.filter((n) => n.severity === 'error'), []);
    },
  },
];
