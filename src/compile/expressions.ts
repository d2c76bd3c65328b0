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
 * property names of each shape; test/system/safety.slow.test.ts derives them from Vega-Lite's JSON
 * schema (properties typed Expr, ExprRef, PredicateComposition or Stream, or described as
 * a Vega expression), so a place a new Vega-Lite adds fails that test until it is here.
 */
import * as vega from 'vega';
import { type Messages, message } from './messages.js';
import { closestMatch, quote } from '../spec/errors.js';
import { FRAME_PARAMS } from './templates.js';
import type { Json } from '../support/json.js';

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

/** An expression that reads names no part of it defines: signals, once Vega-Lite has made them. */
export interface SignalRead {
  expr: string;
  /** Its JSON path. */
  at: string;
  names: string[];
}

/**
 * Throws a CompileError at the first expression Vega refuses (a function it does not have,
 * a way out to Node, a syntax error), and returns those that read signals: whether the
 * spec defines them is known once Vega-Lite has compiled it (see checkSignals).
 */
export function checkExpressions(input: unknown, log: Messages): SignalRead[] {
  const customFormats =
    ((input as Json | null)?.config as Json | undefined)?.customFormatTypes === true;
  const reads: SignalRead[] = [];

  const check = (expr: string, at: string, context = '') => {
    const { reason, signals } = verdict(expr);
    const unknownFunction = reason && /^Unrecognized function: (.+)$/.exec(reason)?.[1];
    if (unknownFunction) {
      const near = closestMatch(unknownFunction, vegaFunctions());
      throw log.error(message.unknownFunction(expr, context, unknownFunction, near), at);
    }
    if (reason) {
      throw log.error(message.expressionRefused(expr, context, reason), at);
    }
    if (signals.length) reads.push({ expr, at, names: signals });
  };

  /** An event selector string: each bracketed filter is an expression. */
  const checkSelector = (selector: string, at: string) => {
    let streams: unknown[];
    try {
      streams = vega.parseSelector(selector, 'view') as unknown[];
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw log.error(message.notEventSelector(selector, why), at);
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
  return reads;
}

interface Verdict {
  /** Why Vega refuses to compile the expression; undefined when it compiles. */
  reason?: string;
  /** The signals it reads (declared to get past them). */
  signals: string[];
}

const cache = new Map<string, Verdict>();

/** Whether Vega compiles `expr` and, if so, the signals it reads. */
function verdict(expr: string): Verdict {
  const cached = cache.get(expr);
  if (cached) return cached;
  let reason: string | undefined;
  // A signal updated by the expression: Vega parses and code-generates it as in any other
  // place, with the same whitelist. Names the spec may define elsewhere (params, width,
  // frame, a selection's data) are declared as they come up, so that a refusal shows;
  // checkSignals then looks the signals up in what Vega-Lite made.
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
  const result = { reason, signals: signals.map((d) => d.name) };
  cache.set(expr, result);
  return result;
}

/**
 * The functions of Vega's expression language (for "did you mean"; whether a function
 * exists is Vega's own parser's answer): vega-expression's own, and those vega-functions
 * adds, each kept only if this Vega has it.
 */
const ADDED_FUNCTIONS = `random cumulativeNormal cumulativeLogNormal cumulativeUniform densityNormal
  densityLogNormal densityUniform quantileNormal quantileLogNormal quantileUniform sampleNormal
  sampleLogNormal sampleUniform isArray isBoolean isDate isDefined isNumber isObject isRegExp
  isString isTuple isValid toBoolean toDate toNumber toString indexof join lastindexof replace
  reverse sort slice flush lerp interpolateLinear merge pad peek pluck span inrange truncate
  rgb lab hcl hsl luminance contrast sequence format utcFormat utcParse utcOffset utcSequence
  timeFormat timeParse timeOffset timeSequence timeUnitSpecifier monthFormat monthAbbrevFormat
  dayFormat dayAbbrevFormat quarter utcquarter week utcweek isoweek utcisoweek dayofyear
  utcdayofyear warn info debug extent inScope intersect clampRange pinchDistance pinchAngle
  screen containerSize windowSize bandspace setdata pathShape panLinear panLog panPow panSymlog
  zoomLinear zoomLog zoomPow zoomSymlog encode modify lassoAppend lassoPath intersectLasso
  bandwidth copy domain range invert scale gradient geoArea geoBounds geoCentroid geoShape
  geoScale geoTranslate indata data treePath treeAncestors vlSelectionTest vlSelectionIdTest
  vlSelectionResolve vlSelectionTuples`.split(/\s+/);

let functionNames: string[] | undefined;

function vegaFunctions(): string[] {
  functionNames ??= [
    // The code generator carries its function table (its typings leave it out).
    ...Object.keys(
      (vega.codegenExpression({ globalvar: '_' }) as unknown as { functions: Json }).functions,
    ),
    ...ADDED_FUNCTIONS.filter((name) => vega.expressionFunction(name) !== undefined),
  ];
  return functionNames;
}

/** Signals Vega defines in every view. */
const VEGA_SIGNALS = ['width', 'height', 'padding', 'autosize', 'background'];

/**
 * Every signal name a compiled Vega spec defines, at any depth: its signals, and those a
 * transform binds its result to (an `extent` transform's `param` becomes one).
 */
function definedSignals(node: unknown, names: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => definedSignals(n, names));
  else if (typeof node === 'object' && node !== null) {
    const { signals, marks, data } = node as Json;
    for (const s of Array.isArray(signals) ? signals : [])
      if (typeof (s as Json)?.name === 'string') names.add((s as Json).name as string);
    for (const d of Array.isArray(data) ? data : [])
      for (const t of Array.isArray((d as Json)?.transform)
        ? ((d as Json).transform as Json[])
        : [])
        if (typeof t?.signal === 'string') names.add(t.signal);
    if (Array.isArray(marks)) definedSignals(marks, names);
  }
  return names;
}

/** The `name` of every param of the spec, at any depth (a timer's too, though compile drops it). */
function paramNames(node: unknown, names: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => paramNames(n, names));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'data' || key === 'datasets' || key === 'usermeta') continue;
      if (key === 'params' && Array.isArray(value))
        for (const p of value)
          if (typeof (p as Json)?.name === 'string') names.add((p as Json).name as string);
      paramNames(value, names);
    }
  }
  return names;
}

/**
 * Throws a CompileError at the first expression reading a signal that neither the spec
 * (its params and selections, and what Vega-Lite makes of them), vega-frames (the frame
 * params) nor Vega (width, height, …) defines. Vega would stop on it when the view is made.
 */
export function checkSignals(
  reads: SignalRead[],
  vegaSpec: Json,
  input: Json,
  log: Messages,
): void {
  if (reads.length === 0) return;
  const params = paramNames(input, new Set());
  const known = definedSignals(vegaSpec, new Set([...VEGA_SIGNALS, ...FRAME_PARAMS, ...params]));
  // A facet's cells read their facet's fields through `parent`.
  known.add('parent');
  for (const { expr, at, names } of reads) {
    const unknown = names.find((n) => !known.has(n));
    if (unknown === undefined) continue;
    const near = closestMatch(unknown, [...FRAME_PARAMS, ...params, ...VEGA_SIGNALS, ...known]);
    const field = /^[A-Za-z_$][\w$]*$/.test(unknown)
      ? `datum.${unknown}`
      : `datum[${quote(unknown)}]`;
    throw log.error(
      message.unknownSignal(expr, unknown, near, FRAME_PARAMS, VEGA_SIGNALS, field),
      at,
    );
  }
}
