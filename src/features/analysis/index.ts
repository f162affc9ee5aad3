// Evaluate now: an AnalysisTemplate's Prometheus metrics measured once, as Argo Rollouts would
// measure them, without creating an AnalysisRun. From a CodeLens on each metric of a template (or
// ClusterAnalysisTemplate) in the editor, the palette, or a Rollout's tree node and details panel.
// Args come from the Rollout that uses the template when that is unambiguous, else are asked. The
// result is a read-only Markdown report; a query Prometheus rejects becomes a diagnostic on the
// template's line it names (until the document changes).
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { AnalysisArg, AnalysisUsage, PrometheusMetricSpec } from '../../domain/analysis/measure';
import type { MetricEvaluation } from '../../domain/analysis/evaluation';
import type { ParsedDocument, ParsedFile } from '../../domain/yaml/documents';
import type { Rollout } from '../../domain/model/objects';
import type { ClusterSession } from '../../kube/session';
import { loadAuthoring, loadKube } from '../lazy';
import { notify } from '../lifecycle';
import { pickValue, type Choice } from '../prompts';
import type { ClusterController } from '../session/controller';
import { NoWorkload, pickTarget } from '../session/picker';
import type { RolloutTreeProvider, TreeNode } from '../tree/provider';
import { contextOfNode } from '../tree/nodes';
import { CANCELLED, type ActionArgs, type ActionOutcome } from '../actions/outcome';

const TEMPLATE_KINDS = new Set(['AnalysisTemplate', 'ClusterAnalysisTemplate']);
const REPORT_SCHEME = 'switchyard-evaluation';
const PICKER_OWNER = 'evaluate';

/** What a CodeLens passes: the file, which of its documents, which metric. */
export interface EvaluateTemplateArgs {
  uri: string;
  document: number;
  metric?: string;
}

type Arg = EvaluateTemplateArgs | ActionArgs | TreeNode | undefined;

interface TemplateSource {
  kind: string;
  name: string;
  namespace?: string;
  spec: unknown;
  /** The editor's document and parsed piece, for diagnostics. */
  document?: { text: vscode.TextDocument; parsed: ParsedDocument };
}

interface ArgsSource {
  /** The Rollout's args, resolved against it; or typed ones. */
  incoming: AnalysisArg[];
  rollout?: unknown;
  label: string;
}

/** Read-only documents holding the reports (a virtual scheme: not editable, nothing to save). */
class Reports implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This report is gone: evaluate again.';
  }

  async show(name: string, text: string): Promise<void> {
    // one document per template, replaced by its next evaluation
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerAnalysisEvaluation(context: vscode.ExtensionContext, controller: ClusterController, tree: RolloutTreeProvider): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('switchyard-analysis');
  const reports = new Reports();
  context.subscriptions.push(
    diagnostics,
    reports,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    // they are about the text that was evaluated: an edit makes them stale
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && diagnostics.delete(e.document.uri)),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], {
      provideCodeLenses(document) {
        if (!/kind:\s*["']?(Cluster)?AnalysisTemplate\b/.test(document.getText())) return [];
        const { parseYamlFile, prometheusMetrics, rangeForPath } = loadAuthoring();
        const lenses: vscode.CodeLens[] = [];
        parseYamlFile(document.getText()).documents.forEach((d, index) => {
          if (!isTemplate(d)) return;
          for (const m of prometheusMetrics((d.value as { spec?: unknown }).spec).metrics) {
            const at = document.positionAt(rangeForPath(d, ['spec', 'metrics', m.index]).start);
            const args: EvaluateTemplateArgs = { uri: document.uri.toString(), document: index, metric: m.name };
            lenses.push(new vscode.CodeLens(new vscode.Range(at, at), { title: '$(beaker) Evaluate now', tooltip: `Query Prometheus for "${m.name}" now and say what Argo Rollouts would record (no AnalysisRun is created)`, command: Commands.EvaluateAnalysis, arguments: [args] }));
          }
        });
        return lenses;
      },
    }),
    vscode.commands.registerCommand(Commands.EvaluateAnalysis, async (arg?: Arg): Promise<ActionOutcome> => {
      try {
        return await evaluate(controller, tree, reports, diagnostics, arg);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof NoWorkload) void notify.info(message);
        else {
          controller.log.error(`[evaluate] ${message}`);
          void notify.error(message);
        }
        return { ok: false, message };
      } finally {
        controller.sessions().forEach((s) => s.release(PICKER_OWNER));
      }
    }),
  );
}

function isTemplate(d: ParsedDocument): boolean {
  return !d.templated && !!d.kind && TEMPLATE_KINDS.has(d.kind) && !!d.apiVersion?.startsWith('argoproj.io/');
}

async function evaluate(controller: ClusterController, tree: RolloutTreeProvider, reports: Reports, diagnostics: vscode.DiagnosticCollection, arg: Arg): Promise<ActionOutcome> {
  if (isTemplateArgs(arg)) return evaluateInEditor(controller, reports, diagnostics, await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri)), arg.document, arg.metric);
  const editor = vscode.window.activeTextEditor;
  // from the palette with a template open: that one (the template under the cursor)
  if (!arg && editor?.document.languageId === 'yaml') {
    const { parseYamlFile, documentAt } = loadAuthoring();
    const file = parseYamlFile(editor.document.getText());
    const here = documentAt(file, editor.document.offsetAt(editor.selection.active));
    const index = here && isTemplate(here) ? file.documents.indexOf(here) : file.documents.findIndex(isTemplate);
    if (index >= 0) return evaluateInEditor(controller, reports, diagnostics, editor.document, index, undefined);
  }
  return evaluateForRollout(controller, tree, reports, arg);
}

function isTemplateArgs(arg: Arg): arg is EvaluateTemplateArgs {
  return !!arg && typeof (arg as EvaluateTemplateArgs).uri === 'string' && typeof (arg as EvaluateTemplateArgs).document === 'number';
}

// ---------- from the editor ----------

async function evaluateInEditor(controller: ClusterController, reports: Reports, diagnostics: vscode.DiagnosticCollection, document: vscode.TextDocument, index: number, metricName: string | undefined): Promise<ActionOutcome> {
  const { parseYamlFile } = loadAuthoring();
  const file = parseYamlFile(document.getText());
  const parsed = file.documents[index];
  if (!parsed || !isTemplate(parsed)) return { ok: false, message: 'No AnalysisTemplate there any more: the document changed.' };
  const value = parsed.value as { metadata?: { namespace?: string }; spec?: unknown };
  const template: TemplateSource = { kind: parsed.kind!, name: parsed.name ?? '(unnamed)', namespace: value.metadata?.namespace, spec: value.spec, document: { text: document, parsed } };
  // Evaluate now also works without a cluster, against a Prometheus URL
  const session = controller.current();
  const namespace = template.namespace ?? session?.client.contextNamespace;
  const source = await argsSource(controller, session, template, namespace, file);
  if (!source) return CANCELLED;
  return run(controller, session, reports, diagnostics, template, source, metricName);
}

/** The Rollouts that run this template: the cluster's in its namespace (they have the hashes), else this file's. */
async function argsSource(controller: ClusterController, session: ClusterSession | undefined, template: TemplateSource, namespace: string | undefined, file: ParsedFile): Promise<ArgsSource | undefined> {
  const { usagesOf } = loadKube().analysis;
  const clusterScope = template.kind === 'ClusterAnalysisTemplate';
  const candidates: { label: string; description: string; rollout: unknown; usage: AnalysisUsage }[] = [];
  const add = (rollout: Rollout, from: string) => {
    for (const usage of usagesOf(rollout, template.name, clusterScope)) candidates.push({ label: `${rollout.metadata.namespace ? `${rollout.metadata.namespace}/` : ''}${rollout.metadata.name}`, description: `${usage.where} · ${from}`, rollout, usage });
  };
  if (session && (namespace || clusterScope)) {
    try {
      const path = clusterScope ? '/apis/argoproj.io/v1alpha1/rollouts' : session.path('rollouts', namespace!);
      const list = await session.client.request<{ items: Rollout[] }>(path);
      for (const r of list.items) add(r, `cluster ${session.contextName}`);
    } catch (e) {
      controller.log.warn(`[evaluate] could not list the Rollouts that use ${template.name}: ${(e as Error).message}`);
    }
  }
  if (!candidates.length) {
    for (const d of file.documents) if (d.kind === 'Rollout' && d.apiVersion?.startsWith('argoproj.io/')) add(d.value as Rollout, 'this file');
  }
  const { args } = loadKube().analysis.prometheusMetrics(template.spec);
  const typed = async (): Promise<ArgsSource | undefined> => {
    const incoming: AnalysisArg[] = [];
    for (const a of args) {
      if (a.valueFrom && !a.valueFrom.secretKeyRef) continue; // asked later, with the reason
      if (a.value !== undefined && !a.valueFrom) continue;
      const value = await askArg(a.name, a.valueFrom?.secretKeyRef ? `from Secret ${a.valueFrom.secretKeyRef.name ?? '?'} (not read: type it)` : 'no value in the template', a.value);
      if (value === undefined) return undefined;
      incoming.push({ name: a.name, value });
    }
    return { incoming, label: 'typed' };
  };
  if (candidates.length === 1) return { incoming: candidates[0].usage.args, rollout: candidates[0].rollout, label: `${candidates[0].label} (${candidates[0].usage.where})` };
  if (!candidates.length) return typed();
  const choices: Choice<number>[] = [...candidates.map((c, i) => ({ label: c.label, description: c.description, detail: c.usage.args.map((a) => `${a.name}=${a.value ?? describeValueFrom(a)}`).join(', '), value: i })), { label: '$(edit) Type the args…', value: -1 }];
  const picked = await pickValue(choices, { title: `Evaluate ${template.name}: with the args of which Rollout?`, matchOnDescription: true });
  if (picked === undefined) return undefined;
  if (picked < 0) return typed();
  const c = candidates[picked];
  return { incoming: c.usage.args, rollout: c.rollout, label: `${c.label} (${c.usage.where})` };
}

function describeValueFrom(a: AnalysisArg): string {
  const v = a.valueFrom;
  if (v?.podTemplateHashValue) return `${v.podTemplateHashValue} pod hash`;
  if (v?.fieldRef) return `field ${v.fieldRef.fieldPath}`;
  if (v?.secretKeyRef) return `secret ${v.secretKeyRef.name}`;
  return '?';
}

function askArg(name: string, why: string, value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `Evaluate now: args.${name}`, prompt: `Value of args.${name}: ${why}`, value, ignoreFocusOut: true });
}

// ---------- from a Rollout (tree, panel, palette) ----------

async function evaluateForRollout(controller: ClusterController, tree: RolloutTreeProvider, reports: Reports, arg: ActionArgs | TreeNode | undefined): Promise<ActionOutcome> {
  // The Rollout's own context: a tree node's, the arguments' (a panel's, a lens's), else the primary.
  const context = arg && 'type' in arg && 'id' in arg ? contextOfNode(arg as TreeNode) : (arg as ActionArgs | undefined)?.context;
  const session = controller.sessionOf(context);
  if (!session) return { ok: false, message: controller.problemOf(context)?.message ?? 'No cluster is configured: open an AnalysisTemplate to evaluate it against a Prometheus URL.' };
  let target: { namespace: string; name: string } | undefined;
  if (arg && 'type' in arg && 'id' in arg) {
    const w = tree.workloadOf(arg as TreeNode);
    if (!w || w.kind !== 'Rollout') return { ok: false, message: 'This node is not a Rollout.' };
    target = w;
  } else if (arg && (arg as ActionArgs).namespace && (arg as ActionArgs).name) target = { namespace: (arg as ActionArgs).namespace!, name: (arg as ActionArgs).name! };
  else {
    // Only a name, or nothing: this context's Rollout by that name, or one picked (in any context shown).
    const picked = await pickTarget(() => controller.shownSessions(), session, (arg as ActionArgs | undefined) ?? {}, { owner: PICKER_OWNER, what: 'Rollout with analysis', accepts: (w) => w.kind === 'Rollout' && !!w.analysisTemplates?.length, title: 'Switchyard: evaluate the analysis of which Rollout?' });
    if (picked && picked.session !== session) return evaluateForRollout(controller, tree, reports, { context: picked.session.contextName, namespace: picked.w.namespace, name: picked.w.name });
    target = picked?.w;
  }
  if (!target) return CANCELLED;
  const { analysisUsages } = loadKube().analysis;
  const rollout = await session.client.request<Rollout>(session.path('rollouts', target.namespace, target.name));
  const pairs = analysisUsages(rollout).flatMap((usage) => usage.templates.map((ref) => ({ usage, ref })));
  if (!pairs.length) return { ok: false, message: `Rollout ${target.namespace}/${target.name} runs no AnalysisTemplate.` };
  let pair = pairs[0];
  if (pairs.length > 1) {
    const picked = await pickValue(pairs.map((p, i) => ({ label: p.ref.templateName, description: `${p.ref.clusterScope ? 'ClusterAnalysisTemplate · ' : ''}${p.usage.where}`, value: i })), { title: `Evaluate which analysis of ${target.name}?` });
    if (picked === undefined) return CANCELLED;
    pair = pairs[picked];
  }
  const kind = pair.ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const path = pair.ref.clusterScope ? `/apis/argoproj.io/v1alpha1/clusteranalysistemplates/${encodeURIComponent(pair.ref.templateName)}` : `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(target.namespace)}/analysistemplates/${encodeURIComponent(pair.ref.templateName)}`;
  const object = await session.client.request<{ metadata: { name: string; namespace?: string }; spec?: unknown }>(path);
  const template: TemplateSource = { kind, name: object.metadata.name, namespace: object.metadata.namespace, spec: object.spec };
  return run(controller, session, reports, undefined, template, { incoming: pair.usage.args, rollout, label: `${target.namespace}/${target.name} (${pair.usage.where})` }, undefined);
}

// ---------- the measurement ----------

async function run(controller: ClusterController, session: ClusterSession | undefined, reports: Reports, diagnostics: vscode.DiagnosticCollection | undefined, template: TemplateSource, source: ArgsSource, metricName: string | undefined): Promise<ActionOutcome> {
  const kit = loadKube().analysis;
  const { args: templateArgs, metrics: all } = kit.prometheusMetrics(template.spec);
  const metrics = metricName ? all.filter((m) => m.name === metricName) : all;
  if (!metrics.length) return { ok: false, message: `${template.kind} ${template.name} has no Prometheus metric${metricName ? ` named "${metricName}"` : ''} to evaluate.` };
  let resolved;
  try {
    resolved = kit.resolveArgs(templateArgs, source.incoming, source.rollout);
  } catch (e) {
    if ((e as Error).name !== 'ArgsError') throw e;
    // what the rollout controller would say creating the AnalysisRun
    return { ok: false, message: `${template.name} with the args of ${source.label}: ${(e as Error).message}` };
  }
  const values = { ...resolved.values };
  for (const a of resolved.toAsk) {
    const value = await askArg(a.name, a.why);
    if (value === undefined) return CANCELLED;
    values[a.name] = value;
  }
  const settings = { 'prometheus.url': controller.settings.get('prometheus.url'), 'prometheus.auth': controller.settings.get('prometheus.auth') };
  const evaluations = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Evaluating ${template.name}…`, cancellable: true }, async (_, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const out: MetricEvaluation[] = [];
    for (const metric of metrics) {
      try {
        out.push(await kit.evaluateMetric(metric, values, { kube: session?.client, settings, signal: abort.signal }));
      } catch (e) {
        if (abort.signal.aborted) return undefined;
        // not a measurement Argo would take (it failed on our side): no phase
        out.push({ metric: metric.name, warnings: [], verdict: { message: `not evaluated: ${(e as Error).message}` } });
      }
    }
    return out;
  });
  if (!evaluations) return CANCELLED;
  if (template.document && diagnostics) showRejected(diagnostics, template.document, metrics, evaluations);
  // a value read from a Secret (typed in) is not written into the report or the log
  const secret = new Set([...templateArgs, ...source.incoming].filter((a) => a.valueFrom?.secretKeyRef).map((a) => a.name));
  const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secret.has(k) ? '(secret)' : v]));
  const report = kit.evaluationReport(template, shown, evaluations, new Date());
  controller.log.info(`[evaluate] ${template.kind} ${template.name} with the args of ${source.label}: ${evaluations.map((e) => `${e.metric} ${e.verdict.phase ?? 'no verdict'}${e.value !== undefined ? ` ${e.value}` : ''}`).join(', ')}`);
  await reports.show(`${template.namespace ? `${template.namespace}-` : ''}${template.name}`, `${report}\nArgs from: ${source.label}\n`);
  const summary = evaluations.map((e) => `${e.metric}: ${e.verdict.phase ?? 'no verdict'}${e.value !== undefined ? ` (${e.value})` : e.verdict.message ? ` (${e.verdict.message})` : ''}`).join('; ');
  return { ok: evaluations.every((e) => e.verdict.phase !== undefined), message: `Evaluated now (no AnalysisRun created): ${summary}` };
}

/** Prometheus's rejection of a query, on the template's line and column it names (else on the query). */
function showRejected(diagnostics: vscode.DiagnosticCollection, source: NonNullable<TemplateSource['document']>, metrics: PrometheusMetricSpec[], evaluations: MetricEvaluation[]): void {
  const { rangeForPath, valueRangeForPath } = loadAuthoring();
  const { queryOffsetInFile } = loadKube().analysis;
  const { text: document, parsed } = source;
  const found: vscode.Diagnostic[] = [];
  for (const e of evaluations) {
    const metric = metrics.find((m) => m.name === e.metric);
    if (!e.rejected || !metric) continue;
    const path = ['spec', 'metrics', metric.index, 'provider', 'prometheus', 'query'];
    let range: vscode.Range;
    if (e.rejectedAt !== undefined) {
      const value = valueRangeForPath(parsed, path);
      const at = document.positionAt(queryOffsetInFile(document.getText().slice(value.start, value.end), value.start, metric.query, e.rejectedAt));
      range = document.getWordRangeAtPosition(at) ?? new vscode.Range(at, at.translate(0, 1));
    } else {
      const key = rangeForPath(parsed, path);
      range = new vscode.Range(document.positionAt(key.start), document.positionAt(key.end));
    }
    const d = new vscode.Diagnostic(range, `Prometheus rejected the query of metric "${e.metric}": ${e.rejected.error}`, vscode.DiagnosticSeverity.Error);
    d.source = 'prometheus';
    found.push(d);
  }
  diagnostics.set(document.uri, found);
}
