// Pinned workloads (issue 12, part 8): a pin names a workload in its context, survives being stored
// and read back (the workspace's state), ignores what a broken state holds, and its rows' context
// values offer Pin or Unpin, never both, read-only rows included; a pin changes no other menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PinSet } from '../../src/domain/model/pins';
import { ACTIONS, attentionContextValue, pinMenuEntries, treeMenuEntries, workloadContextValue } from '../../src/domain/actions/catalogue';
import { Commands } from '../../src/commands';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

const checkout = { context: 'prod', namespace: 'shop', name: 'checkout' };

test('a pin names its context: the same name in another context is another workload', () => {
  const pins = new PinSet();
  assert.equal(pins.add(checkout), true);
  assert.equal(pins.add({ ...checkout }), false, 'pinned already');
  assert.equal(pins.has({ ...checkout, context: 'staging' }), false);
  assert.equal(pins.has({ ...checkout, namespace: 'other' }), false);
  assert.equal(pins.add({ ...checkout, context: 'staging' }), true);
  assert.deepEqual(pins.list().map((p) => p.context), ['prod', 'staging']);
  assert.equal(pins.delete(checkout), true);
  assert.equal(pins.delete(checkout), false, 'not pinned any more');
  assert.deepEqual(pins.list(), [{ ...checkout, context: 'staging' }]);
});

test('the pins read back what was stored, each once, and leave out what is no pin', () => {
  const pins = new PinSet();
  pins.add(checkout);
  // What Memento.update stores is JSON: a reload reads it back as plain data.
  const stored = JSON.parse(JSON.stringify(pins.list()));
  assert.deepEqual(new PinSet(stored).list(), [checkout]);
  assert.deepEqual(new PinSet([checkout, { ...checkout }, { namespace: 'shop', name: 'x' }, { context: '', namespace: 'a', name: 'b' }, 'checkout', null, { ...checkout, name: 7 }]).list(), [checkout]);
  for (const broken of [undefined, null, 'pins', { checkout }]) assert.deepEqual(new PinSet(broken).list(), []);
  // A ref with more (a view id, a panel's target) is stored as the pin alone.
  const more = new PinSet();
  more.add({ ...checkout, id: 'Rollout/shop/checkout' } as typeof checkout);
  assert.deepEqual(more.list(), [checkout]);
});

/** The `viewItem =~ /…/` alternatives of a when clause match the context value. */
const matches = (when: string, contextValue: string) => [...when.matchAll(/viewItem =~ \/(.*?)\/(?= \|\||\)|$)/g)].some((m) => new RegExp(m[1]).test(contextValue));
const pinMenus = (contextValue: string) => pinMenuEntries().filter((e) => matches(e.when, contextValue)).map((e) => e.command);

test('a workload row offers Pin, a pinned one Unpin, read-only and Needs attention rows alike', () => {
  const workloads = ['bluegreen', 'replica-canary', 'argo-canary-paused', 'rolling-progress'].flatMap((name) => buildWorkloads(snapshotFixture(`cluster/${name}.yaml`)));
  for (const w of workloads) {
    for (const readOnly of [false, true]) {
      assert.deepEqual(pinMenus(workloadContextValue(w, readOnly)), [Commands.PinWorkload], `${w.name} ro=${readOnly}`);
      assert.deepEqual(pinMenus(workloadContextValue(w, readOnly, true)), [Commands.UnpinWorkload], `${w.name} ro=${readOnly}, pinned`);
      assert.deepEqual(pinMenus(attentionContextValue(w, readOnly, 'openDetails', true)), [Commands.UnpinWorkload]);
      assert.deepEqual(pinMenus(attentionContextValue(w, readOnly, 'openDetails')), [Commands.PinWorkload]);
    }
    // The pin is the last flag: every other menu reads the row as before.
    const others = (value: string) => treeMenuEntries().filter((e) => matches(e.when, value)).map((e) => `${e.command} ${e.group}`);
    assert.deepEqual(others(workloadContextValue(w, false, true)), others(workloadContextValue(w, false)), w.name);
    assert.deepEqual(others(attentionContextValue(w, false, 'promoteRollout', true)), others(attentionContextValue(w, false, 'promoteRollout')), w.name);
  }
  // No pin menu on a revision, a pod or a context row.
  for (const value of ['revision:rollout:old', 'pod', 'context', 'attention']) assert.deepEqual(pinMenus(value), [], value);
  assert.ok(!ACTIONS.some((a) => a.command === Commands.PinWorkload), 'a pin is no action on the cluster');
});

test('package.json holds the pin menus and commands as the catalogue says', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const itemMenus: { command: string }[] = manifest.contributes.menus['view/item/context'];
  assert.deepEqual(itemMenus.filter((e) => e.command === Commands.PinWorkload || e.command === Commands.UnpinWorkload), pinMenuEntries());
  const titles = manifest.contributes.commands.filter((c: { command: string }) => c.command === Commands.PinWorkload || c.command === Commands.UnpinWorkload).map((c: { title: string; category: string }) => `${c.category}: ${c.title}`);
  assert.deepEqual(titles, ['Switchyard: Pin Workload', 'Switchyard: Unpin Workload']);
});
