/**
 * A columnar table: numbers in typed arrays, strings dictionary-coded in Int32Arrays,
 * anything else (booleans, dates, nested values from inline JSON) in a plain array.
 * Buffers are SharedArrayBuffers so render workers read them without copies; a frame's
 * row objects are built only when that frame is rendered (`rowsAt`).
 */
import type { CsvLayout } from './csv/layout.js';

/**
 * A number column's storage: Float64 for parsed text (NaN for a missing value), or the
 * columnar file's own typed array when it has no nulls (a 100-million-row float32 Arrow
 * column stays 400 MB instead of 800).
 */
export type NumberArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

export type Column =
  | { kind: 'number'; values: NumberArray }
  | { kind: 'string'; codes: Int32Array; dict: string[] }
  | { kind: 'value'; values: unknown[] };

export interface ColumnTable {
  length: number;
  names: string[];
  columns: Record<string, Column>;
  /** Every column the source has, when only some were loaded (for messages). */
  sourceNames?: string[];
  /**
   * Rows read a frame at a time from a file (frame-stream.ts): `columns` is empty, and a
   * frame's rows come from `frameData` in compile/frames.ts.
   */
  stream?: FrameStream;
}

/** Consecutive rows with one frame value (null: rows without a valid one). */
export interface FrameRun {
  value: number | string | null;
  start: number;
  count: number;
  /** The file offset of its first record (its bytes end where the next run's begin). */
  byte: number;
  /** Its rows' summary of each field a scale's domain reads (none without a value). */
  summary?: Record<string, RunSummary>;
}

/**
 * A run's least and greatest value of a field and the first row holding each (−1: none),
 * and the first row of each distinct value (null: more than DISTINCT_CAP), as
 * `numberSummary` finds them; text fields have only `firstOfText`.
 */
export interface RunSummary {
  least: number;
  greatest: number;
  lo: number;
  hi: number;
  distinct: [number, number][] | null;
  firstOfText: [string, number][];
}

/**
 * A framed CSV file read a frame at a time (frame-stream.ts): where each frame's run of
 * rows lies in it, and how its records are read.
 */
export interface FrameStream {
  file: string;
  /** The file as the spec names it (for messages). */
  url: string;
  /** The file as scanned: a file changed since is an error, not other data. */
  size: number;
  mtimeMs: number;
  /** Which file it was: one put in its place since is an error, not other data. */
  dev: number;
  ino: number;
  layout: CsvLayout;
  rows: number;
  /** The frame column's runs, in file order; each valid value has one. */
  runs: FrameRun[];
  /** The rows the runs' summaries name, with every column (see `streamSummary`). */
  candidates: ColumnTable;
}

/**
 * An empty record of columns by name, without a prototype: a column may be named
 * "__proto__" or "constructor", and a plain object would take the first for its prototype
 * and find Object where no column of the second name exists.
 */
export function columnRecord(): Record<string, Column> {
  return Object.create(null) as Record<string, Column>;
}

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(n * 4));
}

/** The value of one cell, as Vega would see it in a row object. */
export function cellValue(column: Column, row: number): unknown {
  switch (column.kind) {
    case 'number': {
      const v = column.values[row];
      return Number.isNaN(v) ? null : v;
    }
    case 'string': {
      const code = column.codes[row];
      return code < 0 ? null : column.dict[code];
    }
    default:
      return column.values[row];
  }
}

/** Row objects for the given row indices (one frame's worth, never the whole table). */
export function rowsAt(table: ColumnTable, indices: ArrayLike<number>): Record<string, unknown>[] {
  const { names, columns } = table;
  const cols = names.map((n) => columns[n]);
  const rows = new Array<Record<string, unknown>>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = cellValue(cols[c], r);
    rows[i] = row;
  }
  return rows;
}

/** Row objects for every row of a small table (an unpartitioned source, a domain pass). */
export function everyRow(table: ColumnTable): Record<string, unknown>[] {
  return rowsAt(
    table,
    Uint32Array.from({ length: table.length }, (_, r) => r),
  );
}

/** Builds a table from row objects (inline `values`, parsed JSON). */
export function tableFromRows(rows: readonly unknown[]): ColumnTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row && typeof row === 'object' && !Array.isArray(row)) {
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
  }
  const columns = columnRecord();
  for (const name of names) {
    const get = (i: number): unknown => {
      const row = rows[i];
      return row && typeof row === 'object' ? (row as Record<string, unknown>)[name] : undefined;
    };
    let allNumbers = true;
    let allStrings = true;
    for (let i = 0; i < rows.length && (allNumbers || allStrings); i++) {
      const v = get(i);
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number') allNumbers = false;
      if (typeof v !== 'string') allStrings = false;
    }
    if (allNumbers) {
      const values = sharedFloat64(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = get(i);
        values[i] = typeof v === 'number' ? v : NaN;
      }
      columns[name] = { kind: 'number', values };
    } else if (allStrings) {
      columns[name] = dictionaryColumn(rows.length, (i) => get(i) as string | null | undefined);
    } else {
      columns[name] = { kind: 'value', values: rows.map((_, i) => get(i)) };
    }
  }
  return { length: rows.length, names, columns };
}

export function dictionaryColumn(
  length: number,
  get: (i: number) => string | null | undefined,
): Column {
  const codes = sharedInt32(length);
  const dict: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < length; i++) {
    const v = get(i);
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dict.length;
      dict.push(v);
      index.set(v, code);
    }
    codes[i] = code;
  }
  return { kind: 'string', codes, dict };
}

/** Bytes held by the table's typed columns (for `info` and memory checks). */
export function tableBytes(table: ColumnTable): number {
  let bytes = 0;
  if (table.stream) return 0; // no columns in memory
  for (const name of table.names) {
    const c = table.columns[name];
    if (c.kind === 'number') bytes += c.values.byteLength;
    else if (c.kind === 'string') bytes += c.codes.byteLength;
    else bytes += c.values.length * 8;
  }
  return bytes;
}

/** A new table of the given rows, in that order (e.g. the rows of some frames). */
export function selectRows(table: ColumnTable, rows: ArrayLike<number>): ColumnTable {
  const columns = columnRecord();
  for (const name of table.names) {
    const col = table.columns[name];
    if (col.kind === 'number') {
      const values = sharedFloat64(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = col.values[rows[i]];
      columns[name] = { kind: 'number', values };
    } else if (col.kind === 'string') {
      const codes = sharedInt32(rows.length);
      for (let i = 0; i < rows.length; i++) codes[i] = col.codes[rows[i]];
      columns[name] = { kind: 'string', codes, dict: col.dict };
    } else {
      columns[name] = { kind: 'value', values: Array.from(rows, (r) => col.values[r]) };
    }
  }
  return { length: rows.length, names: [...table.names], columns };
}

/**
 * The narrowest typed array that holds every value of a whole-number column exactly, or
 * undefined when it is already that narrow (or holds something else).
 */
function narrowerWholeNumbers(values: NumberArray): NumberArray | undefined {
  if (!(values instanceof Int32Array || values instanceof Uint32Array)) return undefined;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  const make = <T extends NumberArray>(Ctor: new (b: SharedArrayBuffer) => T, bytes: number) => {
    const out = new Ctor(new SharedArrayBuffer(values.length * bytes));
    out.set(values);
    return out;
  };
  if (lo >= 0 && hi <= 0xff) return make(Uint8Array, 1);
  if (lo >= -0x80 && hi <= 0x7f) return make(Int8Array, 1);
  if (lo >= 0 && hi <= 0xffff) return make(Uint16Array, 2);
  if (lo >= -0x8000 && hi <= 0x7fff) return make(Int16Array, 2);
  return undefined;
}

/**
 * Stores each whole-number column in the narrowest type that holds its values (digits 0–9
 * in a byte instead of four), with the same values; returns the bytes saved.
 */
export function narrowColumns(table: ColumnTable): number {
  let saved = 0;
  if (table.stream) return 0; // no columns in memory
  for (const name of table.names) {
    const c = table.columns[name];
    if (c.kind !== 'number') continue;
    const narrow = narrowerWholeNumbers(c.values);
    if (!narrow) continue;
    saved += c.values.byteLength - narrow.byteLength;
    table.columns[name] = { kind: 'number', values: narrow };
  }
  return saved;
}

/** Distinct numeric values tracked per column before it counts as continuous. */
export const DISTINCT_CAP = 1000;

/** Whole numbers below this have their first rows in a table rather than a map. */
const SMALL_VALUES = 4096;

/**
 * A number column's first rows holding its least and greatest finite values, and the first
 * row of each distinct finite value while there are at most DISTINCT_CAP (one more means
 * too many). The extremes are kept as values, not re-read through the row each time; a
 * value equal to the one before skips the lookup, and small whole numbers go to a table
 * instead of the map.
 */
export function numberSummary(
  values: NumberArray,
  rows: Uint32Array | null,
  count: number,
  cap = DISTINCT_CAP,
): { lo: number; hi: number; distinct: Map<number, number> } {
  let lo = -1;
  let hi = -1;
  let least = Infinity;
  let greatest = -Infinity;
  const distinct = new Map<number, number>();
  // Small whole numbers (codes, categories, epochs) in a table, the rest in the map.
  const smallFirst = new Int32Array(SMALL_VALUES).fill(-1);
  let found = 0;
  let open = true; // still counting distinct values
  let previous = NaN;
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i;
    const v = values[r];
    if (!(v - v === 0)) continue; // NaN and ±Infinity
    if (v < least || lo < 0) {
      least = v;
      lo = r;
    }
    if (v > greatest || hi < 0) {
      greatest = v;
      hi = r;
    }
    if (open && v !== previous) {
      previous = v;
      if (v >= 0 && v < SMALL_VALUES && (v | 0) === v) {
        if (smallFirst[v] >= 0) continue;
        smallFirst[v] = r;
      } else {
        if (distinct.has(v)) continue;
        distinct.set(v, r);
      }
      open = ++found <= cap;
    }
  }
  smallFirst.forEach((r, v) => r >= 0 && distinct.set(v, r));
  return { lo, hi, distinct };
}

/** The longest string value of a table's columns, with its column (streamed tables: none). */
export function longestString(table: ColumnTable): { column: string; length: number } | undefined {
  let longest: { column: string; length: number } | undefined;
  const consider = (column: string, v: unknown) => {
    if (typeof v === 'string' && v.length > (longest?.length ?? -1))
      longest = { column, length: v.length };
  };
  for (const name of table.names) {
    const column = table.columns[name];
    if (column?.kind === 'string') for (const v of column.dict) consider(name, v);
    else if (column?.kind === 'value') for (const v of column.values) consider(name, v);
  }
  return longest;
}
