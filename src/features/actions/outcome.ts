// What every action takes and gives back.

/** Arguments every action accepts, so tests and other extensions can run it without prompts. */
export interface ActionArgs {
  /** The kubeconfig context the workload is in (domain/model/contexts.ts WorkloadRef); undefined: the primary one. */
  context?: string;
  namespace?: string;
  /** Workload name as the tree shows it (Service name for pairs and replica canaries). */
  name?: string;
  /** Skip the confirmation (not the protected-context check, which needs `confirmContext`). */
  confirm?: boolean;
  /** The context name, typed to confirm on a protected context. */
  confirmContext?: string;
  force?: boolean;
  /** Only run the dry-run and return the preview. */
  dryRunOnly?: boolean;
  target?: string;
  revision?: number;
  replicas?: number;
  percent?: number;
  /** Who started it (a details panel's id), so that panel can tell its own actions from others'. */
  origin?: string;
}

/** An action was sent to the cluster. */
export interface ActionSent {
  /** The context it was sent to. */
  context: string;
  workloadId: string;
  title: string;
  origin?: string;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  /** The user stopped at a prompt or the confirmation: nothing was sent, nothing to say. */
  cancelled?: true;
  preview?: string;
  /** The GitOps- or Helm-managed fields the action changes, each said as the preview says it. */
  ownership?: string[];
  apiMs?: number;
  endpointsMs?: number;
  noop?: boolean;
  /** Refused by a precondition that `force: true` overrides (the notification offers Force). */
  forcible?: boolean;
}

/** The outcome of an action the user stopped before anything was sent. */
export const CANCELLED: ActionOutcome = Object.freeze({ ok: false, cancelled: true, message: 'Cancelled: nothing was changed.' });

/** The action cannot run in this state (no cluster, read-only mode): said as a warning. */
export class ActionUnavailable extends Error {}
