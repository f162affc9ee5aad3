// Drift (issue 15, point 3): where the live object differs from its manifest in the workspace on the
// fields that matter for a release — a Service's selector, each Deployment's or Rollout's replicas,
// its containers' images, a canary Rollout's step weights. Only what the manifest sets counts (a file
// that leaves replicas to an autoscaler has no replica drift). Both ways to resolve it are pure here:
// the JSON patch that applies the file's values (an action with preview, plans.ts's preconditions)
// and the text edits that take the live values into the file. Pure.
import type { KubeObject } from '../model/objects';
import type { PathSegment } from '../yaml/documents';

/** The kinds whose release fields are compared, and their store lists. */
const RESOURCE_OF: Record<string, 'services' | 'deployments' | 'rollouts'> = { Service: 'services', Deployment: 'deployments', Rollout: 'rollouts' };

export interface DriftField {
  /** "deployments/web" */
  object: string;
  /** How it is shown: "spec.replicas", "image of container app", "spec.selector.version", "setWeight of step 2". */
  field: string;
  /** Where it is in the live object and in the file (container indexes may differ). */
  livePath: PathSegment[];
  filePath: PathSegment[];
  /** undefined: the live object lacks it. */
  live: unknown;
  file: unknown;
  /**
   * A value patch can give the live object the file's value. Not so for a container or step only one
   * side has (the pod template or the steps differ in shape): applying that is applying the file.
   */
  patchable: boolean;
}

interface Value {
  field: string;
  path: PathSegment[];
  value: unknown;
}

type Spec = { replicas?: unknown; selector?: unknown; template?: { spec?: { containers?: unknown } }; strategy?: { canary?: { steps?: unknown } } };

/** The release fields of an object (a manifest's or the live one's), keyed for comparison. */
function releaseValues(kind: string, o: { spec?: Spec } | undefined): Map<string, Value> {
  const out = new Map<string, Value>();
  const spec = o?.spec;
  if (!spec || typeof spec !== 'object') return out;
  if (kind === 'Service') {
    const selector = spec.selector;
    if (selector && typeof selector === 'object' && !Array.isArray(selector)) for (const [k, v] of Object.entries(selector)) out.set(`selector/${k}`, { field: `spec.selector.${k}`, path: ['spec', 'selector', k], value: v });
    return out;
  }
  if (spec.replicas !== undefined) out.set('replicas', { field: 'spec.replicas', path: ['spec', 'replicas'], value: spec.replicas });
  const containers = spec.template?.spec?.containers;
  if (Array.isArray(containers)) {
    containers.forEach((c: { name?: unknown; image?: unknown }, i) => {
      if (typeof c?.name === 'string' && c.image !== undefined) out.set(`image/${c.name}`, { field: `image of container ${c.name}`, path: ['spec', 'template', 'spec', 'containers', i, 'image'], value: c.image });
    });
  }
  const steps = kind === 'Rollout' ? spec.strategy?.canary?.steps : undefined;
  if (Array.isArray(steps)) {
    steps.forEach((s: { setWeight?: unknown }, i) => {
      if (s && typeof s === 'object' && 'setWeight' in s) out.set(`setWeight/${i}`, { field: `setWeight of step ${i}`, path: ['spec', 'strategy', 'canary', 'steps', i, 'setWeight'], value: s.setWeight });
    });
  }
  return out;
}

/** Whether a kind has release fields compared here. */
export function driftKind(kind: string | undefined): boolean {
  return !!kind && kind in RESOURCE_OF;
}

/**
 * The release fields where the live object differs from the manifest. A selector key the file has
 * and the cluster lacks (or the other way round) is drift too: the selector is one value.
 */
export function driftOf(live: KubeObject & { kind?: string; spec?: unknown }, kind: string, manifest: unknown): DriftField[] {
  const object = `${RESOURCE_OF[kind] ?? kind}/${live.metadata.name}`;
  const liveValues = releaseValues(kind, live as { spec?: Spec });
  const fileValues = releaseValues(kind, manifest as { spec?: Spec });
  const keys = new Set(fileValues.keys());
  if (kind === 'Service' && [...fileValues.keys()].some((k) => k.startsWith('selector/'))) for (const k of liveValues.keys()) keys.add(k);
  const out: DriftField[] = [];
  for (const key of keys) {
    const l = liveValues.get(key);
    const f = fileValues.get(key);
    if (l && f && JSON.stringify(l.value) === JSON.stringify(f.value)) continue;
    const at = (f ?? l)!;
    out.push({ object, field: at.field, livePath: l?.path ?? at.path, filePath: f?.path ?? at.path, live: l?.value, file: f?.value, patchable: (!!l && !!f) || key.startsWith('selector/') });
  }
  return out;
}

/** A short line for the tree and the panel: "drift from shop.yaml: spec.replicas 3 → 5 (file 3), image of container app". */
export function driftSummary(fields: readonly DriftField[], file: string): string {
  const shown = fields.slice(0, 3).map((f) => `${f.object} ${f.field}: live ${show(f.live)}, file ${show(f.file)}`);
  return `differs from ${file}: ${shown.join('; ')}${fields.length > 3 ? `; and ${fields.length - 3} more` : ''}`;
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** The fields as YAML-like lines, one document per side of the diff editor: the same order and shape both sides. */
export function driftSides(fields: readonly DriftField[]): { live: string; file: string } {
  const lines = (side: 'live' | 'file') => fields.map((f) => `${f.object}  ${f.field}: ${show(f[side])}`).join('\n') + '\n';
  return { live: lines('live'), file: lines('file') };
}

/** JSON pointer of a path. */
function pointer(path: readonly PathSegment[]): string {
  return '/' + path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * JSON patch ops that give the live object the file's values (a key the file lacks is removed),
 * per object. The plan wraps them with its precondition (plans.ts planManifestValues).
 */
export function fileValueOps(fields: readonly DriftField[]): { op: 'add' | 'remove'; path: string; value?: unknown }[] {
  return fields.filter((f) => f.patchable).map((f) => (f.file === undefined ? { op: 'remove' as const, path: pointer(f.livePath) } : { op: 'add' as const, path: pointer(f.livePath), value: f.file }));
}

/** A YAML scalar as it would be written in the file. */
function scalarText(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string' && /^[A-Za-z0-9._/:@-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[-+.\d][\d._eE+-]*)$/i.test(v)) return v;
  return JSON.stringify(v);
}

/**
 * The text edits that take the live values into the file: each field's value node replaced by the
 * live value. `rangeOf` gives a value's range in the file (documents.ts valueRangeForPath). Fields a
 * value edit cannot express (a key only one side has, a non-scalar value) are returned as `left`, to
 * be said, never guessed.
 */
export function liveValueEdits(fields: readonly DriftField[], rangeOf: (path: PathSegment[]) => { start: number; end: number } | undefined): { edits: { start: number; end: number; text: string }[]; left: DriftField[] } {
  const edits: { start: number; end: number; text: string }[] = [];
  const left: DriftField[] = [];
  for (const f of fields) {
    const range = f.live !== undefined && f.file !== undefined && (typeof f.live !== 'object' || f.live === null) ? rangeOf(f.filePath) : undefined;
    if (range) edits.push({ ...range, text: scalarText(f.live) });
    else left.push(f);
  }
  return { edits, left };
}

/** A workspace document that defines a live object (matched by kind, name and namespace). */
export interface ManifestRef {
  /** Workspace-relative path, as shown. */
  file: string;
  uri: string;
  kind: string;
  name: string;
  namespace?: string;
  value: unknown;
}

export interface ObjectDrift {
  resource: 'services' | 'deployments' | 'rollouts';
  kind: string;
  name: string;
  manifest: ManifestRef;
  fields: DriftField[];
}

export interface WorkloadDrift {
  objects: ObjectDrift[];
  /** One line per object, for the tree's tooltip and the panel. */
  lines: string[];
}

/** The live objects a workload is made of, by kind and name: a pair's Service and Deployments, a Rollout, … */
export function workloadObjects(w: { kind: string; name: string; members: string[]; blueGreen?: { service: string } }): { kind: string; name: string }[] {
  switch (w.kind) {
    case 'BlueGreen':
      return [...(w.blueGreen ? [{ kind: 'Service', name: w.blueGreen.service }] : []), ...w.members.map((name) => ({ kind: 'Deployment', name }))];
    case 'ReplicaCanary':
      return w.members.map((name) => ({ kind: 'Deployment', name }));
    case 'Rollout':
      return [{ kind: 'Rollout', name: w.name }];
    default:
      return [{ kind: 'Deployment', name: w.name }];
  }
}

/**
 * The drift of a workload's objects from their workspace manifests: `live` gives the store's object
 * (lean objects keep every release field), `manifestOf` the document that defines it. Undefined when
 * nothing drifted (or no manifest defines its objects).
 */
export function workloadDrift(w: Parameters<typeof workloadObjects>[0] & { namespace: string }, live: (kind: string, name: string) => (KubeObject & { spec?: unknown }) | undefined, manifestOf: (kind: string, name: string, namespace: string) => ManifestRef | undefined): WorkloadDrift | undefined {
  const objects: ObjectDrift[] = [];
  for (const { kind, name } of workloadObjects(w)) {
    const o = live(kind, name);
    const manifest = o && manifestOf(kind, name, w.namespace);
    if (!o || !manifest) continue;
    const fields = driftOf(o, kind, manifest.value);
    if (fields.length) objects.push({ resource: RESOURCE_OF[kind], kind, name, manifest, fields });
  }
  return objects.length ? { objects, lines: objects.map((d) => driftSummary(d.fields, d.manifest.file)) } : undefined;
}

/** An object a manifest defines, as far as drift matches it to live ones (no namespace: any). */
export type ManifestObject = Pick<ManifestRef, 'kind' | 'name' | 'namespace'>;

/**
 * The objects whose documents a file change added, removed or changed: only the drift of workloads
 * made of them can differ (by kind and name: a second file defining one makes its match ambiguous).
 */
export function changedObjects(before: readonly ManifestRef[], after: readonly ManifestRef[]): ManifestObject[] {
  const key = (r: ManifestObject) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  const values = (refs: readonly ManifestRef[]) => {
    const m = new Map<string, string[]>();
    for (const r of refs) m.set(key(r), [...(m.get(key(r)) ?? []), JSON.stringify(r.value)]);
    return m;
  };
  const [was, is] = [values(before), values(after)];
  const out = new Map<string, ManifestObject>();
  for (const r of [...before, ...after]) {
    const k = key(r);
    if (!out.has(k) && JSON.stringify(was.get(k)) !== JSON.stringify(is.get(k))) out.set(k, { kind: r.kind, name: r.name, ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) });
  }
  return [...out.values()];
}

/** The ids of the workloads made of one of `objects` (a manifest without a namespace matches every namespace). */
export function workloadsOfObjects(workloads: readonly (Parameters<typeof workloadObjects>[0] & { id: string; namespace: string })[], objects: readonly ManifestObject[]): string[] {
  if (!objects.length) return [];
  return workloads.filter((w) => workloadObjects(w).some((o) => objects.some((x) => x.kind === o.kind && x.name === o.name && (x.namespace === undefined || x.namespace === w.namespace)))).map((w) => w.id);
}
