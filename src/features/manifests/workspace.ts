// The workspace's manifests, one index for the Git path, the CodeLenses and drift (domain/manifests/
// locate.ts): the YAML files of the workspace folders (the text of open editors where they differ),
// read on the first need; after that only a file that changes is read again, and only its parse is
// redone. One instance, made in activate() and handed to each feature.
// Bounded: a workspace of vendored charts costs at most MAX_FILES reads of at most MAX_FILE_BYTES.
import * as vscode from 'vscode';
import type { ManifestIndex } from '../../domain/manifests/locate';
import { loadAuthoring } from '../lazy';

const MAX_FILES = 2000;
const MAX_FILE_BYTES = 512 * 1024;
const YAML_GLOB = '**/{*.yaml,*.yml,Kustomization}';
const EXCLUDE = '**/{node_modules,.git,out,dist}/**';

export class WorkspaceManifests implements vscode.Disposable {
  private texts?: Promise<Map<string, string>>;
  private built?: { texts: Map<string, string>; index: ManifestIndex };
  private watcher?: vscode.FileSystemWatcher;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** A manifest file changed on disk or in an editor: lenses and matches may differ. */
  readonly onDidChange = this.changed.event;

  /** The index now (the files read once; open editors' texts over them). */
  async index(): Promise<ManifestIndex> {
    if (!this.watcher) this.watch();
    const onDisk = await (this.texts ??= readWorkspace());
    const texts = new Map(onDisk);
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file' && texts.has(d.uri.path) && d.isDirty) texts.set(d.uri.path, d.getText());
    if (this.built && sameTexts(this.built.texts, texts)) return this.built.index;
    const index = loadAuthoring().indexManifests(texts, this.built?.index);
    this.built = { texts, index };
    return index;
  }

  private watch(): void {
    this.watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    // One file read again, not the workspace (before the first read there is nothing to update).
    const update = (change: (map: Map<string, string>) => Promise<unknown> | void) => {
      if (this.texts) this.texts = this.texts.then(async (map) => (await change(map), map));
      void (this.texts ?? Promise.resolve()).then(() => this.changed.fire());
    };
    const reread = (uri: vscode.Uri) => update(async (map) => {
      const text = excluded(uri) ? undefined : await readManifest(uri);
      if (text === undefined) map.delete(uri.path);
      else if (map.has(uri.path) || map.size < MAX_FILES) map.set(uri.path, text);
    });
    // A folder created (a clone) or deleted may be one event for the folder, which the YAML glob does
    // not match: folders are followed too, and stand for every YAML file under them.
    const folders = vscode.workspace.createFileSystemWatcher('**', false, true, false);
    const created = (uri: vscode.Uri) => update(async (map) => {
      if (excluded(uri) || (await vscode.workspace.fs.stat(uri).then((s) => s.type, () => 0)) !== vscode.FileType.Directory) return;
      for (const [path, text] of await readManifests(new vscode.RelativePattern(uri, YAML_GLOB))) if (map.has(path) || map.size < MAX_FILES) map.set(path, text);
    });
    const forget = (uri: vscode.Uri) => update((map) => {
      for (const path of [...map.keys()]) if (path === uri.path || path.startsWith(`${uri.path}/`)) map.delete(path);
    });
    this.disposables.push(
      this.watcher,
      folders,
      this.watcher.onDidChange(reread),
      this.watcher.onDidCreate(reread),
      folders.onDidCreate(created),
      folders.onDidDelete(forget),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'yaml' && e.contentChanges.length && this.changed.fire()),
      // What an editor saved is on disk now, whether or not the watcher's event comes (under load it
      // can be late or dropped, and an index that reads only changed files would keep the old text).
      vscode.workspace.onDidSaveTextDocument((d) => d.uri.scheme === 'file' && /(\.ya?ml|\/Kustomization)$/.test(d.uri.path) && !excluded(d.uri) && update((map) => {
        if (d.getText().length <= MAX_FILE_BYTES && (map.has(d.uri.path) || map.size < MAX_FILES)) map.set(d.uri.path, d.getText());
      })),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}

function sameTexts(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function readWorkspace(): Promise<Map<string, string>> {
  return readManifests(YAML_GLOB);
}

/** The manifests a glob finds (the workspace's, or a folder's), by path. */
async function readManifests(glob: vscode.GlobPattern): Promise<Map<string, string>> {
  const uris = await vscode.workspace.findFiles(glob, EXCLUDE, MAX_FILES);
  const texts = new Map<string, string>();
  await Promise.all(uris.map(async (uri) => {
    const text = await readManifest(uri);
    if (text !== undefined) texts.set(uri.path, text);
  }));
  return texts;
}

/** A file's text, unless it is too large, gone or unreadable (then it has nothing to index). */
async function readManifest(uri: vscode.Uri): Promise<string | undefined> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** A path the workspace search leaves out (EXCLUDE's folders): the watcher reports them too. */
function excluded(uri: vscode.Uri): boolean {
  return /\/(node_modules|\.git|out|dist)\//.test(uri.path);
}
