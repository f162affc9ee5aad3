// The metrics source's pure parts: how an address is read (URL or in-cluster Service), which
// per-context entry applies, and how each kind of answer becomes data or a clear error. The client
// against a real Prometheus is in test/cluster/prometheus.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forContext, parseErrorPosition, parsePrometheusAddress, PrometheusClient, PrometheusError, proxyError, readAnswer } from '../../src/kube/prometheus';

test('an in-cluster Service address is reached through the service proxy; any other through its URL', () => {
  assert.deepEqual(parsePrometheusAddress('http://prometheus.monitoring.svc.cluster.local:9090'), { kind: 'service', name: 'prometheus', namespace: 'monitoring', port: '9090', scheme: 'http', path: '' });
  assert.deepEqual(parsePrometheusAddress('https://thanos-query.obs.svc:10902/prefix/'), { kind: 'service', name: 'thanos-query', namespace: 'obs', port: '10902', scheme: 'https', path: '/prefix' });
  assert.deepEqual(parsePrometheusAddress('http://prometheus.monitoring.svc'), { kind: 'service', name: 'prometheus', namespace: 'monitoring', port: '80', scheme: 'http', path: '' });
  assert.deepEqual(parsePrometheusAddress(' https://prometheus.example.com/prom/ '), { kind: 'url', url: 'https://prometheus.example.com/prom' });
  assert.deepEqual(parsePrometheusAddress('http://127.0.0.1:9090'), { kind: 'url', url: 'http://127.0.0.1:9090' });
  // two labels are not enough to be sure it is a Service
  assert.equal(parsePrometheusAddress('http://prometheus.monitoring:9090').kind, 'url');
});

test('an address that is no http(s) URL is a config error naming it', () => {
  for (const bad of ['prometheus:9090/x y', 'not a url', 'ftp://prometheus.example.com']) {
    assert.throws(() => parsePrometheusAddress(bad), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && e.message.includes(bad));
  }
});

test('a per-context setting takes the context\'s own entry, else "*"', () => {
  const map = { prod: 'a', '*': 'b' };
  assert.equal(forContext(map, 'prod'), 'a');
  assert.equal(forContext(map, 'dev'), 'b');
  assert.equal(forContext({ prod: 'a' }, 'dev'), undefined);
  assert.equal(forContext(undefined, 'dev'), undefined);
});

test('a successful answer gives its data and Prometheus\'s warnings and infos', () => {
  const answer = readAnswer(200, { status: 'success', data: { resultType: 'vector', result: [] }, warnings: ['w'], infos: ['PromQL info: metric might not be a counter'] }, 'x');
  assert.deepEqual(answer, { data: { resultType: 'vector', result: [] }, warnings: ['w', 'PromQL info: metric might not be a counter'] });
});

test('a rejected query keeps Prometheus\'s words and the position of a parse error', () => {
  const error = 'invalid parameter "query": 1:27: parse error: unexpected right parenthesis \')\'';
  assert.throws(
    () => readAnswer(400, { status: 'error', errorType: 'bad_data', error }, 'x'),
    (e: unknown) => e instanceof PrometheusError && e.kind === 'badQuery' && e.message.endsWith(error) && e.prometheus?.errorType === 'bad_data' && e.position?.line === 1 && e.position.column === 27,
  );
  assert.deepEqual(parseErrorPosition('2:5..2:9: parse error: unexpected identifier'), { line: 2, column: 5 });
  assert.equal(parseErrorPosition('expanding series: context deadline exceeded'), undefined);
  assert.throws(() => readAnswer(422, { status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' }, 'x'), (e: unknown) => e instanceof PrometheusError && e.kind === 'badQuery' && /many-to-many/.test(e.message));
  assert.throws(() => readAnswer(503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }, 'x'), (e: unknown) => e instanceof PrometheusError && e.kind === 'timeout');
});

test('answers that are not Prometheus\'s own say what the status means', () => {
  const kind = (status: number, body: unknown) => {
    try {
      readAnswer(status, body, 'http://p');
    } catch (e) {
      return (e as PrometheusError).kind;
    }
    return 'no error';
  };
  assert.equal(kind(401, 'Unauthorized'), 'unauthorized');
  assert.equal(kind(403, '<html>denied</html>'), 'forbidden');
  assert.equal(kind(404, '404 page not found'), 'notFound');
  assert.equal(kind(502, 'Bad Gateway'), 'server');
  // a 200 that is not the query API (a login page behind an auth proxy)
  assert.equal(kind(200, '<html>login</html>'), 'server');
});

test('the service proxy\'s own Status objects are told apart from Prometheus\'s answers', () => {
  const target = { kind: 'service' as const, namespace: 'monitoring', name: 'prometheus', port: '9090', scheme: 'http' as const, path: '' };
  assert.equal(proxyError(403, { kind: 'Status', message: 'services "prometheus:9090" is forbidden' }, target)?.kind, 'forbidden');
  assert.match(proxyError(403, { kind: 'Status' }, target)!.message, /services\/proxy in namespace monitoring/);
  assert.equal(proxyError(404, { kind: 'Status', message: 'services "prometheus" not found' }, target)?.kind, 'notFound');
  assert.equal(proxyError(503, { kind: 'Status', message: 'no endpoints available for service "prometheus"' }, target)?.kind, 'unreachable');
  // Prometheus's own 400 passes through to readAnswer
  assert.equal(proxyError(400, { status: 'error', errorType: 'bad_data', error: 'x' }, target), undefined);
});

test('a Prometheus that accepts the connection and never answers ends in a timeout, not a hang', async () => {
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const client = new PrometheusClient(parsePrometheusAddress(`http://127.0.0.1:${port}`));
    await assert.rejects(client.query('up', { timeoutMs: 100 }), (e: unknown) => e instanceof PrometheusError && e.kind === 'timeout' && /No answer from Prometheus/.test(e.message));
    const aborted = new AbortController();
    const pending = client.query('up', { signal: aborted.signal });
    aborted.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof PrometheusError && e.kind === 'cancelled');
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});
