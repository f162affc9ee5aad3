// The details panel's buttons run the very commands of the tree's context menu, with the same
// arguments the tree's nodes resolve to, so confirmations, dry-runs and protected-context checks
// are the same. No `vscode` import: the mapping is unit-tested.
import { Commands, type CommandId } from '../../commands';
import type { WorkloadView } from '../../domain/model/workloads';
import type { PanelAction } from '../../domain/panels/state';
import type { ActionArgs } from '../actions';

export interface PanelCommand {
  command: CommandId;
  args: ActionArgs;
}

/** The command and arguments for a button of the panel; undefined when the kind has no such action. */
export function commandFor(w: WorkloadView, action: PanelAction, revision?: number): PanelCommand | undefined {
  const args: ActionArgs = { namespace: w.namespace, name: w.name };
  const run = (command: CommandId, extra: Partial<ActionArgs> = {}): PanelCommand => ({ command, args: { ...args, ...extra } });
  switch (w.kind) {
    case 'BlueGreen':
      if (action === 'switch') return run(Commands.SwitchTraffic);
      if (action === 'switchBack') return run(Commands.SwitchBack);
      return undefined;
    case 'ReplicaCanary':
      if (action === 'promote') return run(Commands.PromoteCanary);
      if (action === 'abort') return run(Commands.AbortCanary);
      return undefined;
    case 'Rollout':
      if (action === 'promote') return run(Commands.PromoteRollout);
      if (action === 'promoteFull') return run(Commands.PromoteFullRollout);
      if (action === 'abort') return run(Commands.AbortRollout);
      if (action === 'retry') return run(Commands.RetryRollout);
      if (action === 'rollback' && revision !== undefined) return run(Commands.UndoRollout, { revision });
      return undefined;
    case 'Deployment':
      if (action === 'rollback' && revision !== undefined) return run(Commands.RollbackDeployment, { revision });
      return undefined;
  }
}
