/**
 * The supervised child's Node flags (cli/supervisor.ts): the command's V8 flags, which its
 * code caches are made for, whatever the #! line could carry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childNodeArgs } from '../../src/cli/supervisor.js';
import { COMMAND_V8_FLAGS, cacheFileOf } from '../../src/support/cached-script.js';

const GIB = 2 ** 30;

test('supervisor: the child runs with the command flags, so it loads the command code caches', () => {
  const args = childNodeArgs([], 2 * GIB);
  assert.deepEqual(args, COMMAND_V8_FLAGS);
  assert.match(cacheFileOf('dist/vega-frames.cjs', args), /\.command\.v8cache$/);
  assert.match(cacheFileOf('dist/vega-frames.cjs', []), /[^d]\.v8cache$/);
});

test('supervisor: flags already given are kept once, in their order', () => {
  const given = ['--enable-source-maps', ...COMMAND_V8_FLAGS];
  assert.deepEqual(childNodeArgs(given, GIB), given);
});

test("supervisor: the heap limit is raised only past V8's own 4 GiB", () => {
  assert.deepEqual(childNodeArgs([], 4 * GIB), COMMAND_V8_FLAGS);
  assert.deepEqual(childNodeArgs([], 6 * GIB), [...COMMAND_V8_FLAGS, '--max-old-space-size=6400']);
});
