// The packaged extension as users install it: `npm run package`, then the .vsix installed into a
// fresh code-server (`--install-extension`, no development path), and in the workbench the
// installed extension activates and its commands run (New Strategy… scaffolds a Deployment).
//
//   node test/harness/run-package.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { codeServerEntry, extensionId, nodeBin, repoRoot, workDir, workspaceDir } from './paths.mjs';
import { printSummary, resultsFolder } from './session.mjs';
import { ensureInstalled } from './install.mjs';
import { launchBrowser, openWorkbench, readNotifications } from './workbench.mjs';
import { acceptDefaultsUntil, activeEditorLines, runCommand } from '../ui/driver.mjs';

const outDir = resultsFolder('package');
const results = { passed: 0, failed: 0 };
const check = async (name, fn) => {
  try {
    await fn();
    results.passed++;
    console.log(`  ok   ${name}`);
  } catch (error) {
    results.failed++;
    console.log(`  FAIL ${name}\n       ${String(error?.stack ?? error).split('\n').slice(0, 4).join('\n       ')}`);
  }
};

ensureInstalled({ quiet: true });
const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const vsix = join(repoRoot, `${name}-${version}.vsix`);

await check('npm run package produces a .vsix with only the bundles, media, snippets, README, license and changelog', async () => {
  const run = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr || run.stdout);
  const listing = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
  assert.equal(listing.status, 0, listing.stderr);
  const files = listing.stdout.trim().split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  const allowed = /^(dist\/.+\.(js|css)|media\/.+|snippets\/.+|package\.json|readme\.md|README\.md|LICENSE(\.txt)?|changelog\.md|CHANGELOG\.md)$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], `unexpected files in the .vsix: ${unexpected.join(', ')}`);
  for (const needed of ['dist/extension.js', 'dist/kube.js', 'dist/authoring.js', 'package.json']) assert.ok(files.includes(needed), `${needed} is in the .vsix`);
  console.log(`package: ${files.length} files: ${files.join(', ')}`);
});

const server = await startCodeServer({ name: 'package', workspace: workspaceDir, logFile: join(outDir, 'code-server.log'), env: { KUBECONFIG: join(workDir, 'no-cluster', 'kubeconfig') } });
let browser;
try {
  const extensionsDir = join(workDir, 'package', 'extensions');
  await check('the .vsix installs into code-server', async () => {
    execFileSync(nodeBin, [codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: 'pipe' });
    const listed = execFileSync(nodeBin, [codeServerEntry, '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions'], { encoding: 'utf8' });
    assert.match(listed, new RegExp(`^${extensionId}@${version}$`, 'm'));
  });
  browser = await launchBrowser();
  const page = await openWorkbench(browser, `${server.url}/?folder=${encodeURIComponent(workspaceDir)}`, { consoleLogFile: join(outDir, 'browser-console.log') });
  await check('the installed extension activates and New Strategy… scaffolds a Deployment', async () => {
    await runCommand(page, 'Switchyard: New Strategy');
    await acceptDefaultsUntil(page, activeEditorLines(page).filter({ hasText: /kind:\s+Deployment/ }));
    await page.screenshot({ path: join(outDir, 'installed-new-strategy.png') });
    const errors = (await readNotifications(page)).filter((n) => n.severity === 'error');
    assert.deepEqual(errors, []);
  });
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
}
printSummary('package', results, outDir);
process.exit(results.failed ? 1 : 0);
