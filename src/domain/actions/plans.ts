// What each action sends, decided from the objects as they were read. Pure: the executor runs the
// plan (dry-run, confirm, send) and reports. Every write carries a precondition on what it was
// decided on, so a concurrent writer makes it fail instead of being overwritten:
// - Deployments and Rollouts: a JSON patch that first tests metadata.generation (it moves only when
//   someone changes the spec; controllers rewrite status all the time, which must not block an
//   action) and, for Argo status patches, the step the user saw;
// - Services: metadata.resourceVersion (nothing rewrites a Service's status behind our back).
// Later writes to the same object get the generation or version the earlier one returned.
import type { Deployment, Pod, PodTemplate, ReplicaSet, Rollout, Service } from '../model/objects';
import type { WorkloadView } from '../model/workloads';
import { notReadyReason, promotedRevision, revisionReady } from '../model/reasons';
import { Annotations, labelsMatch } from '../release/vocabulary';
import { planReplicaCanary } from '../strategy/replicaCanary';
import { managedRefusal, NO_ENGINES, type Engines } from './managed';
import { fileValueOps, type DriftField } from '../manifests/drift';

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PlannedWrite {
  /** Resource key of the store (RESOURCES), e.g. "services". */
  resource: 'deployments' | 'services' | 'rollouts' | 'pods' | 'canaries';
  namespace: string;
  name: string;
  subresource?: 'status' | 'scale';
  patchType: PatchType;
  /** The patch; for a delete, the DeleteOptions body (its preconditions). */
  patch: unknown;
  /** The verb for access checks and messages, and what is sent: a PATCH or a DELETE. */
  verb: 'patch' | 'delete';
}

/**
 * A POST to an HTTP API inside the cluster, through the API server's service proxy with the user's
 * own credentials (RBAC: create on services/proxy): a Flagger load tester's gate API.
 */
export interface PlannedCall {
  namespace: string;
  /** The Service and its port (a number or a port name; empty: its only port). */
  service: string;
  port: string;
  scheme: 'http' | 'https';
  /** The path behind the proxy, e.g. /gate/open. */
  path: string;
  body: unknown;
  /** What it is, for the preview and messages: the webhook it comes from. */
  what: string;
}

export interface ActionPlan {
  title: string;
  /** Why it is safe or what it will do, in words. */
  summary: string;
  writes: PlannedWrite[];
  /** Sent after the writes; a server-side dry-run cannot try them, so the preview shows them as they will be sent. */
  calls?: PlannedCall[];
  /** Set when nothing needs to be sent (e.g. the template already equals the target). */
  noop?: string;
  /** It moves production traffic at once (a switch, a promotion, an abort, a canary share): its confirmation defaults to Cancel. */
  movesTraffic?: true;
}

export class ActionRefused extends Error {
  /** How the extension side (which loads this class lazily, in another bundle) tells a refusal from a failure. */
  override readonly name = 'ActionRefused';
  /** The refusal is a precondition the user may override: the message ends "or force it", and a Force button runs it again forced. */
  readonly forcible: boolean;
  constructor(message: string, options: { forcible?: boolean } = {}) {
    super(message);
    this.forcible = !!options.forcible;
  }
}

/**
 * Promoting sends traffic to the canary or preview: refused while its pods are not ready (as a
 * switch is when the idle colour is not), naming why, unless forced. Returns what the summary says.
 */
function checkPromotable(view: WorkloadView | undefined, force: boolean | undefined): string {
  const r = view && promotedRevision(view);
  if (!r || revisionReady(r)) return '';
  const role = r.roles.includes('preview') ? 'preview' : 'canary';
  const what = `The ${role} (revision ${r.revision}, ${r.images.join(', ')})`;
  if (!force) throw new ActionRefused(`${what} is not ready: ${notReadyReason(r)}. Promoting gives it traffic it cannot serve. Wait for it, or force it.`, { forcible: true });
  return ` FORCED while the ${role} is not ready (${notReadyReason(r)}).`;
}

/** Refused when a release engine runs the object (managed.ts): it would undo the change. */
function refuseManaged(kind: 'Deployment' | 'Service', o: Deployment | Service, engines: Engines): void {
  const refusal = managedRefusal(kind, o, engines);
  if (refusal) throw new ActionRefused(refusal);
}

function uidOf(o: { metadata: { uid?: string; name: string } }): string {
  if (!o.metadata.uid) throw new ActionRefused(`"${o.metadata.name}" has no uid; read it from the cluster first.`);
  return o.metadata.uid;
}

function rv(o: { metadata: { resourceVersion?: string } }): string {
  if (!o.metadata.resourceVersion) throw new ActionRefused(`"${(o.metadata as { name?: string }).name}" has no resourceVersion; read it from the cluster first.`);
  return o.metadata.resourceVersion;
}

// ---- blue/green for plain Deployments ---------------------------------------------------------

/** `engines`: the namespace's Canaries and Rollouts, so that what they run is refused (managed.ts). */
export function planBlueGreenSwitch(service: Service, view: WorkloadView, target: string, options: { force?: boolean; engines?: Engines } = {}): ActionPlan {
  refuseManaged('Service', service, options.engines ?? NO_ENGINES);
  const bg = view.blueGreen;
  if (!bg) throw new ActionRefused(`"${view.name}" is not a blue/green pair.`);
  if (bg.live === target) throw new ActionRefused(`${target} is already live on "${service.metadata.name}".`);
  const colour = bg.colours.find((c) => c.colour === target);
  if (!colour) throw new ActionRefused(`No Deployment has ${bg.selectorKey}=${target}; known colours: ${bg.colours.map((c) => c.colour).join(', ')}.`);
  const r = colour.replicas;
  const ready = r.desired > 0 && r.available >= r.desired && r.updated >= r.desired && colour.health === 'Healthy';
  if (!ready && !options.force) {
    throw new ActionRefused(`${target} ("${colour.deployment}") is not ready to take all traffic: ${r.available}/${r.desired} available, ${r.updated}/${r.desired} updated, status ${colour.health}. Wait for it, or force the switch.`, { forcible: true });
  }
  const previous = JSON.stringify(service.spec?.selector ?? {});
  return {
    movesTraffic: true,
    title: `Switch "${service.metadata.name}" to ${target}`,
    summary: `Service "${service.metadata.name}" selector ${bg.selectorKey}: ${bg.live} -> ${target} (${colour.deployment}, ${r.available}/${r.desired} available${ready ? '' : ', FORCED while not ready'}).`,
    writes: [
      {
        resource: 'services',
        namespace: view.namespace,
        name: service.metadata.name,
        patchType: 'merge',
        verb: 'patch',
        patch: { metadata: { resourceVersion: rv(service), annotations: { [Annotations.PreviousSelector]: previous } }, spec: { selector: { [bg.selectorKey]: target } } },
      },
    ],
  };
}

export function planSwitchBack(service: Service, view: WorkloadView, options: { force?: boolean; engines?: Engines } = {}): ActionPlan {
  refuseManaged('Service', service, options.engines ?? NO_ENGINES);
  const stored = service.metadata.annotations?.[Annotations.PreviousSelector];
  if (!stored) throw new ActionRefused(`"${service.metadata.name}" has no previous selector recorded: it was not switched by Switchyard. Use "Switch traffic" instead.`);
  let previous: Record<string, string>;
  try {
    previous = JSON.parse(stored);
  } catch {
    throw new ActionRefused(`The recorded previous selector of "${service.metadata.name}" is not valid JSON: ${stored}`);
  }
  const key = view.blueGreen?.selectorKey;
  const target = key ? previous[key] : undefined;
  if (!key || !target) throw new ActionRefused(`The recorded selector ${stored} names no colour.`);
  const plan = planBlueGreenSwitch(service, view, target, options);
  // Restore exactly the old selector (a JSON merge patch cannot remove keys that were added, so replace it whole).
  plan.title = `Switch "${service.metadata.name}" back to ${target}`;
  plan.writes[0] = {
    ...plan.writes[0],
    patchType: 'json',
    patch: [
      { op: 'replace', path: '/metadata/resourceVersion', value: rv(service) },
      { op: 'replace', path: '/spec/selector', value: previous },
      { op: 'replace', path: `/metadata/annotations/${Annotations.PreviousSelector.replace('/', '~1')}`, value: JSON.stringify(service.spec?.selector ?? {}) },
    ],
  };
  return plan;
}

// ---- Deployments ------------------------------------------------------------------------------

const REVISION = Annotations.DeploymentRevision;
/** Annotations kubectl keeps on the Deployment when it copies a ReplicaSet's onto it. */
const KEEP_ON_DEPLOYMENT = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

function withoutHash(template: PodTemplate | undefined, hashLabel: string): any {
  const t = structuredClone(template ?? {}) as any;
  if (t.metadata?.labels) delete t.metadata.labels[hashLabel];
  return t;
}

function ownedReplicaSets(owner: { metadata: { uid?: string; name: string } }, replicaSets: ReplicaSet[], kind: string): ReplicaSet[] {
  return replicaSets.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => (owner.metadata.uid ? o.uid === owner.metadata.uid : o.kind === kind && o.name === owner.metadata.name)));
}

function sameTemplate(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as any)[k] !== undefined && !(typeof (v as any)[k] === 'object' && (v as any)[k] !== null && !Array.isArray((v as any)[k]) && Object.keys((v as any)[k]).length === 0))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** `kubectl rollout undo` semantics: previous revision (or `toRevision`), refused when paused, a no-op when equal. */
export function planDeploymentRollback(d: Deployment, replicaSets: ReplicaSet[], toRevision?: number, engines: Engines = NO_ENGINES): ActionPlan {
  const name = d.metadata.name;
  refuseManaged('Deployment', d, engines);
  if (d.spec?.paused) throw new ActionRefused(`Deployment "${name}" is paused: resume it before rolling back (as kubectl refuses too).`);
  const owned = ownedReplicaSets(d, replicaSets, 'Deployment')
    .map((rs) => ({ rs, revision: Number(rs.metadata.annotations?.[REVISION] ?? 0) }))
    .sort((a, b) => b.revision - a.revision);
  if (!owned.length) throw new ActionRefused(`Deployment "${name}" has no ReplicaSets to roll back to.`);
  let target;
  if (toRevision !== undefined && toRevision !== 0) {
    target = owned.find((o) => o.revision === toRevision);
    if (!target) throw new ActionRefused(`Revision ${toRevision} of "${name}" is not in its history (kept: ${owned.map((o) => o.revision).join(', ')}).`);
  } else {
    target = owned[1];
    if (!target) throw new ActionRefused(`Deployment "${name}" has no previous revision.`);
  }
  const template = withoutHash(target.rs.spec?.template, 'pod-template-hash');
  const title = `Roll back "${name}" to revision ${target.revision}`;
  if (sameTemplate(template, d.spec?.template)) return { title, summary: `The template already equals revision ${target.revision}.`, writes: [], noop: `Deployment "${name}" already runs the template of revision ${target.revision}: nothing to do.` };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (KEEP_ON_DEPLOYMENT.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.rs.metadata.annotations ?? {})) if (!KEEP_ON_DEPLOYMENT.has(k)) annotations[k] = v;
  const images = (template.spec?.containers ?? []).map((c: { image?: string }) => c.image).join(', ');
  return {
    title,
    summary: `Deployment "${name}" gets the pod template of revision ${target.revision} (${images}); the controller rolls it out as revision ${owned[0].revision + 1}.`,
    writes: [
      {
        resource: 'deployments',
        namespace: d.metadata.namespace ?? '',
        name,
        patchType: 'json',
        verb: 'patch',
        patch: [unchangedSpec(d), { op: 'replace', path: '/spec/template', value: template }, { op: 'add', path: '/metadata/annotations', value: annotations }],
      },
    ],
  };
}

export type JsonPatchOp = { op: 'add' | 'replace' | 'remove' | 'test'; path: string; value?: unknown };

/** The test that the spec is still the one the action was decided on. */
function unchangedSpec(o: { metadata: { generation?: number; resourceVersion?: string; name: string } }): JsonPatchOp {
  if (typeof o.metadata.generation === 'number') return { op: 'test', path: '/metadata/generation', value: o.metadata.generation };
  return { op: 'replace', path: '/metadata/resourceVersion', value: rv(o) };
}

export function jsonWrite(resource: PlannedWrite['resource'], o: { metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string } }, ops: JsonPatchOp[], subresource?: 'status'): PlannedWrite {
  return { resource, namespace: o.metadata.namespace ?? '', name: o.metadata.name, subresource, patchType: 'json', verb: 'patch', patch: [unchangedSpec(o), ...ops] };
}

function deploymentWrite(d: Deployment, ops: JsonPatchOp[]): PlannedWrite {
  return jsonWrite('deployments', d, ops);
}

/** JSON pointer escaping of one path segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function planDeploymentPause(d: Deployment, paused: boolean, engines: Engines = NO_ENGINES): ActionPlan {
  refuseManaged('Deployment', d, engines);
  if (!!d.spec?.paused === paused) return { title: `${paused ? 'Pause' : 'Resume'} "${d.metadata.name}"`, summary: '', writes: [], noop: `Deployment "${d.metadata.name}" is already ${paused ? 'paused' : 'running'}.` };
  return { title: `${paused ? 'Pause' : 'Resume'} "${d.metadata.name}"`, summary: paused ? 'The controller stops rolling out template changes until resumed.' : 'The controller resumes rolling out the current template.', writes: [deploymentWrite(d, [{ op: 'add', path: '/spec/paused', value: paused }])] };
}

/** The JSON patch op that sets one annotation of a Deployment's pod template, whatever of its metadata exists yet. */
export function templateAnnotationOp(d: Deployment, key: string, value: string): JsonPatchOp {
  const meta = d.spec?.template?.metadata;
  if (meta?.annotations) return { op: 'add', path: `/spec/template/metadata/annotations/${pointer(key)}`, value };
  return meta ? { op: 'add', path: '/spec/template/metadata/annotations', value: { [key]: value } } : { op: 'add', path: '/spec/template/metadata', value: { annotations: { [key]: value } } };
}

export function planDeploymentRestart(d: Deployment, now: Date, engines: Engines = NO_ENGINES): ActionPlan {
  refuseManaged('Deployment', d, engines);
  if (d.spec?.paused) throw new ActionRefused(`Deployment "${d.metadata.name}" is paused: a restart would not roll out until it is resumed.`);
  return {
    title: `Restart "${d.metadata.name}"`,
    summary: 'Every pod is replaced by a rolling update (as `kubectl rollout restart`).',
    writes: [deploymentWrite(d, [templateAnnotationOp(d, 'kubectl.kubernetes.io/restartedAt', now.toISOString())])],
  };
}

export function planDeploymentScale(d: Deployment, replicas: number, engines: Engines = NO_ENGINES): ActionPlan {
  refuseManaged('Deployment', d, engines);
  if (!Number.isInteger(replicas) || replicas < 0) throw new ActionRefused('Replicas must be a whole number, 0 or more.');
  return { title: `Scale "${d.metadata.name}" to ${replicas}`, summary: `${d.spec?.replicas ?? 1} -> ${replicas} replicas.`, writes: [deploymentWrite(d, [{ op: 'add', path: '/spec/replicas', value: replicas }])] };
}

// ---- replica-ratio canary ---------------------------------------------------------------------

export function planCanaryShare(stable: Deployment, canary: Deployment, percent: number, engines: Engines = NO_ENGINES): ActionPlan {
  refuseManaged('Deployment', stable, engines);
  refuseManaged('Deployment', canary, engines);
  const total = (stable.spec?.replicas ?? 1) + (canary.spec?.replicas ?? 1);
  let plan;
  try {
    plan = planReplicaCanary(percent, total);
  } catch (e) {
    throw new ActionRefused((e as Error).message);
  }
  const note = plan.exact ? '' : ` (${percent}% exactly needs ${plan.podsForExactShare} pods)`;
  return {
    movesTraffic: true,
    title: `Set canary share of "${canary.metadata.name}" to ${percent}%`,
    summary: `${plan.stable} stable + ${plan.canary} canary of ${total} pods: the canary gets about ${plan.actualPercent}% of traffic${note}.`,
    writes: [deploymentWrite(canary, [{ op: 'add', path: '/spec/replicas', value: plan.canary }]), deploymentWrite(stable, [{ op: 'add', path: '/spec/replicas', value: plan.stable }])],
  };
}

/** Stable takes the canary's pod template (keeping its own labels), canary scales to 0. Refused while the canary is not ready, unless forced. */
export function planCanaryPromote(stable: Deployment, canary: Deployment, options: { view?: WorkloadView; force?: boolean; engines?: Engines } = {}): ActionPlan {
  refuseManaged('Deployment', stable, options.engines ?? NO_ENGINES);
  refuseManaged('Deployment', canary, options.engines ?? NO_ENGINES);
  const forced = checkPromotable(options.view, options.force);
  const template = structuredClone(canary.spec?.template ?? {}) as any;
  template.metadata = { ...template.metadata, labels: stable.spec?.template?.metadata?.labels ?? {} };
  if (!labelsMatch(stable.spec?.selector?.matchLabels, template.metadata.labels)) throw new ActionRefused(`The stable selector of "${stable.metadata.name}" would not match its template.`);
  const total = (stable.spec?.replicas ?? 1) + (canary.spec?.replicas ?? 1);
  return {
    movesTraffic: true,
    title: `Promote canary "${canary.metadata.name}"`,
    summary: `"${stable.metadata.name}" rolls out the canary's template (${(template.spec?.containers ?? []).map((c: { image?: string }) => c.image).join(', ')}) on ${total} pods; the canary scales to 0.${forced}`,
    writes: [
      deploymentWrite(stable, [{ op: 'replace', path: '/spec/template', value: template }, { op: 'add', path: '/spec/replicas', value: total }]),
      deploymentWrite(canary, [{ op: 'add', path: '/spec/replicas', value: 0 }]),
    ],
  };
}

export function planCanaryAbort(canary: Deployment, stable: Deployment, engines: Engines = NO_ENGINES): ActionPlan {
  refuseManaged('Deployment', stable, engines);
  refuseManaged('Deployment', canary, engines);
  const total = (stable.spec?.replicas ?? 1) + (canary.spec?.replicas ?? 1);
  return {
    movesTraffic: true,
    title: `Abort canary "${canary.metadata.name}"`,
    summary: `The canary scales to 0; "${stable.metadata.name}" scales to ${total} so capacity stays.`,
    writes: [deploymentWrite(stable, [{ op: 'add', path: '/spec/replicas', value: total }]), deploymentWrite(canary, [{ op: 'add', path: '/spec/replicas', value: 0 }])],
  };
}

// ---- Argo Rollouts (the kubectl plugin's patches) ---------------------------------------------

function rolloutWrite(r: Rollout, ops: JsonPatchOp[], subresource?: 'status'): PlannedWrite {
  return jsonWrite('rollouts', r, ops, subresource);
}

/** JSON patch ops that set status fields the way the plugin's merge patch does (null removes). */
function statusOps(r: Rollout, fields: Record<string, unknown>): JsonPatchOp[] {
  const present = (r.status ?? {}) as Record<string, unknown>;
  const ops: JsonPatchOp[] = [];
  if (!r.status) ops.push({ op: 'add', path: '/status', value: {} });
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) {
      if (present[k] !== undefined) ops.push({ op: 'remove', path: `/status/${k}` });
    } else ops.push({ op: 'add', path: `/status/${k}`, value: v });
  }
  return ops;
}

export type RolloutAction = 'promote' | 'promoteFull' | 'abort' | 'retry' | 'pause' | 'resume' | 'restart';

/**
 * `view` is the Rollout's view model: with it, Promote and Promote full are refused while the
 * canary or preview is not ready (unless `force`).
 */
export function planRolloutAction(r: Rollout, action: RolloutAction, now: Date, options: { view?: WorkloadView; force?: boolean } = {}): ActionPlan {
  const name = r.metadata.name;
  const s = r.status ?? {};
  switch (action) {
    case 'promote': {
      // The plugin's order: the status patch first (pause conditions, step), then the spec patch.
      const steps = r.spec?.strategy?.canary?.steps ?? [];
      const index = s.currentStepIndex ?? 0;
      const next = Math.min(index + 1, steps.length);
      const inconclusive = s.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
      let status: Record<string, unknown> | undefined;
      let summary = 'Switches the active Service to the preview version.';
      if (inconclusive && s.pauseConditions?.length && s.controllerPause) {
        status = { pauseConditions: null, controllerPause: false, currentStepIndex: next };
        summary = `Accepts the inconclusive analysis and moves on: step ${index} -> ${next}.`;
      } else if (s.pauseConditions?.length) {
        status = { pauseConditions: null };
        summary = r.spec?.strategy?.canary ? `Ends the pause at step ${index}.` : summary;
      } else if (r.spec?.strategy?.canary && steps.length) {
        status = { pauseConditions: null, currentStepIndex: next };
        summary = `Skips step ${index}: -> ${next}.`;
      }
      const writes: PlannedWrite[] = [];
      // The step the user saw: promoting must not skip one that started meanwhile.
      const sameStep: JsonPatchOp[] = s.currentStepIndex !== undefined ? [{ op: 'test', path: '/status/currentStepIndex', value: s.currentStepIndex }] : [];
      if (status) writes.push(rolloutWrite(r, [...sameStep, ...statusOps(r, status)], 'status'));
      if (r.spec?.paused) writes.push(rolloutWrite(r, [{ op: 'add', path: '/spec/paused', value: false }]));
      if (!writes.length) return { title: `Promote "${name}"`, summary: '', writes: [], noop: `Rollout "${name}" is not paused: nothing to promote.` };
      const forced = checkPromotable(options.view, options.force);
      return { movesTraffic: true, title: `Promote "${name}"`, summary: `${r.spec?.paused ? `${summary} Clears the manual pause.` : summary}${forced}`, writes };
    }
    case 'promoteFull': {
      if (s.currentPodHash && s.currentPodHash === s.stableRS) return { title: `Promote "${name}" fully`, summary: '', writes: [], noop: `Rollout "${name}" is already fully promoted.` };
      const forced = checkPromotable(options.view, options.force);
      return { movesTraffic: true, title: `Promote "${name}" fully`, summary: `Skips every remaining step and analysis: the new version takes all traffic.${forced}`, writes: [rolloutWrite(r, statusOps(r, { promoteFull: true }), 'status')] };
    }
    case 'abort':
      return { movesTraffic: true, title: `Abort "${name}"`, summary: 'Traffic returns to the stable version and the canary/preview scales down; the spec keeps the new template (retry to try again).', writes: [rolloutWrite(r, statusOps(r, { abort: true }), 'status')] };
    case 'retry':
      if (!s.abort) return { title: `Retry "${name}"`, summary: '', writes: [], noop: `Rollout "${name}" is not aborted.` };
      // Argo acts on an abort at its next sync (status.abortedAt, then step 0): cleared before that,
      // the abort is lost and the update goes on from the step it was at.
      if (!s.abortedAt) throw new ActionRefused(`The controller has not acted on the abort of "${name}" yet: a retry now would cancel the abort and the update would go on from step ${s.currentStepIndex ?? 0}. Wait until it has scaled the ${r.spec?.strategy?.canary ? 'canary' : 'preview'} down.`);
      return { title: `Retry "${name}"`, summary: 'Starts the aborted update again from the first step.', writes: [rolloutWrite(r, [{ op: 'test', path: '/status/abortedAt', value: s.abortedAt }, ...statusOps(r, { abort: false })], 'status')] };
    case 'pause':
      return { title: `Pause "${name}"`, summary: 'The controller stops progressing until resumed.', writes: [rolloutWrite(r, [{ op: 'add', path: '/spec/paused', value: true }])] };
    case 'resume':
      return { title: `Resume "${name}"`, summary: 'Clears the manual pause.', writes: [rolloutWrite(r, [{ op: 'add', path: '/spec/paused', value: false }])] };
    case 'restart':
      return { title: `Restart "${name}"`, summary: 'Every pod is replaced, a few at a time (spec.restartAt).', writes: [rolloutWrite(r, [{ op: 'add', path: '/spec/restartAt', value: now.toISOString().replace(/\.\d{3}Z$/, 'Z') }])] };
  }
}

/** The plugin's undo: the template of a revision, without its rollouts-pod-template-hash. */
export function planRolloutUndo(r: Rollout, replicaSets: ReplicaSet[], toRevision?: number): ActionPlan {
  const name = r.metadata.name;
  if (r.spec?.workloadRef) throw new ActionRefused(`Rollout "${name}" takes its template from ${r.spec.workloadRef.kind} "${r.spec.workloadRef.name}": roll back that workload instead.`);
  const owned = ownedReplicaSets(r, replicaSets, 'Rollout')
    .map((rs) => ({ rs, revision: Number(rs.metadata.annotations?.[Annotations.RolloutRevision] ?? 0) }))
    .sort((a, b) => b.revision - a.revision);
  // Without a revision: back to what serves. Mid-update or aborted, that is the stable revision (the
  // newest one in the history may be the aborted one); fully promoted, the previous one.
  const s = r.status ?? {};
  const stable = s.stableRS && s.currentPodHash !== s.stableRS ? owned.find((o) => o.rs.metadata.labels?.['rollouts-pod-template-hash'] === s.stableRS) : undefined;
  const target = toRevision ? owned.find((o) => o.revision === toRevision) : (stable ?? owned[1]);
  if (!target) throw new ActionRefused(toRevision ? `Revision ${toRevision} of "${name}" is not in its history.` : `Rollout "${name}" has no previous revision.`);
  const template = withoutHash(target.rs.spec?.template, 'rollouts-pod-template-hash');
  if (sameTemplate(template, r.spec?.template)) return { title: `Undo "${name}"`, summary: '', writes: [], noop: `Rollout "${name}" already runs the template of revision ${target.revision}.` };
  return {
    title: `Undo "${name}" to revision ${target.revision}`,
    summary: `Rollout "${name}" gets the template of revision ${target.revision} (${(template.spec?.containers ?? []).map((c: { image?: string }) => c.image).join(', ')}) and releases it with its strategy.`,
    writes: [rolloutWrite(r, [{ op: 'replace', path: '/spec/template', value: template }])],
  };
}

// ---- pods -------------------------------------------------------------------------------------

/**
 * Deletes one pod, preconditioned on the very pod that was read: its uid (a replacement of the same
 * name is not deleted instead). Not its resourceVersion: the kubelet rewrites a pod's status all the
 * time, which must not block the delete.
 */
export function planPodDelete(pod: Pod): ActionPlan {
  const name = pod.metadata.name;
  if (pod.metadata.deletionTimestamp) return { title: `Delete pod "${name}"`, summary: '', writes: [], noop: `Pod "${name}" is already being deleted.` };
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller !== false);
  const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
  return {
    title: `Delete pod "${name}"`,
    summary: `${owner ? `Its ${owner.kind} "${owner.name}" creates a new pod in its place.` : 'No controller owns it: nothing replaces it.'} The pod gets ${grace} s to stop (its preStop hook first); while it stops it is no endpoint of its Services.`,
    writes: [{ resource: 'pods', namespace: pod.metadata.namespace ?? '', name, patchType: 'merge', verb: 'delete', patch: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: uidOf(pod) } } }],
  };
}

// ---- a manifest's values (drift) --------------------------------------------------------------

/**
 * Gives a live object the values its workspace manifest has on the release fields that drifted
 * (domain/manifests/drift.ts): one JSON patch, preconditioned like every other write.
 */
export function planManifestValues(o: Deployment | Rollout | Service, resource: 'deployments' | 'rollouts' | 'services', file: string, fields: readonly DriftField[]): ActionPlan {
  const name = o.metadata.name;
  const patched = fields.filter((f) => f.patchable);
  const apart = fields.filter((f) => !f.patchable).map((f) => f.field);
  const notSent = apart.length ? ` Not sent: ${apart.join(', ')} (a container or step only one side has: apply the whole file for that).` : '';
  if (!patched.length) return { title: `Apply ${file} to "${name}"`, summary: '', writes: [], noop: apart.length ? `"${name}" differs from ${file} only in its shape:${notSent}` : `"${name}" already has the values of ${file}.` };
  return {
    ...(patched.some((f) => f.field.startsWith('spec.selector') || f.field.startsWith('setWeight')) ? { movesTraffic: true as const } : {}),
    title: `Apply ${file} to "${name}"`,
    summary: `${resource}/${name} takes the file's values: ${patched.map((f) => `${f.field} ${f.live === undefined ? '(none)' : JSON.stringify(f.live)} -> ${f.file === undefined ? '(removed)' : JSON.stringify(f.file)}`).join(', ')}.${notSent}`,
    writes: [jsonWrite(resource, o, fileValueOps(fields))],
  };
}
