// The one message protocol between the extension host and the two panels' webviews; both sides
// import it (webview/*.ts and src/features/panels/*.ts). No `vscode` import: it is bundled into
// the webviews and tested in plain Node.
//
// The handshake: the webview posts `ready` once its script listens; only then does the host post
// `state`. The host posts the whole state, numbered; the webview renders it and answers `ack` with
// that number. Until the ack, the host keeps at most one newer state (the latest) and posts it on
// the ack: bursts coalesce into one update per frame the webview can render.
import { STRATEGIES, type StrategyId } from '../manifests/options';
import type { DesignerAction, DesignerForm, DesignerPanelState, FieldValue, PanelAction, ReplicaSample, RolloutPanelState, RolloutTarget } from './state';

/** Webview panel types, as registered for the serializers (and `onWebviewPanel:` activation). */
export const ViewType = {
  Rollout: 'switchyard.rolloutDetails',
  Designer: 'switchyard.strategyDesigner',
} as const;

/** Host → webview. */
export interface StateMessage<S> {
  type: 'state';
  seq: number;
  state: S;
}

export type RolloutToWebview = StateMessage<RolloutPanelState>;
export type DesignerToWebview = StateMessage<DesignerPanelState>;

/** Webview → host, both panels. */
export type CommonMessage =
  /** The script runs and listens: the host may post state. */
  | { type: 'ready' }
  /** The state numbered `seq` is on screen. */
  | { type: 'ack'; seq: number }
  /** Rendering failed; the host logs it. */
  | { type: 'error'; message: string };

export type RolloutFromWebview =
  | CommonMessage
  | { type: 'action'; action: PanelAction; revision?: number }
  /** A click on a pod: the Logs section shows its log. */
  | { type: 'selectPod'; pod: string }
  /** The Logs section's Follow button. */
  | { type: 'followLogs'; pod: string; container?: string };
export type DesignerFromWebview = CommonMessage | { type: 'change'; form: DesignerForm } | { type: 'run'; action: DesignerAction };

/** What each webview keeps with `setState`, and the serializer hands back after a reload. */
export interface RolloutPersisted {
  target: RolloutTarget;
  samples: ReplicaSample[];
}
export interface DesignerPersisted {
  form: DesignerForm;
}

export const PANEL_ACTIONS: readonly PanelAction[] = ['switch', 'switchBack', 'promote', 'promoteFull', 'abort', 'retry', 'rollback', 'evaluate', 'approve', 'halt', 'openRollback', 'closeRollback', 'suspend', 'resume', 'skipAnalysis', 'restoreAnalysis'];
export const DESIGNER_ACTIONS: readonly DesignerAction[] = ['insert', 'save'];

// ---- checks for what arrives: messages and restored state are data from another process -------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isInteger(v);

function common(m: Obj): CommonMessage | undefined {
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'ack' && isInt(m.seq)) return { type: 'ack', seq: m.seq };
  if (m.type === 'error' && isStr(m.message)) return { type: 'error', message: m.message };
  return undefined;
}

export function parseRolloutMessage(m: unknown): RolloutFromWebview | undefined {
  if (!isObj(m)) return undefined;
  if (m.type === 'action' && PANEL_ACTIONS.includes(m.action as PanelAction) && (m.revision === undefined || isInt(m.revision))) {
    return m.revision === undefined ? { type: 'action', action: m.action as PanelAction } : { type: 'action', action: m.action as PanelAction, revision: m.revision as number };
  }
  if (m.type === 'selectPod' && isStr(m.pod) && m.pod) return { type: 'selectPod', pod: m.pod };
  if (m.type === 'followLogs' && isStr(m.pod) && m.pod && (m.container === undefined || isStr(m.container))) return { type: 'followLogs', pod: m.pod, ...(isStr(m.container) ? { container: m.container } : {}) };
  return common(m);
}

export function parseDesignerMessage(m: unknown): DesignerFromWebview | undefined {
  if (!isObj(m)) return undefined;
  if (m.type === 'change') {
    const form = parseForm(m.form);
    return form && { type: 'change', form };
  }
  if (m.type === 'run' && DESIGNER_ACTIONS.includes(m.action as DesignerAction)) return { type: 'run', action: m.action as DesignerAction };
  return common(m);
}

export function parseForm(v: unknown): DesignerForm | undefined {
  if (!isObj(v) || !STRATEGIES.includes(v.strategy as StrategyId) || !isObj(v.values)) return undefined;
  const values: Record<string, FieldValue> = {};
  for (const [k, x] of Object.entries(v.values)) if (typeof x === 'string' || typeof x === 'boolean') values[k] = x;
  return { strategy: v.strategy as StrategyId, values };
}

export function parseTarget(v: unknown): RolloutTarget | undefined {
  if (!isObj(v) || !isStr(v.namespace) || !isStr(v.name) || !v.namespace || !v.name) return undefined;
  return { ...(isStr(v.context) && v.context ? { context: v.context } : {}), namespace: v.namespace, name: v.name, ...(isStr(v.id) ? { id: v.id } : {}) };
}

const SAMPLE_KEYS = ['t', 'desired', 'updated', 'available', 'old'] as const;

export function parseRolloutPersisted(v: unknown): RolloutPersisted | undefined {
  if (!isObj(v)) return undefined;
  const target = parseTarget(v.target);
  if (!target) return undefined;
  const samples = Array.isArray(v.samples) ? v.samples.filter((s): s is ReplicaSample => isObj(s) && SAMPLE_KEYS.every((k) => typeof s[k] === 'number')) : [];
  return { target, samples };
}

export function parseDesignerPersisted(v: unknown): DesignerPersisted | undefined {
  const form = isObj(v) ? parseForm(v.form) : undefined;
  return form && { form };
}
