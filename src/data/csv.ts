/**
 * A byte-level CSV/TSV reader that fills typed columns directly: no string per numeric
 * cell, no object per row. Column types are inferred from the first rows (numbers where
 * every value parses, else dictionary-coded strings) and re-read as strings if a later
 * value disagrees. `format.parse` overrides inference per field.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type ColumnTable, columnRecord, sharedFloat64, sharedInt32 } from './table.js';
import { wasmModule } from '../support/wasm.js';
import { UserError } from '../support/user-error.js';

const QUOTE = 34;
const CR = 13;
const LF = 10;

export type FieldParse = 'number' | 'boolean' | 'date' | 'string';

export interface CsvOptions {
  delimiter?: string;
  parse?: Record<string, FieldParse | null>;
  /** Columns to keep; the others are skipped while parsing, never stored. Default: all. */
  keep?: (name: string) => boolean;
  /**
   * Columns read as numbers even where the text would change (a quantitative encoding
   * reads them): "00501" is 501 there. In the other columns such text keeps the column
   * text (see `codedNumber`), as Vega-Lite, which parses only what it is asked to, shows it.
   */
  numbers?: readonly string[];
}

/** A CSV file the reader cannot read; the loader reports it as a DataLoadError naming the file. */
export class CsvError extends UserError {}

/**
 * Whether each column is read as numbers whatever its text looks like: `format.parse`
 * asks for numbers or dates, or `numbers` names it. The others hold numbers only while
 * every value is its number's own text.
 */
function numberColumns(
  names: string[],
  parse: Record<string, FieldParse | null>,
  numbers: readonly string[] = [],
): boolean[] {
  return names.map((n) => {
    const p = parseOf(parse, n);
    return p === 'number' || p === 'date' || numbers.includes(n);
  });
}

/**
 * Number text that read as a number would change, in the forms codes take: a leading
 * zero ("00501", zip and FIPS codes), an exponent ("1e5", part numbers) and whole numbers
 * past 2^53 ("12345678901234567890", ids, which a double rounds). Vega-Lite parses only
 * the fields it is asked to, so such a field shows its text there; a number column would
 * show 501. Plain decimals pay nothing for the check; a point's trailing zeros ("1.50")
 * and a bare point (".5") are read as numbers.
 */
function codedNumber(text: string, value: number): boolean {
  return /^[-+]?0\d|[eE]/.test(text) || (Math.abs(value) > 2 ** 53 && /^[-+]?\d+$/.test(text));
}

/**
 * Parses a number from bytes [start, end); NaN when it is not a plain decimal, or (with
 * `plainOnly`) when it is a code (`codedNumber`).
 */
function parseNumberBytes(buf: Uint8Array, start: number, end: number, plainOnly = false): number {
  let i = start;
  while (i < end && buf[i] === 32) i++;
  while (end > i && buf[end - 1] === 32) end--;
  if (i === end) return NaN;
  let sign = 1;
  if (buf[i] === 45) {
    sign = -1;
    i++;
  } else if (buf[i] === 43) i++;
  let int = 0;
  let digits = 0;
  const first = buf[i];
  while (i < end && buf[i] >= 48 && buf[i] <= 57) {
    int = int * 10 + (buf[i] - 48);
    i++;
    digits++;
  }
  if (plainOnly && digits > 1 && first === 48) return NaN; // a leading zero: a code
  let frac = 0;
  let scale = 1;
  if (i < end && buf[i] === 46) {
    i++;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) {
      frac = frac * 10 + (buf[i] - 48);
      scale *= 10;
      i++;
      digits++;
    }
  }
  if (digits === 0) return slowNumber(buf, start, end, plainOnly);
  if (i !== end || digits > 15) return slowNumber(buf, start, end, plainOnly);
  // int + frac/scale is exact to the printed precision for ≤15 significant digits
  return sign * (int + frac / scale);
}

/** A number in any decimal form (exponent, many digits, Infinity); see parseNumberBytes. */
function slowNumber(buf: Uint8Array, start: number, end: number, plainOnly = false): number {
  const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start)
    .toString('latin1')
    .trim();
  if (s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?Infinity$/.test(s)) return NaN;
  const v = Number(s);
  return plainOnly && codedNumber(s, v) ? NaN : v;
}

interface FieldCursor {
  /** Start and end of the current field's bytes, quotes stripped. */
  start: number;
  end: number;
  quoted: boolean;
}

/** Iterates the fields of each record, calling `onField(col, cursor)` and `onRecordEnd()`. */
function scan(
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
          if (j >= n) throw new CsvError('a quoted field is not closed before the end of the file');
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

function fieldText(buf: Uint8Array, f: FieldCursor): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset + f.start, f.end - f.start).toString('utf8');
  return f.quoted ? s.replace(/""/g, '"') : s;
}

export function parseCsv(bytes: Uint8Array, options: CsvOptions = {}): ColumnTable {
  const delim = (options.delimiter ?? ',').charCodeAt(0);
  const { names, bodyStart } = readHeader(bytes, delim);
  const parse = options.parse ?? {};
  const asNumber = numberColumns(names, parse, options.numbers);
  const { numeric, integral } = inferTypes(bytes, bodyStart, delim, names, parse, asNumber);
  for (;;) {
    const from = bodyStart;
    const input = {
      bytes,
      from,
      delim,
      names,
      numeric,
      parse,
      asNumber,
      keep: options.keep,
      integral,
    };
    const result = readColumnsFast(input) ?? readColumns(input);
    if (result.table) return result.table;
    numeric[result.notNumeric!] = false; // a late non-number: read that column as text
    integral[result.notNumeric!] = false;
  }
}

/**
 * The `format.parse` of a column: its own entry only, so that a column named "constructor"
 * or "__proto__" is not taken for one with a parse (a plain object has both).
 */
function parseOf(
  parse: Record<string, FieldParse | null>,
  name: string,
): FieldParse | null | undefined {
  return Object.hasOwn(parse, name) ? parse[name] : undefined;
}

/** The header's field names and where the first record starts. */
function readHeader(bytes: Uint8Array, delim: number): { names: string[]; bodyStart: number } {
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
    throw new CsvError('the file is empty: no header row');
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

/** Rows read to infer column types. */
const INFER_ROWS = 2000;

/**
 * Column types from the first rows: which columns are numbers, and which of those hold
 * only whole numbers that fit an Int32, written as integers (no point or exponent; no
 * gaps, no −0, no dates). Those are stored as Int32Array, half a Float64Array, and widened
 * to Float64 if a later value is not one. A column written with points ("0.00000") holds
 * fractions that happen to start whole: widening it later would cost a copy.
 */
function inferTypes(
  bytes: Uint8Array,
  from: number,
  delim: number,
  names: string[],
  parse: Record<string, FieldParse | null>,
  /** numberColumns: the columns whose coded text (`codedNumber`) is still read as numbers. */
  asNumber: boolean[],
): { numeric: boolean[]; integral: boolean[] } {
  const numeric = names.map(
    (n) =>
      parseOf(parse, n) === 'number' || parseOf(parse, n) === 'date' || !Object.hasOwn(parse, n),
  );
  const integral = names.map((n, c) => numeric[c] && parseOf(parse, n) !== 'date');
  const sawValue = names.map(() => false);
  let rows = 0;
  scan(
    bytes,
    from,
    delim,
    (c, f) => {
      if (c >= names.length) return;
      const checkNumber = numeric[c] && !parseOf(parse, names[c]) && f.end > f.start;
      if (!checkNumber && !integral[c]) return;
      const v = f.end === f.start ? NaN : parseNumberBytes(bytes, f.start, f.end, !asNumber[c]);
      if (integral[c] && !(isInt32(v) && integerLiteral(bytes, f.start, f.end)))
        integral[c] = false;
      if (!checkNumber) return;
      sawValue[c] = true;
      if (Number.isNaN(v)) numeric[c] = false;
    },
    () => ++rows < INFER_ROWS,
  );
  const isNumeric = numeric.map(
    (isNum, c) => isNum && (sawValue[c] || parseOf(parse, names[c]) !== undefined),
  );
  return { numeric: isNumeric, integral: integral.map((whole, c) => whole && isNumeric[c]) };
}

/** Whether bytes [start, end) have no point and no exponent. */
function integerLiteral(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 46 || b === 101 || b === 69) return false; // . e E
  }
  return true;
}

/** Bytes [start, end) as UTF-8 text. */
function utf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** A whole number an Int32Array holds exactly (NaN, fractions and −0 are not). */
function isInt32(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}

/** A ColumnBuilder's arrays, by column (null: not that kind, or skipped). */
export interface ColumnArrays {
  nums: (Float64Array | Int32Array | null)[];
  codes: (Int32Array | null)[];
}

/** Growable typed columns both readers fill: numbers, or dictionary-coded text. */
class ColumnBuilder {
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

/** What both readers read: the bytes from the first record on, and the column plan. */
interface CsvInput {
  bytes: Uint8Array;
  from: number;
  delim: number;
  names: string[];
  numeric: boolean[];
  parse: Record<string, FieldParse | null>;
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  keep?: (name: string) => boolean;
  integral?: boolean[];
}

type ReadResult = { table?: ColumnTable; notNumeric?: number };

function readColumns(input: CsvInput): ReadResult {
  const { bytes, from, delim, names, numeric, parse, asNumber, keep } = input;
  const cols = new ColumnBuilder(names, numeric, bytes, from, undefined, keep, input.integral);
  const isDate = names.map((n) => parseOf(parse, n) === 'date');
  const isBool = names.map((n) => parseOf(parse, n) === 'boolean');
  let row = 0;
  let notNumeric = -1;
  let filled = 0;
  scan(
    bytes,
    from,
    delim,
    (c, f) => {
      if (c >= names.length) return;
      cols.reserve(row);
      filled = c + 1;
      let a = cols.nums[c];
      if (a) {
        let v: number;
        if (isDate[c]) v = f.end === f.start ? NaN : Date.parse(fieldText(bytes, f));
        else v = f.end === f.start ? NaN : parseNumberBytes(bytes, f.start, f.end, !asNumber[c]);
        if (Number.isNaN(v) && f.end > f.start && !isDate[c]) {
          const text = fieldText(bytes, f).trim();
          if (text !== '' && text.toLowerCase() !== 'nan' && text.toLowerCase() !== 'null') {
            if (parseOf(parse, names[c]) !== 'number') notNumeric = c;
          }
        }
        if (cols.ints[c] && !isInt32(v)) a = cols.widen(c);
        a[row] = v;
      } else {
        const k = cols.codes[c];
        if (!k) return; // a skipped column
        if (f.end === f.start && !f.quoted) {
          k[row] = -1;
          return;
        }
        let text = fieldText(bytes, f);
        if (isBool[c]) text = String(/^(true|1)$/i.test(text.trim()));
        k[row] = cols.code(c, text);
      }
    },
    (fields) => {
      if (fields === 1 && filled === 1 && names.length > 1) {
        // A blank line (one empty field): not a record.
        const a = cols.nums[0];
        const k = cols.codes[0];
        // (A skipped first column holds nothing: the line is blank all the same.)
        const empty = a ? Number.isNaN(a[row]) : k ? k[row] === -1 : true;
        if (empty) return notNumeric < 0;
      }
      cols.reserve(row);
      for (let c = fields; c < names.length; c++) cols.missing(c, row);
      row++;
      return notNumeric < 0;
    },
  );
  if (notNumeric >= 0) return { notNumeric };
  return { table: cols.build(row, isBool) };
}

/**
 * The common case in one tight loop: unquoted fields, numbers parsed while scanned (one
 * pass over the bytes, no callback or string per number). Returns undefined at the first
 * quote, date or boolean column, leaving the file to the general reader.
 */
function readColumnsFast(input: CsvInput): ReadResult | undefined {
  const { bytes, from, names, numeric, parse, keep } = input;
  if (names.some((n) => parseOf(parse, n) === 'date' || parseOf(parse, n) === 'boolean'))
    return undefined;
  const cols = new ColumnBuilder(names, numeric, bytes, from, undefined, keep, input.integral);
  const r = readChunkFast(input, cols, 0, from, bytes.length);
  if (r === undefined || 'notNumeric' in r) return r;
  return { table: cols.build(r.rows) };
}

let kernelRows = 0;

/** Rows csv.wat has read in this thread so far (tests check it does the work). */
export function csvKernelRows(): number {
  return kernelRows;
}

/** Records between marks (see NumberRecords.read). */
const MARK_ROWS = 4096;

/** csv.wat's memory: a window of the bytes, then the values it read (column after column). */
const WINDOW_BYTES = 1 << 20;
const VALUES_BYTES = 1 << 20;

interface CsvKernel {
  memory: WebAssembly.Memory;
  stop: WebAssembly.Global;
  parse(
    at: number,
    end: number,
    delim: number,
    ncols: number,
    valuesAt: number,
    maxRows: number,
    ints: number,
    skip: number,
    text: number,
    plain: number,
  ): number;
}

/**
 * readChunkFast's loop for records of plain numbers, run by csv.wat (same values: the same
 * arithmetic on the same digits), faster than the JavaScript loop; most of the rest of a
 * read is the columns' first writes, page faults either reader pays. Unquoted text fields
 * are passed over by the kernel and looked up here from where it noted them, so a text
 * column keeps its records out of the slower JavaScript reader.
 */
class NumberRecords {
  private constructor(private readonly kernel: CsvKernel) {}

  /** A reader with its own WebAssembly memory, or undefined without the kernel. */
  static create(): NumberRecords | undefined {
    const module = wasmModule('csv');
    if (!module) return undefined;
    const kernel = new WebAssembly.Instance(module, {}).exports as unknown as CsvKernel;
    const { memory } = kernel;
    memory.grow(Math.ceil((WINDOW_BYTES + VALUES_BYTES - memory.buffer.byteLength) / 65536));
    return new NumberRecords(kernel);
  }

  /**
   * Whether the kernel reads these columns: at most 32 (a bit each says whole-number,
   * skipped, text or plain-only), and a kernel that stops at a leading zero (one built
   * before has fewer parameters, and would read "00501" as 501).
   */
  fits(cols: ColumnBuilder): boolean {
    return cols.nums.length <= 32 && this.kernel.parse.length >= 10;
  }

  /**
   * Reads records from bytes [i, end) into `cols` from row `row` on, until one it cannot
   * read (returned `i` at its start) or `end`.
   */
  read(
    bytes: Uint8Array,
    i: number,
    end: number,
    delim: number,
    cols: ColumnBuilder,
    row: number,
    /** Gets (row, byte) where each call of the kernel starts: records easy to find again. */
    marks: number[] | undefined,
    /** numberColumns: the other number columns stop it at a leading zero (a code). */
    asNumber: boolean[],
  ): { i: number; row: number } {
    const { memory, stop, parse } = this.kernel;
    const ncols = cols.nums.length;
    // With marks, a call reads at most MARK_ROWS records: one is found again from the mark
    // before it by skipping fewer than that.
    const maxRows = Math.min(Math.floor(VALUES_BYTES / 8 / ncols), marks ? MARK_ROWS : Infinity);
    const skip = cols.nums.reduce((bits, a, c) => (a || cols.codes[c] ? bits : bits | (1 << c)), 0);
    const text = cols.codes.reduce((bits, k, c) => (k ? bits | (1 << c) : bits), 0);
    const plain = cols.nums.reduce((bits, a, c) => (a && !asNumber[c] ? bits | (1 << c) : bits), 0);
    while (i < end) {
      // The window stays in memory between calls: after each record the JavaScript reads,
      // this goes on in the same window (copying it again made such files quadratic).
      if (bytes !== this.source || i < this.from || i >= this.to) {
        const to = Math.min(end, i + WINDOW_BYTES);
        new Uint8Array(memory.buffer, 0, to - i).set(bytes.subarray(i, to));
        [this.source, this.from, this.to] = [bytes, i, to];
      }
      const start = i - this.from;
      let at = start;
      for (;;) {
        // The whole-number columns now (the JavaScript widens one at a value that is not).
        const ints = cols.ints.reduce((bits, int, c) => (int ? bits | (1 << c) : bits), 0);
        marks?.push(row, this.from + at);
        const rows = parse(
          at,
          this.to - this.from,
          delim,
          ncols,
          WINDOW_BYTES,
          maxRows,
          ints,
          skip,
          text,
          plain,
        );
        at = stop.value as number;
        if (rows > 0) {
          this.store(cols, row, rows, maxRows);
          row += rows;
          kernelRows += rows;
        }
        // A full values area: read on; otherwise it stopped at a record or the window's end.
        if (rows < maxRows || this.from + at >= this.to) break;
      }
      // Nothing read: the JavaScript reads this record (one it cannot, or one the window cut).
      if (at === start) break;
      i = this.from + at;
    }
    return { i, row };
  }

  /** The bytes the window holds, [from, to) of `source`. */
  private source: Uint8Array | undefined;
  private from = 0;
  private to = 0;

  /**
   * Copies `rows` values of each column (int32 or float64, as the column is) into the
   * columns, and looks up each text field (its bytes' [start, end) in the window) in its
   * column's dictionary.
   */
  private store(cols: ColumnBuilder, row: number, rows: number, maxRows: number): void {
    cols.reserve(row + rows - 1);
    const { buffer } = this.kernel.memory;
    for (let c = 0; c < cols.nums.length; c++) {
      const area = WINDOW_BYTES + c * maxRows * 8;
      const a = cols.nums[c];
      const k = cols.codes[c];
      if (a instanceof Int32Array) a.set(new Int32Array(buffer, area, rows), row);
      else if (a) a.set(new Float64Array(buffer, area, rows), row);
      else if (k) {
        const bounds = new Int32Array(buffer, area, rows * 2);
        const bytes = new Uint8Array(buffer);
        for (let r = 0; r < rows; r++) {
          const start = bounds[2 * r];
          const end = bounds[2 * r + 1];
          k[row + r] = start === end ? -1 : cols.codeOfBytes(c, bytes, start, end);
        }
      }
    }
  }
}

/**
 * Reads the records in bytes [from, end) into `cols` from row `row` on; `end` must fall at
 * a record boundary (or the end of the file). Returns the row count after them, or
 * undefined at a quote (the general reader's job), or the column that turned out not to
 * be numeric.
 */
function readChunkFast(
  { bytes, delim, names, parse, asNumber }: CsvInput,
  cols: ColumnBuilder,
  row: number,
  from: number,
  end: number,
  numberRecords = NumberRecords.create(),
  /** Gets (row, byte) of a record now and then (see NumberRecords.read). */
  marks?: number[],
): { rows: number } | { notNumeric: number } | undefined {
  const ncols = names.length;
  const ints = cols.ints;
  const n = end;
  let i = from;
  const records = numberRecords?.fits(cols) ? numberRecords : undefined;
  while (i < n) {
    if (records) {
      // Runs of plain-number records in WebAssembly; the record it stops at, here.
      ({ i, row } = records.read(bytes, i, n, delim, cols, row, marks, asNumber));
      if (i >= n) break;
    }
    // A blank line is not a record (with one column it is a missing value, as below).
    if (ncols > 1 && (bytes[i] === LF || bytes[i] === CR)) {
      i++;
      continue;
    }
    cols.reserve(row);
    if (marks && row % MARK_ROWS === 0) marks.push(row, i);
    let c = 0;
    for (;;) {
      const start = i;
      if (bytes[i] === QUOTE) return undefined;
      let a = c < ncols ? cols.nums[c] : null;
      if (a) {
        // Scan and parse a plain decimal together; anything else goes to slowNumber.
        let sign = 1;
        if (bytes[i] === 45) {
          sign = -1;
          i++;
        }
        let int = 0;
        let digits = 0;
        let b = bytes[i];
        const first = b;
        while (b >= 48 && b <= 57) {
          int = int * 10 + (b - 48);
          digits++;
          b = bytes[++i];
        }
        // A leading zero ("00501") is a code: the column is text unless read as numbers.
        if (digits > 1 && first === 48 && !asNumber[c]) return { notNumeric: c };
        let frac = 0;
        let scale = 1;
        if (b === 46) {
          b = bytes[++i];
          while (b >= 48 && b <= 57) {
            frac = frac * 10 + (b - 48);
            scale *= 10;
            digits++;
            b = bytes[++i];
          }
        }
        let v: number;
        if ((b === delim || b === LF || b === CR || i >= n) && digits > 0 && digits <= 15) {
          v = sign * (int + frac / scale);
        } else {
          while (i < n && bytes[i] !== delim && bytes[i] !== LF && bytes[i] !== CR) i++;
          if (bytes[i - 1] === QUOTE || bytes.subarray(start, i).includes(QUOTE)) return undefined;
          v = i === start ? NaN : slowNumber(bytes, start, i, !asNumber[c]);
          if (Number.isNaN(v) && i > start && parseOf(parse, names[c]) !== 'number') {
            const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start)
              .toString('latin1')
              .trim()
              .toLowerCase();
            if (text !== '' && text !== 'nan' && text !== 'null') return { notNumeric: c };
          }
        }
        if (ints[c] && !isInt32(v)) a = cols.widen(c);
        a[row] = v;
      } else {
        while (i < n && bytes[i] !== delim && bytes[i] !== LF && bytes[i] !== CR) {
          if (bytes[i] === QUOTE) return undefined;
          i++;
        }
        const k = c < ncols ? cols.codes[c] : null;
        if (k) k[row] = i === start ? -1 : cols.codeOfBytes(c, bytes, start, i);
      }
      c++;
      if (i < n && bytes[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    for (; c < ncols; c++) cols.missing(c, row);
    if (bytes[i] === CR) i++;
    if (bytes[i] === LF) i++;
    row++;
  }
  return { rows: row };
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

/** How a CSV file's records are read: what a byte range of them needs to be read alike. */
export interface CsvLayout {
  delimiter: string;
  parse: Record<string, FieldParse | null>;
  /** Every column of the file, in order. */
  names: string[];
  /** The columns stored (the others are skipped). */
  kept: string[];
  numeric: boolean[];
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  /** Number columns that held only whole numbers in the whole file (stored as Int32). */
  integral: boolean[];
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
 * The chunk loop of readCsvFile and scanCsvFile. Without `visit`, every record goes into
 * one set of columns; with it, each chunk's records go into columns reused for the next.
 */
/** A CSV file's header and column types: what reading any part of it needs. */
export interface CsvHead {
  names: string[];
  /** Where the first record starts. */
  bodyStart: number;
  numeric: boolean[];
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  integral: boolean[];
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

/**
 * The byte after `count` records from `i` on, counted as the fast reader counts them (in
 * a file it read: no quotes; a blank line is no record unless there is one column).
 */
function skipRecords(bytes: Uint8Array, i: number, count: number, ncols: number): number {
  const n = bytes.length;
  for (let k = 0; k < count && i < n; k++) {
    if (ncols > 1) while (i < n && (bytes[i] === LF || bytes[i] === CR)) i++;
    while (i < n && bytes[i] !== LF && bytes[i] !== CR) i++;
    if (bytes[i] === CR) i++;
    if (bytes[i] === LF) i++;
  }
  return i;
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
  if (rows !== count)
    throw new CsvError(`expected ${count} records at this place in the file, found ${rows}`);
  if (reuse) [reuse.nums, reuse.codes] = [cols.nums.slice(), cols.codes.slice()];
  return cols.build(rows);
}
