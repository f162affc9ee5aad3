// Drives the code-server workbench in Debian's Chromium through playwright-core (from the harness
// cache): launch, open a folder with the extension under development, read notifications.
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, chromiumPath } from './paths.mjs';

const requireFromCache = createRequire(join(cacheDir, 'package.json'));

export function playwright() {
  try {
    return requireFromCache('playwright-core');
  } catch {
    throw new Error('playwright-core is not installed: run node test/harness/install.mjs');
  }
}

export async function launchBrowser() {
  const { chromium } = playwright();
  try {
    return await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (error) {
    throw new Error(`Chromium (${chromiumPath}) did not start: ${error.message}`);
  }
}

/**
 * The workbench address that opens `folder`, with the extension under development and, optionally,
 * a test runner in the extension host (both need the test driver). Paths are on the code-server machine (this one).
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  if (!extensionDevelopmentPath) return `${server.url}/?folder=${encodeURIComponent(folder)}`;
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Opens the workbench in a new page; every browser console line goes to `consoleLogFile`. */
export async function openWorkbench(browser, url, { consoleLogFile, onConsole = () => {} }) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const consoleLog = createWriteStream(consoleLogFile);
  page.on('console', (message) => {
    const text = message.text();
    consoleLog.write(`[${message.type()}] ${text}\n`);
    onConsole(text, message.type());
  });
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error}\n`));
  page.on('close', () => consoleLog.end());
  // The workbench being there is what counts, not the page's load event (every script and font): on
  // a machine whose load is many times its cores the load event alone outlasts goto's default 30 s.
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  return page;
}

/**
 * Every notification the workbench has shown, from the notification center (which keeps the ones
 * whose toasts already hid): severity and message.
 */
export async function readNotifications(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await page.locator('[id="status.notifications"]').click();
  await center.waitFor({ state: 'visible', timeout: 5_000 });
  const items = center.locator('.notification-list-item');
  const result = [];
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    const severity = (await item.locator('.notification-list-item-icon.codicon-error').count()) ? 'error'
      : (await item.locator('.notification-list-item-icon.codicon-warning').count()) ? 'warning' : 'info';
    result.push({ severity, message: (await item.locator('.notification-list-item-message').innerText()).trim() });
  }
  return result;
}
