// A pod's log through the API server (GET pods/{name}/log, which the API server proxies to the
// node's kubelet): text, not JSON. Failures become ClusterErrors that say what is missing (the
// pod, the container, a previous container, a log at all) instead of the kubelet's raw 400.
import type { KubeClient } from './client';
import { ClusterError } from './errors';
import type { LogPart } from '../domain/panels/logs';

export interface PodLogOptions {
  /** Required when the pod has several containers. */
  container?: string;
  /** The log of the container's previous run (after a restart: the run that crashed). */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  signal?: AbortSignal;
}

interface Target {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
}

function logPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
}

function logQuery(options: PodLogOptions, follow: boolean) {
  return { container: options.container, previous: options.previous || undefined, tailLines: options.tailLines, sinceSeconds: options.sinceSeconds, follow: follow || undefined };
}

const requestInfo = (t: Target) => ({ verb: 'get', resource: 'pods/log', namespace: t.namespace, name: t.pod });

/** The log as text (all of it, or the last `tailLines`, or the last `sinceSeconds`). */
export async function podLog(client: KubeClient, namespace: string, pod: string, options: PodLogOptions = {}): Promise<string> {
  const target = { namespace, pod, container: options.container, previous: options.previous };
  try {
    return await client.request<string>(logPath(namespace, pod), { text: true, query: logQuery(options, false), signal: options.signal, info: requestInfo(target) });
  } catch (e) {
    throw podLogError(e, target);
  }
}

/** The log's last lines, or why it cannot be read (said, not thrown: a document or a panel shows it in place of the lines). */
export function podLogPart(client: KubeClient, namespace: string, pod: string, options: PodLogOptions): Promise<LogPart> {
  return podLog(client, namespace, pod, options).then(
    (text) => ({ text }),
    (e: unknown) => ({ problem: e instanceof Error ? e.message : String(e) }),
  );
}

export interface PodContainer {
  name: string;
  restarts: number;
}

/** The pod's containers, read fresh (which to read, and whether it restarted: a previous run to show). */
export async function podContainers(client: KubeClient, namespace: string, pod: string, signal?: AbortSignal): Promise<PodContainer[]> {
  const p = await client.request<{ spec?: { containers?: { name: string }[] }; status?: { containerStatuses?: { name: string; restartCount?: number }[] } }>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`,
    { signal, info: { verb: 'get', resource: 'pods', namespace, name: pod } },
  );
  const statuses = p.status?.containerStatuses ?? [];
  return (p.spec?.containers ?? []).map((c) => ({ name: c.name, restarts: statuses.find((s) => s.name === c.name)?.restartCount ?? 0 }));
}

/** Follows the log: `onText` gets what the container writes until `options.signal` aborts or the container ends. */
export async function followPodLog(client: KubeClient, namespace: string, pod: string, options: PodLogOptions, onText: (text: string) => void): Promise<void> {
  const target = { namespace, pod, container: options.container, previous: options.previous };
  try {
    await client.stream(logPath(namespace, pod), { query: logQuery(options, true), signal: options.signal, info: requestInfo(target) }, onText);
  } catch (e) {
    throw podLogError(e, target);
  }
}

/**
 * The API server's and the kubelet's refusals, said plainly (pure; the patterns are their words:
 * kube-apiserver's pod log location, the kubelet's container lookup, and kwok's kubelet).
 */
export function podLogError(e: unknown, t: Target): unknown {
  if (!(e instanceof ClusterError)) return e;
  const said = apiMessage(e);
  const pod = `pod "${t.pod}" in namespace "${t.namespace}"`;
  const container = t.container ? `container "${t.container}" of ${pod}` : `the container of ${pod}`;
  const error = (kind: ClusterError['kind'], message: string) => new ClusterError(kind, `${message}${said ? ` (${said})` : ''}`, e.status, e.request, e.body);
  if (e.kind === 'notFound') return new ClusterError('notFound', `There is no ${pod}: it was deleted or never existed.`, e.status, e.request, e.body);
  if (e.kind === 'forbidden') return new ClusterError('forbidden', `You may not read the logs of ${pod} (RBAC: get on pods/log).${said ? ` The API said: ${said}` : ''}`, e.status, e.request, e.body);
  if (e.status !== 400) return e;
  if (/a container name must be specified/.test(said)) return error('invalid', `The ${pod} has several containers: say which one's log to read.`);
  if (/is not valid for pod/.test(said)) return error('notFound', `The ${pod} has no container "${t.container}".`);
  if (/does not have a host assigned/.test(said)) return error('notFound', `The ${pod} is not on a node yet, so it has no log.`);
  // The kubelet says "previous terminated container … not found"; kwok, that it cannot read the (absent) file.
  if (t.previous && /previous terminated container|failed to (read|open) log file/.test(said)) return error('notFound', `The ${container} has no previous run: it has not restarted.`);
  if (/is waiting to start|log target not found|no logs found for container/.test(said)) return error('notFound', `The ${container} has no log: it has not started.`);
  return e;
}

function apiMessage(e: ClusterError): string {
  const body = e.body as { message?: string } | string | undefined;
  return (typeof body === 'string' ? body : body?.message ?? '').trim();
}
