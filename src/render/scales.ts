/**
 * Scales fixed over all frames: run the dataflow over the frames once (cheaply: the large
 * fast-path sources contribute only their extreme and distinct rows) and write each data-
 * driven scale's union domain into the Vega spec as a literal, so axes never jump.
 */
import type { DirectMark } from './mark-plan.js';
import type { FramePlan } from '../data/plan.js';
import type { PlannedSource } from '../data/partition.js';
import {
  type ColorMix,
  channelEasing,
  domainFields,
  isDataDomain,
  domainSignal,
  dropJoinKeys,
  hasMotion,
  rangeSignal,
  rewriteForMotion,
  scaleChannel,
} from '../compile/index.js';
import { frameData } from '../data/partition.js';
import { routeFastMarks } from './mark-plan.js';
import { type ColumnTable, DISTINCT_CAP, everyRow, numberSummary, rowsAt } from '../data/table.js';
import { streamSummary } from '../data/frame-stream.js';
import { frameSignals } from './signals.js';
import { createView } from './view.js';
import { STATIC_SEED, frameSeed, runSeeded, setSignal, usesRandomness } from './random.js';
import { type Json, isObject } from '../support/json.js';
import { LimitError } from '../spec/limits.js';
import { renderMessage } from './messages.js';

/** Rows or columns a grid of cells may have: each one's value must reach its band scale. */
export const GRID_CELLS_CAP = 65_536;

/**
 * The rows that carry every column's extremes and distinct values, over all frames:
 * enough for any row-wise pipeline to reach the same scale domains as the full data.
 * Distinct values are kept up to DISTINCT_CAP a column (a continuous scale needs only the
 * extremes), and up to GRID_CELLS_CAP for `gridFields`, whose band scales need every value.
 * Only rows valid in every one of `validFields` count: Vega-Lite's filter drops the others
 * before any scale sees them, so a kept row must be one it keeps.
 */
export function summaryRowIndices(
  source: PlannedSource,
  fields?: Set<string>,
  subset?: Uint32Array,
  gridFields: ReadonlySet<string> = new Set(),
  validFields: readonly string[] = [],
): Uint32Array {
  const { table, partition } = source;
  // The rows to look at: a subset, the partitioned rows, or (null) every row by index,
  // never materialised (100 million rows would take 400 MB) unless some are invalid.
  let rows = subset ?? partition?.order ?? null;
  let count = rows
    ? rows.length
    : partition
      ? partition.offsets[partition.offsets.length - 1]
      : table.length;
  const valid = validRows(table, validFields, rows, count);
  if (valid) [rows, count] = [valid, valid.length];
  const keep = new Set<number>();
  for (const name of table.names) {
    if (fields && !fields.has(name)) continue;
    const col = table.columns[name];
    if (col.kind === 'number') {
      const cap = gridFields.has(name) ? GRID_CELLS_CAP : DISTINCT_CAP;
      const { lo, hi, distinct } = numberSummary(col.values, rows, count, cap);
      if (lo >= 0) keep.add(lo).add(hi);
      if (distinct.size <= cap) distinct.forEach((r) => keep.add(r));
      else if (gridFields.has(name))
        throw new LimitError(renderMessage.gridTooLarge(name, GRID_CELLS_CAP));
    } else if (col.kind === 'string') {
      const first = new Int32Array(col.dict.length).fill(-1);
      for (let i = 0; i < count; i++) {
        const r = rows ? rows[i] : i;
        const code = col.codes[r];
        if (code >= 0 && first[code] < 0) first[code] = r;
      }
      first.forEach((r) => r >= 0 && keep.add(r));
    } else {
      for (let i = 0; i < count && keep.size < 10 * DISTINCT_CAP; i++) keep.add(rows ? rows[i] : i);
    }
  }
  return Uint32Array.from([...keep].sort((a, b) => a - b));
}

/**
 * The rows (of `rows`, or the first `count` by index) valid in every one of `fields`, or
 * undefined when all of them are: no copy in the usual case.
 */
function validRows(
  table: ColumnTable,
  fields: readonly string[],
  rows: Uint32Array | null,
  count: number,
): Uint32Array | undefined {
  // One tight pass per column marks the invalid rows; none (the usual case): no copy.
  let invalid: Uint8Array | undefined;
  for (const f of fields) {
    const c = table.columns[f];
    if (!c) continue;
    const bad: (r: number) => boolean =
      c.kind === 'number'
        ? (
            (v) => (r) =>
              v[r] - v[r] !== 0
          )(c.values) // NaN and ±Infinity
        : c.kind === 'string'
          ? (
              (codes) => (r) =>
                codes[r] < 0
            )(c.codes)
          : (
              (v) => (r) =>
                v[r] == null
            )(c.values);
    if (rows) {
      for (let k = 0; k < count; k++) if (bad(rows[k])) (invalid ??= new Uint8Array(count))[k] = 1;
    } else {
      for (let k = 0; k < count; k++) if (bad(k)) (invalid ??= new Uint8Array(count))[k] = 1;
    }
  }
  if (!invalid) return undefined;
  const kept: number[] = [];
  for (let k = 0; k < count; k++) if (!invalid[k]) kept.push(rows ? rows[k] : k);
  return Uint32Array.from(kept);
}

function unionDomain(type: string, acc: unknown[] | undefined, next: unknown[]): unknown[] {
  const values = next.map((v) => (v instanceof Date ? +v : v));
  const continuous = !['ordinal', 'band', 'point'].includes(type);
  if (continuous) {
    if (!acc) return values.slice();
    // A continuous domain is [min, max] (or [min, mid, max] when diverging): widen the ends.
    const out = acc.slice();
    out[0] = Math.min(Number(out[0]), Number(values[0]));
    out[out.length - 1] = Math.max(Number(out[out.length - 1]), Number(values[values.length - 1]));
    return out;
  }
  if (!acc) return values.slice();
  const seen = new Set(acc);
  return [...acc, ...values.filter((v) => !seen.has(v))];
}

/**
 * Whether a frame's domain says something about the data: a unit with no rows in a frame
 * (its frames are not every frame of the clock) gives a discrete scale no values and a
 * continuous one the extent of nothing, [undefined, undefined], which would make the union
 * NaN and every colour interpolator of the fixed scale fail.
 */
function holdsValues(type: string, domain: unknown[]): boolean {
  if (domain.length === 0) return false;
  if (!CONTINUOUS(type)) return true;
  return domain.every((v) => v !== null && v !== undefined && !Number.isNaN(Number(v)));
}

const ascending = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a) < String(b)
      ? -1
      : String(a) > String(b)
        ? 1
        : 0;

/** The Vega spec a render draws from, as fixScaleDomains makes it. */
export interface ScaledSpec {
  vega: Json;
  /** Each rescaled scale's domain in each data frame (animation.rescale). */
  frameDomains: Record<string, unknown[][]>;
  /**
   * Rescaled discrete scales whose categories would otherwise change colour (or shape) from
   * frame to frame: each category's value in the union domain over all frames.
   */
  unionRanges: Record<string, UnionRange>;
  /** How motion mixes the colours of categories (compile/motion.ts). */
  colorMixes: ColorMix[];
}

/** A discrete scale's domain over all frames, in the scale's order, and its range there. */
export interface UnionRange {
  domain: unknown[];
  range: unknown[];
}

/**
 * A rescaled scale that maps each category to a value of its range (a colour, a shape, a
 * dash), as opposed to a place on an axis: it may keep each category's value over the frames.
 * A range read from a signal is left as the spec computes it.
 */
const categoryRange = (s: Json) =>
  s.type === 'ordinal' && !JSON.stringify(s.range ?? null).includes('"signal"');

/**
 * Returns a copy of the plan's Vega spec with every data-driven top-level scale fixed, and,
 * when the animation has motion, its marks rewritten to read the motion columns
 * (compile/motion.ts). Rescaled scales get each data frame's own domain instead, returned
 * as `frameDomains` for the renderer to tween between, with the colour mixes of motion.
 */
export async function fixScaleDomains(
  plan: FramePlan,
  fast: DirectMark[],
  options: { rewriteFastMarks?: boolean } = {},
): Promise<ScaledSpec> {
  const spec = structuredClone(plan.vega);
  if (plan.animated) dropJoinKeys(spec, new Set(plan.planned.map((s) => s.name)));
  const scales = (Array.isArray(spec.scales) ? spec.scales : []) as Json[];
  const rescale = plan.animation.rescale;
  const targets = scales.filter((s) => isDataDomain(s.domain) && s.type !== 'bin-ordinal');
  const followed = new Set(
    targets.filter((s) => rescale.includes(scaleChannel(s.name as string))).map((s) => s.name),
  );
  // A followed axis fits each frame's data, as gganimate's view_follow: zero is not forced in.
  for (const s of targets) if (followed.has(s.name)) s.zero = false;
  const frameDomains: Record<string, unknown[][]> = {};
  const frameRanges: Record<string, unknown[][]> = {};
  const unionRanges: Record<string, UnionRange> = {};
  // A still chart's too when the direct path draws a mark: Vega holds none of its rows.
  if ((plan.animated || fast.length > 0) && targets.length > 0) {
    // Domains need the data and the scales, not the marks: without marks, axes, legends and
    // title, a frame's run encodes, bounds and measures nothing. Should the chart need its
    // marks to run (a signal reading one), run it whole.
    const run: DomainRun = { plan, targets, fast, followed, frameDomains, frameRanges };
    let domains: Map<string, unknown[]>;
    let whole = false;
    try {
      domains = await unionDomains(withoutMarks(spec), run);
    } catch {
      for (const k of Object.keys(frameDomains)) delete frameDomains[k];
      for (const k of Object.keys(frameRanges)) delete frameRanges[k];
      domains = await unionDomains(spec, run);
      whole = true;
    }
    Object.assign(unionRanges, await keptRanges(whole ? spec : withoutMarks(spec), run, domains));
    for (const s of targets) {
      const domain = domains.get(s.name as string);
      if (!domain || followed.has(s.name)) continue;
      s.domain = sortedAscending(s) ? domain.sort(ascending) : domain;
      // The union holds the mid already ([min, mid, max]): Vega would insert it again.
      delete s.domainMid;
      // The union already holds zero (when asked for) and nice ends; re-applying nice is
      // harmless, but Vega's zero defaults to true for linear scales, literal domains too.
      s.zero = false;
    }
  }
  // A fast mark that shares its data reads a dataset of its own from here on (domains came
  // from the shared one, colour mixes too: its fill is mixed as the shared data's marks'
  // are); the player's Vega draws every mark as the spec says.
  const routed = (s: Json, colorMixes: ColorMix[] = []): ScaledSpec => {
    if (!options.rewriteFastMarks) routeFastMarks(s, fast);
    return { vega: s, frameDomains, unionRanges, colorMixes };
  };
  if (!hasMotion(plan.animation)) return routed(spec);

  const framed = plan.planned.filter((s) => s.partition);
  // Colours of categories are mixed: text columns, and numbers encoded nominal/ordinal.
  const categorical = (field: string) =>
    framed.some((s) => {
      const c = s.table.columns[field];
      return c !== undefined && (c.kind !== 'number' || !!s.motion?.discrete.includes(field));
    });
  const { colorMixes } = rewriteForMotion(
    spec,
    new Set(framed.map((s) => s.name)),
    // The fast path reads the motion columns itself; the player's Vega draws every mark.
    new Set(options.rewriteFastMarks ? [] : fast.map((f) => f.markName)),
    categorical,
    // Only scales with per-frame domains (a spec without frames has none to follow).
    Object.keys(frameDomains).map((n) => scaleChannel(n)),
    Object.keys(unionRanges),
  );
  const signals = (Array.isArray(spec.signals) ? spec.signals : (spec.signals = [])) as Json[];
  for (const [name, perFrame] of Object.entries(frameDomains)) {
    signals.push({ name: domainSignal(name), value: perFrame[0] });
    if (unionRanges[name])
      signals.push({ name: rangeSignal(name), value: rangeOf(unionRanges[name], perFrame[0]) });
  }
  return routed(spec, colorMixes);
}

/** Spec without what draws: the scales' domains come out the same. */
function withoutMarks(spec: Json): Json {
  const { marks: _marks, axes: _axes, legends: _legends, title: _title, ...rest } = spec;
  return { ...rest, marks: [] };
}

/**
 * Every target scale's domain over all frames (one dataflow run per frame, or one for all
 * when only fast-path sources change), and each frame's own for the followed (rescaled) ones.
 */
interface DomainRun {
  plan: FramePlan;
  /** The data-driven top-level scales. */
  targets: Json[];
  fast: DirectMark[];
  /** Rescaled scales: each frame's own domain goes into frameDomains. */
  followed: Set<unknown>;
  frameDomains: Record<string, unknown[][]>;
  /** Rescaled category scales (categoryRange): each frame's range values of its domain. */
  frameRanges: Record<string, unknown[][]>;
}

async function unionDomains(spec: Json, run: DomainRun): Promise<Map<string, unknown[]>> {
  const { view, check } = createView(spec);
  try {
    return await runDomains(
      view,
      check,
      run,
      (Array.isArray(spec.data) ? spec.data : []) as Json[],
      usesRandomness(spec),
    );
  } finally {
    view.finalize();
  }
}

/** Whether a scale's domain is its values in ascending order (not sorted by another field). */
function sortedAscending(scale: Json): boolean {
  const sorted = isObject(scale.domain) && scale.domain.sort;
  return (
    sorted === true || (isObject(sorted) && !('field' in sorted) && sorted.order !== 'descending')
  );
}

/** Rows of a source its domains may be computed from at once (as row objects). */
const WHOLE_RUN_ROWS = 100_000;

/** Vega-Lite's filter of invalid values (one field or several): it reads one row. */
const VALIDITY_TEST =
  'isValid\\(datum\\["[^"\\\\]*"\\]\\) && isFinite\\(\\+datum\\["[^"\\\\]*"\\]\\)';
const VALIDITY_FILTER = new RegExp(`^${VALIDITY_TEST}(?: && ${VALIDITY_TEST})*$`);

/**
 * Whether every dataset derived from `source` keeps or drops each row on its own values:
 * no transform but Vega-Lite's filter of invalid values (no signal, no other row).
 */
function rowWise(data: Json[], source: string): boolean {
  const derived = new Set([source]);
  for (const d of data) {
    const from = Array.isArray(d.source) ? d.source : [d.source];
    if (!from.some((f) => derived.has(f as string))) continue;
    if (from.length > 1) return false;
    const transforms = (Array.isArray(d.transform) ? d.transform : []) as Json[];
    const ok = transforms.every(
      (t) => t.type === 'filter' && typeof t.expr === 'string' && VALIDITY_FILTER.test(t.expr),
    );
    if (!ok) return false;
    derived.add(d.name as string);
  }
  return true;
}

/**
 * Whether a scale's domain over many frames' rows is the union of its domains over each
 * frame's: a sorted discrete domain, or a continuous one without `nice` (whose ends depend on
 * the span), and nothing in it read from a signal.
 */
function unionOfRows(scale: Json): boolean {
  const keys = ['domain', 'domainMin', 'domainMax', 'domainMid', 'domainRaw', 'zero', 'nice'];
  if (keys.some((k) => JSON.stringify(scale[k] ?? null).includes('"signal"'))) return false;
  if (!CONTINUOUS(scale.type)) return sortedAscending(scale);
  // Numeric [min, max] domains only (a quantile scale's is every value; others keep the
  // per-frame runs).
  const minMax = ['linear', 'log', 'pow', 'sqrt', 'symlog'].includes(
    String(scale.type ?? 'linear'),
  );
  return minMax && !scale.nice;
}

async function runDomains(
  view: ReturnType<typeof createView>['view'],
  check: () => void,
  { plan, targets, fast, followed, frameDomains, frameRanges }: DomainRun,
  data: Json[],
  random: boolean,
): Promise<Map<string, unknown[]>> {
  // Sources only fast marks read (through validity filters alone): their summary rows give
  // the domains. A source other marks read too gives its rows as any other.
  const fastSources = new Set(fast.filter((f) => f.ownsSource).map((f) => f.source));
  const fields = domainFields(targets);
  // The fields every direct mark of source i filters invalid rows on, when one draws a grid
  // of cells: a summary row must be valid in them, or a row or column value whose first
  // row is invalid falls off its band. (Symbols' sources keep the summary a streamed
  // source gives, which is taken field by field: both give the same bytes.)
  const validIn = (i: number) => {
    const marks = fast.filter((f) => f.source === i);
    if (!marks.some((m) => m.kind === 'cells')) return [];
    return marks.length
      ? marks[0].validFields.filter((v) => marks.every((m) => m.validFields.includes(v)))
      : [];
  };
  // The row and column fields of grids of cells, by source: their every value counts.
  const gridFields = (i: number) =>
    new Set(
      fast
        .filter((f) => f.kind === 'cells' && f.source === i)
        .flatMap((f) => [f.channels.x, f.channels.y])
        .flatMap((c) => (c?.kind === 'field' ? [c.field] : [])),
    );
  // A source whose rows are only filtered one by one, feeding scales whose domain is the
  // union of its values (sorted, or [min, max]), gives every frame's union in one run of all
  // its rows (one run instead of one per frame), if they are few enough to hold as
  // row objects at once. Fast-path sources have their summary rows instead.
  const wholeRun =
    followed.size === 0 && targets.every(unionOfRows)
      ? new Set(
          plan.planned.filter(
            (s, i) =>
              s.partition &&
              !fastSources.has(i) &&
              !s.table.stream &&
              s.table.length <= WHOLE_RUN_ROWS &&
              rowWise(data, s.name),
          ),
        )
      : new Set<PlannedSource>();
  if (random) {
    // Random numbers as the renderer draws them (random.ts): the static parts in a run of
    // their own, each frame by its seed after another frame's rows.
    const names = new Set(data.map((d) => d.name));
    for (const s of plan.planned)
      if (!s.partition && names.has(s.name)) view.data(s.name, everyRow(s.table));
    await runSeeded(view, STATIC_SEED);
    check();
  }
  plan.planned.forEach((s, i) => {
    if (!s.partition || wholeRun.has(s)) view.data(s.name, everyRow(s.table));
    else if (fastSources.has(i) && followed.size === 0)
      // A streamed source's are found from its runs' summaries, merged in frame order.
      view.data(
        s.name,
        s.table.stream
          ? everyRow(streamSummary(s.table.stream, s.partition!.runs!))
          : rowsAt(s.table, summaryRowIndices(s, fields, undefined, gridFields(i), validIn(i))),
      );
  });
  // Large fast-path sources contribute their summary rows once, unless a scale follows
  // each frame: then every frame's own summary.
  const perFrame = plan.planned.filter(
    (s, i) => s.partition && !wholeRun.has(s) && (!fastSources.has(i) || followed.size > 0),
  );
  const frames = perFrame.length ? plan.clock.values.length : 1;
  const domains = new Map<string, unknown[]>();
  const order = Array.from({ length: frames }, (_, k) => k);
  if (random && frames > 0) order.unshift(0); // its first run only sets rows for the next
  for (const [n, k] of order.entries()) {
    plan.planned.forEach((s, i) => {
      if (!perFrame.includes(s)) return;
      const { table, rows } = frameData(s, k);
      const frame = { ...s, table, partition: undefined };
      view.data(
        s.name,
        rowsAt(
          table,
          fastSources.has(i)
            ? summaryRowIndices(frame, fields, rows, gridFields(i), validIn(i))
            : rows,
        ),
      );
    });
    for (const [name, value] of Object.entries(frameSignals(plan, k)))
      setSignal(view, name, value, random);
    await runSeeded(view, frameSeed({ from: k, to: k, t: 0 }));
    check();
    if (random && n === 0) continue;
    for (const s of targets) {
      const name = s.name as string;
      const scale = view.scale(name) as unknown as { (v: unknown): unknown; domain(): unknown[] };
      const domain = scale.domain();
      const type = String(s.type ?? 'linear');
      if (!holdsValues(type, domain)) continue;
      if (followed.has(name)) {
        (frameDomains[name] ??= [])[k] = domain.map((v) => (v instanceof Date ? +v : v));
        if (categoryRange(s)) (frameRanges[name] ??= [])[k] = domain.map((v) => scale(v));
      }
      domains.set(name, unionDomain(type, domains.get(name), domain));
    }
  }
  for (const perFrame of Object.values(frameDomains)) fillGaps(perFrame, frames);
  for (const perFrame of Object.values(frameRanges)) fillGaps(perFrame, frames);
  return domains;
}

/**
 * The rescaled category scales whose categories would change their values (colours,
 * shapes) from frame to frame, with each category's value in the union domain over all
 * frames, in the scale's order: what Vega gives the scale with that domain (`spec` run once
 * with the union as a literal and no rows). A category then keeps its colour while the
 * legend lists only its frame's categories. Scales whose frames already agree with the
 * union (categories that arrive in the scale's order, from a discrete scheme) are left out.
 */
async function keptRanges(
  spec: Json,
  { targets, frameDomains, frameRanges }: DomainRun,
  domains: Map<string, unknown[]>,
): Promise<Record<string, UnionRange>> {
  const scales = targets.filter(
    (s) => frameRanges[s.name as string] && domains.has(s.name as string),
  );
  if (scales.length === 0) return {};
  const unions = new Map(
    scales.map((s) => [s.name, unionOrder(s, domains.get(s.name as string)!)]),
  );
  const literal = {
    ...spec,
    scales: ((spec.scales ?? []) as Json[]).map((s) =>
      unions.has(s.name) ? { ...s, domain: unions.get(s.name) } : s,
    ),
  };
  const { view, check } = createView(literal);
  const out: Record<string, UnionRange> = {};
  try {
    await runSeeded(view, STATIC_SEED);
    check();
    for (const s of scales) {
      const name = s.name as string;
      const scale = view.scale(name) as unknown as (v: unknown) => unknown;
      const domain = unions.get(name)!;
      const union = { domain, range: domain.map((v) => scale(v)) };
      const moves = frameDomains[name].some(
        (d, k) => JSON.stringify(rangeOf(union, d)) !== JSON.stringify(frameRanges[name][k]),
      );
      if (moves) out[name] = union;
    }
  } finally {
    view.finalize();
  }
  return out;
}

/** A union of discrete domains in the scale's order: sorted as it sorts, or as first seen. */
function unionOrder(scale: Json, union: unknown[]): unknown[] {
  if (sortedAscending(scale)) return union.slice().sort(ascending);
  const sort = isObject(scale.domain) ? scale.domain.sort : undefined;
  if (isObject(sort) && !('field' in sort) && sort.order === 'descending')
    return union.slice().sort((a, b) => ascending(b, a));
  return union;
}

/** The union's values for the categories of one frame's domain. */
function rangeOf({ domain, range }: UnionRange, values: unknown[]): unknown[] {
  const at = new Map(domain.map((v, k) => [v, range[k]]));
  return values.map((v) => at.get(v));
}

/**
 * A followed scale keeps its domain through the frames where its units have no rows: the
 * frame before's (before the first frame with rows, that frame's). Every frame has one, so
 * a frame shows the same whichever frame a renderer showed before it.
 */
function fillGaps(perFrame: unknown[][], frames: number): void {
  let last = perFrame.find((d) => d !== undefined);
  for (let k = 0; k < frames; k++) {
    if (perFrame[k]) last = perFrame[k];
    else if (last) perFrame[k] = last;
  }
}

const CONTINUOUS = (type: unknown) =>
  !['ordinal', 'band', 'point'].includes(String(type ?? 'linear'));

/**
 * The domain signals of rescaled scales for output frame i: each data frame's own domain,
 * and in a tween the two interpolated with the channel's easing (continuous scales; a
 * discrete domain switches at the midpoint). A category scale that keeps its categories'
 * values (`unionRanges`) has its range signal too: the values of the domain shown.
 */
export function rescaledDomains(
  plan: Pick<FramePlan, 'timeline' | 'animation'>,
  {
    vega: spec,
    frameDomains,
    unionRanges = {},
  }: Pick<ScaledSpec, 'vega' | 'frameDomains'> & Partial<Pick<ScaledSpec, 'unionRanges'>>,
  i: number,
): Record<string, unknown[]> {
  const f = plan.timeline[i];
  const out: Record<string, unknown[]> = {};
  for (const [scale, domains] of Object.entries(frameDomains)) {
    const def = ((spec.scales ?? []) as Json[]).find((s) => s.name === scale);
    const [a, b] = [domains[f.from], domains[f.to]];
    const t = channelEasing(plan.animation.tween?.easing, scaleChannel(scale))(f.t);
    let d: unknown[] | undefined;
    if (!a?.length) d = b;
    else if (!b?.length || t === 0) d = a;
    else if (
      CONTINUOUS(def?.type) &&
      a.length === b.length &&
      [...a, ...b].every((v) => typeof v === 'number')
    )
      d = a.map((v, k) => (v as number) + ((b[k] as number) - (v as number)) * t);
    else d = t < 0.5 ? a : b;
    if (d?.length) out[domainSignal(scale)] = d;
    if (d?.length && unionRanges[scale]) out[rangeSignal(scale)] = rangeOf(unionRanges[scale], d);
  }
  return out;
}

/**
 * The domain (and kept range) signals a renderer lays out with: every rescaled discrete
 * scale holding all its frames' values at once. The view's size is fixed by its first
 * layout, so a legend or a band axis that grows over the frames (more categories, longer
 * labels) fits in every frame instead of being cut at frame 0's size.
 */
export function layoutDomains({
  vega: spec,
  frameDomains,
  unionRanges = {},
}: Pick<ScaledSpec, 'vega' | 'frameDomains'> & Partial<Pick<ScaledSpec, 'unionRanges'>>): Record<
  string,
  unknown[]
> {
  const out: Record<string, unknown[]> = {};
  for (const [scale, domains] of Object.entries(frameDomains)) {
    const def = ((spec.scales ?? []) as Json[]).find((s) => s.name === scale);
    if (CONTINUOUS(def?.type)) continue;
    const kept = unionRanges[scale];
    const union = kept?.domain ?? [...new Set(domains.flatMap((d) => d ?? []))];
    if (union.length === 0) continue;
    out[domainSignal(scale)] = union;
    if (kept) out[rangeSignal(scale)] = kept.range;
  }
  return out;
}
