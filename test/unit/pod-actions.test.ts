// A pod row's actions (issue 12, part 10, 6): the catalogue's pod target, and Delete pod's plan,
// preconditioned on the very pod that was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, POD_CONTEXT_VALUE, menuWhen } from '../../src/domain/actions/catalogue';
import { planPodDelete } from '../../src/domain/actions/plans';
import type { Pod } from '../../src/domain/model/objects';

const pod: Pod = {
  metadata: { name: 'api-canary-7d9f-x2', namespace: 'demo', uid: 'u-1', resourceVersion: '4711', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-canary-7d9f', uid: 'rs-1', controller: true }] },
  spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:2' }], terminationGracePeriodSeconds: 45 },
};

test('Delete pod sends a DELETE preconditioned on the uid it read, and says what replaces it', () => {
  const plan = planPodDelete(pod);
  assert.deepEqual(plan.writes, [{ resource: 'pods', namespace: 'demo', name: 'api-canary-7d9f-x2', patchType: 'merge', verb: 'delete', patch: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u-1' } } }]);
  assert.match(plan.summary, /^Its ReplicaSet "api-canary-7d9f" creates a new pod in its place\. The pod gets 45 s to stop/);
  assert.match(planPodDelete({ ...pod, metadata: { ...pod.metadata, ownerReferences: [] } }).summary, /No controller owns it: nothing replaces it/);
  assert.equal(planPodDelete({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-11-25T10:00:00Z' } }).noop, 'Pod "api-canary-7d9f-x2" is already being deleted.');
});

test('pod rows offer Logs, Events, Describe, Copy name and Delete; only Delete writes (hidden in read-only mode)', () => {
  const podActions = ACTIONS.filter((a) => a.target === 'pod');
  assert.deepEqual(podActions.map((a) => [a.id, a.writes]), [['podLogs', false], ['followPodLogs', false], ['podEvents', false], ['describePod', false], ['copyPodName', false], ['deletePod', true]]);
  for (const a of podActions) {
    assert.match(menuWhen(a), new RegExp(`viewItem =~ /\\^${POD_CONTEXT_VALUE}\\$/`));
    assert.equal(menuWhen(a).includes('!switchyard.readOnly'), a.writes);
    assert.equal(a.panel, undefined, 'no panel button: the panel has no pod rows');
  }
});
