/**
 * What a caller of the pipeline may ask: the options of `compile`, `render` and `info`, and
 * what a render returns.
 */
import type { VegaFramesSpec } from '../spec/types.js';
import type { Limits } from '../spec/limits.js';
import type { ScanPart, ScanRequest } from '../data/frame-stream.js';
import type { OutputFormat } from './formats.js';

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
  /**
   * A vega-themes theme (`dark`, `excel`, `ggplot2`, …; see THEME_NAMES): its config goes
   * under the spec's own. Overrides the spec's `usermeta.embedOptions.theme` (Altair's).
   */
  theme?: string;
  /** A Vega-Lite config object merged over the theme and under the spec's own `config`. */
  config?: Record<string, unknown>;
  /** Folders whose .ttf/.otf files are registered besides the spec's `fonts:`. */
  fontDirs?: string[];
  /**
   * The whole figure's width and height in chart pixels, 1/72 in each (the command's
   * `--width 3.5in` is 252): the chart is laid out to fill it, text keeping its point size;
   * `scale` (ppi / 72) then gives the device pixels. A single or layered view.
   */
  width?: number;
  height?: number;
}

/**
 * How a render of an animation reads large framed files (data/frame-stream.ts): a frame at
 * a time, never for the API's `compile` (whose plan may be read in any order, as the HTML
 * player and small multiples do). `scanInWorker` scans half of a large file in a render worker.
 */
export interface FrameStreaming {
  scanInWorker?: (part: ScanRequest) => Promise<ScanPart | undefined>;
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
  /** Video quality, lower is better; overrides `animation.crf` (H.264 default 18, VP9 31). */
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
  /**
   * Stills and small multiples: the figure as laid out is scaled to this width in chart
   * pixels (1/72 in; a 3.5 in journal column is 252): × `scale` device pixels in a PNG,
   * points in a PDF.
   */
  fitWidth?: number;
  /** The HTML player: whether it starts playing once loaded. Default true. */
  autoplay?: boolean;
  /**
   * The HTML player as a fragment: one `<div>` holding the player (its libraries, data and
   * script) to put in a page of one's own or a notebook's output, not a whole page.
   */
  fragment?: boolean;
}

export type SpecInput = string | VegaFramesSpec;

export interface RenderResult {
  frames: number;
  width: number;
  height: number;
  warnings: string[];
}
