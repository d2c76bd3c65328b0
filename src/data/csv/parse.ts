/**
 * A CSV file held in memory, read into a table: the fast reader first, the general reader
 * (any quoting, dates, booleans) where it stops, again with a column as text where a later
 * value turns out not to be a number.
 */
import type { ColumnTable } from '../table.js';
import type { CsvInput, CsvOptions } from './layout.js';
import { fieldText, readHeader, scan } from './records.js';
import { isInt32, parseNumberBytes } from './numbers.js';
import { inferTypes, numberColumns, parseOf } from './infer.js';
import { ColumnBuilder } from './columns.js';
import { readChunkFast } from './fast.js';

type ReadResult = { table?: ColumnTable; notNumeric?: number };

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
