// The events of a workload (issue 12), on the local cluster's real answers (test/fixtures/events/evx.json:
// kube-apiserver 1.34 with its scheduler, controller-manager and kwok): the same events read through
// events.k8s.io/v1 and core v1, a real FailedScheduling series, and the pods of a ReplicaSet that are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leanEvent, leanObject, type LeanEvent } from '../../src/domain/model/lean';
import { EventLog, eventTiming, revisionObjects, eventsAbout, shortList, workloadEvents, workloadObjects } from '../../src/domain/model/events';
import { snapshotFixture } from '../support/snapshot';
import { emptySnapshot, type NamespaceSnapshot } from '../../src/domain/model/objects';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { EVENTS_SHOWN, panelEvents } from '../../src/domain/panels/rollout';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { renderRollout } from '../../webview/render/rolloutView';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'events', 'evx.json'), 'utf8'));
const leanAll = (items: unknown[]) => items.map((e) => leanEvent(e as Record<string, unknown>)).filter((e): e is LeanEvent => !!e);
const eventsV1 = leanAll(fixture.eventsV1);
const coreEvents = leanAll(fixture.coreEvents);
const snapshot: NamespaceSnapshot = {
  ...emptySnapshot('evx'),
  deployments: fixture.deployments.map((o: never) => leanObject('deployments', o)),
  replicaSets: fixture.replicaSets.map((o: never) => leanObject('replicaSets', o)),
  pods: fixture.pods.map((o: never) => leanObject('pods', o)),
};
const workloads = buildWorkloads(snapshot);
const workload = (name: string) => workloads.find((w) => w.name === name)!;
const SCHEDULER_MESSAGE = '0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

test('both APIs give the same lean events: regarding/involvedObject, note/message, series/deprecatedCount/count, eventTime/deprecated timestamps', () => {
  assert.equal(eventsV1.length, fixture.eventsV1.length, 'every real event is read');
  const byUid = new Map(coreEvents.map((e) => [e.metadata.uid, e]));
  for (const e of eventsV1) assert.deepEqual(byUid.get(e.metadata.uid), e, `${e.reason} of ${e.object.name}`);
  // The scheduler writes through events.k8s.io: eventTime (a MicroTime) and a series, no deprecated fields.
  const series = eventsV1.find((e) => e.reason === 'FailedScheduling' && e.count === 2)!;
  assert.deepEqual([series.type, series.first, series.last, series.source], ['Warning', '2026-12-02T01:50:28.719Z', '2026-12-02T01:50:28.724Z', 'default-scheduler']);
  // The controllers write through the core API: deprecatedCount and the deprecated timestamps (seconds).
  const scaled = eventsV1.find((e) => e.reason === 'ScalingReplicaSet')!;
  assert.deepEqual([scaled.count, scaled.object.kind, scaled.source], [1, 'Deployment', 'deployment-controller']);
  assert.match(scaled.last, /^2026-12-02T01:49:\d\d\.000Z$/);
  // Not an event: nothing it is about.
  assert.equal(leanEvent({ metadata: { name: 'x' }, reason: 'R' }), undefined);
  assert.equal(leanEvent(null as never), undefined);
});

test('a workload gets the events of its Deployment, ReplicaSets and pods, merged by (object, reason, message) with counts, newest first', () => {
  const rows = workloadEvents(workload('big'), eventsV1, snapshot);
  const failed = rows.filter((r) => r.reason === 'FailedScheduling');
  // Two Event objects of the same pod, reason and message (1, then a series of 2): one row of 3.
  assert.equal(failed.length, 1);
  assert.deepEqual([failed[0].warning, failed[0].count, failed[0].object, failed[0].message, failed[0].first, failed[0].last], [true, 3, { kind: 'Pod', name: 'big-547b8bdd78-wmqrc' }, SCHEDULER_MESSAGE, '2026-12-02T01:49:58.320Z', '2026-12-02T01:50:28.724Z']);
  assert.deepEqual(new Set(rows.map((r) => r.object.kind)), new Set(['Deployment', 'ReplicaSet', 'Pod']));
  assert.equal(rows.filter((r) => r.reason === 'ScalingReplicaSet').length, 2, 'two scale-ups, two messages');
  assert.ok(rows.every((r) => r.object.name.startsWith('big')), 'nothing of web');
  assert.deepEqual(rows.map((r) => r.last), [...rows.map((r) => r.last)].sort().reverse(), 'newest first');
  // The same through core v1.
  assert.deepEqual(workloadEvents(workload('big'), coreEvents, snapshot), rows);
});

test('pods of a revision that are gone keep their events; an earlier object of the same name does not', () => {
  const web = workload('web');
  const scheduledPods = workloadEvents(web, eventsV1, snapshot).filter((r) => r.reason === 'Scheduled').map((r) => r.object.name);
  // Four pods were scheduled, two were deleted since (the ReplicaSet replaced them).
  assert.equal(scheduledPods.length, 4);
  assert.equal(web.revisions[0].pods.length, 2);
  const deployment = eventsV1.find((e) => e.object.name === 'web' && e.reason === 'ScalingReplicaSet')!;
  const ofEarlierWeb: LeanEvent = { ...deployment, metadata: { name: 'web.old', uid: 'old' }, message: 'Scaled up replica set web-5f6d from 0 to 9', object: { ...deployment.object, uid: 'uid-of-a-deleted-web' } };
  const rows = workloadEvents(web, [...eventsV1, ofEarlierWeb], snapshot);
  assert.ok(!rows.some((r) => r.message.includes('web-5f6d')));
  // A pod name that only looks like one of the ReplicaSet's is not one.
  const stranger: LeanEvent = { ...ofEarlierWeb, metadata: { name: 's', uid: 's' }, message: 'x', object: { kind: 'Pod', name: `${web.revisions[0].replicaSet}-abc-12345` } };
  assert.ok(!workloadEvents(web, [stranger], snapshot).length);
});

test('a revision\'s events are its ReplicaSet\'s and its pods\'', () => {
  const big = workload('big');
  const stuck = big.revisions.find((r) => r.problem)!;
  assert.equal(stuck.problem?.reason, 'Unschedulable');
  const rows = eventsAbout(revisionObjects(big, stuck.replicaSet, snapshot), eventsV1);
  assert.deepEqual(rows.map((r) => [r.object.kind, r.reason]).sort(), [['Pod', 'FailedScheduling'], ['ReplicaSet', 'SuccessfulCreate']]);
});

test('a short list puts warnings first, then the newest of the rest', () => {
  const scaled = eventsV1.find((e) => e.object.name === 'big' && e.reason === 'ScalingReplicaSet')!;
  // Newer normal events than the scheduler's warning (a scale-up after it, say).
  const later = [1, 2, 3].map((i): LeanEvent => ({ ...scaled, metadata: { name: `later-${i}`, uid: `later-${i}` }, message: `Scaled up replica set big-547b8bdd78 from ${i} to ${i + 1}`, last: `2026-12-02T01:5${i}:00.000Z` }));
  const rows = workloadEvents(workload('big'), [...eventsV1, ...later], snapshot);
  assert.notEqual(rows[0].reason, 'FailedScheduling', 'the warning is not the newest');
  const short = shortList(rows, 2);
  assert.deepEqual(short.map((r) => [r.reason, r.last]), [['FailedScheduling', '2026-12-02T01:50:28.724Z'], ['ScalingReplicaSet', '2026-12-02T01:53:00.000Z']]);
  assert.equal(shortList(rows, 99).length, rows.length);
});

test('timing reads "12× · last 20s ago"', () => {
  const now = Date.parse('2026-12-02T02:00:20Z');
  assert.equal(eventTiming({ count: 12, last: '2026-12-02T02:00:00.000Z' }, now), '12× · last 20s ago');
  assert.equal(eventTiming({ count: 1, last: '2026-12-02T01:55:20.000Z' }, now), '5m ago');
});

test('the event log keeps the newest N by last occurrence, one per uid, newest first', () => {
  const log = new EventLog(100);
  const base = eventsV1[0];
  const at = (i: number): LeanEvent => ({ ...base, metadata: { name: `e${i}`, uid: `u${i}` }, last: new Date(Date.UTC(2026, 11, 2, 0, 0, i % 60, Math.floor(i / 60))).toISOString() });
  const order = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
  for (const i of order) log.upsert(at(i));
  assert.ok(log.size <= 100 + 25, `bounded while the burst arrives (${log.size})`);
  const kept = log.list();
  const newest = order.map(at).sort((a, b) => b.last.localeCompare(a.last)).slice(0, 100);
  assert.deepEqual(kept.map((e) => e.metadata.uid), newest.map((e) => e.metadata.uid));
  // An update replaces (a series counting up), a delete removes.
  log.upsert({ ...kept[5], count: 7 });
  assert.equal(log.list().find((e) => e.metadata.uid === kept[5].metadata.uid)?.count, 7);
  log.delete(kept[0]);
  assert.equal(log.list().length, 99);
  log.reset([at(1)]);
  assert.deepEqual(log.list().map((e) => e.metadata.uid), ['u1']);
});

// A tree / panel of a workload with no snapshot (uids unknown) still matches by kind and name.
test('without a snapshot, events match by kind and name', () => {
  const w: WorkloadView = workload('big');
  assert.deepEqual(workloadEvents(w, eventsV1).map((r) => r.reason), workloadEvents(w, eventsV1, snapshot).map((r) => r.reason));
});

test('panel: an Events section with the warning marked, the object named, "3× · last 20s ago"; absent while not watched', () => {
  const big = workload('big');
  const now = Date.parse('2026-12-02T01:50:48.724Z');
  const state = (events?: RolloutPanelState['events']): RolloutPanelState => ({ target: { namespace: 'evx', name: 'big', id: big.id }, status: 'live', readOnly: false, workload: big, samples: [], now, ...(events ? { events } : {}) });
  const section = (s: RolloutPanelState) => renderRollout(s).find((x) => x.key === 'events')?.html;
  assert.equal(section(state()), undefined, 'no section while the panel does not watch events');
  assert.match(section(state(panelEvents(big, [], snapshot, { synced: false })))!, /Watching events…/);
  assert.match(section(state(panelEvents(big, [], snapshot, { synced: true })))!, /No events about its objects/);
  const html = section(state(panelEvents(big, eventsV1, snapshot, { synced: true })))!;
  const warning = html.match(/<li class="event event-warning">.*?<\/li>/)?.[0] ?? '';
  assert.match(warning, /badge-degraded[^>]*>Warning<.*FailedScheduling.*Pod <code>big-547b8bdd78-wmqrc<\/code>.*Insufficient cpu.*3× · last 20s ago/);
  assert.equal((html.match(/event-warning/g) ?? []).length, 1, 'only the scheduler\'s event is a warning');
  assert.match(html, /1 warning</);
  // Values from the cluster are text, never markup.
  const hostile: LeanEvent = { ...eventsV1[0], metadata: { name: 'h', uid: 'h' }, reason: '<img src=x>', object: { kind: 'Deployment', name: 'big' } };
  assert.doesNotMatch(section(state(panelEvents(big, [hostile], snapshot, { synced: true })))!, /<img/);
  // A failed watch says why.
  assert.match(section(state(panelEvents(big, [], snapshot, { synced: false, problem: 'You may not list events in namespace "evx".' })))!, /class="warn">You may not list events/);
});

test('panel: past EVENTS_SHOWN rows the warnings come first and the cut is said', () => {
  const big = workload('big');
  const scaled = eventsV1.find((e) => e.object.name === 'big' && e.reason === 'ScalingReplicaSet')!;
  const many = Array.from({ length: EVENTS_SHOWN + 10 }, (_, i): LeanEvent => ({ ...scaled, metadata: { name: `n${i}`, uid: `n${i}` }, message: `Scaled ${i}`, last: new Date(Date.parse('2026-12-02T02:00:00Z') + i * 1000).toISOString() }));
  const ev = panelEvents(big, [...eventsV1, ...many], snapshot, { synced: true });
  assert.equal(ev.rows.length, EVENTS_SHOWN);
  assert.ok(ev.total > EVENTS_SHOWN);
  assert.equal(ev.rows[0].reason, 'FailedScheduling', 'the older warning is not cut');
  const html = renderRollout({ target: { namespace: 'evx', name: 'big' }, status: 'live', readOnly: false, workload: big, samples: [], now: Date.now(), events: ev }).find((x) => x.key === 'events')!.html;
  assert.match(html, new RegExp(`${EVENTS_SHOWN} of ${ev.total}, warnings first`));
});

test('a Rollout\'s Experiments count as its objects: the Experiment, its templates\' ReplicaSets and their pods', () => {
  const experimentSnapshot = snapshotFixture('cluster/argo-experiment.yaml');
  const rollout = buildWorkloads(experimentSnapshot).find((w) => w.kind === 'Rollout' && w.experiments?.length)!;
  const experiment = rollout.experiments![0];
  const template = experiment.templates.find((t) => t.replicaSet?.pods.length)!.replicaSet!;
  const objects = workloadObjects(rollout, experimentSnapshot);
  for (const key of [`Experiment/${experiment.name}`, `ReplicaSet/${template.replicaSet}`, `Pod/${template.pods[0].name}`]) assert.ok(objects.exact.has(key), key);
  const about = (kind: string, name: string, reason: string): LeanEvent => ({ metadata: { name: `${name}.${reason}`, uid: `${name}.${reason}` }, type: 'Warning', reason, message: reason, object: { kind, name }, count: 1, first: '2026-12-02T02:00:00.000Z', last: '2026-12-02T02:00:00.000Z' });
  const rows = workloadEvents(rollout, [about('Experiment', experiment.name, 'ExperimentFailed'), about('Pod', `${template.replicaSet}-zz9x2`, 'BackOff'), about('Pod', 'someone-else-abcde', 'BackOff')], experimentSnapshot);
  assert.deepEqual(rows.map((r) => r.object.kind).sort(), ['Experiment', 'Pod']);
});
