/**
 * One global palette for a whole GIF. Per-frame quantizing makes colours flicker between frames
 * and shifts a chart's categorical colours; instead the colours known from the spec (colour scale
 * ranges, background) are always included exactly, and only the leftover slots are quantized from
 * a few sample frames (anti-aliasing, text, gradients).
 */
import { createRequire } from 'node:module';
import type { RasterFrame } from './sink.js';
import { wasmModule } from '../support/wasm.js';

export type RGB = [number, number, number];

export interface PaletteOptions {
  /** Colours that must be in the palette exactly (the chart's colour scales, text colours…). */
  requiredColors?: RGB[];
  /** A few frames to quantize the remaining slots from (e.g. first, middle and last). */
  sample: RasterFrame[];
  /** At most 256 (a GIF colour table's limit). */
  maxColors?: number;
  /** Opaque colour that pixels with alpha < 255 are composited over; always palette index 0. */
  background?: RGB;
  /**
   * Leave one slot of `maxColors` unquantized, for a GIF's transparent index (frames after
   * the first mark unchanged pixels with it). Exact colours may still use every slot.
   */
  spareSlot?: boolean;
}

export interface Palette {
  /** Palette colours; index 0 is the background and the required colours follow in order. */
  readonly colors: readonly RGB[];
  readonly background: RGB;
  /**
   * Writes each pixel's nearest palette index into `out` (one byte per pixel). A colour that is in
   * the palette always maps to its own index.
   */
  indexFrame(rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array): void;
}

interface GifencQuantizer {
  quantize(rgba: Uint8Array, maxColors: number, options?: { format?: 'rgb565' }): number[][];
}

// gifenc ships CommonJS without type declarations; require it and state the part we use.
const { quantize } = createRequire(import.meta.url)('gifenc') as GifencQuantizer;

const WHITE: RGB = [255, 255, 255];
const GIF_MAX_COLORS = 256;

export function buildPalette({
  requiredColors = [],
  sample,
  maxColors = GIF_MAX_COLORS,
  background = WHITE,
  spareSlot = false,
}: PaletteOptions): Palette {
  if (!Number.isInteger(maxColors) || maxColors < 1 || maxColors > GIF_MAX_COLORS) {
    throw new RangeError(
      `maxColors must be an integer from 1 to ${GIF_MAX_COLORS}, got ${maxColors}`,
    );
  }
  for (const color of [background, ...requiredColors]) assertRgb(color);

  const colors: RGB[] = [];
  const present = new Set<number>();
  const add = (color: RGB): void => {
    const key = packRgb(color[0], color[1], color[2]);
    if (present.has(key)) return;
    present.add(key);
    colors.push([color[0], color[1], color[2]]);
  };
  add(background);
  requiredColors.forEach(add);
  if (colors.length > maxColors) {
    throw new RangeError(
      `The chart needs ${colors.length} exact colours (background + colour scales) but the ` +
        `palette holds at most ${maxColors}.`,
    );
  }

  const freeSlots = maxColors - (spareSlot ? 1 : 0) - colors.length;
  if (freeSlots > 0) {
    for (const color of leftoverColors(sample, present, background, freeSlots)) add(color);
  }
  return createPalette(colors, background);
}

/**
 * Colours for the free slots, from sample pixels not already in the palette: the distinct colours
 * themselves when they fit (exact), otherwise a gifenc (pairwise-nearest-neighbour) quantization.
 */
const QUANTIZE_SAMPLE_PIXELS = 120_000;

function leftoverColors(
  sample: RasterFrame[],
  present: ReadonlySet<number>,
  background: RGB,
  freeSlots: number,
): RGB[] {
  const totalPixels = sample.reduce((sum, frame) => sum + frame.width * frame.height, 0);
  // Packed little-endian RGBA with alpha 255, the layout gifenc's quantize reads as Uint32.
  const leftover = new Uint32Array(Math.min(totalPixels, QUANTIZE_SAMPLE_PIXELS + sample.length));
  let leftoverCount = 0;
  const distinct = new Set<number>();
  // Quantizing is O(pixels): a strided subsample of at most ~300k pixels keeps the palette
  // representative while building it in tens of milliseconds, not a second.
  const stride = Math.max(1, Math.ceil(totalPixels / QUANTIZE_SAMPLE_PIXELS)) * 4;
  for (const frame of sample) {
    assertFrame(frame);
    const { rgba } = frame;
    for (let j = 0; j < rgba.length; j += stride) {
      let r = rgba[j];
      let g = rgba[j + 1];
      let b = rgba[j + 2];
      const a = rgba[j + 3];
      if (a !== 255) {
        r = blend(r, background[0], a);
        g = blend(g, background[1], a);
        b = blend(b, background[2], a);
      }
      const key = packRgb(r, g, b);
      if (present.has(key)) continue;
      if (distinct.size <= freeSlots) distinct.add(key);
      leftover[leftoverCount++] = (0xff << 24) | (b << 16) | (g << 8) | r;
    }
  }
  if (distinct.size <= freeSlots) return [...distinct].map(unpackRgb);

  const bytes = new Uint8Array(leftover.buffer, 0, leftoverCount * 4).slice(); // own buffer
  return quantize(bytes, freeSlots, { format: 'rgb565' }).map(([r, g, b]) => [r, g, b]);
}

/** A palette with exactly these colours (index 0 the background), e.g. rebuilt in a worker. */
export function paletteFromColors(colors: readonly RGB[], background: RGB): Palette {
  return createPalette(
    colors.map((c) => [c[0], c[1], c[2]]),
    background,
  );
}

function createPalette(colors: RGB[], background: RGB): Palette {
  const paletteR = Int32Array.from(colors, (c) => c[0]);
  const paletteG = Int32Array.from(colors, (c) => c[1]);
  const paletteB = Int32Array.from(colors, (c) => c[2]);
  const nearestIndex = (r: number, g: number, b: number): number => {
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < paletteR.length; i++) {
      const dr = paletteR[i] - r;
      const dg = paletteG[i] - g;
      const db = paletteB[i] - b;
      const distance = dr * dr + dg * dg + db * db;
      // Strict < keeps the first of equal candidates, so palette colours map to themselves.
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  };

  // Palette colours map to themselves exactly: a small open-addressing table of their
  // 24-bit keys (at most 256 in 1,024 slots, so a miss ends at the first or second slot).
  const exactKey = new Int32Array(1024).fill(-1);
  const exactIndex = new Uint16Array(1024);
  const slot = (key: number) => (Math.imul(key, 0x9e3779b1) >>> 22) & 1023;
  colors.forEach((c, i) => {
    const key = packRgb(c[0], c[1], c[2]);
    let h = slot(key);
    while (exactKey[h] !== -1 && exactKey[h] !== key) h = (h + 1) & 1023;
    if (exactKey[h] === -1) {
      exactKey[h] = key;
      exactIndex[h] = i;
    }
  });
  // Every other colour: the entry nearest the centre of its rgb555 bucket, so anti-aliased
  // blends cost at most 32k nearest-colour searches per GIF, and the mapping is the same
  // whatever order colours arrive in. 64 KB that stay in cache, where a 24-bit table
  // (32 MB per thread) misses it and adds to each thread's memory.
  const bucketPlusOne = new Uint16Array(1 << 15);
  // Whole RGBA words seen lately → index + 1 (0: empty). The mapping is a pure function of
  // the word, so what the cache holds never changes a result. Made on first use: with
  // palette.wat the cache lives in its memory instead.
  let wordCacheKey: Uint32Array | undefined;
  let wordCacheIndex: Uint16Array | undefined;
  const [bgR, bgG, bgB] = background;
  const lookup = (r: number, g: number, b: number, a: number): number => {
    if (a !== 255) {
      r = blend(r, bgR, a);
      g = blend(g, bgG, a);
      b = blend(b, bgB, a);
    }
    const key = (r << 16) | (g << 8) | b;
    let h = slot(key);
    while (exactKey[h] !== -1 && exactKey[h] !== key) h = (h + 1) & 1023;
    if (exactKey[h] === key) return exactIndex[h];
    const bucket = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    let cached = bucketPlusOne[bucket];
    if (cached === 0) {
      // The bucket's centre, not the colour that happened to come first: the
      // mapping must not depend on frame order (worker threads see different ones).
      cached = nearestIndex(((r >> 3) << 3) | 4, ((g >> 3) << 3) | 4, ((b >> 3) << 3) | 4) + 1;
      bucketPlusOne[bucket] = cached;
    }
    return cached - 1;
  };
  const lookupWord = (word: number): number =>
    lookup(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
  let wasmIndexer: WasmIndexer | null | undefined;

  return {
    colors,
    background,
    indexFrame(rgba, out) {
      if (out.length * 4 !== rgba.length) {
        throw new RangeError(`indexFrame: ${rgba.length / 4} pixels but ${out.length} index slots`);
      }
      if (wasmIndexer === undefined)
        wasmIndexer = LITTLE_ENDIAN ? createWasmIndexer(lookupWord) : null;
      if (wasmIndexer) {
        wasmIndexer(rgba, out);
        return;
      }
      // (palette.wat runs this same loop.)
      // Charts are mostly runs of one colour: comparing each pixel's four bytes, as one word,
      // with the previous pixel's skips the lookup. Other pixels (anti-aliased edges of many
      // points) repeat across a frame: a direct-mapped cache of whole words answers most.
      let lastIndex = 0;
      let lastWord = -1; // no word equals it: words are unsigned
      if (rgba.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
        const keys = (wordCacheKey ??= new Uint32Array(1 << (32 - WORD_CACHE_SHIFT)));
        const indices = (wordCacheIndex ??= new Uint16Array(1 << (32 - WORD_CACHE_SHIFT)));
        const words = new Uint32Array(rgba.buffer, rgba.byteOffset, out.length);
        for (let i = 0; i < out.length; i++) {
          const word = words[i];
          if (word !== lastWord) {
            lastWord = word;
            const h = Math.imul(word, 0x9e3779b1) >>> WORD_CACHE_SHIFT;
            if (indices[h] !== 0 && keys[h] === word) lastIndex = indices[h] - 1;
            else {
              lastIndex = lookup(
                word & 0xff,
                (word >>> 8) & 0xff,
                (word >>> 16) & 0xff,
                word >>> 24,
              );
              keys[h] = word;
              indices[h] = lastIndex + 1;
            }
          }
          out[i] = lastIndex;
        }
        return;
      }
      for (let i = 0, j = 0; i < out.length; i++, j += 4) {
        const word =
          ((rgba[j + 3] << 24) | (rgba[j + 2] << 16) | (rgba[j + 1] << 8) | rgba[j]) >>> 0;
        if (word !== lastWord) {
          lastWord = word;
          lastIndex = lookup(rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]);
        }
        out[i] = lastIndex;
      }
    },
  };
}

type WasmIndexer = (rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array) => void;

/**
 * palette.wat's memory: its word cache (192 KiB), then a strip of a frame's pixels and their
 * indices. Strips of 64 Ki pixels keep it at ~0.5 MiB whatever the frame size (the mapping
 * is per pixel, so strips give the same indices).
 */
const WASM_PIXELS_AT = 192 << 10;
const WASM_STRIP_PIXELS = 64 << 10;

/**
 * indexFrame's loop in WebAssembly (palette.wat), with `lookup` for the words its cache
 * misses, or null without the kernel. It maps a frame in less time than the JavaScript loop.
 */
function createWasmIndexer(lookup: (word: number) => number): WasmIndexer | null {
  const module = wasmModule('palette');
  if (!module) return null;
  const { memory, index } = new WebAssembly.Instance(module, { palette: { lookup } })
    .exports as unknown as {
    memory: WebAssembly.Memory;
    index(rgbaAt: number, n: number, outAt: number): void;
  };
  const outAt = WASM_PIXELS_AT + WASM_STRIP_PIXELS * 4;
  memory.grow(Math.ceil((outAt + WASM_STRIP_PIXELS - memory.buffer.byteLength) / 65536));
  const pixels = new Uint8Array(memory.buffer, WASM_PIXELS_AT, WASM_STRIP_PIXELS * 4);
  const indices = new Uint8Array(memory.buffer, outAt, WASM_STRIP_PIXELS);
  return (rgba, out) => {
    for (let from = 0; from < out.length; from += WASM_STRIP_PIXELS) {
      const n = Math.min(WASM_STRIP_PIXELS, out.length - from);
      pixels.set(rgba.subarray(from * 4, (from + n) * 4));
      index(WASM_PIXELS_AT, n, outAt);
      out.set(n === WASM_STRIP_PIXELS ? indices : indices.subarray(0, n), from);
    }
  };
}

/** 2^(32 − this) entries in the word cache: 32,768, 192 KB with their indices. */
const WORD_CACHE_SHIFT = 17;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `frame` mapped to `palette`: its indices only (a quarter of its RGBA bytes). */
export function indexedFrame(palette: Palette, frame: RasterFrame): RasterFrame {
  const indexed = new Uint8Array(frame.width * frame.height);
  palette.indexFrame(frame.rgba, indexed);
  return { width: frame.width, height: frame.height, rgba: new Uint8Array(0), indexed };
}

/** Straight-alpha "over" onto an opaque background, rounded to the nearest byte. */
function blend(channel: number, backgroundChannel: number, alpha: number): number {
  return ((channel * alpha + backgroundChannel * (255 - alpha) + 127) / 255) | 0;
}

function packRgb(r: number, g: number, b: number): number {
  return (r << 16) | (g << 8) | b;
}

function unpackRgb(key: number): RGB {
  return [(key >> 16) & 0xff, (key >> 8) & 0xff, key & 0xff];
}

function assertRgb(color: RGB): void {
  if (color.length !== 3 || !color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw new RangeError(`Palette colours must be [r, g, b] integers 0–255, got [${color}]`);
  }
}

function assertFrame(frame: RasterFrame): void {
  if (frame.rgba.length !== frame.width * frame.height * 4) {
    throw new RangeError(
      `Frame is ${frame.width}×${frame.height} but has ${frame.rgba.length} bytes, not ${frame.width * frame.height * 4}`,
    );
  }
}
