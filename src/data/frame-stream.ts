/**
 * A large CSV file whose rows come grouped by frame (every frame's rows one after another,
 * as a training loop writes them), read a frame at a time instead of held whole. One scan
 * finds each frame's run of rows and where in the file it lies, and keeps the few rows
 * that carry each column's extremes and distinct values (what fixed scale domains need);
 * a frame's rows are then parsed again, from those bytes, by whichever thread renders it.
 * Memory is bounded by a frame and a chunk, not by the table: the 6 million rows of a
 * 30,000-point scatter over 200 frames would be 97 MB of columns.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { OPEN_FLAGS } from './access.js';
import {
  type ColumnArrays,
  type CsvHead,
  type CsvOptions,
  type FieldParse,
  CsvError,
  readCsvHead,
  readCsvRecords,
  recordBoundary,
  scanCsvFile,
} from './csv/index.js';
import {
  type ColumnTable,
  type FrameRun,
  type FrameStream,
  type RunSummary,
  DISTINCT_CAP,
  columnRecord,
  dictionaryColumn,
  numberSummary,
  sharedFloat64,
  sharedInt32,
} from './table.js';
import { dataMessage } from './messages.js';
import { UserError, type UserExitCode } from '../support/user-error.js';

/**
 * A streamed file that changed or ended while its frames were being read: it was read
 * fine before the render began, so the render failed, not the input (exit 1).
 */
export class FrameStreamError extends UserError {
  override get exitCode(): UserExitCode {
    return 1;
  }
}

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
  /** Runs with their summaries; rows are the part's. */
  runs: FrameRun[];
  /** Each row a summary names: its values (numbers, text or null). */
  captured: [number, (number | string | null)[]][];
}

/** Files from this many bytes on are scanned in two halves by two threads. */
const SPLIT_BYTES = 16 << 20;

/**
 * Scans `file` for a frame stream on `frameField`. Undefined when the file is not one:
 * a frame value whose rows are split over several runs, a column of text with more than
 * SUMMARY_ROWS values, or a file the fast reader does not take (quotes, dates); the caller
 * then loads it whole. With `scanInWorker` (a render worker), the second half of a large file is
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
    scanInWorker,
    splitBytes = SPLIT_BYTES,
  }: {
    chunkBytes?: number;
    scanInWorker?: (part: ScanRequest) => Promise<ScanPart | undefined>;
    /** Files from this size on are split when a render worker can scan half. */
    splitBytes?: number;
  } = {},
): Promise<FrameStream | undefined> {
  const { size, mtimeMs, dev, ino } = statSync(file);
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
  if (scanInWorker && size - head.bodyStart >= splitBytes) {
    const mid = await recordBoundary(
      file,
      head.bodyStart + Math.floor((size - head.bodyStart) / 2),
    );
    parts = await Promise.all([
      scanPart({ ...whole, to: mid }),
      scanInWorker({ ...whole, from: mid }).catch(() => undefined),
    ]);
  } else parts = [await scanPart(whole)];
  if (parts.some((p) => !p)) return undefined;
  const merged = mergeParts(parts as ScanPart[], kept);
  if (!merged) return undefined;
  return {
    file,
    url,
    size,
    mtimeMs,
    dev,
    ino,
    layout: {
      delimiter: whole.delimiter,
      parse: whole.parse,
      names: head.names,
      kept,
      numeric: head.numeric,
      asNumber: head.asNumber,
      integral: head.names.map((_, c) => parts.every((p) => p!.integral[c])),
    },
    rows: merged.rows,
    runs: merged.runs,
    candidates: merged.candidates,
  };
}

/** Scans one part of a file (see ScanRequest); undefined as for scanFramedCsv. */
export async function scanPart(request: ScanRequest): Promise<ScanPart | undefined> {
  const { frameField, head, from, to } = request;
  const summaryFields = new Set(request.summaryFields);
  const runs: FrameRun[] = [];
  const summaries: Map<string, ColumnSummary>[] = []; // by run
  const seen = new Set<number>();
  let current = NaN; // the open run's key: a number, a text's code, or NaN for no value
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
    // Runs of the frame column (text compared by its code: one dictionary for the part),
    // and the chunk's stretches of each: [run, from, to).
    const stretches: number[] = [];
    const keys = frame.kind === 'number' ? frame.values : frame.codes;
    for (let r = 0, next = 0; r < n; r = next) {
      // Rows [r, next) have one value (a missing one, NaN, is never equal: a row each).
      const v = keys[r];
      for (next = r + 1; next < n && keys[next] === v;) next++;
      const key = frame.kind === 'number' ? (v - v === 0 ? v : NaN) : v < 0 ? NaN : v;
      const same = key === current || (key !== key && current !== current);
      if (same && runs.length > 0) {
        runs[runs.length - 1].count += next - r;
      } else {
        if (key === key) {
          if (seen.has(key)) return false; // this frame's rows are not together
          seen.add(key);
        }
        current = key;
        const value = key !== key ? null : frame.kind === 'number' ? key : frame.dict[key];
        runs.push({ value, start: firstRow + r, count: next - r, byte: offsetOf(r) });
        summaries.push(new Map());
      }
      if (key === key) stretches.push(runs.length - 1, r, next);
    }
    // Each run's summary of each field, as numberSummary walks its rows. Rows without a
    // frame value are in no frame, and in no summary.
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
      if (c.kind === 'value') return false;
      if (c.kind === 'string') dicts[name] = c.dict;
      for (let k = 0; k < stretches.length; k += 3) {
        const [run, a, b] = [stretches[k], stretches[k + 1], stretches[k + 2]];
        let s = summaries[run].get(name);
        if (!s) summaries[run].set(name, (s = newSummary()));
        if (c.kind === 'number') {
          const values = c.values.subarray(a, b);
          const local = numberSummary(values, null, b - a);
          if (local.lo < 0) continue;
          const [least, greatest] = [values[local.lo], values[local.hi]];
          if (s.lo < 0 || least < s.least) [s.least, s.lo] = [least, firstRow + a + local.lo];
          if (s.hi < 0 || greatest > s.greatest)
            [s.greatest, s.hi] = [greatest, firstRow + a + local.hi];
          capture(a + local.lo);
          capture(a + local.hi);
          if (s.distinct && local.distinct.size > DISTINCT_CAP) s.distinct = undefined;
          for (const [v, r] of s.distinct ? local.distinct : []) {
            if (s.distinct!.has(v)) continue;
            s.distinct!.set(v, firstRow + a + r);
            capture(a + r);
          }
          if (s.distinct && s.distinct.size > DISTINCT_CAP) s.distinct = undefined;
        } else {
          for (let r = a; r < b; r++) {
            const code = c.codes[r];
            if (code < 0 || s.firstOfCode[code] !== undefined) continue;
            s.firstOfCode[code] = firstRow + r;
            capture(r);
          }
        }
      }
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
  runs.forEach((run, i) => {
    if (run.value === null) return;
    run.summary = Object.fromEntries(
      [...summaries[i]].map(([name, s]) => [
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
    );
  });
  return {
    rows: scanned.rows,
    names,
    integral: scanned.layout.integral,
    runs,
    captured: [...captured],
  };
}

/** `s` then `t` (the rows after it, as numberSummary would walk them): `s` updated. */
function mergeSummary(s: RunSummary, t: RunSummary): void {
  // The first row wins a tie, as one walk finds it.
  if (t.lo >= 0 && (s.lo < 0 || t.least < s.least)) [s.least, s.lo] = [t.least, t.lo];
  if (t.hi >= 0 && (s.hi < 0 || t.greatest > s.greatest)) [s.greatest, s.hi] = [t.greatest, t.hi];
  if (!t.distinct) s.distinct = null;
  if (s.distinct) {
    const known = new Set(s.distinct.map(([v]) => v));
    for (const [v, row] of t.distinct!) if (!known.has(v)) s.distinct.push([v, row]);
    if (s.distinct.length > DISTINCT_CAP) s.distinct = null;
  }
  const texts = new Set(s.firstOfText.map(([v]) => v));
  for (const [v, row] of t.firstOfText) if (!texts.has(v)) s.firstOfText.push([v, row]);
}

function shiftSummary(s: RunSummary, by: number): RunSummary {
  return {
    ...s,
    lo: s.lo < 0 ? s.lo : s.lo + by,
    hi: s.hi < 0 ? s.hi : s.hi + by,
    distinct: s.distinct && s.distinct.map(([v, row]) => [v, row + by]),
    firstOfText: s.firstOfText.map(([v, row]) => [v, row + by]),
  };
}

/**
 * The file's runs from its parts' (in file order): runs that meet at a part's end with one
 * value join; a value in two runs is no stream (undefined).
 */
function mergeParts(
  parts: ScanPart[],
  /** The kept columns. */
  names: string[],
): { rows: number; runs: FrameRun[]; candidates: ColumnTable } | undefined {
  const runs: FrameRun[] = [];
  const seen = new Set<number | string>();
  const captured = new Map<number, (number | string | null)[]>();
  let base = 0;
  for (const part of parts) {
    for (const run of part.runs) {
      const start = base + run.start;
      const summary =
        run.summary &&
        Object.fromEntries(
          Object.entries(run.summary).map(([name, s]) => [name, shiftSummary(s, base)]),
        );
      const last = runs[runs.length - 1];
      if (last && last.value === run.value && last.start + last.count === start) {
        last.count += run.count;
        for (const [name, s] of Object.entries(summary ?? {})) {
          if (last.summary![name]) mergeSummary(last.summary![name], s);
          else last.summary![name] = s;
        }
        continue;
      }
      if (run.value !== null) {
        if (seen.has(run.value)) return undefined;
        seen.add(run.value);
      }
      runs.push({ ...run, start, ...(summary ? { summary } : {}) });
    }
    for (const [row, values] of part.captured) captured.set(base + row, values);
    base += part.rows;
  }
  const rows = [...captured.keys()].sort((a, b) => a - b);
  if (rows.length > SUMMARY_ROWS) return undefined;
  return { rows: base, runs, candidates: tableOfRows(names, rows, captured) };
}

/** A table of the given rows' values (text dictionary-coded), with a `row` of each. */
function tableOfRows(
  names: string[],
  rows: number[],
  values: Map<number, (number | string | null)[]>,
): ColumnTable {
  const columns = columnRecord();
  names.forEach((name, c) => {
    const cells = rows.map((row) => values.get(row)![c]);
    if (cells.some((v) => typeof v === 'string')) {
      columns[name] = dictionaryColumn(cells.length, (i) => cells[i] as string | null);
    } else {
      const column = sharedFloat64(cells.length);
      cells.forEach((v, i) => (column[i] = v === null ? NaN : (v as number)));
      columns[name] = { kind: 'number', values: column };
    }
  });
  const row = sharedFloat64(rows.length);
  row.set(rows);
  return {
    length: rows.length,
    names,
    columns: { ...columns, [ROW]: { kind: 'number', values: row } },
  };
}

/** The candidates' column holding each one's row in the file. */
const ROW = '\u0000row';

/**
 * The rows that bound every data-driven scale domain over all frames: each field's first
 * rows with its least and greatest value and (up to DISTINCT_CAP) each distinct value, as
 * `summaryRowIndices` finds them walking the frames in clock order (`runOf[k]`: frame k's
 * run, −1 none); in file order, every column.
 */
export function streamSummary(stream: FrameStream, runOf: ArrayLike<number>): ColumnTable {
  const merged = new Map<string, RunSummary>();
  for (let k = 0; k < runOf.length; k++) {
    const run = runOf[k] < 0 ? undefined : stream.runs[runOf[k]];
    for (const [name, s] of Object.entries(run?.summary ?? {})) {
      const into = merged.get(name);
      if (into) mergeSummary(into, s);
      else merged.set(name, shiftSummary(s, 0));
    }
  }
  const keep = new Set<number>();
  for (const s of merged.values()) {
    if (s.lo >= 0) keep.add(s.lo).add(s.hi);
    s.distinct?.forEach(([, row]) => keep.add(row));
    s.firstOfText.forEach(([, row]) => keep.add(row));
  }
  const { candidates } = stream;
  const rowOf = candidates.columns[ROW];
  const picked: number[] = [];
  if (rowOf.kind === 'number')
    for (let i = 0; i < candidates.length; i++) if (keep.has(rowOf.values[i])) picked.push(i);
  const columns = columnRecord();
  for (const name of candidates.names) {
    const c = candidates.columns[name];
    columns[name] =
      c.kind === 'string'
        ? { kind: 'string', codes: Int32Array.from(picked, (i) => c.codes[i]), dict: c.dict }
        : c.kind === 'number'
          ? { kind: 'number', values: Float64Array.from(picked, (i) => c.values[i]) }
          : c;
  }
  return { length: picked.length, names: candidates.names, columns };
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
 * is (the renderer copies what it keeps into row objects). Fresh arrays per frame would be
 * garbage waiting for a full collection.
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
  const fd = openSync(stream.file, OPEN_FLAGS);
  try {
    const now = fstatSync(fd);
    if (
      now.size !== stream.size ||
      now.mtimeMs !== stream.mtimeMs ||
      now.ino !== stream.ino ||
      now.dev !== stream.dev
    )
      throw new FrameStreamError(dataMessage.streamChanged(stream.url));
    for (let at = 0; at < length;) {
      const read = readSync(fd, bytes, at, length - at, byteFrom + at);
      if (read === 0) throw new FrameStreamError(dataMessage.streamEnded(stream.url));
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  try {
    return readCsvRecords(bytes, stream.layout, count, arrays);
  } catch (e) {
    if (e instanceof CsvError)
      throw new FrameStreamError(dataMessage.streamChangedAs(stream.url, e.message));
    throw e;
  }
}

function emptyTable(stream: FrameStream): ColumnTable {
  const { names, kept, numeric } = stream.layout;
  const columns = columnRecord();
  names.forEach((name, c) => {
    if (!kept.includes(name)) return;
    columns[name] = numeric[c]
      ? { kind: 'number', values: sharedFloat64(0) }
      : { kind: 'string', codes: sharedInt32(0), dict: [] };
  });
  return { length: 0, names: names.filter((n) => kept.includes(n)), columns };
}
