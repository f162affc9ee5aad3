// HTTP(S) requests to one API server over kept-alive connections. client-node makes a new agent
// per request (KubeConfig.applyToFetchOptions -> createAgent), so every request, each page of a list
// and each read before a write, paid a TCP connect and a TLS handshake. Here one keep-alive agent
// per TLS identity (CA, client certificate and key, server name, verification) serves them all; a
// changed identity (an exec plugin's rotated certificate) gets a new agent and the old one lets its
// connections go as their requests end. node:https rather than node-fetch: node-fetch 2's check for
// a truncated chunked answer misreads a socket that the agent already handed to the next request
// (node-fetch/node-fetch#1767, open) and fails a complete answer with "Premature close".
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/**
 * How long an idle connection is kept (ms): well under the API server's own 90 s (its
 * http.Server IdleTimeout), so it is nearly always us who closes an idle connection, not the server
 * while a request is on its way.
 */
export const IDLE_CONNECTION_MS = 30_000;

/** The options client-node computed for a request (KubeConfig.applyToHTTPSOptions). */
export interface TlsOptions extends Pick<AgentOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'servername' | 'rejectUnauthorized'> {
  /** client-node's agent: kept only when it is a proxy's (cluster.proxyUrl). */
  agent?: unknown;
}

/** What a connection's TLS is made of: connections of one identity serve requests of that identity only. */
const IDENTITY: (keyof TlsOptions)[] = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized'];

/** A digest of the TLS identity: equal for equal CA, client certificate and key, server name and verification. */
export function tlsIdentity(options: TlsOptions): string {
  const hash = createHash('sha256');
  for (const field of IDENTITY) {
    const values = ([] as unknown[]).concat(options[field] ?? []);
    hash.update(`${field}:${values.length}`);
    for (const v of values) hash.update(typeof v === 'string' || Buffer.isBuffer(v) ? v : JSON.stringify(v));
  }
  return hash.digest('hex');
}

export interface ConnectionStats {
  requests: number;
  /** Connections opened (each one a TCP connect and, over https, a TLS handshake). */
  connections: number;
  /** Requests retried once because a kept connection turned out closed before any answer. */
  retries: number;
  /** Requests that waited for a later turn of the event loop (REQUESTS_PER_TURN). */
  deferred: number;
}

/**
 * New requests let through in one turn of the event loop; the others wait for the next turn. Each
 * costs the main thread a little (credentials, and for a new connection a socket and a TLS
 * ClientHello): 2,000 watches asked for at once (All namespaces one namespace at a time) would
 * otherwise be one task of seconds.
 */
export const REQUESTS_PER_TURN = 25;

/** One kept-alive agent per TLS identity for one server (http for plain-http servers). */
export class ConnectionPool {
  private current?: { identity: string; agent: HttpsAgent | HttpAgent };
  readonly stats: ConnectionStats = { requests: 0, connections: 0, retries: 0, deferred: 0 };
  /** Requests let through in this turn of the event loop, and those waiting for a later turn. */
  private admittedThisTurn = 0;
  private readonly waiting: (() => void)[] = [];
  private turnScheduled = false;

  constructor(private readonly plainHttp: boolean, private readonly requestsPerTurn = REQUESTS_PER_TURN) {}

  /**
   * Resolves when a new request may be opened: at once for the first `requestsPerTurn` of a turn of
   * the event loop, in a later turn for the others (in the order they asked).
   */
  admit(): Promise<void> | undefined {
    this.scheduleTurn();
    if (this.admittedThisTurn < this.requestsPerTurn && !this.waiting.length) {
      this.admittedThisTurn++;
      return undefined;
    }
    this.stats.deferred++;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      const next = this.waiting.splice(0, this.requestsPerTurn);
      this.admittedThisTurn = next.length;
      for (const go of next) go();
      if (next.length) this.scheduleTurn();
    });
  }

  /**
   * The agent for a request with these TLS options: the same while the identity stays. Its TLS
   * context (the CA, the client certificate and key, parsed) is made once with it, not per connection.
   */
  agentFor(options: TlsOptions): HttpsAgent | HttpAgent {
    const identity = this.plainHttp ? '' : tlsIdentity(options);
    if (this.current?.identity === identity) return this.current.agent;
    if (this.current) retire(this.current.agent);
    const settings = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' as const };
    const agent = this.plainHttp
      ? new HttpAgent(settings)
      : new HttpsAgent({ ...settings, secureContext: createSecureContext(pick(options, ['ca', 'cert', 'key', 'pfx', 'passphrase'])), ...pick(options, ['servername', 'rejectUnauthorized']) });
    this.current = { identity, agent };
    return agent;
  }

  /** Closes every connection, idle or not. A request after this opens a new one. */
  dispose(): void {
    this.current?.agent.destroy();
    this.current = undefined;
  }

  /** Connections open now (idle or serving a request): what a dispose must leave at zero. */
  openConnections(): number {
    const agent = this.current?.agent;
    if (!agent) return 0;
    const count = (sockets: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
    return count(agent.sockets) + count(agent.freeSockets);
  }
}

/** An agent no request will get again: its idle connections close now, the others once their request ends. */
function retire(agent: HttpsAgent | HttpAgent): void {
  agent.keepSocketAlive = () => false;
  for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

export interface HttpRequest {
  url: URL;
  method: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  /** A pooled agent, or a proxy's. */
  agent: HttpsAgent | HttpAgent | unknown;
  signal: AbortSignal;
  /** Ask for a compressed answer (default): not for a stream of events, which a compressor would hold back. */
  compressed?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  /** The answer's body, decoded. */
  body: Readable;
}

/** Network errors of a kept connection the server closed (idle, or gone with a restarted server) before it answered. */
const CLOSED_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Sends one request and resolves once the answer's headers are in. A GET on a kept connection that
 * the server closed before answering is sent once more on a new one (Node does not, Go's transport
 * does): the connection, not the request, failed. Other verbs are not repeated (their error says so).
 */
export async function sendRequest(pool: ConnectionPool, request: HttpRequest): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(pool, request);
    } catch (e) {
      const { reusedSocket, code } = e as { reusedSocket?: boolean; code?: string };
      if (attempt > 1 || !reusedSocket || request.method !== 'GET' || !CLOSED_CONNECTION.has(code ?? '') || request.signal.aborted) throw e;
      pool.stats.retries++;
    }
  }
}

function sendOnce(pool: ConnectionPool, request: HttpRequest): Promise<HttpAnswer> {
  const { url } = request;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  // Compressed as kubectl asks (the API server gzips answers over 128 KB): 20 times fewer bytes for a
  // list, which on a remote server's link is most of its time. Decoded here, off the main thread.
  const headers: OutgoingHttpHeaders = request.compressed === false ? { ...request.headers } : { ...request.headers, 'Accept-Encoding': 'gzip, deflate' };
  if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
  pool.stats.requests++;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: request.method, headers, agent: request.agent as HttpsAgent, signal: request.signal }, (res) => {
      const encoding = res.headers['content-encoding'];
      const decoder = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
      if (decoder) {
        res.on('error', (e) => decoder.destroy(e));
        res.pipe(decoder);
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decoder ?? res });
    });
    req.on('socket', () => {
      if (!req.reusedSocket) pool.stats.connections++;
    });
    req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
    req.end(request.body);
  });
}

/** The whole body as text. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
