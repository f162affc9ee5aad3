// Deployment -> Argo Rollout, keeping what the Rollout can keep (comments included: the Rollout is
// edited from a clone of the Deployment's own YAML document); Deployment -> Flagger Canary, leaving
// the Deployment as it is.
import { isCollection, isMap, isPair, type Document } from 'yaml';
import { getIn, isRecord, type ParsedDocument, type ParsedFile } from '../yaml/documents';
import type { TextEdit } from '../lint/rules';
import { flaggerParts, toYaml } from './generate';
import { DEFAULTS, type AppOptions, type FlaggerStrategyId } from './options';

export type ConvertMode = 'workloadRef' | 'inline';
export type RolloutStrategy = 'canary' | 'blueGreen';

export interface ConvertOptions {
  mode: ConvertMode;
  strategy: RolloutStrategy;
  /** Which Deployment, when the file has several; the first otherwise. */
  name?: string;
}

export interface ConvertResult {
  rolloutYaml: string;
  edits: TextEdit[];
  notes: string[];
}

export class ConvertError extends Error {}

const DROPPED_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];
const DROPPED_ANNOTATION_PREFIXES = ['deployment.kubernetes.io/', 'kubectl.kubernetes.io/last-applied-configuration'];

export function deploymentsIn(file: ParsedFile): ParsedDocument[] {
  return file.documents.filter((d) => d.kind === 'Deployment' && d.apiVersion === 'apps/v1' && isRecord(d.value));
}

/** The Deployment a Convert command works on (the named one, else the first), refused with a reason when it cannot be. */
function deploymentToConvert(file: ParsedFile, name: string | undefined): ParsedDocument {
  if (file.problems.some((p) => p.severity === 'error')) throw new ConvertError('The file has YAML errors; fix them first.');
  const candidates = deploymentsIn(file);
  const source = name ? candidates.find((d) => d.name === name) : candidates[0];
  if (!source) throw new ConvertError(name ? `No Deployment named "${name}" in this file.` : 'No apps/v1 Deployment in this file.');
  checkConvertible(source);
  return source;
}

export function convertDeploymentToRollout(file: ParsedFile, options: ConvertOptions): ConvertResult {
  const source = deploymentToConvert(file, options.name);
  const name = source.name!;
  const rollout = source.doc.clone() as Document;
  rollout.set('apiVersion', 'argoproj.io/v1alpha1');
  rollout.set('kind', 'Rollout');
  rollout.delete('status');
  for (const key of DROPPED_METADATA) rollout.deleteIn(['metadata', key]);
  const annotations = rollout.getIn(['metadata', 'annotations']);
  if (isMap(annotations)) {
    for (const pair of [...annotations.items]) {
      const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
      if (DROPPED_ANNOTATION_PREFIXES.some((p) => key.startsWith(p))) annotations.delete(pair.key);
    }
    if (!annotations.items.length) rollout.deleteIn(['metadata', 'annotations']);
  }
  const spec = source.value as Record<string, any>;
  const rolling = getIn(spec, ['spec', 'strategy', 'rollingUpdate']);
  rollout.deleteIn(['spec', 'strategy']);
  const notes: string[] = [];
  const services = servicesSelecting(file, source);
  if (options.strategy === 'canary') {
    const canary: Record<string, unknown> = {};
    if (isRecord(rolling)) {
      if (rolling.maxSurge !== undefined) canary.maxSurge = rolling.maxSurge;
      if (rolling.maxUnavailable !== undefined) canary.maxUnavailable = rolling.maxUnavailable;
    }
    canary.steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '60s' } }, { setWeight: 80 }, { pause: { duration: '60s' } }];
    rollout.setIn(['spec', 'strategy'], rollout.createNode({ canary }));
    notes.push('Canary steps 20% -> 50% -> 80% with a manual pause first; adjust to your release.');
  } else {
    const active = services[0] ?? `${name}-active`;
    rollout.setIn(['spec', 'strategy'], rollout.createNode({ blueGreen: { activeService: active, previewService: `${name}-preview`, autoPromotionEnabled: false, scaleDownDelaySeconds: 30 } }));
    notes.push(services[0] ? `Active Service: "${active}" (it selects this Deployment's pods). Create the Service "${name}-preview".` : `Create the Services "${active}" and "${name}-preview".`);
  }
  if (options.mode === 'workloadRef') {
    rollout.deleteIn(['spec', 'template']);
    rollout.setIn(['spec', 'workloadRef'], rollout.createNode({ apiVersion: 'apps/v1', kind: 'Deployment', name, scaleDown: 'progressively' }));
    notes.push(`The Deployment "${name}" stays and supplies the pod template; the Rollout scales it down progressively as its own pods become ready.`);
  }
  const rolloutYaml = rollout.toString({ lineWidth: 0 });
  const text = file.text;
  const end = documentContentEnd(source, text);
  // A file without a final newline ends on the Deployment's last line: the marker needs a line of its own.
  const lineBreak = end > 0 && text[end - 1] !== '\n' ? '\n' : '';
  const edits: TextEdit[] =
    options.mode === 'inline'
      ? [{ start: source.doc.range[0] + source.offset, end, newText: rolloutYaml }]
      : [{ start: end, end, newText: `${lineBreak}---\n${rolloutYaml}` }];
  return { rolloutYaml, edits, notes };
}

/** Deepest nesting the conversion edits: `yaml` clones and prints recursively, and real Deployments nest a dozen levels. */
const MAX_NESTING = 100;

/**
 * Refuses, in words the user can act on, what the `yaml` edits below cannot work on: a Deployment
 * still being typed (no name, no spec mapping), one `yaml` finds errors in (the fast reader accepts
 * a few things `yaml` rejects, so the file's problems may not list them), or one nested deeper
 * than the `yaml` library's recursion can take.
 */
function checkConvertible(source: ParsedDocument): void {
  const value = source.value as Record<string, unknown>;
  if (!isRecord(value.metadata) || typeof value.metadata.name !== 'string' || !value.metadata.name) throw new ConvertError('The Deployment has no metadata.name; give it a name first.');
  if (!isRecord(value.spec)) throw new ConvertError(`The Deployment "${value.metadata.name}" has no spec yet; write its selector and pod template first.`);
  const [error] = source.doc.errors;
  if (error) throw new ConvertError(`The Deployment "${value.metadata.name}" has YAML errors; fix them first: ${error.message.split('\n')[0]}`);
  if (nestingDepth(source.doc.contents) > MAX_NESTING) throw new ConvertError(`The Deployment "${value.metadata.name}" nests more than ${MAX_NESTING} levels deep; Switchyard does not convert it.`);
}

/** How many collections deep a syntax tree goes, walked without recursion. */
function nestingDepth(root: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (!isCollection(node)) continue;
    deepest = Math.max(deepest, depth);
    for (const item of node.items) {
      if (isPair(item)) pending.push([item.key, depth + 1], [item.value, depth + 1]);
      else pending.push([item, depth + 1]);
    }
  }
  return deepest;
}

/** End of a document's own text: before the next `---` or at the end of the file. */
function documentContentEnd(d: ParsedDocument, text: string): number {
  const end = d.doc.range[1] + d.offset;
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

function servicesSelecting(file: ParsedFile, deployment: ParsedDocument): string[] {
  const labels = getIn(deployment.value, ['spec', 'template', 'metadata', 'labels']);
  if (!isRecord(labels)) return [];
  return file.documents
    .filter((d) => d.kind === 'Service' && d.name)
    .filter((d) => {
      const selector = getIn(d.value, ['spec', 'selector']);
      return isRecord(selector) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
    })
    .map((d) => d.name!);
}

// ---- Deployment -> Flagger Canary ----------------------------------------------------------------

export interface FlaggerConvertOptions {
  /** The Flagger strategy: its provider (kubernetes, nginx, gatewayapi:v1). */
  strategy: FlaggerStrategyId;
  /** Which Deployment, when the file has several; the first otherwise. */
  name?: string;
}

export interface FlaggerConvertResult {
  canaryYaml: string;
  edits: TextEdit[];
  notes: string[];
}

/** The pod labels Flagger builds its Services' selectors from, in its order (cmd/flagger/main.go, -selector-labels). */
const FLAGGER_SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

/**
 * A Flagger Canary for a Deployment of the file, written after it with the MetricTemplates its
 * analysis refers to. The Deployment stays as it is, byte for byte (Flagger releases it in place:
 * it copies it to `<name>-primary`); for NGINX the Canary refers to an Ingress of the file that
 * sends traffic to the Deployment's name, or writes one.
 */
export function convertDeploymentToFlaggerCanary(file: ParsedFile, options: FlaggerConvertOptions): FlaggerConvertResult {
  const source = deploymentToConvert(file, options.name);
  const name = source.name!;
  const namespace = getIn(source.value, ['metadata', 'namespace']);
  const matchLabels = getIn(source.value, ['spec', 'selector', 'matchLabels']);
  if (!isRecord(matchLabels) || !FLAGGER_SELECTOR_LABELS.some((l) => l in matchLabels)) {
    throw new ConvertError(`Flagger needs one of the labels ${FLAGGER_SELECTOR_LABELS.join(', ')} in the spec.selector.matchLabels of "${name}" to select its pods: add one (e.g. app: ${name}) first.`);
  }
  if (file.documents.some((d) => d.kind === 'Canary' && d.apiVersion?.startsWith('flagger.app/') && getIn(d.value, ['spec', 'targetRef', 'name']) === name)) {
    throw new ConvertError(`A Canary of this file already releases "${name}".`);
  }
  const port = firstContainerPort(source.value);
  const app: AppOptions = { app: name, image: '', port: (port ?? 80) as number, replicas: 1, ...(typeof namespace === 'string' ? { namespace } : {}) };
  const ingress = options.strategy === 'flagger-nginx' ? ingressTo(file, name, namespace) : undefined;
  const parts = flaggerParts(options.strategy, app, DEFAULTS.flagger, DEFAULTS.analysis, { ingress });
  const canaryYaml = toYaml(parts.objects, parts.comments);
  const notes = [...parts.notes];
  if (port === undefined) notes.push(`"${name}" declares no container port: set the Canary's service.targetPort to the port its pods listen on.`);
  if (ingress) notes.push(`The Canary uses the Ingress "${ingress}"; it must send traffic to the Service "${name}", which Flagger creates.`);
  if (options.strategy === 'flagger-gateway') notes.push(`Set service.gatewayRefs and service.hosts to your Gateway and host (now ${DEFAULTS.flagger.gateway}, ${DEFAULTS.flagger.host}).`);
  const taken = file.documents.filter((d) => d.kind === 'Service' && d.name && [name, `${name}-primary`, `${name}-canary`].includes(d.name) && getIn(d.value, ['metadata', 'namespace']) === namespace).map((d) => d.name!);
  if (taken.length) notes.push(`Flagger creates and owns the Service${taken.length > 1 ? 's' : ''} ${taken.map((t) => `"${t}"`).join(', ')} of this file: delete ${taken.length > 1 ? 'them' : 'it'} once the Canary is applied.`);
  const text = file.text;
  const end = documentContentEnd(source, text);
  const lineBreak = end > 0 && text[end - 1] !== '\n' ? '\n' : '';
  return { canaryYaml, edits: [{ start: end, end, newText: `${lineBreak}---\n${canaryYaml}` }], notes };
}

/** The first container's first port: its name when it has one (it survives a renumbering), else its number. */
function firstContainerPort(deployment: unknown): number | string | undefined {
  const port = getIn(deployment, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0]);
  const named = getIn(port, ['name']);
  const number = getIn(port, ['containerPort']);
  return typeof named === 'string' && named ? named : typeof number === 'number' ? number : undefined;
}

/** An Ingress of the file (same namespace) with a backend Service named `service`. */
function ingressTo(file: ParsedFile, service: string, namespace: unknown): string | undefined {
  return file.documents.find((d) => {
    if (d.kind !== 'Ingress' || !d.name || getIn(d.value, ['metadata', 'namespace']) !== namespace) return false;
    const rules = getIn(d.value, ['spec', 'rules']);
    return Array.isArray(rules) && rules.some((r) => (getIn(r, ['http', 'paths']) as unknown[] | undefined ?? []).some((p) => getIn(p, ['backend', 'service', 'name']) === service));
  })?.name;
}
