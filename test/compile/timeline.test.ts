/** The timeline: output frames, their tween positions and their holds, for every timing option. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveAnimation } from '../../src/compile/animation.js';
import { buildTimeline } from '../../src/compile/timeline.js';
import { CompileError } from '../../src/compile/index.js';
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
