// Lean objects for the store: what a watch delivers, without what the view model, the panels and the
// tree never read. managedFields and kubectl's last-applied copy are often larger than the rest of
// an object, and a pod's spec (volumes, env, probes, …) is most of a pod: at 20,000 pods that is
// most of the store's memory. The actions never use these: they read fresh, full objects before
// they write. Of managedFields the workloads keep one entry, who changed them last (`lastChange`), for
// "changed by someone else" notifications, and the owners of the fields actions write (`fieldOwners`,
// for "Managed by …"). Pure; trimmed at the watch boundary (src/kube/session.ts).
import type { FieldChange, KubeObject, ObjectMeta } from './objects';
import { RELEASE_CONTROLLERS } from '../release/vocabulary';
import { fieldOwnersOf } from './ownership';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The latest managedFields entry not written by a release controller. The controllers write status
 * (and revision annotations) right after whoever changed the spec, in the same second, so the
 * latest entry overall would nearly always name them. Ties (times are whole seconds) go to the
 * later entry of the list.
 */
export function latestChange(entries: ObjectMeta['managedFields']): FieldChange | undefined {
  let latest: FieldChange | undefined;
  // A watch may deliver odd objects: anything but a list of entries with a manager is no "who".
  for (const e of Array.isArray(entries) ? entries : []) {
    if (typeof e?.manager !== 'string' || RELEASE_CONTROLLERS.includes(e.manager)) continue;
    const time = typeof e.time === 'string' ? e.time : undefined;
    if (!latest || (time ?? '') >= (latest.time ?? '')) latest = { manager: e.manager, operation: String(e.operation ?? ''), ...(time ? { time } : {}), ...(e.subresource ? { subresource: String(e.subresource) } : {}) };
  }
  return latest;
}

/** Who changed an object last: the store's summary, or computed from a full object's managedFields. */
export function lastChangeOf(m: ObjectMeta): FieldChange | undefined {
  return m.lastChange ?? latestChange(m.managedFields);
}

function leanMeta(m: ObjectMeta, keepChange: boolean): ObjectMeta {
  const { managedFields: _managedFields, ...rest } = m;
  const annotations = m.annotations && LAST_APPLIED in m.annotations ? Object.fromEntries(Object.entries(m.annotations).filter(([k]) => k !== LAST_APPLIED)) : m.annotations;
  const lastChange = keepChange ? lastChangeOf(m) : undefined;
  // Only the owners of the few fields actions write (ownership.ts), not the fieldsV1 trees.
  const fieldOwners = keepChange ? (m.fieldOwners ?? fieldOwnersOf(m.managedFields)) : undefined;
  return { ...rest, ...(annotations ? { annotations } : {}), ...(lastChange ? { lastChange } : {}), ...(fieldOwners ? { fieldOwners } : {}) };
}

/** The lists whose objects are workloads (or a pair's Service): only theirs say who changed them. */
const CHANGE_KEPT = new Set(['deployments', 'rollouts', 'services']);

type Containers = { name: string; image?: string }[] | undefined;
const leanContainers = (cs: Containers) => cs?.map((c) => ({ name: c.name, image: c.image }));

/** A pod spec reduced to what is shown: its node and each container's name and image. */
function leanPodSpec(spec: { nodeName?: string; containers?: Containers; initContainers?: Containers } | undefined) {
  if (!spec) return undefined;
  return {
    ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
    ...(spec.containers ? { containers: leanContainers(spec.containers) } : {}),
    ...(spec.initContainers ? { initContainers: leanContainers(spec.initContainers) } : {}),
  };
}

/** An object with a pod template (Deployment, ReplicaSet, Rollout): the template keeps its metadata and lean spec. */
function withLeanTemplate<T extends { spec?: { template?: { metadata?: unknown; spec?: unknown } } }>(o: T): T {
  const template = o.spec?.template;
  if (!template) return o;
  return { ...o, spec: { ...o.spec, template: { ...(template.metadata ? { metadata: template.metadata } : {}), ...(template.spec ? { spec: leanPodSpec(template.spec as never) } : {}) } } };
}

/** An Experiment: each template's pod template lean, as a ReplicaSet's. */
function withLeanTemplates<T extends { spec?: any }>(o: T): T {
  const templates: unknown = o.spec?.templates;
  if (!Array.isArray(templates)) return o;
  return { ...o, spec: { ...o.spec, templates: templates.map((t) => withLeanTemplate({ spec: t }).spec) } };
}

/** The object as the store keeps it; `kind` says which list it belongs to. */
export function leanObject<T extends KubeObject>(list: 'pods' | 'deployments' | 'replicaSets' | 'rollouts' | 'services' | 'endpointSlices' | 'analysisRuns' | 'experiments', o: T): T {
  if (!o?.metadata) return o;
  const lean = { ...o, metadata: leanMeta(o.metadata, CHANGE_KEPT.has(list)) } as T & { spec?: any };
  switch (list) {
    case 'pods':
      return lean.spec ? { ...lean, spec: leanPodSpec(lean.spec) } : lean;
    case 'deployments':
    case 'replicaSets':
    case 'rollouts':
      return withLeanTemplate(lean);
    case 'experiments':
      return withLeanTemplates(lean);
    default:
      return lean;
  }
}

// ---- events -------------------------------------------------------------------------------------
// The API server serves the same events two ways, and the fields that matter differ:
// - events.k8s.io/v1: `regarding`, `note`, `eventTime` (a MicroTime), `series.count` and
//   `series.lastObservedTime` for a repeated event, `reportingController`; events written through
//   the core API show up here with `deprecatedCount`, `deprecatedFirstTimestamp`,
//   `deprecatedLastTimestamp` and `deprecatedSource` instead (and a null eventTime).
// - core v1: `involvedObject`, `message`, `count`, `firstTimestamp` / `lastTimestamp`, `source`;
//   events written through events.k8s.io show up here with `eventTime` and `series`, counts unset.
// `leanEvent` reads either into one small shape; the rest of the extension reads only that.

/** An event as the store keeps it: only what is shown, whichever API it came from. */
export interface LeanEvent {
  metadata: { name: string; uid?: string; resourceVersion?: string };
  /** "Normal" or "Warning" (anything else is shown as it is). */
  type: string;
  reason: string;
  message: string;
  /** The object the event is about. */
  object: ObjectRef;
  /** How many times it happened (a series counts each repeat). */
  count: number;
  /** When it first and last happened (ISO times). */
  first: string;
  last: string;
  /** Who reported it: default-scheduler, deployment-controller, kubelet… */
  source?: string;
}

export interface ObjectRef {
  kind: string;
  name: string;
  uid?: string;
}

type Raw = Record<string, any>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
/** A time in one format (ISO, milliseconds), so times of both APIs (seconds, MicroTime) compare as strings. */
const time = (v: unknown): string | undefined => {
  const t = typeof v === 'string' && v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/**
 * One event of either API in the store's shape; undefined for what is not an event (no object it
 * is about). Times fall back as the API server fills them: a series' last observation, the
 * deprecated (core) timestamps, eventTime, and last the creation of the Event object itself.
 */
export function leanEvent(e: Raw): LeanEvent | undefined {
  const meta = e?.metadata;
  const about = e?.regarding ?? e?.involvedObject;
  if (!meta || !str(meta.name) || !about || !str(about.kind) || !str(about.name)) return undefined;
  const eventTime = time(e.eventTime);
  const first = time(e.deprecatedFirstTimestamp) ?? time(e.firstTimestamp) ?? eventTime ?? time(meta.creationTimestamp) ?? '';
  const last = time(e.series?.lastObservedTime) ?? time(e.deprecatedLastTimestamp) ?? time(e.lastTimestamp) ?? eventTime ?? first;
  const source = str(e.reportingController) ?? str(e.reportingComponent) ?? str(e.deprecatedSource?.component) ?? str(e.source?.component);
  return {
    metadata: { name: meta.name, ...(str(meta.uid) ? { uid: meta.uid } : {}), ...(str(meta.resourceVersion) ? { resourceVersion: meta.resourceVersion } : {}) },
    type: str(e.type) ?? 'Normal',
    reason: str(e.reason) ?? '',
    message: (str(e.note) ?? str(e.message) ?? '').trim(),
    object: { kind: about.kind, name: about.name, ...(str(about.uid) ? { uid: about.uid } : {}) },
    count: num(e.series?.count) ?? num(e.deprecatedCount) ?? num(e.count) ?? 1,
    first: first <= last ? first : last,
    last,
    ...(source ? { source } : {}),
  };
}

/** `{ lastChange }` of the latest change among the objects making up a workload (views keep no undefined keys). */
export function withLastChange(...metas: ObjectMeta[]): { lastChange?: FieldChange } {
  const latest = metas.map(lastChangeOf).reduce<FieldChange | undefined>((a, b) => (!b ? a : !a || (b.time ?? '') > (a.time ?? '') ? b : a), undefined);
  return latest ? { lastChange: latest } : {};
}
