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
