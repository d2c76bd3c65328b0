/**
 * Renders frames in worker threads (both cores) and hands them back in order, with a
 * bounded number in flight so memory stays a few frames, not the animation.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../support/start-worker.js';
import type { FramePlan } from '../data/plan.js';
import type { PaletteColors } from '../encode/palette.js';
import type { RasterFrame } from '../encode/sink.js';
import type { ErrorKind, FromWorker, ToWorker, WorkerInit } from './messages.js';
import type { ScanPart, ScanRequest } from '../data/frame-stream.js';
import { DEFAULT_LIMITS, LimitError, stallMessage } from '../spec/limits.js';
import { DataAccessError } from '../data/access.js';
import { VegaRuntimeError } from '../render/view.js';

/** Default worker count: one per core, at most 4 (each holds a Vega View and a canvas). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Pending {
  resolve: (f: RasterFrame) => void;
  reject: (e: Error) => void;
}

class RenderWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  readonly ready: Promise<{ scaleColors: string[]; background: string }>;
  private lastAlive = Date.now();

  constructor(
    readonly worker: Worker,
    stallSeconds: number,
  ) {
    // A worker stuck in one evaluation (an expression over millions of rows) never answers:
    // past the stall limit it is stopped, and its frames fail with a sentence.
    const watchdog = setInterval(() => {
      if (this.pending.size === 0 || Date.now() - this.lastAlive < stallSeconds * 1000) return;
      clearInterval(watchdog);
      const e = new LimitError(stallMessage(stallSeconds, "a frame's evaluation"));
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      void worker.terminate();
    }, 250);
    watchdog.unref();
    worker.on('exit', () => clearInterval(watchdog));
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        this.lastAlive = Date.now();
        if (msg.type === 'alive') return;
        if (msg.type === 'scanned') {
          const scan = this.scans.get(msg.id);
          this.scans.delete(msg.id);
          if (msg.message !== undefined) scan?.reject(new Error(msg.message));
          else scan?.resolve(msg.part);
          return;
        }
        if (msg.type === 'ready')
          return resolve({ scaleColors: msg.scaleColors, background: msg.background });
        const failure = (m: { message: string; kind?: ErrorKind }) =>
          m.kind === 'limit'
            ? new LimitError(m.message)
            : m.kind === 'vega'
              ? new VegaRuntimeError(m.message)
              : m.kind === 'access'
                ? new DataAccessError(m.message)
                : m.kind === 'internal'
                  ? // Whichever JavaScript error it was: the class says only that it is one.
                    new TypeError(m.message)
                  : new Error(m.message);
        if (msg.type === 'error' && msg.id === undefined) return reject(failure(msg));
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        if (msg.type === 'error') p.reject(failure(msg));
        else
          p.resolve({
            width: msg.width,
            height: msg.height,
            rgba: msg.rgba ?? new Uint8Array(0),
            indexed: msg.indexed,
          });
      });
      const fail = (e: Error) => {
        reject(e);
        for (const p of [...this.pending.values(), ...this.scans.values()]) p.reject(e);
        this.pending.clear();
        this.scans.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a render worker exited (code ${code})`)));
    });
    // Awaited in start(); a failure while the data still loads must not go unhandled.
    this.ready.catch(() => undefined);
  }

  send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private readonly scans = new Map<
    number,
    { resolve: (p: ScanPart | undefined) => void; reject: (e: Error) => void }
  >();

  /** Scans part of a file in the worker (see data/frame-stream.ts). */
  scan(request: ScanRequest): Promise<ScanPart | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.scans.set(id, { resolve, reject });
      this.send({ type: 'scan', id, request });
    });
  }

  render(frame: number, indexed: boolean): Promise<RasterFrame> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.lastAlive = Date.now();
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'render', id, frame, indexed });
    });
  }
}

/**
 * A render worker's young generation, in MiB. V8's default lets each worker's new space grow
 * to tens of MiB of short-lived garbage (a frame's rows, scenegraph items); capped, the
 * garbage is collected sooner, which lowers peak memory and costs no time.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

function createWorker(): Worker {
  return startWorker(import.meta.url, './worker-main', {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

/** A plan without what workers do not need (inline rows are already in the tables). */
function slimPlan(plan: FramePlan): FramePlan {
  return {
    ...plan,
    sources: plan.sources.map((s) => ({ ...s, data: { url: s.data.url } })),
    planned: plan.planned.map((s) => ({ ...s, data: { url: s.data.url } })),
  };
}

/** Workers that are loading but have no plan yet. */
export class SpawnedWorkers {
  constructor(
    private workers: RenderWorker[],
    private readonly stallSeconds: number,
  ) {}

  /** Starts or stops workers so that `size` are loading. */
  async resize(size: number): Promise<void> {
    while (this.workers.length < size)
      this.workers.push(new RenderWorker(createWorker(), this.stallSeconds));
    const extra = this.workers.splice(size);
    await Promise.all(extra.map((w) => w.worker.terminate()));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Scans part of a file in the first worker, while the data loads (no worker: none). */
  async scan(request: ScanRequest): Promise<ScanPart | undefined> {
    return this.workers[0]?.scan(request);
  }

  /** Sends the plan to every worker and waits until each has its View. */
  async start(init: WorkerInit): Promise<RenderPool> {
    const data: WorkerInit = {
      ...init,
      drawing: { ...init.drawing, plan: slimPlan(init.drawing.plan) },
    };
    for (const w of this.workers) w.send({ type: 'init', init: data });
    try {
      await Promise.all(this.workers.map((w) => w.ready));
      return new RenderPool(this.workers);
    } catch (e) {
      await this.terminate();
      throw e;
    }
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

export class RenderPool {
  constructor(private readonly workers: RenderWorker[]) {}

  /** Starts `size` workers: they load their modules now, and get a plan from `start`. */
  static spawn(size: number, stallSeconds = DEFAULT_LIMITS.stallSeconds): SpawnedWorkers {
    return new SpawnedWorkers(
      Array.from({ length: size }, () => new RenderWorker(createWorker(), stallSeconds)),
      stallSeconds,
    );
  }

  private turn = 0;

  get size(): number {
    return this.workers.length;
  }

  /** One frame, from the workers in turn (palette-indexed if `indexed` and set up). */
  render(frame: number, indexed: boolean): Promise<RasterFrame> {
    return this.workers[this.turn++ % this.workers.length].render(frame, indexed);
  }

  /** Every frame's size (the first frame's) and, for a GIF, its palette, for every worker. */
  setup(width: number, height: number, palette?: PaletteColors): void {
    for (const w of this.workers) w.send({ type: 'setup', width, height, palette });
  }
}
