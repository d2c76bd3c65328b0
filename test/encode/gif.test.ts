import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RasterFrame } from '../../src/encode/sink.js';
import { createGifSink, encodeGifToBuffer, type GifBufferOptions } from '../../src/encode/gif.js';
import { buildPalette, type RGB } from '../../src/encode/palette.js';
import { useWasmKernel, wasmModule } from '../../src/support/wasm.js';
import { decodeGif } from '../helpers/gif-decode.js';

const WIDTH = 64;
const HEIGHT = 48;
const WHITE: RGB = [255, 255, 255];
// Tableau 10, Vega's default categorical scheme.
const CATEGORY_COLORS: RGB[] = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

function solidFrame(width: number, height: number, [r, g, b]: RGB): RasterFrame {
  const rgba = new Uint8Array(width * height * 4);
  for (let j = 0; j < rgba.length; j += 4) rgba.set([r, g, b, 255], j);
  return { width, height, rgba };
}

function fillRect(frame: RasterFrame, x0: number, y0: number, size: number, color: RGB): void {
  for (let y = y0; y < y0 + size; y++) {
    for (let x = x0; x < x0 + size; x++) frame.rgba.set([...color, 255], (y * frame.width + x) * 4);
  }
}

/** A 10×10 square in a category colour moving right and down over white. */
function movingSquareFrames(count: number): RasterFrame[] {
  return Array.from({ length: count }, (_, i) => {
    const frame = solidFrame(WIDTH, HEIGHT, WHITE);
    fillRect(frame, 4 * i, 3 * i, 10, CATEGORY_COLORS[i % CATEGORY_COLORS.length]);
    return frame;
  });
}

const frames = movingSquareFrames(12);
const palette = buildPalette({ requiredColors: CATEGORY_COLORS, sample: [frames[0]] });

function encode(options: Partial<GifBufferOptions> = {}): Uint8Array {
  return encodeGifToBuffer(frames, { fps: 10, loop: true, palette, ...options });
}

function countOccurrences(haystack: Uint8Array, needle: string): number {
  return Buffer.from(haystack).toString('latin1').split(needle).length - 1;
}

describe('encodeGifToBuffer', () => {
  it('round-trips frame count and size', () => {
    const gif = decodeGif(encode());
    assert.equal(gif.frameCount, 12);
    assert.equal(gif.width, WIDTH);
    assert.equal(gif.height, HEIGHT);
  });

  it('reproduces every pixel exactly when all colours are required colours', () => {
    const gif = decodeGif(encode());
    for (let i = 0; i < frames.length; i++) {
      assert.deepEqual(gif.frame(i), Uint8Array.from(frames[i].rgba), `frame ${i}`);
    }
  });

  it('writes one header, one global colour table and no local tables', () => {
    const bytes = encode();
    assert.equal(countOccurrences(bytes, 'GIF89a'), 1);
    assert.equal(countOccurrences(bytes, 'NETSCAPE2.0'), 1);
    const gif = decodeGif(bytes);
    for (let i = 0; i < gif.frameCount; i++) {
      assert.equal(gif.frameInfo(i).has_local_palette, false, `frame ${i}`);
    }
  });

  it('uses 10 cs delays at 10 fps', () => {
    assert.deepEqual(decodeGif(encode({ fps: 10 })).delaysCs, Array(12).fill(10));
  });

  it('uses accumulated 3,3,4 delays at 30 fps', () => {
    assert.deepEqual(decodeGif(encode({ fps: 30 })).delaysCs, [3, 3, 4, 3, 3, 4, 3, 3, 4, 3, 3, 4]);
  });

  it('adds pauseStart to the first frame and pauseEnd to the last', () => {
    const { delaysCs } = decodeGif(encode({ fps: 10, pauseStart: 1, pauseEnd: 2.5 }));
    assert.deepEqual(delaysCs, [110, ...Array(10).fill(10), 260]);
  });

  it('maps loop true → 0, false → no NETSCAPE block, 3 plays → 2 repeats', () => {
    assert.equal(decodeGif(encode({ loop: true })).loop, 0);
    assert.equal(decodeGif(encode({ loop: false })).loop, null);
    assert.equal(countOccurrences(encode({ loop: false }), 'NETSCAPE2.0'), 0);
    assert.equal(decodeGif(encode({ loop: 3 })).loop, 2);
    assert.equal(decodeGif(encode({ loop: 1 })).loop, null);
  });

  it('writes the same bytes with the WebAssembly frame coder as with the JavaScript one', () => {
    assert.ok(wasmModule('lzw'), 'dist/wasm/lzw.wasm (npm run build) compiles');
    // Unchanged frames, a moving square, a few scattered pixels, a whole new frame; with a
    // spare index (transparent runs) and with a full palette (none).
    let seed = 5;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const speckled = (n: number) => {
      const f = solidFrame(WIDTH, HEIGHT, WHITE);
      for (let k = 0; k < n; k++) {
        const p = (random() * WIDTH * HEIGHT) | 0;
        f.rgba.set([...CATEGORY_COLORS[k % CATEGORY_COLORS.length], 255], p * 4);
      }
      return f;
    };
    const sequence = [frames[0], frames[0], ...frames.slice(1, 6), speckled(3), speckled(900)];
    sequence.push(sequence[sequence.length - 1], speckled(1));
    const full: RGB[] = [
      ...CATEGORY_COLORS,
      ...Array.from({ length: 245 }, (_, i): RGB => [i, (i * 7) & 255, 128]),
    ];
    // And 67 pixels wide: rows that are not a multiple of 8 bytes (compared 8 at a time).
    const narrow = (n: number) => {
      const f = solidFrame(67, 9, WHITE);
      fillRect(f, n, n % 5, 3, CATEGORY_COLORS[n % CATEGORY_COLORS.length]);
      fillRect(f, 60, 0, 3, CATEGORY_COLORS[0]);
      return f;
    };
    // The last one differs from the one before only in the last pixel of the last row.
    const lastPixel = narrow(64);
    lastPixel.rgba.set([...CATEGORY_COLORS[2], 255], (8 * 67 + 66) * 4);
    const odd = [narrow(0), narrow(0), narrow(1), narrow(30), narrow(64), lastPixel];
    for (const pal of [
      buildPalette({ requiredColors: CATEGORY_COLORS, sample: [], spareSlot: true }),
      buildPalette({ requiredColors: full, sample: [], spareSlot: true }),
    ]) {
      const options = { fps: 10, loop: true, palette: pal };
      for (const frames of [sequence, odd]) {
        const wasm = encodeGifToBuffer(frames, options);
        useWasmKernel('lzw', false);
        try {
          const js = encodeGifToBuffer(frames, options);
          assert.deepEqual(wasm, js, `${frames[0].width} wide, ${pal.colors.length} colours`);
        } finally {
          useWasmKernel('lzw', true);
        }
      }
    }
  });

  it('builds a palette from the frames when none is given', () => {
    const gif = decodeGif(encodeGifToBuffer(frames, { fps: 10, loop: true }));
    assert.deepEqual(gif.frame(11), Uint8Array.from(frames[11].rgba));
  });

  it('marks unchanged runs of 8+ pixels transparent, left in place, and decodes exactly', () => {
    // Frame 1 changes pixels 2, 5 and 40 of row 10: the rectangle spans them; the 2-pixel
    // gap stays opaque, the 34-pixel one becomes the spare (transparent) index.
    const base = solidFrame(WIDTH, HEIGHT, WHITE);
    const next = solidFrame(WIDTH, HEIGHT, WHITE);
    for (const x of [2, 5, 40]) next.rgba.set([...CATEGORY_COLORS[0], 255], (10 * WIDTH + x) * 4);
    const pal = buildPalette({ requiredColors: CATEGORY_COLORS, sample: [], spareSlot: true });
    const bytes = encodeGifToBuffer([base, next, base], { fps: 10, loop: true, palette: pal });
    const gif = decodeGif(bytes);
    assert.equal(gif.frameInfo(0).transparent_index, null, 'the first frame is whole');
    for (const i of [1, 2]) {
      assert.equal(gif.frameInfo(i).transparent_index, pal.colors.length, `frame ${i}`);
      assert.equal(gif.frameInfo(i).disposal, 1, `frame ${i}: left in place`);
    }
    assert.deepEqual([gif.frameInfo(1).x, gif.frameInfo(1).width], [2, 39]);
    [base, next, base].forEach((f, i) => assert.deepEqual(gif.frame(i), f.rgba, `frame ${i}`));
    // A palette whose colours fill all 256 slots leaves no index to spare: no transparency.
    const full: RGB[] = [
      CATEGORY_COLORS[0],
      ...Array.from({ length: 254 }, (_, i): RGB => [i, (i * 7) & 255, 128]),
    ];
    const fullPalette = buildPalette({ requiredColors: full, sample: [], spareSlot: true });
    assert.equal(fullPalette.colors.length, 256);
    const opaque = decodeGif(
      encodeGifToBuffer([base, next], { fps: 10, loop: true, palette: fullPalette }),
    );
    assert.equal(opaque.frameInfo(1).transparent_index, null);
    assert.deepEqual(opaque.frame(1), next.rgba);
  });

  it('rejects frames of the wrong size', () => {
    const odd = [...frames.slice(0, 2), solidFrame(WIDTH + 1, HEIGHT, WHITE)];
    assert.throws(() => encodeGifToBuffer(odd, { fps: 10, loop: true, palette }), /65×48/);
  });
});

describe('createGifSink', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'vega-frames-gif-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const sinkOptions = { width: WIDTH, height: HEIGHT, fps: 10, loop: 3, palette };

  it('streams the same bytes as encodeGifToBuffer and leaves no temp file', async () => {
    const target = path.join(folder, 'square.gif');
    const sink = await createGifSink(target, { ...sinkOptions, frameCount: frames.length });
    for (const [index, frame] of frames.entries()) await sink.write(frame, index);
    const midway = await readdir(folder);
    assert.equal(midway.includes('square.gif'), false, 'target appears only on finish');
    assert.ok(
      midway.some((name) => /^\.square\.gif\.\d+\.[0-9a-f]+\.tmp$/.test(name)),
      `${midway}`,
    );
    await sink.finish();

    const written = await readFile(target);
    assert.deepEqual(new Uint8Array(written), encode({ loop: 3 }));
    assert.deepEqual(await readdir(folder), ['square.gif']);
  });

  it('rejects out-of-order frames and removes the temp file', async () => {
    const target = path.join(folder, 'out-of-order.gif');
    const sink = await createGifSink(target, { ...sinkOptions, frameCount: 3 });
    await assert.rejects(sink.write(frames[1], 1), /expected frame 0, got 1/);
    assert.deepEqual(await readdir(folder), ['square.gif']);
  });

  it('refuses to finish with fewer frames than announced, leaving nothing behind', async () => {
    const target = path.join(folder, 'short.gif');
    const sink = await createGifSink(target, { ...sinkOptions, frameCount: 3 });
    await sink.write(frames[0], 0);
    await assert.rejects(sink.finish(), /opened for 3 frames but received 1/);
    assert.deepEqual(await readdir(folder), ['square.gif']);
  });
});

describe('buildPalette', () => {
  it('puts the background first and keeps required colours exact and in order', () => {
    const built = buildPalette({ requiredColors: CATEGORY_COLORS, sample: [] });
    assert.deepEqual(built.colors, [WHITE, ...CATEGORY_COLORS]);
  });

  it('maps each required colour to its own index', () => {
    const built = buildPalette({ requiredColors: CATEGORY_COLORS, sample: frames.slice(0, 3) });
    const pixels = solidFrame(CATEGORY_COLORS.length, 1, WHITE);
    CATEGORY_COLORS.forEach((color, x) => fillRect(pixels, x, 0, 1, color));
    const indices = new Uint8Array(CATEGORY_COLORS.length);
    built.indexFrame(pixels.rgba, indices);
    assert.deepEqual(
      [...indices],
      CATEGORY_COLORS.map((_, i) => i + 1),
    );
  });

  it('adds sampled colours exactly when they fit, skipping ones already present', () => {
    const sample = solidFrame(4, 1, WHITE);
    fillRect(sample, 1, 0, 1, [10, 20, 30]);
    fillRect(sample, 2, 0, 1, CATEGORY_COLORS[0]);
    fillRect(sample, 3, 0, 1, [10, 20, 30]);
    const built = buildPalette({ requiredColors: [CATEGORY_COLORS[0]], sample: [sample] });
    assert.deepEqual(built.colors, [WHITE, CATEGORY_COLORS[0], [10, 20, 30]]);
  });

  it('quantizes leftover colours into the free slots without disturbing required ones', () => {
    const gradient = solidFrame(256, 4, WHITE);
    for (let x = 0; x < 256; x++) {
      for (let y = 0; y < 4; y++)
        gradient.rgba.set([x, 255 - x, (x * 7) % 256, 255], (y * 256 + x) * 4);
    }
    const built = buildPalette({
      requiredColors: CATEGORY_COLORS,
      sample: [gradient],
      maxColors: 32,
    });
    assert.ok(built.colors.length <= 32 && built.colors.length > 20, `${built.colors.length}`);
    assert.deepEqual(built.colors.slice(0, 11), [WHITE, ...CATEGORY_COLORS]);

    const indices = new Uint8Array(256 * 4);
    built.indexFrame(gradient.rgba, indices);
    let worst = 0;
    for (let p = 0; p < indices.length; p++) {
      const [r, g, b] = built.colors[indices[p]];
      const j = p * 4;
      const error = Math.max(
        Math.abs(r - gradient.rgba[j]),
        Math.abs(g - gradient.rgba[j + 1]),
        Math.abs(b - gradient.rgba[j + 2]),
      );
      worst = Math.max(worst, error);
    }
    assert.ok(worst < 80, `worst channel error ${worst}`);
  });

  it('composites translucent pixels over the background before matching', () => {
    const built = buildPalette({
      requiredColors: [
        [255, 0, 0],
        [255, 128, 128],
      ],
      sample: [],
      background: WHITE,
    });
    const indices = new Uint8Array(2);
    // 50 % red over white is (255, 128, 128); fully transparent is the background.
    built.indexFrame(Uint8Array.from([255, 0, 0, 128, 0, 0, 0, 0]), indices);
    assert.deepEqual([...indices], [2, 0]);
  });

  it('maps frames to the same indices in WebAssembly as in JavaScript', () => {
    // Runs, anti-aliased blends, translucent pixels, words repeating far apart (the word
    // cache), any word at all first (no "no run yet" value), odd sizes.
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const frame = (n: number, first: number[]) => {
      const rgba = new Uint8Array(n * 4);
      let word = first;
      for (let p = 0; p < n; p++) {
        if (p > 0 && random() < 0.3) {
          const blend = random();
          const c = CATEGORY_COLORS[(random() * CATEGORY_COLORS.length) | 0];
          word = [
            ...c.map((v) => Math.round(v * blend + 255 * (1 - blend))),
            random() < 0.1 ? (random() * 256) | 0 : 255,
          ];
        }
        rgba.set(word, p * 4);
      }
      return rgba;
    };
    const inputs = [
      frame(1, [255, 255, 255, 255]),
      frame(0, []),
      frame(99_999, [255, 255, 255, 255]),
      frame(640_000, [0, 0, 0, 0]),
      frame(7, [31, 119, 180, 255]),
    ];
    assert.ok(wasmModule('palette'), 'dist/wasm/palette.wasm (npm run build) compiles');
    const options = { requiredColors: CATEGORY_COLORS, sample: [], spareSlot: true };
    const wasm = buildPalette(options);
    useWasmKernel('palette', false);
    try {
      const js = buildPalette(options);
      for (const rgba of inputs) {
        const a = new Uint8Array(rgba.length / 4);
        const b = new Uint8Array(rgba.length / 4);
        // Twice: the second time through a warm word cache.
        for (let pass = 0; pass < 2; pass++) {
          useWasmKernel('palette', true);
          wasm.indexFrame(rgba, a);
          useWasmKernel('palette', false);
          js.indexFrame(rgba, b);
          assert.deepEqual(a, b, `${a.length} pixels, pass ${pass}`);
        }
      }
    } finally {
      useWasmKernel('palette', true);
    }
  });

  it('rejects more required colours than the palette can hold', () => {
    const many: RGB[] = Array.from({ length: 300 }, (_, i) => [i % 256, i >> 8, 7]);
    assert.throws(() => buildPalette({ requiredColors: many, sample: [] }), /301 exact colours/);
    assert.throws(() => buildPalette({ requiredColors: [[256, 0, 0]], sample: [] }), RangeError);
  });
});
