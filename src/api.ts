/**
 * The library API, on top of the pipeline: spec → data → compile → render → encode.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LoadedSpec, loadSpecFile } from './spec/load.js';
import { isValidInWorker, validateOrThrow } from './spec/validate.js';
import type { VegaFramesSpec } from './spec/types.js';
import { OptionError, formatJsonPath, quote } from './spec/errors.js';
import { type DataAccess, resolveLocalUrl } from './data/access.js';
import { DataLoadError, loadDataSource, streamDataSource } from './data/load.js';
import type { ScanPart, ScanRequest } from './data/frame-stream.js';
import {
  type ColumnTable,
  longestString,
  narrowColumns,
  selectRows,
  tableBytes,
} from './data/table.js';
import {
  type CompiledSpec,
  type FramePlan,
  type SourceRef,
  compileSpec,
  dataDomainFields,
  hasMotion,
  PANEL_FIELD,
  defaultColumns,
  frameLabels,
  buildTimeline,
  outputFrameLabels,
  frameRows,
  planFromTables,
  smallMultiplesSpec,
  dropFrameColumns,
  type PlannedSource,
} from './compile/index.js';
import { CompileError, createMessages, locateCompileError } from './compile/messages.js';
import { checkDataFields } from './compile/data-fields.js';
import {
  GENERATED_ROW_COST,
  binStepViolation,
  binsByStep,
  foldFactor,
  pivotsOf,
  specBoundViolations,
} from './compile/bounds.js';
import { FrameRenderer } from './render/frame-renderer.js';
import { type MarkInfo, describeMarks, slowMarkWarnings } from './mark-report.js';
import { renderFrameStrip } from './render/strip.js';
import { mayUseWorkers, workersFor } from './frame-source.js';
import { RenderPool } from './pool/pool.js';
import { assertNotAnInput, openAtomic, withOutputLimit } from './encode/atomic.js';
import { inputFiles } from './input-files.js';
import { encodePng } from './encode/png.js';
import { gifDelayWarning } from './encode/timing.js';
import {
  type OutputFormat,
  type StillFormat,
  formatFromPath,
  isAnimated,
  renderAnimation,
} from './output.js';
import { SOFTWARE } from './version.js';
import { type Limits, LimitError, checkLimit, formatCount, resolveLimits } from './spec/limits.js';
export { DEFAULT_LIMITS, LimitError, type Limits } from './spec/limits.js';
export { OutputLimitError } from './encode/atomic.js';
export { OptionError } from './spec/errors.js';
import { playerHtml } from './player/html.js';

export { formatFromPath, OUTPUT_FORMATS, type OutputFormat } from './output.js';

export interface CompileOptions {
  /** Limits for untrusted specs (defaults in DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Folder relative data URLs resolve in. Default: the spec file's folder, else the cwd. */
  baseDir?: string;
  allowRead?: string[];
  /** Skip schema validation (the spec was validated already). */
  skipValidation?: boolean;
  /**
   * Check the spec against the schema in a thread of its own, while the data loads: the
   * precompiled validator's ~40 MiB leave with the thread instead of staying through the
   * render (its peak RSS). The CLI sets it.
   */
  validateInWorker?: boolean;
  /**
   * A render of an animation reads a framed CSV file of at least this many bytes a frame at
   * a time, when its rows come grouped by frame (default STREAM_MIN_BYTES; `Infinity`:
   * never). See docs/spec.md, Data.
   */
  streamMinBytes?: number;
}

/**
 * How a render of an animation reads large framed files (data/frame-stream.ts): a frame at
 * a time, never for the API's `compile` (whose plan may be read in any order, as the HTML
 * player and small multiples do). `helper` scans half of a file in a render worker.
 */
interface FrameStreaming {
  helper?: (part: ScanRequest) => Promise<ScanPart | undefined>;
}

export interface RenderOptions extends CompileOptions {
  /** Default: from the output path's extension. */
  format?: OutputFormat;
  /** Overrides `animation.fps`. */
  fps?: number;
  /** Device pixels per Vega pixel. */
  scale?: number;
  /** The resolution PNG output records (its pHYs chunk), in pixels per inch. Default 72. */
  ppi?: number;
  /** A selection of frames: `"a:b"` or `"a:b:step"` (Python slice rules, end exclusive). */
  frames?: string;
  /** One frame (png/svg output). Default 0. */
  frame?: number;
  /** Progress callback: frames done, total. */
  onFrame?: (done: number, total: number) => void;
  /** Disable the direct raster path for large symbol marks (Vega draws everything). */
  noFastPath?: boolean;
  /** Render worker threads; 0 or 1 renders in this thread. Default: one per core (at most 4). */
  workers?: number;
  /** Video quality, lower is better (H.264 default 18, VP9 default 31). */
  crf?: number;
  /** Overrides `animation.background`. */
  background?: string;
  /**
   * `"facet"`: a still output (png/svg/pdf) shows the selected frames as small multiples.
   * Default: the spec's `animation.as`, else one frame.
   */
  as?: 'animation' | 'facet';
  /** Panels per row of the small multiples (overrides `animation.columns`). */
  columns?: number;
}

export type SpecInput = string | VegaFramesSpec;

async function readSpec(
  input: SpecInput,
): Promise<{ spec: VegaFramesSpec; loaded?: LoadedSpec; dir: string }> {
  if (typeof input === 'string') {
    const loaded = await loadSpecFile(input);
    return { spec: loaded.spec as VegaFramesSpec, loaded, dir: path.dirname(path.resolve(input)) };
  }
  return { spec: input, dir: process.cwd() };
}

/** Validates a spec (a path or an object); throws SpecErrors listing every problem. */
export async function validate(input: SpecInput): Promise<VegaFramesSpec> {
  const { spec, loaded } = await readSpec(input);
  return validateOrThrow(spec, loaded);
}

/** Loads, validates and compiles a spec with its data: everything but rendering. */
export async function compile(input: SpecInput, options: CompileOptions = {}): Promise<FramePlan> {
  return compileWith(input, options);
}

async function compileWith(
  input: SpecInput,
  options: CompileOptions,
  streaming?: FrameStreaming,
): Promise<FramePlan> {
  const { spec, loaded, dir } = await readSpec(input);
  try {
    return await compileRead(spec, loaded, dir, options, streaming);
  } catch (e) {
    throw locateCompileError(e, loaded);
  }
}

async function compileRead(
  spec: VegaFramesSpec,
  loaded: LoadedSpec | undefined,
  dir: string,
  options: CompileOptions,
  streaming?: FrameStreaming,
): Promise<FramePlan> {
  if (options.skipValidation) return compileValid(spec, dir, options, streaming, loaded);
  if (!options.validateInWorker || (await topDataBytes(spec, dir, options)) < BIG_DATA_BYTES) {
    validateOrThrow(spec, loaded);
    return compileValid(spec, dir, options, streaming, loaded);
  }
  // The schema check runs in its own thread while the data loads; its verdict comes first,
  // so a spec that is not valid still gets its spec errors, whatever else failed.
  const check = isValidInWorker(spec);
  let plan: FramePlan;
  try {
    plan = await compileValid(spec, dir, options, streaming, loaded);
  } catch (e) {
    validateOrThrow(spec, loaded, await check.verdict());
    throw e;
  }
  // Data read before the verdict is in (a thread takes ~0.1 s to start; W2, with small
  // data, waited 0.17 s for it): the check runs here rather than wait.
  if (!check.done) check.stop();
  validateOrThrow(spec, loaded, check.done ? await check.verdict() : undefined);
  return plan;
}

/**
 * Data from which the schema check moves to a thread of its own (validateInWorker): smaller
 * data is read before that thread is up (~0.1 s of CPU to start on these 2 cores).
 */
const BIG_DATA_BYTES = 16 << 20;

/** The size of the file in the spec's top-level `data.url` (0 when none or unreadable). */
async function topDataBytes(
  spec: VegaFramesSpec,
  dir: string,
  options: CompileOptions,
): Promise<number> {
  const url = (spec as { data?: { url?: unknown } }).data?.url;
  if (typeof url !== 'string') return 0;
  try {
    const baseDir = path.resolve(options.baseDir ?? dir);
    const allowRead = options.allowRead?.map((d) => path.resolve(d));
    return (await stat(resolveLocalUrl(url, { baseDir, allowRead }))).size;
  } catch {
    return 0; // reported when the data is read
  }
}

async function compileValid(
  spec: VegaFramesSpec,
  dir: string,
  options: CompileOptions,
  streaming?: FrameStreaming,
  loaded?: LoadedSpec,
): Promise<FramePlan> {
  const limits = resolveLimits(options.limits);
  // What the spec's own numbers ask of Vega, before any data is read or Vega runs.
  const [violation] = specBoundViolations(spec, limits);
  if (violation) throw new CompileError(violation.message, formatJsonPath(violation.path));
  // A size given in the spec, with its padding, is checked before any data is read.
  if (typeof spec.width === 'number' && typeof spec.height === 'number') {
    const scale = (options as { scale?: number }).scale ?? 1;
    const pad = paddingOf(spec);
    const pixels =
      Math.ceil((spec.width + pad.x) * scale) * Math.ceil((spec.height + pad.y) * scale);
    checkLimit(
      limits,
      'maxPixels',
      pixels,
      `the chart's size (${spec.width}×${spec.height}${pad.x || pad.y ? ` and ${pad.x}×${pad.y} of padding` : ''} at scale ${scale})`,
    );
  }
  // Before compiling (which rewrites the spec): the spec's own text, to find the columns
  // it can reach. A column's type in format.parse does not read it.
  const specText = JSON.stringify(spec, (key, value: unknown) =>
    key === 'format' && typeof value === 'object' && value !== null && 'parse' in value
      ? { ...value, parse: undefined }
      : value,
  );
  // Warnings at a JSON path name its line and column too.
  const log = createMessages(loaded);
  const compiled = compileSpec(spec, log);
  const access: DataAccess = {
    baseDir: path.resolve(options.baseDir ?? dir),
    allowRead: options.allowRead?.map((d) => path.resolve(d)),
    maxFileBytes: limits.maxFileBytes,
    maxImagePixels: limits.maxPixels,
    maxColumnBytes: limits.maxMemoryBytes,
  };
  const keep = columnsNamedIn(specText);
  const minBytes = options.streamMinBytes ?? STREAM_MIN_BYTES;
  const summaryFields = dataDomainFields(compiled.vega);
  const tables = await Promise.all(
    compiled.sources.map(
      async (s) =>
        (streaming && streamable(s, compiled)
          ? await streamDataSource(
              s.data,
              access,
              keep,
              s.frame!.field,
              summaryFields,
              minBytes,
              streaming.helper,
              s.numbers,
            )
          : undefined) ?? (await loadDataSource(s.data, access, keep, s.numbers)),
    ),
  );
  const rows = tables.reduce((sum, t) => sum + t.length, 0);
  checkLimit(limits, 'maxRows', rows, 'the number of data rows');
  checkDataBounds(spec, tables, limits);
  tables.forEach((t, i) => checkValueLengths(t, compiled.sources[i].data.url));
  for (const t of tables) narrowColumns(t);
  // Fields the spec reads that the data does not have (the frame field: in planFromTables).
  checkDataFields(spec, compiled.sources, tables, log);
  return { ...planFromTables(compiled, tables, log, limits.maxFrames), access };
}

/**
 * What the spec asks of Vega that only the data can size: the rows a fold makes (objects
 * Vega holds, bounded like generated rows) and the bins a `bin.step` makes over a column.
 */
function checkDataBounds(spec: VegaFramesSpec, tables: ColumnTable[], limits: Limits): void {
  const rows = tables.reduce((sum, t) => sum + t.length, 0);
  const folds = foldFactor(spec);
  const mostFolded = Math.floor(limits.maxRows / GENERATED_ROW_COST);
  if (folds > 1 && rows * folds > mostFolded)
    throw new LimitError(
      `a fold would make ${(rows * folds).toLocaleString('en')} rows (${rows.toLocaleString('en')} × ${folds}), over the limit of ${mostFolded.toLocaleString('en')} for rows Vega makes (a ${GENERATED_ROW_COST}th of --max-rows, as each is an object); raise --max-rows if you trust this spec`,
    );
  for (const pivot of pivotsOf(spec)) {
    // Each distinct value of the pivoted field becomes a field of every group's row.
    const groups = (t: ColumnTable) =>
      pivot.groupby.reduce((n, f) => n * Math.max(1, distinctValues(t, f)), 1);
    const cells = tables.reduce(
      (most, t) => Math.max(most, distinctValues(t, pivot.field) * Math.min(t.length, groups(t))),
      0,
    );
    if (cells > mostFolded)
      throw new CompileError(
        `this pivot would make ${formatCount(cells)} cells (the distinct values of ${quote(pivot.field)} × its groups), over the limit of ${formatCount(mostFolded)} for values Vega makes (a ${GENERATED_ROW_COST}th of --max-rows); raise --max-rows if you trust this spec`,
        formatJsonPath(pivot.path),
      );
  }
  for (const bin of binsByStep(spec)) {
    let [min, max] = [Infinity, -Infinity];
    for (const t of tables) {
      const column = t.columns[bin.field];
      if (column?.kind !== 'number') continue;
      for (const v of column.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const violation = min <= max ? binStepViolation(bin, min, max) : undefined;
    if (violation) throw new CompileError(violation.message, formatJsonPath(violation.path));
  }
}

/**
 * Characters one text value of the data may hold. Drawing or measuring text costs ~3 µs a
 * character here (a 5 MB field took 20 s and 1.4 GB to lay out as one text mark), and no
 * chart shows a value this long: such a value is a mistake or an attack, refused.
 */
export const MAX_VALUE_CHARS = 100_000;

function checkValueLengths(table: ColumnTable, url: string | undefined): void {
  const long = longestString(table);
  if (long && long.length > MAX_VALUE_CHARS)
    throw new DataLoadError(
      `${url ? `"${url}"` : 'the inline data'} holds a value of ${long.length.toLocaleString('en')} characters in column ${quote(long.column)}; a value may hold at most ${MAX_VALUE_CHARS.toLocaleString('en')} (text that long cannot be drawn or read in a chart)`,
    );
}

/** How many distinct values a column holds (0 when the table has no such column). */
function distinctValues(table: ColumnTable, field: string): number {
  const column = table.columns[field];
  if (!column) return 0;
  if (column.kind === 'string') return column.dict.length;
  return new Set(column.values as ArrayLike<unknown> as unknown[]).size;
}

/** The spec's padding in pixels, left + right and top + bottom. */
function paddingOf(spec: VegaFramesSpec): { x: number; y: number } {
  const p = (spec as { padding?: unknown }).padding;
  if (typeof p === 'number') return { x: 2 * p, y: 2 * p };
  if (typeof p !== 'object' || p === null) return { x: 0, y: 0 };
  const side = (k: string) => Math.max(0, Number((p as Record<string, unknown>)[k]) || 0);
  return { x: side('left') + side('right'), y: side('top') + side('bottom') };
}

/**
 * Framed CSV files from this size on are read a frame at a time when an animation is
 * rendered, if their rows come grouped by frame: W1's 162 MB file would be 97 MB of
 * columns. It costs a second parse of the file: W1 ~3% slower for 100 MiB less. Below it
 * the columns take ~100 MiB or less, and holding them is faster: W3's 115 MB file streamed
 * was 5–10% slower (its frames' 200,000 rows make the parse a larger share of each frame)
 * for ~50 MiB less, and its speed-up over matplotlib fell to 10.0–10.6×.
 */
export const STREAM_MIN_BYTES = 128 << 20;

/**
 * Whether a source can be read a frame at a time: every frame needs only its own rows (no
 * cumulative frames, tweens, trails, reveal or rescaled axes, which read other frames'), and
 * its frame values are the field's own (no time unit, binning or date parsing).
 */
function streamable(s: SourceRef, compiled: CompiledSpec): boolean {
  const f = s.frame;
  return (
    f !== undefined &&
    !f.cumulative &&
    !f.timeUnit &&
    !f.bin &&
    f.type !== 'temporal' &&
    !hasMotion(compiled.animation)
  );
}

/**
 * Which columns to load: those the spec names. A wide file of which a chart uses three
 * columns holds three (a CSV's other columns are not even parsed). Conservative: a column
 * is kept if its name occurs anywhere in the spec's text, and all are kept when the spec
 * can reach fields it does not name (a tooltip of all fields, `datum[...]` with a computed
 * key).
 */
function columnsNamedIn(specText: string): ((name: string) => boolean) | undefined {
  // datum['name'] names its field (quotes appear escaped, \", in JSON text); any other
  // key is computed, so any field may be reached.
  // The key is read where the match ends (a sticky pattern), never from a copy of the rest
  // of the text: a spec of many `datum[` stays linear to scan.
  const literalKey = /\s*(?:'[^']*'|\\"(?:[^"\\]|\\.)*?\\")\s*\]/y;
  const computedKey = [...specText.matchAll(/datum\s*\[/g)].some((m) => {
    literalKey.lastIndex = m.index + m[0].length;
    return !literalKey.test(specText);
  });
  const reachesAll = /"tooltip":(true|\{[^}]*"content":"data")/.test(specText) || computedKey;
  return reachesAll ? undefined : (name) => specText.includes(name);
}

const FRAME_SLICE = /^(-?\d*):(-?\d*)(?::(\d+))?$/;

/** The step of `a:b[:step]` (1 when there is none, or no selection). */
export function frameStep(spec: string | undefined): number {
  const m = spec ? FRAME_SLICE.exec(spec.trim()) : null;
  return m?.[3] ? Number(m[3]) : 1;
}

/** Parses `a:b[:step]` into frame indices (Python slice semantics, negatives from the end). */
export function selectFrames(spec: string | undefined, count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (!spec) return all;
  const m = FRAME_SLICE.exec(spec.trim());
  if (!m) throw new OptionError(`--frames ${quote(spec)} is not a:b or a:b:step`);
  const norm = (s: string, dflt: number) => {
    if (s === '') return dflt;
    const v = Number(s);
    return Math.max(0, Math.min(count, v < 0 ? count + v : v));
  };
  const step = m[3] ? Number(m[3]) : 1;
  if (step < 1) throw new OptionError(`--frames ${quote(spec)}: the step must be at least 1`);
  const out: number[] = [];
  for (let i = norm(m[1], 0); i < norm(m[2], count); i += step) out.push(i);
  if (out.length === 0)
    throw new OptionError(`--frames ${quote(spec)} selects no frame of ${count}`);
  return out;
}

export interface RenderResult {
  frames: number;
  width: number;
  height: number;
  warnings: string[];
}

/**
 * Renders a spec to a file. The format follows the extension (see `formatFromPath`) unless
 * `options.format` says otherwise: GIF, APNG, MP4, WebM or a folder of PNG frames for the
 * animation; PNG, SVG or PDF for one frame.
 */
export async function renderToFile(
  input: SpecInput,
  outPath: string,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const { maxOutputBytes } = resolveLimits(options.limits);
  return withOutputLimit(maxOutputBytes, () => renderToFileWithin(input, outPath, options));
}

async function renderToFileWithin(
  input: SpecInput,
  outPath: string,
  options: RenderOptions,
): Promise<RenderResult> {
  const startedAt = Date.now();
  const format = options.format ?? formatFromPath(outPath);
  if (options.as === 'facet' && isAnimated(format)) {
    throw new OptionError(
      `small multiples are a still figure: write .png, .svg or .pdf, not ${format}`,
    );
  }
  if (options.crf !== undefined && format === 'mp4' && options.crf > 51)
    throw new OptionError(`--crf ${options.crf} is above 51, the most H.264 allows`);
  if (format === 'html') {
    const plan = await compileFor(input, options);
    await assertNotInputOf(outPath, input, plan);
    if (options.frames) throw new OptionError('the HTML player holds every frame: drop --frames');
    await writeAtomically(outPath, Buffer.from(await playerHtml(plan, { fps: options.fps })));
    return { frames: plan.timeline.length, width: 0, height: 0, warnings: plan.warnings };
  }
  if (isAnimated(format)) {
    // One worker starts loading Vega now, on the core this thread leaves idle while it reads
    // the data; the rest start once the frame count says workers pay (measured: two early
    // workers slowed an 18-frame render by 0.3 s, as all three threads shared two cores).
    const spawned = mayUseWorkers(options)
      ? RenderPool.spawn(1, resolveLimits(options.limits).stallSeconds)
      : undefined;
    try {
      const plan = await compileFor(input, options, {
        helper: spawned && ((part) => spawned.scan(part)),
      });
      await assertNotInputOf(outPath, input, plan);
      if (format === 'gif') {
        const warning = gifDelayWarning(options.fps ?? plan.animation.fps);
        if (warning) plan.warnings.push(warning);
      }
      if (!options.noFastPath) plan.warnings.push(...slowMarkWarnings(describeMarks(plan)));
      dropFrameColumns(plan);
      const indices = selectFrames(options.frames, plan.timeline.length);
      const limits = resolveLimits(options.limits);
      checkLimit(limits, 'maxFrames', indices.length, 'the number of frames to render');
      const result = await renderAnimation(
        plan,
        outPath,
        format,
        indices,
        {
          ...options,
          maxPixels: limits.maxPixels,
          timeoutSeconds: limits.timeoutSeconds,
          maxMemoryBytes: limits.maxMemoryBytes,
          stallSeconds: limits.stallSeconds,
          startedAt,
          step: frameStep(options.frames),
        },
        spawned,
      );
      return { ...result, warnings: plan.warnings };
    } finally {
      await spawned?.terminate(); // a no-op once the pool has closed them; vital on errors
    }
  }
  const plan = await compileFor(input, options);
  await assertNotInputOf(outPath, input, plan);
  if ((options.as ?? plan.animation.as) === 'facet') {
    return renderSmallMultiples(input, plan, outPath, format, options);
  }
  // Vector output draws every mark as vectors: only a PNG has a direct path to miss.
  if (format === 'png' && !options.noFastPath)
    plan.warnings.push(...slowMarkWarnings(describeMarks(plan)));
  const renderer = await FrameRenderer.create(plan, {
    scale: options.scale,
    // Vector formats draw every mark as vectors: Vega must hold every row.
    noFastPath: options.noFastPath || format !== 'png',
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    const k = options.frame ?? 0;
    if (k < 0 || k >= renderer.frameCount) {
      throw new OptionError(
        `--frame ${k} is out of range: the spec has ${renderer.frameCount} frames (0..${renderer.frameCount - 1})`,
      );
    }
    const bytes = await renderStill(renderer, k, format, plan.title, options.ppi);
    await writeAtomically(outPath, bytes);
    return { frames: 1, width: 0, height: 0, warnings: plan.warnings };
  } finally {
    renderer.finalize();
  }
}

/** Most panels a small-multiples figure may have. */
const MAX_PANELS = 400;

/**
 * The selected frames as one static figure: the spec with its frame channel as a facet,
 * fed the selected frames' rows (taken from the frame partitions, not filtered by Vega).
 */
async function renderSmallMultiples(
  input: SpecInput,
  plan: FramePlan,
  outPath: string,
  format: StillFormat,
  options: RenderOptions,
): Promise<RenderResult> {
  // Tweens, trails and reveal exist only as rendered frames: tile those. Otherwise (rescale
  // alone included) a faceted Vega-Lite figure, vector if asked, on shared scales.
  const a = plan.animation;
  if (plan.timeline.some((f) => f.t > 0) || a.trail || a.reveal)
    return renderMotionStrip(plan, outPath, format, options);
  const indices = selectFrames(options.frames, plan.clock.values.length);
  if (indices.length > MAX_PANELS) {
    throw new OptionError(
      `${indices.length} panels are too many for small multiples (at most ${MAX_PANELS}); pick frames with --frames a:b:step`,
    );
  }
  const { spec } = await readSpec(input);
  const allLabels = frameLabels(plan.clock);
  const labels = indices.map((k) => allLabels[k]);
  const log = createMessages();
  const faceted = smallMultiplesSpec(structuredClone(spec), {
    columns: options.columns ?? plan.animation.columns ?? defaultColumns(indices.length),
    labels,
  });
  const compiled = compileSpec(faceted, log);
  const tables = compiled.sources.map((source) => {
    const original = plan.planned.find(
      (p) => JSON.stringify(p.data) === JSON.stringify(source.data),
    );
    if (!original) throw new Error(`no loaded data for ${JSON.stringify(source.data)}`);
    // Each selected frame's rows (for a cumulative frame, every row up to it), tagged with
    // the panel they belong to; a source without frames appears in every panel.
    const rows: number[] = [];
    const panel: number[] = [];
    indices.forEach((k, p) => {
      const frameRowList = original.partition
        ? (frameRows(original, k) ?? [])
        : Array.from({ length: original.table.length }, (_, r) => r);
      for (const r of frameRowList) {
        rows.push(r);
        panel.push(p);
      }
    });
    return withPanelColumn(selectRows(original.table, rows), panel, labels);
  });
  const facetPlan = planFromTables(compiled, tables, log);
  facetPlan.animation.background = plan.animation.background;
  facetPlan.access = plan.access;
  if (plan.animation.background) facetPlan.vega.background = plan.animation.background;
  const renderer = await FrameRenderer.create(facetPlan, {
    scale: options.scale,
    noFastPath: options.noFastPath || format !== 'png',
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    const bytes = await renderStill(renderer, 0, format, plan.title, options.ppi);
    await writeAtomically(outPath, bytes);
    return { frames: indices.length, width: 0, height: 0, warnings: facetPlan.warnings };
  } finally {
    renderer.finalize();
  }
}

/** Small multiples of an animation with motion: its output frames, tiled (PNG). */
async function renderMotionStrip(
  plan: FramePlan,
  outPath: string,
  format: StillFormat,
  options: RenderOptions,
): Promise<RenderResult> {
  if (format !== 'png')
    throw new OptionError(
      `small multiples of an animation with tweens, trails or reveal are its frames as rendered: write .png, not ${format}`,
    );
  const indices = selectFrames(options.frames, plan.timeline.length);
  if (indices.length > MAX_PANELS) {
    throw new OptionError(
      `${indices.length} panels are too many for small multiples (at most ${MAX_PANELS}); pick frames with --frames a:b:step`,
    );
  }
  const renderer = await FrameRenderer.create(plan, {
    scale: options.scale,
    noFastPath: options.noFastPath,
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    const columns = options.columns ?? plan.animation.columns ?? defaultColumns(indices.length);
    const labels = outputFrameLabels(plan.clock, plan.timeline);
    const strip = await renderFrameStrip(renderer, indices, labels, columns, (w, h) =>
      checkLimit(
        resolveLimits(options.limits),
        'maxPixels',
        w * h,
        `the small multiples' ${w}×${h} pixels`,
      ),
    );
    const text = { ...(plan.title ? { Title: plan.title } : {}), Software: SOFTWARE };
    await writeAtomically(outPath, encodePng(strip, { text, ppi: options.ppi }));
    return {
      frames: indices.length,
      width: strip.width,
      height: strip.height,
      warnings: plan.warnings,
    };
  } finally {
    renderer.finalize();
  }
}

function withPanelColumn(table: ColumnTable, panel: number[], labels: string[]): ColumnTable {
  const codes = Int32Array.from(panel);
  return {
    ...table,
    names: [...table.names.filter((n) => n !== PANEL_FIELD), PANEL_FIELD],
    columns: { ...table.columns, [PANEL_FIELD]: { kind: 'string', codes, dict: labels } },
  };
}

/** Refuses an output path that would replace the spec file, its data or its images. */
async function assertNotInputOf(outPath: string, input: SpecInput, plan: FramePlan): Promise<void> {
  await assertNotAnInput(outPath, inputFiles(plan, typeof input === 'string' ? input : undefined));
}

async function writeAtomically(outPath: string, bytes: Uint8Array): Promise<void> {
  const file = await openAtomic(outPath);
  try {
    await file.write(bytes);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/** Compiles with the render options that change the plan (background override). */
async function compileFor(
  input: SpecInput,
  options: RenderOptions,
  streaming?: FrameStreaming,
): Promise<FramePlan> {
  const plan = await compileWith(input, options, streaming);
  if (options.fps !== undefined && options.fps !== plan.animation.fps) {
    // Holds, tween durations and total durations are in seconds: refit them at this fps.
    plan.animation.fps = options.fps;
    plan.timeline = buildTimeline(
      plan.clock.values.length,
      plan.animation,
      resolveLimits(options.limits).maxFrames,
    );
  }
  if (options.background) {
    plan.animation.background = options.background;
    plan.vega.background = options.background; // what the View paints
  }
  return plan;
}

async function renderStill(
  renderer: FrameRenderer,
  k: number,
  format: StillFormat,
  title: string | undefined,
  ppi: number | undefined,
): Promise<Uint8Array> {
  if (format === 'svg') return Buffer.from(await renderer.renderSvg(k));
  if (format === 'pdf') return renderer.renderPdf(k, { title, creator: SOFTWARE });
  const frame = await renderer.render(k);
  return encodePng(frame, {
    text: { ...(title ? { Title: title } : {}), Software: SOFTWARE },
    ppi,
  });
}

/** Renders a spec to bytes in memory (GIF by default), through the same streaming path. */
export async function render(input: SpecInput, options: RenderOptions = {}): Promise<Uint8Array> {
  const format = options.format ?? 'gif';
  const dir = await mkdtemp(path.join(tmpdir(), 'vega-frames-'));
  try {
    const file = path.join(dir, `out.${format}`);
    await renderToFile(input, file, { ...options, format });
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface SpecInfo {
  /** Output frames: data frames plus tweens and rewind. */
  frames: number;
  /** Distinct values of the frame field. */
  dataFrames: number;
  /** Seconds one play lasts at the spec's fps. */
  seconds: number;
  frameValues: unknown[];
  /** The frame values as text (dates for temporal frames). */
  frameLabels: string[];
  width: number;
  height: number;
  sources: {
    name: string;
    url?: string;
    rows: number;
    columns: { name: string; type: string }[];
    /** Bytes of its columns in memory (a streamed source's: none held). */
    bytes: number;
    framed: boolean;
    /** Read a frame at a time from its file by a render (see STREAM_MIN_BYTES). */
    streamed: boolean;
  }[];
  /** The Vega names of the marks drawn directly (see `marks`). */
  fastMarks: string[];
  /**
   * Every mark (groups aside): where the spec writes it, items a frame (estimated from the
   * data, else counted in the first frame), and whether it is drawn directly or by Vega
   * and why.
   */
  marks: MarkInfo[];
  /**
   * A rough estimate of a GIF render's peak memory, from the data's bytes and constants
   * measured on the benchmarks with the `vega-frames` command (about 90 MiB per render
   * worker for Vega and its heap, 130 MiB for the main thread); within ~5% on W1, W2, W3.
   */
  memory: { dataBytes: number; renderThreads: number; estimatedPeakBytes: number };
  warnings: string[];
}

const MIB = 2 ** 20;

/** Seconds one play of the animation lasts: a frame each, plus holds and pauses. */
function playSeconds(plan: FramePlan): number {
  const fps = plan.animation.fps;
  return plan.timeline.reduce((sum, f) => sum + 1 / fps + f.extra, 0);
}

/** Each column's kind: number, string, or value (a streamed source's from its file). */
function columnKinds(table: ColumnTable): { name: string; type: string }[] {
  const layout = table.stream?.layout;
  return table.names.map((name) => ({
    name,
    type: layout
      ? layout.numeric[layout.names.indexOf(name)]
        ? 'number'
        : 'string'
      : table.columns[name].kind,
  }));
}

function memoryEstimate(plan: FramePlan, width: number, height: number): SpecInfo['memory'] {
  const dataBytes = plan.planned.reduce(
    (sum, s) => sum + tableBytes(s.table) + (s.partition?.order?.byteLength ?? 0),
    0,
  );
  const workers = workersFor(plan, plan.timeline.length);
  const renderThreads = 1 + workers; // this thread renders too
  // A streamed source: each thread holds its largest frame's bytes and columns.
  const frameData = plan.planned.reduce((sum, s) => {
    const stream = s.table.stream;
    if (!stream) return sum;
    const rows = Math.max(0, ...stream.runs.map((r) => r.count));
    const bytesPerRow = stream.size / Math.max(1, stream.rows);
    return sum + rows * (bytesPerRow + 8 * stream.layout.kept.length) * renderThreads;
  }, 0);
  // A few frame-sized buffers per thread: canvas, copies in flight, palette indices.
  const frames = width * height * 4 * 4 * (renderThreads + 1);
  const estimatedPeakBytes =
    dataBytes + frameData + 130 * MIB + (workers > 0 ? workers * 90 * MIB : 0) + frames;
  return { dataBytes, renderThreads, estimatedPeakBytes };
}

/** Marks whose items a transform decides: the count in the frame rendered. */
function marksWithItems(marks: MarkInfo[], counted: Map<string, number>): MarkInfo[] {
  return marks.map(({ path, mark, name, items, drawn, reason }) => ({
    path,
    mark,
    name,
    ...(items !== undefined || counted.has(name) ? { items: items ?? counted.get(name) } : {}),
    drawn,
    ...(reason !== undefined ? { reason } : {}),
  }));
}

/**
 * The data sources of `info`, each once: units sharing one file (or one inline array), and
 * the copy a static unit gets of a framed source, are one entry. It is framed or streamed
 * if any of its uses is, and its bytes count each table held in memory once.
 */
function distinctSources(planned: readonly PlannedSource[]): SpecInfo['sources'] {
  const groups = new Map<unknown, PlannedSource[]>();
  for (const s of planned) {
    const { url, values, name, format } = s.data as {
      url?: string;
      values?: unknown;
      name?: string;
      format?: unknown;
    };
    const key =
      url !== undefined
        ? `url ${url} ${JSON.stringify(format ?? null)}`
        : (values ?? (name !== undefined ? `name ${name}` : s.data));
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()].map((uses) => {
    const [first] = uses;
    const tables = [...new Set(uses.map((s) => s.table))];
    return {
      name: first.name,
      url: first.data.url,
      rows: Math.max(...uses.map((s) => s.table.length)),
      columns: columnKinds(first.table),
      bytes: tables.reduce((sum, t) => sum + tableBytes(t), 0),
      framed: uses.some((s) => !!s.partition),
      streamed: uses.some((s) => !!s.table.stream),
    };
  });
}

/** What a spec will render: frames, their values, size, data. */
export async function info(input: SpecInput, options: CompileOptions = {}): Promise<SpecInfo> {
  // As a render of the animation would read it (a large framed file a frame at a time).
  const plan = await compileWith(input, options, {});
  const renderer = await FrameRenderer.create(plan);
  try {
    const first = await renderer.render(0);
    return {
      frames: renderer.frameCount,
      dataFrames: plan.clock.values.length,
      seconds: playSeconds(plan),
      frameValues: plan.clock.values,
      frameLabels: frameLabels(plan.clock),
      width: first.width,
      height: first.height,
      sources: distinctSources(plan.planned),
      fastMarks: renderer.fastMarks,
      marks: marksWithItems(describeMarks(plan), renderer.sceneItems()),
      memory: memoryEstimate(plan, first.width, first.height),
      warnings: plan.warnings,
    };
  } finally {
    renderer.finalize();
  }
}
