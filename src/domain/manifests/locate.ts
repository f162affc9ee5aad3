// Where the workspace holds the manifest of a live object, and which file and node sets one of its
// fields: plain YAML files, and Kustomize layouts (a kustomization's `resources`/`bases`, nested
// kustomizations, `patches` / `patchesStrategicMerge` / `patchesJson6902` in files or inline,
// `namePrefix` / `nameSuffix`, `namespace`, the `images` and `replicas` transformers). Not all of
// Kustomize: the fields releases change (a Service's selector, a container's image, replicas, a
// Rollout's spec) through the structure above; generators, components, replacements, remote bases
// and Helm charts are left out (their objects are not found, which is said, not guessed).
//
// The one home for "which manifest is this live object": the CodeLenses use it to match manifests to
// the cluster, the Git path uses it to find what to edit. Pure: the editor side reads the files and
// hands their texts in.
import { posix } from 'node:path';
import { buildToolFile, stringRecord } from '../lint/context';
import { imageName, splitImage } from './options';
import { getIn, isRecord, parseYamlFile, type ParsedFile, type PathSegment } from '../yaml/documents';

/** A list item picked by its `name` (containers), as strategic merge patches match them. */
export interface NamedItem {
  name: string;
}
export type FieldSegment = string | number | NamedItem;
export type FieldPath = readonly FieldSegment[];

export interface ObjectRef {
  kind: string;
  name: string;
  /** Undefined: the manifest names none (it lands in the namespace it is applied to). */
  namespace?: string;
}

/** Where a manifest or patch is: a document of a file, or a block scalar inside a kustomization (`patch: |`). */
export interface TextSource {
  file: string;
  /** The document of the file (of the kustomization, for an inline patch, whose own text is one document). */
  document: number;
  /** The path of the scalar, within that document, whose text is the patch (inline patches). */
  inline?: PathSegment[];
}

/** One step kustomize takes on an object, in the order it takes them. */
export type Layer =
  | { type: 'resource'; source: TextSource }
  | { type: 'patch'; source: TextSource; kustomization: string }
  | { type: 'json6902'; source: TextSource; kustomization: string }
  | { type: 'images'; kustomization: string; index: number }
  | { type: 'replicas'; kustomization: string; index: number };

export interface LocatedObject {
  ref: ObjectRef;
  apiVersion?: string;
  /** The kustomization that renders it (the outermost one: what a GitOps controller builds); undefined for a plain file. */
  kustomization?: string;
  /** Names it had on the way, its own first (prefixes and suffixes added after). */
  names: string[];
  /** Its own manifest's value (before patches). */
  value: Record<string, unknown>;
  layers: Layer[];
}

export interface ManifestIndex {
  objects: LocatedObject[];
  /** Kustomizations another one includes (their objects are indexed too, after the outer ones'). */
  included: ReadonlySet<string>;
  /** Files the index read, parsed once (by path). */
  parsed: Map<string, ParsedFile>;
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const isRemote = (entry: string) => /^[a-z]+:\/\/|^github\.com\/|^git@|\?ref=/.test(entry);

/** The kustomization file of a folder among the known files. */
function kustomizationIn(folder: string, files: ReadonlyMap<string, string>): string | undefined {
  return KUSTOMIZATION_NAMES.map((n) => posix.join(folder, n)).find((p) => files.has(p));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function records(v: unknown): Record<string, any>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

/**
 * Every object the files define, plain and through Kustomize (`previous`: an index of the files
 * before some changed, whose parses of the unchanged ones are kept). A file that a kustomization renders
 * stands for the kustomization's objects only (its own names are the base's, not what runs); a
 * kustomization that another one includes is indexed as well, after the outer ones, so a Flux
 * Kustomization pointing at a base still finds it.
 */
export function indexManifests(files: ReadonlyMap<string, string>, previous?: ManifestIndex): ManifestIndex {
  const parsed = new Map<string, ParsedFile>();
  const parse = (path: string): ParsedFile | undefined => {
    if (!parsed.has(path)) {
      const text = files.get(path);
      if (text === undefined) return undefined;
      // After one file changed, the others' parses are the previous index's (parsing is the cost).
      const before = previous?.parsed.get(path);
      parsed.set(path, before?.text === text ? before : parseYamlFile(text));
    }
    return parsed.get(path);
  };
  const kustomizations = [...files.keys()].filter((p) => buildToolFile(p) === 'kustomization');
  const used = new Set<string>();
  const included = new Set<string>();
  const built = new Map<string, LocatedObject[]>();
  const build = (kPath: string, stack: string[]): LocatedObject[] => {
    if (built.has(kPath)) return built.get(kPath)!.map(cloneObject);
    if (stack.includes(kPath)) return []; // a cycle: kustomize refuses it too
    const objects = buildKustomization(kPath, { files, parse, used, included, build: (p) => build(p, [...stack, kPath]) });
    built.set(kPath, objects);
    return objects.map(cloneObject);
  };
  for (const k of kustomizations) build(k, []);
  const roots = kustomizations.filter((k) => !included.has(k));
  const nested = kustomizations.filter((k) => included.has(k));
  const objects: LocatedObject[] = [...roots, ...nested].flatMap((k) => built.get(k)!.map((o) => ({ ...o, kustomization: k })));
  for (const path of files.keys()) {
    if (used.has(path) || buildToolFile(path)) continue;
    const file = parse(path);
    file?.documents.forEach((d, document) => {
      const o = resourceObject(d.value, { file: path, document });
      if (o && !d.templated) objects.push(o);
    });
  }
  return { objects, included, parsed };
}

function cloneObject(o: LocatedObject): LocatedObject {
  return { ...o, ref: { ...o.ref }, names: [...o.names], layers: [...o.layers] };
}

function resourceObject(value: unknown, source: TextSource): LocatedObject | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
  const name = getIn(value, ['metadata', 'name']);
  if (typeof name !== 'string' || !name) return undefined;
  const namespace = getIn(value, ['metadata', 'namespace']);
  return {
    ref: { kind: value.kind, name, ...(typeof namespace === 'string' ? { namespace } : {}) },
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : undefined,
    names: [name],
    value,
    layers: [{ type: 'resource', source }],
  };
}

interface BuildContext {
  files: ReadonlyMap<string, string>;
  parse(path: string): ParsedFile | undefined;
  /** Files some kustomization reads (their documents are not plain objects). */
  used: Set<string>;
  /** Kustomizations another one includes. */
  included: Set<string>;
  build(kustomizationPath: string): LocatedObject[];
}

/**
 * One kustomization's objects: its resources (nested kustomizations built first), then its own
 * transformers in kustomize's order — strategic merge patches, `patches`, namespace, prefix and
 * suffix, JSON 6902 patches, replicas, images (kustomize api v0.21.1,
 * internal/target/kusttarget_configplugin.go, configureBuiltinTransformers' list).
 */
function buildKustomization(kPath: string, ctx: BuildContext): LocatedObject[] {
  const k = ctx.parse(kPath)?.documents[0]?.value;
  ctx.used.add(kPath);
  if (!isRecord(k)) return [];
  const folder = posix.dirname(kPath);
  const objects: LocatedObject[] = [];
  for (const entry of [...strings(k.resources), ...strings(k.bases)]) {
    if (isRemote(entry)) continue;
    const path = posix.join(folder, entry);
    const nested = ctx.files.has(path) ? undefined : kustomizationIn(path, ctx.files);
    if (nested) {
      ctx.included.add(nested);
      objects.push(...ctx.build(nested));
      continue;
    }
    const file = ctx.parse(path);
    if (!file) continue;
    ctx.used.add(path);
    file.documents.forEach((d, document) => {
      const o = resourceObject(d.value, { file: path, document });
      if (o) objects.push(o);
    });
  }
  const patchSource = (p: Record<string, any>, index: number, field: string): TextSource | undefined => {
    if (typeof p.path === 'string') {
      const path = posix.join(folder, p.path);
      if (!ctx.parse(path)) return undefined;
      ctx.used.add(path);
      return { file: path, document: 0 };
    }
    return typeof p.patch === 'string' ? { file: kPath, document: 0, inline: [field, index, 'patch'] } : undefined;
  };
  // patchesStrategicMerge, then `patches` (a strategic merge patch, or a JSON 6902 one when its text is a list)
  const smp: { source: TextSource; target?: Record<string, any> }[] = [];
  const json: { source: TextSource; target?: Record<string, any> }[] = [];
  strings(k.patchesStrategicMerge).forEach((entry, i) => {
    const source: TextSource | undefined = entry.includes('\n') ? { file: kPath, document: 0, inline: ['patchesStrategicMerge', i] } : patchSource({ path: entry }, i, 'patchesStrategicMerge');
    if (source) smp.push({ source });
  });
  const patchesJson: typeof json = [];
  (Array.isArray(k.patches) ? k.patches : []).forEach((p: unknown, i: number) => {
    if (!isRecord(p)) return;
    const source = patchSource(p, i, 'patches');
    if (!source) return;
    const target = isRecord(p.target) ? p.target : undefined;
    if (Array.isArray(patchValue(ctx, source)?.[0])) patchesJson.push({ source, target });
    else smp.push({ source, target });
  });
  for (const { source, target } of smp) {
    // a patch file may hold several patches, one per document
    (patchValue(ctx, source) ?? []).forEach((patch, document) => {
      const at = source.inline ? source : { ...source, document };
      for (const o of objects) if (target ? targets(target, o) : patchNames(patch, o)) o.layers.push({ type: 'patch', source: at, kustomization: kPath });
    });
  }
  // `patches` with JSON 6902 content run with the PatchTransformer, before the namespace and prefix.
  for (const { source, target } of patchesJson) for (const o of objects) if (target && targets(target, o)) o.layers.push({ type: 'json6902', source, kustomization: kPath });
  if (typeof k.namespace === 'string' && k.namespace) for (const o of objects) o.ref.namespace = k.namespace;
  const prefix = typeof k.namePrefix === 'string' ? k.namePrefix : '';
  const suffix = typeof k.nameSuffix === 'string' ? k.nameSuffix : '';
  if (prefix || suffix) {
    for (const o of objects) {
      if (o.ref.kind === 'Namespace' || o.ref.kind === 'CustomResourceDefinition') continue;
      o.ref.name = prefix + o.ref.name + suffix;
      o.names.push(o.ref.name);
    }
  }
  (Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []).forEach((p: unknown, i: number) => {
    if (!isRecord(p) || !isRecord(p.target)) return;
    const source = patchSource(p, i, 'patchesJson6902');
    if (source) for (const o of objects) if (targets(p.target as Record<string, any>, o)) o.layers.push({ type: 'json6902', source, kustomization: kPath });
  });
  records(k.replicas).forEach((r, index) => {
    for (const o of objects) if (typeof r.name === 'string' && o.names.includes(r.name)) o.layers.push({ type: 'replicas', kustomization: kPath, index });
  });
  records(k.images).forEach((image, index) => {
    if (typeof image.name === 'string') for (const o of objects) o.layers.push({ type: 'images', kustomization: kPath, index });
  });
  return objects;
}

/** The documents of a patch (an inline patch's text parsed). */
function patchValue(ctx: Pick<BuildContext, 'parse'>, source: TextSource): unknown[] | undefined {
  const file = sourceFile(ctx.parse, source);
  return file?.documents.map((d) => d.value);
}

/** The parse of a source's text: the file's, or the inline patch's. */
export function sourceFile(parse: (path: string) => ParsedFile | undefined, source: TextSource): ParsedFile | undefined {
  const file = parse(source.file);
  if (!source.inline) return file;
  const text = getIn(file?.documents[source.document]?.value, source.inline);
  return typeof text === 'string' ? parseYamlFile(text) : undefined;
}

/** A strategic merge patch without a target applies to the object of its own kind and name. */
function patchNames(patch: unknown, o: LocatedObject): boolean {
  if (!isRecord(patch) || patch.kind !== o.ref.kind) return false;
  const name = getIn(patch, ['metadata', 'name']);
  return typeof name === 'string' && o.names.includes(name);
}

/** A patch target (kind, name as a regular expression, namespace, labelSelector `k=v,…`) against an object. */
function targets(t: Record<string, any>, o: LocatedObject): boolean {
  if (typeof t.kind === 'string' && t.kind !== o.ref.kind) return false;
  if (typeof t.name === 'string' && !o.names.some((n) => anchored(t.name).test(n))) return false;
  if (typeof t.namespace === 'string' && o.ref.namespace !== undefined && t.namespace !== o.ref.namespace) return false;
  if (typeof t.labelSelector === 'string') {
    const labels = stringRecord(getIn(o.value, ['metadata', 'labels']));
    for (const term of t.labelSelector.split(',')) {
      const [key, value] = term.split('=').map((s) => s.trim());
      if (value === undefined ? !(key in labels) : labels[key] !== value) return false;
    }
  }
  return true;
}

function anchored(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return { test: (s: string) => s === pattern } as RegExp;
  }
}

// ---- finding an object and who sets a field ----------------------------------------------------

/**
 * The manifests of a live object: by kind and name, in its namespace (a manifest that names none
 * matches any). When several kustomizations render it, the one the GitOps controller builds
 * (`kustomizationFolder`, a Flux Kustomization's `spec.path`) first, then outer kustomizations first.
 */
export function findObjects(index: ManifestIndex, ref: ObjectRef, kustomizationFolder?: string): LocatedObject[] {
  const found = index.objects.filter((o) => o.ref.kind === ref.kind && o.ref.name === ref.name && (o.ref.namespace === undefined || ref.namespace === undefined || o.ref.namespace === ref.namespace));
  if (!kustomizationFolder) return found;
  const folder = posix.normalize(kustomizationFolder).replace(/\/$/, '');
  const atFolder = (o: LocatedObject) => !!o.kustomization && posix.dirname(o.kustomization).endsWith(folder === '.' ? '' : folder);
  return [...found.filter(atFolder), ...found.filter((o) => !atFolder(o))];
}

/** Which document of which file defines (or patches) each object, for the lenses on a file. */
export function objectsIn(index: ManifestIndex, file: string): { document: number; object: LocatedObject; layer: 'resource' | 'patch' }[] {
  const out: { document: number; object: LocatedObject; layer: 'resource' | 'patch' }[] = [];
  const seen = new Set<string>();
  for (const o of index.objects) {
    for (const l of o.layers) {
      if ((l.type !== 'resource' && l.type !== 'patch' && l.type !== 'json6902') || l.source.file !== file || l.source.inline) continue;
      const key = `${l.source.document}/${o.ref.kind}/${o.ref.namespace}/${o.ref.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ document: l.source.document, object: o, layer: l.type === 'resource' ? 'resource' : 'patch' });
    }
  }
  return out;
}

/** Who sets a field: the file and the path of the node to edit there. */
export interface FieldSetter {
  by: 'resource' | 'patch' | 'json6902' | 'images' | 'replicas';
  source: TextSource;
  /** The node's path in the source's document (for `images`, the transformer's entry). */
  path: PathSegment[];
  /** The kustomization whose patch or transformer it is. */
  kustomization?: string;
}

export interface FieldValue {
  /** The value the files give the field (what the cluster should have once they are applied); undefined: not set. */
  value: unknown;
  /** The last step that set it; undefined when nothing sets it (the edit adds it to the object's own manifest). */
  setter?: FieldSetter;
}

/**
 * The field's value as the object's layers leave it, and the layer that set it last: "the overlay's
 * patch sets the selector" or "the base does". Images transformers apply to container images.
 */
export function fieldValue(index: ManifestIndex, o: LocatedObject, field: FieldPath): FieldValue {
  const concrete = concretePath(o.value, field);
  let result: FieldValue = { value: undefined };
  const parse = (p: string) => index.parsed.get(p);
  for (const layer of o.layers) {
    if (layer.type === 'resource' || layer.type === 'patch') {
      const doc = sourceFile(parse, layer.source)?.documents[layer.source.inline ? 0 : layer.source.document];
      const value = doc?.value;
      const path = concretePath(value, field);
      const v = path && getIn(value, path);
      if (path && v !== undefined) result = { value: v, setter: { by: layer.type, source: layer.source, path } };
    } else if (layer.type === 'json6902') {
      const ops = sourceFile(parse, layer.source)?.documents[0]?.value;
      if (!Array.isArray(ops) || !concrete) continue;
      ops.forEach((op, i) => {
        if (!isRecord(op) || (op.op !== 'replace' && op.op !== 'add') || typeof op.path !== 'string') return;
        const opPath = pointerSegments(op.path);
        if (opPath.length > concrete.length || !opPath.every((s, j) => String(s) === String(concrete[j]))) return;
        const rest = concrete.slice(opPath.length);
        const v = getIn(op.value, rest);
        if (v !== undefined) result = { value: v, setter: { by: 'json6902', source: layer.source, path: [i, 'value', ...rest] } };
      });
    } else if (layer.type === 'replicas') {
      if (concrete?.join('/') !== 'spec/replicas') continue;
      const entry = kustomizationEntry(index, layer.kustomization, 'replicas', layer.index);
      if (typeof entry?.count === 'number') result = { value: entry.count, setter: { by: 'replicas', source: { file: layer.kustomization, document: 0 }, path: ['replicas', layer.index, 'count'] } };
    } else if (layer.type === 'images') {
      if (!isImageField(field) || typeof result.value !== 'string') continue;
      const entry = kustomizationEntry(index, layer.kustomization, 'images', layer.index);
      if (!entry || imageName(result.value) !== entry.name) continue;
      result = { value: transformImage(result.value, entry), setter: { by: 'images', source: { file: layer.kustomization, document: 0 }, path: ['images', layer.index] } };
    }
  }
  return result;
}

function kustomizationEntry(index: ManifestIndex, kustomization: string, field: 'images' | 'replicas', i: number): Record<string, any> | undefined {
  const v = getIn(index.parsed.get(kustomization)?.documents[0]?.value, [field, i]);
  return isRecord(v) ? v : undefined;
}

/** A container's image field (`…containers/{name}/image`, init containers too). */
export function isImageField(field: FieldPath): boolean {
  const container = field[field.length - 2];
  const list = field[field.length - 3];
  return field[field.length - 1] === 'image' && (list === 'containers' || list === 'initContainers') && container !== undefined;
}

/** The path with each `{ name }` replaced by the index of that item in `value` (undefined: no such item). */
export function concretePath(value: unknown, field: FieldPath): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let v: unknown = value;
  for (const s of field) {
    if (typeof s === 'object') {
      if (!Array.isArray(v)) return undefined;
      const i = v.findIndex((item) => isRecord(item) && item.name === s.name);
      if (i < 0) return undefined;
      out.push(i);
      v = v[i];
    } else {
      out.push(s);
      v = getIn(v, [s]);
    }
  }
  return out;
}

/** A JSON pointer's segments (RFC 6901 escapes), numbers for list indices. */
function pointerSegments(pointer: string): PathSegment[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

// ---- images, as kustomize's image tag transformer reads and writes them -------------------------

/** What an `images:` entry makes of an image: a new name, tag or digest (a digest wins over a tag). */
export function transformImage(image: string, entry: Record<string, any>): string {
  const { name, tag, digest } = splitImage(image);
  const newName = typeof entry.newName === 'string' ? entry.newName : name;
  if (typeof entry.digest === 'string') return `${newName}@${entry.digest}`;
  if (entry.newTag !== undefined && entry.newTag !== null) return `${newName}:${entry.newTag}`;
  return `${newName}${tag !== undefined ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/**
 * The objects a file's documents stand for, for lenses and matching: what the index renders from it
 * (through Kustomize: prefixed names, the overlay's namespace; an overlay's patch too), else each of
 * its documents as written (a file outside the index: new, unsaved, or past its bounds).
 */
export function manifestObjects(index: ManifestIndex | undefined, path: string, file: ParsedFile): { document: number; object: LocatedObject; layer: 'resource' | 'patch' }[] {
  const found = index ? objectsIn(index, path) : [];
  if (found.length) return found;
  return file.documents.flatMap((d, document) => {
    const object = d.templated ? undefined : resourceObject(d.value, { file: path, document });
    return object ? [{ document, object, layer: 'resource' as const }] : [];
  });
}
