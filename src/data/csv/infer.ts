/**
 * Column types inferred from the first rows: which columns hold numbers (`format.parse`
 * overrides per field), and which of those hold only whole numbers an Int32 column keeps.
 */
import type { FieldParse } from './layout.js';
import { scan } from './records.js';
import { integerLiteral, isInt32, parseNumberBytes } from './numbers.js';

/**
 * Whether each column is read as numbers whatever its text looks like: `format.parse`
 * asks for numbers or dates, or `numbers` names it. The others hold numbers only while
 * every value is its number's own text.
 */
export function numberColumns(
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
 * The `format.parse` of a column: its own entry only, so that a column named "constructor"
 * or "__proto__" is not taken for one with a parse (a plain object has both).
 */
export function parseOf(
  parse: Record<string, FieldParse | null>,
  name: string,
): FieldParse | null | undefined {
  return Object.hasOwn(parse, name) ? parse[name] : undefined;
}

/** Rows read to infer column types. */
export const INFER_ROWS = 2000;

/**
 * Column types from the first rows: which columns are numbers, and which of those hold
 * only whole numbers that fit an Int32, written as integers (no point or exponent; no
 * gaps, no −0, no dates). Those are stored as Int32Array, half a Float64Array, and widened
 * to Float64 if a later value is not one. A column written with points ("0.00000") holds
 * fractions that happen to start whole: widening it later would cost a copy.
 */
export function inferTypes(
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
