/**
 * GIF's variable-length LZW, written for speed: the string table is a direct
 * (pixel, prefix code) → code array instead of the classic hashed table, so extending a
 * run costs one array read, faster than a hashed encoder such as gifenc's at the same size
 * (docs/performance.md). The code stream follows the same rules as every GIF encoder since
 * `compress` (widen after the code that fills a width, clear at 4096).
 *
 * The same loop also exists as WebAssembly (lzw.wat, see ../wasm.ts), which GIFs use through
 * WasmFrameCoder: V8 runs it 1.2–1.6× faster than this JavaScript.
 * Both write the same bytes (tested); this one remains for a Node without WebAssembly
 * (`--jitless`) or a tree built without the .wasm.
 */

const MAX_CODES = 4096;

/** A reusable encoder; its tables are sized for the largest code size it has seen. */
export class LzwEncoder {
  private child = new Uint16Array(0);
  private readonly usedSlots = new Int32Array(MAX_CODES);
  private raw = new Uint8Array(1 << 16);

  /**
   * The image data of one GIF frame: the LZW minimum code size byte, the codes packed in
   * sub-blocks of at most 255 bytes, and the zero-length terminator.
   * Every pixel must be below 2^minCodeSize.
   */
  encode(pixels: Uint8Array, minCodeSize: number): Uint8Array {
    assertCodeSize(minCodeSize);
    const tableSize = MAX_CODES << minCodeSize;
    if (this.child.length < tableSize) this.child = new Uint16Array(tableSize);
    const child = this.child;
    const usedSlots = this.usedSlots;
    let used = 0;

    const clearCode = 1 << minCodeSize;
    const endCode = clearCode + 1;
    const initialBits = minCodeSize + 1;
    let bits = initialBits;
    let maxCode = (1 << bits) - 1;
    let nextCode = clearCode + 2;

    // Worst case: every pixel a 12-bit code, plus the clear and end codes.
    const bound = Math.ceil(((pixels.length + 2) * 12) / 8) + 8;
    if (this.raw.length < bound) this.raw = new Uint8Array(bound);
    const raw = this.raw;
    let len = 0;

    // The bit packing is written out where codes are emitted rather than in a closure: a
    // closure would move this state out of registers into a heap context, several times slower.
    let acc = clearCode; // the stream opens with a clear code
    let accBits = bits;
    const n = pixels.length;
    let prefix = pixels[0];
    for (let i = 1; i < n; i++) {
      const pixel = pixels[i];
      // Pixel-major: a run's codes are made one after another, so extending runs of one
      // pixel reads neighbouring slots.
      const slot = (pixel << 12) | prefix;
      const code = child[slot];
      if (code !== 0) {
        prefix = code; // the table knows this run: extend it
        continue;
      }
      acc |= prefix << accBits;
      accBits += bits;
      while (accBits >= 8) {
        raw[len++] = acc & 0xff;
        acc >>>= 8;
        accBits -= 8;
      }
      // Widen once the next code to be assigned no longer fits (the decoder lags by one).
      if (nextCode > maxCode && bits < 12) {
        bits++;
        maxCode = bits === 12 ? MAX_CODES : (1 << bits) - 1;
      }
      if (nextCode < MAX_CODES) {
        child[slot] = nextCode++;
        usedSlots[used++] = slot;
      } else {
        // The table is full: a clear code (still at 12 bits), then start afresh.
        acc |= clearCode << accBits;
        accBits += bits;
        while (accBits >= 8) {
          raw[len++] = acc & 0xff;
          acc >>>= 8;
          accBits -= 8;
        }
        for (let k = 0; k < used; k++) child[usedSlots[k]] = 0;
        used = 0;
        nextCode = clearCode + 2;
        bits = initialBits;
        maxCode = (1 << bits) - 1;
      }
      prefix = pixel;
    }
    // The last run, then the end code (widening between them as after any code).
    for (const last of n > 0 ? [prefix, endCode] : [endCode]) {
      acc |= last << accBits;
      accBits += bits;
      while (accBits >= 8) {
        raw[len++] = acc & 0xff;
        acc >>>= 8;
        accBits -= 8;
      }
      if (nextCode > maxCode && bits < 12) {
        bits++;
        maxCode = bits === 12 ? MAX_CODES : (1 << bits) - 1;
      }
    }
    if (accBits > 0) raw[len++] = acc & 0xff;
    for (let k = 0; k < used; k++) child[usedSlots[k]] = 0; // leave the table empty

    return subBlocks(raw.subarray(0, len), minCodeSize);
  }
}

function assertCodeSize(minCodeSize: number): void {
  if (!Number.isInteger(minCodeSize) || minCodeSize < 2 || minCodeSize > 8) {
    throw new RangeError(`LZW minimum code size must be 2..8, got ${minCodeSize}`);
  }
}

/** The image data: the minimum code size byte, sub-blocks of ≤ 255 bytes, the terminator. */
function subBlocks(codes: Uint8Array, minCodeSize: number): Uint8Array {
  const len = codes.length;
  const blocks = Math.ceil(len / 255);
  const out = new Uint8Array(1 + len + blocks + 1);
  out[0] = minCodeSize;
  let o = 1;
  for (let start = 0; start < len; start += 255) {
    const size = Math.min(255, len - start);
    out[o++] = size;
    out.set(codes.subarray(start, start + size), o);
    o += size;
  }
  out[o] = 0;
  return out;
}

/** lzw.wat's memory map: the code table (2 MiB), the used slots (16 KiB), then the pixels. */
const WASM_PIXELS_AT = (2 << 20) + (16 << 10);
const WASM_PAGE = 65536;

interface LzwExports {
  memory: WebAssembly.Memory;
  encode(pixelsAt: number, n: number, minCodeSize: number, codesAt: number): number;
}

/** A rectangle of a frame, in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface FrameCoderExports extends LzwExports {
  diff(
    nowAt: number,
    beforeAt: number,
    width: number,
    height: number,
    transparent: number,
    outAt: number,
  ): number;
  rectX: WebAssembly.Global;
  rectY: WebAssembly.Global;
  rectW: WebAssembly.Global;
  rectH: WebAssembly.Global;
}

/**
 * gif.ts's frame coding in lzw.wat: the rectangle that changed from the frame before, its
 * pixels with unchanged runs of 8 or more transparent, and their LZW codes, with the frame
 * before kept in WebAssembly memory (two areas that swap roles). Same bytes as gif.ts's
 * JavaScript (changedRect, crop, LzwEncoder), taking less of the main thread's time.
 */
export class WasmFrameCoder {
  private readonly exports: FrameCoderExports;
  private now: number;
  private before: number;
  private readonly croppedAt: number;
  private readonly codesAt: number;

  /** The pixels of a frame it codes. */
  readonly pixels: number;

  constructor(
    module: WebAssembly.Module,
    private readonly width: number,
    private readonly height: number,
    private readonly transparent: number,
  ) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as FrameCoderExports;
    const n = (this.pixels = width * height);
    const align = (v: number) => (v + 7) & ~7;
    this.now = WASM_PIXELS_AT;
    this.before = align(this.now + n);
    this.croppedAt = align(this.before + n);
    this.codesAt = align(this.croppedAt + n);
    const needed = this.codesAt + Math.ceil(((n + 2) * 12) / 8) + 16;
    const { memory } = this.exports;
    if (memory.buffer.byteLength < needed)
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / WASM_PAGE));
  }

  encode(
    pixels: Uint8Array,
    first: boolean,
    minCodeSize: number,
  ): { rect: Rect; data: Uint8Array } {
    assertCodeSize(minCodeSize);
    const { memory, encode, diff } = this.exports;
    const { width, height } = this;
    new Uint8Array(memory.buffer, this.now, width * height).set(pixels);
    let rect: Rect;
    let len: number;
    if (first) {
      rect = { x: 0, y: 0, w: width, h: height };
      len = encode(this.now, width * height, minCodeSize, this.codesAt);
    } else {
      const n = diff(this.now, this.before, width, height, this.transparent, this.croppedAt);
      const { rectX, rectY, rectW, rectH } = this.exports;
      rect = { x: rectX.value, y: rectY.value, w: rectW.value, h: rectH.value };
      len = encode(this.croppedAt, n, minCodeSize, this.codesAt);
    }
    [this.now, this.before] = [this.before, this.now];
    return { rect, data: subBlocks(new Uint8Array(memory.buffer, this.codesAt, len), minCodeSize) };
  }
}
