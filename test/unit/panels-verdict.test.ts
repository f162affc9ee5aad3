// The details panel's verdict line, times and "why it stopped" section (issue 12), rendered from the
// panel state in plain Node, and when the host posts the state again for its countdowns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { refreshAfterMs, sampleOf } from '../../src/domain/panels/rollout';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { isOffered } from '../../src/domain/actions/catalogue';
import { renderRollout } from '../../webview/render/rolloutView';
import { escapeHtml } from '../../webview/render/html';
import { snapshotFixture } from '../support/snapshot';
import type { NamespaceSnapshot } from '../../src/domain/model/objects';

function state(snapshot: NamespaceSnapshot, now: number, readOnly = false): RolloutPanelState {
  const [w] = buildWorkloads(snapshot);
  return { target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', context: 'kind-demo', readOnly, workload: w, samples: [sampleOf(w, now)], now };
}
const section = (s: RolloutPanelState, key: string) => renderRollout(s).find((x) => x.key === key)?.html ?? '';
const text = (markup: string) => markup.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const ABORTED_AT = Date.parse('2026-12-02T02:00:00Z');

test('an aborted canary: the verdict under the header says why and marks the toolbar\'s Retry; the why section lists the evidence and what to do', () => {
  const s = state(snapshotFixture('cluster/argo-canary-analysis-aborted.yaml'), ABORTED_AT);
  const verdict = section(s, 'verdict');
  assert.match(verdict, /class="verdict verdict-error"/);
  assert.ok(text(verdict).includes('Aborted: analysis error-rate failed (0.12 > 0.05) — retry after a fix, or undo (Retry above)'), text(verdict));
  // The suggested action is the toolbar's own Retry button (the one confirmed command), marked and primary; one button per action.
  const header = section(s, 'header');
  const retry = [...header.matchAll(/<vscode-button data-action="retry"[^>]*>/g)];
  assert.equal(retry.length, 1);
  assert.match(retry[0][0], /data-suggested="true"/);
  assert.doesNotMatch(retry[0][0], /secondary|disabled/);
  assert.equal([...renderRollout(s).map((x) => x.html).join('').matchAll(/data-action="retry"/g)].length, 1);
  assert.doesNotMatch(text(verdict), /release running/, 'a stopped release is not running');
  assert.ok(isOffered(s.workload!, 'retry'));
  const why = text(section(s, 'why'));
  assert.ok(why.includes('error-rate: 0.12, 0.12 — failed 2 > failureLimit 1 (failureCondition result > 0.05)'), why);
  assert.ok(why.includes('Rollout aborted update to revision 2'), 'the controller\'s own message');
  assert.ok(why.includes('Retry (the button above).'));
  assert.ok(why.includes('Undo Rollout… from the tree\'s menu or the command palette.'), 'undo has no panel button without a revision: said where it is');
  // The analysis table shows what each metric is judged by.
  const analysis = text(section(s, 'analysis'));
  assert.ok(analysis.includes('failureCondition result > 0.05'));
  assert.ok(analysis.includes('failed 2 > failureLimit 1'));
  assert.ok(analysis.includes('2 of 3 measurements, every 1s'));
});

test('read-only: the verdict still advises, without a button', () => {
  const s = state(snapshotFixture('cluster/argo-canary-analysis-aborted.yaml'), ABORTED_AT, true);
  assert.ok(text(section(s, 'verdict')).includes('retry after a fix, or undo'));
  assert.doesNotMatch(text(section(s, 'verdict')), /above/);
  assert.doesNotMatch(renderRollout(s).map((x) => x.html).join(''), /vscode-button/);
});

test('a healthy or progressing release has no why section', () => {
  for (const fixture of ['argo-canary-analysis-passed', 'rolling-progress', 'bluegreen']) {
    assert.equal(renderRollout(state(snapshotFixture(`cluster/${fixture}.yaml`), ABORTED_AT)).find((x) => x.key === 'why'), undefined, fixture);
  }
});

test('a timed pause counts down under the header; the host posts the state again every second while it does, then every 30 s', () => {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const start = Date.parse('2026-12-02T10:00:00Z');
  snapshot.rollouts[0].status!.currentStepIndex = 3;
  snapshot.rollouts[0].status!.pauseConditions = [{ reason: 'CanaryPauseStep', startTime: new Date(start).toISOString() }];
  snapshot.analysisRuns = [];
  const at = (ms: number) => state(snapshot, start + ms);
  assert.ok(text(section(at(6_000), 'verdict')).includes('resumes in 24 s'));
  assert.ok(text(section(at(6_000), 'verdict')).includes('pause ends in 24 s'));
  assert.ok(text(section(at(7_000), 'verdict')).includes('resumes in 23 s'), 'the same workload at a later now: the countdown moved');
  assert.equal(refreshAfterMs(at(6_000)), 1000);
  // Long after the pause should have ended (the controller resumes on its own sync), no more ticking by the second.
  assert.equal(refreshAfterMs(at(10 * 60_000)), 30_000);
  assert.equal(refreshAfterMs({ ...at(0), status: 'loading', workload: undefined }), undefined);
});

test('the progress deadline and a running analysis\'s next measurement are shown relative to now', () => {
  const snapshot = snapshotFixture('cluster/rolling-progress.yaml');
  const d = snapshot.deployments[0];
  d.spec!.progressDeadlineSeconds = 300;
  d.status!.conditions = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-11-25T10:00:00Z' }];
  const s = state(snapshot, Date.parse('2026-11-25T10:01:00Z'));
  assert.ok(text(section(s, 'verdict')).includes('progress deadline in 4 min'), text(section(s, 'verdict')));
  assert.ok(text(section(s, 'verdict')).includes('release running 1 min'));
  // Cluster text stays text.
  assert.equal(escapeHtml('<b>'), '&lt;b&gt;');
});
