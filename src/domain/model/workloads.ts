// One view model per workload, computed by a pure function from a namespace's objects. The tree,
// the webview and the commands only render or act on it (the Argo plugin's `info` package is the model).
import type { Deployment, EndpointSlice, FlaggerCanary, Experiment, FieldChange, NamespaceSnapshot, Pod, ReplicaSet, Rollout, Service } from './objects';
import { withLastChange } from './lean';
import { withManagedBy, type ManagedBy } from './ownership';
import { IndexedNamespace } from './indexed';
import { Annotations, COLOUR_KEYS, labelsMatch } from '../release/vocabulary';
import { podProblem, withProblem, withRevisionProblem, withStartProblem, withStuckProblems, type PodProblem } from './reasons';
import { analysisCompleted, canaryStepText, currentCanaryStep, currentSetWeight, deploymentStatus, invalidStrategy, maxTrafficWeight, rolloutPause, rolloutStatus, type Health, type PauseView } from './status';
import { analysisRunView } from './analysis';
import { analysisUsages, type TemplateRef } from '../analysis/measure';
import { deploymentClock, rolloutClock, withClock, withReadySince, type ReleaseClock } from '../release/clock';
import { deploymentStop, rolloutStop, withStop, type StopCondition } from '../release/stopped';

/** `argo-invalid`: a Rollout with neither a canary nor a blueGreen strategy (or both), which the controller refuses. */
export type StrategyKind = 'rolling' | 'recreate' | 'bluegreen' | 'canary-replicas' | 'argo-canary' | 'argo-bluegreen' | 'argo-invalid';
/** `Canary`: a Flagger Canary (flagger.app/v1beta1); its view model comes with the flagger-live work. */
export type WorkloadKind = 'Deployment' | 'Rollout' | 'BlueGreen' | 'ReplicaCanary' | 'Canary';
export type PodState = 'ready' | 'starting' | 'pending' | 'failed' | 'terminating' | 'succeeded';
/** ping / pong: which pingPong Service a canary's stable or canary revision is behind. */
export type RevisionRole = 'stable' | 'canary' | 'active' | 'preview' | 'current' | 'old' | 'ping' | 'pong';

export interface PodView {
  name: string;
  state: PodState;
  phase: string;
  ready: boolean;
  restarts: number;
  createdAt?: string;
  node?: string;
  reason?: string;
  /** Why it is not serving, when it is not (reasons.ts). */
  problem?: PodProblem;
  /** When it last turned Ready, while it is. */
  readySince?: string;
}

export interface RevisionView {
  revision: number;
  replicaSet: string;
  podTemplateHash?: string;
  images: string[];
  desired: number;
  current: number;
  ready: number;
  available: number;
  createdAt?: string;
  changeCause?: string;
  roles: RevisionRole[];
  health: 'Healthy' | 'Progressing' | 'ScaledDown' | 'ReplicaFailure';
  pods: PodView[];
  /** Its ReplicaSet could not create pods, or the first of its pods that cannot start. */
  problem?: PodProblem;
  /** In a pair or a replica canary: its pods that are ready endpoints of the group's Service (what it serves). */
  endpoints?: number;
  /** When the controller scales this old revision down (scaleDownDelaySeconds), RFC 3339: see scaleDownText. */
  scaleDownDeadline?: string;
  /** The Experiment template this ReplicaSet runs, for an Experiment's. */
  experimentTemplate?: string;
}

export interface MetricView {
  name: string;
  phase: string;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  /** The latest measured values, newest last. */
  values: string[];
  /** Those of them that are numbers (a chart's points), with their phase and when they were taken. */
  points: { value: number; phase: string; at?: string }[];
  message?: string;
  /** The spec's conditions, as written. */
  successCondition?: string;
  failureCondition?: string;
  /** The spec's limits, with Argo's defaults filled in (0, 0, 4). */
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  consecutiveErrors: number;
  /** Measurements taken, and how many the metric takes (absent: until the run ends). */
  measured: number;
  count?: number;
  /** Go durations from the spec. */
  interval?: string;
  initialDelay?: string;
  /** The newest measurement. */
  last?: { phase: string; startedAt?: string; finishedAt?: string; resumeAt?: string; message?: string };
  /** The value of the newest measurement that failed (the newest value may be a later success). */
  lastFailed?: string;
}

export interface AnalysisRunView {
  name: string;
  phase: string;
  message?: string;
  revision?: number;
  createdAt?: string;
  startedAt?: string;
  metrics: MetricView[];
  /** The Experiment that runs it, for one an Experiment owns (not the Rollout). */
  experiment?: string;
}

export interface ExperimentTemplateView {
  name: string;
  /** Pods the template asks for. */
  replicas: number;
  /** The controller's word for the template (status.templateStatuses): Progressing, Running, Successful, Failed, Error. */
  status?: string;
  message?: string;
  /** Its ReplicaSet (owned by the Experiment) with its pods, once the controller has created it. */
  replicaSet?: RevisionView;
}

/** An Experiment a canary step runs, as the plugin shows it under its Rollout. */
export interface ExperimentView {
  name: string;
  /** The controller's phase: Pending, Running, Successful, Failed, Error, Inconclusive. */
  phase: string;
  message?: string;
  revision?: number;
  createdAt?: string;
  duration?: string;
  /** The one the current canary step runs (status.canary.currentExperiment). */
  current: boolean;
  templates: ExperimentTemplateView[];
  /** Names of its AnalysisRuns: they are in the Rollout's `analysisRuns`, with `experiment` set. */
  analysisRuns: string[];
}

export interface Replicas {
  desired: number;
  current: number;
  updated: number;
  ready: number;
  available: number;
}

export interface ColourView {
  colour: string;
  deployment: string;
  replicas: Replicas;
  images: string[];
  health: Health;
  /** Ready endpoints of the production Service that are pods of this colour. */
  liveEndpoints: number;
}

export interface BlueGreenView {
  service: string;
  previewService?: string;
  selectorKey: string;
  /** Colour the production Service selects. */
  live?: string;
  idle?: string;
  colours: ColourView[];
  /** The idle colour has every desired pod available: a switch would not drop capacity. */
  idleReady: boolean;
  /** Colour(s) whose pods the Service's EndpointSlices actually hold (what traffic reaches now). */
  endpointsColours: string[];
  /** Colour a "Switch back" would restore (recorded on the Service by the last Switchyard switch). */
  switchBackTo?: string;
}

export interface CanaryStepView {
  index: number;
  text: string;
  current: boolean;
  done: boolean;
}

export interface CanaryView {
  step?: number;
  stepCount?: number;
  steps: CanaryStepView[];
  /** Desired weight, in percent or out of `maxWeight`. */
  setWeight: number;
  /** Weight traffic actually gets (status.canary.weights with a router), in percent or out of `maxWeight`. */
  actualWeight: number;
  /** trafficRouting.maxTrafficWeight, when it is not 100: the weights are out of it, not percent. */
  maxWeight?: number;
  /** pingPong Services, which take turns as stable and canary: `stable` says which is stable now. */
  pingPong?: { pingService: string; pongService: string; stable: 'ping' | 'pong' };
  /** Share declared on a replica-ratio canary, if any. */
  requestedShare?: number;
  pauseReasons: string[];
  aborted: boolean;
  trafficRouting?: string;
  stableImages: string[];
  canaryImages: string[];
  /**
   * A replica canary's actual traffic per revision that serves: from the ready endpoints of the
   * Service's EndpointSlices, or (no slice known) the revisions' ready pods. An old canary pod
   * that still serves is here under its own image, not credited to the new one.
   */
  traffic?: RevisionTraffic[];
}

export interface RevisionTraffic {
  replicaSet: string;
  images: string[];
  roles: RevisionRole[];
  /** Ready endpoints (or ready pods) of this revision. */
  serving: number;
  percent: number;
  from: 'endpoints' | 'ready pods';
}

export interface WorkloadView {
  /** Stable id: kind/namespace/name. */
  id: string;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  strategy: StrategyKind;
  health: Health;
  message: string;
  replicas: Replicas;
  images: { image: string; tags: string[] }[];
  revisions: RevisionView[];
  analysisRuns: AnalysisRunView[];
  /** A Rollout's Experiments (its canary steps'), newest revision first. */
  experiments?: ExperimentView[];
  blueGreen?: BlueGreenView;
  canary?: CanaryView;
  /** Deployments that make up a pair or a replica canary. */
  members: string[];
  paused: boolean;
  /** resourceVersion of the main object, the version actions decide on. */
  resourceVersion?: string;
  /** Argo Rollouts manages this workload's Services: never hand-patch them. */
  argoManaged: boolean;
  /** One line for the tree, e.g. "step 2/8 · 20%" or "green live · blue idle". */
  description: string;
  /** An Argo Rollout's pause: why, and whether it goes on by itself. */
  pause?: PauseView;
  /** Who changed the workload's objects last, release controllers aside (lean.ts). */
  lastChange?: FieldChange;
  /** The GitOps or Helm tools that manage its objects, and the release fields they own (ownership.ts). */
  managedBy?: ManagedBy[];
  /** The release's times as the controller counts them (release/clock.ts). */
  clock?: ReleaseClock;
  /** The controller says it stopped: aborted, past its progress deadline, invalid (release/stopped.ts). */
  stop?: StopCondition;
  /** The AnalysisTemplates a Rollout's strategy runs (for Evaluate now), each once. */
  analysisTemplates?: TemplateRef[];
  /** The Services a Rollout's spec puts in front of its revisions, by role (canaryService, activeService…). */
  services?: Partial<Record<RevisionRole, string>>;
  /** A Flagger Canary's own object (kind Canary): the actions decide on its spec and status. */
  flagger?: { canary: FlaggerCanary };
}

function withTemplates(r: Rollout): { analysisTemplates?: TemplateRef[] } {
  const refs = new Map(analysisUsages(r).flatMap((u) => u.templates).map((t) => [`${t.clusterScope}/${t.templateName}`, t]));
  return refs.size ? { analysisTemplates: [...refs.values()] } : {};
}

export function podView(p: Pod): PodView {
  const statuses = p.status?.containerStatuses ?? [];
  const readyCondition = p.status?.conditions?.find((c) => c.type === 'Ready');
  const ready = readyCondition?.status === 'True';
  const phase = p.status?.phase ?? 'Pending';
  const waiting = statuses.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find((r) => r);
  let state: PodState;
  if (p.metadata.deletionTimestamp) state = 'terminating';
  else if (phase === 'Failed' || waiting === 'CrashLoopBackOff' || waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull') state = 'failed';
  else if (phase === 'Succeeded') state = 'succeeded';
  else if (phase === 'Pending') state = 'pending';
  else state = ready ? 'ready' : 'starting';
  return {
    name: p.metadata.name,
    state,
    phase,
    ready,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    createdAt: p.metadata.creationTimestamp,
    node: p.spec?.nodeName,
    reason: waiting ?? p.status?.reason,
    ...withProblem(podProblem(p)),
    ...withReadySince(p),
  };
}

function replicaSetHealth(rs: ReplicaSet): RevisionView['health'] {
  if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) return 'ReplicaFailure';
  const desired = rs.spec?.replicas ?? 0;
  if ((rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  return desired === 0 ? 'ScaledDown' : 'Healthy';
}

/** One ReplicaSet as a revision, with its pods; no roles yet (its owner's view gives them). */
export function revisionOf(rs: ReplicaSet, annotation: string, pods: PodView[]): RevisionView {
  const deadline = rs.metadata.annotations?.[Annotations.ScaleDownDeadline];
  const template = rs.metadata.annotations?.[Annotations.ExperimentTemplate];
  return withRevisionProblem(rs, {
      revision: Number(rs.metadata.annotations?.[annotation] ?? 0),
      replicaSet: rs.metadata.name,
      podTemplateHash: rs.metadata.labels?.['pod-template-hash'] ?? rs.metadata.labels?.['rollouts-pod-template-hash'],
      images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
      desired: rs.spec?.replicas ?? 0,
      current: rs.status?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      createdAt: rs.metadata.creationTimestamp,
      changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
      roles: [],
      health: replicaSetHealth(rs),
      pods,
      ...(deadline ? { scaleDownDeadline: deadline } : {}),
      ...(template ? { experimentTemplate: template } : {}),
    });
}

function revisionViews(owner: { metadata: { uid?: string; name: string } }, kind: string, ns: IndexedNamespace, annotation: string): RevisionView[] {
  const views = ns.replicaSets.ownedBy(owner, kind).map((rs) => revisionOf(rs, annotation, ns.pods.ownedBy(rs, 'ReplicaSet').map(podView).sort((a, b) => a.name.localeCompare(b.name))));
  return views.sort((a, b) => b.revision - a.revision || a.replicaSet.localeCompare(b.replicaSet));
}

function imagesOf(d: { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }): string[] {
  return (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
}

function deploymentReplicas(d: Deployment): Replicas {
  return {
    desired: d.spec?.replicas ?? 1,
    current: d.status?.replicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
  };
}

export function deploymentView(d: Deployment, ns: IndexedNamespace): WorkloadView {
  const status = deploymentStatus(d);
  const revisions = withStuckProblems(revisionViews(d, 'Deployment', ns, Annotations.DeploymentRevision), status.health);
  if (revisions.length) {
    revisions[0].roles.push('current');
    for (const r of revisions.slice(1)) r.roles.push('old');
  }
  const replicas = deploymentReplicas(d);
  const strategy: StrategyKind = d.spec?.strategy?.type === 'Recreate' ? 'recreate' : 'rolling';
  const view: WorkloadView = {
    id: `Deployment/${ns.namespace}/${d.metadata.name}`,
    kind: 'Deployment',
    name: d.metadata.name,
    namespace: ns.namespace,
    strategy,
    health: status.health,
    message: status.message,
    replicas,
    images: imagesOf(d).map((image) => ({ image, tags: [] })),
    revisions,
    analysisRuns: [],
    members: [],
    paused: !!d.spec?.paused,
    resourceVersion: d.metadata.resourceVersion,
    argoManaged: false,
    description: '',
    ...withLastChange(d.metadata),
    ...withManagedBy([{ key: `deployments/${d.metadata.name}`, meta: d.metadata }]),
    ...withClock(deploymentClock(d, revisions[0]?.createdAt)),
    ...withStop(deploymentStop(d)),
  };
  view.description = withStartProblem({ ...view, description: describeRolling(view) });
  return view;
}

function describeRolling(v: WorkloadView): string {
  const r = v.replicas;
  const revision = v.revisions[0]?.revision;
  const rev = revision ? ` · rev ${revision}` : '';
  if (v.health === 'Degraded') return `deadline exceeded · ${r.updated}/${r.desired} updated`;
  if (v.health === 'Healthy') return `${r.available}/${r.desired} available${rev}`;
  const prefix = v.paused ? 'paused · ' : '';
  if (r.updated < r.desired) return `${prefix}${r.updated}/${r.desired} updated${rev}`;
  if (r.current > r.updated) return `${prefix}${r.current - r.updated} old terminating${rev}`;
  return `${prefix}${r.available}/${r.updated} available${rev}`;
}

function servicePods(slices: EndpointSlice[]): { pod: string; ready: boolean }[] {
  return slices
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.targetRef?.kind === 'Pod' && e.targetRef.name)
    .map((e) => ({ pod: e.targetRef!.name!, ready: e.conditions?.ready !== false }));
}

/** The pods that are ready endpoints of a Service; undefined when it has no EndpointSlice (not known). */
export function readyEndpointPods(slices: EndpointSlice[]): Set<string> | undefined {
  return slices.length ? new Set(servicePods(slices).filter((e) => e.ready).map((e) => e.pod)) : undefined;
}

const percentOf = (a: number, b: number) => (b > 0 ? Math.round((a * 10000) / b) / 100 : 0);

/** A Deployment of a pair or a replica canary, and the role its current revision plays there. */
export interface GroupMember {
  view: WorkloadView;
  role: Extract<RevisionRole, 'canary' | 'stable' | 'active' | 'preview'>;
}

/**
 * The revisions a grouped workload shows: each member's current one under the member's role, and
 * every older one that still has pods (a rolling update of a member under way, or stuck: its old
 * pods may be what serves), marked old. Each with its pods that are ready endpoints of the Service.
 */
export function groupRevisions(members: readonly GroupMember[], serving: Set<string> | undefined): RevisionView[] {
  return members.flatMap(({ view, role }) =>
    view.revisions
      .filter((r) => r.roles.includes('current') || r.pods.length > 0 || r.current > 0)
      .map((r): RevisionView => ({
        ...r,
        roles: r.roles.includes('current') ? [role] : [role, 'old'],
        ...(serving ? { endpoints: r.pods.filter((p) => serving.has(p.name)).length } : {}),
      })),
  );
}

/** What each revision of a group serves (its endpoints, else its ready pods), in percent of the whole. */
export function revisionTraffic(revisions: readonly RevisionView[]): RevisionTraffic[] {
  const from = revisions.some((r) => r.endpoints !== undefined) ? 'endpoints' : 'ready pods';
  const servingOf = (r: RevisionView) => (from === 'endpoints' ? (r.endpoints ?? 0) : r.ready);
  const total = revisions.reduce((n, r) => n + servingOf(r), 0);
  return revisions.filter((r) => servingOf(r) > 0).map((r) => ({ replicaSet: r.replicaSet, images: r.images, roles: r.roles, serving: servingOf(r), percent: percentOf(servingOf(r), total), from }));
}

export interface PairCandidate {
  service: Service;
  key: string;
  base: Record<string, string>;
  members: Deployment[];
}

/** A Deployment that is a workload of its own (not run by a Rollout through `workloadRef`). */
function standalone(ns: IndexedNamespace, d: Deployment): boolean {
  return !ns.isRolloutWorkload(d.metadata.name);
}

/** Plain-Kubernetes blue/green: a Service whose selector picks one value of a colour label among Deployments that differ only by it. */
function findBlueGreenPairs(ns: IndexedNamespace): PairCandidate[] {
  const pairs: PairCandidate[] = [];
  for (const service of ns.list('services')) {
    if (service.metadata.annotations?.[Annotations.ArgoManagedBy]) continue;
    const selector = service.spec?.selector ?? {};
    for (const key of COLOUR_KEYS) {
      if (selector[key] === undefined) continue;
      const base = Object.fromEntries(Object.entries(selector).filter(([k]) => k !== key));
      if (!Object.keys(base).length) continue;
      const members = ns.deploymentsByTemplateLabel.candidates(base).filter((d) => standalone(ns, d) && labelsMatch(base, d.spec?.template?.metadata?.labels) && d.spec?.template?.metadata?.labels?.[key] !== undefined);
      const colours = new Set(members.map((d) => d.spec!.template!.metadata!.labels![key]));
      if (colours.size >= 2) pairs.push({ service, key, base, members });
    }
  }
  // The production Service of a pair is the one with no "preview" in its name when two select the same pair.
  const byMembers = new Map<string, PairCandidate[]>();
  for (const p of pairs) {
    const k = p.members.map((m) => m.metadata.name).sort().join(',') + '|' + p.key;
    byMembers.set(k, [...(byMembers.get(k) ?? []), p]);
  }
  return [...byMembers.values()].map((group) => {
    const production = group.find((p) => !/preview|staging|test|idle/.test(p.service.metadata.name)) ?? group[0];
    return production;
  });
}

/** The other Service of a pair: it selects the pair's Deployments by another colour than the production one. */
export function previewService(pair: PairCandidate, ns: IndexedNamespace): Service | undefined {
  const { service, key, base } = pair;
  const live = service.spec?.selector?.[key];
  return ns.servicesBySelector.candidates(base).find((s) => s !== service && labelsMatch(base, s.spec?.selector) && s.spec?.selector?.[key] !== undefined && s.spec?.selector?.[key] !== live);
}

export function blueGreenView(pair: PairCandidate, ns: IndexedNamespace, views: Map<string, WorkloadView>): WorkloadView {
  const { service, key } = pair;
  const live = service.spec?.selector?.[key];
  const endpointPods = servicePods(ns.endpointSlicesOf(service.metadata.name)).filter((e) => e.ready);
  const colours: ColourView[] = pair.members
    .map((d) => {
      const colour = d.spec!.template!.metadata!.labels![key];
      const dv = views.get(d.metadata.name)!;
      const podNames = new Set(dv.revisions.flatMap((r) => r.pods.map((p) => p.name)));
      return { colour, deployment: d.metadata.name, replicas: dv.replicas, images: imagesOf(d), health: dv.health, liveEndpoints: endpointPods.filter((e) => podNames.has(e.pod)).length };
    })
    .sort((a, b) => (a.colour === live ? -1 : b.colour === live ? 1 : a.colour.localeCompare(b.colour)));
  const idleColour = colours.find((c) => c.colour !== live);
  const preview = previewService(pair, ns);
  const liveColour = colours.find((c) => c.colour === live);
  const idleReady = !!idleColour && idleColour.replicas.desired > 0 && idleColour.replicas.available >= idleColour.replicas.desired && idleColour.health === 'Healthy';
  const health: Health = !liveColour ? 'Degraded' : liveColour.health === 'Degraded' ? 'Degraded' : liveColour.replicas.available < liveColour.replicas.desired ? 'Progressing' : 'Healthy';
  const endpointsColours = colours.filter((c) => c.liveEndpoints > 0).map((c) => c.colour);
  const message = !liveColour
    ? `Service "${service.metadata.name}" selects ${key}=${live}, but no Deployment has that colour: it has no endpoints.`
    : `${live} serves production through Service "${service.metadata.name}"${idleColour ? `; ${idleColour.colour} is idle${idleReady ? ' and ready to take traffic' : ` (${idleColour.replicas.available}/${idleColour.replicas.desired} available)`}` : ''}.`;
  const name = service.metadata.name;
  const view: WorkloadView = {
    id: `BlueGreen/${ns.namespace}/${name}`,
    kind: 'BlueGreen',
    name,
    namespace: ns.namespace,
    strategy: 'bluegreen',
    health,
    message,
    replicas: liveColour?.replicas ?? { desired: 0, current: 0, updated: 0, ready: 0, available: 0 },
    images: colours.flatMap((c) => c.images.map((image) => ({ image, tags: [c.colour === live ? 'live' : 'idle', c.colour] }))),
    revisions: groupRevisions(colours.map((c) => ({ view: views.get(c.deployment)!, role: c.colour === live ? 'active' : 'preview' })), readyEndpointPods(ns.endpointSlicesOf(service.metadata.name))),
    analysisRuns: [],
    blueGreen: { service: name, previewService: preview?.metadata.name, selectorKey: key, live, idle: idleColour?.colour, colours, idleReady, endpointsColours, switchBackTo: previousColour(service, key) },
    members: colours.map((c) => c.deployment),
    paused: false,
    resourceVersion: service.metadata.resourceVersion,
    argoManaged: false,
    description: '',
    ...withLastChange(service.metadata, ...pair.members.map((d) => d.metadata)),
    ...withManagedBy([{ key: `services/${service.metadata.name}`, meta: service.metadata }, ...pair.members.map((d) => ({ key: `deployments/${d.metadata.name}`, meta: d.metadata }))]),
    // The release of a pair is the idle colour's: its clock and stop.
    ...withClock(idleColour && views.get(idleColour.deployment)?.clock),
    ...withStop(idleColour && views.get(idleColour.deployment)?.stop),
  };
  view.description = idleColour ? `${live} live · ${idleColour.colour} idle${idleReady ? '' : ` (${idleColour.replicas.available}/${idleColour.replicas.desired})`}` : `${live} live`;
  if (endpointsColours.length > 1) view.description += ' · endpoints mixed';
  view.description = withStartProblem(view);
  return view;
}


function previousColour(service: Service, key: string): string | undefined {
  try {
    const previous = JSON.parse(service.metadata.annotations?.[Annotations.PreviousSelector] ?? 'null') as Record<string, string> | null;
    const colour = previous?.[key];
    return colour && colour !== service.spec?.selector?.[key] ? colour : undefined;
  } catch {
    return undefined;
  }
}

export interface CanaryCandidate {
  service: Service;
  stable: Deployment[];
  canary: Deployment;
}

/** Replica-ratio canary: Deployments under one Service, one of them labelled canary. */
function findReplicaCanaries(ns: IndexedNamespace, taken: Set<string>): CanaryCandidate[] {
  const out: CanaryCandidate[] = [];
  for (const service of ns.list('services')) {
    const selected = ns.deploymentsByTemplateLabel.candidates(service.spec?.selector ?? {}).filter((d) => standalone(ns, d) && !taken.has(d.metadata.name) && labelsMatch(service.spec?.selector, d.spec?.template?.metadata?.labels));
    if (selected.length < 2) continue;
    const isCanary = (d: Deployment) => Object.values(d.spec?.template?.metadata?.labels ?? {}).includes('canary') || d.metadata.annotations?.[Annotations.CanaryShare] !== undefined;
    const canary = selected.find(isCanary);
    if (!canary) continue;
    out.push({ service, canary, stable: selected.filter((d) => d !== canary) });
  }
  return out;
}

/** What a replica canary's traffic bar and description say: its revisions, what each serves, the canary's actual share. */
export interface ReplicaCanaryTraffic {
  revisions: RevisionView[];
  traffic: RevisionTraffic[];
  /** Percent served by the canary's current revision (its new template), not by an old canary pod. */
  actualWeight: number;
  /** "1/10 pods": the canary's current revision's serving pods over all serving pods. */
  share: string;
}

export function replicaCanaryTraffic(canary: WorkloadView, stable: readonly WorkloadView[], serving: Set<string> | undefined): ReplicaCanaryTraffic {
  const revisions = groupRevisions([{ view: canary, role: 'canary' }, ...stable.map((view) => ({ view, role: 'stable' as const }))], serving);
  const traffic = revisionTraffic(revisions);
  if (!revisions.length) {
    // No ReplicaSet known: the Deployments' ready counts are all there is.
    const ready = canary.replicas.ready;
    const all = ready + stable.reduce((n, v) => n + v.replicas.ready, 0);
    return { revisions, traffic, actualWeight: percentOf(ready, all), share: `${ready}/${all} pods` };
  }
  const current = revisions.find((r) => r.roles.length === 1 && r.roles[0] === 'canary');
  const canaryServing = traffic.find((t) => t.replicaSet === current?.replicaSet)?.serving ?? 0;
  const all = traffic.reduce((n, t) => n + t.serving, 0);
  // Serving pods either way (endpoints are pods); the panel and tooltip say which count it is.
  return { revisions, traffic, actualWeight: percentOf(canaryServing, all), share: `${canaryServing}/${all} pods` };
}

export function replicaCanaryView(found: CanaryCandidate, ns: IndexedNamespace, views: Map<string, WorkloadView>): WorkloadView {
  const canaryView = views.get(found.canary.metadata.name)!;
  const stableViews = found.stable.map((d) => views.get(d.metadata.name)!);
  const readyCanary = canaryView.replicas.ready;
  const readyAll = readyCanary + stableViews.reduce((n, v) => n + v.replicas.ready, 0);
  const desiredCanary = canaryView.replicas.desired;
  const desiredAll = desiredCanary + stableViews.reduce((n, v) => n + v.replicas.desired, 0);
  const pct = percentOf;
  const served = replicaCanaryTraffic(canaryView, stableViews, readyEndpointPods(ns.endpointSlicesOf(found.service.metadata.name)));
  const requested = found.canary.metadata.annotations?.[Annotations.CanaryShare];
  const all = [canaryView, ...stableViews];
  const worst = all.find((v) => v.health === 'Degraded') ?? all.find((v) => v.health !== 'Healthy');
  const name = found.service.metadata.name;
  const view: WorkloadView = {
    id: `ReplicaCanary/${ns.namespace}/${name}`,
    kind: 'ReplicaCanary',
    name,
    namespace: ns.namespace,
    strategy: 'canary-replicas',
    health: worst?.health ?? 'Healthy',
    message: worst ? `${worst.name}: ${worst.message}` : `Canary "${canaryView.name}" gets about ${served.actualWeight}% of the traffic of Service "${name}".`,
    replicas: { desired: desiredAll, current: all.reduce((n, v) => n + v.replicas.current, 0), updated: desiredAll, ready: readyAll, available: all.reduce((n, v) => n + v.replicas.available, 0) },
    images: [...stableViews.flatMap((v) => v.images.map((i) => ({ image: i.image, tags: ['stable'] }))), ...canaryView.images.map((i) => ({ image: i.image, tags: ['canary'] }))],
    revisions: served.revisions,
    analysisRuns: [],
    canary: {
      steps: [],
      setWeight: pct(desiredCanary, desiredAll),
      actualWeight: served.actualWeight,
      requestedShare: requested !== undefined ? Number(requested) : undefined,
      pauseReasons: [],
      aborted: desiredCanary === 0,
      stableImages: stableViews.flatMap((v) => v.images.map((i) => i.image)),
      canaryImages: canaryView.images.map((i) => i.image),
      traffic: served.traffic,
    },
    members: [canaryView.name, ...stableViews.map((v) => v.name)],
    paused: false,
    resourceVersion: found.canary.metadata.resourceVersion,
    argoManaged: false,
    description: '',
    ...withLastChange(found.canary.metadata, ...found.stable.map((d) => d.metadata)),
    ...withManagedBy([found.canary, ...found.stable].map((d) => ({ key: `deployments/${d.metadata.name}`, meta: d.metadata }))),
    ...withClock(canaryView.clock),
    ...withStop(worst?.stop),
  };
  view.description = desiredCanary === 0 ? 'canary scaled to 0' : `canary ${served.share} · ${view.canary!.actualWeight}%`;
  view.description = withStartProblem(view);
  return view;
}

// One AnalysisRun as the analysis view shows it: model/analysis.ts (with its metrics' conditions and limits).
export { analysisRunView };

/** What a Rollout's view is made of, found by owner: its revisions and AnalysisRuns, and each Experiment's. */
export interface RolloutParts {
  revisions: RevisionView[];
  analysisRuns: AnalysisRunView[];
  experiments: { experiment: Experiment; revisions: RevisionView[]; analysisRuns: AnalysisRunView[] }[];
}

export function rolloutView(r: Rollout, ns: IndexedNamespace): WorkloadView {
  return rolloutViewOf(r, ns.namespace, {
    revisions: revisionViews(r, 'Rollout', ns, Annotations.RolloutRevision),
    analysisRuns: ns.analysisRuns.ownedBy(r, 'Rollout').map(analysisRunView),
    experiments: ns.experiments.ownedBy(r, 'Rollout').map((experiment) => ({
      experiment,
      revisions: revisionViews(experiment, 'Experiment', ns, Annotations.RolloutRevision),
      analysisRuns: ns.analysisRuns.ownedBy(experiment, 'Experiment').map(analysisRunView),
    })),
  });
}

/** An Experiment with its templates (each with its ReplicaSet and pods, matched by the template-name annotation). */
function experimentView(e: Experiment, current: boolean, revisions: RevisionView[], runs: AnalysisRunView[]): ExperimentView {
  const statuses = e.status?.templateStatuses ?? [];
  const revision = e.metadata.annotations?.[Annotations.RolloutRevision];
  return {
    name: e.metadata.name,
    phase: e.status?.phase || 'Pending',
    ...(e.status?.message ? { message: e.status.message } : {}),
    ...(revision !== undefined ? { revision: Number(revision) } : {}),
    ...(e.metadata.creationTimestamp ? { createdAt: e.metadata.creationTimestamp } : {}),
    ...(e.spec?.duration ? { duration: e.spec.duration } : {}),
    current,
    templates: (e.spec?.templates ?? []).map((t): ExperimentTemplateView => {
      const status = statuses.find((x) => x.name === t.name);
      const replicaSet = revisions.find((x) => x.experimentTemplate === t.name);
      return {
        name: t.name,
        replicas: t.replicas ?? 1,
        ...(status?.status ? { status: status.status } : {}),
        ...(status?.message ? { message: status.message } : {}),
        ...(replicaSet ? { replicaSet } : {}),
      };
    }),
    analysisRuns: runs.map((x) => x.name),
  };
}

/** A ReplicaSet shown under a workload: one of its revisions or an Experiment template's (for its pods' nodes). */
export function replicaSetOf(w: WorkloadView, replicaSet: string): RevisionView | undefined {
  return w.revisions.find((r) => r.replicaSet === replicaSet) ?? w.experiments?.flatMap((e) => e.templates).find((t) => t.replicaSet?.replicaSet === replicaSet)?.replicaSet;
}

/** A weight as the tree says it: "20%", or "weight 20/200" against a maxTrafficWeight other than 100. */
export function weightText(weight: number, maxWeight = 100): string {
  return maxWeight === 100 ? `${weight}%` : `weight ${weight}/${maxWeight}`;
}

/** The Rollout's view from what its owner references found (`rolloutView` finds them through the indices). */
export function rolloutViewOf(r: Rollout, namespace: string, parts: RolloutParts): WorkloadView {
  const status = rolloutStatus(r);
  const s = r.status ?? {};
  const revisions = withStuckProblems(parts.revisions, status.health);
  const invalid = invalidStrategy(r);
  // The controller acts on neither strategy of an invalid spec: no roles but current and old.
  const canarySpec = invalid ? undefined : r.spec?.strategy?.canary;
  const bg = invalid ? undefined : r.spec?.strategy?.blueGreen;
  const pingPong = canarySpec?.pingPong;
  const stableIsPing = s.canary?.stablePingPong === 'ping';
  for (const rev of revisions) {
    const hash = rev.podTemplateHash;
    if (canarySpec) {
      if (hash && hash === s.stableRS) rev.roles.push('stable', ...(pingPong ? [stableIsPing ? ('ping' as const) : ('pong' as const)] : []));
      else if (hash && hash === s.currentPodHash) rev.roles.push('canary', ...(pingPong ? [stableIsPing ? ('pong' as const) : ('ping' as const)] : []));
    }
    if (bg) {
      if (hash && hash === s.stableRS) rev.roles.push('stable');
      if (hash && hash === s.blueGreen?.activeSelector) rev.roles.push('active');
      else if (hash && hash === s.blueGreen?.previewSelector) rev.roles.push('preview');
    }
    if (!rev.roles.length) rev.roles.push(hash === s.currentPodHash ? 'current' : 'old');
  }
  const experiments = parts.experiments
    .map((x) => experimentView(x.experiment, x.experiment.metadata.name === s.canary?.currentExperiment, x.revisions, x.analysisRuns))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0) || (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name));
  // Images that run, tagged with the roles of their revisions and (Σ:template) the Experiment templates running them, as the plugin tags them.
  const images = new Map<string, Set<string>>();
  const tagImages = (rev: RevisionView, tags: string[]) => {
    if (rev.current <= 0) return;
    for (const image of rev.images) {
      const set = images.get(image) ?? new Set<string>();
      tags.forEach((x) => set.add(x));
      images.set(image, set);
    }
  };
  for (const rev of revisions) tagImages(rev, rev.roles.filter((x) => x !== 'old' && x !== 'current'));
  for (const e of experiments) for (const t of e.templates) if (t.replicaSet) tagImages(t.replicaSet, [`Σ:${t.name}`]);
  const experimentRuns = parts.experiments.flatMap((x) => x.analysisRuns.map((run) => ({ ...run, experiment: x.experiment.metadata.name })));
  const replicas: Replicas = { desired: r.spec?.replicas ?? 1, current: s.replicas ?? 0, updated: s.updatedReplicas ?? 0, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0 };
  const view: WorkloadView = {
    id: `Rollout/${namespace}/${r.metadata.name}`,
    kind: 'Rollout',
    name: r.metadata.name,
    namespace,
    strategy: invalid ? 'argo-invalid' : canarySpec ? 'argo-canary' : 'argo-bluegreen',
    health: status.health,
    message: status.message,
    replicas,
    images: [...images].map(([image, tags]) => ({ image, tags: [...tags].sort() })).sort((a, b) => a.image.localeCompare(b.image)),
    revisions,
    analysisRuns: [...parts.analysisRuns, ...experimentRuns].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '')),
    experiments,
    members: [],
    paused: !!r.spec?.paused || !!s.pauseConditions?.length,
    resourceVersion: r.metadata.resourceVersion,
    argoManaged: true,
    description: '',
    ...withLastChange(r.metadata),
    ...withManagedBy([{ key: `rollouts/${r.metadata.name}`, meta: r.metadata }]),
    ...withClock(rolloutClock(r, revisions[0]?.createdAt)),
    ...withStop(rolloutStop(r)),
    ...withTemplates(r),
    ...withServices(canarySpec ? { canary: canarySpec.canaryService, stable: canarySpec.stableService } : { active: bg?.activeService, preview: bg?.previewService }),
  };
  const pause = rolloutPause(r);
  if (pause) view.pause = pause;
  if (invalid) {
    view.description = r.spec?.strategy?.canary ? 'invalid spec: both canary and blueGreen' : 'invalid spec: no canary or blueGreen strategy';
  } else if (canarySpec) {
    const steps = canarySpec.steps ?? [];
    const { step, index } = currentCanaryStep(r);
    const setWeight = currentSetWeight(r);
    const max = maxTrafficWeight(r);
    let actualWeight = 0;
    if (!step) actualWeight = max;
    else if ((s.availableReplicas ?? 0) > 0) {
      if (!canarySpec.trafficRouting) {
        const canaryRs = revisions.find((x) => x.roles.includes('canary'));
        if (canaryRs) actualWeight = Math.floor((canaryRs.available * max) / s.availableReplicas!);
      } else actualWeight = s.canary?.weights?.canary?.weight ?? setWeight;
    }
    view.canary = {
      step: s.currentStepIndex,
      stepCount: steps.length,
      steps: steps.map((st, i) => ({ index: i, text: canaryStepText(st), current: i === index && !!step, done: i < index || !step })),
      setWeight,
      actualWeight,
      ...(max !== 100 ? { maxWeight: max } : {}),
      ...(pingPong ? { pingPong: { pingService: pingPong.pingService ?? '', pongService: pingPong.pongService ?? '', stable: stableIsPing ? ('ping' as const) : ('pong' as const) } } : {}),
      pauseReasons: (s.pauseConditions ?? []).map((p) => p.reason),
      aborted: !!s.abort,
      trafficRouting: canarySpec.trafficRouting ? Object.keys(canarySpec.trafficRouting).find((k) => k !== 'maxTrafficWeight') : undefined,
      stableImages: revisions.filter((x) => x.roles.includes('stable')).flatMap((x) => x.images),
      canaryImages: revisions.filter((x) => x.roles.includes('canary')).flatMap((x) => x.images),
    };
    const stepText = steps.length && s.currentStepIndex !== undefined ? `step ${s.currentStepIndex}/${steps.length} · ` : '';
    const actual = actualWeight !== setWeight ? ` (actual ${max === 100 ? `${actualWeight}%` : actualWeight})` : '';
    const running = step?.experiment ? experiments.find((e) => e.current) : undefined;
    const experiment = running ? ` · experiment ${running.phase}` : '';
    const pause = view.health === 'Paused' ? ' · paused' : '';
    view.description = s.abort ? `${s.abortedAt ? 'aborted' : 'aborting'} · ${weightText(setWeight, max)}` : `${stepText}${weightText(setWeight, max)}${actual}${experiment}${pause}`;
  } else {
    const active = revisions.find((x) => x.roles.includes('active'));
    const preview = revisions.find((x) => x.roles.includes('preview'));
    const parts = [active ? `active rev ${active.revision}` : 'no active'];
    if (preview) parts.push(`preview rev ${preview.revision}${preview.available < preview.desired ? ` (${preview.available}/${preview.desired})` : ''}`);
    // Analysis that holds the promotion (pre) or the marking as stable (post), with the run's phase.
    const pre = s.blueGreen?.prePromotionAnalysisRunStatus;
    if (bg?.prePromotionAnalysis && preview) parts.push(`pre-promotion analysis ${pre?.status || 'Pending'}`);
    const post = s.blueGreen?.postPromotionAnalysisRunStatus;
    const promotedNotStable = !!s.currentPodHash && s.blueGreen?.activeSelector === s.currentPodHash && s.stableRS !== s.currentPodHash;
    if (bg?.postPromotionAnalysis && promotedNotStable && !analysisCompleted(post?.status)) parts.push(`post-promotion analysis ${post?.status || 'Pending'}`);
    if (view.health === 'Paused') parts.push('paused');
    view.description = parts.join(' · ');
  }
  if (view.health === 'Degraded' && !s.abort && !invalid) view.description = `degraded · ${view.description}`;
  view.description = withStartProblem(view);
  return view;
}

function withServices(byRole: Partial<Record<RevisionRole, string | undefined>>): { services?: Partial<Record<RevisionRole, string>> } {
  const named = Object.entries(byRole).filter((e): e is [RevisionRole, string] => !!e[1]);
  return named.length ? { services: Object.fromEntries(named) } : {};
}

/**
 * Which Deployments form blue/green pairs and replica canaries: a pair first, then a canary, takes
 * a Deployment; one taken is in no other group. `taken` names the members of every group.
 */
export function groupDeployments(ns: IndexedNamespace): { pairs: PairCandidate[]; canaries: CanaryCandidate[]; taken: Set<string> } {
  const taken = new Set<string>();
  const pairs: PairCandidate[] = [];
  for (const pair of findBlueGreenPairs(ns)) {
    if (pair.members.some((m) => taken.has(m.metadata.name))) continue;
    pair.members.forEach((m) => taken.add(m.metadata.name));
    pairs.push(pair);
  }
  const canaries: CanaryCandidate[] = [];
  for (const found of findReplicaCanaries(ns, taken)) {
    if ([found.canary, ...found.stable].some((m) => taken.has(m.metadata.name))) continue;
    [found.canary, ...found.stable].forEach((m) => taken.add(m.metadata.name));
    canaries.push(found);
  }
  return { pairs, canaries, taken };
}

/** The order of the workload list: by name, then kind. */
export function byNameThenKind(a: WorkloadView, b: WorkloadView): number {
  return a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind);
}

/** Every workload of a namespace, grouped: blue/green pairs and replica canaries absorb their Deployments. */
export function buildWorkloads(snapshot: NamespaceSnapshot): WorkloadView[] {
  return workloadsOf(IndexedNamespace.of(snapshot));
}

export function workloadsOf(ns: IndexedNamespace): WorkloadView[] {
  const deploymentViews = new Map(ns.list('deployments').filter((d) => standalone(ns, d)).map((d) => [d.metadata.name, deploymentView(d, ns)]));
  const { pairs, canaries, taken } = groupDeployments(ns);
  const out: WorkloadView[] = [...pairs.map((pair) => blueGreenView(pair, ns, deploymentViews)), ...canaries.map((found) => replicaCanaryView(found, ns, deploymentViews))];
  for (const [name, view] of deploymentViews) if (!taken.has(name)) out.push(view);
  for (const r of ns.list('rollouts')) out.push(rolloutView(r, ns));
  return out.sort(byNameThenKind);
}

/** The Deployment views behind a grouped workload (pair or replica canary), for its tree children. */
export function memberViews(snapshot: NamespaceSnapshot, workload: WorkloadView): WorkloadView[] {
  const ns = IndexedNamespace.of(snapshot);
  return snapshot.deployments.filter((d) => workload.members.includes(d.metadata.name)).map((d) => deploymentView(d, ns));
}
