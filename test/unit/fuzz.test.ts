// Property-based tests (fast-check) over the authoring features with inputs nobody wrote by hand:
// YAML built from the fields the rules read with odd values, and real manifests (the corpus)
// mutated at random. Properties: nothing throws (but the clear errors the API defines), quick fixes
// keep the rest of the file, the rolling-update timeline's numbers are whole, within the
// controller's bounds and bounded in length. Each property runs a fixed number of cases from a fixed
// seed, all of them however busy the machine is: no time budget, so what a run checks (and the
// counts asserted below) never depends on the machine's load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hoverAt } from '../../src/domain/docs/hover';
import { lintFile } from '../../src/domain/lint/rules';
import { ConvertError, convertDeploymentToRollout, deploymentsIn } from '../../src/domain/manifests/convert';
import { InvalidRollingParameters, MAX_LISTED_STEPS, simulateRollingUpdate } from '../../src/domain/strategy/rollingTimeline';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { corpusFiles } from '../support/corpus';
import { applyEdits } from '../support/fixtures';

const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? 20261202);
const seeded = { seed: SEED };

// ---- inputs -------------------------------------------------------------------------------------

const oddScalar = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map(String),
  fc.constantFrom('0', '1', '1e9', '2147483648', '-1', '0.5', '1.5', '.inf', '-.inf', '.nan', 'null', '~', 'true', 'yes', "''", '""', "'25%'", '"50%"', '101%', '%', '1e7', '300000'),
  fc.constantFrom('{{ .Values.replicas }}', '{{- include "x" . }}', 'ko://github.com/acme/app', 'nginx', 'nginx:latest', 'ghcr.io/a/b:1.0@sha256:abc', '&a 1', '*a', '!!str 5', '[1, 2', '{a: 1', "'unclosed", '"a\\"b"', '| \n  block', '>- \n  folded'),
  fc.string({ maxLength: 12 }),
);
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'replicas', 'selector', 'matchLabels', 'template', 'containers', 'image', 'ports', 'containerPort', 'readinessProbe', 'lifecycle', 'preStop', 'strategy', 'type', 'rollingUpdate', 'maxSurge', 'maxUnavailable', 'canary', 'blueGreen', 'steps', 'setWeight', 'pause', 'duration', 'trafficRouting', 'activeService', 'previewService', 'workloadRef', 'app', 'version', 'color', 'terminationGracePeriodSeconds', 'minReplicas', 'scaleTargetRef', 'experiment', 'templates', 'images', 'build', 'artifacts'];
const KINDS = ['Deployment', 'Rollout', 'Service', 'Experiment', 'HorizontalPodAutoscaler', 'Kustomization', 'DestinationRule', 'ConfigMap', 'Job'];
const API_VERSIONS = ['apps/v1', 'argoproj.io/v1alpha1', 'v1', 'autoscaling/v2', 'networking.istio.io/v1', 'apps/v1beta1', 'extensions/v1beta1'];

/** A YAML-like tree as text, deep and odd enough to reach the rules' corners. */
const yamlLines: fc.Arbitrary<string[]> = fc.letrec<{ node: string[] }>((tie) => ({
  node: fc.array(
    fc.tuple(fc.constantFrom(...KEYS), fc.oneof({ depthSize: 'small' }, oddScalar.map((v) => [v]), tie('node'), fc.array(tie('node'), { maxLength: 3 }).map((items) => items.flatMap((item) => item.map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)))))),
    { maxLength: 6 },
  ).map((pairs) => pairs.flatMap(([key, value]) => (value.length === 1 && !value[0].includes('\n') && !/^(- |\w+:)/.test(value[0]) ? [`${key}: ${value[0]}`] : [`${key}:`, ...value.map((l) => `  ${l}`)]))),
})).node;

const manifest = fc.tuple(fc.constantFrom(...API_VERSIONS), fc.constantFrom(...KINDS), fc.string({ minLength: 1, maxLength: 8 }), yamlLines).map(([apiVersion, kind, name, body]) => [`apiVersion: ${apiVersion}`, `kind: ${kind}`, `metadata: {name: ${JSON.stringify(name)}}`, ...body].join('\n'));
const generatedFile = fc.array(manifest, { minLength: 1, maxLength: 4 }).map((docs) => docs.join('\n---\n') + '\n');

const corpus = corpusFiles().filter((f) => f.text.length < 30_000);
/** A real manifest with a few characters inserted, deleted or replaced. */
const mutatedCorpusFile = fc.tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(' ', '\n', ':', '-', '{', '}', '[', "'", '"', '#', '\t', '---\n', '{{', '&', '*', '?', '|', '0', 'x')), { minLength: 1, maxLength: 6 })).map(([index, mutations]) => {
  let text = corpus[index].text;
  for (const [at, op, piece] of mutations) {
    const i = at % (text.length + 1);
    text = op === 'insert' ? text.slice(0, i) + piece + text.slice(i) : op === 'delete' ? text.slice(0, i) + text.slice(i + piece.length) : text.slice(0, i) + piece + text.slice(i + piece.length);
  }
  return text;
});
const anyFile = fc.oneof(generatedFile, mutatedCorpusFile);

// ---- properties ---------------------------------------------------------------------------------

test('lint and hover never throw on generated or mutated manifests, and every finding lies inside the file', () => {
  fc.assert(
    fc.property(anyFile, fc.array(fc.nat(), { maxLength: 8 }), (text, offsets) => {
      const file = parseYamlFile(text);
      for (const f of lintFile(file)) {
        assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end, `${f.code} at ${f.start}..${f.end} of ${text.length}`);
        assert.ok(f.message.length > 0 && !/undefined|NaN|Infinity/.test(f.message), `${f.code}: ${f.message}`);
      }
      for (const offset of offsets) hoverAt(file, offset % (text.length + 1));
    }),
    { numRuns: 400, ...seeded },
  );
});

test('every quick fix applies cleanly: the text outside its edits stays byte for byte and the result parses', () => {
  let fixes = 0;
  fc.assert(
    fc.property(anyFile, (text) => {
      for (const finding of lintFile(parseYamlFile(text))) {
        if (!finding.fix) continue;
        fixes++;
        const edits = [...finding.fix.edits].sort((a, b) => a.start - b.start);
        for (let i = 1; i < edits.length; i++) assert.ok(edits[i].start >= edits[i - 1].end, 'edits do not overlap');
        const after = applyEdits(text, edits);
        assert.equal(after.slice(0, edits[0].start), text.slice(0, edits[0].start));
        const tail = text.length - edits[edits.length - 1].end;
        assert.equal(after.slice(after.length - tail), text.slice(text.length - tail));
        const before = parseYamlFile(text).problems.filter((p) => p.severity === 'error').length;
        assert.ok(parseYamlFile(after).problems.filter((p) => p.severity === 'error').length <= before, `${finding.code} fix adds no syntax error`);
      }
    }),
    { numRuns: 400, ...seeded },
  );
  assert.ok(fixes > 20, `${fixes} fixes exercised`);
});

test('Convert Deployment to Rollout either converts to YAML that parses or says why (ConvertError), never another exception', () => {
  let converted = 0;
  const shapedDeployment = fc.tuple(oddScalar, oddScalar, oddScalar, yamlLines, fc.boolean()).map(([replicas, surge, image, extra, finalNewline]) =>
    ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', `  replicas: ${replicas}`, '  strategy: {rollingUpdate: {maxSurge: ' + JSON.stringify(surge) + '}}', '  selector: {matchLabels: {app: web}}', '  template:', '    metadata: {labels: {app: web}}', '    spec:', '      containers:', `      - name: web`, `        image: ${JSON.stringify(image)}`, ...extra.map((l) => `        ${l}`)].join('\n') + (finalNewline ? '\n' : ''),
  );
  const deploymentFile = fc.oneof(shapedDeployment, generatedFile.map((t) => t.replace(/^apiVersion: .*\nkind: \w+/m, 'apiVersion: apps/v1\nkind: Deployment')), mutatedCorpusFile);
  fc.assert(
    fc.property(deploymentFile, fc.constantFrom('workloadRef', 'inline' as const), fc.constantFrom('canary', 'blueGreen' as const), (text, mode, strategy) => {
      const file = parseYamlFile(text);
      if (!deploymentsIn(file).length) return;
      try {
        const result = convertDeploymentToRollout(file, { mode, strategy });
        converted++;
        assert.deepEqual(parseYamlFile(result.rolloutYaml).problems.filter((p) => p.severity === 'error'), []);
        const after = applyEdits(text, result.edits);
        assert.deepEqual(parseYamlFile(after).problems.filter((p) => p.severity === 'error'), [], 'the edited file parses');
      } catch (e) {
        if (!(e instanceof ConvertError)) throw e;
        assert.ok(e.message.length > 0);
      }
    }),
    { numRuns: 300, ...seeded },
  );
  assert.ok(converted > 20, `${converted} conversions`);
});

test('the rolling-update timeline: whole numbers within the controller bounds, a bounded number of rows, ending with every pod new and ready', () => {
  const intOrPercent = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.integer({ min: 0, max: 150 }).map((n) => `${n}%`), fc.constantFrom(0.5, 1.5, Infinity, NaN, '1', '', 'x%', 2 ** 31, undefined));
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(-1, 0.5, 1e9, 2 ** 31)), intOrPercent, intOrPercent, (replicas, maxSurge, maxUnavailable) => {
      let t;
      try {
        t = simulateRollingUpdate(replicas, maxSurge, maxUnavailable);
      } catch (e) {
        if (e instanceof InvalidRollingParameters) return;
        throw e;
      }
      assert.ok(t.steps.length <= 2 * MAX_LISTED_STEPS + 2, `${t.steps.length} rows for ${replicas} replicas`);
      for (const s of t.steps) {
        for (const n of [s.oldPods, s.newPods, s.newReady, s.available, s.total]) assert.ok(Number.isSafeInteger(n) && n >= 0, `whole pods: ${JSON.stringify(s)}`);
        assert.ok(s.total <= replicas + t.surge, 'never more than replicas + surge pods');
        assert.ok(s.available >= Math.max(0, replicas - t.unavailable) || s.step === 0, 'never fewer than replicas - unavailable serving');
      }
      const last = t.steps[t.steps.length - 1];
      assert.deepEqual([last.oldPods, last.newPods, last.newReady], [0, replicas, replicas]);
      assert.ok(t.lowestCapacityPercent >= 0 && t.lowestCapacityPercent <= 100);
    }),
    { numRuns: 1000, ...seeded },
  );
});
