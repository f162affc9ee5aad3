// Whether a GitOps controller manages a live object, from the labels and annotations the controllers
// put on what they apply. Until the ownership model (who manages a field) lands, this one small
// function decides it. Pure.
import type { NamespaceSnapshot, ObjectMeta } from '../model/objects';
import type { WorkloadView } from '../model/workloads';

export interface GitOpsManager {
  tool: 'Flux' | 'Argo CD';
  /** The Flux Kustomization / HelmRelease, or the Argo CD Application. */
  name: string;
  namespace?: string;
  /** `Kustomization` or `HelmRelease` for Flux, `Application` for Argo CD. */
  kind: 'Kustomization' | 'HelmRelease' | 'Application';
}

/** The labels and annotations the controllers write (fluxcd kustomize-controller v1.9.6 sets the first two on every object it applies). */
export const GitOpsLabels = {
  FluxKustomizationName: 'kustomize.toolkit.fluxcd.io/name',
  FluxKustomizationNamespace: 'kustomize.toolkit.fluxcd.io/namespace',
  FluxHelmReleaseName: 'helm.toolkit.fluxcd.io/name',
  FluxHelmReleaseNamespace: 'helm.toolkit.fluxcd.io/namespace',
  /** Argo CD's annotation tracking (`<app>:<group>/<kind>:<namespace>/<name>`). */
  ArgoTrackingId: 'argocd.argoproj.io/tracking-id',
  /** Argo CD's label tracking, when configured with its own key (the default `app.kubernetes.io/instance` is Helm's too: not read). */
  ArgoInstance: 'argocd.argoproj.io/instance',
} as const;

/** Who reconciles the object from Git, if anyone: a direct change to it is undone at the next reconcile. */
export function gitOpsManager(meta: Pick<ObjectMeta, 'labels' | 'annotations'> | undefined): GitOpsManager | undefined {
  const labels = meta?.labels ?? {};
  const annotations = meta?.annotations ?? {};
  if (labels[GitOpsLabels.FluxKustomizationName]) return { tool: 'Flux', kind: 'Kustomization', name: labels[GitOpsLabels.FluxKustomizationName], namespace: labels[GitOpsLabels.FluxKustomizationNamespace] };
  if (labels[GitOpsLabels.FluxHelmReleaseName]) return { tool: 'Flux', kind: 'HelmRelease', name: labels[GitOpsLabels.FluxHelmReleaseName], namespace: labels[GitOpsLabels.FluxHelmReleaseNamespace] };
  const tracking = annotations[GitOpsLabels.ArgoTrackingId];
  if (tracking) return { tool: 'Argo CD', kind: 'Application', name: tracking.split(':')[0] };
  if (labels[GitOpsLabels.ArgoInstance]) return { tool: 'Argo CD', kind: 'Application', name: labels[GitOpsLabels.ArgoInstance] };
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
