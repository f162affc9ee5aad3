// List-then-watch for one resource in one namespace: lists in pages (limit + continue, as client-go's
// pager does; a page whose continue token expired, 410, starts the list over), resumes the watch from
// the last resourceVersion with backoff, asks for bookmarks, re-lists on 410 Gone, and stops for good
// when disposed.
import type { KubeClient, ListMetadata } from './client';
import { ClusterError } from './errors';

export interface ResourceType {
  /** Plural name, e.g. "deployments". */
  plural: string;
  /** "" for core, e.g. "apps". */
  group: string;
  version: string;
}

export const RESOURCES = {
  deployments: { plural: 'deployments', group: 'apps', version: 'v1' },
  replicaSets: { plural: 'replicasets', group: 'apps', version: 'v1' },
  pods: { plural: 'pods', group: '', version: 'v1' },
  services: { plural: 'services', group: '', version: 'v1' },
  endpointSlices: { plural: 'endpointslices', group: 'discovery.k8s.io', version: 'v1' },
  rollouts: { plural: 'rollouts', group: 'argoproj.io', version: 'v1alpha1' },
  analysisRuns: { plural: 'analysisruns', group: 'argoproj.io', version: 'v1alpha1' },
  experiments: { plural: 'experiments', group: 'argoproj.io', version: 'v1alpha1' },
  canaries: { plural: 'canaries', group: 'flagger.app', version: 'v1beta1' },
  metricTemplates: { plural: 'metrictemplates', group: 'flagger.app', version: 'v1beta1' },
} satisfies Record<string, ResourceType>;

export type ResourceKey = keyof typeof RESOURCES;

/** Events, watched on demand (session.watchEvents): events.k8s.io/v1, else core v1 where that is forbidden or missing. */
export const EVENT_RESOURCES = {
  'events.k8s.io': { plural: 'events', group: 'events.k8s.io', version: 'v1' },
  core: { plural: 'events', group: '', version: 'v1' },
} satisfies Record<string, ResourceType>;

export type EventApi = keyof typeof EVENT_RESOURCES;

export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${type.plural}${name ? `/${name}` : ''}`;
}

export function resourceLabel(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export interface WatcherEvents<T> {
  /**
   * The object as it is kept (e.g. made lean), from the one the server sent: applied to each listed
   * object as its page arrives, before the next is read (the page's full objects never pile up),
   * and to each watch event's. Default: kept as sent.
   */
  prepare?(object: any): T;
  /** The full set after a (re-)list; the watch starts once it has been taken in (a promise: once it resolves). */
  onReset(items: T[]): void | Promise<void>;
  onUpsert(item: T): void;
  onDelete(item: T): void;
  /** undefined clears a previous error. */
  onError(error: ClusterError | undefined): void;
  /** A page of the list arrived (awaited before the list goes on; a page asked for after it is called, early from a page's head, waits for it): progress on big lists. */
  onListPage?(itemsSoFar: number): void | Promise<void>;
}

export interface WatcherStats {
  /** Lists started (attempts, including those that failed). */
  lists: number;
  /** Lists that arrived whole and were taken in. */
  listed: number;
  /** Pages asked for, over all lists. */
  pages: number;
  /** Lists started over because a page's continue token had expired (410 while paging). */
  listRestarts: number;
  watches: number;
  relistsAfterGone: number;
  /** Open watches the network broke that were resumed at once, untold (see `watch`). */
  quietResumes: number;
  events: number;
}

/** A page asked for: its answer, and the page after it once asked for early. */
interface ListPage<T> {
  token?: string;
  answer: Promise<{ items: T[]; metadata: ListMetadata }>;
  next(): ListPage<T> | undefined;
}

/** Items per page of a list (client-go's pager asks for 500). */
export const LIST_PAGE_SIZE = 500;

const MIN_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 30_000;
/**
 * The longest wait between attempts while the API server cannot be reached at all (connection
 * refused, reset, no route): such an attempt costs the server nothing, and the view should be right
 * again within seconds of the server answering (issue 11: 5 s), not after a 30 s back-off.
 */
export const MAX_UNREACHABLE_BACKOFF_MS = 2_000;
/** An open watch broken by the network is resumed at once without telling anyone at most this often. */
const QUIET_RESUME_EVERY_MS = 30_000;

/**
 * Exponential back-off with jitter: each wait doubles from `min` up to a cap, and is spread ±20 %
 * so that the watches that failed together (a server restart) do not retry together.
 */
export class Backoff {
  private wait: number;

  constructor(
    private readonly min = MIN_BACKOFF_MS,
    private readonly max = MAX_BACKOFF_MS,
    private readonly random: () => number = Math.random,
  ) {
    this.wait = min;
  }

  reset(): void {
    this.wait = this.min;
  }

  /** The next wait (ms), at most `cap` before jitter. */
  next(cap = this.max): number {
    const wait = Math.min(this.wait, cap);
    this.wait = Math.min(this.wait * 2, this.max);
    return wait * (0.8 + this.random() * 0.4);
  }
}

export class ResourceWatcher<T extends { metadata: { name: string; resourceVersion?: string } }> {
  private abort?: AbortController;
  private stopped = false;
  private resourceVersion?: string;
  private readonly backoff = new Backoff();
  private retryTimer?: NodeJS.Timeout;
  /** The latest `onListPage` of the list under way: a page asked for early waits for it. */
  private listPageSeen: Promise<unknown> = Promise.resolve();
  readonly stats: WatcherStats = { lists: 0, listed: 0, pages: 0, listRestarts: 0, watches: 0, relistsAfterGone: 0, quietResumes: 0, events: 0 };
  /** When an open watch was last resumed quietly: at most one per `QUIET_RESUME_EVERY_MS`, the others are told. */
  private lastQuietResume = -Infinity;

  constructor(
    private readonly client: KubeClient,
    readonly type: ResourceType,
    readonly namespace: string,
    private readonly events: WatcherEvents<T>,
    /** How long the server keeps one watch open before it closes it and we resume (default 4-6 min, spread). */
    private readonly watchTimeoutSeconds = () => 240 + Math.floor(Math.random() * 120),
    private readonly pageSize = LIST_PAGE_SIZE,
  ) {}

  start(): void {
    void this.list();
  }

  private readonly prepare = (object: any): T => (this.events.prepare ? this.events.prepare(object) : object);

  dispose(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.abort?.abort();
  }

  private info() {
    return { resource: resourceLabel(this.type), namespace: this.namespace };
  }

  private async list(): Promise<void> {
    if (this.stopped) return;
    try {
      this.stats.lists++;
      const listed = await this.listPages();
      if (this.stopped || !listed) return;
      this.stats.listed++;
      this.resourceVersion = listed.resourceVersion;
      this.events.onError(undefined);
      await this.events.onReset(listed.items);
      if (this.stopped) return;
      await this.watch();
    } catch (e) {
      this.fail(e instanceof ClusterError ? e : new ClusterError('server', String(e)), () => this.list());
    }
  }

  /**
   * Every page of one consistent list (all pages are of the first page's resourceVersion). A page
   * whose continue token has expired (410: etcd compacted that version meanwhile) starts over with
   * one unpaged list, as client-go's pager does, so constant churn cannot keep it paging forever.
   * Each page is asked for as soon as the page before says its continue token (a built-in list says
   * it before its items): the server reads the next page from etcd while this one is parsed.
   */
  private async listPages(): Promise<{ items: T[]; resourceVersion?: string } | undefined> {
    let paged = true;
    for (;;) {
      const items: T[] = [];
      let token: string | undefined;
      let resourceVersion: string | undefined;
      try {
        let current = this.askPage(paged, undefined, Promise.resolve());
        for (;;) {
          const page = await current.answer;
          if (this.stopped) return undefined;
          for (const item of page.items) items.push(item);
          resourceVersion = page.metadata.resourceVersion;
          token = page.metadata.continue || undefined;
          if (!token || this.stopped) break;
          // A page asked for early from now on waits for it: what onListPage does comes before that page's request.
          await (this.listPageSeen = Promise.resolve(this.events.onListPage?.(items.length)));
          const early = current.next();
          current = early?.token === token ? early : this.askPage(paged, token, Promise.resolve());
        }
        return this.stopped ? undefined : { items, resourceVersion };
      } catch (e) {
        if (!(e instanceof ClusterError && e.kind === 'gone' && token)) throw e;
        this.stats.listRestarts++;
        paged = false;
      }
    }
  }

  /**
   * Asks for one page (after `token`) once `after` has resolved; `next()` is the page after it, once
   * asked for early from this one's head (after the latest `onListPage` then under way).
   */
  private askPage(paged: boolean, token: string | undefined, after: Promise<unknown>): ListPage<T> {
    this.stats.pages++;
    let next: ListPage<T> | undefined;
    const answer = after.then(() => this.client.list(
      resourcePath(this.type, this.namespace),
      { query: { limit: paged ? this.pageSize : undefined, continue: token }, info: { verb: 'list', ...this.info() } },
      this.prepare,
      paged ? (metadata) => { if (metadata.continue && !this.stopped) next = { token: metadata.continue, ...this.askPage(paged, metadata.continue, this.listPageSeen) }; } : undefined,
    ));
    // Awaited in turn; a page asked for early whose list has already failed must not be an unhandled rejection.
    answer.catch(() => {});
    return { answer, next: () => next };
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    this.stats.watches++;
    let gone = false;
    let sawEvent = false;
    let ended = false;
    let established = false;
    this.abort = await this.client.watch(
      resourcePath(this.type, this.namespace),
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.watchTimeoutSeconds() },
      {
        onEvent: (type, object) => {
          if (this.stopped) return;
          sawEvent = true;
          this.stats.events++;
          if (type === 'ERROR') {
            if (object?.code === 410) gone = true;
            return;
          }
          if (object?.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
          if (type === 'ADDED' || type === 'MODIFIED') this.events.onUpsert(this.prepare(object));
          else if (type === 'DELETED') this.events.onDelete(this.prepare(object));
          this.backoff.reset();
        },
        onDone: (error) => {
          ended = true;
          if (this.stopped) return;
          if (gone || error?.kind === 'gone') {
            this.stats.relistsAfterGone++;
            this.resourceVersion = undefined;
            void this.list();
          } else if (error && error.kind !== 'cancelled') {
            // A watch the server had answered, broken by the network (a reset connection, a proxy's
            // cut): resumed once at once and untold, as client-go's reflector does, so a blip does
            // not flash "unreachable" (and redraw the tree twice). A resume that fails is told.
            if (established && performance.now() - this.lastQuietResume > QUIET_RESUME_EVERY_MS) {
              this.lastQuietResume = performance.now();
              this.stats.quietResumes++;
              void this.watch();
            } else this.fail(error, () => this.watch());
          } else {
            // A normal close (server timeout): resume right away from the last version seen.
            if (sawEvent) this.backoff.reset();
            this.retryTimer = setTimeout(() => void this.watch(), sawEvent ? 0 : this.backoff.next());
          }
        },
      },
      { verb: 'watch', ...this.info() },
    );
    if (this.stopped) this.abort.abort();
    // The watch is established (the server answered 200): a past outage is over.
    else if (!ended) {
      established = true;
      this.events.onError(undefined);
    }
  }

  private fail(error: ClusterError, retry: () => Promise<void>): void {
    if (this.stopped) return;
    this.events.onError(error);
    if (this.stopped) return; // onError disposed it (the session moves on to another API)
    // Forbidden and missing resources do not fix themselves quickly: retry slowly.
    const slow = error.kind === 'forbidden' || error.kind === 'notFound';
    const wait = slow ? MAX_BACKOFF_MS : this.backoff.next(error.kind === 'unreachable' ? MAX_UNREACHABLE_BACKOFF_MS : MAX_BACKOFF_MS);
    // A watch that lost its server resumes from its version, as client-go's reflector does: the server
    // replays what it missed, or answers 410 Gone (a restarted server's cache starts later) and the
    // watch lists again. A list per outage per watcher would be 20,000 pods every network blip.
    this.retryTimer = setTimeout(() => void (slow ? this.list() : retry()), wait);
  }
}
