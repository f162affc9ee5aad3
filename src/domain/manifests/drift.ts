// Drift (issue 15, point 3): where the live object differs from its manifest in the workspace on the
// fields that matter for a release — a Service's selector, each Deployment's or Rollout's replicas,
// its containers' images, a canary Rollout's step weights. Only what the manifest sets counts (a file
// that leaves replicas to an autoscaler has no replica drift). Both ways to resolve it are pure here:
// the JSON patch that applies the file's values (an action with preview, plans.ts's preconditions)
// and the text edits that take the live values into the file. The manifest a live object is
// compared with is the one the workspace index locates (locate.ts: plain files and Kustomize
// layouts), with the values its overlays give it; the edits go where locate.ts says the value is
// set (an overlay's patch, the images or replicas transformer), as the Git path's do. Pure.
import type { KubeObject } from '../model/objects';
import { getIn, isRecord, type PathSegment } from '../yaml/documents';
import { fieldValue, findObjects, sourceFile, type FieldPath, type Layer, type LocatedObject, type ManifestIndex, type ObjectRef } from './locate';
import { planFieldEdit, podSpecPath, type GitPathEdit } from '../gitops/gitpath';
import { EditError } from './edit';

/** The kinds whose release fields are compared, and their store lists. */
const RESOURCE_OF: Record<string, 'services' | 'deployments' | 'rollouts'> = { Service: 'services', Deployment: 'deployments', Rollout: 'rollouts' };

export interface DriftField {
  /** "deployments/web" */
  object: string;
  /** How it is shown: "spec.replicas", "image of container app", "spec.selector.version", "setWeight of step 2". */
  field: string;
  /** Where it is in the live object (a container by its index there). */
  livePath: PathSegment[];
  /** The field as locate.ts reads the manifests (a container by its name): who sets it, where its edit goes. */
  fieldPath: FieldPath;
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
  named: FieldPath;
  value: unknown;
}

const SELECTOR = ['spec', 'selector'];
const REPLICAS = ['spec', 'replicas'];
const CONTAINERS = [...podSpecPath('Deployment'), 'containers'];
const STEPS = ['spec', 'strategy', 'canary', 'steps'];

type Spec = { replicas?: unknown; selector?: unknown; template?: { spec?: { containers?: unknown } }; strategy?: { canary?: { steps?: unknown } } };

/** The release fields of an object (a manifest's or the live one's), keyed for comparison. */
function releaseValues(kind: string, o: { spec?: Spec } | undefined): Map<string, Value> {
  const out = new Map<string, Value>();
  const spec = o?.spec;
  if (!spec || typeof spec !== 'object') return out;
  if (kind === 'Service') {
    const selector = spec.selector;
    if (isRecord(selector)) for (const [k, v] of Object.entries(selector)) out.set(`selector/${k}`, { field: `spec.selector.${k}`, path: [...SELECTOR, k], named: [...SELECTOR, k], value: v });
    return out;
  }
  if (spec.replicas !== undefined) out.set('replicas', { field: 'spec.replicas', path: REPLICAS, named: REPLICAS, value: spec.replicas });
  const containers = spec.template?.spec?.containers;
  if (Array.isArray(containers)) {
    containers.forEach((c: { name?: unknown; image?: unknown }, i) => {
      if (typeof c?.name === 'string' && c.image !== undefined) out.set(`image/${c.name}`, { field: `image of container ${c.name}`, path: [...CONTAINERS, i, 'image'], named: [...CONTAINERS, { name: c.name }, 'image'], value: c.image });
    });
  }
  const steps = kind === 'Rollout' ? spec.strategy?.canary?.steps : undefined;
  if (Array.isArray(steps)) {
    steps.forEach((s: { setWeight?: unknown }, i) => {
      if (s && typeof s === 'object' && 'setWeight' in s) out.set(`setWeight/${i}`, { field: `setWeight of step ${i}`, path: [...STEPS, i, 'setWeight'], named: [...STEPS, i, 'setWeight'], value: s.setWeight });
    });
  }
  return out;
}

/**
 * An object's release fields as the files leave them once applied (locate.ts fieldValue over its
 * layers: the base, an overlay's patches, the images and replicas transformers), shaped as a
 * manifest for driftOf. Selector keys and containers are merged by key and name, as a strategic
 * merge patch does; a canary's steps are the list of the last layer that sets it (a list without a
 * merge key is replaced whole).
 */
export function effectiveManifest(index: ManifestIndex, o: LocatedObject): { spec: Record<string, unknown> } {
  const value = (field: FieldPath) => fieldValue(index, o, field).value;
  const documents = o.layers.flatMap((l) => (l.type === 'resource' || l.type === 'patch' ? [sourceFile((p) => index.parsed.get(p), l.source)?.documents[l.source.inline ? 0 : l.source.document]?.value] : []));
  const spec: Record<string, unknown> = {};
  if (o.ref.kind === 'Service') {
    const keys = new Set(documents.flatMap((d) => { const s = getIn(d, SELECTOR); return isRecord(s) ? Object.keys(s) : []; }));
    if (keys.size) spec.selector = Object.fromEntries([...keys].map((k) => [k, value([...SELECTOR, k])]).filter(([, v]) => v !== undefined));
    return { spec };
  }
  const replicas = value(REPLICAS);
  if (replicas !== undefined) spec.replicas = replicas;
  const names = new Set(documents.flatMap((d) => { const c = getIn(d, CONTAINERS); return Array.isArray(c) ? c.map((x) => x?.name).filter((n): n is string => typeof n === 'string') : []; }));
  if (names.size) spec.template = { spec: { containers: [...names].map((name) => ({ name, image: value([...CONTAINERS, { name }, 'image']) })) } };
  const steps = o.ref.kind === 'Rollout' ? value(STEPS) : undefined;
  // A step's weight may come from a JSON patch of that step alone.
  if (Array.isArray(steps)) spec.strategy = { canary: { steps: steps.map((s, i) => (isRecord(s) && 'setWeight' in s ? { ...s, setWeight: value([...STEPS, i, 'setWeight']) } : s)) } };
  return { spec };
}

/**
 * The one located object (locate.ts findObjects) a live object is compared with: in its namespace
 * first (a manifest that names none matches any). A document that a kustomization renders and an
 * outer one renders again (its overlay) is one definition, the outer's: what a GitOps controller
 * builds. Several others (two overlays of one base, two files): which one is meant is not guessed.
 */
export function definingObject(index: ManifestIndex, ref: Required<ObjectRef>): LocatedObject | undefined {
  const found = findObjects(index, ref);
  const exact = found.filter((o) => o.ref.namespace === ref.namespace);
  const candidates = exact.length ? exact : found;
  const resource = (o: LocatedObject) => JSON.stringify(o.layers[0]);
  const outer = new Set(candidates.filter((o) => !o.kustomization || !index.included.has(o.kustomization)).map(resource));
  const defining = candidates.filter((o) => !(o.kustomization && index.included.has(o.kustomization) && outer.has(resource(o))));
  return defining.length === 1 ? defining[0] : undefined;
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
    out.push({ object, field: at.field, livePath: l?.path ?? at.path, fieldPath: at.named, live: l?.value, file: f?.value, patchable: (!!l && !!f) || key.startsWith('selector/') });
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

/**
 * The edits that take the live values into the files: each value set where locate.ts says the files
 * set it (planFieldEdit, the Git path's one edit: the base, an overlay's patch, the images or replicas
 * transformer), comments and layout kept. Fields a value edit cannot express (a key only one side
 * has, a non-scalar value) are returned as `left`, to be said, never guessed.
 */
export function liveValueEdits(index: ManifestIndex, object: LocatedObject, fields: readonly DriftField[]): { edits: GitPathEdit[]; left: DriftField[] } {
  const edits: GitPathEdit[] = [];
  const left: DriftField[] = [];
  for (const f of fields) {
    const edit = f.live !== undefined && f.file !== undefined && (typeof f.live !== 'object' || f.live === null) ? planned(() => planFieldEdit(index, object, f.fieldPath, f.live, `Take the live ${f.field} of ${f.object}`)) : undefined;
    // One node setting two fields (one images entry for two containers): the first edit stands.
    if (edit && !edits.some((e) => e.file === edit.file && e.edits.some((a) => edit.edits.some((b) => a.start < b.end && b.start < a.end)))) edits.push(edit);
    else left.push(f);
  }
  return { edits, left };
}

function planned(plan: () => GitPathEdit): GitPathEdit | undefined {
  try {
    return plan();
  } catch (e) {
    if (e instanceof EditError) return undefined;
    throw e;
  }
}

/** The manifest a live object is compared with. */
export interface ManifestRef {
  /** The files that set the drifted fields (as shown: workspace-relative), else the object's own. */
  file: string;
  /** The object as the workspace index locates it (its layers say which file sets a field). */
  object: LocatedObject;
  /** Its release fields as the files leave them (effectiveManifest). */
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

/** Per index, the manifest of each live object asked for: the tree asks per row, on each redraw, and the index changes only with a file. */
const manifests = new WeakMap<ManifestIndex, Map<string, { located: LocatedObject; value: unknown } | undefined>>();

function manifestOfLive(index: ManifestIndex, ref: Required<ObjectRef>): { located: LocatedObject; value: unknown } | undefined {
  let known = manifests.get(index);
  if (!known) manifests.set(index, (known = new Map()));
  const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
  if (!known.has(key)) {
    const located = definingObject(index, ref);
    known.set(key, located && { located, value: effectiveManifest(index, located) });
  }
  return known.get(key);
}

/**
 * The drift of a workload's objects from their workspace manifests: `live` gives the store's object
 * (lean objects keep every release field), the index the manifest that defines it (definingObject)
 * and the values its layers give it; `relative` how a file's path is shown. Undefined when nothing
 * drifted (or no one manifest defines its objects).
 */
export function workloadDrift(w: Parameters<typeof workloadObjects>[0] & { namespace: string }, live: (kind: string, name: string) => (KubeObject & { spec?: unknown }) | undefined, index: ManifestIndex, relative: (path: string) => string = (p) => p): WorkloadDrift | undefined {
  const objects: ObjectDrift[] = [];
  for (const { kind, name } of workloadObjects(w)) {
    const o = live(kind, name);
    const manifest = o && manifestOfLive(index, { kind, name, namespace: w.namespace });
    if (!o || !manifest) continue;
    const { located, value } = manifest;
    const fields = driftOf(o, kind, value);
    if (!fields.length) continue;
    const own = located.layers[0]?.type === 'resource' ? located.layers[0].source.file : located.kustomization ?? '';
    const files = new Set(fields.map((f) => fieldValue(index, located, f.fieldPath).setter?.source.file ?? own));
    objects.push({ resource: RESOURCE_OF[kind], kind, name, manifest: { file: [...files].map(relative).join(', '), object: located, value }, fields });
  }
  return objects.length ? { objects, lines: objects.map((d) => driftSummary(d.fields, d.manifest.file)) } : undefined;
}

/** An object a manifest defines, as far as drift matches it to live ones (no namespace: any). */
export type ManifestObject = ObjectRef;

/**
 * The objects whose manifests changed from one index of the workspace to the next (a file edited,
 * added or removed): only the drift of workloads made of them can differ. By kind and name: a second
 * definition makes a match ambiguous. Undefined when there was no index before (all is new).
 */
export function changedManifestObjects(before: ManifestIndex | undefined, after: ManifestIndex): ManifestObject[] | undefined {
  if (!before) return undefined;
  // The index keeps the parse of a file whose text stayed: another parse is another text.
  const changed = new Set([...after.parsed].filter(([path, file]) => before.parsed.get(path) !== file).map(([path]) => path));
  for (const path of before.parsed.keys()) if (!after.parsed.has(path)) changed.add(path);
  const key = (r: ObjectRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  // How each object is made (which kustomization, which layers): one more, one fewer or another is a change.
  const shapes = (index: ManifestIndex) => {
    const m = new Map<string, string[]>();
    for (const o of index.objects) if (driftKind(o.ref.kind)) m.set(key(o.ref), [...(m.get(key(o.ref)) ?? []), JSON.stringify([o.kustomization, o.layers])]);
    return new Map([...m].map(([k, v]) => [k, JSON.stringify(v.sort())]));
  };
  const [was, is] = [shapes(before), shapes(after)];
  // A layer in a changed file whose own text (its document, its transformer's entry) changed.
  const layerValue = (index: ManifestIndex, l: Layer) => JSON.stringify('source' in l ? sourceFile((path) => index.parsed.get(path), l.source)?.documents[l.source.inline ? 0 : l.source.document]?.value : getIn(index.parsed.get(l.kustomization)?.documents[0]?.value, [l.type, l.index]));
  const touched = (o: LocatedObject) => o.layers.some((l) => changed.has('source' in l ? l.source.file : l.kustomization) && layerValue(before, l) !== layerValue(after, l));
  const out = new Map<string, ManifestObject>();
  for (const o of [...before.objects, ...after.objects]) {
    const k = key(o.ref);
    if (driftKind(o.ref.kind) && !out.has(k) && (touched(o) || was.get(k) !== is.get(k))) out.set(k, { ...o.ref });
  }
  return [...out.values()];
}

/** The ids of the workloads made of one of `objects` (a manifest without a namespace matches every namespace). */
export function workloadsOfObjects(workloads: readonly (Parameters<typeof workloadObjects>[0] & { id: string; namespace: string })[], objects: readonly ManifestObject[]): string[] {
  if (!objects.length) return [];
  return workloads.filter((w) => workloadObjects(w).some((o) => objects.some((x) => x.kind === o.kind && x.name === o.name && (x.namespace === undefined || x.namespace === w.namespace)))).map((w) => w.id);
}
