// What a SelfSubjectRulesReview says the user may do in a namespace. Pure: rules in, answers out.
import type { WorkloadKind } from './workloads';

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** Whether the rules allow `verb` on `group`/`resource` (a "plural/subresource" for subresources), optionally on one name. */
export function allows(rules: ResourceRule[], verb: string, group: string, resource: string, name?: string): boolean {
  const [plural, sub] = resource.split('/');
  return rules.some((r) => {
    const verbOk = r.verbs.includes('*') || r.verbs.includes(verb);
    const groupOk = (r.apiGroups ?? []).some((g) => g === '*' || g === group);
    const resourceOk = (r.resources ?? []).some((x) => x === '*' || x === resource || (sub !== undefined && x === `${plural}/*`) || (sub === undefined && x === plural));
    const nameOk = !r.resourceNames?.length || (name !== undefined && r.resourceNames.includes(name));
    return verbOk && groupOk && resourceOk && nameOk;
  });
}

/** The writes Switchyard's actions need, per workload kind. */
export const ACTION_WRITES: Record<WorkloadKind, { group: string; resource: string }[]> = {
  Deployment: [{ group: 'apps', resource: 'deployments' }],
  ReplicaCanary: [{ group: 'apps', resource: 'deployments' }],
  BlueGreen: [{ group: '', resource: 'services' }],
  // Suspend / resume / skipAnalysis patch the Canary; Retry patches its target (the gates' services/proxy is reviewed per action).
  Canary: [
    { group: 'flagger.app', resource: 'canaries' },
    { group: 'apps', resource: 'deployments' },
  ],
  Rollout: [
    { group: 'argoproj.io', resource: 'rollouts' },
    { group: 'argoproj.io', resource: 'rollouts/status' },
  ],
};

/** The first write a kind's actions need that the rules do not allow, in words; undefined when all are allowed. */
export function missingWrite(rules: ResourceRule[], kind: keyof typeof ACTION_WRITES, namespace: string): string | undefined {
  const missing = ACTION_WRITES[kind].find((w) => !allows(rules, 'patch', w.group, w.resource));
  return missing && `You may not patch ${missing.resource}${missing.group ? `.${missing.group}` : ''} in namespace "${namespace}" (RBAC): actions that change it are hidden.`;
}
