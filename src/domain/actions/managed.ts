// Who runs an object: a release engine (Flagger, Argo Rollouts) that would undo a hand-made change
// to it. One function answers it; every plain-Kubernetes plan (plans.ts: switch traffic, switch back,
// Deployment rollback / pause / resume / scale / restart, canary share) asks it and refuses, naming the
// engine's own actions to use instead. Pure.
import type { Deployment, FlaggerCanary, KubeObject, Rollout, Service } from '../model/objects';
import { ownersOfField } from '../model/ownership';
import { Annotations, FLAGGER_MANAGER } from '../release/vocabulary';

/** The release engines' objects of the namespace, as read for the action. */
export interface Engines {
  canaries: readonly FlaggerCanary[];
  rollouts: readonly Rollout[];
}

export const NO_ENGINES: Engines = Object.freeze({ canaries: [], rollouts: [] });

export interface Manager {
  engine: 'Flagger' | 'Argo Rollouts';
  /** The engine's object that runs it: a Canary or a Rollout; unknown when only Flagger's field manager tells (its Canary not readable). */
  owner?: { kind: 'Canary' | 'Rollout'; name: string };
  /** What the object is to that engine, e.g. "the primary Deployment Flagger generates". */
  role: string;
}

/** A Canary's apex Service name: spec.service.name, else the target's (Flagger's pkg/router kubernetes_default.go names the Services so). */
export function canaryServiceName(c: FlaggerCanary): string {
  return c.spec?.service?.name || c.spec?.targetRef?.name || c.metadata.name;
}

function flaggerOwner(o: KubeObject): string | undefined {
  // Flagger sets a controller reference to the Canary on what it generates (pkg/canary
  // deployment_controller.go createPrimaryDeployment, pkg/router kubernetes_default.go reconcileService).
  return o.metadata.ownerReferences?.find((r) => r.kind === 'Canary' && r.apiVersion.startsWith('flagger.app/'))?.name;
}

/**
 * The release field of a Deployment or Service that Flagger's field manager owns: the replicas it
 * scales (the target to 0 between releases), the template it copies to the primary, the selector of
 * a Service it generated or took over. What tells that Flagger runs an object when its Canaries
 * cannot be listed and the object has no owner reference (a target, a hand-written Service).
 */
function flaggerField(kind: 'Deployment' | 'Service', o: KubeObject): string | undefined {
  const fields = kind === 'Deployment' ? ['spec.replicas', 'spec.template'] : ['spec.selector'];
  return fields.find((f) => ownersOfField(o.metadata.managedFields, f).some((e) => e.manager === FLAGGER_MANAGER));
}

/** Who runs this Deployment or Service, if an engine does. */
export function managerOf(kind: 'Deployment' | 'Service', o: Deployment | Service, engines: Engines = NO_ENGINES): Manager | undefined {
  const name = o.metadata.name;
  const canary = (n: string, role: string): Manager => ({ engine: 'Flagger', owner: { kind: 'Canary', name: n }, role });
  const rollout = (n: string, role: string): Manager => ({ engine: 'Argo Rollouts', owner: { kind: 'Rollout', name: n }, role });
  const owner = flaggerOwner(o);
  if (kind === 'Deployment') {
    const c = engines.canaries.find((x) => x.spec?.targetRef?.name === name && (x.spec.targetRef.kind ?? 'Deployment') === 'Deployment');
    if (c) return canary(c.metadata.name, 'its target Deployment');
    if (owner) return canary(owner, 'the primary Deployment Flagger generates');
    const p = engines.canaries.find((x) => x.spec?.targetRef?.name && `${x.spec.targetRef.name}-primary` === name);
    if (p) return canary(p.metadata.name, 'the primary Deployment Flagger generates');
    const r = engines.rollouts.find((x) => x.spec?.workloadRef?.name === name && (x.spec.workloadRef.kind ?? 'Deployment') === 'Deployment');
    if (r) return rollout(r.metadata.name, 'the Deployment its workloadRef takes the pod template from');
    return byFlaggerField(kind, o);
  }
  const argo = o.metadata.annotations?.[Annotations.ArgoManagedBy];
  if (argo) return rollout(argo, 'a Service it points at its revisions');
  if (owner) return canary(owner, 'a Service Flagger generates');
  const c = engines.canaries.find((x) => {
    const apex = canaryServiceName(x);
    return name === apex || name === `${apex}-primary` || name === `${apex}-canary`;
  });
  return c ? canary(c.metadata.name, 'a Service Flagger generates') : byFlaggerField(kind, o);
}

function byFlaggerField(kind: 'Deployment' | 'Service', o: KubeObject): Manager | undefined {
  const field = flaggerField(kind, o);
  return field ? { engine: 'Flagger', role: `its field manager "${FLAGGER_MANAGER}" owns ${field}` } : undefined;
}

/** The engine's own actions that do what a hand-made change would have tried. */
const INSTEAD: Record<Manager['engine'], string> = {
  Flagger: 'use Approve / Retry on the Canary instead',
  'Argo Rollouts': 'use Promote / Abort / Undo on the Rollout instead',
};

/** The refusal's sentence, or undefined when no engine runs the object. */
export function managedRefusal(kind: 'Deployment' | 'Service', o: Deployment | Service, engines: Engines = NO_ENGINES): string | undefined {
  const m = managerOf(kind, o, engines);
  if (!m) return undefined;
  const by = !m.owner ? m.engine : m.engine === 'Flagger' ? `Flagger's Canary "${m.owner.name}"` : `the Argo Rollout "${m.owner.name}"`;
  return `${kind} "${o.metadata.name}" is run by ${by} (${m.role}): ${m.engine} would undo this; ${INSTEAD[m.engine]}.`;
}
