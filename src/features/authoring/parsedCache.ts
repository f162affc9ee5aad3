// One parse per document version, shared by hovers, diagnostics and quick fixes.
import type * as vscode from 'vscode';
import type { ParsedFile } from '../../domain/yaml/documents';
import { loadAuthoring } from '../lazy';

export class ParsedFileCache {
  private readonly entries = new Map<string, { version: number; file: ParsedFile }>();

  get(document: vscode.TextDocument): ParsedFile {
    const key = document.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === document.version) return hit.file;
    // The previous version's documents are reused where their text did not change.
    const file = loadAuthoring().parseYamlFile(document.getText(), hit?.file);
    this.entries.set(key, { version: document.version, file });
    return file;
  }

  forget(document: vscode.TextDocument): void {
    this.entries.delete(document.uri.toString());
  }
}
