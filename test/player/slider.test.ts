/**
 * The player's slider positions (player/slider.ts): one per data frame, tweens put the
 * slider at the data frame they move toward, the arrow keys' places.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline } from '../../src/compile/timeline.js';
import { resolveAnimation } from '../../src/compile/animation.js';
import type { OutputFrame } from '../../src/compile/timeline.js';
import { sliderSteps } from '../../src/player/slider.js';

const data = (from: number): OutputFrame => ({ from, to: from, t: 0, extra: 0 });
const tween = (from: number, t: number): OutputFrame => ({ from, to: from + 1, t, extra: 0 });

test('without tweens every output frame is its data frame', () => {
  const timeline = buildTimeline(4, resolveAnimation({ fps: 10 }));
  assert.deepEqual(sliderSteps(timeline, 4), {
    frames: [0, 1, 2, 3],
    steps: [0, 1, 2, 3],
    places: [0, 1, 2, 3],
  });
});

test('a tween puts the slider at the data frame it moves toward', () => {
  // 3 data frames, 3 in-betweens each: 0 . . . 1 . . . 2
  const timeline = buildTimeline(3, resolveAnimation({ fps: 10, tween: { frames: 3 } }));
  assert.equal(timeline.length, 9);
  const { frames, steps, places } = sliderSteps(timeline, 3);
  assert.deepEqual(frames, [0, 4, 8]);
  assert.deepEqual(steps, [0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(places, [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
});

test('rewinding, a tween heads to the lower data frame; each position shows its first showing', () => {
  const timeline = [data(0), tween(0, 0.5), data(1), tween(0, 0.5), data(0)];
  const { frames, steps, places } = sliderSteps(timeline, 2);
  assert.deepEqual(frames, [0, 2]);
  assert.deepEqual(steps, [0, 1, 1, 0, 0]);
  assert.deepEqual(places, [0, 0.5, 1, 0.5, 0]);
});

test('a rewind built by the timeline: back to the start, each step the next data frame shown', () => {
  const timeline = buildTimeline(3, resolveAnimation({ fps: 10, rewind: true, loop: false }));
  assert.deepEqual(
    timeline.map((f) => f.from),
    [0, 1, 2, 1, 0],
  );
  const { frames, steps } = sliderSteps(timeline, 3);
  assert.deepEqual(frames, [0, 1, 2]);
  assert.deepEqual(steps, [0, 1, 2, 1, 0]);
});

test('tweens after the last data frame head to the first, which the loop plays next', () => {
  // A rewind looping forever leaves out the first frame's second showing.
  const timeline = [data(0), tween(0, 0.5), data(1), tween(0, 0.5)];
  assert.deepEqual(sliderSteps(timeline, 2).steps, [0, 1, 1, 0]);
});

test('holds and pauses do not add positions', () => {
  const timeline = buildTimeline(
    3,
    resolveAnimation({ fps: 10, hold: 1, pause: { start: 1, end: 2 }, tween: { frames: 1 } }),
  );
  const { frames, steps } = sliderSteps(timeline, 3);
  assert.equal(frames.length, 3);
  assert.equal(Math.max(...steps), 2);
  assert.deepEqual(
    frames.map((i) => timeline[i]),
    timeline.filter((f) => f.t === 0),
  );
});

test('a data frame the timeline never shows is a fault, not a silent gap', () => {
  assert.throws(() => sliderSteps([data(0), data(2)], 3), /data frame 1 is not in the timeline/);
});
