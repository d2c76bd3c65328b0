/**
 * Ordered dithering in the palette mapping: colours the palette holds map as without it;
 * a colour between two entries becomes a fixed pattern of them whose mean is nearer it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type RGB, indexedFrame, paletteFromColors } from '../../src/encode/palette.js';

const colors: RGB[] = [
  [255, 255, 255],
  [0, 0, 0],
  [200, 40, 40],
  [200, 80, 80],
];
const width = 16;
const height = 16;

/** A frame: the left half `left`, the right half `right`. */
function frame(left: RGB, right: RGB) {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const c = i % width < width / 2 ? left : right;
    rgba.set([...c, 255], i * 4);
  }
  return { width, height, rgba };
}

test('colours the palette holds map to their own entries with or without dithering', () => {
  const f = frame([200, 40, 40], [0, 0, 0]);
  const plain = indexedFrame(paletteFromColors(colors, colors[0]), f).indexed!;
  const dithered = indexedFrame(paletteFromColors(colors, colors[0], true), f).indexed!;
  assert.deepEqual(dithered, plain);
  assert.deepEqual(new Set(dithered), new Set([2, 1]));
});

test('a colour between two entries is a pattern of both whose mean is nearer it', () => {
  const between: RGB = [200, 55, 55]; // 15 levels from [200, 40, 40], 25 from [200, 80, 80]
  const f = frame(between, [0, 0, 0]);
  const plain = indexedFrame(paletteFromColors(colors, colors[0]), f).indexed!;
  const dithered = indexedFrame(paletteFromColors(colors, colors[0], true), f).indexed!;
  let mean = 0;
  let count = 0;
  for (let i = 0; i < plain.length; i++) {
    if (i % width >= width / 2) {
      // The right half, black, is held: untouched.
      assert.equal(dithered[i], plain[i]);
      continue;
    }
    assert.equal(plain[i], 2);
    assert.ok(dithered[i] === 2 || dithered[i] === 3, `entry ${dithered[i]}`);
    mean += colors[dithered[i]][1];
    count++;
  }
  mean /= count;
  // 15/40 of the way: 24 of 64 places take the second entry, a mean green of 55.
  assert.ok(Math.abs(mean - 55) <= 1, `mean green ${mean}`);
  // Each 8×8 block holds the same pattern: the place decides, not the frame or the row's start.
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++)
      assert.equal(dithered[y * width + x], dithered[(y + 8) * width + x]);
});

test('colours within a few levels of an entry are not dithered', () => {
  const f = frame([203, 42, 41], [0, 0, 0]);
  const dithered = indexedFrame(paletteFromColors(colors, colors[0], true), f).indexed!;
  assert.deepEqual(new Set(dithered), new Set([2, 1]));
});

test('dithering needs the frame width', () => {
  const p = paletteFromColors(colors, colors[0], true);
  const f = frame([200, 55, 55], [0, 0, 0]);
  assert.throws(() => p.indexFrame(f.rgba, new Uint8Array(width * height)), /width/);
});
