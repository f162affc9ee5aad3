// The action catalogue is the one description of what a workload offers: package.json's commands
// and tree menus must say exactly what it says (both ways), and the tree's context values must be
// matched by exactly the menu entries of the actions the catalogue gives that workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands } from '../../src/commands';
import { ACTIONS, POD_CONTEXT_VALUE, attentionContextValue, commandContribution, isViaGit, lensActions, paletteEntries, revisionContextValue, treeMenuEntries, workloadActions, workloadContextValue, type ActionId, type ActionSpec } from '../../src/domain/actions/catalogue';
import { buildWorkloads, type WorkloadView } from '../../src/domain/model/workloads';
import { canGoBackTo } from '../../src/domain/actions/revisions';
import { snapshotFixture } from '../support/snapshot';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributedCommands: { command: string }[] = manifest.contributes.commands;
const itemMenus: { command: string; when: string; group: string }[] = manifest.contributes.menus['view/item/context'];
const catalogued = new Set<string>(ACTIONS.map((a) => a.command));
const key = (e: { command: string; when: string; group: string }) => `${e.command} | ${e.group} | ${e.when}`;

test('package.json contributes every command of Commands, and no other', () => {
  assert.deepEqual(contributedCommands.map((c) => c.command).sort(), Object.values(Commands).sort());
});

test('each catalogue action is contributed with its title, icon and read-only enablement', () => {
  for (const a of ACTIONS) {
    const contributed = contributedCommands.find((c) => c.command === a.command);
    assert.deepEqual(contributed, commandContribution(a), `contributes.commands entry of ${a.command}`);
  }
});

test('the tree menus of package.json are the catalogue\'s, both ways', () => {
  const expected = treeMenuEntries().map(key).sort();
  const actual = itemMenus.filter((e) => catalogued.has(e.command)).map(key).sort();
  const missing = expected.filter((e) => !actual.includes(e));
  const extra = actual.filter((e) => !expected.includes(e));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `view/item/context should hold exactly:\n${JSON.stringify(treeMenuEntries(), null, 2)}`);
});

test('the command palette shows exactly the catalogue actions it says (every one today, each asking which workload)', () => {
  const palette: { command: string; when: string }[] = manifest.contributes.menus.commandPalette;
  assert.deepEqual(palette.filter((e) => catalogued.has(e.command)), paletteEntries());
});

/** The `viewItem =~ /…/` alternatives of a when clause (the catalogue writes only those, or-ed). */
function viewItemMatches(when: string, contextValue: string): boolean {
  return [...when.matchAll(/viewItem =~ \/(.*?)\/(?= \|\||\)|$)/g)].some((m) => new RegExp(m[1]).test(contextValue));
}

function offeredInMenu(contextValue: string): string[] {
  return ACTIONS.filter((a) => viewItemMatches(treeMenuEntries().find((e) => e.command === a.command)!.when, contextValue)).map((a) => a.id);
}

const expectedFor = (w: WorkloadView, filter: (a: ActionSpec) => boolean) =>
  ACTIONS.filter((a) => a.kinds.includes(w.kind) && filter(a) && (a.when !== 'switched' || !!w.blueGreen?.switchBackTo)).map((a) => a.id);

test('a workload node\'s context value is matched by the menus of exactly its kind\'s actions', () => {
  const workloads = ['bluegreen', 'replica-canary', 'argo-canary-paused', 'argo-bluegreen-preview', 'rolling-progress'].flatMap((name) => buildWorkloads(snapshotFixture(`cluster/${name}.yaml`)));
  assert.deepEqual(new Set(workloads.map((w) => w.kind)), new Set(['BlueGreen', 'ReplicaCanary', 'Rollout', 'Deployment']), 'fixtures of every kind');
  for (const w of workloads) {
    assert.deepEqual(offeredInMenu(workloadContextValue(w, false)), expectedFor(w, (a) => a.target === 'workload' || a.target === 'both'), `${w.kind} ${w.name}`);
    // Nodes the user may not change keep Open Rollout Details only.
    assert.deepEqual(offeredInMenu(workloadContextValue(w, true)), [], `${w.kind} ${w.name} read-only: no menu matches a ro: node`);
    for (const r of w.revisions) {
      // The revisions one can go back to: the same as the panel's Roll back buttons.
      const old = w.kind === 'Deployment' || w.kind === 'Rollout' ? canGoBackTo(w, r) : r.roles.includes('old') || r.health === 'ScaledDown';
      assert.deepEqual(offeredInMenu(revisionContextValue(w, r, false)), old ? expectedFor(w, (a) => a.target === 'revision' || a.target === 'both') : [], `${w.name} revision ${r.revision}`);
      // A pod row offers the pod actions, and only those.
      for (const p of r.pods) assert.deepEqual(offeredInMenu(POD_CONTEXT_VALUE), ['podLogs', 'followPodLogs', 'podEvents', 'describePod', 'copyPodName', 'deletePod'], `pod ${p.name}`);
    }
  }
});

test('a switched blue/green pair also offers Switch back', () => {
  const [w] = buildWorkloads(snapshotFixture('cluster/bluegreen.yaml'));
  const switched: WorkloadView = { ...w, blueGreen: { ...w.blueGreen!, switchBackTo: 'green' } };
  assert.ok(!offeredInMenu(workloadContextValue(w, false)).includes('switchBack'));
  assert.ok(offeredInMenu(workloadContextValue(switched, false)).includes('switchBack'));
  assert.match(workloadContextValue(switched, false), /^bluegreen:bluegreen:\w+:switched$/);
});

test('panel buttons and lenses come from the catalogue rows of the kind', () => {
  const [rollout] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  assert.deepEqual(workloadActions(rollout).map((b) => b.action), ['promote', 'promoteFull', 'abort', 'retry']);
  assert.deepEqual(lensActions('Rollout').map((a) => a.command), [Commands.PromoteRollout, Commands.AbortRollout, Commands.UndoRollout, Commands.RollbackInGit, Commands.SetRolloutFieldInGit]);
  assert.deepEqual(lensActions('BlueGreen').map((a) => a.command), [Commands.SwitchTraffic, Commands.SwitchBack, Commands.SwitchTrafficInGit]);
  assert.deepEqual(lensActions('Deployment').map((a) => a.command), [Commands.RollbackDeployment, Commands.RollbackInGit]);
  assert.deepEqual(lensActions('ReplicaCanary').map((a) => a.command), [Commands.SetCanaryShareInGit]);
});

test('a "Needs attention" node keeps its workload\'s menus and shows the action that resolves it inline', () => {
  const inlineOn = (contextValue: string) => treeMenuEntries().filter((e) => e.group.startsWith('inline') && viewItemMatches(e.when, contextValue)).map((e) => ACTIONS.find((a) => a.command === e.command)!.id);
  const [rollout] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  const aborted: WorkloadView = { ...rollout, health: 'Degraded', canary: { ...rollout.canary!, aborted: true } };
  for (const [w, resolves] of [[rollout, 'promoteRollout'], [aborted, 'retryRollout'], [aborted, 'undoRollout']] as const) {
    const value = attentionContextValue(w, false, resolves);
    assert.deepEqual(offeredInMenu(value), offeredInMenu(workloadContextValue(w, false)), `${value}: the workload's context menu`);
    assert.ok(inlineOn(value).includes(resolves), `${value}: ${resolves} inline, got ${inlineOn(value)}`);
    assert.deepEqual(inlineOn(attentionContextValue(w, true, resolves)).filter((id) => ACTIONS.find((a) => a.id === id)!.writes), [], 'read-only: nothing that writes');
  }
  // Every action a node can resolve with is inline on it: on every workload, or as `resolves`.
  const resolving: ActionId[] = ['openDetails', 'promoteRollout', 'abortRollout', 'retryRollout', 'undoRollout', 'resumeRollout', 'rollbackDeployment', 'resumeDeployment', 'abortCanary', 'switchBack'];
  for (const id of resolving) assert.ok(ACTIONS.find((a) => a.id === id)!.inline || ACTIONS.find((a) => a.id === id)!.resolves, id);
});

test('Promote is inline only while it would go through: not on a canary that cannot start, nor with nothing to promote (the context menu keeps it, with the refusal)', () => {
  const inlineOn = (contextValue: string) => treeMenuEntries().filter((e) => e.group.startsWith('inline') && viewItemMatches(e.when, contextValue)).map((e) => ACTIONS.find((a) => a.command === e.command)!.id);
  const [rollout] = buildWorkloads(snapshotFixture('cluster/argo-canary-paused.yaml'));
  const canaryAt = rollout.revisions.findIndex((r) => r.roles.includes('canary'));
  assert.ok(canaryAt >= 0 && rollout.revisions[canaryAt].available >= rollout.revisions[canaryAt].desired, 'the fixture\'s canary is ready');
  const crashing: WorkloadView = { ...rollout, revisions: rollout.revisions.map((r, i) => (i === canaryAt ? { ...r, available: 0, problem: { reason: 'CrashLoopBackOff', container: 'app', image: 'ghcr.io/example/app:crash' } } : r)) };
  const aborted: WorkloadView = { ...rollout, health: 'Degraded', stop: { reason: 'RolloutAborted', message: 'Rollout aborted update to revision 2' } };
  assert.ok(inlineOn(workloadContextValue(rollout, false)).includes('promoteRollout'), workloadContextValue(rollout, false));
  assert.ok(inlineOn(attentionContextValue(rollout, false, 'promoteRollout')).includes('promoteRollout'));
  for (const [what, w, resolves] of [['cannot start', crashing, 'abortRollout'], ['aborted', aborted, 'retryRollout']] as const) {
    assert.ok(!inlineOn(workloadContextValue(w, false)).includes('promoteRollout'), `${what}: no inline Promote on ${workloadContextValue(w, false)}`);
    assert.deepEqual(inlineOn(attentionContextValue(w, false, resolves)).filter((id) => id.startsWith('promote')), [], `${what}: the attention row shows ${resolves}, not Promote`);
    assert.ok(offeredInMenu(workloadContextValue(w, false)).includes('promoteRollout'), `${what}: Promote stays in the context menu`);
  }
});

test('the Git path is its menu group: every "in Git" action and only those (Set Rollout Field in Git… has no direct twin)', () => {
  const git = ACTIONS.filter(isViaGit).map((a) => a.id).sort();
  assert.deepEqual(git, ['rollbackInGit', 'setCanaryShareInGit', 'setRolloutFieldInGit', 'switchTrafficInGit']);
  for (const a of ACTIONS) if (a.viaGit) assert.ok(git.includes(a.viaGit), `${a.id} names ${a.viaGit}, a Git-path action`);
  assert.ok(ACTIONS.filter(isViaGit).every((a) => !a.writes), 'the Git path writes nothing to the cluster');
});
