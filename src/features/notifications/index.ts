// Notifications while VS Code is open (switchyard.notifications): the store's changes go through
// the coalescer (domain/release/notices.ts) and what it decides is shown with buttons that run the
// catalogue's commands on the workload. Switchyard's own writes and the controllers' are no news.
import * as vscode from 'vscode';
import { actionSpec } from '../../domain/actions/catalogue';
import { findWorkload } from '../../domain/panels/rollout';
import type { RolloutTarget } from '../../domain/panels/state';
import { NoticeCoalescer, type Notice } from '../../domain/release/notices';
import type { WorkloadsChange } from '../../kube/session';
import { DisposableOwner, notify } from '../lifecycle';
import type { ClusterController } from '../session/controller';

/** A notice as it was shown, for the API (tests and other extensions). */
export interface ShownNotice {
  workloadId: string;
  message: string;
  severity: Notice['severity'];
  /** Each button and the command it runs, with its arguments. */
  buttons: { label: string; command: string; arguments: unknown[] }[];
  at: string;
}

/** How many shown notices the API keeps. */
const KEPT = 50;

export class Notifications extends DisposableOwner {
  private readonly coalescer = new NoticeCoalescer();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly shownNotices: ShownNotice[] = [];

  constructor(
    private readonly controller: ClusterController,
    /** The workloads open in a Rollout Details panel: "mine". */
    private readonly openPanels: () => RolloutTarget[],
  ) {
    super();
    this.register(
      controller.onDidChangeWorkloads((change) => this.changed(change)),
      controller.onDidChangeSession(() => this.coalescer.clear()),
      controller.settings.onDidChange((changed) => changed.has('notifications') && this.coalescer.clear()),
      { dispose: () => clearTimeout(this.timer) },
    );
  }

  /** The notices shown so far (the latest {@link KEPT}), oldest first. */
  shown(): readonly ShownNotice[] {
    return this.shownNotices;
  }

  private changed(change: WorkloadsChange): void {
    const session = this.controller.peek();
    if (!session || this.controller.settings.notifications === 'off') return;
    const now = Date.now();
    const ids = new Set(change.workloadIds);
    for (const ns of change.namespaces) {
      if (!session.isWatching(ns)) {
        this.coalescer.forgetNamespace(ns);
        continue;
      }
      // While a namespace is still listing, its views are partial: they are the baseline, not news.
      const listing = !session.isSynced(ns);
      const present = new Set<string>();
      for (const w of session.workloads(ns)) {
        present.add(w.id);
        if (listing || !this.coalescer.knows(w.id)) this.coalescer.baseline(w);
        else if (ids.has(w.id)) this.coalescer.observe(w.id, w, now);
      }
      for (const id of ids) if (id.split('/')[1] === ns && !present.has(id)) this.coalescer.observe(id, undefined, now);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const due = this.coalescer.nextDue();
    if (due === undefined || this.disposed) return;
    this.timer = setTimeout(() => {
      this.coalescer.flush(Date.now()).filter((n) => this.isWatchedByUser(n)).forEach((n) => this.show(n));
      this.schedule();
    }, Math.max(0, due - Date.now()));
  }

  private isWatchedByUser(n: Notice): boolean {
    const setting = this.controller.settings.notifications;
    if (setting === 'all') return true;
    if (setting === 'off') return false;
    const workloads = this.controller.peek()?.workloads(n.namespace) ?? [];
    return this.openPanels().some((target) => findWorkload(workloads, target)?.id === n.workloadId);
  }

  private show(n: Notice): void {
    const buttons = n.actions.map((a) => ({ label: a.label, command: actionSpec(a.action).command, arguments: [{ namespace: n.namespace, name: n.name, ...a.args }] }));
    this.shownNotices.push({ workloadId: n.workloadId, message: n.message, severity: n.severity, buttons, at: new Date().toISOString() });
    this.shownNotices.splice(0, this.shownNotices.length - KEPT);
    const say = n.severity === 'warning' ? notify.warn : notify.info;
    void say(n.message, ...buttons.map((b) => b.label)).then((choice) => {
      const button = buttons.find((b) => b.label === choice);
      // The commands ask before they write, as from the tree; what they cannot do they say themselves.
      if (button) void vscode.commands.executeCommand(button.command, ...button.arguments);
    });
  }
}
