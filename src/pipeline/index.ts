/**
 * The pipeline: the one place that runs the stages, in order. Every stage reads what the
 * stages before it made and never calls back up (the lint's import boundaries enforce it):
 *
 *   spec file or object
 *    │ 1 load      spec/load          text → spec, each node's line:col kept for messages
 *    │ 2 check     spec/validate      the JSON Schema; compile/bounds: the spec's own numbers
 *    │ 3 compile   compile/           spec → CompiledSpec: one Vega spec, the sources to read
 *    │ 4 read      data/load          sources → column tables (a large framed CSV: a frame
 *    │                                at a time), checked against the spec (data/bounds,
 *    │                                data/field-check)
 *    │ 5 plan      data/plan          tables → FramePlan: frame clock, partitions, timeline
 *    ▼
 *   one output, each a file here:
 *      animation.ts       GIF, APNG, MP4, WebM, PNG frames   6 scales → 7 render → 8 encode
 *      still.ts           one frame as PNG, SVG or PDF       6 → 7 → 8
 *      small-multiples.ts the frames as one still figure     3 and 5 again (faceted) → 6 → 7 → 8
 *      player.ts          the HTML player                    6 → the page
 *      info.ts            what a spec will render            6 → 7 (its first frame)
 *
 *    6 scales    render/drawing     domains fixed over every frame → DrawingPlan
 *    7 render    render/, pool/     frames → RGBA, in this thread and render workers
 *    8 encode    encode/            RGBA → the file, by the writer formats.ts names
 *
 * Plans are values: once a stage returns one, nothing changes it; a later stage that needs
 * another (the fps an option sets, frame columns no mark reads) makes a new one.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type LoadedSpec, loadSpecFile, loadedSpecOf } from '../spec/load.js';
import { isValidInWorker, validateOrThrow } from '../spec/validate.js';
import type { VegaFramesSpec } from '../spec/types.js';
import { OptionError, formatJsonPath } from '../spec/errors.js';
import { checkLimit, resolveLimits } from '../spec/limits.js';
import { type CompiledSpec, compileSpec, dataDomainFields } from '../compile/index.js';
import { type FontEntry, fontWarnings, readFonts } from '../data/fonts.js';
import { styleOf } from './style.js';
import { CompileError, createMessages, locateCompileError } from '../compile/messages.js';
import { checkChartSize, specBoundViolations } from '../compile/bounds.js';
import {
  STREAM_MIN_BYTES,
  columnsNamedIn,
  specTextForColumns,
  streamable,
} from '../compile/reads.js';
import { type DataAccess, resolveLocalUrl } from '../data/access.js';
import { loadDataSource, streamDataSource } from '../data/load.js';
import { narrowColumns } from '../data/table.js';
import { checkDataBounds, checkValueLengths } from '../data/bounds.js';
import { checkDataFields } from '../data/field-check.js';
import { type FramePlan, planFromTables } from '../data/plan.js';
import { outputBudget } from '../encode/atomic.js';
import { RenderPool } from '../pool/pool.js';
import { mayUseWorkers } from './frame-supply.js';
import { formatFromPath, isAnimated } from './formats.js';
import { assertNotInputOf } from './input-files.js';
import { writeAnimation } from './animation.js';
import { writeStill } from './still.js';
import { writeSmallMultiples } from './small-multiples.js';
import { playerOptionsIgnored, writePlayer } from './player.js';
import type {
  CompileOptions,
  FrameStreaming,
  RenderOptions,
  RenderResult,
  SpecInput,
} from './options.js';
import { pipelineMessage } from './messages.js';
import { describeMarks, ignoredSmooth } from '../render/mark-report.js';

/** Options that change the plan itself: the render's fps and background, its scale. */
export type PlanOptions = CompileOptions & Pick<RenderOptions, 'fps' | 'background' | 'scale'>;

/** 1. load: the spec and where it came from (relative data URLs resolve in its folder). */
export async function readSpec(
  input: SpecInput,
): Promise<{ spec: VegaFramesSpec; loaded?: LoadedSpec; dir: string }> {
  if (typeof input === 'string') {
    const loaded = await loadSpecFile(input);
    return { spec: loaded.spec as VegaFramesSpec, loaded, dir: path.dirname(path.resolve(input)) };
  }
  return { spec: input, loaded: loadedSpecOf(input), dir: process.cwd() };
}

/**
 * Stages 1–5: a spec (a path or an object) to its frame plan. With `streaming`, a large
 * framed file is read a frame at a time (an animation's render; never a plan read in any
 * order, as the player and small multiples read it).
 */
export async function planSpec(
  input: SpecInput,
  options: PlanOptions = {},
  streaming?: FrameStreaming,
): Promise<{ spec: VegaFramesSpec; plan: FramePlan }> {
  const { spec, loaded, dir } = await readSpec(input);
  try {
    return { spec, plan: await checkedPlan(spec, loaded, dir, options, streaming) };
  } catch (e) {
    throw locateCompileError(e, loaded);
  }
}

/** 2. check the schema, around stages 3–5: in a thread of its own for large data. */
async function checkedPlan(
  spec: VegaFramesSpec,
  loaded: LoadedSpec | undefined,
  dir: string,
  options: PlanOptions,
  streaming?: FrameStreaming,
): Promise<FramePlan> {
  if (options.skipValidation) return planValid(spec, dir, options, streaming, loaded);
  if (!options.validateInWorker || (await topDataBytes(spec, dir, options)) < BIG_DATA_BYTES) {
    validateOrThrow(spec, loaded);
    return planValid(spec, dir, options, streaming, loaded);
  }
  // The schema check runs in its own thread while the data loads; its verdict comes first,
  // so a spec that is not valid still gets its spec errors, whatever else failed.
  const check = isValidInWorker(spec);
  let plan: FramePlan;
  try {
    plan = await planValid(spec, dir, options, streaming, loaded);
  } catch (e) {
    validateOrThrow(spec, loaded, await check.verdict());
    throw e;
  }
  // Data read before the verdict is in (a thread takes ~0.1 s to start): the check runs
  // here rather than wait.
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
  options: PlanOptions,
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

/** Stages 2 (the spec's numbers) to 5, for a spec that passes the schema. */
async function planValid(
  spec: VegaFramesSpec,
  dir: string,
  options: PlanOptions,
  streaming?: FrameStreaming,
  loaded?: LoadedSpec,
): Promise<FramePlan> {
  const limits = resolveLimits(options.limits);
  // 2. What the spec's own numbers ask of Vega, before any data is read or Vega runs.
  const [violation] = specBoundViolations(spec, limits);
  if (violation) throw new CompileError(violation.message, formatJsonPath(violation.path));
  checkChartSize(spec, options.scale ?? 1, limits);
  const keep = columnsNamedIn(specTextForColumns(spec));

  // 3. compile. Warnings at a JSON path name its line and column too.
  const log = createMessages(loaded);
  const compiled = withRenderOptions(compileSpec(spec, log, styleOf(options)), options);

  // 4. read.
  const access: DataAccess = {
    baseDir: path.resolve(options.baseDir ?? dir),
    allowRead: options.allowRead?.map((d) => path.resolve(d)),
    maxFileBytes: limits.maxFileBytes,
    maxImagePixels: limits.maxPixels,
    maxColumnBytes: limits.maxMemoryBytes,
  };
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
              streaming.scanInWorker,
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

  // The spec's fonts, and each family it names that no registered font has.
  const fonts = await readFonts((spec.fonts ?? []) as FontEntry[], access, options.fontDirs);
  for (const warning of fontWarnings(compiled.vega, fonts)) log.warn(warning);

  // 5. plan.
  return { ...planFromTables(compiled, tables, log, limits.maxFrames), access, fonts };
}

/** The compiled spec with the fps and background a render's options set. */
function withRenderOptions(compiled: CompiledSpec, options: PlanOptions): CompiledSpec {
  const { fps, background } = options;
  if ((fps === undefined || fps === compiled.animation.fps) && !background) return compiled;
  return {
    ...compiled,
    // Holds, tween durations and total durations are in seconds: the timeline fits this fps.
    animation: {
      ...compiled.animation,
      ...(fps !== undefined ? { fps } : {}),
      ...(background ? { background } : {}),
    },
    // What the View paints.
    vega: background ? { ...compiled.vega, background } : compiled.vega,
  };
}

/**
 * Renders a spec to a file: stages 1–5 here, then the output its format and options name.
 * The format follows the extension (see `formatFromPath`) unless `options.format` says
 * otherwise.
 */
export async function renderToFile(
  input: SpecInput,
  outPath: string,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const limits = resolveLimits(options.limits);
  // Every file this render writes counts against one budget.
  return outputBudget.run({ limit: limits.maxOutputBytes, written: 0 }, async () => {
    const startedAt = Date.now();
    const format = options.format ?? formatFromPath(outPath);
    if (options.as === 'facet' && isAnimated(format)) {
      throw new OptionError(pipelineMessage.facetIsStill(format));
    }
    if (options.fitWidth !== undefined && (isAnimated(format) || format === 'html'))
      throw new OptionError(pipelineMessage.fitWidthIsStill(format));
    if (options.fitWidth !== undefined && !(options.fitWidth > 0))
      throw new OptionError(pipelineMessage.figureSize('fit width', options.fitWidth));
    if (options.crf !== undefined && format === 'mp4' && options.crf > 51)
      throw new OptionError(pipelineMessage.crfOverH264(options.crf));
    // An animation's render workers start now: one loads Vega on the core this thread
    // leaves idle while it reads the data (the rest start once the frame count says workers
    // pay); it also scans half of a large framed file.
    const animated = isAnimated(format);
    const workers =
      animated && mayUseWorkers(options) ? RenderPool.spawn(1, limits.stallSeconds) : undefined;
    try {
      const streaming: FrameStreaming | undefined = animated
        ? { scanInWorker: workers && ((part) => workers.scan(part)) }
        : undefined;
      const { spec, plan } = await planSpec(input, options, streaming);
      await assertNotInputOf(outPath, input, plan);
      // A GIF's option and a video's: any other output says it ignores them, a spec
      // property at its place.
      const formatIgnored: string[] = [];
      const video = format === 'mp4' || format === 'webm';
      const ditherIgnored = plan.animation.dither && format !== 'gif';
      const crfIgnored = plan.animation.crf !== undefined && !video;
      // Cells are drawn as one image only in raster output of the chart itself.
      const facet = (options.as ?? plan.animation.as) === 'facet';
      const smoothIgnored = plan.units.some((u) => u.smooth !== undefined)
        ? ignoredSmooth(
            describeMarks(plan),
            options.noFastPath
              ? '--no-fast-path draws every mark with Vega'
              : format === 'svg' || format === 'pdf' || format === 'html'
                ? `${format} output draws the rects as Vega does`
                : facet
                  ? 'small multiples draw the rects as Vega does'
                  : undefined,
          )
        : [];
      if (ditherIgnored || crfIgnored || smoothIgnored.length) {
        const log = createMessages(loadedSpecOf(spec));
        if (ditherIgnored) log.warn(pipelineMessage.ditherGifOnly(format), '$.animation.dither');
        if (crfIgnored)
          log.warn(pipelineMessage.crfVideoOnly('animation.crf', format), '$.animation.crf');
        for (const { path: at, why } of smoothIgnored)
          log.warn(pipelineMessage.smoothIgnored(why), at);
        formatIgnored.push(...log.warnings);
      }
      if (options.crf !== undefined && !video)
        formatIgnored.push(pipelineMessage.crfVideoOnly('--crf', format));
      if (format === 'html') {
        const page = await writePlayer(plan, outPath, options);
        return { ...page, warnings: [...page.warnings, ...formatIgnored] };
      }
      const result = await (isAnimated(format)
        ? writeAnimation(plan, outPath, format, options, startedAt, workers)
        : (options.as ?? plan.animation.as) === 'facet'
          ? writeSmallMultiples(spec, plan, outPath, format, options)
          : writeStill(plan, outPath, format, options));
      // A PDF is drawn in points: pixels per point change nothing in it.
      const scaleIgnored =
        format === 'pdf' && options.scale !== undefined && options.scale !== 1
          ? [pipelineMessage.pdfIgnoresScale(options.ppi !== undefined ? '--ppi' : '--scale')]
          : [];
      const ignored = [...playerOptionsIgnored(options, format), ...formatIgnored, ...scaleIgnored];
      return ignored.length ? { ...result, warnings: [...result.warnings, ...ignored] } : result;
    } finally {
      await workers?.terminate(); // a no-op once the pool has closed them; vital on errors
    }
  });
}
