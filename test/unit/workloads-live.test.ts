import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { LiveWorkloads } from '../../src/domain/model/live';
import { OBJECT_LISTS, storeKey, type ObjectList } from '../../src/domain/model/indexed';
import type { KubeObject, NamespaceSnapshot } from '../../src/domain/model/objects';
import { snapshotFixture } from '../support/snapshot';
import { chance, int, NamespaceGenerator, pick, seeded, type Random } from '../support/randomNamespace';

const fixtures = readdirSync(join(__dirname, '..', '..', 'test', 'fixtures', 'cluster')).filter((f) => f.endsWith('.yaml'));

/** The views of each id (an id may be listed twice: one Service that pairs by two colour keys). */
function byId(workloads: WorkloadView[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of workloads) out.set(w.id, (out.get(w.id) ?? '') + JSON.stringify(w));
  return out;
}

/** Checks the live model against a full build of the same objects, and that it named every workload whose view changed. */
function check(live: LiveWorkloads, before: WorkloadView[], what: string): WorkloadView[] {
  const changes = new Set(live.takeChanges());
  const now = live.workloads();
  assert.deepEqual(now, buildWorkloads(live.snapshot()), what);
  const [a, b] = [byId(before), byId(now)];
  for (const id of new Set([...a.keys(), ...b.keys()])) if (a.get(id) !== b.get(id)) assert.ok(changes.has(id), `${what}: ${id} changed but was not reported`);
  assert.deepEqual(live.takeChanges(), [], `${what}: changes are reported once`);
  return now;
}

function loaded(snapshot: NamespaceSnapshot): LiveWorkloads {
  const live = new LiveWorkloads(snapshot.namespace);
  for (const list of OBJECT_LISTS) live.reset(list, snapshot[list] as never[]);
  return live;
}

test('live model: every upsert and delete of every object of every fixture gives the full build', () => {
  for (const name of fixtures) {
    const snapshot = snapshotFixture(`cluster/${name}`);
    const live = loaded(snapshot);
    let views = check(live, [], `${name}: loaded`);
    for (const list of OBJECT_LISTS) {
      for (const o of snapshot[list] as KubeObject[]) {
        const what = `${name}: ${list}/${o.metadata.name}`;
        live.delete(list, o as never);
        views = check(live, views, `${what} deleted`);
        live.upsert(list, o as never);
        views = check(live, views, `${what} re-created`);
        const changed = structuredClone(o) as any;
        changed.metadata.resourceVersion = 'changed';
        if (changed.status) changed.status = {};
        if (changed.spec?.selector && list === 'services') changed.spec.selector = {};
        if (changed.metadata.labels) changed.metadata.labels = { moved: 'away' };
        live.upsert(list, changed);
        views = check(live, views, `${what} changed`);
        live.upsert(list, o as never);
        views = check(live, views, `${what} restored`);
      }
    }
    assert.deepEqual(live.workloads(), buildWorkloads(snapshot), `${name}: back where it started`);
  }
});

/** A changed copy of `o`: what a watch would deliver next (status, labels, selectors, owners, workloadRef). */
function mutated(random: Random, list: ObjectList, o: any, pool: Record<ObjectList, any[]>): any {
  const c = structuredClone(o);
  c.metadata.resourceVersion = String(int(random, 1e6));
  const other = (l: ObjectList) => pick(random, pool[l].length ? pool[l] : [o]);
  const ownerRef = (kind: string, owner: any) => [{ apiVersion: 'v1', kind, name: owner.metadata.name, uid: owner.metadata.uid }];
  switch (list) {
    case 'deployments':
      if (chance(random, 0.6)) c.status = { ...c.status, readyReplicas: int(random, 5), availableReplicas: int(random, 5), updatedReplicas: int(random, 5) };
      else if (chance(random, 0.5)) c.spec.template.metadata.labels = { ...other('deployments').spec.template.metadata.labels };
      else c.metadata.annotations = chance(random, 0.5) ? { 'switchyard.dev/canary-share': '10' } : {};
      break;
    case 'replicaSets':
      if (chance(random, 0.7)) c.status = { ...c.status, readyReplicas: int(random, 4), availableReplicas: int(random, 4) };
      else c.metadata.ownerReferences = chance(random, 0.5) ? ownerRef('Deployment', other('deployments')) : ownerRef('Rollout', other('rollouts'));
      break;
    case 'pods':
      if (chance(random, 0.8)) c.status = { ...c.status, phase: pick(random, ['Running', 'Pending', 'Failed']), conditions: [{ type: 'Ready', status: chance(random, 0.5) ? 'True' : 'False' }] };
      else c.metadata.ownerReferences = ownerRef('ReplicaSet', other('replicaSets'));
      break;
    case 'services':
      if (chance(random, 0.5)) c.spec.selector = { ...other('services').spec.selector, ...(chance(random, 0.5) ? { version: pick(random, ['blue', 'green']) } : {}) };
      else if (chance(random, 0.5)) c.metadata.annotations = chance(random, 0.2) ? { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'x' } : { 'switchyard.dev/previous-selector': JSON.stringify({ version: 'blue' }) };
      break;
    case 'endpointSlices':
      if (chance(random, 0.7)) c.endpoints = pool.pods.filter(() => chance(random, 0.1)).map((p) => ({ conditions: { ready: chance(random, 0.7) }, targetRef: { kind: 'Pod', name: p.metadata.name } }));
      else c.metadata.labels = { 'kubernetes.io/service-name': other('services').metadata.name };
      break;
    case 'rollouts':
      if (chance(random, 0.7)) c.status = { ...c.status, availableReplicas: int(random, 4), currentStepIndex: int(random, 4) };
      else if (chance(random, 0.5)) c.spec.workloadRef = { kind: 'Deployment', name: other('deployments').metadata.name };
      else delete c.spec.workloadRef;
      break;
    case 'analysisRuns':
      if (chance(random, 0.7)) c.status = { ...c.status, phase: pick(random, ['Running', 'Successful', 'Failed']) };
      else c.metadata.ownerReferences = ownerRef('Rollout', other('rollouts'));
      break;
  }
  return c;
}

test('live model: long random event sequences (upserts, deletes, re-creates, re-lists) match the full build after each burst', () => {
  let events = 0;
  for (let seed = 1; seed <= 4; seed++) {
    const random = seeded(1000 + seed);
    const all = new NamespaceGenerator(random, 'events').namespaceOf(6);
    const live = loaded(all);
    let views = check(live, [], `seed ${seed}: loaded`);
    const gone: Record<ObjectList, KubeObject[]> = Object.fromEntries(OBJECT_LISTS.map((l) => [l, []])) as never;
    for (let burst = 0; burst < 300; burst++) {
      // A burst of 1-4 events, as the session coalesces them, then one check.
      for (let n = 1 + int(random, 4); n > 0; n--, events++) {
        const list = pick(random, OBJECT_LISTS);
        const present = live.objects.list(list) as KubeObject[];
        const roll = random();
        if (roll < 0.01) live.reset(list, present.filter(() => chance(random, 0.9)) as never[]);
        else if (roll < 0.15 && present.length) {
          const o = pick(random, present);
          live.delete(list, o as never);
          gone[list].push(o);
        } else if (roll < 0.3 && gone[list].length) live.upsert(list, gone[list].splice(int(random, gone[list].length), 1)[0] as never);
        else if (present.length) live.upsert(list, mutated(random, list, pick(random, present), live.snapshot() as never));
      }
      views = check(live, views, `seed ${seed}, burst ${burst}`);
    }
  }
  assert.ok(events > 2000, `${events} events`);
});

test('live model: a pod status change reports its Deployment only, and a pair member change reports the pair', () => {
  const live = loaded(snapshotFixture('cluster/bluegreen.yaml'));
  live.takeChanges();
  const pod = structuredClone(live.objects.list('pods')[0]);
  pod.status = { ...pod.status, phase: 'Failed' };
  live.upsert('pods', pod);
  assert.deepEqual(live.takeChanges(), ['BlueGreen/demo/shop']);
  const rolling = loaded(snapshotFixture('cluster/rolling-progress.yaml'));
  rolling.takeChanges();
  const p = structuredClone(rolling.objects.list('pods')[0]);
  p.status = { ...p.status, phase: 'Failed' };
  rolling.upsert('pods', p);
  assert.deepEqual(rolling.takeChanges(), [rolling.workloads()[0].id]);
  assert.equal(storeKey(p), storeKey(rolling.objects.list('pods')[0]));
});

test('live model in slices: re-lists and view updates done a step at a time, with events between the steps, match the full build', () => {
  let steps = 0;
  for (let seed = 1; seed <= 4; seed++) {
    const random = seeded(2000 + seed);
    const all = new NamespaceGenerator(random, 'sliced').namespaceOf(6);
    // The first load as the session makes it: every list reset in steps, one object per step, events of other lists in between.
    const live = new LiveWorkloads(all.namespace);
    const stopAtOnce = () => true;
    const between = () => {
      if (!chance(random, 0.3)) return;
      const list = pick(random, OBJECT_LISTS);
      const present = live.objects.list(list) as KubeObject[];
      if (present.length) live.upsert(list, mutated(random, list, pick(random, present), live.snapshot() as never));
    };
    for (const list of OBJECT_LISTS) {
      const reset = live.resetInSteps(list, all[list], (o) => structuredClone(o));
      while (!reset(stopAtOnce)) steps++, between();
    }
    while (!live.settleSome(stopAtOnce)) steps++, between();
    let views = check(live, [], `seed ${seed}: loaded in steps`);
    for (let burst = 0; burst < 150; burst++) {
      // A re-list of one list (some objects gone, some changed), then the views brought up to date in steps, events arriving throughout.
      const list = pick(random, OBJECT_LISTS);
      const pool = live.snapshot() as never;
      const relisted = (live.objects.list(list) as KubeObject[]).filter(() => chance(random, 0.85)).map((o) => (chance(random, 0.3) ? mutated(random, list, o, pool) : o));
      const reset = live.resetInSteps(list, relisted);
      while (!reset(stopAtOnce)) steps++, between();
      for (let n = int(random, 3); n > 0; n--) between();
      // Half the time a reader asks for the list midway (the tree rendering): it gets the whole, correct list at once.
      const readMidway = chance(random, 0.5);
      for (let i = 0; !live.settleSome(stopAtOnce); i++) {
        steps++;
        between();
        if (readMidway && i === 2) assert.deepEqual(live.workloads(), buildWorkloads(live.snapshot()), `seed ${seed}, burst ${burst}: read midway`);
      }
      views = check(live, views, `seed ${seed}, burst ${burst}`);
    }
  }
  assert.ok(steps > 2000, `${steps} steps`);
});
