/**
 * Image sizes read from headers, before anything decodes them: the same width and height
 * the canvas decodes, for each format the canvas writes, and a refusal for an image that
 * would decode past the pixel limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas, loadImage } from 'canvas';
import { imageHeader, imageSize } from '../../src/render/image-size.js';
import { checkDecodes, checkImageSize } from '../../src/render/loader.js';

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
  assert.equal(imageSize(Buffer.from('\x89PNG\r\n', 'latin1')), undefined, 'truncated');
  assert.equal(imageHeader(Buffer.from('x,y\n1,2\n')), undefined, 'not an image');
});

const LIMIT = { baseDir: '/', maxImagePixels: 16_777_216 };
const svg = (attrs: string, prolog = '') =>
  Buffer.from(`${prolog}<svg xmlns="http://www.w3.org/2000/svg" ${attrs}><rect/></svg>`);

test('image size: an SVG is sized by its root width and height, or its viewBox', () => {
  assert.deepEqual(imageSize(svg('width="37" height="5px"')), { width: 37, height: 5 });
  assert.deepEqual(imageSize(svg('width="1in" height="3pt"')), { width: 96, height: 4 });
  assert.deepEqual(imageSize(svg('viewBox="0 0 50 40"')), { width: 50, height: 40 });
  assert.deepEqual(imageSize(svg('width="100%" height="50%" viewBox="0,0,50,40"')), {
    width: 50,
    height: 40,
  });
  assert.deepEqual(imageSize(svg('')), { width: 0, height: 0 });
  // A comment or DOCTYPE before the root does not hide it; the root's own tag is read.
  assert.deepEqual(
    imageSize(
      svg(
        'width="20" height="30"',
        '<?xml version="1.0"?><!-- <svg width="1" height="1"> --><!DOCTYPE svg [<!ENTITY a "b">]>\n',
      ),
    ),
    { width: 20, height: 30 },
  );
  assert.deepEqual(imageHeader(svg('width="calc(1px)" height="2"')), {
    format: 'SVG',
    size: undefined,
  });
  assert.deepEqual(imageHeader(svg('width="1e999" height="2"')), {
    format: 'SVG',
    size: undefined,
  });
});

test('image size: a 130-byte SVG declaring 30000×30000 is refused, not rasterised', () => {
  const bomb = svg('width="30000" height="30000" viewBox="0 0 10 10"');
  assert.throws(
    () => checkImageSize('big.svg', bomb, LIMIT),
    /image "big\.svg" is 30000×30000 = 900,000,000 pixels when decoded, over the limit of 16,777,216/,
  );
  assert.throws(
    () => checkImageSize('big.svg', svg('viewBox="0 0 16000 16000"'), LIMIT),
    /16000×16000/,
  );
  assert.throws(
    () => checkImageSize('odd.svg', svg('width="auto" height="10"'), LIMIT),
    /image "odd\.svg" cannot be drawn: its size cannot be read from its SVG header/,
  );
});

/** An ICO (or CUR) of one entry whose directory says `dir` (w, h) and whose image is `inner`. */
function ico(dir: [number, number], inner: Buffer, type = 1): Buffer {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(type, 2);
  head.writeUInt16LE(1, 4);
  [head[6], head[7]] = dir;
  head.writeUInt32LE(inner.length, 14);
  head.writeUInt32LE(22, 18);
  return Buffer.concat([head, inner]);
}

const pngHeader = (w: number, h: number) => {
  const png = Buffer.alloc(33);
  Buffer.from('\x89PNG\r\n\x1a\nxxxxIHDR', 'latin1').copy(png);
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  return png;
};

test('image size: ICO and CUR are sized by their largest entry, its PNG or DIB header', async () => {
  const small = await createCanvas(37, 5).encode('png');
  const icon = ico([37, 5], small);
  assert.deepEqual(imageSize(icon), { width: 37, height: 5 });
  const decoded = await loadImage(icon);
  assert.deepEqual({ width: decoded.width, height: decoded.height }, { width: 37, height: 5 });
  assert.throws(
    () => checkImageSize('bomb.ico', ico([16, 16], pngHeader(16_000, 16_000)), LIMIT),
    /image "bomb\.ico" is 16000×16000 = 256,000,000 pixels/,
  );
  const dib = Buffer.alloc(40);
  dib.writeUInt32LE(40, 0);
  dib.writeInt32LE(20_000, 4);
  dib.writeInt32LE(40_000, 8); // colour rows and mask rows
  assert.deepEqual(imageSize(ico([0, 0], dib, 2)), { width: 20_000, height: 20_000 });
  assert.deepEqual(imageHeader(ico([0, 0], Buffer.alloc(4))), { format: 'ICO', size: undefined });
});

test('image size: AVIF is sized by its largest ispe', async () => {
  const bytes = await createCanvas(37, 5).encode('avif');
  assert.deepEqual(imageHeader(bytes), { format: 'AVIF', size: { width: 37, height: 5 } });
});

/** A JPEG's start, `junk` after APP0, then a start of frame declaring `w` × `h`. */
function jpeg(junk: number[], w: number, h: number): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0x00, 0x11, 8, h >> 8, h & 255, w >> 8, w & 255, 3];
  return Buffer.from([0xff, 0xd8, ...app0, ...junk, ...sof, ...Array(9).fill(0)]);
}

test('image size: a JPEG is scanned as libjpeg scans it, junk and standalone markers skipped', () => {
  for (const junk of [
    [],
    [0, 0],
    [0xff, 0x01],
    [0xff, 0xd0, 0xff, 0xd7],
    [0xff, 0xff, 0xff],
    [0xff, 0x00, 7],
  ])
    assert.deepEqual(
      imageSize(jpeg(junk, 16_000, 16_000)),
      { width: 16_000, height: 16_000 },
      `${junk}`,
    );
  assert.throws(
    () => checkImageSize('bomb.jpg', jpeg([0, 0], 16_000, 16_000), LIMIT),
    /16000×16000/,
  );
  assert.throws(
    () => checkImageSize('cut.jpg', jpeg([], 1, 1).subarray(0, 22), LIMIT),
    /image "cut\.jpg" cannot be drawn: its size cannot be read from its JPEG header/,
  );
});

test('image size: what the canvas does not draw is refused, naming the formats it does', () => {
  const tiff = Buffer.from('II*\0\x08\0\0\0', 'latin1');
  for (const bytes of [tiff, Buffer.from('x,y\n1,2\n'), Buffer.from('<html><svg/></html>')])
    assert.throws(
      () => checkImageSize('ok.csv', bytes, LIMIT),
      /^Error: image "ok\.csv" is not an image the canvas draws \(PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG/,
    );
});

test('image size: an image the canvas cannot decode is refused with its reason', async () => {
  const stray = Buffer.from([0xff, 0xd8, 0x00, ...jpeg([], 4, 4).subarray(2)]);
  await assert.rejects(
    checkDecodes('stray.jpg', stray),
    /image "stray\.jpg" cannot be drawn: the canvas could not decode it \(/,
  );
  await checkDecodes('ok.png', await createCanvas(3, 3).encode('png'));
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
