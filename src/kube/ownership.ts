// Who owns what a plan writes, read from the cluster for the action's preview: the objects' full
// managedFields (read fresh, as every action reads before it writes) and, when readable, the Argo CD
// Application, Flux Kustomization or HelmRelease that manages them. Reading those is optional data:
// a 404, a 403 or a missing CRD only means "not readable", never an error shown to the user.
import type { ActionPlan } from '../domain/actions/plans';
import { controllerStateOf, fieldOwnership, ownershipNotice, writtenFields, type ControllerState, type GitOpsOwner } from '../domain/model/ownership';
import type { KubeClient } from './client';

/** Where Argo CD keeps Applications whose tracking id names no namespace: its control-plane namespace, "argocd" by default. */
const ARGOCD_NAMESPACE = 'argocd';

function controllerPath(o: GitOpsOwner): string | undefined {
  const seg = encodeURIComponent;
  switch (o.tool) {
    case 'flux-kustomization':
      return o.namespace ? `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${seg(o.namespace)}/kustomizations/${seg(o.name)}` : undefined;
    case 'flux-helmrelease':
      return o.namespace ? `/apis/helm.toolkit.fluxcd.io/v2/namespaces/${seg(o.namespace)}/helmreleases/${seg(o.name)}` : undefined;
    case 'argocd':
      return `/apis/argoproj.io/v1alpha1/namespaces/${seg(o.namespace ?? ARGOCD_NAMESPACE)}/applications/${seg(o.name)}`;
    case 'helm':
      // A Helm release is a Secret of Helm's; nothing in it says when the next upgrade comes.
      return undefined;
  }
}

/** What the tool's object says about reverting; undefined when there is nothing to read (Helm). */
export async function readControllerState(client: KubeClient, owner: GitOpsOwner, signal?: AbortSignal): Promise<ControllerState | undefined> {
  const path = controllerPath(owner);
  if (!path) return undefined;
  try {
    return controllerStateOf(owner.tool, await client.request(path, { signal }));
  } catch {
    return { readable: false };
  }
}

/**
 * The preview's lines for the GitOps- or Helm-managed fields the plan writes. `before[i]` is the
 * object write i changes, as just read (undefined for a delete); status writes change no managed field.
 */
export async function ownershipNotices(client: KubeClient, plan: ActionPlan, before: ({ metadata?: any } | undefined)[], signal?: AbortSignal): Promise<string[]> {
  const owned = plan.writes.flatMap((w, i) => {
    const meta = before[i]?.metadata;
    if (!meta || w.verb !== 'patch' || w.subresource === 'status') return [];
    return fieldOwnership(`${w.resource}/${w.name}`, meta, writtenFields(w.patch));
  });
  const states = new Map<string, Promise<ControllerState | undefined>>();
  const stateOf = (o: GitOpsOwner) => {
    const key = `${o.tool}/${o.namespace ?? ''}/${o.name}`;
    if (!states.has(key)) states.set(key, readControllerState(client, o, signal));
    return states.get(key)!;
  };
  const lines = await Promise.all(owned.map(async (f) => ownershipNotice(f, await stateOf(f.owner))));
  return [...new Set(lines)];
}
