/**
 * The WebAssembly record kernel (csv.wat, beside this file): runs of records of plain
 * numbers, and unquoted text noted where it lies, read into a ColumnBuilder's columns.
 * Without the kernel (no .wasm, `--jitless`) the fast reader's JavaScript loop reads them.
 */
import { wasmModule } from '../../support/wasm.js';
import type { ColumnBuilder } from './columns.js';

let kernelRows = 0;

/** Rows csv.wat has read in this thread so far (tests check it does the work). */
export function csvKernelRows(): number {
  return kernelRows;
}

/** Records between marks (see NumberRecords.read). */
export const MARK_ROWS = 4096;

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
export class NumberRecords {
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
