/**
 * The build's precompiled validator (scripts/build-validator.ts), if present: a fast yes/no
 * for the common case of a valid spec. Absent (e.g. a source checkout before `npm run
 * build`), validation falls back to compiling the schema with ajv.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type IsValid = (spec: unknown) => boolean;

const file = fileURLToPath(new URL('../../schemas/vega-frames.validator.cjs', import.meta.url));
let loaded: IsValid | null | undefined;

export function precompiledValidator(): IsValid | undefined {
  if (loaded === undefined) {
    loaded = existsSync(file)
      ? (createRequire(import.meta.url)(file) as { default: IsValid }).default
      : null;
  }
  return loaded ?? undefined;
}
