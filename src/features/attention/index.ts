// "Needs attention" across every watched namespace of every context shown: kept up to date from the
// stores' change events (only the workloads one names are classified again), shown as the tree's top
// section, a status bar count and a quick pick whose buttons run the actions that resolve each one,
// in the entry's own context.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { actionSpec } from '../../domain/actions/catalogue';
import { attentionOf, byUrgency, type Attention } from '../../domain/release/attention';
import type { SignalComparison } from '../../domain/metrics/compare';
import { inContext, refOf } from '../../domain/model/contexts';
import { DisposableOwner } from '../lifecycle';
import type { ClusterController, ContextWorkloadsChange } from '../session/controller';

/** A workload that needs a person, with the context it is in (its actions run there). */
export interface ShownAttention extends Attention {
  readonly context: string;
}

/** The entries of one namespace of one context. */
interface NamespaceEntries {
  context: string;
  namespace: string;
  byId: Map<string, ShownAttention>;
}

export class NeedsAttention extends DisposableOwner {
  /** Per namespace of a context (`inContext(context, namespace)`), the workloads that need a person, by workload id. */
  private readonly byNamespace = new Map<string, NamespaceEntries>();
  private sorted: ShownAttention[] = [];
  /** Golden-signal comparisons of workloads whose details panel measures them, by `inContext(context, workload id)`. */
  private readonly signals = new Map<string, SignalComparison>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the list changed (a workload joined, left, or its reason or summary changed). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly controller: ClusterController) {
    super();
    this.register(
      this.emitter,
      controller.onDidChangeWorkloads((change) => this.update(change)),
      // Another context, other contexts or namespaces: classify whatever is watched now, every workload of it.
      controller.onDidChangeSession(() => this.update(undefined)),
    );
  }

  /** A panel's newest comparison for a workload (undefined: it stopped measuring): that workload is classified again. */
  signalsChanged(context: string, namespace: string, workloadId: string, comparison: SignalComparison | undefined): void {
    const key = inContext(context, workloadId);
    if (comparison) this.signals.set(key, comparison);
    else if (!this.signals.delete(key)) return;
    this.update({ context, namespaces: [namespace], workloadIds: [workloadId] });
  }

  /** Most urgent first, across the contexts shown. */
  list(): readonly ShownAttention[] {
    return this.sorted;
  }

  /** Classifies the workloads `change` names again in its context (undefined: every workload of every watched namespace of every context). */
  private update(change: ContextWorkloadsChange | undefined): void {
    const ids = change && new Set(change.workloadIds);
    let changed = false;
    // Namespaces nobody watches any more (or of a context no longer shown) take their entries with them.
    for (const [key, entries] of [...this.byNamespace]) if (!this.controller.peekOf(entries.context)?.isWatching(entries.namespace)) changed = this.byNamespace.delete(key) || changed;
    const sessions = change ? [this.controller.peekOf(change.context)] : this.controller.sessions();
    for (const session of sessions) {
      if (!session) continue;
      const context = session.contextName;
      for (const ns of change?.namespaces ?? session.watchedNamespaces()) {
        if (!session.isWatching(ns)) continue;
        const key = inContext(context, ns);
        const entries = this.byNamespace.get(key)?.byId ?? new Map<string, ShownAttention>();
        const present = new Set<string>();
        for (const w of session.workloads(ns)) {
          present.add(w.id);
          if (ids && !ids.has(w.id)) continue;
          const found = attentionOf(w, this.signals.get(inContext(context, w.id)));
          const now = found && { ...found, context };
          const was = entries.get(w.id);
          if (JSON.stringify(now) === JSON.stringify(was)) continue;
          changed = true;
          if (now) entries.set(w.id, now);
          else entries.delete(w.id);
        }
        for (const id of entries.keys()) if (!present.has(id)) changed = entries.delete(id) || changed;
        if (entries.size) this.byNamespace.set(key, { context, namespace: ns, byId: entries });
        else this.byNamespace.delete(key);
      }
    }
    this.changed(changed);
  }

  private changed(changed: boolean): void {
    if (!changed) return;
    this.sorted = [...this.byNamespace.values()].flatMap((m) => [...m.byId.values()]).sort(byUrgency);
    this.emitter.fire();
  }
}

/** Where an entry is: its namespace, with its context before it when the view shows several. */
function whereOf(a: ShownAttention, multiple: boolean): string {
  return multiple ? `${a.context} · ${a.namespace}` : a.namespace;
}

/** "3 need attention" in the status bar (hidden at 0), and the quick pick it opens. */
export function registerAttention(context: vscode.ExtensionContext, attention: NeedsAttention, controller: ClusterController): void {
  const item = vscode.window.createStatusBarItem('switchyard.attention', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Switchyard: needs attention';
  item.command = Commands.ShowAttention;
  const render = () => {
    const list = attention.list();
    if (!list.length) return item.hide();
    const trouble = list.filter((a) => a.severity === 'trouble').length;
    item.text = `$(${trouble ? 'warning' : 'bell'}) ${list.length}`;
    const multiple = controller.multipleContexts;
    item.tooltip = `Switchyard: ${list.length} workload${list.length === 1 ? ' needs' : 's need'} attention${trouble ? ` (${trouble} in trouble)` : ''}\n${list.map((a) => `${a.name} (${whereOf(a, multiple)}): ${a.summary}`).join('\n')}`;
    item.backgroundColor = trouble ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  context.subscriptions.push(item, attention.onDidChange(render), vscode.commands.registerCommand(Commands.ShowAttention, () => showAttention(attention, controller.multipleContexts)));
}

/** The quick pick: Enter opens a workload's details; its buttons run the actions that resolve it. */
async function showAttention(attention: NeedsAttention, multiple: boolean): Promise<void> {
  type Item = vscode.QuickPickItem & { attention: ShownAttention };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Switchyard: needs attention';
  pick.placeholder = attention.list().length ? 'Enter: open details; the buttons resolve it' : 'Nothing needs attention in the watched namespaces.';
  pick.matchOnDescription = true;
  pick.items = attention.list().map((a) => ({
    label: `$(${a.severity === 'trouble' ? 'warning' : 'bell'}) ${a.name}`,
    description: `${whereOf(a, multiple)} · ${a.summary}`,
    attention: a,
    buttons: a.actions.filter((id) => id !== 'openDetails').map((id) => ({ iconPath: new vscode.ThemeIcon(actionSpec(id).icon), tooltip: actionSpec(id).title, id })),
  }));
  const run = (id: Parameters<typeof actionSpec>[0], a: ShownAttention) => {
    pick.hide();
    void vscode.commands.executeCommand(actionSpec(id).command, refOf(a, a.context));
  };
  pick.onDidTriggerItemButton((e) => run((e.button as { id: Parameters<typeof actionSpec>[0] } & vscode.QuickInputButton).id, e.item.attention));
  pick.onDidAccept(() => pick.selectedItems[0] && run('openDetails', pick.selectedItems[0].attention));
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
