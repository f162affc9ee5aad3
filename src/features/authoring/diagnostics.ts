// Release-pitfall diagnostics on YAML documents, linted on open and shortly after each edit; a
// syntax error another extension already reports on a line is not reported twice.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../domain/lint/rules';
import { loadAuthoring } from '../lazy';
import type { Settings } from '../settings';
import { foreignErrorLines } from './coexistence';
import type { LintContextProvider } from './lintContext';
import type { ParsedFileCache } from './parsedCache';

export const SOURCE = 'switchyard';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Registers the diagnostics; returns the findings of a document as last linted (for its quick fixes). */
export function registerDiagnostics(context: vscode.ExtensionContext, settings: Settings, cache: ParsedFileCache, around: LintContextProvider): (uri: vscode.Uri) => readonly Finding[] {
  const diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
  const findings = new Map<string, Finding[]>();

  const lint = (document: vscode.TextDocument) => {
    if (document.languageId !== 'yaml' || !settings.diagnosticsEnabled) {
      diagnostics.delete(document.uri);
      findings.delete(document.uri.toString());
      return;
    }
    const { lintFile, Rule } = loadAuthoring();
    // Where another extension (Red Hat's YAML) already reports an error, our syntax error would be
    // the same message twice; the release rules are ours alone and always stay.
    const covered = foreignErrorLines(document.uri, SOURCE);
    foreignSeen.set(document.uri.toString(), [...covered].join());
    const found = lintFile(cache.get(document), around.contextFor(document)).filter((f) => f.code !== Rule.Syntax || !covered.has(document.positionAt(f.start).line));
    findings.set(document.uri.toString(), found);
    diagnostics.set(document.uri, found.map((f) => toDiagnostic(document, f)));
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
      findings.delete(d.uri.toString());
      foreignSeen.delete(d.uri.toString());
      cache.forget(d);
    }),
    vscode.languages.onDidChangeDiagnostics(onOthersDiagnostics),
    // A sibling manifest or a build-tool file changed what this folder's files may be told.
    around.onDidChange((folder) => vscode.workspace.textDocuments.filter((d) => d.uri.toString().startsWith(folder.toString() + '/')).forEach(lint)),
    settings.onDidChange((changed) => {
      if (changed.has('diagnostics.enabled')) vscode.workspace.textDocuments.forEach(lint);
    }),
  );
  vscode.workspace.textDocuments.forEach(lint);
  return (uri) => findings.get(uri.toString()) ?? [];
}

function toDiagnostic(document: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = f.code;
  return d;
}
