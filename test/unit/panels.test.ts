// The webview panels' logic in plain Node: protocol, document policy, state building, rendering
// (traffic bar widths, step marking, pod grid colours, environments, buttons), charts, sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { simulateRollingUpdate } from '../../src/domain/strategy/rollingTimeline';
import { renderTrafficBars, samplesChartModel, timelineChartModel, trafficBars } from '../../webview/render/charts';
import { escapeHtml, html } from '../../webview/render/html';
import { separatedYaml } from '../../src/domain/manifests/insert';
import { isOffered, workloadActions } from '../../src/domain/actions/catalogue';
import { addSample, findWorkload, rollingPlan, sampleOf } from '../../src/domain/panels/rollout';
import { podGrid, renderRollout } from '../../webview/render/rolloutView';
import { diffSections } from '../../webview/render/sections';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { commandFor } from '../../src/features/panels/actions';
import { contentSecurityPolicy, createNonce, panelDocument } from '../../src/features/panels/document';
import { parseDesignerMessage, parseDesignerPersisted, parseRolloutMessage, parseRolloutPersisted, type DesignerFromWebview, type RolloutFromWebview } from '../../src/domain/panels/protocol';
import { snapshotFixture } from '../support/snapshot';

const NOW = Date.parse('2026-11-25T10:05:00Z');

function workload(fixture: string): { w: WorkloadView; state: RolloutPanelState } {
  const snapshot = snapshotFixture(`cluster/${fixture}.yaml`);
  const [w] = buildWorkloads(snapshot);
  const state: RolloutPanelState = {
    target: { namespace: w.namespace, name: w.name, id: w.id },
    status: 'live',
    context: 'kind-demo',
    readOnly: false,
    workload: w,
    samples: [sampleOf(w, NOW - 60_000), sampleOf(w, NOW)],
    rolling: rollingPlan(snapshot, w),
    now: NOW,
  };
  return { w, state };
}

const section = (state: RolloutPanelState, key: string) => renderRollout(state).find((s) => s.key === key)?.html ?? '';
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

// ---- protocol --------------------------------------------------------------------------------

test('protocol: every message survives the JSON round trip postMessage makes, and junk is refused', () => {
  const rollout: RolloutFromWebview[] = [{ type: 'ready' }, { type: 'ack', seq: 7 }, { type: 'error', message: 'boom' }, { type: 'action', action: 'promote' }, { type: 'action', action: 'rollback', revision: 3 }];
  for (const m of rollout) assert.deepEqual(parseRolloutMessage(JSON.parse(JSON.stringify(m))), m);
  const designer: DesignerFromWebview[] = [{ type: 'ready' }, { type: 'run', action: 'insert' }, { type: 'run', action: 'save' }, { type: 'change', form: { strategy: 'argo-canary', values: { 'app.app': 'web', 'argoCanary.analysis': true } } }];
  for (const m of designer) assert.deepEqual(parseDesignerMessage(JSON.parse(JSON.stringify(m))), m);

  assert.equal(parseRolloutMessage({ type: 'action', action: 'deleteNamespace' }), undefined);
  assert.equal(parseRolloutMessage({ type: 'action', action: 'rollback', revision: '3' }), undefined);
  assert.equal(parseRolloutMessage({ type: 'ack', seq: 1.5 }), undefined);
  assert.equal(parseRolloutMessage('ready'), undefined);
  assert.equal(parseDesignerMessage({ type: 'change', form: { strategy: 'ftp', values: {} } }), undefined);
  // Values other than text and booleans are dropped, not passed on to the generator.
  assert.deepEqual(parseDesignerMessage({ type: 'change', form: { strategy: 'rolling', values: { a: 'x', b: { evil: 1 }, c: 3 } } }), { type: 'change', form: { strategy: 'rolling', values: { a: 'x' } } });
});

test('protocol: persisted state restores the target and the samples, or nothing', () => {
  const persisted = { target: { namespace: 'demo', name: 'cart', id: 'Rollout/demo/cart' }, samples: [{ t: 1, desired: 5, updated: 1, available: 5, old: 4 }, { t: 'x' }] };
  assert.deepEqual(parseRolloutPersisted(JSON.parse(JSON.stringify(persisted))), { target: persisted.target, samples: [persisted.samples[0]] });
  assert.equal(parseRolloutPersisted({ target: { namespace: 'demo' } }), undefined);
  assert.equal(parseRolloutPersisted(undefined), undefined);
  assert.deepEqual(parseDesignerPersisted({ form: { strategy: 'bluegreen', values: { 'blueGreen.liveColor': 'green' } } }), { form: { strategy: 'bluegreen', values: { 'blueGreen.liveColor': 'green' } } });
  assert.equal(parseDesignerPersisted({}), undefined);
});

// ---- the webview document ----------------------------------------------------------------------

test('document: default-src none, the one script only by a fresh crypto nonce, styles from the webview folder', () => {
  const doc = panelDocument({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview/rollout.js', styleUri: 'https://x/dist/webview/panels.css', title: 'a "b" <c>', nonce: 'abc123==' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(doc)?.[1];
  assert.equal(csp, contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123=='));
  assert.match(csp!, /^default-src 'none'; /);
  assert.match(csp!, /script-src 'nonce-abc123=='/);
  assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(count(doc, /<script/g), 1);
  assert.match(doc, /<script nonce="abc123==" src="https:\/\/x\/dist\/webview\/rollout.js"><\/script>/);
  assert.match(doc, /<title>a &quot;b&quot; &lt;c></);
  const nonces = new Set(Array.from({ length: 50 }, createNonce));
  assert.equal(nonces.size, 50);
  for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
});

// ---- rendering ------------------------------------------------------------------------------

test('html escapes every value from the cluster', () => {
  assert.equal(escapeHtml(`<img src=x onerror="a">&'`), '&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
  assert.equal(html`<b title="${'"><script>'}">${['<i>', html`<i>ok</i>`]}</b>`.value, '<b title="&quot;&gt;&lt;script&gt;">&lt;i&gt;<i>ok</i></b>');
  const { state, w } = workload('argo-canary-paused');
  const evil = { ...state, workload: { ...w, name: '<script>alert(1)</script>', message: '<img onerror=x>' } };
  const out = renderRollout(evil).map((s) => s.html).join('');
  assert.doesNotMatch(out, /<script>|<img/);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('canary: the traffic bar widths are the desired and actual shares', () => {
  assert.deepEqual(trafficBars(20, 10, 400), [
    { label: 'desired', percent: 20, canary: 80, stable: 320 },
    { label: 'actual', percent: 10, canary: 40, stable: 360 },
  ]);
  assert.deepEqual(trafficBars(150, -5, 200).map((r) => [r.canary, r.stable]), [[200, 0], [0, 200]]);
  assert.deepEqual(trafficBars(NaN, 33.3, 100).map((r) => [r.canary, r.stable]), [[0, 100], [33.3, 66.7]]);
  const bars = renderTrafficBars(20, 10).value;
  assert.match(bars, /<rect class="canary" x="0" y="0" width="80" height="14">/);
  assert.match(bars, /<rect class="canary" x="0" y="0" width="40" height="14">/);
  assert.match(bars, /aria-label="desired: canary 20%, stable 80%"/);
});

test('canary: steps are numbered as Argo counts them (from 0), so the current chip is the N of "step N/M", as in the tree', () => {
  const { state } = workload('argo-canary-paused');
  const canary = section(state, 'canary');
  const numbers = [...canary.matchAll(/<span class="step-index">(\d+)<\/span>/g)].map((m) => Number(m[1]));
  assert.deepEqual(numbers, [0, 1, 2, 3]);
  const current = /<li class="step step-current"[^>]*>.*?<span class="step-index">(\d+)<\/span>/.exec(canary)?.[1];
  assert.equal(`step ${current}/4`, /step \d+\/4/.exec(canary)?.[0]);
});

test('canary: the steps timeline marks done, current (paused) and pending steps; the buttons are the tree\'s', () => {
  const { state } = workload('argo-canary-paused');
  const canary = section(state, 'canary');
  const steps = [...canary.matchAll(/<li class="step step-(\w+)"( aria-current="step")?>.*?<span class="step-text">([^<]*)<\/span>/g)].map((m) => [m[1], !!m[2], m[3]]);
  assert.deepEqual(steps, [
    ['done', false, 'setWeight: 20'],
    ['current', true, 'pause'],
    ['pending', false, 'setWeight: 50'],
    ['pending', false, 'pause: 30s'],
  ]);
  assert.match(canary, /step 1\/4/);
  assert.match(canary, /paused: CanaryPauseStep/);
  assert.match(canary, /❚❚/); // the current step shows it is paused, not only by colour

  const head = section(state, 'header');
  const buttons = [...head.matchAll(/<vscode-button data-action="(\w+)"[^>]*?( secondary)? ?( disabled)?>([^<]+)</g)].map((m) => [m[1], m[4], !m[2], !!m[3]]);
  assert.deepEqual(buttons, [
    ['promote', 'Promote', true, false],
    ['promoteFull', 'Promote full', false, false],
    ['abort', 'Abort', false, false],
    ['retry', 'Retry', false, true],
  ]);
  // Read-only mode offers no action at all.
  assert.doesNotMatch(renderRollout({ ...state, readOnly: true }).map((s) => s.html).join(''), /data-action=/);
  // A running action disables every button until it is done.
  assert.equal(count(section({ ...state, activity: { action: 'promote', state: 'running', message: 'Promote…' } }, 'header'), / disabled>/g), 4);
});

test('pod grid: one cell per pod coloured by state, with a summary for screen readers', () => {
  const { w } = workload('rolling-progress');
  const r = { ...w.revisions[0], pods: ['ready', 'ready', 'starting', 'pending', 'failed', 'terminating'].map((state, i) => ({ name: `web-${i}`, state: state as never, phase: 'Running', ready: state === 'ready', restarts: i === 4 ? 3 : 0, reason: i === 4 ? 'CrashLoopBackOff' : undefined })) };
  const grid = podGrid(r).value;
  assert.deepEqual([...grid.matchAll(/class="pod pod-(\w+)"/g)].map((m) => m[1]), ['ready', 'ready', 'starting', 'pending', 'failed', 'terminating']);
  assert.match(grid, /aria-label="Pods of revision 2: 2 ready, 1 starting, 1 pending, 1 failed, 1 terminating"/);
  assert.match(grid, /title="web-4 · failed \(CrashLoopBackOff\) · 3 restarts"/);
  assert.match(podGrid({ ...r, pods: [] }).value, /no pods/);
});

test('revisions: a Roll back button on old revisions only, running the tree\'s rollback with that revision', () => {
  const { state, w } = workload('rolling-progress');
  const revisions = section(state, 'revisions');
  assert.equal(count(revisions, /<article class="revision"/g), 2);
  assert.deepEqual([...revisions.matchAll(/data-action="rollback" data-key="[^"]+" data-revision="(\d+)"/g)].map((m) => m[1]), ['1']);
  assert.equal(isOffered(w, 'rollback', 1), true);
  assert.equal(isOffered(w, 'rollback', 2), false, 'the current revision is not a rollback target');
  assert.deepEqual(commandFor(w, 'rollback', 1), { command: 'switchyard.deployment.rollback', args: { namespace: 'demo', name: 'web', revision: 1 } });
});

test('blue/green: both environments side by side, the live one marked, Switch to the idle colour', () => {
  const { state, w } = workload('bluegreen');
  const envs = section(state, 'environments');
  assert.deepEqual([...envs.matchAll(/<article class="env env-(\w+)" aria-label="(\w+)/g)].map((m) => [m[2], m[1]]), [['blue', 'live'], ['green', 'idle']]);
  assert.match(envs, /badge-live/);
  assert.deepEqual(workloadActions(w).map((b) => [b.action, b.label, !!b.primary, !!b.disabled]), [['switch', 'Switch to green', true, false], ['switchBack', 'Switch back', false, true]]);
  assert.equal(isOffered(w, 'switchBack'), false, 'never switched: nothing to switch back to');
  // After a switch, going back to the idle colour is one button: the exact undo.
  const switched = { ...w, blueGreen: { ...w.blueGreen!, switchBackTo: 'green' } };
  assert.deepEqual(workloadActions(switched).map((b) => [b.action, b.label, !!b.primary]), [['switchBack', 'Switch back to green', true]]);
  assert.equal(isOffered(switched, 'switchBack'), true);
  // With more colours than two, back is not where Switch goes: both.
  const three = { ...w, blueGreen: { ...w.blueGreen!, switchBackTo: 'red' } };
  assert.deepEqual(workloadActions(three).map((b) => b.label), ['Switch to green', 'Switch back to red']);
  assert.deepEqual(commandFor(w, 'switch'), { command: 'switchyard.bluegreen.switch', args: { namespace: 'demo', name: 'shop' } });
  assert.equal(commandFor(w, 'promote'), undefined);
  assert.doesNotMatch(section(state, 'revisions'), /data-action="rollback"/);
});

test('Argo blue/green: active and preview revisions are the environments', () => {
  const { state } = workload('argo-bluegreen-preview');
  const envs = section(state, 'environments');
  assert.match(envs, /aria-label="active \(live\)"[\s\S]*revision 1[\s\S]*aria-label="preview"[\s\S]*revision 2/);
});

test('replica canary: requested share against the share ready pods give; Promote and Abort run the canary commands', () => {
  const { state, w } = workload('replica-canary');
  assert.match(section(state, 'canary'), /Split by ready pods/);
  assert.deepEqual(workloadActions(w).map((b) => b.action), ['promote', 'abort']);
  assert.equal(commandFor(w, 'promote')?.command, 'switchyard.canary.promote');
  assert.equal(commandFor(w, 'abort')?.command, 'switchyard.canary.abort');
});

test('Argo Rollout commands, and rollback as undo to a revision', () => {
  const { w } = workload('argo-canary-paused');
  assert.deepEqual(
    (['promote', 'promoteFull', 'abort', 'retry'] as const).map((a) => commandFor(w, a)?.command),
    ['switchyard.rollout.promote', 'switchyard.rollout.promoteFull', 'switchyard.rollout.abort', 'switchyard.rollout.retry'],
  );
  assert.deepEqual(commandFor(w, 'rollback', 1)?.args, { namespace: 'demo', name: 'cart', revision: 1 });
  assert.equal(isOffered(w, 'retry'), false, 'retry is for aborted rollouts');
});

test('analysis runs: each metric with its verdict and measured values, newest last', () => {
  const { state } = workload('argo-canary-paused');
  const analysis = section(state, 'analysis');
  assert.match(analysis, /cart-c2-2/);
  assert.match(analysis, /<table class="metrics">/);
  const rows = [...analysis.matchAll(/<tr><td>([^<]+)<\/td><td><span class="badge badge-(\w+)"[^>]*>(\w+)<\/span>/g)].map((m) => [m[1], m[3]]);
  assert.ok(rows.length > 0, analysis);
  assert.match(analysis, /class="latest"/);
});

test('rolling Deployment: the simulation uses its own maxSurge/maxUnavailable; samples record changes only', () => {
  const { state, w } = workload('rolling-progress');
  assert.ok(state.rolling?.timeline);
  assert.equal(state.rolling.timeline.replicas, w.replicas.desired);
  const progress = section(state, 'progress');
  assert.match(progress, /Pods over time/);
  assert.match(progress, /<svg class="chart"/);
  const a = sampleOf(w, 1);
  let samples = addSample([], a);
  samples = addSample(samples, { ...a, t: 2 });
  assert.equal(samples.length, 1, 'no change, no sample');
  samples = addSample(samples, { ...a, t: 3, updated: a.updated + 1 });
  assert.equal(samples.length, 2);
  const capped = Array.from({ length: 10 }, (_, i) => ({ ...a, t: i, updated: i })).reduce((s, x) => addSample(s, x, 4), [] as typeof samples);
  assert.deepEqual(capped.map((s) => s.t), [6, 7, 8, 9]);
});

test('rolling timeline chart: pod count and capacity per step as stairs', () => {
  const t = simulateRollingUpdate(4, 1, 0);
  const m = timelineChartModel(t, 560, 180);
  // Plot area 36..552 × 8..158; x runs over the steps, y up to the highest pod count (5).
  assert.deepEqual(m.plot, { left: 36, top: 8, right: 552, bottom: 158 });
  assert.equal(m.yMax, 5);
  const total = m.series.find((s) => s.key === 'total')!.points;
  const available = m.series.find((s) => s.key === 'available')!.points;
  const stepWidth = 516 / t.steps.length;
  const y = (pods: number) => Math.round((158 - (pods / 5) * 150) * 10) / 10;
  assert.deepEqual(total.slice(0, 4), [{ x: 36, y: y(4) }, { x: Math.round((36 + stepWidth) * 10) / 10, y: y(4) }, { x: Math.round((36 + stepWidth) * 10) / 10, y: y(t.steps[1].total) }, { x: Math.round((36 + 2 * stepWidth) * 10) / 10, y: y(t.steps[1].total) }]);
  assert.equal(total.length, 2 * t.steps.length);
  assert.equal(total[total.length - 1].x, 552);
  // maxUnavailable 0: capacity never drops below 4 pods.
  assert.ok(available.every((p) => p.y <= y(4)));
  assert.deepEqual(m.yTicks.map((tick) => tick.value), [0, 4, 5]);
});

test('samples chart spans the first sample to now', () => {
  const m = samplesChartModel([{ t: 0, desired: 4, updated: 0, available: 4, old: 4 }, { t: 5000, desired: 4, updated: 2, available: 3, old: 2 }], 10_000);
  const updated = m.series.find((s) => s.key === 'updated')!.points;
  assert.deepEqual([updated[0].x, updated[updated.length - 1].x], [m.plot.left, m.plot.right]);
  assert.equal(updated[2].x, (m.plot.left + m.plot.right) / 2);
});

test('no cluster, loading and not found render one message section', () => {
  const { state } = workload('bluegreen');
  for (const status of ['noCluster', 'loading', 'notFound'] as const) {
    const sections = renderRollout({ ...state, status, workload: undefined, problem: 'why' });
    assert.deepEqual(sections.map((s) => s.key), ['message']);
  }
  assert.equal(findWorkload([state.workload!], { namespace: 'demo', name: 'shop' })?.id, 'BlueGreen/demo/shop');
  assert.equal(findWorkload([state.workload!], { namespace: 'other', name: 'shop' }), undefined);
});

test('sections: only changed markup is swapped; gone sections are removed', () => {
  const before = new Map([['header', 'a'], ['canary', 'b'], ['revisions', 'c']]);
  assert.deepEqual(diffSections(before, [{ key: 'header', html: 'a' }, { key: 'revisions', html: 'c2' }, { key: 'analysis', html: 'd' }]), { changed: ['revisions', 'analysis'], removed: ['canary'], order: ['header', 'revisions', 'analysis'] });
  // One pod turning Ready changes the revisions section only.
  const { state, w } = workload('rolling-progress');
  const first = new Map(renderRollout(state).map((s) => [s.key, s.html]));
  const pods = w.revisions[0].pods.map((p, i) => (i === 0 ? { ...p, state: p.state === 'ready' ? ('starting' as const) : ('ready' as const) } : p));
  const next = { ...state, workload: { ...w, revisions: [{ ...w.revisions[0], pods }, ...w.revisions.slice(1)] } };
  assert.deepEqual(diffSections(first, renderRollout(next)).changed, ['revisions']);
});

test('inserting into a YAML file keeps it multi-document', () => {
  assert.equal(separatedYaml('kind: A\n', '', ''), 'kind: A\n');
  assert.equal(separatedYaml('kind: A\n', 'kind: X\n', ''), '---\nkind: A\n');
  assert.equal(separatedYaml('kind: A', 'kind: X', 'kind: Y\n'), '\n---\nkind: A\n---\n');
  assert.equal(separatedYaml('kind: A\n', 'kind: X\n', '---\nkind: Y\n'), '---\nkind: A\n');
});
