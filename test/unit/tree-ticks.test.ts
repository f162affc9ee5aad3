// Tree rows whose text moves with the clock are drawn again when it goes stale (issue 12, point 4):
// which rows (tickAfterMs: only those whose verdict reads otherwise later) and the one timer that
// re-fires them only while the view is visible (RowTicker, on node's mock timers: no real waiting).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { tickAfterMs } from '../../src/domain/release/verdict';
import { RowTicker } from '../../src/features/tree/ticker';
import { snapshotFixture } from '../support/snapshot';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

test('a row ticks every second during a timed pause, and never when its verdict holds no time', () => {
  const s = snapshotFixture('cluster/argo-canary-paused.yaml');
  s.rollouts[0].status!.currentStepIndex = 3; // pause: {duration: 30s}
  s.rollouts[0].status!.pauseConditions = [{ reason: 'CanaryPauseStep', startTime: iso(T0) }];
  s.analysisRuns = [];
  const [paused] = buildWorkloads(s);
  assert.equal(tickAfterMs(paused, T0 + 6_000), 1000, '"resumes in 24 s"');
  const [aborted] = buildWorkloads(snapshotFixture('cluster/argo-canary-analysis-aborted.yaml'));
  assert.equal(tickAfterMs(aborted, Date.parse('2026-12-02T02:00:00Z')), undefined, 'an abort reads the same an hour later: not redrawn');
});

test('one timer re-fires the due rows while the view is visible, none while hidden', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  try {
    const fired: string[][] = [];
    const ticker = new RowTicker<{ id: string }>((ids) => fired.push(ids), () => Date.now());
    ticker.rendered({ id: 'pause' }, 1000);
    ticker.rendered({ id: 'age' }, 30_000);
    ticker.rendered({ id: 'steady' }, undefined);
    mock.timers.tick(5_000);
    assert.deepEqual(fired, [], 'hidden: nothing drawn');
    ticker.setVisible(true);
    mock.timers.tick(0);
    assert.deepEqual(fired, [['pause']], 'shown: what went stale while hidden at once');
    ticker.rendered({ id: 'pause' }, 1000); // VS Code asked for the row again
    mock.timers.tick(1000);
    assert.deepEqual(fired, [['pause'], ['pause']]);
    ticker.rendered({ id: 'pause' }, undefined); // the pause ended: no time in the row any more
    mock.timers.tick(30_000);
    assert.deepEqual(fired, [['pause'], ['pause'], ['age']]);
    assert.equal(ticker.pending, 0);
    ticker.rendered({ id: 'age' }, 30_000);
    ticker.setVisible(false);
    mock.timers.tick(60_000);
    assert.equal(fired.length, 3, 'hidden again: nothing');
    ticker.dispose();
  } finally {
    mock.timers.reset();
  }
});
