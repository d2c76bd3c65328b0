/**
 * Field names in a spec, checked before Vega-Lite and Vega see them. Vega reads a field
 * name as a path into each row ("a.b" is field b of field a; "a\\.b" is the field named
 * "a.b"), and its parser stops with "Access path missing closing quote" or "Invalid field
 * reference"; a field named like a property of every JavaScript object ("constructor",
 * "toString", "__proto__") breaks Vega's own lookups. Each becomes a sentence at the
 * field's JSON path.
 */
import * as vega from 'vega';
import { formatJsonPath } from '../spec/errors.js';
import { type Messages, message } from './messages.js';
import type { Json } from '../support/json.js';

/**
 * Keys whose string value is one field name, wherever they appear: encodings, sorts,
 * transforms (`lookup` and its `from.key`, `impute`, `extent`, …).
 */
const FIELD_KEYS = new Set([
  'field',
  'density',
  'loess',
  'regression',
  'quantile',
  'pivot',
  'lookup',
  'key',
  'impute',
  'extent',
]);

/**
 * Keys whose value may be a list of field names: a transform's `groupby`, `fields`, `fold`,
 * `flatten`, and a `repeat` (a list, or one under `row`, `column` or `layer`), whose names
 * become fields through `{"repeat": …}`. Only the lists' strings are checked.
 */
const FIELD_LIST_KEYS = new Set([
  'groupby',
  'fields',
  'fold',
  'flatten',
  'repeat',
  'row',
  'column',
  'layer',
]);

/** Names Vega cannot use: every plain object has them (Vega keys its tables by field name). */
const OBJECT_PROPERTIES = new Set(Object.getOwnPropertyNames(Object.prototype));
const CLASH =
  'Vega mistakes it for a property every JavaScript object has; rename the column in the data';

/** Properties whose string value is an expression (as compile/expressions.ts checks them). */
const EXPRESSION_KEYS = new Set([
  'calculate',
  'expr',
  'signal',
  'update',
  'test',
  'labelExpr',
  'filter',
]);

/** `datum.constructor` or `datum['toString']`: the name, when an expression reads such a field. */
function clashInExpression(expr: string): string | undefined {
  for (const m of expr.matchAll(/\bdatum\s*(?:\.\s*([\w$]+)|\[\s*(['"])(.*?)\2\s*\])/g)) {
    const name = m[1] ?? m[3];
    if (OBJECT_PROPERTIES.has(name)) return name;
  }
  return undefined;
}

/** What is wrong with a field name, or undefined when Vega can read it. */
export function fieldProblem(name: string): string | undefined {
  if (name === '') return 'a field name is empty';
  let path: string[];
  try {
    path = vega.splitAccessPath(name);
  } catch (e) {
    const reason = /missing closing quote/.test((e as Error).message)
      ? 'a quote is not closed'
      : /missing closing bracket/.test((e as Error).message)
        ? 'a bracket is not closed'
        : /missing open bracket/.test((e as Error).message)
          ? 'a bracket is closed that was not opened'
          : 'it is not a field path';
    return message.fieldUnreadable(name, reason, escapeField(name));
  }
  if (path.length === 0) return message.fieldNamesNothing(name);
  const clash = path.find((p) => OBJECT_PROPERTIES.has(p));
  if (clash !== undefined) return message.fieldClash(clash, CLASH);
  return undefined;
}

/** `a.b["c"]` → `a\.b\["c"\]`: the field whose name is the text itself. */
function escapeField(name: string): string {
  return name.replace(/[.[\]'"\\]/g, (c) => `\\${c}`);
}

/**
 * Throws a CompileError at the first field name Vega cannot use. `encoding.frame.field` is
 * vega-frames' own (Vega never sees it), so only an empty one is refused there.
 */
export function checkFields(input: unknown, log: Messages): void {
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, [...path, i]));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Json)) {
      const at = [...path, key];
      if (FIELD_KEYS.has(key) && typeof value === 'string') check(value, at);
      else if (EXPRESSION_KEYS.has(key) && typeof value === 'string') {
        const clash = clashInExpression(value);
        if (clash !== undefined)
          throw log.error(message.expressionFieldClash(value, clash, CLASH), formatJsonPath(at));
      } else if (FIELD_LIST_KEYS.has(key) && Array.isArray(value))
        value.forEach((v, i) =>
          typeof v === 'string' ? check(v, [...at, i]) : visit(v, [...at, i]),
        );
      else visit(value, at);
    }
  };
  const check = (name: string, at: (string | number)[]) => {
    const frameField = at.length >= 3 && at.at(-2) === 'frame' && at.at(-3) === 'encoding';
    const problem = frameField
      ? name === ''
        ? message.frameFieldEmpty()
        : undefined
      : fieldProblem(name);
    if (problem) throw log.error(problem, formatJsonPath(at));
  };
  visit(input, []);
}
