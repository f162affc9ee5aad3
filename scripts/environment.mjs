// The environment every nested npm / node / bash process of our scripts gets: the caller's, without
// what a parent `npm run` / `npm test` / `npm start` put into it. npm exports its whole config and
// its own identity as npm_* variables (npm_config_user_agent names *its* Node, which code-server's
// postinstall reads as the Node it runs on), sets NODE and INIT_CWD, and puts node_modules/.bin
// folders and its node-gyp shim first on PATH. A nested npm reads the user's .npmrc files itself,
// so nothing durable is lost; a setting given only as an npm_config_* variable of the shell is.
import { delimiter } from 'node:path';

/** Variables npm run-script sets besides the npm_* family. */
const NPM_SET = new Set(['NODE', 'INIT_CWD', 'COLOR']);

/** PATH entries npm run-script prepends: every node_modules/.bin up the tree, and its node-gyp shim. */
function isNpmPathEntry(entry) {
  return /[\\/]node_modules[\\/]\.bin[\\/]?$/.test(entry) || /[\\/]@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin[\\/]?$/.test(entry);
}

/**
 * A copy of `env` without anything a parent npm process added, plus `extra` (which may set npm_config_*
 * on purpose). Keys are compared without case, as npm itself treats them.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {Record<string, string>} [extra]
 */
export function cleanEnvironment(env = process.env, extra = {}) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || /^npm_/i.test(key) || NPM_SET.has(key.toUpperCase())) continue;
    clean[key] = key.toUpperCase() === 'PATH' ? value.split(delimiter).filter((entry) => entry && !isNpmPathEntry(entry)).join(delimiter) : value;
  }
  return { ...clean, ...extra };
}
