// The two webview panels: rollout details (one per workload, opened from the tree, the palette or
// with arguments) and the strategy designer (one). Serializers bring both back after a reload.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { RolloutTarget } from '../../domain/panels/state';
import type { ClusterController } from '../session/controller';
import { askForTarget, viewNamespaces } from '../session/picker';
import { loadAuthoring } from '../lazy';
import { refOf } from '../../domain/model/contexts';
import { contextOfNode, isTreeNode } from '../tree/nodes';
import { notify, type Log } from '../lifecycle';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';
import { DesignerPanel, YamlEditorTracker, formFromArgs, type DesignerArgs } from './designerPanel';
import { parseDesignerPersisted, parseRolloutPersisted, parseTarget, ViewType } from '../../domain/panels/protocol';
import { RolloutPanel, panelKey } from './rolloutPanel';

/** Arguments of `switchyard.panel.open` besides a tree node (a WorkloadRef: context, namespace, name). */
export interface OpenRolloutArgs {
  /** The context the workload is in; undefined: the primary one. */
  context?: string;
  namespace?: string;
  name?: string;
}

/** What the rest of the extension asks of the panels. */
export interface Panels {
  /** The workloads open in a Rollout Details panel. */
  openRollouts(): RolloutTarget[];
}

export function registerPanels(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider, log: Log): Panels {
  const extensionUri = context.extensionUri;
  const rollouts = new Map<string, RolloutPanel>();
  const tracker = new YamlEditorTracker();
  let designer: DesignerPanel | undefined;

  const adoptRollout = (panel: RolloutPanel): RolloutPanel => {
    const key = panel.key;
    rollouts.set(key, panel);
    panel.onDidDispose(() => rollouts.get(key) === panel && rollouts.delete(key));
    // The tree shows the golden-signal line of workloads whose panel samples them.
    panel.onDidChangeSignals(({ context, namespace, workloadId, signals }) => workloadId && tree.showSignals(context, namespace, workloadId, signals));
    panel.driftOf = (context, w) => tree.driftOf(context, w);
    return panel;
  };
  const adoptDesigner = (panel: DesignerPanel): DesignerPanel => {
    designer = panel;
    panel.onDidDispose(() => designer === panel && (designer = undefined));
    return panel;
  };

  const openRollout = async (arg?: TreeNode | OpenRolloutArgs): Promise<RolloutPanel | undefined> => {
    const target = await resolveTarget(controller, tree, arg);
    if (!target) return undefined;
    const existing = rollouts.get(panelKey(target));
    if (existing) {
      existing.reveal();
      return existing;
    }
    return adoptRollout(RolloutPanel.create(extensionUri, controller, target));
  };

  const openDesigner = (args?: DesignerArgs): DesignerPanel => {
    const form = formFromArgs(args, designer?.persisted().form);
    if (designer) {
      if (form) designer.setForm(form);
      designer.reveal();
      return designer;
    }
    return adoptDesigner(DesignerPanel.create(extensionUri, tracker, log, form ?? loadAuthoring().defaultForm()));
  };

  context.subscriptions.push(
    tracker,
    vscode.commands.registerCommand(Commands.OpenRolloutDetails, openRollout),
    vscode.commands.registerCommand(Commands.OpenDesigner, openDesigner),
    vscode.window.registerWebviewPanelSerializer(ViewType.Rollout, {
      async deserializeWebviewPanel(panel, state) {
        const restored = parseRolloutPersisted(state);
        if (!restored || rollouts.has(panelKey(restored.target))) return panel.dispose();
        adoptRollout(new RolloutPanel(panel, extensionUri, controller, restored));
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ViewType.Designer, {
      async deserializeWebviewPanel(panel, state) {
        if (designer) return panel.dispose();
        adoptDesigner(new DesignerPanel(panel, extensionUri, tracker, log, parseDesignerPersisted(state) ?? { form: loadAuthoring().defaultForm() }));
      },
    }),
    { dispose: () => [...rollouts.values(), ...(designer ? [designer] : [])].forEach((p) => p.dispose()) },
  );
  return { openRollouts: () => [...rollouts.values()].map((p) => p.target) };
}

const PICKER_OWNER = 'panel-picker';

/**
 * The workload to show, named with its context: the tree node's, the one named in the arguments
 * (the primary context when they name none), or one the user picks.
 */
async function resolveTarget(controller: ClusterController, tree: RolloutTreeProvider, arg: TreeNode | OpenRolloutArgs | undefined): Promise<RolloutTarget | undefined> {
  if (isTreeNode(arg)) {
    const w = tree.workloadOf(arg);
    if (w) return refOf(w, contextOfNode(arg), true);
    void notify.warn('this node is not a workload.');
    return undefined;
  }
  const session = controller.sessionOf(arg?.context);
  const given = parseTarget(arg);
  if (given) return { ...given, context: given.context ?? session?.contextName };
  if (!session) {
    void notify.warn(controller.problemOf(arg?.context)?.message ?? 'No Kubernetes cluster is configured.');
    return undefined;
  }
  const fallback = viewNamespaces(controller);
  const context = session.contextName;
  if (arg?.name) return { context, namespace: arg.namespace ?? (session.watchedNamespaces()[0] ?? fallback(session)[0]), name: arg.name };
  // The picker's watches end with it (in every context it looked in); the panel holds its own namespace once it is open.
  const picked = await askForTarget(controller, session, arg ?? {}, { owner: PICKER_OWNER, what: 'workload', title: 'Switchyard: Open Rollout Details', fallback });
  return picked && refOf(picked.w, picked.session.contextName, true);
}

/** Watches the namespace and resolves once it has listed (or after 10 s, with what there is). */
