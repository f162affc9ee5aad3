// Lifecycle, notifications and the log, written once for every feature.
import * as vscode from 'vscode';

/**
 * A class that owns disposables: `register()` takes them; `dispose()` disposes them once, the last
 * registered first. One registered after dispose is disposed at once.
 */
export abstract class DisposableOwner implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private isDisposed = false;

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  protected register(...disposables: vscode.Disposable[]): void {
    if (this.isDisposed) disposables.forEach((d) => d.dispose());
    else this.owned.push(...disposables);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}

/** The Switchyard output channel (a log channel): created once in extension.ts. */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Switchyard', { log: true });
}

const PREFIX = 'Switchyard: ';

/** Notifications, each said as Switchyard's. */
export const notify = {
  info: (message: string, ...items: string[]) => vscode.window.showInformationMessage(PREFIX + message, ...items),
  warn: (message: string, ...items: string[]) => vscode.window.showWarningMessage(PREFIX + message, ...items),
  error: (message: string, ...items: string[]) => vscode.window.showErrorMessage(PREFIX + message, ...items),
};

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `work`. An error of one of the `expected` classes (bad input the user can fix) is shown as an
 * error notification and gives undefined; any other error propagates (a bug, to VS Code's handler).
 */
export async function showingExpected<T>(expected: readonly ErrorClass[], work: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    if (expected.some((type) => e instanceof type)) {
      void notify.error((e as Error).message);
      return undefined;
    }
    throw e;
  }
}
