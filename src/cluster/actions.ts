// Runs an action plan against the cluster: access review, server-side dry-run, then the real
// writes with resourceVersion preconditions carried from one write to the next.
import type { ActionPlan, PlannedWrite } from '../domain/actions/plans';
import type { KubeClient } from './client';
import { ClusterError } from './errors';
import { RESOURCES, resourcePath } from './watcher';

export interface WriteResult {
  write: PlannedWrite;
  sent: unknown;
  /** The object as the API returned it (after the patch, or as it would be for a dry-run). */
  object: any;
}

export interface PlanResult {
  dryRun: boolean;
  results: WriteResult[];
  durationMs: number;
}

export function writePath(w: PlannedWrite): string {
  return resourcePath(RESOURCES[w.resource], w.namespace, w.name) + (w.subresource ? `/${w.subresource}` : '');
}

function withResourceVersion(w: PlannedWrite, resourceVersion: string | undefined): unknown {
  if (!resourceVersion) return w.patch;
  if (Array.isArray(w.patch)) return w.patch.map((op) => (op.path === '/metadata/resourceVersion' ? { ...op, value: resourceVersion } : op));
  const patch = structuredClone(w.patch) as { metadata?: { resourceVersion?: string } };
  if (patch.metadata?.resourceVersion) patch.metadata.resourceVersion = resourceVersion;
  return patch;
}

export interface AccessDecision {
  allowed: boolean;
  reason?: string;
  write: PlannedWrite;
}

/** SelfSubjectAccessReview for every write of the plan. */
export async function reviewAccess(client: KubeClient, plan: ActionPlan): Promise<AccessDecision[]> {
  return Promise.all(
    plan.writes.map(async (write) => {
      const type = RESOURCES[write.resource];
      const review = await client.request<{ status?: { allowed?: boolean; reason?: string; denied?: boolean } }>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: write.namespace, verb: write.verb, group: type.group, resource: type.plural, subresource: write.subresource, name: write.name } } },
        info: { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
      });
      return { allowed: !!review.status?.allowed, reason: review.status?.reason, write };
    }),
  );
}

/** Sends the plan's writes in order; the first failure stops the rest and is thrown as a ClusterError. */
export async function runPlan(client: KubeClient, plan: ActionPlan, options: { dryRun: boolean; signal?: AbortSignal }): Promise<PlanResult> {
  const started = performance.now();
  const results: WriteResult[] = [];
  const latest = new Map<string, string>();
  for (const write of plan.writes) {
    const key = `${write.resource}/${write.namespace}/${write.name}`;
    // Dry-runs do not change the version, so only real writes carry a new one forward.
    const sent = withResourceVersion(write, options.dryRun ? undefined : latest.get(key));
    const type = RESOURCES[write.resource];
    const object = await client.patch(writePath(write), sent, write.patchType, {
      dryRun: options.dryRun,
      fieldManager: 'switchyard',
      signal: options.signal,
      info: { verb: 'patch', resource: type.group ? `${type.plural}.${type.group}` : type.plural, namespace: write.namespace, name: write.subresource ? `${write.name}/${write.subresource}` : write.name },
    });
    if (!options.dryRun && object?.metadata?.resourceVersion) latest.set(key, object.metadata.resourceVersion);
    results.push({ write, sent, object });
  }
  return { dryRun: options.dryRun, results, durationMs: performance.now() - started };
}

export function isConflict(e: unknown): boolean {
  return e instanceof ClusterError && e.kind === 'conflict';
}
