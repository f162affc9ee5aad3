// Kubeconfig users with the legacy `auth-provider: oidc` (an id-token, a refresh token, the issuer).
// client-node 1.4 sends the id-token from the kubeconfig it loaded, and when that token has expired
// its renewal fails (it hands openid-client a string where a URL is required). In a long-lived
// extension host the first expiry would break OIDC until a reload, even after kubectl renewed the
// token in the kubeconfig. So Switchyard sends the id-token itself as a bearer token, reads the
// kubeconfig again when the token has expired, and otherwise says plainly that it expired. It does
// not renew tokens itself: with issuers that rotate refresh tokens, kubectl's copy would stop
// working unless the kubeconfig were rewritten, which stays kubectl's job.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

export interface OidcUser {
  name: string;
  config: Record<string, string | undefined>;
}

/** The current user when it is an OIDC auth-provider user. */
export function oidcUser(config: KubeConfig): OidcUser | undefined {
  const user = config.getCurrentUser();
  if (user?.authProvider?.name !== 'oidc') return undefined;
  return { name: user.name, config: (user.authProvider.config ??= {}) as Record<string, string | undefined> };
}

/** Seconds since the epoch at which a JWT expires; undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** Usable for a few more seconds (a token that is not a JWT is left for the server to judge). */
export function tokenUsable(token: string | undefined, nowMs = Date.now()): token is string {
  if (!token) return false;
  const exp = jwtExpiry(token);
  return exp === undefined || exp * 1000 > nowMs + 5_000;
}

/** The same context, with the user reduced to a bearer token (TLS settings unchanged). */
export function withBearerToken(config: KubeConfig, token: string): KubeConfig {
  const context = config.getContextObject(config.getCurrentContext());
  if (!context) throw new Error(`Context "${config.getCurrentContext()}" is not in the kubeconfig.`);
  const shadow = new KubeConfig();
  shadow.loadFromOptions({ clusters: config.clusters, users: [{ name: context.user, token }], contexts: [context], currentContext: context.name });
  return shadow;
}

export function expiredMessage(user: OidcUser): string {
  const what = user.config['id-token'] ? 'has expired' : 'is missing';
  return `The OIDC id-token of user "${user.name}" ${what}. Switchyard does not renew OIDC tokens itself: renew it as for kubectl (which writes the new token into the kubeconfig, e.g. run "kubectl get namespaces"), then retry; Switchyard reads the kubeconfig again.`;
}
