/**
 * End-to-end renders of the frame features' specs, compared with golden images, and every
 * GIF decoded back (frame count, size, delays, loop). The 30,000-point scatter is in
 * golden.slow.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, renderToFile } from '../../src/api.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { expectGolden } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';

const SPECS = new URL('../../specs/', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/vega-lite/', import.meta.url).pathname;
const DATASETS = new URL('../../node_modules/vega-datasets/', import.meta.url).pathname;
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-golden-'));

async function frameOf(spec: string | Record<string, unknown>, k: number, baseDir?: string) {
  const plan = await compile(spec, { baseDir });
  const renderer = await rendererFor(plan);
  try {
    const f = await renderer.render(k);
    return { frame: { ...f, rgba: Uint8Array.from(f.rgba) }, renderer, plan };
  } finally {
    renderer.finalize();
  }
}

test('weight heatmap: 10×20 annotated cells, YlGn on a fixed domain, rotated top labels', async () => {
  const { frame, renderer } = await frameOf(path.join(SPECS, 'weights-heatmap.yaml'), 29);
  assert.equal(renderer.frameCount, 30);
  expectGolden('weights-heatmap-f29', frame);
  const out = path.join(tmp, 'heatmap.gif');
  const r = await renderToFile(path.join(SPECS, 'weights-heatmap.yaml'), out, { frames: '0:6' });
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 6);
  assert.deepEqual([gif.width, gif.height], [r.width, r.height]);
  assert.deepEqual(gif.delaysCs, [10, 10, 10, 10, 10, 10]);
  assert.equal(gif.loop, 0);
});

test('coin flips: one curve added per frame (cumulative), with a legend', async () => {
  const spec = path.join(SPECS, 'coin-flips.yaml');
  const { frame, renderer, plan } = await frameOf(spec, 4);
  assert.deepEqual(plan.clock.values, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
  assert.equal(renderer.frameCount, 10);
  expectGolden('coin-flips-f4', frame);
  const out = path.join(tmp, 'coins.gif');
  await renderToFile(spec, out);
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 10);
  assert.deepEqual(gif.delaysCs, [50, 50, 50, 50, 50, 50, 50, 50, 50, 250]);
});

test("Vega-Lite's animated_gapminder (time channel + timer param) renders one frame per year", async () => {
  const spec = path.join(FIXTURES, 'animated_gapminder.vl.json');
  const { frame, renderer, plan } = await frameOf(spec, 5, DATASETS);
  assert.deepEqual(
    plan.clock.values,
    [1955, 1960, 1965, 1970, 1975, 1980, 1985, 1990, 1995, 2000, 2005],
  );
  assert.equal(renderer.frameCount, 11);
  expectGolden('gapminder-f5', frame);
});

test("Vega-Lite's animated_hop renders one frame per date", async () => {
  const spec = path.join(FIXTURES, 'animated_hop.vl.json');
  const plan = await compile(spec, { baseDir: DATASETS });
  assert.equal(plan.clock.values.length, 1461);
  const out = path.join(tmp, 'hop.gif');
  await renderToFile(spec, out, { baseDir: DATASETS, frames: '0:1461:365' });
  assert.equal(decodeGif(out).frameCount, 5);
});

test('a plain Vega-Lite spec renders as one static frame', async () => {
  const spec = {
    data: {
      values: [
        { a: 'A', b: 28 },
        { a: 'B', b: 55 },
        { a: 'C', b: 43 },
      ],
    },
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
  };
  const { frame, renderer } = await frameOf(spec, 0);
  assert.equal(renderer.frameCount, 1);
  expectGolden('static-bar', frame);
});
