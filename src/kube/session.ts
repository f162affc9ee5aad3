// One connection scope per kubeconfig context: the client, Argo discovery, and a store of watched
// namespaces whose view models follow the watch events workload by workload (domain/model/live.ts).
// Disposed as a whole on context switch.
import type { WorkloadView } from '../domain/model/workloads';
import { leanEvent, leanObject, type LeanEvent } from '../domain/model/lean';
import { EventLog } from '../domain/model/events';
import { LiveWorkloads } from '../domain/model/live';
import { emptySnapshot, type NamespaceSnapshot } from '../domain/model/objects';
import type { ResourceRule } from '../domain/model/access';
import { namespaceResets, planWatchScope, type ScopedResource, type WatchScope } from '../domain/model/scope';
import { KubeClient, loadKubeConfig } from './client';
import { ClusterError } from './errors';
import { TypedEvent, type Subscription } from './events';
import { inSlices } from './slices';
import { EVENT_RESOURCES, RESOURCES, ResourceWatcher, resourceLabel, resourcePath, type EventApi, type ResourceKey } from './watcher';

export interface NamespaceState {
  namespace: string;
  /** The watched objects and the view model over them. */
  live: LiveWorkloads;
  /** The resources listed once, by the namespace's own watches or (All namespaces) the cluster's. */
  readonly synced: ReadonlySet<ResourceKey>;
  /** The resources whose watch fails now, own or cluster-wide. */
  readonly errors: ReadonlyMap<ResourceKey, ClusterError>;
  /** Every watch the namespace's objects come from: its own, and the cluster-wide ones while All namespaces is watched. */
  readonly watchers: readonly ResourceWatcher<any>[];
  /** Lists being taken in, in slices: the namespace's changes are told once they are in. */
  readonly resetting: number;
  /** Who needs this namespace watched (the tree, a panel, an action): its own watches stop with the last one. */
  owners: Set<string>;
}

/**
 * The watches of All namespaces: one per resource for the whole cluster where the user may list and
 * watch it cluster-wide; the rest (`plan.oneByOne`) watched by the namespaces' own watches, which the
 * scope owns as `ALL_NAMESPACES_OWNER`. Synced and error state per resource, shared by every namespace.
 */
interface ClusterScope {
  owners: Set<string>;
  watchers: Map<ResourceKey, ResourceWatcher<any>>;
  synced: Set<ResourceKey>;
  errors: Map<ResourceKey, ClusterError>;
  /** What is watched how, once the access reviews have answered. */
  plan?: WatchScope<ResourceKey>;
  decided: Promise<void>;
}

/** A namespace's own watches, and the cluster's while All namespaces is watched (`cluster()`). */
class WatchedNamespace implements NamespaceState {
  readonly live: LiveWorkloads;
  readonly owners = new Set<string>();
  /** Its own watches, by resource: none for what a cluster-wide watch brings. */
  readonly own = new Map<ResourceKey, ResourceWatcher<any>>();
  readonly ownSynced = new Set<ResourceKey>();
  readonly ownErrors = new Map<ResourceKey, ClusterError>();
  /** Lists being taken in, in slices (see `slices.ts`): the namespace's changes are told once they are in. */
  resetting = 0;

  constructor(
    readonly namespace: string,
    private readonly cluster: () => ClusterScope | undefined,
  ) {
    this.live = new LiveWorkloads(namespace);
  }

  get synced(): ReadonlySet<ResourceKey> {
    const c = this.cluster();
    return c?.synced.size ? new Set([...this.ownSynced, ...c.synced]) : this.ownSynced;
  }

  get errors(): ReadonlyMap<ResourceKey, ClusterError> {
    const c = this.cluster();
    return c?.errors.size ? new Map([...this.ownErrors, ...c.errors]) : this.ownErrors;
  }

  get watchers(): ResourceWatcher<any>[] {
    return [...this.own.values(), ...(this.cluster()?.watchers.values() ?? [])];
  }

  /** Whether every watch it reads has listed once (or failed). */
  isSynced(): boolean {
    const c = this.cluster();
    const own = [...this.own.keys()].every((k) => this.ownSynced.has(k) || this.ownErrors.has(k));
    return own && (!c || (!!c.plan && [...c.watchers.keys()].every((k) => c.synced.has(k) || c.errors.has(k))));
  }
}

/** The events of a namespace, watched while someone shows them (a panel, an expanded tree node). */
export interface EventsState {
  namespace: string;
  /** The newest events, lean (domain/model/events.ts). */
  log: EventLog;
  /** Which API they come from: events.k8s.io/v1, or core v1 when that one is forbidden or missing. */
  api: EventApi;
  watcher: ResourceWatcher<any>;
  synced: boolean;
  error?: ClusterError;
  /** Who shows them: the watch stops with the last one. */
  owners: Set<string>;
}

export interface SessionOptions {
  kubeconfig?: string;
  context?: string;
  /** Delay that coalesces bursts of events into one change notification (ms). */
  coalesceMs?: number;
  /** Told when a watch starts failing (with the problem) and when it works again (undefined). */
  onWatchProblem?: (namespace: string, resource: ResourceKey, problem: string | undefined) => void;
}

export type ArgoAvailability = 'unknown' | 'installed' | 'missing' | 'forbidden';

/** What the store tells its consumers after a burst of watch events (coalesced). */
export interface WorkloadsChange {
  /** The namespaces whose objects or watch state (synced, errors) changed. */
  readonly namespaces: readonly string[];
  /** Ids of the workloads of those namespaces whose views changed, appeared or went: only these need redrawing. */
  readonly workloadIds: readonly string[];
  /** The namespaces whose events (or their watch state) changed, of those watched with `watchEvents`. */
  readonly events?: readonly string[];
  /** How All namespaces is watched changed (`watchMode`), or a cluster-wide watch listed or failed: every namespace may read differently. */
  readonly scope?: true;
}

/** Whether the API server answers the session's watches. */
export interface Connection {
  state: 'connected' | 'disconnected';
  /** Since when it is unreachable (epoch ms): what the store holds is as of then. */
  since?: number;
  /** The watch error that said so, in words. */
  problem?: string;
}

/** How a `waitFor` ended. */
export type WaitOutcome = 'met' | 'timeout' | 'cancelled';

/** How the session watches: namespace by namespace, or (All namespaces) once per resource for the cluster. */
export type WatchMode =
  | { scope: 'namespaces'; watches: number }
  | {
      scope: 'cluster';
      /** The access reviews have not answered yet: nothing is watched cluster-wide so far. */
      deciding: boolean;
      /** Resources watched once for the whole cluster. */
      clusterWide: ResourceKey[];
      /** Resources the user may not watch cluster-wide, watched in these namespaces one by one. */
      oneByOne?: { resources: ResourceKey[]; namespaces: string[]; unlisted: boolean };
      /** Why not all is watched cluster-wide, in words: "You may not watch pods cluster-wide: watching 3 namespaces one by one (a, b, c)". */
      message?: string;
      watches: number;
    };

/** The owner the All namespaces scope holds its one-by-one namespaces as. */
export const ALL_NAMESPACES_OWNER = 'all-namespaces';

const CORE_RESOURCES: ResourceKey[] = ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices'];
const ARGO_RESOURCES: ResourceKey[] = ['rollouts', 'analysisRuns', 'experiments'];
const FLAGGER_RESOURCES: ResourceKey[] = ['canaries', 'metricTemplates'];

/** `owner` lets go of a watch: whether nobody holds it any more (always, without an owner: stop it at once). */
function lastOwnerGone(owners: Set<string>, owner: string | undefined): boolean {
  if (owner === undefined) return true;
  owners.delete(owner);
  return owners.size === 0;
}

/**
 * The store holds only what watches deliver: never two watches for the same resource and namespace.
 * It tells what changed through one event, `onDidChangeWorkloads`.
 */
export class ClusterSession {
  readonly client: KubeClient;
  private readonly workloadsChanged = new TypedEvent<WorkloadsChange>();
  /** Fires after a burst of watch events (coalesced) with the namespaces that changed. */
  readonly onDidChangeWorkloads: (listener: (change: WorkloadsChange) => void) => Subscription = this.workloadsChanged.subscribe;
  private readonly namespaces = new Map<string, WatchedNamespace>();
  /** All namespaces, while someone watches them (`watchAllNamespaces`). */
  private cluster?: ClusterScope;
  /** Namespaces whose last object went since the last flush: the flush still names the workloads that went with them. */
  private readonly departed = new Map<string, LiveWorkloads>();
  private scopeDirty = false;
  private readonly eventWatches = new Map<string, EventsState>();
  private readonly dirty = new Set<string>();
  private readonly dirtyEvents = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private flushing = false;
  private disposed = false;
  argo: ArgoAvailability = 'unknown';
  /** Whether flagger.app/v1beta1 serves canaries (Flagger's CRDs), as `argo` says for Argo Rollouts. */
  flagger: ArgoAvailability = 'unknown';
  /** Watches (`namespace/resource`) whose last attempt could not reach the API server. */
  private readonly unreachable = new Map<string, string>();
  private lostSince?: number;
  private readonly connectionChanged = new TypedEvent<Connection>();
  /** Fires when the API server stops answering the watches, and when it answers again (they resync by themselves). */
  readonly onDidChangeConnection: (listener: (connection: Connection) => void) => Subscription = this.connectionChanged.subscribe;
  private readonly groupChecks = new Map<string, Promise<ArgoAvailability>>();

  constructor(private readonly options: SessionOptions = {}) {
    this.client = new KubeClient(loadKubeConfig(options.kubeconfig, options.context));
  }

  get contextName(): string {
    return this.client.contextName;
  }

  get contextNames(): string[] {
    return this.client.config.getContexts().map((c) => c.name);
  }

  /** Whether a group/version serves a resource (discovery): 'missing' when not, e.g. without its CRD. */
  async groupServed(groupVersion: string, resource: string): Promise<Exclude<ArgoAvailability, 'unknown'>> {
    try {
      const list = await this.client.request<{ resources?: { name: string }[] }>(groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`, { info: { verb: 'discover', resource: groupVersion } });
      return list.resources?.some((r) => r.name === resource) ? 'installed' : 'missing';
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'notFound') return 'missing';
      if (e instanceof ClusterError && e.kind === 'forbidden') return 'forbidden';
      throw e;
    }
  }

  /** `groupServed`, asked once per session (again after a failure to reach the server); `note` keeps the answer. */
  private checkOnce(groupVersion: string, resource: string, note: (a: ArgoAvailability) => void): Promise<ArgoAvailability> {
    const key = `${groupVersion}/${resource}`;
    let check = this.groupChecks.get(key);
    if (!check) {
      check = this.groupServed(groupVersion, resource).then(
        (availability) => {
          note(availability);
          return availability;
        },
        (e) => {
          this.groupChecks.delete(key); // unreachable: ask again next time
          throw e;
        },
      );
      this.groupChecks.set(key, check);
    }
    return check;
  }

  /** Whether the Argo Rollouts CRDs are served (discovery of argoproj.io/v1alpha1). */
  checkArgo(): Promise<ArgoAvailability> {
    return this.checkOnce('argoproj.io/v1alpha1', 'rollouts', (a) => (this.argo = a));
  }

  /** Whether Flagger's CRDs are served (discovery of flagger.app/v1beta1). */
  checkFlagger(): Promise<ArgoAvailability> {
    return this.checkOnce('flagger.app/v1beta1', 'canaries', (a) => (this.flagger = a));
  }

  /** Namespaces to offer: all of them when the user may list them, else the context's own. */
  async listNamespaces(): Promise<{ names: string[]; restricted: boolean }> {
    try {
      const list = await this.client.request<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces', { info: { verb: 'list', resource: 'namespaces' } });
      return { names: list.items.map((n) => n.metadata.name).sort(), restricted: false };
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'forbidden') return { names: [this.client.contextNamespace], restricted: true };
      throw e;
    }
  }

  /** Whether the namespace's objects are in the store: it has watches of its own, or the cluster's brought some. */
  isWatching(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  /** The namespaces in the store: those watched one by one, and (All namespaces) every one the cluster's watches brought objects of. */
  watchedNamespaces(): string[] {
    return [...this.namespaces.keys()];
  }

  /** The namespace's state, made (with no watches yet) when there is none. */
  private namespaceState(namespace: string): WatchedNamespace {
    let state = this.namespaces.get(namespace);
    if (!state) this.namespaces.set(namespace, (state = new WatchedNamespace(namespace, () => this.cluster)));
    return state;
  }

  /**
   * Starts the watches of a namespace for `owner` (idempotent: one set of watches per namespace,
   * whoever asks; none for the resources All namespaces watches cluster-wide). Argo's and Flagger's
   * kinds only when their CRDs are served.
   */
  async watchNamespace(namespace: string, owner = 'default'): Promise<NamespaceState> {
    const state = this.namespaceState(namespace);
    state.owners.add(owner);
    await this.startOwnWatches(state);
    return state;
  }

  /** Core kinds and, when their CRDs are served, Argo's and Flagger's (a group that cannot be asked now is left out). */
  private async servedResources(): Promise<ResourceKey[]> {
    const served = (check: () => Promise<ArgoAvailability>, keys: ResourceKey[]) => check().then((a) => (a === 'installed' ? keys : []), () => []);
    const extra = await Promise.all([served(() => this.checkArgo(), ARGO_RESOURCES), served(() => this.checkFlagger(), FLAGGER_RESOURCES)]);
    return [...CORE_RESOURCES, ...extra.flat()];
  }

  /** Starts the namespace's own watch of every served resource no cluster-wide watch brings (idempotent). */
  private async startOwnWatches(state: WatchedNamespace): Promise<void> {
    // While All namespaces is being decided, what it will watch cluster-wide is not known yet: no watch to open and close at once.
    if (this.cluster && !this.cluster.plan) await this.cluster.decided;
    const start = (key: ResourceKey) => {
      if (this.disposed || this.namespaces.get(state.namespace) !== state || !state.owners.size) return;
      if (!state.own.has(key) && !this.cluster?.watchers.has(key)) this.startOwnWatch(state, key);
    };
    CORE_RESOURCES.forEach(start);
    // Unreachable: the core watchers report it and retry; the groups are checked again on the next namespace.
    (await this.servedResources()).forEach(start);
  }

  private startOwnWatch(state: WatchedNamespace, key: ResourceKey): void {
    const namespace = state.namespace;
    const watcher = new ResourceWatcher<any>(this.client, RESOURCES[key], namespace, {
      prepare: (o) => leanObject(key, o),
      onReset: async (items) => {
        // 20,000 pods take longer than a long task to store: in slices, told as one change once all are in.
        state.resetting++;
        try {
          if (!(await inSlices(state.live.resetInSteps(key, items), () => this.namespaces.get(namespace) === state && state.own.get(key) === watcher))) return;
        } finally {
          state.resetting--;
        }
        state.ownSynced.add(key);
        this.touch(state);
      },
      onUpsert: (o) => {
        state.live.upsert(key, o);
        this.touch(state);
      },
      onDelete: (o) => {
        state.live.delete(key, o);
        this.touch(state);
      },
      onError: (error) => {
        const had = state.ownErrors.get(key);
        if (error) state.ownErrors.set(key, error);
        else state.ownErrors.delete(key);
        this.noteReachability(`${namespace}/${key}`, error);
        if (had?.message === error?.message) return;
        this.touch(state);
        this.options.onWatchProblem?.(namespace, key, error?.message);
      },
    });
    state.own.set(key, watcher);
    watcher.start();
  }

  /** Stops a namespace's own watch of `key` (a cluster-wide one takes over, or nobody needs it). */
  private stopOwnWatch(state: WatchedNamespace, key: ResourceKey): void {
    state.own.get(key)?.dispose();
    state.own.delete(key);
    state.ownSynced.delete(key);
    state.ownErrors.delete(key);
    this.noteReachability(`${state.namespace}/${key}`, undefined);
  }

  /** `owner` no longer needs the namespace; its own watches stop when nobody else does (or at once without an owner). */
  unwatchNamespace(namespace: string, owner?: string): void {
    const state = this.namespaces.get(namespace);
    if (!state || !lastOwnerGone(state.owners, owner)) return;
    state.owners.clear();
    const own = [...state.own.keys()];
    own.forEach((key) => this.stopOwnWatch(state, key));
    if (!this.cluster) {
      this.namespaces.delete(namespace);
      return;
    }
    // The cluster's watches still bring the namespace's other objects: only what its own watches brought goes.
    for (const key of own) state.live.reset(key, []);
    if (own.length) this.touch(state);
    this.dropIfAbandoned(state);
  }

  /** All namespaces: a namespace nobody asked for goes with its last object. */
  private dropIfAbandoned(state: WatchedNamespace): void {
    if (state.owners.size || !state.live.objects.isEmpty() || this.namespaces.get(state.namespace) !== state) return;
    this.namespaces.delete(state.namespace);
    this.departed.set(state.namespace, state.live);
    this.touch(state);
  }

  /**
   * Starts watching All namespaces for `owner` (idempotent, whoever asks; it stops with the last
   * owner, see `unwatchAllNamespaces` and `release`): one watch per resource for the whole cluster
   * where a SelfSubjectAccessReview says the user may list and watch it cluster-wide; the others in
   * each namespace the user may read, one by one (`watchMode` says which, in words too). Each object
   * goes to its namespace's view model, made on demand. Resolves once decided (the lists follow).
   */
  watchAllNamespaces(owner: string): Promise<void> {
    if (this.cluster) {
      this.cluster.owners.add(owner);
      return this.cluster.decided;
    }
    const scope: ClusterScope = { owners: new Set([owner]), watchers: new Map(), synced: new Set(), errors: new Map(), decided: Promise.resolve() };
    this.cluster = scope;
    scope.decided = this.decideScope(scope);
    return scope.decided;
  }

  /** Whether the user may list and watch a resource cluster-wide (when the server cannot say: try, the watch will tell). */
  private async mayWatchClusterWide(r: ScopedResource<ResourceKey>): Promise<boolean> {
    try {
      const answers = await Promise.all(['list', 'watch'].map((verb) => this.client.accessReview({ verb, group: r.group, resource: r.plural })));
      return answers.every((a) => a.allowed);
    } catch {
      return true;
    }
  }

  private async decideScope(scope: ClusterScope): Promise<void> {
    const resources = (await this.servedResources()).map((key): ScopedResource<ResourceKey> => ({ key, group: RESOURCES[key].group, plural: RESOURCES[key].plural, label: resourceLabel(RESOURCES[key]) }));
    const wide = await Promise.all(resources.map((r) => this.mayWatchClusterWide(r)));
    const clusterWide = new Set(resources.filter((_, i) => wide[i]).map((r) => r.key));
    let namespaces: string[] | undefined;
    const rules = new Map<string, ResourceRule[] | undefined>();
    if (clusterWide.size < resources.length) {
      const listed = await this.listNamespaces().catch(() => undefined);
      namespaces = listed && !listed.restricted ? listed.names : undefined;
      await Promise.all((namespaces ?? []).map(async (ns) => rules.set(ns, await this.accessRules(ns))));
    }
    if (this.cluster !== scope || this.disposed) return;
    scope.plan = planWatchScope(resources, (r) => clusterWide.has(r.key), namespaces, this.client.contextNamespace, (ns) => rules.get(ns));
    for (const key of scope.plan.clusterWide) this.startClusterWatch(scope, key);
    this.scopeChanged();
    await Promise.all((scope.plan.oneByOne?.namespaces ?? []).map((ns) => this.watchNamespace(ns, ALL_NAMESPACES_OWNER)));
  }

  /** One watch of `key` for the whole cluster: each object to its namespace, a re-list resets each namespace. */
  private startClusterWatch(scope: ClusterScope, key: ResourceKey): void {
    // Never two watches of a resource for a namespace: the cluster's takes over (the namespace keeps its objects until it lists).
    for (const state of this.namespaces.values()) if (state.own.has(key)) this.stopOwnWatch(state, key);
    const watcher = new ResourceWatcher<any>(this.client, RESOURCES[key], '', {
      prepare: (o) => leanObject(key, o),
      onReset: async (items) => {
        const first = !scope.synced.has(key);
        const held = [...this.namespaces.values()].filter((state) => state.live.objects.size(key)).map((state) => state.namespace);
        const resets: [WatchedNamespace, unknown[]][] = [];
        for (const [namespace, objects] of namespaceResets(items, held)) {
          const state = objects.length ? this.namespaceState(namespace) : this.namespaces.get(namespace);
          if (state) resets.push([state, objects]);
        }
        // Taken in namespace by namespace, in slices (one namespace may hold 20,000 pods); none is told before all are in.
        resets.forEach(([state]) => state.resetting++);
        try {
          for (const [state, objects] of resets) {
            if (!(await inSlices(state.live.resetInSteps(key, objects), () => this.cluster === scope && scope.watchers.get(key) === watcher))) return;
            this.touch(state);
          }
        } finally {
          resets.forEach(([state]) => state.resetting--);
        }
        resets.forEach(([state]) => this.dropIfAbandoned(state));
        scope.synced.add(key);
        if (first) this.scopeChanged();
      },
      onUpsert: (o) => {
        const state = this.namespaceState(o.metadata.namespace);
        state.live.upsert(key, o);
        this.touch(state);
      },
      onDelete: (o) => {
        const state = this.namespaces.get(o.metadata.namespace);
        if (!state) return;
        state.live.delete(key, o);
        this.touch(state);
        this.dropIfAbandoned(state);
      },
      onError: (error) => {
        const had = scope.errors.get(key);
        if (error) scope.errors.set(key, error);
        else scope.errors.delete(key);
        this.noteReachability(`*/${key}`, error);
        if (had?.message === error?.message) return;
        this.scopeChanged();
        this.options.onWatchProblem?.('all namespaces', key, error?.message);
      },
    });
    scope.watchers.set(key, watcher);
    watcher.start();
  }

  /**
   * `owner` no longer needs All namespaces; its cluster-wide watches stop when nobody else does (or
   * at once without an owner). Namespaces someone still watches go back to watches of their own.
   */
  unwatchAllNamespaces(owner?: string): void {
    const scope = this.cluster;
    if (!scope || !lastOwnerGone(scope.owners, owner)) return;
    this.cluster = undefined;
    for (const [key, watcher] of scope.watchers) {
      watcher.dispose();
      this.noteReachability(`*/${key}`, undefined);
    }
    // Held by nobody but the scope (its one-by-one namespaces, those the cluster's watches brought): gone.
    for (const namespace of [...this.namespaces.keys()]) this.unwatchNamespace(namespace, ALL_NAMESPACES_OWNER);
    for (const state of this.namespaces.values()) void this.startOwnWatches(state);
    this.scopeChanged();
  }

  /** How the session watches now, and how many watches it holds open (objects and events). */
  watchMode(): WatchMode {
    let watches = this.eventWatches.size + (this.cluster?.watchers.size ?? 0);
    for (const state of this.namespaces.values()) watches += state.own.size;
    const c = this.cluster;
    if (!c) return { scope: 'namespaces', watches };
    return { scope: 'cluster', deciding: !c.plan, clusterWide: c.plan?.clusterWide ?? [], ...(c.plan?.oneByOne ? { oneByOne: c.plan.oneByOne } : {}), ...(c.plan?.message ? { message: c.plan.message } : {}), watches };
  }

  /** All namespaces is watched, decided and every watch of it (cluster-wide and one by one) has listed once (or failed). */
  isAllSynced(): boolean {
    const c = this.cluster;
    if (!c?.plan || ![...c.watchers.keys()].every((k) => c.synced.has(k) || c.errors.has(k))) return false;
    return (c.plan.oneByOne?.namespaces ?? []).every((ns) => this.namespaces.get(ns)?.isSynced());
  }

  /** Resolves once All namespaces is complete (`isAllSynced`), or after `timeoutMs` with what there is. */
  async whenAllSynced(timeoutMs = 60_000): Promise<WaitOutcome> {
    return this.until(() => this.isAllSynced(), () => true, timeoutMs);
  }

  /** Connected unless a watch could not reach the API server at its last attempt. */
  connection(): Connection {
    if (!this.unreachable.size) return { state: 'connected' };
    return { state: 'disconnected', since: this.lostSince, problem: this.unreachable.values().next().value };
  }

  /** Keeps the set of watches that cannot reach the server; the connection changes when it fills or empties. */
  private noteReachability(watch: string, error: ClusterError | undefined): void {
    const before = this.unreachable.size > 0;
    if (error?.kind === 'unreachable') this.unreachable.set(watch, error.message);
    else this.unreachable.delete(watch);
    const after = this.unreachable.size > 0;
    if (before === after) return;
    this.lostSince = after ? Date.now() : undefined;
    if (!this.disposed) this.connectionChanged.fire(this.connection());
  }

  /** Drops every namespace, and the events of every namespace, `owner` holds. */
  release(owner: string): void {
    if (this.cluster?.owners.has(owner)) this.unwatchAllNamespaces(owner);
    for (const namespace of [...this.namespaces.keys()]) if (this.namespaces.get(namespace)!.owners.has(owner)) this.unwatchNamespace(namespace, owner);
    for (const namespace of [...this.eventWatches.keys()]) if (this.eventWatches.get(namespace)!.owners.has(owner)) this.unwatchEvents(namespace, owner);
  }

  /**
   * Starts watching the events of a namespace for `owner` (idempotent: one watch per namespace,
   * whoever asks; it stops with the last owner, see `unwatchEvents` and `release`).
   */
  watchEvents(namespace: string, owner: string): EventsState {
    const existing = this.eventWatches.get(namespace);
    if (existing) {
      existing.owners.add(owner);
      return existing;
    }
    const state = { namespace, log: new EventLog(), synced: false, owners: new Set([owner]) } as EventsState;
    this.eventWatches.set(namespace, state);
    this.startEvents(state, 'events.k8s.io');
    return state;
  }

  private startEvents(state: EventsState, api: EventApi): void {
    state.api = api;
    const lean = (o: unknown) => leanEvent(o as Record<string, unknown>);
    state.watcher = new ResourceWatcher<any>(this.client, EVENT_RESOURCES[api], state.namespace, {
      onReset: (items) => {
        state.log.reset(items.map(lean).filter((e): e is LeanEvent => !!e));
        state.synced = true;
        this.touchEvents(state);
      },
      onUpsert: (o) => {
        const e = lean(o);
        if (e) state.log.upsert(e);
        this.touchEvents(state);
      },
      onDelete: (o) => {
        const e = lean(o);
        if (e) state.log.delete(e);
        this.touchEvents(state);
      },
      onError: (error) => {
        // A cluster or a role without events.k8s.io: the same events through the core API.
        if (api === 'events.k8s.io' && (error?.kind === 'forbidden' || error?.kind === 'notFound')) {
          state.watcher.dispose();
          if (this.eventWatches.get(state.namespace) === state) this.startEvents(state, 'core');
          return;
        }
        if (state.error?.message === error?.message) return;
        state.error = error;
        this.touchEvents(state);
      },
    });
    state.watcher.start();
  }

  /** `owner` no longer shows the namespace's events; the watch stops when nobody else does (or at once without an owner). */
  unwatchEvents(namespace: string, owner?: string): void {
    const state = this.eventWatches.get(namespace);
    if (!state || !lastOwnerGone(state.owners, owner)) return;
    state.watcher.dispose();
    this.eventWatches.delete(namespace);
  }

  /** The newest events of a namespace whose events are watched (none otherwise), newest first. */
  events(namespace: string): readonly LeanEvent[] {
    return this.eventWatches.get(namespace)?.log.list() ?? [];
  }

  eventsState(namespace: string): EventsState | undefined {
    return this.eventWatches.get(namespace);
  }

  /** The namespaces whose events are watched now. */
  watchedEvents(): string[] {
    return [...this.eventWatches.keys()];
  }

  state(namespace: string): NamespaceState | undefined {
    return this.namespaces.get(namespace);
  }

  snapshot(namespace: string): NamespaceSnapshot {
    return this.namespaces.get(namespace)?.live.snapshot() ?? emptySnapshot(namespace);
  }

  /** The view model of a namespace: only the workloads the events since the last call touched are recomputed. */
  workloads(namespace: string): WorkloadView[] {
    return this.namespaces.get(namespace)?.live.workloads() ?? [];
  }

  /** Whether every watch the namespace reads has listed once (All namespaces: a namespace without objects reads the cluster's). */
  isSynced(namespace: string): boolean {
    const state = this.namespaces.get(namespace);
    if (state) return state.isSynced();
    const c = this.cluster;
    return !!c?.plan && [...c.watchers.keys()].every((k) => c.synced.has(k) || c.errors.has(k));
  }

  /** The watch errors of a namespace: of its own watches and the cluster's (All namespaces). */
  watchErrors(namespace: string): ReadonlyMap<ResourceKey, ClusterError> {
    return this.namespaces.get(namespace)?.errors ?? this.cluster?.errors ?? new Map();
  }

  /** Resolves once every watch of the namespace has listed (or after `timeoutMs`, with what there is). */
  async whenSynced(namespace: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(namespace, () => this.isSynced(namespace), timeoutMs);
  }

  /**
   * Resolves 'met' as soon as `predicate` holds (checked now and after every change of `namespace`),
   * 'timeout' after `timeoutMs`, or 'cancelled' when `signal` aborts.
   */
  waitFor(namespace: string, predicate: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    return this.until(predicate, (change) => change.namespaces.includes(namespace) || !!change.events?.includes(namespace) || !!change.scope, timeoutMs, signal);
  }

  /** `predicate`, checked now and after every change `relevant` says may matter; see `waitFor`. */
  private until(predicate: () => boolean, relevant: (change: WorkloadsChange) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (predicate()) return Promise.resolve('met');
    if (signal?.aborted) return Promise.resolve('cancelled');
    return new Promise((resolve) => {
      const done = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        subscription.dispose();
        signal?.removeEventListener('abort', cancel);
        resolve(outcome);
      };
      const cancel = () => done('cancelled');
      const timer = setTimeout(() => done('timeout'), timeoutMs);
      const subscription = this.onDidChangeWorkloads((change) => relevant(change) && predicate() && done('met'));
      signal?.addEventListener('abort', cancel);
    });
  }

  private touch(state: NamespaceState): void {
    this.dirty.add(state.namespace);
    this.scheduleFlush();
  }

  /** Every namespace may read differently (a cluster-wide watch listed or failed, All namespaces started or stopped). */
  private scopeChanged(): void {
    for (const namespace of this.namespaces.keys()) this.dirty.add(namespace);
    this.scopeDirty = true;
    this.scheduleFlush();
  }

  private touchEvents(state: EventsState): void {
    if (this.eventWatches.get(state.namespace) !== state) return;
    this.dirtyEvents.add(state.namespace);
    this.scheduleFlush();
  }

  /** One change notification per burst of watch events, objects and events alike. */
  private scheduleFlush(): void {
    if (this.flushTimer || this.flushing || this.disposed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.options.coalesceMs ?? 16);
  }

  /**
   * Brings the view models of the changed namespaces up to date, in slices (the first view model of
   * 2,000 Deployments is more than a long task), then tells what changed. A namespace still taking in
   * a list waits for it (`tellable`); events arriving meanwhile are told by the next flush.
   */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      const namespaces = [...this.dirty].filter((ns) => this.tellable(ns));
      for (const ns of namespaces) this.dirty.delete(ns);
      const events = [...this.dirtyEvents];
      const scope = this.scopeDirty;
      this.dirtyEvents.clear();
      this.scopeDirty = false;
      if (!namespaces.length && !events.length && !scope) return;
      for (const ns of namespaces) {
        const live = this.namespaces.get(ns)?.live;
        if (live) await inSlices((stop) => live.settleSome(stop), () => !this.disposed && this.namespaces.get(ns)?.live === live);
      }
      if (this.disposed) return;
      const workloadIds = namespaces.flatMap((ns) => [...(this.departed.get(ns)?.takeChanges() ?? []), ...(this.namespaces.get(ns)?.live.takeChanges() ?? [])]);
      for (const ns of namespaces) this.departed.delete(ns);
      this.workloadsChanged.fire({ namespaces, workloadIds, ...(events.length ? { events } : {}), ...(scope ? { scope: true as const } : {}) });
    } finally {
      this.flushing = false;
      if (this.dirtyEvents.size || this.scopeDirty || [...this.dirty].some((ns) => this.tellable(ns))) this.scheduleFlush();
    }
  }

  /**
   * Whether a namespace's changes can be told: not while a list is being taken in, nor before its
   * first lists are all in (the tree waits for that anyway): the view model of 20,000 pods is then
   * built once, not once per list as it arrives.
   */
  private tellable(namespace: string): boolean {
    const state = this.namespaces.get(namespace);
    return !state || (!state.resetting && this.isSynced(namespace));
  }

  private readonly rules = new Map<string, Promise<ResourceRule[] | undefined>>();

  /**
   * The user's rules in a namespace (SelfSubjectRulesReview), cached for the session; undefined when
   * the server cannot say (the actions still check each write with an access review).
   */
  accessRules(namespace: string): Promise<ResourceRule[] | undefined> {
    let rules = this.rules.get(namespace);
    if (!rules) {
      rules = this.client
        .request<{ status?: { resourceRules?: ResourceRule[]; incomplete?: boolean } }>('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
          method: 'POST',
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
          info: { verb: 'create', resource: 'selfsubjectrulesreviews.authorization.k8s.io' },
        })
        .then((r) => (r.status?.incomplete ? undefined : (r.status?.resourceRules ?? [])))
        .catch(() => undefined);
      this.rules.set(namespace, rules);
    }
    return rules;
  }

  /** Path helper for actions. */
  path(key: ResourceKey, namespace: string, name?: string): string {
    return resourcePath(RESOURCES[key], namespace, name);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.flushTimer);
    this.unwatchAllNamespaces();
    for (const ns of [...this.namespaces.keys()]) this.unwatchNamespace(ns);
    for (const ns of [...this.eventWatches.keys()]) this.unwatchEvents(ns);
    this.workloadsChanged.clear();
    this.connectionChanged.clear();
    this.client.dispose();
  }
}
