// Notifications while VS Code is open (switchyard.notifications): the store's changes go through
// the coalescer (domain/release/notices.ts) and what it decides is shown with buttons that run the
// catalogue's commands on the workload, in its context (one coalescer per context shown: the same
// names in two contexts are two workloads). "mine" is the workloads open in a details panel or
// pinned (features/pins). Switchyard's own writes and the controllers' are no news.
import * as vscode from 'vscode';
import { actionSpec } from '../../domain/actions/catalogue';
import { findWorkload } from '../../domain/panels/rollout';
import type { RolloutTarget } from '../../domain/panels/state';
import { NoticeCoalescer, type Notice } from '../../domain/release/notices';
import { refOf } from '../../domain/model/contexts';
import { DisposableOwner, notify } from '../lifecycle';
import type { ClusterController, ContextWorkloadsChange } from '../session/controller';
import type { Pins } from '../pins';

/** A notice as it was shown, for the API (tests and other extensions). */
export interface ShownNotice {
  /** The context of the workload. */
  context: string;
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
  /** One coalescer per context, by name. */
  private readonly coalescers = new Map<string, NoticeCoalescer>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly shownNotices: ShownNotice[] = [];

  constructor(
    private readonly controller: ClusterController,
    /** The workloads open in a Rollout Details panel: "mine". */
    private readonly openPanels: () => RolloutTarget[],
    /** The pinned workloads: "mine" too. */
    private readonly pins: Pins,
  ) {
    super();
    this.register(
      controller.onDidChangeWorkloads((change) => this.changed(change)),
      controller.onDidChangeSession(() => this.coalescers.clear()),
      controller.settings.onDidChange((changed) => changed.has('notifications') && this.coalescers.clear()),
      { dispose: () => clearTimeout(this.timer) },
    );
  }

  /** The notices shown so far (the latest {@link KEPT}), oldest first. */
  shown(): readonly ShownNotice[] {
    return this.shownNotices;
  }

  private coalescer(context: string): NoticeCoalescer {
    let coalescer = this.coalescers.get(context);
    if (!coalescer) this.coalescers.set(context, (coalescer = new NoticeCoalescer()));
    return coalescer;
  }

  private changed(change: ContextWorkloadsChange): void {
    const session = this.controller.peekOf(change.context);
    if (!session || this.controller.settings.notifications === 'off') return;
    const now = Date.now();
    const ids = new Set(change.workloadIds);
    const coalescer = this.coalescer(change.context);
    for (const ns of change.namespaces) {
      if (!session.isWatching(ns)) {
        coalescer.forgetNamespace(ns);
        continue;
      }
      // While a namespace is still listing, its views are partial: they are the baseline, not news.
      const listing = !session.isSynced(ns);
      const present = new Set<string>();
      for (const w of session.workloads(ns)) {
        present.add(w.id);
        if (listing || !coalescer.knows(w.id)) coalescer.baseline(w);
        else if (ids.has(w.id)) coalescer.observe(w.id, w, now);
      }
      for (const id of ids) if (id.split('/')[1] === ns && !present.has(id)) coalescer.observe(id, undefined, now);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const dues = [...this.coalescers.values()].map((c) => c.nextDue()).filter((d): d is number => d !== undefined);
    if (!dues.length || this.disposed) return;
    this.timer = setTimeout(() => {
      const now = Date.now();
      for (const [context, coalescer] of this.coalescers) coalescer.flush(now).filter((n) => this.isWatchedByUser(context, n)).forEach((n) => this.show(context, n));
      this.schedule();
    }, Math.max(0, Math.min(...dues) - Date.now()));
  }

  private isWatchedByUser(context: string, n: Notice): boolean {
    const setting = this.controller.settings.notifications;
    if (setting === 'all') return true;
    if (setting === 'off') return false;
    if (this.pins.isPinned(context, n)) return true;
    const session = this.controller.peekOf(context);
    const workloads = session?.workloads(n.namespace) ?? [];
    // A panel's target names its context (none: the primary one).
    return this.openPanels().some((target) => this.controller.peekOf(target.context) === session && findWorkload(workloads, target)?.id === n.workloadId);
  }

  private show(context: string, n: Notice): void {
    // Beside other contexts, the message says which one.
    const message = this.controller.multipleContexts ? `${n.message} (context ${context})` : n.message;
    const buttons = n.actions.map((a) => ({ label: a.label, command: actionSpec(a.action).command, arguments: [{ ...refOf(n, context), ...a.args }] }));
    this.shownNotices.push({ context, workloadId: n.workloadId, message, severity: n.severity, buttons, at: new Date().toISOString() });
    this.shownNotices.splice(0, this.shownNotices.length - KEPT);
    const say = n.severity === 'warning' ? notify.warn : notify.info;
    void say(message, ...buttons.map((b) => b.label)).then((choice) => {
      const button = buttons.find((b) => b.label === choice);
      // The commands ask before they write, as from the tree; what they cannot do they say themselves.
      if (button) void vscode.commands.executeCommand(button.command, ...button.arguments);
    });
  }
}
