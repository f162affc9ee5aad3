import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../session/controller';
import { RolloutTreeProvider } from './provider';
import type { TreeNode } from './nodes';
import type { NeedsAttention } from '../attention';
import type { Pins } from '../pins';

import { ROLLOUTS_VIEW } from '../../domain/actions/catalogue';
import { parseWorkloadFilter } from '../../domain/model/filter';

/**
 * Filter Workloads…: asks for the filter (or takes it as the argument: tests, keybindings) and shows
 * it in the view's title; an empty one clears it. Returns the filter's problem, when it has one.
 */
async function filterTree(provider: RolloutTreeProvider, view: vscode.TreeView<TreeNode>, text?: string): Promise<string | undefined> {
  text ??= await vscode.window.showInputBox({
    title: 'Filter Workloads',
    value: provider.activeFilter?.text ?? '',
    prompt: 'Words that all match: part of a name, strategy:<kind> (canary, bluegreen, argo…), health:<healthy|progressing|paused|degraded|aborted>',
    placeHolder: 'checkout health:degraded',
    validateInput: (value) => {
      const parsed = parseWorkloadFilter(value);
      return parsed && 'problem' in parsed ? parsed.problem : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseWorkloadFilter(text);
  if (parsed && 'problem' in parsed) {
    void vscode.window.showWarningMessage(parsed.problem);
    return parsed.problem;
  }
  provider.setFilter(parsed);
  view.description = parsed ? `filter: ${parsed.text}` : undefined;
  await vscode.commands.executeCommand('setContext', 'switchyard.treeFiltered', !!parsed);
  return undefined;
}

export function registerRolloutTree(context: vscode.ExtensionContext, controller: ClusterController, attention: NeedsAttention, pins: Pins): RolloutTreeProvider {
  const provider = new RolloutTreeProvider(controller, attention, pins);
  const view = vscode.window.createTreeView<TreeNode>(ROLLOUTS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(view);
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand(Commands.RefreshTree, () => controller.reset()),
    vscode.commands.registerCommand(Commands.FilterTree, (text?: unknown) => filterTree(provider, view, typeof text === 'string' ? text : undefined)),
    vscode.commands.registerCommand(Commands.ClearTreeFilter, () => filterTree(provider, view, '')),
    vscode.commands.registerCommand(Commands.SelectContext, (arg?: string | TreeNode) => controller.selectContext(arg)),
    // From a context row (its inline action): that context's namespace; else a name, in the context given (default: the primary).
    vscode.commands.registerCommand(Commands.SelectNamespace, (arg?: string | TreeNode, context?: string) =>
      typeof arg === 'object' && arg.type === 'context' ? controller.selectNamespace(undefined, arg.name) : controller.selectNamespace(typeof arg === 'string' ? arg : undefined, context)),
    vscode.commands.registerCommand(Commands.AddContext, (name?: string) => controller.addContext(typeof name === 'string' ? name : undefined)),
    vscode.commands.registerCommand(Commands.RemoveContext, (arg?: string | TreeNode) => controller.removeContext(arg)),
  );
  return provider;
}

export interface RenderedRow {
  depth: number;
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  /** The tooltip's text (a Markdown tooltip's source). */
  tooltip?: string;
  /** What a click runs. */
  command?: { command: string; arguments?: unknown[] };
}

/** Walks the provider as VS Code would (getChildren + getTreeItem) and returns what each row shows. */
export async function renderTree(provider: RolloutTreeProvider, maxDepth: number): Promise<RenderedRow[]> {
  const rows: RenderedRow[] = [];
  const walk = async (node: TreeNode | undefined, depth: number): Promise<void> => {
    const children = (await provider.getChildren(node)) ?? [];
    for (const child of children) {
      const item = provider.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      rows.push({ depth, label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue, tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value, icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined, ...(item.command ? { command: { command: item.command.command, arguments: item.command.arguments } } : {}) });
      if (depth + 1 < maxDepth && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return rows;
}
