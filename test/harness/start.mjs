// `npm start`: builds the extension, starts code-server on the sample workspace with the extension
// under development, prints the address to open, and stops everything it started on Ctrl+C.
//
// Environment: SWITCHYARD_PORT (default: a free port), SWITCHYARD_KUBECONFIG (a cluster to show).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { repoRoot, resultsDir, workspaceDir } from './paths.mjs';
import { hostEnvironment, prepareExtension } from './session.mjs';
import { workbenchUrl } from './workbench.mjs';

prepareExtension();
mkdirSync(join(resultsDir, 'start'), { recursive: true });
const logFile = join(resultsDir, 'start', 'code-server.log');
const server = await startCodeServer({
  name: 'start',
  workspace: workspaceDir,
  logFile,
  env: hostEnvironment(),
  port: process.env.SWITCHYARD_PORT ? Number(process.env.SWITCHYARD_PORT) : undefined,
});
console.log(`\nSwitchyard in VS Code (code-server), extension from ${repoRoot}:\n\n  ${workbenchUrl(server, { folder: workspaceDir, extensionDevelopmentPath: repoRoot })}\n`);
console.log(`code-server log: ${logFile}\nCtrl+C stops it.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  });
}
const exited = setInterval(() => {
  if (server.hasExited()) {
    console.error(`code-server stopped: ${JSON.stringify(server.hasExited())}; see ${logFile}`);
    clearInterval(exited);
    process.exit(1);
  }
}, 1_000);
