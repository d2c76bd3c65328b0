/**
 * The build's precompiled validator (scripts/build-validator.ts), if present: a fast yes/no
 * for the common case of a valid spec. Absent (e.g. a source checkout before `npm run
 * build`), validation falls back to compiling the schema with ajv.
 *
 * The generated module is 6.6 MB of JavaScript, too much to parse and compile at every
 * render's start: the build also stores V8's code cache for it (compiled while validating
 * the bundled specs), from which it loads in ~20 ms. V8 checks the cache against its own
 * version and flags and ignores one that does not fit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Script } from 'node:vm';
import { cacheFileOf, runCommonJs } from '../support/cached-script.js';

type IsValid = (spec: unknown) => boolean;

export const VALIDATOR_FILE = fileURLToPath(
  new URL('../../schemas/vega-frames.validator.cjs', import.meta.url),
);
export const VALIDATOR_CACHE_FILE = cacheFileOf(VALIDATOR_FILE);

let loaded: IsValid | null | undefined;

export function precompiledValidator(): IsValid | undefined {
  if (loaded === undefined) loaded = existsSync(VALIDATOR_FILE) ? loadValidator().isValid : null;
  return loaded ?? undefined;
}

/** Loads the validator module through `vm.Script`, with its code cache when there is one. */
export function loadValidator(): { isValid: IsValid; script: Script } {
  const { exports, script } = runCommonJs(VALIDATOR_FILE);
  if (typeof exports.default !== 'function') {
    throw new Error(`${VALIDATOR_FILE} does not export a validator: rebuild with npm run build`);
  }
  return { isValid: exports.default as IsValid, script };
}
