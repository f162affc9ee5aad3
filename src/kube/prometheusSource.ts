// Which Prometheus a context asks, and with which credentials: switchyard.prometheus.url, else (for
// the golden signals) the in-cluster `provider.prometheus.address` the namespace's AnalysisTemplates
// and ClusterAnalysisTemplates name; switchyard.prometheus.auth, completed from the Secret it names
// (read with the context's own credentials) and a CA file. Every failure is a PrometheusError
// whose message names the setting, the Secret or the file. No vscode: part of the kube bundle.
import { readFile } from 'node:fs/promises';
import type { KubeClient } from './client';
import { ClusterError } from './errors';
import { PrometheusClient, PrometheusError, forContext, parsePrometheusAddress, type PrometheusAuth, type PrometheusTarget } from './prometheus';
import { PROMETHEUS_SECRET_KEYS, type PrometheusAuthSetting, type SettingValues } from '../settings';
import { prometheusMetrics } from '../domain/analysis/measure';

export type PrometheusSettings = Pick<SettingValues, 'prometheus.url' | 'prometheus.auth'>;

/** A Prometheus to ask and where it came from ("switchyard.prometheus.url", "AnalysisTemplate success-rate"). */
export interface PrometheusSource {
  client: PrometheusClient;
  from: string;
}

// ---------- discovery (pure) ----------

/** An AnalysisTemplate or ClusterAnalysisTemplate as the API lists it. */
export interface TemplateObject {
  kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  metadata: { name: string; namespace?: string };
  spec?: unknown;
}

export interface DiscoveredPrometheus {
  address: string;
  target: Extract<PrometheusTarget, { kind: 'service' }>;
  /** The first template that names it ("AnalysisTemplate success-rate"). */
  from: string;
  /** How many templates name this address in all. */
  templates: number;
}

/**
 * The in-cluster Prometheus the templates name: the address most of them use (a template counts
 * once), ties going to the first in order (the namespace's AnalysisTemplates before the
 * ClusterAnalysisTemplates, each by name). An address with `{{args…}}` in it cannot be read before
 * a run; a URL outside the cluster (what the controller reaches, not necessarily this machine) is
 * left to switchyard.prometheus.url.
 */
export function discoverPrometheus(templates: readonly TemplateObject[]): DiscoveredPrometheus | undefined {
  const ordered = [...templates].sort((a, b) => (a.kind === b.kind ? a.metadata.name.localeCompare(b.metadata.name) : a.kind === 'AnalysisTemplate' ? -1 : 1));
  const found = new Map<string, DiscoveredPrometheus>();
  for (const t of ordered) {
    const addresses = new Set(prometheusMetrics(t.spec).metrics.flatMap((m) => (m.address && !m.address.includes('{{') ? [m.address.trim()] : [])));
    for (const address of addresses) {
      let target: PrometheusTarget;
      try {
        target = parsePrometheusAddress(address);
      } catch {
        continue;
      }
      if (target.kind !== 'service') continue;
      const key = JSON.stringify(target);
      const seen = found.get(key);
      if (seen) seen.templates++;
      else found.set(key, { address, target, from: `${t.kind} ${t.metadata.name}`, templates: 1 });
    }
  }
  let best: DiscoveredPrometheus | undefined;
  for (const d of found.values()) if (!best || d.templates > best.templates) best = d;
  return best;
}

// ---------- credentials ----------

/** A Secret's data, decoded; a missing Secret or one the context may not read is told by name. */
async function readSecret(kube: KubeClient, ref: { namespace: string; name: string }, signal?: AbortSignal): Promise<Record<string, string>> {
  const named = `Secret ${ref.namespace}/${ref.name} (switchyard.prometheus.auth's secretRef for context "${kube.contextName}")`;
  try {
    const secret = await kube.request<{ data?: Record<string, string> }>(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/secrets/${encodeURIComponent(ref.name)}`, { signal, info: { verb: 'get', resource: 'secrets', namespace: ref.namespace, name: ref.name } });
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    switch (e.kind) {
      case 'notFound':
        throw new PrometheusError('config', `The ${named} does not exist: create it, or correct the secretRef.`, e.status);
      case 'forbidden':
        throw new PrometheusError('forbidden', `Forbidden (403): this context may not read the ${named}: it needs "get" on secrets in namespace ${ref.namespace}.`, e.status);
      case 'cancelled':
        throw new PrometheusError('cancelled', 'Cancelled.');
      default:
        throw new PrometheusError(e.kind === 'unreachable' || e.kind === 'timeout' || e.kind === 'unauthorized' ? e.kind : 'server', `Could not read the ${named}: ${e.message}`, e.status);
    }
  }
}

/**
 * One context's switchyard.prometheus.auth entry as the client takes it: the Secret it names read
 * (keys `token`, `username` + `password`, `ca.crt`), the CA file read, the entry's own fields over
 * the Secret's.
 */
export async function resolveAuth(kube: KubeClient | undefined, entry: PrometheusAuthSetting | undefined, signal?: AbortSignal): Promise<PrometheusAuth> {
  if (!entry) return {};
  const { secretRef, caFile, bearerToken, username, password, headers, insecureSkipVerify } = entry;
  const auth: PrometheusAuth = {};
  if (secretRef) {
    if (!secretRef.namespace || !secretRef.name) throw new PrometheusError('config', 'switchyard.prometheus.auth: a secretRef needs both "namespace" and "name".');
    if (!kube) throw new PrometheusError('config', `switchyard.prometheus.auth names Secret ${secretRef.namespace}/${secretRef.name}, and no cluster is selected to read it from.`);
    const data = await readSecret(kube, secretRef, signal);
    const K = PROMETHEUS_SECRET_KEYS;
    if (data[K.token] === undefined && data[K.username] === undefined && data[K.ca] === undefined) {
      throw new PrometheusError('config', `Secret ${secretRef.namespace}/${secretRef.name} has none of the keys switchyard.prometheus.auth reads: "${K.token}" (bearer token), "${K.username}" and "${K.password}" (basic auth), "${K.ca}" (CA bundle). It has: ${Object.keys(data).join(', ') || 'no keys'}.`);
    }
    if (data[K.token] !== undefined) auth.bearerToken = data[K.token].trim();
    else if (data[K.username] !== undefined) Object.assign(auth, { username: data[K.username], password: data[K.password] ?? '' });
    if (data[K.ca] !== undefined) auth.ca = data[K.ca];
  }
  if (caFile) {
    try {
      auth.ca = await readFile(caFile, 'utf8');
    } catch (e) {
      throw new PrometheusError('config', `switchyard.prometheus.auth's caFile ${caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
  }
  // each field given beside the secretRef replaces the Secret's (a password alone, say)
  if (bearerToken !== undefined) Object.assign(auth, { bearerToken, username: undefined, password: undefined });
  else {
    if (username !== undefined) Object.assign(auth, { bearerToken: undefined, username });
    if (password !== undefined) auth.password = password;
  }
  if (headers) auth.headers = headers;
  if (insecureSkipVerify) auth.insecureSkipVerify = true;
  return Object.fromEntries(Object.entries(auth).filter(([, v]) => v !== undefined)) as PrometheusAuth;
}

// ---------- the context's Prometheus ----------

/** The Prometheus switchyard.prometheus.url names for the context of `kube`, with its credentials; undefined when it names none. */
export async function prometheusFromSettings(kube: KubeClient, settings: PrometheusSettings, signal?: AbortSignal): Promise<PrometheusSource | undefined> {
  const address = forContext(settings['prometheus.url'], kube.contextName);
  if (!address) return undefined;
  const target = parsePrometheusAddress(address);
  return { client: new PrometheusClient(target, kube, await resolveAuth(kube, forContext(settings['prometheus.auth'], kube.contextName), signal)), from: 'switchyard.prometheus.url' };
}

/** The namespace's AnalysisTemplates and the ClusterAnalysisTemplates; a list the context may not read (or a cluster without Argo) is left out. */
export async function analysisTemplates(kube: KubeClient, namespace: string, signal?: AbortSignal): Promise<TemplateObject[]> {
  const list = async (path: string, kind: TemplateObject['kind']) => {
    try {
      return (await kube.request<{ items: Omit<TemplateObject, 'kind'>[] }>(path, { signal, info: { verb: 'list', resource: kind === 'AnalysisTemplate' ? 'analysistemplates' : 'clusteranalysistemplates', namespace: kind === 'AnalysisTemplate' ? namespace : undefined } })).items.map((t) => ({ ...t, kind }));
    } catch (e) {
      if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'notFound')) return [];
      throw e;
    }
  };
  const [own, cluster] = await Promise.all([list(`/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/analysistemplates`, 'AnalysisTemplate'), list('/apis/argoproj.io/v1alpha1/clusteranalysistemplates', 'ClusterAnalysisTemplate')]);
  return [...own, ...cluster];
}

/**
 * The Prometheus of a namespace's golden signals: switchyard.prometheus.url for the context, else
 * the one its analysis templates name in the cluster (through the service proxy), with the
 * context's switchyard.prometheus.auth either way; undefined when neither names one.
 */
export async function prometheusForNamespace(kube: KubeClient, settings: PrometheusSettings, namespace: string, signal?: AbortSignal): Promise<PrometheusSource | undefined> {
  const configured = await prometheusFromSettings(kube, settings, signal);
  if (configured) return configured;
  const found = discoverPrometheus(await analysisTemplates(kube, namespace, signal));
  if (!found) return undefined;
  return { client: new PrometheusClient(found.target, kube, await resolveAuth(kube, forContext(settings['prometheus.auth'], kube.contextName), signal)), from: found.from };
}
