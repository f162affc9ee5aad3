import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allows, missingWrite } from '../../src/domain/model/access';

test('rules: verbs, groups, resources, subresources and names', () => {
  const view = [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['*'] }];
  assert.equal(allows(view, 'list', 'apps', 'deployments'), true);
  assert.equal(allows(view, 'patch', 'apps', 'deployments'), false);
  const edit = [{ verbs: ['patch'], apiGroups: ['argoproj.io'], resources: ['rollouts'] }];
  assert.equal(allows(edit, 'patch', 'argoproj.io', 'rollouts'), true);
  assert.equal(allows(edit, 'patch', 'argoproj.io', 'rollouts/status'), false, 'a subresource needs its own rule');
  assert.equal(allows([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], 'patch', 'argoproj.io', 'rollouts/status'), true);
  assert.equal(allows([{ verbs: ['patch'], apiGroups: [''], resources: ['services'], resourceNames: ['shop'] }], 'patch', '', 'services'), false, 'a name-limited rule does not grant every Service');
  assert.equal(allows([{ verbs: ['patch'], apiGroups: [''], resources: ['services'], resourceNames: ['shop'] }], 'patch', '', 'services', 'shop'), true);
});

test('missingWrite names what a kind of workload cannot do', () => {
  const rules = [{ verbs: ['patch'], apiGroups: ['argoproj.io'], resources: ['rollouts'] }];
  assert.equal(missingWrite(rules, 'Rollout', 'shop'), 'You may not patch rollouts/status.argoproj.io in namespace "shop" (RBAC): actions that change it are hidden.');
  assert.equal(missingWrite([{ verbs: ['patch'], apiGroups: [''], resources: ['services'] }], 'BlueGreen', 'shop'), undefined);
});
