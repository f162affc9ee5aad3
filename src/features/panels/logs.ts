// The Logs section of one rollout details panel: the last PANEL_LOG_LINES lines of the chosen pod's
// container (domain/panels/logs.ts logChoice: a click, else the newest revision's failing pod) and,
// after a restart, of the run before, read through pods/log. Read only while the panel is visible,
// and again only when the choice's key changes (another pod, a restart, a container that starts);
// a read in flight is aborted when it goes stale, the panel hides or closes.
import type * as vscode from 'vscode';
import type { WorkloadView } from '../../domain/model/workloads';
import { PANEL_LOG_LINES, logChoice, logKey, type PanelLogs } from '../../domain/panels/logs';
import type { ClusterController } from '../session/controller';
import { loadKube } from '../lazy';

export class PanelLogReader implements vscode.Disposable {
  private selected?: string;
  private key?: string;
  private inFlight?: AbortController;
  private latest?: PanelLogs;

  constructor(
    private readonly controller: Pick<ClusterController, 'current'>,
    /** Told when a read ends (the panel posts its state again). */
    private readonly onRead: () => void,
  ) {}

  /** A click on a pod of the panel: its log from now on, while it exists. */
  select(pod: string): void {
    this.selected = pod;
  }

  /** The workload as the panel shows it (while visible): reads when what should be shown changed. */
  update(w: WorkloadView | undefined): void {
    const choice = w && logChoice(w, this.selected);
    const key = choice && logKey(choice);
    if (key === this.key) return;
    this.stop();
    const session = this.controller.current();
    if (!choice || !w || !session) return;
    this.key = key;
    this.latest = { ...choice, lines: PANEL_LOG_LINES };
    const abort = (this.inFlight = new AbortController());
    const { podContainers, podLogPart } = loadKube();
    const read = async (): Promise<PanelLogs> => {
      const containers = await podContainers(session.client, w.namespace, choice.pod, abort.signal).catch(() => []);
      const container = choice.container ?? containers[0]?.name;
      const restarted = (containers.find((c) => c.name === container)?.restarts ?? choice.restarts) > 0;
      const options = { container, tailLines: PANEL_LOG_LINES, signal: abort.signal };
      const [current, previous] = await Promise.all([
        podLogPart(session.client, w.namespace, choice.pod, options),
        restarted ? podLogPart(session.client, w.namespace, choice.pod, { ...options, previous: true }) : undefined,
      ]);
      return { ...choice, ...(container ? { container } : {}), lines: PANEL_LOG_LINES, current, ...(previous ? { previous } : {}) };
    };
    void read().then((logs) => {
      if (abort.signal.aborted) return;
      this.inFlight = undefined;
      this.latest = logs;
      this.onRead();
    });
  }

  /** What the Logs section shows: undefined when no pod is chosen or failing. */
  state(): PanelLogs | undefined {
    return this.key ? this.latest : undefined;
  }

  /** Hidden: nothing in flight, and the next update reads afresh. */
  stop(): void {
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.key = undefined;
    this.latest = undefined;
  }

  dispose(): void {
    this.stop();
  }
}
