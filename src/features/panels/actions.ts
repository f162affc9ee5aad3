// The details panel's buttons run the very commands of the tree's context menu (the action
// catalogue's rows), with the same arguments the tree's nodes resolve to, so confirmations, dry-runs
// and protected-context checks are the same. No `vscode` import: the mapping is unit-tested.
import type { CommandId } from '../../commands';
import { panelActionSpec } from '../../domain/actions/catalogue';
import type { WorkloadView } from '../../domain/model/workloads';
import { refOf } from '../../domain/model/contexts';
import type { PanelAction } from '../../domain/panels/state';
import type { ActionArgs } from '../actions';

export interface PanelCommand {
  command: CommandId;
  args: ActionArgs;
}

/** The command and arguments for a button of the panel (on the workload in `context`); undefined when the kind has no such action. */
export function commandFor(w: WorkloadView, action: PanelAction, revision?: number, context?: string): PanelCommand | undefined {
  const spec = panelActionSpec(w, action, revision);
  if (!spec) return undefined;
  return { command: spec.command, args: { ...refOf(w, context), ...(revision !== undefined && spec.target !== 'workload' ? { revision } : {}) } };
}
