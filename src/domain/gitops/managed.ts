// Whether a GitOps controller manages a live object: of the owners the ownership model reads from
// the object's markers (model/ownership.ts), the first that reconciles from Git (Helm alone does
// not: nothing puts a helm-installed object back). Pure.
import type { NamespaceSnapshot, ObjectMeta } from '../model/objects';
import type { WorkloadView } from '../model/workloads';
import { gitOpsOwners, type GitOpsTool } from '../model/ownership';

export interface GitOpsManager {
  tool: 'Flux' | 'Argo CD';
  /** The Flux Kustomization / HelmRelease, or the Argo CD Application. */
  name: string;
  namespace?: string;
  /** `Kustomization` or `HelmRelease` for Flux, `Application` for Argo CD. */
  kind: 'Kustomization' | 'HelmRelease' | 'Application';
}

/** The tools that put an object back as Git has it, in the words the Git path uses. */
const RECONCILERS: Partial<Record<GitOpsTool, Pick<GitOpsManager, 'tool' | 'kind'>>> = {
  'flux-kustomization': { tool: 'Flux', kind: 'Kustomization' },
  'flux-helmrelease': { tool: 'Flux', kind: 'HelmRelease' },
  argocd: { tool: 'Argo CD', kind: 'Application' },
};

/** Who reconciles the object from Git, if anyone: a direct change to it is undone at the next reconcile. */
export function gitOpsManager(meta: Partial<ObjectMeta> | undefined): GitOpsManager | undefined {
  if (!meta) return undefined;
  for (const owner of gitOpsOwners(meta)) {
    const reconciler = RECONCILERS[owner.tool];
    if (reconciler) return { ...reconciler, name: owner.name, ...(owner.namespace ? { namespace: owner.namespace } : {}) };
  }
  return undefined;
}

/** The objects a workload's release changes, as the cluster has them: a pair's Service, a canary's Deployments, the workload itself. */
export function gitOpsOfWorkload(w: WorkloadView, snapshot: NamespaceSnapshot): GitOpsManager | undefined {
  const named = (list: { metadata: ObjectMeta }[], names: readonly string[]) => list.filter((o) => names.includes(o.metadata.name));
  const objects =
    w.kind === 'BlueGreen' ? named(snapshot.services, [w.blueGreen?.service ?? w.name])
    : w.kind === 'ReplicaCanary' ? named(snapshot.deployments, w.members)
    : w.kind === 'Rollout' ? named(snapshot.rollouts, [w.name])
    : named(snapshot.deployments, [w.name]);
  for (const o of objects) {
    const m = gitOpsManager(o.metadata);
    if (m) return m;
  }
  return undefined;
}
