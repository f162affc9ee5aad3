// Owns the cluster session of the selected context (created on first use, disposed as a whole on
// context switch and deactivate), the selected namespaces, and the status bar item.
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterSession, Connection, WorkloadsChange } from '../../kube/session';
import { disconnectedText } from '../../domain/model/age';
import { Remembered } from '../../settings';
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

export class ClusterController extends DisposableOwner {
  private session?: ClusterSession;
  private problem?: SessionProblem;
  private readonly statusBar = vscode.window.createStatusBarItem('switchyard.context', vscode.StatusBarAlignment.Left, 50);
  private readonly onDidChangeSessionEmitter = new vscode.EventEmitter<void>();
  /** Fires when the context, the namespace selection or the session itself changes. */
  readonly onDidChangeSession = this.onDidChangeSessionEmitter.event;
  private readonly onDidChangeWorkloadsEmitter = new vscode.EventEmitter<WorkloadsChange>();
  /** The current session's store change, passed on: the one way features hear of changed workloads. */
  readonly onDidChangeWorkloads = this.onDidChangeWorkloadsEmitter.event;

  private readonly onDidSendActionEmitter = new vscode.EventEmitter<ActionSent>();
  /** An action's writes went to the cluster, from whichever entry point (tree, palette, panel, lens). */
  readonly onDidSendAction = this.onDidSendActionEmitter.event;

  private readonly onDidChangeConnectionEmitter = new vscode.EventEmitter<Connection>();
  /** The session's watches lost the API server, or have it again. */
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
      // Other namespaces to show: the tree and the status bar follow at once.
      else if (changed.has('namespaces')) {
        this.updateStatusBar();
        this.onDidChangeSessionEmitter.fire();
      }
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
        this.session = new ClusterSession({ kubeconfig, context, onWatchProblem: this.logWatchProblem });
      } catch (e) {
        // A remembered context that no longer exists: fall back to the kubeconfig's own.
        if (!(e instanceof ClusterError && context && /not in the kubeconfig/.test(e.message))) throw e;
        void this.context.globalState.update(Remembered.context, undefined);
        this.session = new ClusterSession({ kubeconfig, onWatchProblem: this.logWatchProblem });
      }
      this.session.onDidChangeWorkloads((change) => {
        // How All namespaces is watched is said in the status bar's tooltip too.
        if (change.scope) this.updateStatusBar();
        this.onDidChangeWorkloadsEmitter.fire(change);
      });
      this.session.onDidChangeConnection((connection) => {
        this.updateStatusBar();
        this.onDidChangeConnectionEmitter.fire(connection);
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.problem = { kind: /No kubeconfig/.test(message) ? 'noKubeconfig' : 'config', message };
    }
    // Watched without a session too: a kubeconfig that comes back (or gets fixed) starts one by itself.
    this.watchKubeconfig(kubeconfig);
    this.updateStatusBar();
    return this.session;
  }

  /** Whether the session's watches reach the API server; undefined without a session. */
  connection(): Connection | undefined {
    return this.session?.connection();
  }

  private readonly logWatchProblem = (namespace: string, resource: string, problem: string | undefined) => {
    if (problem) this.log.warn(`watch of ${resource} in ${namespace}: ${problem}`);
    else this.log.info(`watch of ${resource} in ${namespace}: working again`);
  };

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

  /** Namespaces the tree shows: the setting, else the selection for this context, else the context's own. */
  selectedNamespaces(): string[] | typeof ALL_NAMESPACES {
    const session = this.current();
    if (!session) return [];
    const fromSetting = this.settings.namespaces;
    if (fromSetting.length) return fromSetting;
    const selected = this.context.workspaceState.get<string>(Remembered.namespaceOf(session.contextName));
    if (selected === ALL_NAMESPACES) return ALL_NAMESPACES;
    return [selected ?? session.client.contextNamespace];
  }

  async selectContext(name?: string): Promise<void> {
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
  async selectNamespace(name?: string): Promise<NamespaceSelection> {
    const session = this.current();
    if (!session) {
      void notify.warn(this.problem?.message ?? 'no cluster');
      return { problem: this.problem?.message ?? 'no cluster' };
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
      const current = this.selectedNamespaces();
      const mark = (value: string) => (current === value || (Array.isArray(current) && current.includes(value)) ? 'current' : undefined);
      const items = [{ label: 'All namespaces', value: ALL_NAMESPACES, description: mark(ALL_NAMESPACES) }, ...names.map((n) => ({ label: n, value: n, description: mark(n) }))];
      pick = (await vscode.window.showQuickPick(items, { title: 'Switchyard: Select Namespace', placeHolder: restricted ? 'You may not list namespaces: only the context\'s own is offered' : undefined }))?.value;
    }
    if (!pick) return { cancelled: true };
    await this.context.workspaceState.update(Remembered.namespaceOf(session.contextName), pick);
    this.updateStatusBar();
    this.onDidChangeSessionEmitter.fire();
    return { selected: pick };
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

  /** The session and the kubeconfig watches that belong to it, disposed as a whole. */
  private dropSession(): void {
    this.kubeconfigWatchers.forEach((w) => w.dispose());
    this.kubeconfigWatchers = [];
    clearTimeout(this.kubeconfigCheck);
    this.session?.dispose();
    this.session = undefined;
  }

  private updateStatusBar(): void {
    if (!this.session) {
      this.statusBar.hide();
      return;
    }
    const ns = this.selectedNamespaces();
    const connection = this.session.connection();
    const where = `${this.session.contextName} · ${ns === ALL_NAMESPACES ? 'all namespaces' : ns.join(', ')}`;
    if (connection.state === 'disconnected') {
      const since = disconnectedText(connection);
      this.statusBar.text = `$(debug-disconnect) ${where} · ${since}`;
      this.statusBar.tooltip = `Switchyard: context ${this.session.contextName} (${this.session.client.server}) is ${since}: what the views show may be stale. Reconnecting by itself.\n${connection.problem ?? ''}\nClick to switch context.`;
      this.statusBar.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.statusBar.text = `$(server-environment) ${where}`;
      const mode = this.session.watchMode();
      const scope = mode.scope === 'cluster' && mode.message ? `\n${mode.message}.` : '';
      this.statusBar.tooltip = `Switchyard: context ${this.session.contextName} (${this.session.client.server}).${scope}\nClick to switch context.`;
      this.statusBar.backgroundColor = undefined;
    }
    this.statusBar.show();
  }
}
