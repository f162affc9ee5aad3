import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { expandSnippet } from '../support/snippets';
import { validateObject } from '../support/validate';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

// Bundled to out/unit/, so read the file from the project root (the runner works from there).
const SNIPPETS_FILE = join(process.cwd(), 'snippets', 'switchyard.code-snippets');
const snippets = JSON.parse(readFileSync(SNIPPETS_FILE, 'utf8')) as Record<string, Snippet>;
const byPrefix = new Map(Object.values(snippets).map((s) => [s.prefix, s]));

const PREFIXES = ['sy-rolling', 'sy-bluegreen', 'sy-canary', 'sy-rollout-canary', 'sy-rollout-bluegreen', 'sy-analysis', 'sy-istio-canary', 'sy-nginx-canary', 'sy-httproute-canary', 'sy-flagger-bluegreen', 'sy-flagger-nginx', 'sy-flagger-gateway', 'sy-flagger-metrics'];

/** Expands a snippet with its defaults and parses every YAML document, failing on YAML errors. */
function objectsOf(prefix: string): any[] {
  const snippet = byPrefix.get(prefix);
  assert.ok(snippet, `no snippet with prefix ${prefix}`);
  const docs = parseAllDocuments(expandSnippet(snippet.body));
  assert.ok(Array.isArray(docs), `${prefix}: expected a document stream`);
  return docs.map((doc, i) => {
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${prefix}: YAML errors in document ${i + 1}`);
    assert.deepEqual(doc.warnings.map((e) => e.message), [], `${prefix}: YAML warnings in document ${i + 1}`);
    return doc.toJS();
  });
}

const find = (objects: any[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  assert.ok(found, `no ${kind} ${name}`);
  return found;
};

function podSpecs(objects: any[]): any[] {
  return objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Rollout').map((o) => o.spec.template.spec);
}

// ---- the snippet file ---------------------------------------------------------------------------

test('snippets: exactly the thirteen Switchyard prefixes, each with a description and a body of lines', () => {
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  assert.deepEqual([...prefixes].sort(), [...PREFIXES].sort());
  for (const s of Object.values(snippets)) {
    assert.equal(typeof s.description, 'string');
    assert.ok(s.description.length > 20, `${s.prefix}: description too short`);
    assert.ok(Array.isArray(s.body) && s.body.every((line) => typeof line === 'string'), `${s.prefix}: body must be string[]`);
  }
});

test('snippets: 2-space indentation, no tabs, no trailing spaces', () => {
  for (const s of Object.values(snippets)) {
    for (const line of s.body) {
      assert.ok(!line.includes('\t'), `${s.prefix}: tab in ${JSON.stringify(line)}`);
      assert.ok(!/\s$/.test(line), `${s.prefix}: trailing space in ${JSON.stringify(line)}`);
      const indent = line.length - line.trimStart().length;
      assert.equal(indent % 2, 0, `${s.prefix}: odd indentation in ${JSON.stringify(line)}`);
    }
  }
});

for (const prefix of PREFIXES) {
  test(`${prefix}: expands with its defaults to YAML documents that are valid against their schemas`, () => {
    const objects = objectsOf(prefix);
    assert.ok(objects.length > 0);
    const body = byPrefix.get(prefix)!.body;
    assert.equal(objects.length, body.filter((l) => l === '---').length + 1, 'one document per --- separated part');
    for (const o of objects) validateObject(o);
  });

  test(`${prefix}: the app name is one tab stop mirrored everywhere, and every default survives expansion`, () => {
    const body = byPrefix.get(prefix)!.body.join('\n');
    assert.equal(body.match(/\$\{1:/g)?.length, 1, 'the app name has its default once; the other fields mirror ${1}');
    const text = expandSnippet(body);
    assert.ok(!/\$\{?\d/.test(text), 'no tab stop left unexpanded');
    for (const o of objectsOf(prefix)) assert.match(o.metadata.name, /^web(-[a-z0-9-]+)?$/);
  });
}

test('snippets: every image has an explicit tag, never latest', () => {
  for (const prefix of PREFIXES) {
    for (const spec of podSpecs(objectsOf(prefix))) {
      for (const c of spec.containers) {
        assert.match(c.image, /^[a-z0-9./-]+:[\w][\w.-]*$/, `${prefix}: ${c.image}`);
        assert.doesNotMatch(c.image, /:latest$/, `${prefix}: ${c.image}`);
      }
    }
  }
});

test('snippets: every workload has readiness and liveness probes and a grace period longer than its preStop sleep', () => {
  for (const prefix of PREFIXES) {
    for (const spec of podSpecs(objectsOf(prefix))) {
      for (const c of spec.containers) {
        assert.ok(c.readinessProbe && c.livenessProbe, `${prefix}: probes`);
        assert.ok(c.resources?.requests, `${prefix}: resources`);
        const sleep = c.lifecycle.preStop.sleep.seconds;
        assert.ok(spec.terminationGracePeriodSeconds > sleep, `${prefix}: grace ${spec.terminationGracePeriodSeconds} <= preStop ${sleep}`);
      }
    }
  }
});

// ---- what each strategy needs -------------------------------------------------------------------

test('sy-rolling: RollingUpdate with surge, no unavailability, readiness gating and a Service over the app', () => {
  const objects = objectsOf('sy-rolling');
  const d = find(objects, 'Deployment', 'web');
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  assert.equal(d.spec.minReadySeconds, 5);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.deepEqual(d.spec.selector.matchLabels, d.spec.template.metadata.labels);
  assert.equal(d.spec.template.spec.containers[0].image, 'ghcr.io/acme/web:1.0.0');
  assert.deepEqual(find(objects, 'Service', 'web').spec.selector, { app: 'web' });
});

test('sy-bluegreen: production and preview Services select different colours, each matching a Deployment', () => {
  const objects = objectsOf('sy-bluegreen');
  const blue = find(objects, 'Deployment', 'web-blue');
  const green = find(objects, 'Deployment', 'web-green');
  assert.deepEqual(blue.spec.template.metadata.labels, { app: 'web', version: 'blue' });
  assert.deepEqual(green.spec.template.metadata.labels, { app: 'web', version: 'green' });
  assert.deepEqual(blue.spec.selector.matchLabels, blue.spec.template.metadata.labels);
  assert.deepEqual(green.spec.selector.matchLabels, green.spec.template.metadata.labels);
  assert.notEqual(blue.spec.template.spec.containers[0].image, green.spec.template.spec.containers[0].image, 'the idle colour carries the next version');
  const production = find(objects, 'Service', 'web').spec.selector;
  const preview = find(objects, 'Service', 'web-preview').spec.selector;
  assert.deepEqual(production, { app: 'web', version: 'blue' });
  assert.deepEqual(preview, { app: 'web', version: 'green' });
  assert.notEqual(production.version, preview.version);
});

test('sy-bluegreen: the colour choices offer both colours and start on opposite ones', () => {
  const body = byPrefix.get('sy-bluegreen')!.body.join('\n');
  const choices = [...body.matchAll(/version: \$\{\d+\|([a-z]+),([a-z]+)\|\}/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(choices, [
    ['blue', 'green'],
    ['green', 'blue'],
  ]);
});

test('sy-canary: stable and canary by track, one Service selecting only app, replicas match the declared share', () => {
  const objects = objectsOf('sy-canary');
  const stable = find(objects, 'Deployment', 'web-stable');
  const canary = find(objects, 'Deployment', 'web-canary');
  assert.equal(stable.spec.template.metadata.labels.track, 'stable');
  assert.equal(canary.spec.template.metadata.labels.track, 'canary');
  assert.deepEqual(find(objects, 'Service', 'web').spec.selector, { app: 'web' });
  const share = Number(canary.metadata.annotations['switchyard.dev/canary-share']);
  assert.equal((100 * canary.spec.replicas) / (canary.spec.replicas + stable.spec.replicas), share);
});

test('sy-rollout-canary: setWeight / pause / timed pause steps and the two Services it names', () => {
  const objects = objectsOf('sy-rollout-canary');
  const rollout = find(objects, 'Rollout', 'web');
  const canary = rollout.spec.strategy.canary;
  find(objects, 'Service', canary.canaryService);
  find(objects, 'Service', canary.stableService);
  assert.notEqual(canary.canaryService, canary.stableService);
  assert.deepEqual(canary.steps, [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5m' } }, { setWeight: 75 }, { pause: { duration: '5m' } }]);
  // No trafficRouting: each weight must be reachable with whole pods.
  for (const step of canary.steps.filter((s: any) => 'setWeight' in s)) assert.equal((rollout.spec.replicas * step.setWeight) % 100, 0);
});

test('sy-rollout-bluegreen: active and preview Services, manual promotion, delayed scale-down', () => {
  const objects = objectsOf('sy-rollout-bluegreen');
  const bg = find(objects, 'Rollout', 'web').spec.strategy.blueGreen;
  assert.equal(bg.autoPromotionEnabled, false);
  assert.equal(bg.scaleDownDelaySeconds, 30);
  assert.notEqual(bg.activeService, bg.previewService);
  find(objects, 'Service', bg.activeService);
  find(objects, 'Service', bg.previewService);
});

test('sy-analysis: success-rate and p95 latency from Prometheus, parameterised by service-name', () => {
  const [template] = objectsOf('sy-analysis');
  assert.deepEqual(template.spec.args, [{ name: 'service-name' }]);
  assert.deepEqual(
    template.spec.metrics.map((m: any) => m.name),
    ['success-rate', 'latency-p95'],
  );
  for (const m of template.spec.metrics) {
    assert.ok(m.interval && m.successCondition && m.failureLimit !== undefined, m.name);
    assert.match(m.provider.prometheus.query, /\{\{args\.service-name\}\}/);
    assert.match(m.provider.prometheus.query, /\[2m\]/, 'the window tab stop is mirrored into every query');
  }
  assert.match(template.spec.metrics[1].provider.prometheus.query, /histogram_quantile\(0\.95,/);
});

test('sy-istio-canary: subsets by track and weights that add up to 100', () => {
  const objects = objectsOf('sy-istio-canary');
  const rule = find(objects, 'DestinationRule', 'web');
  assert.deepEqual(rule.spec.subsets, [
    { name: 'stable', labels: { track: 'stable' } },
    { name: 'canary', labels: { track: 'canary' } },
  ]);
  const route = find(objects, 'VirtualService', 'web').spec.http[0].route;
  assert.deepEqual(
    route.map((r: any) => [r.destination.subset, r.weight]),
    [
      ['stable', 90],
      ['canary', 10],
    ],
  );
});

test('sy-nginx-canary: canary Ingress on the same host as the main one, with string annotations', () => {
  const objects = objectsOf('sy-nginx-canary');
  const main = find(objects, 'Ingress', 'web');
  const canary = find(objects, 'Ingress', 'web-canary');
  for (const ing of [main, canary]) assert.equal(ing.spec.ingressClassName, 'nginx');
  assert.equal(main.metadata.annotations, undefined);
  assert.deepEqual(canary.metadata.annotations, { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' });
  assert.equal(canary.spec.rules[0].host, main.spec.rules[0].host);
  find(objects, 'Service', canary.spec.rules[0].http.paths[0].backend.service.name);
  find(objects, 'Service', main.spec.rules[0].http.paths[0].backend.service.name);
});

test('sy-httproute-canary: two weighted backendRefs to the per-track Services', () => {
  const objects = objectsOf('sy-httproute-canary');
  const refs = find(objects, 'HTTPRoute', 'web').spec.rules[0].backendRefs;
  assert.deepEqual(
    refs.map((r: any) => [r.name, r.weight]),
    [
      ['web-stable', 90],
      ['web-canary', 10],
    ],
  );
  for (const r of refs) assert.equal(find(objects, 'Service', r.name).spec.selector.track, r.name.slice('web-'.length));
});

// ---- expandSnippet ------------------------------------------------------------------------------

test('sy-flagger-*: a Canary whose targetRef is the snippet\'s Deployment, the provider of its router, and MetricTemplates of the names it refers to', () => {
  const templates = objectsOf('sy-flagger-metrics');
  assert.deepEqual(templates.map((t) => t.metadata.name), ['web-error-rate', 'web-latency']);
  for (const t of templates) for (const v of ['{{ namespace }}', '{{ target }}', '{{ interval }}']) assert.ok(t.spec.query.includes(v), `${t.metadata.name}: ${v}`);
  for (const [prefix, provider] of [['sy-flagger-bluegreen', 'kubernetes'], ['sy-flagger-nginx', 'nginx'], ['sy-flagger-gateway', 'gatewayapi:v1']] as const) {
    const objects = objectsOf(prefix);
    const canary = find(objects, 'Canary', 'web');
    assert.equal(canary.spec.provider, provider, prefix);
    assert.deepEqual(canary.spec.targetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: find(objects, 'Deployment', 'web').metadata.name });
    assert.equal(canary.spec.service.targetPort, find(objects, 'Deployment', 'web').spec.template.spec.containers[0].ports[0].containerPort);
    assert.deepEqual(canary.spec.analysis.metrics.map((m: any) => m.templateRef.name), templates.map((t) => t.metadata.name), prefix);
    assert.equal(objects.some((o) => o.kind === 'Service'), false, `${prefix}: Flagger creates the Services`);
    if (provider === 'kubernetes') assert.equal(canary.spec.analysis.iterations, 10);
    else assert.deepEqual([canary.spec.analysis.stepWeight, canary.spec.analysis.maxWeight], [10, 50]);
    if (provider === 'nginx') assert.equal(find(objects, 'Ingress', canary.spec.ingressRef.name).spec.rules[0].host, 'web.example.com');
    if (provider === 'gatewayapi:v1') assert.deepEqual(canary.spec.service.gatewayRefs, [{ name: 'public-gateway' }]);
    assert.match(canary.spec.analysis.webhooks[0].metadata.cmd, /http:\/\/web-canary\//);
  }
});

test('expandSnippet: plain text, body lines joined with \\n', () => {
  assert.equal(expandSnippet('kind: Service'), 'kind: Service');
  assert.equal(expandSnippet(['a: 1', 'b: 2']), 'a: 1\nb: 2');
  assert.equal(expandSnippet([]), '');
});

test('expandSnippet: placeholders and mirrors, whichever comes first', () => {
  assert.equal(expandSnippet('${1:web}-$1-${1}'), 'web-web-web');
  assert.equal(expandSnippet('$1/${1:web}'), 'web/web', 'a mirror before its placeholder');
  assert.equal(expandSnippet('${1:a} ${1:b}'), 'a a', 'the first placeholder with a default wins');
  assert.equal(expandSnippet('${1:} ${1:x}'), 'x x', 'an empty default does not define the value');
  assert.equal(expandSnippet('$2 and ${2}'), ' and ', 'no default: empty');
  assert.equal(expandSnippet('$10${1:a}'), 'a', '$10 is tab stop 10, not $1 then 0');
  assert.equal(expandSnippet('$1a ${1:x}'), 'xa x');
});

test('expandSnippet: nested placeholders', () => {
  assert.equal(expandSnippet('${1:ghcr.io/${2:acme}/web}:${3:1.0.0}'), 'ghcr.io/acme/web:1.0.0');
  assert.equal(expandSnippet('${1:a ${2:b ${3:c}}} | $2 | $3'), 'a b c | b c | c');
  assert.equal(expandSnippet('${1:x-$2} ${2:y}'), 'x-y y', 'a mirror inside a default takes the later default');
  assert.equal(expandSnippet('${1:a$1}'), 'a', 'a tab stop inside its own default does not recurse');
  assert.equal(expandSnippet('${1:a $2} ${2:b $1}'), 'a b  b a ', 'cycles stop');
});

test('expandSnippet: choices take their first option, also for mirrors', () => {
  assert.equal(expandSnippet('version: ${1|blue,green|}'), 'version: blue');
  assert.equal(expandSnippet('$1 ${1|green,blue|} ${1:red}'), 'green green green');
  assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b', 'escaped comma in an option');
  assert.equal(expandSnippet('${1|x\\|y,z|}'), 'x|y', 'escaped pipe in an option');
  assert.equal(expandSnippet('${1|${2},z|}'), '${2}', 'options are plain text');
  assert.equal(expandSnippet('${1|a,b}'), '${1|a,b}', 'an unterminated choice is text');
  assert.equal(expandSnippet('${0|a,b|}'), '${0|a,b|}', '$0 cannot be a choice');
});

test('expandSnippet: $0 is the final tab stop and is not mirrored', () => {
  assert.equal(expandSnippet('a$0b'), 'ab');
  assert.equal(expandSnippet('${0:end} $0'), 'end ');
});

test('expandSnippet: variables give their default or nothing', () => {
  assert.equal(expandSnippet('$TM_FILENAME'), '');
  assert.equal(expandSnippet('name: ${TM_FILENAME_BASE:web}'), 'name: web');
  assert.equal(expandSnippet('${UNKNOWN:${1:nested}} $1'), 'nested nested');
  assert.equal(expandSnippet('${TM_FILENAME}x'), 'x');
  assert.equal(expandSnippet('$CURRENT_YEAR-$1'), '-');
  assert.equal(expandSnippet('${TM_FILENAME/(.*)/${1:-none}/}'), 'none', 'a variable transform works on the empty value');
});

test('expandSnippet: escapes', () => {
  assert.equal(expandSnippet('\\$1 costs \\$5'), '$1 costs $5');
  assert.equal(expandSnippet('${1:a\\}b}'), 'a}b');
  assert.equal(expandSnippet('${1:\\$HOME}'), '$HOME');
  assert.equal(expandSnippet('a\\\\b'), 'a\\b');
  assert.equal(expandSnippet('\\\\$1${1:x}'), '\\xx', 'an escaped backslash does not escape the dollar');
  assert.equal(expandSnippet('a\\nb'), 'a\\nb', 'other backslashes stay');
  assert.equal(expandSnippet('${1:a\\\\}b'), 'a\\b');
});

test('expandSnippet: braces and dollars that are not snippet syntax stay as text', () => {
  assert.equal(expandSnippet('query: sum(x{service="{{args.service-name}}"}[${1:2m}])'), 'query: sum(x{service="{{args.service-name}}"}[2m])');
  assert.equal(expandSnippet('pause: {}'), 'pause: {}');
  assert.equal(expandSnippet('cost: $ 5 ${ x } $'), 'cost: $ 5 ${ x } $');
  assert.equal(expandSnippet('${1:unterminated'), '${1:unterminated');
  assert.equal(expandSnippet('${1:a ${2:b} c'), '${1:a b c', 'an unterminated placeholder keeps its parsed children');
  assert.equal(expandSnippet('${-1}'), '${-1}');
});

test('expandSnippet: transforms apply to the mirrored value', () => {
  assert.equal(expandSnippet('${1:web} ${1/(.*)/${1:/upcase}/}'), 'web WEB');
  assert.equal(expandSnippet('${1|blue,green|} ${1/(blue)|green/${1:?green:blue}/}'), 'blue green');
  assert.equal(expandSnippet('${1:green} ${1/(blue)|green/${1:?green:blue}/}'), 'green blue');
  assert.equal(expandSnippet('${1:my-app} ${1/(.*)/${1:/pascalcase}/} ${1/(.*)/${1:/camelcase}/}'), 'my-app MyApp myApp');
  assert.equal(expandSnippet('${1:a-b-c} ${1/-/_/g}'), 'a-b-c a_b_c');
  assert.equal(expandSnippet('${1:a/b} ${1/\\//:/}'), 'a/b a:b', 'escaped slash in the regex');
  assert.equal(expandSnippet('${1:x} ${1/y/${0:+hit}/}'), 'x x', 'no match: the value is left as is');
  assert.equal(expandSnippet('${1:x} ${1/(y)/${1:-miss}/}'), 'x miss', 'no match with an else branch');
  assert.equal(expandSnippet('${1:x} ${1/(/z/}'), 'x ${1/(/z/}', 'an invalid regex is text');
});
