// Several kubeconfig contexts side by side: which ones the Rollouts view shows, how a workload is
// named across them (the one target every command, panel, lens and notification passes), and which
// context a protected-context rule is checked against. Pure.

/** A workload as commands and panels name it: its context (undefined: the primary one), namespace and name. */
export interface WorkloadRef {
  /** The kubeconfig context it lives in; undefined means the primary context (Select Context…). */
  context?: string;
  namespace: string;
  /** Name as the tree shows it (the Service name for blue/green pairs and replica canaries). */
  name: string;
  /** `WorkloadView.id` when known: tells a Deployment from a Rollout of the same name. */
  id?: string;
}

/** The one way a workload of `context` is named to a command or a panel (`withId`: with its view id). */
export function refOf(w: { namespace: string; name: string; id?: string }, context: string | undefined, withId = false): WorkloadRef {
  return { ...(context !== undefined ? { context } : {}), namespace: w.namespace, name: w.name, ...(withId && w.id !== undefined ? { id: w.id } : {}) };
}

/** A key that tells the same namespace/name of two contexts apart (panel keys, maps by workload). */
export function refKey(ref: Pick<WorkloadRef, 'context' | 'namespace' | 'name'>): string {
  return inContext(ref.context ?? '', `${ref.namespace}/${ref.name}`);
}

/**
 * Any key (a tree node id, a workload id, a namespace) qualified by its context: unique across the
 * contexts shown. The context is URI-encoded, so the first '/' ends it whatever its name holds.
 */
export function inContext(context: string, key: string): string {
  return `${encodeURIComponent(context)}/${key}`;
}

/**
 * The contexts the view shows: the primary first, then the listed ones in their order, each once.
 * `listed` is the switchyard.contexts setting when it names any, else the contexts added with Add
 * Context to View… (remembered).
 */
export function shownContexts(primary: string, listed: readonly string[]): string[] {
  return [...new Set([primary, ...listed.filter((c) => c.trim() !== '')])];
}

/** The contexts that may still be added: the kubeconfig's, less the ones shown. */
export function addableContexts(available: readonly string[], shown: readonly string[]): string[] {
  return available.filter((c) => !shown.includes(c));
}

/** Whether `name` matches a glob with `*` (any run) and `?` (one character), case-insensitively. */
export function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** Whether a change in `context` asks for its name to be typed (switchyard.protectedContexts): the target's context, never the primary's. */
export function isProtectedContext(patterns: readonly string[], context: string): boolean {
  return patterns.some((p) => globMatch(p, context));
}

/** How a confirmation names where an action writes: said only when the view shows more than one context. */
export function contextSuffix(context: string, shown: number): string {
  return shown > 1 ? ` in context "${context}"` : '';
}
