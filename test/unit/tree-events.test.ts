// The tree's Events nodes hold their namespace's events watch only while expanded and visible
// (issue 12, part 2): the bookkeeping of TreeEventWatches on a real ClusterSession (its server is a
// closed local port: the watches start, fail to connect and retry, which is all this needs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession } from '../../src/kube/session';
import { TreeEventWatches } from '../../src/features/tree/eventWatches';
import type { TreeNode } from '../../src/features/tree/nodes';
import { revisionNeedsEvents } from '../../src/domain/model/events';
import { unreachableKubeconfig } from '../support/kubeconfig';
import { inContext } from '../../src/domain/model/contexts';

function offlineSession(): ClusterSession {
  return new ClusterSession({ kubeconfig: unreachableKubeconfig() });
}

type EventsNode = Extract<TreeNode, { type: 'events' }>;
const events = (namespace: string, workload: string, replicaSet: string, strategy: EventsNode['strategy'] = 'rolling', context = 'local'): EventsNode => ({ type: 'events', id: inContext(context, `ev:Deployment/${namespace}/${workload}:${replicaSet}`), context, namespace, workloadId: `Deployment/${namespace}/${workload}`, strategy, replicaSet });

test('an Events node watches while expanded; collapsing it or any ancestor, or hiding the view, stops the watch with the last one', () => {
  const session = offlineSession();
  try {
    const watches = new TreeEventWatches(() => session);
    const [web, api, other] = [events('shop', 'web', 'web-1'), events('shop', 'api', 'api-7', 'argo-canary'), events('billing', 'pay', 'pay-2')];
    for (const n of [web, api, other]) watches.shown(n);
    watches.shown(web); // asked again as it is redrawn: still one owner
    assert.deepEqual(session.watchedEvents().sort(), ['billing', 'shop']);
    assert.equal(session.eventsState('shop')?.owners.size, 2);
    assert.deepEqual(watches.nodesOf('local', 'shop').map((n) => n.id), [web.id, api.id]);

    // The revision of web collapses: api still shows shop's events.
    watches.collapsed({ type: 'revision', id: 'r:x', context: 'local', namespace: 'shop', workloadId: web.workloadId, replicaSet: 'web-1' });
    assert.deepEqual(session.watchedEvents().sort(), ['billing', 'shop']);
    // Another strategy's group does not hide api; its own does.
    watches.collapsed({ type: 'group', id: 'g:shop:rolling', context: 'local', namespace: 'shop', strategy: 'rolling' });
    assert.ok(session.watchedEvents().includes('shop'));
    watches.collapsed({ type: 'group', id: 'g:shop:argo-canary', context: 'local', namespace: 'shop', strategy: 'argo-canary' });
    assert.deepEqual(session.watchedEvents(), ['billing']);

    // A node the tree dropped (its revision became healthy) lets go too.
    watches.prune((id) => id !== other.id);
    assert.deepEqual(session.watchedEvents(), []);

    // Someone else's hold (the details panel) is not the tree's to release.
    session.watchEvents('shop', 'panel:1');
    watches.shown(web);
    watches.releaseAll();
    assert.deepEqual(session.watchedEvents(), ['shop']);
    assert.deepEqual([...session.eventsState('shop')!.owners], ['panel:1']);
  } finally {
    session.dispose();
  }
  assert.deepEqual(session.watchedEvents(), [], 'dispose stops every events watch');
});

test('two contexts with the same namespace and workload: each Events node watches in its own context\'s session, and collapsing one context leaves the other\'s', () => {
  const [staging, production] = [offlineSession(), offlineSession()];
  try {
    const sessions: Record<string, ClusterSession> = { staging, production };
    const watches = new TreeEventWatches((context) => sessions[context]);
    const [inStaging, inProduction] = [events('shop', 'web', 'web-1', 'rolling', 'staging'), events('shop', 'web', 'web-1', 'rolling', 'production')];
    assert.notEqual(inStaging.id, inProduction.id, 'the same names in two contexts are two nodes');
    watches.shown(inStaging);
    watches.shown(inProduction);
    assert.deepEqual([staging.watchedEvents(), production.watchedEvents()], [['shop'], ['shop']]);
    assert.deepEqual(watches.nodesOf('production', 'shop').map((n) => n.id), [inProduction.id]);
    // The same workload's revision collapsing in production is not staging's.
    watches.collapsed({ type: 'revision', id: 'r:x', context: 'production', namespace: 'shop', workloadId: inProduction.workloadId, replicaSet: 'web-1' });
    assert.deepEqual([staging.watchedEvents(), production.watchedEvents()], [['shop'], []]);
    watches.shown(inProduction);
    watches.collapsed({ type: 'context', id: inContext('staging', 'ctx'), name: 'staging' });
    assert.deepEqual([staging.watchedEvents(), production.watchedEvents()], [[], ['shop']]);
  } finally {
    staging.dispose();
    production.dispose();
  }
});

test('a revision gets Events when it has a problem or is not fully available', () => {
  assert.equal(revisionNeedsEvents({ desired: 3, available: 3 }), false);
  assert.equal(revisionNeedsEvents({ desired: 0, available: 0 }), false, 'an old revision scaled to 0');
  assert.equal(revisionNeedsEvents({ desired: 3, available: 2 }), true);
  assert.equal(revisionNeedsEvents({ desired: 3, available: 3, problem: { reason: 'FailedCreate' } }), true);
});
