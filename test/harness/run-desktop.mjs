// Runs the same extension-host suite (test/host) in desktop VS Code with @vscode/test-electron,
// for machines that have one or can download one (these build machines cannot: use run-host.mjs).
//
//   npm run test:desktop                      downloads the stable VS Code once into .work/vscode-test/
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code npm run test:desktop     uses an installed one
//   SWITCHYARD_VSCODE_VERSION=1.90.0 npm run test:desktop                the lowest supported
//
// On Linux without a display, run it under Xvfb: `xvfb-run -a npm run test:desktop`.
// Same output and closing lines as run-host.mjs, with tier "desktop", results in test-results/desktop/.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundleHostSuite, printHostResults } from './host-suite.mjs';
import { repoRoot, workDir, workspaceDir } from './paths.mjs';
import { buildExtension, hostEnvironment, printSummary, resultsFolder } from './session.mjs';

function loadTestElectron() {
  try {
    return createRequire(join(repoRoot, 'package.json'))('@vscode/test-electron');
  } catch {
    throw new Error('@vscode/test-electron is not installed: add it to devDependencies and run npm install');
  }
}

/** A new, empty folder under .work/desktop/, like the code-server tiers' fresh user data. */
function freshDir(name) {
  const dir = join(workDir, 'desktop', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function main() {
  const outDir = resultsFolder('desktop');
  const resultsFile = join(outDir, 'results.json');
  let results;
  const harnessFailures = [];
  try {
    const { runTests } = loadTestElectron();
    buildExtension();
    const suite = await bundleHostSuite();
    const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
    if (vscodeExecutablePath && !existsSync(vscodeExecutablePath)) throw new Error(`VSCODE_EXECUTABLE_PATH ${vscodeExecutablePath} does not exist`);
    try {
      await runTests({
        ...(vscodeExecutablePath
          ? { vscodeExecutablePath }
          : { version: process.env.SWITCHYARD_VSCODE_VERSION ?? 'stable', cachePath: join(workDir, 'vscode-test') }),
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suite,
        extensionTestsEnv: { ...hostEnvironment(), SWITCHYARD_HOST_RESULTS: resultsFile },
        launchArgs: [
          workspaceDir,
          '--user-data-dir', freshDir('user-data'),
          '--extensions-dir', freshDir('extensions'),
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
        ],
      });
    } catch (error) {
      // A failing suite makes runTests reject too; only a run that never reported is a VS Code problem.
      if (!existsSync(resultsFile)) {
        throw new Error(`no desktop VS Code ran the suite (${error.message ?? error}). Set VSCODE_EXECUTABLE_PATH to an installed VS Code, or run where @vscode/test-electron can download one; on this kind of machine use npm run test:host`);
      }
    }
    if (!existsSync(resultsFile)) throw new Error('VS Code exited without the suite reporting');
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch (error) {
    harnessFailures.push(error.message);
  }
  if (results) printHostResults('desktop', results);
  for (const failure of harnessFailures) console.log(`  FAIL ${failure}`);
  const passed = results?.passed ?? 0;
  const failed = (results?.failed ?? 0) + harnessFailures.length;
  printSummary('desktop', { passed, failed, skipped: results?.pending ?? 0, activateMs: results?.metrics?.activateMs }, outDir);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
