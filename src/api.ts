// What activate() returns: a typed API for the extension-host tests and for other extensions
// (`vscode.extensions.getExtension('switchyard.switchyard').activate()`), instead of hidden commands.
import type { WorkloadView } from './domain/model/workloads';
import type { RenderedRow } from './features/tree';
import type { TreeNode } from './features/tree/nodes';
import type { ShownNotice } from './features/notifications';

export interface WorkloadsAnswer {
  /** Why there is no cluster to ask (no kubeconfig, a broken one); the rest is then absent. */
  problem?: string;
  context?: string;
  namespace?: string;
  /** Whether every watch of the namespace has listed once. */
  synced?: boolean;
  workloads?: WorkloadView[];
}

export interface SwitchyardApi {
  /** The view model of a namespace (default: the context's) of a shown context (default: the primary), watched from the first call on. */
  workloads(namespace?: string, context?: string): Promise<WorkloadsAnswer>;
  /** The rows of the Rollouts tree as its provider renders them, down to `maxDepth` levels (default 4). */
  renderTree(maxDepth?: number): Promise<RenderedRow[]>;
  /** The Rollouts tree's items in a namespace by type, of those VS Code has asked for (it asks for the children of expanded items only). */
  treeItemCounts(namespace: string): Partial<Record<TreeNode['type'], number>>;
  /** Why the tree's latest wide redraws came (whole tree, a context, a namespace; newest last): each drops the rows below it until VS Code asks again. */
  treeWideRefreshes(): { total: number; recent: string[] };
  /** The notifications Switchyard showed (the latest 50, oldest first): the host cannot read VS Code's. */
  notifications(): ShownNotice[];
}
