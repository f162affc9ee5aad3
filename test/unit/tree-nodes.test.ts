// The tree keeps one node object per id (a change event must name the instance VS Code holds), and
// drops the nodes of children that are gone with all of theirs: it does not grow with every pod ever seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeRegistry, type TreeNode } from '../../src/features/tree/nodes';

const pod = (name: string): TreeNode => ({ type: 'pod', id: `p:demo:${name}`, context: 'local', namespace: 'demo', workloadId: 'w1', replicaSet: 'rs1', pod: name });
const revision = (rs: string): TreeNode => ({ type: 'revision', id: `r:w1:${rs}`, context: 'local', namespace: 'demo', workloadId: 'w1', replicaSet: rs });

test('an unchanged node keeps its instance; a changed one is replaced', () => {
  const nodes = new NodeRegistry();
  const first = nodes.node(pod('a'));
  assert.equal(nodes.node(pod('a')), first);
  const moved = nodes.node({ ...pod('a'), replicaSet: 'rs2' } as TreeNode);
  assert.notEqual(moved, first);
  assert.equal(nodes.get('p:demo:a'), moved);
});

test('children that are gone are dropped, with their descendants', () => {
  const nodes = new NodeRegistry();
  nodes.children('w:w1', [nodes.node(revision('rs1')), nodes.node(revision('rs2'))]);
  nodes.children('r:w1:rs1', [nodes.node(pod('a')), nodes.node(pod('b'))]);
  nodes.children('r:w1:rs2', [nodes.node(pod('c'))]);
  assert.equal(nodes.size, 5);
  // A rollout replaces pods many times: only the current ones stay.
  for (let i = 0; i < 100; i++) nodes.children('r:w1:rs1', [nodes.node(pod(`x${i}`))]);
  assert.equal(nodes.size, 4, 'two revisions, the last pod of rs1, the pod of rs2');
  // The old revision goes: its pods go with it.
  nodes.children('w:w1', [nodes.node(revision('rs1'))]);
  assert.equal(nodes.get('r:w1:rs2'), undefined);
  assert.equal(nodes.get('p:demo:c'), undefined);
  assert.equal(nodes.size, 2);
});
