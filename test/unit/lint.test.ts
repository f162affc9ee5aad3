import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintFile, Rule, type Finding } from '../../src/domain/lint/rules';
import { buildToolFile, builtImageNames, podSources } from '../../src/domain/lint/context';
import { parseAllDocuments } from 'yaml';
import { nodeAt, parseYamlFile, type PathSegment } from '../../src/domain/yaml/documents';
import { generate } from '../../src/domain/manifests/generate';
import { DEFAULTS, STRATEGIES } from '../../src/domain/manifests/options';
import { convertDeploymentToRollout, deploymentsIn } from '../../src/domain/manifests/convert';
import { applyEdits, fixture, fixtureText, yamlFixtureNames } from '../support/fixtures';

const codes = (fs: Finding[]) => fs.map((f) => f.code).sort();
const at = (text: string, f: Finding) => text.slice(f.start, f.end);

test('a well-formed rolling Deployment has no findings', () => {
  assert.deepEqual(lintFile(fixture('lint/good-rolling.yaml')), []);
});

test('every generated manifest lints clean (the generators follow our own rules)', () => {
  for (const strategy of STRATEGIES) {
    // 20 replicas express every default canary weight (25, 50, 75%) exactly.
    const out = generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 20 } });
    const findings = lintFile(parseYamlFile(out.yaml));
    assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), [], strategy);
  }
});

/** Findings that would say our own output is wrong: errors, and any about selectors. */
const SELECTOR_RULES: string[] = [Rule.SelectorMismatch, Rule.ServiceSelectsNothing, Rule.ServiceCatchesBothColours];
const selfContradictions = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' || SELECTOR_RULES.includes(f.code));
const described = (fs: Finding[]) => fs.map((f) => `${f.code}: ${f.message}`);

test('every generator, with its defaults and a few replica counts, writes manifests without errors or selector findings (weight findings: see below)', () => {
  for (const strategy of STRATEGIES) {
    for (const replicas of [DEFAULTS.app.replicas, 1, 2, 3, 7, 50]) {
      const out = generate({ strategy, app: { ...DEFAULTS.app, replicas } });
      assert.deepEqual(described(selfContradictions(lintFile(parseYamlFile(out.yaml)))), [], `${strategy}, ${replicas} replicas`);
    }
  }
});

test('every conversion of a fixture Deployment (both modes, both strategies) adds no errors or selector findings but the Deployment\'s own', () => {
  let converted = 0;
  for (const name of yamlFixtureNames()) {
    const text = fixtureText(name);
    const before = parseYamlFile(text);
    // Helm templates are not YAML until rendered; a file with YAML errors is refused (convert.test.ts).
    if (before.documents.some((d) => d.templated) || before.problems.some((p) => p.severity === 'error')) continue;
    const found = selfContradictions(lintFile(before));
    for (const deployment of deploymentsIn(before)) {
      // The Rollout keeps the Deployment's selector and template, and with them the Deployment's mistakes.
      const own = new Set(found.filter((f) => f.start >= deployment.start && f.end <= deployment.end).map((f) => f.code));
      for (const mode of ['inline', 'workloadRef'] as const) {
        for (const strategy of ['canary', 'blueGreen'] as const) {
          const result = convertDeploymentToRollout(before, { mode, strategy, name: deployment.name });
          const after = selfContradictions(lintFile(parseYamlFile(applyEdits(text, result.edits))));
          // The same finding may count other pods after the conversion (a workloadRef Deployment runs until the Rollout takes over).
          const sameFinding = (a: Finding, b: Finding) => a.code === b.code && a.message.replace(/\d+(\.\d+)?/g, '#') === b.message.replace(/\d+(\.\d+)?/g, '#');
          const added = after.filter((f) => !own.has(f.code) && !found.some((b) => sameFinding(b, f)));
          assert.deepEqual(described(added), [], `${name}, ${deployment.name}, ${mode}, ${strategy}`);
          converted++;
        }
      }
    }
  }
  assert.ok(converted >= 20, `only ${converted} conversions`);
});

test('a workloadRef Rollout\'s selector is checked against the referenced Deployment\'s pod template, and not at all when that Deployment is elsewhere', () => {
  const deployment = (label: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: ${label}}}
    spec: {containers: [{name: web, image: "a:1", readinessProbe: {tcpSocket: {port: 80}}, lifecycle: {preStop: {sleep: {seconds: 5}}}}]}
`;
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy: {blueGreen: {activeService: web, previewService: web-preview}}
`;
  const selectorFindings = (text: string) => lintFile(parseYamlFile(text)).filter((f) => f.code === Rule.SelectorMismatch).map((f) => f.message);
  assert.deepEqual(selectorFindings(`${deployment('web')}---\n${rollout}`), []);
  assert.deepEqual(selectorFindings(rollout), []);
  const mismatched = selectorFindings(`${deployment('api')}---\n${rollout}`);
  assert.equal(mismatched.length, 2);
  assert.match(mismatched[1], /\(app: web\): the API server rejects this Rollout/);
});

test('the generator and the linter agree when a weight is not reachable by replicas', () => {
  const out = generate({ strategy: 'argo-canary', app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas: 10 }, argoCanary: { weights: [10, 25, 50] } });
  const findings = lintFile(parseYamlFile(out.yaml));
  assert.deepEqual(codes(findings), [Rule.CanaryWeightNotExpressible]);
  assert.match(findings[0].message, /setWeight 25 with 10 replicas runs 3 canary \+ 8 stable pods = 27.27%/);
  assert.match(out.notes.join(' '), /setWeight 25 runs 3 canary \+ 8 stable pods = 27.27%/);
  {
  }
});

const rolloutWithWeight = (replicas: number, weight: number, maxSurge?: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  strategy:
    canary:
      ${maxSurge === undefined ? '' : `maxSurge: ${maxSurge}`}
      steps: [{setWeight: ${weight}}, {pause: {}}]
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          readinessProbe: {httpGet: {path: /, port: 80}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
`;

test('setWeight findings state the controller\'s split, surge pod included', () => {
  const messages = (text: string) => lintFile(parseYamlFile(text)).map((f) => f.message);
  assert.deepEqual(messages(rolloutWithWeight(3, 20)), ['setWeight 20 with 3 replicas runs 1 canary + 3 stable pods = 25%: without trafficRouting, pods are the split. Use a multiple of 5 replicas or trafficRouting for 20%.']);
  // One replica and the default maxSurge: one canary next to the one stable pod is 50%.
  assert.deepEqual(messages(rolloutWithWeight(1, 50)), []);
  assert.deepEqual(messages(rolloutWithWeight(3, 25)), [], '1 canary + 3 stable');
  // Without surge the split stays within spec.replicas.
  assert.match(messages(rolloutWithWeight(3, 25, "'0%'"))[0], /runs 1 canary \+ 2 stable pods = 33.33%/);
  assert.match(messages(rolloutWithWeight(1, 50, '0'))[0], /runs 1 canary \+ 0 stable pods = 100%/);
});

test('the generator\'s canaries pass the linter: a weight finding only where the notes say the pods miss the weight, in the same numbers', () => {
  const weightCodes: string[] = [Rule.CanaryWeightNotExpressible, Rule.CanaryShareUnreachable];
  for (const strategy of STRATEGIES.filter((s) => s.includes('canary'))) {
    for (let replicas = 1; replicas <= 12; replicas++) {
      for (const weights of [undefined, [10, 50], [20, 40, 60, 80], [1, 5, 33]]) {
        const out = generate({ strategy, app: { app: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, replicas }, argoCanary: weights && { weights } });
        const label = `${strategy}, ${replicas} replicas, weights ${weights ?? 'default'}`;
        const findings = lintFile(parseYamlFile(out.yaml)).filter((f) => weightCodes.includes(f.code));
        const notes = out.notes.join(' ');
        if (strategy === 'canary-replicas') {
          const reached = /= ([\d.]+)% of traffic; .* exactly needs/.exec(notes)?.[1];
          assert.deepEqual(findings.map((f) => /get about ([\d.]+)%/.exec(f.message)?.[1]), reached ? [reached] : [], label);
        } else {
          const missed = (notes.match(/setWeight \d+ runs [^;]*?%/g) ?? []).map((m) => m.replace(/ runs /, ` with ${replicas} replicas runs `));
          assert.deepEqual(findings.map((f) => f.message.split(':')[0]), missed, label);
        }
      }
    }
  }
  // The Argo canary's defaults (4 replicas; 25, 50, 75%) are reached exactly.
  assert.deepEqual(lintFile(parseYamlFile(generate({ strategy: 'argo-canary', app: DEFAULTS.app }).yaml)), []);
});

test('bad rolling Deployments: each pitfall is found on the right text', () => {
  const text = fixtureText('lint/bad-rolling.yaml');
  const findings = lintFile(parseYamlFile(text));
  const by = (code: string) => findings.filter((f) => f.code === code);
  assert.deepEqual(by(Rule.NoReadinessProbe).map((f) => at(text, f)), ['api', 'sidecar']);
  assert.equal(by(Rule.SurgeAndUnavailableZero).length, 1);
  assert.equal(at(text, by(Rule.SurgeAndUnavailableZero)[0]), '0');
  assert.deepEqual(by(Rule.AllPodsUnavailable).map((f) => at(text, f)), ['100%']);
  assert.deepEqual(by(Rule.ImageWithoutTag).map((f) => at(text, f)), ['ghcr.io/acme/api:latest', 'envoyproxy/envoy']);
  assert.deepEqual(by(Rule.SelectorMismatch).map((f) => at(text, f)), ['matchLabels']);
  assert.match(by(Rule.SelectorMismatch)[0].message, /tier: backend/);
  // exec "sleep 10" with a 5s grace period: too short; the sidecar has no preStop at all.
  assert.deepEqual(by(Rule.ShortGracePeriod).map((f) => at(text, f)), ['5']);
  assert.deepEqual(by(Rule.NoPreStop).map((f) => at(text, f)), ['sidecar']);
  assert.ok(by(Rule.NoPreStop).every((f) => f.severity === 'information'));
});

test('quick fixes produce YAML that parses and clears the finding', () => {
  const text = fixtureText('lint/bad-rolling.yaml');
  for (const code of [Rule.NoReadinessProbe, Rule.SurgeAndUnavailableZero, Rule.AllPodsUnavailable, Rule.ShortGracePeriod, Rule.NoPreStop]) {
    const finding = lintFile(parseYamlFile(text)).find((f) => f.code === code)!;
    assert.ok(finding.fix, `${code} has a fix`);
    const fixed = applyEdits(text, finding.fix.edits);
    const after = parseYamlFile(fixed);
    assert.deepEqual(after.problems, [], `${code} fix keeps the YAML valid:\n${fixed}`);
    const remaining = lintFile(after).filter((f) => f.code === code);
    assert.equal(remaining.length, lintFile(parseYamlFile(text)).filter((f) => f.code === code).length - 1, `${code} fix removes exactly its finding`);
  }
});

/** Every scalar of a plain value, by its path. */
function leaves(value: unknown, path: PathSegment[] = [], out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  else out.set(JSON.stringify(path), value);
  return out;
}

test('every quick fix on every fixture writes YAML that parses without errors or duplicate keys, and leaves the rest of the file as it was', () => {
  const errorsOf = (text: string) => (parseAllDocuments(text, { uniqueKeys: true }) as any[]).flatMap((d) => d.errors.map((e: Error) => e.message.split('\n')[0]));
  let fixes = 0;
  for (const name of yamlFixtureNames()) {
    const text = fixtureText(name);
    const file = parseYamlFile(text);
    const before = parseAllDocuments(text) as any[];
    for (const finding of lintFile(file)) {
      if (!finding.fix) continue;
      const label = `${name}: ${finding.fix.title} (${finding.code} at ${finding.start})`;
      const fixed = applyEdits(text, finding.fix.edits);
      assert.deepEqual(errorsOf(fixed), errorsOf(text), `${label}\n${fixed}`);
      // The edits only add text, or replace one value on its line: no other byte of the file changes.
      const replaced = new Set<string>();
      for (const e of finding.fix.edits) {
        assert.doesNotMatch(text.slice(e.start, e.end), /\n/, label);
        const value = e.end > e.start ? nodeAt(file.documents.find((d) => e.start >= d.start && e.start <= d.end)!, e.start) : undefined;
        if (value) replaced.add(JSON.stringify(value.path)); // a scalar (an emptied `{}` holds none)
      }
      const after = parseAllDocuments(fixed) as any[];
      assert.equal(after.length, before.length, label);
      before.forEach((doc, i) => {
        const kept = leaves(after[i].toJS());
        for (const [path, value] of leaves(doc.toJS())) {
          if (replaced.has(path) || value === null) continue; // what the fix fills in
          assert.deepEqual(kept.get(path), value, `${label}: ${path}`);
        }
      });
      fixes++;
    }
  }
  assert.ok(fixes >= 10, `only ${fixes} fixes`);
});

test('the preStop and readiness fixes fill in a lifecycle or readinessProbe the container already has', () => {
  const text = fixtureText('lint/partial-probes.yaml');
  const fixesOf = (code: string) => lintFile(parseYamlFile(text)).filter((f) => f.code === code).map((f) => f.fix);
  const containers = (fix: { edits: { start: number; end: number; newText: string }[] } | undefined) => (parseAllDocuments(applyEdits(text, fix!.edits))[0].toJS() as any).spec.template.spec.containers;
  const [shopReady, cacheReady] = fixesOf(Rule.NoReadinessProbe);
  assert.deepEqual(containers(shopReady)[0].readinessProbe, { httpGet: { path: '/healthz/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 });
  assert.match(applyEdits(text, shopReady!.edits), /readinessProbe: # to be written\n {12}httpGet:\n/);
  assert.deepEqual(containers(cacheReady)[1].readinessProbe, { tcpSocket: { port: 8080 }, periodSeconds: 5 });
  const [shopStop, cacheStop, logStop] = fixesOf(Rule.NoPreStop);
  assert.deepEqual(containers(shopStop)[0].lifecycle, { postStart: { exec: { command: ['/bin/warm-cache'] } }, preStop: { sleep: { seconds: 10 } } });
  assert.deepEqual(containers(cacheStop)[1].lifecycle, { preStop: { sleep: { seconds: 10 } } });
  assert.deepEqual(containers(logStop)[2].lifecycle, { preStop: { sleep: { seconds: 10 } } });
});

test('the readiness fix inserts a probe inside the right container, aligned with its keys', () => {
  const text = fixtureText('lint/bad-rolling.yaml');
  const finding = lintFile(parseYamlFile(text)).find((f) => f.code === Rule.NoReadinessProbe)!;
  const fixed = parseYamlFile(applyEdits(text, finding.fix!.edits));
  const api = fixed.documents[0].value as any;
  assert.deepEqual(api.spec.template.spec.containers[0].readinessProbe.httpGet, { path: '/healthz/ready', port: 'http' });
  assert.equal(api.spec.template.spec.containers[0].lifecycle.preStop.exec.command[0], 'sleep', 'existing fields kept');
  assert.equal(api.spec.template.spec.containers[1].readinessProbe, undefined);
});

test('blue/green: a Service catching both colours, and one selecting nothing', () => {
  const text = fixtureText('lint/bluegreen-both.yaml');
  const findings = lintFile(parseYamlFile(text));
  const both = findings.filter((f) => f.code === Rule.ServiceCatchesBothColours);
  assert.equal(both.length, 1);
  assert.match(both[0].message, /blue, green/);
  const fixed = lintFile(parseYamlFile(applyEdits(text, both[0].fix!.edits)));
  assert.equal(fixed.filter((f) => f.code === Rule.ServiceCatchesBothColours).length, 0);
  const nothing = findings.filter((f) => f.code === Rule.ServiceSelectsNothing);
  assert.equal(nothing.length, 1);
  assert.match(nothing[0].message, /app: nothing-here/);
  assert.deepEqual(codes(findings), [Rule.ServiceCatchesBothColours, Rule.ServiceSelectsNothing]);
});

test('a replica canary that cannot reach its declared share', () => {
  const findings = lintFile(fixture('lint/canary-replicas.yaml'));
  assert.deepEqual(codes(findings), [Rule.CanaryShareUnreachable]);
  assert.match(findings[0].message, /declares 10%.*about 25%/);
});

test('Argo rollouts: weights not expressible by replicas, going down, over 100; active equals preview', () => {
  const text = fixtureText('lint/rollouts.yaml');
  const findings = lintFile(parseYamlFile(text));
  const by = (code: string) => findings.filter((f) => f.code === code);
  assert.deepEqual(by(Rule.CanaryWeightNotExpressible).map((f) => at(text, f)), ['10']);
  assert.match(by(Rule.CanaryWeightNotExpressible)[0].message, /setWeight 10 with 4 replicas runs 1 canary \+ 4 stable pods = 20%/);
  assert.deepEqual(by(Rule.CanaryWeightsDecrease).map((f) => at(text, f)), ['25']);
  assert.deepEqual(by(Rule.CanaryWeightOver100).map((f) => at(text, f)), ['120']);
  assert.deepEqual(by(Rule.ActiveEqualsPreview).map((f) => at(text, f)), ['pay']);
  // The Service "pay" is managed by the Rollout: no selector findings for it.
  assert.equal(by(Rule.ServiceCatchesBothColours).length + by(Rule.ServiceSelectsNothing).length, 0);
});

test('malformed YAML gives the parser diagnostics and never throws', () => {
  const findings = lintFile(fixture('lint/malformed.yaml'));
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.code === Rule.Syntax));
  assert.ok(findings.some((f) => f.severity === 'error'));
  for (const garbage of ['', '---', ':', '- - -\n  :', 'kind: Deployment\napiVersion: apps/v1\nspec: 3', 'kind: Deployment\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      containers: 5', '*a', '&a [*a]', 'apiVersion: v1\nkind: Service\nspec:\n  selector: [1]']) {
    assert.doesNotThrow(() => lintFile(parseYamlFile(garbage)), garbage);
  }
});

const HELM_TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          {{- with .Values.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports: [{port: 80}]
`;

test('Helm templates are not linted as manifests: no syntax errors from {{ }}, no findings from template values', () => {
  const file = parseYamlFile(HELM_TEMPLATE);
  assert.ok(file.problems.length > 0, 'the template is not valid YAML as it stands');
  assert.deepEqual(lintFile(file).map((f) => `${f.code}: ${f.message}`), [], 'and none of that is reported');
});

test('template text in quoted strings (an alert message in a ConfigMap) does not hide the file\'s findings', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: alerts}
data:
  summary: "Instance {{ $labels.instance }} is down"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:latest
          readinessProbe: {httpGet: {path: /, port: 80}}
          lifecycle: {preStop: {sleep: {seconds: 5}}}
`;
  assert.deepEqual(codes(lintFile(parseYamlFile(text))), [Rule.ImageWithoutTag]);
  // And broken YAML without templates still says so.
  assert.deepEqual(codes(lintFile(parseYamlFile('kind: Service\nspec: [unclosed\n'))), [Rule.Syntax]);
});

// Chart templates in the shapes charts use: a first line that is an if, a {{/* */}} licence or an
// include; with/range/define blocks; `{{- toYaml … | nindent 4 }}` lines.
const HELM_FIXTURES = readdirSync(join(__dirname, '..', '..', 'test', 'fixtures', 'helm'));

test('Helm chart templates get no findings, whatever their first line is', () => {
  assert.ok(HELM_FIXTURES.length >= 5);
  for (const name of HELM_FIXTURES) {
    assert.deepEqual(lintFile(fixture(`helm/${name}`)).map((f) => `${f.code}: ${f.message}`), [], name);
  }
});

test('every parse problem of a template is its own, stream errors after a first-line action included', () => {
  const text = fixtureText('helm/if-configmap.yaml');
  const file = parseYamlFile(text);
  const afterFirstDocument = file.problems.filter((p) => file.documents.every((d) => p.start > d.end));
  assert.ok(afterFirstDocument.some((p) => /YAML stream: "kind"/.test(p.message)), 'the {{- if }} line splits the stream');
  assert.ok(file.problems.every((p) => p.templated) && file.documents.every((d) => d.templated));
  // A `{{` in a comment does not make a plain file a template: its syntax error is still reported.
  const plain = parseYamlFile('# rendered from {{ .Values.service }}\nkind: Service\nspec: [unclosed\n');
  assert.ok(plain.problems.every((p) => !p.templated));
  assert.deepEqual(codes(lintFile(plain)), [Rule.Syntax]);
});

// ---- one Service over several versions: version routing, not a blue/green mistake (issue 16) ----

const versioned = (versions: string[]) =>
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec:\n  selector: {app: reviews}\n  ports: [{port: 9080}]',
    ...versions.map((v) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-${v}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: reviews, version: ${v}}}\n  template:\n    metadata: {labels: {app: reviews, version: ${v}}}\n    spec:\n      containers:\n        - name: reviews\n          image: docker.io/istio/examples-bookinfo-reviews-${v}:1.20.1\n          readinessProbe: {httpGet: {path: /, port: 9080}}\n          lifecycle: {preStop: {sleep: {seconds: 5}}}`),
  ].join('\n---\n');
const catchesBoth = (text: string) => lintFile(parseYamlFile(text)).filter((f) => f.code === Rule.ServiceCatchesBothColours);

test('a Service over versions is version routing (bookinfo reviews v1/v2/v3, helloworld v1/v2): no blue/green finding unless it is meant to switch', () => {
  assert.deepEqual(catchesBoth(versioned(['v1', 'v2', 'v3'])), []);
  // Version numbers under one Service share it on purpose (a mesh routes them, or replicas split them).
  assert.deepEqual(catchesBoth(versioned(['v1', 'v2'])), []);
  assert.deepEqual(catchesBoth(versioned(['1.4.0', '1.5.0-rc.1'])), []);
  // Colours are an environment pair: catching both is the mistake.
  assert.equal(catchesBoth(versioned(['blue', 'green'])).length, 1);
  // So are versions when another Service picks one of them: the pair is meant to be switched.
  const picked = `${versioned(['v1', 'v2'])}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews-preview}\nspec:\n  selector: {app: reviews, version: v2}\n  ports: [{port: 9080}]`;
  assert.equal(catchesBoth(picked).length, 1);
});

test('two versions a router splits (Istio subsets, SMI TrafficSplit, a GAMMA HTTPRoute) are not a mistake either', () => {
  const destinationRule = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec:\n  host: reviews.default.svc.cluster.local\n  subsets:\n    - {name: blue, labels: {version: blue}}\n    - {name: green, labels: {version: green}}';
  const trafficSplit = 'apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: reviews}\nspec:\n  service: reviews\n  backends: [{service: reviews-v1, weight: 90}, {service: reviews-v2, weight: 10}]';
  const httpRoute = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: reviews}\nspec:\n  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]\n  rules:\n    - backendRefs: [{name: reviews-v1, port: 9080, weight: 90}, {name: reviews-v2, port: 9080, weight: 10}]';
  for (const router of [destinationRule, trafficSplit, httpRoute]) assert.deepEqual(catchesBoth(`${versioned(['blue', 'green'])}\n---\n${router}`), [], router.split('\n')[1]);
  // A DestinationRule of another host changes nothing.
  assert.equal(catchesBoth(`${versioned(['blue', 'green'])}\n---\n${destinationRule.replace('host: reviews.', 'host: ratings.')}`).length, 1);
});

// ---- what is not a serving workload, or not a whole one (issue 16) ------------------------------

const worker = (extra = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: loadgen}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: loadgen}}\n  template:\n    metadata: {labels: {app: loadgen}}\n    spec:\n      containers:\n        - name: loadgen\n          image: ghcr.io/acme/loadgen:1.0.0\n${extra}`;
const codesOf = (text: string) => lintFile(parseYamlFile(text)).map((f) => f.code);

test('pods that take no traffic (no port, no Service selects them) get no readiness or preStop advice', () => {
  assert.deepEqual(codesOf(worker()), []);
  const serving = codesOf(worker('          ports: [{containerPort: 8080}]\n'));
  assert.ok(serving.includes(Rule.NoReadinessProbe) && serving.includes(Rule.NoPreStop), serving.join());
  const selected = codesOf(`${worker()}---\napiVersion: v1\nkind: Service\nmetadata: {name: loadgen}\nspec:\n  selector: {app: loadgen}\n  ports: [{port: 80}]\n`);
  assert.ok(selected.includes(Rule.NoReadinessProbe) && selected.includes(Rule.NoPreStop), selected.join());
});

test('a kustomize strategic-merge patch (no selector: the rest comes from its base) gets no findings of what it leaves out', () => {
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n        - name: web\n          ports: [{containerPort: 8080}]\n          resources: {limits: {memory: 512Mi}}\n';
  assert.deepEqual(codesOf(patch), []);
});

test('an image a build tool resolves (ko://) is not an image without a tag', () => {
  const ko = worker('          ports: [{containerPort: 8080}]\n').replace('ghcr.io/acme/loadgen:1.0.0', 'ko://github.com/acme/loadgen/cmd/loadgen');
  assert.ok(!codesOf(ko).includes(Rule.ImageWithoutTag));
  assert.ok(codesOf(ko.replace('ko://github.com/acme/loadgen/cmd/loadgen', 'ghcr.io/acme/loadgen')).includes(Rule.ImageWithoutTag));
});

test('"selects nothing" knows the pods of Experiment templates, of experiment steps and of sibling files; skaffold and kustomize images are placeholders', () => {
  const deployment = (name: string, labels: string, image = 'ghcr.io/acme/web:1.0.0') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: 8080}}
        lifecycle: {preStop: {sleep: {seconds: 5}}}
`;
  const service = (name: string, selector: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: ${selector}\n  ports: [{port: 80}]\n`;
  const nothing = (text: string, context = {}) => lintFile(parseYamlFile(text), context).filter((f) => f.code === Rule.ServiceSelectsNothing).map((f) => f.message);
  // Without a context, the lone Service is a finding; a sibling file's Rollout makes it a Service of real pods.
  const alone = deployment('other', '{app: other}') + service('web', '{app: web}');
  assert.equal(nothing(alone).length, 1);
  assert.match(nothing(alone)[0], /matches the pods of no Deployment, Rollout or Experiment in this file or its folder/);
  const sibling = podSources(parseYamlFile(`apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n`));
  assert.deepEqual(nothing(alone, { neighbours: sibling }), []);
  assert.equal(nothing(alone, { neighbours: [{ namespace: 'elsewhere', labels: { app: 'web' } }] }).length, 1, 'a sibling in another namespace does not count');
  // A Rollout's experiment step runs the template with the step template's labels on top.
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'ghcr.io/acme/web:1.0.0'}]}
  strategy:
    canary:
      steps:
      - experiment:
          templates:
          - {name: baseline, specRef: stable, metadata: {labels: {role: baseline}}}
`;
  assert.deepEqual(nothing(rollout + service('web-baseline', '{app: web, role: baseline}')), []);
  assert.equal(nothing(rollout + service('web-other', '{app: web, role: other}')).length, 1);
  const experiment = `---\napiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata: {name: ab}\nspec:\n  templates:\n  - name: a\n    template:\n      metadata: {labels: {app: ab, variant: a}}\n`;
  assert.deepEqual(nothing(deployment('x', '{app: x}') + experiment + service('ab-a', '{app: ab, variant: a}')), []);
  // skaffold's artifacts and kustomize's images are names a build tool gives a tag to.
  const untagged = (text: string, context = {}) => lintFile(parseYamlFile(text), context).filter((f) => f.code === Rule.ImageWithoutTag).length;
  const placeholder = deployment('frontend', '{app: frontend}', 'frontend');
  assert.equal(untagged(placeholder), 1);
  const skaffold = builtImageNames(parseYamlFile('apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: frontend\nprofiles:\n- name: dev\n  build: {artifacts: [{image: cartservice}]}\n'), 'skaffold');
  assert.deepEqual(skaffold, ['frontend', 'cartservice']);
  assert.equal(untagged(placeholder, { builtImages: new Set(skaffold) }), 0);
  const kustomize = builtImageNames(parseYamlFile('resources: [deployment.yaml]\nimages:\n- name: frontend\n  newTag: v2\n'), 'kustomization');
  assert.equal(untagged(deployment('frontend', '{app: frontend}', 'frontend:latest'), { builtImages: new Set(kustomize) }), 0);
  assert.equal(untagged(deployment('api', '{app: api}', 'api'), { builtImages: new Set(kustomize) }), 1, 'only the names the tool rewrites');
  assert.deepEqual([buildToolFile('a/skaffold.yaml'), buildToolFile('kustomization.yml'), buildToolFile('Kustomization'), buildToolFile('deploy.yaml')], ['skaffold', 'kustomization', 'kustomization', undefined]);
});

test('a document with syntax errors keeps its findings but offers no fixes (found by the fuzz test: a fix wrote a second readinessProbe)', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: web:1.0.0\n        ports: [{containerPort: 80}]\n        env \n        - name: A\n          value: b\n        readinessProbe: {httpGet: {path: /, port: 80}}\n';
  const findings = lintFile(parseYamlFile(text));
  assert.ok(findings.some((f) => f.code === Rule.Syntax));
  assert.ok(findings.some((f) => f.code === Rule.NoReadinessProbe), 'the rules still read what they can');
  assert.deepEqual(findings.filter((f) => f.fix).map((f) => f.code), []);
});

test('readiness and both-colours messages say what the controller will do, in its numbers', () => {
  const text = fixtureText('lint/bluegreen-both.yaml');
  const both = lintFile(parseYamlFile(text)).find((f) => f.code === Rule.ServiceCatchesBothColours)!;
  assert.match(both.message, /2 blue \+ 2 green pods: about 50% and 50% of requests/);
  const rolling = (strategy: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 10\n${strategy}  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: 'web:1.0.0', ports: [{containerPort: 80}]}\n`;
  const readiness = (text: string) => lintFile(parseYamlFile(text)).find((f) => f.code === Rule.NoReadinessProbe)!.message;
  // Defaults 25% / 25% of 10: surge rounds up to 3, unavailable down to 2, as the Deployment controller resolves them.
  assert.match(readiness(rolling('')), /a rolling update of 10 replicas starts up to 5 new pod\(s\) at once \(maxSurge 3, maxUnavailable 2\)/);
  assert.match(readiness(rolling('  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n')), /starts up to 1 new pod\(s\) at once \(maxSurge 1, maxUnavailable 0\)/);
});
