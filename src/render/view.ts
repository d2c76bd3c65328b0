/**
 * A headless Vega View whose errors are kept, not printed: Vega logs a failure inside its
 * dataflow (a format that does not apply, a transform on missing data) and carries on
 * with a broken scenegraph. `check()` turns the first logged error into a clear one.
 */
import * as vega from 'vega';
import type { DataAccess } from '../data/access.js';
import { type CheckedLoader, refusingLoader } from './loader.js';
import { ExpressionBoundError } from './bounded-functions.js';
import { withFallbackFonts } from './fonts.js';

/** Vega could not evaluate the chart with this data (the spec and data are at fault). */
export class VegaRuntimeError extends Error {}

export interface CheckedView {
  view: vega.View;
  /** Throws a VegaRuntimeError if Vega logged an error since the last check. */
  check(): void;
  /** How images reach the renderer (see CheckedLoader). */
  imagesAs: CheckedLoader['imagesAs'];
}

export function createView(spec: unknown, access?: DataAccess): CheckedView {
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
  // Every font ends in the emoji fallback: glyphs DejaVu Sans lacks are drawn, not boxes.
  const view = new vega.View(vega.parse(withFallbackFonts(spec) as never), {
    renderer: 'none',
    loader: loader.loader as never,
    logger: logger as never,
  });
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
        throw new VegaRuntimeError(`an expression in the spec: ${message}`);
      }
      throw new VegaRuntimeError(
        `Vega could not evaluate the chart with this data${first ? `: ${first}` : ''} (check the encodings' types and formats against the data)`,
      );
    },
  };
}
