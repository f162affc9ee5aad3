// Rows whose text moves with the clock (a workload's tooltip verdict: "resumes in 24 s") are drawn
// again when it goes stale, only those rows and only while the view is visible: each rendered row
// says when (or never), one timer serves them all, and a due row is re-fired (VS Code asks for
// its item again, which says when next). The panel does the same with refreshAfterMs.
import type * as vscode from 'vscode';

export class RowTicker<N extends { id: string }> implements vscode.Disposable {
  private readonly due = new Map<string, number>();
  private timer?: ReturnType<typeof setTimeout>;
  private visible = false;

  constructor(
    /** The rows to draw again, by id (those the tree still holds). */
    private readonly fire: (ids: string[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A row was drawn: again after `ms`, or never (undefined: its text holds no time). */
  rendered(node: N, ms: number | undefined): void {
    if (ms === undefined) this.due.delete(node.id);
    else this.due.set(node.id, this.now() + ms);
    this.arm();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.arm();
  }

  /** Rows waiting to be drawn again (for tests). */
  get pending(): number {
    return this.due.size;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.visible || !this.due.size) return;
    const next = Math.min(...this.due.values());
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now()));
  }

  private tick(): void {
    const now = this.now();
    const ids = [...this.due].filter(([, at]) => at <= now).map(([id]) => id);
    for (const id of ids) this.due.delete(id);
    if (ids.length) this.fire(ids);
    this.arm();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.due.clear();
  }
}
