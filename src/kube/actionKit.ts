// What the actions feature needs from the lazily loaded Kubernetes bundle, in one namespace.
import { stringify } from 'yaml';

export * from '../domain/actions/plans';
export * from '../domain/actions/flagger';
export { gateHooks, noGateMessage } from '../domain/actions/flaggerGates';
export { resolveGates } from './loadtester';
export { reviewAccess, runPlan, isConflict, objectPath } from './actions';
export { unifiedDiff } from '../domain/text/diff';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, sortMapEntries: true });
}
export { applyObject, errorFieldPaths, resolveResource } from './apply';
export { ownershipNotices } from './ownership';
export { driftOf } from '../domain/manifests/drift';
