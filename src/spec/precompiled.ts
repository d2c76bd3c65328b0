/**
 * The build's precompiled validator (scripts/build-validator.ts), if present: a fast yes/no
 * for the common case of a valid spec. Absent (e.g. a source checkout before `npm run
 * build`), validation falls back to compiling the schema with ajv.
 *
 * The generated module is 6.6 MB of JavaScript: parsing and compiling it took ~110 ms of
 * every render's start. The build also stores V8's code cache for it (compiled while
 * validating the bundled specs), which brings loading to ~20 ms. V8 checks the cache
 * against its own version and flags and ignores one that does not fit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type IsValid = (spec: unknown) => boolean;

export const VALIDATOR_FILE = fileURLToPath(
  new URL('../../schemas/vega-frames.validator.cjs', import.meta.url),
);
export const VALIDATOR_CACHE_FILE = VALIDATOR_FILE.replace(/\.cjs$/, '.v8cache');

let loaded: IsValid | null | undefined;

export function precompiledValidator(): IsValid | undefined {
  if (loaded === undefined) loaded = existsSync(VALIDATOR_FILE) ? loadValidator().isValid : null;
  return loaded ?? undefined;
}

/** Loads the validator module through `vm.Script`, with its code cache when there is one. */
export function loadValidator(): { isValid: IsValid; script: Script } {
  const cachedData = existsSync(VALIDATOR_CACHE_FILE)
    ? readFileSync(VALIDATOR_CACHE_FILE)
    : undefined;
  // The same wrapper Node puts around a CommonJS module.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(VALIDATOR_FILE, 'utf8')}\n})`;
  const script = new Script(source, { filename: VALIDATOR_FILE, cachedData });
  const module = { exports: {} as { default?: IsValid } };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(
    module.exports,
    createRequire(VALIDATOR_FILE),
    module,
    VALIDATOR_FILE,
    dirname(VALIDATOR_FILE),
  );
  if (typeof module.exports.default !== 'function') {
    throw new Error(`${VALIDATOR_FILE} does not export a validator: rebuild with npm run build`);
  }
  return { isValid: module.exports.default, script };
}
