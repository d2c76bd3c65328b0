/**
 * PNG output from the command records its resolution (pHYs): `--ppi`, 72 by default (the
 * chunk itself is checked in png.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-phys-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

/** The pHYs chunk read back: pixels per unit on x and y, and the unit (1: the metre). */
function phys(png: Uint8Array): { x: number; y: number; unit: number } | undefined {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 8 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'pHYs') {
      assert.equal(length, 9);
      return { x: view.getUint32(at + 8), y: view.getUint32(at + 12), unit: png[at + 16] };
    }
    if (type === 'IDAT') assert.fail('pHYs must come before IDAT');
    at += 12 + length;
  }
  return undefined;
}

test('a still records --ppi, and 72 ppi without it', () => {
  const still = path.join(tmp, 'still.png');
  let r = run('render', 'specs/coin-flips.yaml', '--frame', '1', '-o', still, '--ppi', '144');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(phys(readFileSync(still)), { x: 5669, y: 5669, unit: 1 });
  r = run('render', 'specs/coin-flips.yaml', '--frame', '1', '-o', still);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(phys(readFileSync(still)), { x: 2835, y: 2835, unit: 1 });
});

test('PNG frames record --ppi', () => {
  const folder = path.join(tmp, 'frames') + path.sep;
  const r = run('render', 'specs/coin-flips.yaml', '--frames', '0:1', '-o', folder, '--ppi', '96');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(phys(readFileSync(path.join(folder, 'frame-00001.png'))), {
    x: 3780,
    y: 3780,
    unit: 1,
  });
});

test('small multiples record --ppi', () => {
  const out = path.join(tmp, 'facet.png');
  const r = run(
    'render',
    'specs/coin-flips.yaml',
    '--as',
    'facet',
    '--frames',
    '0:4',
    '-o',
    out,
    '--ppi',
    '36',
  );
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(phys(readFileSync(out)), { x: 1417, y: 1417, unit: 1 });
});
