// Switchyard's metrics source: a client of Prometheus's HTTP query API (instant and range queries,
// POSTed form-encoded as Prometheus accepts), reached either directly at a URL or, for an in-cluster
// address (http://NAME.NAMESPACE.svc…:PORT), through the Kubernetes API server's service proxy with
// the context's own credentials (no port-forward). Every failure becomes a PrometheusError whose
// message says what to do; a query Prometheus rejects keeps Prometheus's own words and, for a PromQL
// parse error, the position it names. No vscode here: part of the lazily loaded kube bundle.
import fetch from 'node-fetch';
import { Agent as HttpsAgent } from 'node:https';
import type { KubeClient } from './client';
import { ClusterError, unreachableCode } from './errors';

/** Where Prometheus is: a URL, or a Service reached through the API server's proxy. */
export type PrometheusTarget =
  | { kind: 'url'; url: string }
  | { kind: 'service'; namespace: string; name: string; port: string; scheme: 'http' | 'https'; path: string };

/**
 * Credentials and TLS for a Prometheus reached directly, as resolved from the settings and the
 * Secret they name (src/kube/prometheusSource.ts). Through the service proxy only `headers` apply:
 * the API server authenticates the context's own credentials and does the TLS to the backend.
 */
export interface PrometheusAuth {
  bearerToken?: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** PEM CA certificates for an https URL (instead of the system's). */
  ca?: string;
  insecureSkipVerify?: boolean;
}

export type PrometheusErrorKind = 'config' | 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'badQuery' | 'timeout' | 'tls' | 'server' | 'cancelled';

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    readonly status?: number,
    /** Prometheus's own error, when it answered with one: errorType (bad_data, execution, timeout…) and text. */
    readonly prometheus?: { errorType: string; error: string },
    /** For a PromQL parse error: where in the query (1-based line and column, as Prometheus counts). */
    readonly position?: { line: number; column: number },
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

// ---------- addresses and settings (pure) ----------

// NAME.NAMESPACE.svc, optionally followed by the cluster domain (cluster.local or another).
const IN_CLUSTER_HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?$/;

/**
 * Reads a Prometheus address as a setting or an AnalysisTemplate's `provider.prometheus.address`
 * gives it: an in-cluster Service address becomes a service-proxy target (port 80/443 by scheme when
 * none is given), anything else a direct URL. Throws a 'config' PrometheusError for what is no URL.
 */
export function parsePrometheusAddress(address: string): PrometheusTarget {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new PrometheusError('config', `"${address}" is not a Prometheus URL (expected e.g. http://prometheus.monitoring.svc:9090 or https://prometheus.example.com).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PrometheusError('config', `"${address}" is not an http(s) URL.`);
  const path = url.pathname.replace(/\/+$/, '');
  const host = IN_CLUSTER_HOST.exec(url.hostname);
  if (host) {
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    return { kind: 'service', name: host[1], namespace: host[3], port: url.port || (scheme === 'https' ? '443' : '80'), scheme, path };
  }
  return { kind: 'url', url: `${url.origin}${path}` };
}

/** A per-context setting's entry: the context's own, else the one under "*". */
export function forContext<T>(map: Record<string, T> | undefined, context: string): T | undefined {
  if (!map) return undefined;
  return Object.prototype.hasOwnProperty.call(map, context) ? map[context] : map['*'];
}

/** How a target is named in messages. */
export function describeTarget(target: PrometheusTarget): string {
  return target.kind === 'url' ? target.url : `service ${target.namespace}/${target.name}:${target.port} (through the API server's service proxy)`;
}

// ---------- answers (pure) ----------

export type Sample = [number, string];
export interface VectorSample {
  metric: Record<string, string>;
  value: Sample;
}
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Sample[];
}
export type QueryData =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: Sample }
  | { resultType: 'string'; result: Sample };

export interface QueryResult<D = QueryData> {
  data: D;
  /** Prometheus's warnings and infos (e.g. "metric might not be a counter"), in its words. */
  warnings: string[];
}

interface PrometheusBody {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

function isPrometheusBody(body: unknown): body is PrometheusBody {
  return typeof body === 'object' && body !== null && typeof (body as PrometheusBody).status === 'string' && ((body as PrometheusBody).status === 'success' || (body as PrometheusBody).status === 'error');
}

/** Where a PromQL parse error points: Prometheus writes "LINE:COL: parse error: …" (or a range "L:C..L:C"). */
export function parseErrorPosition(error: string): { line: number; column: number } | undefined {
  const m = /(?:^|[\s:"])(\d+):(\d+)(?:\.\.\d+:\d+)?: parse error/.exec(error);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/**
 * An HTTP answer of the query API (directly or through the proxy) as data, or the PrometheusError it
 * stands for. `status` and `body` are the HTTP status and the parsed JSON (or text).
 */
export function readAnswer(status: number, body: unknown, where: string): QueryResult<unknown> {
  if (isPrometheusBody(body)) {
    if (body.status === 'success') return { data: body.data, warnings: [...(body.warnings ?? []), ...(body.infos ?? [])] };
    const errorType = body.errorType ?? 'unknown';
    const error = body.error ?? '';
    const own = { errorType, error };
    switch (errorType) {
      case 'bad_data':
        return fail(new PrometheusError('badQuery', `Prometheus rejected the query: ${error}`, status, own, parseErrorPosition(error)));
      case 'execution':
        return fail(new PrometheusError('badQuery', `The query failed in Prometheus: ${error}`, status, own));
      case 'timeout':
        return fail(new PrometheusError('timeout', `The query timed out in Prometheus: ${error}`, status, own));
      case 'canceled':
        return fail(new PrometheusError('cancelled', `Prometheus cancelled the query: ${error}`, status, own));
      default:
        return fail(new PrometheusError('server', `Prometheus at ${where} answered ${status} (${errorType}): ${error}`, status, own));
    }
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 300) : typeof body === 'object' && body !== null ? String((body as { message?: string }).message ?? '') : '';
  switch (status) {
    case 401:
      return fail(new PrometheusError('unauthorized', `Prometheus at ${where} rejected the credentials (401): set a bearer token or basic auth for this context in switchyard.prometheus.auth (or the Secret its secretRef names).${text ? ` It said: ${text}` : ''}`, status));
    case 403:
      return fail(new PrometheusError('forbidden', `Prometheus at ${where} refused the request (403 Forbidden).${text ? ` It said: ${text}` : ''}`, status));
    case 404:
      return fail(new PrometheusError('notFound', `No Prometheus query API at ${where} (404): check the address and its path prefix.${text ? ` It said: ${text}` : ''}`, status));
    default:
      if (status >= 200 && status < 300) return fail(new PrometheusError('server', `${where} answered, but not as the Prometheus query API does (no "status" in the reply): is this Prometheus?`, status));
      return fail(new PrometheusError('server', `Prometheus at ${where} answered ${status}${text ? `: ${text}` : ''}`, status));
  }
}

function fail(error: PrometheusError): never {
  throw error;
}

/**
 * A failure the API server's service proxy reports itself (its own Status object, not Prometheus's
 * answer): no permission to proxy, no such Service, no ready endpoint behind it.
 */
export function proxyError(status: number, body: unknown, target: Extract<PrometheusTarget, { kind: 'service' }>): PrometheusError | undefined {
  const s = body as { kind?: string; message?: string; reason?: string } | undefined;
  if (s?.kind !== 'Status') return undefined;
  const svc = `${target.namespace}/${target.name}`;
  const said = s.message ? ` The API server said: ${s.message}` : '';
  switch (status) {
    case 401:
      return new PrometheusError('unauthorized', `The cluster rejected this context's credentials while proxying to Prometheus (service ${svc}).${said}`, status);
    case 403:
      return new PrometheusError('forbidden', `Forbidden: this context may not use the service proxy of ${svc} (needs "get" on services/proxy in namespace ${target.namespace}). Ask for that, or set switchyard.prometheus.url to an address you can reach.${said}`, status);
    case 404:
      // the API server says "services … not found" also for a Service without Endpoints (ExternalName)
      return new PrometheusError('notFound', `The API server cannot proxy to Prometheus at ${svc}:${target.port}: no such Service, or none with endpoints to proxy to.${said}`, status);
    case 503:
      return new PrometheusError('unreachable', `Prometheus's Service ${svc} cannot be reached through the API server: it has no ready endpoint, or the API server cannot connect to it.${said}`, status);
    default:
      return new PrometheusError('server', `The API server's proxy to ${svc} answered ${status}.${said}`, status);
  }
}

// ---------- the client ----------

export interface QueryOptions {
  /** Evaluation time (instant query); Prometheus's "now" when left out. */
  time?: Date;
  /** Time limit in ms, told to Prometheus (its `timeout`) and enforced here a little later (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RangeOptions extends Omit<QueryOptions, 'time'> {
  start: Date;
  end: Date;
  /** Resolution in seconds. */
  stepSeconds: number;
}

const seconds = (d: Date) => (d.getTime() / 1000).toFixed(3);

export class PrometheusClient {
  /**
   * @param kube the context's client: needed for a service target (the proxy), unused for a URL
   * @param auth sent to a URL target only (the proxy authenticates with the context's credentials)
   */
  constructor(
    readonly target: PrometheusTarget,
    private readonly kube?: KubeClient,
    private readonly auth: PrometheusAuth = {},
  ) {
    if (target.kind === 'service' && !kube) throw new PrometheusError('config', `Prometheus at ${describeTarget(target)} is reached through the cluster, and no cluster is selected.`);
    if (target.kind === 'url' && target.url.startsWith('https:') && (auth.ca !== undefined || auth.insecureSkipVerify)) {
      this.agent = new HttpsAgent({ keepAlive: true, ...(auth.ca !== undefined ? { ca: auth.ca } : {}), rejectUnauthorized: !auth.insecureSkipVerify });
    }
  }

  /** For an https URL with a CA of its own or no verification; else node's default agent (the system's CAs). */
  private readonly agent?: HttpsAgent;

  get description(): string {
    return describeTarget(this.target);
  }

  /** An instant query (POST /api/v1/query). */
  async query(promql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const form: Record<string, string> = { query: promql };
    if (options.time) form.time = seconds(options.time);
    return this.call('/api/v1/query', form, options) as Promise<QueryResult>;
  }

  /** A range query (POST /api/v1/query_range): always a matrix. */
  async queryRange(promql: string, options: RangeOptions): Promise<QueryResult<{ resultType: 'matrix'; result: MatrixSeries[] }>> {
    const form = { query: promql, start: seconds(options.start), end: seconds(options.end), step: String(options.stepSeconds) };
    return this.call('/api/v1/query_range', form, options) as Promise<QueryResult<{ resultType: 'matrix'; result: MatrixSeries[] }>>;
  }

  /** Prometheus's version (GET /api/v1/status/buildinfo): a cheap "is it there and may I ask?". */
  async buildInfo(options: Omit<QueryOptions, 'time'> = {}): Promise<{ version: string }> {
    return (await this.call('/api/v1/status/buildinfo', undefined, options)).data as { version: string };
  }

  private async call(apiPath: string, form: Record<string, string> | undefined, options: Omit<QueryOptions, 'time'>): Promise<QueryResult<unknown>> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    // Prometheus stops the query at its timeout and says so; our own limit covers no answer at all.
    if (form) form.timeout = `${Math.max(1, Math.floor(timeoutMs / 1000))}s`;
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const method = form ? 'POST' : 'GET';
    const where = this.description;
    const clientTimeoutMs = timeoutMs + 2_000;
    if (this.target.kind === 'service') {
      const t = this.target;
      const path = `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/services/${t.scheme === 'https' ? 'https:' : ''}${encodeURIComponent(t.name)}:${encodeURIComponent(t.port)}/proxy${t.path}${apiPath}`;
      let answer;
      try {
        // GET with the form as the query string: the API server authorizes a proxied POST as "create"
        // on services/proxy, a GET as "get", which is what a read-only role grants.
        answer = await this.kube!.send(path, { method: 'GET', ...(form ? { query: form } : {}), headers: this.auth.headers, signal: options.signal, timeoutMs: clientTimeoutMs, info: { verb: 'get', resource: 'services/proxy', namespace: t.namespace, name: t.name } });
      } catch (e) {
        throw fromClusterError(e, where, clientTimeoutMs);
      }
      if (!answer.ok) {
        const proxied = proxyError(answer.status, answer.body, t);
        if (proxied) throw proxied;
      }
      return readAnswer(answer.status, answer.body, where);
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...this.auth.headers };
    if (this.auth.bearerToken) headers.Authorization = `Bearer ${this.auth.bearerToken}`;
    else if (this.auth.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}`;
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const timeout = AbortSignal.timeout(clientTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response;
    let text: string;
    try {
      response = await fetch(this.target.url + apiPath, { method, headers, body, signal: signal as any, ...(this.agent ? { agent: this.agent } : {}) });
      text = await response.text();
    } catch (e) {
      if (options.signal?.aborted) throw new PrometheusError('cancelled', 'Cancelled.');
      if (timeout.aborted) throw new PrometheusError('timeout', `No answer from Prometheus at ${where} within ${clientTimeoutMs / 1000}s.`);
      const code = unreachableCode(e);
      if (code) throw new PrometheusError('unreachable', `Cannot reach Prometheus at ${where} (${code}). Is it running, and is switchyard.prometheus.url right for this context?`);
      const tls = tlsProblem(e);
      if (tls) throw new PrometheusError('tls', `Prometheus at ${where}: its TLS certificate was not accepted: ${tls}. ${this.auth.ca !== undefined ? 'The CA given (caFile, or ca.crt of the Secret) did not sign it: give the one that does' : 'Give the CA that signs it'} (caFile, or ca.crt in the Secret its secretRef names, in switchyard.prometheus.auth for this context), or set insecureSkipVerify there to accept any certificate.`);
      throw new PrometheusError('unreachable', `Cannot reach Prometheus at ${where}: ${(e as Error).message}`);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // an HTML error page or a plain-text answer (an auth proxy in front of Prometheus)
    }
    return readAnswer(response.status, parsed, where);
  }
}

/** The certificate problem a TLS handshake failed on, in node's words and code (undefined for any other failure). */
export function tlsProblem(e: unknown): string | undefined {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  const inner = err?.cause?.code ? err.cause : err;
  const code = inner?.code ?? '';
  if (!/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) return undefined;
  // node-fetch wraps the socket's error: "request to … failed, reason: <node's message>"
  const said = (inner?.message ?? '').replace(/^request to \S+ failed, reason: /, '');
  return `${said || 'certificate rejected'} (${code})`;
}

/** A failure to reach the API server on the way to Prometheus, told as such. */
function fromClusterError(e: unknown, where: string, timeoutMs: number): PrometheusError {
  if (!(e instanceof ClusterError)) return new PrometheusError('server', `Querying Prometheus at ${where} failed: ${(e as Error)?.message ?? String(e)}`);
  switch (e.kind) {
    case 'cancelled':
      return new PrometheusError('cancelled', 'Cancelled.');
    case 'timeout':
      return new PrometheusError('timeout', `No answer from Prometheus at ${where} within ${timeoutMs / 1000}s.`);
    case 'unreachable':
      return new PrometheusError('unreachable', `Prometheus at ${where} is reached through the cluster, and the cluster cannot be reached: ${e.message}`);
    case 'unauthorized':
      return new PrometheusError('unauthorized', e.message);
    case 'config':
      return new PrometheusError('config', e.message);
    default:
      return new PrometheusError('server', e.message, e.status);
  }
}
