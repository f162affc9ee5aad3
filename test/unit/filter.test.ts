// The Rollouts tree's filter (domain/model/filter.ts) over the view models of real-shaped fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkloadFilter, type WorkloadFilter } from '../../src/domain/model/filter';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

const all: WorkloadView[] = ['bluegreen', 'replica-canary', 'rolling-progress', 'argo-canary-paused', 'argo-canary-analysis-aborted', 'argo-bluegreen-preview'].flatMap((f) => buildWorkloads(snapshotFixture(`cluster/${f}.yaml`)));

function filter(text: string): WorkloadFilter {
  const parsed = parseWorkloadFilter(text);
  assert.ok(parsed && !('problem' in parsed), `"${text}" should parse`);
  return parsed;
}
const shown = (text: string) => all.filter((w) => filter(text).matches(w)).map((w) => `${w.strategy}/${w.name}`).sort();

test('the fixtures hold several strategies and healths to filter', () => {
  assert.ok(new Set(all.map((w) => w.strategy)).size >= 5);
  assert.ok(new Set(all.map((w) => w.health)).size >= 3);
});

test('a bare word is part of the name, any case; every word has to match', () => {
  const cart = all.filter((w) => w.name.includes('cart'));
  assert.ok(cart.length >= 2);
  assert.deepEqual(shown('CART'), cart.map((w) => `${w.strategy}/${w.name}`).sort());
  assert.deepEqual(shown('cart strategy:bluegreen'), cart.filter((w) => w.strategy.includes('bluegreen')).map((w) => `${w.strategy}/${w.name}`).sort());
  assert.deepEqual(shown('no-such-name'), []);
});

test('strategy: matches the kind or the display name; s: is the same', () => {
  assert.deepEqual(shown('strategy:argo'), all.filter((w) => w.strategy.startsWith('argo')).map((w) => `${w.strategy}/${w.name}`).sort());
  assert.deepEqual(shown('s:replica'), all.filter((w) => w.strategy === 'canary-replicas').map((w) => `${w.strategy}/${w.name}`).sort());
  assert.notDeepEqual(shown('s:replica'), []);
  // The display name counts too: "Blue/green", "Argo Rollouts blue/green" ("blue/" is in no kind).
  assert.deepEqual(shown('s:blue/'), all.filter((w) => w.strategy === 'bluegreen' || w.strategy === 'argo-bluegreen').map((w) => `${w.strategy}/${w.name}`).sort());
  assert.notDeepEqual(shown('s:blue/'), []);
  assert.deepEqual(shown('s:canary').sort(), all.filter((w) => w.strategy.includes('canary')).map((w) => `${w.strategy}/${w.name}`).sort());
});

test('health: (or is:) the start of the health; aborted is the Rollouts Argo aborted', () => {
  for (const health of new Set(all.map((w) => w.health))) {
    assert.deepEqual(shown(`health:${health.slice(0, 4).toLowerCase()}`), all.filter((w) => w.health === health).map((w) => `${w.strategy}/${w.name}`).sort(), health);
  }
  const aborted = shown('is:aborted');
  assert.deepEqual(aborted, ['argo-canary/cart']);
  assert.ok(all.find((w) => w.strategy === 'argo-canary' && w.health === 'Paused'), 'the paused one is not aborted');
});

test('an empty filter is none; a wrong key or a key without value says what to write', () => {
  assert.equal(parseWorkloadFilter('   '), undefined);
  assert.match((parseWorkloadFilter('colour:blue') as { problem: string }).problem, /"colour:" is not a filter: use a name, strategy:<kind>, or health:/);
  assert.match((parseWorkloadFilter('health:') as { problem: string }).problem, /needs a value/);
  assert.equal(filter('  cart  is:paused ').text, 'cart  is:paused');
});
