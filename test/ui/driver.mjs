// What a person does in the workbench, as Playwright steps: the command palette, quick open,
// quick picks and input boxes, the editor and its hovers. Every wait is for a condition on the page.
const PROMPT_TIMEOUT_MS = 60_000;

export function quickInput(page) {
  return page.locator('.quick-input-widget');
}

/** Opens the command palette (F1), types `title` and runs the command once it is the focused row. */
export async function runCommand(page, title) {
  const widget = quickInput(page);
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await widget.locator('.monaco-list-row.focused', { hasText: title }).waitFor();
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
 * Hovers the first token that reads exactly `word` in the active editor and returns the hover's
 * text. Retries the hover (mouse away and back), since the provider may register just after the
 * file opened.
 */
export async function hoverWord(page, word, { attempts = 4, waitMs = 5_000 } = {}) {
  const token = activeEditorLines(page).getByText(word, { exact: true }).first();
  await token.waitFor();
  const hover = page.locator('.monaco-hover:visible .monaco-hover-content', { hasText: word }).first();
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
