// What the lint of a file needs from around it (domain/lint/context.ts), read from the workspace:
// the pods, autoscalers and named objects (Flagger's targets, templates, Services) of the other manifests of its folder, and the image names that the skaffold.yaml or
// kustomization.yaml of its folder or a parent folder (up to the workspace folder) rewrite. Read
// once per folder, again after a YAML file there changes; bounded, so a folder of thousands of
// CRDs costs a bounded read.
import * as vscode from 'vscode';
import type { FileFacts, LintContext } from '../../domain/lint/context';
import { loadAuthoring } from '../lazy';

/** More than this and a folder's neighbours are not read (a vendored CRD or chart dump). */
const MAX_NEIGHBOUR_FILES = 200;
const MAX_FILE_BYTES = 512 * 1024;

interface FolderFacts {
  /** Per file of the folder (by uri): the pods it makes and its autoscalers. */
  files: Map<string, FileFacts>;
  builtImages: ReadonlySet<string>;
}

export class LintContextProvider implements vscode.Disposable {
  private readonly folders = new Map<string, Promise<FolderFacts>>();
  private readonly settled = new Map<string, FolderFacts>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A folder's facts changed (or were read for the first time): lint its open documents again. */
  readonly onDidChange = this.changed.event;
  /** Created with the first folder read (not at activation). */
  private watcher?: vscode.FileSystemWatcher;

  private watch(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,Kustomization}');
    const forget = (uri: vscode.Uri) => {
      // A build-tool file counts for its folder and every folder below: forget those too.
      const folder = parentOf(uri).toString();
      for (const key of [...this.folders.keys()]) if (key === folder || key.startsWith(folder + '/')) this.drop(key);
    };
    this.watcher.onDidChange(forget);
    this.watcher.onDidCreate(forget);
    this.watcher.onDidDelete(forget);
  }

  /** The context known now for a document (nothing until its folder is read; `onDidChange` fires then). */
  contextFor(document: vscode.TextDocument): LintContext {
    if (document.uri.scheme !== 'file') return {};
    const folder = parentOf(document.uri).toString();
    const facts = this.settled.get(folder);
    if (!facts) {
      this.read(parentOf(document.uri));
      return {};
    }
    const self = document.uri.toString();
    const others = [...facts.files].filter(([file]) => file !== self).map(([, f]) => f);
    return loadAuthoring().lintContextOf(others, facts.builtImages);
  }

  private read(folder: vscode.Uri): void {
    const key = folder.toString();
    if (this.folders.has(key)) return;
    this.watch();
    const reading = readFolder(folder).catch((): FolderFacts => ({ files: new Map(), builtImages: new Set() }));
    this.folders.set(key, reading);
    void reading.then((facts) => {
      if (this.folders.get(key) !== reading) return; // forgotten meanwhile: a newer read follows
      this.settled.set(key, facts);
      this.changed.fire(folder);
    });
  }

  private drop(key: string): void {
    const had = this.settled.has(key);
    this.folders.delete(key);
    this.settled.delete(key);
    if (had) this.read(vscode.Uri.parse(key));
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}

function parentOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

async function readFolder(folder: vscode.Uri): Promise<FolderFacts> {
  const { parseYamlFile, fileFacts, buildToolFile, builtImageNames, BUILD_TOOL_FILE_NAMES } = loadAuthoring();
  const files: FolderFacts['files'] = new Map();
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const yamlFiles = entries.filter(([name, type]) => type === vscode.FileType.File && /\.ya?ml$/.test(name)).map(([name]) => name);
  if (yamlFiles.length <= MAX_NEIGHBOUR_FILES) {
    for (const name of yamlFiles) {
      if (buildToolFile(name)) continue;
      const uri = vscode.Uri.joinPath(folder, name);
      const text = await readText(uri);
      if (text === undefined) continue;
      const parsed = parseYamlFile(text);
      files.set(uri.toString(), fileFacts(parsed));
    }
  }
  const builtImages: string[] = [];
  const root = vscode.workspace.getWorkspaceFolder(folder)?.uri.toString();
  for (let dir = folder; ; dir = parentOf(dir)) {
    for (const name of BUILD_TOOL_FILE_NAMES) {
      const tool = buildToolFile(name)!;
      const text = await readText(vscode.Uri.joinPath(dir, name));
      if (text !== undefined) builtImages.push(...builtImageNames(parseYamlFile(text), tool));
    }
    if (!root || dir.toString() === root || parentOf(dir).toString() === dir.toString()) break;
  }
  return { files, builtImages: new Set(builtImages) };
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined; // not there, or not readable: nothing to learn from it
  }
}
