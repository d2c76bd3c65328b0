/** CSS colour strings → RGBA bytes, parsed by the canvas itself so they match its drawing. */
import { createCanvas } from 'canvas';

const ctx = createCanvas(1, 1).getContext('2d');
const cache = new Map<string, Uint8ClampedArray>();

/** [r, g, b, a] with a in 0..255; unparseable colours are transparent. */
export function parseColor(css: string): Uint8ClampedArray {
  let rgba = cache.get(css);
  if (!rgba) {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const px = ctx.getImageData(0, 0, 1, 1).data;
    rgba = new Uint8ClampedArray(4);
    // getImageData un-premultiplies; alpha 0 means the string did not parse
    rgba.set(px);
    cache.set(css, rgba);
  }
  return rgba;
}
