/**
 * The player's slider: one position per data frame, however many output frames (tweens,
 * holds, rewind) the animation plays between them.
 */
import type { OutputFrame } from '../compile/timeline.js';

export interface SliderSteps {
  /** The output frame each data frame's position shows: where the data frame first appears. */
  frames: number[];
  /**
   * The position (data frame) the slider sits at during each output frame: a data frame's
   * own, and in a tween the data frame it moves toward (forward or rewinding), as plotly's
   * animation slider moves to a frame's step as the transition to it starts.
   */
  steps: number[];
  /**
   * Each output frame's place among the data frames (from + t): the arrow keys step to the
   * data frame after or before it (the page's runtime.ts).
   */
  places: number[];
}

/** The slider's positions for a timeline of `dataFrames` data frames. */
export function sliderSteps(timeline: OutputFrame[], dataFrames: number): SliderSteps {
  const frames = new Array<number>(dataFrames).fill(-1);
  timeline.forEach((f, i) => {
    if (f.t === 0 && frames[f.from] < 0) frames[f.from] = i;
  });
  const missing = frames.indexOf(-1);
  if (missing >= 0) throw new Error(`data frame ${missing} is not in the timeline`);
  // Backwards: each tween takes the next data frame played after it. A tween after the last
  // data frame (a rewind looping forever drops the first frame's second showing) heads to
  // the first output frame, which the loop plays next.
  const steps = new Array<number>(timeline.length);
  let next = timeline.length ? timeline[0].from : 0;
  for (let i = timeline.length - 1; i >= 0; i--) {
    const f = timeline[i];
    if (f.t === 0) next = f.from;
    steps[i] = next;
  }
  // A tween's place is past the data frame it leaves, rewinding or not (its `from` is the
  // lower one), and past the last one when it wraps round to the first.
  const places = timeline.map((f) => f.from + f.t);
  return { frames, steps, places };
}
