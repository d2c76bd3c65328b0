/** The package version, for output metadata and `--version`. */
import { readFileSync } from 'node:fs';

// src/support/version.ts and dist/support/version.js both sit two folders below package.json.
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** What outputs name as their software, e.g. "vega-frames 0.1.0". */
export const SOFTWARE = `vega-frames ${VERSION}`;
