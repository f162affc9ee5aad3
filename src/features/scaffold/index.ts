// `Switchyard: New Strategy…`: a quick-pick flow over the pure generators. Every answer can also
// come as an argument, so tests and other extensions call it without prompts.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { GeneratedManifests } from '../../domain/manifests/generate';
import { loadAuthoring } from '../lazy';
import { notify, showingExpected } from '../lifecycle';
import { pickValue } from '../prompts';
import { separatedYaml } from '../../domain/manifests/insert';
import type { FieldSpec } from '../../domain/manifests/form';
import { DEFAULTS, STRATEGIES, STRATEGY_INFO, type AppOptions, type ScaffoldRequest, type StrategyId } from '../../domain/manifests/options';
import type { DesignerForm, FieldValue } from '../../domain/panels/state';
import { planReplicaCanary, describeReplicaCanary } from '../../domain/strategy/replicaCanary';

export type ScaffoldTarget = 'newDocument' | 'cursor';

export interface NewStrategyArgs extends Partial<Omit<ScaffoldRequest, 'app'>> {
  app?: Partial<AppOptions>;
  target?: ScaffoldTarget;
}

export function registerScaffold(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.NewStrategy, (args?: NewStrategyArgs) => newStrategy(args)));
}

/** Runs the flow; returns the editor that shows the result, or undefined when the user cancels. */
export async function newStrategy(args: NewStrategyArgs = {}): Promise<vscode.TextEditor | undefined> {
  const request = await completeRequest(args);
  if (!request) return undefined;
  const { generate, ScaffoldError } = loadAuthoring();
  const result: GeneratedManifests | undefined = await showingExpected([ScaffoldError], () => generate(request));
  if (!result) return undefined;
  const target = args.target ?? (await askTarget());
  if (!target) return undefined;
  const editor = await insertManifests(result.yaml, target);
  if (result.notes.length) void vscode.window.showInformationMessage(result.notes.join(' '));
  return editor;
}

async function insertManifests(yaml: string, target: ScaffoldTarget): Promise<vscode.TextEditor> {
  const active = vscode.window.activeTextEditor;
  if (target === 'cursor' && active) {
    const doc = active.document;
    const at = active.selection.active;
    const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), at));
    const after = doc.getText(new vscode.Range(at, doc.lineAt(doc.lineCount - 1).range.end));
    await active.edit((b) => b.replace(active.selection, separatedYaml(yaml, before, after)));
    return active;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
  return vscode.window.showTextDocument(doc);
}

async function askTarget(): Promise<ScaffoldTarget | undefined> {
  const active = vscode.window.activeTextEditor;
  if (!active || active.document.languageId !== 'yaml') return 'newDocument';
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Open as a new document', target: 'newDocument' as const },
      { label: `Insert at the cursor in ${vscode.workspace.asRelativePath(active.document.uri)}`, target: 'cursor' as const },
    ],
    { title: 'New Strategy: where should the manifests go?' },
  );
  return pick?.target;
}

const TITLE = 'Switchyard: New Strategy';

async function completeRequest(args: NewStrategyArgs): Promise<ScaffoldRequest | undefined> {
  const strategy = args.strategy ?? (await pickStrategy());
  if (!strategy) return undefined;
  if (!STRATEGIES.includes(strategy)) {
    void notify.error(`unknown strategy "${strategy}". Choose one of ${STRATEGIES.join(', ')}.`);
    return undefined;
  }
  // A caller that passes answers gets defaults for the rest, never a prompt.
  if (args.app) return { ...args, strategy, app: { ...DEFAULTS.app, ...args.app } };
  const request = await askForm(strategy, args);
  if (!request) return undefined;
  return (await confirmReachable(request)) ? request : undefined;
}

async function pickStrategy(): Promise<StrategyId | undefined> {
  const pick = await vscode.window.showQuickPick(
    STRATEGIES.map((id) => ({ label: STRATEGY_INFO[id].label, detail: STRATEGY_INFO[id].detail, id })),
    { title: TITLE, placeHolder: 'Which release strategy?', matchOnDetail: true },
  );
  return pick?.id;
}

/** The part of the request a field belongs to ("rolling" for "rolling.maxSurge"). */
const partOf = (fieldId: string) => fieldId.slice(0, fieldId.indexOf('.')) as keyof ScaffoldRequest;

/**
 * Asks the strategy form's fields that New Strategy… asks, one prompt each, in the designer's order
 * (a field that appears on an answer, like the host once a router is chosen, is asked then), each
 * checked as it is typed by the form's own parser, the one the designer uses. Parts the caller gave
 * (`args.rolling`…) are not asked.
 */
async function askForm(strategy: StrategyId, args: NewStrategyArgs): Promise<ScaffoldRequest | undefined> {
  const { defaultForm, fieldsOf, parseDesign } = loadAuthoring();
  let form: DesignerForm = defaultForm(strategy);
  const withValue = (id: string, value: FieldValue): DesignerForm => ({ ...form, values: { ...form.values, [id]: value } });
  const asked = new Set<string>();
  for (;;) {
    const field = fieldsOf(form).find((f) => f.asked && !asked.has(f.id) && args[partOf(f.id)] === undefined);
    if (!field) break;
    asked.add(field.id);
    const value = await askField(field, form.values[field.id], (text) => parseDesign(withValue(field.id, text)).errors[field.id]);
    if (value === undefined) return undefined;
    form = withValue(field.id, value);
  }
  const { request, errors } = parseDesign(form);
  if (!request) {
    // A default the user did not see fails (it should not): say which, rather than scaffold it.
    void notify.error(Object.entries(errors).map(([id, problem]) => `${id}: ${problem}`).join(' '));
    return undefined;
  }
  const given = Object.fromEntries(Object.entries(args).filter(([part, value]) => part !== 'strategy' && part !== 'target' && value !== undefined));
  return { ...request, ...given };
}

async function askField(field: FieldSpec, current: FieldValue | undefined, problem: (text: string) => string | undefined): Promise<FieldValue | undefined> {
  const prompt = field.help ? `${field.label}: ${field.help}` : field.label;
  if (field.kind === 'bool') {
    const items = current === true ? ['Yes', 'No'] : ['No', 'Yes'];
    const pick = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: prompt });
    return pick === undefined ? undefined : pick === 'Yes';
  }
  if (field.kind === 'select') {
    const options = [...(field.options ?? [])].sort((a, b) => Number(b.value === current) - Number(a.value === current));
    return pickValue(options, { title: TITLE, placeHolder: prompt });
  }
  return vscode.window.showInputBox({ title: TITLE, prompt, value: String(current ?? ''), validateInput: problem, ignoreFocusOut: true });
}

/** A replica canary's share that the pod counts cannot reach exactly is said before it is scaffolded. */
async function confirmReachable(request: ScaffoldRequest): Promise<boolean> {
  if (request.strategy !== 'canary-replicas' || !request.replicaCanary) return true;
  const plan = planReplicaCanary(request.replicaCanary.canaryPercent ?? DEFAULTS.replicaCanary.canaryPercent, Math.max(2, request.app.replicas));
  if (plan.exact) return true;
  return (await vscode.window.showWarningMessage(describeReplicaCanary(plan), { modal: true }, 'Scaffold anyway')) === 'Scaffold anyway';
}
