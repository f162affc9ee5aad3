// The nodes of the Rollouts tree ("Needs attention" > workloads; context > namespace > strategy group >
// workload > revisions / steps / analysis / experiments > templates > pods, and an unhealthy revision's events) and the registry that keeps one instance per id, so that a change event
// names the very object VS Code holds; children that are gone are dropped with their descendants.
import type * as vscode from 'vscode';
import type { EventView } from '../../domain/model/events';
import type { StrategyKind } from '../../domain/model/workloads';

/**
 * Every node below a context row names its context, and its id is qualified by it (`inContext`), so
 * two contexts holding the same namespace and workload names never collide.
 */
export type TreeNode =
  | { type: 'message'; id: string; label: string; detail?: string; icon: string; color?: string; command?: vscode.Command }
  | { type: 'attention'; id: string }
  | { type: 'attentionItem'; id: string; context: string; namespace: string; workloadId: string }
  | { type: 'context'; id: string; name: string }
  | { type: 'namespace'; id: string; context: string; namespace: string }
  | { type: 'group'; id: string; context: string; namespace: string; strategy: StrategyKind }
  | { type: 'workload'; id: string; context: string; namespace: string; workloadId: string }
  | { type: 'revision'; id: string; context: string; namespace: string; workloadId: string; replicaSet: string }
  | { type: 'pod'; id: string; context: string; namespace: string; workloadId: string; replicaSet: string; pod: string }
  /** The events of an unhealthy revision (its ReplicaSet and pods): watched while expanded. */
  | { type: 'events'; id: string; context: string; namespace: string; workloadId: string; strategy: StrategyKind; replicaSet: string }
  | { type: 'event'; id: string; context: string; namespace: string; row: EventView }
  | { type: 'steps'; id: string; context: string; namespace: string; workloadId: string }
  | { type: 'step'; id: string; context: string; namespace: string; workloadId: string; index: number }
  | { type: 'analysis'; id: string; context: string; namespace: string; workloadId: string }
  | { type: 'run'; id: string; context: string; namespace: string; workloadId: string; run: string }
  | { type: 'experiment'; id: string; context: string; namespace: string; workloadId: string; experiment: string }
  | { type: 'template'; id: string; context: string; namespace: string; workloadId: string; experiment: string; template: string };

/** Whether a command's argument is a tree node (run from the tree's menus) rather than arguments naming a target. */
export function isTreeNode(arg: unknown): arg is TreeNode {
  return !!arg && typeof arg === 'object' && 'type' in arg && 'id' in arg;
}

/** The context a node belongs to (undefined: the Needs attention section, a message of no context). */
export function contextOfNode(node: TreeNode): string | undefined {
  return node.type === 'context' ? node.name : 'context' in node ? node.context : undefined;
}

/** The context a command's target is in: its tree node's, else the one its arguments name (undefined: the primary). */
export function contextOfTarget(args: { context?: string; node?: TreeNode }): string | undefined {
  return (args.node && contextOfNode(args.node)) ?? args.context;
}

export class NodeRegistry {
  private readonly byId = new Map<string, TreeNode>();
  private readonly childIds = new Map<string, string[]>();

  /** The instance for `n`'s id: the one held already when nothing changed, else `n`. */
  node<T extends TreeNode>(n: T): T {
    const existing = this.byId.get(n.id) as T | undefined;
    if (existing && JSON.stringify(existing) === JSON.stringify(n)) return existing;
    this.byId.set(n.id, n);
    return n;
  }

  get(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  /** Records the children of `parentId` (undefined: the roots); nodes no longer among them are dropped, with theirs. */
  children<T extends TreeNode>(parentId: string | undefined, children: T[]): T[] {
    const key = parentId ?? '';
    const now = new Set(children.map((c) => c.id));
    for (const id of this.childIds.get(key) ?? []) if (!now.has(id)) this.drop(id);
    this.childIds.set(key, [...now]);
    return children;
  }

  private drop(id: string): void {
    this.byId.delete(id);
    for (const child of this.childIds.get(id) ?? []) this.drop(child);
    this.childIds.delete(id);
  }

  clear(): void {
    this.byId.clear();
    this.childIds.clear();
  }

  get size(): number {
    return this.byId.size;
  }

  /** How many nodes of each type are held for `namespace`: the items VS Code has been given there. */
  countsIn(namespace: string): Partial<Record<TreeNode['type'], number>> {
    const counts: Partial<Record<TreeNode['type'], number>> = {};
    for (const n of this.byId.values()) if ('namespace' in n && n.namespace === namespace) counts[n.type] = (counts[n.type] ?? 0) + 1;
    return counts;
  }
}
