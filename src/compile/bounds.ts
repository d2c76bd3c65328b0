/**
 * Work a spec asks for, bounded from the spec's own numbers before anything runs. A few
 * bytes of spec can ask Vega for billions of rows (`sequence`, `impute` key values), samples
 * (`density` steps, `quantile` step, `bin` step), ticks (`tickCount`) or pixels (padding,
 * stroke width), and Vega allocates before it could be stopped. Each is refused here with
 * the JSON path of the number, what it would make, and the limit.
 *
 * Pure: it reads the spec as written (Vega-Lite plus vega-frames' `animation`). What only
 * the data can tell (the rows a `fold` makes, a `bin` step against the data's extent) is
 * checked once the data is read (checkDataBounds).
 */
import type { JsonPathSegments } from '../spec/errors.js';
import { type Limits, checkLimit } from '../spec/limits.js';
import type { VegaFramesSpec } from '../spec/types.js';
import { isObject } from '../support/json.js';
import { message } from './messages.js';

/** Samples a transform may draw for a curve or a distribution (density, quantile). */
export const MAX_SAMPLES = 100_000;
/** Bins one `bin` may make, and ticks one axis or legend may ask for. */
export const MAX_BINS = 100_000;
export const MAX_TICKS = 10_000;
/** Longest side, padding or stroke in pixels: Skia's own surface side limit. */
export const MAX_EXTENT_PX = 32_767;
/** Characters of one string in a spec (titles, labels, text, formats) outside its data. */
export const MAX_SPEC_STRING = 100_000;
/** Views a `repeat` may make. */
export const MAX_REPEATED_VIEWS = 1_000;
/** Points a `graticule` generator may make. */
export const MAX_GRATICULE_POINTS = 10_000_000;

/**
 * How many columnar rows one row Vega generates counts for: --max-rows (100 M) bounds
 * generated rows at 5 M, about 1 GiB of objects.
 */
export const GENERATED_ROW_COST = 20;

/** One refusal: where in the spec, and a sentence saying what and why. */
export interface BoundViolation {
  path: JsonPathSegments;
  message: string;
}

/** Keys whose numbers are lengths in pixels: a canvas or a stroke cannot be this large. */
const PIXEL_KEYS = new Set([
  'width',
  'height',
  'padding',
  'strokeWidth',
  'fontSize',
  'titleFontSize',
  'labelFontSize',
  'labelPadding',
  'titlePadding',
  'offset',
  'cornerRadius',
  'outerRadius',
  'innerRadius',
  'radius',
  'radius2',
  'thickness',
  'tickSize',
  'domainWidth',
  'tickWidth',
  'gridWidth',
  'symbolSize',
  'symbolStrokeWidth',
  'gradientLength',
  'gradientThickness',
]);

/** Properties whose value is data rather than spec text: their strings are not bounded here. */
const DATA_KEYS = new Set(['values', 'datasets']);

/**
 * Every bound the spec breaks, in document order (the first is reported; all are tested).
 * `limits.maxRows` bounds generated rows; the rest are the constants above.
 */
export function specBoundViolations(
  spec: unknown,
  limits: Pick<Limits, 'maxRows'>,
): BoundViolation[] {
  const found: BoundViolation[] = [];
  const refuse = (path: JsonPathSegments, message: string) => found.push({ path, message });
  // Rows Vega makes are objects of ~200 bytes, not the few bytes a column holds per value.
  const generatedRows = Math.floor(limits.maxRows / GENERATED_ROW_COST);
  const rows = (path: JsonPathSegments, what: string, count: number) => {
    if (!(count <= generatedRows))
      refuse(path, message.generatedRows(what, count, generatedRows, GENERATED_ROW_COST));
  };
  const steps = (path: JsonPathSegments, what: string, count: number, most: number) => {
    if (!(count <= most)) refuse(path, message.tooMany(what, count, most));
  };
  let generated = 0;
  const range = (start: unknown, stop: unknown, step: unknown = 1) =>
    (Number(stop) - Number(start)) / Number(step);

  const visit = (node: unknown, path: (string | number)[], key: string | number | undefined) => {
    if (typeof node === 'string') {
      if (node.length > MAX_SPEC_STRING)
        refuse(path, message.stringTooLong(node.length, MAX_SPEC_STRING));
      return;
    }
    if (typeof node === 'number') {
      if (typeof key === 'string' && PIXEL_KEYS.has(key) && Math.abs(node) > MAX_EXTENT_PX)
        refuse(path, message.overCanvas(key, node, MAX_EXTENT_PX));
      if (key === 'tickCount') steps(path, 'tickCount', node, MAX_TICKS);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, [...path, i], key));
      return;
    }
    if (!isObject(node)) return;

    // Generators: rows Vega makes from three numbers.
    if (isObject(node.sequence) && key === 'data') {
      const s = node.sequence;
      const count = Math.ceil(range(s.start, s.stop, s.step ?? 1));
      rows([...path, 'sequence'], 'data.sequence', count);
      if (count > 0) generated += count;
    }
    if (isObject(node.graticule) && key === 'data') {
      const g = node.graticule;
      const step = (v: unknown, d: number) => (Array.isArray(v) ? v.map(Number) : [d, d]);
      const [sx, sy] = step(g.step ?? g.stepMinor, 10);
      const precision = Number(g.precision ?? 2.5);
      const points = (360 / sx + 180 / sy) * (360 / precision);
      steps(
        [...path, 'graticule'],
        'data.graticule (lines × points along each)',
        points,
        MAX_GRATICULE_POINTS,
      );
    }
    // Transforms and encodings that sample or enumerate.
    if (typeof node.impute === 'string' || key === 'impute') {
      const kv = node.keyvals;
      if (isObject(kv))
        rows(
          [...path, 'keyvals'],
          'impute.keyvals',
          Math.ceil(range(kv.start, kv.stop, kv.step ?? 1)),
        );
    }
    if ('density' in node) {
      for (const k of ['steps', 'minsteps', 'maxsteps'])
        if (node[k] !== undefined)
          steps([...path, k], `density ${k}`, Number(node[k]), MAX_SAMPLES);
    }
    if ('quantile' in node && node.step !== undefined)
      steps(
        [...path, 'step'],
        `quantile step ${String(node.step)}`,
        1 / Number(node.step),
        MAX_SAMPLES,
      );
    if ('regression' in node && node.order !== undefined)
      steps([...path, 'order'], 'a regression of order', Number(node.order), 100);
    if (key === 'padding') {
      for (const [side, v] of Object.entries(node))
        if (typeof v === 'number' && Math.abs(v) > MAX_EXTENT_PX)
          refuse([...path, side], message.overCanvas('padding', v, MAX_EXTENT_PX));
    }
    if (key === 'bin') {
      const bin = node;
      const at = path;
      if (bin.maxbins !== undefined)
        steps([...at, 'maxbins'], 'bin maxbins', Number(bin.maxbins), MAX_BINS);
      const extent = bin.extent;
      if (bin.step !== undefined && Array.isArray(extent))
        steps(
          [...at, 'step'],
          `bin step ${String(bin.step)} over [${extent.join(', ')}]`,
          range(extent[0], extent[1], bin.step),
          MAX_BINS,
        );
      if (bin.minstep !== undefined && Array.isArray(extent))
        steps(
          [...at, 'minstep'],
          `bin minstep ${String(bin.minstep)} over [${extent.join(', ')}]`,
          range(extent[0], extent[1], bin.minstep),
          MAX_BINS,
        );
    }
    if (
      key === 'repeat' &&
      (Array.isArray(node.row) || Array.isArray(node.column) || Array.isArray(node.layer))
    ) {
      const views = [node.row, node.column, node.layer].reduce<number>(
        (product, list) => product * (Array.isArray(list) ? Math.max(1, list.length) : 1),
        1,
      );
      steps(path, 'repeat (views)', views, MAX_REPEATED_VIEWS);
    }
    for (const [k, v] of Object.entries(node)) {
      if (DATA_KEYS.has(k)) continue;
      visit(v, [...path, k], k);
    }
  };
  visit(spec, [], undefined);
  const views = viewCount(spec);
  if (views > MAX_REPEATED_VIEWS && !found.some((v) => v.message.startsWith('repeat')))
    refuse([], message.tooManyViews(views, MAX_REPEATED_VIEWS));
  const folds = foldFactor(spec);
  if (folds > 1 && generated * folds > generatedRows)
    refuse(['transform'], message.foldOfGenerated(generated * folds, generated, generatedRows));
  return found;
}

/** A `bin` with a `step` and no `extent`: how many bins it makes depends on the data. */
export interface DataBoundBin {
  path: JsonPathSegments;
  field: string;
  step: number;
}

/** Every bin whose count the data decides (checked against each column's extent). */
export function binsByStep(spec: unknown): DataBoundBin[] {
  const found: DataBoundBin[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, [...path, i]));
    else if (isObject(node)) {
      const bin = node.bin;
      if (isObject(bin) && typeof node.field === 'string' && !Array.isArray(bin.extent)) {
        for (const k of ['step', 'minstep'])
          if (typeof bin[k] === 'number')
            found.push({ path: [...path, 'bin', k], field: node.field, step: bin[k] });
      }
      for (const [k, v] of Object.entries(node)) if (!DATA_KEYS.has(k)) visit(v, [...path, k]);
    }
  };
  visit(spec, []);
  return found;
}

/** The bins a step makes over [min, max], refused past MAX_BINS. */
export function binStepViolation(
  b: DataBoundBin,
  min: number,
  max: number,
): BoundViolation | undefined {
  const count = (max - min) / b.step;
  return count > MAX_BINS
    ? {
        path: b.path,
        message: message.binStepTooMany(b.step, b.field, min, max, count, MAX_BINS),
      }
    : undefined;
}

/**
 * The views a spec makes: a repeat's views times its inner spec's, the sum over a layer's or
 * concat's parts (a facet's panels depend on the data, and are bounded by the pixel limit).
 * The spec's depth is bounded when it is loaded, so the recursion is too.
 */
export function viewCount(node: unknown): number {
  if (!isObject(node)) return 1;
  const parts = ['layer', 'hconcat', 'vconcat', 'concat'].flatMap((k) =>
    Array.isArray(node[k]) ? (node[k] as unknown[]) : [],
  );
  let inner = parts.length ? parts.reduce<number>((sum, p) => sum + viewCount(p), 0) : 1;
  if (isObject(node.spec)) inner *= viewCount(node.spec);
  const repeat = node.repeat;
  const repeated = Array.isArray(repeat)
    ? repeat.length
    : isObject(repeat)
      ? [repeat.row, repeat.column, repeat.layer].reduce<number>(
          (product, list) => product * (Array.isArray(list) ? Math.max(1, list.length) : 1),
          1,
        )
      : 1;
  return Math.min(Number.MAX_SAFE_INTEGER, repeated * inner);
}

/** A `pivot` transform: its cells are the pivoted field's values × the groups' rows. */
export interface Pivot {
  path: JsonPathSegments;
  field: string;
  groupby: string[];
}

/** Every pivot of a spec, sized once the data is read. */
export function pivotsOf(spec: unknown): Pivot[] {
  const found: Pivot[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, [...path, i]));
    else if (isObject(node)) {
      if (typeof node.pivot === 'string')
        found.push({
          path,
          field: node.pivot,
          groupby: Array.isArray(node.groupby) ? node.groupby.map(String) : [],
        });
      for (const [k, v] of Object.entries(node)) if (!DATA_KEYS.has(k)) visit(v, [...path, k]);
    }
  };
  visit(spec, []);
  return found;
}

/** The fold transforms of a spec: each multiplies the rows that reach it by its fields. */
export function foldFactor(spec: unknown): number {
  let factor = 1;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      if (Array.isArray(node.fold)) factor *= Math.max(1, node.fold.length);
      for (const [k, v] of Object.entries(node)) if (!DATA_KEYS.has(k)) visit(v);
    }
  };
  visit(spec);
  return factor;
}

/** A size given in the spec, with its padding and the device scale: checked before any data is read. */
export function checkChartSize(spec: VegaFramesSpec, scale: number, limits: Limits): void {
  if (typeof spec.width !== 'number' || typeof spec.height !== 'number') return;
  const pad = paddingOf(spec);
  const pixels = Math.ceil((spec.width + pad.x) * scale) * Math.ceil((spec.height + pad.y) * scale);
  checkLimit(
    limits,
    'maxPixels',
    pixels,
    `the chart's size (${spec.width}×${spec.height}${pad.x || pad.y ? ` and ${pad.x}×${pad.y} of padding` : ''} at scale ${scale})`,
  );
}

/** The spec's padding in pixels, left + right and top + bottom. */
function paddingOf(spec: VegaFramesSpec): { x: number; y: number } {
  const p = (spec as { padding?: unknown }).padding;
  if (typeof p === 'number') return { x: 2 * p, y: 2 * p };
  if (typeof p !== 'object' || p === null) return { x: 0, y: 0 };
  const side = (k: string) => Math.max(0, Number((p as Record<string, unknown>)[k]) || 0);
  return { x: side('left') + side('right'), y: side('top') + side('bottom') };
}
