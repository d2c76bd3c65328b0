/**
 * An image's pixel size from its header, read before anything decodes it: a 1.5 MB PNG of
 * one colour can declare 20,000 × 20,000 pixels and decode to 1.6 GB. PNG, GIF, JPEG, WebP
 * and BMP are read here; other formats (SVG) are drawn at the mark's own size.
 */

export interface ImageSize {
  width: number;
  height: number;
}

/** The declared width and height, or undefined when the format is not one read here. */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, text: string) =>
    b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
  if (ascii(0, '\x89PNG\r\n\x1a\n') && b.length >= 24)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (ascii(0, 'GIF8') && b.length >= 10)
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (ascii(0, 'BM') && b.length >= 26)
    return { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return webpSize(b);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegSize(b);
  return undefined;
}

function webpSize(b: Buffer): ImageSize | undefined {
  if (b.length < 30) return undefined;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ')
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return undefined;
}

/** The first start-of-frame segment's size; segments are walked by their lengths. */
function jpegSize(b: Buffer): ImageSize | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}
