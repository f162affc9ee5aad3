import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, MAX_UNREACHABLE_BACKOFF_MS } from '../../src/kube/watcher';
import { seeded } from '../support/randomNamespace';

test('watch back-off: doubles from 200 ms to its cap, each wait spread ±20 %, and starts over after a reset', () => {
  const middle = new Backoff(200, 30_000, () => 0.5);
  assert.deepEqual(Array.from({ length: 10 }, () => middle.next()), [200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  middle.reset();
  assert.equal(middle.next(), 200);
  assert.equal(new Backoff(200, 30_000, () => 0).next(), 160);
  assert.ok(Math.abs(new Backoff(200, 30_000, () => 0.999999).next() - 240) < 0.001);
});

test('watch back-off: while the server cannot be reached, no wait exceeds the unreachable cap (+20 %), so a restarted server is seen within seconds', () => {
  const b = new Backoff();
  const waits = Array.from({ length: 20 }, () => b.next(MAX_UNREACHABLE_BACKOFF_MS));
  assert.ok(waits.every((w) => w <= MAX_UNREACHABLE_BACKOFF_MS * 1.2), waits.join(', '));
  assert.ok(waits.slice(-5).every((w) => w >= MAX_UNREACHABLE_BACKOFF_MS * 0.8), 'it reaches the cap');
  assert.ok(MAX_UNREACHABLE_BACKOFF_MS * 1.2 < 5_000, 'under the 5 s of issue 11');
});

test('watch back-off: watches that fail together (a server restart) do not retry together', () => {
  const random = seeded(7);
  const watches = Array.from({ length: 50 }, () => new Backoff(200, 30_000, random));
  // Each watch's time of its 6th attempt after the same failure.
  const at = watches.map((b) => Array.from({ length: 6 }, () => b.next(MAX_UNREACHABLE_BACKOFF_MS)).reduce((a, w) => a + w, 0));
  const spread = Math.max(...at) - Math.min(...at);
  assert.ok(spread > 1_000, `the 6th attempts spread over ${spread.toFixed(0)} ms`);
  assert.ok(new Set(at.map((t) => Math.round(t / 50))).size > 15, 'not in a few bunches');
});
