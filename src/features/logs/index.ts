// "Show Logs" on a pod of the Rollouts tree: reads the pod fresh (which containers, restarted or
// not), its container's last lines and, after a restart, the previous run's, and shows them in a
// read-only document (a content provider's). "Show Events" reads the pod's events once into
// another. "Follow Logs" streams a container's log into a read-only document as lines arrive,
// until its editor is closed, the pod goes away or the stream ends; one follower per pod and
// container, all stopped with the session. Errors are said, never thrown at the host.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../session/controller';
import type { ClusterSession } from '../../kube/session';
import type { TreeNode } from '../tree/provider';
import { loadKube } from '../lazy';
import { notify } from '../lifecycle';
import { LOG_TAIL_LINES, appendBounded, followHeader, followLogPath, podLogDocument, podLogPath } from './document';
import { eventsDocument } from '../../domain/model/events';

const SCHEME = 'switchyard-log';

type PodNode = Extract<TreeNode, { type: 'pod' }>;

export function registerPodLogs(context: vscode.ExtensionContext, controller: ClusterController): void {
  const documents = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  /** Shows `text` as the read-only document at `path` (reopening the same path shows the fresh text). */
  const show = async (path: string, text: string): Promise<vscode.TextDocument> => {
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    documents.set(uri.toString(), text);
    changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  };
  /** The followed logs, by their document's uri. */
  const followers = new Map<string, { abort: AbortController; session: ClusterSession; context: string; namespace: string; pod: string }>();
  const stop = (key: string, why?: string) => {
    const f = followers.get(key);
    if (!f) return;
    followers.delete(key);
    f.abort.abort();
    if (why && documents.has(key)) {
      documents.set(key, (documents.get(key) ?? '') + why);
      changed.fire(vscode.Uri.parse(key));
    }
  };
  const stopAll = () => [...followers.keys()].forEach((key) => stop(key, '\n# stopped: the cluster session changed\n'));
  /** Stops the followers whose context's session is no longer the one they read through (a context switched away or reloaded); the others go on. */
  const stopOrphaned = () => {
    for (const [key, f] of followers) if (controller.peekOf(f.context) !== f.session) stop(key, `\n# stopped: the session of context ${f.context} changed\n`);
  };
  /** A pod row's command: says why when there is no session or no pod, and says a failure instead of throwing. */
  const podCommand = <A extends unknown[]>(id: string, title: string, run: (session: ClusterSession, node: PodNode, ...args: A) => Promise<vscode.TextDocument | undefined>) =>
    vscode.commands.registerCommand(id, async (node?: PodNode, ...args: A): Promise<vscode.TextDocument | undefined> => {
      // The pod row's own context (a node from before contexts were named: the primary one).
      const session = controller.sessionOf(node?.context);
      if (!session) {
        void notify.warn(controller.problemOf(node?.context)?.message ?? 'No cluster selected.');
        return undefined;
      }
      if (node?.type !== 'pod') {
        void notify.warn(`${title} works on a pod of the Rollouts view.`);
        return undefined;
      }
      try {
        return await run(session, node, ...args);
      } catch (e) {
        void notify.error(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    });
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '' }),
    podCommand(Commands.PodLogs, 'Show Logs', async ({ client, contextName }, node, container?: string) => {
      const { podContainers, podLogPart } = loadKube();
      const containers = await podContainers(client, node.namespace, node.pod);
      const chosen = await chooseContainer(node.pod, containers.map((c) => c.name), container);
      if (!chosen) return undefined;
      const read = (previous: boolean) => podLogPart(client, node.namespace, node.pod, { container: chosen, previous, tailLines: LOG_TAIL_LINES });
      const restarted = containers.some((c) => c.name === chosen && c.restarts > 0);
      const [current, previous] = await Promise.all([read(false), restarted ? read(true) : undefined]);
      const target = { context: contextName, namespace: node.namespace, pod: node.pod, container: chosen };
      return show(podLogPath(target), podLogDocument({ ...target, current, previous }));
    }),
    podCommand(Commands.PodFollowLogs, 'Follow Logs', async (session, node, container?: string) => {
      const { client, contextName } = session;
      const { podContainers, followPodLog } = loadKube();
      const chosen = await chooseContainer(node.pod, (await podContainers(client, node.namespace, node.pod)).map((c) => c.name), container);
      if (!chosen) return undefined;
      const target = { context: contextName, namespace: node.namespace, pod: node.pod, container: chosen };
      const uri = vscode.Uri.from({ scheme: SCHEME, path: followLogPath(target) });
      const key = uri.toString();
      if (!followers.has(key)) {
        const abort = new AbortController();
        followers.set(key, { abort, session, context: contextName, namespace: node.namespace, pod: node.pod });
        documents.set(key, followHeader(target));
        const append = (text: string) => {
          documents.set(key, appendBounded(documents.get(key) ?? '', text));
          changed.fire(uri);
        };
        void followPodLog(client, node.namespace, node.pod, { container: chosen, tailLines: LOG_TAIL_LINES, signal: abort.signal }, append).then(
          () => !abort.signal.aborted && append(`\n# the log stream ended (the container stopped, or the API server closed it); Follow Logs again to go on\n`),
          (e: unknown) => !abort.signal.aborted && append(`\n# stopped: ${e instanceof Error ? e.message : String(e)}\n`),
        ).finally(() => followers.get(key)?.abort === abort && followers.delete(key));
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc;
    }),
    // Stopped when its editor closes (the last tab showing it), the pod goes away, or its context's session changes.
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      const open = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : '')));
      for (const t of e.closed) if (t.input instanceof vscode.TabInputText && !open.has(t.input.uri.toString())) stop(t.input.uri.toString());
    }),
    controller.onDidChangeWorkloads((change) => {
      const session = controller.peekOf(change.context);
      if (!session) return;
      for (const [key, f] of followers) {
        if (f.context !== change.context || !change.namespaces.includes(f.namespace) || !session.isSynced(f.namespace)) continue;
        if (!session.workloads(f.namespace).some((w) => w.revisions.some((r) => r.pods.some((p) => p.name === f.pod)))) stop(key, `\n# stopped: pod ${f.pod} is gone\n`);
      }
    }),
    controller.onDidChangeSession(() => stopOrphaned()),
    { dispose: () => stopAll() },
    podCommand(Commands.PodEvents, 'Show Events', async ({ client, contextName }, node) => {
      const rows = await loadKube().podEvents(client, node.namespace, node.pod);
      const path = `/${encodeURIComponent(contextName)}/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.pod)}.events`;
      return show(path, eventsDocument(`events of pod ${node.pod} · namespace ${node.namespace} · context ${contextName}`, rows));
    }),
  );
}

/** The container asked for, the pod's only one, or the one the user picks (undefined: cancelled). */
async function chooseContainer(pod: string, names: string[], asked?: string): Promise<string | undefined> {
  if (asked) return asked;
  return names.length > 1 ? vscode.window.showQuickPick(names, { title: `Logs of which container of ${pod}?` }) : names[0];
}
