// Which expanded "Events" nodes of the Rollouts tree hold their namespace's events watch: one owner
// per node, so the watch runs while any of them is expanded and stops when the last one collapses,
// an ancestor collapses (its children are no longer visible), or the view is hidden. No vscode.
import type { ClusterSession } from '../../kube/session';
import type { TreeNode } from './nodes';

type EventsNode = Extract<TreeNode, { type: 'events' }>;

export class TreeEventWatches {
  /** Expanded Events nodes by owner name. */
  private readonly expanded = new Map<string, EventsNode>();

  /** `session`: the session of a context (each node watches in its own context's). */
  constructor(private readonly session: (context: string) => Pick<ClusterSession, 'watchEvents' | 'unwatchEvents'> | undefined) {}

  private static owner(node: EventsNode): string {
    return `tree:${node.id}`;
  }

  /** The node's children are asked for: it is expanded and visible. */
  shown(node: EventsNode): void {
    const session = this.session(node.context);
    if (!session) return;
    this.expanded.set(TreeEventWatches.owner(node), node);
    session.watchEvents(node.namespace, TreeEventWatches.owner(node));
  }

  /** A node collapsed: the Events nodes at or under it are no longer visible. */
  collapsed(node: TreeNode): void {
    for (const [owner, events] of [...this.expanded]) if (under(events, node)) this.drop(owner, events);
  }

  /** The view is hidden (or the session replaced): every watch of the tree's Events nodes stops. */
  releaseAll(): void {
    for (const [owner, events] of [...this.expanded]) this.drop(owner, events);
  }

  /** Events nodes the tree no longer has (the revision got healthy, the workload went) stop watching. */
  prune(alive: (id: string) => boolean): void {
    for (const [owner, events] of [...this.expanded]) if (!alive(events.id)) this.drop(owner, events);
  }

  /** Expanded Events nodes of `namespace` in `context`, to redraw when its events change. */
  nodesOf(context: string, namespace: string): EventsNode[] {
    return [...this.expanded.values()].filter((n) => n.context === context && n.namespace === namespace);
  }

  private drop(owner: string, node: EventsNode): void {
    this.expanded.delete(owner);
    this.session(node.context)?.unwatchEvents(node.namespace, owner);
  }
}

/** Whether `events` is `node` or one of its descendants (context > namespace > group > workload > revision > events). */
function under(events: EventsNode, node: TreeNode): boolean {
  if (node.type === 'context') return node.name === events.context;
  if ('context' in node && node.context !== events.context) return false;
  switch (node.type) {
    case 'events':
      return node.id === events.id;
    case 'revision':
      return node.workloadId === events.workloadId && node.replicaSet === events.replicaSet;
    case 'workload':
      return node.workloadId === events.workloadId;
    case 'group':
      return node.namespace === events.namespace && node.strategy === events.strategy;
    case 'namespace':
      return node.namespace === events.namespace;
    default:
      return false;
  }
}
