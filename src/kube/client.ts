// A small REST client over one kubeconfig context: authentication and TLS come from
// @kubernetes/client-node (exec plugins, OIDC, tokens, certificates), the requests are ours so
// every verb (list, watch, patch with a precondition, dry-run, access reviews) is explicit.
// Deep imports keep the generated API clients (most of the package) out of the bundle.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { FIELD_MANAGER } from '../domain/release/vocabulary';
import { ClusterError, credentialsError, errorFromException, errorFromResponse, type RequestInfo } from './errors';
import { expiredMessage, oidcUser, tokenUsable, withBearerToken } from './oidc';
import { ListReader, WatchEventReader } from './listReader';
import { ConnectionPool, readText, sendRequest, type ConnectionStats, type HttpAnswer, type TlsOptions } from './transport';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  info?: Omit<RequestInfo, 'server'>;
  /** Per-request time limit in ms (default 30 s). */
  timeoutMs?: number;
  /** Extra headers (the credentials' own win over these). */
  headers?: Record<string, string>;
  /** The answer is text (pods/log), not JSON: returned as it is. Errors are still the API's Status. */
  text?: boolean;
}

export interface WatchHandlers {
  onEvent(type: string, object: any): void;
  onDone(error: ClusterError | undefined): void;
}

/** A list's metadata: its resourceVersion, and the continue token of its next page. */
export interface ListMetadata {
  resourceVersion?: string;
  continue?: string;
}

export class KubeClient {
  readonly server: string;
  /** Kept-alive connections to the server, one agent per TLS identity (transport.ts). */
  private readonly pool: ConnectionPool;
  /** Through a proxy (cluster.proxyUrl), requests go through client-node's proxy agent, one per request as before. */
  private readonly proxied: boolean;

  constructor(readonly config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new ClusterError('config', `Context "${config.getCurrentContext()}" names no cluster in the kubeconfig.`);
    this.server = cluster.server.replace(/\/$/, '');
    this.proxied = !!cluster.proxyUrl;
    this.pool = new ConnectionPool(this.server.startsWith('http:'));
  }

  /** Requests sent and connections opened so far. */
  get connectionStats(): Readonly<ConnectionStats> {
    return this.pool.stats;
  }

  /** Connections open now, idle or busy (zero once disposed). */
  openConnections(): number {
    return this.pool.openConnections();
  }

  /** Closes its connections (the session's scope ends). */
  dispose(): void {
    this.pool.dispose();
  }

  /** For OIDC users: the kubeconfig reduced to the bearer token last sent (see oidc.ts). */
  private oidcShadow?: { token: string; config: KubeConfig };

  /** The kubeconfig that authenticates the next request: the loaded one, or for OIDC users a bearer-token copy. */
  private credentials(info: RequestInfo): KubeConfig {
    const user = oidcUser(this.config);
    if (!user) return this.config;
    if (!tokenUsable(user.config['id-token'])) {
      // kubectl may have renewed it since: read the kubeconfig again.
      const renewed = reloadKubeConfig(this.config);
      const token = renewed && oidcUser(renewed)?.config['id-token'];
      if (!tokenUsable(token)) throw new ClusterError('unauthorized', expiredMessage(user), undefined, info);
      user.config['id-token'] = token;
    }
    const token = user.config['id-token']!;
    if (this.oidcShadow?.token !== token) this.oidcShadow = { token, config: withBearerToken(this.config, token) };
    return this.oidcShadow.config;
  }

  get contextName(): string {
    return this.config.getCurrentContext();
  }

  /** The namespace the context points at ("default" when it names none). */
  get contextNamespace(): string {
    return this.config.getContextObject(this.config.getCurrentContext())?.namespace || 'default';
  }

  async request<T = any>(path: string, options: RequestOptions = {}): Promise<T> {
    const { status, ok, body, text, info } = await this.send(path, options);
    if (ok && options.text) return text as T;
    if (!ok) throw errorFromResponse(status, body, info);
    return body as T;
  }

  /**
   * One request with this context's credentials, answered whatever its HTTP status: for callers
   * that read a non-Kubernetes error body themselves (a service proxied by the API server).
   * Throws only when no answer came (unreachable, timeout, credentials).
   */
  async send(path: string, options: RequestOptions = {}): Promise<{ status: number; ok: boolean; body: unknown; text: string; contentType: string; info: RequestInfo }> {
    const { response, info, limitOver, failure } = await this.open(path, options);
    let text: string;
    try {
      text = await readText(response.body);
    } catch (e) {
      throw failure(e);
    } finally {
      limitOver();
    }
    const ok = response.status >= 200 && response.status < 300;
    return { status: response.status, ok, body: parseAnswer(text), text, contentType: String(response.headers['content-type'] ?? ''), info };
  }

  /**
   * One page of a list (GET of a collection), its items parsed one by one as the answer arrives and
   * each passed through `prepare` (listReader.ts): no long task for a 2 MB page, no full objects kept.
   */
  async list<T>(path: string, options: Pick<RequestOptions, 'query' | 'info' | 'signal'>, prepare: (item: any) => T = (item) => item, onMetadata?: (metadata: ListMetadata) => void): Promise<{ items: T[]; metadata: ListMetadata }> {
    const { response, info, limitOver, failure } = await this.open(path, options);
    try {
      if (response.status < 200 || response.status >= 300) throw errorFromResponse(response.status, parseAnswer(await readText(response.body).catch(() => '')), info);
      const items: T[] = [];
      const reader = new ListReader(
        (item) => items.push(prepare(item)),
        onMetadata && ((head) => head.metadata && onMetadata(head.metadata as ListMetadata)),
      );
      // Chunk by chunk as they come ('data' events, one task each), not through an async iterator,
      // which takes every chunk already buffered in one go.
      await new Promise<void>((resolve, reject) => {
        response.body.on('data', (chunk: Buffer) => {
          try {
            reader.write(chunk);
          } catch (e) {
            response.body.destroy(e as Error);
          }
        });
        response.body.on('end', resolve);
        response.body.on('error', reject);
      });
      const rest = reader.end() as { metadata?: ListMetadata };
      return { items, metadata: rest.metadata ?? {} };
    } catch (e) {
      if (e instanceof ClusterError) throw e;
      throw e instanceof SyntaxError ? new ClusterError('server', `The API server's list answer could not be read: ${e.message}`, undefined, info) : failure(e);
    } finally {
      limitOver();
    }
  }

  /**
   * A request whose answer is a stream of text (pods/log?follow=true): `onText` gets each piece
   * as it arrives; resolves when the server ends it or `signal` aborts. The time limit applies
   * to the answer's start only.
   */
  async stream(path: string, options: Omit<RequestOptions, 'text' | 'body'>, onText: (text: string) => void): Promise<void> {
    const { response, info, limitOver, failure } = await this.open(path, options);
    limitOver();
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response.status, parseAnswer(await readText(response.body).catch(() => '')), info);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) onText(decoder.decode(chunk, { stream: true }));
    } catch (e) {
      if (options.signal?.aborted) return;
      throw failure(e);
    }
  }

  /**
   * Opens one request with the context's credentials; the time limit runs until `limitOver()`.
   * An 'answer' is asked for compressed; a 'stream' (a watch) is not, and goes over HTTP/2 when it can.
   */
  private async open(path: string, options: RequestOptions, kind: 'answer' | 'stream' = 'answer'): Promise<{ response: HttpAnswer; info: RequestInfo; limitOver: () => void; failure: (e: unknown) => ClusterError }> {
    await this.pool.admit();
    const info: RequestInfo = { verb: options.method === 'PATCH' ? 'patch' : options.method === 'POST' ? 'create' : options.method === 'DELETE' ? 'delete' : 'get', ...options.info, server: this.server };
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const tls: TlsOptions & { headers?: Record<string, string | string[] | number>; auth?: string } = {};
    try {
      await this.credentials(info).applyToHTTPSOptions(tls as never);
    } catch (e) {
      throw credentialsError(e, info);
    }
    const headers: Record<string, string | string[] | number> = { Accept: options.text ? 'text/plain, */*' : 'application/json', ...options.headers, ...tls.headers };
    if (tls.auth) headers.Authorization = `Basic ${Buffer.from(tls.auth).toString('base64')}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const limitMs = options.timeoutMs ?? 30_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), limitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    // What went wrong, once the request is under way: our time limit, the caller's cancel, or the network.
    const failure = (e: unknown): ClusterError => {
      if (timeout.signal.aborted && !options.signal?.aborted) return new ClusterError('timeout', `No answer from the cluster at ${this.server} within ${limitMs / 1000}s.`, undefined, info);
      if (options.signal?.aborted) return new ClusterError('cancelled', 'Cancelled.', undefined, info);
      return errorFromException(e, info);
    };
    const agent = this.proxied ? tls.agent : this.pool.agentFor(tls);
    let response;
    try {
      response = await sendRequest(this.pool, { url, method: options.method ?? 'GET', headers, body, agent, signal, compressed: kind === 'answer', stream: kind === 'stream' && !this.proxied ? tls : undefined });
    } catch (e) {
      clearTimeout(timer);
      throw failure(e);
    }
    return { response, info, limitOver: () => clearTimeout(timer), failure };
  }

  patch<T = any>(path: string, patch: unknown, type: PatchType, opts: { dryRun?: boolean; fieldManager?: string; force?: boolean; info?: RequestOptions['info']; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>(path, {
      method: 'PATCH',
      body: type === 'apply' && typeof patch !== 'string' ? JSON.stringify(patch) : patch,
      contentType: PATCH_CONTENT_TYPE[type],
      query: { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager ?? (type === 'apply' ? FIELD_MANAGER : undefined), force: opts.force || undefined },
      info: { verb: 'patch', ...opts.info },
      signal: opts.signal,
    });
  }

  /**
   * Whether the user may do one thing (SelfSubjectAccessReview): `namespace` omitted asks about the
   * whole cluster (a cluster-wide list or watch).
   */
  async accessReview(attributes: { verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }): Promise<{ allowed: boolean; reason?: string }> {
    const review = await this.request<{ status?: { allowed?: boolean; reason?: string } }>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
      info: { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
    });
    return { allowed: !!review.status?.allowed, reason: review.status?.reason };
  }

  /**
   * Starts a watch (GET ?watch=true) on the pooled connections, as lists and reads are: one agent per
   * TLS identity, not one per watch (client-node's Watch makes an agent and a TLS context for each).
   * Resolves once the server has answered: `onEvent` then gets each event line as it arrives, and
   * `onDone` is called once, when the server ends the watch (undefined), the network breaks it, or
   * the server refused it (its Status read into the error). Abort the controller to stop it.
   */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, handlers: WatchHandlers, info?: RequestOptions['info']): Promise<AbortController> {
    const controller = new AbortController();
    let finished = false;
    const done = (error: ClusterError | undefined) => {
      if (finished) return;
      finished = true;
      controller.abort();
      handlers.onDone(error);
    };
    let opened: Awaited<ReturnType<KubeClient['open']>>;
    try {
      // As a stream of a shared HTTP/2 connection where the server speaks it; not compressed: the
      // server sends each event as it happens, a compressor would hold them back.
      opened = await this.open(path, { query: { ...query, watch: true }, signal: controller.signal, info: { verb: 'watch', ...info } }, 'stream');
    } catch (e) {
      done(e instanceof ClusterError ? e : errorFromException(e, { verb: 'watch', ...info, server: this.server }));
      return controller;
    }
    const { response, info: requestInfo, limitOver, failure } = opened;
    // The time limit is the answer's start: a watch then stays open as long as the server keeps it.
    limitOver();
    if (response.status !== 200) {
      done(errorFromResponse(response.status, parseAnswer(await readText(response.body).catch(() => '')), requestInfo));
      return controller;
    }
    const reader = new WatchEventReader((type, object) => {
      if (!finished) handlers.onEvent(type, object);
    });
    response.body.on('data', (chunk: Buffer) => {
      if (finished) return;
      try {
        reader.write(chunk);
      } catch (e) {
        done(e instanceof SyntaxError ? new ClusterError('server', `The API server's watch answer could not be read: ${e.message}`, undefined, requestInfo) : failure(e));
      }
    });
    response.body.on('end', () => done(undefined));
    response.body.on('error', (e) => done(failure(e)));
    // Closed without an end or an error (the socket went away): the watch is over all the same.
    response.body.on('close', () => done(controller.signal.aborted ? failure(new DOMException('Aborted', 'AbortError')) : undefined));
    return controller;
  }
}

/** An answer's body: JSON, or as text when it is not (proxies, HTML error pages). */
function parseAnswer(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * Loads the kubeconfig: an explicit file (setting), else KUBECONFIG (several files joined by the
 * path separator, merged as kubectl does), else ~/.kube/config.
 */
export function loadKubeConfig(file?: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  loadedFrom.set(kc, file);
  // client-node falls back to http://localhost:8080 when it finds nothing; we say so instead.
  const envFiles = (process.env.KUBECONFIG ?? '').split(delimiter).filter((f) => f && existsSync(f));
  if (!file && !envFiles.length && !existsSync(join(homedir(), '.kube', 'config')) && !process.env.KUBERNETES_SERVICE_HOST) {
    throw new ClusterError('config', 'No kubeconfig found: set KUBECONFIG, create ~/.kube/config, or point the switchyard.kubeconfig setting at a file.');
  }
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
  } catch (e) {
    throw new ClusterError('config', `Could not read the kubeconfig${file ? ` ${file}` : ''}: ${(e as Error).message}`);
  }
  if (!kc.getContexts().length) throw new ClusterError('config', 'No kubeconfig contexts found (KUBECONFIG, ~/.kube/config or the switchyard.kubeconfig setting).');
  // kubectl takes current-context from the first KUBECONFIG file that sets one; client-node from the last.
  if (!file && envFiles.length > 1) {
    for (const f of envFiles) {
      const one = new KubeConfig();
      try {
        one.loadFromFile(f);
      } catch {
        continue;
      }
      if (one.getCurrentContext()) {
        kc.setCurrentContext(one.getCurrentContext());
        break;
      }
    }
  }
  if (context) {
    if (!kc.getContextObject(context)) throw new ClusterError('config', `Context "${context}" is not in the kubeconfig.`);
    kc.setCurrentContext(context);
  }
  return kc;
}

/** The files loadKubeConfig(file) reads: the file, else the KUBECONFIG files, else ~/.kube/config. */
export function kubeconfigFiles(file?: string): string[] {
  if (file) return [file];
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  return fromEnv.length ? fromEnv : [join(homedir(), '.kube', 'config')];
}

/**
 * What a session depends on in a kubeconfig: the context names, the current context, its server
 * and its user. Credentials are left out: kubectl rewrites them (renewed tokens) without the
 * session having to start over.
 */
export function kubeconfigFingerprint(config: KubeConfig): string {
  const current = config.getContextObject(config.getCurrentContext());
  const cluster = current ? config.getCluster(current.cluster) : undefined;
  return JSON.stringify([config.getContexts().map((c) => c.name), current?.name, current?.namespace, cluster?.server, current?.user]);
}

/** Where each loaded kubeconfig came from (an explicit file, or the default search). */
const loadedFrom = new WeakMap<KubeConfig, string | undefined>();

/** The same kubeconfig read again from where it came from, on its current context; undefined if that fails. */
function reloadKubeConfig(config: KubeConfig): KubeConfig | undefined {
  if (!loadedFrom.has(config)) return undefined;
  try {
    return loadKubeConfig(loadedFrom.get(config), config.getCurrentContext());
  } catch {
    return undefined;
  }
}
