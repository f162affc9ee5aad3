// The view model of one watched namespace, kept up to date object by object: a change recomputes
// only the workloads it touches (a pod -> its ReplicaSet -> that one's Deployment or Rollout -> the
// pair or canary the Deployment is in; a Service or EndpointSlice -> the groups it fronts; an
// AnalysisRun -> its Rollout or its Experiment's; an Experiment, its ReplicaSets and their pods -> its Rollout;
// a Deployment a Flagger Canary runs, its ReplicaSets and pods, or a MetricTemplate -> the Canary). The views themselves come from the pure functions of workloads.ts, and
// the list equals `workloadsOf` over the same objects (unit-tested). Pure: the session feeds it.
import { IndexedNamespace, flaggerDeployments, storeKey, type ObjectList, type ObjectOf } from './indexed';
import type { Deployment, EndpointSlice, FlaggerCanary, KubeObject, NamespaceSnapshot, ReplicaSet, Rollout, Service } from './objects';
import { flaggerView } from './flagger';
import { Annotations } from '../release/vocabulary';
import { blueGreenView, byNameThenKind, deploymentView, groupDeployments, previewService, replicaCanaryView, rolloutView, type CanaryCandidate, type PairCandidate, type WorkloadView } from './workloads';

type Found = { kind: 'pair'; found: PairCandidate } | { kind: 'canary'; found: CanaryCandidate };
/** A group with its view, and what made it (Service, members, preview Service) as of its grouping. */
type Group = Found & { signature: string; view: WorkloadView };

const names = (ds: Deployment[]) => ds.map((d) => d.metadata.name);

/** What decides whether a Deployment joins a pair or a canary: a change to it asks for a new grouping. */
function groupingTraits(d: Deployment | undefined): string {
  return JSON.stringify([d?.spec?.template?.metadata?.labels, d?.metadata.annotations?.[Annotations.CanaryShare] !== undefined]);
}

/** What decides which groups a Service fronts. */
function serviceTraits(s: Service | undefined): string {
  return JSON.stringify([s?.spec?.selector, !!s?.metadata.annotations?.[Annotations.ArgoManagedBy]]);
}

export class LiveWorkloads {
  readonly objects: IndexedNamespace;
  /** Views of the Deployments that are workloads (not run by a Rollout), by name: members of groups too. */
  private readonly deploymentViews = new Map<string, WorkloadView>();
  private readonly rolloutViews = new Map<string, WorkloadView>();
  private readonly canaryViews = new Map<string, WorkloadView>();
  private groups: Group[] = [];
  private taken = new Set<string>();
  private list: WorkloadView[] = [];
  private readonly positions = new Map<WorkloadView, number>();
  private cachedSnapshot?: NamespaceSnapshot;

  // What the objects changed since the views were last brought up to date.
  private readonly dirtyDeployments = new Set<string>();
  private readonly dirtyRollouts = new Set<string>();
  private readonly dirtyServices = new Set<string>();
  private readonly dirtyCanaries = new Set<string>();
  private regroup = false;
  private relist = false;
  private readonly changed = new Set<string>();
  // A settle in steps (settleSome): the Deployments whose views it has built so far, and the views
  // replaced meanwhile, kept here so that any call (a step or a whole settle) finishes what another began.
  private readonly settledDeployments = new Set<string>();
  private readonly replaced = new Map<WorkloadView, WorkloadView>();

  constructor(namespace: string) {
    this.objects = new IndexedNamespace(namespace);
  }

  get namespace(): string {
    return this.objects.namespace;
  }

  upsert<L extends ObjectList>(list: L, o: ObjectOf<L>): void {
    const old = this.objects.upsert(list, o);
    this.touched(list, old, o);
  }

  delete<L extends ObjectList>(list: L, o: ObjectOf<L>): void {
    const old = this.objects.delete(list, o);
    if (old) this.touched(list, old, undefined);
  }

  /** Replaces every object of a list (after a list or re-list): `resetInSteps` done at once. */
  reset<L extends ObjectList>(list: L, items: ObjectOf<L>[]): void {
    this.resetInSteps(list, items)(() => false);
  }

  /**
   * A reset as a job the caller runs a piece at a time (to yield to the event loop between pieces):
   * each call does work until `stop()` holds, and returns true once every item (first passed through
   * `prepare`) is stored and what the list no longer has is deleted. Objects still listed keep their
   * place in store order; the views stay correct object by object in between.
   */
  resetInSteps<L extends ObjectList>(list: L, items: readonly unknown[], prepare: (o: any) => ObjectOf<L> = (o) => o): (stop: () => boolean) => boolean {
    const listed = new Set<string>();
    let next = 0;
    let gone: ObjectOf<L>[] | undefined;
    return (stop) => {
      while (next < items.length) {
        const o = prepare(items[next++]);
        listed.add(storeKey(o));
        this.upsert(list, o);
        if (stop()) return false;
      }
      gone ??= this.objects.list(list).filter((o) => !listed.has(storeKey(o)));
      while (gone.length) {
        this.delete(list, gone.pop()!);
        if (stop() && gone.length) return false;
      }
      return true;
    };
  }

  /** The objects as one snapshot (built on demand, kept until the next change). */
  snapshot(): NamespaceSnapshot {
    return (this.cachedSnapshot ??= this.objects.snapshot());
  }

  /** Every workload, up to date, ordered as `workloadsOf` orders them. */
  workloads(): WorkloadView[] {
    this.settle();
    return this.list;
  }

  /** Brings the views up to date; the ids of the workloads whose views changed, appeared or went since the last call. */
  takeChanges(): string[] {
    this.settle();
    const ids = [...this.changed];
    this.changed.clear();
    return ids;
  }

  /** Records which views `old` -> `now` (either may be missing) can change. */
  private touched(list: ObjectList, old: KubeObject | undefined, now: KubeObject | undefined): void {
    this.cachedSnapshot = undefined;
    const both = [old, now].filter((o): o is KubeObject => !!o);
    const added = !old || !now;
    switch (list) {
      case 'deployments':
        for (const d of both) this.dirtyDeployments.add(d.metadata.name);
        if (added || groupingTraits(old as Deployment) !== groupingTraits(now as Deployment)) this.regroup = true;
        break;
      case 'replicaSets':
        for (const rs of both) this.ownerTouched(rs as ReplicaSet);
        break;
      case 'pods':
        for (const pod of both) for (const rs of this.objects.ownersOf(pod, 'replicaSets')) this.ownerTouched(rs);
        break;
      case 'services':
        for (const s of both) this.dirtyServices.add(s.metadata.name);
        if (added || serviceTraits(old as Service) !== serviceTraits(now as Service)) this.regroup = true;
        break;
      case 'endpointSlices':
        for (const s of both as EndpointSlice[]) {
          const service = s.metadata.labels?.['kubernetes.io/service-name'];
          if (service !== undefined) this.dirtyServices.add(service);
        }
        break;
      case 'rollouts': {
        for (const r of both) this.dirtyRollouts.add(storeKey(r));
        const workloads = (both as Rollout[]).map((r) => r.spec?.workloadRef?.name);
        if (added || workloads[0] !== workloads[1]) {
          // The Deployments a Rollout runs are no workloads of their own: they come and go with it.
          for (const name of workloads) if (name) this.dirtyDeployments.add(name);
          if (workloads.some(Boolean)) this.regroup = true;
        }
        break;
      }
      case 'analysisRuns':
        for (const run of both) this.rolloutOwnersTouched(run);
        break;
      case 'experiments':
        for (const experiment of both) this.rolloutOwnersTouched(experiment);
        break;
      case 'canaries': {
        for (const c of both) this.dirtyCanaries.add(storeKey(c));
        const runs = (both as FlaggerCanary[]).map((c) => JSON.stringify(flaggerDeployments(c) ?? null));
        if (added || runs[0] !== runs[1]) {
          // The Deployments a Canary runs are no workloads of their own: they come and go with it.
          for (const c of both as FlaggerCanary[]) {
            const d = flaggerDeployments(c);
            if (d) this.dirtyDeployments.add(d.target).add(d.primary);
          }
          this.regroup = true;
        }
        break;
      }
      case 'metricTemplates':
        // A Canary's analysis shows the provider and query of the templates it refers to (by name, maybe in another namespace: few Canaries, all refreshed).
        for (const c of this.objects.list('canaries')) this.dirtyCanaries.add(storeKey(c));
        break;
    }
  }

  private ownerTouched(rs: ReplicaSet): void {
    for (const d of this.objects.ownersOf(rs, 'deployments')) this.dirtyDeployments.add(d.metadata.name);
    this.rolloutOwnersTouched(rs);
  }

  /** The Rollouts whose views show `o`: its owner, or the owner of the Experiment that owns it. */
  private rolloutOwnersTouched(o: KubeObject): void {
    for (const r of this.objects.ownersOf(o, 'rollouts')) this.dirtyRollouts.add(storeKey(r));
    for (const experiment of this.objects.ownersOf(o, 'experiments')) for (const r of this.objects.ownersOf(experiment, 'rollouts')) this.dirtyRollouts.add(storeKey(r));
  }

  private settle(): void {
    this.settleSome(() => false);
  }

  /**
   * Brings the views up to date a piece at a time: builds views until `stop()` holds (then returns
   * false: call again, or `workloads()` finishes at once), and returns true when all are. Events may
   * arrive between the calls: what they touch is built too before the list is.
   */
  settleSome(stop: () => boolean): boolean {
    if (!this.dirtyDeployments.size && !this.dirtyRollouts.size && !this.dirtyServices.size && !this.dirtyCanaries.size && !this.regroup && !this.relist && !this.replaced.size && !this.settledDeployments.size) return true;
    const ns = this.objects;
    for (const name of this.dirtyDeployments) {
      this.dirtyDeployments.delete(name);
      this.settledDeployments.add(name);
      for (const c of ns.canariesByDeployment.get(name)) this.dirtyCanaries.add(storeKey(c));
      // The map keeps one view per name, of the last Deployment so named, as `workloadsOf` does.
      const d = ns.deploymentsByName.get(name).filter((x) => !ns.isManaged(x.metadata.name)).pop();
      const old = this.deploymentViews.get(name);
      if (d) {
        const view = deploymentView(d, ns);
        this.deploymentViews.set(name, view);
        if (old) this.replaced.set(old, view);
        else this.relist = true;
      } else if (old) {
        this.deploymentViews.delete(name);
        this.relist = true;
      }
      if (stop()) return false;
    }
    if (!this.refreshViews('canaries', this.dirtyCanaries, this.canaryViews, (c) => flaggerView(c, ns), stop)) return false;
    if (!this.refreshViews('rollouts', this.dirtyRollouts, this.rolloutViews, (r) => rolloutView(r, ns), stop)) return false;
    // The groups and the list: one piece (their cost is in the groups, few, and a sort of the list).
    if (this.regroup) this.regroupAll();
    else
      this.groups = this.groups.map((g) => {
        if (!this.groupDirty(g)) return g;
        const next = this.refreshed(g);
        this.replaced.set(g.view, next.view);
        return next;
      });
    if (this.relist) this.rebuildList();
    else this.replaceInList(this.replaced);
    this.replaced.clear();
    this.settledDeployments.clear();
    this.dirtyServices.clear();
    this.regroup = false;
    this.relist = false;
    return true;
  }

  /** The views of a controller's objects (Rollouts, Canaries) whose keys are dirty: built again, or gone with their object; false when `stop()` held first. */
  private refreshViews<L extends 'rollouts' | 'canaries'>(list: L, dirty: Set<string>, views: Map<string, WorkloadView>, build: (o: ObjectOf<L>) => WorkloadView, stop: () => boolean): boolean {
    for (const key of dirty) {
      dirty.delete(key);
      const o = this.objects.get(list, key);
      const old = views.get(key);
      if (o) {
        const view = build(o);
        views.set(key, view);
        if (old) this.replaced.set(old, view);
        else this.relist = true;
      } else if (old) {
        views.delete(key);
        this.relist = true;
      }
      if (stop()) return false;
    }
    return true;
  }

  private groupDirty(g: Group): boolean {
    const members = g.kind === 'pair' ? g.found.members : [g.found.canary, ...g.found.stable];
    if (members.some((d) => this.settledDeployments.has(d.metadata.name))) return true;
    return this.dirtyServices.has(g.found.service.metadata.name);
  }

  /** The group's view again, over the current objects of its members and Service (their grouping traits have not changed). */
  private refreshed(g: Group): Group {
    const ns = this.objects;
    const current = <T extends KubeObject>(list: 'deployments' | 'services', o: T) => (ns.get(list, storeKey(o)) as T | undefined) ?? o;
    if (g.kind === 'pair') {
      const found = { ...g.found, service: current('services', g.found.service), members: g.found.members.map((d) => current('deployments', d)) };
      return { kind: 'pair', found, signature: g.signature, view: blueGreenView(found, ns, this.deploymentViews) };
    }
    const found = { service: current('services', g.found.service), canary: current('deployments', g.found.canary), stable: g.found.stable.map((d) => current('deployments', d)) };
    return { kind: 'canary', found, signature: g.signature, view: replicaCanaryView(found, ns, this.deploymentViews) };
  }

  /** Groups the Deployments anew; keeps the view of every group that is the same as before and untouched. */
  private regroupAll(): void {
    const ns = this.objects;
    const signature = (g: Found) =>
      g.kind === 'pair'
        ? JSON.stringify(['pair', storeKey(g.found.service), g.found.key, names(g.found.members), previewService(g.found, ns)?.metadata.name])
        : JSON.stringify(['canary', storeKey(g.found.service), g.found.canary.metadata.name, names(g.found.stable)]);
    const before = new Map<string, Group[]>();
    for (const g of this.groups) before.set(g.signature, [...(before.get(g.signature) ?? []), g]);
    const { pairs, canaries, taken } = groupDeployments(ns);
    const found: Found[] = [...pairs.map((p) => ({ kind: 'pair' as const, found: p })), ...canaries.map((c) => ({ kind: 'canary' as const, found: c }))];
    this.groups = found.map((g): Group => {
      const sig = signature(g);
      const same = before.get(sig)?.shift();
      const view = same && !this.groupDirty(same) ? same.view : g.kind === 'pair' ? blueGreenView(g.found, ns, this.deploymentViews) : replicaCanaryView(g.found, ns, this.deploymentViews);
      return { ...g, signature: sig, view };
    });
    this.taken = taken;
    this.relist = true;
  }

  /** The list in `workloadsOf`'s order: groups, then ungrouped Deployments and Rollouts in store order, sorted. */
  private rebuildList(): void {
    const ns = this.objects;
    const previous = this.list;
    const out = this.groups.map((g) => g.view);
    const seen = new Set<string>();
    for (const d of ns.list('deployments')) {
      const name = d.metadata.name;
      if (seen.has(name) || this.taken.has(name) || ns.isManaged(name)) continue;
      seen.add(name);
      out.push(this.deploymentViews.get(name)!);
    }
    for (const r of ns.list('rollouts')) out.push(this.rolloutViews.get(storeKey(r))!);
    for (const c of ns.list('canaries')) out.push(this.canaryViews.get(storeKey(c))!);
    this.list = out.sort(byNameThenKind);
    this.positions.clear();
    this.list.forEach((v, i) => this.positions.set(v, i));
    const before = new Set(previous);
    const after = new Set(this.list);
    for (const v of previous) if (!after.has(v)) this.changed.add(v.id);
    for (const v of this.list) if (!before.has(v)) this.changed.add(v.id);
  }

  /** Puts replaced views where the old ones were (an id keeps its place: the order is by name and kind). */
  private replaceInList(replaced: Map<WorkloadView, WorkloadView>): void {
    let copied = false;
    for (const [old, view] of replaced) {
      const at = this.positions.get(old);
      if (at === undefined) continue; // a member of a group: its group's view is what is listed
      if (!copied) (this.list = this.list.slice()), (copied = true);
      this.list[at] = view;
      this.positions.delete(old);
      this.positions.set(view, at);
      this.changed.add(view.id);
    }
  }
}
