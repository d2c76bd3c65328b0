/**
 * The PNG and APNG encoder (encode/png.ts) read back by decoders that are not ours (pngjs,
 * upng-js) and chunk by chunk: exact pixels, the row filter libpng's heuristic picks, the
 * resolution and text chunks, APNG frames carrying only the rectangle that changed, and
 * PNG frames numbered as in the whole animation.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import UPNG from 'upng-js';
import {
  createApngSink,
  createPngSequenceSink,
  encodePng,
  physChunk,
  pngChunk,
} from '../../src/encode/png.js';
import type { RasterFrame } from '../../src/encode/sink.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-png-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Chunk {
  type: string;
  data: Buffer;
}

/** The chunks of a PNG, each CRC checked against zlib's. */
function chunks(png: Uint8Array): Chunk[] {
  const bytes = Buffer.from(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: Chunk[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(
      bytes.readUInt32BE(at + 8 + length),
      crc32(bytes.subarray(at + 4, at + 8 + length)),
      type,
    );
    out.push({ type, data });
    at += 12 + length;
  }
  return out;
}

/** A w×h frame whose pixel (x, y) is `at(x, y)`. */
function frame(w: number, h: number, at: (x: number, y: number) => number[]): RasterFrame {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set(at(x, y), (y * w + x) * 4);
  return { width: w, height: h, rgba };
}

/** Deterministic noise: every byte value, no pattern a filter could exploit. */
const noise = (seed: number) => (x: number, y: number) => {
  const h = (n: number) => (Math.imul(n ^ (n >>> 15), 0x2c1b3c6d) >>> 24) & 0xff;
  const k = seed * 7919 + y * 131 + x;
  return [h(k), h(k + 1e5), h(k + 2e5), h(k + 3e5)];
};

test('encodePng: pngjs decodes exactly the pixels given, alpha included', () => {
  const images = [
    frame(1, 1, () => [10, 20, 30, 40]),
    frame(37, 23, noise(1)),
    frame(64, 9, (x, y) => [x * 4, y * 28, (x * y) & 0xff, 255 - x]),
  ];
  for (const img of images) {
    const decoded = PNG.sync.read(Buffer.from(encodePng(img)));
    assert.deepEqual([decoded.width, decoded.height], [img.width, img.height]);
    assert.ok(Buffer.from(img.rgba).equals(decoded.data), `${img.width}×${img.height}`);
  }
});

test('encodePng: chunks in order, 8-bit RGBA, and each row filtered as libpng would', () => {
  // Every row the same horizontal ramp: the first row is best as Sub (a constant step),
  // each later one as Up (all zeros).
  const ramp = frame(50, 6, (x) => [x * 5, x * 5, x * 5, 255]);
  const parts = chunks(encodePng(ramp));
  assert.deepEqual(
    parts.map((c) => c.type),
    ['IHDR', 'pHYs', 'IDAT', 'IEND'],
  );
  const ihdr = parts[0].data;
  assert.deepEqual([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)], [50, 6]);
  assert.deepEqual([...ihdr.subarray(8)], [8, 6, 0, 0, 0], 'depth 8, RGBA, no interlace');
  const raw = inflateSync(parts[2].data);
  assert.equal(raw.length, 6 * (1 + 50 * 4));
  const filters = Array.from({ length: 6 }, (_, row) => raw[row * (1 + 50 * 4)]);
  assert.deepEqual(filters, [1, 2, 2, 2, 2, 2]);
  // The Sub row holds the step, 5 per channel, after the first pixel.
  assert.deepEqual([...raw.subarray(1 + 8, 1 + 12)], [5, 5, 5, 0]);
});

test('encodePng: the resolution in pHYs, 72 ppi by default, in pixels per metre', () => {
  const img = frame(2, 2, () => [255, 255, 255, 255]);
  const phys = (png: Uint8Array) => {
    const data = chunks(png).find((c) => c.type === 'pHYs')!.data;
    return [data.readUInt32BE(0), data.readUInt32BE(4), data[8]];
  };
  assert.deepEqual(phys(encodePng(img)), [2835, 2835, 1]);
  assert.deepEqual(phys(encodePng(img, { ppi: 300 })), [11811, 11811, 1]);
  assert.deepEqual([...physChunk(96).subarray(8, 17)], [0, 0, 0x0e, 0xc4, 0, 0, 0x0e, 0xc4, 1]);
});

test('encodePng: Latin-1 text in tEXt, any other text in iTXt as UTF-8', () => {
  const img = frame(2, 1, () => [0, 0, 0, 255]);
  const png = encodePng(img, { text: { Title: 'café au lait', Software: 'épreuve — 試験' } });
  const text = chunks(png).filter((c) => c.type === 'tEXt' || c.type === 'iTXt');
  assert.deepEqual(
    text.map((c) => c.type),
    ['tEXt', 'iTXt'],
  );
  assert.equal(text[0].data.toString('latin1'), 'Title\0café au lait');
  // keyword, NUL, compression flag and method 0, empty language tag and translated keyword.
  assert.deepEqual([...text[1].data.subarray(0, 13)], [...Buffer.from('Software\0\0\0\0\0')]);
  assert.equal(text[1].data.subarray(13).toString('utf8'), 'épreuve — 試験');
  // pngjs reads the file with its text chunks in it.
  assert.equal(PNG.sync.read(Buffer.from(png)).width, 2);
});

test('encodePng: a higher zlib level compresses more, to the same pixels', () => {
  const img = frame(80, 40, (x, y) => [(x >> 3) * 20, (y >> 2) * 20, 90, 255]);
  const fast = encodePng(img, { level: 0 });
  const small = encodePng(img, { level: 9 });
  assert.ok(small.length < fast.length / 4, `${small.length} vs ${fast.length}`);
  assert.ok(PNG.sync.read(Buffer.from(fast)).data.equals(PNG.sync.read(Buffer.from(small)).data));
});

test('encodePng refuses a frame whose pixels do not match its size', () => {
  assert.throws(
    () => encodePng({ width: 3, height: 2, rgba: new Uint8Array(20) }),
    /RangeError: frame is 3×2, expected 3×2/,
  );
});

test('pngChunk: length, type, data and a CRC over type and data', () => {
  const chunk = pngChunk('teSt', Uint8Array.of(1, 2, 3));
  assert.equal(chunk.length, 15);
  assert.deepEqual([...chunk.subarray(0, 11)], [0, 0, 0, 3, 0x74, 0x65, 0x53, 0x74, 1, 2, 3]);
  assert.equal(
    Buffer.from(chunk).readUInt32BE(11),
    crc32(Buffer.from('teSt\x01\x02\x03', 'latin1')),
  );
});

test('APNG: frames after the first carry only the rectangle that changed', async () => {
  const base = (x: number, y: number) => [x * 10, y * 10, 100, 255];
  const frames = [
    frame(16, 12, base),
    // A 3×2 patch at (5, 4) changes.
    frame(16, 12, (x, y) => (x >= 5 && x < 8 && y >= 4 && y < 6 ? [255, 0, 0, 128] : base(x, y))),
    // Nothing changes: a 1×1 frame at the origin.
    frame(16, 12, (x, y) => (x >= 5 && x < 8 && y >= 4 && y < 6 ? [255, 0, 0, 128] : base(x, y))),
    // The far corners change: the rectangle spans the frame.
    frame(16, 12, (x, y) =>
      (x === 0 && y === 0) || (x === 15 && y === 11) ? [0, 0, 0, 0] : base(x, y),
    ),
  ];
  const folder = mkdtempSync(path.join(tmp, 'apng-'));
  const out = path.join(folder, 'a.apng');
  const sink = await createApngSink(out, {
    width: 16,
    height: 12,
    frameCount: 4,
    delaysMs: [100, 250.4, 1500, 40],
    plays: 3,
    text: { Title: 't' },
  });
  for (const [i, f] of frames.entries()) await sink.write(f, i);
  await sink.finish();
  const parts = chunks(readFileSync(out));
  assert.deepEqual(
    parts.map((c) => c.type),
    ['IHDR', 'acTL', 'pHYs', 'tEXt', 'fcTL', 'IDAT']
      .concat(['fcTL', 'fdAT', 'fcTL', 'fdAT', 'fcTL', 'fdAT'])
      .concat('IEND'),
  );
  const actl = parts[1].data;
  assert.deepEqual([actl.readUInt32BE(0), actl.readUInt32BE(4)], [4, 3], 'frames, plays');
  const fctl = parts.filter((c) => c.type === 'fcTL').map((c) => c.data);
  const rect = (d: Buffer) => [4, 8, 12, 16].map((at) => d.readUInt32BE(at)); // w, h, x, y
  assert.deepEqual(fctl.map(rect), [
    [16, 12, 0, 0],
    [3, 2, 5, 4],
    [1, 1, 0, 0],
    [16, 12, 0, 0],
  ]);
  assert.deepEqual(
    fctl.map((d) => [d.readUInt16BE(20), d.readUInt16BE(22)]),
    [
      [100, 1000],
      [250, 1000],
      [1500, 1000],
      [40, 1000],
    ],
  );
  assert.deepEqual(
    fctl.map((d) => [d[24], d[25]]),
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    'dispose none, blend source',
  );
  // One sequence over fcTL and fdAT chunks: 0, 1, 2, …
  const sequence = parts
    .filter((c) => c.type === 'fcTL' || c.type === 'fdAT')
    .map((c) => c.data.readUInt32BE(0));
  assert.deepEqual(sequence, [0, 1, 2, 3, 4, 5, 6]);
  // upng-js puts the frames back together, pixel for pixel.
  const decoded = UPNG.toRGBA8(UPNG.decode(readFileSync(out)));
  assert.equal(decoded.length, 4);
  decoded.forEach((rgba, i) =>
    assert.ok(Buffer.from(rgba).equals(Buffer.from(frames[i].rgba)), `frame ${i}`),
  );
  assert.deepEqual(readdirSync(folder), ['a.apng'], 'no temp file left');
});

test('APNG: frames out of order, too few, or the wrong size leave no file', async () => {
  const f = frame(4, 4, () => [1, 2, 3, 255]);
  const options = { width: 4, height: 4, frameCount: 2, delaysMs: [100, 100], plays: 0 };
  const folder = mkdtempSync(path.join(tmp, 'bad-'));
  const out = path.join(folder, 'x.apng');

  let sink = await createApngSink(out, options);
  await assert.rejects(sink.write(f, 1), /APNG frames must arrive in order: 0, got 1/);
  assert.deepEqual(readdirSync(folder), []);

  sink = await createApngSink(out, options);
  await sink.write(f, 0);
  await assert.rejects(sink.finish(), /APNG expected 2 frames, got 1/);
  assert.deepEqual(readdirSync(folder), []);

  sink = await createApngSink(out, options);
  await assert.rejects(
    sink.write(
      frame(5, 4, () => [0, 0, 0, 255]),
      0,
    ),
    /frame is 5×4/,
  );
  assert.deepEqual(readdirSync(folder), []);

  await assert.rejects(createApngSink(out, { ...options, delaysMs: [100] }), RangeError);
  assert.ok(!existsSync(out));
});

test('PNG frames are numbered as in the whole animation, in at least five digits', async () => {
  const f = (k: number) => frame(2, 2, () => [k, k, k, 255]);
  const write = async (folder: string, options: Parameters<typeof createPngSequenceSink>[1]) => {
    const sink = await createPngSequenceSink(folder, options);
    for (let i = 0; i < options.frameCount; i++) await sink.write(f(i), i);
    await sink.finish();
    return readdirSync(folder).sort();
  };
  assert.deepEqual(await write(path.join(tmp, 'whole'), { frameCount: 2 }), [
    'frame-00001.png',
    'frame-00002.png',
  ]);
  // A slice starting at frame 7 of 123,456: six digits, numbered from 8.
  const slice = path.join(tmp, 'slice');
  assert.deepEqual(await write(slice, { frameCount: 3, startFrame: 7, wholeFrameCount: 123_456 }), [
    'frame-000008.png',
    'frame-000009.png',
    'frame-000010.png',
  ]);
  const second = PNG.sync.read(readFileSync(path.join(slice, 'frame-000009.png')));
  assert.deepEqual([...second.data.subarray(0, 4)], [1, 1, 1, 255]);
  // Out of order: an error, and the folder is not made.
  const sink = await createPngSequenceSink(path.join(tmp, 'never'), { frameCount: 2 });
  await assert.rejects(sink.write(f(0), 1), /PNG frames must arrive in order: 0, got 1/);
  assert.ok(!existsSync(path.join(tmp, 'never')));
});
