/**
 * Time spacing end to end: a census-like animation with a 20-year gap rendered to a GIF,
 * decoded back, and each frame placed in its year by where the point is drawn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpecInput, renderToFile } from '../../src/api.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { centroid } from '../helpers/motion.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-spacing-'));
const YEARS = [1952, 1957, 1962, 1967, 1987, 1992, 1997, 2002, 2007];

/** One red point whose x is the year, on a fixed axis, so a frame's x tells its year. */
const census = (tween: Record<string, unknown>) => ({
  width: 400,
  height: 60,
  data: { values: YEARS.map((year) => ({ country: 'A', year, x: year })) },
  mark: { type: 'circle', size: 80, color: '#ff0000', opacity: 1 },
  encoding: {
    x: {
      field: 'x',
      type: 'quantitative',
      scale: { domain: [1952, 2007], nice: false, zero: false },
    },
    key: { field: 'country' },
    frame: { field: 'year', type: 'quantitative' },
  },
  config: { axis: { disable: true } },
  animation: { fps: 10, tween },
});

/** Decoded frames per interval between data frames: the in-betweens each shows. */
async function framesPerInterval(tween: Record<string, unknown>): Promise<number[]> {
  const out = path.join(tmp, `census-${String(tween.spacing ?? 'default')}.gif`);
  await renderToFile(census(tween) as SpecInput, out);
  const gif = decodeGif(out);
  const xs = Array.from(
    { length: gif.frameCount },
    (_, i) => centroid({ width: gif.width, height: gif.height, rgba: gif.frame(i) }).x,
  );
  // The data frames' x: the first frame of each year's exact place (frames come in order).
  const at = (x: number) => xs.findIndex((v) => Math.abs(v - x) < 0.5);
  const [first, last] = [xs[0], xs[xs.length - 1]];
  const dataFrames = YEARS.map((y) => at(first + ((y - 1952) / (2007 - 1952)) * (last - first)));
  assert.equal(dataFrames[0], 0);
  assert.equal(dataFrames.at(-1), gif.frameCount - 1);
  assert.ok(
    dataFrames.every((k, j) => j === 0 || k > dataFrames[j - 1]),
    `data frames at ${dataFrames}`,
  );
  return dataFrames.slice(1).map((k, j) => k - dataFrames[j] - 1);
}

test('a 20-year gap gets four times the frames of a 5-year step; equal on request', async () => {
  // 8 transitions × 10 steps over 55 years: 7–8 steps per 5 years, 29 for the gap.
  assert.deepEqual(await framesPerInterval({ frames: 9 }), [7, 7, 6, 28, 6, 6, 6, 6]);
  assert.deepEqual(
    await framesPerInterval({ frames: 9, spacing: 'equal' }),
    [9, 9, 9, 9, 9, 9, 9, 9],
  );
});
