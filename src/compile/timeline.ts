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

/** Whether the last data frame tweens back into the first. */
const wraps = (dataFrames: number, a: ResolvedAnimation) =>
  a.tween?.wrap === true && !a.rewind && dataFrames > 1;

/**
 * The first data frame shown again at the end of a wrapped play, so that it ends where it
 * started; looping forever, the next play shows it.
 */
const closingFrame = (dataFrames: number, a: ResolvedAnimation) =>
  wraps(dataFrames, a) && a.loop !== true ? 1 : 0;

/**
 * In-between frames per transition (the last one, with wrap, from the last data frame back
 * to the first): from `tween.frames` / `tween.duration`, or fitted; shared out by `gaps`
 * when given (time spacing), else equally.
 */
function inBetweens(dataFrames: number, a: ResolvedAnimation, gaps?: number[]): number[] {
  const transitions = Math.max(0, dataFrames - 1) + (wraps(dataFrames, a) ? 1 : 0);
  const fixed =
    a.tween?.frames ??
    (a.tween?.duration !== undefined ? Math.max(0, Math.round(a.tween.duration * a.fps) - 1) : 0);
  const spaced = (inb: number) =>
    gaps && gaps.length === transitions ? byGaps(inb, gaps) : equally(inb, transitions);
  const target = targetFrames(dataFrames, a);
  if (target === undefined) return spaced(fixed * transitions);
  if (transitions === 0 && a.nframes !== undefined && a.nframes > 1)
    throw new CompileError(message.nframesOneFrame(a.nframes), '$.animation.nframes');
  if (transitions === 0) return [];
  // Distinct forward frames F = data frames + in-betweens (+ the first again, wrapped and
  // not looping forever); rewinding adds F − 1 (F − 2 when looping forever: the first frame
  // comes round again by itself).
  const closing = closingFrame(dataFrames, a);
  const total = (inb: number) => {
    const f = dataFrames + inb + closing;
    return a.rewind ? f + f - (a.loop === true ? 2 : 1) : f;
  };
  // The most in-betweens whose total fits the target: total() is linear in them.
  const loopBack = a.loop === true ? 2 : 1;
  let inb = Math.max(
    0,
    a.rewind ? Math.floor((target + loopBack) / 2) - dataFrames : target - dataFrames - closing,
  );
  while (inb > 0 && total(inb) > target) inb--;
  return spaced(inb);
}

/** `inb` in-betweens over `transitions`, the remainder over the first. */
function equally(inb: number, transitions: number): number[] {
  const base = transitions > 0 ? Math.floor(inb / transitions) : 0;
  return Array.from({ length: transitions }, (_, j) => base + (j < inb % transitions ? 1 : 0));
}

/**
 * `inb` in-betweens shared so that each transition's steps (its in-betweens + 1) are in
 * proportion to its gap, each at least one: a transition that would get less than one step
 * gets one, and the rest is shared among the others again. Rounding gives the largest
 * remainders the extra steps, the earliest first among equals, so that equal gaps are
 * spaced as `equally` spaces them.
 */
function byGaps(inb: number, gaps: number[]): number[] {
  const n = gaps.length;
  if (n === 0) return [];
  const first = gaps[0];
  if (gaps.every((g) => Math.abs(g - first) <= 1e-9 * Math.abs(first))) return equally(inb, n);
  const steps = new Array<number>(n).fill(1);
  const quota = new Array<number>(n).fill(1);
  // Smallest gaps first: each one given its single step lowers the others' share per unit,
  // so once the smallest left has a step of its own, every larger one has too.
  const ascending = [...gaps.keys()].sort((i, j) => gaps[i] - gaps[j] || i - j);
  let sum = gaps.reduce((s, g) => s + g, 0);
  let left = inb + n;
  let k = 0;
  while (k < n && (left * gaps[ascending[k]]) / sum < 1) {
    left -= 1;
    sum -= gaps[ascending[k++]];
  }
  const free = ascending.slice(k);
  for (const j of free) quota[j] = (left * gaps[j]) / sum;
  let extra = left;
  for (const j of free) {
    steps[j] = Math.floor(quota[j] + 1e-9);
    extra -= steps[j];
  }
  const byRemainder = free.sort((i, j) => {
    const d = quota[j] - steps[j] - (quota[i] - steps[i]);
    return Math.abs(d) > 1e-9 ? d : i - j;
  });
  for (let k = 0; k < extra; k++) steps[byRemainder[k]]++;
  return steps.map((s) => s - 1);
}

/** The total output frames asked for by `nframes` or `duration`, if either. */
function targetFrames(dataFrames: number, a: ResolvedAnimation): number | undefined {
  const least = a.rewind
    ? 2 * dataFrames - (a.loop === true ? 2 : 1)
    : dataFrames + closingFrame(dataFrames, a);
  if (a.nframes !== undefined) {
    if (a.nframes < least)
      throw new CompileError(
        message.nframesTooFew(a.nframes, least, a.rewind),
        '$.animation.nframes',
      );
    return a.nframes;
  }
  if (a.duration !== undefined) {
    const fixedSeconds = sequence(dataFrames, [], a).reduce((s, f) => s + 1 / a.fps + f.extra, 0);
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

/**
 * The output frames for `counts[j]` in-betweens after data frame j; wrapped, those after
 * the last tween into the first.
 */
function sequence(dataFrames: number, counts: number[], a: ResolvedAnimation): OutputFrame[] {
  const holdExtra = Math.max(0, a.hold - 1 / a.fps);
  const wrap = wraps(dataFrames, a);
  const forward: OutputFrame[] = [];
  let last = 0; // the last data frame's place: the end pause goes there
  for (let j = 0; j < dataFrames; j++) {
    last = forward.length;
    forward.push({ from: j, to: j, t: 0, extra: holdExtra });
    const n = counts[j] ?? 0;
    const to = j + 1 < dataFrames ? j + 1 : wrap ? 0 : -1;
    for (let i = 1; i <= n && to >= 0; i++) forward.push({ from: j, to, t: i / (n + 1), extra: 0 });
  }
  if (closingFrame(dataFrames, a)) forward.push({ from: 0, to: 0, t: 0, extra: holdExtra });
  const out = forward.map((f) => ({ ...f }));
  if (a.rewind && forward.length > 1) {
    const back = forward.slice(0, -1).reverse();
    // Looping forever, the first frame comes round again at the start of the next play.
    if (a.loop === true) back.pop();
    for (const f of back) out.push({ ...f }); // a loop: push(...) of 200k frames overflows
  }
  out[0].extra += a.pauseStart;
  out[last].extra += a.pauseEnd;
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
  const closing = closingFrame(dataFrames, a);
  const forward = counts.reduce((sum, n) => sum + n, dataFrames + closing);
  const frames = a.rewind && forward > 1 ? 2 * forward - (a.loop === true ? 2 : 1) : forward;
  const heldSeconds =
    Math.max(0, a.hold - 1 / a.fps) * (dataFrames + closing) * (a.rewind ? 2 : 1) +
    a.pauseStart +
    a.pauseEnd;
  const played = Math.max(frames, Math.ceil(frames + heldSeconds * a.fps));
  if (played > maxFrames) {
    throw new LimitError(message.animationTooLong(played, a.fps, frames, heldSeconds, maxFrames));
  }
}

/**
 * Every output frame, in play order, for `dataFrames` data frames: at most `maxFrames`
 * (holds and pauses counted at the frame rate), checked before the list is made. Given
 * `positions` (each data frame's value in the frame field's units: quantitative and
 * temporal frames), the in-betweens are spaced by time unless `tween.spacing` is
 * `"equal"`: the same total, shared in proportion to the gaps. Spacing never changes the
 * count, so the check is the same either way.
 */
export function buildTimeline(
  dataFrames: number,
  a: ResolvedAnimation,
  maxFrames = DEFAULT_LIMITS.maxFrames,
  positions?: readonly number[],
): OutputFrame[] {
  const counts = inBetweens(dataFrames, a, timeGaps(dataFrames, a, positions));
  checkLength(dataFrames, counts, a, maxFrames);
  const frames = sequence(dataFrames, counts, a);
  if (dataFrames === 1 && a.duration !== undefined) {
    // Nothing to tween: the one frame is shown for the whole duration.
    const shown = frames.reduce((s, f) => s + 1 / a.fps + f.extra, 0);
    frames[0].extra += Math.max(0, a.duration - shown);
  }
  return frames;
}

/**
 * Each transition's gap for time spacing, or undefined for equal spacing: asked for, no
 * positions, or gaps that are not all finite and positive. Wrapped, the closing transition
 * gets the mean gap.
 */
function timeGaps(
  dataFrames: number,
  a: ResolvedAnimation,
  positions: readonly number[] | undefined,
): number[] | undefined {
  if (a.tween?.spacing === 'equal' || !positions || positions.length !== dataFrames) return;
  const gaps: number[] = [];
  for (let j = 1; j < dataFrames; j++) gaps.push(Math.abs(positions[j] - positions[j - 1]));
  if (!gaps.every((g) => Number.isFinite(g) && g > 0)) return;
  if (wraps(dataFrames, a)) gaps.push(gaps.reduce((s, g) => s + g, 0) / gaps.length);
  return gaps;
}
