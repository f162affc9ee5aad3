// Every failure talking to a cluster becomes a ClusterError with a sentence a person can act on.
// Pure: no client library or vscode here, so the wording is unit-tested.

export type ClusterErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'gone' | 'timeout' | 'server' | 'config' | 'cancelled';

export interface RequestInfo {
  verb: string;
  /** e.g. "deployments", "rollouts.argoproj.io" */
  resource?: string;
  namespace?: string;
  name?: string;
  server?: string;
}

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly status?: number,
    readonly request?: RequestInfo,
    /** The API's Status object, when there was one. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

function where(r: RequestInfo | undefined): string {
  if (!r) return '';
  const target = [r.resource, r.name].filter(Boolean).join('/');
  return `${r.verb} ${target || 'request'}${r.namespace ? ` in namespace "${r.namespace}"` : ''}`;
}

/** From an HTTP status and the API's Status body. */
export function errorFromResponse(status: number, body: unknown, request?: RequestInfo): ClusterError {
  const s = (typeof body === 'object' && body !== null ? body : {}) as KubeStatus;
  const apiMessage = s.message ?? (typeof body === 'string' ? body.slice(0, 300) : '');
  switch (status) {
    case 401:
      return new ClusterError('unauthorized', `The cluster rejected the credentials of this context (expired token or certificate?). Log in again or refresh the kubeconfig. (${where(request)})`, status, request, body);
    case 403:
      return new ClusterError('forbidden', `Forbidden: you may not ${where(request)}.${apiMessage ? ` The API said: ${apiMessage}` : ''}`, status, request, body);
    case 404:
      return new ClusterError('notFound', `Not found: ${where(request)}.${apiMessage ? ` ${apiMessage}` : ''}`, status, request, body);
    case 409:
      return new ClusterError('conflict', `Conflict: ${apiMessage || 'the object changed since it was read'}. Nothing was changed; look at the new state and try again.`, status, request, body);
    case 410:
      return new ClusterError('gone', `The watch history expired (410 Gone): ${apiMessage}`, status, request, body);
    case 400:
    case 422: {
      const causes = s.details?.causes?.map((c) => `${c.field ? c.field + ': ' : ''}${c.message ?? c.reason ?? ''}`).join('; ');
      return new ClusterError('invalid', `The API rejected the request: ${causes || apiMessage}`, status, request, body);
    }
    case 504:
      return new ClusterError('timeout', `The API server timed out: ${apiMessage}`, status, request, body);
    default:
      return new ClusterError('server', `The API server answered ${status}${apiMessage ? `: ${apiMessage}` : ''} (${where(request)})`, status, request, body);
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE',
  // An HTTP/2 connection (watches share one) that broke, or that the server closed, under a stream.
  'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_PING_CANCEL',
]);

/** The network error code (ECONNREFUSED, ENOTFOUND…) of a request that got no answer, if it is one. */
export function unreachableCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } } | undefined;
  const code = err?.code ?? err?.cause?.code;
  return code && UNREACHABLE.has(code) ? code : undefined;
}

/** From a thrown network or client error (no HTTP answer). */
/**
 * An error while getting this context's credentials (exec plugin, auth provider, certificate
 * files), before any request left: a credentials problem in the plugin's own words, or a file the
 * kubeconfig names that cannot be read.
 */
export function credentialsError(e: unknown, request?: RequestInfo): ClusterError {
  if (e instanceof ClusterError) return e;
  const err = e as { code?: string; message?: string; path?: string };
  const message = (err?.message ?? String(e)).trim();
  if (err?.code === 'ENOENT' || err?.code === 'EACCES') return new ClusterError('config', `A file the kubeconfig names cannot be read: ${message}`, undefined, request);
  return new ClusterError('unauthorized', `Could not get credentials for this context: ${message}`, undefined, request);
}

export function errorFromException(e: unknown, request?: RequestInfo): ClusterError {
  if (e instanceof ClusterError) return e;
  const err = e as { code?: string; name?: string; message?: string; type?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code;
  if (err?.name === 'AbortError' || err?.type === 'aborted') return new ClusterError('cancelled', 'Cancelled.', undefined, request);
  const unreachable = unreachableCode(e);
  if (unreachable) {
    return new ClusterError('unreachable', `Cannot reach the cluster${request?.server ? ` at ${request.server}` : ''} (${unreachable}). Is it running, and is this the right context?`, undefined, request);
  }
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new ClusterError('config', `The cluster's TLS certificate was not accepted (${code}): check certificate-authority-data in the kubeconfig.`, undefined, request);
  }
  const message = err?.message ?? String(e);
  if (/exec|credential|token|oidc|auth/i.test(message)) return new ClusterError('unauthorized', `Could not get credentials for this context: ${message}`, undefined, request);
  return new ClusterError('server', `Request failed: ${message}`, undefined, request);
}
