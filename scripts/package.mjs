// `npm run package`: a .vsix with only the bundles, media, snippets, README, license and changelog.
// Checks that the bundles load without node_modules (everything they need is inside them).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

// The lazily loaded bundles, alone in an empty folder: no require may reach for node_modules.
const alone = mkdtempSync(join(tmpdir(), 'switchyard-dist-'));
cpSync('dist', alone, { recursive: true });
execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(alone, 'kube.js'))}); require(${JSON.stringify(join(alone, 'authoring.js'))})`], { stdio: 'inherit', cwd: alone });

const out = `${name}-${version}.vsix`;
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out], { stdio: 'inherit' });
console.log(`packaged ${out}`);
