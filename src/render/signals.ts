/** The values of the frame params for a data frame, or for an output frame of the timeline. */
import type { FramePlan } from '../data/plan.js';

/** The params for data frame k. */
export function frameSignals(plan: Pick<FramePlan, 'clock'>, k: number): Record<string, unknown> {
  const count = plan.clock.values.length;
  return {
    frame: plan.clock.values[k],
    frame_index: k,
    frame_count: count,
    progress: count > 1 ? k / (count - 1) : 1,
  };
}

/**
 * The params for output frame i. In a tween, `frame` is interpolated for quantitative and
 * temporal frames (gganimate's `frame_time`) and the closest data frame's value otherwise
 * (`closest_state`); `frame_index` is the closest data frame; `progress` moves smoothly.
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
  };
}
