// Quick fixes for the findings that carry one (add a readiness probe, a preStop pause, the colour
// to a selector…), offered on Switchyard's own diagnostics.
import * as vscode from 'vscode';
import type { Finding } from '../../domain/lint/rules';
import { SOURCE } from './diagnostics';

export function registerQuickFixes(context: vscode.ExtensionContext, selector: vscode.DocumentSelector, findingsOf: (uri: vscode.Uri) => readonly Finding[]): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, {
      provideCodeActions(document, _range, ctx) {
        const findings = findingsOf(document.uri);
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
}
