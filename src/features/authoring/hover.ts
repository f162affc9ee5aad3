// Field explanations on hover; beside another hover on the same field (a Kubernetes schema from
// Red Hat's YAML) only what Switchyard adds.
import * as vscode from 'vscode';
import { loadAuthoring } from '../lazy';
import type { Settings } from '../settings';
import { isAskingOthers, othersExplain } from './coexistence';
import type { ParsedFileCache } from './parsedCache';

export function registerHover(context: vscode.ExtensionContext, settings: Settings, cache: ParsedFileCache, selector: vscode.DocumentSelector): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(selector, {
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
  );
}
