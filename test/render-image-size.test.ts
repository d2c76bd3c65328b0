/**
 * Image sizes read from headers, before anything decodes them: the same width and height
 * the canvas decodes, for each format the canvas writes, and a refusal for an image that
 * would decode past the pixel limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas, loadImage } from 'canvas';
import { imageSize } from '../src/render/image-size.js';
import { checkImageSize } from '../src/render/loader.js';

test('image size: PNG, JPEG and WebP headers give the size the canvas decodes', async () => {
  for (const [w, h] of [
    [1, 1],
    [37, 5],
    [300, 201],
  ]) {
    const canvas = createCanvas(w, h);
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const bytes = format === 'png' ? await canvas.encode('png') : await canvas.encode(format);
      const decoded = await loadImage(bytes);
      assert.deepEqual(imageSize(bytes), { width: decoded.width, height: decoded.height }, format);
      assert.deepEqual(imageSize(bytes), { width: w, height: h }, format);
    }
  }
});

test('image size: GIF and BMP headers, and formats it does not read', () => {
  const gif = Buffer.from('GIF89a\x2c\x01\xc8\x00', 'latin1');
  assert.deepEqual(imageSize(gif), { width: 300, height: 200 });
  const bmp = Buffer.alloc(26);
  bmp.write('BM', 0, 'latin1');
  bmp.writeInt32LE(640, 18);
  bmp.writeInt32LE(-480, 22); // top-down rows
  assert.deepEqual(imageSize(bmp), { width: 640, height: 480 });
  assert.equal(imageSize(Buffer.from('<svg width="10" height="10"/>')), undefined);
  assert.equal(imageSize(Buffer.from('\x89PNG\r\n', 'latin1')), undefined, 'truncated');
});

test('image size: an image declaring more pixels than a frame may have is refused', () => {
  const png = Buffer.alloc(24);
  Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').copy(png);
  png.writeUInt32BE(20_000, 16);
  png.writeUInt32BE(20_000, 20);
  assert.throws(
    () => checkImageSize('bomb.png', png, { baseDir: '/', maxImagePixels: 16_777_216 }),
    /image "bomb\.png" is 20000×20000 = 400,000,000 pixels when decoded, over the limit of 16,777,216; raise it with --max-pixels/,
  );
  assert.equal(checkImageSize('ok.png', png, { baseDir: '/', maxImagePixels: 4e8 }), png);
});
