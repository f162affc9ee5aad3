// A kubeconfig whose one context points at a closed local port: for tests of what happens when the
// server cannot be reached (nothing listens there, so every request fails at once).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const UNREACHABLE_SERVER = 'https://127.0.0.1:1';

/** Writes the kubeconfig into a fresh temporary folder and returns its path. */
export function unreachableKubeconfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sy-unreachable-')), 'kubeconfig');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "${UNREACHABLE_SERVER}"}}]
contexts: [{name: gone, context: {cluster: gone, user: me}}]
current-context: gone
users: [{name: me, user: {token: x}}]
`);
  return file;
}
