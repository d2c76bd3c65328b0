/** The values of the frame params for frame k. */
import type { FramePlan } from '../compile/index.js';

export function frameSignals(plan: Pick<FramePlan, 'clock'>, k: number): Record<string, unknown> {
  const count = plan.clock.values.length;
  return {
    frame: plan.clock.values[k],
    frame_index: k,
    frame_count: count,
    progress: count > 1 ? k / (count - 1) : 1,
  };
}
