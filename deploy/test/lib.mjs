// What validate.mjs and policy.mjs share: finding the pinned npm packages and
// reading multi-document YAML.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// check_manifests.sh installs package-lock.json's packages with `npm ci` into
// a cache directory outside the source tree and names it here; run by hand
// after `npm ci` in this directory, the local node_modules is used.
const modules = process.env.ANTT_DEPLOY_TEST_MODULES;
export const require = createRequire(
    modules ? join(modules, 'package.json') : import.meta.url);

const yaml = require('js-yaml');

// Every non-empty document of a YAML file (or of stdin for "-").
export function readDocuments(file) {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  return yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
}

export function describe(object) {
  const name = object?.metadata?.name ?? '(no name)';
  return `${object?.kind ?? '(no kind)'}/${name}`;
}
