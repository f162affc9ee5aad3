// Metrics evidence in a real VS Code against the local cluster's real Prometheus (which scrapes the
// traffic source: request metrics for every Ready demo pod): the details panel's Metrics section
// of the demo's replica canary, and Evaluate now from its CodeLens on an AnalysisTemplate file,
// with a query Prometheus rejects shown as a diagnostic where Prometheus says. Skipped without a
// cluster (SWITCHYARD_KUBECONFIG) or without the demo.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import type { RolloutPanel } from '../../src/features/panels/rolloutPanel';
import { api, closeAllEditors, renderedUntil, tempPath, waitFor } from './support';
import { suite, teardown, test } from './tdd';

const DEMO = 'switchyard-demo';

/** The local cluster's ports.env beside the kubeconfig the suite was given (PROMETHEUS_URL…), if any. */
function clusterPorts(): Record<string, string> | undefined {
  const kubeconfig = process.env.SWITCHYARD_KUBECONFIG;
  const file = kubeconfig && join(dirname(kubeconfig), 'ports.env');
  if (!file || !existsSync(file)) return undefined;
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').flatMap((l) => (/^([A-Z_]+)=(.*)$/.exec(l) ? [[RegExp.$1, RegExp.$2.replace(/^"(.*)"$/, '$1')]] : [])));
}

/** The demo's replica canary, or why the test cannot run. */
async function demoReady(): Promise<{ ports: Record<string, string>; canary: string } | undefined> {
  const ports = clusterPorts();
  if (!ports?.PROMETHEUS_URL) return undefined;
  // watched from the first call on: wait until every watch of the namespace has listed once
  const deadline = Date.now() + 30_000;
  let probe = await (await api()).workloads(DEMO);
  while (!probe.problem && !probe.synced && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    probe = await (await api()).workloads(DEMO);
  }
  const canary = probe.workloads?.find((w) => w.kind === 'ReplicaCanary');
  return canary ? { ports, canary: canary.name } : undefined;
}

/** The first state the panel's webview drew that satisfies `predicate`. */
const rendered = (panel: RolloutPanel, what: string, predicate: (s: RolloutPanelState) => boolean, timeoutMs: number) => renderedUntil(panel, what, predicate, timeoutMs, (s) => `metrics ${JSON.stringify(s?.metrics ?? null).slice(0, 600)}`);

/** An AnalysisTemplate file of the demo namespace (no args: nothing to ask), with `metrics` as YAML lines. */
function templateFile(name: string, address: string, metrics: string): vscode.Uri {
  const file = tempPath(`${name}.yaml`);
  writeFileSync(file, `apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: ${name}\n  namespace: ${DEMO}\nspec:\n  metrics:\n${metrics.replaceAll('@ADDRESS@', address)}`);
  return vscode.Uri.file(file);
}

/** The CodeLenses of `uri` once there are some (the extension may still be loading its parser). */
async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    if (lenses?.length || Date.now() > deadline) return lenses ?? [];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs the "Evaluate now" CodeLens of `metric` as a click would, and returns its outcome and the report it opened. */
async function evaluateByLens(uri: vscode.Uri, metric: string): Promise<{ outcome: { ok: boolean; message: string }; report: string }> {
  await vscode.window.showTextDocument(uri);
  const lenses = await codeLenses(uri);
  const lens = lenses.find((l) => l.command?.title.includes('Evaluate now') && (l.command.arguments?.[0] as { metric?: string })?.metric === metric);
  assert.ok(lens?.command, `an Evaluate now lens for ${metric}: ${lenses.map((l) => l.command?.title).join(', ')}`);
  const outcome = (await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []))) as { ok: boolean; message: string };
  // one report per template, replaced by each evaluation: the one of this metric
  const report = await waitFor(`the report of ${metric} beside the template`, () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'switchyard-evaluation' && d.uri.path.endsWith(`/${DEMO}-${uri.path.split('/').pop()!.replace(/\.yaml$/, '')}.md`) && d.getText().includes(`## ${metric}:`))?.getText(), 10_000);
  return { outcome, report };
}

suite('Metrics evidence against the real Prometheus', () => {
  teardown(closeAllEditors);

  test('the details panel\'s Metrics section shows the demo canary\'s golden signals against its stable, from the real Prometheus', async function () {
    this.timeout(180_000);
    const ready = await demoReady();
    if (!ready) this.skip();
    const { ports, canary } = ready!;
    const config = vscode.workspace.getConfiguration('switchyard');
    await config.update('prometheus.url', { 'switchyard-local': ports.PROMETHEUS_URL }, vscode.ConfigurationTarget.Global);
    try {
      const panel = (await vscode.commands.executeCommand('switchyard.panel.open', { namespace: DEMO, name: canary })) as RolloutPanel;
      // the first live refresh, then one whose comparison has traffic enough to say something (refreshed every 10 s)
      const s = await rendered(panel, 'live golden signals with a comparison', (x) => x.metrics?.status === 'live' && !!x.metrics.comparison && x.metrics.comparison.verdict !== 'insufficient' && x.metrics.sides.every((side) => side.series.requests.length >= 2), 150_000);
      const m = s.metrics!;
      assert.equal(m.source, ports.PROMETHEUS_URL);
      assert.equal(m.sourceFrom, 'switchyard.prometheus.url');
      assert.deepEqual(m.sides.map((x) => x.side), ['candidate', 'baseline']);
      // the demo's api-canary (1 pod) and api-stable (9 pods) serve 10 requests/s per pod, none failing
      const [candidate, baseline] = m.sides;
      assert.equal(candidate.pods, 1);
      assert.equal(baseline.pods, 9);
      const latest = (points: [number, number][]) => points[points.length - 1][1];
      assert.ok(Math.abs(latest(candidate.series.requests) - 10) < 2, `canary ≈ 10 requests/s: ${latest(candidate.series.requests)}`);
      assert.ok(Math.abs(latest(baseline.series.requests) - 90) < 10, `stable ≈ 90 requests/s: ${latest(baseline.series.requests)}`);
      assert.equal(m.comparison!.verdict, 'same', m.comparison!.text);
      assert.match(m.comparison!.text, /^canary error rate 0% vs stable 0% over the last .* — no clear difference$/);
      assert.ok(candidate.series.p95.length > 0 && latest(candidate.series.p95) < 0.2, 'the canary\'s p95, well under 200 ms');
    } finally {
      await config.update('prometheus.url', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Evaluate now from the CodeLens runs the query, shows the result and whether the conditions hold; a query Prometheus rejects is a diagnostic on its line', async function () {
    this.timeout(90_000);
    const ready = await demoReady();
    if (!ready) this.skip();
    const address = ready!.ports.PROMETHEUS_URL;
    const uri = templateFile(
      'api-canary-health',
      address,
      [
        '  - name: error-rate',
        '    successCondition: result[0] < 0.05',
        '    failureCondition: result[0] >= 0.05',
        '    provider:',
        '      prometheus:',
        '        address: @ADDRESS@',
        '        query: |',
        `          sum(rate(http_requests_total{namespace="${DEMO}",pod=~"api-canary-.*",code="500"}[1m]))`,
        '          /',
        `          sum(rate(http_requests_total{namespace="${DEMO}",pod=~"api-canary-.*"}[1m]))`,
        '  - name: broken',
        '    successCondition: result[0] > 0',
        '    provider:',
        '      prometheus:',
        '        address: @ADDRESS@',
        '        query: |',
        `          sum(rate(http_requests_total{namespace="${DEMO}"}[1m]))`,
        '          / sum(rate(http_requests_total[1x]))',
        '',
      ].join('\n'),
    );
    const good = await evaluateByLens(uri, 'error-rate');
    assert.ok(good.outcome.ok, good.outcome.message);
    assert.match(good.outcome.message, /^Evaluated now \(no AnalysisRun created\): error-rate: Successful \(\[0\]\)$/);
    assert.match(good.report, /## error-rate: Successful/);
    assert.match(good.report, new RegExp(`Prometheus: ${address.replace(/[.]/g, '\\.')}`));
    assert.match(good.report, /Result: 1 value\(s\): 0/);
    assert.match(good.report, /- successCondition `result\[0\] < 0\.05`: \*\*true\*\*/);
    assert.match(good.report, /- failureCondition `result\[0\] >= 0\.05`: \*\*false\*\*/);

    const bad = await evaluateByLens(uri, 'broken');
    assert.equal(bad.outcome.ok, true, 'Prometheus answered: the measurement is an Error, as Argo records it');
    assert.match(bad.report, /## broken: Error/);
    assert.match(bad.report, /Prometheus rejected the query: .*parse error/);
    const diagnostic = await waitFor('the rejected query\'s diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'prometheus'), 10_000);
    assert.match(diagnostic.message, /^Prometheus rejected the query of metric "broken": .*parse error/);
    // Prometheus names the position in the query it got; the diagnostic is on that line of the file
    const document = await vscode.workspace.openTextDocument(uri);
    const queryLine = document.getText().split('\n').findIndex((l) => l.includes('sum(rate(http_requests_total{namespace="switchyard-demo"}[1m]))'));
    assert.match(diagnostic.message, /\b2:\d+(\.\.\d+:\d+)?: parse error/, 'Prometheus points into the second line of the query, "1x"');
    const position = /(\d+):(\d+)(?:\.\.\d+:\d+)?: parse error/.exec(diagnostic.message)!;
    const named = new vscode.Position(queryLine + Number(position[1]) - 1, 10 + Number(position[2]) - 1);
    assert.ok(diagnostic.range.contains(named), `the diagnostic (${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}) covers Prometheus's ${position[0]} in the file (${named.line + 1}:${named.character + 1}: past the block's indentation)`);
    assert.ok(!vscode.languages.getDiagnostics(uri).some((d) => d.source === 'prometheus' && d.message.includes('"error-rate"')), 'the good query has none');
  });
});
