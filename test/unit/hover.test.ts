import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_DOCS, GROUP_OF_KIND } from '../../src/domain/docs/fieldDocs';
import { apiGroup, hoverAt } from '../../src/domain/docs/hover';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { fixtureText, offsetOf } from '../support/fixtures';

const rolling = fixtureText('lint/good-rolling.yaml');
const rollouts = fixtureText('lint/rollouts.yaml');

test('hover on a Deployment key explains it, with its default, release impact and a reference link', () => {
  const file = parseYamlFile(rolling);
  const h = hoverAt(file, offsetOf(rolling, 'maxSurge') + 2)!;
  assert.equal(h.doc.title, 'maxSurge');
  assert.equal(rolling.slice(h.start, h.end), 'maxSurge');
  assert.match(h.markdown, /\*Default:\*/);
  assert.match(h.markdown, /\*Release impact:\*/);
  assert.match(h.markdown, /\[Reference\]\(https:\/\/kubernetes\.io\//);
});

test('hover under spec.strategy shows the rolling-update timeline for this Deployment', () => {
  const file = parseYamlFile(rolling);
  const h = hoverAt(file, offsetOf(rolling, 'maxUnavailable'))!;
  assert.match(h.markdown, /Rolling update of 4 pods\*\* \(surge 1, unavailable 0\)/);
});

test('hover under spec.strategy: a Recreate Deployment gets no rolling timeline but a line saying so; invalid numbers get what is wrong', () => {
  const timelineOf = (yaml: string) => hoverAt(parseYamlFile(yaml), offsetOf(yaml, 'strategy'))!.markdown;
  const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n${spec}`;
  const recreate = timelineOf(deployment('  replicas: 3\n  strategy:\n    type: Recreate\n'));
  assert.doesNotMatch(recreate, /Rolling update of/);
  assert.match(recreate, /\*Timeline:\* strategy Recreate: no rolling update/);
  const infinite = timelineOf(deployment('  replicas: 3\n  strategy:\n    rollingUpdate: {maxSurge: .inf, maxUnavailable: 0}\n'));
  assert.doesNotMatch(infinite, /surge Infinity/);
  assert.match(infinite, /\*Timeline:\* maxSurge Infinity is neither/);
  assert.match(timelineOf(deployment('  replicas: 1e9\n  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n')), /1000000001 steps/);
});

test('hover on a value resolves its field; in a sequence item too (Rollout steps)', () => {
  const file = parseYamlFile(rollouts);
  const onValue = hoverAt(file, offsetOf(rollouts, 'setWeight: 10') + 'setWeight: '.length)!;
  assert.equal(onValue.doc.path.join('.'), 'spec.strategy.canary.steps.[].setWeight');
  const probe = hoverAt(file, offsetOf(rollouts, 'readinessProbe'))!;
  assert.equal(probe.doc.title, 'readinessProbe');
});

test('hover resolves per document in multi-document files by apiVersion and kind', () => {
  const file = parseYamlFile(rollouts);
  // "selector" in the Service (3rd document) is the Service selector, not the Rollout's.
  const h = hoverAt(file, offsetOf(rollouts, 'selector', 2))!;
  assert.deepEqual(h.doc.kinds, ['Service']);
  assert.equal(hoverAt(file, offsetOf(rollouts, 'activeService'))!.doc.groups[0], 'argoproj.io');
});

test('no hover on fields we do not document, on non-Kubernetes YAML, or on broken YAML', () => {
  const file = parseYamlFile(rolling);
  assert.equal(hoverAt(file, offsetOf(rolling, 'name: web')), undefined);
  const plain = 'spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n';
  assert.equal(hoverAt(parseYamlFile(plain), plain.indexOf('maxSurge')), undefined);
  const broken = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy: [\n';
  assert.doesNotThrow(() => hoverAt(parseYamlFile(broken), broken.indexOf('strategy')));
  assert.equal(apiGroup('v1'), '');
  assert.equal(apiGroup('apps/v1'), 'apps');
});

test('re-parsing an edited file reuses unchanged documents and keeps every offset right', () => {
  const before = parseYamlFile(rollouts);
  const text = rollouts.replace('replicas: 4', 'replicas: 40');
  const after = parseYamlFile(text, before);
  assert.equal(after.documents.length, before.documents.length);
  assert.notEqual(after.documents[0].doc, before.documents[0].doc, 'the edited document is parsed again');
  assert.equal(after.documents[1].doc, before.documents[1].doc, 'the others are reused');
  // Offsets after the edit moved by one character, and hovers still land on the right text.
  const h = hoverAt(after, offsetOf(text, 'activeService'))!;
  assert.equal(text.slice(h.start, h.end), 'activeService');
  assert.equal(after.documents[1].start, before.documents[1].start + 1);
  // The same document text twice in one file is parsed once and placed twice.
  const twice = parseYamlFile(`${rolling}---\n${rolling.split('---\n')[1]}---\n${rolling.split('---\n')[1]}`);
  assert.equal(twice.documents.length, 4);
  assert.equal(twice.documents[2].offset > twice.documents[1].offset, true);
});

test('beside a schema hover, the hover keeps the release impact and leaves the summary out', () => {
  const file = parseYamlFile(rolling);
  const full = hoverAt(file, offsetOf(rolling, 'maxSurge'))!;
  const brief = hoverAt(file, offsetOf(rolling, 'maxSurge'), { besideSchemaHover: true })!;
  assert.ok(full.markdown.includes(full.doc.summary));
  assert.ok(!brief.markdown.includes(full.doc.summary));
  assert.match(brief.markdown, /\*Release impact:\*/);
  assert.match(brief.markdown, /\[Reference\]/);
  assert.deepEqual([brief.start, brief.end], [full.start, full.end]);
});

test('no hover for a kind under an API group that does not serve it (a Deployment of argoproj.io, a Rollout of apps)', () => {
  // minReadySeconds is documented for both workload kinds, each under its own group.
  const doc = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web}\nspec:\n  minReadySeconds: 10\n`;
  const at = (text: string) => hoverAt(parseYamlFile(text), text.indexOf('minReadySeconds'));
  assert.ok(at(doc('apps/v1', 'Deployment')), 'apps/v1 Deployment');
  assert.ok(at(doc('argoproj.io/v1alpha1', 'Rollout')), 'argoproj.io Rollout');
  assert.equal(at(doc('argoproj.io/v1alpha1', 'Deployment')), undefined);
  assert.equal(at(doc('apps/v1', 'Rollout')), undefined);
});

test('every documented kind has its serving group, and every entry\'s kinds are served by one of its groups', () => {
  for (const doc of FIELD_DOCS) for (const kind of doc.kinds) assert.ok(doc.groups.includes(GROUP_OF_KIND[kind]), `${kind} ${doc.path.join('.')}`);
});

// ---- Flagger ------------------------------------------------------------------------------------

const flaggerCanary = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: web
spec:
  provider: nginx
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  service:
    port: 80
  skipAnalysis: false
  suspend: false
  analysis:
    interval: 1m
    threshold: 5
    maxWeight: 50
    stepWeight: 20
    stepWeights: [10, 20]
    iterations: 3
    metrics:
      - name: error-rate
        templateRef:
          name: web-error-rate
        thresholdRange:
          max: 1
    webhooks:
      - name: gate
        type: confirm-promotion
        url: http://flagger-loadtester.test/gate/check
      - name: load
        url: http://flagger-loadtester.test/
---
apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata:
  name: web-error-rate
spec:
  provider:
    type: prometheus
    address: http://prometheus:9090
  query: sum(rate(x{namespace="{{ namespace }}"}[{{ interval }}]))
`;

test('Flagger hovers: every analysis field of a Canary, in Flagger\'s numbers', () => {
  const file = parseYamlFile(flaggerCanary);
  const hover = (needle: string) => hoverAt(file, offsetOf(flaggerCanary, needle) + 1)!;
  const expected: [string, string, RegExp][] = [
    ['provider: nginx', 'provider', /kubernetes.*Services only/],
    ['targetRef:', 'targetRef', /-primary/],
    ['port: 80', 'service.port', /targetPort/],
    ['skipAnalysis', 'skipAnalysis', /without checks/],
    ['suspend', 'suspend', /skips this Canary/],
    ['interval: 1m', 'analysis.interval', /10s/],
    ['threshold: 5', 'analysis.threshold', /\*Default:\* 1/],
    ['maxWeight', 'analysis.maxWeight', /20, 40, 60/],
    ['stepWeight: 20', 'analysis.stepWeight', /ceil\(maxWeight \/ stepWeight\)/],
    ['stepWeights', 'analysis.stepWeights', /must increase/],
    ['iterations', 'analysis.iterations', /1 promotes on the first passed check/],
    ['thresholdRange', 'thresholdRange', /min.*max/],
    ['templateRef', 'templateRef', /MetricTemplate/],
    ['type: confirm-promotion', 'webhook type', /pre-rollout/],
  ];
  for (const [needle, title, text] of expected) {
    const h = hover(needle);
    assert.equal(h?.doc.title, title, needle);
    assert.match(h.markdown, text, needle);
    assert.match(h.markdown, /\[Reference\]\(https:\/\/docs\.flagger\.app\//, needle);
  }
});

test('Flagger hover on a webhook type value says what that hook type does', () => {
  const file = parseYamlFile(flaggerCanary);
  const h = hoverAt(file, offsetOf(flaggerCanary, 'confirm-promotion') + 3)!;
  assert.match(h.markdown, /\*`confirm-promotion`:\* A gate before promotion/);
  const onKey = hoverAt(file, offsetOf(flaggerCanary, 'type: confirm-promotion') + 1)!;
  assert.doesNotMatch(onKey.markdown, /\*`confirm-promotion`:\*/, 'on the key, the list of every type only');
});

test('Flagger MetricTemplate hovers: the template variables of its query, its provider', () => {
  const file = parseYamlFile(flaggerCanary);
  assert.match(hoverAt(file, offsetOf(flaggerCanary, 'query:') + 1)!.markdown, /\{\{ target \}\}.*\{\{ interval \}\}/);
  assert.equal(hoverAt(file, offsetOf(flaggerCanary, 'address:') + 1)!.doc.title, 'provider.address');
  // Another group's Canary (not flagger.app) gets none.
  const other = flaggerCanary.replace('flagger.app/v1beta1\nkind: Canary', 'example.com/v1\nkind: Canary');
  assert.equal(hoverAt(parseYamlFile(other), offsetOf(other, 'maxWeight') + 1), undefined);
});
