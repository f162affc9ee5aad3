// Apply Manifest to Cluster…: server-side apply (field manager "switchyard") of the open file, with
// a dry-run and diff first, the same confirmation as every action, and API errors as diagnostics.
import * as vscode from 'vscode';
import { loadAuthoring } from '../lazy';
import { CANCELLED, type ActionArgs, type ActionOutcome } from './outcome';
import { loadKubeActions, type ActionRunner } from './runner';

/** Server-side apply of the open manifests: dry-run and diff first; API errors land on the right lines. */
export async function applyManifest(runner: ActionRunner, applyDiagnostics: vscode.DiagnosticCollection, args: ActionArgs): Promise<ActionOutcome> {
  // Beside other contexts, which one it goes to is asked (a scripted run names it, or takes the primary).
  const context = args.context ?? (await runner.pickContext('Switchyard: Apply into which context?', args.confirm));
  if (context === null) return CANCELLED;
  const session = runner.session(context);
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') return { ok: false, message: 'Open a YAML manifest to apply it.' };
  const document = editor.document;
  const { parseYamlFile, rangeForPath } = loadAuthoring();
  const file = parseYamlFile(document.getText());
  if (file.problems.some((p) => p.severity === 'error')) return { ok: false, message: 'The file has YAML errors (see Problems): nothing was applied.' };
  const docs = file.documents.filter((d) => d.apiVersion && d.kind && d.name);
  if (!docs.length) return { ok: false, message: 'No Kubernetes objects (apiVersion, kind, metadata.name) in this file.' };
  let namespace = args.namespace;
  if (!namespace && docs.some((d) => !(d.value as { metadata?: { namespace?: string } }).metadata?.namespace)) {
    const { names } = await session.listNamespaces().catch(() => ({ names: [session.client.contextNamespace] }));
    namespace = args.confirm ? session.client.contextNamespace : (await vscode.window.showQuickPick([session.client.contextNamespace, ...names.filter((n) => n !== session.client.contextNamespace)], { title: 'Apply into which namespace (for objects that name none)?' }));
    if (!namespace) return CANCELLED;
  }
  const { applyObject, errorFieldPaths, toYaml, unifiedDiff } = loadKubeActions();
  const run = async (dryRun: boolean) => {
    const diagnostics: vscode.Diagnostic[] = [];
    const outcomes = [];
    for (const d of docs) {
      try {
        outcomes.push(await applyObject(session.client, { object: d.value as never, namespace: namespace ?? session.client.contextNamespace }, dryRun));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const paths = errorFieldPaths(e);
        const ranges = paths.length ? paths.map((p) => rangeForPath(d, p)) : [rangeForPath(d, ['kind'])];
        for (const r of ranges) {
          const diagnostic = new vscode.Diagnostic(new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), `${d.kind} "${d.name}": ${message}`, vscode.DiagnosticSeverity.Error);
          diagnostic.source = 'switchyard apply';
          diagnostics.push(diagnostic);
        }
      }
    }
    applyDiagnostics.set(document.uri, diagnostics);
    return { outcomes, diagnostics };
  };
  const dry = await run(true);
  if (dry.diagnostics.length) return { ok: false, message: `The API server rejected ${dry.diagnostics.length} object(s) in the dry-run: see the Problems view. Nothing was applied.` };
  const strip = (o: any) => (o ? { metadata: { labels: o.metadata?.labels, annotations: o.metadata?.annotations }, spec: o.spec, data: o.data } : {});
  const preview = dry.outcomes.map((o) => `--- ${o.target.object.kind}/${o.target.object.metadata.name}${o.before ? '' : ' (new)'}\n${unifiedDiff(toYaml(strip(o.before)), toYaml(strip(o.after))) || '  (no change)'}`).join('\n');
  runner.output.info(`[dry-run] apply ${vscode.workspace.asRelativePath(document.uri)}\n${preview}`);
  const plan = { title: `Apply ${docs.length} object(s) from ${vscode.workspace.asRelativePath(document.uri)}`, summary: `Server-side apply (field manager "switchyard") into context "${session.contextName}"${namespace ? `, namespace "${namespace}"` : ''}.`, writes: [] };
  if (args.dryRunOnly) return { ok: true, message: 'Dry-run passed.', preview };
  if (!(await runner.confirm(session, plan, preview, args))) return CANCELLED;
  const started = performance.now();
  const real = await run(false);
  if (real.diagnostics.length) return { ok: false, message: `${real.diagnostics.length} object(s) failed to apply: see the Problems view.`, preview };
  for (const o of real.outcomes) runner.output.info(`[ok] applied ${o.target.object.kind}/${o.target.object.metadata.name} resourceVersion ${o.after?.metadata?.resourceVersion}`);
  return { ok: true, message: `${plan.title}: done in ${Math.round(performance.now() - started)} ms.`, preview, apiMs: performance.now() - started };
}
