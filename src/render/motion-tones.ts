/**
 * What an animation draws between the frames a GIF's palette is sampled from: the opacities
 * its fades and trails draw marks at, and the fractions its tweens mix two colours at, as
 * tween.ts draws them. The palette holds the colours these make (each colour of the chart
 * over the background at each opacity, each pair of colours at each fraction), which no
 * data frame shows.
 */
import { type ColorMix, channelEasing } from '../compile/index.js';
import type { FramePlan } from '../data/plan.js';

export interface MotionTones {
  /** Opacities in (0, 1), ascending, distinct at 1/255. */
  opacities: number[];
  /** Fractions in (0, 1) of the way from one colour to another, ascending, distinct at 1/255. */
  mixes: number[];
}

/** At most this many of each: beyond, evenly chosen ones (a palette holds 256 colours). */
const MOST = 48;

/** Copies of one mark a trail stacks (stationary marks of `trail: all`), counted as seen. */
const MOST_STACKED = 8;

export function motionTones(plan: FramePlan, colorMixes: readonly ColorMix[]): MotionTones {
  const a = plan.animation;
  const fractions = new Set<number>();
  for (const f of plan.timeline) if (f.from !== f.to && f.t > 0) fractions.add(f.t);
  const ts = [...fractions];
  const ease = channelEasing(a.tween?.easing, undefined);
  const opacities: number[] = [];
  // Rows entering fade in over a tween, rows leaving fade out (tween.ts, `effects`).
  if (a.enter.includes('fade')) for (const t of ts) opacities.push(ease(t));
  if (a.exit.includes('fade')) for (const t of ts) opacities.push(1 - ease(t));
  const trail = a.trail;
  if (trail) {
    const copies =
      trail.mode === 'all'
        ? [trail.opacity]
        : Array.from({ length: trail.frames }, (_, j) => (trail.opacity * (j + 1)) / trail.frames);
    const faded = [...opacities];
    for (const c of copies) {
      opacities.push(c);
      // A trail copy of a fading row.
      for (const o of faded) opacities.push(c * o);
    }
    // Copies over one another: a wake's newest k copies, or k copies of a still mark.
    if (trail.mode === 'all')
      for (let k = 2; k <= MOST_STACKED; k++) opacities.push(1 - (1 - trail.opacity) ** k);
    else
      for (let from = 0; from < copies.length; from++) {
        let clear = 1;
        for (let k = from; k < copies.length; k++) {
          clear *= 1 - copies[k];
          if (k > from) opacities.push(1 - clear);
        }
      }
  }
  const mixes: number[] = [];
  if (colorMixes.length > 0) {
    const easing = a.tween?.easing;
    const easings = new Set([ease, channelEasing(easing, 'color'), channelEasing(easing, 'fill')]);
    for (const e of easings) for (const t of ts) mixes.push(e(t));
  }
  return { opacities: spread(opacities), mixes: spread(mixes) };
}

/** Distinct values strictly inside (0, 1) at 1/255, ascending, at most MOST of them. */
function spread(values: number[]): number[] {
  const levels = [...new Set(values.map((v) => Math.round(v * 255)))]
    .filter((v) => v > 0 && v < 255)
    .sort((x, y) => x - y);
  const kept =
    levels.length <= MOST
      ? levels
      : Array.from(
          { length: MOST },
          (_, i) => levels[Math.round((i * (levels.length - 1)) / (MOST - 1))],
        );
  return kept.map((v) => v / 255);
}
