/**
 * The motion gallery (specs/motion-*.yaml, shown in docs/motion.md): each spec validates,
 * has the output frames its timing asks for, and draws its key frame as the golden shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compile } from '../../src/api.js';
import { expectGolden } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';

const SPECS = new URL('../../specs/', import.meta.url).pathname;

const gallery: { name: string; frames: number; dataFrames: number; key: number }[] = [
  { name: 'countries', frames: 41, dataFrames: 5, key: 14 },
  { name: 'bounce', frames: 40, dataFrames: 2, key: 20 },
  { name: 'orbits', frames: 70, dataFrames: 24, key: 50 },
  { name: 'reveal', frames: 117, dataFrames: 30, key: 41 },
  { name: 'rescale', frames: 61, dataFrames: 11, key: 33 },
  { name: 'timing', frames: 60, dataFrames: 4, key: 5 },
];

for (const { name, frames, dataFrames, key } of gallery) {
  test(`motion gallery: ${name}`, async () => {
    const plan = await compile(path.join(SPECS, `motion-${name}.yaml`));
    assert.deepEqual(plan.warnings, []);
    assert.equal(plan.clock.values.length, dataFrames);
    assert.equal(plan.timeline.length, frames);
    const renderer = await rendererFor(plan);
    try {
      const f = await renderer.render(key);
      expectGolden(`motion-${name}-f${key}`, f);
    } finally {
      renderer.finalize();
    }
  });
}
