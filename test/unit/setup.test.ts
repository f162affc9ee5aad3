// The set-up that `npm test` and `npm start` do on a fresh machine: the environment nested processes
// get (nothing of a parent npm may leak: code-server's postinstall read Node 20 from the parent npm's
// user agent and refused to install), and the control plane's "is it built?" check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

/** What `npm test` puts into the environment of its script (npm 11 on Node 20, as seen on these machines). */
const parentNpm: Record<string, string> = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_nodedir: '/usr',
  npm_config_prefix: '/usr',
  npm_config_global_prefix: '/usr',
  npm_config_local_prefix: repo,
  npm_config_cache: '/root/.npm',
  npm_config_npm_version: '11.19.1',
  npm_package_json: join(repo, 'package.json'),
  npm_package_name: 'switchyard',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test-all.mjs',
  npm_command: 'test',
  NPM_CONFIG_LOGLEVEL: 'warn',
  NODE: '/usr/bin/node',
  INIT_CWD: repo,
  COLOR: '0',
  PATH: [
    join(repo, 'node_modules', '.bin'),
    join(repo, '..', 'node_modules', '.bin'),
    '/node_modules/.bin',
    '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
    '/usr/local/go/bin',
    '/usr/bin',
    '/bin',
  ].join(':'),
};
const userShell = { HOME: '/home/dev', SWITCHYARD_CACHE: '/tmp/cache', LANG: 'C.UTF-8', KUBECONFIG: '/home/dev/.kube/config' };

/** Runs the harness's real ESM module in a child Node (as the scripts do) and returns what it built. */
function harness(expression: string, env: Record<string, string>): { result: Record<string, string>; nodeDir: string } {
  const program = `
    const { installEnvironment } = await import(${JSON.stringify(join(repo, 'test', 'harness', 'install.mjs'))});
    const { cleanEnvironment } = await import(${JSON.stringify(join(repo, 'scripts', 'environment.mjs'))});
    const { nodeDir } = await import(${JSON.stringify(join(repo, 'test', 'harness', 'paths.mjs'))});
    const input = JSON.parse(process.argv[1]);
    console.log(JSON.stringify({ result: ${expression}, nodeDir }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program, JSON.stringify(env)], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('the code-server install gets nothing of a parent npm, and Node 24 first', () => {
  const { result, nodeDir } = harness('installEnvironment(input)', { ...parentNpm, ...userShell });
  const ours: Record<string, string> = {
    npm_config_nodedir: nodeDir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  for (const [key, value] of Object.entries(parentNpm)) {
    if (key === 'PATH') continue;
    if (key in ours) assert.equal(result[key], ours[key], `${key} is the install's own, not the parent's ${value}`);
    else assert.equal(result[key], undefined, `${key}=${value} leaked from the parent npm`);
  }
  assert.ok(Object.keys(result).filter((key) => /^npm_/i.test(key)).every((key) => key in ours), 'no other npm_* variable');
  assert.ok(!/node\/v20/.test(JSON.stringify(result)), 'no trace of the parent npm\'s Node 20');
  const path = result.PATH.split(':');
  assert.equal(path[0], join(nodeDir, 'bin'), 'Node 24 comes first on PATH');
  assert.deepEqual(path.slice(1), ['/usr/local/go/bin', '/usr/bin', '/bin'], 'npm\'s node_modules/.bin and node-gyp shim are gone, the rest kept in order');
  for (const [key, value] of Object.entries(userShell)) assert.equal(result[key], value, `the user's ${key} passes through`);
});

test('every nested process gets the caller\'s environment without npm\'s', () => {
  const { result } = harness('cleanEnvironment(input, { EXTRA: "1" })', { ...parentNpm, ...userShell });
  assert.deepEqual(result, { ...userShell, PATH: '/usr/local/go/bin:/usr/bin:/bin', EXTRA: '1' });
});

test('the control plane check names what a fresh cache lacks, and builds nothing', () => {
  const cache = mkdtempSync(join(tmpdir(), 'switchyard-empty-cache-'));
  try {
    const check = spawnSync('bash', [join(repo, 'cluster', 'build.sh'), '--check', 'all'], { encoding: 'utf8', env: { ...process.env, SWITCHYARD_CACHE: cache } });
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /^not built yet: etcd-v[\d.]+ kwok-v[\d.]+ argo-rollouts-v[\d.]+ kubernetes-v[\d.]+ prometheus-v[\d.]+ traffic-[0-9a-f]{12} flagger-v[\d.]+ source-controller-v[\d.]+ kustomize-controller-v[\d.]+ gitserver-[0-9a-f]{12}$/m);
    const listed = spawnSync('find', [cache, '-type', 'f'], { encoding: 'utf8' });
    assert.equal(listed.stdout.trim(), '', 'a check writes no file (no lock, no log, no wrapper)');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
