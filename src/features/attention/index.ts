// "Needs attention" across every watched namespace: kept up to date from the store's change event
// (only the workloads it names are classified again), shown as the tree's top section, a status bar
// count and a quick pick whose buttons run the actions that resolve each one.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { actionSpec } from '../../domain/actions/catalogue';
import { attentionOf, byUrgency, type Attention } from '../../domain/release/attention';
import type { WorkloadsChange } from '../../kube/session';
import type { SignalComparison } from '../../domain/metrics/compare';
import { DisposableOwner } from '../lifecycle';
import type { ClusterController } from '../session/controller';

export class NeedsAttention extends DisposableOwner {
  /** Per namespace, the workloads that need a person, by workload id. */
  private readonly byNamespace = new Map<string, Map<string, Attention>>();
  private sorted: Attention[] = [];
  /** Golden-signal comparisons of workloads whose details panel measures them, by workload id. */
  private readonly signals = new Map<string, SignalComparison>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the list changed (a workload joined, left, or its reason or summary changed). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly controller: ClusterController) {
    super();
    this.register(
      this.emitter,
      controller.onDidChangeWorkloads((change) => this.update(change)),
      // Another context or other namespaces: classify whatever is watched now, every workload of it.
      controller.onDidChangeSession(() => this.update(undefined)),
    );
  }

  /** A panel's newest comparison for a workload (undefined: it stopped measuring): that workload is classified again. */
  signalsChanged(namespace: string, workloadId: string, comparison: SignalComparison | undefined): void {
    if (comparison) this.signals.set(workloadId, comparison);
    else if (!this.signals.delete(workloadId)) return;
    this.update({ namespaces: [namespace], workloadIds: [workloadId] });
  }

  /** Most urgent first. */
  list(): readonly Attention[] {
    return this.sorted;
  }

  /** Classifies the workloads `change` names again (undefined: every workload of every watched namespace). */
  private update(change: WorkloadsChange | undefined): void {
    const session = this.controller.peek();
    const ids = change && new Set(change.workloadIds);
    let changed = false;
    // Namespaces nobody watches any more (or another context's) take their entries with them.
    for (const ns of [...this.byNamespace.keys()]) if (!session?.isWatching(ns)) changed = this.byNamespace.delete(ns) || changed;
    if (!session) return this.changed(changed);
    for (const ns of change?.namespaces ?? session.watchedNamespaces()) {
      if (!session.isWatching(ns)) continue;
      const entries = this.byNamespace.get(ns) ?? new Map<string, Attention>();
      const present = new Set<string>();
      for (const w of session.workloads(ns)) {
        present.add(w.id);
        if (ids && !ids.has(w.id)) continue;
        const now = attentionOf(w, this.signals.get(w.id));
        const was = entries.get(w.id);
        if (JSON.stringify(now) === JSON.stringify(was)) continue;
        changed = true;
        if (now) entries.set(w.id, now);
        else entries.delete(w.id);
      }
      for (const id of entries.keys()) if (!present.has(id)) changed = entries.delete(id) || changed;
      if (entries.size) this.byNamespace.set(ns, entries);
      else this.byNamespace.delete(ns);
    }
    this.changed(changed);
  }

  private changed(changed: boolean): void {
    if (!changed) return;
    this.sorted = [...this.byNamespace.values()].flatMap((m) => [...m.values()]).sort(byUrgency);
    this.emitter.fire();
  }
}

/** "3 need attention" in the status bar (hidden at 0), and the quick pick it opens. */
export function registerAttention(context: vscode.ExtensionContext, attention: NeedsAttention): void {
  const item = vscode.window.createStatusBarItem('switchyard.attention', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Switchyard: needs attention';
  item.command = Commands.ShowAttention;
  const render = () => {
    const list = attention.list();
    if (!list.length) return item.hide();
    const trouble = list.filter((a) => a.severity === 'trouble').length;
    item.text = `$(${trouble ? 'warning' : 'bell'}) ${list.length}`;
    item.tooltip = `Switchyard: ${list.length} workload${list.length === 1 ? ' needs' : 's need'} attention${trouble ? ` (${trouble} in trouble)` : ''}\n${list.map((a) => `${a.name} (${a.namespace}): ${a.summary}`).join('\n')}`;
    item.backgroundColor = trouble ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  context.subscriptions.push(item, attention.onDidChange(render), vscode.commands.registerCommand(Commands.ShowAttention, () => showAttention(attention)));
}

/** The quick pick: Enter opens a workload's details; its buttons run the actions that resolve it. */
async function showAttention(attention: NeedsAttention): Promise<void> {
  type Item = vscode.QuickPickItem & { attention: Attention };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Switchyard: needs attention';
  pick.placeholder = attention.list().length ? 'Enter: open details; the buttons resolve it' : 'Nothing needs attention in the watched namespaces.';
  pick.matchOnDescription = true;
  pick.items = attention.list().map((a) => ({
    label: `$(${a.severity === 'trouble' ? 'warning' : 'bell'}) ${a.name}`,
    description: `${a.namespace} · ${a.summary}`,
    attention: a,
    buttons: a.actions.filter((id) => id !== 'openDetails').map((id) => ({ iconPath: new vscode.ThemeIcon(actionSpec(id).icon), tooltip: actionSpec(id).title, id })),
  }));
  const run = (id: Parameters<typeof actionSpec>[0], a: Attention) => {
    pick.hide();
    void vscode.commands.executeCommand(actionSpec(id).command, { namespace: a.namespace, name: a.name });
  };
  pick.onDidTriggerItemButton((e) => run((e.button as { id: Parameters<typeof actionSpec>[0] } & vscode.QuickInputButton).id, e.item.attention));
  pick.onDidAccept(() => pick.selectedItems[0] && run('openDetails', pick.selectedItems[0].attention));
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
