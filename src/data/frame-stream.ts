/**
 * A large CSV file whose rows come grouped by frame (every frame's rows one after another,
 * as a training loop writes them), read a frame at a time instead of held whole. One scan
 * finds each frame's run of rows and where in the file it lies, and keeps the few rows
 * that carry each column's extremes and distinct values (what fixed scale domains need);
 * a frame's rows are then parsed again, from those bytes, by whichever thread renders it.
 * Memory is bounded by a frame and a chunk, not by the table: W1's 6M rows would be 97 MB
 * of columns.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import {
  type ColumnArrays,
  type CsvHead,
  type CsvLayout,
  type CsvOptions,
  type FieldParse,
  CsvError,
  readCsvHead,
  readCsvRecords,
  recordBoundary,
  scanCsvFile,
} from './csv.js';
import {
  type Column,
  type ColumnTable,
  DISTINCT_CAP,
  dictionaryColumn,
  numberSummary,
  sharedFloat64,
  sharedInt32,
} from './table.js';

/** Consecutive rows with one frame value (null: rows without a valid one). */
export interface FrameRun {
  value: number | string | null;
  start: number;
  count: number;
  /** The file offset of its first record (its bytes end where the next run's begin). */
  byte: number;
}

export interface FrameStream {
  file: string;
  /** The file as the spec names it (for messages). */
  url: string;
  /** The file as scanned: a file changed since is an error, not other data. */
  size: number;
  mtimeMs: number;
  layout: CsvLayout;
  rows: number;
  /** The frame column's runs, in file order; each valid value has one. */
  runs: FrameRun[];
  /**
   * Every row holding a least, greatest, or (up to DISTINCT_CAP) distinct value of a column
   * a scale's domain reads, with all its columns: enough for the domains over every frame.
   */
  summary: ColumnTable;
}

export class FrameStreamError extends Error {}

/** Rows the summary may keep before the file is loaded whole instead (many text values). */
const SUMMARY_ROWS = 100_000;

/**
 * A part of a file to scan ([from, to), record boundaries), with everything needed to read
 * it as the whole file would be: sent to a render worker, which scans the second half of a
 * large file while this thread scans the first.
 */
export interface ScanRequest {
  file: string;
  delimiter: string;
  parse: Record<string, FieldParse | null>;
  kept: string[];
  frameField: string;
  summaryFields: string[];
  head: CsvHead;
  from: number;
  to: number;
  chunkBytes?: number;
}

/** What a scan of a part found; rows are counted from the part's first. */
export interface ScanPart {
  rows: number;
  /** The kept columns, and which number columns held only whole numbers. */
  names: string[];
  integral: boolean[];
  runs: FrameRun[];
  summaries: Record<string, PartSummary>;
  /** Each captured row's values (numbers, text or null), by row. */
  captured: [number, (number | string | null)[]][];
}

interface PartSummary {
  least: number;
  greatest: number;
  lo: number;
  hi: number;
  /** First row of each distinct number, in order found; null once there are too many. */
  distinct: [number, number][] | null;
  /** First row of each text value. */
  firstOfText: [string, number][];
}

/** Files from this many bytes on are scanned in two halves by two threads. */
const SPLIT_BYTES = 16 << 20;

/**
 * Scans `file` for a frame stream on `frameField`. Undefined when the file is not one:
 * a frame value whose rows are split over several runs, a column of text with more than
 * SUMMARY_ROWS values, or a file the fast reader does not take (quotes, dates); the caller
 * then loads it whole. With `helper` (a render worker), the second half of a large file is
 * scanned there meanwhile (the worker is idle until the plan is made).
 */
export async function scanFramedCsv(
  file: string,
  url: string,
  options: CsvOptions,
  frameField: string,
  /** The columns whose extremes and values matter (data-driven scale domains'). */
  summaryFields: ReadonlySet<string>,
  {
    chunkBytes,
    helper,
    splitBytes = SPLIT_BYTES,
  }: {
    chunkBytes?: number;
    helper?: (part: ScanRequest) => Promise<ScanPart | undefined>;
    /** Files from this size on are split when there is a helper. */
    splitBytes?: number;
  } = {},
): Promise<FrameStream | undefined> {
  const { size, mtimeMs } = statSync(file);
  const head = await readCsvHead(file, options, chunkBytes);
  if (!head) return undefined;
  const kept = head.names.filter(options.keep ?? (() => true));
  const whole: ScanRequest = {
    file,
    delimiter: options.delimiter ?? ',',
    parse: options.parse ?? {},
    kept,
    frameField,
    summaryFields: [...summaryFields],
    head,
    from: head.bodyStart,
    to: size,
    chunkBytes,
  };
  let parts: (ScanPart | undefined)[];
  if (helper && size - head.bodyStart >= splitBytes) {
    const mid = await recordBoundary(
      file,
      head.bodyStart + Math.floor((size - head.bodyStart) / 2),
    );
    parts = await Promise.all([
      scanPart({ ...whole, to: mid }),
      helper({ ...whole, from: mid }).catch(() => undefined),
    ]);
  } else parts = [await scanPart(whole)];
  if (parts.some((p) => !p)) return undefined;
  const text = new Set(head.names.filter((_, c) => !head.numeric[c]));
  const merged = mergeParts(parts as ScanPart[], text);
  if (!merged) return undefined;
  return {
    file,
    url,
    size,
    mtimeMs,
    layout: {
      delimiter: whole.delimiter,
      parse: whole.parse,
      names: head.names,
      kept,
      numeric: head.numeric,
      integral: head.names.map((_, c) => parts.every((p) => p!.integral[c])),
    },
    rows: merged.rows,
    runs: merged.runs,
    summary: merged.summary,
  };
}

/** Scans one part of a file (see ScanRequest); undefined as for scanFramedCsv. */
export async function scanPart(request: ScanRequest): Promise<ScanPart | undefined> {
  const { frameField, head, from, to } = request;
  const summaryFields = new Set(request.summaryFields);
  const runs: FrameRun[] = [];
  const seen = new Set<number>();
  let current = NaN; // the open run's key: a number, a text's code, or NaN for no value
  const summaries = new Map<string, ColumnSummary>();
  const captured = new Map<number, (number | string | null)[]>();
  let names: string[] = [];
  const dicts: Record<string, string[]> = {};

  const visit = (
    chunk: ColumnTable,
    firstRow: number,
    offsetOf: (r: number) => number,
  ): boolean => {
    names = chunk.names;
    const frame = chunk.columns[frameField];
    if (!frame || frame.kind === 'value') return false;
    const n = chunk.length;
    // Runs of the frame column (text compared by its code: one dictionary for the part).
    const keys = frame.kind === 'number' ? frame.values : frame.codes;
    for (let r = 0, next = 0; r < n; r = next) {
      // Rows [r, next) have one value (a missing one, NaN, is never equal: a row each).
      const v = keys[r];
      for (next = r + 1; next < n && keys[next] === v;) next++;
      const key = frame.kind === 'number' ? (v - v === 0 ? v : NaN) : v < 0 ? NaN : v;
      if (key === current || (key !== key && current !== current)) {
        runs[runs.length - 1].count += next - r;
        continue;
      }
      if (key === key) {
        if (seen.has(key)) return false; // this frame's rows are not together
        seen.add(key);
      }
      current = key;
      const value = key !== key ? null : frame.kind === 'number' ? key : frame.dict[key];
      runs.push({ value, start: firstRow + r, count: next - r, byte: offsetOf(r) });
    }
    // Summaries: each chunk's extremes and distinct values, merged into the part's.
    const capture = (r: number) => {
      const row = firstRow + r;
      if (captured.has(row)) return;
      captured.set(
        row,
        chunk.names.map((name) => {
          const c = chunk.columns[name];
          if (c.kind === 'number') return c.values[r];
          if (c.kind === 'string') return c.codes[r] < 0 ? null : c.dict[c.codes[r]];
          return null;
        }),
      );
    };
    for (const name of chunk.names) {
      if (!summaryFields.has(name)) continue;
      const c = chunk.columns[name];
      let s = summaries.get(name);
      if (!s) summaries.set(name, (s = newSummary()));
      if (c.kind === 'number') {
        const local = numberSummary(c.values, null, n);
        if (local.lo < 0) continue;
        const [least, greatest] = [c.values[local.lo], c.values[local.hi]];
        if (s.lo < 0 || least < s.least) [s.least, s.lo] = [least, firstRow + local.lo];
        if (s.hi < 0 || greatest > s.greatest) [s.greatest, s.hi] = [greatest, firstRow + local.hi];
        capture(local.lo);
        capture(local.hi);
        if (s.distinct && local.distinct.size > DISTINCT_CAP) s.distinct = undefined;
        for (const [v, r] of s.distinct ? local.distinct : []) {
          if (s.distinct!.has(v)) continue;
          s.distinct!.set(v, firstRow + r);
          capture(r);
        }
        if (s.distinct && s.distinct.size > DISTINCT_CAP) s.distinct = undefined;
      } else if (c.kind === 'string') {
        dicts[name] = c.dict;
        for (let r = 0; r < n; r++) {
          const code = c.codes[r];
          if (code < 0 || s.firstOfCode[code] !== undefined) continue;
          s.firstOfCode[code] = firstRow + r;
          capture(r);
        }
      } else return false;
    }
    return captured.size <= SUMMARY_ROWS;
  };

  const options: CsvOptions = {
    delimiter: request.delimiter,
    parse: request.parse,
    keep: (n) => request.kept.includes(n),
  };
  const scanned = await scanCsvFile(request.file, options, visit, request.chunkBytes, {
    head,
    from,
    to,
  });
  if (!scanned) return undefined;
  return {
    rows: scanned.rows,
    names,
    integral: scanned.layout.integral,
    runs,
    summaries: Object.fromEntries(
      [...summaries].map(([name, s]) => [
        name,
        {
          least: s.least,
          greatest: s.greatest,
          lo: s.lo,
          hi: s.hi,
          distinct: s.distinct ? [...s.distinct] : null,
          firstOfText: s.firstOfCode.flatMap((row, code) =>
            row === undefined ? [] : [[dicts[name][code], row] as [string, number]],
          ),
        },
      ]),
    ),
    captured: [...captured],
  };
}

/**
 * The file's runs and summary from its parts' (in file order): runs that meet at a part's
 * end with one value join; a value in two runs is no stream (undefined).
 */
function mergeParts(
  parts: ScanPart[],
  /** The columns of text (dictionary-coded). */
  text: ReadonlySet<string>,
): { rows: number; runs: FrameRun[]; summary: ColumnTable } | undefined {
  const runs: FrameRun[] = [];
  const seen = new Set<number | string>();
  const captured = new Map<number, (number | string | null)[]>();
  const summaries = new Map<string, PartSummary>();
  let base = 0;
  for (const part of parts) {
    for (const run of part.runs) {
      const start = base + run.start;
      const last = runs[runs.length - 1];
      if (last && last.value === run.value && last.start + last.count === start) {
        last.count += run.count;
        continue;
      }
      if (run.value !== null) {
        if (seen.has(run.value)) return undefined;
        seen.add(run.value);
      }
      runs.push({ ...run, start });
    }
    for (const [row, values] of part.captured) captured.set(base + row, values);
    for (const [name, p] of Object.entries(part.summaries)) {
      const s = summaries.get(name);
      const shifted = (row: number) => (row < 0 ? row : base + row);
      if (!s) {
        summaries.set(name, {
          ...p,
          lo: shifted(p.lo),
          hi: shifted(p.hi),
          distinct: p.distinct && p.distinct.map(([v, row]) => [v, base + row]),
          firstOfText: p.firstOfText.map(([v, row]) => [v, base + row]),
        });
        continue;
      }
      // The first part's row wins a tie: the first row holding the value, as one scan finds.
      if (p.lo >= 0 && (s.lo < 0 || p.least < s.least)) [s.least, s.lo] = [p.least, base + p.lo];
      if (p.hi >= 0 && (s.hi < 0 || p.greatest > s.greatest))
        [s.greatest, s.hi] = [p.greatest, base + p.hi];
      if (!p.distinct) s.distinct = null;
      if (s.distinct) {
        const known = new Set(s.distinct.map(([v]) => v));
        for (const [v, row] of p.distinct!) if (!known.has(v)) s.distinct.push([v, base + row]);
        if (s.distinct.length > DISTINCT_CAP) s.distinct = null;
      }
      const texts = new Set(s.firstOfText.map(([v]) => v));
      for (const [v, row] of p.firstOfText) if (!texts.has(v)) s.firstOfText.push([v, base + row]);
    }
    base += part.rows;
  }
  // The summary: the rows each column's summary ended with, in file order.
  const keep = new Set<number>();
  for (const s of summaries.values()) {
    if (s.lo >= 0) keep.add(s.lo).add(s.hi);
    s.distinct?.forEach(([, row]) => keep.add(row));
    s.firstOfText.forEach(([, row]) => keep.add(row));
  }
  if (keep.size > SUMMARY_ROWS) return undefined;
  const rows = [...keep].sort((a, b) => a - b);
  const names = parts[0].names;
  const columns: Record<string, Column> = {};
  names.forEach((name, c) => {
    const values = rows.map((row) => captured.get(row)![c]);
    if (text.has(name)) {
      columns[name] = dictionaryColumn(values.length, (i) => values[i] as string | null);
    } else {
      const column = sharedFloat64(rows.length);
      values.forEach((v, i) => (column[i] = v === null ? NaN : (v as number)));
      columns[name] = { kind: 'number', values: column };
    }
  });
  return { rows: base, runs, summary: { length: rows.length, names, columns } };
}

interface ColumnSummary {
  least: number;
  greatest: number;
  lo: number;
  hi: number;
  /** First row of each distinct number; undefined once there are too many. */
  distinct: Map<number, number> | undefined;
  /** First row of each text value, by its code. */
  firstOfCode: number[];
}

function newSummary(): ColumnSummary {
  return { least: NaN, greatest: NaN, lo: -1, hi: -1, distinct: new Map(), firstOfCode: [] };
}

/**
 * The last run this thread read, per stream (a frame's rows are asked for several times),
 * and its arrays, which the next run's rows fill: a table is read only until another frame
 * is (the renderer copies what it keeps into row objects). Fresh arrays per frame took W1
 * ~40 MiB more, garbage waiting for a full collection.
 */
const lastRead = new WeakMap<
  FrameStream,
  { run: number; table: ColumnTable; arrays: ColumnArrays }
>();

/** Bytes read for runs, reused: a frame's records are parsed into columns of their own. */
let scratch = Buffer.alloc(0);

let runsRead = 0;

/** Runs this thread has read from files so far (tests check a render streamed). */
export function streamedRunsRead(): number {
  return runsRead;
}

/** The rows of run `run` (−1: none) as a table of their own. */
export function readRun(stream: FrameStream, run: number): ColumnTable {
  const last = lastRead.get(stream);
  if (last?.run === run) return last.table;
  runsRead++;
  const arrays = last?.arrays ?? { nums: [], codes: [] };
  const table = run < 0 ? emptyTable(stream) : readRunRows(stream, run, arrays);
  lastRead.set(stream, { run, table, arrays });
  return table;
}

function readRunRows(stream: FrameStream, run: number, arrays: ColumnArrays): ColumnTable {
  const { count, byte: byteFrom } = stream.runs[run];
  const byteTo = stream.runs[run + 1]?.byte ?? stream.size;
  const length = byteTo - byteFrom;
  if (scratch.length < length) scratch = Buffer.alloc(length);
  const bytes = scratch.subarray(0, length); // a view of its own: readers key on it
  const fd = openSync(stream.file, 'r');
  try {
    const now = fstatSync(fd);
    if (now.size !== stream.size || now.mtimeMs !== stream.mtimeMs)
      throw new FrameStreamError(
        `"${stream.url}" changed while it was being rendered: render again with the file as it is now`,
      );
    for (let at = 0; at < length;) {
      const read = readSync(fd, bytes, at, length - at, byteFrom + at);
      if (read === 0) throw new FrameStreamError(`"${stream.url}" ended early while rendering`);
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  try {
    return readCsvRecords(bytes, stream.layout, count, arrays);
  } catch (e) {
    if (e instanceof CsvError)
      throw new FrameStreamError(
        `"${stream.url}" changed while it was being rendered: ${e.message}`,
      );
    throw e;
  }
}

function emptyTable(stream: FrameStream): ColumnTable {
  const { names, kept, numeric } = stream.layout;
  const columns: Record<string, Column> = {};
  names.forEach((name, c) => {
    if (!kept.includes(name)) return;
    columns[name] = numeric[c]
      ? { kind: 'number', values: sharedFloat64(0) }
      : { kind: 'string', codes: sharedInt32(0), dict: [] };
  });
  return { length: 0, names: names.filter((n) => kept.includes(n)), columns };
}
