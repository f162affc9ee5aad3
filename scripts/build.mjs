// Bundles the extension (and later the webviews) with esbuild.
// `--watch` rebuilds on change; `--dev` keeps the bundle unminified with source maps.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  entryPoints: { extension: 'src/extension.ts', authoring: 'src/authoring.ts', kube: 'src/kube/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  metafile: true,
  logLevel: 'warning',
};

// The webview UIs build themselves (webview/build.mjs) for the browser, next to the extension.
const webviews = existsSync('webview/build.mjs') ? await import('../webview/build.mjs') : undefined;

if (watch) {
  await webviews?.build({ watch: true, dev });
  const ctx = await esbuild.context(extension);
  await ctx.watch();
  console.log('esbuild: watching src/');
} else {
  await webviews?.build({ watch: false, dev });
  const result = await esbuild.build(extension);
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
  }
}
