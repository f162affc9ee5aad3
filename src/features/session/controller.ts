// Owns the cluster sessions of the contexts the Rollouts view shows: the primary one (Select
// Context…, created on first use) and the ones added beside it (switchyard.contexts or Add Context to
// View…), each created on first use with its own watches and errors, each disposed as a whole when it
// leaves the view, on context switch and deactivate; the selected namespaces per context, and the
// status bar item.
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterSession, Connection, WorkloadsChange } from '../../kube/session';
import { disconnectedText } from '../../domain/model/age';
import { Remembered } from '../../settings';
import { addableContexts, shownContexts } from '../../domain/model/contexts';
import { loadKube } from '../lazy';
import { DisposableOwner, notify, type Log } from '../lifecycle';
import type { Settings } from '../settings';
import type { ActionSent } from '../actions/outcome';

export const ALL_NAMESPACES = '*';

/** How often the kubeconfig files are stat-polled besides the file watcher (it misses a re-made folder). */
const KUBECONFIG_POLL_MS = 2_000;

/** What Select Namespace… did: the namespace chosen, or why it chose none. */
export type NamespaceSelection = { selected: string } | { decidedBy: 'setting'; namespaces: string[] } | { cancelled: true } | { problem: string };

export interface SessionProblem {
  kind: 'noKubeconfig' | 'config';
  message: string;
}

/** A session's store change, with the context whose session it is. */
export interface ContextWorkloadsChange extends WorkloadsChange {
  readonly context: string;
}

/** A session's connection state, with the context whose session it is. */
export interface ContextConnection extends Connection {
  readonly context: string;
}

/** A context shown beside the primary one: its session once started, or why it could not start. */
interface OtherContext {
  session?: ClusterSession;
  problem?: SessionProblem;
}

/** The tree's context row (an inline action's argument), told apart from a name given by a caller. */
function contextNodeName(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg && typeof arg === 'object' && (arg as { type?: unknown }).type === 'context' && typeof (arg as { name?: unknown }).name === 'string' ? (arg as { name: string }).name : undefined;
}

export class ClusterController extends DisposableOwner {
  /** The primary context's session (Select Context…, else the kubeconfig's current context). */
  private session?: ClusterSession;
  private problem?: SessionProblem;
  /** The other contexts shown, by name: each its own session (created on first use) or its own problem. */
  private readonly others = new Map<string, OtherContext>();
  private readonly statusBar = vscode.window.createStatusBarItem('switchyard.context', vscode.StatusBarAlignment.Left, 50);
  private readonly onDidChangeSessionEmitter = new vscode.EventEmitter<void>();
  /** Fires when the context, the namespace selection or the session itself changes. */
  readonly onDidChangeSession = this.onDidChangeSessionEmitter.event;
  private readonly onDidChangeWorkloadsEmitter = new vscode.EventEmitter<ContextWorkloadsChange>();
  /** Every shown context's store change, passed on with its context: the one way features hear of changed workloads. */
  readonly onDidChangeWorkloads = this.onDidChangeWorkloadsEmitter.event;

  private readonly onDidSendActionEmitter = new vscode.EventEmitter<ActionSent>();
  /** An action's writes went to the cluster, from whichever entry point (tree, palette, panel, lens). */
  readonly onDidSendAction = this.onDidSendActionEmitter.event;

  private readonly onDidChangeConnectionEmitter = new vscode.EventEmitter<ContextConnection>();
  /** A session's watches lost the API server, or have it again (which context's it says). */
  readonly onDidChangeConnection = this.onDidChangeConnectionEmitter.event;

  /** Watches the kubeconfig files of the session (kubectl config use-context, a new cluster's context…). */
  private kubeconfigWatchers: vscode.Disposable[] = [];
  private kubeconfigCheck?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly settings: Settings,
    /** The Switchyard output channel: watch failures go there, and the actions log what they send. */
    readonly log: Log,
  ) {
    super();
    this.statusBar.name = 'Switchyard context';
    this.statusBar.command = Commands.SelectContext;
    this.register(this.statusBar, this.onDidChangeSessionEmitter, this.onDidChangeWorkloadsEmitter, this.onDidSendActionEmitter, this.onDidChangeConnectionEmitter, { dispose: () => this.dropSession() });
    this.register(settings.onDidChange((changed) => {
      if (!this.session && !this.problem) return; // no session was ever asked for
      // Another kubeconfig is another set of clusters: start over.
      if (changed.has('kubeconfig')) this.reset();
      // Other namespaces or contexts to show: the tree and the status bar follow at once.
      else if (changed.has('namespaces') || changed.has('contexts')) this.shownChanged();
    }));
  }

  /** The session, created on first call; undefined with a problem when no cluster is configured. */
  current(): ClusterSession | undefined {
    if (this.session || this.problem) return this.session;
    const { ClusterSession, ClusterError } = loadKube();
    const kubeconfig = this.settings.kubeconfig;
    try {
      const context = this.context.globalState.get<string>(Remembered.context);
      try {
        this.session = new ClusterSession({ kubeconfig, context, onWatchProblem: this.logWatchProblem(undefined) });
      } catch (e) {
        // A remembered context that no longer exists: fall back to the kubeconfig's own.
        if (!(e instanceof ClusterError && context && /not in the kubeconfig/.test(e.message))) throw e;
        void this.context.globalState.update(Remembered.context, undefined);
        this.session = new ClusterSession({ kubeconfig, onWatchProblem: this.logWatchProblem(undefined) });
      }
      this.passOn(this.session);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.problem = { kind: /No kubeconfig/.test(message) ? 'noKubeconfig' : 'config', message };
    }
    // Watched without a session too: a kubeconfig that comes back (or gets fixed) starts one by itself.
    this.watchKubeconfig(kubeconfig);
    this.updateStatusBar();
    return this.session;
  }

  /** A session's store and connection changes, passed on with its context. */
  private passOn(session: ClusterSession): void {
    const context = session.contextName;
    session.onDidChangeWorkloads((change) => {
      // How All namespaces is watched is said in the status bar's tooltip too.
      if (change.scope) this.updateStatusBar();
      this.onDidChangeWorkloadsEmitter.fire({ ...change, context });
    });
    session.onDidChangeConnection((connection) => {
      this.updateStatusBar();
      this.onDidChangeConnectionEmitter.fire({ ...connection, context });
    });
  }

  /** Whether the primary session's watches reach the API server; undefined without a session. */
  connection(): Connection | undefined {
    return this.session?.connection();
  }

  /** The contexts the view shows, the primary first; empty without a primary session. */
  contexts(): string[] {
    const primary = this.current();
    return primary ? shownContexts(primary.contextName, this.listedContexts()) : [];
  }

  /** Whether the view shows more than one context (then every row, title and confirmation names its context). */
  get multipleContexts(): boolean {
    return this.contexts().length > 1;
  }

  /** The contexts shown beside the primary one: the setting when it names any, else the ones added. */
  private listedContexts(): string[] {
    const fromSetting = this.settings.contexts;
    return fromSetting.length ? fromSetting : this.context.globalState.get<string[]>(Remembered.contexts) ?? [];
  }

  /**
   * The session of a shown context, created on first call (undefined `context`: the primary one);
   * undefined when the context is not shown or could not start (problemOf says why).
   */
  sessionOf(context?: string): ClusterSession | undefined {
    const primary = this.current();
    if (context === undefined || context === primary?.contextName) return primary;
    if (!primary || !this.contexts().includes(context)) return undefined;
    let other = this.others.get(context);
    if (!other) {
      other = this.open(context);
      this.others.set(context, other);
    }
    return other.session;
  }

  /** The sessions of every context shown, the primary first (each created on first call); contexts that could not start are left out. */
  shownSessions(): ClusterSession[] {
    return this.contexts().map((c) => this.sessionOf(c)).filter((s): s is ClusterSession => !!s);
  }

  /** The session of a context if it exists already; never creates one (no client load, no network). */
  peekOf(context?: string): ClusterSession | undefined {
    return context === undefined || context === this.session?.contextName ? this.session : this.others.get(context)?.session;
  }

  /** Every session that exists now, the primary first (for what holds watches in each: release, attention). */
  sessions(): ClusterSession[] {
    return [this.session, ...[...this.others.values()].map((o) => o.session)].filter((s): s is ClusterSession => !!s);
  }

  /** Why a context has no session: the primary's problem, the other context's own, or that it is not shown. */
  problemOf(context?: string): SessionProblem | undefined {
    if (context === undefined || context === this.session?.contextName || !this.session) return this.problem;
    const other = this.others.get(context);
    if (other) return other.problem;
    return this.contexts().includes(context) ? undefined : { kind: 'config', message: `Context "${context}" is not shown in the Rollouts view: select it (Select Context…) or add it (Add Context to View…).` };
  }

  /** Starts the session of another shown context; what fails (not in the kubeconfig, a broken user) is that context's problem alone. */
  private open(context: string): OtherContext {
    const { ClusterSession } = loadKube();
    try {
      const session = new ClusterSession({ kubeconfig: this.settings.kubeconfig, context, onWatchProblem: this.logWatchProblem(context) });
      this.passOn(session);
      return { session };
    } catch (e) {
      return { problem: { kind: 'config', message: e instanceof Error ? e.message : String(e) } };
    }
  }

  /** The shown contexts changed (setting, Add or Remove): sessions of contexts no longer shown go, as a whole. */
  private shownChanged(): void {
    const shown = this.contexts();
    for (const [name, other] of [...this.others]) {
      if (shown.includes(name)) continue;
      other.session?.dispose();
      this.others.delete(name);
    }
    this.updateStatusBar();
    this.onDidChangeSessionEmitter.fire();
  }

  /** How a session's watch problems are logged (`context` undefined: the primary's, whichever it is by then). */
  private logWatchProblem(context: string | undefined) {
    // With one context shown the log reads as it always did; beside others, each line names its context.
    const where = (namespace: string) => (this.multipleContexts ? `${context ?? this.session?.contextName}/${namespace}` : namespace);
    return (namespace: string, resource: string, problem: string | undefined) => {
      if (problem) this.log.warn(`watch of ${resource} in ${where(namespace)}: ${problem}`);
      else this.log.info(`watch of ${resource} in ${where(namespace)}: working again`);
    };
  }

  /** Tells every listener an action was sent (the action runner calls it before its writes). */
  actionSent(sent: ActionSent): void {
    this.onDidSendActionEmitter.fire(sent);
  }

  /** The session if one exists already; never creates one (no client load, no network). */
  peek(): ClusterSession | undefined {
    return this.session;
  }

  get sessionProblem(): SessionProblem | undefined {
    return this.problem;
  }

  /** Namespaces the tree shows in a context (default: the primary): the setting, else the selection for that context, else the context's own. */
  selectedNamespaces(context?: string): string[] | typeof ALL_NAMESPACES {
    const session = this.sessionOf(context);
    if (!session) return [];
    const fromSetting = this.settings.namespaces;
    if (fromSetting.length) return fromSetting;
    const selected = this.context.workspaceState.get<string>(Remembered.namespaceOf(session.contextName));
    if (selected === ALL_NAMESPACES) return ALL_NAMESPACES;
    return [selected ?? session.client.contextNamespace];
  }

  /** Select Context…: the primary context (`name`, a context row, or picked). */
  async selectContext(arg?: unknown): Promise<void> {
    const name = contextNodeName(arg);
    const session = this.current();
    const names = session?.contextNames ?? [];
    if (!session && this.problem) {
      void notify.warn(this.problem.message);
      return;
    }
    const pick = name ?? (await vscode.window.showQuickPick(names.map((n) => ({ label: n, description: n === session?.contextName ? 'current' : undefined })), { title: 'Switchyard: Select Context' }))?.label;
    if (!pick || pick === session?.contextName) return;
    await this.context.globalState.update(Remembered.context, pick);
    this.reset();
  }

  /**
   * Select Namespace…: the namespace picked (the current one marked) is remembered for the context.
   * While the switchyard.namespaces setting names namespaces, the setting decides, and says so.
   */
  async selectNamespace(name?: string, context?: string): Promise<NamespaceSelection> {
    const session = this.sessionOf(context);
    if (!session) {
      const problem = this.problemOf(context)?.message ?? 'no cluster';
      void notify.warn(problem);
      return { problem };
    }
    const pinned = this.settings.namespaces;
    if (pinned.length) {
      const open = 'Open Setting';
      void notify.info(`The switchyard.namespaces setting decides which namespaces the Rollouts view shows (${pinned.join(', ')}): edit it to show others.`, open).then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.namespaces');
      });
      return { decidedBy: 'setting', namespaces: pinned };
    }
    let pick = name;
    if (!pick) {
      const { names, restricted } = await session.listNamespaces().catch((e: Error) => {
        void notify.error(e.message);
        return { names: [] as string[], restricted: true };
      });
      const current = this.selectedNamespaces(context);
      const mark = (value: string) => (current === value || (Array.isArray(current) && current.includes(value)) ? 'current' : undefined);
      const items = [{ label: 'All namespaces', value: ALL_NAMESPACES, description: mark(ALL_NAMESPACES) }, ...names.map((n) => ({ label: n, value: n, description: mark(n) }))];
      pick = (await vscode.window.showQuickPick(items, { title: `Switchyard: Select Namespace${this.multipleContexts ? ` of ${session.contextName}` : ''}`, placeHolder: restricted ? 'You may not list namespaces: only the context\'s own is offered' : undefined }))?.value;
    }
    if (!pick) return { cancelled: true };
    await this.context.workspaceState.update(Remembered.namespaceOf(session.contextName), pick);
    this.updateStatusBar();
    this.onDidChangeSessionEmitter.fire();
    return { selected: pick };
  }

  /** While switchyard.contexts names contexts it decides which are shown: says so (offering to open it) and returns true. */
  private contextsDecidedBySetting(): boolean {
    const pinned = this.settings.contexts;
    if (!pinned.length) return false;
    const open = 'Open Setting';
    void notify.info(`The switchyard.contexts setting decides which contexts the Rollouts view shows beside the primary one (${pinned.join(', ')}): edit it to show others.`, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.contexts');
    });
    return true;
  }

  /** Add Context to View…: another context of the kubeconfig shown beside the primary (remembered); returns the one added. */
  async addContext(name?: string): Promise<string | undefined> {
    const session = this.current();
    if (!session) {
      void notify.warn(this.problem?.message ?? 'No Kubernetes cluster is configured.');
      return undefined;
    }
    if (this.contextsDecidedBySetting()) return undefined;
    const shown = this.contexts();
    const addable = addableContexts(session.contextNames, shown);
    if (name === undefined && !addable.length) {
      void notify.info(`Every context of the kubeconfig is shown already (${shown.join(', ')}).`);
      return undefined;
    }
    const pick = name ?? (await vscode.window.showQuickPick(addable, { title: 'Switchyard: Add Context to View', placeHolder: 'A context to show beside the others' }));
    if (!pick || shown.includes(pick)) return undefined;
    await this.context.globalState.update(Remembered.contexts, [...this.listedContexts(), pick]);
    this.shownChanged();
    return pick;
  }

  /** Remove Context from View (a context row's inline action, a name, or picked): its session and watches go; the primary stays. */
  async removeContext(arg?: unknown): Promise<string | undefined> {
    const primary = this.current()?.contextName;
    if (this.contextsDecidedBySetting()) return undefined;
    const removable = this.contexts().filter((c) => c !== primary);
    const name = contextNodeName(arg) ?? (removable.length ? await vscode.window.showQuickPick(removable, { title: 'Switchyard: Remove Context from View' }) : undefined);
    if (!name) return undefined;
    if (name === primary) {
      void notify.info(`"${name}" is the primary context: Select Context… picks another one.`);
      return undefined;
    }
    await this.context.globalState.update(Remembered.contexts, this.listedContexts().filter((c) => c !== name));
    this.shownChanged();
    return name;
  }

  /**
   * Starts over when the kubeconfig changes in a way the session depends on (contexts, the current
   * context, its server or user); a rewrite of credentials alone (renewed tokens) changes nothing.
   */
  private watchKubeconfig(setting: string | undefined): void {
    const { kubeconfigFiles, kubeconfigFingerprint, loadKubeConfig } = loadKube();
    const session = this.session;
    const problem = this.problem;
    const read = (): string | undefined => {
      try {
        return kubeconfigFingerprint(loadKubeConfig(setting, this.context.globalState.get<string>(Remembered.context)));
      } catch {
        return undefined; // unreadable for a moment, or the pinned context went away
      }
    };
    const fingerprint = session ? kubeconfigFingerprint(session.client.config) : read();
    const check = () => {
      if (this.session !== session || this.problem !== problem) return;
      const now = read();
      // A new kubeconfig while the cluster is unreachable (a recreated local cluster: same context,
      // new certificates and token) or while there is none: start over with it.
      if (now !== fingerprint || (now !== undefined && (!session || session.connection().state === 'disconnected'))) this.reset();
    };
    const soon = () => {
      clearTimeout(this.kubeconfigCheck);
      this.kubeconfigCheck = setTimeout(check, 300);
    };
    this.kubeconfigWatchers = kubeconfigFiles(setting).flatMap((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
      watcher.onDidChange(soon);
      watcher.onDidCreate(soon);
      watcher.onDidDelete(soon);
      // A file outside the workspace whose folder is deleted and made again (cluster down / up) is
      // lost to that watcher: a stat poll of the file itself sees it come back.
      const polled = (current: Stats, previous: Stats) => current.mtimeMs !== previous.mtimeMs && soon();
      watchFile(file, { interval: KUBECONFIG_POLL_MS, persistent: false }, polled);
      return [watcher, { dispose: () => unwatchFile(file, polled) }];
    });
  }

  /** Drops the session (and with it every watch) and starts over with the current settings. */
  reset(): void {
    this.dropSession();
    this.problem = undefined;
    this.updateStatusBar();
    this.onDidChangeSessionEmitter.fire();
  }

  /** Every session and the kubeconfig watches that belong to them, disposed as a whole. */
  private dropSession(): void {
    this.kubeconfigWatchers.forEach((w) => w.dispose());
    this.kubeconfigWatchers = [];
    clearTimeout(this.kubeconfigCheck);
    this.session?.dispose();
    this.session = undefined;
    for (const other of this.others.values()) other.session?.dispose();
    this.others.clear();
  }

  private updateStatusBar(): void {
    if (!this.session) {
      this.statusBar.hide();
      return;
    }
    const ns = this.selectedNamespaces();
    const connection = this.session.connection();
    const contexts = this.contexts();
    const others = contexts.length > 1 ? ` +${contexts.length - 1}` : '';
    const where = `${this.session.contextName} · ${ns === ALL_NAMESPACES ? 'all namespaces' : ns.join(', ')}${others}`;
    // Beside the primary, what each other context shown is (its connection, or why it has no session).
    const otherLines = contexts.slice(1).map((c) => {
      const other = this.others.get(c);
      const state = other?.problem ? `problem: ${other.problem.message}` : other?.session ? (other.session.connection().state === 'disconnected' ? disconnectedText(other.session.connection()) : 'connected') : 'not watched yet';
      return `\nAlso shown: ${c} (${state})`;
    }).join('');
    const otherLost = contexts.slice(1).some((c) => this.others.get(c)?.session?.connection().state === 'disconnected');
    if (connection.state === 'disconnected') {
      const since = disconnectedText(connection);
      this.statusBar.text = `$(debug-disconnect) ${where} · ${since}`;
      this.statusBar.tooltip = `Switchyard: context ${this.session.contextName} (${this.session.client.server}) is ${since}: what the views show may be stale. Reconnecting by itself.\n${connection.problem ?? ''}${otherLines}\nClick to switch context.`;
      this.statusBar.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.statusBar.text = `$(server-environment) ${where}`;
      const mode = this.session.watchMode();
      const scope = mode.scope === 'cluster' && mode.message ? `\n${mode.message}.` : '';
      this.statusBar.tooltip = `Switchyard: context ${this.session.contextName} (${this.session.client.server}).${scope}${otherLines}\nClick to switch context.`;
      this.statusBar.backgroundColor = otherLost ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.statusBar.show();
  }
}
