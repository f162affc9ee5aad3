// The list answer read as it arrives (src/kube/listReader.ts): every item parsed on its own equals
// what one JSON.parse of the whole answer gives, however the bytes are cut into chunks (strings with
// braces, brackets, quotes and backslashes, multi-byte characters cut in two), with metadata before
// the items (built-in lists) or after them (custom resources' lists, keys sorted). A watch answer's
// events, one JSON line each, come out whole and in order however the lines are cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ListReader, WatchEventReader } from '../../src/kube/listReader';

const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? 20261202);

/** Reads `text` cut at `cuts` (byte offsets): the items one by one and the rest. */
function read(text: string, cuts: number[] = []) {
  const bytes = Buffer.from(text, 'utf8');
  const items: unknown[] = [];
  const reader = new ListReader((item) => items.push(item));
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b).concat(bytes.length)) {
    reader.write(bytes.subarray(at, cut));
    at = cut;
  }
  return { items, rest: reader.end(), count: reader.items };
}

const tricky = { name: 'a"b\\"c}{][', note: 'ü → 日本 😀 \\\\', path: 'C:\\\\dir\\\\', nested: { list: [{ x: [1, { y: '}' }] }, []], empty: {} }, n: -1.5e3, t: true, z: null };

test('the head of a list (its keys before the items) is told once the items begin, before any item: a pager asks for the next page then', () => {
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'eyJ"x}' }, items: [{ metadata: { name: 'p1' } }, { metadata: { name: 'p2' } }] };
  const text = JSON.stringify(list);
  const seen: string[] = [];
  const reader = new ListReader<{ metadata: { name: string } }>((item) => seen.push(item.metadata.name), (head) => seen.push(`head ${JSON.stringify(head)}`));
  // Cut inside the continue token and inside the first item.
  const bytes = Buffer.from(text);
  const cuts = [text.indexOf('eyJ') + 2, text.indexOf('p1'), bytes.length];
  let at = 0;
  for (const cut of cuts) {
    reader.write(bytes.subarray(at, cut));
    at = cut;
  }
  reader.end();
  assert.deepEqual(seen, [`head ${JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: list.metadata, items: [] })}`, 'p1', 'p2']);
  // A custom resource's list has its metadata after the items: the head has none then.
  const heads: unknown[] = [];
  const cr = new ListReader(() => {}, (head) => heads.push(head));
  cr.write(Buffer.from(JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', items: [{ a: 1 }], kind: 'RolloutList', metadata: { continue: 'c' } })));
  assert.deepEqual(heads, [{ apiVersion: 'argoproj.io/v1alpha1', items: [] }]);
});

test('a built-in list (metadata first): each item and the metadata, as one parse gives them', () => {
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'eyJ"x' }, items: [{ metadata: { name: 'p1' }, spec: tricky }, { metadata: { name: 'p2' }, status: {} }] };
  const { items, rest, count } = read(JSON.stringify(list));
  assert.deepEqual(items, list.items);
  assert.equal(count, 2);
  assert.deepEqual(rest, { ...list, items: [] });
});

test('a custom resource list (keys sorted: items before kind and metadata), pretty-printed', () => {
  const list = { apiVersion: 'argoproj.io/v1alpha1', items: [{ kind: 'Rollout', spec: tricky }], kind: 'RolloutList', metadata: { resourceVersion: '7' } };
  const { items, rest } = read(JSON.stringify(list, null, 2));
  assert.deepEqual(items, list.items);
  assert.deepEqual(rest, { ...list, items: [] });
});

test('an empty list, and one without items', () => {
  assert.deepEqual(read('{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[]}'), { items: [], rest: { kind: 'PodList', metadata: { resourceVersion: '1' }, items: [] }, count: 0 });
  assert.deepEqual(read('{"kind":"PodList","metadata":{}}').rest, { kind: 'PodList', metadata: {} });
});

test('an answer cut short is an error, not a shorter list', () => {
  const text = JSON.stringify({ kind: 'PodList', items: [{ a: 1 }, { b: 2 }] });
  assert.throws(() => read(text.slice(0, text.length - 8)), SyntaxError);
});

test('any cut into chunks gives the items and rest one JSON.parse gives', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\\"', '}', ']', '{', '['), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('v'), { maxKeys: 3 })),
  })).v;
  const item = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), value, { maxKeys: 4 });
  fc.assert(
    fc.property(fc.array(item, { maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 10 }), fc.boolean(), fc.array(fc.nat(4000), { maxLength: 40 }), (items, token, sorted, cuts) => {
      const list = sorted ? { apiVersion: 'x/v1', items, kind: 'XList', metadata: { continue: token } } : { kind: 'XList', metadata: { continue: token }, items };
      const text = JSON.stringify(list);
      const expected = JSON.parse(text);
      const got = read(text, cuts);
      assert.deepEqual(got.items, expected.items);
      assert.deepEqual(got.rest, { ...expected, items: [] });
    }),
    { seed: SEED, numRuns: 500 },
  );
});

test('every byte as its own chunk', () => {
  const list = { kind: 'PodList', metadata: { continue: 'a\\"}' }, items: [{ spec: tricky }, { spec: tricky }] };
  const text = JSON.stringify(list);
  const { items } = read(text, Array.from({ length: Buffer.byteLength(text) }, (_, i) => i));
  assert.deepEqual(items, list.items);
});

/** Reads a watch answer cut at `cuts`: the events in order, as [type, object]. */
function readEvents(text: string, cuts: number[] = []) {
  const bytes = Buffer.from(text, 'utf8');
  const events: [string, unknown][] = [];
  const reader = new WatchEventReader((type, object) => events.push([type, object]));
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b).concat(bytes.length)) {
    reader.write(bytes.subarray(at, cut));
    at = cut;
  }
  return events;
}

test('a watch answer: each line is one event, whole and in order, however the lines are cut into chunks', () => {
  const object = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\\n', '}\n{', '"'), fc.integer()), { maxKeys: 4 });
  const event = fc.record({ type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'), object });
  fc.assert(
    fc.property(fc.array(event, { maxLength: 6 }), fc.array(fc.nat(2000), { maxLength: 30 }), (events, cuts) => {
      // As the API server writes them: one JSON object and a newline each.
      const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
      assert.deepEqual(readEvents(text, cuts), events.map((e) => [e.type, JSON.parse(JSON.stringify(e.object))]));
    }),
    { seed: SEED, numRuns: 500 },
  );
  // A line still arriving is not an event yet; every byte as its own chunk gives the same.
  const text = `${JSON.stringify({ type: 'MODIFIED', object: { spec: tricky } })}\n${JSON.stringify({ type: 'ADDED', object: { a: 1 } })}`;
  assert.deepEqual(readEvents(text), [['MODIFIED', { spec: tricky }]]);
  assert.deepEqual(readEvents(`${text}\n`, Array.from({ length: Buffer.byteLength(text) }, (_, i) => i)), [['MODIFIED', { spec: tricky }], ['ADDED', { a: 1 }]]);
});

test('a watch line that is not JSON is an error (the watch resumes from its last version), not a skipped event', () => {
  assert.throws(() => readEvents('{"type":"ADDED","object":{}}\n<html>proxy error</html>\n'), SyntaxError);
  // Blank lines between events are nothing.
  assert.deepEqual(readEvents('\n{"type":"ADDED","object":{"a":1}}\n\n'), [['ADDED', { a: 1 }]]);
});
