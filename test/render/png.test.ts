/** The canvas's PNG encoder: exact pixels for opaque frames, the same bytes every time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { createCanvas } from 'canvas';
import { canvasPng } from '../../src/render/png.js';

test('canvasPng of opaque RGBA decodes to the same pixels, with the same bytes twice', async () => {
  const width = 37;
  const height = 23;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4)
    rgba.set([(i * 7) % 256, (i * 13) % 256, (i >> 4) % 256, 255], i);
  const png = await canvasPng({ width, height, rgba });
  const back = PNG.sync.read(Buffer.from(png));
  assert.equal(back.width, width);
  assert.equal(back.height, height);
  assert.deepEqual(new Uint8Array(back.data), rgba);
  assert.deepEqual(await canvasPng({ width, height, rgba }), png);
});

test('canvasPng of a drawn canvas is its pixels', async () => {
  const canvas = createCanvas(10, 10);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#333';
  ctx.fillRect(0, 0, 10, 10);
  ctx.fillStyle = '#f00';
  ctx.fillRect(2, 2, 3, 3);
  const back = PNG.sync.read(Buffer.from(await canvasPng(canvas)));
  assert.deepEqual([...back.data.subarray(0, 4)], [0x33, 0x33, 0x33, 255]);
  const i = (3 * 10 + 3) * 4;
  assert.deepEqual([...back.data.subarray(i, i + 4)], [255, 0, 0, 255]);
});
