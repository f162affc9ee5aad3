// What a file's lint needs to know from around it: the pods its neighbours run (a Service's
// Rollout often lives in a sibling file) and the image names a build tool rewrites before deploying
// (skaffold artifacts, kustomize `images:`), which are placeholders rather than untagged images. Pure:
// the editor side reads the files and hands their parses in.
import { getIn, isRecord, type ParsedFile } from '../yaml/documents';
import { flaggerServiceNames } from '../strategy/flaggerAnalysis';

/** Labels of pods a manifest makes (a Deployment's or Rollout's template, an Experiment's templates). */
export interface PodSource {
  namespace?: string;
  labels: Record<string, string>;
}

/** A HorizontalPodAutoscaler: while it scales a workload, the workload's `replicas` is the HPA's to set. */
export interface Autoscaler {
  namespace?: string;
  kind: string;
  name: string;
  /** Its own name, for messages. */
  autoscaler: string;
  minReplicas: number;
}

/** An object of the folder that a rule looks up by name: a Canary's target or MetricTemplate, a Service whose name a Canary takes. */
export interface NamedObject {
  kind: string;
  name: string;
  namespace?: string;
  /** A Flagger Canary: the names of the Services it creates. */
  services?: readonly string[];
}

export interface LintContext {
  /** Pods made by the other manifests of the file's folder. */
  readonly neighbours?: readonly PodSource[];
  /** Autoscalers in the other manifests of the file's folder. */
  readonly autoscalers?: readonly Autoscaler[];
  /** Deployments, DaemonSets, Services, Flagger Canaries and MetricTemplates in the other manifests of the file's folder. */
  readonly objects?: readonly NamedObject[];
  /** Image names (without tag) that skaffold or kustomize replace at build time. */
  readonly builtImages?: ReadonlySet<string>;
}

export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, val] of Object.entries(v)) if (val !== null && typeof val !== 'object') out[k] = String(val);
  return out;
}

const namespaceOf = (value: unknown) => getIn(value, ['metadata', 'namespace']) as string | undefined;

/**
 * Every pod label set the file's manifests make: Deployment and Rollout templates, the templates of
 * an Experiment, and those of a Rollout's experiment steps (the Rollout's template with the step
 * template's own `metadata.labels` on top, as the Argo controller builds their ReplicaSets).
 */
export function podSources(file: ParsedFile): PodSource[] {
  const out: PodSource[] = [];
  for (const doc of file.documents) {
    if (!isRecord(doc.value) || doc.templated) continue;
    const namespace = namespaceOf(doc.value);
    const template = stringRecord(getIn(doc.value, ['spec', 'template', 'metadata', 'labels']));
    if (doc.kind === 'Deployment' || doc.kind === 'Rollout') out.push({ namespace, labels: template });
    if (doc.kind === 'Experiment' && doc.apiVersion?.startsWith('argoproj.io/')) {
      for (const t of arrayAt(doc.value, ['spec', 'templates'])) out.push({ namespace, labels: stringRecord(getIn(t, ['template', 'metadata', 'labels'])) });
    }
    if (doc.kind === 'Rollout') {
      for (const step of arrayAt(doc.value, ['spec', 'strategy', 'canary', 'steps'])) {
        for (const t of arrayAt(step, ['experiment', 'templates'])) out.push({ namespace, labels: { ...template, ...stringRecord(getIn(t, ['metadata', 'labels'])) } });
      }
    }
  }
  return out.filter((s) => Object.keys(s.labels).length > 0);
}

/** The kinds `namedObjects` lists, each with the API group prefix of its apiVersion ('v1' for core). */
const NAMED_KINDS: Readonly<Record<string, string>> = { Deployment: 'apps/', DaemonSet: 'apps/', Service: 'v1', Canary: 'flagger.app/', MetricTemplate: 'flagger.app/' };

/** The file's objects a neighbour's rules look up by name (see NamedObject). */
export function namedObjects(file: ParsedFile): NamedObject[] {
  const out: NamedObject[] = [];
  for (const doc of file.documents) {
    const group = doc.kind ? NAMED_KINDS[doc.kind] : undefined;
    if (!group || !doc.name || doc.templated || !isRecord(doc.value) || !(doc.apiVersion === group || doc.apiVersion?.startsWith(group))) continue;
    const services = doc.kind === 'Canary' ? flaggerServiceNames(getIn(doc.value, ['spec']) as Parameters<typeof flaggerServiceNames>[0]) : undefined;
    out.push({ kind: doc.kind!, name: doc.name, namespace: namespaceOf(doc.value), ...(services ? { services: [services.apex, services.primary, services.canary] } : {}) });
  }
  return out;
}

/** The file's HorizontalPodAutoscalers (autoscaling/v1 and v2: minReplicas defaults to 1). */
export function autoscalers(file: ParsedFile): Autoscaler[] {
  const out: Autoscaler[] = [];
  for (const doc of file.documents) {
    if (doc.kind !== 'HorizontalPodAutoscaler' || !doc.apiVersion?.startsWith('autoscaling/') || !isRecord(doc.value) || doc.templated) continue;
    const kind = getIn(doc.value, ['spec', 'scaleTargetRef', 'kind']);
    const name = getIn(doc.value, ['spec', 'scaleTargetRef', 'name']);
    const min = getIn(doc.value, ['spec', 'minReplicas']);
    if (typeof kind === 'string' && typeof name === 'string') out.push({ namespace: namespaceOf(doc.value), kind, name, autoscaler: doc.name ?? name, minReplicas: typeof min === 'number' && min >= 1 ? min : 1 });
  }
  return out;
}

function arrayAt(value: unknown, path: string[]): unknown[] {
  const v = getIn(value, path);
  return Array.isArray(v) ? v : [];
}

/** Which build-tool file a name is: skaffold's config or a kustomization. */
export function buildToolFile(fileName: string): 'skaffold' | 'kustomization' | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (/^skaffold\.ya?ml$/.test(base)) return 'skaffold';
  if (/^kustomization\.ya?ml$/.test(base) || base === 'Kustomization') return 'kustomization';
  return undefined;
}

/**
 * Image names a build-tool file rewrites: skaffold's `build.artifacts[].image` (top level and in
 * profiles) and a kustomization's `images[].name` (it sets their tag or digest, or a new name).
 */
export function builtImageNames(file: ParsedFile, tool: 'skaffold' | 'kustomization'): string[] {
  const names: string[] = [];
  for (const doc of file.documents) {
    if (!isRecord(doc.value) || doc.templated) continue;
    if (tool === 'skaffold') {
      const builds = [getIn(doc.value, ['build']), ...arrayAt(doc.value, ['profiles']).map((p) => getIn(p, ['build']))];
      for (const build of builds) for (const a of arrayAt(build, ['artifacts'])) if (typeof getIn(a, ['image']) === 'string') names.push(getIn(a, ['image']) as string);
    } else {
      for (const image of arrayAt(doc.value, ['images'])) if (typeof getIn(image, ['name']) === 'string') names.push(getIn(image, ['name']) as string);
    }
  }
  return names;
}

/** The names a build-tool file may have, in the order a folder is searched for them. */
export const BUILD_TOOL_FILE_NAMES = ['skaffold.yaml', 'skaffold.yml', 'kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** What one manifest file tells the lint of the other files of its folder. */
export interface FileFacts {
  pods: PodSource[];
  autoscalers: Autoscaler[];
  objects: NamedObject[];
}

export function fileFacts(file: ParsedFile): FileFacts {
  return { pods: podSources(file), autoscalers: autoscalers(file), objects: namedObjects(file) };
}

/**
 * A file's lint context, the one way the editor and the corpus tests build it: the facts of the other
 * (non build-tool) files of its folder, and the image names the build tools of its folder and the
 * folders above it rewrite.
 */
export function lintContextOf(others: readonly FileFacts[], builtImages: ReadonlySet<string>): LintContext {
  return { neighbours: others.flatMap((f) => f.pods), autoscalers: others.flatMap((f) => f.autoscalers), objects: others.flatMap((f) => f.objects), builtImages };
}
