// Wires the features together; each lives in its own folder. Nothing here touches a cluster or
// loads the Kubernetes client: that happens on first use (the tree becoming visible, a command).
import type * as vscode from 'vscode';
import type { SwitchyardApi } from './api';
import { registerAuthoring } from './features/authoring';
import { ClusterController } from './features/session/controller';
import { registerConvert } from './features/convert';
import { registerRecommend } from './features/recommend';
import { registerScaffold } from './features/scaffold';
import { registerTimeline } from './features/timeline';
import { registerRolloutTree, renderTree } from './features/tree';
import { registerActions } from './features/actions';
import { registerDrift } from './features/drift';
import { registerGitPath } from './features/gitpath';
import { WorkspaceManifests } from './features/manifests/workspace';
import { registerPanels } from './features/panels';
import { registerAnalysisEvaluation } from './features/analysis';
import { registerPodLogs } from './features/logs';
import { Settings } from './features/settings';
import { createLog } from './features/lifecycle';
import { NeedsAttention, registerAttention } from './features/attention';
import { Notifications } from './features/notifications';
import { Pins, registerPins } from './features/pins';

export function activate(context: vscode.ExtensionContext): SwitchyardApi {
  const settings = new Settings();
  const log = createLog();
  context.subscriptions.push(settings, log);
  registerScaffold(context);
  registerAuthoring(context, settings);
  registerConvert(context);
  registerRecommend(context);
  registerTimeline(context);
  const controller = new ClusterController(context, settings, log);
  context.subscriptions.push(controller);
  const attention = new NeedsAttention(controller);
  context.subscriptions.push(attention);
  const pins = new Pins(context.workspaceState);
  const tree = registerRolloutTree(context, controller, attention, pins);
  registerPins(context, controller, pins, (node) => tree.workloadOf(node));
  registerAttention(context, attention, controller);
  // One index of the workspace's manifests for the Git path, the CodeLenses and drift (read on first need).
  const manifests = new WorkspaceManifests();
  context.subscriptions.push(manifests);
  const runner = registerActions(context, controller, tree, registerGitPath(context, controller, tree, manifests));
  registerDrift(context, controller, tree, runner, manifests);
  const panels = registerPanels(context, controller, tree, log);
  registerPodLogs(context, controller);
  const notifications = new Notifications(controller, () => panels.openRollouts(), pins);
  context.subscriptions.push(notifications);
  registerAnalysisEvaluation(context, controller, tree);
  return {
    async workloads(namespace, context) {
      const session = controller.sessionOf(context);
      if (!session) return { problem: controller.problemOf(context)?.message };
      const ns = namespace ?? session.client.contextNamespace;
      await session.watchNamespace(ns, 'api');
      return { context: session.contextName, namespace: ns, synced: session.isSynced(ns), workloads: session.workloads(ns) };
    },
    renderTree: (maxDepth = 4) => renderTree(tree, maxDepth),
    treeItemCounts: (namespace) => tree.itemCounts(namespace),
    treeWideRefreshes: () => ({ total: tree.wideRefreshes.total, recent: [...tree.wideRefreshes.recent] }),
    notifications: () => [...notifications.shown()],
  };
}

export function deactivate(): void {}
