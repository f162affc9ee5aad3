// The gates of a Flagger Canary: which of its webhooks check a Flagger load tester's gate API
// (pkg/loadtester/server.go of Flagger v1.36: /gate/check, /rollback/check), and which Service that
// load tester is, from the webhook's URL as Flagger, inside the cluster, reaches it. Pure, and free of
// the plans so the catalogue (always loaded) can ask whether a Canary has a gate.
import type { EndpointSlice, FlaggerAnalysis, FlaggerCanary, FlaggerHookType, FlaggerPhase, FlaggerWebhook } from '../model/objects';

/** Phases in which Flagger is carrying a revision through its analysis (scheduler.go checkCanaryStatus, advanceCanary). */
export const ANALYSING: readonly FlaggerPhase[] = ['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising'];
/** Phases in which Flagger asks the rollback webhooks (scheduler.go advanceCanary, before the analysis runs). */
export const ROLLBACK_CHECKED: readonly FlaggerPhase[] = ['Progressing', 'Waiting', 'WaitingPromotion'];

/** The analysis of a Canary (`analysis`, or its deprecated name `canaryAnalysis`), as Flagger's GetAnalysis reads it. */
export function canaryAnalysis(c: FlaggerCanary): FlaggerAnalysis | undefined {
  return c.spec?.analysis ?? c.spec?.canaryAnalysis;
}

/** Flagger's Canary.SkipAnalysis: no analysis at all counts as skipped (pkg/apis/flagger/v1beta1/canary.go). */
export function skipsAnalysis(c: FlaggerCanary): boolean {
  return !canaryAnalysis(c) || !!c.spec?.skipAnalysis;
}

/** Approve / halt: a confirm gate's state; open / close rollback: the rollback gate's. */
export type GateAction = 'approve' | 'halt' | 'openRollback' | 'closeRollback';

const CONFIRM_HOOKS: readonly FlaggerHookType[] = ['confirm-rollout', 'confirm-promotion', 'confirm-traffic-increase'];

/** Where a webhook's URL points: a Service by its DNS name, or an address to look up in the EndpointSlices. */
export type HookAddress =
  | { kind: 'service'; namespace: string; name: string; port: string; scheme: 'http' | 'https'; path: string }
  | { kind: 'ip'; ip: string; port: number; scheme: 'http' | 'https'; path: string };

// A DNS label (RFC 1123), as Service and namespace names are.
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
// NAME, NAME.NAMESPACE, NAME.NAMESPACE.svc, NAME.NAMESPACE.svc.<cluster domain>: what resolves to a Service inside the cluster.
const SERVICE_HOST = new RegExp(`^(${LABEL})(?:\\.(${LABEL})(?:\\.svc(?:\\.[a-z0-9.-]+)?)?)?$`);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Reads a webhook URL as Flagger (running in the cluster) reaches it: `http://flagger-loadtester.test/…`
 * is Service flagger-loadtester in namespace test (no namespace: the Canary's); an IP address (a pod's,
 * or the host's in the local cluster) is to be looked up in the EndpointSlices. A string says why not.
 */
export function parseHookUrl(url: string, canaryNamespace: string): HookAddress | string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return `"${url}" is not a URL.`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"${url}" is not an http(s) URL.`;
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const defaultPort = scheme === 'https' ? 443 : 80;
  const path = u.pathname;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (IPV4.test(host) || host.includes(':')) return { kind: 'ip', ip: host, port: u.port ? Number(u.port) : defaultPort, scheme, path };
  const m = SERVICE_HOST.exec(host);
  if (!m) return `"${u.host}" is not the name of a Service in the cluster (NAME, NAME.NAMESPACE or NAME.NAMESPACE.svc…): Switchyard reaches gates only through the API server's service proxy.`;
  return { kind: 'service', name: m[1], namespace: m[3] ?? canaryNamespace, port: u.port || String(defaultPort), scheme, path };
}

/** The Service label every EndpointSlice of a Service carries (discovery.k8s.io/v1). */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The Service whose EndpointSlices hold `ip` with `port`, and the name of that port as the proxy
 * takes it (a Service's port name; empty for a Service's only, unnamed port).
 */
export function serviceForAddress(slices: readonly EndpointSlice[], ip: string, port: number): { namespace: string; name: string; port: string } | undefined {
  for (const s of slices) {
    const service = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service || !s.endpoints?.some((e) => e.addresses?.includes(ip))) continue;
    const p = s.ports?.find((x) => x.port === port && (x.protocol ?? 'TCP') === 'TCP');
    if (p) return { namespace: s.metadata.namespace ?? '', name: service, port: p.name ?? '' };
  }
  return undefined;
}

/** A gate webhook of the Canary and the load tester API it belongs to. */
export interface GateHook {
  webhook: FlaggerWebhook;
  type: FlaggerHookType;
  address: HookAddress;
  /** The URL path before /gate/check or /rollback/check (a load tester behind a path prefix). */
  base: string;
}

/** A gate hook whose load tester Service is known. */
export interface ResolvedGate extends GateHook {
  service: { namespace: string; name: string; port: string };
}

/**
 * The Canary's webhooks that a gate action of `kind` works on, and why the others of that type
 * cannot be (a URL that is no load tester gate, /gate/approve and /gate/halt that always answer the same).
 */
export function gateHooks(c: FlaggerCanary, kind: 'confirm' | 'rollback'): { hooks: GateHook[]; problems: string[] } {
  const hooks: GateHook[] = [];
  const problems: string[] = [];
  const ns = c.metadata.namespace ?? 'default';
  for (const webhook of canaryAnalysis(c)?.webhooks ?? []) {
    const type = webhook.type ?? 'rollout';
    if (kind === 'confirm' ? !CONFIRM_HOOKS.includes(type) : type !== 'rollback') continue;
    const address = parseHookUrl(webhook.url, ns);
    if (typeof address === 'string') {
      problems.push(`webhook "${webhook.name}": ${address}`);
      continue;
    }
    const check = kind === 'confirm' ? '/gate/check' : '/rollback/check';
    // The load tester's /gate/approve and /gate/halt answer the same to everyone (pkg/loadtester/server.go): nothing to open.
    const fixed = /\/gate\/(approve|halt)$/.exec(address.path);
    if (fixed) {
      problems.push(`webhook "${webhook.name}" calls /gate/${fixed[1]}, which always ${fixed[1] === 'approve' ? 'approves' : 'halts'}: point it at /gate/check to decide from Switchyard.`);
      continue;
    }
    if (!address.path.endsWith(check)) {
      problems.push(`webhook "${webhook.name}" (${webhook.url}) is not a Flagger load tester's ${check}.`);
      continue;
    }
    hooks.push({ webhook, type, address, base: address.path.slice(0, -check.length) });
  }
  return { hooks, problems };
}

/** The sentence when a Canary has no gate of `kind`. */
export function noGateMessage(c: FlaggerCanary, kind: 'confirm' | 'rollback', problems: readonly string[]): string {
  const which = kind === 'confirm' ? `a gate (${CONFIRM_HOOKS.join(', ')}) checking a Flagger load tester's /gate/check` : `a rollback hook checking a Flagger load tester's /rollback/check`;
  return `No webhook of Canary "${c.metadata.name}" is ${which}.${problems.length ? ` ${problems.join(' ')}` : ''}`;
}

