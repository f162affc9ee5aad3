// The details panel's activity line (issue 12, part 10, 4): it says when, and it goes once the
// workload has changed since its action (after that action's own effects have landed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { clockTime } from '../../src/domain/model/age';
import { ACTIVITY_SETTLE_MS, followActivity } from '../../src/domain/panels/rollout';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { renderRollout } from '../../webview/render/rolloutView';
import { snapshotFixture } from '../support/snapshot';

const T = Date.parse('2026-11-25T22:39:10Z');
const done = { action: 'switch' as const, state: 'done' as const, message: 'Switch "shop" to green: API confirmed in 17 ms', at: T };

test('the activity line is timestamped', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/bluegreen.yaml'));
  const state: RolloutPanelState = { target: { namespace: 'demo', name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], activity: done, now: T + 60_000 };
  const line = renderRollout(state).find((s) => s.key === 'activity')!.html;
  assert.match(line, new RegExp(`API confirmed in 17 ms <span class="muted">· at ${clockTime(T)}</span>`));
  const running = renderRollout({ ...state, activity: { ...done, state: 'running', message: 'Switch to green…' } }).find((s) => s.key === 'activity')!.html;
  assert.match(running, new RegExp(`since ${clockTime(T)}`));
  assert.match(clockTime(T), /^\d\d:\d\d$/);
});

test('the activity line stays while its own effects land, and goes when the workload changes after', () => {
  const snapshot = snapshotFixture('cluster/bluegreen.yaml');
  const [before] = buildWorkloads(snapshot);
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  service.spec!.selector = { app: 'shop', version: 'green' };
  const [switched] = buildWorkloads(snapshot);
  // The switch's own effect (the selector names green) lands within the settle time: kept, and it becomes the baseline.
  let tracked = followActivity({ activity: done, intent: undefined }, before, T + 10);
  tracked = followActivity(tracked, switched, T + 200);
  assert.equal(tracked.activity, done);
  // Later changes of pods only (not what actions change) keep it.
  const podsMoved = { ...switched, replicas: { ...switched.replicas, available: 1 } };
  tracked = followActivity(tracked, podsMoved, T + ACTIVITY_SETTLE_MS + 1000);
  assert.equal(tracked.activity, done);
  // Someone switches back (from anywhere): the line "switched to green" would be a lie now.
  service.spec!.selector = { app: 'shop', version: 'blue' };
  const [back] = buildWorkloads(snapshot);
  assert.equal(followActivity(tracked, back, T + ACTIVITY_SETTLE_MS + 2000).activity, undefined);
  // The workload gone: gone too. A running action is never cleared.
  assert.equal(followActivity(tracked, undefined, T + 1).activity, undefined);
  const running = { activity: { ...done, state: 'running' as const } };
  assert.equal(followActivity(running, back, T + 60_000), running);
});

test('a disconnected panel says since when its data may be stale, and turns every action off', () => {
  const snapshot = snapshotFixture('cluster/argo-canary-paused.yaml');
  const [w] = buildWorkloads(snapshot);
  const live: RolloutPanelState = { target: { namespace: 'demo', name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: T };
  const enabled = (state: RolloutPanelState) => renderRollout(state).map((s) => s.html).join('').match(/<vscode-button [^>]*>/g)!.filter((b) => !/ disabled/.test(b)).length;
  assert.ok(enabled(live) > 0, 'connected: Promote, Abort… are on');
  assert.equal(renderRollout(live).find((s) => s.key === 'connection'), undefined);
  const disconnected = { ...live, disconnected: { since: T, problem: 'Cannot reach the cluster at https://127.0.0.1:6443 (ECONNREFUSED).' } };
  const banner = renderRollout(disconnected).find((s) => s.key === 'connection')!.html;
  assert.match(banner, new RegExp(`Disconnected since ${clockTime(T)}, data may be stale\\.`));
  assert.match(banner, /ECONNREFUSED/);
  assert.equal(enabled(disconnected), 0, 'every button is off while disconnected');
  assert.equal(renderRollout(disconnected)[0].key, 'connection', 'the banner comes first');
});
