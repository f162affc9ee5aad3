// The store keeps lean objects (domain/model/lean.ts): the view model over them must be exactly the
// one over the full objects, on the fixtures and on random namespaces, and the heavy parts go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { leanObject } from '../../src/domain/model/lean';
import type { NamespaceSnapshot, Service } from '../../src/domain/model/objects';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { NamespaceGenerator, seeded } from '../support/randomNamespace';
import { snapshotFixture } from '../support/snapshot';

const LISTS = ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices', 'rollouts', 'analysisRuns'] as const;

function lean(snapshot: NamespaceSnapshot): NamespaceSnapshot {
  return { ...snapshot, ...Object.fromEntries(LISTS.map((list) => [list, (snapshot[list] as never[]).map((o) => leanObject(list, o))])) };
}

test('the view model of lean objects equals the one of the full objects', () => {
  const fixtures = readdirSync(join(__dirname, '..', '..', 'test', 'fixtures', 'cluster')).filter((f) => f.endsWith('.yaml'));
  for (const name of fixtures) {
    const snapshot = snapshotFixture(`cluster/${name}`);
    assert.deepEqual(buildWorkloads(lean(snapshot)), buildWorkloads(snapshot), name);
  }
  for (let seed = 1; seed <= 20; seed++) {
    const snapshot = new NamespaceGenerator(seeded(seed)).namespaceOf(10);
    assert.deepEqual(buildWorkloads(lean(snapshot)), buildWorkloads(snapshot), `seed ${seed}`);
  }
});

test('managedFields, the last-applied copy and a pod spec beyond node and images are dropped', () => {
  const pod = {
    metadata: {
      name: 'web-1', uid: 'u1', labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', keep: 'me' },
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs1', controller: true }],
    },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0', env: [{ name: 'A', value: 'b' }], readinessProbe: { httpGet: { path: '/', port: 80 } }, resources: {} }],
      volumes: [{ name: 'token', projected: { sources: [] } }],
      tolerations: [{ key: 'x', operator: 'Exists' }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const trimmed = leanObject('pods', pod as never) as any;
  assert.equal(trimmed.metadata.managedFields, undefined);
  assert.deepEqual(trimmed.metadata.annotations, { keep: 'me' });
  assert.deepEqual(trimmed.metadata.ownerReferences, pod.metadata.ownerReferences);
  assert.deepEqual(trimmed.spec, { nodeName: 'node-1', containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0' }] });
  assert.deepEqual(trimmed.status, pod.status);
  const rs = leanObject('replicaSets', { metadata: { name: 'web-abc' }, spec: { replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: pod.spec } } } as never) as any;
  assert.deepEqual(rs.spec, { replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0' }] } } });
});

test('a workload keeps who changed it last (release controllers aside), and the view says the same over full and lean objects', () => {
  const entry = (manager: string, time: string, subresource?: string) => ({ manager, operation: manager === 'switchyard' ? 'Apply' : 'Update', time, apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} }, ...(subresource ? { subresource } : {}) });
  const snapshot = structuredClone(snapshotFixture('cluster/bluegreen.yaml'));
  const service = snapshot.services.find((s) => s.metadata.name === 'shop')!;
  // The selector switched by kubectl; the endpoint controller and the demo's apply came before and after.
  service.metadata.managedFields = [entry('switchyard-demo', '2026-11-25T10:00:00Z'), entry('kubectl-client-side-apply', '2026-11-25T10:05:00Z'), entry('kube-controller-manager', '2026-11-25T10:05:01Z', 'status')];
  for (const d of snapshot.deployments) d.metadata.managedFields = [entry('switchyard-demo', '2026-11-25T10:00:00Z'), entry('kube-controller-manager', '2026-11-25T10:06:00Z', 'status')];
  snapshot.pods[0].metadata.managedFields = [entry('kubelet', '2026-11-25T10:07:00Z', 'status')];
  const leanService = leanObject('services', service);
  assert.deepEqual(leanService.metadata.lastChange, { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-11-25T10:05:00Z' });
  assert.equal('managedFields' in leanService.metadata, false);
  // Pods and the like are nobody's "who": the store keeps no summary for them.
  assert.equal(leanObject('pods', snapshot.pods[0]).metadata.lastChange, undefined);
  const [pair] = buildWorkloads(lean(snapshot));
  assert.deepEqual(pair.lastChange, { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-11-25T10:05:00Z' });
  assert.deepEqual(buildWorkloads(lean(snapshot)), buildWorkloads(snapshot));
});

test('odd managedFields (not a list, entries without a manager) give no "who" and break nothing', () => {
  for (const managedFields of [{ manager: 'x' }, 'kubectl', [null, { operation: 'Update' }, { manager: 42 }], []]) {
    const lean = leanObject('services', { metadata: { name: 'shop', managedFields } } as unknown as Service);
    assert.equal(lean.metadata.lastChange, undefined, JSON.stringify(managedFields));
  }
});
