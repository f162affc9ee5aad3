// Offline authoring: hovers, diagnostics and quick fixes on Kubernetes YAML.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../domain/lint/rules';
import { loadAuthoring } from '../lazy';
import { ParsedFileCache } from './parsedCache';

const YAML: vscode.DocumentSelector = [{ language: 'yaml' }];
const SOURCE = 'switchyard';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function registerAuthoring(context: vscode.ExtensionContext): void {
  const cache = new ParsedFileCache();
  const diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
  const fixes = new Map<string, Finding[]>();
  const config = () => vscode.workspace.getConfiguration('switchyard');

  const lint = (document: vscode.TextDocument) => {
    if (document.languageId !== 'yaml' || !config().get<boolean>('diagnostics.enabled', true)) {
      diagnostics.delete(document.uri);
      fixes.delete(document.uri.toString());
      return;
    }
    const findings = loadAuthoring().lintFile(cache.get(document));
    fixes.set(document.uri.toString(), findings);
    diagnostics.set(document.uri, findings.map((f) => toDiagnostic(document, f)));
  };

  const pending = new Map<string, NodeJS.Timeout>();
  const lintSoon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      lint(document);
    }, 150));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => lintSoon(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      fixes.delete(d.uri.toString());
      cache.forget(d);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('switchyard.diagnostics')) vscode.workspace.textDocuments.forEach(lint);
    }),
    vscode.languages.registerHoverProvider(YAML, {
      provideHover(document, position) {
        if (!config().get<boolean>('hover.enabled', true)) return undefined;
        const hover = loadAuthoring().hoverAt(cache.get(document), document.offsetAt(position));
        if (!hover) return undefined;
        const md = new vscode.MarkdownString(hover.markdown);
        return new vscode.Hover(md, new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)));
      },
    }),
    vscode.languages.registerCodeActionsProvider(YAML, {
      provideCodeActions(document, _range, ctx) {
        const findings = fixes.get(document.uri.toString()) ?? [];
        const actions: vscode.CodeAction[] = [];
        for (const diagnostic of ctx.diagnostics) {
          if (diagnostic.source !== SOURCE) continue;
          const finding = findings.find((f) => f.code === diagnostic.code && document.positionAt(f.start).isEqual(diagnostic.range.start) && f.message === diagnostic.message);
          if (!finding?.fix) continue;
          const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          for (const e of finding.fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
          actions.push(action);
        }
        return actions.length ? actions : undefined;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
  vscode.workspace.textDocuments.forEach(lint);
}

function toDiagnostic(document: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = f.code;
  return d;
}
