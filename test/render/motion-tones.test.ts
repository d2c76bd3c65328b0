/** The opacities and mix fractions a timeline draws between data frames (GIF palette). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { motionTones } from '../../src/render/motion-tones.js';
import { resolveAnimation } from '../../src/compile/animation.js';
import { buildTimeline } from '../../src/compile/timeline.js';
import type { FramePlan } from '../../src/data/plan.js';
import type { AnimationParams } from '../../src/spec/types.js';

/** The parts of a plan motionTones reads: its animation and timeline, for `dataFrames`. */
function plan(params: AnimationParams, dataFrames = 3): FramePlan {
  const animation = resolveAnimation(params);
  return { animation, timeline: buildTimeline(dataFrames, animation) } as unknown as FramePlan;
}

const levels = (values: number[]) => values.map((v) => Math.round(v * 255));

test('fades: each in-between frame’s opacity, in and out', () => {
  const { opacities, mixes } = motionTones(plan({ tween: { frames: 3 }, enter: 'fade' }), []);
  assert.deepEqual(levels(opacities), [64, 128, 191]); // t = 1/4, 1/2, 3/4, linear
  assert.deepEqual(mixes, []);
  const out = motionTones(plan({ tween: { frames: 1 }, exit: 'fade' }), []);
  assert.deepEqual(levels(out.opacities), [128]);
});

test('eased fades follow the tween’s easing', () => {
  const { opacities } = motionTones(
    plan({ tween: { frames: 1, easing: 'quad-in' }, enter: 'fade' }),
    [],
  );
  assert.deepEqual(levels(opacities), [64]); // (1/2)² = 1/4
});

test('a wake: each copy’s opacity and copies over one another', () => {
  const { opacities } = motionTones(plan({ trail: { frames: 2, opacity: 0.6 } }), []);
  // copies at 0.3 and 0.6; both over one another: 1 − 0.7 × 0.4 = 0.72
  assert.deepEqual(levels(opacities), [77, 153, 184]);
});

test('colour mixes only when the chart mixes colours; nothing without motion', () => {
  const tweened = plan({ tween: { frames: 1 } });
  assert.deepEqual(motionTones(tweened, []), { opacities: [], mixes: [] });
  const mixed = motionTones(tweened, [{ scale: 'color', field: 'c' }]);
  assert.deepEqual(levels(mixed.mixes), [128]);
  assert.deepEqual(motionTones(plan({}), []), { opacities: [], mixes: [] });
});
