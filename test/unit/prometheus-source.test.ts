// Which Prometheus a context asks and with which credentials (src/kube/prometheusSource.ts): the
// choice among the namespace's analysis templates, and the auth entry as the client takes it. The
// Secret read and discovery against a real API server and Prometheus are in
// test/cluster/prometheus-access.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverPrometheus, resolveAuth, type TemplateObject } from '../../src/kube/prometheusSource';
import { PrometheusError, tlsProblem } from '../../src/kube/prometheus';

const template = (name: string, addresses: (string | undefined)[], kind: TemplateObject['kind'] = 'AnalysisTemplate'): TemplateObject => ({
  kind,
  metadata: { name, ...(kind === 'AnalysisTemplate' ? { namespace: 'shop' } : {}) },
  spec: { metrics: addresses.map((address, i) => ({ name: `m${i}`, provider: { prometheus: { query: 'up', ...(address ? { address } : {}) } } })) },
});

test('discovery takes an in-cluster address of the namespace\'s templates, and says which template named it', () => {
  const found = discoverPrometheus([template('success-rate', ['http://prometheus.monitoring.svc:9090'])]);
  assert.equal(found?.from, 'AnalysisTemplate success-rate');
  assert.deepEqual(found?.target, { kind: 'service', namespace: 'monitoring', name: 'prometheus', port: '9090', scheme: 'http', path: '' });
  // a URL outside the cluster (what the controller reaches), an args-templated address, no address, a broken one: not discovered
  assert.equal(discoverPrometheus([template('a', ['https://prometheus.example.com', 'http://{{args.prom}}.monitoring.svc:9090', undefined, 'not a url'])]), undefined);
  assert.equal(discoverPrometheus([]), undefined);
});

test('several addresses: the one most templates name wins; ties go to the namespace\'s templates, then by name', () => {
  const a = 'http://prometheus.monitoring.svc:9090';
  const b = 'http://thanos-query.obs.svc.cluster.local:10902';
  // a template naming the same address in two metrics counts once
  const found = discoverPrometheus([template('z-latency', [b]), template('a-errors', [a, a]), template('m-saturation', [b])]);
  assert.equal(found?.address, b);
  assert.equal(found?.templates, 2);
  assert.equal(found?.from, 'AnalysisTemplate m-saturation', 'the first by name of those naming it');
  // a tie: the namespace's own AnalysisTemplate before a ClusterAnalysisTemplate, whatever the names
  const tie = discoverPrometheus([template('a-cluster-wide', [b], 'ClusterAnalysisTemplate'), template('z-own', [a])]);
  assert.equal(tie?.from, 'AnalysisTemplate z-own');
  // only cluster-wide templates name one
  assert.equal(discoverPrometheus([template('global', [a], 'ClusterAnalysisTemplate')])?.from, 'ClusterAnalysisTemplate global');
  // the same Service written two ways is one address
  assert.equal(discoverPrometheus([template('x', ['http://prometheus.monitoring.svc:9090']), template('y', ['http://prometheus.monitoring.svc.cluster.local:9090/']), template('w', [b])])?.templates, 2);
});

test('an auth entry as the client takes it: a CA file read, the fields as given, a Secret needing a cluster', async () => {
  assert.deepEqual(await resolveAuth(undefined, undefined), {});
  assert.deepEqual(await resolveAuth(undefined, { username: 'u', password: 'p', headers: { 'X-Scope-OrgID': 'shop' }, insecureSkipVerify: true }), { username: 'u', password: 'p', headers: { 'X-Scope-OrgID': 'shop' }, insecureSkipVerify: true });
  const dir = mkdtempSync(join(tmpdir(), 'prom-ca-'));
  writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  assert.deepEqual(await resolveAuth(undefined, { caFile: join(dir, 'ca.pem'), bearerToken: 't' }), { bearerToken: 't', ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
  await assert.rejects(resolveAuth(undefined, { caFile: join(dir, 'missing.pem') }), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && e.message.includes(join(dir, 'missing.pem')) && /ENOENT/.test(e.message));
  await assert.rejects(resolveAuth(undefined, { secretRef: { namespace: 'monitoring', name: 'prom-creds' } }), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && /Secret monitoring\/prom-creds, and no cluster is selected/.test(e.message));
  await assert.rejects(resolveAuth(undefined, { secretRef: { namespace: 'monitoring' } as { namespace: string; name: string } }), (e: unknown) => e instanceof PrometheusError && /needs both "namespace" and "name"/.test(e.message));
});

test('a failed TLS handshake is told as the certificate problem, in node\'s words and code', () => {
  // the shape node-fetch rejects with: its FetchError carries the socket error's code
  const fetchError = Object.assign(new Error('request to https://127.0.0.1:1/api/v1/query failed, reason: self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  assert.equal(tlsProblem(fetchError), 'self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)');
  assert.equal(tlsProblem(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), undefined);
});
