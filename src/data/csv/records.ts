/**
 * The CSV record scanner: fields and records found in the bytes (quoted fields, "" escapes,
 * CR LF), the header row, and records counted past; CsvError for text it cannot read.
 */
import { UserError } from '../../support/user-error.js';
import { dataMessage } from '../messages.js';

export const QUOTE = 34;
export const CR = 13;
export const LF = 10;

/** A CSV file the reader cannot read; the loader reports it as a DataLoadError naming the file. */
export class CsvError extends UserError {}

interface FieldCursor {
  /** Start and end of the current field's bytes, quotes stripped. */
  start: number;
  end: number;
  quoted: boolean;
}

/** Iterates the fields of each record, calling `onField(col, cursor)` and `onRecordEnd()`. */
export function scan(
  buf: Uint8Array,
  from: number,
  delim: number,
  onField: (col: number, f: FieldCursor) => void,
  onRecordEnd: (fields: number) => boolean,
): void {
  const n = buf.length;
  const f: FieldCursor = { start: 0, end: 0, quoted: false };
  let i = from;
  while (i < n) {
    let col = 0;
    for (;;) {
      if (buf[i] === QUOTE) {
        // Quoted field: runs to the closing quote; "" is an escaped quote.
        let j = i + 1;
        for (;;) {
          if (j >= n) throw new CsvError(dataMessage.csvQuoteOpen());
          if (buf[j] === QUOTE) {
            if (buf[j + 1] === QUOTE) j += 2;
            else break;
          } else j++;
        }
        f.start = i + 1;
        f.end = j;
        f.quoted = true;
        i = j + 1;
      } else {
        let j = i;
        while (j < n && buf[j] !== delim && buf[j] !== LF && buf[j] !== CR) j++;
        f.start = i;
        f.end = j;
        f.quoted = false;
        i = j;
      }
      onField(col++, f);
      if (i < n && buf[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    if (buf[i] === CR) i++;
    if (buf[i] === LF) i++;
    if (!onRecordEnd(col)) return;
  }
}

export function fieldText(buf: Uint8Array, f: FieldCursor): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset + f.start, f.end - f.start).toString('utf8');
  return f.quoted ? s.replace(/""/g, '"') : s;
}

/** Bytes [start, end) as UTF-8 text. */
export function utf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** The header's field names and where the first record starts. */
export function readHeader(
  bytes: Uint8Array,
  delim: number,
): { names: string[]; bodyStart: number } {
  const names: string[] = [];
  // A UTF-8 byte order mark is not part of the first name: skipped, a quoted name after it
  // is read as quoted.
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  scan(
    bytes,
    start,
    delim,
    (_c, f) => names.push(fieldText(bytes, f).trim()),
    () => false,
  );
  if (names.length === 0 || (names.length === 1 && names[0] === '')) {
    throw new CsvError(dataMessage.csvNoHeader());
  }
  let i = start;
  let inQuote = false;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (b === LF || b === CR)) break;
    i++;
  }
  if (bytes[i] === CR) i++;
  if (bytes[i] === LF) i++;
  return { names, bodyStart: i };
}

/**
 * The byte after `count` records from `i` on, counted as the fast reader counts them (in
 * a file it read: no quotes; a blank line is no record unless there is one column).
 */
export function skipRecords(bytes: Uint8Array, i: number, count: number, ncols: number): number {
  const n = bytes.length;
  for (let k = 0; k < count && i < n; k++) {
    if (ncols > 1) while (i < n && (bytes[i] === LF || bytes[i] === CR)) i++;
    while (i < n && bytes[i] !== LF && bytes[i] !== CR) i++;
    if (bytes[i] === CR) i++;
    if (bytes[i] === LF) i++;
  }
  return i;
}
