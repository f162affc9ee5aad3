// Runs the extension-host suite (test/host) in a real VS Code: code-server and its extension host,
// driven by headless Chromium. Exits non-zero when a test fails, when the suite never reports
// (time-out), or when code-server or the browser do not start.
//
//   node test/harness/run-host.mjs
//
// Environment:
//   SWITCHYARD_HOST_TIMEOUT   seconds to wait for the suite's results (default 1800: a guard against a hung host, not a speed limit)
//   SWITCHYARD_HOST_GREP      run only the tests whose full title matches (mocha grep)
//   SWITCHYARD_KUBECONFIG     a cluster's kubeconfig; without it the suite runs with no cluster.
//                             Every variable of this process reaches the extension host.
//
// Output in test-results/host/: results.json, notifications.json, code-server.log,
// browser-console.log, vscode-logs/ (extension host and server logs) and workbench.png.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHostSuite, printHostResults } from './host-suite.mjs';
import { openSession, prepareExtension, printSummary, resultsFolder } from './session.mjs';
import { readNotifications } from './workbench.mjs';

const timeoutMs = Number(process.env.SWITCHYARD_HOST_TIMEOUT ?? 1800) * 1000;

/** Waits for the file the suite writes when it ends; fails fast when the host or browser goes. */
async function waitForResults(resultsFile, session, hostExited) {
  const deadline = Date.now() + timeoutMs;
  let pageClosed = false;
  session.page.on('close', () => { pageClosed = true; });
  while (!existsSync(resultsFile)) {
    if (session.server.hasExited()) throw new Error('code-server exited before the suite reported');
    if (pageClosed) throw new Error('the workbench page closed before the suite reported');
    // The host ends right after the suite; give the results file a moment to land.
    if (hostExited() && Date.now() - hostExited() > 2_000) {
      throw new Error('the extension host ended before the suite reported (see browser-console.log and vscode-logs/)');
    }
    if (Date.now() > deadline) throw new Error(`the suite did not report within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

async function main() {
  const started = Date.now();
  const outDir = resultsFolder('host');
  const resultsFile = join(outDir, 'results.json');
  let results;
  const harnessFailures = [];
  try {
    prepareExtension();
    const suite = await bundleHostSuite();
    let hostExitedAt;
    const session = await openSession({
      tier: 'host',
      outDir,
      extensionTestsPath: suite,
      env: { SWITCHYARD_HOST_RESULTS: resultsFile },
      onServerLine: (line) => {
        if (/Extension Host Process exited/.test(line)) hostExitedAt ??= Date.now();
      },
    });
    try {
      results = await waitForResults(resultsFile, session, () => hostExitedAt);
      // The host cannot see notifications; the workbench can. Any error notification fails the run.
      const notifications = await readNotifications(session.page);
      writeFileSync(join(outDir, 'notifications.json'), JSON.stringify(notifications, null, 2));
      for (const n of notifications.filter((n) => n.severity === 'error')) harnessFailures.push(`error notification: ${n.message}`);
    } finally {
      await session.close();
    }
  } catch (error) {
    harnessFailures.push(error.message);
  }

  if (results) printHostResults('host', results);
  for (const failure of harnessFailures) console.log(`  FAIL ${failure}`);
  console.log(`host: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const passed = results?.passed ?? 0;
  const failed = (results?.failed ?? 0) + harnessFailures.length;
  printSummary('host', { passed, failed, skipped: results?.pending ?? 0, activateMs: results?.metrics?.activateMs }, outDir);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
