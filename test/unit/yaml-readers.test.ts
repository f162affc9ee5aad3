// The fast reader (js-yaml for plain mappings, `yaml` syntax trees built on demand) must give the
// rules, the hover and the conversion exactly what the `yaml` parser alone gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hoverAt } from '../../src/domain/docs/hover';
import { lintFile } from '../../src/domain/lint/rules';
import { generate } from '../../src/domain/manifests/generate';
import { STRATEGIES } from '../../src/domain/manifests/options';
import { parseYamlFile, type ParsedFile } from '../../src/domain/yaml/documents';
import { fixtureText } from '../support/fixtures';

const repo = join(__dirname, '..', '..');
const samples: [string, string][] = [
  ...['lint', 'helm'].flatMap((dir) => readdirSync(join(repo, 'test', 'fixtures', dir)).map((f): [string, string] => [`${dir}/${f}`, fixtureText(`${dir}/${f}`)])),
  ...readdirSync(join(repo, 'test', 'workspace')).filter((f) => f.endsWith('.yaml')).map((f): [string, string] => [`workspace/${f}`, readFileSync(join(repo, 'test', 'workspace', f), 'utf8')]),
  ...STRATEGIES.map((strategy): [string, string] => [`generated ${strategy}`, generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 10 } }).yaml]),
];

const view = (file: ParsedFile) =>
  file.documents.map((d) => ({ value: d.value, apiVersion: d.apiVersion, kind: d.kind, name: d.name, start: d.start, end: d.end, contents: d.doc.toJS() }));

for (const [name, text] of samples) {
  test(`fast and full readers agree on ${name}`, () => {
    const fast = parseYamlFile(text);
    const full = parseYamlFile(text, undefined, { fastReader: false });
    assert.deepEqual(lintFile(fast), lintFile(full), 'findings, ranges and fixes');
    assert.deepEqual(fast.problems, full.problems, 'parser problems');
    assert.deepEqual(view(fast), view(full), 'documents');
    for (let offset = 0; offset < text.length; offset += 17) assert.deepEqual(hoverAt(fast, offset), hoverAt(full, offset), `hover at ${offset}`);
  });
}

test('chunks the fast reader leaves to `yaml` still read the same: anchors, tags, duplicates, several documents', () => {
  const cases = [
    'metadata: &m {name: a}\nspec:\n  template:\n    metadata: *m\n',
    'kind: Service\nspec: !!map {a: 1}\n',
    'kind: Service\nkind: Deployment\n',
    'a: 1\n...\nb: 2\n',
    '%YAML 1.2\n---\nkind: Service\n',
    'kind: Service\nspec: [unclosed\n',
    '# only a comment\n',
    '- a list\n- at the top\n',
  ];
  for (const text of cases) {
    const fast = parseYamlFile(text);
    const full = parseYamlFile(text, undefined, { fastReader: false });
    assert.deepEqual(fast.problems, full.problems, text);
    assert.deepEqual(view(fast), view(full), text);
  }
  assert.equal(parseYamlFile('kind: Service\nkind: Deployment\n').problems[0]?.severity, 'error', 'a duplicate key is an error');
});

test('a billion-laughs document is refused, not expanded', () => {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const file = parseYamlFile(laughs.join('\n') + '\n');
  assert.ok(file.problems.some((p) => /alias/i.test(p.message)), JSON.stringify(file.problems));
});

test('the syntax tree of a plainly read document is built on first use and kept', () => {
  const file = parseYamlFile('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n');
  assert.equal(file.documents[0].doc, file.documents[0].doc);
  const again = parseYamlFile('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n', file);
  assert.equal(again.documents[0].doc, file.documents[0].doc, 'reused by the next parse');
});

test('a quoted scalar continued at its key column reads as kubectl reads it, in either reader; an unclosed quote is still an error', () => {
  // As in published CRDs: the continuation line is not indented deeper than the key (go-yaml takes it).
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  annotations:',
    "    note: 'first line,",
    "    it''s continued'",
    '    other: "double',
    '    quoted"',
    '  labels: &labels {app: web}',
    'spec:',
    '  selector: {matchLabels: *labels}',
    '  template:',
    '    metadata: {labels: *labels}',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: web:1.0.0',
    '        ports: [{containerPort: 80}]',
    '',
  ].join('\n');
  for (const fastReader of [true, false]) {
    const file = parseYamlFile(text, undefined, { fastReader });
    assert.deepEqual(file.problems, [], `no syntax problems (fastReader ${fastReader})`);
    const annotations = (file.documents[0].value as any).metadata.annotations;
    assert.deepEqual(annotations, { note: "first line, it's continued", other: 'double quoted' });
    const findings = lintFile(file);
    assert.deepEqual(findings.map((f) => f.code).sort(), ['no-prestop', 'no-readiness-probe']);
    // Ranges after the relaxed scalars still point at the right text.
    for (const f of findings) assert.equal(text.slice(f.start, f.end), 'web');
  }
  const unclosed = parseYamlFile("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'x\ndata:\n  a: b\n");
  assert.match(unclosed.problems[0]?.message ?? '', /Missing closing 'quote/);
});
