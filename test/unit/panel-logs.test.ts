// The details panel's Logs section (issue 12, point 3): which pod it reads, when it reads again,
// what arrives from the webview about it, and how it is rendered; and a followed log's bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { logChoice, logKey, PANEL_LOG_LINES, type PanelLogs } from '../../src/domain/panels/logs';
import { parseRolloutMessage } from '../../src/domain/panels/protocol';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { renderRollout } from '../../webview/render/rolloutView';
import { appendBounded, followLogPath, podLogPath } from '../../src/features/logs/document';
import { snapshotFixture } from '../support/snapshot';

const NOW = Date.parse('2026-11-25T10:05:00Z');

/** A canary of two revisions, its newest (canary) pod crash-looping after `restarts` restarts. */
function crashing(restarts: number): WorkloadView {
  const [w] = buildWorkloads(snapshotFixture('cluster/argo-canary-analysis-passed.yaml'));
  const [canary] = w.revisions;
  canary.pods[0] = { ...canary.pods[0], state: 'failed', restarts, problem: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app', container: 'app', image: 'ghcr.io/acme/app:2-crash' } };
  return w;
}

test('the Logs section reads the newest failing pod by default, the clicked one while it exists', () => {
  const w = crashing(2);
  const failing = w.revisions[0].pods[0].name;
  assert.deepEqual(logChoice(w), { pod: failing, container: 'app', why: 'failing', restarts: 2, state: 'failed:CrashLoopBackOff' });
  const other = w.revisions.at(-1)!.pods.at(-1)!.name;
  assert.notEqual(other, failing);
  assert.equal(logChoice(w, other)?.pod, other);
  assert.equal(logChoice(w, other)?.why, 'selected');
  assert.equal(logChoice(w, other)?.container, undefined, 'a healthy pod: the host asks it for its container');
  // A clicked pod that is gone (replaced): back to the failing one.
  assert.equal(logChoice(w, 'gone-pod')?.pod, failing);
  // Nothing failing and nothing clicked: nothing to read.
  const [healthy] = buildWorkloads(snapshotFixture('cluster/argo-canary-analysis-passed.yaml'));
  assert.equal(logChoice(healthy), undefined);
});

test('the log is read again when the pod restarts or changes state, not on every store change', () => {
  const key = (w: WorkloadView) => logKey(logChoice(w)!);
  assert.equal(key(crashing(2)), key(crashing(2)));
  assert.notEqual(key(crashing(2)), key(crashing(3)), 'a restart: a new run to show');
  const running = crashing(3);
  running.revisions[0].pods[0] = { ...running.revisions[0].pods[0], state: 'starting', problem: undefined };
  assert.notEqual(logKey(logChoice(running, running.revisions[0].pods[0].name)!), key(crashing(3)));
});

test('the webview may select a pod and follow its log; anything else is dropped', () => {
  assert.deepEqual(parseRolloutMessage({ type: 'selectPod', pod: 'web-1' }), { type: 'selectPod', pod: 'web-1' });
  assert.deepEqual(parseRolloutMessage({ type: 'followLogs', pod: 'web-1', container: 'app' }), { type: 'followLogs', pod: 'web-1', container: 'app' });
  assert.deepEqual(parseRolloutMessage({ type: 'followLogs', pod: 'web-1' }), { type: 'followLogs', pod: 'web-1' });
  for (const bad of [{ type: 'selectPod' }, { type: 'selectPod', pod: '' }, { type: 'selectPod', pod: 3 }, { type: 'followLogs', pod: 'x', container: 1 }]) assert.equal(parseRolloutMessage(bad), undefined, JSON.stringify(bad));
});

function panel(w: WorkloadView, logs?: PanelLogs, visible = true): RolloutPanelState {
  return { target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: NOW, ...(visible ? { events: { synced: true, rows: [], total: 0 } } : {}), ...(logs ? { logs } : {}) };
}
const logsHtml = (s: RolloutPanelState) => renderRollout(s).find((x) => x.key === 'logs')?.html;

test('the Logs section shows both runs after a crash, the API’s refusal in its words, and Follow', () => {
  const w = crashing(2);
  const choice = logChoice(w)!;
  const html = logsHtml(panel(w, { ...choice, lines: PANEL_LOG_LINES, current: { text: 'starting app\nerror: config: DATABASE_URL is not set\n' }, previous: { text: 'starting app\nexiting with status 1\n' } }))!;
  assert.match(html, new RegExp(`pod <code>${choice.pod}</code> · container <code>app</code> · failing · 2 restarts`));
  assert.match(html, /<h3>last 40 lines<\/h3><pre class="log" tabindex="0">starting app\nerror: config: DATABASE_URL is not set<\/pre>/);
  assert.match(html, /previous run \(before the last restart\), last 40 lines<\/h3><pre class="log" tabindex="0">starting app\nexiting with status 1<\/pre>/);
  assert.match(html, new RegExp(`data-follow-pod="${choice.pod}" data-follow-container="app"`));
  const refused = logsHtml(panel(w, { ...choice, lines: PANEL_LOG_LINES, current: { problem: 'The container "app" of pod "p" in namespace "n" has no log: it has not started.' } }))!;
  assert.match(refused, /<p class="warn log-problem">The container &quot;app&quot; of pod &quot;p&quot; in namespace &quot;n&quot; has no log: it has not started.<\/p>/);
  assert.match(logsHtml(panel(w, { ...choice, lines: PANEL_LOG_LINES }))!, /Reading…/);
  // Nothing failing: a hint instead of a read.
  assert.match(logsHtml(panel(w))!, /No pod is failing\..*Click a pod/s);
  // A hidden panel reads nothing and renders no section.
  assert.equal(logsHtml(panel(w, undefined, false)), undefined);
  // The chosen pod's square is marked, and every square says which pod it is.
  const revisions = renderRollout(panel(w, { ...choice, lines: PANEL_LOG_LINES })).find((x) => x.key === 'revisions')!.html;
  assert.match(revisions, new RegExp(`class="pod pod-failed pod-selected" data-pod="${choice.pod}"`));
  assert.equal((revisions.match(/data-pod="/g) ?? []).length, w.revisions.reduce((n, r) => n + r.pods.length, 0));
});

test('a followed log keeps its newest lines, cut at a line start; its document is apart from Show Logs’', () => {
  assert.equal(appendBounded('a\nb\n', 'c\n', 100), 'a\nb\nc\n');
  assert.equal(appendBounded('line1\nline2\n', 'line3\n', 12), 'line3\n');
  assert.equal(appendBounded('', 'x'.repeat(20), 10), 'x'.repeat(10));
  const target = { context: 'c', namespace: 'n', pod: 'p', container: 'app' };
  assert.equal(followLogPath(target), '/c/n/p/app.follow.log');
  assert.notEqual(followLogPath(target), podLogPath(target));
});
