// podLogError: the API server's and the kubelet's refusals to give a log, said plainly. The
// messages are theirs (kube-apiserver's pod log location, the kubelet's container lookup) and
// kwok's kubelet's, which the cluster tier meets for real (test/cluster/logs.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterError, errorFromResponse } from '../../src/kube/errors';
import { podLogError } from '../../src/kube/logs';

const request = { verb: 'get', resource: 'pods/log', namespace: 'shop', name: 'web-1' };
const refused = (status: number, message: string) => errorFromResponse(status, { kind: 'Status', message, code: status }, request);
const target = { namespace: 'shop', pod: 'web-1', container: 'app' };
const said = (e: unknown) => {
  assert.ok(e instanceof ClusterError);
  return [e.kind, e.message];
};

test('a missing pod, container or previous run, and a container that never started, each say so', () => {
  assert.deepEqual(said(podLogError(refused(404, 'pods "web-1" not found'), target)), ['notFound', 'There is no pod "web-1" in namespace "shop": it was deleted or never existed.']);
  assert.deepEqual(said(podLogError(refused(400, 'container nope is not valid for pod web-1'), { ...target, container: 'nope' })), ['notFound', 'The pod "web-1" in namespace "shop" has no container "nope". (container nope is not valid for pod web-1)']);
  assert.deepEqual(said(podLogError(refused(400, 'a container name must be specified for pod web-1, choose one of: [app proxy]'), { namespace: 'shop', pod: 'web-1' })), ['invalid', 'The pod "web-1" in namespace "shop" has several containers: say which one\'s log to read. (a container name must be specified for pod web-1, choose one of: [app proxy])']);
  // The kubelet's words, and kwok's (it has no previous file to read).
  for (const message of ['previous terminated container "app" in pod "web-1" not found', 'failed to read log file ".": read .: is a directory']) {
    assert.deepEqual(said(podLogError(refused(400, message), { ...target, previous: true })), ['notFound', `The container "app" of pod "web-1" in namespace "shop" has no previous run: it has not restarted. (${message})`]);
  }
  for (const message of ['container "app" in pod "web-1" is waiting to start: trying and failing to pull image', 'log target not found for container "app" in pod "shop/web-1"']) {
    assert.deepEqual(said(podLogError(refused(400, message), target)), ['notFound', `The container "app" of pod "web-1" in namespace "shop" has no log: it has not started. (${message})`]);
  }
  assert.deepEqual(said(podLogError(refused(400, 'pod web-1 does not have a host assigned'), target)), ['notFound', 'The pod "web-1" in namespace "shop" is not on a node yet, so it has no log. (pod web-1 does not have a host assigned)']);
});

test('forbidden names the permission; anything else is left as the client reported it', () => {
  const [kind, message] = said(podLogError(refused(403, 'pods "web-1" is forbidden: User "limited" cannot get resource "pods/log"'), target));
  assert.equal(kind, 'forbidden');
  assert.match(message, /^You may not read the logs of pod "web-1" in namespace "shop" \(RBAC: get on pods\/log\)\. The API said: pods "web-1" is forbidden/);
  const unreachable = new ClusterError('unreachable', 'Cannot reach the cluster');
  assert.equal(podLogError(unreachable, target), unreachable);
  const other400 = refused(400, 'something else');
  assert.equal(podLogError(other400, target), other400);
  const notAClusterError = new Error('boom');
  assert.equal(podLogError(notAClusterError, target), notAClusterError);
});
