/**
 * `info`: what a spec will render, without rendering it: its frames and their values, its
 * size (its first frame rendered), its data sources, how each mark is drawn, and a memory
 * estimate.
 */
import type { ColumnTable } from '../data/table.js';
import { tableBytes } from '../data/table.js';
import { type PlannedSource, frameLabels } from '../data/partition.js';
import type { FramePlan } from '../data/plan.js';
import { planDrawing } from '../render/drawing.js';
import { FrameRenderer } from '../render/frame-renderer.js';
import { type MarkInfo, describeMarks } from '../render/mark-report.js';
import { workersFor } from './frame-supply.js';
import { planSpec } from './index.js';
import type { CompileOptions, SpecInput } from './options.js';

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
   * worker for Vega and its heap, 130 MiB for the main thread); within ~5% on the three
   * bench workloads.
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
  // 1–5, as a render of the animation reads it (a large framed file a frame at a time).
  const { plan } = await planSpec(input, options, {});
  // 6, 7: its first frame, for the size and the items each mark draws.
  const renderer = await FrameRenderer.create(await planDrawing(plan));
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
