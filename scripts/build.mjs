// Bundles the extension (and later the webviews) with esbuild.
// `--watch` rebuilds on change; `--dev` keeps the bundle unminified with source maps.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  entryPoints: { extension: 'src/extension.ts', authoring: 'src/authoring.ts', cluster: 'src/cluster/index.ts' },
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

if (watch) {
  const ctx = await esbuild.context(extension);
  await ctx.watch();
  console.log('esbuild: watching src/');
} else {
  const result = await esbuild.build(extension);
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KB`);
  }
}
