// OIDC as kubeconfigs use it (auth-provider "oidc": an id-token, a refresh token, the issuer),
// against a real API server that trusts a real OIDC issuer: the second API server of
// cluster/bare.sh with a JWT authenticator, and an issuer served here over HTTPS (discovery and
// keys) with a certificate of the local cluster's CA. See src/kube/oidc.ts for why Switchyard
// sends the id-token itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '../../src/kube/client';
import { ClusterError } from '../../src/kube/errors';
import { withBearerToken } from '../../src/kube/oidc';
import { bareServer, clusterDir } from './support';

const pki = join(clusterDir, 'pki');
const CLIENT_ID = 'switchyard';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const work = mkdtempSync(join(tmpdir(), 'sy-oidc-'));
let issuer = '';
let server: Server;
let bare = '';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function idToken(subject: string, expiresInSeconds: number, key: KeyObject = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iss: issuer, sub: subject, aud: CLIENT_ID, iat: now - 5, exp: now + expiresInSeconds }));
  return `${header}.${payload}.${b64url(sign('sha256', Buffer.from(`${header}.${payload}`), key))}`;
}

before(async () => {
  server = createServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')) }, (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        jwks_uri: `${issuer}/keys`,
        authorization_endpoint: `${issuer}/authorize`,
        response_types_supported: ['code', 'id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.url === '/keys') return json(200, { keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authConfig = join(work, 'authentication.yaml');
  const ca = readFileSync(join(pki, 'ca.crt'), 'utf8');
  writeFileSync(
    authConfig,
    `apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ${issuer}
    audiences: [${CLIENT_ID}]
    certificateAuthority: |
${ca.replace(/^/gm, '      ')}
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`,
  );
  bare = bareServer('start', { SWITCHYARD_BARE_AUTH_CONFIG: authConfig });
  // The JWT authenticator fetches the issuer's keys in the background after start: wait until a
  // valid token is accepted (sent by hand, so no client code is involved yet).
  const probe = withBearerToken(loadKubeConfig(bare), idToken('probe', 600));
  const client = new KubeClient(probe);
  for (let i = 0; i < 80; i++) {
    if ((await whoAmI(client).catch(() => '')) === 'oidc:probe') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail('the API server never accepted a token of the test issuer');
});

after(async () => {
  bareServer('stop');
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes (or rewrites) a kubeconfig whose user is an OIDC auth-provider with this id-token. */
function writeKubeconfig(name: string, token: string): string {
  const cluster = loadKubeConfig(bare).getCurrentCluster()!;
  const file = join(work, `kubeconfig-${name}`);
  const config = { 'idp-issuer-url': issuer, 'client-id': CLIENT_ID, 'id-token': token, 'refresh-token': 'r1' };
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: bare, cluster: {server: "${cluster.server}", certificate-authority-data: "${readFileSync(join(pki, 'ca.crt')).toString('base64')}"}}]
contexts: [{name: bare-oidc, context: {cluster: bare, user: alice}}]
current-context: bare-oidc
users:
- name: alice
  user:
    auth-provider:
      name: oidc
      config: ${JSON.stringify(config)}
`,
  );
  return file;
}

const oidcClient = (file: string) => new KubeClient(loadKubeConfig(file));

async function whoAmI(client: KubeClient): Promise<string> {
  const review = await client.request<{ status: { userInfo: { username: string } } }>('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return review.status.userInfo.username;
}

test('OIDC: a valid id-token is sent, and the API server knows the user', async () => {
  assert.equal(await whoAmI(oidcClient(writeKubeconfig('valid', idToken('alice', 600)))), 'oidc:alice');
});

test('OIDC: an expired id-token is said as such; renewed in the kubeconfig (as kubectl does), the same client goes on', async () => {
  const file = writeKubeconfig('expiring', idToken('alice', -60));
  const client = oidcClient(file);
  await assert.rejects(whoAmI(client), (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /id-token of user "alice" has expired.*kubectl/);
    return true;
  });
  // A watch says the same, rather than watching as an anonymous user.
  const watchError = await new Promise<ClusterError | undefined>((resolve) => void client.watch('/api/v1/namespaces', {}, { onEvent: () => {}, onDone: resolve }));
  assert.equal(watchError?.kind, 'unauthorized');

  writeKubeconfig('expiring', idToken('alice', 600)); // what kubectl writes after renewing
  assert.equal(await whoAmI(client), 'oidc:alice');
});

test('OIDC: a token the API server does not accept (another signer) is a credentials error', async () => {
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  await assert.rejects(whoAmI(oidcClient(writeKubeconfig('forged', idToken('mallory', 600, stranger)))), (e: unknown) => {
    assert.ok(e instanceof ClusterError, String(e));
    assert.equal(e.kind, 'unauthorized');
    return true;
  });
});
