// The strategy designer: a form per strategy whose YAML comes from the same generator as New
// Strategy… (loaded lazily with the authoring bundle), with the rolling timeline, the canary plan
// and the cost of the design; "Insert into editor" and "Save as file".
import * as vscode from 'vscode';
import type { GeneratedManifests } from '../../domain/manifests/generate';
import { STRATEGIES, type StrategyId } from '../../domain/manifests/options';
import { separatedYaml } from '../../domain/manifests/insert';
import type { DesignerAction, DesignerForm, DesignerPanelState, DesignPreview, FieldValue, PanelActivity } from '../../domain/panels/state';
import { loadAuthoring } from '../lazy';
import { DisposableOwner, type Log } from '../lifecycle';
import { StateChannel } from './channel';
import { parseDesignerMessage, parseForm, ViewType, type DesignerPersisted } from '../../domain/panels/protocol';
import { PANEL_OPTIONS, loadWebview } from './webview';

export const DESIGNER_TITLE = 'Strategy Designer';

/** Arguments of `switchyard.designer.open`: a strategy and any field values (text, as typed). */
export interface DesignerArgs {
  strategy?: StrategyId;
  values?: Record<string, FieldValue>;
}

export function formFromArgs(args: DesignerArgs | undefined, current?: DesignerForm): DesignerForm | undefined {
  if (!args || (!args.strategy && !args.values)) return undefined;
  const { defaultForm, withStrategy } = loadAuthoring();
  const strategy = args.strategy && STRATEGIES.includes(args.strategy) ? args.strategy : (current?.strategy ?? 'rolling');
  const base = current ? withStrategy(current, strategy) : defaultForm(strategy);
  return parseForm({ strategy, values: { ...base.values, ...args.values } });
}

/** The YAML editor the user was in last: where "Insert into editor" goes. */
export class YamlEditorTracker extends DisposableOwner {
  private last?: { document: vscode.TextDocument; selection: vscode.Selection; viewColumn?: vscode.ViewColumn };
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor() {
    super();
    this.remember(vscode.window.activeTextEditor);
    this.register(
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor((e) => this.remember(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor.document === this.last?.document && this.remember(e.textEditor)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d !== this.last?.document) return;
        this.last = undefined;
        this.emitter.fire();
      }),
    );
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.document.languageId !== 'yaml') return;
    const moved = editor.document !== this.last?.document || editor.selection.active.line !== this.last.selection.active.line;
    this.last = { document: editor.document, selection: editor.selection, viewColumn: editor.viewColumn };
    if (moved) this.emitter.fire();
  }

  describe(): string {
    if (!this.last) return 'Insert opens a new YAML document.';
    return `Insert at line ${this.last.selection.active.line + 1} of ${vscode.workspace.asRelativePath(this.last.document.uri)}.`;
  }

  /** The editor to insert into: visible as it is, or shown again at its last selection. */
  async editor(): Promise<vscode.TextEditor | undefined> {
    const last = this.last;
    if (!last || last.document.isClosed) return undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === last.document);
    if (visible) return visible;
    return vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, selection: last.selection, preserveFocus: true });
  }
}

interface Generated {
  key: string;
  strategy: StrategyId;
  errors: Record<string, string>;
  manifests?: GeneratedManifests;
  preview?: DesignPreview;
  problem?: string;
}

export class DesignerPanel extends DisposableOwner {
  readonly channel: StateChannel<DesignerPanelState>;
  private form: DesignerForm;
  private formRevision = 1;
  private activity?: PanelActivity<DesignerAction>;
  private generated?: Generated;
  /** The last design that generated manifests: shown, marked stale, while a field is being fixed. */
  private lastValid?: Generated;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  static create(extensionUri: vscode.Uri, tracker: YamlEditorTracker, log: Log, form: DesignerForm): DesignerPanel {
    // Beside the editor the user writes in, so "Insert into editor" shows both.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(ViewType.Designer, DESIGNER_TITLE, column, PANEL_OPTIONS);
    return new DesignerPanel(panel, extensionUri, tracker, log, { form });
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly tracker: YamlEditorTracker,
    log: Log,
    restored: DesignerPersisted,
  ) {
    super();
    this.form = restored.form;
    panel.title = DESIGNER_TITLE;
    this.channel = new StateChannel(panel.webview, () => this.state(), 'strategy designer', log);
    loadWebview(panel, extensionUri, 'designer');
    // Disposed last registered first: the panel goes after everyone has been told.
    this.register(
      panel,
      this.disposedEmitter,
      { dispose: () => this.disposedEmitter.fire() },
      this.channel,
      tracker.onDidChange(() => this.channel.update()),
      panel.onDidChangeViewState(() => !panel.visible && this.channel.onHidden()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Replaces the form (arguments, restore): the webview rebuilds its inputs. */
  setForm(form: DesignerForm): void {
    this.form = form;
    this.formRevision++;
    this.channel.update();
  }

  /** The design as the generator sees it, computed once per form. */
  private generate(): Generated {
    const key = JSON.stringify(this.form);
    if (this.generated?.key === key) return this.generated;
    const { generate, ScaffoldError, parseDesign, designPreview } = loadAuthoring();
    const { request, errors } = parseDesign(this.form);
    const strategy = this.form.strategy;
    let result: Generated = { key, strategy, errors };
    if (request) {
      try {
        result = { key, strategy, errors, manifests: generate(request), preview: designPreview(request) };
      } catch (e) {
        if (!(e instanceof ScaffoldError || e instanceof RangeError)) throw e;
        result = { key, strategy, errors, problem: e.message };
      }
    }
    this.generated = result;
    if (result.manifests) this.lastValid = result;
    return result;
  }

  state(): DesignerPanelState {
    const g = this.generate();
    const shown = g.manifests || this.lastValid?.strategy !== g.strategy ? g : this.lastValid;
    return {
      form: this.form,
      formRevision: this.formRevision,
      errors: g.errors,
      problem: g.problem,
      yaml: shown.manifests?.yaml ?? '',
      notes: shown.manifests?.notes ?? [],
      preview: shown.preview,
      ...(shown !== g ? { stale: true } : {}),
      insertTarget: this.tracker.describe(),
      activity: this.activity,
    };
  }

  /** Handles a message of the webview (also the way tests press its buttons). */
  async receive(raw: unknown): Promise<void> {
    const m = parseDesignerMessage(raw);
    if (!m || this.channel.receiveCommon(m)) return;
    switch (m.type) {
      case 'change':
        this.form = m.form;
        this.channel.update();
        return;
      case 'run':
        await (m.action === 'insert' ? this.insert() : this.save());
    }
  }

  private setActivity(activity: PanelActivity<DesignerAction> | undefined): void {
    this.activity = activity;
    this.channel.update();
  }

  private ready(action: DesignerAction): GeneratedManifests | undefined {
    const g = this.generate();
    if (!g.manifests) this.setActivity({ action, state: 'failed', message: g.problem ?? 'Fix the highlighted fields first.' });
    return g.manifests;
  }

  /** Inserts the manifests at the cursor of the last YAML editor, or opens them as a new document. */
  async insert(): Promise<vscode.TextEditor | undefined> {
    const manifests = this.ready('insert');
    if (!manifests) return undefined;
    const editor = await this.tracker.editor();
    if (!editor) {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: manifests.yaml });
      const opened = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
      this.setActivity({ action: 'insert', state: 'done', message: 'Opened the manifests as a new YAML document.' });
      return opened;
    }
    const doc = editor.document;
    const selection = editor.selection;
    const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), selection.start));
    const after = doc.getText(new vscode.Range(selection.end, doc.positionAt(doc.getText().length)));
    const ok = await editor.edit((b) => b.replace(selection, separatedYaml(manifests.yaml, before, after)));
    editor.revealRange(new vscode.Range(selection.start, selection.start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.setActivity(ok ? { action: 'insert', state: 'done', message: `Inserted at line ${selection.start.line + 1} of ${vscode.workspace.asRelativePath(doc.uri)}.` } : { action: 'insert', state: 'failed', message: 'The editor refused the edit (read-only or closed).' });
    return editor;
  }

  /** Writes the manifests to a file the user picks (or `uri`), then opens it. */
  async save(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const manifests = this.ready('save');
    if (!manifests) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${String(this.form.values['app.app'] || 'app')}-${this.form.strategy}.yaml`;
    const target = uri ?? (await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { YAML: ['yaml', 'yml'] }, saveLabel: 'Save manifests', title: 'Save the designed manifests' }));
    if (!target) return undefined;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(manifests.yaml));
    } catch (e) {
      this.setActivity({ action: 'save', state: 'failed', message: `Could not write ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}` });
      return undefined;
    }
    await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    this.setActivity({ action: 'save', state: 'done', message: `Saved ${vscode.workspace.asRelativePath(target)}.` });
    return target;
  }

  persisted(): DesignerPersisted {
    return { form: this.form };
  }

}
