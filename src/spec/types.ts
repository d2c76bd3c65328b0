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

/**
 * An easing curve from d3-ease, by name: `linear`, or a family with `-in`, `-out` or
 * `-in-out` (a bare family name is its `-in-out`, as in d3).
 */
export type EasingName =
  | 'linear'
  | 'quad'
  | 'quad-in'
  | 'quad-out'
  | 'quad-in-out'
  | 'cubic'
  | 'cubic-in'
  | 'cubic-out'
  | 'cubic-in-out'
  | 'poly'
  | 'poly-in'
  | 'poly-out'
  | 'poly-in-out'
  | 'sin'
  | 'sin-in'
  | 'sin-out'
  | 'sin-in-out'
  | 'exp'
  | 'exp-in'
  | 'exp-out'
  | 'exp-in-out'
  | 'circle'
  | 'circle-in'
  | 'circle-out'
  | 'circle-in-out'
  | 'elastic'
  | 'elastic-in'
  | 'elastic-out'
  | 'elastic-in-out'
  | 'back'
  | 'back-in'
  | 'back-out'
  | 'back-in-out'
  | 'bounce'
  | 'bounce-in'
  | 'bounce-out'
  | 'bounce-in-out';

/**
 * An easing per encoding channel (gganimate's `ease_aes`): the channels not named use
 * `default`. A field encoded by several channels follows the first one named here.
 */
export interface EasingByChannel {
  /** __Default value:__ `"linear"` */
  default?: EasingName;
  x?: EasingName;
  y?: EasingName;
  x2?: EasingName;
  y2?: EasingName;
  color?: EasingName;
  fill?: EasingName;
  stroke?: EasingName;
  size?: EasingName;
  opacity?: EasingName;
  fillOpacity?: EasingName;
  strokeOpacity?: EasingName;
  strokeWidth?: EasingName;
  angle?: EasingName;
  theta?: EasingName;
  radius?: EasingName;
  text?: EasingName;
}

/**
 * In-between frames from one data frame to the next. Rows are matched across frames by the
 * `key` channel (else by their order in each frame, with a warning); numbers, positions,
 * sizes, opacities and colours interpolate.
 */
export interface TweenParams {
  /**
   * In-between frames inserted between consecutive data frames.
   * @minimum 0
   * @maximum 1000
   */
  frames?: number;
  /**
   * Seconds each tween lasts (at `fps`): `round(duration × fps) − 1` in-between frames.
   * @minimum 0
   */
  duration?: number;
  /**
   * One easing for every channel, or one per channel.
   *
   * __Default value:__ `"linear"`
   */
  easing?: EasingName | EasingByChannel;
  /**
   * How the in-between frames are shared among the transitions. `"time"`: in proportion to
   * each gap between consecutive frame values (gganimate's `transition_time`), so a
   * 20-year gap takes four times as long as a 5-year step; the total stays what `frames`
   * or `duration` (per transition, on average) or the animation's `nframes` or `duration`
   * give. `"equal"`: the same number in every transition. Ordinal and nominal frames are
   * always spaced equally (`"time"` on them warns).
   *
   * __Default value:__ `"time"` for quantitative and temporal frames, else `"equal"`
   */
  spacing?: 'time' | 'equal';
  /**
   * Tween the last data frame back into the first (gganimate's `transition_states(wrap =
   * TRUE)`), so a looping animation has no jump. Ignored, with a warning, with `rewind`.
   *
   * __Default value:__ `false`
   */
  wrap?: boolean;
}

/**
 * How rows that exist on one side of a tween only come in (`enter`) or go out (`exit`):
 * `fade` (opacity from / to 0), `grow` (size from / to 0: a symbol's area, a text's font
 * size, a bar's or an area's length from its baseline, a tile about its centre), `fly`
 * (from / to below the plot; `fly-left`, `fly-right`, `fly-top`, `fly-bottom` name the
 * edge) or `none` (appear or vanish at the tween's midpoint).
 */
export type EnterExit =
  'none' | 'fade' | 'grow' | 'fly' | 'fly-left' | 'fly-right' | 'fly-top' | 'fly-bottom';

/** Earlier frames drawn faded behind the current one. */
export interface TrailParams {
  /**
   * `"wake"`: the previous `frames` output frames, fading with age (gganimate's
   * `shadow_wake`). `"all"`: every earlier data frame at `opacity` (`shadow_mark`).
   *
   * __Default value:__ `"wake"`
   */
  mode?: 'wake' | 'all';
  /**
   * How many earlier frames a wake shows.
   *
   * __Default value:__ `5`
   * @minimum 1
   * @maximum 100
   */
  frames?: number;
  /**
   * Opacity of the most recent copy (a wake fades from it towards 0).
   *
   * __Default value:__ `0.5`
   * @minimum 0
   * @maximum 1
   */
  opacity?: number;
  /**
   * The size a wake shrinks towards with age, as a fraction of the mark's own (symbol
   * area, font size, a bar's length; see `grow`): `0` shrinks it to nothing, as gganimate's
   * `shadow_wake`, `1` keeps every copy full size. A wake only.
   *
   * __Default value:__ `0`
   * @minimum 0
   * @maximum 1
   */
  size?: number;
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
  /** In-between frames from one data frame to the next, matched by the `key` channel. */
  tween?: TweenParams;
  /**
   * How rows that appear in the next data frame come in; a list combines effects.
   *
   * __Default value:__ `"none"`
   */
  enter?: EnterExit | EnterExit[];
  /**
   * How rows missing from the next data frame go out; a list combines effects.
   *
   * __Default value:__ `"none"`
   */
  exit?: EnterExit | EnterExit[];
  /** Earlier frames drawn faded behind the current one (gganimate's shadows). */
  trail?: TrailParams;
  /**
   * Draw lines and areas progressively along their x (gganimate's `transition_reveal`): every
   * frame shows the rows up to its value, and in tweens a series' newest point slides out
   * from its previous one.
   *
   * __Default value:__ `false`
   */
  reveal?: boolean;
  /**
   * Channels whose scales follow each frame's data instead of staying fixed (gganimate's
   * `view_follow`), e.g. `["x", "y"]`; tweens interpolate the domains too.
   */
  rescale?: string[];
  /**
   * Seconds each data frame is shown before the tween to the next starts.
   *
   * __Default value:__ one frame, `1 / fps`
   * @minimum 0
   */
  hold?: number;
  /**
   * Play forwards, then backwards to the start.
   *
   * __Default value:__ `false`
   */
  rewind?: boolean;
  /**
   * Total seconds of the animation: the engine fits the tweens into it (pauses and holds
   * included).
   * @exclusiveMinimum 0
   */
  duration?: number;
  /**
   * Total distinct output frames: the engine fits the tweens into it.
   * @minimum 1
   */
  nframes?: number;
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
  /**
   * GIF only: ordered (Bayer 8×8) dithering of colours the palette does not hold, each
   * drawn as a fixed pattern of its two nearest palette colours. Colours the palette holds
   * are never dithered, and the pattern is the same in every frame and every thread.
   *
   * __Default value:__ `false`
   */
  dither?: boolean;
  /**
   * MP4 and WebM only: the video's constant rate factor, lower is better and larger (the
   * CLI's `--crf` overrides it). Other outputs warn that they ignore it.
   *
   * __Default value:__ `18` for MP4 (H.264), `31` for WebM (VP9)
   * @asType integer
   * @minimum 0
   * @maximum 51
   */
  crf?: number;
}

/**
 * The top-level additions of a vega-frames spec. A whole spec is any Vega-Lite 6
 * top-level spec with these added at the top and `frame` allowed in any `encoding`.
 */
export interface AnimationSpec {
  /** How the frames play. */
  animation?: AnimationParams;
  /**
   * Font files text is drawn in, relative to the spec's folder (read as data files are:
   * nothing outside it unless allowed): TrueType or OpenType, registered by the family
   * their file names, so a figure's font renders the same on every machine.
   */
  fonts?: (string | FontFileParams)[];
}

/** One font file, and the family the spec names it by when not the file's own. */
export interface FontFileParams {
  /** The file (.ttf or .otf), relative to the spec's folder. */
  path: string;
  /** The family name text refers to it by (default: the file's own family name). */
  family?: string;
}

/**
 * A vega-frames spec as a plain JSON value. Vega-Lite's own parts are checked against
 * Vega-Lite's schema; this type only names what vega-frames adds.
 */
export type VegaFramesSpec = Record<string, unknown> & AnimationSpec;
