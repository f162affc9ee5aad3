// One tier's run of the real workbench: install when missing, build the extension, start
// code-server and Chromium on the sample workspace with the extension under development, and on
// the way out keep a screenshot and the logs in test-results/<tier>/ and stop what was started.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { ensureInstalled } from './install.mjs';
import { repoRoot, resultsDir, workDir, workspaceDir } from './paths.mjs';
import { launchBrowser, openWorkbench, workbenchUrl } from './workbench.mjs';

/** Builds the extension as users get it: `node scripts/build.mjs` → dist/. */
export function buildExtension() {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the extension build (node scripts/build.mjs) failed');
}

/** Installs code-server and the browser when missing, then builds the extension. */
export function prepareExtension() {
  ensureInstalled({ quiet: true });
  buildExtension();
}

/** A fresh test-results/<tier>/ folder. */
export function resultsFolder(tier) {
  const dir = join(resultsDir, tier);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The extension host's environment: the caller's variables pass through; KUBECONFIG is
 * SWITCHYARD_KUBECONFIG when given, else a path with no file, so the run has no cluster.
 */
export function hostEnvironment() {
  return { KUBECONFIG: process.env.SWITCHYARD_KUBECONFIG || join(workDir, 'no-cluster', 'kubeconfig') };
}

/**
 * Starts code-server and opens the workbench. Throws (after cleaning up) when either does not start.
 * @param {object} options
 * @param {string} options.tier                  names .work/<tier>/ and test-results/<tier>/
 * @param {string} options.outDir                test-results/<tier>/
 * @param {string} [options.extensionTestsPath]  a test runner to run in the extension host
 * @param {Record<string,string>} [options.env]
 * @param {(line: string) => void} [options.onServerLine]
 */
export async function openSession({ tier, outDir, extensionTestsPath, env = {}, onServerLine }) {
  const server = await startCodeServer({
    name: tier,
    workspace: workspaceDir,
    logFile: join(outDir, 'code-server.log'),
    env: { ...hostEnvironment(), ...env },
    onLine: onServerLine,
  });
  let browser;
  let page;
  async function close({ screenshot = 'workbench.png' } = {}) {
    if (page && screenshot) await page.screenshot({ path: join(outDir, screenshot) }).catch(() => {});
    await browser?.close().catch(() => {});
    await server.stop();
    const logs = join(server.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(outDir, 'vscode-logs'), { recursive: true });
  }
  try {
    browser = await launchBrowser();
    const url = workbenchUrl(server, { folder: workspaceDir, extensionDevelopmentPath: repoRoot, extensionTestsPath });
    page = await openWorkbench(browser, url, { consoleLogFile: join(outDir, 'browser-console.log') });
  } catch (error) {
    await close();
    throw error;
  }
  return { server, page, close };
}

/** The closing lines every tier prints: one for machines, one that test-output readers count. */
export function printSummary(tier, { passed, failed, ...extra }, outDir) {
  if (failed > 0) console.log(`${tier}: results and logs are in ${outDir}`);
  console.log(`SWITCHYARD_RESULTS ${JSON.stringify({ tier, passed, failed, ...extra })}`);
  console.log(`${passed} passed, ${failed} failed${extra.skipped ? `, ${extra.skipped} skipped` : ''}`);
}
