// Which pod's log the details panel shows, and when to read it again. Pure: the host reads the log
// (src/features/panels/logs.ts); the webview renders the state (webview/render/rolloutView.ts).
import type { PodView, WorkloadView } from '../model/workloads';

/** Lines the panel shows of each run: enough for a crash's last words, not a log viewer. */
export const PANEL_LOG_LINES = 40;

/** One run's log, or why there is none (the API's refusal, said plainly: kube/logs.ts podLogError). */
export type LogPart = { text: string } | { problem: string };

/** The pod the Logs section is about: the one the user clicked, else the newest revision's failing one. */
export interface LogChoice {
  pod: string;
  /** The failing container when the model knows it; else the host asks the pod for its first. */
  container?: string;
  why: 'selected' | 'failing';
  restarts: number;
  /** What makes a log worth reading again: the pod's state and reason (a container that starts or crashes). */
  state: string;
}

/** The Logs section: what was read (absent while it is being read) of which pod. */
export interface PanelLogs extends LogChoice {
  container?: string;
  lines: number;
  current?: LogPart;
  /** The run before the last restart (read only after one). */
  previous?: LogPart;
}

function pods(w: WorkloadView): PodView[] {
  return w.revisions.flatMap((r) => r.pods);
}

/**
 * The pod a click chose while it still exists; else the first failing pod of the newest revision
 * that has one (revisions are newest first: the canary or the rollout's new pods before the old).
 */
export function logChoice(w: WorkloadView, selected?: string): LogChoice | undefined {
  const chosen = selected ? pods(w).find((p) => p.name === selected) : undefined;
  const failing = chosen ? undefined : w.revisions.map((r) => r.pods.find((p) => p.problem)).find((p) => p);
  const pod = chosen ?? failing;
  if (!pod) return undefined;
  return { pod: pod.name, ...(pod.problem?.container ? { container: pod.problem.container } : {}), why: chosen ? 'selected' : 'failing', restarts: pod.restarts, state: `${pod.state}:${pod.problem?.reason ?? ''}` };
}

/** Two choices with the same key show the same log: read again only when it changes (a restart, a start, another pod). */
export function logKey(c: LogChoice): string {
  return JSON.stringify([c.pod, c.container ?? '', c.restarts, c.state]);
}
