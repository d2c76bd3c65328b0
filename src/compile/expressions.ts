/**
 * Vega expressions in a spec, checked with Vega's own rules before anything runs: Vega
 * compiles an expression only from its whitelisted functions and constants, so `process`,
 * `constructor` chains and other escapes to Node are refused. This finds the refused one
 * and names its JSON path, instead of a bare message from deep inside Vega.
 */
import * as vega from 'vega';
import type { Messages } from './messages.js';

type Json = Record<string, unknown>;

/** Properties whose string value is an expression (Vega-Lite and Vega). */
const EXPRESSION_KEYS = new Set(['calculate', 'expr', 'signal', 'update', 'test', 'labelExpr']);

/** Properties that hold an expression only when their value is a string. */
const STRING_PREDICATE_KEYS = new Set(['filter']);

export function checkExpressions(input: unknown, log: Messages): void {
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Json)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key)
        ? `${path}.${key}`
        : `${path}[${JSON.stringify(key)}]`;
      if (
        typeof value === 'string' &&
        (EXPRESSION_KEYS.has(key) || STRING_PREDICATE_KEYS.has(key))
      ) {
        const refusal = refused(value);
        if (refusal) {
          throw log.error(
            `the expression ${JSON.stringify(value)} is not allowed: ${refusal}. Expressions may use Vega's functions and constants, datum fields and params only`,
            at,
          );
        }
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
  // frame) are declared as they come up, so only a refusal remains.
  const declared: { name: string; value: number }[] = [];
  for (let tries = 0; tries < 50; tries++) {
    try {
      vega.parse({ signals: [...declared, { name: 'vf_check', update: expr }] } as never);
      reason = undefined;
      break;
    } catch (e) {
      reason = (e as Error).message;
      const unknown = /^Unrecognized signal name: "(.+)"$/.exec(reason);
      if (!unknown || declared.some((d) => d.name === unknown[1])) break;
      declared.push({ name: unknown[1], value: 0 });
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(expr, reason);
  return reason;
}
