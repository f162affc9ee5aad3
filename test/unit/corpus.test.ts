// Lint, quick fixes and hovers over real manifests from public projects we did not write
// (test/fixtures/corpus/SOURCES.md): Helm charts, Kustomize bases and overlays, skaffold, Istio
// samples, Argo Rollouts examples and e2e manifests, Flagger's kustomize and tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAll } from 'js-yaml';
import { hoverAt } from '../../src/domain/docs/hover';
import { lintFile, Rule, type Finding } from '../../src/domain/lint/rules';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { corpusContexts, corpusFiles, lintCorpus } from '../support/corpus';
import { applyEdits } from '../support/fixtures';

const files = corpusFiles();
const linted = lintCorpus(files);
const findingsIn = (prefix: string, code: string) => linted.filter((l) => l.file.path.startsWith(prefix)).flatMap((l) => l.findings.filter((f) => f.code === code));
const isTemplate = (path: string) => /\/templates\//.test(path);

test('the corpus is there: hundreds of files from five projects', () => {
  assert.ok(files.length > 500, `${files.length} files`);
  assert.deepEqual([...new Set(files.map((f) => f.project))].sort(), ['argo-helm', 'argo-rollouts', 'flagger', 'istio', 'microservices-demo']);
});

test('a syntax error is reported exactly where a Kubernetes YAML reader fails too (Helm templates aside)', () => {
  for (const { file, findings } of linted) {
    if (isTemplate(file.path)) {
      assert.deepEqual(findings.filter((f) => f.code === Rule.Syntax), [], `${file.path}: a chart template is not linted as YAML`);
      continue;
    }
    let readable = true;
    try {
      loadAll(file.text);
    } catch {
      readable = false;
    }
    const syntax = findings.filter((f) => f.code === Rule.Syntax && f.severity === 'error');
    assert.equal(syntax.length > 0, !readable, `${file.path}: ${syntax.map((f) => f.message).join('; ') || 'no syntax error, but js-yaml fails'}`);
  }
  // One of Argo's e2e "expected failures" is really malformed (a mis-indented list item).
  assert.ok(findingsIn('argo-rollouts/test/e2e/expectedfailures/analysis-run-failfast.yaml', Rule.Syntax).length > 0);
});

test('no false "selects nothing", version routing is not a blue/green mistake, build-tool images are placeholders', () => {
  assert.deepEqual(linted.flatMap((l) => l.findings.filter((f) => f.code === Rule.ServiceSelectsNothing).map(() => l.file.path)), []);
  // Istio's samples route v1/v2/v3 under one Service on purpose (bookinfo, helloworld, tcp-echo).
  assert.deepEqual(findingsIn('istio/', Rule.ServiceCatchesBothColours), []);
  // microservices-demo names its images "frontend", "cartservice"…: skaffold builds and tags them.
  const placeholders = files.filter((f) => f.path.startsWith('microservices-demo/kubernetes-manifests/') && /image: (frontend|cartservice)\s/.test(f.text));
  assert.ok(placeholders.length >= 2, 'the manifests really carry untagged placeholder images');
  assert.deepEqual(findingsIn('microservices-demo/kubernetes-manifests/', Rule.ImageWithoutTag), []);
  // Without what is around them (the folder, skaffold.yaml) the same files would be findings: the context is what decides.
  const alone = placeholders.flatMap((f) => lintFile(parseYamlFile(f.text)).filter((x) => x.code === Rule.ImageWithoutTag));
  assert.ok(alone.length >= 2);
});

test('an autoscaled Deployment is judged at its HPA minReplicas (flagger podinfo: minReplicas 2, maxUnavailable 1)', () => {
  assert.deepEqual(findingsIn('flagger/kustomize/podinfo/', Rule.AllPodsUnavailable), []);
  const deployment = files.find((f) => f.path === 'flagger/kustomize/podinfo/deployment.yaml')!;
  assert.match(deployment.text, /maxUnavailable: 1/);
  assert.doesNotMatch(deployment.text, /^\s+replicas:/m);
  assert.equal(lintFile(parseYamlFile(deployment.text)).filter((f) => f.code === Rule.AllPodsUnavailable).length, 1, 'alone, it defaults to 1 replica');
});

test('every quick fix on the corpus parses, removes its finding and leaves the rest of the file byte for byte', () => {
  const contexts = corpusContexts(files, new Map(files.map((f) => [f.path, parseYamlFile(f.text)])));
  let applied = 0;
  for (const { file, findings } of linted) {
    for (const finding of findings.filter((x): x is Finding & { fix: NonNullable<Finding["fix"]> } => !!x.fix)) {
      const edits = [...finding.fix.edits].sort((a, b) => a.start - b.start);
      const after = applyEdits(file.text, edits);
      const first = edits[0].start;
      const last = edits[edits.length - 1];
      assert.equal(after.slice(0, first), file.text.slice(0, first), `${file.path} ${finding.code}: text before the edits kept`);
      assert.equal(after.slice(after.length - (file.text.length - last.end)), file.text.slice(last.end), `${file.path} ${finding.code}: text after the edits kept`);
      const relinted = lintFile(parseYamlFile(after), contexts.get(file.path));
      assert.deepEqual(relinted.filter((f) => f.code === Rule.Syntax).map((f) => f.message), findings.filter((f) => f.code === Rule.Syntax).map((f) => f.message), `${file.path} ${finding.code}: no new syntax problem`);
      assert.equal(relinted.filter((f) => f.code === finding.code).length, findings.filter((f) => f.code === finding.code).length - 1, `${file.path} ${finding.code}: the fix removes its finding`);
      applied++;
    }
  }
  assert.ok(applied > 100, `${applied} fixes applied`);
});

test('hovers all over the corpus never throw, and answer on its workloads', () => {
  let answered = 0;
  for (const file of files) {
    const parsed = parseYamlFile(file.text);
    for (let offset = 0; offset < Math.min(file.text.length, 40_000); offset += 37) if (hoverAt(parsed, offset)) answered++;
  }
  assert.ok(answered > 500, `${answered} hovers`);
});

test('Flagger\'s own Canaries (examples per mesh, a Helm-templated chart) get no Flagger findings, and are really linted', () => {
  const canaries = files.filter((f) => f.path.startsWith('flagger/') && /^kind: Canary$/m.test(f.text));
  assert.ok(canaries.length >= 10, `${canaries.length} files with a Canary`);
  assert.ok(canaries.some((f) => f.path === 'flagger/charts/podinfo/templates/canary.yaml' && f.text.includes('{{ .Values.canary.analysis.stepWeight }}')), 'a Helm-templated Canary');
  const flaggerFindings = linted.filter((l) => l.file.path.startsWith('flagger/')).flatMap((l) => l.findings.filter((f) => f.code.startsWith('flagger-')).map((f) => `${l.file.path}: ${f.code}`));
  assert.deepEqual(flaggerFindings, []);
  // The rules do read those files: the same examples with a broken step list are findings.
  const example = canaries.find((f) => f.path === 'flagger/artifacts/examples/linkerd-canary-steps.yaml')!;
  const broken = example.text.replace('stepWeights: [5, 10, 15,', 'stepWeights: [5, 10, 5,');
  assert.notEqual(broken, example.text);
  assert.equal(lintFile(parseYamlFile(broken)).filter((f) => f.code === Rule.FlaggerStepWeightsNotIncreasing).length, 1);
});
