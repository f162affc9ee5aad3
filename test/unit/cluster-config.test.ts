import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { kubeconfigFiles, kubeconfigFingerprint, loadKubeConfig } from '../../src/kube/client';
import { errorFromException, errorFromResponse } from '../../src/kube/errors';

const kubeconfig = (name: string, server: string) => `apiVersion: v1
kind: Config
clusters: [{name: ${name}, cluster: {server: "${server}"}}]
users: [{name: ${name}, user: {token: t-${name}}}]
contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}, namespace: ns-${name}}}]
current-context: ${name}
`;

test('KUBECONFIG with several files is merged as kubectl does; the first file names the current context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-kc-'));
  writeFileSync(join(dir, 'a'), kubeconfig('alpha', 'https://127.0.0.1:1'));
  writeFileSync(join(dir, 'b'), kubeconfig('beta', 'https://127.0.0.1:2'));
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = [join(dir, 'a'), join(dir, 'b')].join(delimiter);
  try {
    const kc = loadKubeConfig();
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['alpha', 'beta']);
    assert.equal(kc.getCurrentContext(), 'alpha');
    assert.equal(loadKubeConfig(undefined, 'beta').getCurrentCluster()?.server, 'https://127.0.0.1:2');
    assert.throws(() => loadKubeConfig(undefined, 'gamma'), /Context "gamma" is not in the kubeconfig/);
    process.env.KUBECONFIG = join(dir, 'missing');
    const home = process.env.HOME;
    process.env.HOME = dir;
    try {
      assert.throws(() => loadKubeConfig(), /No kubeconfig found/);
    } finally {
      process.env.HOME = home;
    }
  } finally {
    process.env.KUBECONFIG = saved;
  }
});

test('API and network failures become sentences a person can act on', () => {
  const request = { verb: 'list', resource: 'deployments.apps', namespace: 'shop', server: 'https://k8s:6443' };
  assert.match(errorFromResponse(401, {}, request).message, /rejected the credentials .* \(expired token or certificate\?\)/);
  assert.equal(errorFromResponse(403, { message: 'nope' }, request).message, 'Forbidden: you may not list deployments.apps in namespace "shop". The API said: nope');
  assert.equal(errorFromResponse(409, { message: 'the object has been modified' }).kind, 'conflict');
  assert.match(errorFromResponse(422, { details: { causes: [{ field: 'spec.replicas', message: 'must be >= 0' }] } }).message, /spec\.replicas: must be >= 0/);
  assert.match(errorFromException(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), request).message, /Cannot reach the cluster at https:\/\/k8s:6443 \(ECONNREFUSED\)/);
  assert.equal(errorFromException(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).kind, 'config');
  assert.equal(errorFromException(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind, 'cancelled');
});

test('the kubeconfig fingerprint moves with contexts, the current context, its server and user, not with renewed tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-kc-'));
  const file = join(dir, 'config');
  const fingerprint = (text: string) => {
    writeFileSync(file, text);
    return kubeconfigFingerprint(loadKubeConfig(file));
  };
  const base = fingerprint(kubeconfig('alpha', 'https://127.0.0.1:1'));
  assert.equal(fingerprint(kubeconfig('alpha', 'https://127.0.0.1:1').replace('token: t-alpha', 'token: renewed')), base, 'a renewed token');
  assert.notEqual(fingerprint(kubeconfig('alpha', 'https://127.0.0.1:9')), base, 'another server');
  assert.notEqual(fingerprint(kubeconfig('alpha', 'https://127.0.0.1:1').replace('namespace: ns-alpha', 'namespace: other')), base, 'another namespace');
  assert.deepEqual(kubeconfigFiles('/x/config'), ['/x/config']);
});
