/**
 * Where frames come from for an encoder: rendered in this thread, or by a pool of worker
 * threads. Both hand out frames in order, one at a time.
 */
import type { FramePlan } from '../data/plan.js';
import { FrameRenderer } from '../render/frame-renderer.js';
import type { DrawingPlan } from '../render/drawing.js';
import type { RasterFrame } from '../encode/sink.js';
import {
  type Palette,
  type PaletteColors,
  indexedFrame,
  paletteFromColors,
} from '../encode/palette.js';
import { RenderPool, type SpawnedWorkers, defaultWorkers } from '../pool/pool.js';

export interface FrameSupply {
  readonly scaleColors: string[];
  readonly background: string;
  /** Full-colour copies of these frames (palette samples). */
  samples(frames: number[]): Promise<RasterFrame[]>;
  /**
   * Fixes every frame's size (a frame whose layout differs is cropped or padded) and, for a
   * GIF, lets workers map frames to its palette themselves.
   */
  setup(width: number, height: number, palette?: PaletteColors): void;
  /**
   * The frames in order; each is valid until the next is requested. Frames in `rendered`
   * (by frame index, e.g. the palette samples) are handed out as they are, not rendered again.
   */
  frames(indices: number[], rendered?: Map<number, RasterFrame>): AsyncIterable<RasterFrame>;
  close(): Promise<void>;
}

export interface FrameSupplyOptions {
  scale?: number;
  noFastPath?: boolean;
  /** Render workers; 0 or 1 renders in this thread. Default: one per core (at most 4). */
  workers?: number;
  /** Most device pixels a frame may have. */
  maxPixels?: number;
  /** Seconds a render worker's frame may run without finishing (Limits.stallSeconds). */
  stallSeconds?: number;
}

/** Frame k in pixels of its own: kept past the renderer's next frame (palette samples). */
async function renderOwned(renderer: FrameRenderer, k: number): Promise<RasterFrame> {
  const f = await renderer.render(k);
  return { ...f, rgba: Uint8Array.from(f.rgba) };
}

class SingleThreadSupply implements FrameSupply {
  readonly scaleColors: string[];
  readonly background: string;

  constructor(private readonly renderer: FrameRenderer) {
    this.scaleColors = renderer.scaleColors();
    this.background = renderer.background();
  }

  async samples(frames: number[]): Promise<RasterFrame[]> {
    const out: RasterFrame[] = [];
    for (const k of frames) {
      out.push(await renderOwned(this.renderer, k));
    }
    return out;
  }

  setup(width: number, height: number): void {
    this.renderer.setFrameSize(width, height);
  }

  async *frames(
    indices: number[],
    rendered?: Map<number, RasterFrame>,
  ): AsyncIterable<RasterFrame> {
    for (const k of indices) yield rendered?.get(k) ?? (await this.renderer.render(k));
  }

  async close(): Promise<void> {
    this.renderer.finalize();
  }
}

/**
 * Bytes of frames this thread may render ahead of their turn while a worker is behind
 * (a worker's first frames run before its code is optimised, several times slower): with
 * room for only two frames this thread waits idle. Three 800×800 RGBA frames (8 MB) keep it
 * busy; more raise peak memory without speed. For a GIF they are held as palette indices, a
 * byte a pixel, so the same bytes hold twelve 800×800 frames, which keeps it busier still at
 * no cost in memory.
 */
const HELD_BYTES = 8 << 20;

/**
 * Frames rendered by this thread and worker threads together. Each worker keeps three frames
 * in flight, taken in order; whenever the next frame to hand out is still in a worker, this
 * thread renders the first frame nobody has taken (holding up to 8 MB of them) instead of waiting,
 * and until the workers have their View it renders every frame itself. The encoder's work
 * stays on this thread, so with one worker the worker renders about two frames in three.
 * Which thread renders a frame does not change its pixels (tested).
 *
 * Workers are fed after each frame rendered here too, not only when one is handed out, with
 * three frames in flight: fed only between hand-outs, with two in flight, a worker runs out
 * of frames before the next hand-out (LZW in WebAssembly keeps this thread quick) and waits.
 *
 * On 2 cores this thread and one worker render: two workers, with this thread only
 * encoding, are three busy threads on two cores, which cost more time and memory than the
 * encoder's idle time saves.
 */
class WorkerPoolSupply implements FrameSupply {
  // Read before any frame renders, as the workers do: what the scales report can change
  // once frames have run through them.
  readonly scaleColors: string[];
  readonly background: string;
  private pool: RenderPool | undefined;
  private poolError: unknown;
  private frameSetup: Parameters<RenderPool['setup']> | undefined;

  constructor(
    private readonly renderer: FrameRenderer,
    private readonly spawned: SpawnedWorkers,
    starting: Promise<RenderPool>,
  ) {
    this.scaleColors = renderer.scaleColors();
    this.background = renderer.background();
    this.ready = starting.then(
      (pool) => {
        this.pool = pool;
        if (this.frameSetup) pool.setup(...this.frameSetup);
      },
      (e) => {
        this.poolError = e;
      },
    );
  }

  private readonly ready: Promise<void>;

  /** The workers, once they have their View (a failure to start is thrown here). */
  private workers(): RenderPool | undefined {
    if (this.poolError) throw this.poolError;
    return this.pool;
  }

  async samples(frames: number[]): Promise<RasterFrame[]> {
    // This thread renders them in turn. One goes to a worker if one is ready by then; if it
    // has not come back when this thread is done with the others, this thread renders it
    // too rather than wait: a worker's first frame runs before its code is optimised, often
    // slower than two here, and still warms the worker up.
    let fromWorker: { index: number; frame: RasterFrame | undefined } | undefined;
    const out: (RasterFrame | undefined)[] = [];
    for (let i = 0; i < frames.length; i++) {
      const pool = i > 0 && !fromWorker ? this.workers() : undefined;
      if (pool) {
        const asked = { index: i, frame: undefined as RasterFrame | undefined };
        pool.render(frames[i], false).then(
          (f) => (asked.frame = f),
          () => undefined, // rendered here instead
        );
        fromWorker = asked;
        continue;
      }
      out[i] = await renderOwned(this.renderer, frames[i]);
      await new Promise((resolve) => setImmediate(resolve)); // let a ready worker say so
    }
    if (fromWorker) {
      const { index } = fromWorker;
      out[index] = fromWorker.frame ?? (await renderOwned(this.renderer, frames[index]));
    }
    return out as RasterFrame[];
  }

  setup(width: number, height: number, palette?: PaletteColors) {
    this.renderer.setFrameSize(width, height);
    this.frameSetup = [width, height, palette];
    this.pool?.setup(width, height, palette);
    // The same mapping as the workers' (and the encoder's): frames held ahead are kept as
    // palette indices, a quarter of their RGBA, so four times as many fit in HELD_BYTES.
    this.palette = palette && paletteFromColors(palette.colors, palette.background, palette.dither);
  }

  private palette: Palette | undefined;

  /** A frame rendered here ahead of its turn, palette-indexed when there is a palette. */
  private async renderAhead(frame: number): Promise<RasterFrame> {
    const f = await this.renderer.render(frame);
    return this.palette ? indexedFrame(this.palette, f) : f;
  }

  async *frames(
    indices: number[],
    rendered?: Map<number, RasterFrame>,
  ): AsyncIterable<RasterFrame> {
    const n = indices.length;
    let maxHeld = 2; // until a frame's size is known
    const inWorker = new Map<number, { frame: Promise<RasterFrame>; done: boolean }>();
    const held = new Map<number, RasterFrame>(); // rendered here ahead of their turn
    // Frames rendered before (by position), which nobody renders again.
    const given = new Map<number, RasterFrame>();
    indices.forEach((k, position) => {
      const frame = rendered?.get(k);
      if (frame) given.set(position, frame);
    });
    let taken = 0; // positions below it are given, held here or in a worker
    const skipGiven = () => {
      while (taken < n && given.has(taken)) taken++;
    };
    let inFlight = 0;
    const feedWorkers = () => {
      const pool = this.workers();
      if (!pool) return;
      for (skipGiven(); inFlight < pool.size * 3 && taken < n; skipGiven()) {
        const entry = { frame: pool.render(indices[taken], true), done: false };
        const settle = () => {
          entry.done = true;
          inFlight--;
        };
        entry.frame.then(settle, settle);
        inWorker.set(taken++, entry);
        inFlight++;
      }
    };
    try {
      for (let next = 0; next < n; next++) {
        feedWorkers();
        const before = given.get(next);
        if (before) {
          given.delete(next);
          yield before;
          continue;
        }
        const mine = held.get(next);
        if (mine) {
          held.delete(next);
          yield mine;
          continue;
        }
        const entry = inWorker.get(next);
        if (!entry) {
          // Nobody has it: the workers are not ready yet.
          taken = next + 1;
          yield await this.renderer.render(indices[next]);
          continue;
        }
        for (skipGiven(); !entry.done && held.size < maxHeld && taken < n; skipGiven()) {
          const position = taken++;
          const frame = await this.renderAhead(indices[position]);
          held.set(position, frame);
          const bytes = frame.indexed?.byteLength ?? frame.rgba.byteLength;
          maxHeld = Math.max(2, Math.floor(HELD_BYTES / bytes));
          await new Promise((resolve) => setImmediate(resolve)); // let finished frames arrive
          feedWorkers(); // and give a worker that finished its next frame at once
        }
        inWorker.delete(next);
        yield await entry.frame;
      }
    } finally {
      for (const e of inWorker.values()) e.frame.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.renderer.finalize();
    // Workers still building their View when this thread has finished are not waited for.
    await this.spawned.terminate();
    await this.ready;
  }
}

/**
 * Rendering work a worker must have to pay for its start (~0.3 s of CPU loading Vega and
 * building a View), in frames of a small chart, where 10,000 rows a frame count as one
 * more. On 2 cores the quick-start chart (40 frames of 2,000 points, 48 units) and
 * coin-flips (10 frames) render faster without one; a 10×20 heatmap with text over 100
 * frames (102 units) and 18 frames of 200,000 points (378 units) faster with one.
 */
const WORK_PER_WORKER = 64;

/** Whether this machine and these options allow render workers at all. */
export function mayUseWorkers(options: FrameSupplyOptions = {}): boolean {
  return (options.workers ?? defaultWorkers()) >= 2;
}

/** Worker threads to render these frames with, besides this thread. */
export function workersFor(
  plan: FramePlan,
  frameCount: number,
  options: FrameSupplyOptions = {},
): number {
  if (!mayUseWorkers(options)) return 0;
  // Asked for by number: as many as there are frames to share.
  if (options.workers !== undefined) return Math.min(options.workers - 1, frameCount - 1);
  const dataFrames = Math.max(1, plan.clock.values.length);
  const rowsPerFrame = plan.planned.reduce(
    (sum, s) => sum + (s.partition ? s.table.length / dataFrames : s.table.length),
    0,
  );
  const work = frameCount * (1 + rowsPerFrame / 10_000);
  return Math.min(defaultWorkers() - 1, Math.floor(work / WORK_PER_WORKER));
}

/**
 * Frames of a drawing plan: from this thread and `workers` render workers (reusing
 * `spawned`, started early so they load while the data is read), or from this thread alone.
 */
export async function openFrameSupply(
  drawing: DrawingPlan,
  workers: number,
  options: FrameSupplyOptions = {},
  spawned?: SpawnedWorkers,
): Promise<FrameSupply> {
  const rendererOptions = { scale: options.scale, maxPixels: options.maxPixels };
  if (workers === 0) {
    await spawned?.terminate();
    return new SingleThreadSupply(await FrameRenderer.create(drawing, rendererOptions));
  }
  const threads = spawned ?? RenderPool.spawn(workers, options.stallSeconds);
  await threads.resize(workers);
  const starting = threads.start({ drawing, ...rendererOptions });
  try {
    return new WorkerPoolSupply(
      await FrameRenderer.create(drawing, rendererOptions),
      threads,
      starting,
    );
  } catch (e) {
    await threads.terminate();
    await starting.catch(() => undefined);
    throw e;
  }
}
