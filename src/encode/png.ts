/**
 * PNG and APNG encoding: RGBA, 8 bits per channel, each row filtered with the filter that
 * libpng's heuristic picks (smallest sum of absolute differences), deflated by Node's zlib.
 * Text chunks carry metadata (title, software). APNG frames after the first carry only
 * the rectangle that changed, as the GIF encoder does.
 */
import { deflateSync } from 'node:zlib';
import { openAtomic, openAtomicFolder } from './atomic.js';
import type { AnimationJob, AnimationWriter, FrameSink, RasterFrame } from './sink.js';
import { frameDelaysMs } from './timing.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** One PNG chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function u32be(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v));
  return out;
}

function ihdr(width: number, height: number): Uint8Array {
  // 8-bit RGBA (colour type 6), deflate, adaptive filtering, no interlace.
  const data = new Uint8Array(13);
  data.set(u32be(width, height));
  data.set([8, 6, 0, 0, 0], 8);
  return pngChunk('IHDR', data);
}

/**
 * Text metadata: tEXt when the text is Latin-1 (as tEXt requires), else iTXt, which holds
 * UTF-8 (titles with dashes or other scripts).
 */
function textChunks(text: Record<string, string>): Uint8Array[] {
  return Object.entries(text).map(([key, value]) =>
    /^[\x20-\x7e\xa0-\xff\n]*$/.test(value)
      ? pngChunk('tEXt', Buffer.from(`${key}\0${value}`, 'latin1'))
      : pngChunk(
          'iTXt',
          // keyword, NUL, uncompressed, method 0, no language tag, no translated keyword
          Buffer.concat([Buffer.from(`${key}\0\0\0\0\0`, 'latin1'), Buffer.from(value, 'utf8')]),
        ),
  );
}

/**
 * Row `cur` (rowBytes long; `prev` is the row above, or -1 for none) filtered with
 * filter f (0 none, 1 sub, 2 up, 3 average, 4 Paeth), written into out at o.
 */
function filterRow(
  rgba: Uint8Array | Uint8ClampedArray,
  cur: number,
  prev: number,
  rowBytes: number,
  f: number,
  out: Uint8Array,
  o: number,
): void {
  for (let i = 0; i < rowBytes; i++) {
    const x = rgba[cur + i];
    let v: number;
    if (f === 0) v = x;
    else {
      const a = i >= 4 ? rgba[cur + i - 4] : 0;
      const b = prev >= 0 ? rgba[prev + i] : 0;
      if (f === 1) v = x - a;
      else if (f === 2) v = x - b;
      else if (f === 3) v = x - ((a + b) >> 1);
      else {
        const c = i >= 4 && prev >= 0 ? rgba[prev + i - 4] : 0;
        const p = a + b - c;
        const pa = p > a ? p - a : a - p;
        const pb = p > b ? p - b : b - p;
        const pc = p > c ? p - c : c - p;
        v = x - (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    }
    out[o + i] = v & 0xff;
  }
}

/** The filter with the smallest signed sum for this row: all five measured in one pass. */
function bestFilter(
  rgba: Uint8Array | Uint8ClampedArray,
  cur: number,
  prev: number,
  rowBytes: number,
): number {
  let none = 0;
  let sub = 0;
  let up = 0;
  let avg = 0;
  let paeth = 0;
  const cost = (v: number) => {
    const b = v & 0xff;
    return b < 128 ? b : 256 - b;
  };
  for (let i = 0; i < rowBytes; i++) {
    const x = rgba[cur + i];
    const a = i >= 4 ? rgba[cur + i - 4] : 0;
    const b = prev >= 0 ? rgba[prev + i] : 0;
    const c = i >= 4 && prev >= 0 ? rgba[prev + i - 4] : 0;
    const p = a + b - c;
    const pa = p > a ? p - a : a - p;
    const pb = p > b ? p - b : b - p;
    const pc = p > c ? p - c : c - p;
    none += cost(x);
    sub += cost(x - a);
    up += cost(x - b);
    avg += cost(x - ((a + b) >> 1));
    paeth += cost(x - (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
  }
  const sums = [none, sub, up, avg, paeth];
  let best = 0;
  for (let f = 1; f < 5; f++) if (sums[f] < sums[best]) best = f;
  return best;
}

/**
 * Filtered scanlines of the rectangle (x, y, w, h) of an RGBA image, deflated: the payload
 * of IDAT (or of fdAT after its sequence number). Each row gets the filter libpng's
 * heuristic picks: the smallest sum of filtered bytes read as signed.
 */
function compressRect(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  rect: Rect,
  level: number,
): Buffer {
  const rowBytes = rect.w * 4;
  const out = new Uint8Array((rowBytes + 1) * rect.h);
  for (let row = 0; row < rect.h; row++) {
    const cur = ((rect.y + row) * width + rect.x) * 4;
    const prev = row > 0 ? cur - width * 4 : -1;
    const best = bestFilter(rgba, cur, prev, rowBytes);
    const o = row * (rowBytes + 1);
    out[o] = best;
    filterRow(rgba, cur, prev, rowBytes, best, out, o + 1);
  }
  return deflateSync(out, { level });
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PngOptions {
  /** tEXt metadata, e.g. { Title, Software }. */
  text?: Record<string, string>;
  /** zlib level, 0–9 (default 6). */
  level?: number;
  /** The resolution recorded in the pHYs chunk, in pixels per inch (default 72). */
  ppi?: number;
}

/** The pHYs chunk: pixels per metre on both axes (unit 1, the metre). */
export function physChunk(ppi = 72): Uint8Array {
  const perMetre = Math.round(ppi / 0.0254);
  const data = new Uint8Array(9);
  data.set(u32be(perMetre, perMetre));
  data[8] = 1;
  return pngChunk('pHYs', data);
}

/** One still PNG. */
export function encodePng(frame: RasterFrame, options: PngOptions = {}): Uint8Array {
  const { width, height, rgba } = frame;
  assertFrame(frame, width, height);
  const idat = compressRect(rgba, width, { x: 0, y: 0, w: width, h: height }, options.level ?? 6);
  return Buffer.concat([
    SIGNATURE,
    ihdr(width, height),
    physChunk(options.ppi),
    ...textChunks(options.text ?? {}),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * An encoder of plain PNG bytes from another library (the canvas's: pipeline/formats.ts),
 * faster on chart frames than `encodePng`; `withPngChunks` adds what the file records.
 */
export type PngEncoder = (frame: RasterFrame) => Promise<Uint8Array>;

/** Chunks a PNG gets from the options: any the encoder wrote of these kinds are replaced. */
const RECORDED = new Set(['pHYs', 'tEXt', 'iTXt', 'zTXt']);

/**
 * A PNG with the pHYs and text chunks of `options` placed after its IHDR (where encodePng
 * puts them), and any it had of those kinds left out.
 */
export function withPngChunks(png: Uint8Array, options: PngOptions = {}): Uint8Array {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [SIGNATURE];
  for (let o = SIGNATURE.length; o < png.length;) {
    const end = o + 12 + view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    if (!RECORDED.has(type)) parts.push(png.subarray(o, end));
    if (type === 'IHDR') parts.push(physChunk(options.ppi), ...textChunks(options.text ?? {}));
    o = end;
  }
  return Buffer.concat(parts);
}

/** Whether every pixel is opaque. */
function opaque(rgba: Uint8Array | Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/**
 * One still PNG by `encoder` when the frame is opaque (its bytes are then exact; a frame
 * with partial transparency would go through the canvas's premultiplied pixels and lose
 * the low bits of faint colours), else by `encodePng`.
 */
export async function encodePngWith(
  frame: RasterFrame,
  options: PngOptions,
  encoder: PngEncoder | undefined,
): Promise<Uint8Array> {
  if (!encoder || !opaque(frame.rgba)) return encodePng(frame, options);
  assertFrame(frame, frame.width, frame.height);
  return withPngChunks(await encoder(frame), options);
}

export interface ApngOptions extends PngOptions {
  width: number;
  height: number;
  frameCount: number;
  /** Per-frame display time in milliseconds (pauses included). */
  delaysMs: number[];
  /** Plays in all; 0 = forever. */
  plays: number;
}

/**
 * An animated PNG written atomically to `path`, frame by frame. The first frame is the
 * default image (what non-animating viewers show).
 */
export async function createApngSink(path: string, options: ApngOptions): Promise<FrameSink> {
  const { width, height, frameCount, delaysMs } = options;
  if (delaysMs.length !== frameCount) throw new RangeError('one delay per frame is needed');
  const file = await openAtomic(path);
  const level = options.level ?? 6;
  let sequence = 0;
  let previous: Uint8Array | undefined;
  let next = 0;
  const guard = async (step: () => Promise<void>) => {
    try {
      await step();
    } catch (e) {
      await file.abort();
      throw e;
    }
  };
  await guard(() =>
    file.write(
      Buffer.concat([
        SIGNATURE,
        ihdr(width, height),
        pngChunk('acTL', u32be(frameCount, options.plays)),
        physChunk(options.ppi),
        ...textChunks(options.text ?? {}),
      ]),
    ),
  );
  return {
    write: (frame, index) =>
      guard(async () => {
        if (index !== next)
          throw new Error(`APNG frames must arrive in order: ${next}, got ${index}`);
        assertFrame(frame, width, height);
        const rect = previous
          ? changedRect(previous, frame.rgba, width, height)
          : { x: 0, y: 0, w: width, h: height };
        // fcTL: sequence, size, offset, delay as a fraction of a second, dispose none, blend
        // source (the rectangle replaces what was there, alpha included).
        const fctl = new Uint8Array(26);
        fctl.set(u32be(sequence++, rect.w, rect.h, rect.x, rect.y));
        const view = new DataView(fctl.buffer);
        view.setUint16(20, Math.round(delaysMs[index]));
        view.setUint16(22, 1000);
        fctl[24] = 0;
        fctl[25] = 0;
        const data = compressRect(frame.rgba, width, rect, level);
        const body =
          index === 0
            ? pngChunk('IDAT', data)
            : pngChunk('fdAT', Buffer.concat([u32be(sequence++), data]));
        await file.write(Buffer.concat([pngChunk('fcTL', fctl), body]));
        previous ??= new Uint8Array(width * height * 4);
        previous.set(frame.rgba);
        next++;
      }),
    finish: () =>
      guard(async () => {
        if (next !== frameCount) throw new Error(`APNG expected ${frameCount} frames, got ${next}`);
        await file.write(pngChunk('IEND', new Uint8Array(0)));
        await file.commit();
      }),
    abort: () => file.abort(),
  };
}

function assertFrame(frame: RasterFrame, width: number, height: number): void {
  if (
    frame.width !== width ||
    frame.height !== height ||
    frame.rgba.length !== width * height * 4
  ) {
    throw new RangeError(`frame is ${frame.width}×${frame.height}, expected ${width}×${height}`);
  }
}

/** The smallest rectangle of 32-bit pixels that differ (1×1 when none does). */
function changedRect(
  a: Uint8Array,
  b: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
): Rect {
  const same = (i: number) =>
    a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2] && a[i + 3] === b[i + 3];
  let top = 0;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!same((y * width + x) * 4)) {
        if (bottom < 0) top = y;
        bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return { x: 0, y: 0, w: 1, h: 1 };
  return { x: left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

export interface PngSequenceOptions extends PngOptions {
  frameCount: number;
  /** The encoder of opaque frames (see encodePngWith); default encodePng. */
  encoder?: PngEncoder;
  /**
   * The first frame's place in the whole animation (a slice's start) and the whole's frame
   * count: files are numbered as in the whole, so slices' folders merge into its folder.
   */
  startFrame?: number;
  wholeFrameCount?: number;
}

/** The files a PNG sequence is made of: `frame-00001.png`, `frame-123456.png`. */
const FRAME_FILE = /^frame-\d+\.png$/;

/**
 * Files a file manager adds to a folder it shows (macOS Finder, Windows Explorer): a folder
 * of frames someone looked at is still only frames.
 */
const FILE_MANAGER_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * Frames as `frame-00001.png`, `frame-00002.png`, … in `folder`. They are written into a
 * hidden folder beside it, which `finish()` swaps in for `folder` (encode/atomic.ts), so an
 * interrupted or failed render changes nothing and the folder never mixes two renders. An
 * existing `folder` is replaced only if it holds nothing but frames; other files in it are
 * refused, not deleted.
 */
export async function createPngSequenceSink(
  folder: string,
  options: PngSequenceOptions,
): Promise<FrameSink> {
  const out = await openAtomicFolder(folder, {
    replaceable: (entry) =>
      (FRAME_FILE.test(entry.name) || FILE_MANAGER_FILES.has(entry.name)) && !entry.isDirectory(),
    contents: 'PNG frames (frame-NNNNN.png)',
  });
  const digits = Math.max(5, String(options.wholeFrameCount ?? options.frameCount).length);
  const first = (options.startFrame ?? 0) + 1;
  let next = 0;
  return {
    async write(frame, index) {
      try {
        if (index !== next)
          throw new Error(`PNG frames must arrive in order: ${next}, got ${index}`);
        const name = `frame-${String(first + index).padStart(digits, '0')}.png`;
        await out.writeFile(name, await encodePngWith(frame, options, options.encoder));
        next++;
      } catch (e) {
        await out.abort();
        throw e;
      }
    },
    async finish() {
      try {
        await out.commit();
      } finally {
        await out.abort(); // a no-op once committed
      }
    },
    abort: () => out.abort(),
  };
}

/** The PNG text chunks of an animation's output: its title, if any, and the software. */
function textOf(job: AnimationJob): Record<string, string> {
  return { ...(job.title ? { Title: job.title } : {}), Software: job.software };
}

/** APNG output: sized by the whole animation's first frame. */
export const apngWriter: AnimationWriter = {
  sampleFrames: (all) => [all[0]],
  async open(outPath, job) {
    const { width, height } = job.samples[0];
    const sink = await createApngSink(outPath, {
      width,
      height,
      ppi: job.ppi,
      frameCount: job.frameCount,
      delaysMs: frameDelaysMs(job.frameCount, {
        fps: job.fps,
        extraSeconds: job.extraSeconds,
        startFrame: job.startFrame,
      }),
      plays: job.loop === true ? 0 : job.loop === false ? 1 : job.loop,
      text: textOf(job),
    });
    return { sink, width, height };
  },
};

/** A folder of PNG frames, numbered as in the whole animation; opaque ones by `encoder`. */
export const pngSequenceWriterWith = (encoder?: PngEncoder): AnimationWriter => ({
  sampleFrames: (all) => [all[0]],
  async open(outPath, job) {
    const { width, height } = job.samples[0];
    const sink = await createPngSequenceSink(outPath, {
      frameCount: job.frameCount,
      startFrame: job.startFrame,
      wholeFrameCount: job.wholeFrameCount,
      text: textOf(job),
      ppi: job.ppi,
      encoder,
    });
    return { sink, width, height };
  },
});

/** A folder of PNG frames by encodePng alone. */
export const pngSequenceWriter: AnimationWriter = pngSequenceWriterWith();
