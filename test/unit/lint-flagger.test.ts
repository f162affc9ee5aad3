// The Flagger rules: each one firing on the mistake it names and quiet on the manifest that avoids it,
// with Flagger v1.36's numbers (strategy/flaggerAnalysis.ts), its neighbours' objects, and its fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFile, Rule, type Finding } from '../../src/domain/lint/rules';
import { namedObjects, type LintContext } from '../../src/domain/lint/context';
import { parseYamlFile } from '../../src/domain/yaml/documents';
import { generate } from '../../src/domain/manifests/generate';
import { walkFlaggerWeights, flaggerChecksBeforePromotion, flaggerServiceNames } from '../../src/domain/strategy/flaggerAnalysis';
import { applyEdits } from '../support/fixtures';

const FLAGGER_CODES = Object.values(Rule).filter((c) => c.startsWith('flagger-'));
const lint = (text: string, context?: LintContext) => lintFile(parseYamlFile(text), context).filter((f) => FLAGGER_CODES.includes(f.code as never));
const only = (text: string, code: string, context?: LintContext) => lint(text, context).filter((f) => f.code === code);
const at = (text: string, f: Finding) => text.slice(f.start, f.end);

const deployment = (name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0.0
`;

/** A Canary with `analysis` written as the YAML under it (indented by 4). */
const canary = (analysis: string, extra = '') => `apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: web
spec:
  provider: nginx
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
${extra}  service:
    port: 80
  analysis:
${analysis}`;

const CHECKED = `    metrics:
      - name: request-success-rate
        thresholdRange: {min: 99}
        interval: 1m
`;
const weighted = (weights: string) => canary(`    interval: 1m\n    threshold: 5\n${weights}${CHECKED}`);

test('Flagger\'s walk of the weights, from its scheduler: steps capped at 100 not at maxWeight, stepWeights that stall', () => {
  assert.deepEqual(walkFlaggerWeights({ stepWeight: 10, maxWeight: 50 }), { weights: [10, 20, 30, 40, 50], promotes: true, maxWeight: 50 });
  assert.deepEqual(walkFlaggerWeights({ stepWeight: 20, maxWeight: 50 }).weights, [20, 40, 60]);
  assert.deepEqual(walkFlaggerWeights({ stepWeight: 30 }).weights, [30, 60, 90, 100], 'maxWeight defaults to 100, and 120 is capped to 100');
  assert.deepEqual(walkFlaggerWeights({ stepWeights: [1, 5, 25, 50] }).weights, [1, 5, 25, 50]);
  assert.deepEqual(walkFlaggerWeights({ stepWeights: [10, 30, 20] }), { weights: [10, 30], promotes: true, maxWeight: 20 }, 'the last entry is the promotion weight: 30 is above it');
  assert.deepEqual(walkFlaggerWeights({ stepWeights: [10, 30, 20, 50] }), { weights: [10, 30], promotes: false, maxWeight: 50 }, 'at 30 the next entry is lower: no step up');
  assert.deepEqual(walkFlaggerWeights({ stepWeights: [10, 10, 50] }), { weights: [10], promotes: false, maxWeight: 50 });
  assert.deepEqual(walkFlaggerWeights({ stepWeights: [50, 150] }), { weights: [50, 100], promotes: true, maxWeight: 100 });
  assert.equal(walkFlaggerWeights({}).promotes, false, 'no step at all: nothing advances');
  assert.equal(flaggerChecksBeforePromotion({ iterations: 4, stepWeight: 10 }), 4);
  assert.equal(flaggerChecksBeforePromotion({ stepWeight: 50, maxWeight: 50 }), 1);
  assert.deepEqual(flaggerServiceNames({ targetRef: { name: 'web' } }), { apex: 'web', primary: 'web-primary', canary: 'web-canary' });
  assert.deepEqual(flaggerServiceNames({ targetRef: { name: 'web' }, service: { name: 'shop' } })?.apex, 'shop');
});

test('every generated Flagger release lints clean of Flagger findings (and of everything else)', () => {
  for (const strategy of ['flagger-bluegreen', 'flagger-nginx', 'flagger-gateway', 'flagger-metric-template'] as const) {
    const out = generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 3 } });
    assert.deepEqual(lintFile(parseYamlFile(out.yaml)).map((f) => `${f.code}: ${f.message}`), [], strategy);
  }
});

test(`${Rule.FlaggerTargetMissing}: a targetRef naming no Deployment of the file or folder, with a fix when one Deployment is there`, () => {
  const text = `${deployment('shop')}---\n${weighted('    stepWeight: 10\n    maxWeight: 50\n')}`;
  const [f] = only(text, Rule.FlaggerTargetMissing);
  assert.equal(at(text, f), 'web');
  assert.match(f.message, /Deployment "web", which is in neither this file nor its folder \("shop" is\): Flagger finds no target/);
  assert.equal(f.fix?.title, 'Target the Deployment "shop"');
  assert.deepEqual(only(applyEdits(text, f.fix!.edits), Rule.FlaggerTargetMissing), []);
  // Quiet: the target in the file; in a neighbour file; no Deployment known at all (the target lives elsewhere); another namespace's "web" does not count.
  assert.deepEqual(only(`${deployment()}---\n${weighted('    stepWeight: 10\n')}`, Rule.FlaggerTargetMissing), []);
  const alone = weighted('    stepWeight: 10\n');
  assert.deepEqual(only(alone, Rule.FlaggerTargetMissing), []);
  assert.deepEqual(only(alone, Rule.FlaggerTargetMissing, { objects: namedObjects(parseYamlFile(deployment())) }), []);
  const other = only(alone, Rule.FlaggerTargetMissing, { objects: [{ kind: 'Deployment', name: 'web', namespace: 'elsewhere' }, { kind: 'Deployment', name: 'api' }] });
  assert.equal(other.length, 1);
  assert.equal(other[0].fix, undefined, 'a neighbour file\'s Deployment is not offered as a fix');
});

test(`${Rule.FlaggerServiceTaken}: a hand-written Service with a name Flagger generates (apex, -primary, -canary)`, () => {
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`;
  for (const name of ['web', 'web-primary', 'web-canary']) {
    const text = `${deployment()}---\n${service(name)}---\n${weighted('    stepWeight: 10\n')}`;
    const [f] = only(text, Rule.FlaggerServiceTaken);
    assert.equal(at(text, f), name, name);
    assert.match(f.message, /Flagger creates the Service .* sets its selector to the primary's or canary's pods/);
    const fixed = applyEdits(text, f.fix!.edits);
    assert.equal(fixed, `${deployment()}---\n${weighted('    stepWeight: 10\n')}`, 'the fix removes the Service document and its separator only');
  }
  // service.name moves the names; a Service named like the target is then the user's own.
  const renamed = `${service('web')}---\n${weighted('    stepWeight: 10\n').replace('  service:\n', '  service:\n    name: shop\n')}`;
  assert.deepEqual(only(renamed, Rule.FlaggerServiceTaken), []);
  assert.equal(only(`${service('shop-canary')}---\n${renamed}`, Rule.FlaggerServiceTaken).length, 1);
  // Across files: the Service here, the Canary in the folder, and the other way round.
  const canaryAround = namedObjects(parseYamlFile(weighted('    stepWeight: 10\n')));
  const [first] = only(service('web-primary'), Rule.FlaggerServiceTaken, { objects: canaryAround });
  assert.ok(first && first.fix === undefined, 'a file of one document gets no delete fix');
  const [onCanary] = only(weighted('    stepWeight: 10\n'), Rule.FlaggerServiceTaken, { objects: [{ kind: 'Service', name: 'web' }] });
  assert.match(onCanary.message, /is in another file of this folder/);
  assert.deepEqual(only(service('web'), Rule.FlaggerServiceTaken, { objects: [{ kind: 'Canary', name: 'web', namespace: 'other', services: ['web', 'web-primary', 'web-canary'] }] }), [], 'another namespace');
});

test(`${Rule.FlaggerServiceTaken}: the delete fix on flow-style documents, first, between and last, and beside a separator's comment`, () => {
  const flowDeployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: 'ghcr.io/acme/web:1.0.0'}]}}}\n`;
  const flowService = `{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}\n`;
  const flowCanary = `{apiVersion: flagger.app/v1beta1, kind: Canary, metadata: {name: web}, spec: {provider: nginx, targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, service: {port: 80}, analysis: {interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10, webhooks: [{name: gate, type: confirm-rollout, url: 'http://loadtester.test/gate/check'}]}}}\n`;
  const cases: [string, string][] = [
    [`${flowService}---\n${flowDeployment}---\n${flowCanary}`, `${flowDeployment}---\n${flowCanary}`],
    [`${flowDeployment}---\n${flowService}---\n${flowCanary}`, `${flowDeployment}---\n${flowCanary}`],
    [`${flowDeployment}---\n${flowCanary}---\n${flowService}`, `${flowDeployment}---\n${flowCanary}`],
    [`# the shop\n${flowService}--- # the app\n${flowDeployment}---\n${flowCanary}`, `# the shop\n# the app\n${flowDeployment}---\n${flowCanary}`],
  ];
  for (const [text, expected] of cases) {
    const [f] = only(text, Rule.FlaggerServiceTaken);
    assert.ok(f?.fix, text);
    const fixed = applyEdits(text, f.fix!.edits);
    assert.equal(fixed, expected);
    assert.deepEqual(lintFile(parseYamlFile(fixed)).filter((g) => g.code === Rule.FlaggerServiceTaken), [], 'nothing left to fix');
  }
});

test(`${Rule.FlaggerStepOvershoots}: a stepWeight that does not divide maxWeight, in the weights Flagger really sets, with a fix`, () => {
  const text = weighted('    maxWeight: 50\n    stepWeight: 20\n');
  const [f] = only(text, Rule.FlaggerStepOvershoots);
  assert.equal(at(text, f), '20');
  assert.match(f.message, /Flagger goes 20 -> 40 -> 60 and promotes at 60, so for one interval the canary takes 60% of traffic, 10 more than maxWeight/);
  assert.equal(f.fix?.title, 'Set maxWeight to 60 (the weight Flagger reaches)');
  assert.deepEqual(only(applyEdits(text, f.fix!.edits), Rule.FlaggerStepOvershoots), []);
  for (const quiet of ['    maxWeight: 50\n    stepWeight: 10\n', '    stepWeight: 30\n', '    maxWeight: 100\n    stepWeight: 30\n']) assert.deepEqual(only(weighted(quiet), Rule.FlaggerStepOvershoots), [], quiet);
});

test(`${Rule.FlaggerStepWeightsNotIncreasing}: stepWeights that do not increase stop the release for good, or skip their end`, () => {
  const text = weighted('    stepWeights: [10, 30, 20, 50]\n');
  const [f] = only(text, Rule.FlaggerStepWeightsNotIncreasing);
  assert.equal(f.severity, 'error');
  assert.equal(at(text, f), '20');
  assert.match(f.message, /\(30 then 20\): at 30% Flagger finds no step up, so the canary stays there for good: it is never promoted/);
  assert.equal(only(weighted('    stepWeights: [10, 10, 50]\n'), Rule.FlaggerStepWeightsNotIncreasing)[0].severity, 'error', 'a repeated weight stalls too');
  const early = only(weighted('    stepWeights: [10, 30, 20]\n'), Rule.FlaggerStepWeightsNotIncreasing);
  assert.equal(early[0].severity, 'warning');
  assert.match(early[0].message, /Flagger promotes at 30%, the first weight at or above the last entry \(20\)/);
  for (const quiet of ['    stepWeights: [1, 5, 25, 50]\n', '    stepWeights: [50, 150]\n', '    stepWeight: 10\n    stepWeights: [30, 20]\n']) assert.deepEqual(only(weighted(quiet), Rule.FlaggerStepWeightsNotIncreasing), [], quiet);
});

test(`${Rule.FlaggerIgnoredField}: fields Flagger does not read beside the ones it does`, () => {
  const messages = (weights: string, provider?: string) => only(provider ? weighted(weights).replace('provider: nginx', `provider: ${provider}`) : weighted(weights), Rule.FlaggerIgnoredField).map((f) => f.message);
  assert.deepEqual(messages('    stepWeights: [10, 20]\n    maxWeight: 50\n'), ['maxWeight is ignored: with stepWeights, Flagger promotes at their last entry (20).']);
  assert.deepEqual(messages('    stepWeight: 10\n    stepWeights: [10, 20]\n'), ['stepWeights is ignored: stepWeight 10 is set, and Flagger uses stepWeight when it is above 0.']);
  assert.match(messages('    iterations: 5\n    stepWeight: 10\n').join(), /stepWeight is ignored: with iterations, Flagger runs a blue\/green \(or A\/B\) test: 5 checks/);
  assert.match(messages('    stepWeight: 10\n', 'kubernetes').join(), /kubernetes provider has no weights.*10 iterations when none are set/);
  assert.deepEqual(messages('    stepWeight: 10\n    maxWeight: 50\n'), []);
  assert.deepEqual(messages('    iterations: 5\n', 'kubernetes'), []);
});

test(`${Rule.FlaggerNoChecks}: no metrics and no rollout / pre-rollout webhook promote on time alone`, () => {
  const bare = canary('    interval: 1m\n    stepWeight: 25\n');
  const [f] = only(bare, Rule.FlaggerNoChecks);
  assert.match(f.message, /every check passes, so Flagger promotes after 4 interval\(s\) whatever the new version does/);
  const gated = canary('    interval: 1m\n    iterations: 3\n    webhooks:\n      - name: gate\n        type: confirm-promotion\n        url: http://t/gate/check\n');
  assert.match(only(gated, Rule.FlaggerNoChecks)[0].message, /after 3 interval\(s\).*as soon as its confirm gate opens/);
  // A load test (type rollout, the default) or a pre-rollout test checks the canary; so does any metric; skipAnalysis says it on purpose.
  assert.deepEqual(only(canary('    stepWeight: 25\n    webhooks:\n      - name: load\n        url: http://t/\n'), Rule.FlaggerNoChecks), []);
  assert.deepEqual(only(canary('    stepWeight: 25\n    webhooks:\n      - name: smoke\n        type: pre-rollout\n        url: http://t/\n'), Rule.FlaggerNoChecks), []);
  assert.deepEqual(only(weighted('    stepWeight: 25\n'), Rule.FlaggerNoChecks), []);
  assert.deepEqual(only(bare.replace('  analysis:', '  skipAnalysis: true\n  analysis:'), Rule.FlaggerNoChecks), []);
});

test(`${Rule.FlaggerSingleCheck}: iterations 1, or a first step that reaches the promotion weight, let one check decide`, () => {
  const [bg] = only(weighted('    iterations: 1\n'), Rule.FlaggerSingleCheck);
  assert.match(bg.message, /iterations 1: one passed check promotes the new version/);
  const text = weighted('    maxWeight: 50\n    stepWeight: 50\n');
  const [step] = only(text, Rule.FlaggerSingleCheck);
  assert.equal(at(text, step), 'stepWeight');
  assert.match(step.message, /The first step already reaches the promotion weight \(weight 50, maxWeight 50\): one passed check promotes/);
  assert.equal(only(weighted('    stepWeights: [100]\n'), Rule.FlaggerSingleCheck).length, 1);
  for (const quiet of ['    iterations: 2\n', '    maxWeight: 50\n    stepWeight: 25\n', '    stepWeights: [50, 100]\n']) assert.deepEqual(only(weighted(quiet), Rule.FlaggerSingleCheck), [], quiet);
});

test(`${Rule.FlaggerTemplateMissing}: a templateRef to no MetricTemplate of the file or folder is a warning`, () => {
  const withRef = (ref: string) => canary(`    stepWeight: 10\n    metrics:\n      - name: errors\n        templateRef:\n${ref}        thresholdRange: {max: 1}\n`);
  const text = withRef('          name: web-error-rate\n');
  const [f] = only(text, Rule.FlaggerTemplateMissing);
  assert.equal(f.severity, 'warning');
  assert.equal(at(text, f), 'web-error-rate');
  assert.match(f.message, /No MetricTemplate "web-error-rate" in this file or its folder.*Ignore this if it lives elsewhere/);
  const template = generate({ strategy: 'flagger-metric-template', app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 1 } }).yaml;
  assert.deepEqual(only(`${template}---\n${text}`, Rule.FlaggerTemplateMissing), []);
  assert.deepEqual(only(text, Rule.FlaggerTemplateMissing, { objects: namedObjects(parseYamlFile(template)) }), []);
  assert.deepEqual(only(withRef('          name: shared\n          namespace: flagger-system\n'), Rule.FlaggerTemplateMissing), [], 'a template of another namespace is elsewhere by design');
});

test('Flagger rules say nothing of Helm-templated Canaries, nor of what is missing beside templates', () => {
  const templated = `{{- if .Values.canary.enabled }}\n${weighted('    stepWeight: {{ .Values.step }}\n').replace('name: web\n', 'name: {{ template "app.fullname" . }}\n')}{{- end }}\n`;
  assert.deepEqual(lint(templated), []);
  // A templated Deployment beside a plain Canary: the target may be that template.
  const beside = `${deployment('{{ .Release.Name }}')}---\n${deployment('api')}---\n${weighted('    stepWeight: 10\n')}`;
  assert.deepEqual(only(beside, Rule.FlaggerTargetMissing), []);
  assert.equal(only(beside.replaceAll('{{ .Release.Name }}', 'other'), Rule.FlaggerTargetMissing).length, 1, 'the same file without the template is a finding');
});

test(`${Rule.FlaggerNoSteps}: a weighted provider without stepWeight, stepWeights or iterations never advances`, () => {
  const text = weighted('');
  const [f] = only(text, Rule.FlaggerNoSteps);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /stays at weight 0 for good/);
  assert.deepEqual(only(text, Rule.FlaggerNoChecks), [], 'one finding, not two');
  for (const quiet of ['    stepWeight: 10\n', '    stepWeights: [10, 50]\n', '    iterations: 3\n']) assert.deepEqual(only(weighted(quiet), Rule.FlaggerNoSteps), [], quiet);
  assert.deepEqual(only(weighted('').replace('  provider: nginx\n', ''), Rule.FlaggerNoSteps), [], 'no provider: the controller\'s default may be kubernetes');
  assert.deepEqual(only(weighted('').replace('provider: nginx', 'provider: kubernetes'), Rule.FlaggerNoSteps), [], 'kubernetes: Flagger sets 10 iterations');
});
