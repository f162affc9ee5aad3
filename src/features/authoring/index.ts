// Offline authoring: hovers, diagnostics and quick fixes on Kubernetes YAML.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../domain/lint/rules';
import { loadAuthoring } from '../lazy';
import type { Settings } from '../settings';
import { foreignErrorLines, isAskingOthers, othersExplain } from './coexistence';
import { ParsedFileCache } from './parsedCache';

const YAML: vscode.DocumentSelector = [{ language: 'yaml' }];
const SOURCE = 'switchyard';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function registerAuthoring(context: vscode.ExtensionContext, settings: Settings): void {
  const cache = new ParsedFileCache();
  const diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
  const fixes = new Map<string, Finding[]>();

  const lint = (document: vscode.TextDocument) => {
    if (document.languageId !== 'yaml' || !settings.diagnosticsEnabled) {
      diagnostics.delete(document.uri);
      fixes.delete(document.uri.toString());
      return;
    }
    const { lintFile, Rule } = loadAuthoring();
    // Where another extension (Red Hat's YAML) already reports an error, our syntax error would be
    // the same message twice; the release rules are ours alone and always stay.
    const covered = foreignErrorLines(document.uri, SOURCE);
    foreignSeen.set(document.uri.toString(), [...covered].join());
    const findings = lintFile(cache.get(document)).filter((f) => f.code !== Rule.Syntax || !covered.has(document.positionAt(f.start).line));
    fixes.set(document.uri.toString(), findings);
    diagnostics.set(document.uri, findings.map((f) => toDiagnostic(document, f)));
  };

  /** Per document, the lines other sources reported errors on when it was last linted. */
  const foreignSeen = new Map<string, string>();
  const onOthersDiagnostics = (e: vscode.DiagnosticChangeEvent) => {
    for (const uri of e.uris) {
      const seen = foreignSeen.get(uri.toString());
      if (seen === undefined || seen === [...foreignErrorLines(uri, SOURCE)].join()) continue;
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) lint(document);
    }
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
      foreignSeen.delete(d.uri.toString());
      cache.forget(d);
    }),
    vscode.languages.onDidChangeDiagnostics(onOthersDiagnostics),
    settings.onDidChange((changed) => {
      if (changed.has('diagnostics.enabled')) vscode.workspace.textDocuments.forEach(lint);
    }),
    vscode.languages.registerHoverProvider(YAML, {
      async provideHover(document, position) {
        if (isAskingOthers() || !settings.hoverEnabled) return undefined;
        const { hoverAt } = loadAuthoring();
        const offset = document.offsetAt(position);
        const full = hoverAt(cache.get(document), offset);
        if (!full) return undefined;
        const range = new vscode.Range(document.positionAt(full.start), document.positionAt(full.end));
        // Beside a schema hover (Red Hat's YAML with a Kubernetes schema), only what we add.
        const besideSchemaHover = await othersExplain(document, position, range);
        const hover = besideSchemaHover ? hoverAt(cache.get(document), offset, { besideSchemaHover }) ?? full : full;
        return new vscode.Hover(new vscode.MarkdownString(hover.markdown), range);
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
