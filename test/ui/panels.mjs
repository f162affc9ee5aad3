// UI tests of the two webview panels, as a person uses them: Rollout Details opened from the tree's
// context menu on the demo's paused Argo canary `checkout`, Promote pressed in the panel and
// confirmed in the modal dialog, the step moving in the panel and in the tree (dark theme); the
// Strategy Designer from the command palette, a blue/green design whose YAML preview follows the
// app name, inserted into an editor (light theme); the blue/green pair's details in a high-contrast
// theme, reached by keyboard.
//
// The panels' content is in nested iframes (the workbench's webview frame, and its active frame):
// `webviewContent` finds the one showing a selector. The Promote test needs `checkout` as
// cluster/demo.sh leaves it (paused at step 1) and puts it back so from the panel (Abort, Retry);
// when a failure left it elsewhere, `cluster/demo.sh --reset` restores it. The helpers that find
// and drive a panel are exported for the other panel tests (brokenCanary.mjs).
import assert from 'node:assert/strict';
import { DEMO_NAMESPACE } from './demo.mjs';
import {
  activeEditorLines,
  escapeRegExp,
  expandTreeItem,
  hideNotifications,
  modalDialog,
  openContextMenu,
  pressDialogButton,
  quickInput,
  readConfirmation,
  runCommand,
  setSideBarWidth,
  treeItem,
  waitForNotification,
  waitForTreeItemName,
  workloadItem,
} from './driver.mjs';

const WAIT_MS = 60_000;

/** Retries the helpers needed on the way (the palette, the theme picker, a menu), logged by each test. */
const retries = [];
export const logRetries = (log) => retries.splice(0).forEach((r) => log(`retried: ${r}`));

// ---- helpers ----------------------------------------------------------------------------------

/**
 * The content frame of the webview whose document has `selector` (a FrameLocator), waiting for it.
 * Each webview is an `iframe.webview` whose document holds the panel's own `iframe#active-frame`.
 */
export async function webviewContent(page, selector, { timeout = WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const outer = page.locator('iframe.webview');
    for (let i = 0; i < (await outer.count()); i++) {
      const content = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if (await content.locator(selector).count().catch(() => 0)) return content;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} after ${timeout / 1000} s`);
    await page.waitForTimeout(100);
  }
}

/**
 * Runs a workbench command from the palette by its exact title. runCommand takes the first row,
 * but here another command whose title contains this one may rank first ("Preferences: Browse
 * Color Themes in Marketplace" before "Preferences: Color Theme"): move down to the exact row.
 */
async function runCommandTitled(page, title) {
  const widget = quickInput(page);
  const row = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await widget.waitFor({ state: 'visible' });
    await page.keyboard.type(title);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      // Keys may be lost while the palette takes the focus (from a webview, say): start again.
      const typed = await widget.locator('.quick-input-box input').inputValue().catch(() => '?');
      if (Date.now() > deadline) throw new Error(`no "${title}" in the palette after ${attempt} tries (its input reads "${typed}")`, { cause: error });
      retries.push(`"${title}" not in the palette after typing it (its input read "${typed}"): reopened`);
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
  for (let moves = 0; !(await row.evaluate((el) => el.classList.contains('focused'))); moves++) {
    if (moves > 10) throw new Error(`"${title}" did not get the focus in the palette`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await row.waitFor({ state: 'hidden' });
}

/**
 * Switches the colour theme with "Preferences: Color Theme", as a person does; waits until the
 * workbench wears it. Returns how it went ('already on', 'first try', or the retries).
 */
export async function setColorTheme(page, label, kind) {
  const workbench = page.locator(`.monaco-workbench.${kind}`);
  if (await workbench.count()) return 'already on';
  const widget = quickInput(page);
  // Right after the workbench loads, the picker may open before the built-in themes are registered
  // and list only "Browse Additional Color Themes…" (it does not refresh): then close it and open
  // it again, as a person would.
  const deadline = Date.now() + WAIT_MS;
  let opened = 0;
  for (;;) {
    opened++;
    await runCommandTitled(page, 'Preferences: Color Theme');
    try {
      await widget.locator('.monaco-list-row .label-name', { hasText: /^(Light|Dark) Modern$/ }).first().waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
  // Typed too early, the filter may still keep only "Browse…": type the name again then.
  const theme = widget.locator('.monaco-list-row.focused', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  let attempt = 1;
  for (; ; attempt++) {
    await page.keyboard.type(label);
    try {
      await theme.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
    }
  }
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await workbench.waitFor();
  return [opened > 1 ? `picker opened ${opened} times` : '', attempt > 1 ? `name typed ${attempt} times` : ''].filter(Boolean).join(', ') || 'first try';
}

/** A quick pick's row, chosen by typing its label and pressing Enter on it once focused. */
async function pick(page, label) {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(label);
  await widget.locator('.monaco-list-row.focused', { hasText: label }).waitFor();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/**
 * Clicks the context menu's item titled `title` and waits until the menu closes; clicks again when
 * the menu stayed (a click right after it opened may not take). Only for items that are harmless
 * to run twice, such as opening a panel (the second run reveals the same one).
 */
export async function chooseMenuItemAgainIfStill(page, title, { attempts = 3 } = {}) {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.getByRole('menuitem', { name: title, exact: true });
  for (let attempt = 1; ; attempt++) {
    // Pointer on the item first, as a person's is: the menu highlights it, then the click.
    await item.hover();
    await menu.locator('li.action-item.focused', { has: page.getByRole('menuitem', { name: title, exact: true }) }).waitFor({ timeout: 2_000 }).catch(() => {});
    await item.click();
    try {
      await menu.waitFor({ state: 'detached', timeout: 3_000 });
      return attempt;
    } catch (error) {
      if (attempt >= attempts || !(await item.isVisible())) throw error;
    }
  }
}

/** Hides the bottom panel (the actions show the Switchyard output there) for an uncluttered picture. */
export async function hideBottomPanel(page) {
  const panel = page.locator('.part.panel');
  if (!(await panel.isVisible())) return;
  await runCommandTitled(page, 'View: Toggle Panel Visibility');
  await panel.waitFor({ state: 'hidden' });
}

/** Closes every editor, answering "Don't Save" for untitled documents earlier tests left. */
export async function closeAllEditors(page) {
  await runCommandTitled(page, 'View: Close All Editors');
  const dialog = modalDialog(page);
  const tabs = page.locator('.part.editor .tabs-container .tab');
  const deadline = Date.now() + WAIT_MS;
  while (await tabs.count()) {
    if (Date.now() > deadline) throw new Error(`editors still open: ${(await tabs.allInnerTexts()).join(', ')}`);
    if (await dialog.isVisible()) await pressDialogButton(dialog, "Don't Save");
    else await page.waitForTimeout(50);
  }
}

/** The Switchyard view shown and wide enough for the workloads' descriptions. */
export async function showRolloutsView(page) {
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /^Switchyard/ });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /Switchyard.*Rollouts/i }).waitFor();
  await setSideBarWidth(page, 480);
}

/**
 * Presses the panel's button for `action`, checks the confirmation is titled `title` and presses its
 * Apply; waits until the panel reports the action done.
 */
async function pressInPanel(page, frame, action, title) {
  await frame.locator(`vscode-button[data-action="${action}"]:not([disabled])`).click();
  const said = await readConfirmation(page, { timeout: WAIT_MS });
  assert.equal(said.message, title);
  await said.apply();
  await frame.locator('.activity-done', { hasText: title }).waitFor({ timeout: WAIT_MS });
}

/** What the panel's step timeline shows: its heading ("step 1/6") and the current step's number. */
async function panelSteps(frame) {
  const heading = (await frame.locator('#h-traffic ~ h3', { hasText: /^Steps/ }).innerText()).trim();
  const current = frame.locator('.steps .step-current');
  return {
    heading,
    current: (await current.count()) ? Number(await current.locator('.step-index').innerText()) : undefined,
    currentText: (await current.count()) ? (await current.locator('.step-text').innerText()).trim() : undefined,
  };
}

/** The active editor's visible lines, top to bottom, as text (Monaco reuses line elements out of order). */
async function visibleEditorLines(page) {
  return activeEditorLines(page).evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top), text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
}

// ---- tests ------------------------------------------------------------------------------------

export default [
  {
    name: 'Rollout Details of the paused Argo canary: Promote in the panel, confirmed; the step moves in the panel and the tree (dark theme); Abort, Retry put it back',
    needsCluster: true,
    timeoutMs: 180_000,
    async run({ page, shot, log }) {
      let t0 = Date.now();
      const how = await setColorTheme(page, 'Dark Modern', 'vs-dark');
      log(`theme Dark Modern: ${how} (${Date.now() - t0} ms)`);
      await showRolloutsView(page);
      const namespace = treeItem(page, DEMO_NAMESPACE);
      await namespace.waitFor({ timeout: WAIT_MS });
      await expandTreeItem(namespace);
      await expandTreeItem(treeItem(page, /^Argo Rollouts canary 1$/));
      const checkout = workloadItem(page, 'checkout');
      const before = await waitForTreeItemName(checkout, /^checkout /);
      log(`tree before: ${before}`);
      // As cluster/demo.sh leaves it: paused at step 1 (the indefinite pause after setWeight 20).
      if (before !== 'checkout step 1/6 · 20% · paused') {
        throw new Error(`checkout is not paused at step 1 as demo.sh leaves it ("${before}"): run cluster/demo.sh --reset first`);
      }

      // Open Rollout Details from the tree's context menu.
      t0 = Date.now();
      const items = await openContextMenu(page, checkout);
      assert.ok(items.includes('Open Rollout Details'), `"Open Rollout Details" is in the context menu (${items.join(', ')})`);
      const clicks = await chooseMenuItemAgainIfStill(page, 'Open Rollout Details');
      if (clicks > 1) log(`the menu item took ${clicks} clicks`);
      await page.locator('.tabs-container .tab.active', { hasText: `checkout · ${DEMO_NAMESPACE}` }).waitFor();
      const frame = await webviewContent(page, '#root.rollout .steps .step-current');
      log(`panel rendered ${Date.now() - t0} ms after the menu`);
      // The webview wears the workbench's theme.
      await frame.locator('body.vscode-dark').waitFor();
      const header = frame.locator('#root.rollout header.head');
      assert.equal((await header.locator('h1').innerText()).trim(), 'checkout');
      assert.match(await header.locator('.meta').innerText(), /^Argo Rollouts canary · Rollout · namespace switchyard-demo/);
      // Paused: the workload's health and the traffic section say so, the current step is marked paused.
      await frame.locator('#h-traffic .badge-paused', { hasText: /^paused/ }).waitFor();
      assert.match(await header.locator('.title-row').innerText(), /Paused/);
      const stepsBefore = await panelSteps(frame);
      log(`panel before: ${stepsBefore.heading}; current step ${stepsBefore.current} "${stepsBefore.currentText}"`);
      assert.equal(stepsBefore.heading, 'Steps step 1/6');
      assert.equal(await frame.locator('.steps .step').count(), 6);
      assert.equal((await frame.locator('.steps .step-current .marker').innerText()).trim(), '❚❚');
      assert.match(stepsBefore.currentText, /^pause/);

      // Press Promote in the panel: the tree's confirmation (a modal dialog) asks first.
      const promote = frame.locator('vscode-button[data-action="promote"]');
      assert.equal((await promote.innerText()).trim(), 'Promote');
      await frame.locator('vscode-button[data-action="promote"]:not([disabled])').waitFor();
      t0 = Date.now();
      await promote.click();
      const said = await readConfirmation(page, { timeout: WAIT_MS });
      log(`confirmation (${said.kind}) after ${Date.now() - t0} ms: ${said.message} — ${said.detail.split('\n')[0]}`);
      assert.match(said.message, /checkout/);
      assert.ok(said.buttons.includes('Apply'), `an Apply choice (${said.buttons.join(', ')})`);
      if (said.kind === 'pick') assert.ok(said.defaultIsCancel, 'a promote moves production traffic: Cancel is the default');
      await frame.locator('.activity-running').waitFor();
      await shot('panel-promote-confirm');
      t0 = Date.now();
      await said.apply();

      // The panel: the action reports done and the current step moves on.
      await frame.locator('.activity-done').waitFor({ timeout: WAIT_MS });
      log(`panel activity: ${(await frame.locator('.activity').innerText()).trim()}`);
      const deadline = Date.now() + WAIT_MS;
      let stepsAfter = await panelSteps(frame);
      while (!(stepsAfter.current === undefined || stepsAfter.current > stepsBefore.current)) {
        if (Date.now() > deadline) throw new Error(`the panel's current step stayed at ${stepsAfter.current} after Promote`);
        await page.waitForTimeout(100);
        stepsAfter = await panelSteps(frame);
      }
      log(`panel after ${Date.now() - t0} ms: ${stepsAfter.heading}; current step ${stepsAfter.current} "${stepsAfter.currentText}"`);
      // The tree: the description shows a later step.
      const after = await waitForTreeItemName(checkout, /^checkout step [2-6]\/6 · /);
      log(`tree after ${Date.now() - t0} ms: ${after}`);
      log(`notification: ${await waitForNotification(page, /Promote.*checkout.*done in \d+ ms/i)}`);
      await hideNotifications(page);
      await hideBottomPanel(page);
      // The canary settles at the next pause, 50 % (30 s, then it goes on by itself): the picture.
      log(`tree settled ${Date.now() - t0} ms after Apply: ${await waitForTreeItemName(checkout, /^checkout step 3\/6 · 50% · paused$/)}`);
      await frame.locator('.steps .step-current .step-text', { hasText: 'pause: 30s' }).waitFor();
      await frame.locator('.section-canary', { hasText: /actual\s*50% canary/ }).waitFor();
      await shot('panel-rollout-dark', { animations: 'disabled' });

      // Put the demo back as the test found it, from the same panel: Abort (all traffic to stable,
      // the canary scaled down), then Retry (the update again from step 1, to the indefinite pause).
      t0 = Date.now();
      await pressInPanel(page, frame, 'abort', 'Abort "checkout"');
      await waitForTreeItemName(checkout, /^checkout aborted · 0%$/);
      await frame.locator('article.revision', { has: frame.locator('.badge-role-canary') }).locator('.revision-head', { hasText: / 0\/0 ready/ }).waitFor({ timeout: WAIT_MS });
      log(`aborted, canary scaled down: ${Date.now() - t0} ms`);
      t0 = Date.now();
      await pressInPanel(page, frame, 'retry', 'Retry "checkout"');
      log(`put back: ${await waitForTreeItemName(checkout, /^checkout step 1\/6 · 20% · paused$/, { timeout: 90_000 })} after ${Date.now() - t0} ms`);
      await frame.locator('.steps .step-current .step-text', { hasText: /^pause$/ }).waitFor();
      await hideNotifications(page);
      await hideBottomPanel(page);
      logRetries(log);
    },
  },
  {
    name: 'Strategy Designer: a blue/green design for an app, the YAML preview follows, Insert into editor (light theme)',
    async run({ page, shot, log }) {
      let t0 = Date.now();
      const how = await setColorTheme(page, 'Light Modern', 'vs');
      log(`theme Light Modern: ${how} (${Date.now() - t0} ms)`);
      await closeAllEditors(page);
      await hideBottomPanel(page);
      // Room for the editor and the designer side by side (the tree tests widen the side bar).
      if (await page.locator('.part.sidebar').isVisible()) await setSideBarWidth(page, 300);
      // An empty YAML document to insert into (never a workspace file).
      await runCommandTitled(page, 'File: New Untitled Text File');
      const untitled = page.locator('.tabs-container .tab.active', { hasText: /Untitled-\d+/ });
      await untitled.waitFor();
      const docName = (await untitled.locator('.label-name').innerText()).trim();
      await runCommandTitled(page, 'Change Language Mode');
      await pick(page, 'YAML');
      await page.locator('[id="status.editor.mode"]', { hasText: 'YAML' }).waitFor();

      t0 = Date.now();
      await runCommand(page, 'Switchyard: Open Strategy Designer');
      await page.locator('.tabs-container .tab.active', { hasText: 'Strategy Designer' }).waitFor();
      const frame = await webviewContent(page, '#root.designer .design-form');
      log(`designer rendered ${Date.now() - t0} ms after the command`);
      await frame.locator('body.vscode-light').waitFor();
      await frame.locator('pre.yaml').waitFor();
      log(`insert target: ${(await frame.locator('.actions .muted').innerText()).trim()}`);

      // Choose blue/green (plain Kubernetes) in the strategy select.
      await frame.locator('#f-strategy').click();
      await frame.locator('#f-strategy [role="option"]', { hasText: 'Blue/green (plain Kubernetes)' }).click();
      await frame.locator('.section-cost', { hasText: 'Two full environments' }).waitFor();
      await frame.locator('pre.yaml', { hasText: /name: [\w-]+-blue\b/ }).waitFor();
      const defaultApp = /name: ([\w-]+)-blue\b/.exec(await frame.locator('pre.yaml').innerText())[1];

      // The app name: the preview follows.
      const app = 'ledger';
      assert.notEqual(defaultApp, app);
      t0 = Date.now();
      await frame.locator('vscode-textfield[data-field="app.app"] input').fill(app);
      await frame.locator('pre.yaml', { hasText: `name: ${app}-blue` }).waitFor();
      log(`preview shows "name: ${app}-blue" (was "${defaultApp}-blue") ${Date.now() - t0} ms after typing`);
      const yaml = await frame.locator('pre.yaml').innerText();
      log(`preview: ${yaml.split('\n').length} lines of YAML, ${(yaml.match(/^kind: /gm) ?? []).length} objects`);
      for (const name of [`${app}-blue`, `${app}-green`]) assert.match(yaml, new RegExp(`name: ${name}\\b`));
      assert.doesNotMatch(yaml, new RegExp(`\\b${defaultApp}-(blue|green)\\b`));

      // Insert into the editor: click into the YAML document made above (beside the designer), as a
      // person does to say where the manifests go; the designer names it as its target.
      const group = page.locator('.editor-group-container', { has: page.locator('.tab', { hasText: docName }) });
      await group.locator('.monaco-editor .view-lines').click();
      await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: docName }).waitFor();
      await frame.locator('.actions .muted', { hasText: `Insert at line 1 of ${docName}` }).waitFor();
      log(`insert target: ${(await frame.locator('.actions .muted').innerText()).trim()}`);
      await frame.locator('vscode-button[data-run="insert"]:not([disabled])').waitFor();
      t0 = Date.now();
      await frame.locator('vscode-button[data-run="insert"]').click();
      await frame.locator('.activity-done', { hasText: `Inserted at line 1 of ${docName}` }).waitFor({ timeout: WAIT_MS });
      log(`insert: ${(await frame.locator('.activity').innerText()).trim()} (${Date.now() - t0} ms)`);

      // The editor holds the designed manifest: from its top, line for line what the preview showed.
      await group.locator('.monaco-editor .view-lines').click();
      await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: docName }).waitFor();
      await page.keyboard.press('Control+Home');
      const designed = yaml.split('\n');
      let shown = [];
      const deadline = Date.now() + WAIT_MS;
      while ((shown = await visibleEditorLines(page))[0] !== designed[0]) {
        if (Date.now() > deadline) throw new Error(`the editor does not start with the designed manifest: ${JSON.stringify(shown.slice(0, 3))}`);
        await page.waitForTimeout(100);
      }
      log(`editor: ${shown.length} lines visible, from "${shown[0]}"`);
      assert.ok(shown.length >= 10, `at least 10 lines visible (${shown.length})`);
      assert.deepEqual(shown, designed.slice(0, shown.length));
      assert.ok(shown.some((line) => line.trim() === `name: ${app}-blue`), `"name: ${app}-blue" in the editor's first ${shown.length} lines`);
      await shot('designer-light', { animations: 'disabled' });
      await closeAllEditors(page);
      logRetries(log);
    },
  },
  {
    name: 'Rollout Details of the blue/green pair in a high-contrast theme: the live side has its own border, the buttons are reached with Tab',
    needsCluster: true,
    timeoutMs: 120_000,
    async run({ page, shot, log }) {
      let t0 = Date.now();
      const how = await setColorTheme(page, 'Dark High Contrast', 'hc-black');
      log(`theme Dark High Contrast: ${how} (${Date.now() - t0} ms)`);
      await closeAllEditors(page);
      await showRolloutsView(page);
      const namespace = treeItem(page, DEMO_NAMESPACE);
      await namespace.waitFor({ timeout: WAIT_MS });
      await expandTreeItem(namespace);
      await expandTreeItem(treeItem(page, /^Blue\/green 1$/));
      const pair = workloadItem(page, 'app-prod');
      const name = await waitForTreeItemName(pair, /^app-prod \w+ live · \w+ idle$/);
      const [, live] = /^app-prod (\w+) live/.exec(name);

      t0 = Date.now();
      await openContextMenu(page, pair);
      await chooseMenuItemAgainIfStill(page, 'Open Rollout Details');
      const frame = await webviewContent(page, '#root.rollout .env-live');
      log(`panel rendered ${Date.now() - t0} ms after the menu`);
      await frame.locator('body.vscode-high-contrast').waitFor();
      // Colour alone does not tell the live side here: it wears the contrast border, doubled.
      const liveEnv = frame.locator('.env-live');
      assert.match(await liveEnv.getAttribute('aria-label'), new RegExp(`${live}.*\\(live\\)`));
      const border = await liveEnv.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.borderTopStyle, width: style.borderTopWidth, colour: style.borderTopColor };
      });
      const idleBorder = await frame.locator('.env-idle').first().evaluate((el) => getComputedStyle(el).borderTopStyle);
      log(`live border: ${border.style} ${border.width} ${border.colour}; idle: ${idleBorder}`);
      assert.equal(border.style, 'double');
      assert.notEqual(idleBorder, 'double');

      // Keyboard: from the panel's heading, Tab reaches the Switch button.
      await frame.locator('#root.rollout header.head h1').click();
      const reached = [];
      for (let i = 0; i < 25 && !reached.some((r) => /^switch/.test(r)); i++) {
        await page.keyboard.press('Tab');
        reached.push(await frame.locator(':focus').evaluate((el) => (el.tagName === 'VSCODE-BUTTON' ? el.getAttribute('data-action') : el.tagName.toLowerCase())).catch(() => '(none)'));
      }
      log(`Tab stops: ${reached.join(', ')}`);
      assert.ok(reached.some((r) => /^switch/.test(r)), `a Switch button is reached with Tab (${reached.join(', ')})`);
      await hideNotifications(page);
      await hideBottomPanel(page);
      await shot('panel-bluegreen-high-contrast', { animations: 'disabled' });
      await closeAllEditors(page);
      logRetries(log);
    },
  },
];
