// Runs the extension-host suite (test/host) in a real VS Code: code-server + its extension host,
// driven by headless Chromium. Exits non-zero when a test fails, when the suite never reports
// (time-out), or when code-server or the browser do not start.
//
//   node test/harness/run-host.mjs
//
// Environment:
//   SWITCHYARD_HOST_TIMEOUT   seconds to wait for the suite's results (default 300)
//   SWITCHYARD_HOST_GREP      run only tests whose full title matches (mocha grep)
//   SWITCHYARD_KUBECONFIG     a cluster's kubeconfig; without it KUBECONFIG points at nothing, so the
//                             suite runs as a user without a cluster. Every variable reaches the host.
//
// Output in test-results/host/: results.json, code-server.log, browser-console.log, the host's
// logs (vscode-logs/) and workbench.png.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHostSuite } from './bundle-host.mjs';
import { startCodeServer } from './code-server.mjs';
import { ensureInstalled } from './install.mjs';
import { repoRoot, resultsDir, workDir, workspaceDir } from './paths.mjs';
import { launchBrowser, openWorkbench, readNotifications, workbenchUrl } from './workbench.mjs';

const timeoutMs = Number(process.env.SWITCHYARD_HOST_TIMEOUT ?? 300) * 1000;
const outDir = join(resultsDir, 'host');
const resultsFile = join(outDir, 'results.json');

/** Builds the extension the way a user's install gets it: `node scripts/build.mjs` → dist/. */
export function buildExtension() {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the extension build (node scripts/build.mjs) failed');
}

/** The environment of the extension host: a kubeconfig or, by default, none at all. */
function hostEnv() {
  const kubeconfig = process.env.SWITCHYARD_KUBECONFIG || join(workDir, 'host-no-cluster', 'kubeconfig-that-does-not-exist');
  return { KUBECONFIG: kubeconfig, SWITCHYARD_HOST_RESULTS: resultsFile };
}

/** Set when code-server reports that the extension host process ended (it does after the suite). */
let extensionHostExitedAt;

async function waitForResults(server, page) {
  const deadline = Date.now() + timeoutMs;
  let pageClosed = false;
  page.on('close', () => { pageClosed = true; });
  while (!existsSync(resultsFile)) {
    if (server.hasExited()) throw new Error('code-server exited before the suite reported');
    if (pageClosed) throw new Error('the workbench page closed before the suite reported');
    // Grace for the results file, written just before the host ends.
    if (extensionHostExitedAt && Date.now() - extensionHostExitedAt > 2_000) {
      throw new Error('the extension host ended before the suite reported (see browser-console.log and vscode-logs/)');
    }
    if (Date.now() > deadline) throw new Error(`the suite did not report within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

function printResults(results, extraFailures) {
  for (const t of results.tests) {
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip' }[t.state];
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '       '));
  }
  for (const failure of extraFailures) console.log(`  FAIL ${failure}`);
  console.log(`host: VS Code ${results.vscodeVersion}, extension host on Node ${results.nodeVersion}`);
  if (results.metrics?.activateMs !== undefined) console.log(`host: activate() took ${results.metrics.activateMs} ms`);
}

async function main() {
  const started = Date.now();
  ensureInstalled({ quiet: true });
  buildExtension();
  const suite = await bundleHostSuite();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  let server;
  let browser;
  let page;
  let results;
  const extraFailures = [];
  try {
    server = await startCodeServer({
      name: 'host',
      workspace: workspaceDir,
      logFile: join(outDir, 'code-server.log'),
      env: hostEnv(),
      onLine: (line) => {
        if (/Extension Host Process exited/.test(line)) extensionHostExitedAt ??= Date.now();
      },
    });
    browser = await launchBrowser();
    const url = workbenchUrl(server, { folder: workspaceDir, extensionDevelopmentPath: repoRoot, extensionTestsPath: suite });
    page = await openWorkbench(browser, url, { consoleLogFile: join(outDir, 'browser-console.log') });
    results = await waitForResults(server, page);
    // The host cannot see notifications; the workbench can. An error from Switchyard is a failure.
    const notifications = await readNotifications(page).catch((error) => {
      extraFailures.push(`reading the workbench notifications: ${error.message}`);
      return [];
    });
    writeFileSync(join(outDir, 'notifications.json'), JSON.stringify(notifications, null, 2));
    for (const n of notifications) {
      if (n.severity === 'error' && /switchyard/i.test(`${n.source} ${n.message}`)) extraFailures.push(`error notification: ${n.message} (${n.source})`);
    }
  } catch (error) {
    extraFailures.push(error.message);
  } finally {
    if (page) await page.screenshot({ path: join(outDir, 'workbench.png') }).catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    if (server && existsSync(join(server.userDataDir, 'logs'))) cpSync(join(server.userDataDir, 'logs'), join(outDir, 'vscode-logs'), { recursive: true });
  }

  const passed = results?.passed ?? 0;
  const failed = (results?.failed ?? 0) + extraFailures.length;
  if (results) printResults(results, extraFailures);
  else for (const failure of extraFailures) console.log(`  FAIL ${failure}`);
  if (failed > 0) console.log(`host: logs and a screenshot are in ${outDir}`);
  console.log(`host: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`SWITCHYARD_RESULTS ${JSON.stringify({ tier: 'host', passed, failed, activateMs: results?.metrics?.activateMs })}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
