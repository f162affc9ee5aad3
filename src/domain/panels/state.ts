// What each panel shows, as plain data: the extension host builds it, the protocol carries it, the
// webview renders it. No functions, no classes: it crosses postMessage and setState as JSON.
import type { WorkloadRef } from '../model/contexts';
import type { StrategyId } from '../manifests/options';
import type { EventView } from '../model/events';
import type { WorkloadView } from '../model/workloads';
import type { RollingTimeline } from '../strategy/rollingTimeline';
import type { GoldenSignals } from '../metrics/signals';
import type { PanelLogs } from './logs';

// ---- rollout details ------------------------------------------------------------------------

/** Which workload a details panel follows, named with its context (domain/model/contexts.ts). */
export type RolloutTarget = WorkloadRef;

/** One observation of the replica counts, kept by the host while the panel is open. */
export interface ReplicaSample {
  /** Epoch milliseconds. */
  t: number;
  desired: number;
  updated: number;
  available: number;
  /** Pods of older revisions still running. */
  old: number;
}

/** Buttons of the details panel; each runs the command the tree runs for the same thing. */
export type PanelAction =
  | 'switch' | 'switchBack' | 'promote' | 'promoteFull' | 'abort' | 'retry' | 'rollback' | 'evaluate'
  // A Flagger Canary's (its Retry is `retry`).
  | 'approve' | 'halt' | 'openRollback' | 'closeRollback' | 'suspend' | 'resume' | 'skipAnalysis' | 'restoreAnalysis';

export interface PanelActivity<A extends string = PanelAction> {
  action: A;
  revision?: number;
  state: 'running' | 'done' | 'failed';
  message: string;
  /** When it started (running) or ended, epoch ms: the line says when, so an old result is not read as news. */
  at?: number;
}

/** The rolling-update simulation for the Deployment's own maxSurge / maxUnavailable. */
export interface RollingPlan {
  maxSurge: string;
  maxUnavailable: string;
  timeline?: RollingTimeline;
  problem?: string;
}

export type RolloutStatus = 'live' | 'loading' | 'notFound' | 'noCluster';

/** The Events section: the workload's events, watched while the panel is visible. */
export interface PanelEvents {
  /** The events watch has listed once. */
  synced: boolean;
  /** Why there are none to show (the watch failed), in words. */
  problem?: string;
  /** Merged and newest first; when there are more than are shown, the warnings first. */
  rows: EventView[];
  /** Rows before the cut. */
  total: number;
}

export interface RolloutPanelState {
  target: RolloutTarget;
  status: RolloutStatus;
  /** Why there is no workload to show (no cluster, not found…), in words. */
  problem?: string;
  context?: string;
  /** switchyard.readOnly: actions are not offered. */
  readOnly: boolean;
  workload?: WorkloadView;
  samples: ReplicaSample[];
  rolling?: RollingPlan;
  events?: PanelEvents;
  /** The Logs section: the chosen or failing pod's last lines, read while the panel is visible. */
  logs?: PanelLogs;
  activity?: PanelActivity;
  /** The watches cannot reach the API server: what is shown is as of `since`, and the actions are off. */
  disconnected?: { since?: number; problem?: string };
  /** The host's clock when the state was built, for ages ("3m"). */
  now: number;
  /** Golden signals per revision, sampled while this panel is visible (absent until the first refresh). */
  metrics?: GoldenSignals;
  /** How the workload differs from its workspace manifest, one line per object (manifests/drift.ts). */
  drift?: string[];
}

// ---- strategy designer -----------------------------------------------------------------------

export type FieldValue = string | boolean;

/** The designer's form as typed: raw text per field id (e.g. "rolling.maxSurge": "25%"). */
export interface DesignerForm {
  strategy: StrategyId;
  values: Record<string, FieldValue>;
}

export interface CanaryPlanStep {
  label: string;
  /** Share of traffic asked for, in percent. */
  requested: number;
  /** Share of traffic the canary gets with these pods or weights, in percent. */
  share: number;
  canaryPods: number;
  stablePods: number;
  /** What happens after the step, e.g. "pause 60s", "wait for promote". */
  then?: string;
}

export interface CanaryPlan {
  /** Traffic split by weights (a router), not by pod counts. */
  routed: boolean;
  steps: CanaryPlanStep[];
  /** How the plan moves traffic, when neither "by weight" nor "by pods" says it (Flagger's blue/green). */
  caption?: string;
}

/** What a release costs in pods, against the steady state. */
export interface ReleaseCost {
  steady: number;
  peak: number;
  extraPercent: number;
  /** Lowest serving capacity during the release, in percent of desired replicas. */
  lowestCapacityPercent: number;
  /** Environments (full copies of the app) running at the peak. */
  environments: number;
  text: string;
}

export interface DesignPreview {
  strategy: StrategyId;
  replicas: number;
  cost: ReleaseCost;
  timeline?: RollingTimeline;
  canaryPlan?: CanaryPlan;
}

export type DesignerAction = 'insert' | 'save';

export interface DesignerPanelState {
  form: DesignerForm;
  /** Bumped when the host replaces the form (restore, arguments): the webview rebuilds its inputs then only. */
  formRevision: number;
  /** Problems per field id. */
  errors: Record<string, string>;
  /** A problem of the whole design (from the generator). */
  problem?: string;
  yaml: string;
  notes: string[];
  preview?: DesignPreview;
  /**
   * While a field is invalid, the yaml, notes and preview are those of the last valid design of the
   * same strategy (still shown, marked as not up to date; Insert and Save stay off).
   */
  stale?: boolean;
  /** Where "Insert into editor" goes, in words. */
  insertTarget: string;
  activity?: PanelActivity<DesignerAction>;
}
