/**
 * Streaming GIF encoder. Each frame is palette-indexed, LZW-compressed and handed to the
 * output as one chunk, so memory stays at one frame no matter how long the animation is.
 */
import { openAtomic } from './atomic.js';
import { FormatError } from './format-error.js';
import { encodeMessage } from './messages.js';
import type { AnimationWriter, FrameSink, RasterFrame } from './sink.js';
import { buildPalette, colorsBetween, type Palette, type RGB } from './palette.js';
import { gifDelays, loopCount } from './timing.js';
import { LzwEncoder, WasmFrameCoder, type Rect } from './lzw.js';
import { wasmModule } from '../support/wasm.js';

export interface GifOptions {
  width: number;
  height: number;
  fps: number;
  /** true = forever, false = play once, n = play n times in all. */
  loop: boolean | number;
  /** Seconds to hold the first frame. */
  pauseStart?: number;
  /** Seconds to hold the last frame. */
  pauseEnd?: number;
  /** Seconds added to each frame's delay (a timeline's holds and pauses). */
  extraSeconds?: number[];
  /** Frames of the animation before the first (a slice's start), for its delays' rhythm. */
  startFrame?: number;
  /** Needed up front: the last frame's delay carries `pauseEnd`. */
  frameCount: number;
  /** Written once as the GIF's global colour table; frames carry no local tables. */
  palette: Palette;
  /** A comment extension (e.g. the software that made the GIF). */
  comment?: string;
}

/** Options for whole-animation encoding; size and count come from the frames. */
export type GifBufferOptions = Omit<GifOptions, 'width' | 'height' | 'frameCount' | 'palette'> & {
  /** Defaults to a palette quantized from the first, middle and last frames. */
  palette?: Palette;
};

/**
 * Turns frames into consecutive chunks of GIF bytes.
 */
interface GifChunkEncoder {
  encodeFrame(frame: RasterFrame, index: number): Uint8Array;
  encodeTrailer(): Uint8Array;
}

function createGifChunkEncoder(options: GifOptions): GifChunkEncoder {
  const { width, height, frameCount, palette } = options;
  assertDimension('width', width);
  assertDimension('height', height);
  if (!Number.isInteger(frameCount) || frameCount < 1) {
    throw new RangeError(`frameCount must be a positive integer, got ${frameCount}`);
  }
  const delaysCs = gifDelays(frameCount, options);
  const repeat = loopCount(options.loop);
  const colorTable = palette.colors;
  // A spare index past the palette's colours marks pixels a frame leaves as they were (none
  // when the colours fill all 256).
  const transparent = colorTable.length < 256 ? colorTable.length : -1;
  // Smallest code size that fits every index: smaller codes compress few-colour charts better.
  const colorDepth = Math.max(
    2,
    Math.ceil(Math.log2(colorTable.length + (transparent < 0 ? 0 : 1))),
  );

  const coder = createFrameCoder(width, height, transparent);
  const indexedPixels = new Uint8Array(width * height);
  let nextIndex = 0;

  return {
    encodeFrame(frame, index) {
      if (index !== nextIndex) {
        throw new Error(
          `GIF frames must arrive in order: expected frame ${nextIndex}, got ${index}`,
        );
      }
      if (index >= frameCount) {
        throw new RangeError(`GIF was opened for ${frameCount} frames; got frame ${index}`);
      }
      if (frame.width !== width || frame.height !== height) {
        throw new RangeError(
          `Frame ${index} is ${frame.width}×${frame.height}, but the GIF is ${width}×${height}`,
        );
      }
      if (frame.indexed) {
        if (frame.indexed.length !== width * height) {
          throw new RangeError(
            `Frame ${index} has ${frame.indexed.length} indices, not ${width * height}`,
          );
        }
      } else if (frame.rgba.length !== width * height * 4) {
        throw new RangeError(
          `Frame ${index} has ${frame.rgba.length} bytes, not ${width * height * 4}`,
        );
      } else palette.indexFrame(frame.rgba, indexedPixels, width);

      const first = index === 0;
      const { rect, data } = coder.encode(frame.indexed ?? indexedPixels, first, colorDepth);
      const head = first
        ? [
            ...gifHead(width, height, colorTable, colorDepth, repeat),
            ...commentBlock(options.comment),
          ]
        : [];
      const frameHead = [
        ...graphicControl(delaysCs[index], first ? -1 : transparent),
        ...imageDescriptor(rect),
      ];
      const bytes = new Uint8Array(head.length + frameHead.length + data.length);
      bytes.set(head);
      bytes.set(frameHead, head.length);
      bytes.set(data, head.length + frameHead.length);
      nextIndex++;
      return bytes;
    },
    encodeTrailer() {
      if (nextIndex !== frameCount) {
        throw new Error(`GIF was opened for ${frameCount} frames but received ${nextIndex}`);
      }
      return Uint8Array.of(0x3b); // trailer
    },
  };
}

/**
 * A GIF written atomically to `path`: nothing appears there until `finish()` succeeds. Any error
 * in write/finish removes the temp file, so callers need not (but may) call `abort()`.
 */
export async function createGifSink(path: string, options: GifOptions): Promise<FrameSink> {
  // A chart can lay out larger than a GIF's 16-bit size fields hold: the chart's doing, said
  // as such; the encoder's own check below is for callers.
  if (options.width > 0xffff || options.height > 0xffff) {
    throw new FormatError(encodeMessage.gifTooLarge(options.width, options.height));
  }
  const chunks = createGifChunkEncoder(options); // validate options before creating a file
  const file = await openAtomic(path);
  const abortOnError = async (step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (err) {
      await file.abort();
      throw err;
    }
  };
  return {
    write: (frame, index) => abortOnError(() => file.write(chunks.encodeFrame(frame, index))),
    finish: () =>
      abortOnError(async () => {
        await file.write(chunks.encodeTrailer());
        await file.commit();
      }),
    abort: () => file.abort(),
  };
}

/** Encodes a whole animation in memory (tests, API) through the same chunk encoder. */
export function encodeGifToBuffer(
  frames: readonly RasterFrame[],
  options: GifBufferOptions,
): Uint8Array {
  if (frames.length === 0) throw new RangeError('Cannot encode a GIF with no frames');
  const { width, height } = frames[0];
  const palette =
    options.palette ??
    buildPalette({
      sample: [...new Set([frames[0], frames[frames.length >> 1], frames[frames.length - 1]])],
      spareSlot: true,
    });
  const chunks = createGifChunkEncoder({
    ...options,
    width,
    height,
    frameCount: frames.length,
    palette,
  });

  const parts = frames.map((frame, index) => chunks.encodeFrame(frame, index).slice());
  parts.push(chunks.encodeTrailer().slice());
  const gif = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    gif.set(part, offset);
    offset += part.length;
  }
  return gif;
}

/**
 * A frame's image data: the first whole, each later one as just the rectangle that changed
 * from the frame before (GIF keeps what is outside it), which LZW-encodes faster and smaller.
 */
interface FrameCoder {
  encode(pixels: Uint8Array, first: boolean, minCodeSize: number): { rect: Rect; data: Uint8Array };
}

function createFrameCoder(width: number, height: number, transparent: number): FrameCoder {
  const module = wasmModule('lzw');
  if (module) return new WasmFrameCoder(module, width, height, transparent);
  const lzw = new LzwEncoder();
  const previous = new Uint8Array(width * height);
  const cropped = new Uint8Array(width * height);
  return {
    encode(pixels, first, minCodeSize) {
      const rect = first
        ? { x: 0, y: 0, w: width, h: height }
        : changedRect(previous, pixels, width, height);
      const data = lzw.encode(
        first ? pixels : crop(pixels, previous, width, rect, transparent, cropped),
        minCodeSize,
      );
      previous.set(pixels);
      return { rect, data };
    },
  };
}

/** The smallest rectangle holding every pixel that differs (1×1 when none does). */
function changedRect(a: Uint8Array, b: Uint8Array, width: number, height: number): Rect {
  let top = 0;
  while (top < height && rowEqual(a, b, top * width, width)) top++;
  if (top === height) return { x: 0, y: 0, w: 1, h: 1 };
  let bottom = height - 1;
  while (bottom > top && rowEqual(a, b, bottom * width, width)) bottom--;
  let left = width;
  let right = -1;
  for (let y = top; y <= bottom; y++) {
    const row = y * width;
    let x = 0;
    while (x < left && a[row + x] === b[row + x]) x++;
    if (x < left) left = x;
    x = width - 1;
    while (x > right && a[row + x] === b[row + x]) x--;
    if (x > right) right = x;
  }
  return { x: left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

function rowEqual(a: Uint8Array, b: Uint8Array, start: number, length: number): boolean {
  for (let i = start, end = start + length; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Unchanged pixels shorter than this stay in the frame: a short transparent gap breaks a
 * run of one colour LZW would have coded cheaply. Runs of 8 or more keep a scatter's early
 * frames within 2% of their size without transparency, and make later frames smaller.
 */
const MIN_TRANSPARENT_RUN = 8;

/**
 * The rectangle's pixels, with runs of pixels that equal the previous frame's written as
 * the transparent index (the viewer keeps what is there), when there is one.
 */
function crop(
  pixels: Uint8Array,
  previous: Uint8Array,
  width: number,
  r: Rect,
  transparent: number,
  /** Reused for every frame (the LZW encoder reads it at once). */
  into: Uint8Array,
): Uint8Array {
  const out = into.subarray(0, r.w * r.h);
  const aligned = pixels.byteOffset % 4 === 0 && previous.byteOffset % 4 === 0;
  const now = aligned
    ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >> 2)
    : undefined;
  const before = aligned
    ? new Uint32Array(previous.buffer, previous.byteOffset, previous.length >> 2)
    : undefined;
  for (let y = 0; y < r.h; y++) {
    const from = (r.y + y) * width + r.x;
    const to = y * r.w;
    out.set(pixels.subarray(from, from + r.w), to);
    if (transparent < 0) continue;
    const rowEnd = from + r.w;
    if (now && before) {
      // Any run of 8 holds a whole aligned word: find equal words, then widen each stretch
      // pixel by pixel at both ends (the same runs as the pixel-by-pixel loop below).
      const lastWord = rowEnd >> 2; // words wholly inside the row: [first, lastWord)
      let w = (from + 3) >> 2;
      while (w < lastWord) {
        if (now[w] !== before[w]) {
          w++;
          continue;
        }
        let start = w << 2;
        while (w < lastWord && now[w] === before[w]) w++;
        let end = w << 2;
        while (start > from && pixels[start - 1] === previous[start - 1]) start--;
        while (end < rowEnd && pixels[end] === previous[end]) end++;
        if (end - start >= MIN_TRANSPARENT_RUN)
          out.fill(transparent, to + start - from, to + end - from);
      }
      continue;
    }
    let i = from;
    while (i < rowEnd) {
      if (pixels[i] !== previous[i]) {
        i++;
        continue;
      }
      const start = i;
      while (i < rowEnd && pixels[i] === previous[i]) i++;
      if (i - start >= MIN_TRANSPARENT_RUN) out.fill(transparent, to + start - from, to + i - from);
    }
  }
  return out;
}

const u16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];

/**
 * "GIF89a", the logical screen descriptor with its global colour table (padded to a power
 * of two), and the NETSCAPE2.0 loop block unless `repeat` is -1 (play once).
 */
function gifHead(
  width: number,
  height: number,
  colors: readonly RGB[],
  colorDepth: number,
  repeat: number,
): number[] {
  // Room for the transparent index past the colours too (colorDepth counts it).
  const tableBits = Math.max(1, Math.min(colorDepth, Math.ceil(Math.log2(colors.length + 1))));
  const fields = 0x80 | ((colorDepth - 1) << 4) | (tableBits - 1);
  const out = [...Buffer.from('GIF89a'), ...u16(width), ...u16(height), fields, 0, 0];
  for (let i = 0; i < 1 << tableBits; i++) out.push(...(colors[i] ?? [0, 0, 0]));
  if (repeat >= 0) out.push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, ...u16(repeat), 0);
  return out;
}

/** A comment extension in sub-blocks of at most 255 bytes (ASCII), or nothing. */
function commentBlock(comment: string | undefined): number[] {
  if (!comment) return [];
  const bytes = [...Buffer.from(comment.replace(/[^\x20-\x7e]/g, '?'), 'latin1')];
  const out = [0x21, 0xfe];
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255);
    out.push(part.length, ...part);
  }
  out.push(0);
  return out;
}

/**
 * Graphic control extension: the delay in centiseconds and, when `transparent` ≥ 0, that
 * index transparent with the frame left in place (disposal 1), so transparent pixels show
 * the frame before.
 */
function graphicControl(delayCs: number, transparent: number): number[] {
  return transparent < 0
    ? [0x21, 0xf9, 4, 0, ...u16(delayCs), 0, 0]
    : [0x21, 0xf9, 4, (1 << 2) | 1, ...u16(delayCs), transparent, 0];
}

/** Image descriptor at the rectangle's place, with no local colour table. */
function imageDescriptor(r: Rect): number[] {
  return [0x2c, ...u16(r.x), ...u16(r.y), ...u16(r.w), ...u16(r.h), 0];
}

function assertDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 0xffff) {
    throw new RangeError(`GIF ${name} must be an integer from 1 to 65535, got ${value}`);
  }
}

/**
 * GIF output: one global palette, with the colour scales' colours exactly when its 256
 * entries hold them with the background and the spare slot (more, as a colour scale over a
 * long domain makes, are quantized like the rest), and the other colours quantized from
 * the first, middle and last frames of the whole animation, whichever slice this is.
 */
export const gifWriter: AnimationWriter = {
  sampleFrames: (all) => [...new Set([all[0], all[all.length >> 1], all[all.length - 1]])],
  async open(outPath, job) {
    const { samples, scaleColors } = job;
    const exact = new Set(scaleColors.map((c) => c.join())).size + 2 <= 256;
    const palette = buildPalette({
      requiredColors: exact ? scaleColors : [],
      sample: samples,
      background: job.background,
      spareSlot: true,
      between: job.between && colorsBetween(samples, scaleColors, job.background, job.between),
      dither: job.dither,
    });
    const { width, height } = samples[0];
    const sink = await createGifSink(outPath, {
      width,
      height,
      fps: job.fps,
      loop: job.loop,
      extraSeconds: job.extraSeconds,
      startFrame: job.startFrame,
      frameCount: job.frameCount,
      palette,
      comment: job.software,
    });
    return {
      sink,
      width,
      height,
      palette: {
        colors: [...palette.colors],
        background: palette.background,
        dither: palette.dither,
      },
    };
  },
};
