/**
 * Vega expression functions that cannot run away with a render. Vega's own `test`,
 * `replace` and `split` hand a spec's regular expression to JavaScript's backtracking
 * engine, where `/^(a+)+$/` on a 60-character string runs for minutes inside one call that
 * no limit can interrupt; `sequence`, `pad` and the time sequences allocate whatever size
 * they are asked for. Registered over Vega's (expressionFunction), these match regular
 * expressions with RE2's linear-time engine (re2js) and refuse sizes past a bound with a
 * sentence that names the call. Importing this module registers them, in every thread
 * that runs Vega; the HTML player registers the same ones in the viewer's browser.
 */
import * as vega from 'vega';
import { RE2JS } from 're2js';
import type { Matcher } from 're2js';

type RE2Class = typeof RE2JS;
/** What the installer needs of Vega (the module in Node, `window.vega` in the player). */
interface VegaFunctions {
  expressionFunction(name: string, fn?: unknown): unknown;
}

/**
 * Registers the bounded functions over `vega`'s, matching with `RE2JS` (re2js's class), and
 * returns the bounds and the error class they throw. It refers to nothing outside itself
 * but its arguments and JavaScript's globals: the HTML player embeds its source text
 * (`installBoundedFunctions.toString()`) and calls it in the page with the browser builds
 * of Vega and re2js, so a spec's expressions have the same bounds in the viewer's browser.
 */
export function installBoundedFunctions(vega: VegaFunctions, RE2JS: RE2Class) {
  /** Most values one `sequence`, `timeSequence` or `utcSequence` call may make. */
  const MAX_SEQUENCE_VALUES = 1_000_000;
  /** Longest string one `pad`, `replace` or `split` call may make. */
  const MAX_STRING_LENGTH = 100_000;

  /** An expression asked for more than it may make, or for a pattern RE2 cannot run. */
  class ExpressionBoundError extends Error {}

  /** A count as a person reads it: spec/limits.ts's formatCount, repeated to stay self-contained. */
  const count = (value: number): string => {
    if (!Number.isFinite(value)) return value > 0 ? 'endless' : String(value);
    return Math.abs(value) >= 1e15
      ? value.toExponential(1)
      : Math.round(value).toLocaleString('en');
  };

  const compiled = new Map<string, RE2JS>();

  /** The RE2 form of a RegExp or pattern string, compiled once per pattern and flags. */
  function re2(pattern: unknown): { re: RE2JS; global: boolean } {
    const native = pattern instanceof RegExp ? pattern : new RegExp(String(pattern));
    const key = `${native.flags}/${native.source}`;
    let re = compiled.get(key);
    if (!re) {
      try {
        re = RE2JS.compile(RE2JS.translateRegExp(native));
      } catch (e) {
        throw new ExpressionBoundError(
          `the regular expression ${String(native).slice(0, 200)} uses a feature vega-frames does not run (${(e as Error).message}); backreferences and lookahead can take exponential time, so write the pattern without them`,
        );
      }
      if (compiled.size >= 256) compiled.clear();
      compiled.set(key, re);
    }
    return { re, global: native.global };
  }

  function test(pattern: unknown, text: unknown): boolean {
    return re2(pattern).re.test(String(text));
  }

  /** JavaScript's replacement patterns: `$$`, `$&`, `` $` ``, `$'`, `$n`, `$<name>`. */
  function expandReplacement(replacement: string, m: Matcher, input: string): string {
    return replacement.replace(/\$(\$|&|`|'|\d{1,2}|<([^>]*)>)/g, (whole, token: string, name) => {
      if (token === '$') return '$';
      if (token === '&') return m.group(0) ?? '';
      if (token === '`') return input.slice(0, m.start(0));
      if (token === "'") return input.slice(m.end(0));
      if (name !== undefined) return m.group(name) ?? '';
      const n = Number(token);
      return n >= 1 && n <= m.groupCount() ? (m.group(n) ?? '') : whole;
    });
  }

  function replace(text: unknown, pattern: unknown, replacement: unknown): string {
    const input = String(text);
    if (typeof replacement === 'function')
      throw new ExpressionBoundError('replace() takes a string as its replacement');
    const by = String(replacement);
    if (!(pattern instanceof RegExp)) {
      // A plain string pattern replaces its first occurrence: no regular expression runs.
      return boundString(
        input.replace(String(pattern), () => by),
        'replace()',
      );
    }
    const { re, global } = re2(pattern);
    const m = re.matcher(input);
    let out = '';
    let last = 0;
    let from = 0;
    while (from <= input.length && m.find(from)) {
      out += input.slice(last, m.start(0)) + expandReplacement(by, m, input);
      boundString(out, 'replace()');
      last = m.end(0);
      // An empty match moves on by one character, as JavaScript's replace does.
      from = m.end(0) === m.start(0) ? m.end(0) + 1 : m.end(0);
      if (!global) break;
    }
    return boundString(out + input.slice(last), 'replace()');
  }

  /** String.prototype.split with a regular expression, by the ECMAScript steps, on RE2. */
  function split(text: unknown, separator: unknown, limit?: unknown): string[] {
    const input = String(text);
    const most = limit === undefined ? 2 ** 32 - 1 : Number(limit) >>> 0;
    if (!(separator instanceof RegExp)) return input.split(String(separator), most);
    const { re } = re2(separator);
    if (most === 0) return [];
    if (input === '') return re.matcher('').matches() ? [] : [''];
    const parts: string[] = [];
    const m = re.matcher(input);
    let last = 0;
    let from = 0;
    while (from < input.length && m.find(from)) {
      const start = m.start(0);
      const end = m.end(0);
      if (start >= input.length) break;
      if (end === last) {
        // An empty match where the last piece ended splits nothing: look one further.
        from = start + 1;
        continue;
      }
      parts.push(input.slice(last, start));
      // Capturing groups are spliced into the result, as JavaScript's split does.
      for (let g = 1; g <= m.groupCount(); g++) parts.push(m.group(g) as string);
      if (parts.length >= most) return parts.slice(0, most);
      last = end;
      from = end;
    }
    parts.push(input.slice(last));
    return parts;
  }

  function boundString(s: string, call: string): string {
    if (s.length > MAX_STRING_LENGTH) {
      throw new ExpressionBoundError(
        `${call} would make a string of over ${count(MAX_STRING_LENGTH)} characters, more than an expression may make`,
      );
    }
    return s;
  }

  type Fn = (...args: unknown[]) => unknown;
  const original = (name: string) => vega.expressionFunction(name) as unknown as Fn;

  const vegaSequence = original('sequence');
  function sequence(...args: unknown[]): unknown {
    const [start, stop, step] =
      args.length === 1
        ? [0, Number(args[0]), 1]
        : [Number(args[0]), Number(args[1]), Number(args[2] ?? 1)];
    const n = (stop - start) / step;
    if (!(n <= MAX_SEQUENCE_VALUES) && step !== 0) {
      throw new ExpressionBoundError(
        `sequence(${args.map(String).join(', ')}) would make ${Number.isFinite(n) ? count(n) : 'endless'} values, over the ${count(MAX_SEQUENCE_VALUES)} an expression may make`,
      );
    }
    return vegaSequence(...args);
  }

  const vegaPad = original('pad');
  function pad(text: unknown, length: unknown, ...rest: unknown[]): unknown {
    const target = Number(length);
    if (target > MAX_STRING_LENGTH) {
      throw new ExpressionBoundError(
        `pad() to ${count(target)} characters is over the ${count(MAX_STRING_LENGTH)} an expression may make`,
      );
    }
    // The pad string is repeated once per missing character (Vega's pad), so a long one
    // multiplies the length: the result is counted before it is made.
    const by = String(rest[0] || ' ');
    const s = String(text);
    const made = s.length + Math.max(0, Math.ceil(target - s.length)) * by.length;
    if (made > MAX_STRING_LENGTH) {
      throw new ExpressionBoundError(
        `pad() to ${count(target)} characters with a ${count(by.length)}-character pad string would make ${count(made)} characters, over the ${count(MAX_STRING_LENGTH)} an expression may make`,
      );
    }
    return vegaPad(text, length, ...rest);
  }

  /** Approximate milliseconds of one step of each time unit, to count a sequence before it is made. */
  const UNIT_MS: Record<string, number> = {
    millisecond: 1,
    second: 1e3,
    minute: 6e4,
    hour: 3.6e6,
    day: 8.64e7,
    date: 8.64e7,
    dayofyear: 8.64e7,
    week: 6.048e8,
    month: 2.4e9, // a short month, so the count is never under the real one
    quarter: 7.7e9,
    year: 3.1e10,
  };

  function boundedTimeSequence(name: string): Fn {
    const vegaFn = original(name);
    return (unit, start, stop, step, ...rest) => {
      const ms = UNIT_MS[String(unit)] ?? 1;
      const span = +new Date(stop as never) - +new Date(start as never);
      const n = span / (ms * (Number(step ?? 1) || 1));
      if (!(n <= MAX_SEQUENCE_VALUES)) {
        throw new ExpressionBoundError(
          `${name}("${String(unit)}", …) would make ${Number.isFinite(n) ? `about ${count(n)}` : 'endless'} values, over the ${count(MAX_SEQUENCE_VALUES)} an expression may make`,
        );
      }
      return vegaFn(unit, start, stop, step, ...rest);
    };
  }

  const BOUNDED: Record<string, Fn> = {
    test: test as Fn,
    replace: replace as Fn,
    split: split as Fn,
    sequence,
    pad,
    timeSequence: boundedTimeSequence('timeSequence'),
    utcSequence: boundedTimeSequence('utcSequence'),
  };

  for (const [name, fn] of Object.entries(BOUNDED)) vega.expressionFunction(name, fn as never);
  return { MAX_SEQUENCE_VALUES, MAX_STRING_LENGTH, ExpressionBoundError };
}

const installed = installBoundedFunctions(vega, RE2JS);

/** Most values one `sequence`, `timeSequence` or `utcSequence` call may make. */
export const MAX_SEQUENCE_VALUES = installed.MAX_SEQUENCE_VALUES;
/** Longest string one `pad`, `replace` or `split` call may make. */
export const MAX_STRING_LENGTH = installed.MAX_STRING_LENGTH;
/** An expression asked for more than it may make, or for a pattern RE2 cannot run. */
export const ExpressionBoundError = installed.ExpressionBoundError;
export type ExpressionBoundError = InstanceType<typeof ExpressionBoundError>;
