import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GIFENC_PLAY_ONCE,
  frameDelaysMs,
  gifDelayWarning,
  gifDelays,
  loopCount,
} from '../../src/encode/timing.js';
import { FormatError } from '../../src/encode/format-error.js';

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe('gifDelays', () => {
  it('gives 10 cs per frame at 10 fps', () => {
    assert.deepEqual(gifDelays(5, { fps: 10 }), [10, 10, 10, 10, 10]);
  });

  it('accumulates rounding at 30 fps: 3,3,4 repeating, 100 cs per 30 frames', () => {
    const delays = gifDelays(60, { fps: 30 });
    assert.deepEqual(delays.slice(0, 6), [3, 3, 4, 3, 3, 4]);
    assert.equal(sum(delays.slice(0, 30)), 100);
    assert.equal(sum(delays), 200);
  });

  it('keeps the average rate exact for other fps that do not divide 100', () => {
    for (const fps of [3, 7, 12, 24, 29.97, 12.5, 45]) {
      const frames = 1000;
      const total = sum(gifDelays(frames, { fps }));
      // Accumulated flooring is never more than 1 cs behind the exact end time.
      const exact = (frames * 100) / fps;
      assert.ok(total <= exact + 1e-6 && total > exact - 1, `fps ${fps}: ${total} vs ${exact}`);
    }
  });

  it('adds pauseStart to the first delay and pauseEnd to the last, rounded to cs', () => {
    assert.deepEqual(
      gifDelays(4, { fps: 10, pauseStart: 1.5, pauseEnd: 2.004 }),
      [160, 10, 10, 210],
    );
  });

  it('adds both pauses to a single frame', () => {
    assert.deepEqual(gifDelays(1, { fps: 10, pauseStart: 1, pauseEnd: 0.5 }), [160]);
  });

  it('returns no delays for no frames', () => {
    assert.deepEqual(gifDelays(0, { fps: 10, pauseStart: 1 }), []);
  });

  it('rejects invalid input and delays beyond the 16-bit field', () => {
    assert.throws(() => gifDelays(3, { fps: 0 }), RangeError);
    assert.throws(() => gifDelays(3, { fps: Number.NaN }), RangeError);
    assert.throws(() => gifDelays(-1, { fps: 10 }), RangeError);
    assert.throws(() => gifDelays(3, { fps: 10, pauseEnd: -1 }), RangeError);
    // A spec can ask for this one: a FormatError naming its property, not a RangeError.
    assert.throws(
      () => gifDelays(3, { fps: 10, pauseEnd: 700 }),
      (e: unknown) =>
        e instanceof FormatError &&
        /frame 2 would show for 700\.1 s .*a GIF frame shows for at most 655\.35 s/.test(e.message),
    );
    assert.throws(
      () => frameDelaysMs(2, { fps: 0.01 }),
      (e: unknown) =>
        e instanceof FormatError && /an APNG frame shows for at most 65\.535 s/.test(e.message),
    );
  });
});

describe('gifDelayWarning', () => {
  it('is silent up to 50 fps', () => {
    for (const fps of [1, 10, 25, 30, 50]) assert.equal(gifDelayWarning(fps), undefined);
  });

  it('explains the browser 10 cs clamp above 50 fps', () => {
    const warning = gifDelayWarning(60);
    assert.ok(warning);
    assert.match(warning, /60/);
    assert.match(warning, /browsers slow any delay of 1 cs or less to 10 cs/);
  });
});

describe('loopCount', () => {
  it('maps true to 0 (NETSCAPE: loop forever)', () => {
    assert.equal(loopCount(true), 0);
  });

  it('maps false and 1 to gifenc play-once (no NETSCAPE block)', () => {
    assert.equal(GIFENC_PLAY_ONCE, -1);
    assert.equal(loopCount(false), GIFENC_PLAY_ONCE);
    assert.equal(loopCount(1), GIFENC_PLAY_ONCE);
  });

  it('maps n plays in all to n - 1 repeats', () => {
    assert.equal(loopCount(2), 1);
    assert.equal(loopCount(3), 2);
    assert.equal(loopCount(65536), 65535);
  });

  it('rejects counts that are not positive integers or overflow the field', () => {
    for (const bad of [0, -2, 2.5, 65537, Number.NaN]) {
      assert.throws(
        () => loopCount(bad),
        (e: unknown) => e instanceof FormatError && /animation\.loop/.test(e.message),
        `loop ${bad}`,
      );
    }
  });
});
