// Who owns what an action changes: the field managers of server-side apply (metadata.managedFields)
// and the markers GitOps and package tools put on what they apply (Argo CD, Flux, Helm). A switch or
// rollback of a field that a GitOps controller owns works for a minute, then is reverted by its next
// reconcile (or turns its Application OutOfSync): that is said before the user acts, and the tree and
// the panel say "Managed by …". Pure: the kube side reads the objects and, when readable, the
// Application / Kustomization / HelmRelease (src/kube/ownership.ts).
import type { ObjectMeta } from './objects';

/** The GitOps and package tools' markers on the objects they apply. */
export const GitOpsMarks = {
  /**
   * Argo CD's annotation tracking (`<app>:<group>/<kind>:<namespace>/<name>`; the app is
   * `<namespace>_<name>` for Applications outside the control-plane namespace).
   */
  ArgoTrackingId: 'argocd.argoproj.io/tracking-id',
  /** Argo CD's label tracking (its default before 3.0): the Application's name. Helm charts set it too. */
  InstanceLabel: 'app.kubernetes.io/instance',
  /** Argo CD's label tracking under a key of its own (application.instanceLabelKey), which only Argo CD sets. */
  ArgoInstanceLabel: 'argocd.argoproj.io/instance',
  /** fluxcd/pkg ssa ResourceManager.SetOwnerLabels: `<owner group>/name` and `/namespace`, kustomize-controller's group. */
  FluxKustomizationName: 'kustomize.toolkit.fluxcd.io/name',
  FluxKustomizationNamespace: 'kustomize.toolkit.fluxcd.io/namespace',
  /** helm-controller's post-renderer labels every object of a HelmRelease the same way. */
  FluxHelmReleaseName: 'helm.toolkit.fluxcd.io/name',
  FluxHelmReleaseNamespace: 'helm.toolkit.fluxcd.io/namespace',
  /** Helm 3's ownership annotations (pkg/action/validate.go checks them before adopting an object). */
  HelmReleaseName: 'meta.helm.sh/release-name',
  HelmReleaseNamespace: 'meta.helm.sh/release-namespace',
  ManagedByLabel: 'app.kubernetes.io/managed-by',
} as const;

/**
 * The field managers the tools write as, from their source:
 * - kustomize-controller: main.go's controllerName, the ssa.Owner Field of the ResourceManager in
 *   internal/controller/kustomization_controller.go (fluxcd/kustomize-controller v1.9.6); its status
 *   writes are "gotk-kustomize-controller".
 * - helm-controller: its main.go sets Helm's kube.ManagedFieldsManager to its controllerName.
 * - helm: cmd/helm/helm.go sets kube.ManagedFieldsManager to "helm" (pkg/kube/client.go
 *   getManagedFieldsManager would otherwise take the binary's name).
 * - Argo CD: common/common.go ArgoCDSSAManager "argocd-controller" for server-side apply syncs; a
 *   client-side apply sync goes through the kubectl library, which names the manager after the
 *   binary: argocd-application-controller.
 */
export const ToolManagers = {
  'flux-kustomization': ['kustomize-controller'],
  'flux-helmrelease': ['helm-controller'],
  helm: ['helm'],
  argocd: ['argocd-controller', 'argocd-application-controller'],
} as const satisfies Record<GitOpsTool, readonly string[]>;

export type GitOpsTool = 'argocd' | 'flux-kustomization' | 'flux-helmrelease' | 'helm';

/** What manages an object: the tool and its object (Application, Kustomization, HelmRelease, Helm release). */
export interface GitOpsOwner {
  tool: GitOpsTool;
  name: string;
  /** The namespace of its object; unset for an Argo CD Application in the control-plane namespace. */
  namespace?: string;
}

export interface FieldManagerEntry {
  manager: string;
  /** Apply (server-side apply) or Update (create, update, patch). */
  operation: string;
}

/**
 * A field as managedFields name it: dotted (`spec.selector`), or segments where a list item picked
 * by its name (a container) is the API server's `k:{"name":…}` key of an associative list.
 */
export type ManagedPath = string | readonly (string | number | { name: string })[];

/** Owners of the fields actions change, by dotted path: what the store keeps of managedFields (lean.ts). */
export type FieldOwners = Record<string, FieldManagerEntry[]>;

/**
 * The spec fields the actions of plans.ts write (a test checks every plan's writes fall under one).
 * The store keeps their owners, not whole fieldsV1 trees.
 */
export const RELEASE_FIELDS: readonly string[] = ['spec.selector', 'spec.replicas', 'spec.template', 'spec.paused', 'spec.restartAt'];

const TOOL_LABELS: Record<GitOpsTool, string> = {
  argocd: 'Argo CD Application',
  'flux-kustomization': 'Flux Kustomization',
  'flux-helmrelease': 'Flux HelmRelease',
  helm: 'Helm release',
};

type ManagedFieldsEntry = NonNullable<ObjectMeta['managedFields']>[number];

/**
 * Whether a fieldsV1 tree holds the path: each name is an `f:` key, each named list item a
 * `k:{"name":…}` key; an empty node on the way is a field owned whole (an atomic value such as a
 * Service's selector), so what lies under it is too. Positional items are never keyed in fieldsV1.
 */
function holds(tree: unknown, segments: Exclude<ManagedPath, string>): boolean {
  let node = tree as Record<string, unknown> | undefined;
  for (const segment of segments) {
    if (!node || typeof node !== 'object') return false;
    if (!Object.keys(node).some((k) => k !== '.')) return true;
    const key = typeof segment === 'object' ? Object.keys(node).find((k) => k.startsWith('k:') && keyedName(k.slice(2)) === segment.name) : typeof segment === 'string' ? `f:${segment}` : undefined;
    node = key === undefined ? undefined : (node[key] as Record<string, unknown> | undefined);
    if (node === undefined) return false;
  }
  return !!node && typeof node === 'object';
}

/** The name of an associative list's key (`{"name":"web"}`). */
function keyedName(json: string): string | undefined {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined;
  } catch {
    return undefined;
  }
}

/** The managers that own a field or part of it (spec fields: writes through the status subresource own none). */
export function ownersOfField(entries: ObjectMeta['managedFields'], path: ManagedPath): FieldManagerEntry[] {
  return writersOfField(entries, path).map(({ manager, operation }) => ({ manager, operation }));
}

/** Of the managers that own a field, the one whose write is the latest (managedFields' `time`), with that time. */
export function lastWriterOfField(entries: ObjectMeta['managedFields'], path: ManagedPath): (FieldManagerEntry & { time?: string }) | undefined {
  return writersOfField(entries, path).reduce<(FieldManagerEntry & { time?: string }) | undefined>((best, e) => (!best || (e.time ?? '') > (best.time ?? '') ? e : best), undefined);
}

function writersOfField(entries: ObjectMeta['managedFields'], path: ManagedPath): (FieldManagerEntry & { time?: string })[] {
  const segments = typeof path === 'string' ? path.split('.') : path;
  const owners: (FieldManagerEntry & { time?: string })[] = [];
  for (const e of Array.isArray(entries) ? entries : []) {
    if (typeof e?.manager !== 'string' || e.subresource || !holds((e as ManagedFieldsEntry).fieldsV1, segments)) continue;
    const time = typeof e.time === 'string' ? e.time : undefined;
    const same = owners.find((o) => o.manager === e.manager && o.operation === String(e.operation ?? ''));
    if (!same) owners.push({ manager: e.manager, operation: String(e.operation ?? ''), ...(time ? { time } : {}) });
    else if (time && time > (same.time ?? '')) same.time = time;
  }
  return owners;
}

/** The owners of each of `paths` that has any: the store's summary of managedFields. */
export function fieldOwnersOf(entries: ObjectMeta['managedFields'], paths: readonly string[] = RELEASE_FIELDS): FieldOwners | undefined {
  let owners: FieldOwners | undefined;
  for (const path of paths) {
    const found = ownersOfField(entries, path);
    if (found.length) (owners ??= {})[path] = found;
  }
  return owners;
}

/** The owners of a field, from full managedFields or the store's summary (an ancestor's summary covers the field). */
function ownersIn(m: ObjectMeta, path: string): FieldManagerEntry[] {
  if (m.managedFields) return ownersOfField(m.managedFields, path);
  const kept = Object.entries(m.fieldOwners ?? {}).find(([p]) => path === p || path.startsWith(`${p}.`));
  return kept?.[1] ?? [];
}

/** Every manager named on the object (full managedFields or the summary). */
function managersOf(m: Partial<ObjectMeta>): string[] {
  if (m.managedFields) return m.managedFields.map((e) => e.manager).filter((x): x is string => typeof x === 'string');
  return Object.values(m.fieldOwners ?? {}).flatMap((es) => es.map((e) => e.manager));
}

/** The Argo CD Application of a tracking id: `ns_app:group/kind:ns/name` or `app:…`. */
function argoApp(trackingId: string): GitOpsOwner | undefined {
  const app = trackingId.split(':')[0];
  if (!app) return undefined;
  const at = app.indexOf('_');
  return at > 0 ? { tool: 'argocd', namespace: app.slice(0, at), name: app.slice(at + 1) } : { tool: 'argocd', name: app };
}

/**
 * What manages the object, from its markers, most specific first. The instance label alone is Argo
 * CD's only when an Argo CD manager wrote the object: Helm charts and plain manifests set it too.
 */
export function gitOpsOwners(m: Partial<ObjectMeta>): GitOpsOwner[] {
  const labels = m.labels ?? {};
  const annotations = m.annotations ?? {};
  const owners: GitOpsOwner[] = [];
  if (labels[GitOpsMarks.FluxKustomizationName]) owners.push({ tool: 'flux-kustomization', name: labels[GitOpsMarks.FluxKustomizationName], namespace: labels[GitOpsMarks.FluxKustomizationNamespace] ?? m.namespace });
  if (labels[GitOpsMarks.FluxHelmReleaseName]) owners.push({ tool: 'flux-helmrelease', name: labels[GitOpsMarks.FluxHelmReleaseName], namespace: labels[GitOpsMarks.FluxHelmReleaseNamespace] ?? m.namespace });
  const tracked = annotations[GitOpsMarks.ArgoTrackingId] ? argoApp(annotations[GitOpsMarks.ArgoTrackingId]) : undefined;
  if (tracked) owners.push(tracked);
  else if (labels[GitOpsMarks.ArgoInstanceLabel]) owners.push({ tool: 'argocd', name: labels[GitOpsMarks.ArgoInstanceLabel] });
  else if (labels[GitOpsMarks.InstanceLabel] && managersOf(m).some((x) => (ToolManagers.argocd as readonly string[]).includes(x))) owners.push({ tool: 'argocd', name: labels[GitOpsMarks.InstanceLabel] });
  // A HelmRelease's objects carry Helm's marks too: helm-controller is the one that reverts.
  const release = annotations[GitOpsMarks.HelmReleaseName];
  if (release && !labels[GitOpsMarks.FluxHelmReleaseName]) owners.push({ tool: 'helm', name: release, namespace: annotations[GitOpsMarks.HelmReleaseNamespace] ?? m.namespace });
  else if (!release && !owners.length && labels[GitOpsMarks.ManagedByLabel] === 'Helm') owners.push({ tool: 'helm', name: labels[GitOpsMarks.InstanceLabel] ?? '(unnamed)', namespace: m.namespace });
  return owners;
}

/** "Flux Kustomization apps/prod". */
export function ownerLabel(o: GitOpsOwner): string {
  return `${TOOL_LABELS[o.tool]} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** What the tool's object says about reverting, when it could be read; `readable: false` for 404 / 403 / no CRD. */
export type ControllerState =
  | { readable: false }
  | {
      readable: true;
      /** Flux: spec.interval as written ("10m", "1h0m0s"). */
      interval?: string;
      /** Flux: spec.suspend. */
      suspended?: boolean;
      /** Argo CD: spec.syncPolicy.automated is set, and its selfHeal. */
      automated?: boolean;
      selfHeal?: boolean;
      /** Flux HelmRelease: spec.driftDetection.mode (disabled, warn, enabled). */
      driftDetection?: string;
    };

/** The revert-relevant fields of an Application, Kustomization or HelmRelease as the API serves it. */
export function controllerStateOf(tool: GitOpsTool, o: { spec?: Record<string, any> } | undefined): ControllerState {
  const spec = o?.spec;
  if (!spec || typeof spec !== 'object') return { readable: false };
  if (tool === 'argocd') {
    const automated = spec.syncPolicy?.automated;
    // Argo CD 3's automated.enabled: false turns automation off while keeping its settings.
    const on = !!automated && typeof automated === 'object' && automated.enabled !== false;
    return { readable: true, automated: on, selfHeal: on && automated.selfHeal === true };
  }
  return { readable: true, ...(typeof spec.interval === 'string' ? { interval: spec.interval } : {}), suspended: spec.suspend === true, ...(tool === 'flux-helmrelease' ? { driftDetection: String(spec.driftDetection?.mode ?? 'disabled') } : {}) };
}

/** A Go duration ("10m", "1h30m0s", "45s") in words ("10 min", "1 h 30 min", "45 s"); unset when it is not one. */
export function durationWords(d: string): string | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(d.trim());
  if (!m || !d.trim()) return undefined;
  const parts = [m[1] && m[1] !== '0' ? `${m[1]} h` : '', m[2] && m[2] !== '0' ? `${m[2]} min` : '', m[3] && Number(m[3]) ? `${Number(m[3])} s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}

/** When the tool puts its value back, in words, from what its object says (or that it could not be read). */
function revertWords(owner: GitOpsOwner, state: ControllerState | undefined): string {
  const readable = state?.readable ? state : undefined;
  switch (owner.tool) {
    case 'flux-kustomization': {
      if (readable?.suspended) return 'kept while the Kustomization is suspended, reverted when it resumes';
      // kustomize-controller requeues after spec.interval, jittered (internal/controller/kustomization_controller.go
      // Reconcile: jitter.JitteredIntervalDuration(obj.GetRequeueAfter()); ±5% by default), and sooner on a new source revision.
      const every = readable?.interval ? durationWords(readable.interval) : undefined;
      return every ? `reverted at its next reconcile, at most ${every}` : `reverted at its next reconcile (${readable ? 'its interval is not set' : 'the Kustomization is not readable here: its interval is unknown'})`;
    }
    case 'flux-helmrelease': {
      const every = readable?.interval ? durationWords(readable.interval) : undefined;
      if (readable?.suspended) return 'kept while the HelmRelease is suspended';
      if (readable?.driftDetection === 'enabled') return `reverted at its next reconcile (drift detection is on), at most ${every ?? 'its interval'}`;
      if (readable) return 'overwritten at the next upgrade of the release (its drift detection is off)';
      return 'overwritten at the next upgrade of the release, or at its next reconcile if drift detection is on (the HelmRelease is not readable here)';
    }
    case 'argocd':
      if (!readable) return 'reverted by self-heal if the Application has it on, else it turns OutOfSync until the next sync reverts it (the Application is not readable here)';
      if (readable.selfHeal) return 'reverted by self-heal within seconds';
      if (readable.automated) return 'the Application turns OutOfSync; its next automated sync (a new commit) reverts it';
      return 'the Application turns OutOfSync; the next sync reverts it';
    case 'helm':
      return `overwritten at the next helm upgrade of release "${owner.name}"`;
  }
}

export interface FieldOwnership {
  /** The object written, e.g. "services/storefront". */
  object: string;
  /** The field, dotted: "spec.selector". */
  field: string;
  /** Its managers now. */
  managers: FieldManagerEntry[];
  owner: GitOpsOwner;
  /** The tool's own manager owns the field (it will put its value back); otherwise it may, if its manifests set it. */
  certain: boolean;
  /** That manager, when certain. */
  manager?: string;
}

/**
 * For one object and the fields a write changes: the GitOps- or Helm-managed ones. A field the
 * tool's manager owns is certain to be reverted. A field it does not own is reverted only if its
 * manifests set it after all (someone else's write took the field from it meanwhile, or the tool
 * applies client-side and names no fields): said as "may".
 */
export function fieldOwnership(object: string, meta: ObjectMeta, fields: readonly string[]): FieldOwnership[] {
  const owners = gitOpsOwners(meta);
  if (!owners.length) return [];
  const out: FieldOwnership[] = [];
  for (const field of fields) {
    const managers = ownersIn(meta, field);
    const owner = owners.find((o) => managers.some((m) => (ToolManagers[o.tool] as readonly string[]).includes(m.manager))) ?? owners[0];
    const manager = managers.find((m) => (ToolManagers[owner.tool] as readonly string[]).includes(m.manager))?.manager;
    // A field nobody owns (an action adds it) is not the tool's unless it never names its fields.
    const toolNamesFields = managersOf(meta).some((x) => (ToolManagers[owner.tool] as readonly string[]).includes(x));
    if (!manager && toolNamesFields && !managers.length) continue;
    out.push({ object, field, managers, owner, certain: !!manager, ...(manager ? { manager } : {}) });
  }
  return out;
}

/** The preview's line for one managed field. */
export function ownershipNotice(f: FieldOwnership, state: ControllerState | undefined): string {
  const by = ownerLabel(f.owner);
  const field = RELEASE_FIELDS.find((p) => f.field === p || f.field.startsWith(`${p}.`)) ?? f.field;
  const revert = revertWords(f.owner, state);
  if (f.certain) return `${field} of ${f.object} is managed by ${f.manager} (${by}): this change will be ${revert.replace(/^the Application/, 'kept, but the Application')}.`;
  const now = f.managers.length ? ` (it is now owned by ${f.managers.map((m) => m.manager).join(', ')})` : '';
  return `${field} of ${f.object} belongs to ${by}${now}: if its manifests set it, this change will be ${revert.replace(/^the Application/, 'kept, but the Application')}.`;
}

/** Who manages a workload's objects, for the tree's tooltip and the panel: "kustomize-controller (Flux Kustomization apps/prod)". */
export interface ManagedBy {
  owner: GitOpsOwner;
  /** The tool's field manager when the object names it, else the tool. */
  manager?: string;
  /** The release fields it owns (of RELEASE_FIELDS), per object: "services/storefront (spec.selector)". */
  fields: string[];
  /** "Managed by kustomize-controller (Flux Kustomization apps/prod): services/storefront (spec.selector)". */
  text: string;
}

/** The owners of a workload's objects (by their store key, e.g. "services/storefront"), merged per tool object. */
export function managedByOf(objects: { key: string; meta: ObjectMeta }[]): ManagedBy[] {
  const found = new Map<string, { owner: GitOpsOwner; manager?: string; fields: string[] }>();
  for (const { key, meta } of objects) {
    for (const owner of gitOpsOwners(meta)) {
      const id = `${owner.tool}/${owner.namespace ?? ''}/${owner.name}`;
      const entry = found.get(id) ?? { owner, fields: [] };
      const tool = ToolManagers[owner.tool] as readonly string[];
      const owned: string[] = [];
      for (const field of RELEASE_FIELDS) {
        const m = ownersIn(meta, field).find((e) => tool.includes(e.manager));
        if (!m) continue;
        entry.manager ??= m.manager;
        owned.push(field);
      }
      if (owned.length) entry.fields.push(`${key} (${owned.join(', ')})`);
      entry.manager ??= managersOf(meta).find((x) => tool.includes(x));
      found.set(id, entry);
    }
  }
  return [...found.values()].map((e) => ({ ...e, text: `Managed by ${e.manager ? `${e.manager} (${ownerLabel(e.owner)})` : ownerLabel(e.owner)}${e.fields.length ? `: ${e.fields.join(', ')}` : ''}` }));
}

/** `{ managedBy }` for a view model (views keep no undefined keys). */
export function withManagedBy(objects: { key: string; meta: ObjectMeta }[]): { managedBy?: ManagedBy[] } {
  const managedBy = managedByOf(objects);
  return managedBy.length ? { managedBy } : {};
}

/** The dotted spec fields a JSON patch or merge patch writes (tests and preconditions aside). */
export function writtenFields(patch: unknown): string[] {
  const fields = new Set<string>();
  const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
  if (Array.isArray(patch)) {
    for (const op of patch as { op?: string; path?: string }[]) {
      if (op?.op === 'test' || typeof op?.path !== 'string') continue;
      const segments = op.path.split('/').slice(1).map(unescape);
      if (segments[0] === 'spec') fields.add(segments.join('.'));
    }
  } else if (patch && typeof patch === 'object') {
    const walk = (v: unknown, at: string[]) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
      else fields.add(at.join('.'));
    };
    const spec = (patch as { spec?: unknown }).spec;
    if (spec !== undefined) walk(spec, ['spec']);
  }
  return [...fields];
}
