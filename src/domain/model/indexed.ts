// A namespace's objects, indexed the ways the view model looks them up: by owner, by label, by
// Service name. Each lookup returns what filtering the whole list would, in the same order (the order
// the objects were first stored), so the view model is linear in the namespace instead of quadratic.
// Updated one object at a time, so the incremental model (live.ts) keeps the same indices. Pure.
import type { AnalysisRun, Deployment, EndpointSlice, Experiment, FlaggerCanary, FlaggerMetricTemplate, KubeObject, NamespaceSnapshot, Pod, ReplicaSet, Rollout, Service } from './objects';

/** The object lists of a namespace, named as in `NamespaceSnapshot` (and as the session's watches). */
export type ObjectList = Exclude<keyof NamespaceSnapshot, 'namespace'>;
export type ObjectOf<L extends ObjectList> = NamespaceSnapshot[L][number];
export const OBJECT_LISTS: readonly ObjectList[] = ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices', 'rollouts', 'analysisRuns', 'experiments', 'canaries', 'metricTemplates'];

/**
 * The Deployments a Flagger Canary runs: its target (which Flagger scales to zero between releases and
 * runs the canary on) and `<target>-primary`, the copy it creates to serve (pkg/canary/deployment_controller.go,
 * Initialize / createPrimaryDeployment). DaemonSet targets are not watched.
 */
export function flaggerDeployments(c: FlaggerCanary): { target: string; primary: string } | undefined {
  const ref = c.spec?.targetRef;
  if (!ref?.name || (ref.kind && ref.kind !== 'Deployment')) return undefined;
  return { target: ref.name, primary: `${ref.name}-primary` };
}

/** How the store keys an object: its uid, or its name when it has none (fixtures, odd watch events). */
export function storeKey(o: KubeObject): string {
  return o.metadata.uid || o.metadata.name;
}

interface Entry<T> {
  readonly object: T;
  /** Order of first storing: an update keeps it, a delete and re-create gets a new one. */
  readonly seq: number;
}

const bySeq = (a: Entry<unknown>, b: Entry<unknown>) => a.seq - b.seq;

/** Objects under the string groups `groupsOf` gives each (any number); a group is read in store order. */
class GroupIndex<T> {
  private readonly groups = new Map<string, Map<string, Entry<T>>>();

  constructor(private readonly groupsOf: (o: T) => string[]) {}

  add(key: string, entry: Entry<T>): void {
    for (const group of this.groupsOf(entry.object)) {
      let members = this.groups.get(group);
      if (!members) this.groups.set(group, (members = new Map()));
      members.set(key, entry);
    }
  }

  remove(key: string, o: T): void {
    for (const group of this.groupsOf(o)) {
      const members = this.groups.get(group);
      if (members?.delete(key) && !members.size) this.groups.delete(group);
    }
  }

  size(group: string): number {
    return this.groups.get(group)?.size ?? 0;
  }

  get(group: string): T[] {
    const members = this.groups.get(group);
    return members ? [...members.values()].sort(bySeq).map((e) => e.object) : [];
  }
}

type Owned = { metadata: { ownerReferences?: { uid: string; kind: string; name: string }[] } };
type Identified = { metadata: { uid?: string; name: string } };

/** An object's identity as an owner: its uid, or (fixtures) its kind and name. */
const ownerGroup = (kind: string, o: Identified) => (o.metadata.uid ? `uid:${o.metadata.uid}` : `name:${kind}/${o.metadata.name}`);

/**
 * Objects by their owner references. An owner with a uid owns what refers to that uid; one without
 * owns what refers to its kind and name.
 */
class OwnerIndex<T extends Owned> extends GroupIndex<T> {
  constructor() {
    super((o) => (o.metadata.ownerReferences ?? []).flatMap((r) => [...(r.uid ? [`uid:${r.uid}`] : []), `name:${r.kind}/${r.name}`]));
  }

  /** What `owner` (of `kind`) owns, in store order. */
  ownedBy(owner: Identified, kind: string): T[] {
    return this.get(ownerGroup(kind, owner));
  }
}

const labelGroup = (key: string, value: string) => `${key}\u0000${value}`;

/** Objects by each of their labels (or selector entries), to find what a selector may match without a scan. */
class LabelIndex<T> extends GroupIndex<T> {
  constructor(labelsOf: (o: T) => Record<string, string> | undefined) {
    super((o) => Object.entries(labelsOf(o) ?? {}).map(([k, v]) => labelGroup(k, v)));
  }

  /**
   * Objects that carry every entry of a non-empty `selector` are among these (in store order): the
   * smallest group of one of its entries. Callers still check the whole selector.
   */
  candidates(selector: Readonly<Record<string, string>>): T[] {
    let smallest: string | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const group = labelGroup(k, v);
      if (smallest === undefined || this.size(group) < this.size(smallest)) smallest = group;
    }
    return smallest === undefined ? [] : this.get(smallest);
  }
}

/** The kind each owning list's objects have in the owner references of what they own. */
const OWNER_KINDS = { replicaSets: 'ReplicaSet', deployments: 'Deployment', rollouts: 'Rollout', experiments: 'Experiment' } as const;
type OwnerList = keyof typeof OWNER_KINDS;

interface Index<T> {
  add(key: string, entry: Entry<T>): void;
  remove(key: string, o: T): void;
}

export class IndexedNamespace {
  private readonly stores = Object.fromEntries(OBJECT_LISTS.map((l) => [l, new Map<string, Entry<KubeObject>>()])) as { [L in ObjectList]: Map<string, Entry<ObjectOf<L>>> };
  private nextSeq = 0;
  readonly replicaSets = new OwnerIndex<ReplicaSet>();
  readonly pods = new OwnerIndex<Pod>();
  readonly analysisRuns = new OwnerIndex<AnalysisRun>();
  readonly experiments = new OwnerIndex<Experiment>();
  readonly deploymentsByTemplateLabel = new LabelIndex<Deployment>((d) => d.spec?.template?.metadata?.labels);
  /** Deployments by name (the API keeps one per name; the store keys by uid). */
  readonly deploymentsByName = new GroupIndex<Deployment>((d) => [d.metadata.name]);
  readonly servicesBySelector = new LabelIndex<Service>((s) => s.spec?.selector);
  private readonly endpointSlicesByService = new GroupIndex<EndpointSlice>((s) => {
    const service = s.metadata.labels?.['kubernetes.io/service-name'];
    return service === undefined ? [] : [service];
  });
  /** Rollouts by the Deployment they run through `workloadRef`. */
  private readonly rolloutsByWorkload = new GroupIndex<Rollout>((r) => (r.spec?.workloadRef?.name ? [r.spec.workloadRef.name] : []));
  /** Canaries by the Deployments they run (target and primary). */
  readonly canariesByDeployment = new GroupIndex<FlaggerCanary>((c) => {
    const d = flaggerDeployments(c);
    return d ? [d.target, d.primary] : [];
  });
  readonly metricTemplatesByName = new GroupIndex<FlaggerMetricTemplate>((t) => [t.metadata.name]);
  /** Possible owners by their identity, to find who owns a ReplicaSet or a pod. */
  private readonly ownersByIdentity = Object.fromEntries(Object.entries(OWNER_KINDS).map(([l, kind]) => [l, new GroupIndex<Identified>((o) => [ownerGroup(kind, o)])])) as { [L in OwnerList]: GroupIndex<ObjectOf<L>> };
  private readonly indices: { [L in ObjectList]: Index<ObjectOf<L>>[] } = {
    deployments: [this.deploymentsByTemplateLabel, this.deploymentsByName, this.ownersByIdentity.deployments],
    replicaSets: [this.replicaSets, this.ownersByIdentity.replicaSets],
    pods: [this.pods],
    services: [this.servicesBySelector],
    endpointSlices: [this.endpointSlicesByService],
    rollouts: [this.rolloutsByWorkload, this.ownersByIdentity.rollouts],
    analysisRuns: [this.analysisRuns],
    experiments: [this.experiments, this.ownersByIdentity.experiments],
    canaries: [this.canariesByDeployment],
    metricTemplates: [this.metricTemplatesByName],
  };

  constructor(readonly namespace: string) {}

  static of(snapshot: NamespaceSnapshot): IndexedNamespace {
    const indexed = new IndexedNamespace(snapshot.namespace);
    for (const list of OBJECT_LISTS) for (const o of snapshot[list]) indexed.upsert(list, o);
    return indexed;
  }

  /** Every object of a list, in store order (a Map's order: an update keeps the place, a re-create goes last). */
  list<L extends ObjectList>(list: L): ObjectOf<L>[] {
    return [...this.stores[list].values()].map((e) => e.object);
  }

  /** How many objects a list holds. */
  size(list: ObjectList): number {
    return this.stores[list].size;
  }

  /** Whether no list holds any object. */
  isEmpty(): boolean {
    return OBJECT_LISTS.every((l) => !this.stores[l].size);
  }

  get<L extends ObjectList>(list: L, key: string): ObjectOf<L> | undefined {
    return this.stores[list].get(key)?.object;
  }

  snapshot(): NamespaceSnapshot {
    return { namespace: this.namespace, ...(Object.fromEntries(OBJECT_LISTS.map((l) => [l, this.list(l)])) as Omit<NamespaceSnapshot, 'namespace'>) };
  }

  /** Stores `o` (replacing the object with its key); returns the one it replaced. */
  upsert<L extends ObjectList>(list: L, o: ObjectOf<L>): ObjectOf<L> | undefined {
    const key = storeKey(o);
    const store = this.stores[list];
    const old = store.get(key);
    if (old) for (const index of this.indices[list]) index.remove(key, old.object);
    const entry: Entry<ObjectOf<L>> = { object: o, seq: old?.seq ?? this.nextSeq++ };
    store.set(key, entry);
    for (const index of this.indices[list]) index.add(key, entry);
    return old?.object;
  }

  /** Forgets the object with `o`'s key; returns what was stored. */
  delete<L extends ObjectList>(list: L, o: ObjectOf<L>): ObjectOf<L> | undefined {
    const key = storeKey(o);
    const old = this.stores[list].get(key);
    if (!old) return undefined;
    for (const index of this.indices[list]) index.remove(key, old.object);
    this.stores[list].delete(key);
    return old.object;
  }

  endpointSlicesOf(service: string): EndpointSlice[] {
    return this.endpointSlicesByService.get(service);
  }

  /** Whether a Rollout runs this Deployment's pods (`workloadRef`): then it is no workload of its own. */
  isRolloutWorkload(deployment: string): boolean {
    return this.rolloutsByWorkload.size(deployment) > 0;
  }

  /** Whether a Flagger Canary runs this Deployment (its target or its primary): then it is part of the Canary's workload. */
  isFlaggerWorkload(deployment: string): boolean {
    return this.canariesByDeployment.size(deployment) > 0;
  }

  /** Whether a release controller's object (a Rollout's workloadRef, a Flagger Canary) runs this Deployment: it is no workload of its own. */
  isManaged(deployment: string): boolean {
    return this.isRolloutWorkload(deployment) || this.isFlaggerWorkload(deployment);
  }

  /** The objects of `list` that own `o` (the inverse of `ownedBy`). */
  ownersOf<L extends OwnerList>(o: Owned, list: L): ObjectOf<L>[] {
    const found = new Set<ObjectOf<L>>();
    for (const r of o.metadata.ownerReferences ?? []) {
      if (r.uid) this.ownersByIdentity[list].get(`uid:${r.uid}`).forEach((x) => found.add(x));
      if (r.kind === OWNER_KINDS[list]) this.ownersByIdentity[list].get(`name:${r.kind}/${r.name}`).forEach((x) => found.add(x));
    }
    return [...found];
  }
}
