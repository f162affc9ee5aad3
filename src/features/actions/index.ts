// Registers every writing action of the catalogue (domain/actions/catalogue.ts) with its handler,
// the Apply command and the manifests' CodeLenses; says each outcome as a notification.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { ACTIONS, READ_ONLY_CONTEXT_KEY, actionSpec, type ActionId } from '../../domain/actions/catalogue';
import type { GitPath } from '../gitpath';
import type { ClusterController } from '../session/controller';
import type { TreeNode, RolloutTreeProvider } from '../tree/provider';
import { isTreeNode } from '../tree/nodes';
import { notify } from '../lifecycle';
import { refOf } from '../../domain/model/contexts';
import { applyManifest } from './apply';
import { registerActionLenses } from './codelens';
import { ActionUnavailable, type ActionArgs, type ActionOutcome } from './outcome';
import { ACTIONS_OWNER, ActionRunner } from './runner';
import { POD_YAML_SCHEME, PodActions } from './pods';

export type { ActionArgs, ActionOutcome } from './outcome';

type Arg = ActionArgs | TreeNode | undefined;

/** The button of a refusal that can be overridden. */
export const FORCE = 'Force';

export function registerActions(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider, gitPath: GitPath): ActionRunner {
  const output = controller.log;
  const applyDiagnostics = vscode.languages.createDiagnosticCollection('switchyard-apply');
  const runner = new ActionRunner(controller, tree, output);
  const pods = new PodActions(controller, tree, runner);
  registerActionLenses(context, controller, gitPath);
  // A direct change a GitOps controller would undo: say so, and offer the same change in Git first.
  runner.guard = async (session, w, id, args) => {
    const via = actionSpec(id).viaGit;
    const manager = via ? gitPath.managerOf(session, w) : undefined;
    if (!manager || !via) return true;
    const who = `${manager.tool} ${manager.kind} "${manager.namespace ? `${manager.namespace}/` : ''}${manager.name}"`;
    const warning = `"${w.name}" is managed by ${who}: at its next reconcile it puts back what Git says, undoing a change made in the cluster. Make the change in Git instead?`;
    output.warn(warning);
    if (args.confirm) return true; // a scripted run (tests, another extension) has decided
    const inGit = actionSpec(via).title;
    const anyway = 'Change the Cluster Anyway';
    const choice = await vscode.window.showWarningMessage(warning, { modal: true }, inGit, anyway);
    if (choice === inGit) void vscode.commands.executeCommand(actionSpec(via).command, { ...refOf(w, session.contextName), target: args.target, revision: args.revision, percent: args.percent });
    return choice === anyway;
  };
  const syncReadOnly = () => void vscode.commands.executeCommand('setContext', READ_ONLY_CONTEXT_KEY, controller.settings.readOnly);
  syncReadOnly();
  const run = async (fn: (args: ActionArgs & { node?: TreeNode }) => Promise<ActionOutcome>, args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> => {
    try {
      const outcome = await fn(args).finally(() => controller.sessions().forEach((s) => s.release(ACTIONS_OWNER)));
      if (outcome.cancelled) return outcome;
      if (!outcome.ok) void notify.warn(outcome.message);
      else if (outcome.message && !args.confirm) void notify.info(outcome.message);
      return outcome;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      output.error(message);
      // No cluster or read-only mode is a state to explain, not a failure; so is a refusal (the plan
      // says why nothing was sent and what to do instead: a guard rail naming the engine's action).
      if (e instanceof ActionUnavailable) void notify.warn(message);
      // A precondition the user may override ("…, or force it"): the button it speaks of, which runs
      // the action again forced (with its confirmation). ActionRefused lives in the lazy bundle: duck-typed.
      else if ((e as { forcible?: boolean }).forcible && !args.force) {
        void notify.warn(message, FORCE).then((choice) => {
          if (choice === FORCE) void run(fn, { ...args, force: true, confirm: false });
        });
        return { ok: false, message, forcible: true };
      } else if ((e as { name?: string }).name === 'ActionRefused') void notify.warn(message);
      else void notify.error(message);
      return { ok: false, message };
    }
  };
  const register = (id: string, fn: (args: ActionArgs & { node?: TreeNode }) => Promise<ActionOutcome>) =>
    vscode.commands.registerCommand(id, (arg?: Arg) => run(fn, isTreeNode(arg) ? { node: arg } : { ...(arg ?? {}) }));
  // One handler per action of the catalogue (the Record makes a missing one a type error); Open
  // Details, Show Logs, Follow Logs, Show Events, Evaluate Analysis Now and the Git path are their features' own commands.
  const handlers: Record<Exclude<ActionId, 'openDetails' | 'podLogs' | 'followPodLogs' | 'podEvents' | 'evaluateAnalysis' | 'switchTrafficInGit' | 'rollbackInGit' | 'setCanaryShareInGit' | 'setRolloutFieldInGit'>, (a: ActionArgs & { node?: TreeNode }) => Promise<ActionOutcome>> = {
    switchTraffic: (a) => runner.switchTraffic(a, false),
    switchBack: (a) => runner.switchTraffic(a, true),
    rollbackDeployment: (a) => runner.rollbackDeployment(a),
    pauseDeployment: (a) => runner.deploymentSimple(a, 'pause'),
    resumeDeployment: (a) => runner.deploymentSimple(a, 'resume'),
    restartDeployment: (a) => runner.deploymentSimple(a, 'restart'),
    scaleDeployment: (a) => runner.deploymentSimple(a, 'scale'),
    setCanaryShare: (a) => runner.replicaCanary(a, 'share'),
    promoteCanary: (a) => runner.replicaCanary(a, 'promote'),
    abortCanary: (a) => runner.replicaCanary(a, 'abort'),
    promoteRollout: (a) => runner.rollout(a, 'promote'),
    promoteFullRollout: (a) => runner.rollout(a, 'promoteFull'),
    abortRollout: (a) => runner.rollout(a, 'abort'),
    retryRollout: (a) => runner.rollout(a, 'retry'),
    undoRollout: (a) => runner.undoRollout(a),
    restartRollout: (a) => runner.rollout(a, 'restart'),
    pauseRollout: (a) => runner.rollout(a, 'pause'),
    resumeRollout: (a) => runner.rollout(a, 'resume'),
    suspendCanary: (a) => runner.canary(a, 'suspend'),
    resumeCanary: (a) => runner.canary(a, 'resume'),
    retryCanary: (a) => runner.canary(a, 'retry'),
    skipAnalysisCanary: (a) => runner.canary(a, 'skipAnalysis'),
    restoreAnalysisCanary: (a) => runner.canary(a, 'restoreAnalysis'),
    approveCanary: (a) => runner.gate(a, 'approve'),
    haltCanary: (a) => runner.gate(a, 'halt'),
    openRollbackCanary: (a) => runner.gate(a, 'openRollback'),
    closeRollbackCanary: (a) => runner.gate(a, 'closeRollback'),
    describePod: (a) => pods.describe(a),
    copyPodName: (a) => pods.copyName(a),
    deletePod: (a) => pods.delete(a),
  };
  context.subscriptions.push(
    applyDiagnostics,
    pods,
    vscode.workspace.registerTextDocumentContentProvider(POD_YAML_SCHEME, pods),
    vscode.workspace.onDidChangeTextDocument((e) => applyDiagnostics.delete(e.document.uri)),
    register(Commands.ApplyManifest, (a) => applyManifest(runner, applyDiagnostics, a)),
    controller.settings.onDidChange((changed) => changed.has('readOnly') && syncReadOnly()),
    ...ACTIONS.filter((a) => a.id in handlers).map((a) => register(a.command, handlers[a.id as keyof typeof handlers])),
  );
  return runner;
}
