/**
 * An image's pixel size from its header, read before anything decodes it: a 1.5 MB PNG of
 * one colour can declare 20,000 × 20,000 pixels and decode to 1.6 GB, and a 130-byte SVG
 * declaring 30,000 × 30,000 is rasterised at that size. Every format the canvas decodes is
 * read here (PNG, GIF, JPEG, WebP, BMP, ICO, AVIF, SVG; CUR too); anything else is not an
 * image the canvas draws, and is refused by the caller rather than handed to it blind.
 */

export interface ImageSize {
  width: number;
  height: number;
}

export type ImageFormat = 'PNG' | 'GIF' | 'JPEG' | 'WebP' | 'BMP' | 'ICO' | 'CUR' | 'AVIF' | 'SVG';

/** The formats the canvas draws, as a refusal names them. */
export const DRAWN_FORMATS = 'PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG';

export interface ImageHeader {
  format: ImageFormat;
  /** Undefined when the header is cut short or malformed: the size cannot be known. */
  size: ImageSize | undefined;
}

/** The format and declared size, or undefined when the bytes are no format read here. */
export function imageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, text: string) =>
    b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
  if (ascii(0, '\x89PNG\r\n\x1a\n')) return { format: 'PNG', size: pngSize(b, 0) };
  if (ascii(0, 'GIF8'))
    return {
      format: 'GIF',
      size: b.length >= 10 ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8) } : undefined,
    };
  if (ascii(0, 'BM')) return { format: 'BMP', size: dibSize(b, 14, false) };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return { format: 'WebP', size: webpSize(b) };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)
    return { format: 'JPEG', size: jpegSize(b) };
  // ICO and CUR: reserved 0, type 1 or 2, at least one image.
  if (b.length >= 6 && b.readUInt16LE(0) === 0 && (b[2] === 1 || b[2] === 2) && b[3] === 0)
    if (b.readUInt16LE(4) > 0) return { format: b[2] === 1 ? 'ICO' : 'CUR', size: icoSize(b) };
  if (ascii(4, 'ftyp') && avifBrand(b)) return { format: 'AVIF', size: avifSize(b) };
  const svg = svgRoot(b);
  if (svg !== undefined) return { format: 'SVG', size: svgSize(svg) };
  return undefined;
}

/** The declared width and height, or undefined when they cannot be read. */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  return imageHeader(bytes)?.size;
}

function pngSize(b: Buffer, at: number): ImageSize | undefined {
  return b.length >= at + 24
    ? { width: b.readUInt32BE(at + 16), height: b.readUInt32BE(at + 20) }
    : undefined;
}

/**
 * A DIB header's size (BMP after its 14-byte file header; ICO entries without one, whose
 * height counts the colour and mask rows both). An OS/2 header (12 bytes) has 16-bit sides.
 */
function dibSize(b: Buffer, at: number, masked: boolean): ImageSize | undefined {
  if (b.length < at + 12) return undefined;
  const header = b.readUInt32LE(at);
  let width: number;
  let height: number;
  if (header === 12) {
    width = b.readUInt16LE(at + 4);
    height = b.readUInt16LE(at + 6);
  } else {
    width = Math.abs(b.readInt32LE(at + 4));
    height = Math.abs(b.readInt32LE(at + 8));
  }
  return { width, height: masked ? Math.ceil(height / 2) : height };
}

/**
 * The largest image of an ICO or CUR directory: each entry's own byte sizes (0 is 256), and
 * the PNG or DIB header at its offset, which is what the decoder believes. An entry whose
 * image lies outside the file makes the size unknown.
 */
function icoSize(b: Buffer): ImageSize | undefined {
  const count = b.readUInt16LE(4);
  let largest: ImageSize = { width: 0, height: 0 };
  const keep = (s: ImageSize) => {
    if (s.width * s.height > largest.width * largest.height) largest = s;
  };
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    if (b.length < entry + 16) return undefined;
    keep({ width: b[entry] || 256, height: b[entry + 1] || 256 });
    const at = b.readUInt32LE(entry + 12);
    const inner =
      b.subarray(at, at + 8).toString('latin1') === '\x89PNG\r\n\x1a\n'
        ? pngSize(b, at)
        : dibSize(b, at, true);
    if (!inner) return undefined;
    keep(inner);
  }
  return largest;
}

/** Whether an ISO media file's major or compatible brands say AVIF (still or sequence). */
function avifBrand(b: Buffer): boolean {
  const end = Math.min(b.length, b.readUInt32BE(0));
  for (let at = 8; at + 4 <= end; at += 4) {
    if (at === 12) continue; // the minor version
    const brand = b.toString('latin1', at, at + 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

/**
 * The largest image spatial extent ('ispe': meta > iprp > ipco) of an AVIF file: the
 * primary image's, a grid's and each tile's. The decoder refuses an image whose coded
 * size differs from its ispe.
 */
function avifSize(b: Buffer): ImageSize | undefined {
  let largest: ImageSize | undefined;
  const walk = (start: number, end: number, path: string) => {
    for (let at = start; at + 8 <= end;) {
      let size = b.readUInt32BE(at);
      const type = b.toString('latin1', at + 4, at + 8);
      let header = 8;
      if (size === 1 && at + 16 <= end) {
        size = Number(b.readBigUInt64BE(at + 8));
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header || at + size > end) return;
      const body = at + header;
      if (path === '' && type === 'meta') walk(body + 4, at + size, 'meta');
      else if (path === 'meta' && type === 'iprp') walk(body, at + size, 'iprp');
      else if (path === 'iprp' && type === 'ipco') walk(body, at + size, 'ipco');
      else if (path === 'ipco' && type === 'ispe' && size >= header + 12) {
        const s = { width: b.readUInt32BE(body + 4), height: b.readUInt32BE(body + 8) };
        if (!largest || s.width * s.height > largest.width * largest.height) largest = s;
      }
      at += size;
    }
  };
  walk(0, b.length, '');
  return largest;
}

/**
 * The root element's start tag of an SVG document: after a byte-order mark, the XML
 * declaration, comments, processing instructions and a DOCTYPE, the first element must be
 * `<svg`. Anything else is not read as SVG.
 */
function svgRoot(b: Buffer): string | undefined {
  // Only the start of the text is needed; a prolog longer than this is not an image.
  const text = b.toString('utf8', 0, Math.min(b.length, 1 << 20));
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at])) at++;
    if (text.startsWith('<?', at)) at = text.indexOf('?>', at) + 2;
    else if (text.startsWith('<!--', at)) at = text.indexOf('-->', at) + 3;
    else if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
      const subset = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      at = subset >= 0 && subset < close ? text.indexOf(']', subset) : at;
      if (at < 0) return undefined;
      at = text.indexOf('>', at) + 1;
    } else break;
    if (at <= 0) return undefined;
  }
  if (!/^<svg[\s/>]/.test(text.slice(at, at + 5))) return undefined;
  const end = /^<svg(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*\/?>/.exec(text.slice(at));
  // A start tag that does not close is read as one whose size cannot be known.
  return end ? end[0] : '';
}

/** CSS pixels per unit, as large as any renderer takes them (96 per inch; 16 per em). */
const SVG_UNITS: Record<string, number> = {
  '': 1,
  px: 1,
  pt: 4 / 3,
  pc: 16,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
  em: 16,
  ex: 8,
};

/**
 * The size an SVG is rasterised at: its width and height, or its viewBox's (a side missing,
 * or a percentage); the larger of the two where both are given, as renderers differ in
 * which they take. A length that cannot be read makes the size unknown.
 */
function svgSize(tag: string): ImageSize | undefined {
  if (tag === '') return undefined;
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/\s([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    attrs.set(m[1], m[2] ?? m[3]);
  let box: number[] = [0, 0];
  const viewBox = attrs.get('viewBox');
  if (viewBox !== undefined) {
    const parts = viewBox
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (parts.length !== 4 || !parts.every(Number.isFinite)) return undefined;
    box = [Math.max(0, parts[2]), Math.max(0, parts[3])];
  }
  const side = (name: string, fallback: number): number | undefined => {
    const value = attrs.get(name);
    if (value === undefined) return fallback;
    const m = /^\s*\+?((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*|%)\s*$/i.exec(value);
    if (!m) return undefined;
    if (m[2] === '%') return fallback;
    const unit = SVG_UNITS[m[2].toLowerCase()];
    const px = Number(m[1]) * (unit ?? NaN);
    return Number.isFinite(px) ? Math.max(px, fallback) : undefined;
  };
  const width = side('width', box[0]);
  const height = side('height', box[1]);
  if (width === undefined || height === undefined) return undefined;
  return { width: Math.ceil(width), height: Math.ceil(height) };
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

/**
 * The first start-of-frame segment's size, found as libjpeg finds it: bytes that are not a
 * marker are skipped (libjpeg warns and goes on), fill bytes (FF FF) and stuffed zeros (FF
 * 00) too; standalone markers (TEM, RST0–7, SOI) have no length; every other segment is
 * skipped by its length. Undefined only when no start of frame is there to read.
 */
function jpegSize(b: Buffer): ImageSize | undefined {
  let at = 2;
  while (at + 1 < b.length) {
    if (b[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (
      marker === 0x00 ||
      marker === 0x01 ||
      marker === 0xd8 ||
      (marker >= 0xd0 && marker <= 0xd7)
    ) {
      at += 2;
      continue;
    }
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return at + 9 <= b.length
        ? { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) }
        : undefined;
    if (at + 4 > b.length) return undefined;
    // A length below 2 is malformed: what follows is scanned as bytes to skip.
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}
