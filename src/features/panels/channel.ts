// Posts a panel's state to its webview: only after the webview said `ready`, one state at a time,
// the next only after the webview acknowledged the last. Changes in between coalesce: the state is
// built when it is posted, so a burst of store events becomes one update of the latest state.
import * as vscode from 'vscode';
import type { Log } from '../lifecycle';
import type { CommonMessage, StateMessage } from '../../domain/panels/protocol';

/** An ack this late means the message was dropped (the webview went away): post again. */
const ACK_TIMEOUT_MS = 3000;

export class StateChannel<S> implements vscode.Disposable {
  private ready = false;
  private dirty = true;
  private seq = 0;
  private inFlight?: { seq: number; state: S; at: number };
  private last?: S;
  private readonly renderedEmitter = new vscode.EventEmitter<S>();
  /** Fires with each state the webview acknowledged (it is on screen). */
  readonly onDidRender = this.renderedEmitter.event;
  /** Counts, for tests and the output log. */
  readonly stats = { posted: 0, acked: 0, coalesced: 0 };

  constructor(
    private readonly webview: vscode.Webview,
    private readonly build: () => S,
    /** Names the panel in logged render errors. */
    private readonly panelName: string,
    private readonly log: Log,
  ) {}

  /** Handles what every panel's webview sends (ready, ack, a render error); false for a panel's own messages. */
  receiveCommon(m: CommonMessage | { type: string }): m is CommonMessage {
    const common = m as CommonMessage;
    switch (common.type) {
      case 'ready':
        this.onReady();
        return true;
      case 'ack':
        this.onAck(common.seq);
        return true;
      case 'error':
        this.log.error(`${this.panelName} webview: ${common.message}`);
        return true;
      default:
        return false;
    }
  }

  /** The last state the webview acknowledged. */
  get rendered(): S | undefined {
    return this.last;
  }

  /** The state changed: post it now if the webview can take it, else once it acknowledges the last. */
  update(): void {
    if (this.dirty) this.stats.coalesced++;
    this.dirty = true;
    this.flush();
  }

  /** The webview (re)loaded its script and listens. */
  onReady(): void {
    this.ready = true;
    this.inFlight = undefined;
    this.dirty = true;
    this.flush();
  }

  onAck(seq: number): void {
    if (this.inFlight?.seq !== seq) return;
    const { state } = this.inFlight;
    this.inFlight = undefined;
    this.stats.acked++;
    this.last = state;
    this.renderedEmitter.fire(state);
    this.flush();
  }

  /** The webview's document is gone (hidden without retainContextWhenHidden): wait for its next `ready`. */
  onHidden(): void {
    this.ready = false;
    this.inFlight = undefined;
    this.dirty = true;
  }

  private flush(): void {
    if (!this.ready || !this.dirty) return;
    if (this.inFlight && Date.now() - this.inFlight.at < ACK_TIMEOUT_MS) return;
    this.dirty = false;
    const state = this.build();
    const message: StateMessage<S> = { type: 'state', seq: ++this.seq, state };
    this.inFlight = { seq: message.seq, state, at: Date.now() };
    this.stats.posted++;
    void this.webview.postMessage(message);
  }

  dispose(): void {
    this.renderedEmitter.dispose();
  }
}
