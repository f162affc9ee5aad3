// Jobs in slices (src/kube/slices.ts) share one queue: however many run at once (ten re-lists of
// All namespaces' cluster-wide watches), at most one slice runs per turn of the event loop, so they
// never add up to one long task; each still finishes, one that is no longer wanted stops, and one that
// throws fails alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSlices } from '../../src/kube/slices';

/** A job of `units` pieces of work, one piece per call of its step (as if each filled a slice), logging each slice. */
function job(name: string, units: number, log: string[]) {
  let left = units;
  return (stop: () => boolean) => {
    log.push(name);
    left--;
    void stop;
    return left === 0;
  };
}

test('jobs started together take turns: one slice per turn of the event loop, never two back to back', async () => {
  const log: string[] = [];
  // A probe that marks every turn of the event loop's check phase, as a long-task monitor would see them.
  let probing = true;
  const probe = () => {
    log.push('|');
    if (probing) setImmediate(probe);
  };
  setImmediate(probe);
  const done = await Promise.all([inSlices(job('a', 3, log)), inSlices(job('b', 3, log)), inSlices(job('c', 2, log))]);
  probing = false;
  assert.deepEqual(done, [true, true, true]);
  const slices = log.filter((x) => x !== '|');
  assert.deepEqual(slices.sort(), ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c']);
  // Between two slices there is always a turn boundary (the first ran at once, in the caller's task).
  const turns = log.join('').split('|').filter(Boolean);
  assert.ok(turns.every((t) => t.length === 1), `at most one slice per turn: ${log.join('')}`);
  // They take turns rather than one finishing before the next starts.
  assert.notDeepEqual(log.filter((x) => x !== '|').slice(0, 3), ['a', 'a', 'a']);
});

test('a job no longer wanted stops between slices and resolves false; one that throws fails alone', async () => {
  const log: string[] = [];
  // A quiet queue (the last test's final slice was a turn ago): the first slice runs at once.
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  let wanted = true;
  const stopped = inSlices(job('gone', 5, log), () => wanted);
  const failing = inSlices(() => {
    throw new Error('broken step');
  });
  const fine = inSlices(job('fine', 2, log));
  wanted = false;
  assert.equal(await stopped, false);
  await assert.rejects(failing, /broken step/);
  assert.equal(await fine, true);
  assert.deepEqual(log.filter((x) => x === 'gone'), ['gone'], 'only its first slice ran (at once: the queue was idle)');
});
