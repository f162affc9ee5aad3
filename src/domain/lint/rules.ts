// Release pitfalls found in manifests. Pure: a parsed file in, findings with file offsets out.
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { Annotations, COLOUR_KEYS, labelsMatch } from '../release/vocabulary';
import { imageName, imageTag } from '../manifests/options';
import { autoscalers, namedObjects, podSources, stringRecord, type Autoscaler, type LintContext, type NamedObject, type PodSource } from './context';
import { FLAGGER_KUBERNETES_DEFAULT_ITERATIONS, flaggerChecksBeforePromotion, flaggerServiceNames, walkFlaggerWeights, type FlaggerWeights } from '../strategy/flaggerAnalysis';
import { argoCanarySplit, describeArgoCanarySplit, replicaShare } from '../strategy/replicaCanary';
import { InvalidRollingParameters, resolveFenceposts, resolveIntOrPercent } from '../strategy/rollingTimeline';
import { getIn, isRecord, nodeAtPath, rangeForPath, valueRangeForPath, type ParsedDocument, type ParsedFile, type PathSegment } from '../yaml/documents';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix?: Fix;
}

/** Rule codes, shown in the Problems view and used to match quick fixes. */
export const Rule = {
  Syntax: 'yaml-syntax',
  NoReadinessProbe: 'no-readiness-probe',
  SurgeAndUnavailableZero: 'surge-and-unavailable-zero',
  AllPodsUnavailable: 'all-pods-unavailable',
  NoPreStop: 'no-prestop',
  ShortGracePeriod: 'short-grace-period',
  ServiceCatchesBothColours: 'service-catches-both-colours',
  ServiceSelectsNothing: 'service-selects-nothing',
  SelectorMismatch: 'selector-mismatch',
  CanaryShareUnreachable: 'canary-share-unreachable',
  CanaryWeightNotExpressible: 'canary-weight-not-expressible',
  CanaryWeightsDecrease: 'canary-weights-decrease',
  CanaryWeightOver100: 'canary-weight-over-100',
  ActiveEqualsPreview: 'active-equals-preview',
  ImageWithoutTag: 'image-without-tag',
  FlaggerTargetMissing: 'flagger-target-missing',
  FlaggerServiceTaken: 'flagger-service-taken',
  FlaggerStepOvershoots: 'flagger-step-overshoots-max-weight',
  FlaggerStepWeightsNotIncreasing: 'flagger-step-weights-not-increasing',
  FlaggerIgnoredField: 'flagger-ignored-field',
  FlaggerNoSteps: 'flagger-no-steps',
  FlaggerNoChecks: 'flagger-no-checks',
  FlaggerSingleCheck: 'flagger-single-check',
  FlaggerTemplateMissing: 'flagger-metric-template-missing',
} as const;

const WORKLOAD_KINDS = new Set(['Deployment', 'Rollout']);

interface Workload {
  doc: ParsedDocument;
  kind: string;
  name: string;
  namespace?: string;
  spec: Record<string, any>;
  /** The pod template's labels; undefined when the template is elsewhere (a `workloadRef` to a Deployment not in the file). */
  templateLabels?: Record<string, string>;
  /** The replicas the controller runs: `spec.replicas`, else an autoscaler's minReplicas, else the API default 1. */
  replicas: number;
  /** Where `replicas` comes from when not from `spec.replicas`, for messages: "HorizontalPodAutoscaler web's minReplicas". */
  replicasFrom?: string;
}

/**
 * Runs every rule over the file. Never throws on odd input: rules skip what they cannot read.
 * `context` tells what is around the file (its folder's pods, build-tool image names).
 */
export function lintFile(file: ParsedFile, context: LintContext = {}): Finding[] {
  // A Go template's YAML errors and values are the template's, not the release's: not linted.
  const besideTemplates = file.documents.some((d) => d.templated);
  const findings: Finding[] = file.problems
    .filter((p) => !p.templated)
    .map((p) => ({ code: Rule.Syntax, severity: p.severity, message: p.message, start: p.start, end: p.end }));
  const workloads: Workload[] = [];
  const scalers = [...autoscalers(file), ...(context.autoscalers ?? [])];
  for (const doc of file.documents) {
    if (!isRecord(doc.value) || !doc.kind || doc.templated) continue;
    const spec = isRecord(doc.value.spec) ? doc.value.spec : undefined;
    if (!spec) continue;
    if (WORKLOAD_KINDS.has(doc.kind) && isWorkloadGroup(doc)) {
      const labels = getIn(spec, ['template', 'metadata', 'labels']);
      const namespace = getIn(doc.value, ['metadata', 'namespace']) as string | undefined;
      workloads.push({ doc, kind: doc.kind, name: doc.name ?? '', namespace, spec, templateLabels: stringRecord(labels), ...replicasOf(doc.kind, doc.name, namespace, spec, scalers) });
    }
  }
  for (const w of workloads) if (isRecord(w.spec.workloadRef) && w.spec.template === undefined) w.templateLabels = referencedTemplateLabels(w, workloads);
  const selectors = serviceSelectors(file);
  for (const w of workloads) {
    // A strategic-merge patch or overlay fragment (kustomize `patches`) is a part of a Deployment: what
    // it leaves out comes from its base, so its missing probes and hooks are not findings.
    if (isPartial(w)) continue;
    findings.push(...containerRules(w, file.text, servesTraffic(w, selectors), context.builtImages));
    findings.push(...selectorRule(w));
    if (w.kind === 'Deployment') findings.push(...rollingRules(w));
    if (w.kind === 'Rollout') findings.push(...rolloutRules(w));
  }
  findings.push(...replicaCanaryRules(workloads));
  const pods = [...podSources(file), ...(context.neighbours ?? [])];
  for (const doc of file.documents) {
    if (doc.kind === 'Service' && (doc.apiVersion === 'v1' || doc.apiVersion === undefined) && !doc.templated) {
      // Beside templates, the workloads a selector should find may be among them: say nothing of "no match".
      findings.push(...serviceRules(doc, workloads, pods, file, routersOf(file)).filter((f) => !(besideTemplates && f.code === Rule.ServiceSelectsNothing)));
    }
  }
  findings.push(...flaggerRules(file, context, besideTemplates));
  return withoutBlindFixes(findings, file);
}

/**
 * In a document with syntax errors the values the rules read and the syntax tree a fix is written
 * into disagree (the parser recovers differently for each): its findings stay, its fixes go.
 */
function withoutBlindFixes(findings: Finding[], file: ParsedFile): Finding[] {
  const broken = file.documents.filter((d) => file.problems.some((p) => p.severity === 'error' && p.start >= d.start && p.start <= d.end));
  if (!broken.length) return findings;
  return findings.map((f) => {
    if (!f.fix || !broken.some((d) => f.start >= d.start && f.start <= d.end)) return f;
    const { fix, ...withoutFix } = f;
    return withoutFix;
  });
}

/** What the controller runs: spec.replicas when set; unset, the autoscaler's minimum (it owns the field), else the API default of 1. */
function replicasOf(kind: string, name: string | undefined, namespace: string | undefined, spec: Record<string, any>, scalers: Autoscaler[]): Pick<Workload, 'replicas' | 'replicasFrom'> {
  if (typeof spec.replicas === 'number') return { replicas: spec.replicas };
  const hpa = scalers.find((a) => a.kind === kind && a.name === name && a.namespace === namespace);
  return hpa ? { replicas: hpa.minReplicas, replicasFrom: `HorizontalPodAutoscaler ${hpa.autoscaler}'s minReplicas` } : { replicas: 1 };
}

/** "3 replicas", or "2 replicas (HorizontalPodAutoscaler web's minReplicas)". */
function replicasText(w: Workload, noun = 'replicas'): string {
  return `${w.replicas} ${noun}${w.replicasFrom ? ` (${w.replicasFrom})` : ''}`;
}

function isWorkloadGroup(doc: ParsedDocument): boolean {
  return doc.kind === 'Deployment' ? doc.apiVersion === 'apps/v1' : doc.apiVersion?.startsWith('argoproj.io/') === true;
}

/** A Rollout with `workloadRef` runs the referenced Deployment's pod template: its labels, if that Deployment is in the file. */
function referencedTemplateLabels(rollout: Workload, workloads: Workload[]): Record<string, string> | undefined {
  const ref = rollout.spec.workloadRef;
  const target = workloads.find((w) => ref.kind === 'Deployment' && w.kind === 'Deployment' && w.name === ref.name && w.namespace === rollout.namespace);
  return target?.templateLabels;
}

function isRollingUpdate(w: Workload): boolean {
  const type = getIn(w.spec, ['strategy', 'type']);
  return type === undefined || type === 'RollingUpdate';
}

function containers(w: Workload): { index: number; value: Record<string, any> }[] {
  const list = getIn(w.spec, ['template', 'spec', 'containers']);
  return Array.isArray(list) ? list.map((value, index) => ({ index, value })).filter((c) => isRecord(c.value)) : [];
}

const CONTAINERS: PathSegment[] = ['spec', 'template', 'spec', 'containers'];

/** A workload without a selector (and, for a Rollout, without workloadRef): not a whole object the API server would take. */
function isPartial(w: Workload): boolean {
  return w.spec.selector === undefined && w.spec.workloadRef === undefined;
}

/** The selectors of the file's Services, with their namespaces. */
function serviceSelectors(file: ParsedFile): { namespace: unknown; selector: Record<string, string> }[] {
  return file.documents
    .filter((d) => d.kind === 'Service' && !d.templated && isRecord(d.value))
    .map((d) => ({ namespace: getIn(d.value, ['metadata', 'namespace']), selector: stringRecord(getIn(d.value, ['spec', 'selector'])) }))
    .filter((s) => Object.keys(s.selector).length > 0);
}

/**
 * Whether the workload's pods take requests: a container declares a port, or a Service of the file
 * selects them. Load generators, workers and debug pods do neither: readiness gates no traffic there,
 * and there is nothing in flight for a preStop pause to let finish.
 */
function servesTraffic(w: Workload, selectors: ReturnType<typeof serviceSelectors>): boolean {
  if (containers(w).some(({ value: c }) => Array.isArray(c.ports) && c.ports.length > 0)) return true;
  return selectors.some((s) => s.namespace === w.namespace && labelsMatch(s.selector, w.templateLabels));
}

/** Images a build tool resolves before deploying (ko's `ko://` import paths): no tag to check yet. */
const BUILD_TOOL_IMAGE = /^ko:\/\//;

function containerRules(w: Workload, text: string, serving: boolean, builtImages: ReadonlySet<string> = new Set()): Finding[] {
  const out: Finding[] = [];
  const grace = getIn(w.spec, ['template', 'spec', 'terminationGracePeriodSeconds']);
  const graceSeconds = typeof grace === 'number' ? grace : 30;
  for (const { index, value: c } of containers(w)) {
    const cPath = [...CONTAINERS, index];
    const name = typeof c.name === 'string' ? c.name : `#${index + 1}`;
    // Ranges are looked up only for findings: that builds the document's syntax tree (see documents.ts).
    const nameRange = () => (typeof c.name === 'string' ? valueRangeForPath(w.doc, [...cPath, 'name']) : rangeForPath(w.doc, cPath));
    // Rollouts replace pods too; a canary or blue/green without readiness sends traffic to pods that cannot serve.
    if (serving && (w.kind === 'Rollout' || isRollingUpdate(w)) && !c.readinessProbe) {
      out.push({
        code: Rule.NoReadinessProbe,
        severity: 'warning',
        message: `Container "${name}" has no readinessProbe: ${unreadyPodsText(w)}`,
        ...nameRange(),
        fix: insertIntoMapFix(w.doc, text, cPath, 'Add a readinessProbe', readinessProbeFor(c)),
      });
    }
    if (typeof c.image === 'string' && !c.image.includes('{{') && !BUILD_TOOL_IMAGE.test(c.image) && !builtImages.has(imageName(c.image))) {
      const tag = imageTag(c.image);
      if (!c.image.includes('@sha256:') && (!tag || tag === 'latest')) {
        out.push({
          code: Rule.ImageWithoutTag,
          severity: 'warning',
          message: tag
            ? `Image "${c.image}" uses "latest", which moves: a rollback may not return to the build that ran before. Pin a version or a digest.`
            : `Image "${c.image}" has no tag, so it means "latest": a rollback may not return to the build that ran before. Pin a version or a digest.`,
          ...valueRangeForPath(w.doc, [...cPath, 'image']),
        });
      }
    }
    const preStop = getIn(c, ['lifecycle', 'preStop']);
    if (!preStop && serving) {
      out.push({
        code: Rule.NoPreStop,
        severity: 'information',
        message: `Container "${name}" has no preStop hook: a stopping pod may still receive requests for a moment after it leaves the endpoints. A short pause lets in-flight and late requests finish.`,
        ...nameRange(),
        fix: insertIntoMapFix(w.doc, text, cPath, 'Add a 10s preStop pause', { lifecycle: { preStop: { sleep: { seconds: 10 } } } }),
      });
    } else if (preStop) {
      const pause = preStopSeconds(preStop);
      if (pause !== undefined && pause >= graceSeconds) {
        const gracePath: PathSegment[] = ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'];
        out.push({
          code: Rule.ShortGracePeriod,
          severity: 'information',
          message: `terminationGracePeriodSeconds (${graceSeconds}s) is not longer than the preStop pause of "${name}" (${pause}s): the pod is killed before it can finish in-flight requests.`,
          ...(typeof grace === 'number' ? valueRangeForPath(w.doc, gracePath) : nameRange()),
          fix: typeof grace === 'number'
            ? { title: `Set terminationGracePeriodSeconds to ${pause + 30}`, edits: [{ ...valueRangeForPath(w.doc, gracePath), newText: String(pause + 30) }] }
            : insertIntoMapFix(w.doc, text, ['spec', 'template', 'spec'], `Set terminationGracePeriodSeconds to ${pause + 30}`, { terminationGracePeriodSeconds: pause + 30 }),
        });
      }
    }
  }
  return out;
}

/** What a release does with pods that count as ready as soon as they start, in the controller's numbers. */
function unreadyPodsText(w: Workload): string {
  if (w.kind === 'Rollout') return 'the Rollout counts new pods as ready as soon as they start, and sends them traffic before they can serve.';
  try {
    const ru = getIn(w.spec, ['strategy', 'rollingUpdate']);
    const { surge, unavailable } = resolveFenceposts(w.replicas, getIn(ru, ['maxSurge']) ?? '25%', getIn(ru, ['maxUnavailable']) ?? '25%');
    const first = Math.min(w.replicas, surge + unavailable);
    return `a rolling update of ${replicasText(w)} starts up to ${first} new pod(s) at once (maxSurge ${surge}, maxUnavailable ${unavailable}), counts each ready as soon as it starts, sends it traffic before it can serve and removes an old pod for it.`;
  } catch (e) {
    if (!(e instanceof InvalidRollingParameters)) throw e;
    return 'a rolling update counts new pods as ready as soon as they start, and sends them traffic before they can serve.';
  }
}

function preStopSeconds(preStop: unknown): number | undefined {
  const sleep = getIn(preStop, ['sleep', 'seconds']);
  if (typeof sleep === 'number') return sleep;
  const command = getIn(preStop, ['exec', 'command']);
  if (Array.isArray(command)) {
    const m = /\bsleep\s+(\d+)/.exec(command.join(' '));
    if (m) return Number(m[1]);
  }
  return undefined;
}

function readinessProbeFor(c: Record<string, any>): Record<string, unknown> {
  const port = Array.isArray(c.ports) && isRecord(c.ports[0]) ? (c.ports[0].name ?? c.ports[0].containerPort) : undefined;
  return { readinessProbe: port !== undefined ? { httpGet: { path: '/healthz/ready', port }, periodSeconds: 5, failureThreshold: 3 } : { tcpSocket: { port: 8080 }, periodSeconds: 5 } };
}

function selectorRule(w: Workload): Finding[] {
  const templateLabels = w.templateLabels;
  if (!templateLabels) return [];
  const matchLabels = stringRecord(getIn(w.spec, ['selector', 'matchLabels']));
  const missing = Object.entries(matchLabels).filter(([k, v]) => templateLabels[k] !== v);
  if (!missing.length) return [];
  return [
    {
      code: Rule.SelectorMismatch,
      severity: 'error',
      message: `spec.selector.matchLabels does not match the pod template labels (${missing.map(([k, v]) => `${k}: ${v}`).join(', ')}): the API server rejects this ${w.kind}.`,
      ...rangeForPath(w.doc, ['spec', 'selector', 'matchLabels']),
    },
  ];
}

function rollingRules(w: Workload): Finding[] {
  if (!isRollingUpdate(w)) return [];
  const out: Finding[] = [];
  const replicas = w.replicas;
  const ru = getIn(w.spec, ['strategy', 'rollingUpdate']);
  const surgePath: PathSegment[] = ['spec', 'strategy', 'rollingUpdate', 'maxSurge'];
  const unavailablePath: PathSegment[] = ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'];
  const surge = isRecord(ru) ? ru.maxSurge : undefined;
  const unavailable = isRecord(ru) ? ru.maxUnavailable : undefined;
  const zero = (v: unknown) => v === 0 || v === '0%' || v === '0';
  if (zero(surge) && zero(unavailable)) {
    out.push({
      code: Rule.SurgeAndUnavailableZero,
      severity: 'error',
      message: 'maxSurge and maxUnavailable are both 0: the rollout could neither add nor remove a pod, and the API server rejects it.',
      ...valueRangeForPath(w.doc, surgePath),
      fix: { title: 'Set maxSurge to 1 (one extra pod at a time, no capacity lost)', edits: [{ ...valueRangeForPath(w.doc, surgePath), newText: '1' }] },
    });
  }
  if (unavailable !== undefined && (typeof unavailable === 'number' || typeof unavailable === 'string')) {
    try {
      const n = resolveIntOrPercent(unavailable, replicas, false, 'maxUnavailable');
      if (n >= replicas) {
        out.push({
          code: Rule.AllPodsUnavailable,
          severity: 'warning',
          message: `maxUnavailable ${unavailable} lets all ${replicasText(w, 'pod(s)')} be down at once: the update may take the app offline. Keep at least one pod serving.`,
          ...valueRangeForPath(w.doc, unavailablePath),
          fix: { title: 'Set maxUnavailable to 25%', edits: [{ ...valueRangeForPath(w.doc, unavailablePath), newText: "'25%'" }] },
        });
      }
    } catch (e) {
      if (!(e instanceof InvalidRollingParameters)) throw e;
    }
  }
  return out;
}

function rolloutRules(w: Workload): Finding[] {
  const out: Finding[] = [];
  const bg = getIn(w.spec, ['strategy', 'blueGreen']);
  if (isRecord(bg) && bg.activeService && bg.activeService === bg.previewService) {
    out.push({
      code: Rule.ActiveEqualsPreview,
      severity: 'error',
      message: `activeService and previewService are both "${bg.activeService}": preview traffic would hit production. Use two Services.`,
      ...valueRangeForPath(w.doc, ['spec', 'strategy', 'blueGreen', 'previewService']),
    });
  }
  const canary = getIn(w.spec, ['strategy', 'canary']);
  const steps = isRecord(canary) && Array.isArray(canary.steps) ? canary.steps : [];
  const replicas = w.replicas;
  const routed = isRecord(canary) && isRecord(canary.trafficRouting);
  const maxSurge = isRecord(canary) ? canary.maxSurge : undefined;
  const canarySplit = (weight: number) => {
    try {
      return argoCanarySplit(replicas, weight, { maxSurge });
    } catch (e) {
      if (e instanceof InvalidRollingParameters) return undefined; // the API server rejects that maxSurge
      throw e;
    }
  };
  let previous: number | undefined;
  steps.forEach((step, i) => {
    const weight = isRecord(step) ? step.setWeight : undefined;
    if (typeof weight !== 'number') return;
    const path: PathSegment[] = ['spec', 'strategy', 'canary', 'steps', i, 'setWeight'];
    const range = () => valueRangeForPath(w.doc, path);
    if (weight > 100 || weight < 0) {
      out.push({ code: Rule.CanaryWeightOver100, severity: 'error', message: `setWeight ${weight} is outside 0..100.`, ...range() });
    } else if (previous !== undefined && weight < previous) {
      out.push({ code: Rule.CanaryWeightsDecrease, severity: 'warning', message: `setWeight goes down from ${previous} to ${weight}: traffic would move back to stable mid-rollout. Use abort to roll back instead.`, ...range() });
    } else if (!routed && weight > 0 && weight < 100) {
      const split = canarySplit(weight);
      if (split && split.trafficPercent !== weight) {
        out.push({
          code: Rule.CanaryWeightNotExpressible,
          severity: 'warning',
          message: `setWeight ${weight} with ${replicasText(w)} runs ${describeArgoCanarySplit(split)}: without trafficRouting, pods are the split. Use a multiple of ${100 / gcd(weight, 100)} replicas or trafficRouting for ${weight}%.`,
          ...range(),
        });
      }
    }
    if (weight >= 0 && weight <= 100) previous = weight;
  });
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function replicaCanaryRules(workloads: Workload[]): Finding[] {
  const out: Finding[] = [];
  for (const canary of workloads) {
    const declared = getIn(canary.doc.value, ['metadata', 'annotations', Annotations.CanaryShare]);
    if (declared === undefined || canary.kind !== 'Deployment') continue;
    const share = Number(declared);
    const app = canary.templateLabels?.app;
    const stable = workloads.find((w) => w !== canary && w.kind === 'Deployment' && w.templateLabels?.app === app && w.namespace === canary.namespace);
    if (!stable || !Number.isFinite(share)) continue;
    const c = canary.replicas;
    const s = stable.replicas;
    const actual = replicaShare(c, c + s);
    if (Math.abs(actual - share) >= 0.005) {
      out.push({
        code: Rule.CanaryShareUnreachable,
        severity: 'warning',
        message: `This canary declares ${share}% of traffic, but ${c} canary pod(s) beside ${s} stable pod(s) get about ${actual}%. Share by replica ratio is canary pods / all pods.`,
        ...valueRangeForPath(canary.doc, ['spec', 'replicas']),
      });
    }
  }
  return out;
}

/**
 * What a router in the file splits a Service's traffic by: Istio DestinationRule subsets (label keys,
 * for the Service's host), and Services that are the root of an SMI TrafficSplit or the parent of a
 * Gateway API (GAMMA) HTTPRoute, whose versions the router picks.
 */
interface Routers {
  subsetKeys(service: string): Set<string>;
  routed(service: string): boolean;
}

function routersOf(file: ParsedFile): Routers {
  const subsets = new Map<string, Set<string>>();
  const routed = new Set<string>();
  const hostName = (host: unknown) => (typeof host === 'string' ? host.split('.')[0] : undefined);
  for (const d of file.documents) {
    if (!isRecord(d.value) || d.templated) continue;
    if (d.kind === 'DestinationRule' && d.apiVersion?.startsWith('networking.istio.io/')) {
      const host = hostName(getIn(d.value, ['spec', 'host']));
      const list = getIn(d.value, ['spec', 'subsets']);
      if (!host || !Array.isArray(list)) continue;
      const keys = subsets.get(host) ?? new Set<string>();
      for (const subset of list) for (const key of Object.keys(stringRecord(getIn(subset, ['labels'])))) keys.add(key);
      subsets.set(host, keys);
    } else if (d.kind === 'TrafficSplit' && d.apiVersion?.startsWith('split.smi-spec.io/')) {
      const root = getIn(d.value, ['spec', 'service']);
      if (typeof root === 'string') routed.add(root);
    } else if (d.kind === 'HTTPRoute' && d.apiVersion?.startsWith('gateway.networking.k8s.io/')) {
      const parents = getIn(d.value, ['spec', 'parentRefs']);
      if (Array.isArray(parents)) for (const p of parents) if (getIn(p, ['kind']) === 'Service' && typeof getIn(p, ['name']) === 'string') routed.add(getIn(p, ['name']) as string);
    }
  }
  return { subsetKeys: (service) => subsets.get(service) ?? new Set(), routed: (service) => routed.has(service) };
}

function serviceRules(doc: ParsedDocument, workloads: Workload[], pods: PodSource[], file: ParsedFile, routers: Routers): Finding[] {
  const text = file.text;
  const selector = stringRecord(getIn(doc.value, ['spec', 'selector']));
  if (!Object.keys(selector).length) return [];
  const namespace = getIn(doc.value, ['metadata', 'namespace']);
  const sameNamespace = workloads.filter((w) => w.namespace === namespace);
  if (!sameNamespace.length) return [];
  // Argo Rollouts adds the pod-template-hash to the selector of the Services it manages.
  if (sameNamespace.some((w) => w.kind === 'Rollout' && isManagedService(w, doc.name))) return [];
  const matched = sameNamespace.filter((w) => labelsMatch(selector, w.templateLabels));
  const range = () => rangeForPath(doc, ['spec', 'selector']);
  if (!matched.length) {
    // Pods from an Experiment's templates, or from a workload in a sibling file, are the Service's too.
    if (pods.some((p) => p.namespace === namespace && labelsMatch(selector, p.labels))) return [];
    return [{ code: Rule.ServiceSelectsNothing, severity: 'warning', message: `Selector ${fmt(selector)} matches the pods of no Deployment, Rollout or Experiment in this file or its folder: the Service would have no endpoints.`, ...range() }];
  }
  // Versions a router splits by are the intended pattern (Istio subsets, SMI, GAMMA): selecting
  // one of them would break the routing. Three or more versions under one Service are version
  // routing too (Istio's bookinfo reviews v1/v2/v3), not a blue/green pair.
  const service = doc.name ?? '';
  if (routers.routed(service)) return [];
  for (const key of COLOUR_KEYS) {
    const colours = new Set(matched.map((w) => w.templateLabels?.[key]).filter((v): v is string => v !== undefined));
    if (colours.size === 2 && selector[key] === undefined && !routers.subsetKeys(service).has(key) && (!versionNumbers(colours) || picksOne(file, doc, selector, key))) {
      const first = [...colours][0];
      return [
        {
          code: Rule.ServiceCatchesBothColours,
          severity: 'warning',
          message: `Selector ${fmt(selector)} catches pods of every ${key} (${[...colours].join(', ')}): traffic is split across both environments instead of switched, ${splitText(matched, key)}. Add "${key}" to the selector.`,
          ...range(),
          fix: insertIntoMapFix(doc, text, ['spec', 'selector'], `Select only ${key}: ${first}`, { [key]: first }),
        },
      ];
    }
  }
  return [];
}

/** "3 blue + 1 green pods: about 75% and 25% of requests" — the Service balances over ready pods. */
function splitText(matched: Workload[], key: string): string {
  const pods = new Map<string, number>();
  for (const w of matched) pods.set(w.templateLabels![key], (pods.get(w.templateLabels![key]) ?? 0) + w.replicas);
  const total = [...pods.values()].reduce((a, b) => a + b, 0);
  if (!total) return 'once their pods run';
  const shares = [...pods].map(([, n]) => `${Math.round((n * 1000) / total) / 10}%`);
  return `${[...pods].map(([colour, n]) => `${n} ${colour}`).join(' + ')} pods: about ${shares.join(' and ')} of requests`;
}

/** Values like v1 / v2 / 1.4.0: versions a mesh routes by, or that share a Service on purpose, not blue and green. */
function versionNumbers(values: Set<string>): boolean {
  return [...values].every((v) => /^v?\d+(?:[._-][0-9A-Za-z]+)*$/.test(v));
}

/** Another Service of the file selects the same pods by one value of `key`: the two are meant to be switched. */
function picksOne(file: ParsedFile, service: ParsedDocument, selector: Record<string, string>, key: string): boolean {
  return file.documents.some((d) => {
    if (d === service || d.kind !== 'Service' || d.templated) return false;
    const other = stringRecord(getIn(d.value, ['spec', 'selector']));
    return other[key] !== undefined && Object.entries(selector).every(([k, v]) => other[k] === v);
  });
}

function isManagedService(w: Workload, service: string | undefined): boolean {
  const s = getIn(w.spec, ['strategy']);
  const names = [getIn(s, ['blueGreen', 'activeService']), getIn(s, ['blueGreen', 'previewService']), getIn(s, ['canary', 'stableService']), getIn(s, ['canary', 'canaryService'])];
  return service !== undefined && names.includes(service);
}

function fmt(selector: Record<string, string>): string {
  return `{${Object.entries(selector).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}

// ---- Flagger ------------------------------------------------------------------------------------
// What Flagger v1.36.1 does with a Canary, read from its scheduler (pkg/controller/scheduler.go:
// advanceCanary, runCanary, runBlueGreen, runAnalysis), its Service router
// (pkg/router/kubernetes_default.go, reconcileService) and its types (pkg/apis/flagger/v1beta1/canary.go).

const isFlaggerDoc = (d: ParsedDocument, kind: string) => d.kind === kind && d.apiVersion?.startsWith('flagger.app/') === true && !d.templated && isRecord(d.value);

function flaggerRules(file: ParsedFile, context: LintContext, besideTemplates: boolean): Finding[] {
  const canaries = file.documents.filter((d) => isFlaggerDoc(d, 'Canary'));
  const own = namedObjects(file);
  const around = context.objects ?? [];
  const out: Finding[] = [];
  for (const doc of canaries) {
    const spec = getIn(doc.value, ['spec']);
    if (!isRecord(spec)) continue;
    const namespace = getIn(doc.value, ['metadata', 'namespace']) as string | undefined;
    // Beside Helm templates the target may be one of them: say nothing of what is not found.
    if (!besideTemplates) out.push(...flaggerTargetRule(doc, spec, namespace, own, around), ...flaggerTemplateRule(doc, spec, namespace, [...own, ...around]));
    out.push(...flaggerAnalysisRules(doc, spec));
    // A Service of a neighbour file whose name the Canary takes is said here (this file's are said on the Service).
    const names = flaggerServiceNames(spec);
    const taken = names && around.find((o) => o.kind === 'Service' && o.namespace === namespace && [names.apex, names.primary, names.canary].includes(o.name));
    if (taken) out.push({ code: Rule.FlaggerServiceTaken, severity: 'warning', message: `${serviceTakenText(taken.name, doc.name ?? '')} The Service "${taken.name}" is in another file of this folder: delete it, or set this Canary's service.name to another name.`, ...rangeForPath(doc, isRecord(spec.service) && spec.service.name ? ['spec', 'service', 'name'] : ['spec', 'targetRef', 'name']) });
  }
  // Services of this file that a Canary of the file or the folder generates.
  const generators = [...own, ...around].filter((o) => o.kind === 'Canary' && o.services);
  for (const doc of file.documents) {
    if (doc.kind !== 'Service' || doc.apiVersion !== 'v1' || doc.templated || !doc.name) continue;
    const namespace = getIn(doc.value, ['metadata', 'namespace']);
    const canary = generators.find((c) => c.namespace === namespace && c.services!.includes(doc.name!));
    // One Flagger generated (owned by its Canary, as in objects read back from a cluster) is not hand-written.
    const owners = getIn(doc.value, ['metadata', 'ownerReferences']);
    if (!canary || (Array.isArray(owners) && owners.some((o) => isRecord(o) && o.kind === 'Canary'))) continue;
    const fix = deleteDocumentFix(file, doc, `Delete the Service "${doc.name}" (Flagger creates it)`);
    out.push({ code: Rule.FlaggerServiceTaken, severity: 'warning', message: `${serviceTakenText(doc.name, canary.name)} Delete it and let Flagger create it, or give the Canary another service.name.`, ...valueRangeForPath(doc, ['metadata', 'name']), ...(fix ? { fix } : {}) });
  }
  return out;
}

function serviceTakenText(service: string, canary: string): string {
  return `Flagger creates the Service "${service}" for the Canary "${canary}" and takes over one that exists: at every interval it sets its selector to the primary's or canary's pods and its ports to the Canary's, and whatever applies this manifest sets them back, so its traffic flips between Flagger's pods and yours.`;
}

function flaggerTargetRule(doc: ParsedDocument, spec: Record<string, any>, namespace: string | undefined, own: NamedObject[], around: readonly NamedObject[]): Finding[] {
  const ref = spec.targetRef;
  if (!isRecord(ref) || typeof ref.name !== 'string' || !['Deployment', 'DaemonSet'].includes(String(ref.kind ?? 'Deployment'))) return [];
  const kind = String(ref.kind ?? 'Deployment');
  const sameKind = (objects: readonly NamedObject[]) => objects.filter((o) => o.kind === kind && o.namespace === namespace);
  const known = [...sameKind(own), ...sameKind(around)];
  // Only where the file or its folder keeps workloads of that kind: a Canary alone in a folder has its target elsewhere.
  if (!known.length || known.some((o) => o.name === ref.name)) return [];
  const range = valueRangeForPath(doc, ['spec', 'targetRef', 'name']);
  const only = sameKind(own).length === 1 ? sameKind(own)[0].name : undefined;
  return [
    {
      code: Rule.FlaggerTargetMissing,
      severity: 'warning',
      message: `targetRef names the ${kind} "${ref.name}", which is in neither this file nor its folder (${known.map((o) => `"${o.name}"`).join(', ')} ${known.length === 1 ? 'is' : 'are'}): Flagger finds no target, so the Canary never initializes and no release runs.`,
      ...range,
      ...(only ? { fix: { title: `Target the ${kind} "${only}"`, edits: [{ ...range, newText: scalar(only) }] } } : {}),
    },
  ];
}

function flaggerTemplateRule(doc: ParsedDocument, spec: Record<string, any>, namespace: string | undefined, objects: readonly NamedObject[]): Finding[] {
  const metrics = getIn(spec, ['analysis', 'metrics']);
  if (!Array.isArray(metrics)) return [];
  const out: Finding[] = [];
  metrics.forEach((m, i) => {
    const ref = getIn(m, ['templateRef']);
    const name = getIn(ref, ['name']);
    const refNamespace = getIn(ref, ['namespace']);
    // A template of another namespace is elsewhere by design.
    if (typeof name !== 'string' || (typeof refNamespace === 'string' && refNamespace !== '' && refNamespace !== namespace)) return;
    if (objects.some((o) => o.kind === 'MetricTemplate' && o.name === name && o.namespace === namespace)) return;
    out.push({
      code: Rule.FlaggerTemplateMissing,
      severity: 'warning',
      message: `No MetricTemplate "${name}" in this file or its folder. If it is not in the cluster either, Flagger stops at the start of each release (it checks every template first) and nothing is released. Ignore this if it lives elsewhere.`,
      ...valueRangeForPath(doc, ['spec', 'analysis', 'metrics', i, 'templateRef', 'name']),
    });
  });
  return out;
}

function flaggerAnalysisRules(doc: ParsedDocument, spec: Record<string, any>): Finding[] {
  const analysis = isRecord(spec.analysis) ? spec.analysis : isRecord(spec.canaryAnalysis) ? spec.canaryAnalysis : undefined;
  if (!analysis || spec.skipAnalysis === true) return [];
  const at: PathSegment[] = ['spec', isRecord(spec.analysis) ? 'analysis' : 'canaryAnalysis'];
  const num = (key: string) => (typeof analysis[key] === 'number' ? (analysis[key] as number) : undefined);
  const stepWeights = Array.isArray(analysis.stepWeights) && analysis.stepWeights.every((w: unknown) => typeof w === 'number') && analysis.stepWeights.length ? (analysis.stepWeights as number[]) : undefined;
  const weights: FlaggerWeights = { stepWeight: num('stepWeight'), stepWeights, maxWeight: num('maxWeight') };
  const iterations = num('iterations');
  const blueGreen = (iterations ?? 0) > 0 || spec.provider === 'kubernetes';
  const out: Finding[] = [];
  const range = (key: string) => valueRangeForPath(doc, [...at, key]);
  const ignored = (key: string, why: string) => out.push({ code: Rule.FlaggerIgnoredField, severity: 'information', message: `${key} is ignored: ${why}`, ...rangeForPath(doc, [...at, key]) });

  if (blueGreen) {
    const why = (iterations ?? 0) > 0 ? `with iterations, Flagger runs a blue/green (or A/B) test: ${iterations} checks, then all traffic at once.` : `the kubernetes provider has no weights: Flagger runs a blue/green test (${FLAGGER_KUBERNETES_DEFAULT_ITERATIONS} iterations when none are set).`;
    for (const key of ['stepWeight', 'stepWeights', 'maxWeight'] as const) if (analysis[key] !== undefined) ignored(key, why);
  } else {
    if ((weights.stepWeight ?? 0) > 0 && stepWeights) ignored('stepWeights', `stepWeight ${weights.stepWeight} is set, and Flagger uses stepWeight when it is above 0.`);
    else if (stepWeights && weights.maxWeight !== undefined) ignored('maxWeight', `with stepWeights, Flagger promotes at their last entry (${Math.min(100, stepWeights[stepWeights.length - 1])}).`);
    const walk = walkFlaggerWeights(weights);
    if ((weights.stepWeight ?? 0) > 0 && walk.promotes && walk.weights[walk.weights.length - 1] > walk.maxWeight) {
      const last = walk.weights[walk.weights.length - 1];
      const maxKey: PathSegment[] = [...at, 'maxWeight'];
      out.push({
        code: Rule.FlaggerStepOvershoots,
        severity: 'warning',
        message: `stepWeight ${weights.stepWeight} never lands on maxWeight ${walk.maxWeight}: Flagger goes ${walk.weights.join(' -> ')} and promotes at ${last}, so for one interval the canary takes ${last}% of traffic, ${last - walk.maxWeight} more than maxWeight (Flagger caps a step at 100, not at maxWeight). Use a stepWeight that divides ${walk.maxWeight}, or maxWeight ${last}.`,
        ...range('stepWeight'),
        ...(weights.maxWeight !== undefined && isScalar(nodeAtPath(doc, maxKey)) ? { fix: { title: `Set maxWeight to ${last} (the weight Flagger reaches)`, edits: [{ ...valueRangeForPath(doc, maxKey), newText: String(last) }] } } : {}),
      });
    }
    // Neither a stepWeight nor stepWeights: Flagger's next step is 0 and advanceCanary never calls runCanary.
    // Without a provider the controller's default may be kubernetes (blue/green): only said when one is set.
    if (!((weights.stepWeight ?? 0) > 0) && !stepWeights && typeof spec.provider === 'string' && spec.provider !== '') {
      out.push({
        code: Rule.FlaggerNoSteps,
        severity: 'error',
        message: `No stepWeight, stepWeights or iterations: Flagger has no step to take, so each new version stays at weight 0 for good: never promoted, and while its checks pass, never rolled back. Set stepWeight and maxWeight (a canary) or iterations (blue/green).`,
        ...rangeForPath(doc, at),
      });
    }
    const down = stepWeights && !((weights.stepWeight ?? 0) > 0) ? stepWeights.findIndex((w, i) => i > 0 && w <= stepWeights[i - 1]) : -1;
    if (stepWeights && down > 0) {
      const pair = `(${stepWeights[down - 1]} then ${stepWeights[down]})`;
      const reached = walk.weights[walk.weights.length - 1] ?? 0;
      out.push({
        code: Rule.FlaggerStepWeightsNotIncreasing,
        severity: walk.promotes ? 'warning' : 'error',
        message: walk.promotes
          ? `stepWeights do not increase ${pair}: Flagger promotes at ${reached}%, the first weight at or above the last entry (${walk.maxWeight}), so the weights after it are never used. List increasing weights.`
          : `stepWeights do not increase ${pair}: at ${reached}% Flagger finds no step up, so the canary stays there for good: it is never promoted, and while its checks pass, never rolled back. List increasing weights.`,
        ...valueRangeForPath(doc, [...at, 'stepWeights', down]),
      });
    }
  }

  const metrics = Array.isArray(analysis.metrics) ? analysis.metrics : [];
  const hooks = Array.isArray(analysis.webhooks) ? analysis.webhooks : [];
  const hookType = (h: unknown) => String(getIn(h, ['type']) ?? 'rollout') || 'rollout';
  const checking = hooks.filter((h) => ['rollout', 'pre-rollout'].includes(hookType(h)));
  const checks = blueGreen ? ((iterations ?? 0) > 0 ? iterations! : FLAGGER_KUBERNETES_DEFAULT_ITERATIONS) : flaggerChecksBeforePromotion(weights);
  if (checks === 0) {
    // No steps: said above.
  } else if (!metrics.length && !checking.length) {
    const gate = hooks.some((h) => hookType(h).startsWith('confirm-'));
    out.push({
      code: Rule.FlaggerNoChecks,
      severity: 'warning',
      message: `No metrics and no rollout or pre-rollout webhook: every check passes, so Flagger promotes after ${checks} interval(s) whatever the new version does${gate ? ', as soon as its confirm gate opens' : ''}. Add a metric (a MetricTemplate's error rate, say) or a webhook that tests the canary.`,
      ...rangeForPath(doc, at),
    });
  } else if (checks === 1) {
    out.push({
      code: Rule.FlaggerSingleCheck,
      severity: 'information',
      message: blueGreen
        ? `iterations 1: one passed check promotes the new version, so a single interval of metrics decides the release. Several iterations catch what one window misses.`
        : `The first step already reaches the promotion weight (${firstStepText(weights)}): one passed check promotes the new version. Smaller steps let more checks see it before all traffic moves.`,
      ...rangeForPath(doc, blueGreen ? [...at, 'iterations'] : [...at, stepWeights && !((weights.stepWeight ?? 0) > 0) ? 'stepWeights' : 'stepWeight']),
    });
  }
  return out;
}

function firstStepText(weights: FlaggerWeights): string {
  const w = walkFlaggerWeights(weights);
  return `weight ${w.weights[0]}, maxWeight ${w.maxWeight}`;
}

/** A fix that removes a whole document and one `---` beside it, when the file has another document. */
function deleteDocumentFix(file: ParsedFile, doc: ParsedDocument, title: string): Fix | undefined {
  const i = file.documents.indexOf(doc);
  const next = file.documents[i + 1];
  if (i > 0) return { title, edits: [{ start: doc.offset, end: next ? next.offset : file.text.length, newText: '' }] };
  if (!next) return undefined;
  // The first document: keep the comments above it, remove it and the next document's separator line
  // (a comment on that line, `--- # prod`, stays as a line of its own).
  const separator = /^---(?:[ \t]+(#[^\r\n]*))?[ \t]*\r?\n/.exec(file.text.slice(next.offset));
  return separator ? { title, edits: [{ start: doc.start, end: next.offset + separator[0].length, newText: separator[1] ? `${separator[1].trimEnd()}\n` : '' }] } : undefined;
}

// ---- quick-fix edits ------------------------------------------------------------------------

/**
 * A fix that adds `entries` to the block map at `path`, so the rest of the file keeps its layout and
 * comments. A key the map already has is filled in rather than written twice: a `lifecycle` with only
 * `postStart` gets `preStop` inside it, an empty `readinessProbe:` gets its probe. No fix where that
 * cannot be written as block YAML (flow maps, a key holding a scalar).
 */
function insertIntoMapFix(doc: ParsedDocument, text: string, path: PathSegment[], title: string, entries: Record<string, unknown>): Fix | undefined {
  const edits = mergeIntoMap(doc, text, path, entries);
  return edits && { title, edits };
}

function mergeIntoMap(doc: ParsedDocument, text: string, path: PathSegment[], entries: Record<string, unknown>): TextEdit[] | undefined {
  const node = nodeAtPath(doc, path);
  if (!isMap(node) || !node.items.length || node.flow) return undefined;
  const edits: TextEdit[] = [];
  const added: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) {
      added[key] = value;
      continue;
    }
    const inner = isRecord(value) ? (isEmptyValue(pair.value) ? fillEmptyValue(doc, text, pair, value) : mergeIntoMap(doc, text, [...path, key], value)) : undefined;
    if (!inner) return undefined;
    edits.push(...inner);
  }
  if (Object.keys(added).length) {
    const firstKey = node.items[0].key as Node | null;
    if (!firstKey?.range) return undefined;
    // For a map that is a sequence item ("- name: x"), the first key's column is the indent of all its keys.
    const end = endOfBlock(node.range![1] + doc.offset, text);
    const atLineStart = end === 0 || text[end - 1] === '\n';
    edits.push({ start: end, end, newText: (atLineStart ? '' : '\n') + dumpBlock(added, columnOf(firstKey.range[0] + doc.offset, text)) });
  }
  return edits;
}

/** `key:`, `key: null`, `key: ~` or `key: {}`: a value the fix may fill in. */
function isEmptyValue(value: unknown): boolean {
  return value === null || (isScalar(value) && value.value === null) || (isMap(value) && !value.items.length);
}

/** Writes `entries` as the block value of a pair whose value is empty, leaving its line and comment as they are. */
function fillEmptyValue(doc: ParsedDocument, text: string, pair: Pair, entries: Record<string, unknown>): TextEdit[] | undefined {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  if (!key.range) return undefined;
  const keyStart = key.range[0] + doc.offset;
  const edits: TextEdit[] = [];
  // An explicit `null`, `~` or `{}` goes; an empty value has no text to remove.
  if (value?.range && value.range[1] > value.range[0]) edits.push({ start: value.range[0] + doc.offset, end: value.range[1] + doc.offset, newText: '' });
  const newline = /\r?\n/g;
  newline.lastIndex = keyStart;
  const at = newline.exec(text)?.index ?? text.length;
  edits.push({ start: at, end: at, newText: '\n' + dumpBlock(entries, columnOf(keyStart, text) + 2).slice(0, -1) });
  return edits;
}

function columnOf(offset: number, text: string): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Offset of the start of the line after a block node's last value (`end`, a file offset). */
function endOfBlock(end: number, text: string): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

function dumpBlock(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const walk = (v: unknown, depth: number) => {
    for (const [k, child] of Object.entries(v as object)) {
      const p = pad + '  '.repeat(depth);
      if (isRecord(child)) {
        if (!Object.keys(child).length) lines.push(`${p}${k}: {}`);
        else {
          lines.push(`${p}${k}:`);
          walk(child, depth + 1);
        }
      } else {
        lines.push(`${p}${k}: ${scalar(child)}`);
      }
    }
  };
  walk(value, 0);
  return lines.join('\n') + '\n';
}

function scalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return /^[A-Za-z_][\w./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) ? s : JSON.stringify(s);
}
