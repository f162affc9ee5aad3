// The pod log document: each run under a header that says what it is; a part without a log says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podLogDocument, podLogPath } from '../../src/features/logs/document';

const target = { context: 'switchyard-local', namespace: 'shop', pod: 'web-7d9f-abcde', container: 'app' };

test('the last lines, and the previous run after a restart', () => {
  const text = podLogDocument({ ...target, current: { text: 'starting app\nexiting with status 1' }, previous: { text: 'starting app\nexiting with status 1\n' } });
  assert.equal(
    text,
    [
      '# pod web-7d9f-abcde, container app · namespace shop · context switchyard-local',
      '',
      '# last 200 lines',
      'starting app',
      'exiting with status 1',
      '',
      '# previous run (before the last restart), last 200 lines',
      'starting app',
      'exiting with status 1',
      '',
    ].join('\n'),
  );
});

test('a run without a log says why, and an empty log says it is empty', () => {
  const text = podLogDocument({ ...target, current: { problem: 'The container "app" of pod "web-7d9f-abcde" in namespace "shop" has no log: it has not started.' } });
  assert.equal(text, '# pod web-7d9f-abcde, container app · namespace shop · context switchyard-local\n\n# last 200 lines: The container "app" of pod "web-7d9f-abcde" in namespace "shop" has no log: it has not started.\n');
  assert.match(podLogDocument({ ...target, current: { text: '' } }), /# last 200 lines: empty\n$/);
});

test('one document per context, namespace, pod and container, whatever their characters', () => {
  assert.equal(podLogPath(target), '/switchyard-local/shop/web-7d9f-abcde/app.log');
  assert.equal(podLogPath({ ...target, context: 'arn:aws:eks:eu/prod' }), '/arn%3Aaws%3Aeks%3Aeu%2Fprod/shop/web-7d9f-abcde/app.log');
});
