import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GifReader } from 'omggif';
import { LzwEncoder, WasmFrameCoder } from '../../src/encode/lzw.js';
import { wasmModule } from '../../src/support/wasm.js';

/** Wraps LZW image data in a minimal one-frame GIF so an independent decoder reads it. */
function gifAround(data: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const u16 = (v: number) => [v & 0xff, v >> 8];
  const table = Array.from({ length: (1 << depth) * 3 }, (_, i) => i & 0xff);
  return Uint8Array.from([
    ...Buffer.from('GIF89a'),
    ...u16(width),
    ...u16(height),
    0x80 | ((depth - 1) << 4) | (depth - 1),
    0,
    0,
    ...table,
    0x2c,
    ...u16(0),
    ...u16(0),
    ...u16(width),
    ...u16(height),
    0,
    ...data,
    0x3b,
  ]);
}

function decodedIndices(gif: Uint8Array, width: number, height: number, depth: number) {
  const reader = new GifReader(gif);
  const rgba = new Uint8Array(width * height * 4);
  reader.decodeAndBlitFrameRGBA(0, rgba);
  // The colour table maps index i to (3i, 3i+1, 3i+2) mod 256: red recovers the index.
  const lookup = new Map<number, number>();
  for (let i = 0; i < 1 << depth; i++) lookup.set((3 * i) & 0xff, i);
  return Uint8Array.from({ length: width * height }, (_, p) => lookup.get(rgba[p * 4])!);
}

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;

const cases: {
  name: string;
  width: number;
  height: number;
  depth: number;
  pixel: (i: number) => number;
}[] = [
  { name: 'one pixel', width: 1, height: 1, depth: 2, pixel: () => 3 },
  {
    name: 'noise, 8 bits (many table clears)',
    width: 300,
    height: 200,
    depth: 8,
    pixel: () => (random() * 256) | 0,
  },
  { name: 'noise, 2 bits', width: 257, height: 31, depth: 2, pixel: () => (random() * 4) | 0 },
  {
    name: 'long runs (long codes)',
    width: 640,
    height: 480,
    depth: 4,
    pixel: (i) => (i >> 12) & 15,
  },
  {
    name: 'chart-like: runs with speckles',
    width: 500,
    height: 400,
    depth: 8,
    pixel: (i) => (random() < 0.02 ? (random() * 256) | 0 : (i / 5000) | 0),
  },
];

const wasm = wasmModule('lzw');

/** lzw.wat's LZW, as GIFs run it: a first frame (whole) through WasmFrameCoder. */
class WasmLzw {
  private coder: WasmFrameCoder | undefined;
  encode(pixels: Uint8Array, minCodeSize: number): Uint8Array {
    if (!this.coder || this.coder.pixels !== pixels.length)
      this.coder = new WasmFrameCoder(wasm!, pixels.length, 1, -1);
    return this.coder.encode(pixels, true, minCodeSize).data;
  }
}

const encoders: [string, () => LzwEncoder | WasmLzw][] = [
  ['JavaScript', () => new LzwEncoder()],
  ['WebAssembly', () => new WasmLzw()],
];

for (const c of cases) {
  for (const [kind, create] of encoders) {
    test(`LZW (${kind}) round-trips through an independent decoder: ${c.name}`, () => {
      seed = 7;
      const pixels = Uint8Array.from({ length: c.width * c.height }, (_, i) => c.pixel(i));
      const encoder = create();
      const data = encoder.encode(pixels, c.depth);
      assert.equal(data[0], c.depth, 'minimum code size byte');
      assert.equal(data[data.length - 1], 0, 'block terminator');
      const decoded = decodedIndices(
        gifAround(data, c.width, c.height, c.depth),
        c.width,
        c.height,
        c.depth,
      );
      assert.deepEqual(decoded, pixels);
      // The encoder is reused frame after frame: a second encode gives the same bytes.
      assert.deepEqual(encoder.encode(pixels, c.depth), data);
    });
  }
}

test('the build assembles the WebAssembly encoder', () => {
  assert.ok(wasm, 'dist/wasm/lzw.wasm (npm run build) compiles');
});

test('the WebAssembly and JavaScript encoders write the same bytes', () => {
  const js = new LzwEncoder();
  const wa = new WasmLzw();
  // Sizes that grow the WebAssembly memory between frames, every code size, empty input.
  for (const [n, depth] of [
    [0, 2],
    [1, 8],
    [5000, 3],
    [70_000, 8],
    [1_500_000, 8],
    [90_000, 5],
  ]) {
    seed = n + depth;
    const pixels = Uint8Array.from({ length: n }, (_, i) =>
      random() < 0.1 ? (random() * (1 << depth)) | 0 : (i >> 9) % (1 << depth),
    );
    assert.deepEqual(
      wa.encode(pixels, depth),
      js.encode(pixels, depth),
      `${n} pixels, ${depth} bits`,
    );
  }
});

test('LZW rejects a code size GIF does not allow', () => {
  for (const [, create] of encoders) {
    assert.throws(() => create().encode(new Uint8Array(4), 9), /2\.\.8/);
    assert.throws(() => create().encode(new Uint8Array(4), 1), /2\.\.8/);
  }
});
