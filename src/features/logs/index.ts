// "Show Logs" on a pod of the Rollouts tree: reads the pod fresh (which containers, restarted or
// not), its container's last lines and, after a restart, the previous run's, and shows them in a
// read-only document (a content provider's). "Show Events" reads the pod's events once into
// another. Errors are said, never thrown at the host.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { ClusterController } from '../session/controller';
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
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand(Commands.PodLogs, async (node?: PodNode, container?: string): Promise<vscode.TextDocument | undefined> => {
      const session = controller.current();
      if (!session) {
        void notify.warn(controller.sessionProblem?.message ?? 'No cluster selected.');
        return undefined;
      }
      if (node?.type !== 'pod') {
        void notify.warn('Show Logs works on a pod of the Rollouts view.');
        return undefined;
      }
      const { podLog } = loadKube();
      const { client, contextName } = session;
      try {
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
        const uri = vscode.Uri.from({ scheme: SCHEME, path: podLogPath(target) });
        documents.set(uri.toString(), podLogDocument({ ...target, current, previous }));
        changed.fire(uri);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc;
      } catch (e) {
        void notify.error(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.PodEvents, async (node?: PodNode): Promise<vscode.TextDocument | undefined> => {
      const session = controller.current();
      if (!session) {
        void notify.warn(controller.sessionProblem?.message ?? 'No cluster selected.');
        return undefined;
      }
      if (node?.type !== 'pod') {
        void notify.warn('Show Events works on a pod of the Rollouts view.');
        return undefined;
      }
      try {
        const rows = await loadKube().podEvents(session.client, node.namespace, node.pod);
        const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${encodeURIComponent(session.contextName)}/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.pod)}.events` });
        documents.set(uri.toString(), eventsDocument(`events of pod ${node.pod} · namespace ${node.namespace} · context ${session.contextName}`, rows));
        changed.fire(uri);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc;
      } catch (e) {
        void notify.error(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    }),
  );
}
