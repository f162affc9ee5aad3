// The actions of a pod's row (the catalogue's `pod` target): Describe (its YAML, read fresh, in a
// read-only editor), Copy name, Delete (through the runner: the rules of every writing action).
import * as vscode from 'vscode';
import type { Pod } from '../../domain/model/objects';
import type { ClusterController } from '../session/controller';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';
import { contextOfTarget } from '../tree/nodes';
import { ActionUnavailable, type ActionArgs, type ActionOutcome } from './outcome';
import { loadKubeActions, type ActionRunner } from './runner';

/** Documents of this scheme come from a content provider: VS Code opens them read-only. */
export const POD_YAML_SCHEME = 'switchyard-pod';

export interface PodRef {
  namespace: string;
  name: string;
}

/** The pod of a tree row, or the one `namespace` + `name` name. */
export function podOf(args: ActionArgs & { node?: TreeNode }): PodRef {
  if (args.node?.type === 'pod') return { namespace: args.node.namespace, name: args.node.pod };
  if (args.namespace && args.name) return { namespace: args.namespace, name: args.name };
  throw new ActionUnavailable('Run this from a pod row of the Rollouts tree (or pass its namespace and name).');
}

export class PodActions implements vscode.TextDocumentContentProvider {
  /** The YAML of each opened pod document, as fetched when it was opened. */
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly controller: ClusterController,
    private readonly tree: RolloutTreeProvider,
    private readonly runner: ActionRunner,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? `# ${uri.path}: describe the pod again to read it from the cluster.\n`;
  }

  /** Reading needs no write access: works in read-only mode and for users who may only get pods. */
  async describe(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const ref = podOf(args);
    const context = contextOfTarget(args);
    const session = this.controller.sessionOf(context);
    if (!session) throw new ActionUnavailable(this.controller.problemOf(context)?.message ?? 'No cluster is configured.');
    const pod = await session.client.request<Pod & { metadata: { managedFields?: unknown } }>(session.path('pods', ref.namespace, ref.name), { info: { verb: 'get', resource: 'pods', namespace: ref.namespace, name: ref.name } });
    // kubectl get -o yaml leaves managedFields out too.
    delete pod.metadata.managedFields;
    const uri = vscode.Uri.from({ scheme: POD_YAML_SCHEME, path: `/${session.contextName}/${ref.namespace}/${ref.name}.yaml` });
    this.texts.set(uri.toString(), loadKubeActions().toYaml(pod));
    this.changed.fire(uri);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'yaml');
    await vscode.window.showTextDocument(document, { preview: true });
    return { ok: true, message: '' };
  }

  async copyName(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const { name } = podOf(args);
    await vscode.env.clipboard.writeText(name);
    return { ok: true, message: `Copied "${name}".` };
  }

  delete(args: ActionArgs & { node?: TreeNode }): Promise<ActionOutcome> {
    const ref = podOf(args);
    return this.runner.deletePod(ref, args.node ? this.tree.workloadOf(args.node) : undefined, args);
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
