// Starts and stops code-server (VS Code server + web workbench) for one harness run, with fresh
// user-data and extensions folders under .work/<name>/ and its output in a log file.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { cleanEnvironment } from '../../scripts/environment.mjs';
import { codeServerEntry, nodeBin, workDir } from './paths.mjs';

/** Workbench settings that keep first-run pages, tips and network look-ups out of the way. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} options
 * @param {string} options.name      folder under .work/ (fresh each run)
 * @param {string} options.workspace folder the workbench opens
 * @param {string} options.logFile   where code-server's output goes
 * @param {Record<string,string>} [options.env] added to the environment; it reaches the extension host
 * @param {(line: string) => void} [options.onLine] called with each line code-server prints
 * @param {number} [options.port]    default: a free one
 * @param {number} [options.startTimeoutMs]
 * @param {boolean} [options.testDriver] the smoke-test driver, so the workbench honours the `payload`
 *   URL parameter (tests); it also hides every notification toast, so never for people
 * @param {string} [options.installedExtension] an extension folder linked into the extensions folder,
 *   so the workbench loads it as an installed extension without the test driver (`npm start`)
 * @param {Record<string, unknown>} [options.userSettings] added to the user settings
 */
export async function startCodeServer({ name, workspace, logFile, env = {}, onLine = () => {}, port, startTimeoutMs = 60_000, testDriver = true, installedExtension, userSettings = {} }) {
  const root = join(workDir, name);
  rmSync(root, { recursive: true, force: true });
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...userSettings }, null, 2));
  // A config file of our own, so code-server neither reads nor writes ~/.config/code-server.
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  if (installedExtension) {
    const manifest = JSON.parse(readFileSync(join(installedExtension, 'package.json'), 'utf8'));
    symlinkSync(installedExtension, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  }

  if (!existsSync(codeServerEntry)) throw new Error('code-server is not installed: run node test/harness/install.mjs');
  port ??= await freePort();
  const log = createWriteStream(logFile);
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // The built workbench honours the `payload` URL parameter (extensionDevelopmentPath,
    // extensionTestsPath) only with the smoke-test driver enabled.
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  // Its own process group, so stop() ends code-server and every process it started, and only those.
  const child = spawn(nodeBin, args, { env: cleanEnvironment(process.env, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    createInterface({ input: stream }).on('line', onLine);
  }
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  child.on('error', (error) => { exited = { code: -1, signal: null, error }; });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited while starting (${JSON.stringify(exited)}); see ${logFile}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${startTimeoutMs / 1000} s; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  async function stop() {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killed = await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 5_000, false))]);
      if (killed === false) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    log.end();
  }

  return { url, port, userDataDir, extensionsDir, logFile, stop, hasExited: () => exited };
}
