/**
 * Joins GIFs rendered as slices of one animation (`--frames a:b`) into one GIF, losslessly:
 * the first part's header, screen, colour table, loop block and comment (the software that
 * made it), then every part's frames in order. Slices of one render share its palette, size
 * and timing, so their frames need nothing more; a later part whose colour table differs
 * (a GIF from elsewhere) has it carried along as a local table on its frames, so every
 * frame keeps exactly its pixels.
 */
import { UserError } from '../support/user-error.js';
import { encodeMessage } from './messages.js';

export class GifJoinError extends UserError {}

interface ParsedGif {
  width: number;
  height: number;
  /** Header + logical screen descriptor + global colour table. */
  head: Uint8Array;
  /** The global colour table alone, and its size field (for a local table). */
  table?: Uint8Array;
  tableBits: number;
  /** Application and comment extensions (loop block, software) before the first frame. */
  preamble: Uint8Array[];
  /** Each frame: its graphic control extension (if any) and image block, in order. */
  frames: { control?: Uint8Array; image: Uint8Array; hasLocalTable: boolean }[];
}

function subBlocksEnd(b: Uint8Array, i: number, name: string): number {
  while (i < b.length && b[i] !== 0) i += b[i] + 1;
  if (i >= b.length) throw new GifJoinError(encodeMessage.gifTruncated(name));
  return i + 1;
}

export function parseGif(b: Uint8Array, name: string): ParsedGif {
  const sig = String.fromCharCode(...b.subarray(0, 6));
  if (sig !== 'GIF89a' && sig !== 'GIF87a') throw new GifJoinError(encodeMessage.notAGif(name));
  const width = b[6] | (b[7] << 8);
  const height = b[8] | (b[9] << 8);
  const flags = b[10];
  let i = 13;
  const tableBits = flags & 7;
  let table: Uint8Array | undefined;
  if (flags & 0x80) {
    const size = 3 * (1 << (tableBits + 1));
    table = b.subarray(i, i + size);
    i += size;
  }
  const head = b.subarray(0, i);
  const preamble: Uint8Array[] = [];
  const frames: ParsedGif['frames'] = [];
  let control: Uint8Array | undefined;
  for (;;) {
    if (i >= b.length) throw new GifJoinError(encodeMessage.gifNoTrailer(name));
    const tag = b[i];
    if (tag === 0x3b) break;
    if (tag === 0x21) {
      const end = subBlocksEnd(b, i + 2, name);
      const block = b.subarray(i, end);
      if (b[i + 1] === 0xf9) control = block;
      else if (frames.length === 0 && (b[i + 1] === 0xff || b[i + 1] === 0xfe))
        preamble.push(block);
      i = end;
    } else if (tag === 0x2c) {
      const fl = b[i + 9];
      let j = i + 10;
      if (fl & 0x80) j += 3 * (1 << ((fl & 7) + 1));
      const end = subBlocksEnd(b, j + 1, name);
      frames.push({ control, image: b.subarray(i, end), hasLocalTable: (fl & 0x80) !== 0 });
      control = undefined;
      i = end;
    } else throw new GifJoinError(encodeMessage.gifUnexpectedBlock(name, tag, i));
  }
  if (frames.length === 0) throw new GifJoinError(encodeMessage.gifNoFrames(name));
  return { width, height, head, table, tableBits, preamble, frames };
}

/** The joined GIF's bytes, as chunks to write in order. */
export function joinGifs(parts: { bytes: Uint8Array; name: string }[]): Uint8Array[] {
  if (parts.length === 0) throw new GifJoinError(encodeMessage.joinNothing());
  const parsed = parts.map((p) => parseGif(p.bytes, p.name));
  const first = parsed[0];
  const out: Uint8Array[] = [first.head, ...first.preamble];
  const sameTable = (gif: ParsedGif) =>
    first.table !== undefined &&
    gif.table !== undefined &&
    gif.tableBits === first.tableBits &&
    Buffer.from(gif.table).equals(first.table);
  parsed.forEach((gif, k) => {
    if (gif.width !== first.width || gif.height !== first.height) {
      throw new GifJoinError(
        encodeMessage.joinSizes(
          parts[k].name,
          gif.width,
          gif.height,
          parts[0].name,
          first.width,
          first.height,
        ),
      );
    }
    // A later part's colour table, when it is not the first's.
    const table = k === 0 || sameTable(gif) ? undefined : gif.table;
    for (const f of gif.frames) {
      if (f.control) out.push(f.control);
      if (!table || f.hasLocalTable) {
        out.push(f.image);
        continue;
      }
      // Carry this part's global colour table along as the frame's local table.
      const descriptor = f.image.slice(0, 10);
      descriptor[9] = (descriptor[9] & ~0x07) | 0x80 | gif.tableBits;
      out.push(descriptor, table, f.image.subarray(10));
    }
  });
  out.push(Uint8Array.of(0x3b));
  return out;
}
