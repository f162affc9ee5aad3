// Pinned workloads (issue 12, part 8): the ones the user asked to hear about, beside those open in a
// details panel, while switchyard.notifications is "mine". A pin names a workload in its context by
// namespace and name, as the tree shows it (refKey): the same name in two contexts is two pins, and a
// Deployment converted to a Rollout of the same name stays pinned. A pin of a workload that is gone is
// kept: it shows nothing, and the workload is pinned again if it comes back (a delete and re-apply).
// The set is stored as a list of plain refs (the workspace's state). Pure.
import { refKey, type WorkloadRef } from './contexts';

/** A pin: a workload in a named context (never "the primary", which another Select Context… changes). */
export type PinRef = Required<Pick<WorkloadRef, 'context' | 'namespace' | 'name'>>;

const isPinRef = (v: unknown): v is PinRef => {
  const r = v as Partial<PinRef> | null;
  return !!r && typeof r === 'object' && [r.context, r.namespace, r.name].every((s) => typeof s === 'string' && s !== '');
};

export class PinSet {
  private readonly byKey = new Map<string, PinRef>();

  /** The pins stored (anything else there, from an older or a broken state, is left out). */
  constructor(stored?: unknown) {
    if (Array.isArray(stored)) for (const r of stored.filter(isPinRef)) this.add(r);
  }

  has(ref: PinRef): boolean {
    return this.byKey.has(refKey(ref));
  }

  /** Pins `ref`; false when it was pinned already. */
  add(ref: PinRef): boolean {
    if (this.has(ref)) return false;
    this.byKey.set(refKey(ref), { context: ref.context, namespace: ref.namespace, name: ref.name });
    return true;
  }

  /** Unpins `ref`; false when it was not pinned. */
  delete(ref: PinRef): boolean {
    return this.byKey.delete(refKey(ref));
  }

  /** The pins in the order they were made: what is stored. */
  list(): PinRef[] {
    return [...this.byKey.values()];
  }
}
