/**
 * The raster frame type shared by every encoder, and the streaming sink interface they implement.
 * encode/ knows nothing about Vega: it only ever sees straight RGBA pixels.
 */

export interface RasterFrame {
  width: number;
  height: number;
  /** Straight (non-premultiplied) RGBA, row-major, 4 bytes per pixel. */
  rgba: Uint8Array | Uint8ClampedArray;
  /**
   * The same pixels already mapped to the GIF's palette (one index per pixel), when a render
   * worker did the mapping; the encoder then skips it and `rgba` may be empty.
   */
  indexed?: Uint8Array;
}

/**
 * Streaming encoder: frames arrive in order, one at a time, and the encoder never holds more than
 * the current frame's pixels. `finish()` makes the output visible; `abort()` leaves no trace.
 */
export interface FrameSink {
  write(frame: RasterFrame, index: number): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * What a render tells an animated format's writer. Timing is given for the selection and
 * for the whole animation it is a slice of (see `wholeAnimation` in pipeline/animation.ts),
 * so that slices rendered apart and joined give exactly one render of the whole.
 */
export interface AnimationJob {
  /** The frames `sampleFrames` asked for, rendered, in its order. */
  samples: RasterFrame[];
  fps: number;
  /** `animation.loop`: true (forever), false (once) or a number of plays. */
  loop: boolean | number;
  /** Frames this output holds. */
  frameCount: number;
  /** Extra seconds each of them is held (holds and pauses). */
  extraSeconds: number[];
  /** The selection's first frame in the whole animation, and the whole's frames. */
  startFrame: number;
  wholeFrameCount: number;
  /** Extra seconds of the whole's frames before the selection (for constant-rate video). */
  extraSecondsBefore: number[];
  /** Metadata: the title (if any) and the software. */
  title?: string;
  software: string;
  /** The resolution PNG output records, in pixels per inch. */
  ppi?: number;
  /** Video quality (lower is better). */
  crf?: number;
  /** Colour under transparent pixels where the format has no alpha. */
  background: [number, number, number];
  /** The colour scales' colours: a GIF's palette holds them exactly when it can. */
  scaleColors: [number, number, number][];
  /**
   * What the animation draws between the frames `sampleFrames` asked for: the opacities its
   * fades and trails draw marks at, and the fractions its tweens mix two colours at. A
   * GIF's palette holds the colours these make from the chart's colours, which no sampled
   * frame shows (a fade's shades). Computed from the timeline, so it costs no rendering.
   */
  between?: { opacities: number[]; mixes: number[] };
  /** `animation.dither`: a GIF dithers colours its palette does not hold. */
  dither?: boolean;
}

/** An opened animated output: its sink, and the palette frames are mapped to, if any. */
export interface OpenedAnimation {
  sink: FrameSink;
  width: number;
  height: number;
  palette?: {
    colors: [number, number, number][];
    background: [number, number, number];
    /** Frames are mapped with ordered dithering (the same in every thread). */
    dither?: boolean;
  };
}

/**
 * One animated output format. The render renders the frames `sampleFrames` names first (a
 * GIF picks its palette from them; every format takes its size from the first), then
 * writes every frame in order to the sink `open` returns.
 */
export interface AnimationWriter {
  sampleFrames(wholeFrames: readonly number[]): number[];
  open(outPath: string, job: AnimationJob): Promise<OpenedAnimation>;
}
