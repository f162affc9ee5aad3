// Authentication as kubeconfigs do it in the wild, against the real API server: an exec credential
// plugin (as cloud CLIs use) and a client certificate, and an expired/wrong token said clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { ClusterError } from '../../src/kube/errors';
import { clientWithUser, kubeconfig } from './support';
import { unreachableKubeconfig } from '../support/kubeconfig';

const admin = loadKubeConfig(kubeconfig);
const token = (admin.getCurrentUser() as { token?: string }).token!;
const pki = join(dirname(kubeconfig), 'pki');

test('an exec credential plugin supplies the token', async () => {
  const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
  const client = clientWithUser(`    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", ${JSON.stringify(`echo '${credential}'`)}]
      interactiveMode: Never`);
  const ns = await client.request('/api/v1/namespaces/default');
  assert.equal(ns.metadata.name, 'default');
});

test('an exec plugin that fails (a cloud CLI whose login expired) is said with its own words', async () => {
  const client = clientWithUser(`    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "echo 'Error: the SSO session has expired, run: cloud sso login' >&2; exit 1"]
      interactiveMode: Never`);
  await assert.rejects(client.request('/api/v1/namespaces/default'), (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /SSO session has expired, run: cloud sso login/);
    return true;
  });
});

test('a certificate file the kubeconfig names but that is gone is said as a kubeconfig problem', async () => {
  const client = clientWithUser(`    client-certificate: /nonexistent/switchyard-test.crt
    client-key: /nonexistent/switchyard-test.key`);
  await assert.rejects(client.request('/api/v1/namespaces/default'), (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'config', e.message);
    assert.match(e.message, /switchyard-test\.(crt|key)/);
    return true;
  });
});

test('a client certificate authenticates', async () => {
  const client = clientWithUser(`    client-certificate-data: ${readFileSync(join(pki, 'admin.crt')).toString('base64')}
    client-key-data: ${readFileSync(join(pki, 'admin.key')).toString('base64')}`);
  const ns = await client.request('/api/v1/namespaces/default');
  assert.equal(ns.metadata.name, 'default');
});

test('a rejected token (expired or revoked) is said as such', async () => {
  const client = clientWithUser('    token: not-a-valid-token');
  await assert.rejects(client.request('/api/v1/namespaces/default'), (e: unknown) => e instanceof ClusterError && e.kind === 'unauthorized' && /rejected the credentials/.test(e.message));
});

test('an unreachable server is said as such', async () => {
  await assert.rejects(new KubeClient(loadKubeConfig(unreachableKubeconfig())).request('/version'), (e: unknown) => e instanceof ClusterError && e.kind === 'unreachable' && /Cannot reach the cluster at https:\/\/127\.0\.0\.1:1/.test(e.message));
});
