import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jwtExpiry, tokenUsable } from '../../src/kube/oidc';

const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

test('the expiry of an id-token is read from its payload; what is not a JWT has none', () => {
  assert.equal(jwtExpiry(jwt({ exp: 1_900_000_000 })), 1_900_000_000);
  assert.equal(jwtExpiry(jwt({ sub: 'x' })), undefined);
  assert.equal(jwtExpiry('opaque-token'), undefined);
  assert.equal(jwtExpiry('a.%%%.c'), undefined);
});

test('a token is usable until five seconds before it expires; a token without expiry is left to the server', () => {
  const now = 1_800_000_000_000;
  assert.equal(tokenUsable(jwt({ exp: now / 1000 + 60 }), now), true);
  assert.equal(tokenUsable(jwt({ exp: now / 1000 + 3 }), now), false);
  assert.equal(tokenUsable(jwt({ exp: now / 1000 - 60 }), now), false);
  assert.equal(tokenUsable('opaque-token', now), true);
  assert.equal(tokenUsable(undefined, now), false);
  assert.equal(tokenUsable('', now), false);
});
