/**
 * Every compile message as a function returning a full sentence that quotes the property
 * (after Vega-Lite's src/log/message.ts). The logger travels in a context object, never a
 * global, because renders run concurrently in workers.
 */
import { closestMatch, parseJsonPath, quote } from '../spec/errors.js';
import type { LoadedSpec } from '../spec/load.js';
import { formatCount } from '../spec/limits.js';
import { UserError } from '../support/user-error.js';

export class CompileError extends UserError {
  override name = 'CompileError';
  /** Where `path` is in the spec file, when the spec came from one (see locateCompileError). */
  file?: string;
  line?: number;
  col?: number;

  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message, { jsonPath: path });
  }
}

/**
 * Gives a CompileError the file, line and column of its JSON path in the spec's source
 * (`locate` from spec/load.ts), so that the CLI can point at the line as for schema errors.
 * Other errors pass through unchanged.
 */
export function locateCompileError(
  error: unknown,
  source: Pick<LoadedSpec, 'file' | 'locate'> | undefined,
): unknown {
  if (!(error instanceof CompileError) || !error.path || !source) return error;
  const segments = parseJsonPath(error.path);
  const at = segments && source.locate(segments);
  if (!at) return error;
  error.file = source.file;
  error.line = at.line;
  error.col = at.col;
  return error;
}

export interface Messages {
  warnings: string[];
  /** A warning; with a JSON path, it starts with the path (and line:col, when known). */
  warn(text: string, path?: string): void;
  error(text: string, path?: string): CompileError;
}

/**
 * A logger for one compile. Given the spec's source, a warning at a JSON path starts with
 * its place in the file, as an error does: `spec.yaml:7:5 at $.encoding.tooltip[1].field: …`.
 */
export function createMessages(source?: Pick<LoadedSpec, 'file' | 'locate'>): Messages {
  const warnings: string[] = [];
  const placed = (path: string) => {
    const segments = source && parseJsonPath(path);
    const at = segments && source.locate(segments);
    return at ? `${source.file}:${at.line}:${at.col} at ${path}` : `at ${path}`;
  };
  return {
    warnings,
    warn: (text, path) => void warnings.push(path ? `${placed(path)}: ${text}` : text),
    error: (text, path) => new CompileError(text, path),
  };
}

/** Names in a message: each quoted, the first 20 of a long list (a file may have 200,000). */
function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => quote(n, 60));
  const rest = names.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en')} more` : ''}`;
}

export const message = {
  frameAndTime: (path: string) =>
    `${path}.encoding has both "frame" and "time"; "frame" is used and "time" ignored.`,
  frameWithoutData: (path: string) =>
    `${path}.encoding.frame needs data: the unit has no "data" and inherits none.`,
  framesDiffer: (owner: string, unit: string) =>
    `${unit}.encoding.frame differs from another unit sharing the data at ${owner}.data; units sharing data must share one frame channel: give each its own data to frame them differently.`,
  frameFieldMissing: (field: string, source: string, fields: string[]) => {
    const near = closestMatch(field, fields);
    return `encoding.frame.field ${quote(field)} is not a field of ${source}${near === undefined ? '' : ` (did you mean ${quote(near)}?)`}; its fields are ${quoteList(fields)}.`;
  },
  frameFieldDerived: (field: string, transformPath: string) =>
    `encoding.frame.field ${quote(field)} is made by the transform at ${transformPath}; frames are taken from the data as it is read, before transforms run: compute ${quote(field)} in the data file (or inline values), or put the frame on a field the data has.`,
  frameOnGenerator: (source: string) =>
    `encoding.frame on ${source}: frames are taken from rows vega-frames reads (a data url, inline values or datasets), and ${source} is made by Vega inside each frame; write the rows to a file or inline values to animate them.`,
  reservedParam: (name: string) =>
    `params: ${quote(name)} is a name vega-frames defines for every expression (frame, frame_index, frame_count, progress, previous_frame, next_frame); rename the param.`,
  noFrameValues: (field: string) =>
    `encoding.frame.field ${quote(field)} has no valid values (all null or NaN): nothing to animate.`,
  tooManyFrames: (count: number, limit: number) =>
    `the spec has ${count} frames, over the limit of ${limit}; raise it with --max-frames or select with --frames a:b.`,

  // The timeline (timeline.ts).
  nframesOneFrame: (nframes: number) =>
    `animation.nframes ${nframes}: one data frame has no tweens to fit frames into (use duration or hold to show it longer)`,
  nframesTooFew: (nframes: number, least: number, rewind: boolean) =>
    `animation.nframes ${nframes} is fewer than the ${least} frames the data frames need${rewind ? ' with rewind' : ''}`,
  durationTooShort: (duration: number, fixedSeconds: number) =>
    `animation.duration ${duration} s is shorter than the ${fixedSeconds.toFixed(2)} s the data frames, holds and pauses take`,
  /** `played`: output frames with holds and pauses as repeated frames; `frames` without. */
  animationTooLong: (
    played: number,
    fps: number,
    frames: number,
    heldSeconds: number,
    limit: number,
  ) =>
    `the animation is ${formatCount(played)} frames long at ${fps} fps (${formatCount(frames)} frames${heldSeconds > 0 ? `, with ${heldSeconds >= 1e15 ? formatCount(heldSeconds) : heldSeconds.toLocaleString('en', { maximumFractionDigits: 2 })} s of holds and pauses` : ''}), over the limit of ${formatCount(limit)}; raise it with --max-frames if you trust this spec`,
  spacingNotContinuous: () =>
    `animation.tween.spacing "time": the frames are ordinal or nominal, with no gaps to space by; they are spaced equally (remove spacing, or make the frame quantitative or temporal).`,
  wrapWithRewind: () =>
    `animation.tween.wrap is ignored with rewind: rewind already plays back to the first frame.`,
  // Motion options that do nothing (motion.ts, checkEffects).
  vegaLiteFailed: (said: string) =>
    `Vega-Lite cannot compile this spec: ${quote(said, 200)}. Its schema accepts the spec, but Vega-Lite's compiler fails on it: check each encoding channel's field, type, datum and value, and the combination of channels the mark is given.`,
  smoothNotRect: (mark: string) =>
    `smooth applies to rect marks drawn as an image (a grid of cells); the ${mark} mark ignores it: remove it.`,
  effectWithoutTween: (option: 'enter' | 'exit', effects: readonly string[]) =>
    `animation.${option} ${effects.map((e) => quote(e)).join(', ')} does nothing without tweens: rows ${option === 'enter' ? 'come in' : 'go out'} from one data frame to the next, with no frames in between to show the effect; add tween (e.g. tween: {frames: 5}) or remove ${option}.`,
  tweenFramesAndDuration: (frames: number, duration: number) =>
    `animation.tween has both frames (${frames}) and duration (${duration} s); frames is used and duration ignored: keep one.`,
  tweenFitted: (given: 'frames' | 'duration', fitted: 'nframes' | 'duration') =>
    `animation.tween.${given} is ignored: animation.${fitted} fits the in-between frames to the total instead; keep one.`,
  growCannotApply: (option: string, mark: string, unit: string) =>
    `animation.${option} "grow" does not apply to the ${mark} mark at ${unit}: grow sizes points, text, bars, areas and rects; its rows come and go at full size.`,
  trailOnPaths: (mark: string, unit: string) =>
    `animation.trail draws no copies of the data the ${mark} mark at ${unit} draws: copies of its rows would join into its path. Give the marks to trail data of their own (a layer with its own data).`,
  rescaleFixedDomain: (channel: string) =>
    `animation.rescale names ${channel}, but the spec gives the ${channel} scale's domain, so it stays fixed: remove ${channel} from rescale, or the domain.`,
  tweenWithoutFrames: (given: readonly string[]) =>
    `animation.tween has no frames or duration, so no in-between frame is drawn${given.length ? ` and its ${given.join(' and ')} ${given.length === 1 ? 'does' : 'do'} nothing` : ''}; give tween.frames (in-betweens per tween) or tween.duration (seconds).`,
  trailFramesWithAll: () =>
    `animation.trail.frames is the length of a wake; with mode "all" every earlier data frame stays: remove frames, or use mode "wake".`,
  trailSizeWithAll: () =>
    `animation.trail.size shrinks a wake only; with mode "all" every copy keeps its size: remove size, or use mode "wake".`,
  rescaleWithoutScale: (channel: string, scales: readonly string[]) => {
    const near = closestMatch(channel, [...scales]);
    return `animation.rescale names ${quote(channel)}, but the chart has no ${channel} scale${near === undefined ? '' : ` (did you mean ${quote(near)}?)`} (it has: ${scales.join(', ') || 'none'})`;
  },

  // `{frame}` templates (templates.ts); `variables` lists the frame variables.
  templateFormat: (text: string, problem: string) => `in the template ${quote(text)}, ${problem}`,
  notFrameVariable: (
    whole: string,
    text: string,
    near: string | undefined,
    fmt: string | undefined,
    variables: string,
  ) =>
    `the placeholder ${quote(whole)} in ${quote(text)} is not a frame variable${near ? ` (did you mean "{${near}${fmt === undefined ? '' : `:${fmt}`}}"?)` : ''}; templates show ${variables}`,
  shownAsWritten: (whole: string, text: string, variables: string) =>
    `${quote(whole)} in ${quote(text)} is not a frame variable (${variables}) and shows as written; write ${quote(`{${whole}}`)} to show braces`,

  // Expressions and event streams (expressions.ts); `context` says where, e.g. " in the event stream …".
  unknownFunction: (expr: string, context: string, name: string, near: string | undefined) =>
    `the expression ${quote(expr)}${context} calls ${quote(name)}, which is not a Vega expression function${near ? ` (did you mean ${quote(near)}?)` : ''}; see https://vega.github.io/vega/docs/expressions/`,
  expressionRefused: (expr: string, context: string, reason: string) =>
    `the expression ${quote(expr)}${context} is not allowed: ${reason}. Expressions may use Vega's functions and constants, datum fields and params only`,
  notEventSelector: (selector: string, why: string) =>
    `the event stream ${quote(selector)} is not a Vega event selector${why && why !== 'undefined' ? `: ${why}` : ''}; see https://vega.github.io/vega/docs/event-streams/`,
  /** `field`: how the expression would read a field of that name instead. */
  unknownSignal: (
    expr: string,
    name: string,
    near: string | undefined,
    frameParams: readonly string[],
    vegaSignals: readonly string[],
    field: string,
  ) =>
    `the expression ${quote(expr)} reads ${quote(name)}${near ? ` (did you mean ${quote(near)}?)` : ''}, which is not a param of the spec, a frame param (${frameParams.join(', ')}) or a Vega signal (${vegaSignals.join(', ')}); a field of the row is ${field}`,

  // Field names Vega cannot use (fields.ts); `why` says why a name clashes.
  fieldUnreadable: (name: string, reason: string, escaped: string) =>
    `the field name ${quote(name)} cannot be read: ${reason}. In a field name, dots, brackets and quotes reach into nested rows; put a backslash before each one that is part of the name (e.g. ${quote(escaped)})`,
  fieldNamesNothing: (name: string) =>
    `the field name ${quote(name)} names no field: it is only dots or brackets`,
  fieldClash: (clash: string, why: string) =>
    `a field named ${quote(clash)} cannot be used: ${why}`,
  expressionFieldClash: (expr: string, clash: string, why: string) =>
    `the expression ${quote(expr)} reads the field ${quote(clash)}, which cannot be used: ${why}`,
  frameFieldEmpty: () => 'a field name is empty',

  // Themes (theme.ts).
  unknownTheme: (name: string, near: string | undefined, names: readonly string[]) =>
    `the theme ${quote(name)} is not one of vega-themes'${near ? ` (did you mean ${quote(near)}?)` : ''}; the themes are ${names.join(', ')}`,

  // Fonts (font-families.ts).
  fontNotRegistered: (family: string, registered: readonly string[]) =>
    `the font family ${quote(family)} is not registered: its text is drawn in DejaVu Sans (never in a font of that name the machine may have); add its .ttf/.otf file to the spec's fonts: list (or --font-dir). Registered: ${registered.join(', ')}`,

  figureSizeOneView: () =>
    'a figure width or height (--width, --height) lays out a single or layered view; scale small multiples, concat, facet or repeat to a width with --fit-width',

  // Small multiples (facet.ts).
  facetNeedsOneView: () =>
    'small multiples need a single view or a layered view at the top level (not concat, facet or repeat)',
  facetNeedsFrame: () => 'small multiples need a frame channel to facet by',
  facetLayerData: () =>
    'small multiples need every layer to share the top-level data (a layer has its own)',

  // What a spec asks Vega to make (bounds.ts).
  generatedRows: (what: string, count: number, limit: number, cost: number) =>
    `${what} would make ${formatCount(count)} rows, over the limit of ${formatCount(limit)} for rows Vega generates (a ${cost}th of --max-rows, as each is an object); raise --max-rows if you trust this spec`,
  tooMany: (what: string, count: number, most: number) =>
    `${what} would make ${formatCount(count)}, more than the ${formatCount(most)} a spec may ask for`,
  stringTooLong: (length: number, most: number) =>
    `a string of ${formatCount(length)} characters; text in a spec (titles, labels, formats, expressions) may hold at most ${formatCount(most)}`,
  overCanvas: (key: string, pixels: number, most: number) =>
    `${key} ${formatCount(pixels)} is over ${formatCount(most)} pixels, the largest a canvas can draw`,
  tooManyViews: (views: number, most: number) =>
    `the spec makes ${formatCount(views)} views (its repeats, concats and layers multiplied), more than the ${formatCount(most)} a spec may ask for`,
  foldOfGenerated: (rows: number, generated: number, limit: number) =>
    `fold would make ${formatCount(rows)} rows from ${formatCount(generated)} generated ones, over the limit of ${formatCount(limit)} for rows Vega generates; raise --max-rows if you trust this spec`,
  binStepTooMany: (
    step: number,
    field: string,
    min: number,
    max: number,
    bins: number,
    most: number,
  ) =>
    `bin step ${step} over "${field}" from ${min} to ${max} would make ${formatCount(bins)} bins, more than the ${formatCount(most)} a spec may ask for`,
};
