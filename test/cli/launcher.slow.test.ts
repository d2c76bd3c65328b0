/**
 * The `vega-frames` command starts by its #! line where `env` has no -S (BusyBox, Alpine
 * images): the kernel runs the line's interpreter with at most one argument, and BusyBox's
 * env takes that argument as its options, refusing -S.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGif } from '../helpers/gif-decode.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-launcher-'));

/** An env as BusyBox's behaves for a #! line: any option it is given is refused. */
const BUSYBOX_ENV = `#!/bin/sh
case "$1" in -*) echo "env: unrecognized option: \${1#-}" >&2; exit 1;; esac
exec "$@"
`;

/** The #! line as Linux reads it: the interpreter, and the rest as one argument. */
function shebangOf(file: string): { interpreter: string; argument?: string } {
  const line = readFileSync(file, 'utf8').split('\n')[0];
  assert.ok(line.startsWith('#!'), line);
  const [interpreter, ...rest] = line
    .slice(2)
    .trim()
    .split(/[ \t]+/);
  return { interpreter, argument: rest.length > 0 ? rest.join(' ') : undefined };
}

function runAsBusyBox(...args: string[]) {
  const env = path.join(tmp, 'env');
  writeFileSync(env, BUSYBOX_ENV);
  chmodSync(env, 0o755);
  const { interpreter, argument } = shebangOf(CLI);
  // The fake stands in for the interpreter the kernel would run.
  assert.equal(interpreter, '/usr/bin/env');
  const r = spawnSync(env, [...(argument === undefined ? [] : [argument]), CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('launcher: the fake BusyBox env refuses -S, as the real one does', () => {
  const env = path.join(tmp, 'env');
  writeFileSync(env, BUSYBOX_ENV);
  chmodSync(env, 0o755);
  const r = spawnSync(env, ['-S node --max-semi-space-size=2', CLI, '--version'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unrecognized option: S/);
});

test('launcher: validate and render start through an env without -S', () => {
  const v = runAsBusyBox('validate', 'specs/umap-epochs.yaml');
  assert.equal(v.code, 0, v.err);
  assert.equal(v.out, 'specs/umap-epochs.yaml: valid\n');
  const out = path.join(tmp, 'busybox.gif');
  const r = runAsBusyBox('render', 'specs/umap-epochs.yaml', '--frames', '0:6', '-q', '-o', out);
  assert.equal(r.code, 0, r.err);
  assert.equal(decodeGif(out).frameCount, 6);
});
