// One connection scope per kubeconfig context: the client, Argo discovery, and a store of watched
// namespaces whose view models follow the watch events workload by workload (domain/model/live.ts).
// Disposed as a whole on context switch.
import type { WorkloadView } from '../domain/model/workloads';
import { leanEvent, leanObject, type LeanEvent } from '../domain/model/lean';
import { EventLog } from '../domain/model/events';
import { LiveWorkloads } from '../domain/model/live';
import { emptySnapshot, type NamespaceSnapshot } from '../domain/model/objects';
import type { ResourceRule } from '../domain/model/access';
import { KubeClient, loadKubeConfig } from './client';
import { ClusterError } from './errors';
import { TypedEvent, type Subscription } from './events';
import { inSlices } from './slices';
import { EVENT_RESOURCES, RESOURCES, ResourceWatcher, resourcePath, type EventApi, type ResourceKey } from './watcher';

export interface NamespaceState {
  namespace: string;
  /** The watched objects and the view model over them. */
  live: LiveWorkloads;
  synced: Set<ResourceKey>;
  errors: Map<ResourceKey, ClusterError>;
  watchers: ResourceWatcher<any>[];
  /** Lists being taken in, in slices (see `slices.ts`): the namespace's changes are told once they are in. */
  resetting: number;
  /** Who needs this namespace watched (the tree, a panel, an action): the watches stop with the last one. */
  owners: Set<string>;
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
  private readonly namespaces = new Map<string, NamespaceState>();
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

  isWatching(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  watchedNamespaces(): string[] {
    return [...this.namespaces.keys()];
  }

  /**
   * Starts the watches of a namespace for `owner` (idempotent: one set of watches per namespace,
   * whoever asks). Argo's and Flagger's kinds only when their CRDs are served.
   */
  async watchNamespace(namespace: string, owner = 'default'): Promise<NamespaceState> {
    const existing = this.namespaces.get(namespace);
    if (existing) {
      existing.owners.add(owner);
      return existing;
    }
    const state: NamespaceState = {
      namespace,
      live: new LiveWorkloads(namespace),
      synced: new Set(),
      errors: new Map(),
      watchers: [],
      resetting: 0,
      owners: new Set([owner]),
    };
    this.namespaces.set(namespace, state);
    const start = (key: ResourceKey) => {
      const watcher = new ResourceWatcher<any>(this.client, RESOURCES[key], namespace, {
        onReset: async (items) => {
          // 20,000 pods take longer than a long task to store: in slices, told as one change once all are in.
          state.resetting++;
          try {
            if (!(await inSlices(state.live.resetInSteps(key, items, (o) => leanObject(key, o)), () => this.namespaces.get(namespace) === state))) return;
          } finally {
            state.resetting--;
          }
          state.synced.add(key);
          this.touch(state);
        },
        onUpsert: (o) => {
          state.live.upsert(key, leanObject(key, o));
          this.touch(state);
        },
        onDelete: (o) => {
          state.live.delete(key, o);
          this.touch(state);
        },
        onError: (error) => {
          const had = state.errors.get(key);
          if (error) state.errors.set(key, error);
          else state.errors.delete(key);
          this.noteReachability(`${namespace}/${key}`, error);
          if (had?.message === error?.message) return;
          this.touch(state);
          this.options.onWatchProblem?.(namespace, key, error?.message);
        },
      });
      state.watchers.push(watcher);
      watcher.start();
    };
    CORE_RESOURCES.forEach(start);
    const startServed = async (check: () => Promise<ArgoAvailability>, keys: ResourceKey[]) => {
      try {
        if ((await check()) === 'installed' && this.namespaces.get(namespace) === state) keys.forEach(start);
      } catch {
        // Unreachable: the core watchers report it and retry; the group is checked again on the next namespace.
      }
    };
    await Promise.all([startServed(() => this.checkArgo(), ARGO_RESOURCES), startServed(() => this.checkFlagger(), FLAGGER_RESOURCES)]);
    return state;
  }

  /** `owner` no longer needs the namespace; its watches stop when nobody else does (or at once without an owner). */
  unwatchNamespace(namespace: string, owner?: string): void {
    const state = this.namespaces.get(namespace);
    if (!state || !lastOwnerGone(state.owners, owner)) return;
    state.watchers.forEach((w) => w.dispose());
    this.namespaces.delete(namespace);
    for (const key of [...this.unreachable.keys()]) if (key.startsWith(`${namespace}/`)) this.noteReachability(key, undefined);
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

  /** Whether every started watch of the namespace has listed once. */
  isSynced(namespace: string): boolean {
    const state = this.namespaces.get(namespace);
    return !!state && state.watchers.every((w) => state.synced.has(this.keyOfWatcher(w)) || state.errors.has(this.keyOfWatcher(w)));
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
      const subscription = this.onDidChangeWorkloads((change) => (change.namespaces.includes(namespace) || change.events?.includes(namespace)) && predicate() && done('met'));
      signal?.addEventListener('abort', cancel);
    });
  }

  private keyOfWatcher(w: ResourceWatcher<any>): ResourceKey {
    return (Object.keys(RESOURCES) as ResourceKey[]).find((k) => RESOURCES[k] === w.type)!;
  }

  private touch(state: NamespaceState): void {
    this.dirty.add(state.namespace);
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
      this.dirtyEvents.clear();
      if (!namespaces.length && !events.length) return;
      for (const ns of namespaces) {
        const live = this.namespaces.get(ns)?.live;
        if (live) await inSlices((stop) => live.settleSome(stop), () => !this.disposed && this.namespaces.get(ns)?.live === live);
      }
      if (this.disposed) return;
      const workloadIds = namespaces.flatMap((ns) => this.namespaces.get(ns)?.live.takeChanges() ?? []);
      this.workloadsChanged.fire(events.length ? { namespaces, workloadIds, events } : { namespaces, workloadIds });
    } finally {
      this.flushing = false;
      if (this.dirtyEvents.size || [...this.dirty].some((ns) => this.tellable(ns))) this.scheduleFlush();
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
    for (const ns of [...this.namespaces.keys()]) this.unwatchNamespace(ns);
    for (const ns of [...this.eventWatches.keys()]) this.unwatchEvents(ns);
    this.workloadsChanged.clear();
    this.connectionChanged.clear();
  }
}
