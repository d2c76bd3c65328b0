/**
 * Numbers from CSV bytes: plain decimals parsed from the digits without a string, other
 * forms through Number, and the text a number would change (codes such as "00501").
 */

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
export function parseNumberBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  plainOnly = false,
): number {
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
export function slowNumber(buf: Uint8Array, start: number, end: number, plainOnly = false): number {
  const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start)
    .toString('latin1')
    .trim();
  if (s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?Infinity$/.test(s)) return NaN;
  const v = Number(s);
  return plainOnly && codedNumber(s, v) ? NaN : v;
}

/** Whether bytes [start, end) have no point and no exponent. */
export function integerLiteral(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 46 || b === 101 || b === 69) return false; // . e E
  }
  return true;
}

/** A whole number an Int32Array holds exactly (NaN, fractions and −0 are not). */
export function isInt32(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}
