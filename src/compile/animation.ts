/** The `animation` block with its defaults resolved. */
import type { AnimationParams, EasingByChannel, EasingName, EnterExit } from '../spec/types.js';

export interface ResolvedTween {
  /** In-between frames per transition, when given directly. */
  frames?: number;
  /** Seconds per transition, when given. */
  duration?: number;
  easing?: EasingName | EasingByChannel;
  /** As written: undefined means time spacing where the frames are continuous. */
  spacing?: 'time' | 'equal';
  /** Whether the last data frame tweens back into the first (never with rewind). */
  wrap?: boolean;
}

export interface ResolvedTrail {
  mode: 'wake' | 'all';
  frames: number;
  opacity: number;
  /** A wake's size at the end of its length, as a fraction of the mark's own. */
  size: number;
}

export interface ResolvedAnimation {
  fps: number;
  loop: boolean | number;
  pauseStart: number;
  pauseEnd: number;
  background?: string;
  as: 'animation' | 'facet';
  columns?: number;
  tween?: ResolvedTween;
  enter: EnterExit[];
  exit: EnterExit[];
  trail?: ResolvedTrail;
  reveal: boolean;
  rescale: string[];
  /** Seconds each data frame is shown (at least one frame). */
  hold: number;
  rewind: boolean;
  duration?: number;
  nframes?: number;
  /** GIF: ordered dithering of colours the palette does not hold. */
  dither: boolean;
  /** MP4 and WebM: the constant rate factor, when the spec gives one. */
  crf?: number;
}

export const DEFAULT_FPS = 10;

const list = (v: EnterExit | EnterExit[] | undefined): EnterExit[] =>
  (Array.isArray(v) ? v : v ? [v] : []).filter((e) => e !== 'none');

export function resolveAnimation(a: AnimationParams | undefined): ResolvedAnimation {
  return {
    fps: a?.fps ?? DEFAULT_FPS,
    loop: a?.loop ?? true,
    pauseStart: a?.pause?.start ?? 0,
    pauseEnd: a?.pause?.end ?? 0,
    background: a?.background,
    as: a?.as ?? 'animation',
    columns: a?.columns,
    tween: a?.tween ? { ...a.tween } : undefined,
    enter: list(a?.enter),
    exit: list(a?.exit),
    trail: a?.trail
      ? {
          mode: a.trail.mode ?? 'wake',
          frames: a.trail.frames ?? 5,
          opacity: a.trail.opacity ?? 0.5,
          size: a.trail.size ?? 0,
        }
      : undefined,
    reveal: a?.reveal ?? false,
    rescale: a?.rescale ?? [],
    hold: a?.hold ?? 0,
    rewind: a?.rewind ?? false,
    duration: a?.duration,
    nframes: a?.nframes,
    dither: a?.dither ?? false,
    crf: a?.crf,
  };
}

/**
 * Whether the timeline has in-between frames to show a tween in: tween frames (> 0) or a
 * duration, or a total (`nframes`, `duration`) the engine fits in-betweens into.
 */
export function hasInBetweens(a: ResolvedAnimation): boolean {
  return (
    (a.tween?.frames ?? 0) > 0 ||
    a.tween?.duration !== undefined ||
    a.nframes !== undefined ||
    a.duration !== undefined
  );
}

/** Whether frames need more than swapping each data frame's rows in. */
export function hasMotion(a: ResolvedAnimation): boolean {
  return (
    a.tween !== undefined ||
    a.trail !== undefined ||
    a.reveal ||
    a.rescale.length > 0 ||
    a.nframes !== undefined ||
    a.duration !== undefined
  );
}
