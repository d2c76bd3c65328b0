/**
 * GIF timing: frame delays in centiseconds and the NETSCAPE2.0 loop count. What a spec can
 * ask for and a format cannot hold (a frame longer than its delay field, more plays than
 * its loop field) is a FormatError naming the spec's property; the rest are the callers'.
 */
import { FormatError } from './format-error.js';
import { encodeMessage } from './messages.js';

export interface GifTimingOptions {
  fps: number;
  /** Seconds to hold the first frame, added to its delay. */
  pauseStart?: number;
  /** Seconds to hold the last frame, added to its delay. */
  pauseEnd?: number;
  /** Seconds added to each frame's delay (holds and pauses of a timeline), one per frame. */
  extraSeconds?: number[];
  /**
   * Frames of the animation before the first of these (a slice's start): the delays keep
   * the rhythm of the whole animation's accumulated end times, so slices joined play as one.
   */
  startFrame?: number;
}

/** The GIF delay field is an unsigned 16-bit count of centiseconds. */
const MAX_DELAY_CS = 0xffff;

/** Browsers (Chrome, Firefox, Safari) play any delay of 0 or 1 cs as 10 cs. */
const FASTEST_HONOURED_FPS = 50;

/**
 * Per-frame delays in centiseconds. GIF delays are whole centiseconds, so for an fps that does not
 * divide 100 each delay is the difference between consecutive *accumulated* frame end times
 * (floored), e.g. fps 30 → 3,3,4,3,3,4…: any 30 frames last exactly 100 cs, instead of the 90 cs
 * that rounding every delay to 3 would give.
 */
export function gifDelays(frameCount: number, options: GifTimingOptions): number[] {
  const delays = accumulatedDelays(frameCount, options, 100);
  const tooLong = delays.findIndex((delay) => delay > MAX_DELAY_CS);
  if (tooLong >= 0)
    throw frameTooLong(
      tooLong + (options.startFrame ?? 0),
      delays[tooLong] / 100,
      'a GIF',
      MAX_DELAY_CS / 100,
      options,
    );
  return delays;
}

/**
 * Per-frame display times in milliseconds (APNG), accumulated like the GIF delays so any
 * `fps` frames last one second, with the pauses added to the first and last frame.
 */
export function frameDelaysMs(frameCount: number, options: GifTimingOptions): number[] {
  const delays = accumulatedDelays(frameCount, options, 1000);
  const tooLong = delays.findIndex((d) => d > 0xffff);
  if (tooLong >= 0)
    throw frameTooLong(
      tooLong + (options.startFrame ?? 0),
      delays[tooLong] / 1000,
      'an APNG',
      0xffff / 1000,
      options,
    );
  return delays;
}

function frameTooLong(
  frame: number,
  seconds: number,
  format: string,
  most: number,
  { fps }: GifTimingOptions,
): FormatError {
  return new FormatError(encodeMessage.frameTooLong(frame, seconds, fps, format, most));
}

/**
 * Delays in whole `ticksPerSecond` units: each the difference between consecutive
 * accumulated frame end times (floored), plus the pauses on the first and last frame.
 */
function accumulatedDelays(
  frameCount: number,
  { fps, pauseStart = 0, pauseEnd = 0, extraSeconds, startFrame = 0 }: GifTimingOptions,
  ticksPerSecond: number,
): number[] {
  if (!Number.isInteger(frameCount) || frameCount < 0) {
    throw new RangeError(`frameCount must be a non-negative integer, got ${frameCount}`);
  }
  if (!Number.isInteger(startFrame) || startFrame < 0) {
    throw new RangeError(`startFrame must be a non-negative integer, got ${startFrame}`);
  }
  if (!Number.isFinite(fps) || fps <= 0) {
    throw new RangeError(`fps must be a positive number, got ${fps}`);
  }
  assertPause('pauseStart', pauseStart);
  assertPause('pauseEnd', pauseEnd);
  // The epsilon keeps exact products (e.g. 3 * 100 / 3) from flooring to one below.
  const endOf = (frames: number) => Math.floor((frames * ticksPerSecond) / fps + 1e-9);
  const delays: number[] = [];
  let previousEnd = endOf(startFrame);
  for (let i = startFrame; i < startFrame + frameCount; i++) {
    const end = endOf(i + 1);
    delays.push(end - previousEnd);
    previousEnd = end;
  }
  if (extraSeconds) {
    if (extraSeconds.length !== frameCount)
      throw new RangeError(`extraSeconds needs one value per frame (${frameCount})`);
    extraSeconds.forEach((s, i) => {
      assertPause(`extraSeconds[${i}]`, s);
      delays[i] += Math.round(s * ticksPerSecond);
    });
  }
  if (frameCount > 0) {
    delays[0] += Math.round(pauseStart * ticksPerSecond);
    delays[frameCount - 1] += Math.round(pauseEnd * ticksPerSecond);
  }
  return delays;
}

/** A warning to show the user when browsers will not play the GIF at the requested rate. */
export function gifDelayWarning(fps: number): string | undefined {
  if (fps <= FASTEST_HONOURED_FPS) return undefined;
  return (
    `fps ${fps} is above ${FASTEST_HONOURED_FPS}: GIF delays are whole centiseconds and browsers ` +
    `slow any delay of 1 cs or less to 10 cs, so this GIF will play far slower than ${fps} fps. ` +
    `Use an fps of at most ${FASTEST_HONOURED_FPS} (e.g. 50, 25 or 20).`
  );
}

/** The `repeat` value that omits the NETSCAPE2.0 block entirely (play once); the name is
 * from gifenc, whose convention our GIF writer (gif.ts, gifHead) keeps. */
export const GIFENC_PLAY_ONCE = -1;

/**
 * Maps our `animation.loop` (true = forever, false = play once, n = play n times in all) to
 * the GIF writer's `repeat` value.
 *
 * How `repeat` is written (gif.ts, gifHead, as gifenc does): when `repeat >= 0` a NETSCAPE2.0
 * application extension whose loop field is `repeat` verbatim; when `repeat < 0` no
 * NETSCAPE block. Browsers read the loop field as "extra plays after the first", with 0 = forever,
 * and play a GIF without the block exactly once. Hence:
 *   true  → 0 (loop forever)
 *   false → -1 (no block: play once)
 *   1     → -1 (one play in all is "play once"; a loop field of 0 would mean forever)
 *   n ≥ 2 → n - 1 (n plays in all)
 */
export function loopCount(loop: boolean | number): number {
  if (loop === true) return 0;
  if (loop === false) return GIFENC_PLAY_ONCE;
  if (!Number.isInteger(loop) || loop < 1 || loop - 1 > 0xffff) {
    throw new FormatError(encodeMessage.gifLoop(loop));
  }
  return loop === 1 ? GIFENC_PLAY_ONCE : loop - 1;
}

function assertPause(name: string, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`${name} must be a non-negative number of seconds, got ${seconds}`);
  }
}
