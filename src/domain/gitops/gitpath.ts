// The Git path of a release action (issue 15): on a cluster a GitOps controller reconciles from Git,
// the switch, the rollback, the canary share or a Rollout's field is made as an edit of the file that
// sets the field (the overlay's patch, the base, the images transformer), for the user to commit and
// push; then what the controller applied is compared with the file. Pure: the files come from the
// workspace index (manifests/locate.ts), the live object and the Flux Kustomization from the caller.
import type { TextEdit } from '../lint/rules';
import type { ObjectMeta } from '../model/objects';
import { editYaml, EditError, type ValueChange } from '../manifests/edit';
import { concretePath, fieldValue, findObjects, isImageField, type FieldPath, type FieldSetter, type LocatedObject, type ManifestIndex, type ObjectRef } from '../manifests/locate';
import { getIn, isRecord, type PathSegment } from '../yaml/documents';
import { splitImage } from '../manifests/options';
import { lastWriterOfField } from '../model/ownership';

export interface GitPathEdit {
  object: LocatedObject;
  /** The file to edit, and its edits. */
  file: string;
  edits: TextEdit[];
  field: FieldPath;
  /** What the field will be once the files are applied. */
  expected: unknown;
  /** Who sets the field (undefined: nothing yet; the object's own manifest gets it). */
  setter?: FieldSetter;
  title: string;
}

export { EditError };

/** The object's manifests, or a message saying why the workspace has none to edit. */
export function locateForEdit(index: ManifestIndex, ref: ObjectRef, kustomizationFolder?: string): LocatedObject {
  const [found] = findObjects(index, ref, kustomizationFolder);
  if (!found) throw new EditError(`No manifest of ${ref.kind} "${ref.name}"${ref.namespace ? ` (namespace ${ref.namespace})` : ''} in this workspace: open the repository the GitOps controller syncs from.`);
  return found;
}

/** The edit that gives `field` of the object `value`, in the file whose layer sets it last. */
export function planFieldEdit(index: ManifestIndex, object: LocatedObject, field: FieldPath, value: unknown, title: string): GitPathEdit {
  const current = fieldValue(index, object, field);
  const base = object.layers[0];
  if (current.setter?.by === 'images') return imagesEdit(index, object, field, current.setter, String(value), title);
  const setter = current.setter;
  const source = setter?.source ?? (base.type === 'resource' ? base.source : undefined);
  const path = setter?.path ?? concretePath(object.value, field);
  if (!source || !path) throw new EditError(`The manifest of ${object.ref.kind} "${object.ref.name}" has no ${describeField(field)} to change.`);
  return { object, file: source.file, edits: editYaml(textOf(index, source.file), source, [{ path, value }]), field, expected: value, setter, title };
}

/** An image set by the images transformer: its entry gets the new tag or digest (and name, when it changes). */
function imagesEdit(index: ManifestIndex, object: LocatedObject, field: FieldPath, setter: FieldSetter, image: string, title: string): GitPathEdit {
  const entry = getIn(index.parsed.get(setter.source.file)?.documents[0]?.value, setter.path);
  if (!isRecord(entry)) throw new EditError('The images entry changed meanwhile; try again.');
  const { name, tag, digest } = splitImage(image);
  const at = (key: string): PathSegment[] => [...setter.path, key];
  const changes: ValueChange[] = [];
  if (name !== (entry.newName ?? entry.name)) changes.push({ path: at('newName'), value: name });
  if (digest) {
    changes.push({ path: at('digest'), value: digest });
    if (entry.newTag !== undefined) changes.push({ path: at('newTag') });
  } else {
    changes.push({ path: at('newTag'), value: tag ?? 'latest' });
    if (entry.digest !== undefined) changes.push({ path: at('digest') });
  }
  return { object, file: setter.source.file, edits: editYaml(textOf(index, setter.source.file), setter.source, changes), field, expected: image, setter, title };
}

function textOf(index: ManifestIndex, file: string): string {
  const parsed = index.parsed.get(file);
  if (!parsed) throw new EditError(`${file} is no longer readable.`);
  return parsed.text;
}

/** Where a kind keeps its pod spec. */
export function podSpecPath(kind: string): string[] {
  return kind === 'Pod' ? ['spec'] : ['spec', 'template', 'spec'];
}

/** The field path of a container's image. */
export function containerImageField(kind: string, container: string): FieldPath {
  return [...podSpecPath(kind), 'containers', { name: container }, 'image'];
}

/**
 * A field path as typed: `spec.strategy.canary.steps[0].setWeight`,
 * `spec.template.spec.containers[name=web].image`. Undefined when it is not one.
 */
export function parseFieldPath(text: string): FieldPath | undefined {
  const out: (string | number | { name: string })[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[name=([^\]]+)\]|(\.)/g;
  let consumed = 0;
  for (let m = re.exec(text.trim()); m; m = re.exec(text.trim())) {
    if (m.index !== consumed) return undefined;
    consumed = m.index + m[0].length;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push({ name: m[3] });
  }
  return consumed === text.trim().length && out.length ? out : undefined;
}

export function describeField(field: FieldPath): string {
  return field.map((s) => (typeof s === 'object' ? `[name=${s.name}]` : typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}

/** Who sets the field, in words: "the images transformer of prod/kustomization.yaml", "the patch prod/service.yaml". */
export function describeSetter(edit: Pick<GitPathEdit, 'setter' | 'file' | 'field'>, relative: (path: string) => string): string {
  const s = edit.setter;
  if (!s) return `${relative(edit.file)} (${describeField(edit.field)} is set nowhere yet)`;
  switch (s.by) {
    case 'images': return `the images transformer of ${relative(s.source.file)}`;
    case 'replicas': return `the replicas transformer of ${relative(s.source.file)}`;
    case 'patch': return s.source.inline ? `the inline patch of ${relative(s.source.file)}` : `the patch ${relative(s.source.file)}`;
    case 'json6902': return s.source.inline ? `the inline JSON patch of ${relative(s.source.file)}` : `the JSON patch ${relative(s.source.file)}`;
    default: return relative(s.source.file);
  }
}

// ---- the release actions as edits ---------------------------------------------------------------

/** Switch a blue/green Service: its selector's colour key names the target colour. */
export function planSelectorEdit(index: ManifestIndex, service: ObjectRef, selectorKey: string, colour: string, folder?: string): GitPathEdit {
  const o = locateForEdit(index, { ...service, kind: 'Service' }, folder);
  return planFieldEdit(index, o, ['spec', 'selector', selectorKey], colour, `Switch ${o.ref.name} to ${colour} in Git`);
}

/** Roll a container's image back (a Deployment's or a Rollout's): the image of the revision gone back to. */
export function planImageEdit(index: ManifestIndex, workload: ObjectRef, container: string, image: string, folder?: string): GitPathEdit {
  const o = locateForEdit(index, workload, folder);
  const field = containerImageField(workload.kind, container);
  if (!isImageField(field)) throw new EditError(`No container "${container}".`);
  return planFieldEdit(index, o, field, image, `Set ${container}'s image of ${o.ref.name} to ${image} in Git`);
}

/** Replicas of a Deployment (a replica canary's share is two of them). */
export function planReplicasEdit(index: ManifestIndex, workload: ObjectRef, replicas: number, folder?: string): GitPathEdit {
  const o = locateForEdit(index, workload, folder);
  return planFieldEdit(index, o, ['spec', 'replicas'], replicas, `Scale ${o.ref.name} to ${replicas} in Git`);
}

// ---- watching the controller apply it -----------------------------------------------------------

export interface AppliedInput {
  expected: unknown;
  /** The live object (its field and managedFields are read). */
  live: { metadata: Pick<ObjectMeta, 'managedFields'> } & Record<string, unknown>;
  field: FieldPath;
  /** The commit holding the edit and when it reached the remote (or was made, when the push time is unknown). */
  commit?: { sha: string; at: Date; pushed: boolean };
  /** The Flux Kustomization's status.lastAppliedRevision (`main@sha1:<sha>`). */
  lastAppliedRevision?: string;
}

export interface AppliedState {
  matches: boolean;
  /** The controller applied this very commit. */
  appliedCommit: boolean;
  message: string;
}

/**
 * Whether the cluster has what the file says, and how it got there: "applied by kustomize-controller
 * 14 s after the commit was pushed" when the Kustomization's last applied revision is the commit and
 * the field's manager wrote it after; "the cluster matches the file" the moment it does otherwise.
 */
export function appliedState(input: AppliedInput): AppliedState {
  const path = concretePath(input.live, input.field);
  const live = path ? getIn(input.live, path) : undefined;
  const matches = JSON.stringify(live) === JSON.stringify(input.expected);
  const appliedCommit = !!input.commit && namesCommit(input.lastAppliedRevision, input.commit.sha);
  const field = describeField(input.field);
  if (!matches) {
    const last = input.lastAppliedRevision ? `; the controller last applied ${shortRevision(input.lastAppliedRevision)}` : '';
    return { matches, appliedCommit, message: `waiting: ${field} is ${JSON.stringify(live ?? null)} in the cluster, the file says ${JSON.stringify(input.expected)}${last}` };
  }
  const writer = path ? lastWriterOfField(input.live.metadata.managedFields, input.field) : undefined;
  if (appliedCommit && writer?.time && input.commit) {
    const seconds = Math.max(0, Math.round((Date.parse(writer.time) - input.commit.at.getTime()) / 1000));
    return { matches, appliedCommit, message: `applied by ${writer.manager} ${seconds} s after the commit was ${input.commit.pushed ? 'pushed' : 'made'} (revision ${shortRevision(input.lastAppliedRevision!)})` };
  }
  return { matches, appliedCommit, message: 'the cluster matches the file' };
}

/** Whether a Flux revision (`main@sha1:<sha>`) is the commit (either may be abbreviated, to 7 digits at least). */
function namesCommit(revision: string | undefined, sha: string): boolean {
  const named = revision ? revisionSha(revision) : '';
  return named.length >= 7 && sha.length >= 7 && (named.startsWith(sha) || sha.startsWith(named));
}

/**
 * The Flux Kustomization is still on the commit: it has attempted it and not failed (with `wait` or
 * health checks it sets lastAppliedRevision only once what it applied is healthy, which a rollout
 * of new pods can take minutes to be), so the revision that names the commit may still come.
 */
export function applyingCommit(status: { lastAppliedRevision?: string; lastAttemptedRevision?: string; conditions?: { type: string; status: string }[] } | undefined, sha: string): boolean {
  return namesCommit(status?.lastAttemptedRevision, sha) && !namesCommit(status?.lastAppliedRevision, sha) && status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'False';
}

/** The commit of a Flux revision: `main@sha1:abc…` (source-controller v1), or an older `main/abc…`. */
export function revisionSha(revision: string): string {
  const m = /(?:sha1:|sha256:|\/)([0-9a-f]{7,64})$/.exec(revision) ?? /^([0-9a-f]{7,64})$/.exec(revision);
  return m?.[1] ?? '';
}

function shortRevision(revision: string): string {
  const sha = revisionSha(revision);
  return sha ? revision.replace(sha, sha.slice(0, 7)) : revision;
}
