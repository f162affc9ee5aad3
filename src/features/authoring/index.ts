// Offline authoring on Kubernetes YAML: diagnostics, hovers and quick fixes, sharing one cache of
// parsed files.
import * as vscode from 'vscode';
import type { Settings } from '../settings';
import { registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { LintContextProvider } from './lintContext';
import { ParsedFileCache } from './parsedCache';
import { registerQuickFixes } from './quickFixes';

const YAML: vscode.DocumentSelector = [{ language: 'yaml' }];

export function registerAuthoring(context: vscode.ExtensionContext, settings: Settings): void {
  const cache = new ParsedFileCache();
  const around = new LintContextProvider();
  context.subscriptions.push(around);
  const findingsOf = registerDiagnostics(context, settings, cache, around);
  registerHover(context, settings, cache, YAML);
  registerQuickFixes(context, YAML, findingsOf);
}
