// The set-up that `npm test` and `npm start` do before anything else, so that the README's two
// commands work on a fresh machine: each step checks in milliseconds whether it is done, and only
// runs what is missing. A running step logs to .work/setup/<step>.log and shows its progress lines
// (and a heartbeat when it is quiet); a failing one prints its log's tail and how to rerun it.
//
//   node scripts/setup.mjs                 every step
//   node scripts/setup.mjs npm vscode      some of them (npm, vscode, cluster)
//
// Only Node's own modules may be imported here: on a fresh clone nothing else is installed yet.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cleanEnvironment } from './environment.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const logDir = join(repoRoot, '.work', 'setup');
const HEARTBEAT_MS = 15_000;

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why `npm ci` must run, or undefined when node_modules matches package-lock.json. */
function npmDependenciesMissing() {
  // npm writes node_modules/.package-lock.json at the end of every install.
  const installed = mtime(join(repoRoot, 'node_modules', '.package-lock.json'));
  if (installed === undefined) return 'node_modules is missing';
  if (installed < mtime(join(repoRoot, 'package-lock.json'))) return 'package-lock.json is newer than node_modules';
  return undefined;
}

async function realVscodeMissing() {
  const { missingParts } = await import(pathToFileURL(join(repoRoot, 'test', 'harness', 'install.mjs')).href);
  const missing = missingParts();
  return missing.length ? `missing: ${missing.join(', ')}` : undefined;
}

function controlPlaneMissing() {
  const check = spawnSync('bash', ['cluster/build.sh', '--check', 'all'], { cwd: repoRoot, encoding: 'utf8', env: cleanEnvironment() });
  if (check.status === 0) return undefined;
  // "not built yet: …" on stdout, or why it cannot tell (no Go) in build.sh's log format on stderr.
  return check.stdout.trim() || check.stderr.trim().replace(/^\[\d\d:\d\d:\d\d\] (ERROR: )?/gm, '') || 'cluster/build.sh --check failed';
}

/**
 * The steps, in the order they run. `progress` picks the lines of a step's output worth showing
 * as they come; everything goes to the step's log.
 */
export const steps = {
  npm: {
    title: 'npm dependencies',
    missing: npmDependenciesMissing,
    command: ['npm', ['ci', '--no-audit', '--no-fund']],
    progress: /^(added|removed|changed) \d+ packages|^npm error/,
  },
  vscode: {
    title: 'real VS Code (code-server, its Node 24, Chromium, Debian headers)',
    missing: realVscodeMissing,
    command: [process.execPath, ['test/harness/install.mjs']],
    progress: /^install: /,
  },
  cluster: {
    title: 'local control plane (etcd, Kubernetes, kwok, Argo Rollouts from Go modules)',
    missing: controlPlaneMissing,
    command: ['bash', ['cluster/build.sh', 'all']],
    progress: /^\[\d\d:\d\d:\d\d\] /,
  },
};

export function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function runLogged(name, step, log) {
  const [command, args] = step.command;
  const started = Date.now();
  return new Promise((resolvePromise) => {
    // Its own process group, so a stop ends the step and everything it started (go build's
    // compilers, npm's install scripts), and only those.
    const child = spawn(command, args, { cwd: repoRoot, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let interrupted;
    const interrupt = (signal) => {
      interrupted = signal;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.once(signal, interrupt);
    let lastLine = '';
    let lastShown = Date.now();
    const tail = [];
    const onLine = (line) => {
      log.write(`${line}\n`);
      const text = line.trim();
      if (!text) return;
      lastLine = text;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (step.progress.test(text)) {
        console.log(`  ${text}`);
        lastShown = Date.now();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.search(/\r?\n|\r/)) >= 0) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
        }
      });
      stream.on('end', () => buffer && onLine(buffer));
    }
    // A quiet step still says it is alive, and what it last printed.
    const heartbeat = setInterval(() => {
      if (Date.now() - lastShown < HEARTBEAT_MS) return;
      lastShown = Date.now();
      console.log(`  … ${name}: ${formatDuration(Date.now() - started)}${lastLine ? `, last output: ${lastLine.slice(0, 110)}` : ''}`);
    }, 1_000);
    child.on('error', (error) => {
      tail.push(`${command}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      for (const name of signals) process.off(name, interrupt);
      resolvePromise({ code: code ?? -1, signal, tail, interrupted });
    });
  });
}

/**
 * Runs one step if it is not done. Resolves to { name, ok, ms, ran, log? }; prints what it did.
 * A step that fails is reported with its log's tail and the command that reruns it alone.
 */
export async function runStep(name) {
  const step = steps[name];
  if (!step) throw new Error(`unknown set-up step ${name} (steps: ${Object.keys(steps).join(', ')})`);
  const started = Date.now();
  const reason = await step.missing();
  if (!reason) {
    console.log(`setup: ${step.title}: ready (${formatDuration(Date.now() - started)})`);
    return { name, ok: true, ran: false, ms: Date.now() - started };
  }
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const rerun = `${step.command[0] === process.execPath ? 'node' : step.command[0]} ${step.command[1].join(' ')}`;
  console.log(`setup: ${step.title}: ${reason}; running ${rerun} (log: ${relative(repoRoot, logFile)})`);
  const log = createWriteStream(logFile);
  const { code, signal, tail, interrupted } = await runLogged(name, step, log);
  await new Promise((done) => log.end(done));
  const ms = Date.now() - started;
  if (interrupted) {
    console.log(`setup: ${step.title}: stopped (${interrupted}) after ${formatDuration(ms)}; the next run goes on from what is done`);
    return { name, ok: false, ran: true, ms, log: logFile, interrupted, error: `stopped by ${interrupted}` };
  }
  const still = code === 0 ? await step.missing() : undefined;
  if (code === 0 && !still) {
    console.log(`setup: ${step.title}: done in ${formatDuration(ms)}`);
    return { name, ok: true, ran: true, ms, log: logFile };
  }
  const why = code !== 0 ? `${rerun} ${signal ? `was stopped by ${signal}` : `exited with ${code}`}` : `${rerun} finished, but ${still}`;
  console.log(`\nsetup: ${step.title} FAILED after ${formatDuration(ms)}: ${why}`);
  console.log(`--- last lines of ${logFile}`);
  for (const line of tail.slice(-25)) console.log(`  ${line}`);
  console.log(`--- rerun this step alone: ${rerun}   (or: node scripts/setup.mjs ${name})\n`);
  return { name, ok: false, ran: true, ms, log: logFile, error: why };
}

/**
 * Runs the named steps in order. When the npm dependencies cannot be installed nothing else can
 * run, and after a stop (SIGINT / SIGTERM / SIGHUP while a step ran) nothing else should: the
 * other steps are not tried. Resolves to one result per named step; `interrupted` on a stopped one.
 */
export async function ensureSetup(names = Object.keys(steps)) {
  const ordered = Object.keys(steps).filter((name) => names.includes(name));
  const results = [];
  for (const name of ordered) {
    const blocker = results.find((r) => r.interrupted || (r.name === 'npm' && !r.ok));
    if (blocker) {
      results.push({ name, ok: false, ran: false, ms: 0, error: `not tried: ${blocker.interrupted ? 'set-up was stopped' : 'the npm dependencies are missing'}` });
      continue;
    }
    results.push(await runStep(name));
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = process.argv.slice(2);
  const results = await ensureSetup(names.length ? names : undefined);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
