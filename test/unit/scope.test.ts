import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceResets, planWatchScope, type ScopedResource } from '../../src/domain/model/scope';
import type { ResourceRule } from '../../src/domain/model/access';
import { LiveWorkloads } from '../../src/domain/model/live';
import type { KubeObject } from '../../src/domain/model/objects';

const resource = (key: string, group: string, plural = key): ScopedResource => ({ key, group, plural, label: group ? `${plural}.${group}` : plural });
const RESOURCES = [resource('deployments', 'apps'), resource('replicaSets', 'apps', 'replicasets'), resource('pods', ''), resource('services', '')];
const view: ResourceRule[] = [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['*'] }];
const podsOnly: ResourceRule[] = [{ verbs: ['list', 'watch'], apiGroups: [''], resources: ['pods'] }];
const listNoWatch: ResourceRule[] = [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }];

const obj = (namespace: string, name: string): KubeObject => ({ metadata: { namespace, name, uid: `${namespace}/${name}` } });

test('watch scope: everything cluster-wide when the reviews allow it, with nothing to say', () => {
  const scope = planWatchScope(RESOURCES, () => true, ['a', 'b'], 'default', () => undefined);
  assert.deepEqual(scope, { clusterWide: ['deployments', 'replicaSets', 'pods', 'services'] });
});

test('watch scope: a resource denied cluster-wide is watched in the namespaces whose rules let the user read it, and said so', () => {
  const rules: Record<string, ResourceRule[]> = { a: view, b: podsOnly, c: view, d: [], e: listNoWatch };
  const scope = planWatchScope(RESOURCES, (r) => r.key !== 'pods', ['a', 'b', 'c', 'd', 'e'], 'default', (ns) => rules[ns]);
  assert.deepEqual(scope.clusterWide, ['deployments', 'replicaSets', 'services']);
  assert.deepEqual(scope.oneByOne, { resources: ['pods'], namespaces: ['a', 'b', 'c'], unlisted: false }, 'd has no rule, e may list but not watch');
  assert.equal(scope.message, 'You may not watch pods cluster-wide: watching 3 namespaces one by one (a, b, c)');
});

test('watch scope: nothing cluster-wide; a namespace counts when one of the resources is readable there; unknown rules count', () => {
  const rules: Record<string, ResourceRule[] | undefined> = { a: podsOnly, b: [], c: undefined };
  const scope = planWatchScope(RESOURCES, () => false, ['a', 'b', 'c'], 'default', (ns) => rules[ns]);
  assert.deepEqual(scope.clusterWide, []);
  assert.deepEqual(scope.oneByOne?.namespaces, ['a', 'c']);
  assert.equal(scope.message, 'You may not watch deployments.apps, replicasets.apps, pods and 1 more cluster-wide: watching 2 namespaces one by one (a, c)');
});

test('watch scope: many namespaces are named in part; none readable; the namespaces list forbidden', () => {
  const names = Array.from({ length: 8 }, (_, i) => `ns${i}`);
  const many = planWatchScope(RESOURCES, (r) => r.key !== 'services', names, 'default', () => view);
  assert.equal(many.message, 'You may not watch services cluster-wide: watching 8 namespaces one by one (ns0, ns1, ns2, ns3, ns4 and 3 more)');
  const one = planWatchScope(RESOURCES, (r) => r.key !== 'services', ['shop'], 'default', () => view);
  assert.equal(one.message, 'You may not watch services cluster-wide: watching 1 namespace one by one (shop)');
  const none = planWatchScope(RESOURCES, (r) => r.key !== 'pods', ['a'], 'default', () => []);
  assert.deepEqual(none.oneByOne?.namespaces, []);
  assert.equal(none.message, 'You may not watch pods cluster-wide, nor in any namespace');
  const unlisted = planWatchScope(RESOURCES, () => false, undefined, 'team-a', () => []);
  assert.deepEqual(unlisted.oneByOne, { resources: ['deployments', 'replicaSets', 'pods', 'services'], namespaces: ['team-a'], unlisted: true });
  assert.match(unlisted.message!, /nor list namespaces: watching the context's namespace "team-a" only$/);
});

test('namespace resets: a cluster list split by namespace in list order; a namespace that held objects and is missing is emptied', () => {
  const items = [obj('b', 'x'), obj('a', 'y'), obj('b', 'z')];
  const resets = namespaceResets(items, ['a', 'gone', 'b']);
  assert.deepEqual([...resets.keys()], ['b', 'a', 'gone']);
  assert.deepEqual(resets.get('b')!.map((o) => o.metadata.name), ['x', 'z']);
  assert.deepEqual(resets.get('a')!.map((o) => o.metadata.name), ['y']);
  assert.deepEqual(resets.get('gone'), []);
  assert.deepEqual([...namespaceResets([], [])], []);
});

test('namespace resets applied to live models: objects missing from a fresh list go, the namespace empties', () => {
  const live = new Map<string, LiveWorkloads>();
  const apply = (items: KubeObject[]) => {
    const held = [...live].filter(([, l]) => l.objects.size('deployments')).map(([ns]) => ns);
    for (const [ns, objects] of namespaceResets(items, held)) {
      if (!live.has(ns)) live.set(ns, new LiveWorkloads(ns));
      live.get(ns)!.reset('deployments', objects as never[]);
      if (live.get(ns)!.objects.isEmpty()) live.delete(ns);
    }
  };
  apply([obj('a', 'web'), obj('a', 'api'), obj('b', 'web')]);
  assert.deepEqual([...live.keys()], ['a', 'b']);
  assert.deepEqual(live.get('a')!.workloads().map((w) => w.name), ['api', 'web']);
  apply([obj('a', 'web')]);
  assert.deepEqual([...live.keys()], ['a'], 'b is missing from the fresh list: emptied and gone');
  assert.deepEqual(live.get('a')!.workloads().map((w) => w.name), ['web'], 'api is missing: deleted');
});
