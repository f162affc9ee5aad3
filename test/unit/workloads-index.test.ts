import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorkloads } from '../../src/domain/model/workloads';
import { buildWorkloads as referenceBuildWorkloads } from '../support/referenceWorkloads';
import { snapshotFixture } from '../support/snapshot';
import { NamespaceGenerator, seeded } from '../support/randomNamespace';

const fixtures = readdirSync(join(__dirname, '..', '..', 'test', 'fixtures', 'cluster')).filter((f) => f.endsWith('.yaml'));

test('the indexed view model equals the reference (the quadratic one) on every cluster fixture', () => {
  assert.ok(fixtures.length >= 5);
  for (const name of fixtures) {
    const snapshot = snapshotFixture(`cluster/${name}`);
    assert.deepEqual(buildWorkloads(snapshot), referenceBuildWorkloads(snapshot), name);
  }
});

test('the indexed view model equals the reference on random namespaces', () => {
  let pairs = 0;
  let canaries = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const snapshot = new NamespaceGenerator(seeded(seed)).namespaceOf(8 + (seed % 5) * 4);
    const expected = referenceBuildWorkloads(snapshot);
    assert.deepEqual(buildWorkloads(snapshot), expected, `seed ${seed}`);
    pairs += expected.filter((w) => w.kind === 'BlueGreen').length;
    canaries += expected.filter((w) => w.kind === 'ReplicaCanary').length;
  }
  // The generator makes the shapes the detection looks for, not only plain Deployments.
  assert.ok(pairs > 100 && canaries > 50, `${pairs} pairs, ${canaries} canaries`);
});
