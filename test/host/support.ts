// Helpers shared by the extension-host tests.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SwitchyardApi } from '../../src/api';

export const EXTENSION_ID = 'switchyard.switchyard';

/** Measurements the suite reports next to its results (e.g. activate() time in the real host). */
export const metrics: Record<string, number> = {};

export function extension(): vscode.Extension<SwitchyardApi> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this VS Code (is extensionDevelopmentPath the repo root?)`);
  return ext;
}

/** The API activate() returns (activating the extension if it is not yet). */
export function api(): Thenable<SwitchyardApi> {
  return extension().activate();
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs a command that may still prompt (quick pick or input box) and accepts each prompt with its
 * default, as a user pressing Enter would, until the command settles. Returns the number of accepts
 * that were sent, for diagnostics; accepting with no prompt open does nothing.
 */
export async function runAcceptingDefaults<T>(command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => { settled = true; });
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

/** Closes every editor without a save prompt (untitled results of commands are reverted first). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  while (vscode.window.activeTextEditor) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * A path named `name` in a new temporary folder. Tests that edit use files of their own, not
 * untitled documents: VS Code hands out `Untitled-1` again, and one opened right after another
 * closed can come back with the old text.
 */
export function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'switchyard-host-')), name);
}

export interface Row { depth: number; label: string; description?: string; contextValue?: string }

/** The context the tree shows (its root row after the "Needs attention" section, if any). */
export const contextShown = (rows: Row[]) => rows.find((r) => r.depth === 0 && r.contextValue === 'context')?.label;

/** Renders the tree (3 levels) until `ok` holds, or fails after 20 s with what it showed. */
export async function treeUntil(what: string, ok: (rows: Row[]) => boolean): Promise<void> {
  let rows: Row[] = [];
  const deadline = Date.now() + 20_000;
  while (!ok((rows = await (await api()).renderTree(3))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  assert.ok(ok(rows), `${what}; tree: ${rows.map((r) => `${'  '.repeat(r.depth)}${r.label}`).join(' / ')}`);
}

/** A panel as host tests read it: the state its webview last acknowledged (drew), and each one it draws. */
export interface DrawnPanel<S> {
  channel: { rendered?: S; onDidRender: vscode.Event<S> };
}

/**
 * Resolves with the first state the panel's webview drew that satisfies `predicate` (the one drawn
 * already, or a later one); fails after `timeoutMs`, naming `what` and `describe` of the last state drawn.
 */
export function renderedUntil<S>(panel: object, what: string, predicate: (s: S) => boolean, timeoutMs = 60_000, describe: (s: S | undefined) => unknown = (s) => JSON.stringify(s)?.slice(0, 600)): Promise<S> {
  const channel = (panel as DrawnPanel<S>).channel;
  if (channel.rendered !== undefined && predicate(channel.rendered)) return Promise.resolve(channel.rendered);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the webview to render ${what}; last rendered: ${describe(channel.rendered)}`));
    }, timeoutMs);
    const listener = channel.onDidRender((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(s);
    });
  });
}
