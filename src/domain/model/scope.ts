// How "All namespaces" is watched (issue 11): each resource once for the whole cluster where the
// user may list and watch it cluster-wide, else namespace by namespace in the namespaces the user may
// read; and how one cluster-wide list becomes the reset of each namespace. Pure: answers in, plan out.
import { allows, type ResourceRule } from './access';
import type { KubeObject } from './objects';

/** A watched resource as RBAC names it (`label` is how messages name it, e.g. "deployments.apps"). */
export interface ScopedResource<K extends string = string> {
  key: K;
  group: string;
  plural: string;
  label: string;
}

/** What the watches of "All namespaces" are. */
export interface WatchScope<K extends string = string> {
  /** Watched once for the whole cluster. */
  clusterWide: K[];
  /** The resources the user may not list and watch cluster-wide, watched in `namespaces` one by one. */
  oneByOne?: {
    resources: K[];
    /** The readable namespaces: of the namespaces list, those whose rules allow reading one of the resources. */
    namespaces: string[];
    /** The namespaces list itself is forbidden: `namespaces` is the context's own. */
    unlisted: boolean;
  };
  /** Why not everything is watched cluster-wide, in words (undefined when it is). */
  message?: string;
}

/** Whether `rules` let the user list and watch `r` (undefined rules: the server cannot say, so maybe). */
function mayRead(rules: ResourceRule[] | undefined, r: ScopedResource): boolean {
  return !rules || (allows(rules, 'list', r.group, r.plural) && allows(rules, 'watch', r.group, r.plural));
}

/** "a, b, c" or "a, b, c and 7 more". */
function someOf(names: readonly string[], shown = 5): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}

/**
 * The watches of All namespaces: `clusterWide` says (a SelfSubjectAccessReview of list and watch
 * without a namespace) which resources may be watched cluster-wide; the others are watched in every
 * listed namespace whose rules (SelfSubjectRulesReview) allow reading at least one of them, or in the
 * context's namespace when even the namespaces list is forbidden (`namespaces` undefined).
 */
export function planWatchScope<K extends string>(
  resources: readonly ScopedResource<K>[],
  clusterWide: (r: ScopedResource<K>) => boolean,
  namespaces: readonly string[] | undefined,
  contextNamespace: string,
  rules: (namespace: string) => ResourceRule[] | undefined,
): WatchScope<K> {
  const allowed = resources.filter(clusterWide);
  const denied = resources.filter((r) => !allowed.includes(r));
  if (!denied.length) return { clusterWide: allowed.map((r) => r.key) };
  const unlisted = namespaces === undefined;
  const readable = unlisted ? [contextNamespace] : namespaces.filter((ns) => denied.some((r) => mayRead(rules(ns), r)));
  const what = `You may not watch ${someOf(denied.map((r) => r.label), 3)} cluster-wide`;
  const message = unlisted
    ? `${what}, nor list namespaces: watching the context's namespace "${contextNamespace}" only`
    : readable.length
      ? `${what}: watching ${readable.length} namespace${readable.length === 1 ? '' : 's'} one by one (${someOf(readable)})`
      : `${what}, nor in any namespace`;
  return { clusterWide: allowed.map((r) => r.key), oneByOne: { resources: denied.map((r) => r.key), namespaces: readable, unlisted }, message };
}

/**
 * A cluster-wide list as the reset of each namespace: the objects of every namespace in it (in list
 * order), and an empty reset for each of `held` (the namespaces that held objects of the list) that
 * the list no longer has, so their objects go too.
 */
export function namespaceResets<T extends KubeObject>(items: readonly T[], held: Iterable<string>): Map<string, T[]> {
  const resets = new Map<string, T[]>();
  for (const o of items) {
    const ns = o.metadata.namespace ?? '';
    let list = resets.get(ns);
    if (!list) resets.set(ns, (list = []));
    list.push(o);
  }
  for (const ns of held) if (!resets.has(ns)) resets.set(ns, []);
  return resets;
}
