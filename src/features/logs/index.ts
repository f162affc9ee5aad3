// "Show Logs" on a pod of the Rollouts tree: reads the pod fresh (which containers, restarted or
// not), its container's last lines and, after a restart, the previous run's, and shows them in a
// read-only document (a content provider's). "Show Events" reads the pod's events once into
// another. Errors are said, never thrown at the host.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../session/controller';
import type { ClusterSession } from '../../kube/session';
import type { TreeNode } from '../tree/provider';
import { loadKube } from '../lazy';
import { notify } from '../lifecycle';
import { LOG_TAIL_LINES, podLogDocument, podLogPath, type LogPart } from './document';
import { eventsDocument } from '../../domain/model/events';

const SCHEME = 'switchyard-log';

type PodNode = Extract<TreeNode, { type: 'pod' }>;
interface ContainerStatus { name: string; restartCount?: number }

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
  /** A pod row's command: says why when there is no session or no pod, and says a failure instead of throwing. */
  const podCommand = <A extends unknown[]>(id: string, title: string, run: (session: ClusterSession, node: PodNode, ...args: A) => Promise<vscode.TextDocument | undefined>) =>
    vscode.commands.registerCommand(id, async (node?: PodNode, ...args: A): Promise<vscode.TextDocument | undefined> => {
      const session = controller.current();
      if (!session) {
        void notify.warn(controller.sessionProblem?.message ?? 'No cluster selected.');
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
      const { podLog } = loadKube();
      const pod = await client.request(`/api/v1/namespaces/${encodeURIComponent(node.namespace)}/pods/${encodeURIComponent(node.pod)}`, { info: { verb: 'get', resource: 'pods', namespace: node.namespace, name: node.pod } });
      const names: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
      const chosen = container ?? (names.length > 1 ? await vscode.window.showQuickPick(names, { title: `Logs of which container of ${node.pod}?` }) : names[0]);
      if (!chosen) return undefined;
      const read = (previous: boolean): Promise<LogPart> =>
        podLog(client, node.namespace, node.pod, { container: chosen, previous, tailLines: LOG_TAIL_LINES }).then(
          (text) => ({ text }),
          (e: unknown) => ({ problem: e instanceof Error ? e.message : String(e) }),
        );
      const restarted = ((pod.status?.containerStatuses ?? []) as ContainerStatus[]).some((c) => c.name === chosen && (c.restartCount ?? 0) > 0);
      const [current, previous] = await Promise.all([read(false), restarted ? read(true) : undefined]);
      const target = { context: contextName, namespace: node.namespace, pod: node.pod, container: chosen };
      return show(podLogPath(target), podLogDocument({ ...target, current, previous }));
    }),
    podCommand(Commands.PodEvents, 'Show Events', async ({ client, contextName }, node) => {
      const rows = await loadKube().podEvents(client, node.namespace, node.pod);
      const path = `/${encodeURIComponent(contextName)}/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.pod)}.events`;
      return show(path, eventsDocument(`events of pod ${node.pod} · namespace ${node.namespace} · context ${contextName}`, rows));
    }),
  );
}
