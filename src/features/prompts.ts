// Prompts written once: a quick pick whose items carry the value the caller wants back.
import * as vscode from 'vscode';

export interface Choice<T> {
  label: string;
  detail?: string;
  description?: string;
  value: T;
}

/** The value of the picked choice; undefined when the user cancels. */
export async function pickValue<T>(choices: readonly Choice<T>[], options: vscode.QuickPickOptions): Promise<T | undefined> {
  return (await vscode.window.showQuickPick(choices.map((c) => ({ ...c })), options))?.value;
}
