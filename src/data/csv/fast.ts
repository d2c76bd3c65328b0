/**
 * The fast reader: unquoted records read in one tight loop, numbers parsed while scanned,
 * runs of plain-number records handed to the WebAssembly kernel. It stops at a quote, a
 * late non-number or a date or boolean column, and the general reader takes the file.
 */
import type { CsvInput } from './layout.js';
import { CR, LF, QUOTE } from './records.js';
import { isInt32, slowNumber } from './numbers.js';
import { parseOf } from './infer.js';
import type { ColumnBuilder } from './columns.js';
import { MARK_ROWS, NumberRecords } from './kernel.js';

/**
 * Reads the records in bytes [from, end) into `cols` from row `row` on; `end` must fall at
 * a record boundary (or the end of the file). Returns the row count after them, or
 * undefined at a quote (the general reader's job), or the column that turned out not to
 * be numeric.
 */
export function readChunkFast(
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
