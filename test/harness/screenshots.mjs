// The panels' visual check: drives both panels in code-server as a person would (command palette,
// pickers, clicks and keys in the webviews, the tree's confirmation dialog) and takes screenshots
// into test-results/panels-shots/, one session per theme (set before the workbench opens).
//
//   SWITCHYARD_KUBECONFIG=.work/cluster/kubeconfig node test/harness/screenshots.mjs "Dark Modern" promote
//   node test/harness/screenshots.mjs "Light Modern" | "Default High Contrast" [nobuild]
//
// With `promote`, it presses Promote (by keyboard) on the demo's paused Argo canary `checkout`
// (cluster/demo.sh) and waits for the current step to move: the demo is changed, `demo.sh --reset`
// restores it. Inserts go into untitled documents only, never into workspace files.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const repo = fileURLToPath(new URL('../..', import.meta.url));
const { startCodeServer } = await import(join(repo, 'test/harness/code-server.mjs'));
const { launchBrowser, openWorkbench, workbenchUrl } = await import(join(repo, 'test/harness/workbench.mjs'));
const { hostEnvironment, prepareExtension } = await import(join(repo, 'test/harness/session.mjs'));
const { workspaceDir, resultsDir } = await import(join(repo, 'test/harness/paths.mjs'));
const { runCommand, quickInput } = await import(join(repo, 'test/ui/driver.mjs'));
const themeName = process.argv[2] ?? 'Dark Modern';
const promote = process.argv.includes('promote');
const tag = { 'Dark Modern': 'dark', 'Light Modern': 'light', 'Default High Contrast': 'hc', 'Default High Contrast Light': 'hclight' }[themeName];
const outDir = join(resultsDir, 'panels-shots');
mkdirSync(outDir, { recursive: true });
if (!process.argv.includes('nobuild')) prepareExtension();
const log = (...a) => console.log('[shots]', ...a);

const server = await startCodeServer({ name: `panels-shots-${tag}`, workspace: workspaceDir, logFile: join(outDir, `code-server-${tag}.log`), env: hostEnvironment() });
const settingsFile = join(server.userDataDir, 'User', 'settings.json');
writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), 'workbench.colorTheme': themeName }, null, 2));
const browser = await launchBrowser();
const page = await openWorkbench(browser, workbenchUrl(server, { folder: workspaceDir, extensionDevelopmentPath: repo }), { consoleLogFile: join(outDir, `browser-console-${tag}.log`) });
await page.setViewportSize({ width: 1440, height: 1000 });
const shot = (name) => page.screenshot({ path: join(outDir, `${name}-${tag}.png`) });

async function frameWith(selector, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.locator(selector).count()) return f;
      } catch {}
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame with ${selector}`);
}
async function pick(text) {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await widget.locator('.monaco-list-row.focused', { hasText: text }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
}
async function hidePanel() {
  if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
  await page.waitForTimeout(300);
}

try {
  await page.waitForTimeout(5000);
  await runCommand(page, 'View: Show Switchyard');
  await runCommand(page, 'Switchyard: Open Rollout Details');
  await pick('checkout');
  let frame = await frameWith('#root.rollout .head');
  log('rollout panel rendered');
  await frame.locator('.steps').waitFor();
  await page.waitForTimeout(1500);
  await shot('rollout');

  if (promote) {
    await frame.locator('h1').click();
    const focus = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      focus.push(await frame.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}${a.getAttribute('data-key') ? `[${a.getAttribute('data-key')}]` : ''}` : 'none'; }));
    }
    log('tab order:', focus.join(' → '));
    // Promote by keyboard: focus the button, press Enter; accept the tree's confirmation.
    const before = await frame.locator('.step-current .step-index').innerText();
    await frame.locator('vscode-button[data-action="promote"]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    log('dialog:', (await dialog.innerText()).split('\n').slice(0, 3).join(' | '));
    await shot('rollout-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Apply' }).click();
    const deadline = Date.now() + 60_000;
    let now = before;
    while (Date.now() < deadline) {
      frame = await frameWith('#root.rollout .head');
      now = (await frame.locator('.step-current .step-index').count()) ? await frame.locator('.step-current .step-index').innerText() : 'done';
      if (now !== before) break;
      await page.waitForTimeout(300);
    }
    log(`current step before promote: ${before}, after: ${now}`);
    log('activity:', await frame.locator('.activity').innerText());
    await page.waitForTimeout(4000);
    await hidePanel();
    await shot('rollout-promoted');
  }

  for (const [name, selector] of [['app-prod', '.envs'], ['web', 'svg.chart'], ['payments', '.envs'], ['api', '.traffic']]) {
    await runCommand(page, 'Switchyard: Open Rollout Details');
    await pick(name);
    await frameWith(`#root.rollout ${selector}`);
    await page.waitForTimeout(1200);
    await hidePanel();
    await shot(`rollout-${name}`);
  }

  await hidePanel();
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Switchyard: Open Strategy Designer');
  frame = await frameWith('#root.designer .design-form');
  log('designer rendered');
  await frame.locator('#f-strategy').click();
  await page.waitForTimeout(300);
  await frame.locator('#f-strategy li[role=option]', { hasText: 'Argo Rollouts canary' }).click();
  await frame.locator('[data-field="argoCanary.weights"]').waitFor();
  const app = frame.locator('vscode-textfield[data-field="app.app"] input');
  await app.fill('shop');
  await frame.locator('pre.yaml', { hasText: 'name: shop' }).waitFor();
  await frame.locator('vscode-textfield[data-field="app.replicas"] input').fill('10');
  await frame.locator('vscode-textfield[data-field="argoCanary.weights"] input').fill('10, 25, 50');
  await frame.locator('.plan', { hasText: 'setWeight 10' }).waitFor();
  await page.waitForTimeout(800);
  await shot('designer-canary');
  await app.fill('Shop!');
  await frame.locator('.field-error', { hasText: 'lowercase' }).waitFor();
  await shot('designer-error');
  await app.fill('shop');
  await frame.locator('#f-strategy').click();
  await page.waitForTimeout(300);
  await frame.locator('#f-strategy li[role=option]', { hasText: 'Rolling update' }).click();
  await frame.locator('vscode-textfield[data-field="app.replicas"] input').fill('10');
  await frame.locator('vscode-textfield[data-field="rolling.maxUnavailable"] input').fill('1');
  await frame.locator('svg.chart').waitFor();
  await page.waitForTimeout(800);
  await shot('designer-rolling');
  await frame.locator('#f-strategy').click();
  await page.waitForTimeout(300);
  await frame.locator('#f-strategy li[role=option]', { hasText: 'Blue/green (plain Kubernetes)' }).click();
  await frame.locator('.section-cost', { hasText: 'Two full environments' }).waitFor();
  await page.waitForTimeout(500);
  await shot('designer-bluegreen');

  // Insert: first into a new document (no YAML editor yet), then at its cursor. Never into a
  // workspace file (code-server may save it).
  await frame.locator('vscode-button[data-run="insert"]:not([disabled])').waitFor();
  log('insert target:', await frame.locator('.actions .muted').innerText());
  await frame.locator('vscode-button[data-run="insert"]').click();
  await frame.locator('.activity-done').waitFor({ timeout: 20_000 });
  log('insert:', await frame.locator('.activity').innerText());
  frame = await frameWith('#root.designer .design-form');
  await frame.locator('.actions .muted', { hasText: 'Untitled' }).waitFor({ timeout: 20_000 });
  log('insert target:', await frame.locator('.actions .muted').innerText());
  await frame.locator('vscode-button[data-run="insert"]').click();
  await frame.locator('.activity-done', { hasText: 'Inserted at line' }).waitFor({ timeout: 20_000 });
  log('insert:', await frame.locator('.activity').innerText());
  await page.waitForTimeout(800);
  await shot('designer-inserted');
  await runCommand(page, 'View: Revert and Close Editor').catch(() => {});
} catch (e) {
  log('FAILED', e.stack);
  await shot('failed').catch(() => {});
} finally {
  await browser.close();
  await server.stop();
}
const consoleLog = readFileSync(join(outDir, `browser-console-${tag}.log`), 'utf8');
log('CSP lines:', consoleLog.split('\n').filter((l) => /Content Security|Refused|CSP/i.test(l)).slice(0, 10));
log('webview errors:', consoleLog.split('\n').filter((l) => /pageerror|switchyard/i.test(l)).slice(0, 10));
