// Settings have one home (src/settings.ts): package.json declares exactly those keys, with the same defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_DEFAULTS, SETTINGS_SECTION } from '../../src/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

test('package.json declares every setting with the default the extension falls back to, and no other', () => {
  const declared: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTING_DEFAULTS).map((key) => `${SETTINGS_SECTION}.${key}`).sort());
  for (const [key, value] of Object.entries(SETTING_DEFAULTS)) assert.deepEqual(declared[`${SETTINGS_SECTION}.${key}`].default, value, key);
});
