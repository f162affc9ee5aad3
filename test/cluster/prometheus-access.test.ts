// How Switchyard finds and reaches a Prometheus, against real ones: the demo cluster's Prometheus as
// Service monitoring/prometheus through the API server's service proxy (cluster/up.sh,
// prometheus/monitoring.yaml.in), found from an AnalysisTemplate's address; and second Prometheus
// processes of the same binary started here with a web config (`--web.config.file`) that demands
// basic auth, and serves TLS with a certificate made here with openssl, for credentials read from a
// real Secret and for the CA options. No mock Prometheus: every answer is Prometheus's own.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusError, type VectorSample } from '../../src/kube/prometheus';
import { prometheusForNamespace, prometheusFromSettings, type PrometheusSettings } from '../../src/kube/prometheusSource';
import { sampleGoldenSignals, signalsSource } from '../../src/kube/goldenSignals';
import { evaluateMetric } from '../../src/kube/analysisEvaluate';
import { prometheusMetrics } from '../../src/domain/analysis/measure';
import { renderRollout } from '../../webview/render/rolloutView';
import type { GoldenSignals } from '../../src/domain/metrics/signals';
import type { WorkloadView } from '../../src/domain/model/workloads';
import type { KubeClient } from '../../src/kube/client';
import { adminClient, clusterDir, deploymentManifest, eventually, repoRoot, session, waitForWorkloads, withNamespace } from './support';

/** A ports.env value that may be empty (clusterPort refuses those). */
function portsValue(name: string): string {
  return new RegExp(`^${name}=(.*)$`, 'm').exec(readFileSync(join(clusterDir, 'ports.env'), 'utf8'))?.[1]?.replace(/^"(.*)"$/, '$1') ?? '';
}

/** Why there is no Service monitoring/prometheus (no address the service proxy accepts), or undefined. */
function serviceUnavailable(): string | undefined {
  if (portsValue('PROMETHEUS_SERVICE_URL')) return undefined;
  return portsValue('PROMETHEUS_PROXY_UNAVAILABLE') || 'ports.env has no PROMETHEUS_SERVICE_URL: run cluster/down.sh and this worktree\'s cluster/up.sh';
}

const SUCCESS_RATE = (address: string, namespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate' },
  spec: {
    args: [{ name: 'app' }],
    metrics: [
      {
        name: 'success-rate',
        successCondition: 'result[0] >= 0.95',
        provider: { prometheus: { address, query: `sum(rate(http_requests_total{namespace="${namespace}",pod=~"{{args.app}}-.*",code!~"5.."}[20s])) / sum(rate(http_requests_total{namespace="${namespace}",pod=~"{{args.app}}-.*"}[20s]))` } },
      },
    ],
  },
});

const metricsHtml = (w: WorkloadView, metrics: GoldenSignals) => renderRollout({ target: { namespace: w.namespace, name: w.name, id: w.id }, status: 'live', readOnly: false, workload: w, samples: [], now: Date.now(), metrics }).find((x) => x.key === 'metrics')?.html ?? '';

const none: PrometheusSettings = { 'prometheus.url': {}, 'prometheus.auth': {} };

describe('the demo Prometheus as Service monitoring/prometheus, through the API server\'s service proxy', { skip: serviceUnavailable() }, () => {
  test('found from the namespace\'s AnalysisTemplate, queried with the context\'s credentials: golden signals of a canary and Evaluate now', async () => {
    const address = portsValue('PROMETHEUS_SERVICE_URL');
    await withNamespace('prom-found', async (namespace, client) => {
      const post = (path: string, body: unknown) => client.request(`/apis/apps/v1/namespaces/${namespace}/${path}`, { method: 'POST', body });
      // nothing names a Prometheus yet: not configured, and the message says where it looked
      const before = await signalsSource(client, none, namespace);
      assert.ok('status' in before && before.status === 'notConfigured', JSON.stringify(before));
      await client.request(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysistemplates`, { method: 'POST', body: SUCCESS_RATE(address, namespace) });
      const found = await prometheusForNamespace(client, none, namespace);
      assert.equal(found?.from, 'AnalysisTemplate success-rate');
      assert.deepEqual(found?.client.target, { kind: 'service', namespace: 'monitoring', name: 'prometheus', port: '9090', scheme: 'http', path: '' });
      // the setting, when it names one, wins over the templates
      assert.equal((await prometheusForNamespace(client, { ...none, 'prometheus.url': { '*': portsValue('PROMETHEUS_URL') } }, namespace))?.from, 'switchyard.prometheus.url');

      await post('deployments', deploymentManifest('shop-stable', { app: 'shop', track: 'stable' }, 'ghcr.io/example/shop:1.0.0', 2));
      await post('deployments', deploymentManifest('shop-canary', { app: 'shop', track: 'canary' }, 'ghcr.io/example/shop:1.1.0-bad', 1));
      await client.request(`/api/v1/namespaces/${namespace}/services`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] } } });
      const s = session();
      try {
        await s.watchNamespace(namespace, 'test');
        const w = (await waitForWorkloads(s, namespace, (xs) => xs.some((x) => x.kind === 'ReplicaCanary' && x.replicas.ready === 3))).find((x) => x.kind === 'ReplicaCanary')!;
        const source = await signalsSource(client, none, namespace);
        assert.ok(!('status' in source));
        const signals = await eventually(
          'the canary\'s errors through the proxy',
          () => sampleGoldenSignals(source.client, w, undefined, { from: source.from }),
          (x) => x.status === 'live' && !!x.comparison && x.comparison.verdict !== 'insufficient',
          90_000,
        );
        assert.equal(signals.comparison!.verdict, 'worse', signals.comparison!.text);
        assert.equal(signals.sourceFrom, 'AnalysisTemplate success-rate');
        assert.match(metricsHtml(w, signals), /Prometheus from AnalysisTemplate success-rate: service monitoring\/prometheus:9090 \(through the API server(&#39;|&#x27;|')s service proxy\)/);
      } finally {
        s.dispose();
      }

      // Evaluate now of the template through the same proxy: the canary's success rate is ~80 %, below 0.95
      const metric = prometheusMetrics(SUCCESS_RATE(address, namespace).spec).metrics[0];
      const canary = await evaluateMetric(metric, { app: 'shop-canary' }, { kube: client, settings: none });
      assert.equal(canary.prometheus, 'service monitoring/prometheus:9090 (through the API server\'s service proxy)');
      assert.equal(canary.verdict.phase, 'Failed', JSON.stringify(canary));
      assert.ok(Math.abs((canary.result as number[])[0] - 0.8) < 0.02, canary.value);
      assert.equal((await evaluateMetric(metric, { app: 'shop-stable' }, { kube: client, settings: none })).verdict.phase, 'Successful');
    });
  });

  test('a user the proxy forbids is told so; granted only "get" on services/proxy in monitoring (a read-only role), the same user gets data', async () => {
    const address = portsValue('PROMETHEUS_SERVICE_URL');
    const limited = adminClient('switchyard-limited');
    const settings: PrometheusSettings = { 'prometheus.url': { '*': address }, 'prometheus.auth': {} };
    const ask = async () => (await prometheusFromSettings(limited, settings))!.client.query('vector(1)');
    await assert.rejects(ask(), (e: unknown) => e instanceof PrometheusError && e.kind === 'forbidden' && /needs "get" on services\/proxy in namespace monitoring/.test(e.message));
    const admin = adminClient();
    const name = `prom-proxy-${process.pid}-${Date.now().toString(36)}`;
    await admin.request('/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/roles', { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['prometheus', 'prometheus:9090'], verbs: ['get'] }] } });
    await admin.request('/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/rolebindings', { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'limited' }] } });
    try {
      const answer = await eventually('the binding in force', () => ask().catch(() => undefined));
      assert.equal(Number((answer.data.result as VectorSample[])[0]?.value[1] ?? (answer.data as { result: [number, string] }).result[1]), 1);
    } finally {
      await admin.request(`/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/rolebindings/${name}`, { method: 'DELETE' }).catch(() => undefined);
      await admin.request(`/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/roles/${name}`, { method: 'DELETE' }).catch(() => undefined);
    }
  });
});

// ---------- a second Prometheus that demands credentials, and one that serves TLS ----------

const USER = 'switchyard';
const PASSWORD = 'prom-secret-pw';
// bcrypt (cost 4: verified on every request) of PASSWORD, as Prometheus's web config wants it;
// made with python3 -c "import crypt; print(crypt.crypt('prom-secret-pw', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"
const PASSWORD_BCRYPT = '$2b$04$DHMjBE7HERbW7drak4rpRudzUMBDvXw/Io814hxcP21BkQJhjnLdu';

function prometheusBinary(): string {
  return execFileSync('bash', ['-c', '. "$CLUSTER_SRC/lib/common.sh" && printf %s "$PROMETHEUS_BIN"'], { encoding: 'utf8', env: { ...process.env, CLUSTER_SRC: join(repoRoot, 'cluster') } });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as import('node:net').AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  url: string;
  stop(): Promise<void>;
}

/** The cluster's Prometheus binary on a free loopback port with `webConfig` (YAML), its own empty TSDB, scraping nothing. */
async function startPrometheus(dir: string, name: string, webConfig: string, scheme: 'http' | 'https'): Promise<Started> {
  const port = await freePort();
  const home = join(dir, name);
  execFileSync('mkdir', ['-p', join(home, 'data')]);
  writeFileSync(join(home, 'prometheus.yml'), 'global: {scrape_interval: 1m}\n');
  writeFileSync(join(home, 'web.yml'), webConfig);
  const child: ChildProcess = spawn(prometheusBinary(), [`--config.file=${join(home, 'prometheus.yml')}`, `--storage.tsdb.path=${join(home, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${join(home, 'web.yml')}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `${scheme}://127.0.0.1:${port}`;
  // up when its port accepts connections (every endpoint wants the credentials, so no /-/ready here)
  await eventually(`${name} listening (${stderr.slice(-300)})`, () => new Promise<true | undefined>((resolve) => {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
    const socket = require('node:net').connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(undefined));
  }), () => true, 60_000);
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** A CA and a server certificate for 127.0.0.1 signed by it, and a second CA that signed nothing: PEM files in `dir`. */
function makeCertificates(dir: string): { ca: string; caFile: string; otherCaFile: string; cert: string; key: string } {
  const f = (n: string) => join(dir, n);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${ca}.key`), '-out', f(`${ca}.crt`), '-days', '1', '-subj', `/CN=switchyard-test-${ca}`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=prometheus-tls');
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '1', '-extfile', f('server.ext'));
  return { ca: readFileSync(f('ca.crt'), 'utf8'), caFile: f('ca.crt'), otherCaFile: f('other-ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

const secretOf = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData: data });

describe('credentials from a Secret the user names, and TLS, against Prometheus processes that demand them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-prom-'));
  let authOnly: Started;
  let tls: Started;
  let certs: ReturnType<typeof makeCertificates>;
  before(async () => {
    certs = makeCertificates(dir);
    const users = `basic_auth_users:\n  ${USER}: '${PASSWORD_BCRYPT}'\n`;
    [authOnly, tls] = await Promise.all([
      startPrometheus(dir, 'auth', users, 'http'),
      startPrometheus(dir, 'tls', `tls_server_config:\n  cert_file: ${certs.cert}\n  key_file: ${certs.key}\n${users}`, 'https'),
    ]);
  });
  after(async () => {
    await Promise.all([authOnly?.stop(), tls?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const settingsFor = (kube: KubeClient, url: string, auth: PrometheusSettings['prometheus.auth'][string]): PrometheusSettings => ({ 'prometheus.url': { [kube.contextName]: url }, 'prometheus.auth': { [kube.contextName]: auth } });
  const one = async (kube: KubeClient, settings: PrometheusSettings) => {
    const { data } = await (await prometheusFromSettings(kube, settings))!.client.query('vector(42)');
    return Number((data.result as VectorSample[])[0].value[1]);
  };

  test('basic auth from a real Secret: accepted; without it, a wrong password, a missing Secret and one the user may not read each say so', async () => {
    await withNamespace('prom-creds', async (namespace, client) => {
      await client.request(`/api/v1/namespaces/${namespace}/secrets`, { method: 'POST', body: secretOf('prom-creds', { username: USER, password: PASSWORD }) });
      await client.request(`/api/v1/namespaces/${namespace}/secrets`, { method: 'POST', body: secretOf('prom-wrong', { username: USER, password: 'not-it' }) });
      await client.request(`/api/v1/namespaces/${namespace}/secrets`, { method: 'POST', body: secretOf('prom-nothing', { other: 'x' }) });
      const ref = (name: string) => ({ secretRef: { namespace, name } });
      assert.equal(await one(client, settingsFor(client, authOnly.url, ref('prom-creds'))), 42);
      await assert.rejects(one(client, settingsFor(client, authOnly.url, {})), (e: unknown) => e instanceof PrometheusError && e.kind === 'unauthorized' && /rejected the credentials \(401\)/.test(e.message));
      await assert.rejects(one(client, settingsFor(client, authOnly.url, ref('prom-wrong'))), (e: unknown) => e instanceof PrometheusError && e.kind === 'unauthorized');
      // a field set beside the secretRef wins over the Secret's
      assert.equal(await one(client, settingsFor(client, authOnly.url, { ...ref('prom-wrong'), password: PASSWORD })), 42);
      await assert.rejects(one(client, settingsFor(client, authOnly.url, ref('prom-missing'))), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && e.message.includes(`Secret ${namespace}/prom-missing`) && /does not exist/.test(e.message));
      await assert.rejects(one(client, settingsFor(client, authOnly.url, ref('prom-nothing'))), (e: unknown) => e instanceof PrometheusError && /has none of the keys .*"token".*"username".*"password".*"ca\.crt".*It has: other/.test(e.message));
      // user "limited" has no RBAC: the API server's 403, said as such
      const limited = adminClient('switchyard-limited');
      await assert.rejects(one(limited, settingsFor(limited, authOnly.url, ref('prom-creds'))), (e: unknown) => e instanceof PrometheusError && e.kind === 'forbidden' && /Forbidden \(403\): this context may not read the Secret .*prom-creds.*needs "get" on secrets in namespace/.test(e.message));
      // the golden signals' section carries the same message, nothing thrown
      const section = await signalsSource(limited, settingsFor(limited, authOnly.url, ref('prom-creds')), namespace);
      assert.ok('status' in section && section.status === 'error' && section.errorKind === 'forbidden');
    });
  });

  test('TLS: no CA or a wrong one is a certificate error naming the problem; the right CA (file, or ca.crt of the Secret) or insecureSkipVerify gets data', async () => {
    await withNamespace('prom-tls', async (namespace, client) => {
      const creds = { username: USER, password: PASSWORD };
      const certificateError = (e: unknown) => e instanceof PrometheusError && e.kind === 'tls' && /TLS certificate was not accepted: .*(certificate|CERT).*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/.test(e.message);
      await assert.rejects(one(client, settingsFor(client, tls.url, creds)), certificateError, 'the system CAs do not know this one');
      await assert.rejects(one(client, settingsFor(client, tls.url, { ...creds, caFile: certs.otherCaFile })), (e: unknown) => certificateError(e) && /The CA given \(caFile, or ca\.crt of the Secret\) did not sign it/.test((e as Error).message));
      assert.equal(await one(client, settingsFor(client, tls.url, { ...creds, caFile: certs.caFile })), 42);
      assert.equal(await one(client, settingsFor(client, tls.url, { ...creds, insecureSkipVerify: true })), 42);
      await client.request(`/api/v1/namespaces/${namespace}/secrets`, { method: 'POST', body: secretOf('prom-tls', { ...creds, 'ca.crt': certs.ca }) });
      assert.equal(await one(client, settingsFor(client, tls.url, { secretRef: { namespace, name: 'prom-tls' } })), 42);
      // Evaluate now takes the same credentials, and an `insecure: true` metric skips the check as Argo does
      const settings = settingsFor(client, tls.url, creds);
      const insecure = await evaluateMetric({ name: 'm', index: 0, query: 'vector(1)', successCondition: 'result[0] == 1', insecure: true }, {}, { kube: client, settings });
      assert.equal(insecure.verdict.phase, 'Successful', JSON.stringify(insecure));
      const checked = await evaluateMetric({ name: 'm', index: 0, query: 'vector(1)', successCondition: 'result[0] == 1' }, {}, { kube: client, settings });
      assert.equal(checked.verdict.phase, 'Error');
      assert.match(checked.verdict.message!, /TLS certificate was not accepted/);
    });
  });

  test('Evaluate now runs a rangeQuery over the range it names, with its step', async () => {
    const settings = settingsFor(adminClient(), authOnly.url, { username: USER, password: PASSWORD });
    const now = Date.now();
    const e = await evaluateMetric({ name: 'r', index: 0, query: 'vector(2)', successCondition: 'len(result) == 7 && result[0] == 2', rangeQuery: { start: 'now() - duration("{{args.lookback}}")', end: 'now()', step: '10s' } }, { lookback: '1m' }, { kube: adminClient(), settings, now });
    assert.deepEqual(e.range, { start: now - 60_000, end: now, stepSeconds: 10 });
    assert.equal(e.value, '[2,2,2,2,2,2,2]', 'a point every 10 s over a minute, ends included');
    assert.equal(e.verdict.phase, 'Successful', JSON.stringify(e.verdict));
  });
});
