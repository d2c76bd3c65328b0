/**
 * The direct raster path for large symbol marks against Vega's own rendering, in the
 * cases where drawing order or compositing could differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { FULL_GC_BYTES, frameCopied, fullCollections } from '../../src/render/full-gc.js';
import { compile } from '../../src/api.js';
import { diffFraction } from '../helpers/golden.js';
import { rng } from '../../scripts/gen-data.js';
import { rendererFor } from '../helpers/renderer.js';

const r = rng(3);
const values = Array.from({ length: 6000 }, (_, i) => ({
  x: r(),
  y: r(),
  g: String(i % 4),
  t: i % 2,
}));

async function compare(
  extra: Record<string, unknown>,
  axis: Record<string, unknown> = {},
  color: Record<string, unknown> = { field: 'g', type: 'nominal' },
) {
  const spec = {
    width: 200,
    height: 200,
    data: { values },
    mark: { type: 'circle', size: 30, opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis },
      y: { field: 'y', type: 'quantitative', axis },
      color,
      frame: { field: 't' },
    },
    ...extra,
  };
  const plan = await compile(spec);
  const fast = await rendererFor(plan);
  const vega = await rendererFor(plan, { noFastPath: true });
  assert.equal(fast.fastMarks.length, 1);
  const a = await fast.render(1);
  const copy = { ...a, rgba: Uint8Array.from(a.rgba) };
  const b = await vega.render(1);
  fast.finalize();
  vega.finalize();
  return diffFraction(copy, b);
}

test('fast path matches Vega on the default layout', async () => {
  assert.ok((await compare({})) < 0.01);
});

test('fast path keeps points under axes drawn on top (zindex 1)', async () => {
  const axis = { zindex: 1, gridColor: 'black', gridOpacity: 1 };
  assert.ok((await compare({}, axis)) < 0.01);
});

test('fast path composites correctly over a transparent background', async () => {
  assert.ok((await compare({ background: 'transparent' })) < 0.01);
});

test('fast path matches Vega with a continuous colour scheme (sampled colour table)', async () => {
  // Vega names this scale 'sequential-linear'; the fast path samples it into a table.
  const color = { field: 'x', type: 'quantitative', scale: { scheme: 'viridis' } };
  assert.ok((await compare({}, {}, color)) < 0.01);
});

test("a rendered frame's pixels stay its own after the next frame renders", async () => {
  // Frames rendered ahead are held without a copy for APNG, video and PNG frames: this
  // holds only while the canvas hands out a copy of its pixels (it does in the pinned
  // @napi-rs/canvas; a version that shares its memory would fail here), since the canvas
  // is kept between frames of one size.
  const plan = await compile({
    width: 120,
    height: 90,
    data: { values },
    mark: { type: 'circle', size: 30 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      frame: { field: 't' },
    },
  });
  for (const options of [{}, { noFastPath: true }]) {
    const renderer = await rendererFor(plan, options);
    const first = await renderer.render(0);
    const kept = Uint8Array.from(first.rgba);
    const second = await renderer.render(1);
    assert.notDeepEqual(Uint8Array.from(second.rgba), kept, 'the frames differ');
    assert.deepEqual(first.rgba, kept, `frame 0 unchanged (${JSON.stringify(options)})`);
    renderer.finalize();
  }
});

test("frames' pixel copies are collected every 64 MB, leaving V8's flags as they were", () => {
  const source = 'function twice(a) { return a * 2; } twice(1);';
  const first = new vm.Script(source, { filename: 'probe.js' });
  first.runInThisContext();
  const cachedData = first.createCachedData();
  frameCopied(FULL_GC_BYTES); // frames this process rendered before: counted from 0 now
  const before = fullCollections();
  frameCopied(FULL_GC_BYTES - 1);
  assert.equal(fullCollections(), before);
  frameCopied(1);
  assert.equal(fullCollections(), before + 1);
  // A code cache made before still fits (V8 takes one only under the same flags), and this
  // context did not get a `gc`.
  const again = new vm.Script(source, { filename: 'probe.js', cachedData });
  assert.equal(again.cachedDataRejected, false);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
});
