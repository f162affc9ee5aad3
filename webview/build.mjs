// Bundles the panels' webviews for the browser into dist/webview/: one script per panel and the
// shared stylesheet. Called by scripts/build.mjs (`build({ watch, dev })`).
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: repo,
  entryPoints: { rollout: 'webview/rollout.ts', designer: 'webview/designer.ts', panels: 'webview/panels.css' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  metafile: true,
  logLevel: 'warning',
};

export async function build({ watch = false, dev = false } = {}) {
  const config = { ...options, minify: !dev, sourcemap: dev ? 'inline' : false };
  if (watch) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
    console.log('esbuild: watching webview/');
    return;
  }
  const result = await esbuild.build(config);
  for (const [file, info] of Object.entries(result.metafile.outputs)) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
}
