/**
 * The extended spec's public types: a Vega-Lite 6 spec plus the `frame` encoding
 * channel and the top-level `animation` block. These types are the single source of
 * `schemas/vega-frames.schema.json` (scripts/build-schema.ts); keep them non-generic and
 * document defaults with `__Default value:__` so the schema carries them to editors.
 */

/** How a frame field's distinct values are ordered into frames. */
export type FrameSort = 'ascending' | 'descending' | null | (string | number | boolean)[];

/**
 * The `frame` encoding channel: one frame per distinct value of `field`, in sort order.
 * Vega-Lite 6's `time` channel is accepted as an alias with the same properties.
 */
export interface FrameFieldDef {
  /** The data field whose distinct values are the frames. */
  field: string;
  /**
   * The field's type. Quantitative and temporal frames are ordered numerically,
   * ordinal and nominal ones by `sort`.
   *
   * __Default value:__ `"ordinal"`
   */
  type?: 'quantitative' | 'temporal' | 'ordinal' | 'nominal';
  /**
   * The order of the frames: `"ascending"`, `"descending"`, `null` (order of first
   * appearance in the data) or an explicit array of values.
   *
   * __Default value:__ `"ascending"`
   */
  sort?: FrameSort;
  /**
   * A Vega-Lite time unit applied to a temporal field before taking its distinct values,
   * e.g. `"year"` or `"yearmonth"`.
   */
  timeUnit?: string;
  /**
   * Bin a quantitative field into frames: `true` for Vega-Lite's default binning,
   * or `{maxbins}` / `{step}`.
   */
  bin?: boolean | FrameBinParams;
  /**
   * When true, a frame shows every row whose frame value is at or before the
   * current one: lines that grow, layers that accumulate.
   *
   * __Default value:__ `false`
   */
  cumulative?: boolean;
  /** A title for the frame variable, used by the player and `info`. */
  title?: string;
}

export interface FrameBinParams {
  /** The maximum number of bins. @minimum 1 */
  maxbins?: number;
  /** An exact bin step. @exclusiveMinimum 0 */
  step?: number;
}

/** Seconds held on the first and last frame. */
export interface PauseParams {
  /**
   * Seconds the first frame is held before the animation moves.
   * __Default value:__ `0`
   * @minimum 0
   */
  start?: number;
  /**
   * Seconds the last frame is held before the animation loops or stops.
   * __Default value:__ `0`
   * @minimum 0
   */
  end?: number;
}

/** How the frames play: the top-level `animation` block. */
export interface AnimationParams {
  /**
   * Frames per second.
   * __Default value:__ `10`
   * @exclusiveMinimum 0
   * @maximum 100
   */
  fps?: number;
  /**
   * `true` loops forever, `false` plays once, a number plays that many times in all.
   *
   * __Default value:__ `true`
   * @minimum 1
   */
  loop?: boolean | number;
  /** Seconds held on the first and last frame. */
  pause?: PauseParams;
  /**
   * A CSS colour painted under every frame; it overrides the spec's `background`.
   * GIF has no partial transparency, so a transparent background is painted white.
   */
  background?: string;
  /**
   * `"facet"` renders the frames as static small multiples instead: one panel per frame,
   * titled with its frame value, on shared scales (PNG, SVG or PDF). The CLI's `--as`
   * overrides it.
   *
   * __Default value:__ `"animation"`
   */
  as?: 'animation' | 'facet';
  /**
   * Panels per row of the small multiples.
   *
   * __Default value:__ the ceiling of the square root of the panel count
   * @minimum 1
   */
  columns?: number;
}

/** The frame channel as it may appear inside any unit's `encoding`. */
export interface FrameEncoding {
  /** One frame per distinct value of this field; see `FrameFieldDef`. */
  frame?: FrameFieldDef;
  /** Vega-Lite 6's animation channel, accepted as an alias of `frame`. */
  time?: FrameFieldDef;
}

/**
 * The top-level additions of a vega-frames spec. A whole spec is any Vega-Lite 6
 * top-level spec with these added at the top and `frame` allowed in any `encoding`.
 */
export interface AnimationSpec {
  /** How the frames play. */
  animation?: AnimationParams;
}

/**
 * A vega-frames spec as a plain JSON value. Vega-Lite's own parts are checked against
 * Vega-Lite's schema; this type only names what vega-frames adds.
 */
export type VegaFramesSpec = Record<string, unknown> & AnimationSpec;
