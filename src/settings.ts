// Switchyard's settings as data: every key with its default (package.json's contributes.configuration
// must say the same: a unit test checks), and the keys under which the extension remembers the user's
// picks. Pure; src/features/settings reads them from VS Code.
export const SETTINGS_SECTION = 'switchyard';

/** Which workloads notify: none, the ones open in a Rollout Details panel or pinned, or every watched one. */
export type NotificationsSetting = 'off' | 'mine' | 'all';

export const SETTING_DEFAULTS = {
  kubeconfig: '',
  namespaces: [] as string[],
  /** Contexts the Rollouts view shows beside the primary one (empty: those added with Add Context to View…). */
  contexts: [] as string[],
  protectedContexts: ['*prod*'],
  readOnly: false,
  'diagnostics.enabled': true,
  'hover.enabled': true,
  notifications: 'mine' as NotificationsSetting,
  /** Per context (or `*`): the Prometheus address; see parsePrometheusAddress in src/kube/prometheus.ts. */
  'prometheus.url': {} as Record<string, string>,
  /** Per context (or `*`): credentials and TLS for a Prometheus reached at its URL (see PrometheusAuthSetting). */
  'prometheus.auth': {} as Record<string, PrometheusAuthSetting>,
  /** The golden-signal queries of the details panel: a convention, or templates of your own (src/domain/metrics/queries.ts). */
  'metrics.queries': {} as MetricsQueriesSetting,
};

/** switchyard.metrics.queries: a convention's templates, each of which a template of your own replaces. */
export interface MetricsQueriesSetting {
  convention?: string;
  requests?: string;
  errors?: string;
  latency?: string;
}

/** One context's entry of switchyard.prometheus.auth. */
export interface PrometheusAuthSetting {
  bearerToken?: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /**
   * A Secret read with the context's own credentials: key `token` (a bearer token), or `username`
   * and `password` (basic auth), and `ca.crt` (a CA bundle); the fields above win over it.
   */
  secretRef?: { namespace: string; name: string };
  /** A PEM file of the CA certificates that sign an https Prometheus's certificate. */
  caFile?: string;
  /** Accept any certificate of an https Prometheus (as Argo's `insecure: true`). */
  insecureSkipVerify?: boolean;
}

/** The keys of a switchyard.prometheus.auth Secret (the same as kubernetes.io/basic-auth and service-account-token Secrets use). */
export const PROMETHEUS_SECRET_KEYS = { token: 'token', username: 'username', password: 'password', ca: 'ca.crt' } as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type SettingValues = { [K in SettingKey]: (typeof SETTING_DEFAULTS)[K] };

/** What the extension remembers of the user's picks (Select Context… in global state, Select Namespace… and pins per workspace). */
export const Remembered = {
  /** The picked context (global state): the kubeconfig's current context when unset. */
  context: 'switchyard.context',
  /** The contexts added with Add Context to View… (global state), shown beside the primary one. */
  contexts: 'switchyard.contexts',
  /** The picked namespace of a context (workspace state), or `*` for all namespaces. */
  namespaceOf: (context: string) => `switchyard.namespace.${context}`,
  /** The pinned workloads (workspace state): a list of { context, namespace, name } (domain/model/pins.ts). */
  pins: 'switchyard.pins',
} as const;
