// The store keeps lean objects (domain/model/lean.ts): the view model over them must be exactly the
// one over the full objects, on the fixtures and on random namespaces, and the heavy parts go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { leanObject } from '../../src/domain/model/lean';
import type { NamespaceSnapshot } from '../../src/domain/model/objects';
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
