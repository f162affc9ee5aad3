import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../cluster/controller';
import { RolloutTreeProvider, type TreeNode } from './provider';

export const ROLLOUTS_VIEW = 'switchyard.rollouts';

export function registerRolloutTree(context: vscode.ExtensionContext, controller: ClusterController): RolloutTreeProvider {
  const provider = new RolloutTreeProvider(controller);
  const view = vscode.window.createTreeView<TreeNode>(ROLLOUTS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(view);
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand(Commands.RefreshTree, () => controller.reset()),
    vscode.commands.registerCommand(Commands.SelectContext, (name?: string) => controller.selectContext(name)),
    vscode.commands.registerCommand(Commands.SelectNamespace, (name?: string) => controller.selectNamespace(name)),
  );
  return provider;
}
