// Several contexts side by side (issue 11): which contexts are shown, the one way a workload is named
// across them (commands, panels, lenses, notifications), the ids that keep two contexts' same names
// apart, and the protected-context rule checked against the target's context, not the primary one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addableContexts, contextSuffix, globMatch, inContext, isProtectedContext, refKey, refOf, shownContexts } from '../../src/domain/model/contexts';
import { parseTarget } from '../../src/domain/panels/protocol';
import { commandFor } from '../../src/features/panels/actions';
import { contextOfNode, contextOfTarget, type TreeNode } from '../../src/features/tree/nodes';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { snapshotFixture } from '../support/snapshot';

test('the primary context comes first, then the listed ones in their order, each once', () => {
  assert.deepEqual(shownContexts('staging', []), ['staging'], 'one context: the view as it always was');
  assert.deepEqual(shownContexts('staging', ['prod-eu', 'staging', 'prod-us', 'prod-eu']), ['staging', 'prod-eu', 'prod-us']);
  assert.deepEqual(shownContexts('staging', ['', '  ', 'prod']), ['staging', 'prod'], 'blank entries of a hand-edited setting are no context');
  assert.deepEqual(addableContexts(['staging', 'prod', 'dev'], ['staging', 'prod']), ['dev']);
});

test('a workload is named with its context: the same names in two contexts are two keys, two panels, two node ids', () => {
  const w = { namespace: 'shop', name: 'checkout', id: 'Rollout/shop/checkout' };
  assert.deepEqual(refOf(w, 'prod'), { context: 'prod', namespace: 'shop', name: 'checkout' });
  assert.deepEqual(refOf(w, 'prod', true), { context: 'prod', namespace: 'shop', name: 'checkout', id: 'Rollout/shop/checkout' });
  assert.deepEqual(refOf(w, undefined), { namespace: 'shop', name: 'checkout' }, 'no context named: the primary one');
  assert.notEqual(refKey(refOf(w, 'staging')), refKey(refOf(w, 'prod')));
  assert.equal(refKey(refOf(w, 'prod')), refKey({ context: 'prod', namespace: 'shop', name: 'checkout' }));
  // A context name may hold any character (EKS: "arn:aws:eks:eu-west-1:1:cluster/prod"): it cannot run into the key after it.
  assert.notEqual(inContext('a/b', 'c'), inContext('a', 'b/c'));
  assert.notEqual(inContext('arn:aws:eks:eu-west-1:1:cluster/prod', 'w:x'), inContext('arn:aws:eks:eu-west-1:1:cluster', 'prod/w:x'));
});

test('a panel restored or opened by arguments keeps the context it names (none: the primary)', () => {
  assert.deepEqual(parseTarget({ context: 'prod', namespace: 'shop', name: 'checkout', id: 'Rollout/shop/checkout' }), { context: 'prod', namespace: 'shop', name: 'checkout', id: 'Rollout/shop/checkout' });
  assert.deepEqual(parseTarget({ namespace: 'shop', name: 'checkout' }), { namespace: 'shop', name: 'checkout' }, 'a panel saved before contexts were named');
  assert.deepEqual(parseTarget({ context: 7, namespace: 'shop', name: 'checkout' }), { namespace: 'shop', name: 'checkout' });
});

test('a panel\'s buttons and a tree node\'s commands act in the workload\'s context', () => {
  const web = buildWorkloads(snapshotFixture('cluster/rolling-progress.yaml')).find((w) => w.name === 'web')!;
  assert.ok(web, 'the fixture has its Deployment');  assert.deepEqual(commandFor(web, 'rollback', 1, 'prod'), { command: 'switchyard.deployment.rollback', args: { context: 'prod', namespace: 'demo', name: 'web', revision: 1 } });
  const node: TreeNode = { type: 'workload', id: inContext('prod', `w:${web.id}`), context: 'prod', namespace: 'demo', workloadId: web.id };
  assert.equal(contextOfNode(node), 'prod');
  assert.equal(contextOfNode({ type: 'context', id: inContext('prod', 'ctx'), name: 'prod' }), 'prod');
  assert.equal(contextOfNode({ type: 'attention', id: 'attention' }), undefined);
  // The node decides over the arguments; without a node, the arguments' context; neither: the primary.
  assert.equal(contextOfTarget({ node, context: 'staging' }), 'prod');
  assert.equal(contextOfTarget({ context: 'staging' }), 'staging');
  assert.equal(contextOfTarget({}), undefined);
});

test('the protected-context rule is the target context\'s: a write to prod asks for its name whichever context is primary', () => {
  const patterns = ['*prod*'];
  assert.equal(isProtectedContext(patterns, 'eks-prod-eu'), true);
  assert.equal(isProtectedContext(patterns, 'staging'), false);
  assert.equal(isProtectedContext(['gke_*_us-central1_*', 'kind-?'], 'gke_acme_us-central1_main'), true);
  assert.equal(isProtectedContext(['kind-?'], 'kind-ab'), false, '? is one character');
  assert.equal(globMatch('PROD', 'prod'), true, 'case-insensitive');
  assert.equal(globMatch('a.b', 'axb'), false, 'a dot is a dot');
  assert.equal(isProtectedContext([], 'prod'), false);
});

test('a confirmation names the context it writes to only when the view shows more than one', () => {
  assert.equal(contextSuffix('prod', 1), '');
  assert.equal(contextSuffix('prod', 2), ' in context "prod"');
});
