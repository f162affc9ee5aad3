// GitOps in a real VS Code, against the demo's Flux storefront (cluster/demo.sh: namespace
// switchyard-gitops, applied by kustomize-controller from the local git server's repository): the
// workspace holds a clone of that repository (test/workspace/gitops-clone/, made here and removed
// afterwards), as a user's checkout of what Flux syncs. A direct switch is warned about and really
// reverted; Switch in Git edits the clone's overlay, the test commits and pushes (standing in for the
// user through VS Code's Git API), Flux applies it and Switchyard says so; the CodeLenses on the overlay's
// and the base's files say what is live. The repository is put back with a pushed revert.
// Skipped, with a note, without the local cluster and its demo.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ActionOutcome } from '../../src/features/actions/outcome';
import type { GitPathOutcome } from '../../src/features/gitpath';
import { Commands } from '../../src/commands';
import { api, closeAllEditors } from './support';
import { suite, suiteSetup, suiteTeardown, test, type TestContext } from './tdd';

const NS = 'switchyard-gitops';
const OVERLAY = 'apps/storefront/prod/service-selector.yaml';
const BASE = 'apps/storefront/base/service.yaml';
/** kustomize-controller's interval for the demo's Kustomization (cluster/demo/60-gitops.yaml), which bounds a revert. */
const FLUX_INTERVAL_S = 30;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Switchyard host test', '-c', 'user.email=host@switchyard.local', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The demo repository's URL, from the local cluster's ports.env beside the kubeconfig. */
function repositoryUrl(): string | undefined {
  const ports = join(dirname(process.env.KUBECONFIG ?? ''), 'ports.env');
  return existsSync(ports) ? /^GITOPS_REPO_URL=(\S+)$/m.exec(readFileSync(ports, 'utf8'))?.[1] : undefined;
}

type Storefront = { name: string; blueGreen?: { live?: string; colours: { colour: string }[] } };

/** The storefront pair as Switchyard's view model has it (its namespace watched from the first call). */
async function storefront(): Promise<Storefront | undefined> {
  const answer = await (await api()).workloads(NS);
  return (answer.workloads as Storefront[] | undefined)?.find((w) => w.name === 'storefront');
}

/** Polls the view model until the live colour is `colour`; the seconds it took. */
async function liveBecomes(colour: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: string | undefined;
  while (Date.now() - started < timeoutMs) {
    last = (await storefront())?.blueGreen?.live;
    if (last === colour) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`storefront's live colour did not become ${colour} within ${timeoutMs / 1000} s (last: ${last})`);
}

type Lens = { range: vscode.Range; command?: vscode.Command };
/** The lens titles of a file once they include `until` (the index and the session answer asynchronously). */
async function lensTitles(file: string, until: (titles: string[]) => boolean): Promise<string[]> {
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  let titles: string[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    titles = ((await vscode.commands.executeCommand<Lens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((l) => l.command?.title ?? '');
    if (until(titles)) return titles;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`the lenses of ${file} never matched; last: ${JSON.stringify(titles)}`);
}

suite('GitOps (the demo\'s Flux storefront, a clone of its repository in the workspace)', () => {
  let clone = '';
  let original = '';
  let live = '';
  let other = '';
  let ready = false;

  suiteSetup(async function (this: TestContext) {
    this.timeout(90_000);
    const url = repositoryUrl();
    if (!url || (await (await api()).workloads(NS)).problem) return;
    const deadline = Date.now() + 60_000;
    let pair = await storefront();
    while (!pair?.blueGreen?.live && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      pair = await storefront();
    }
    if (!pair?.blueGreen?.live) return;
    clone = join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'gitops-clone');
    rmSync(clone, { recursive: true, force: true });
    execFileSync('git', ['clone', '-q', url, clone]);
    // Who commits there, for VS Code's Git too (this machine may have no global identity).
    git(clone, 'config', 'user.name', 'Switchyard host test');
    git(clone, 'config', 'user.email', 'host@switchyard.local');
    original = git(clone, 'rev-parse', 'HEAD');
    // Flux has applied what the clone says (a revert of an earlier run may still be on its way).
    const colour = /version: (\w+)/.exec(readFileSync(join(clone, OVERLAY), 'utf8'))![1];
    await liveBecomes(colour, 60_000);
    live = colour;
    other = pair.blueGreen.colours.map((c) => c.colour).find((c) => c !== live)!;
    ready = true;
  });

  suiteTeardown(async function (this: TestContext) {
    this.timeout(90_000);
    await closeAllEditors();
    if (!clone) return;
    // Back to the repository's first state, if a test pushed anything.
    if (existsSync(join(clone, '.git'))) {
      git(clone, 'fetch', '-q', 'origin');
      if (git(clone, 'rev-parse', 'origin/main') !== original) {
        git(clone, 'reset', '-q', '--hard', 'origin/main');
        git(clone, 'revert', '--no-edit', `${original}..HEAD`);
        git(clone, 'push', '-q', 'origin', 'HEAD:main');
        await liveBecomes(live, 60_000).catch((e) => console.log(`host: ${(e as Error).message}`));
      }
    }
    rmSync(clone, { recursive: true, force: true });
  });

  const skipUnlessReady = (t: TestContext) => {
    if (ready) return;
    console.log('host: no local cluster with the GitOps demo (cluster/demo.sh) for this run: GitOps tests skipped');
    t.skip();
  };

  test('a direct Switch Traffic on the Flux-managed Service says kustomize-controller will revert it, and when forced Flux does', async function () {
    skipUnlessReady(this);
    this.timeout((FLUX_INTERVAL_S * 2 + 60) * 1000);
    const args = { namespace: NS, name: 'storefront', target: other, confirm: true };
    const dry = await vscode.commands.executeCommand<ActionOutcome>(Commands.SwitchTraffic, { ...args, dryRunOnly: true });
    assert.ok(dry.ok, dry.message);
    const warning = `spec.selector of services/storefront is managed by kustomize-controller (Flux Kustomization ${NS}/storefront): this change will be reverted at its next reconcile, at most ${FLUX_INTERVAL_S} s.`;
    assert.deepEqual(dry.ownership, [warning]);
    assert.ok(dry.preview?.startsWith(`⚠ ${warning}\n--- services/storefront`), dry.preview);

    const forced = await vscode.commands.executeCommand<ActionOutcome>(Commands.SwitchTraffic, args);
    assert.ok(forced.ok, forced.message);
    await liveBecomes(other, 15_000);
    const seconds = await liveBecomes(live, (FLUX_INTERVAL_S * 2 + 15) * 1000);
    console.log(`host: kustomize-controller reverted the direct switch ${seconds.toFixed(1)} s after it was seen`);
  });

  test('the CodeLenses of the overlay\'s patch and of the base\'s Service (found through Kustomize) say the live colour, the Git path first', async function () {
    skipUnlessReady(this);
    const expected = [`$(server-environment) switchyard-local · ${NS}`, `$(circle-large-filled) ${live} live`, '$(git-commit) Switch in Git…', '$(warning) Switch traffic…'];
    for (const file of [OVERLAY, BASE]) {
      const titles = await lensTitles(join(clone, file), (t) => t.length >= 4);
      assert.deepEqual(titles.slice(0, 4), expected, file);
    }
  });

  test('drift compares the Service with what the overlay makes of the base: an unsaved colour in the overlay\'s patch is drift, from that file; Take Live Values writes the live colour back there', async function () {
    skipUnlessReady(this);
    this.timeout(90_000);
    const file = join(clone, OVERLAY);
    const original = readFileSync(file, 'utf8');
    const target = { namespace: NS, name: 'storefront' };
    type Sides = { live: string; file: string };
    /** Show Drift's sides once `ok` holds of them (undefined: no drift), polled: the index is read again after a pause in typing. */
    const driftUntil = async (what: string, ok: (sides: Sides | undefined) => boolean): Promise<Sides | undefined> => {
      let sides: Sides | undefined;
      const deadline = Date.now() + 20_000;
      while (!ok((sides = await vscode.commands.executeCommand<Sides | undefined>(Commands.ShowDrift, target))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      assert.ok(ok(sides), `${what}; last: ${JSON.stringify(sides)}`);
      return sides;
    };
    // The cluster has what the overlay says (the base alone has no colour, and its file and the patch both name the Service).
    await driftUntil('no drift while the cluster has the overlay\'s colour', (s) => s === undefined);

    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf(`version: ${live}`);
    edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + `version: ${live}`.length)), `version: ${other}`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const sides = await driftUntil('the overlay\'s colour, unsaved, is drift', (s) => !!s);
    assert.equal(sides!.live, `services/storefront  spec.selector.version: ${live}\n`);
    assert.equal(sides!.file, `services/storefront  spec.selector.version: ${other}\n`);
    const shown = vscode.workspace.asRelativePath(file);

    // Applying the file's values is the usual action: its dry-run preview names the file and Flux's ownership.
    const dry = await vscode.commands.executeCommand<ActionOutcome>(Commands.ApplyManifestValues, { ...target, confirm: true, dryRunOnly: true });
    assert.ok(dry.ok, dry.message);
    assert.match(dry.preview ?? '', new RegExp(`^⚠ spec\\.selector of services/storefront is managed by kustomize-controller[^]*\\n- +version: ${live}\\n\\+ +version: ${other}\\n`));
    assert.match(dry.message, new RegExp(shown.replace(/[.]/g, '\\.')));

    // The live colour goes back into the overlay's patch (where the index says the colour is set), nothing else changes.
    const taken = await vscode.commands.executeCommand<{ taken: number; left: string[]; files: string[] }>(Commands.TakeLiveValues, target);
    assert.deepEqual(taken, { taken: 1, left: [], files: [shown] });
    assert.equal(document.getText(), original);
    await document.save();
    assert.equal(readFileSync(file, 'utf8'), original);
    await driftUntil('no drift once the live colour is taken', (s) => s === undefined);
  });

  test('Switch in Git edits the overlay in the workspace; committed and pushed, Flux applies it and Switchyard says by whom, how long after the push', async function () {
    skipUnlessReady(this);
    this.timeout(150_000);
    // VS Code's Git, which Switchyard reads for the commit (the harness starts with it off).
    const gitConfig = vscode.workspace.getConfiguration('git');
    const was = { enabled: gitConfig.inspect('enabled')?.globalValue, parents: gitConfig.inspect('openRepositoryInParentFolders')?.globalValue };
    await gitConfig.update('openRepositoryInParentFolders', 'never', vscode.ConfigurationTarget.Global);
    await gitConfig.update('enabled', true, vscode.ConfigurationTarget.Global);
    try {
      type Repository = { state: { HEAD?: { commit?: string; ahead?: number } }; commit(message: string, options?: { all?: boolean }): Promise<void>; push(): Promise<void> };
      type GitApi = { state: string; openRepository(root: vscode.Uri): Promise<Repository | null> };
      let gitApi: GitApi | undefined;
      const deadline = Date.now() + 30_000;
      while (!gitApi && Date.now() < deadline) {
        try {
          const candidate = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git')?.exports?.getAPI(1);
          if (candidate?.state === 'initialized') gitApi = candidate;
        } catch {
          // the Git model is made once git.enabled is seen
        }
        if (!gitApi) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(gitApi, 'VS Code\'s Git extension is up');
      const repository = await gitApi.openRepository(vscode.Uri.file(clone));
      assert.ok(repository, 'the clone is a repository of VS Code\'s Git');

      const file = join(clone, OVERLAY);
      const before = readFileSync(file, 'utf8');
      // The workspace index may still be taking the clone's files in.
      let outcome: GitPathOutcome | undefined;
      const until = Date.now() + 20_000;
      do {
        outcome = await vscode.commands.executeCommand<GitPathOutcome>(Commands.SwitchTrafficInGit, { namespace: NS, name: 'storefront', target: other, confirm: true, noPreview: true });
        if (outcome.ok || !/^No manifest/.test(outcome.message)) break;
        await new Promise((r) => setTimeout(r, 500));
      } while (Date.now() < until);
      assert.ok(outcome.ok, outcome.message);
      assert.deepEqual(outcome.edits?.map((e) => e.file), [file]);
      assert.match(outcome.message, new RegExp(`Flux Kustomization "${NS}/storefront" applies it once it is pushed`));
      const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file)!;
      assert.equal(document.getText(), before.replace(`version: ${live}`, `version: ${other}`), 'only the colour changed: the comment and layout are kept');
      // Edited, not saved: saving, committing and pushing are the user's (a web workbench, as here,
      // saves after a delay by default: files.autoSave is afterDelay there).
      if (vscode.workspace.getConfiguration('files').get('autoSave') === 'off') assert.ok(document.isDirty, 'not saved');
      // The lens says the file and the cluster differ now.
      await lensTitles(file, (t) => t.includes(`$(circle-large-filled) ${live} live (the file says ${other})`));

      await document.save();
      assert.equal(readFileSync(file, 'utf8'), document.getText());
      // Committed and pushed with VS Code's Git, as the user would from Source Control.
      await repository.commit(`storefront: ${other} live (Switch in Git)`, { all: true });
      await repository.push();
      const pushedAt = Date.now();
      const pushed = git(clone, 'rev-parse', 'HEAD');
      assert.equal(git(clone, 'rev-parse', 'origin/main'), pushed, 'pushed');
      const said = await outcome.applied!;
      console.log(`host: ${said} (${((Date.now() - pushedAt) / 1000).toFixed(1)} s after the push)`);
      assert.match(said, new RegExp(`^storefront: applied by kustomize-controller \\d+ s after the commit was pushed \\(revision main@sha1:${pushed.slice(0, 7)}\\)$`));
      assert.equal((await storefront())?.blueGreen?.live, other, 'the view model shows the new colour live');
      await lensTitles(file, (t) => t.includes(`$(circle-large-filled) ${other} live`));
    } finally {
      await gitConfig.update('enabled', was.enabled, vscode.ConfigurationTarget.Global);
      await gitConfig.update('openRepositoryInParentFolders', was.parents, vscode.ConfigurationTarget.Global);
    }
  });
});
