// The connection pool lets a few new requests through per turn of the event loop
// (src/kube/transport.ts): 2,000 watches asked for at once are opened a few at a time,
// in the order they were asked for, each turn a task of its own, and none is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionPool } from '../../src/kube/transport';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('requests beyond the turn’s share wait for later turns, in the order they asked, and all get through', async () => {
  const pool = new ConnectionPool(true, 3);
  const admitted: number[] = [];
  const turns: number[][] = [];
  for (let i = 0; i < 8; i++) {
    const wait = pool.admit();
    if (wait) void wait.then(() => admitted.push(i));
    else admitted.push(i);
  }
  turns.push([...admitted]);
  while (admitted.length < 8) {
    await nextTurn();
    turns.push([...admitted]);
  }
  assert.deepEqual(turns, [[0, 1, 2], [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6, 7]]);
  assert.equal(pool.stats.deferred, 5);
  // A quiet pool lets the next request through at once again.
  await nextTurn();
  await nextTurn();
  assert.equal(pool.admit(), undefined);
});
