/**
 * Paper sizes: the figure's width and height (chart pixels, 1/72 in) lay the chart out to
 * fill them, and fitWidth scales a still or small multiples to a column's width; with
 * scale = ppi / 72 a PNG has width × ppi / 72 pixels and records that ppi.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { render } from '../../src/api.js';
import { OptionError } from '../../src/spec/errors.js';
import type { RenderOptions } from '../../src/pipeline/options.js';
import type { VegaFramesSpec } from '../../src/spec/types.js';
import { decodeGif } from '../helpers/gif-decode.js';

const spec = {
  title: 'Growth',
  data: {
    values: Array.from({ length: 12 }, (_, i) => ({ a: i, b: (i * 7) % 5, t: i % 3 })),
  },
  mark: 'line',
  encoding: {
    x: { field: 'a', type: 'quantitative' },
    y: { field: 'b', type: 'quantitative' },
    frame: { field: 't' },
  },
} as VegaFramesSpec;

const at300 = { scale: 300 / 72, ppi: 300, workers: 1 } satisfies RenderOptions;

async function png(options: RenderOptions) {
  const bytes = await render(spec, { workers: 1, ...options, format: 'png' });
  const decoded = PNG.sync.read(Buffer.from(bytes));
  const b = Buffer.from(bytes);
  const at = b.indexOf('pHYs');
  const ppi = at > 0 ? Math.round(b.readUInt32BE(at + 4) * 0.0254) : undefined;
  return { width: decoded.width, height: decoded.height, ppi };
}

test('3.5 in × 2 in at 300 ppi: a 1050 × 600 PNG that records 300 ppi', async () => {
  assert.deepEqual(await png({ ...at300, width: 252, height: 144 }), {
    width: 1050,
    height: 600,
    ppi: 300,
  });
  // The same figure size at 72 ppi: 252 × 144 pixels, the same layout.
  assert.deepEqual(await png({ width: 252, height: 144 }), { width: 252, height: 144, ppi: 72 });
});

test('a width alone fits the width; the height stays as the chart lays it out, and the reverse', async () => {
  const plain = await png({});
  assert.deepEqual(await png({ width: 252 }), { width: 252, height: plain.height, ppi: 72 });
  // The plot keeps its width; only the y axis's labels (fewer ticks when shorter) may differ.
  const short = await png({ height: 144 });
  assert.equal(short.height, 144);
  assert.ok(Math.abs(short.width - plain.width) <= 12, `${short.width} against ${plain.width}`);
});

test('an animation is laid out at the figure size too', async () => {
  const gif = decodeGif(
    await render(spec, { format: 'gif', width: 252, height: 144, scale: 2, workers: 1 }),
  );
  assert.deepEqual([gif.width, gif.height], [504, 288]);
});

test('fitWidth scales a still, small multiples and a PDF page to the width', async () => {
  const plain = await png({});
  const fitted = await png({ ...at300, fitWidth: 252 });
  assert.equal(fitted.width, 1050);
  assert.equal(fitted.ppi, 300);
  // Scaled, not laid out again: the aspect ratio stays.
  assert.ok(Math.abs(fitted.height / fitted.width - plain.height / plain.width) < 0.002);
  assert.equal((await png({ ...at300, fitWidth: 252, as: 'facet' })).width, 1050);
  const pdf = Buffer.from(
    await render(spec, { format: 'pdf', fitWidth: 252, workers: 1 }),
  ).toString('latin1');
  assert.match(pdf, /MediaBox \[0 0 252 /);
});

test("fitWidth on an SVG: the root's width and height to a thousandth, the viewBox as laid out", async () => {
  for (const [options, width] of [
    [{ fitWidth: 252 }, 252],
    [{ fitWidth: 252, scale: 300 / 72 }, 1050],
    [{ fitWidth: 7.3 * (72 / 2.54), as: 'facet' }, 206.929],
    [{ scale: 300 / 72 }, undefined],
  ] as const) {
    const svg = Buffer.from(
      await render(spec, { ...options, format: 'svg', workers: 1 } as RenderOptions),
    ).toString();
    const root = /^<svg\b[^>]*>/.exec(svg)![0];
    const [w, h] = [/ width="([^"]*)"/, / height="([^"]*)"/].map((re) => re.exec(root)![1]);
    const [, , vw, vh] = / viewBox="([^"]*)"/.exec(root)![1].split(' ').map(Number);
    for (const size of [w, h]) assert.match(size, /^\d+(\.\d{1,3})?$/, root);
    if (width !== undefined) assert.equal(Number(w), width);
    // Scaled, not laid out again: the aspect ratio is the viewBox's.
    assert.ok(Math.abs(Number(h) - (Number(w) * vh) / vw) < 0.001, root);
  }
});

test('refusals: fitWidth on an animation, a figure size on small multiples', async () => {
  await assert.rejects(
    render(spec, { format: 'gif', fitWidth: 252 }),
    (e: unknown) => e instanceof OptionError && /--fit-width.*--width/.test(e.message),
  );
  await assert.rejects(
    render(spec, { format: 'png', as: 'facet', width: 252 }),
    (e: unknown) => e instanceof OptionError && /--fit-width/.test(e.message),
  );
  await assert.rejects(render(spec, { format: 'png', width: -3 }), OptionError);
});

test('fitWidth fills the width with tiled frames of an animation with motion too', async () => {
  const moving = {
    ...spec,
    encoding: { ...(spec.encoding as object), key: { field: 'a' } },
    animation: { tween: { frames: 2 } },
  } as VegaFramesSpec;
  const bytes = await render(moving, { ...at300, format: 'png', as: 'facet', fitWidth: 252 });
  assert.equal(PNG.sync.read(Buffer.from(bytes)).width, 1050);
});
