/**
 * PNG by the canvas's own encoder (Skia's, in a libuv thread): faster than encode/png.ts on
 * chart frames (docs/performance.md). The bytes it makes are the same for the same pixels
 * on every machine (the encoder ships with the canvas package, fixed by its version); the
 * caller adds the chunks it records (pHYs, text) with encode/png.ts's `withPngChunks`.
 */
import { type Canvas, ImageData, createCanvas } from 'canvas';

export interface RgbaFrame {
  width: number;
  height: number;
  /** Straight (non-premultiplied) RGBA. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/**
 * The PNG of straight RGBA pixels (put on a canvas of their own, which the canvas takes as
 * unpremultiplied), or of a canvas as drawn.
 */
export async function canvasPng(source: Canvas | RgbaFrame): Promise<Uint8Array> {
  if (!('rgba' in source)) return new Uint8Array(await source.encode('png'));
  const { width, height, rgba } = source;
  const canvas = createCanvas(width, height);
  const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  canvas.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
  return new Uint8Array(await canvas.encode('png'));
}
