// What a person does in the workbench, as Playwright steps: the command palette, quick open,
// quick picks and input boxes, the editor and its hovers. Every wait is for a condition on the page.
import { readNotifications } from '../harness/workbench.mjs';

const PROMPT_TIMEOUT_MS = 60_000;

export function quickInput(page) {
  return page.locator('.quick-input-widget');
}

/**
 * Opens the command palette (F1), types `title` and runs the command once it is the focused row.
 * Right after the workbench loads, the palette may open before the extension's commands are
 * registered (it does not refresh its list): then it closes it and tries again, as a person would.
 */
export async function runCommand(page, title) {
  const widget = quickInput(page);
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  for (;;) {
    await page.keyboard.press('F1');
    await widget.waitFor({ state: 'visible' });
    await page.keyboard.type(title);
    try {
      await widget.locator('.monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
  await acceptPrompt(page);
}

/** Presses Enter on the open prompt and waits until it is gone or replaced by the next one. */
async function acceptPrompt(page) {
  const widget = quickInput(page);
  const before = JSON.stringify(await describePrompt(widget));
  await page.keyboard.press('Enter');
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  while ((await widget.isVisible()) && JSON.stringify(await describePrompt(widget)) === before) {
    if (Date.now() > deadline) throw new Error(`the prompt stayed after Enter: ${before}`);
    await page.waitForTimeout(50);
  }
}

/** Quick open: types a file name as a person would and opens the first match. */
export async function openFile(page, fileName) {
  const widget = quickInput(page);
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.press('Backspace'); // drop the palette's '>' to search files instead
  await page.keyboard.type(fileName);
  await widget.locator('.monaco-list-row.focused', { hasText: fileName }).waitFor();
  await acceptPrompt(page);
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor();
}

/** What the open quick pick or input box asks: title, prompt message, placeholder and value. */
async function describePrompt(widget) {
  return widget.evaluate((el) => {
    const text = (selector) => el.querySelector(selector)?.textContent?.trim() ?? '';
    const input = el.querySelector('.quick-input-box input');
    return {
      title: text('.quick-input-title'),
      message: text('.quick-input-message'),
      placeholder: input?.getAttribute('placeholder') ?? '',
      value: input?.value ?? '',
      focusedItem: text('.monaco-list-row.focused .label-name'),
    };
  });
}

/**
 * Answers every prompt of a running command with its default (Enter), until `done` is visible.
 * Calls `onPrompt(prompt, index)` before each answer; returns the prompts in order.
 */
export async function acceptDefaultsUntil(page, done, onPrompt = async () => {}) {
  const widget = quickInput(page);
  const prompts = [];
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  while (!(await done.isVisible())) {
    if (Date.now() > deadline) throw new Error(`no result after ${prompts.length} prompt(s): ${JSON.stringify(prompts.at(-1))}`);
    if (await widget.isVisible()) {
      const prompt = await describePrompt(widget);
      prompts.push(prompt);
      await onPrompt(prompt, prompts.length);
      await acceptPrompt(page);
    } else {
      // Between two prompts, or while the command works: look again shortly.
      await page.waitForTimeout(50);
    }
  }
  return prompts;
}

/** The active editor's visible lines. */
export function activeEditorLines(page) {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines');
}

/**
 * Hovers the first token that reads exactly `word` in the active editor and returns the text of
 * the hover about it. Retries the hover (mouse away and back), since the provider may register just
 * after the file opened, and lines may move under the pointer (a code lens arriving).
 */
export async function hoverWord(page, word, { attempts = 4, waitMs = 5_000 } = {}) {
  const token = activeEditorLines(page).getByText(word, { exact: true }).first();
  await token.waitFor();
  // The hover about `word` itself (it starts with it), not one about a neighbour that mentions it.
  const hover = page.locator('.monaco-hover:visible .monaco-hover-content', { hasText: new RegExp(`^\\s*${escapeRegExp(word)}\\b`) }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await token.hover();
    try {
      await hover.waitFor({ timeout: waitMs });
      return (await hover.innerText()).trim();
    } catch (error) {
      if (attempt >= attempts) throw new Error(`no hover with "${word}" after ${attempts} tries: ${error.message}`);
    }
  }
}

// ---- the Rollouts view (a tree in the side bar), its context menus, modal dialogs, notifications ----

/**
 * A row of a tree in the side bar, by its accessible name. VS Code names a tree row "<label>
 * <description>" (plus ", has actions" when it has inline actions), so `name` is a RegExp on that
 * or a label: the string `"web"` matches the row labelled exactly `web`, whatever its description.
 */
export function treeItem(page, name, { level } = {}) {
  const pattern = typeof name === 'string' ? new RegExp(`^${escapeRegExp(name)}(?: |,|$)`) : name;
  const rows = page.locator('.part.sidebar').getByRole('treeitem', { name: pattern });
  return level === undefined ? rows : rows.and(page.locator(`[aria-level="${level}"]`));
}

/** A workload's row under its namespace (context > namespace > strategy group > workload), not its "Needs attention" entry. */
export function workloadItem(page, name) {
  return treeItem(page, name, { level: 4 });
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The accessible name of a tree row, without the ", has actions" VS Code appends. */
export async function treeItemName(row) {
  return ((await row.getAttribute('aria-label')) ?? '').replace(/, has actions$/, '');
}

/** Waits until `row`'s accessible name matches `pattern`; returns the name. */
export async function waitForTreeItemName(row, pattern, { timeout = 60_000 } = {}) {
  const deadline = Date.now() + timeout;
  let name = '';
  for (;;) {
    name = (await row.count()) ? await treeItemName(row.first()) : '';
    if (pattern.test(name)) return name;
    if (Date.now() > deadline) throw new Error(`tree row still reads "${name}", not ${pattern}, after ${timeout / 1000} s`);
    await row.page().waitForTimeout(100);
  }
}

/** Expands a collapsed tree row by clicking its twistie, as a person does, and waits until it is open. */
export async function expandTreeItem(row) {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  await row.and(row.page().locator('[aria-expanded="true"]')).waitFor();
}

/** Right-clicks `row` and waits for its context menu; returns the menu's item titles. */
export async function openContextMenu(page, row, { attempts = 4, waitMs = 5_000 } = {}) {
  const menu = page.locator('.context-view .monaco-menu');
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      // The row may have been re-rendered under the pointer as the tree refreshed: then try again.
      await menu.getByRole('menuitem').first().waitFor({ timeout: waitMs });
      break;
    } catch (error) {
      if (attempt >= attempts) throw new Error(`no context menu on the tree row after ${attempts} right-clicks: ${error.message}`);
      await page.keyboard.press('Escape');
    }
  }
  return (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

/** Clicks the context menu item titled `title` (exactly) and waits until the menu closes. */
export async function chooseMenuItem(page, title) {
  const menu = page.locator('.context-view .monaco-menu');
  await menu.getByRole('menuitem', { name: title, exact: true }).click();
  await menu.waitFor({ state: 'detached' });
}

/** The workbench's modal dialog (vscode.window.show…Message with `modal: true`). */
export function modalDialog(page) {
  return page.locator('.monaco-dialog-box[role="dialog"]');
}

/** Reads the open modal dialog: its message, detail and button titles. */
export async function readDialog(dialog) {
  await dialog.waitFor();
  const text = async (selector) => ((await dialog.locator(selector).count()) ? (await dialog.locator(selector).first().innerText()).trim() : '');
  return {
    message: await text('.dialog-message-text'),
    detail: await text('.dialog-message-detail'),
    buttons: (await dialog.locator('.dialog-buttons').getByRole('button').allInnerTexts()).map((t) => t.trim()),
  };
}

/**
 * The confirmation of an action, as it comes: a modal dialog, or for an action that moves
 * production traffic a quick pick whose first (default) choice is Cancel. Returns its message,
 * detail and choices, and `apply()`, which presses Apply or picks the action itself.
 */
export async function readConfirmation(page, { timeout = 60_000 } = {}) {
  const dialog = modalDialog(page);
  const pick = page.locator('.quick-input-widget:visible');
  await dialog.or(pick).first().waitFor({ timeout });
  if (await dialog.count()) {
    const said = await readDialog(dialog);
    return { kind: 'dialog', ...said, element: dialog, defaultIsCancel: false, apply: () => pressDialogButton(dialog, 'Apply') };
  }
  const title = ((await pick.locator('.quick-input-title').innerText().catch(() => '')) || '').trim();
  const message = title.replace(/\?$/, '');
  const options = pick.getByRole('option');
  await options.first().waitFor();
  const texts = (await options.allInnerTexts()).map((t) => t.trim());
  const action = texts.find((t) => t.startsWith(message)) ?? '';
  return {
    kind: 'pick',
    message,
    detail: action.split('\n').slice(1).join('\n'),
    buttons: texts.map((t) => (t.startsWith('Cancel') ? 'Cancel' : t.startsWith(message) ? 'Apply' : t.split('\n')[0])),
    element: pick,
    defaultIsCancel: texts[0]?.startsWith('Cancel') ?? false,
    apply: async () => {
      await options.filter({ hasText: message }).first().click();
      await pick.waitFor({ state: 'hidden' });
    },
  };
}

/** Presses the dialog's button titled `title` and waits until the dialog has gone. */
export async function pressDialogButton(dialog, title) {
  await dialog.locator('.dialog-buttons').getByRole('button', { name: title, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Waits for a notification whose message matches `pattern` and returns its text. The harness runs
 * the workbench with the smoke-test driver, which shows no toasts: notifications land only in the
 * notification center, which this opens from the status bar's bell (as a person would) and leaves
 * open; `hideNotifications` closes it.
 */
export async function waitForNotification(page, pattern, { timeout = 60_000 } = {}) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await page.locator('[id="status.notifications"]').click();
  await center.waitFor({ state: 'visible', timeout: 5_000 });
  const message = center.locator('.notification-list-item-message', { hasText: pattern }).first();
  try {
    await message.waitFor({ timeout });
  } catch (error) {
    const shown = await readNotifications(page).catch(() => []);
    throw new Error(`no notification matching ${pattern} within ${timeout / 1000} s; shown: ${JSON.stringify(shown)}`, { cause: error });
  }
  return (await message.textContent()).trim();
}

/** Closes the notification center (its "Hide Notifications" button) when it is open. */
export async function hideNotifications(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) return;
  await center.getByRole('button', { name: /^Hide Notifications/ }).click();
  await center.waitFor({ state: 'hidden' });
}

/** Drags the side bar's edge so it is `width` pixels wide (long descriptions then show whole). */
export async function setSideBarWidth(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box || Math.abs(box.width - width) < 4) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(box.x + width + 200, y); // off the sash, which stays highlighted under the pointer
  const deadline = Date.now() + 5_000;
  while (Math.abs(((await sidebar.boundingBox())?.width ?? 0) - width) > 8) {
    if (Date.now() > deadline) throw new Error(`the side bar did not become ${width} px wide`);
    await page.waitForTimeout(50);
  }
}

/**
 * A screenshot clip around the given locators (the union of their boxes, `margin` pixels more on
 * each side, kept inside the viewport), for pictures that show one part of the workbench legibly.
 */
export async function clipAround(page, locators, { margin = 12 } = {}) {
  const boxes = [];
  for (const locator of locators) {
    const box = await locator.boundingBox();
    if (box) boxes.push(box);
  }
  if (!boxes.length) return undefined;
  const viewport = page.viewportSize();
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}
