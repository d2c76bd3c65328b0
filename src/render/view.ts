/**
 * A headless Vega View whose errors are kept, not printed: Vega logs a failure inside its
 * dataflow (a format that does not apply, a transform on missing data) and carries on
 * with a broken scenegraph. `check()` turns the first logged error into a clear one.
 */
import * as vega from 'vega';
import type { DataAccess } from '../data/access.js';
import { type CheckedLoader, refusingLoader } from './loader.js';
import { ExpressionBoundError } from './bounded-functions.js';
import { type FontAliases, withFontAliases } from './fonts.js';
import { renderMessage } from './messages.js';
import { UserError } from '../support/user-error.js';

/** Vega could not evaluate the chart with this data (the spec and data are at fault). */
export class VegaRuntimeError extends UserError {}

export interface CheckedView {
  view: vega.View;
  /** Throws a VegaRuntimeError if Vega logged an error since the last check. */
  check(): void;
  /** How images reach the renderer (see CheckedLoader). */
  imagesAs: CheckedLoader['imagesAs'];
}

export function createView(
  spec: unknown,
  access?: DataAccess,
  fonts: FontAliases = new Map(),
): CheckedView {
  const errors: string[] = [];
  // An expression asked for more than it may make: its own sentence says what and why.
  let bound: ExpressionBoundError | undefined;
  // JavaScript's own errors from inside Vega ("I[i] is not a function") say nothing a user
  // can act on: for them the sentence in check() stands alone.
  const internal = (a: unknown) =>
    a instanceof TypeError || a instanceof RangeError || a instanceof ReferenceError;
  const text = (args: unknown[]) =>
    args.some(internal)
      ? ''
      : args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  let level = vega.Error;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: unknown[]) => {
      bound ??= args.find((a): a is ExpressionBoundError => a instanceof ExpressionBoundError);
      errors.push(text(args));
      return logger;
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  const loader = refusingLoader(access);
  // Every font is an alias of a registered file (render/fonts.ts), whatever the machine has.
  let view: vega.View;
  try {
    view = new vega.View(parseVega(withFontAliases(spec, fonts)), {
      renderer: 'none',
      loader: loader.loader as never,
      logger: logger as never,
    });
  } catch (e) {
    throw builtError(e);
  }
  // A cycle among params is found when the dataflow first runs, not when it is parsed.
  const runAsync = view.runAsync.bind(view);
  view.runAsync = async (...args: Parameters<typeof runAsync>) => {
    try {
      return await runAsync(...args);
    } catch (e) {
      throw /Cycle detected/.test((e as Error)?.message ?? '') ? builtError(e) : e;
    }
  };
  return {
    view,
    imagesAs: loader.imagesAs,
    check() {
      loader.check();
      if (errors.length === 0) return;
      const first = errors[0];
      errors.length = 0;
      if (bound) {
        const message = bound.message;
        bound = undefined;
        throw new VegaRuntimeError(renderMessage.expressionBound(message));
      }
      throw new VegaRuntimeError(renderMessage.notEvaluated(first));
    },
  };
}

/**
 * Vega's parse of the compiled spec. What it refuses here is the spec's own making (a name it
 * reads but never defines, params that depend on each other, two views Vega-Lite gave one
 * name): a sentence saying so, not Vega's bare message and an internal failure.
 */
function parseVega(spec: unknown): vega.Runtime {
  try {
    return vega.parse(spec as never);
  } catch (e) {
    throw builtError(e);
  }
}

/** Vega's refusal of the spec's own making as a sentence; any other error as it is. */
function builtError(e: unknown): unknown {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return e;
  if (!(e instanceof Error) || e instanceof VegaRuntimeError) return e;
  const said = (e as Error).message;
  const name = /"([^"]*)"/.exec(said)?.[1];
  return new VegaRuntimeError(
    /^Unrecognized signal name/.test(said)
      ? renderMessage.undefinedParam(name ?? '')
      : /^Undefined data set name/.test(said)
        ? renderMessage.undefinedDataSet(name ?? '')
        : /^Duplicate .* name/.test(said)
          ? renderMessage.duplicateName(name ?? '')
          : /Cycle detected/.test(said)
            ? renderMessage.paramCycle()
            : renderMessage.vegaRefuses(said),
  );
}
