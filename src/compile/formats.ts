/**
 * Number and time format strings, checked before Vega sees them. d3-format refuses a
 * malformed specifier only when a value is formatted (Vega then stops mid-render), and
 * reads an unknown type letter (".9z") as "g"; d3-time-format prints an unknown directive
 * ("%K") as its letter. Each is a mistake the chart would show or stop on, so each becomes a
 * sentence at its JSON path.
 *
 * Which kind a `format` is follows Vega-Lite (compile/format.ts): a `formatType` of
 * "time" or "utc", or else a temporal field or one with a time unit, takes a time format;
 * any other takes a number format; a custom `formatType` takes whatever its function does.
 * Where no field says (config, a field without a type), a format with a `%` directive is
 * read as a time format.
 */
import * as vega from 'vega';
import { quote } from '../spec/errors.js';
import type { Messages } from './messages.js';
import { type Json, isObject } from '../support/json.js';

/** d3-format's specifier, as its `formatSpecifier` reads it: the type is the last part. */
const NUMBER_SPECIFIER = /^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$/i;
const NUMBER_TYPES = 'e f g r s % p b o d x X c n'.split(' ');
const NUMBER_FORMAT_DOC = 'https://d3js.org/d3-format';

/** d3-time-format's directives (after `%` and an optional padding `-`, `_` or `0`). */
const TIME_DIRECTIVES = 'aAbBcdefgGHIjLmMpqQsSuUVwWxXyYZ%';
const TIME_FORMAT_DOC = 'https://d3js.org/d3-time-format';

/** Vega's number locale: called without a definition, `formatLocale` returns it (its typings say void). */
const numberLocale = (vega.formatLocale as unknown as () => { format(spec: string): unknown })();

/** What is wrong with a d3 number format, or undefined when d3-format reads it as meant. */
export function numberFormatProblem(format: string): string | undefined {
  try {
    numberLocale.format(format);
  } catch {
    // printf's "%.2f" is d3's ".2f".
    const printf = format.startsWith('%') && numberFormatProblem(format.slice(1)) === undefined;
    return `the number format ${quote(format)} is not a d3-format specifier: [[fill]align][sign][symbol][0][width][,][.precision][~][type], e.g. ",.2f" or ".0%"${printf ? `; d3 writes no "%" in front: ${quote(format.slice(1))}` : ''} (see ${NUMBER_FORMAT_DOC})`;
  }
  const type = NUMBER_SPECIFIER.exec(format)?.[10];
  if (type !== undefined && !NUMBER_TYPES.includes(type))
    return `the number format ${quote(format)} has the type ${quote(type)}, which d3-format does not have: the types are ${NUMBER_TYPES.join(' ')} (see ${NUMBER_FORMAT_DOC})`;
  return undefined;
}

/** What is wrong with a d3 time format, or undefined when every directive is one. */
export function timeFormatProblem(format: string): string | undefined {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    let j = i + 1;
    if ('-_0'.includes(format[j] ?? '') && j + 1 < format.length) j++;
    const directive = format[j];
    if (directive === undefined)
      return `the time format ${quote(format)} ends with a lone "%"; write "%%" for a percent sign (see ${TIME_FORMAT_DOC})`;
    if (!TIME_DIRECTIVES.includes(directive))
      return `the time format ${quote(format)} has ${quote(format.slice(i, j + 1))}, which is not a d3-time-format directive: they are ${[
        ...TIME_DIRECTIVES,
      ]
        .map((d) => `%${d}`)
        .join(' ')} (see ${TIME_FORMAT_DOC})`;
    i = j;
  }
  return undefined;
}

/** Whether a format reads as a time format where nothing else says which it is. */
export const looksLikeTime = (format: string) => /%[-_0]?[A-Za-z]/.test(format);

type Kind = 'number' | 'time' | 'guess' | 'custom';

/** The kind a `formatType` gives, if any. */
function kindOfFormatType(formatType: unknown): Kind | undefined {
  if (formatType === undefined) return undefined;
  if (formatType === 'number') return 'number';
  if (formatType === 'time' || formatType === 'utc') return 'time';
  return 'custom';
}

const ENCODING_TYPES = new Set(['quantitative', 'ordinal', 'nominal', 'temporal', 'geojson']);

/** The kind a field or datum definition gives its formats (and its axis', legend's, header's). */
function kindOfDef(def: Json): Kind | undefined {
  if (!(
    'field' in def ||
    'datum' in def ||
    'aggregate' in def ||
    ENCODING_TYPES.has(def.type as string)
  ))
    return undefined;
  if (def.type === 'temporal' || def.timeUnit !== undefined) return 'time';
  return ENCODING_TYPES.has(def.type as string) ? 'number' : 'guess';
}

function problemOf(format: string, kind: Kind): string | undefined {
  if (kind === 'custom') return undefined;
  const time = kind === 'time' || (kind === 'guess' && looksLikeTime(format));
  const problem = time ? timeFormatProblem(format) : numberFormatProblem(format);
  if (problem && !time && kind === 'number' && looksLikeTime(format))
    return `${problem}; for a time format, the field needs type: temporal (or formatType: "time")`;
  return problem;
}

/** Config properties that are formats of one kind whatever the field. */
const CONFIG_FORMATS: Readonly<Record<string, Kind>> = {
  timeFormat: 'time',
  numberFormat: 'number',
  normalizedNumberFormat: 'number',
};

const pathOf = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${quote(key)}]`;

/** Throws a CompileError at the first format string d3 would refuse or misread. */
export function checkFormats(input: unknown, log: Messages): void {
  const visit = (node: unknown, path: string, kind: Kind): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`, kind));
      return;
    }
    if (!isObject(node)) return;
    const own = kindOfFormatType(node.formatType) ?? kindOfDef(node) ?? kind;
    for (const [key, value] of Object.entries(node)) {
      const at = pathOf(path, key);
      // Data (whose `format` is its file type) and metadata hold no display formats.
      if (key === 'data' || key === 'datasets' || key === 'usermeta') continue;
      if (typeof value === 'string') {
        const configKind =
          path === '$.config' && Object.hasOwn(CONFIG_FORMATS, key)
            ? (kindOfFormatType(node[`${key}Type`]) ?? CONFIG_FORMATS[key])
            : undefined;
        const problem =
          key === 'format' ? problemOf(value, own) : configKind && problemOf(value, configKind);
        if (problem) throw log.error(problem, at);
      } else visit(value, at, own);
    }
  };
  visit(input, '$', 'guess');
}
