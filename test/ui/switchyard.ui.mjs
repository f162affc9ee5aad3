// UI tests: what a person sees in the workbench, run in order on one page by test/harness/run-ui.mjs.
// Each test gets { page, shot, log }; shot(name, options?) saves a screenshot into test-results/ui/.
// The Rollouts view's tests against the demo cluster (rollouts.mjs), a broken canary's
// (brokenCanary.mjs), then the panels' (panels.mjs, whose Promote test starts from the demo that
// brokenCanary.mjs put back) and Flagger's (flagger.mjs), run before the last check.
import assert from 'node:assert/strict';
import { readNotifications } from '../harness/workbench.mjs';
import brokenCanaryTests from './brokenCanary.mjs';
import { clusterKubeconfig } from './demo.mjs';
import { acceptDefaultsUntil, activeEditorLines, clipAround, hoverWord, openFile, quickInput, runCommand } from './driver.mjs';
import flaggerTests from './flagger.mjs';
import panelsTests from './panels.mjs';
import rolloutsTests from './rollouts.mjs';

export default [
  {
    name: 'the Switchyard view container opens from the activity bar',
    async run({ page, shot }) {
      await page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ }).click();
      const sidebar = page.locator('.part.sidebar');
      // A container with one view shows it under one title: "Switchyard: Rollouts".
      await sidebar.locator('.composite.title', { hasText: /Switchyard.*Rollouts/i }).waitFor();
      if (clusterKubeconfig()) {
        // With the demo cluster the tree starts at its context.
        await sidebar.getByRole('treeitem', { name: /^Context switchyard-local\b/ }).waitFor({ timeout: 60_000 });
      } else {
        // Without a cluster the view shows its welcome content with the scaffold actions.
        await sidebar.locator('.welcome-view-content').getByRole('button', { name: /New Strategy/ }).waitFor();
      }
      await shot('switchyard-view');
    },
  },
  {
    name: 'Switchyard: New Strategy… from the command palette scaffolds a rolling Deployment',
    async run({ page, shot, log }) {
      await runCommand(page, 'Switchyard: New Strategy');
      const deployment = activeEditorLines(page).filter({ hasText: /kind:\s+Deployment/ });
      // The first prompt, the strategies, is pictured close up (docs/new-strategy.png).
      const prompts = await acceptDefaultsUntil(page, deployment, async (prompt, index) => shot(`new-strategy-prompt-${index}`, index === 1 ? { clip: await clipAround(page, [quickInput(page)], { margin: 24 }) } : {}));
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
      // Close up on the hover and the lines it covers, from the line numbers on; animations
      // finished (the hover fades in). Hovered again if the lines moved under the pointer meanwhile.
      const aboutMaxSurge = page.locator('.monaco-hover:visible .monaco-hover-content', { hasText: /^\s*maxSurge\b/ });
      for (let attempt = 1; ; attempt++) {
        const text = await hoverWord(page, 'maxSurge');
        log(`hover: ${text.split('\n')[0]}`);
        assert.match(text, /^maxSurge · Deployment/);
        const hover = page.locator('.monaco-hover:visible').first();
        const editor = page.locator('.editor-group-container.active .monaco-editor').first();
        const clip = await clipAround(page, [hover, activeEditorLines(page).getByText('maxSurge', { exact: true }).first()], { margin: 24 });
        const left = (await editor.boundingBox()).x;
        await shot('hover-maxSurge', { clip: { ...clip, x: left, width: clip.x + clip.width - left }, animations: 'disabled' });
        if (await aboutMaxSurge.count()) break;
        if (attempt >= 3) throw new Error('the hover changed under the pointer three times');
        log('the hover changed under the pointer: hovering again');
      }
    },
  },
  ...rolloutsTests,
  ...brokenCanaryTests,
  ...panelsTests,
  ...flaggerTests,
  {
    name: 'no error notifications',
    async run({ page, shot }) {
      const notifications = await readNotifications(page);
      await shot('notifications');
      assert.deepEqual(notifications.filter((n) => n.severity === 'error'), []);
    },
  },
];
