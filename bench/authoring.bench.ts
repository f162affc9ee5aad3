// Authoring benchmarks: diagnostics over a 1,000-document file and hover lookup after parse,
// each against a baseline measured in the same process (the bare `yaml` parse of the same text).
import { parseAllDocuments } from 'yaml';
import { hoverAt } from '../src/domain/docs/hover';
import { lintFile } from '../src/domain/lint/rules';
import { generate } from '../src/domain/manifests/generate';
import { STRATEGIES } from '../src/domain/manifests/options';
import { parseYamlFile } from '../src/domain/yaml/documents';

function time(fn: () => unknown, runs: number): { median: number; p95: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)], p95: samples[Math.floor(runs * 0.95)] };
}

// 1,000 documents: the generated manifests of every strategy, repeated with distinct names.
const docs: string[] = [];
for (let i = 0; docs.length < 1000; i++) {
  const out = generate({ strategy: STRATEGIES[i % STRATEGIES.length], app: { app: `app${i}`, image: `ghcr.io/acme/app${i}:1.0.${i}`, port: 8080, replicas: 20 } });
  docs.push(...out.yaml.split(/^---\n/m));
}
const text = docs.slice(0, 1000).join('---\n');
const lines = text.split('\n').length;

// Warm up the JIT on both paths.
for (let i = 0; i < 3; i++) {
  parseAllDocuments(text);
  lintFile(parseYamlFile(text));
}
const baseline = time(() => parseAllDocuments(text), 15);
const diagnostics = time(() => lintFile(parseYamlFile(text)), 15);

// The same file with a pitfall in one document in ten (a readiness probe removed): each finding
// needs its document's syntax tree for ranges and fixes, which the clean file never builds.
let withoutProbe = 0;
const pitfalls = text
  .split(/^---\n/m)
  .map((doc, i) => (i % 10 === 0 && /readinessProbe:/.test(doc) ? (withoutProbe++, doc.replace(/readinessProbe:/, 'startupProbe:')) : doc))
  .join('---\n');
const pitfallFindings = lintFile(parseYamlFile(pitfalls)).length;
const withFindings = time(() => lintFile(parseYamlFile(pitfalls)), 15);

// An edit in one document (as when typing), re-linted with the previous parse reused.
const previous = parseYamlFile(text);
const edited = (n: number) => text.replace('replicas: 20', `replicas: ${21 + (n % 50)}`);
let round = 0;
const incremental = time(() => lintFile(parseYamlFile(edited(round++), previous)), 50);

const parsed = parseYamlFile(text);
const target = text.lastIndexOf('maxSurge');
const hover = time(() => hoverAt(parsed, target), 2000);
// The first hover in a freshly opened file also builds that document's syntax tree.
const fresh = Array.from({ length: 15 }, () => parseYamlFile(text));
let freshIndex = 0;
const firstHover = time(() => hoverAt(fresh[freshIndex++], target), 15);
const hit = hoverAt(parsed, target);
if (!hit) throw new Error('hover benchmark found no hover at maxSurge');

console.log(JSON.stringify({
  documents: 1000,
  lines,
  parseOnlyMs: baseline,
  diagnosticsMs: diagnostics,
  diagnosticsOverParse: +(diagnostics.median / baseline.median).toFixed(2),
  pitfallDocuments: withoutProbe,
  pitfallFindings,
  withFindingsMs: withFindings,
  withFindingsOverParse: +(withFindings.median / baseline.median).toFixed(2),
  firstHoverMs: firstHover,
  incrementalMs: incremental,
  incrementalOverParse: +(incremental.median / baseline.median).toFixed(3),
  hoverMs: hover,
  hoverOverParse: +(hover.median / baseline.median).toFixed(5),
}));
