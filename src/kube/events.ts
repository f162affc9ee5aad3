// A typed event for the Kubernetes bundle (which runs in plain Node in the cluster tests, so it cannot
// use vscode.EventEmitter): subscribe with a listener, get back what unsubscribes it.
export interface Subscription {
  dispose(): void;
}

export class TypedEvent<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Calls `listener` with every value fired from now on, until the subscription is disposed. */
  readonly subscribe = (listener: (value: T) => void): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  clear(): void {
    this.listeners.clear();
  }
}
