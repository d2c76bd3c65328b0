/** Messages between the main thread and render workers. */
import type { DrawingPlan } from '../render/drawing.js';
import type { PaletteColors } from '../encode/palette.js';
import type { ScanPart, ScanRequest } from '../data/frame-stream.js';

export interface WorkerInit {
  /** What every frame is drawn from, made once on the main thread (stage 6). */
  drawing: DrawingPlan;
  scale?: number;
  maxPixels?: number;
}

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  /** Every frame's size; with a palette, frames come back mapped to it (GIF). */
  | { type: 'setup'; width: number; height: number; palette?: PaletteColors }
  | { type: 'render'; id: number; frame: number; indexed: boolean }
  /** Scan part of a large framed CSV file (before the plan: the data is still loading). */
  | { type: 'scan'; id: number; request: ScanRequest };

export type FromWorker =
  | { type: 'ready'; scaleColors: string[]; background: string }
  /** Sent every second while the worker's thread returns to its event loop. */
  | { type: 'alive' }
  | {
      type: 'frame';
      id: number;
      width: number;
      height: number;
      rgba?: Uint8Array;
      indexed?: Uint8Array;
    }
  /** A scan's result: undefined when the part is no stream (or `message`, its failure). */
  | { type: 'scanned'; id: number; part?: ScanPart; message?: string }
  /**
   * `kind`: a LimitError, VegaRuntimeError or DataAccessError, rethrown as one on the main
   * thread; `internal`, a JavaScript error (a TypeError, RangeError, …), a fault of the
   * program that the command line asks to report.
   */
  | { type: 'error'; id?: number; message: string; kind?: ErrorKind };

export type ErrorKind = 'limit' | 'vega' | 'access' | 'internal';
