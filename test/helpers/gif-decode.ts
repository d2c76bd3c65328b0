/** Test-side GIF decoding with omggif (an independent decoder, so tests do not trust our encoder). */
import { readFileSync } from 'node:fs';
import { GifReader } from 'omggif';

export interface DecodedGif {
  width: number;
  height: number;
  frameCount: number;
  delaysCs: number[];
  /** The NETSCAPE2.0 loop field (0 = forever), or null when the GIF has no NETSCAPE block. */
  loop: number | null;
  /** Frame i as the viewer shows it: RGBA after compositing frames 0…i with their disposal. */
  frame(i: number): Uint8Array;
  /** Frame i's own block: position, size, delay, disposal, local-palette flag. */
  frameInfo(i: number): ReturnType<GifReader['frameInfo']>;
}

export function decodeGif(source: string | Uint8Array): DecodedGif {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const reader = new GifReader(bytes);
  const { width, height } = reader;
  const frameCount = reader.numFrames();
  const delaysCs = Array.from({ length: frameCount }, (_, i) => reader.frameInfo(i).delay);
  // omggif's typings say number, but it returns null when there is no NETSCAPE block.
  const loop = (reader.loopCount() as number | null) ?? null;

  return {
    width,
    height,
    frameCount,
    delaysCs,
    loop,
    frameInfo: (i) => reader.frameInfo(i),
    frame(i) {
      if (!Number.isInteger(i) || i < 0 || i >= frameCount) {
        throw new RangeError(`frame ${i} out of range 0…${frameCount - 1}`);
      }
      const canvas = new Uint8Array(width * height * 4);
      for (let k = 0; k <= i; k++) {
        const info = reader.frameInfo(k);
        const before = info.disposal === 3 && k < i ? canvas.slice() : undefined;
        reader.decodeAndBlitFrameRGBA(k, canvas); // blits only non-transparent pixels
        if (k === i) break;
        if (info.disposal === 2) clearRect(canvas, width, info);
        if (before) canvas.set(before);
      }
      return canvas;
    },
  };
}

function clearRect(
  canvas: Uint8Array,
  canvasWidth: number,
  rect: { x: number; y: number; width: number; height: number },
): void {
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    canvas.fill(0, (y * canvasWidth + rect.x) * 4, (y * canvasWidth + rect.x + rect.width) * 4);
  }
}
