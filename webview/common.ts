// What both webviews share: the VS Code API handle, the protocol's ready/ack side, and swapping the
// sections whose markup changed (keeping keyboard focus where it was).
import { diffSections, type Section } from './render/sections';
import type { StateMessage } from '../src/domain/panels/protocol';

interface VsCodeApi<P> {
  postMessage(message: unknown): void;
  getState(): P | undefined;
  setState(state: P): void;
}
declare function acquireVsCodeApi<P>(): VsCodeApi<P>;

export interface Webview<P, Out> {
  post(message: Out): void;
  persist(state: P): void;
}

/**
 * Connects a panel: `render` draws each state the host posts; the state is acknowledged once drawn
 * (or once drawing failed, reported as an error), then the host may post the next. Says `ready` last,
 * when the listener is in place.
 */
export function connect<S, P, Out extends { type: string }>(render: (state: S) => void): Webview<P, Out> {
  const api = acquireVsCodeApi<P>();
  const post = (message: Out | { type: 'ready' } | { type: 'ack'; seq: number } | { type: 'error'; message: string }) => api.postMessage(message);
  window.addEventListener('message', (event: MessageEvent) => {
    const m = event.data as StateMessage<S>;
    if (m?.type !== 'state') return;
    try {
      render(m.state);
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
    post({ type: 'ack', seq: m.seq });
  });
  post({ type: 'ready' });
  return { post, persist: (state) => api.setState(state) };
}

/** The element keyboard focus is on, by its `data-key`, so it can be found again after a swap. */
function focusedKey(): string | undefined {
  return document.activeElement?.closest('[data-key]')?.getAttribute('data-key') ?? undefined;
}

function refocus(container: HTMLElement, key: string | undefined): void {
  if (!key || (document.activeElement && document.activeElement !== document.body)) return;
  container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** Keeps `container`'s children as the given sections, replacing only the ones whose markup changed. */
export class SectionView {
  private readonly shown = new Map<string, string>();
  private readonly elements = new Map<string, HTMLElement>();

  constructor(private readonly container: HTMLElement) {}

  /** Returns the number of sections swapped. */
  update(sections: readonly Section[]): number {
    const patch = diffSections(this.shown, sections);
    if (!patch.changed.length && !patch.removed.length) return 0;
    const focus = focusedKey();
    for (const key of patch.removed) {
      this.elements.get(key)?.remove();
      this.elements.delete(key);
      this.shown.delete(key);
    }
    const byKey = new Map(sections.map((s) => [s.key, s.html]));
    for (const key of patch.changed) {
      let el = this.elements.get(key);
      if (!el) {
        el = document.createElement('div');
        el.className = `section section-${key}`;
        el.dataset.section = key;
        this.elements.set(key, el);
      }
      el.innerHTML = byKey.get(key)!;
      this.shown.set(key, byKey.get(key)!);
    }
    let previous: Element | null = null;
    for (const key of patch.order) {
      const el = this.elements.get(key)!;
      const expected: Element | null = previous ? previous.nextElementSibling : this.container.firstElementChild;
      if (expected !== el) this.container.insertBefore(el, expected);
      previous = el;
    }
    refocus(this.container, focus);
    return patch.changed.length;
  }
}
