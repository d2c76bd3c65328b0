/** The timeline: output frames, their tween positions and their holds, for every timing option. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveAnimation } from '../../src/compile/animation.js';
import { buildTimeline } from '../../src/compile/timeline.js';
import { CompileError, compileSpec } from '../../src/compile/index.js';
import { createMessages } from '../../src/compile/messages.js';
import { gifDelays } from '../../src/encode/timing.js';
import { videoRepeats } from '../../src/encode/video.js';
import type { AnimationParams } from '../../src/spec/types.js';

const timeline = (dataFrames: number, a: AnimationParams) =>
  buildTimeline(dataFrames, resolveAnimation(a));
const steps = (dataFrames: number, a: AnimationParams) =>
  timeline(dataFrames, a).map((f) => (f.t === 0 ? `${f.from}` : `${f.from}>${f.to}@${f.t}`));
const delays = (dataFrames: number, a: AnimationParams) => {
  const frames = timeline(dataFrames, a);
  return gifDelays(frames.length, {
    fps: a.fps ?? 10,
    extraSeconds: frames.map((f) => f.extra),
  });
};

describe('timeline', () => {
  it('is each data frame once without motion', () => {
    assert.deepEqual(steps(3, {}), ['0', '1', '2']);
    assert.deepEqual(delays(3, {}), [10, 10, 10]);
  });

  it('inserts tween.frames in-betweens per transition', () => {
    assert.deepEqual(steps(3, { tween: { frames: 3 } }), [
      '0',
      '0>1@0.25',
      '0>1@0.5',
      '0>1@0.75',
      '1',
      '1>2@0.25',
      '1>2@0.5',
      '1>2@0.75',
      '2',
    ]);
  });

  it('turns tween.duration into round(duration × fps) − 1 in-betweens', () => {
    assert.equal(timeline(2, { fps: 10, tween: { duration: 0.5 } }).length, 2 + 4);
    assert.equal(timeline(2, { fps: 20, tween: { duration: 0.5 } }).length, 2 + 9);
  });

  it('holds each data frame for `hold` seconds, tweens for one frame', () => {
    assert.deepEqual(delays(2, { fps: 10, hold: 1, tween: { frames: 2 } }), [100, 10, 10, 100]);
  });

  it('adds the start and end pauses to the first and last frame', () => {
    assert.deepEqual(delays(3, { fps: 10, pause: { start: 0.5, end: 2 } }), [60, 10, 210]);
  });

  it('rewinds: forwards, then backwards to the first frame when playing once', () => {
    assert.deepEqual(steps(3, { rewind: true, loop: false }), ['0', '1', '2', '1', '0']);
    assert.deepEqual(steps(2, { rewind: true, loop: false, tween: { frames: 1 } }), [
      '0',
      '0>1@0.5',
      '1',
      '0>1@0.5',
      '0',
    ]);
  });

  it('rewinds without repeating the first frame when looping forever', () => {
    assert.deepEqual(steps(3, { rewind: true }), ['0', '1', '2', '1']);
  });

  it("gives the frame counts of docs/motion.md's worked example", () => {
    // 3 data frames, tween.frames 2, hold 0.5 s, pause.start 1 s, rewind, no loop, 10 fps.
    const a: AnimationParams = {
      fps: 10,
      tween: { frames: 2 },
      hold: 0.5,
      pause: { start: 1 },
      rewind: true,
      loop: false,
    };
    const frames = timeline(3, a);
    assert.deepEqual(delays(3, a), [150, 10, 10, 50, 10, 10, 50, 10, 10, 50, 10, 10, 50]);
    const repeats = videoRepeats(
      frames.map((f) => f.extra),
      10,
    );
    assert.equal(frames.length + repeats.reduce((sum, n) => sum + n, 0), 43);
  });

  it('pauses at the turn of a rewind, not at the very end', () => {
    assert.deepEqual(
      delays(3, { rewind: true, loop: false, pause: { start: 1, end: 1 } }),
      [110, 10, 110, 10, 10],
    );
  });

  it('fits the in-betweens into nframes, spreading the remainder over the first tweens', () => {
    const frames = timeline(3, { nframes: 12 });
    assert.equal(frames.length, 12);
    const perTween = [0, 1].map((j) => frames.filter((f) => f.t > 0 && f.from === j).length);
    assert.deepEqual(perTween, [5, 4]);
  });

  it('fits nframes with rewind to within the one frame parity allows', () => {
    assert.equal(timeline(3, { nframes: 11, rewind: true, loop: false }).length, 11);
    assert.equal(timeline(3, { nframes: 11, rewind: true }).length, 10);
  });

  it('fits the tweens into duration, pauses and holds included', () => {
    const a = { fps: 10, duration: 3, hold: 0.5, pause: { end: 1 } };
    const frames = timeline(3, a);
    const seconds = frames.reduce((s, f) => s + 0.1 + f.extra, 0);
    assert.ok(Math.abs(seconds - 3) < 1e-9, `${seconds} s`);
  });

  it('refuses nframes and durations too short for the data frames, with the path', () => {
    assert.throws(
      () => timeline(5, { nframes: 3 }),
      (e: unknown) => e instanceof CompileError && e.path === '$.animation.nframes',
    );
    assert.throws(
      () => timeline(5, { fps: 10, duration: 0.2 }),
      (e: unknown) => e instanceof CompileError && e.path === '$.animation.duration',
    );
  });
});

/** Census years with a 20-year gap: 1967 → 1987 is four 5-year steps. */
const YEARS = [1952, 1957, 1962, 1967, 1987, 1992, 1997, 2002, 2007];
/** `null`: no positions, as for ordinal frames. */
const spaced = (a: AnimationParams, positions: readonly number[] | null = YEARS) =>
  buildTimeline(
    positions?.length ?? YEARS.length,
    resolveAnimation(a),
    undefined,
    positions ?? undefined,
  );
/** In-between frames after each data frame (the last: back to the first, wrapped). */
const perInterval = (frames: { from: number; t: number }[], n = YEARS.length) =>
  Array.from({ length: n }, (_, j) => frames.filter((f) => f.t > 0 && f.from === j).length);

describe('timeline spacing', () => {
  it('spaces in-betweens by time: steps in proportion to the gaps, the same total', () => {
    const frames = spaced({ tween: { frames: 9 } });
    // 8 transitions × 10 steps = 80 steps over 55 years: 7.27 per 5 years, 29.09 for 20.
    assert.deepEqual(perInterval(frames), [7, 7, 6, 28, 6, 6, 6, 6, 0]);
    assert.equal(frames.length, spaced({ tween: { frames: 9, spacing: 'equal' } }).length);
    assert.equal(frames.length, 9 + 8 * 9);
    // Each in-between advances the year at one pace within its interval.
    const gap = frames.filter((f) => f.from === 3 && f.t > 0).map((f) => f.t);
    assert.deepEqual(
      gap,
      Array.from({ length: 28 }, (_, i) => (i + 1) / 29),
    );
  });

  it('fits nframes and duration by time, keeping their totals', () => {
    const frames = spaced({ nframes: 100 });
    assert.equal(frames.length, 100);
    // 91 in-betweens, 99 steps: 9 per 5 years, 36 for the 20-year gap.
    assert.deepEqual(perInterval(frames), [8, 8, 8, 35, 8, 8, 8, 8, 0]);
    const timed = spaced({ fps: 10, duration: 10, hold: 0.5 });
    const seconds = timed.reduce((s, f) => s + 0.1 + f.extra, 0);
    assert.ok(Math.abs(seconds - 10) < 1e-9, `${seconds} s`);
    assert.equal(timed.length, spaced({ fps: 10, duration: 10, hold: 0.5 }, null).length);
    const counts = perInterval(timed);
    assert.ok(counts[3] + 1 >= 4 * counts[0], counts.join(' '));
  });

  it('spaces equally on request, without positions (ordinal frames) and for even gaps', () => {
    assert.deepEqual(
      perInterval(spaced({ tween: { frames: 9, spacing: 'equal' } })),
      [9, 9, 9, 9, 9, 9, 9, 9, 0],
    );
    assert.deepEqual(
      perInterval(spaced({ tween: { frames: 9 } }, null)),
      [9, 9, 9, 9, 9, 9, 9, 9, 0],
    );
    // Even gaps: exactly the equal split, remainder over the first tweens.
    const even = spaced({ nframes: 12 }, [0.1, 0.2, 0.3]);
    assert.deepEqual(perInterval(even, 3), [5, 4, 0]);
  });

  it('gives a tiny gap one step and shares the rest among the others', () => {
    assert.deepEqual(perInterval(spaced({ tween: { frames: 1 } }, [0, 1, 1000]), 3), [0, 2, 0]);
  });

  it('counts the same frames whatever the spacing, so the length check holds before allocation', () => {
    const a = resolveAnimation({ tween: { frames: 1000 } });
    assert.throws(() => buildTimeline(9, a, 8000, YEARS), /over the limit of 8,000/);
    assert.equal(buildTimeline(9, a, 8009, YEARS).length, 8009);
  });

  it('wraps: the last data frame tweens into the first', () => {
    assert.deepEqual(steps(3, { tween: { frames: 1, wrap: true } }), [
      '0',
      '0>1@0.5',
      '1',
      '1>2@0.5',
      '2',
      '2>0@0.5',
    ]);
    // Played a set number of times, a play ends on the first frame, as it started.
    assert.deepEqual(steps(2, { loop: false, tween: { frames: 1, wrap: true } }), [
      '0',
      '0>1@0.5',
      '1',
      '1>0@0.5',
      '0',
    ]);
    // By time, the closing transition gets the mean gap: 10 years.
    const wrapped = spaced({ tween: { frames: 9, wrap: true } }, [2000, 2005, 2020]);
    assert.deepEqual(perInterval(wrapped, 3), [4, 14, 9]);
    assert.equal(wrapped.length, 3 + 3 * 9);
  });

  it('wraps within nframes and duration, the end pause on the last data frame', () => {
    assert.equal(timeline(3, { nframes: 12, tween: { wrap: true } }).length, 12);
    assert.deepEqual(
      perInterval(timeline(3, { nframes: 12, tween: { wrap: true } }), 3),
      [3, 3, 3],
    );
    assert.equal(timeline(3, { nframes: 12, loop: false, tween: { wrap: true } }).length, 12);
    assert.deepEqual(
      delays(2, { fps: 10, pause: { end: 1 }, tween: { frames: 1, wrap: true } }),
      [10, 10, 110, 10],
    );
    const timed = timeline(3, { fps: 10, duration: 2, tween: { wrap: true }, loop: false });
    const seconds = timed.reduce((s, f) => s + 0.1 + f.extra, 0);
    assert.ok(Math.abs(seconds - 2) < 1e-9, `${seconds} s`);
    assert.equal(timed.at(-1)!.from, 0);
  });

  it('ignores wrap with rewind, which returns to the first frame already, with a warning', () => {
    assert.deepEqual(
      steps(3, { rewind: true, loop: false, tween: { frames: 1, wrap: true } }),
      steps(3, { rewind: true, loop: false, tween: { frames: 1 } }),
    );
    const log = createMessages();
    const compiled = compileSpec(
      {
        data: { values: [{ t: 1 }, { t: 2 }] },
        mark: 'point',
        encoding: { frame: { field: 't', type: 'quantitative' } },
        animation: { rewind: true, tween: { frames: 2, wrap: true } },
      },
      log,
    );
    assert.equal(compiled.animation.tween?.wrap, false);
    assert.ok(
      compiled.warnings.some(
        (w) => w.startsWith('at $.animation.tween.wrap: ') && /rewind/.test(w),
      ),
      compiled.warnings.join('\n'),
    );
  });

  it('warns that time spacing on ordinal frames spaces them equally, at its path', () => {
    const warnings = (type: string, spacing?: 'time' | 'equal') =>
      compileSpec({
        data: { values: [{ t: 'a' }, { t: 'b' }] },
        mark: 'point',
        encoding: { frame: { field: 't', type } },
        animation: { tween: { frames: 2, ...(spacing ? { spacing } : {}) } },
      }).warnings.filter((w) => w.includes('spacing'));
    assert.match(
      warnings('ordinal', 'time')[0],
      /^at \$\.animation\.tween\.spacing: .*spaced equally/,
    );
    assert.deepEqual(warnings('ordinal'), []);
    assert.deepEqual(warnings('ordinal', 'equal'), []);
    assert.deepEqual(warnings('quantitative', 'time'), []);
  });
});
