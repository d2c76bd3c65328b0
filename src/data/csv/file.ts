/**
 * CSV files read in chunks, never held whole: into one table (readCsvFile), chunk by chunk
 * to a visitor (scanCsvFile), and the records of one byte range again (readCsvRecords, a
 * frame's rows of a streamed file). Files the fast reader cannot take are read whole.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { ColumnTable } from '../table.js';
import type { ColumnArrays, CsvHead, CsvLayout, CsvOptions } from './layout.js';
import { CsvError, LF, readHeader, skipRecords } from './records.js';
import { INFER_ROWS, inferTypes, numberColumns, parseOf } from './infer.js';
import { ColumnBuilder } from './columns.js';
import { NumberRecords } from './kernel.js';
import { readChunkFast } from './fast.js';
import { parseCsv } from './parse.js';
import { dataMessage } from '../messages.js';

/**
 * The chunk size for streamed files: big enough to amortise reads, small next to the data.
 * A large file reads as fast in 2 MB chunks as in larger ones, and the two read buffers,
 * which stay until a major collection, take 8 MB.
 */
const CHUNK_BYTES = 2 << 20;

/**
 * Reads a CSV file in chunks into typed columns, never holding the whole file: the header
 * and column types come from the first chunk, then records are parsed chunk by chunk,
 * carrying a partial last line over. Files the fast reader cannot take (quotes, date or
 * boolean parsing, a column that turns out not to be numeric) are read whole instead.
 */
export async function readCsvFile(
  /** A path, or a file open already (left open). */
  file: string | FileHandle,
  options: CsvOptions = {},
  chunkBytes = CHUNK_BYTES,
): Promise<ColumnTable> {
  const handle = typeof file === 'string' ? await open(file, 'r') : file;
  try {
    const size = (await handle.stat()).size;
    const read = await readChunks(handle, size, options, chunkBytes);
    if (read === 'whole' || read === 'stopped') {
      const bytes = Buffer.alloc(size);
      await handle.read(bytes, 0, size, 0);
      return parseCsv(bytes, options);
    }
    return read.cols.build(read.rows);
  } finally {
    if (typeof file === 'string') await handle.close();
  }
}

/**
 * One chunk of records, as `scanCsvFile` hands it over: its rows as a table (valid until
 * the call returns; string columns share one dictionary over the file), the row number of
 * its first record, and where in the file each record starts.
 */
export type CsvChunkVisitor = (
  chunk: ColumnTable,
  firstRow: number,
  /** The file offset of the chunk's record r (0 ≤ r ≤ its rows). */
  offsetOf: (r: number) => number,
) => boolean;

/**
 * Reads every record of a CSV file chunk by chunk, holding one chunk's columns at a time,
 * and hands each chunk to `visit`. Returns the layout and row count, or undefined when the
 * fast reader cannot take the file (or the file is small: it is read whole then), or
 * `visit` returned false.
 */
export async function scanCsvFile(
  file: string,
  options: CsvOptions,
  visit: CsvChunkVisitor,
  chunkBytes = CHUNK_BYTES,
  /** Only the records in bytes [from, to) (record boundaries), with the file's head. */
  part?: { head: CsvHead; from: number; to: number },
): Promise<{ layout: CsvLayout; rows: number } | undefined> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = await readChunks(handle, size, options, chunkBytes, visit, part);
    if (read === 'whole' || read === 'stopped') return undefined;
    const { names, numeric, asNumber, cols } = read;
    return {
      layout: {
        delimiter: options.delimiter ?? ',',
        parse: options.parse ?? {},
        names,
        kept: names.filter(options.keep ?? (() => true)),
        numeric,
        asNumber,
        integral: cols.ints.slice(),
      },
      rows: read.rows,
    };
  } finally {
    await handle.close();
  }
}

interface ChunkedRead {
  names: string[];
  numeric: boolean[];
  asNumber: boolean[];
  cols: ColumnBuilder;
  rows: number;
}

/** The first record boundary at or after byte `at`: after the next line feed (or the end). */
export async function recordBoundary(file: string, at: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(64 << 10);
    for (let from = at; ; from += bytes.length) {
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, from);
      if (bytesRead === 0) return from;
      const lf = bytes.subarray(0, bytesRead).indexOf(LF);
      if (lf >= 0) return from + lf + 1;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The header and column types from a file's first chunk, as a whole-file reading infers
 * them; undefined when the chunked reader does not take the file (it is read whole).
 */
async function readHead(
  handle: FileHandle,
  size: number,
  options: CsvOptions,
  chunkBytes: number,
): Promise<CsvHead | undefined> {
  if (size <= chunkBytes * 2) return undefined;
  const parse = options.parse ?? {};
  const delim = (options.delimiter ?? ',').charCodeAt(0);
  const first = Buffer.alloc(chunkBytes);
  const head = first.subarray(0, (await handle.read(first, 0, chunkBytes, 0)).bytesRead);
  const { names, bodyStart } = readHeader(head, delim);
  if (names.some((n) => parseOf(parse, n) === 'date' || parseOf(parse, n) === 'boolean'))
    return undefined;
  // Column types come from the first rows, as for a whole file; the first chunk must hold
  // them all, or the types could differ from the whole-file reading.
  let lines = 0;
  for (let i = bodyStart; i < head.length && lines <= INFER_ROWS; i++) if (head[i] === LF) lines++;
  if (lines <= INFER_ROWS) return undefined;
  const asNumber = numberColumns(names, parse, options.numbers);
  return {
    names,
    bodyStart,
    asNumber,
    ...inferTypes(head, bodyStart, delim, names, parse, asNumber),
  };
}

/** `readHead` for a file by name. */
export async function readCsvHead(
  file: string,
  options: CsvOptions,
  chunkBytes = CHUNK_BYTES,
): Promise<CsvHead | undefined> {
  const handle = await open(file, 'r');
  try {
    return await readHead(handle, (await handle.stat()).size, options, chunkBytes);
  } finally {
    await handle.close();
  }
}

/**
 * The chunk loop of readCsvFile and scanCsvFile. Without `visit`, every record goes into
 * one set of columns; with it, each chunk's records go into columns reused for the next.
 * `part`: only the records in bytes [from, to) of the file (record boundaries), with the
 * head read before.
 */
async function readChunks(
  handle: FileHandle,
  size: number,
  options: CsvOptions,
  chunkBytes: number,
  visit?: CsvChunkVisitor,
  part?: { head: CsvHead; from: number; to: number },
): Promise<ChunkedRead | 'whole' | 'stopped'> {
  const head = part?.head ?? (await readHead(handle, size, options, chunkBytes));
  if (!head) return 'whole';
  const { names, numeric, asNumber, integral } = head;
  if (part) size = part.to;
  const parse = options.parse ?? {};
  const delim = (options.delimiter ?? ',').charCodeAt(0);
  let buffer = Buffer.alloc(chunkBytes * 2);
  // Columns for the whole file, or (visited) for a chunk's records; made at the first.
  const totalBytes = visit ? buffer.length : size - head.bodyStart;
  let cols: ColumnBuilder | undefined;
  let position = part?.from ?? head.bodyStart;
  let carried = 0; // unparsed bytes at the start of `buffer`
  let bytesRead: number;
  // The next chunk is read into `spare` while this one parses (the file system works in
  // Node's thread pool), so this thread does not sit idle while a chunk is read.
  let spare = Buffer.alloc(buffer.length);
  const numberRecords = NumberRecords.create();
  let row = 0;
  for (;;) {
    const atEnd = position >= size;
    const available = carried;
    // The last complete record ends at the last line feed (or at the end of the file).
    let end = available;
    if (!atEnd) {
      end = buffer.lastIndexOf(LF, available - 1) + 1;
      if (end === 0 && buffer.length - available < chunkBytes) {
        // A record longer than the buffer's free room: grow it and read on.
        const bigger = Buffer.alloc(buffer.length * 2);
        buffer.copy(bigger, 0, 0, available);
        buffer = bigger;
      }
    }
    // The bytes after the last record stay unparsed: they go to the front of `spare`,
    // and the next chunk after them.
    const tail = available - end;
    let next: Promise<number> | undefined;
    if (!atEnd && end > 0) {
      if (spare.length < buffer.length) spare = Buffer.alloc(buffer.length);
      const length = Math.min(chunkBytes, spare.length - tail, size - position);
      next = handle.read(spare, tail, length, position).then((r) => r.bytesRead);
    }
    if (end > 0) {
      const bytes = buffer.subarray(0, available);
      const input = { bytes, from: 0, delim, names, numeric, parse, asNumber };
      const marks: number[] | undefined = visit ? [] : undefined;
      cols ??= new ColumnBuilder(names, numeric, buffer, 0, totalBytes, options.keep, integral);
      const r = readChunkFast(input, cols, visit ? 0 : row, 0, end, numberRecords, marks);
      if (r === undefined || 'notNumeric' in r) {
        await next; // not left running into a buffer nobody reads
        return 'whole';
      }
      if (visit) {
        // `buffer` holds the file's bytes from position - available on; a record is found
        // from the last mark before it.
        const at = position - available;
        const chunk = buffer;
        let m = 0;
        const offsetOf = (record: number) => {
          if (record >= r.rows) return at + end;
          while (m > 0 && marks![m] > record) m -= 2;
          while (m + 2 < marks!.length && marks![m + 2] <= record) m += 2;
          const [markRow, markByte] = marks!.length ? [marks![m], marks![m + 1]] : [0, 0];
          return at + skipRecords(chunk, markByte, record - markRow, names.length);
        };
        if (!visit(cols.build(r.rows), row, offsetOf)) {
          await next;
          return 'stopped';
        }
        row += r.rows;
      } else row = r.rows;
    }
    if (atEnd) break;
    if (next) {
      const read = await next;
      buffer.copy(spare, 0, end, available);
      [buffer, spare] = [spare, buffer];
      carried = tail + read;
      position += read;
      if (read === 0) position = size;
      continue;
    }
    ({ bytesRead } = await handle.read(
      buffer,
      carried,
      Math.min(chunkBytes, buffer.length - carried, size - position),
      position,
    ));
    position += bytesRead;
    carried += bytesRead;
    if (bytesRead === 0) position = size;
  }
  cols ??= new ColumnBuilder(names, numeric, buffer, 0, totalBytes, options.keep, integral);
  return { names, numeric, asNumber, cols, rows: row };
}

/** This thread's csv.wat reader for record ranges (made on first use). */
let rangeRecords: NumberRecords | undefined | null = null;

/**
 * The first `count` records in `bytes`, a part of a file scanCsvFile read: the same values, column types and dictionary-coded text as the
 * whole file's reading would hold for them (a string column's codes are its own).
 */
export function readCsvRecords(
  bytes: Uint8Array,
  layout: CsvLayout,
  count: number,
  /**
   * Arrays to fill again (an earlier call's, whose table is no longer read); they are
   * updated to this call's.
   */
  reuse?: ColumnArrays,
): ColumnTable {
  const { names, numeric, parse, asNumber } = layout;
  const delim = layout.delimiter.charCodeAt(0);
  // `bytes` ends where the next run begins: its records are these and blank lines.
  const kept = new Set(layout.kept);
  const cols = new ColumnBuilder(
    names,
    numeric,
    bytes,
    0,
    bytes.length,
    (n) => kept.has(n),
    layout.integral,
    reuse,
  );
  if (rangeRecords === null) rangeRecords = NumberRecords.create();
  const input = { bytes, from: 0, delim, names, numeric, parse, asNumber };
  const r = readChunkFast(input, cols, 0, 0, bytes.length, rangeRecords);
  const rows = r && 'rows' in r ? r.rows : -1;
  if (rows !== count) throw new CsvError(dataMessage.csvRecords(count, rows));
  if (reuse) [reuse.nums, reuse.codes] = [cols.nums.slice(), cols.codes.slice()];
  return cols.build(rows);
}
