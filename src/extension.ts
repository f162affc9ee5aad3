// Wires the features together; each lives in its own folder. Nothing here touches a cluster or
// loads the Kubernetes client: that happens on first use.
import type * as vscode from 'vscode';
import { registerAuthoring } from './features/authoring';
import { registerConvert } from './features/convert';
import { registerRecommend } from './features/recommend';
import { registerScaffold } from './features/scaffold';
import { registerTimeline } from './features/timeline';

export function activate(context: vscode.ExtensionContext): void {
  registerScaffold(context);
  registerAuthoring(context);
  registerConvert(context);
  registerRecommend(context);
  registerTimeline(context);
}

export function deactivate(): void {}
