/** CSS colour strings → RGBA bytes, parsed by the canvas itself so they match its drawing. */
import { createCanvas } from 'canvas';

const ctx = createCanvas(1, 1).getContext('2d');
const cache = new Map<string, Uint8ClampedArray>();

/** [r, g, b, a] with a in 0..255; unparseable colours are transparent. */
export function parseColor(css: string): Uint8ClampedArray {
  let rgba = cache.get(css);
  if (!rgba) rgba = parseCommon(css);
  if (!rgba) {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const px = ctx.getImageData(0, 0, 1, 1).data;
    rgba = new Uint8ClampedArray(4);
    // getImageData un-premultiplies; alpha 0 means the string did not parse
    rgba.set(px);
  }
  if (cache.size > 1 << 16) cache.clear(); // continuous scales make many strings
  cache.set(css, rgba);
  return rgba;
}

const RGB = /^rgb\((\d{1,3}), ?(\d{1,3}), ?(\d{1,3})\)$/;
const HEX6 = /^#([0-9a-f]{6})$/i;

/** The forms d3/Vega scales emit, parsed without a canvas round trip. */
function parseCommon(css: string): Uint8ClampedArray | undefined {
  let m = RGB.exec(css);
  if (m) return Uint8ClampedArray.of(+m[1], +m[2], +m[3], 255);
  m = HEX6.exec(css);
  if (m) {
    const v = parseInt(m[1], 16);
    return Uint8ClampedArray.of(v >> 16, (v >> 8) & 255, v & 255, 255);
  }
  return undefined;
}
