// The view model as it was built before issue 11 (commit 7739cc3), kept verbatim as the reference the
// indexed and incremental builds are checked against (test/unit/workloads-index.test.ts) and the
// baseline of bench/workloads.bench.ts: every Deployment filters every ReplicaSet, every ReplicaSet
// every pod, every Service every Deployment. Test code only; never imported by src/.
import type { AnalysisRun, Deployment, EndpointSlice, NamespaceSnapshot, Pod, ReplicaSet, Rollout, Service } from '../../src/domain/model/objects';
import type { AnalysisRunView, ColourView, PodState, PodView, Replicas, RevisionView, StrategyKind, WorkloadView } from '../../src/domain/model/workloads';
import { Annotations, COLOUR_KEYS, labelsMatch } from '../../src/domain/release/vocabulary';
// The per-object reasons (issue 12) are shared: this reference checks how objects are found and grouped.
import { podProblem, withProblem, withRevisionProblem, withStartProblem } from '../../src/domain/model/reasons';
// So are the grouped workloads' revisions and traffic (issue 12): which pods serve is read the same way.
import { groupRevisions, readyEndpointPods, replicaCanaryTraffic } from '../../src/domain/model/workloads';
import { canaryStepText, currentCanaryStep, currentSetWeight, deploymentStatus, rolloutStatus, type Health } from '../../src/domain/model/status';

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
  };
}

function replicaSetHealth(rs: ReplicaSet): RevisionView['health'] {
  if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) return 'ReplicaFailure';
  const desired = rs.spec?.replicas ?? 0;
  if ((rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  return desired === 0 ? 'ScaledDown' : 'Healthy';
}

function revisionViews(owner: Deployment | Rollout, kind: string, snapshot: NamespaceSnapshot, annotation: string): RevisionView[] {
  const views = snapshot.replicaSets
    .filter((rs) => ownedBy(rs, owner, kind))
    .map((rs): RevisionView => withRevisionProblem(rs, {
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
      pods: snapshot.pods.filter((p) => ownedBy(p, rs, 'ReplicaSet')).map(podView).sort((a, b) => a.name.localeCompare(b.name)),
    }));
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
  const revisions = revisionViews(d, 'Deployment', snapshot, Annotations.DeploymentRevision);
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
  };
  view.description = desiredCanary === 0 ? 'canary scaled to 0' : `canary ${served.share} · ${view.canary!.actualWeight}%`;
  view.description = withStartProblem(view);
  return view;
}

function analysisRunViews(owner: Rollout, runs: AnalysisRun[]): AnalysisRunView[] {
  return runs
    .filter((r) => ownedBy(r, owner, 'Rollout'))
    .map((r) => ({
      name: r.metadata.name,
      phase: r.status?.phase ?? 'Pending',
      message: r.status?.message,
      revision: r.metadata.annotations?.[Annotations.RolloutRevision] !== undefined ? Number(r.metadata.annotations[Annotations.RolloutRevision]) : undefined,
      createdAt: r.metadata.creationTimestamp,
      metrics: (r.status?.metricResults ?? []).map((m) => ({
        name: m.name,
        phase: m.phase ?? 'Pending',
        successful: m.successful ?? 0,
        failed: m.failed ?? 0,
        inconclusive: m.inconclusive ?? 0,
        error: m.error ?? 0,
        values: (m.measurements ?? []).slice(-10).map((x) => x.value ?? x.phase ?? ''),
        message: m.message,
      })),
    }))
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

function rolloutView(r: Rollout, snapshot: NamespaceSnapshot): WorkloadView {
  const status = rolloutStatus(r);
  const s = r.status ?? {};
  const revisions = revisionViews(r, 'Rollout', snapshot, Annotations.RolloutRevision);
  const canarySpec = r.spec?.strategy?.canary;
  const bg = r.spec?.strategy?.blueGreen;
  for (const rev of revisions) {
    const hash = rev.podTemplateHash;
    if (canarySpec) {
      if (hash && hash === s.stableRS) rev.roles.push('stable');
      else if (hash && hash === s.currentPodHash) rev.roles.push('canary');
    }
    if (bg) {
      if (hash && hash === s.stableRS) rev.roles.push('stable');
      if (hash && hash === s.blueGreen?.activeSelector) rev.roles.push('active');
      else if (hash && hash === s.blueGreen?.previewSelector) rev.roles.push('preview');
    }
    if (!rev.roles.length) rev.roles.push(hash === s.currentPodHash ? 'current' : 'old');
  }
  const images = new Map<string, Set<string>>();
  for (const rev of revisions) {
    if (rev.current <= 0) continue;
    for (const image of rev.images) {
      const tags = images.get(image) ?? new Set<string>();
      rev.roles.filter((x) => x !== 'old' && x !== 'current').forEach((x) => tags.add(x));
      images.set(image, tags);
    }
  }
  const replicas: Replicas = { desired: r.spec?.replicas ?? 1, current: s.replicas ?? 0, updated: s.updatedReplicas ?? 0, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0 };
  const view: WorkloadView = {
    id: `Rollout/${snapshot.namespace}/${r.metadata.name}`,
    kind: 'Rollout',
    name: r.metadata.name,
    namespace: snapshot.namespace,
    strategy: canarySpec ? 'argo-canary' : 'argo-bluegreen',
    health: status.health,
    message: status.message,
    replicas,
    images: [...images].map(([image, tags]) => ({ image, tags: [...tags].sort() })).sort((a, b) => a.image.localeCompare(b.image)),
    revisions,
    analysisRuns: analysisRunViews(r, snapshot.analysisRuns),
    members: [],
    paused: !!r.spec?.paused || !!s.pauseConditions?.length,
    resourceVersion: r.metadata.resourceVersion,
    argoManaged: true,
    description: '',
  };
  if (canarySpec) {
    const steps = canarySpec.steps ?? [];
    const { step, index } = currentCanaryStep(r);
    const setWeight = currentSetWeight(r);
    let actualWeight = 0;
    if (!step) actualWeight = 100;
    else if ((s.availableReplicas ?? 0) > 0) {
      if (!canarySpec.trafficRouting) {
        const canaryRs = revisions.find((x) => x.roles.includes('canary'));
        if (canaryRs) actualWeight = Math.floor((canaryRs.available * 100) / s.availableReplicas!);
      } else actualWeight = s.canary?.weights?.canary?.weight ?? setWeight;
    }
    view.canary = {
      step: s.currentStepIndex,
      stepCount: steps.length,
      steps: steps.map((st, i) => ({ index: i, text: canaryStepText(st), current: i === index && !!step, done: i < index || !step })),
      setWeight,
      actualWeight,
      pauseReasons: (s.pauseConditions ?? []).map((p) => p.reason),
      aborted: !!s.abort,
      trafficRouting: canarySpec.trafficRouting ? Object.keys(canarySpec.trafficRouting)[0] : undefined,
      stableImages: revisions.filter((x) => x.roles.includes('stable')).flatMap((x) => x.images),
      canaryImages: revisions.filter((x) => x.roles.includes('canary')).flatMap((x) => x.images),
    };
    const stepText = steps.length && s.currentStepIndex !== undefined ? `step ${s.currentStepIndex}/${steps.length} · ` : '';
    const pause = view.health === 'Paused' ? ' · paused' : '';
    view.description = s.abort ? `aborted · ${setWeight}%` : `${stepText}${setWeight}%${actualWeight !== setWeight ? ` (actual ${actualWeight}%)` : ''}${pause}`;
  } else {
    const active = revisions.find((x) => x.roles.includes('active'));
    const preview = revisions.find((x) => x.roles.includes('preview'));
    const parts = [active ? `active rev ${active.revision}` : 'no active'];
    if (preview) parts.push(`preview rev ${preview.revision}${preview.available < preview.desired ? ` (${preview.available}/${preview.desired})` : ''}`);
    if (view.health === 'Paused') parts.push('paused');
    view.description = parts.join(' · ');
  }
  if (view.health === 'Degraded' && !view.description.startsWith('aborted')) view.description = `degraded · ${view.description}`;
  view.description = withStartProblem(view);
  return view;
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
