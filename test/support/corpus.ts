// The corpus of real manifests from public projects (test/fixtures/corpus, see its SOURCES.md),
// linted the way the editor lints a file: with its folder's pods and the build-tool files of its
// folder and the folders above it, up to the project's root (src/features/authoring/lintContext.ts), through the same lintContextOf.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { buildToolFile, builtImageNames, fileFacts, lintContextOf, type LintContext } from '../../src/domain/lint/context';
import { lintFile, type Finding } from '../../src/domain/lint/rules';
import { parseYamlFile, type ParsedFile } from '../../src/domain/yaml/documents';

export const corpusRoot = join(__dirname, '..', '..', 'test', 'fixtures', 'corpus');

export interface CorpusFile {
  /** Path under the corpus root: "<project>/<path in the project>". */
  path: string;
  project: string;
  text: string;
}

export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name) || name === 'Kustomization') {
        const path = relative(corpusRoot, full).split(sep).join('/');
        out.push({ path, project: path.split('/')[0], text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(corpusRoot);
  return out;
}

/** What the editor would know around each file of the corpus. */
export function corpusContexts(files: CorpusFile[], parsed: Map<string, ParsedFile>): Map<string, LintContext> {
  const byFolder = new Map<string, CorpusFile[]>();
  for (const f of files) byFolder.set(dirname(f.path), [...(byFolder.get(dirname(f.path)) ?? []), f]);
  const builtIn = (folder: string): string[] =>
    (byFolder.get(folder) ?? []).flatMap((f) => {
      const tool = buildToolFile(f.path);
      return tool ? builtImageNames(parsed.get(f.path)!, tool) : [];
    });
  const contexts = new Map<string, LintContext>();
  for (const f of files) {
    const folder = dirname(f.path);
    const siblings = (byFolder.get(folder) ?? []).filter((g) => g !== f && !buildToolFile(g.path)).map((g) => fileFacts(parsed.get(g.path)!));
    const builtImages: string[] = [];
    for (let dir = folder; ; dir = dirname(dir)) {
      builtImages.push(...builtIn(dir));
      if (dir === f.project || !dir.includes('/')) break;
    }
    contexts.set(f.path, lintContextOf(siblings, new Set(builtImages)));
  }
  return contexts;
}

export interface LintedFile {
  file: CorpusFile;
  findings: Finding[];
  /** Parse + lint, milliseconds. */
  ms: number;
}

export function lintCorpus(files: CorpusFile[] = corpusFiles()): LintedFile[] {
  const parsed = new Map(files.map((f) => [f.path, parseYamlFile(f.text)]));
  const contexts = corpusContexts(files, parsed);
  return files.map((file) => {
    const started = performance.now();
    const findings = lintFile(parseYamlFile(file.text), contexts.get(file.path));
    return { file, findings, ms: performance.now() - started };
  });
}
