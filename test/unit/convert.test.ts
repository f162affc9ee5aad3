import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { convertDeploymentToFlaggerCanary, convertDeploymentToRollout, ConvertError } from '../../src/domain/manifests/convert';
import { lintFile, Rule } from '../../src/domain/lint/rules';
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

// ---- Deployment -> Flagger Canary ----------------------------------------------------------------

const commented = `# The shop's web front end.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop   # keep this name
  namespace: store
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: shop
          image: ghcr.io/acme/shop:2.0.0
          ports: [{containerPort: 9898}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: public
  namespace: store
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: shop, port: {number: 80}}`;

test('Flagger: the Deployment stays byte for byte; a Canary targeting it and its MetricTemplates follow it, valid against Flagger\'s CRD', () => {
  for (const strategy of ['flagger-bluegreen', 'flagger-nginx', 'flagger-gateway'] as const) {
    const result = convertDeploymentToFlaggerCanary(parseYamlFile(commented), { strategy });
    const out = applyEdits(commented, result.edits);
    const deploymentEnd = commented.indexOf('---');
    assert.equal(out.slice(0, deploymentEnd), commented.slice(0, deploymentEnd), `${strategy}: the Deployment, its comments and flow style kept`);
    assert.ok(out.endsWith(commented.slice(deploymentEnd)), `${strategy}: the Ingress kept`);
    const docs = (parseAllDocuments(out) as any[]).map((d) => d.toJS());
    const canary = docs.find((d) => d.kind === 'Canary');
    assert.deepEqual(canary.spec.targetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' });
    assert.equal(canary.metadata.namespace, 'store');
    assert.equal(canary.spec.service.targetPort, 9898, 'the container\'s port');
    assert.equal(canary.spec.provider, { 'flagger-bluegreen': 'kubernetes', 'flagger-nginx': 'nginx', 'flagger-gateway': 'gatewayapi:v1' }[strategy]);
    docs.filter((d) => d.kind === 'Canary' || d.kind === 'MetricTemplate').forEach(validateObject);
    assert.deepEqual(docs.filter((d) => d.kind === 'MetricTemplate').map((d) => d.metadata.name), ['shop-error-rate', 'shop-latency']);
    // The result lints clean of Flagger findings: its target and templates are all there.
    assert.deepEqual(lintFile(parseYamlFile(out)).filter((f) => f.code.startsWith('flagger-')).map((f) => f.message), [], strategy);
  }
});

test('Flagger NGINX: the Canary uses the file\'s Ingress to the Deployment\'s name, and writes one when there is none', () => {
  const withIngress = convertDeploymentToFlaggerCanary(parseYamlFile(commented), { strategy: 'flagger-nginx' });
  assert.match(withIngress.canaryYaml, /ingressRef:\n\s+apiVersion: networking.k8s.io\/v1\n\s+kind: Ingress\n\s+name: public/);
  assert.doesNotMatch(withIngress.canaryYaml, /kind: Ingress\nmetadata/, 'no second Ingress');
  assert.match(withIngress.notes.join(' '), /uses the Ingress "public"/);
  const alone = commented.slice(0, commented.indexOf('---'));
  const written = (parseAllDocuments(applyEdits(alone, convertDeploymentToFlaggerCanary(parseYamlFile(alone), { strategy: 'flagger-nginx' }).edits)) as any[]).map((d) => d.toJS());
  assert.equal(written.find((d) => d.kind === 'Ingress').metadata.name, written.find((d) => d.kind === 'Canary').spec.ingressRef.name);
});

test('Flagger: a hand-written Service with the name Flagger takes is said in the notes (and by lint); a named container port is kept by name', () => {
  const result = convertDeploymentToFlaggerCanary(parseYamlFile(text), { strategy: 'flagger-bluegreen' });
  assert.match(result.notes.join(' '), /Flagger creates and owns the Service "web" of this file: delete it/);
  assert.match(result.canaryYaml, /targetPort: http/);
  const after = applyEdits(text, result.edits);
  assert.equal(lintFile(parseYamlFile(after)).filter((f) => f.code === Rule.FlaggerServiceTaken).length, 1);
  assert.ok(after.startsWith(text.slice(0, text.indexOf('---'))));
});

test('Flagger: refuses a Deployment Flagger cannot select, one already released by a Canary, and names the Deployment asked for', () => {
  const unlabeled = commented.replaceAll('app: shop', 'tier: shop');
  assert.throws(() => convertDeploymentToFlaggerCanary(parseYamlFile(unlabeled), { strategy: 'flagger-nginx' }), (e: Error) => e instanceof ConvertError && /one of the labels app, name, app.kubernetes.io\/name/.test(e.message));
  const once = applyEdits(commented, convertDeploymentToFlaggerCanary(parseYamlFile(commented), { strategy: 'flagger-nginx' }).edits);
  assert.throws(() => convertDeploymentToFlaggerCanary(parseYamlFile(once), { strategy: 'flagger-nginx' }), /already releases "shop"/);
  assert.throws(() => convertDeploymentToFlaggerCanary(parseYamlFile(commented), { strategy: 'flagger-nginx', name: 'nope' }), /No Deployment named "nope"/);
  assert.throws(() => convertDeploymentToFlaggerCanary(parseYamlFile('apiVersion: v1\nkind: Service\nmetadata: {name: x}\n'), { strategy: 'flagger-nginx' }), /No apps\/v1 Deployment/);
  assert.throws(() => convertDeploymentToFlaggerCanary(parseYamlFile(`${commented}\n  bad: [`), { strategy: 'flagger-nginx' }), /YAML errors/);
});
