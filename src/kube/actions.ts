// Runs an action plan against the cluster: access review, server-side dry-run, then the real
// writes with resourceVersion preconditions carried from one write to the next.
import type { ActionPlan, PlannedCall, PlannedWrite } from '../domain/actions/plans';
import { sendCalls } from './loadtester';
import type { KubeClient } from './client';
import { FIELD_MANAGER } from '../domain/release/vocabulary';
import { ClusterError } from './errors';
import { RESOURCES, resourcePath, type ResourceType } from './watcher';

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

/** What actions write: the watched resources, and Flagger's Canaries (read fresh, not watched here). */
const WRITABLE: Record<PlannedWrite['resource'], ResourceType> = {
  deployments: RESOURCES.deployments,
  services: RESOURCES.services,
  rollouts: RESOURCES.rollouts,
  pods: RESOURCES.pods,
  canaries: { plural: 'canaries', group: 'flagger.app', version: 'v1beta1' },
};

/** The object a write is about (without its subresource). */
export function objectPath(w: Pick<PlannedWrite, 'resource' | 'namespace' | 'name'>): string {
  return resourcePath(WRITABLE[w.resource], w.namespace, w.name);
}

export function writePath(w: PlannedWrite): string {
  return objectPath(w) + (w.subresource ? `/${w.subresource}` : '');
}

interface Seen {
  resourceVersion?: string;
  generation?: number;
}

/** The write with its precondition moved to what an earlier write of this plan left on the object. */
function withPrecondition(w: PlannedWrite, seen: Seen | undefined): unknown {
  if (!seen) return w.patch;
  if (Array.isArray(w.patch)) {
    return w.patch.map((op) => {
      if (op.path === '/metadata/resourceVersion' && seen.resourceVersion) return { ...op, value: seen.resourceVersion };
      if (op.op === 'test' && op.path === '/metadata/generation' && seen.generation !== undefined) return { ...op, value: seen.generation };
      return op;
    });
  }
  const patch = structuredClone(w.patch) as { metadata?: { resourceVersion?: string } };
  if (patch.metadata?.resourceVersion && seen.resourceVersion) patch.metadata.resourceVersion = seen.resourceVersion;
  return patch;
}

function hasTests(patch: unknown): boolean {
  return Array.isArray(patch) && patch.some((op) => op.op === 'test');
}

export interface AccessDecision {
  allowed: boolean;
  reason?: string;
  /** What was asked about, as a write (a call is its Service's services/proxy, verb create, as the proxy's POST is). */
  write: { verb: string; resource: string; subresource?: string; namespace: string; name: string };
}

function callAsWrite(call: PlannedCall): AccessDecision['write'] {
  return { verb: 'create', resource: 'services', subresource: 'proxy', namespace: call.namespace, name: call.service };
}

/** SelfSubjectAccessReview for every write and call of the plan. */
export async function reviewAccess(client: KubeClient, plan: ActionPlan): Promise<AccessDecision[]> {
  const asked = [
    ...plan.writes.map((write) => ({ write, group: WRITABLE[write.resource].group, plural: WRITABLE[write.resource].plural })),
    ...(plan.calls ?? []).map((call) => ({ write: callAsWrite(call), group: '', plural: 'services' })),
  ];
  return Promise.all(
    asked.map(async ({ write, group, plural }) => ({
      ...(await client.accessReview({ namespace: write.namespace, verb: write.verb, group, resource: plural, subresource: write.subresource, name: write.name })),
      write,
    })),
  );
}

/** Sends the plan's writes in order; the first failure stops the rest and is thrown as a ClusterError. */
export async function runPlan(client: KubeClient, plan: ActionPlan, options: { dryRun: boolean; signal?: AbortSignal }): Promise<PlanResult> {
  const started = performance.now();
  const results: WriteResult[] = [];
  const latest = new Map<string, Seen>();
  for (const write of plan.writes) {
    const key = `${write.resource}/${write.namespace}/${write.name}`;
    // Dry-runs change nothing, so only real writes carry a new version forward.
    const sent = withPrecondition(write, options.dryRun ? undefined : latest.get(key));
    const type = WRITABLE[write.resource];
    const name = write.subresource ? `${write.name}/${write.subresource}` : write.name;
    let object;
    const info = { verb: write.verb, resource: type.group ? `${type.plural}.${type.group}` : type.plural, namespace: write.namespace, name };
    try {
      object =
        write.verb === 'delete'
          ? await client.request(writePath(write), { method: 'DELETE', body: sent, query: { dryRun: options.dryRun ? 'All' : undefined }, signal: options.signal, info })
          : await client.patch(writePath(write), sent, write.patchType, { dryRun: options.dryRun, fieldManager: FIELD_MANAGER, signal: options.signal, info });
    } catch (e) {
      // A failed JSON-patch "test" comes back as a bare 422: it is our precondition, not bad input.
      if (e instanceof ClusterError && e.kind === 'invalid' && hasTests(sent) && !(e.body as { details?: { causes?: unknown[] } })?.details?.causes?.length) {
        throw new ClusterError('conflict', `Conflict: ${write.resource}/${write.name} changed after Switchyard read it (its spec, or the step it was on). Nothing was changed; look at the new state and try again.`, 409, e.request, e.body);
      }
      throw e;
    }
    if (!options.dryRun && object?.metadata) latest.set(key, { resourceVersion: object.metadata.resourceVersion, generation: object.metadata.generation });
    results.push({ write, sent, object });
  }
  // A call cannot be dry-run: the preview shows it, the real run sends it.
  if (!options.dryRun && plan.calls?.length) await sendCalls(client, plan.calls, options.signal);
  return { dryRun: options.dryRun, results, durationMs: performance.now() - started };
}

export function isConflict(e: unknown): boolean {
  return e instanceof ClusterError && e.kind === 'conflict';
}
