/**
 * Runs a CommonJS file through `vm.Script` with a V8 code cache made at build time. Node 20
 * has no compile cache for ES modules, and compiling Vega, Vega-Lite and the schema's
 * validator from source is most of a render's startup; with the cache V8 skips the parse.
 * A cache that no longer fits (another Node, other V8 flags) is ignored by V8 and costs
 * only the compile it would have saved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface CommonJsRun {
  exports: Record<string, unknown>;
  /** For `createCachedData()` at build time, after the code has run. */
  script: Script;
}

/**
 * The V8 flags the `vega-frames` command renders with (its supervised child, which
 * cli/supervisor.ts starts with them). V8 takes a
 * code cache only from a process with the same flags, so the build makes a cache for these
 * (`.command.v8cache`) and one for none (`node dist/cli/bin.js`, the API).
 */
export const COMMAND_V8_FLAGS = ['--max-semi-space-size=2'];

/** The code cache for `file` in a process started with `execArgv`. */
export function cacheFileOf(file: string, execArgv = process.execArgv): string {
  const asCommand = COMMAND_V8_FLAGS.every((flag) => execArgv.includes(flag));
  return file.replace(/\.c?js$/, asCommand ? '.command.v8cache' : '.v8cache');
}

export function runCommonJs(file: string): CommonJsRun {
  const cacheFile = cacheFileOf(file);
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  // The wrapper Node puts around a CommonJS module (a leading #! line is not JavaScript).
  const body = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const source = `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}
