// Golden-signal queries per revision: which revisions of a workload are compared (canary against
// stable, preview against active, the idle colour against the live one), the pod selector of each,
// and the PromQL templates of the common metric conventions with their placeholders filled in.
// Pure: the host runs the queries (src/kube/goldenSignals.ts).
import type { RevisionRole, RevisionView, WorkloadView } from '../model/workloads';
import type { MetricsQueriesSetting } from '../../settings';

/** The three templates of a convention. `latency` takes `{{quantile}}` and answers in seconds. */
export interface SignalTemplates {
  requests: string;
  errors: string;
  latency: string;
}

export type ConventionId = 'http' | 'istio' | 'nginx-ingress';

/**
 * Placeholders: `{{namespace}}`, `{{pods}}` (a regex of the revision's pods), `{{workload}}` (the
 * Deployment or Rollout behind the revision), `{{service}}` (the Service in front of it),
 * `{{window}}` (the rate window) and, in `latency`, `{{quantile}}`.
 */
export const CONVENTIONS: Record<ConventionId, { title: string; templates: SignalTemplates }> = {
  // The Prometheus client libraries' conventions, scraped per pod (what the local traffic source serves).
  http: {
    title: 'http_requests_total / http_request_duration_seconds by pod',
    templates: {
      requests: 'sum(rate(http_requests_total{namespace="{{namespace}}",pod=~"{{pods}}"}[{{window}}]))',
      errors: 'sum(rate(http_requests_total{namespace="{{namespace}}",pod=~"{{pods}}",code=~"5.."}[{{window}}]))',
      latency: 'histogram_quantile({{quantile}}, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",pod=~"{{pods}}"}[{{window}}])))',
    },
  },
  // Istio's standard metrics as the receiving sidecar reports them; Istio's Prometheus config puts the pod name in `pod`.
  // Both revisions of a Rollout are one destination_workload, so the pods tell them apart. Durations are in ms.
  istio: {
    title: 'istio_requests_total / istio_request_duration_milliseconds by workload and pod',
    templates: {
      requests: 'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{namespace}}",pod=~"{{pods}}"}[{{window}}]))',
      errors: 'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{namespace}}",pod=~"{{pods}}",response_code=~"5.."}[{{window}}]))',
      latency: 'histogram_quantile({{quantile}}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="{{namespace}}",pod=~"{{pods}}"}[{{window}}]))) / 1000',
    },
  },
  // ingress-nginx's controller metrics: per backend Service (canary and stable have one each).
  'nginx-ingress': {
    title: 'nginx_ingress_controller_requests by Service',
    templates: {
      requests: 'sum(rate(nginx_ingress_controller_requests{exported_namespace="{{namespace}}",service="{{service}}"}[{{window}}]))',
      errors: 'sum(rate(nginx_ingress_controller_requests{exported_namespace="{{namespace}}",service="{{service}}",status=~"5.."}[{{window}}]))',
      latency: 'histogram_quantile({{quantile}}, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{exported_namespace="{{namespace}}",service="{{service}}"}[{{window}}])))',
    },
  },
};

export const DEFAULT_CONVENTION: ConventionId = 'http';

/** The templates in use: the setting's convention (http when unset or unknown) with its own templates over it. */
export function templatesFrom(setting: MetricsQueriesSetting | undefined): { convention: ConventionId | 'custom'; title: string; templates: SignalTemplates; problem?: string } {
  const s = setting ?? {};
  const known = s.convention === undefined || s.convention in CONVENTIONS;
  const id = (known && s.convention ? s.convention : DEFAULT_CONVENTION) as ConventionId;
  const base = CONVENTIONS[id];
  const own = (['requests', 'errors', 'latency'] as const).filter((k) => typeof s[k] === 'string' && s[k]!.trim());
  const templates = { ...base.templates, ...Object.fromEntries(own.map((k) => [k, s[k]!.trim()])) } as SignalTemplates;
  const problem = known ? undefined : `switchyard.metrics.queries: unknown convention "${s.convention}" (one of ${Object.keys(CONVENTIONS).join(', ')}); using ${DEFAULT_CONVENTION}.`;
  return { convention: own.length ? 'custom' : id, title: own.length ? `${base.title}, with your ${own.join(', ')} template${own.length > 1 ? 's' : ''}` : base.title, templates, ...(problem ? { problem } : {}) };
}

/** One side of the comparison: the pods of one or more revisions with one role. */
export interface RevisionGroup {
  /** What the user calls it: "canary", "stable", "green", "preview". */
  label: string;
  role: RevisionRole;
  revisions: number[];
  replicaSets: string[];
  pods: string[];
  workload: string;
  service?: string;
  /** When its first ReplicaSet was created: where a release with no clock (done) started. */
  createdAt?: string;
}

export interface SignalTargets {
  /** The revision being released, when a release runs. */
  candidate?: RevisionGroup;
  baseline?: RevisionGroup;
}

function group(label: string, role: RevisionRole, revisions: RevisionView[], workload: string, service?: string): RevisionGroup | undefined {
  const withPods = revisions.filter((r) => r.pods.length || r.desired > 0);
  if (!withPods.length) return undefined;
  return {
    label,
    role,
    revisions: withPods.map((r) => r.revision),
    replicaSets: withPods.map((r) => r.replicaSet),
    pods: withPods.flatMap((r) => r.pods.map((p) => p.name)),
    workload,
    ...(service ? { service } : {}),
    ...withEarliest(withPods.map((r) => r.createdAt)),
  };
}

function withEarliest(times: (string | undefined)[]): { createdAt?: string } {
  const known = times.filter((t): t is string => !!t).sort();
  return known.length ? { createdAt: known[0] } : {};
}

const withRole = (w: WorkloadView, role: RevisionRole) => w.revisions.filter((r) => r.roles.includes(role));

/** The Deployment of a grouped workload (pair, replica canary) that runs a revision: the one whose name prefixes the ReplicaSet's. */
function memberOf(w: WorkloadView, r: RevisionView | undefined): string {
  return (r && w.members.filter((m) => r.replicaSet.startsWith(`${m}-`)).sort((a, b) => b.length - a.length)[0]) ?? w.name;
}

/** Which revisions a workload's golden signals compare, per kind. */
export function signalTargets(w: WorkloadView): SignalTargets {
  const svc = w.services ?? {};
  switch (w.kind) {
    case 'Rollout': {
      const [newRole, oldRole] = w.strategy === 'argo-bluegreen' ? (['preview', 'active'] as const) : (['canary', 'stable'] as const);
      return { candidate: group(newRole, newRole, withRole(w, newRole), w.name, svc[newRole]), baseline: group(oldRole, oldRole, withRole(w, oldRole), w.name, svc[oldRole]) };
    }
    case 'ReplicaCanary': {
      const canary = withRole(w, 'canary');
      const stable = withRole(w, 'stable');
      return { candidate: group('canary', 'canary', canary, memberOf(w, canary[0]), w.name), baseline: group('stable', 'stable', stable, memberOf(w, stable[0]), w.name) };
    }
    case 'BlueGreen': {
      const bg = w.blueGreen;
      const idle = withRole(w, 'preview');
      const live = withRole(w, 'active');
      return {
        candidate: group(bg?.idle ?? 'idle', 'preview', idle, memberOf(w, idle[0]), bg?.previewService),
        baseline: group(bg?.live ?? 'live', 'active', live, memberOf(w, live[0]), bg?.service),
      };
    }
    case 'Canary': {
      // Flagger's canary runs on the target Deployment, behind `<apex>-canary`; the primary serves behind `<apex>-primary`.
      const canary = withRole(w, 'canary');
      const primary = withRole(w, 'primary');
      return { candidate: group('canary', 'canary', canary, memberOf(w, canary[0]), svc.canary), baseline: group('primary', 'primary', primary, memberOf(w, primary[0]), svc.primary) };
    }
    default: {
      // A rolling update: the new revision against the old ones while both run.
      const old = withRole(w, 'old').filter((r) => r.pods.length);
      const current = withRole(w, 'current');
      return old.length ? { candidate: group('new', 'current', current, w.name), baseline: group('old', 'old', old, w.name) } : { baseline: group('current', 'current', current, w.name) };
    }
  }
}

// ---- selectors ---------------------------------------------------------------------------------

/** RE2 metacharacters, escaped for a regex. */
const escapeRegex = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
/** A value inside a PromQL double-quoted string: backslashes and quotes escaped once more. */
const promqlString = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** Past this many pods a revision is selected by its ReplicaSet's pod-name prefix, not by name. */
export const MAX_POD_NAMES = 20;

/**
 * The regex of a group's pods as a PromQL string value: the pod names, or for many pods (or none
 * yet) each ReplicaSet's pod-name prefix (`rs-.*`: pods are named after their ReplicaSet), which
 * also keeps the history of pods that were replaced.
 */
export function podSelector(g: RevisionGroup, maxNames = MAX_POD_NAMES): string {
  const regex = g.pods.length && g.pods.length <= maxNames ? [...g.pods].sort().map(escapeRegex).join('|') : g.replicaSets.map((rs) => `${escapeRegex(rs)}-.*`).join('|');
  return promqlString(regex);
}

/** Prometheus's duration syntax for a number of seconds: "5m", "90s". */
export function durationText(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

export type SignalKind = 'requests' | 'errors' | 'p50' | 'p95' | 'p99';
export const QUANTILES: Record<'p50' | 'p95' | 'p99', number> = { p50: 0.5, p95: 0.95, p99: 0.99 };
export const SIGNAL_KINDS: SignalKind[] = ['requests', 'errors', 'p50', 'p95', 'p99'];

/** A template with the group's values; placeholders it does not know are left for Prometheus to reject, in its words. */
export function fillTemplate(template: string, g: RevisionGroup, namespace: string, windowSeconds: number, quantile?: number): string {
  const values: Record<string, string> = {
    namespace: promqlString(namespace),
    pods: podSelector(g),
    workload: promqlString(g.workload),
    service: promqlString(g.service ?? ''),
    window: durationText(windowSeconds),
    ...(quantile !== undefined ? { quantile: String(quantile) } : {}),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export function queryFor(kind: SignalKind, templates: SignalTemplates, g: RevisionGroup, namespace: string, windowSeconds: number): string {
  if (kind === 'requests' || kind === 'errors') return fillTemplate(templates[kind], g, namespace, windowSeconds);
  return fillTemplate(templates.latency, g, namespace, windowSeconds, QUANTILES[kind]);
}
