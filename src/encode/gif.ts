/**
 * Streaming GIF encoder on top of gifenc. Each frame is palette-indexed and LZW-compressed into
 * gifenc's buffer, handed to the output, and the buffer is reset, so memory stays at one frame no
 * matter how long the animation is.
 */
import { createRequire } from 'node:module';
import { openAtomic } from './atomic.js';
import type { FrameSink, RasterFrame } from './frames.js';
import { buildPalette, type Palette } from './palette.js';
import { gifDelays, loopCount } from './timing.js';

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
  /** Needed up front: the last frame's delay carries `pauseEnd`. */
  frameCount: number;
  /** Written once as the GIF's global colour table; frames carry no local tables. */
  palette: Palette;
}

/** Options for whole-animation encoding; size and count come from the frames. */
export type GifBufferOptions = Omit<GifOptions, 'width' | 'height' | 'frameCount' | 'palette'> & {
  /** Defaults to a palette quantized from the first, middle and last frames. */
  palette?: Palette;
};

// The part of gifenc's GIFEncoder we use (gifenc ships CommonJS without type declarations).
interface GifencFrameOptions {
  /** Manual mode: write the screen descriptor, global colour table and loop block first. */
  first: boolean;
  /** On the first frame this is the global table; on later frames a local one, so pass null. */
  palette: number[][] | null;
  /** Milliseconds; gifenc stores Math.round(delay / 10) centiseconds. */
  delay: number;
  /** -1 = no NETSCAPE2.0 block, else its loop field (see timing.ts). Only read on the first frame. */
  repeat: number;
  /** Bits per index: the LZW minimum code size (at least 2). */
  colorDepth: number;
}
interface GifencEncoder {
  writeHeader(): void;
  writeFrame(index: Uint8Array, width: number, height: number, options: GifencFrameOptions): void;
  finish(): void;
  bytesView(): Uint8Array;
  reset(): void;
}
interface Gifenc {
  GIFEncoder(options: { auto: boolean; initialCapacity?: number }): GifencEncoder;
}

const { GIFEncoder } = createRequire(import.meta.url)('gifenc') as Gifenc;

/**
 * Turns frames into consecutive chunks of GIF bytes. Each returned view aliases gifenc's buffer and
 * is only valid until the next call.
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
  const colorTable = palette.colors.map((color) => [...color]);
  // Smallest code size that fits every index: smaller codes compress few-colour charts better.
  const colorDepth = Math.max(2, Math.ceil(Math.log2(colorTable.length)));

  // auto:false so that reset() between frames never re-emits the header: in manual mode the
  // header is ours to write (once, below) and the screen descriptor, global table and NETSCAPE
  // block are written only for the frame flagged `first`.
  const encoder = GIFEncoder({ auto: false, initialCapacity: 1 << 16 });
  const indexedPixels = new Uint8Array(width * height);
  // The previous frame's indices: a frame after the first is encoded as just the rectangle
  // that changed (GIF keeps what is outside it), which LZW-encodes faster and smaller.
  const previous = new Uint8Array(width * height);
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
      } else palette.indexFrame(frame.rgba, indexedPixels);

      encoder.reset(); // drop the previous chunk: the caller has consumed it
      const first = index === 0;
      const pixels = frame.indexed ?? indexedPixels;
      if (first) encoder.writeHeader();
      const rect = first
        ? { x: 0, y: 0, w: width, h: height }
        : changedRect(previous, pixels, width, height);
      encoder.writeFrame(first ? pixels : crop(pixels, width, rect), rect.w, rect.h, {
        first,
        palette: first ? colorTable : null,
        delay: delaysCs[index] * 10,
        repeat,
        colorDepth,
      });
      const bytes = encoder.bytesView();
      if (!first) {
        // gifenc writes every image at (0, 0); after its 8-byte graphic control extension
        // the image descriptor's left/top (little-endian) follow its 0x2c separator.
        if (bytes[8] !== 0x2c) throw new Error('unexpected gifenc frame layout');
        bytes[9] = rect.x & 0xff;
        bytes[10] = rect.x >> 8;
        bytes[11] = rect.y & 0xff;
        bytes[12] = rect.y >> 8;
      }
      previous.set(pixels);
      nextIndex++;
      return bytes;
    },
    encodeTrailer() {
      if (nextIndex !== frameCount) {
        throw new Error(`GIF was opened for ${frameCount} frames but received ${nextIndex}`);
      }
      encoder.reset();
      encoder.finish();
      return encoder.bytesView();
    },
  };
}

/**
 * A GIF written atomically to `path`: nothing appears there until `finish()` succeeds. Any error
 * in write/finish removes the temp file, so callers need not (but may) call `abort()`.
 */
export async function createGifSink(path: string, options: GifOptions): Promise<FrameSink> {
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

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
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

function crop(pixels: Uint8Array, width: number, r: Rect): Uint8Array {
  if (r.x === 0 && r.w === width) return pixels.subarray(r.y * width, (r.y + r.h) * width);
  const out = new Uint8Array(r.w * r.h);
  for (let y = 0; y < r.h; y++)
    out.set(pixels.subarray((r.y + y) * width + r.x, (r.y + y) * width + r.x + r.w), y * r.w);
  return out;
}

function assertDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 0xffff) {
    throw new RangeError(`GIF ${name} must be an integer from 1 to 65535, got ${value}`);
  }
}
