/**
 * The growable typed columns both readers fill (ColumnBuilder): numbers in Int32 or
 * Float64 arrays, text dictionary-coded, in shared memory render workers read.
 */
import { type ColumnTable, columnRecord, sharedFloat64, sharedInt32 } from '../table.js';
import type { ColumnArrays } from './layout.js';
import { LF, utf8 } from './records.js';

/** Growable typed columns both readers fill: numbers, or dictionary-coded text. */
export class ColumnBuilder {
  private capacity: number;
  /** Number columns: Int32Array while every value is a whole number (`ints`), else Float64. */
  readonly nums: (Float64Array | Int32Array | null)[];
  readonly ints: boolean[];
  readonly codes: (Int32Array | null)[];
  private readonly dicts: string[][];
  private readonly dictIndex: Map<string, number>[];

  constructor(
    private readonly names: string[],
    numeric: boolean[],
    bytes: Uint8Array,
    from: number,
    /** Bytes of records in all (a streamed file's size), when more than `bytes` holds. */
    totalBytes = bytes.length - from,
    /** Columns to store; a skipped column has neither numbers nor codes. */
    keep: (name: string) => boolean = () => true,
    /** Number columns to start as Int32 (inferTypes). */
    integral: boolean[] = [],
    /** Arrays of an earlier reading to fill again, where they are of the kind and size. */
    reuse?: ColumnArrays,
  ) {
    // Estimate rows from the first records' width; grow if the estimate was short.
    const estimate = Math.max(16, Math.ceil((totalBytes / averageRecordBytes(bytes, from)) * 1.02));
    this.ints = names.map((n, c) => keep(n) && numeric[c] && !!integral[c]);
    const fits = (a: Float64Array | Int32Array | null | undefined, int: boolean) =>
      !!a && a.length >= estimate && a instanceof Int32Array === int;
    this.nums = names.map((n, c) => {
      if (!keep(n) || !numeric[c]) return null;
      const a = reuse?.nums[c];
      if (fits(a, this.ints[c])) return a!;
      return this.ints[c] ? sharedInt32(estimate) : sharedFloat64(estimate);
    });
    this.codes = names.map((n, c) => {
      if (!keep(n) || numeric[c]) return null;
      const a = reuse?.codes[c];
      return fits(a, true) ? a! : sharedInt32(estimate);
    });
    // Room for as many rows as the smallest array has (a reused one may have more).
    // A loop, not Math.min(...arrays): a file may have more columns than a call has room
    // for arguments (200,000 overflow the stack).
    this.capacity = Infinity;
    for (const a of [this.nums, this.codes].flat())
      if (a) this.capacity = Math.min(this.capacity, a.length);
    if (!Number.isFinite(this.capacity)) this.capacity = estimate;
    this.dicts = names.map(() => []);
    this.dictIndex = names.map(() => new Map());
    this.byteCodes = names.map(() => new Map());
  }

  /** Makes room for row `row` (the arrays may be replaced: read them after this). */
  reserve(row: number): void {
    if (row < this.capacity) return;
    this.capacity = Math.max(Math.ceil(this.capacity * 1.5), row + 1);
    for (let c = 0; c < this.names.length; c++) {
      const a = this.nums[c];
      if (a instanceof Int32Array) this.nums[c] = copyInto(sharedInt32(this.capacity), a);
      else if (a) this.nums[c] = copyInto(sharedFloat64(this.capacity), a);
      const k = this.codes[c];
      if (k) this.codes[c] = copyInto(sharedInt32(this.capacity), k);
    }
  }

  /** The dictionary code of `text` in column c. */
  code(c: number, text: string): number {
    let code = this.dictIndex[c].get(text);
    if (code === undefined) {
      code = this.dicts[c].length;
      this.dicts[c].push(text);
      this.dictIndex[c].set(text, code);
    }
    return code;
  }

  /**
   * The dictionary code of the UTF-8 text in bytes [start, end) of column c. A short field
   * (most categories) is found by its bytes as a number, without decoding a string.
   */
  codeOfBytes(c: number, bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length > 6) return this.code(c, utf8(bytes, start, end));
    let key = length; // up to 6 bytes and their count: below 2^51, exact in a double
    for (let i = start; i < end; i++) key = key * 256 + bytes[i];
    const known = this.byteCodes[c];
    let code = known.get(key);
    if (code === undefined) known.set(key, (code = this.code(c, utf8(bytes, start, end))));
    return code;
  }
  private readonly byteCodes: Map<number, number>[];

  /** Column c as Float64 from now on (a value that is not a whole number arrived). */
  widen(c: number): Float64Array {
    const wide = copyInto(sharedFloat64(this.capacity), this.nums[c]!);
    this.nums[c] = wide;
    this.ints[c] = false;
    return wide;
  }

  missing(c: number, row: number): void {
    const a = this.ints[c] ? this.widen(c) : this.nums[c];
    if (a) a[row] = NaN;
    else if (this.codes[c]) this.codes[c][row] = -1;
  }

  build(rows: number, isBool?: boolean[]): ColumnTable {
    const columns = columnRecord();
    const kept: string[] = [];
    this.names.forEach((name, c) => {
      const a = this.nums[c];
      const codes = this.codes[c];
      if (!a && !codes) return; // skipped
      kept.push(name);
      if (a) columns[name] = { kind: 'number', values: a.subarray(0, rows) };
      else if (!codes) return;
      else if (isBool?.[c]) {
        const dict = this.dicts[c];
        columns[name] = {
          kind: 'value',
          values: Array.from(codes.subarray(0, rows), (k) => (k < 0 ? null : dict[k] === 'true')),
        };
      } else
        columns[name] = { kind: 'string', codes: codes.subarray(0, rows), dict: this.dicts[c] };
    });
    return {
      length: rows,
      names: kept,
      columns,
      ...(kept.length < this.names.length ? { sourceNames: this.names } : {}),
    };
  }
}

function copyInto<T extends Float64Array | Int32Array>(
  target: T,
  source: Float64Array | Int32Array,
): T {
  target.set(source);
  return target;
}

function averageRecordBytes(bytes: Uint8Array, from: number): number {
  let lines = 0;
  let i = from;
  const limit = Math.min(bytes.length, from + 256 * 1024);
  while (i < limit && lines < 1000) if (bytes[i++] === LF) lines++;
  return lines > 0 ? Math.max(1, (i - from) / lines) : Math.max(1, bytes.length - from);
}
