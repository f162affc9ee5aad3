// The view model as it was built before issue 11 (commit 7739cc3), kept verbatim as the reference the
// indexed and incremental builds are checked against (test/unit/workloads-index.test.ts) and the
// baseline of bench/workloads.bench.ts: every Deployment filters every ReplicaSet, every ReplicaSet
// every pod, every Service every Deployment. Test code only; never imported by src/.
import type { Deployment, EndpointSlice, NamespaceSnapshot, Pod, Rollout, Service } from '../../src/domain/model/objects';
import { analysisRunView, revisionOf, rolloutViewOf, type AnalysisRunView, type ColourView, type PodState, type PodView, type Replicas, type RevisionView, type StrategyKind, type WorkloadView } from '../../src/domain/model/workloads';
import { Annotations, COLOUR_KEYS, labelsMatch } from '../../src/domain/release/vocabulary';
// The per-object shaping (a ReplicaSet's revision with its reasons, an AnalysisRun, a Rollout's view
// from its parts) is shared: this reference checks how objects are found and grouped.
import { podProblem, withProblem, withStartProblem, withStuckProblems } from '../../src/domain/model/reasons';
import { deploymentStatus, type Health } from '../../src/domain/model/status';
// So are issue 12's per-object times and stops: a pod's readiness time, a Deployment's clock and stop.
import { deploymentClock, withClock, withReadySince } from '../../src/domain/release/clock';
import { deploymentStop, withStop } from '../../src/domain/release/stopped';
// And who changed a workload last (issue 12, part 8).
import { withLastChange } from '../../src/domain/model/lean';
// So are the grouped workloads' revisions and traffic (issue 12): which pods serve is read the same way.
import { groupRevisions, readyEndpointPods, replicaCanaryTraffic } from '../../src/domain/model/workloads';

function ownedBy(o: { metadata: { ownerReferences?: { uid: string; kind: string; name: string }[] } }, owner: { metadata: { uid?: string; name: string } }, kind: string): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => (owner.metadata.uid ? r.uid === owner.metadata.uid : r.kind === kind && r.name === owner.metadata.name));
}

function podView(p: Pod): PodView {
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

function revisionViews(owner: { metadata: { uid?: string; name: string } }, kind: string, snapshot: NamespaceSnapshot, annotation: string): RevisionView[] {
  const views = snapshot.replicaSets.filter((rs) => ownedBy(rs, owner, kind)).map((rs) => revisionOf(rs, annotation, snapshot.pods.filter((p) => ownedBy(p, rs, 'ReplicaSet')).map(podView).sort((a, b) => a.name.localeCompare(b.name))));
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

function deploymentView(d: Deployment, snapshot: NamespaceSnapshot): WorkloadView {
  const status = deploymentStatus(d);
  const revisions = withStuckProblems(revisionViews(d, 'Deployment', snapshot, Annotations.DeploymentRevision), status.health);
  if (revisions.length) {
    revisions[0].roles.push('current');
    for (const r of revisions.slice(1)) r.roles.push('old');
  }
  const replicas = deploymentReplicas(d);
  const strategy: StrategyKind = d.spec?.strategy?.type === 'Recreate' ? 'recreate' : 'rolling';
  const view: WorkloadView = {
    id: `Deployment/${snapshot.namespace}/${d.metadata.name}`,
    kind: 'Deployment',
    name: d.metadata.name,
    namespace: snapshot.namespace,
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

function slicesOf(slices: EndpointSlice[], service: string): EndpointSlice[] {
  return slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
}

function servicePods(slices: EndpointSlice[], service: string): { pod: string; ready: boolean }[] {
  return slicesOf(slices, service)
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.targetRef?.kind === 'Pod' && e.targetRef.name)
    .map((e) => ({ pod: e.targetRef!.name!, ready: e.conditions?.ready !== false }));
}

interface PairCandidate {
  service: Service;
  key: string;
  base: Record<string, string>;
  members: Deployment[];
}

/** Plain-Kubernetes blue/green: a Service whose selector picks one value of a colour label among Deployments that differ only by it. */
function findBlueGreenPairs(snapshot: NamespaceSnapshot): PairCandidate[] {
  const pairs: PairCandidate[] = [];
  for (const service of snapshot.services) {
    if (service.metadata.annotations?.[Annotations.ArgoManagedBy]) continue;
    const selector = service.spec?.selector ?? {};
    for (const key of COLOUR_KEYS) {
      if (selector[key] === undefined) continue;
      const base = Object.fromEntries(Object.entries(selector).filter(([k]) => k !== key));
      if (!Object.keys(base).length) continue;
      const members = snapshot.deployments.filter((d) => labelsMatch(base, d.spec?.template?.metadata?.labels) && d.spec?.template?.metadata?.labels?.[key] !== undefined);
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

function blueGreenView(pair: PairCandidate, snapshot: NamespaceSnapshot, views: Map<string, WorkloadView>): WorkloadView {
  const { service, key } = pair;
  const live = service.spec?.selector?.[key];
  const endpointPods = servicePods(snapshot.endpointSlices, service.metadata.name).filter((e) => e.ready);
  const colours: ColourView[] = pair.members
    .map((d) => {
      const colour = d.spec!.template!.metadata!.labels![key];
      const dv = views.get(d.metadata.name)!;
      const podNames = new Set(dv.revisions.flatMap((r) => r.pods.map((p) => p.name)));
      return { colour, deployment: d.metadata.name, replicas: dv.replicas, images: imagesOf(d), health: dv.health, liveEndpoints: endpointPods.filter((e) => podNames.has(e.pod)).length };
    })
    .sort((a, b) => (a.colour === live ? -1 : b.colour === live ? 1 : a.colour.localeCompare(b.colour)));
  const idleColour = colours.find((c) => c.colour !== live);
  const preview = snapshot.services.find((s) => s !== service && labelsMatch(pair.base, s.spec?.selector) && s.spec?.selector?.[key] !== undefined && s.spec?.selector?.[key] !== live);
  const liveColour = colours.find((c) => c.colour === live);
  const idleReady = !!idleColour && idleColour.replicas.desired > 0 && idleColour.replicas.available >= idleColour.replicas.desired && idleColour.health === 'Healthy';
  const health: Health = !liveColour ? 'Degraded' : liveColour.health === 'Degraded' ? 'Degraded' : liveColour.replicas.available < liveColour.replicas.desired ? 'Progressing' : 'Healthy';
  const endpointsColours = colours.filter((c) => c.liveEndpoints > 0).map((c) => c.colour);
  const message = !liveColour
    ? `Service "${service.metadata.name}" selects ${key}=${live}, but no Deployment has that colour: it has no endpoints.`
    : `${live} serves production through Service "${service.metadata.name}"${idleColour ? `; ${idleColour.colour} is idle${idleReady ? ' and ready to take traffic' : ` (${idleColour.replicas.available}/${idleColour.replicas.desired} available)`}` : ''}.`;
  const name = service.metadata.name;
  const view: WorkloadView = {
    id: `BlueGreen/${snapshot.namespace}/${name}`,
    kind: 'BlueGreen',
    name,
    namespace: snapshot.namespace,
    strategy: 'bluegreen',
    health,
    message,
    replicas: liveColour?.replicas ?? { desired: 0, current: 0, updated: 0, ready: 0, available: 0 },
    images: colours.flatMap((c) => c.images.map((image) => ({ image, tags: [c.colour === live ? 'live' : 'idle', c.colour] }))),
    revisions: groupRevisions(colours.map((c) => ({ view: views.get(c.deployment)!, role: c.colour === live ? 'active' : 'preview' })), readyEndpointPods(slicesOf(snapshot.endpointSlices, service.metadata.name))),
    analysisRuns: [],
    blueGreen: { service: name, previewService: preview?.metadata.name, selectorKey: key, live, idle: idleColour?.colour, colours, idleReady, endpointsColours, switchBackTo: previousColour(service, key) },
    members: colours.map((c) => c.deployment),
    paused: false,
    resourceVersion: service.metadata.resourceVersion,
    argoManaged: false,
    description: '',
    ...withLastChange(service.metadata, ...pair.members.map((d) => d.metadata)),
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

/** Replica-ratio canary: Deployments under one Service, one of them labelled canary. */
function findReplicaCanaries(snapshot: NamespaceSnapshot, taken: Set<string>): { service: Service; stable: Deployment[]; canary: Deployment }[] {
  const out: { service: Service; stable: Deployment[]; canary: Deployment }[] = [];
  for (const service of snapshot.services) {
    const selected = snapshot.deployments.filter((d) => !taken.has(d.metadata.name) && labelsMatch(service.spec?.selector, d.spec?.template?.metadata?.labels));
    if (selected.length < 2) continue;
    const isCanary = (d: Deployment) => Object.values(d.spec?.template?.metadata?.labels ?? {}).includes('canary') || d.metadata.annotations?.[Annotations.CanaryShare] !== undefined;
    const canary = selected.find(isCanary);
    if (!canary) continue;
    out.push({ service, canary, stable: selected.filter((d) => d !== canary) });
  }
  return out;
}

function replicaCanaryView(found: { service: Service; stable: Deployment[]; canary: Deployment }, snapshot: NamespaceSnapshot, views: Map<string, WorkloadView>): WorkloadView {
  const canaryView = views.get(found.canary.metadata.name)!;
  const stableViews = found.stable.map((d) => views.get(d.metadata.name)!);
  const readyCanary = canaryView.replicas.ready;
  const readyAll = readyCanary + stableViews.reduce((n, v) => n + v.replicas.ready, 0);
  const desiredCanary = canaryView.replicas.desired;
  const desiredAll = desiredCanary + stableViews.reduce((n, v) => n + v.replicas.desired, 0);
  const pct = (a: number, b: number) => (b > 0 ? Math.round((a * 10000) / b) / 100 : 0);
  const served = replicaCanaryTraffic(canaryView, stableViews, readyEndpointPods(slicesOf(snapshot.endpointSlices, found.service.metadata.name)));
  const requested = found.canary.metadata.annotations?.[Annotations.CanaryShare];
  const all = [canaryView, ...stableViews];
  const worst = all.find((v) => v.health === 'Degraded') ?? all.find((v) => v.health !== 'Healthy');
  const name = found.service.metadata.name;
  const view: WorkloadView = {
    id: `ReplicaCanary/${snapshot.namespace}/${name}`,
    kind: 'ReplicaCanary',
    name,
    namespace: snapshot.namespace,
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
    ...withClock(canaryView.clock),
    ...withStop(worst?.stop),
  };
  view.description = desiredCanary === 0 ? 'canary scaled to 0' : `canary ${served.share} · ${view.canary!.actualWeight}%`;
  view.description = withStartProblem(view);
  return view;
}

// A Rollout's view is shaped by the shared rolloutViewOf (strategy roles, weights, experiments); this
// reference finds what it is made of by filtering every list, as the first build did.
function rolloutView(r: Rollout, snapshot: NamespaceSnapshot): WorkloadView {
  const runsOf = (owner: { metadata: { uid?: string; name: string } }, kind: string): AnalysisRunView[] =>
    snapshot.analysisRuns
      .filter((run) => ownedBy(run, owner, kind))
      .map(analysisRunView)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return rolloutViewOf(r, snapshot.namespace, {
    revisions: revisionViews(r, 'Rollout', snapshot, Annotations.RolloutRevision),
    analysisRuns: runsOf(r, 'Rollout'),
    experiments: snapshot.experiments
      .filter((e) => ownedBy(e, r, 'Rollout'))
      .map((experiment) => ({ experiment, revisions: revisionViews(experiment, 'Experiment', snapshot, Annotations.RolloutRevision), analysisRuns: runsOf(experiment, 'Experiment') })),
  });
}

/** Every workload of a namespace, grouped: blue/green pairs and replica canaries absorb their Deployments. */
export function buildWorkloads(snapshot: NamespaceSnapshot): WorkloadView[] {
  const ownedByRollout = new Set(snapshot.rollouts.map((r) => r.spec?.workloadRef?.name).filter(Boolean) as string[]);
  const deployments = snapshot.deployments.filter((d) => !ownedByRollout.has(d.metadata.name));
  const deploymentViews = new Map(deployments.map((d) => [d.metadata.name, deploymentView(d, snapshot)]));
  const taken = new Set<string>();
  const out: WorkloadView[] = [];
  const scoped = { ...snapshot, deployments };
  for (const pair of findBlueGreenPairs(scoped)) {
    if (pair.members.some((m) => taken.has(m.metadata.name))) continue;
    pair.members.forEach((m) => taken.add(m.metadata.name));
    out.push(blueGreenView(pair, snapshot, deploymentViews));
  }
  for (const found of findReplicaCanaries(scoped, taken)) {
    if ([found.canary, ...found.stable].some((m) => taken.has(m.metadata.name))) continue;
    [found.canary, ...found.stable].forEach((m) => taken.add(m.metadata.name));
    out.push(replicaCanaryView(found, snapshot, deploymentViews));
  }
  for (const [name, view] of deploymentViews) if (!taken.has(name)) out.push(view);
  for (const r of snapshot.rollouts) out.push(rolloutView(r, snapshot));
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}
