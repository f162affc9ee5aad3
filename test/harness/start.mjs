// Switchyard in a real VS Code for people: builds the extension, starts code-server on the sample
// workspace with this folder linked in as an installed extension (`npm run watch`, then Developer:
// Reload Window, picks up changes), prints the address to open. No smoke-test driver: notification
// toasts show as users see them. `npm start` (scripts/start.mjs) calls this after its set-up and the
// demo cluster; run alone (`node test/harness/start.mjs`) it starts the editor only.
//
// Environment: SWITCHYARD_PORT (default: a free port), SWITCHYARD_KUBECONFIG (a cluster to show).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCodeServer } from './code-server.mjs';
import { repoRoot, resultsDir, workspaceDir } from './paths.mjs';
import { hostEnvironment, prepareExtension } from './session.mjs';
import { workbenchUrl } from './workbench.mjs';

/** Starts the editor with `settings` added to its user settings; resolves to code-server's handle (`stop()`, `hasExited()`) once it answers. */
export async function startEditor(settings = {}) {
  prepareExtension();
  mkdirSync(join(resultsDir, 'start'), { recursive: true });
  const logFile = join(resultsDir, 'start', 'code-server.log');
  const server = await startCodeServer({
    name: 'start',
    workspace: workspaceDir,
    logFile,
    env: hostEnvironment(),
    port: process.env.SWITCHYARD_PORT ? Number(process.env.SWITCHYARD_PORT) : undefined,
    testDriver: false,
    installedExtension: repoRoot,
    userSettings: settings,
  });
  console.log(`\nSwitchyard in VS Code (code-server), extension from ${repoRoot}:\n\n  ${workbenchUrl(server, { folder: workspaceDir })}\n`);
  console.log(`code-server log: ${logFile}`);
  return server;
}

let stopRequest;
/**
 * Resolves with the signal's name on the first SIGINT / SIGTERM / SIGHUP (Ctrl+C, or a signal to
 * this process alone). Call it early: from then on a signal no longer ends the process at once, so
 * whatever was started can be stopped.
 */
export function stopRequested() {
  stopRequest ??= new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => resolve(signal));
  });
  return stopRequest;
}

/** Resolves when the editor should stop: a stop request, or code-server ending by itself (`exited`). */
export function untilStopped(server) {
  return new Promise((resolve) => {
    const watch = setInterval(() => {
      const exited = server.hasExited();
      if (!exited) return;
      clearInterval(watch);
      console.error(`code-server stopped: ${JSON.stringify(exited)}; see ${server.logFile}`);
      resolve({ exited });
    }, 1_000);
    stopRequested().then((signal) => {
      clearInterval(watch);
      resolve({ signal });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  stopRequested();
  const server = await startEditor();
  console.log('Ctrl+C stops it.');
  const { exited } = await untilStopped(server);
  await server.stop();
  process.exit(exited ? 1 : 0);
}
