/** `-o` into folders that do not exist yet: the CLI creates them, as `mkdir -p` does. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-folders-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

test('a file output into missing folders creates them', () => {
  const out = path.join(tmp, 'a', 'b', 'flips.gif');
  const r = run('render', 'specs/coin-flips.yaml', '-o', out, '--frames', '0:2', '-q');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(path.dirname(out)), ['flips.gif']);
});

test('a folder of frames into missing folders creates them', () => {
  const out = path.join(tmp, 'c', 'sub') + path.sep;
  const r = run('render', 'specs/coin-flips.yaml', '-o', out, '--frames', '0:2', '-q');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['frame-00001.png', 'frame-00002.png']);
});

test('a path through a file is refused, and nothing is created', () => {
  const file = path.join(tmp, 'plain.txt');
  writeFileSync(file, 'x');
  const r = run('render', 'specs/coin-flips.yaml', '-o', path.join(file, 'd', 'x.gif'), '-q');
  assert.equal(r.code, 2);
  assert.match(r.err, /plain\.txt is a file, not a folder/);
  const frames = run('render', 'specs/coin-flips.yaml', '-o', path.join(file, 'f') + path.sep);
  assert.equal(frames.code, 2);
  assert.match(frames.err, /plain\.txt is a file, not a folder/);
});
