// The heavy parts of the extension live in their own bundles, required on first use only.
// A computed path keeps esbuild from inlining them into the always-loaded bundle.
import { join } from 'node:path';

export type KubeModule = typeof import('../kube/index');
export type AuthoringModule = typeof import('../authoring');

const loaded = new Map<string, unknown>();

function load<T>(file: string): T {
  if (!loaded.has(file)) loaded.set(file, require(join(__dirname, file)));
  return loaded.get(file) as T;
}

export const loadKube = (): KubeModule => load<KubeModule>('kube.js');
export const loadAuthoring = (): AuthoringModule => load<AuthoringModule>('authoring.js');
