/**
 * Vega expressions in a spec, checked with Vega's own rules before anything runs: Vega
 * compiles an expression only from its whitelisted functions and constants, so `process`,
 * `constructor` chains and other escapes to Node are refused. This finds the refused one
 * and names its JSON path, instead of a bare message from deep inside Vega.
 *
 * Every place Vega-Lite takes an expression is one of three shapes, each with its own rule,
 * so the walker knows shapes, not places: an expression string; a predicate (an expression
 * string, or `and`/`or`/`not` of predicates, or an object holding expressions); an event
 * stream (a selector string such as `click[event.shiftKey]`, whose bracketed filters are
 * expressions, or an object with `filter`, `between`, `merge`, `stream`). SHAPES lists the
 * property names of each shape; test/safety.test.ts derives them from Vega-Lite's JSON
 * schema (properties typed Expr, ExprRef, PredicateComposition or Stream, or described as
 * a Vega expression), so a place a new Vega-Lite adds fails that test until it is here.
 */
import * as vega from 'vega';
import type { Messages } from './messages.js';
import { quote } from '../spec/errors.js';

type Json = Record<string, unknown>;

type Shape = 'expression' | 'predicate' | 'stream';

/** Property names whose value has a shape that holds expressions (see the header). */
export const SHAPES: Readonly<Record<string, Shape>> = {
  // Vega-Lite: calculate, ExprRef and param `expr`, axis/legend labelExpr, point
  // selections' toggle (a string is an expression; true/false are not).
  calculate: 'expression',
  expr: 'expression',
  labelExpr: 'expression',
  toggle: 'expression',

  // Vega's own, as a spec may carry them (signal references, signal updates).
  signal: 'expression',
  update: 'expression',
  // Predicates: filter transforms, conditions' test, their logical compositions; and an
  // event stream's filter (an expression or a list of them).
  filter: 'predicate',
  test: 'predicate',
  and: 'predicate',
  or: 'predicate',
  not: 'predicate',
  // Event streams: selections' on/clear/translate/zoom, legend bindings, and the streams
  // inside a stream; Vega's `events`.
  on: 'stream',
  clear: 'stream',
  translate: 'stream',
  zoom: 'stream',
  legend: 'stream',
  between: 'stream',
  merge: 'stream',
  stream: 'stream',
  events: 'stream',
};

/**
 * The shape of `parent[key]`: SHAPES', but for the one name Vega-Lite also uses for a field
 * (`on`, the predictor field of loess and regression transforms).
 */
function shapeOf(parent: Json, key: string): Shape | undefined {
  if (!Object.hasOwn(SHAPES, key)) return undefined;
  if (key === 'on' && ('loess' in parent || 'regression' in parent)) return undefined;

  return SHAPES[key];
}

/**
 * Format types Vega-Lite writes into expressions as a function name, when the spec's
 * config turns custom format types on (`config.customFormatTypes`).
 */
const FORMAT_TYPE_KEYS = new Set([
  'formatType',
  'numberFormatType',
  'normalizedNumberFormatType',
  'timeFormatType',
]);
const BUILTIN_FORMAT_TYPES = new Set(['number', 'time', 'utc']);

const pathOf = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${quote(key)}]`;

export function checkExpressions(input: unknown, log: Messages): void {
  const customFormats =
    ((input as Json | null)?.config as Json | undefined)?.customFormatTypes === true;

  const check = (expr: string, at: string, context = '') => {
    const refusal = refused(expr);
    if (refusal) {
      throw log.error(
        `the expression ${quote(expr)}${context} is not allowed: ${refusal}. Expressions may use Vega's functions and constants, datum fields and params only`,
        at,
      );
    }
  };

  /** An event selector string: each bracketed filter is an expression. */
  const checkSelector = (selector: string, at: string) => {
    let streams: unknown[];
    try {
      streams = vega.parseSelector(selector, 'view') as unknown[];
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw log.error(
        `the event stream ${quote(selector)} is not a Vega event selector${why && why !== 'undefined' ? `: ${why}` : ''}; see https://vega.github.io/vega/docs/event-streams/`,
        at,
      );
    }
    const context = ` in the event stream ${quote(selector)}`;
    const visitStream = (s: unknown): void => {
      const stream = s as {
        filter?: unknown;
        between?: unknown[];
        stream?: unknown;
        merge?: unknown[];
      };
      for (const f of Array.isArray(stream.filter) ? stream.filter : [])
        if (typeof f === 'string') check(f, at, context);
      for (const inner of [...(stream.between ?? []), ...(stream.merge ?? []), stream.stream])
        if (inner) visitStream(inner);
    };
    streams.forEach(visitStream);
  };

  const visitShape = (shape: Shape, value: unknown, at: string): void => {
    if (typeof value === 'string') {
      if (shape === 'stream') checkSelector(value, at);
      else check(value, at);
    } else if (Array.isArray(value)) value.forEach((v, i) => visitShape(shape, v, `${at}[${i}]`));
    else visit(value, at);
  };

  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Json)) {
      const at = pathOf(path, key);
      // Inline data and metadata are values, never expressions.
      if (key === 'usermeta' || (path === '$' && key === 'datasets')) continue;
      if (key === 'data' && value && typeof value === 'object' && !Array.isArray(value)) {
        const { values: _values, ...rest } = value as Json;
        visit(rest, at);
        continue;
      }
      const shape = shapeOf(node as Json, key);
      if (shape) visitShape(shape, value, at);
      else if (
        customFormats &&
        FORMAT_TYPE_KEYS.has(key) &&
        typeof value === 'string' &&
        !BUILTIN_FORMAT_TYPES.has(value)
      ) {
        // Vega-Lite calls it as a function: `NAME(value, format)`.
        check(`${value}(0, '')`, at, ` (the custom format type ${quote(value)})`);
      } else visit(value, at);
    }
  };
  visit(input, '$');
}

const cache = new Map<string, string | undefined>();

/** Why Vega refuses to compile `expr`, or undefined when it compiles. */
function refused(expr: string): string | undefined {
  if (cache.has(expr)) return cache.get(expr);
  let reason: string | undefined;
  // A signal updated by the expression: Vega parses and code-generates it as in any other
  // place, with the same whitelist. Names the spec defines elsewhere (params, width,
  // frame, a selection's data) are declared as they come up, so only a refusal remains.
  const signals: { name: string; value: number }[] = [];
  const data: { name: string }[] = [];
  for (let tries = 0; tries < 50; tries++) {
    try {
      vega.parse({ signals: [...signals, { name: 'vf_check', update: expr }], data } as never);
      reason = undefined;
      break;
    } catch (e) {
      reason = (e as Error).message;
      const signal = /^Unrecognized signal name: "(.+)"$/.exec(reason);
      const dataset = /^Undefined data set name: "(.+)"$/.exec(reason);
      if (signal && !signals.some((d) => d.name === signal[1]))
        signals.push({ name: signal[1], value: 0 });
      else if (dataset && !data.some((d) => d.name === dataset[1])) data.push({ name: dataset[1] });
      else break;
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(expr, reason);
  return reason;
}
