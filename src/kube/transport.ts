// HTTP(S) requests to one API server over kept-alive connections. client-node makes a new agent
// per request (KubeConfig.applyToFetchOptions -> createAgent), so every request, each page of a list
// and each read before a write, paid a TCP connect and a TLS handshake. Here one keep-alive agent
// per TLS identity (CA, client certificate and key, server name, verification) serves them all; a
// changed identity (an exec plugin's rotated certificate) gets a new agent and the old one lets its
// connections go as their requests end. node:https rather than node-fetch: node-fetch 2's check for
// a truncated chunked answer misreads a socket that the agent already handed to the next request
// (node-fetch/node-fetch#1767, open) and fails a complete answer with "Premature close".
// Watches, which hold their connection for minutes, go as HTTP/2 streams, many over one connection
// (as client-go's do), when the server speaks HTTP/2: 2,000 watches are then a few connections, not
// 2,000 TCP connections and TLS handshakes.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { connect as http2Connect, type ClientHttp2Session, type IncomingHttpHeaders as Http2Headers } from 'node:http2';
import { isIP } from 'node:net';
import { connect as tlsConnect, createSecureContext, type SecureContext } from 'node:tls';
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
/** The part of the identity parsed into one TLS context; the rest is each connection's own. */
const CONTEXT_FIELDS: (keyof TlsOptions)[] = ['ca', 'cert', 'key', 'pfx', 'passphrase'];
const CONNECTION_FIELDS = IDENTITY.filter((field) => !CONTEXT_FIELDS.includes(field));

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
  /** Watches sent as HTTP/2 streams, and the HTTP/2 connections opened for them (counted in `connections` too). */
  streams: number;
  streamConnections: number;
  /** Watches sent over HTTP/1.1 because the server did not choose HTTP/2, each on a connection of its own. */
  http1Streams: number;
}

/**
 * Streams one HTTP/2 connection is given before the server has said how many it allows
 * (SETTINGS_MAX_CONCURRENT_STREAMS: Go's default 250, kube-apiserver's 1,000 by default).
 */
const STREAMS_BEFORE_SETTINGS = 100;
/** How often a connection that carries streams is pinged, and how long its answer may take (client-go: 30 s, 15 s). */
export const PING_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 15_000;

/** One HTTP/2 connection for streams: its session once connected, the streams it carries (or that are on their way to it). */
interface StreamConnection {
  ready: Promise<ClientHttp2Session>;
  session?: ClientHttp2Session;
  streams: number;
  capacity: number;
  /** Resolves once the server has said how many streams it allows (or the connection failed): `capacity` is its word then. */
  settled: Promise<void>;
  hasSettings: boolean;
  /** False once the server said it goes away, or the connection closed: no new streams. */
  usable: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * New requests let through in one turn of the event loop; the others wait for the next turn. Each
 * costs the main thread a little (credentials, and for a new connection a socket and a TLS
 * ClientHello): 2,000 watches asked for at once (All namespaces one namespace at a time) would
 * otherwise be one task of seconds.
 */
export const REQUESTS_PER_TURN = 8;

/** One kept-alive agent per TLS identity for one server (http for plain-http servers). */
export class ConnectionPool {
  private current?: { identity: string; agent: HttpsAgent | HttpAgent; context?: SecureContext; streams: Set<StreamConnection> };
  readonly stats: ConnectionStats = { requests: 0, connections: 0, retries: 0, deferred: 0, streams: 0, streamConnections: 0, http1Streams: 0 };
  /** The server answered a connection for streams without HTTP/2 (a proxy that speaks HTTP/1.1 only): watches go over HTTP/1.1. */
  private http2Refused = false;
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
    return this.identityFor(options).agent;
  }

  private identityFor(options: TlsOptions): NonNullable<ConnectionPool['current']> {
    const identity = this.plainHttp ? '' : tlsIdentity(options);
    if (this.current?.identity === identity) return this.current;
    if (this.current) retire(this.current);
    const settings = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' as const };
    if (this.plainHttp) return (this.current = { identity, agent: new HttpAgent(settings), streams: new Set() });
    const context = createSecureContext(pick(options, CONTEXT_FIELDS));
    const agent = new HttpsAgent({ ...settings, secureContext: context, ...pick(options, CONNECTION_FIELDS) });
    return (this.current = { identity, agent, context, streams: new Set() });
  }

  /**
   * An HTTP/2 connection with room for one more stream (the stream is counted on it at once),
   * opened when none has room; undefined when streams go over HTTP/1.1 (a plain-http server, or one
   * that did not choose HTTP/2). Call `release` when the stream ends.
   */
  async streamConnection(url: URL, options: TlsOptions): Promise<StreamConnection | undefined> {
    for (;;) {
      if (this.plainHttp || this.http2Refused) return undefined;
      const current = this.identityFor(options);
      const usable = [...current.streams].filter((c) => c.usable);
      let connection = usable.find((c) => c.streams < c.capacity);
      if (!connection) {
        // Full before the server said its limit: wait for its word (it may allow 1,000) rather than open another.
        const unsettled = usable.find((c) => !c.hasSettings);
        if (unsettled) {
          await unsettled.settled;
          continue;
        }
        connection = this.connectForStreams(url, options, current.context!, current.streams);
        current.streams.add(connection);
      }
      connection.streams++;
      clearTimeout(connection.idleTimer);
      this.stats.streams++;
      return connection;
    }
  }

  /** A stream has ended: a connection left without streams closes after IDLE_CONNECTION_MS. */
  release(connection: StreamConnection): void {
    if (--connection.streams > 0) return;
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => {
      if (connection.streams > 0) return;
      connection.usable = false;
      connection.session?.close();
    }, IDLE_CONNECTION_MS);
    connection.idleTimer.unref?.();
  }

  private connectForStreams(url: URL, options: TlsOptions, context: SecureContext, set: Set<StreamConnection>): StreamConnection {
    this.stats.connections++;
    this.stats.streamConnections++;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let settle!: () => void;
    const connection: StreamConnection = { streams: 0, capacity: STREAMS_BEFORE_SETTINGS, usable: true, hasSettings: false, ready: undefined as never, settled: new Promise((resolve) => (settle = resolve)) };
    const gone = () => {
      connection.usable = false;
      set.delete(connection);
      settle();
    };
    connection.ready = new Promise<ClientHttp2Session>((resolve, reject) => {
      const socket = tlsConnect({
        host,
        port: Number(url.port || 443),
        servername: options.servername ?? (isIP(host) ? undefined : host),
        secureContext: context,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      socket.once('error', (e) => {
        gone();
        reject(e);
      });
      socket.once('secureConnect', () => {
        if (socket.alpnProtocol !== 'h2') {
          // Told once: from now on this server's watches go over HTTP/1.1.
          this.http2Refused = true;
          gone();
          socket.destroy();
          reject(Object.assign(new Error('The server does not speak HTTP/2'), { code: 'ERR_NO_HTTP2' }));
          return;
        }
        const session = http2Connect(url.origin, { createConnection: () => socket, settings: { enablePush: false, initialWindowSize: 1 << 20 } });
        connection.session = session;
        session.on('remoteSettings', (settings) => {
          connection.capacity = settings.maxConcurrentStreams ?? STREAMS_BEFORE_SETTINGS;
          connection.hasSettings = true;
          settle();
        });
        session.on('goaway', gone);
        session.on('close', () => {
          gone();
          clearInterval(pinger);
          clearTimeout(connection.idleTimer);
        });
        // Its streams get the error; the session's own is only logged by Node if nobody listens.
        session.on('error', () => {});
        // A connection that went silent (a cut no packet tells of) ends its streams within a ping's time.
        const pinger = setInterval(() => {
          if (!connection.streams || session.closed) return;
          const timeout = setTimeout(() => session.destroy(Object.assign(new Error('No answer to a ping on the connection'), { code: 'ETIMEDOUT' })), PING_TIMEOUT_MS);
          session.ping((error) => (clearTimeout(timeout), error && session.destroy(error)));
        }, PING_EVERY_MS);
        pinger.unref?.();
        resolve(session);
      });
    });
    connection.ready.catch(() => {});
    return connection;
  }

  /** Closes every connection, idle or not. A request after this opens a new one. */
  dispose(): void {
    if (this.current) {
      this.current.agent.destroy();
      for (const c of this.current.streams) c.session?.destroy();
      this.current.streams.clear();
    }
    this.current = undefined;
  }

  /** Connections open now (idle or serving a request): what a dispose must leave at zero. */
  openConnections(): number {
    const current = this.current;
    if (!current) return 0;
    const count = (sockets: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
    return count(current.agent.sockets) + count(current.agent.freeSockets) + [...current.streams].filter((c) => c.session && !c.session.closed).length;
  }
}

/** An identity no request will get again: its idle connections close now, the others once their requests end. */
function retire({ agent, streams }: NonNullable<ConnectionPool['current']>): void {
  agent.keepSocketAlive = () => false;
  for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
  for (const connection of streams) {
    connection.usable = false;
    connection.session?.close();
  }
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
  /** A long-lived answer (a watch): sent as an HTTP/2 stream when the server speaks HTTP/2, with these TLS options. */
  stream?: TlsOptions;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  /** The answer's body, decoded. */
  body: Readable;
}

/** Network errors of a kept connection the server closed (idle, or gone with a restarted server) before it answered. */
const CLOSED_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** The same for a stream of an HTTP/2 connection that went away (GOAWAY, closed, destroyed) before it answered. */
const CLOSED_HTTP2_CONNECTION = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_SESSION_ERROR']);

/**
 * Sends one request and resolves once the answer's headers are in. A GET on a kept connection that
 * the server closed before answering is sent once more on a new one (Node does not, Go's transport
 * does): the connection, not the request, failed. Other verbs are not repeated (their error says so).
 */
export async function sendRequest(pool: ConnectionPool, request: HttpRequest): Promise<HttpAnswer> {
  if (request.stream && request.method === 'GET' && request.body === undefined) {
    const answer = await sendStream(pool, request, request.stream);
    if (answer) return answer;
    pool.stats.http1Streams++;
  }
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

/** Headers HTTP/2 forbids (RFC 9113 8.2.2): the connection's own, which HTTP/1.1 sends per request. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * A GET as a stream of an HTTP/2 connection; undefined when the server does not speak HTTP/2 (the
 * caller sends it over HTTP/1.1). A stream refused before any answer because its connection went
 * away (a server shutting down says GOAWAY) is sent once more on a new connection.
 */
async function sendStream(pool: ConnectionPool, request: HttpRequest, tls: TlsOptions): Promise<HttpAnswer | undefined> {
  for (let attempt = 1; ; attempt++) {
    const connection = await pool.streamConnection(request.url, tls);
    if (!connection) return undefined;
    let streamMade = false;
    try {
      const session = await connection.ready;
      const headers: Record<string, string | string[]> = { ':method': 'GET', ':path': request.url.pathname + request.url.search };
      for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !CONNECTION_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
      pool.stats.requests++;
      const stream = session.request(headers, { endStream: true, signal: request.signal });
      streamMade = true;
      stream.once('close', () => pool.release(connection));
      return await new Promise<HttpAnswer>((resolve, reject) => {
        stream.once('response', (answer: Http2Headers) => {
          resolve({ status: Number(answer[':status'] ?? 0), headers: answer as IncomingMessage['headers'], body: stream });
        });
        stream.once('error', reject);
      });
    } catch (e) {
      if (!streamMade) pool.release(connection);
      if ((e as { code?: string }).code === 'ERR_NO_HTTP2') return undefined;
      // Only errors before the answer reach here: after it, they are the body's.
      const brokenConnection = !connection.usable || CLOSED_HTTP2_CONNECTION.has((e as { code?: string }).code ?? '');
      if (attempt > 1 || !brokenConnection || request.signal.aborted) throw e;
      pool.stats.retries++;
    }
  }
}

/** The whole body as text. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
