/**
 * The golden-image check itself, on a folder of its own: a missing golden fails and leaves
 * the image to look at, a changed one fails the same way, an equal one passes, and only an
 * update writes goldens.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Rgba, GOLDEN_DIR, decodePng, encodePng, expectGolden } from './golden.js';

/** A w×h image of one colour, with pixel (x, y) set to `dot` when given. */
function image(w: number, h: number, rgb: number[], dot?: [number, number, number[]]): Rgba {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([...rgb, 255], i * 4);
  if (dot) rgba.set([...dot[2], 255], (dot[1] * w + dot[0]) * 4);
  return { width: w, height: h, rgba };
}

const grey = image(20, 10, [128, 128, 128]);

const root = mkdtempSync(path.join(tmpdir(), 'vf-golden-helper-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
/** An empty golden folder per test. */
function folder(): string {
  const dir = path.join(root, `g${folders++}`);
  mkdirSync(dir);
  return dir;
}

/** The image a PNG file holds, as plain bytes to compare. */
const pixelsOf = (file: string) => {
  const img = decodePng(readFileSync(file));
  return { width: img.width, height: img.height, rgba: Array.from(img.rgba) };
};
const plain = (img: Rgba) => ({ width: img.width, height: img.height, rgba: Array.from(img.rgba) });

test('goldens are read from test/golden/ unless a folder is given', () => {
  assert.equal(path.basename(GOLDEN_DIR), 'golden');
  assert.ok(existsSync(path.join(GOLDEN_DIR, 'static-bar.png')));
});

test('a missing golden fails, names the update command and writes <name>-changed.png', () => {
  const dir = folder();
  assert.throws(
    () => expectGolden('chart', grey, 0.002, { dir, update: false }),
    (e: Error) => {
      assert.match(e.message, /^chart: golden .*chart\.png is missing/);
      assert.match(e.message, /npm run test:update-golden/);
      assert.ok(e.message.includes(path.join(dir, 'chart-changed.png')), e.message);
      return true;
    },
  );
  assert.deepEqual(readdirSync(dir), ['chart-changed.png'], 'no golden is written');
  assert.deepEqual(pixelsOf(path.join(dir, 'chart-changed.png')), plain(grey));
});

test('a golden that differs past the tolerance fails and writes the new image beside it', () => {
  const dir = folder();
  const golden = path.join(dir, 'chart.png');
  writeFileSync(golden, encodePng(grey));
  const before = readFileSync(golden);
  const red = image(20, 10, [220, 30, 30]);
  assert.throws(
    () => expectGolden('chart', red, 0.002, { dir, update: false }),
    /chart: 100\.000% of pixels differ from the golden \(allowed 0\.20%\); see .*chart-changed\.png; .*npm run test:update-golden/,
  );
  assert.ok(readFileSync(golden).equals(before), 'the golden is left as it was');
  assert.deepEqual(pixelsOf(path.join(dir, 'chart-changed.png')), plain(red));
  // A different size fails whatever the tolerance, and says so.
  assert.throws(
    () => expectGolden('chart', image(21, 10, [128, 128, 128]), 1, { dir, update: false }),
    /\(size 21×10, golden 20×10\)/,
  );
});

test('an equal golden passes, within the tolerance too, and clears a stale -changed.png', () => {
  const dir = folder();
  writeFileSync(path.join(dir, 'chart.png'), encodePng(grey));
  writeFileSync(path.join(dir, 'chart-changed.png'), 'from an earlier failure');
  assert.equal(expectGolden('chart', grey, 0.002, { dir, update: false }), 0);
  assert.deepEqual(readdirSync(dir), ['chart.png']);
  // One pixel of 200 differs: 0.5%, inside a 1% tolerance and outside a 0.2% one.
  const dotted = image(20, 10, [128, 128, 128], [3, 4, [0, 0, 255]]);
  assert.equal(expectGolden('chart', dotted, 0.01, { dir, update: false }), 1 / 200);
  assert.throws(() => expectGolden('chart', dotted, 0.002, { dir, update: false }));
});

test('an update writes the golden (and its folder), replacing what was there', () => {
  const dir = path.join(folder(), 'nested');
  const red = image(20, 10, [220, 30, 30]);
  assert.equal(expectGolden('chart', red, 0.002, { dir, update: true }), 0);
  assert.deepEqual(pixelsOf(path.join(dir, 'chart.png')), plain(red));
  expectGolden('chart', grey, 0.002, { dir, update: true });
  assert.deepEqual(pixelsOf(path.join(dir, 'chart.png')), plain(grey));
  assert.deepEqual(readdirSync(dir), ['chart.png']);
  assert.equal(expectGolden('chart', grey, 0.002, { dir, update: false }), 0);
});

test('UPDATE_GOLDEN decides when no update is given', () => {
  const dir = folder();
  const saved = process.env.UPDATE_GOLDEN;
  try {
    delete process.env.UPDATE_GOLDEN;
    assert.throws(() => expectGolden('chart', grey, 0.002, { dir }), /is missing/);
    process.env.UPDATE_GOLDEN = '1';
    assert.equal(expectGolden('chart', grey, 0.002, { dir }), 0);
    assert.ok(existsSync(path.join(dir, 'chart.png')));
  } finally {
    if (saved === undefined) delete process.env.UPDATE_GOLDEN;
    else process.env.UPDATE_GOLDEN = saved;
  }
});
