// Server-side apply of manifests (field manager "switchyard"), with discovery of each kind's
// resource, a dry-run first, and the API's field errors mapped back to document paths.
import type { KubeClient } from './client';
import { FIELD_MANAGER } from '../domain/release/vocabulary';
import { ClusterError } from './errors';

export interface ResolvedResource {
  plural: string;
  namespaced: boolean;
  base: string;
}

const discovery = new WeakMap<KubeClient, Map<string, Promise<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>>>();

/** The REST resource of an apiVersion/kind, from the API's discovery (CRDs included). */
export async function resolveResource(client: KubeClient, apiVersion: string, kind: string): Promise<ResolvedResource> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  let cache = discovery.get(client);
  if (!cache) discovery.set(client, (cache = new Map()));
  let list = cache.get(base);
  if (!list) {
    list = client.request(base, { info: { verb: 'discover', resource: apiVersion } });
    cache.set(base, list);
    list.catch(() => cache!.delete(base));
  }
  let resources;
  try {
    resources = (await list).resources ?? [];
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'notFound') throw new ClusterError('notFound', `The cluster does not serve ${apiVersion} (is its CRD installed?).`, 404);
    throw e;
  }
  const found = resources.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!found) throw new ClusterError('notFound', `The cluster serves ${apiVersion} but has no kind ${kind} in it.`, 404);
  return { plural: found.name, namespaced: found.namespaced, base };
}

export interface ApplyTarget {
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  /** Namespace for namespaced kinds that do not name one. */
  namespace: string;
}

export interface ApplyOutcome {
  target: ApplyTarget;
  path: string;
  before?: any;
  after: any;
}

export async function applyObject(client: KubeClient, target: ApplyTarget, dryRun: boolean): Promise<ApplyOutcome> {
  const { object } = target;
  const resource = await resolveResource(client, object.apiVersion, object.kind);
  const namespace = resource.namespaced ? object.metadata.namespace || target.namespace : undefined;
  const body = resource.namespaced ? { ...object, metadata: { ...object.metadata, namespace } } : object;
  const path = `${resource.base}${namespace ? `/namespaces/${namespace}` : ''}/${resource.plural}/${object.metadata.name}`;
  const before = await client.request(path).catch((e) => {
    if (e instanceof ClusterError && e.kind === 'notFound') return undefined;
    throw e;
  });
  const info = { verb: 'apply', resource: resource.base.startsWith('/apis/') ? `${resource.plural}.${object.apiVersion.split('/')[0]}` : resource.plural, namespace, name: object.metadata.name };
  const after = await client.patch(path, body, 'apply', { dryRun, fieldManager: FIELD_MANAGER, info });
  return { target, path, before, after };
}

/** Field paths named by an API error ("spec.template.spec.containers[0].image"), as path segments. */
export function errorFieldPaths(error: unknown): (string | number)[][] {
  const body = (error as { body?: { details?: { causes?: { field?: string }[] } } })?.body;
  return (body?.details?.causes ?? [])
    .map((c) => c.field)
    .filter((f): f is string => !!f)
    .map((f) => f.split('.').flatMap((part) => {
      const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
      if (!m) return [part];
      return [m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))];
    }));
}
