/**
 * The timeline: what each output frame shows and for how long. Data frames, in-between
 * (tween) frames, holds, pauses and rewind all become one list of output frames, so every
 * encoder (GIF, APNG, video, PNG frames, the player) plays the same sequence.
 */
import type { ResolvedAnimation } from './animation.js';
import { CompileError, message } from './messages.js';
import { DEFAULT_LIMITS, LimitError } from '../spec/limits.js';

export interface OutputFrame {
  /** The data frame this one shows (t = 0) or tweens from. */
  from: number;
  /** The data frame it tweens to (= from when it is a data frame). */
  to: number;
  /** Linear progress of the tween from `from` to `to`, in [0, 1). */
  t: number;
  /** Seconds shown beyond one frame (1 / fps): holds and pauses. */
  extra: number;
}

/** In-between frames per transition: from `tween.frames` / `tween.duration`, or fitted. */
function inBetweens(dataFrames: number, a: ResolvedAnimation): number[] {
  const transitions = Math.max(0, dataFrames - 1);
  const fixed =
    a.tween?.frames ??
    (a.tween?.duration !== undefined ? Math.max(0, Math.round(a.tween.duration * a.fps) - 1) : 0);
  const counts = new Array<number>(transitions).fill(fixed);
  const target = targetFrames(dataFrames, a);
  if (target === undefined) return counts;
  if (transitions === 0 && a.nframes !== undefined && a.nframes > 1)
    throw new CompileError(message.nframesOneFrame(a.nframes), '$.animation.nframes');
  if (transitions === 0) return counts;
  // Distinct forward frames F = data frames + in-betweens; rewinding adds F − 1 (F − 2 when
  // looping forever: the first frame comes round again by itself).
  const total = (inb: number) => {
    const f = dataFrames + inb;
    return a.rewind ? f + f - (a.loop === true ? 2 : 1) : f;
  };
  // The most in-betweens whose total fits the target: total() is linear in them.
  const loopBack = a.loop === true ? 2 : 1;
  let inb = Math.max(
    0,
    a.rewind ? Math.floor((target + loopBack) / 2) - dataFrames : target - dataFrames,
  );
  while (inb > 0 && total(inb) > target) inb--;
  const base = Math.floor(inb / transitions);
  return counts.map((_, j) => base + (j < inb % transitions ? 1 : 0));
}

/** The total output frames asked for by `nframes` or `duration`, if either. */
function targetFrames(dataFrames: number, a: ResolvedAnimation): number | undefined {
  const least = a.rewind ? 2 * dataFrames - (a.loop === true ? 2 : 1) : dataFrames;
  if (a.nframes !== undefined) {
    if (a.nframes < least)
      throw new CompileError(
        message.nframesTooFew(a.nframes, least, a.rewind),
        '$.animation.nframes',
      );
    return a.nframes;
  }
  if (a.duration !== undefined) {
    const fixedSeconds = sequence(
      dataFrames,
      new Array(Math.max(0, dataFrames - 1)).fill(0),
      a,
    ).reduce((s, f) => s + 1 / a.fps + f.extra, 0);
    const extra = fixedSeconds - least / a.fps;
    const frames = Math.round((a.duration - extra) * a.fps);
    if (frames < least)
      throw new CompileError(
        message.durationTooShort(a.duration, fixedSeconds),
        '$.animation.duration',
      );
    return frames;
  }
  return undefined;
}

/** The output frames for `counts[j]` in-betweens after data frame j. */
function sequence(dataFrames: number, counts: number[], a: ResolvedAnimation): OutputFrame[] {
  const holdExtra = Math.max(0, a.hold - 1 / a.fps);
  const forward: OutputFrame[] = [];
  for (let j = 0; j < dataFrames; j++) {
    forward.push({ from: j, to: j, t: 0, extra: holdExtra });
    const n = counts[j] ?? 0;
    for (let i = 1; i <= n && j + 1 < dataFrames; i++)
      forward.push({ from: j, to: j + 1, t: i / (n + 1), extra: 0 });
  }
  const out = forward.map((f) => ({ ...f }));
  if (a.rewind && forward.length > 1) {
    const back = forward.slice(0, -1).reverse();
    // Looping forever, the first frame comes round again at the start of the next play.
    if (a.loop === true) back.pop();
    for (const f of back) out.push({ ...f }); // a loop: push(...) of 200k frames overflows
  }
  out[0].extra += a.pauseStart;
  out[forward.length - 1].extra += a.pauseEnd;
  return out;
}

/**
 * Refuses a timeline longer than `maxFrames` output frames, counted before any is made:
 * tweens, rewind, and holds and pauses as the frames a video repeats to show them (a
 * one-hour pause is 43,200 frames of MP4 at 12 fps).
 */
function checkLength(
  dataFrames: number,
  counts: number[],
  a: ResolvedAnimation,
  maxFrames: number,
) {
  const forward = counts.reduce((sum, n) => sum + n, dataFrames);
  const frames = a.rewind && forward > 1 ? 2 * forward - (a.loop === true ? 2 : 1) : forward;
  const heldSeconds =
    Math.max(0, a.hold - 1 / a.fps) * dataFrames * (a.rewind ? 2 : 1) + a.pauseStart + a.pauseEnd;
  const played = Math.max(frames, Math.ceil(frames + heldSeconds * a.fps));
  if (played > maxFrames) {
    throw new LimitError(message.animationTooLong(played, a.fps, frames, heldSeconds, maxFrames));
  }
}

/**
 * Every output frame, in play order, for `dataFrames` data frames: at most `maxFrames`
 * (holds and pauses counted at the frame rate), checked before the list is made.
 */
export function buildTimeline(
  dataFrames: number,
  a: ResolvedAnimation,
  maxFrames = DEFAULT_LIMITS.maxFrames,
): OutputFrame[] {
  const counts = inBetweens(dataFrames, a);
  checkLength(dataFrames, counts, a, maxFrames);
  const frames = sequence(dataFrames, counts, a);
  if (dataFrames === 1 && a.duration !== undefined) {
    // Nothing to tween: the one frame is shown for the whole duration.
    const shown = frames.reduce((s, f) => s + 1 / a.fps + f.extra, 0);
    frames[0].extra += Math.max(0, a.duration - shown);
  }
  return frames;
}
