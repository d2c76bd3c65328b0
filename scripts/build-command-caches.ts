/**
 * The code caches for the `vega-frames` command, whose supervised child runs with
 * COMMAND_V8_FLAGS: V8 rejects a cache made under other flags. Runs the two cache builders again in a
 * process with those flags.
 *
 *   tsx scripts/build-command-caches.ts   → *.command.v8cache beside the validator and bundle
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMMAND_V8_FLAGS } from '../src/support/cached-script.js';

for (const script of ['build-validator.ts', 'build-bundle.ts']) {
  const file = fileURLToPath(new URL(script, import.meta.url));
  execFileSync(process.execPath, [...COMMAND_V8_FLAGS, '--import', 'tsx', file, '--cache-only'], {
    stdio: 'inherit',
  });
}
