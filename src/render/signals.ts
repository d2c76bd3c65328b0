/** The values of the frame params for a data frame, or for an output frame of the timeline. */
import type { FramePlan } from '../data/plan.js';
import type { FrameClock } from '../data/partition.js';
import { FRAME_TEXT } from '../compile/index.js';

/** The params for data frame k. */
export function frameSignals(plan: Pick<FramePlan, 'clock'>, k: number): Record<string, unknown> {
  const count = plan.clock.values.length;
  const value = plan.clock.values[k];
  return {
    frame: value,
    frame_index: k,
    frame_count: count,
    progress: count > 1 ? k / (count - 1) : 1,
    previous_frame: value,
    next_frame: value,
    [FRAME_TEXT]: String(value),
  };
}

const decimalsByClock = new WeakMap<FrameClock, number>();

/** The most decimals any numeric frame value is written with (at most 12). */
export function frameDecimals(clock: FrameClock): number {
  let d = decimalsByClock.get(clock);
  if (d === undefined) {
    d = 0;
    for (const v of clock.values) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      // The shortest text that reads back as v: "1952", "0.25", "1.5e-7".
      const [mantissa, exponent = '0'] = String(v).split('e');
      const fraction = mantissa.split('.')[1]?.length ?? 0;
      d = Math.max(d, Math.min(12, fraction - Number(exponent)));
    }
    decimalsByClock.set(clock, d);
  }
  return d;
}

/**
 * The params for output frame i. In a tween, `frame` is interpolated for quantitative and
 * temporal frames (gganimate's `frame_time`) and the closest data frame's value otherwise
 * (`closest_state`); `frame_index` is the closest data frame; `progress` moves smoothly;
 * `previous_frame` and `next_frame` are the values it tweens from and to (gganimate's
 * `previous_state`, `next_state`), both the frame's own value at a data frame.
 */
export function outputFrameSignals(
  plan: Pick<FramePlan, 'clock' | 'timeline'>,
  i: number,
): Record<string, unknown> {
  const f = plan.timeline[i];
  if (f.t === 0) return frameSignals(plan, f.from);
  const { values, continuous } = plan.clock;
  const count = values.length;
  const [a, b] = [values[f.from], values[f.to]];
  const closest = f.t < 0.5 ? f.from : f.to;
  const frame =
    continuous && typeof a === 'number' && typeof b === 'number'
      ? a + (b - a) * f.t
      : values[closest];
  const position = f.from + (f.to - f.from) * f.t;
  return {
    frame,
    frame_index: closest,
    frame_count: count,
    progress: count > 1 ? position / (count - 1) : 1,
    previous_frame: a,
    next_frame: b,
    // `{frame}` without a format: the data's precision, not the float's ("1953.67" → "1954").
    [FRAME_TEXT]:
      typeof frame === 'number' && frame !== a
        ? String(+frame.toFixed(frameDecimals(plan.clock)))
        : String(frame),
  };
}
