import { parseAllDocuments } from 'yaml';
import { emptySnapshot, type NamespaceSnapshot } from '../../src/domain/model/objects';
import { fixtureText } from './fixtures';

const LISTS: Record<string, keyof Omit<NamespaceSnapshot, 'namespace'>> = {
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  Pod: 'pods',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Rollout: 'rollouts',
  AnalysisRun: 'analysisRuns',
  Experiment: 'experiments',
  Canary: 'canaries',
  MetricTemplate: 'metricTemplates',
};

/** A namespace snapshot from a multi-document YAML fixture of cluster objects. */
export function snapshotFixture(name: string, namespace = 'demo'): NamespaceSnapshot {
  const snapshot = emptySnapshot(namespace);
  for (const doc of parseAllDocuments(fixtureText(name)) as any[]) {
    const o = doc.toJS();
    if (!o) continue;
    const list = LISTS[o.kind];
    if (!list) throw new Error(`fixture ${name}: unexpected kind ${o.kind}`);
    (snapshot[list] as unknown[]).push(o);
  }
  return snapshot;
}
