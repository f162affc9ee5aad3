// Where the harness keeps things: pinned versions, the install cache outside the repo, and the
// git-ignored work and results folders inside it. Every other harness script takes its paths from here.
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned together: code-server 4.139.1 is VS Code 1.139.1 and requires Node 24. */
export const versions = Object.freeze({
  codeServer: '4.139.1',
  node: '24.21.0',
  playwrightCore: '1.65.1',
});

/** Debian packages: the browser, and the headers code-server's native modules build against. */
export const debianPackages = ['chromium', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

export const chromiumPath = '/usr/bin/chromium';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const cacheRoot = process.env.SWITCHYARD_CACHE || join(homedir(), '.cache', 'switchyard');

/** One folder per code-server version; its stamp records the exact versions inside it. */
export const cacheDir = join(cacheRoot, `code-server-${versions.codeServer}`);
export const stampFile = join(cacheDir, 'installed.json');
export const nodeDir = join(cacheDir, 'node');
export const nodeBin = join(nodeDir, 'bin', 'node');
export const codeServerEntry = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const playwrightCoreDir = join(cacheDir, 'node_modules', 'playwright-core');

/** Git-ignored scratch space for each run (user data, extensions, bundles) and kept results. */
export const workDir = join(repoRoot, '.work');
export const resultsDir = join(repoRoot, 'test-results');

export const workspaceDir = join(repoRoot, 'test', 'workspace');
export const extensionId = 'switchyard.switchyard';
