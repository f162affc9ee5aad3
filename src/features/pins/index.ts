// Pin Workload / Unpin Workload: the one home of the pinned workloads (domain/model/pins.ts), kept in
// the workspace's state so they survive a reload. The tree marks them and offers the other command;
// notifications count them as "mine" beside the workloads open in a details panel.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { PinSet, type PinRef } from '../../domain/model/pins';
import { parseTarget } from '../../domain/panels/protocol';
import { Remembered } from '../../settings';
import { DisposableOwner, notify } from '../lifecycle';
import type { ClusterController } from '../session/controller';
import { askForTarget, viewNamespaces } from '../session/picker';
import { contextOfNode, isTreeNode, type TreeNode } from '../tree/nodes';

export class Pins extends DisposableOwner {
  private readonly set: PinSet;
  private readonly emitter = new vscode.EventEmitter<PinRef>();
  /** A workload was pinned or unpinned: the one named. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {
    super();
    this.set = new PinSet(state.get(Remembered.pins));
    this.register(this.emitter);
  }

  /** Whether the workload (`namespace`, `name` as the tree shows it) of `context` is pinned. */
  isPinned(context: string, w: { namespace: string; name: string }): boolean {
    return this.set.has({ context, namespace: w.namespace, name: w.name });
  }

  list(): PinRef[] {
    return this.set.list();
  }

  /** Pins (`pinned` true) or unpins `ref`; stored at once. False when it already was so. */
  async setPinned(ref: PinRef, pinned: boolean): Promise<boolean> {
    if (!(pinned ? this.set.add(ref) : this.set.delete(ref))) return false;
    await this.state.update(Remembered.pins, this.set.list());
    this.emitter.fire(ref);
    return true;
  }
}

const PICKER_OWNER = 'pin-picker';

/**
 * The commands. Each takes a workload row (its menu), or a WorkloadRef (context, namespace, name;
 * no context: the primary one), or nothing: Pin asks which workload, Unpin which pin. Both return
 * the pin they changed, or undefined.
 */
export function registerPins(context: vscode.ExtensionContext, controller: ClusterController, pins: Pins, workloadOf: (node: TreeNode) => { namespace: string; name: string } | undefined): void {
  const targetOf = async (arg: unknown, pinned: boolean): Promise<PinRef | undefined> => {
    if (isTreeNode(arg)) {
      const w = workloadOf(arg);
      const where = contextOfNode(arg);
      return w && where !== undefined ? { context: where, namespace: w.namespace, name: w.name } : undefined;
    }
    const given = parseTarget(arg);
    if (given) {
      // Named in the primary context: the pin names that context, which Select Context… may change later.
      const where = given.context ?? controller.current()?.contextName;
      if (where === undefined) void notify.warn(controller.problemOf(undefined)?.message ?? 'No Kubernetes cluster is configured.');
      return where === undefined ? undefined : { context: where, namespace: given.namespace, name: given.name };
    }
    return pinned ? pickWorkloadToPin(controller) : pickPin(pins);
  };
  const command = (pinned: boolean) => async (arg?: unknown): Promise<PinRef | undefined> => {
    const ref = await targetOf(arg, pinned);
    if (!ref) return undefined;
    await pins.setPinned(ref, pinned);
    return ref;
  };
  context.subscriptions.push(
    pins,
    vscode.commands.registerCommand(Commands.PinWorkload, command(true)),
    vscode.commands.registerCommand(Commands.UnpinWorkload, command(false)),
  );
}

/** Pin Workload from the palette: one of the workloads shown, in any context. */
async function pickWorkloadToPin(controller: ClusterController): Promise<PinRef | undefined> {
  const session = controller.current();
  if (!session) {
    void notify.warn(controller.sessionProblem?.message ?? 'No Kubernetes cluster is configured.');
    return undefined;
  }
  const picked = await askForTarget(controller, session, {}, { owner: PICKER_OWNER, what: 'workload', title: 'Switchyard: Pin Workload', fallback: viewNamespaces(controller) });
  return picked && { context: picked.session.contextName, namespace: picked.w.namespace, name: picked.w.name };
}

/** Unpin Workload from the palette: one of the pins, those of workloads that are gone included. */
async function pickPin(pins: Pins): Promise<PinRef | undefined> {
  const all = pins.list();
  if (!all.length) {
    void notify.info('No workload is pinned.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(all.map((p) => ({ label: p.name, description: `${p.context} · ${p.namespace}`, p })), { title: 'Switchyard: Unpin Workload', placeHolder: 'Which pinned workload?', matchOnDescription: true });
  return pick?.p;
}
