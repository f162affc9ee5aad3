// Lint on the corpus of real manifests (test/fixtures/corpus): findings per rule and the time
// distribution per file (parse + lint with the file's folder context, as the editor lints it on
// open), against the bare `yaml` parse of each file measured in the same run.
import { parseAllDocuments } from 'yaml';
import { lintCorpus, corpusFiles } from '../test/support/corpus';

const files = corpusFiles();
const bareParse = (text: string) => parseAllDocuments(text, { logLevel: 'error' });
// Warm-up of both paths, then the measured rounds (the median round per file).
lintCorpus(files);
for (const f of files) bareParse(f.text);
const rounds = 3;
const lintMs = new Map<string, number[]>();
const parseMs = new Map<string, number[]>();
let findings: ReturnType<typeof lintCorpus> = [];
for (let r = 0; r < rounds; r++) {
  findings = lintCorpus(files);
  for (const l of findings) lintMs.set(l.file.path, [...(lintMs.get(l.file.path) ?? []), l.ms]);
  for (const f of files) {
    const t0 = performance.now();
    bareParse(f.text);
    parseMs.set(f.path, [...(parseMs.get(f.path) ?? []), performance.now() - t0]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perFile = files.map((f) => ({ path: f.path, bytes: f.text.length, lint: median(lintMs.get(f.path)!), parse: median(parseMs.get(f.path)!) }));
const sorted = [...perFile].sort((a, b) => a.lint - b.lint);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].lint;
const byRule = new Map<string, { findings: number; files: Set<string> }>();
for (const l of findings) for (const f of l.findings) {
  const entry = byRule.get(f.code) ?? { findings: 0, files: new Set<string>() };
  entry.findings++;
  entry.files.add(l.file.path);
  byRule.set(f.code, entry);
}
const total = (k: 'lint' | 'parse') => perFile.reduce((n, f) => n + f[k], 0);
const slowest = sorted[sorted.length - 1];
console.log(JSON.stringify({
  files: files.length,
  projects: [...new Set(files.map((f) => f.project))],
  bytes: perFile.reduce((n, f) => n + f.bytes, 0),
  filesWithFindings: findings.filter((l) => l.findings.length).length,
  rules: [...byRule].map(([code, e]) => ({ code, findings: e.findings, files: e.files.size })).sort((a, b) => b.findings - a.findings),
  lintMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: slowest.lint, slowest: slowest.path, slowestBytes: slowest.bytes, slowestParse: slowest.parse },
  totalLintMs: total('lint'),
  totalParseMs: total('parse'),
}));
