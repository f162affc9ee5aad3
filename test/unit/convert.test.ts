import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { convertDeploymentToRollout, ConvertError } from '../../src/domain/manifests/convert';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { applyEdits, fixtureText } from '../support/fixtures';
import { validateObject } from '../support/validate';

const text = fixtureText('lint/good-rolling.yaml');

test('inline canary: the Rollout replaces the Deployment, keeping template, replicas, selector, comments and surge', () => {
  const file = parseYamlFile(text);
  const result = convertDeploymentToRollout(file, { mode: 'inline', strategy: 'canary' });
  const out = applyEdits(text, result.edits);
  const docs = parseAllDocuments(out) as any[];
  assert.deepEqual(docs.map((d) => d.toJS().kind), ['Rollout', 'Service']);
  const rollout = docs[0].toJS();
  validateObject(rollout);
  const deployment = file.documents[0].value as any;
  assert.deepEqual(rollout.spec.template, deployment.spec.template);
  assert.equal(rollout.spec.replicas, 4);
  assert.deepEqual(rollout.spec.selector, deployment.spec.selector);
  assert.equal(rollout.spec.strategy.canary.maxSurge, '25%');
  assert.equal(rollout.spec.strategy.canary.maxUnavailable, 0);
  assert.ok(rollout.spec.strategy.canary.steps.length > 0);
  assert.match(out, /# A rolling Deployment that follows every rule/);
});

test('workloadRef blue/green: the Deployment stays, the Rollout references it and reuses the Service that selects it', () => {
  const result = convertDeploymentToRollout(parseYamlFile(text), { mode: 'workloadRef', strategy: 'blueGreen' });
  const out = applyEdits(text, result.edits);
  const kinds = (parseAllDocuments(out) as any[]).map((d) => d.toJS().kind);
  assert.deepEqual(kinds, ['Deployment', 'Rollout', 'Service']);
  const rollout = (parseAllDocuments(out) as any[])[1].toJS();
  validateObject(rollout);
  assert.equal(rollout.spec.template, undefined);
  assert.deepEqual(rollout.spec.workloadRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'progressively' });
  assert.equal(rollout.spec.strategy.blueGreen.activeService, 'web');
  assert.match(result.notes.join(' '), /web-preview/);
});

test('cluster-only metadata and Deployment annotations are dropped', () => {
  const live = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  uid: 123
  resourceVersion: "42"
  annotations:
    deployment.kubernetes.io/revision: "3"
    team: payments
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: "a:1"}]}
status:
  replicas: 1
`;
  const result = convertDeploymentToRollout(parseYamlFile(live), { mode: 'inline', strategy: 'canary' });
  const rollout = (parseAllDocuments(result.rolloutYaml) as any[])[0].toJS();
  assert.deepEqual(rollout.metadata, { name: 'api', annotations: { team: 'payments' } });
  assert.equal(rollout.status, undefined);
});

test('refuses files without a Deployment or with YAML errors, naming the problem', () => {
  assert.throws(() => convertDeploymentToRollout(parseYamlFile('kind: Service\napiVersion: v1\n'), { mode: 'inline', strategy: 'canary' }), ConvertError);
  assert.throws(() => convertDeploymentToRollout(parseYamlFile('kind: [\n'), { mode: 'inline', strategy: 'canary' }), /YAML errors/);
  assert.throws(() => convertDeploymentToRollout(parseYamlFile(text), { mode: 'inline', strategy: 'canary', name: 'nope' }), /No Deployment named "nope"/);
});

const modes = ['inline', 'workloadRef'] as const;

test('a Deployment still being typed (no metadata, no spec, an empty spec) is refused with a ConvertError naming what is missing', () => {
  const head = 'apiVersion: apps/v1\nkind: Deployment\n';
  const cases: [string, RegExp][] = [
    [head, /no metadata\.name/],
    [`${head}metadata:\n`, /no metadata\.name/],
    [`${head}metadata:\n  name: web\n`, /"web" has no spec/],
    [`${head}metadata:\n  name: web\nspec:\n`, /"web" has no spec/],
  ];
  for (const [yaml, message] of cases) {
    for (const mode of modes) {
      assert.throws(() => convertDeploymentToRollout(parseYamlFile(yaml), { mode, strategy: 'canary' }), (e: unknown) => e instanceof ConvertError && message.test(e.message), `${mode}: ${JSON.stringify(yaml)}`);
    }
  }
});

test('YAML the fast reader accepts and `yaml` rejects (a key over 1,024 characters, a lone carriage return) is a ConvertError, not a stringify failure', () => {
  const head = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';
  const inputs = [`${head}spec:\n  ${'k'.repeat(1100)}: 1\n`, `${head}  labels: {}\r  team: a\nspec: {}\n`];
  for (const yaml of inputs) {
    const file = parseYamlFile(yaml);
    assert.equal(file.problems.length, 0, 'the fast reader reads it without problems');
    for (const mode of modes) assert.throws(() => convertDeploymentToRollout(file, { mode, strategy: 'canary' }), (e: unknown) => e instanceof ConvertError && /"web" has YAML errors/.test(e.message));
  }
});

test('a deeply nested Deployment is a ConvertError, not a stack overflow', () => {
  const depth = 800;
  const nested = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n');
  const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${nested} 1\n`;
  for (const fastReader of [true, false]) {
    const file = parseYamlFile(yaml, undefined, { fastReader });
    for (const mode of modes) assert.throws(() => convertDeploymentToRollout(file, { mode, strategy: 'canary' }), (e: unknown) => e instanceof ConvertError && /nests more than/.test(e.message));
  }
});

test('workloadRef on a file without a final newline puts the document marker on a line of its own, leaving the Deployment whole', () => {
  const deploymentOnly = text.slice(0, text.indexOf('\n---'));
  assert.ok(!deploymentOnly.endsWith('\n'));
  const result = convertDeploymentToRollout(parseYamlFile(deploymentOnly), { mode: 'workloadRef', strategy: 'canary' });
  const docs = parseAllDocuments(applyEdits(deploymentOnly, result.edits)) as any[];
  assert.deepEqual(docs.flatMap((d) => d.errors), []);
  assert.deepEqual(docs.map((d) => d.toJS().kind), ['Deployment', 'Rollout']);
  assert.deepEqual(docs[0].toJS(), (parseAllDocuments(deploymentOnly) as any[])[0].toJS());
});
