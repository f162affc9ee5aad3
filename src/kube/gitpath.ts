// Watching a GitOps controller apply a Git-path edit: the live object is read until its field is
// what the file says, with the Flux Kustomization's last applied revision beside it, so the report
// can say "applied by kustomize-controller 14 s after the commit was pushed". Polls with reads
// (one object and one Kustomization per round), cancelled by the caller's signal.
import type { KubeClient } from './client';
import { resourcePath } from './watcher';
import { appliedState, applyingCommit, type AppliedState } from '../domain/gitops/gitpath';
import type { FieldPath } from '../domain/manifests/locate';
import type { GitOpsManager } from '../domain/gitops/managed';


/** The API of the kinds the Git path edits, by kind. */
const KINDS: Record<string, { group: string; version: string; plural: string }> = {
  Service: { group: '', version: 'v1', plural: 'services' },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments' },
  Rollout: { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' },
};

/** Flux's Kustomization API (kustomize-controller v1.9.6 serves kustomize.toolkit.fluxcd.io/v1). */
const FLUX_KUSTOMIZATIONS = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' };

export interface FluxKustomization {
  metadata: { name: string; namespace?: string };
  spec?: { path?: string; interval?: string; sourceRef?: { kind: string; name: string; namespace?: string } };
  status?: { lastAppliedRevision?: string; lastAttemptedRevision?: string; conditions?: { type: string; status: string; reason?: string }[] };
}

/** The Flux Kustomization that manages an object, or undefined (not Flux, not readable). */
export async function fluxKustomization(client: KubeClient, manager: GitOpsManager | undefined, signal?: AbortSignal): Promise<FluxKustomization | undefined> {
  if (manager?.tool !== 'Flux' || manager.kind !== 'Kustomization') return undefined;
  try {
    return await client.request<FluxKustomization>(resourcePath(FLUX_KUSTOMIZATIONS, manager.namespace ?? 'flux-system', manager.name), { signal });
  } catch {
    return undefined; // no Flux API or no access to it: the report does without the revision
  }
}

export async function readObject<T = any>(client: KubeClient, kind: string, namespace: string, name: string, signal?: AbortSignal): Promise<T> {
  const type = KINDS[kind];
  if (!type) throw new Error(`Switchyard does not read ${kind} objects.`);
  return client.request<T>(resourcePath(type, namespace, name), { signal });
}

export interface WatchAppliedOptions {
  kind: string;
  namespace: string;
  name: string;
  field: FieldPath;
  expected: unknown;
  manager?: GitOpsManager;
  /** The commit that holds the edit, once there is one (asked each round: the user commits and pushes meanwhile); unset when no repository holds the files. */
  commit?: () => Promise<{ sha: string; at: Date; pushed: boolean } | undefined>;
  /** Between rounds. */
  intervalMs?: number;
  /** Until the cluster matches, and a little after (for the controller's revision to show the commit). */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?(state: AppliedState): void;
}

/**
 * Reads until the field matches the file (and, with a commit known, until the Kustomization says it
 * applied that commit: a few more rounds, or while it is still on that commit). Resolves with the
 * last state: `matches` false when the time ran out or the signal stopped it.
 */
export async function watchApplied(client: KubeClient, o: WatchAppliedOptions): Promise<AppliedState> {
  const started = Date.now();
  const interval = o.intervalMs ?? 2000;
  let state: AppliedState = { matches: false, appliedCommit: false, message: 'waiting for the first read' };
  let matchedAt: number | undefined;
  for (;;) {
    if (o.signal?.aborted) return state;
    try {
      const [live, kustomization, commit] = await Promise.all([readObject(client, o.kind, o.namespace, o.name, o.signal), fluxKustomization(client, o.manager, o.signal), o.commit?.()]);
      state = appliedState({ expected: o.expected, live, field: o.field, commit, lastAppliedRevision: kustomization?.status?.lastAppliedRevision });
      o.onProgress?.(state);
      // With no repository to ask there is no commit to wait for; with one, the commit may not be seen
      // yet (Git's state follows a commit made outside VS Code a little later): the grace below.
      if (state.matches && (state.appliedCommit || !o.commit)) return state;
      if (state.matches) matchedAt ??= Date.now();
      // The field matches but the revision does not name the commit yet: give the status a few rounds,
      // or as long as the Kustomization is still on the commit (its health checks).
      if (matchedAt !== undefined && !(commit && applyingCommit(kustomization?.status, commit.sha)) && Date.now() - matchedAt > 5 * interval) return state;
    } catch (e) {
      if (o.signal?.aborted) return state;
      state = { ...state, message: `could not read ${o.kind} "${o.name}": ${(e as Error).message}` };
      o.onProgress?.(state);
    }
    if (Date.now() - started > o.timeoutMs) return state;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      o.signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
