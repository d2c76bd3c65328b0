/**
 * Rescaled category scales (animation.rescale on a nominal or ordinal colour): the legend
 * lists each frame's categories, and a category keeps the colour it has in the union of all
 * frames' categories, whatever order they arrive in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpecInput, compile, render, renderToFile } from '../../src/api.js';
import { fixScaleDomains, rescaledDomains } from '../../src/render/scales.js';
import { pixel, playerPayload, renderAll } from '../helpers/motion.js';

type Json = Record<string, unknown>;
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-rescale-categories-'));
const quiet = { workers: 1 };

// Vega's default categorical scheme (tableau10): its first three colours.
const [blue, orange, red] = ['#4c78a8', '#f58518', '#e45756'];

/** Optimisers arriving out of their sort order: sgd, then rmsprop, then adam. */
function optimisers(animation: Json = {}, color: Json = {}): Json {
  const values = [
    { t: 0, opt: 'sgd', x: 1, y: 1 },
    { t: 1, opt: 'sgd', x: 2, y: 1 },
    { t: 1, opt: 'rmsprop', x: 2, y: 2 },
    { t: 2, opt: 'sgd', x: 3, y: 1 },
    { t: 2, opt: 'rmsprop', x: 3, y: 2 },
    { t: 2, opt: 'adam', x: 3, y: 3 },
  ];
  return {
    width: 200,
    height: 100,
    data: { values },
    mark: { type: 'point', filled: true },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      color: { field: 'opt', type: 'nominal', ...color },
      frame: { field: 't', type: 'ordinal' },
    },
    animation: { rescale: ['color'], ...animation },
  };
}

/** An SVG frame's point fills by category, and its legend's labels and symbol fills. */
async function svgFrame(spec: Json, frame: number) {
  const svg = Buffer.from(
    await render(spec as SpecInput, { ...quiet, format: 'svg', frame }),
  ).toString();
  const points: Record<string, string> = {};
  for (const m of svg.matchAll(/aria-label="[^"]*opt: (\w+)"[^>]*fill="([^"]+)"/g))
    points[m[1]] = m[2];
  const legend = svg.slice(svg.indexOf('role-legend'));
  return {
    points,
    labels: [...legend.matchAll(/role-legend-label[\s\S]*?<text[^>]*>([^<]*)</g)].map((m) => m[1]),
    swatches: [...legend.matchAll(/role-legend-symbol[\s\S]*?fill="(#[0-9a-f]{6})"/g)].map(
      (m) => m[1],
    ),
  };
}

test('a category keeps its colour in the union of all frames, and the legend lists the frame’s', async () => {
  const spec = optimisers();
  const expected = [
    { points: { sgd: red }, labels: ['sgd'], swatches: [red] },
    {
      points: { sgd: red, rmsprop: orange },
      labels: ['rmsprop', 'sgd'],
      swatches: [orange, red],
    },
    {
      points: { sgd: red, rmsprop: orange, adam: blue },
      labels: ['adam', 'rmsprop', 'sgd'],
      swatches: [blue, orange, red],
    },
  ];
  for (const [k, want] of expected.entries())
    assert.deepEqual(await svgFrame(spec, k), want, `frame ${k}`);
});

test('the scale’s own order: reversed, or sorted descending, the union is in that order', async () => {
  // Descending: sgd, rmsprop, adam take the first three colours in that order.
  const spec = optimisers({}, { sort: 'descending' });
  assert.deepEqual(await svgFrame(spec, 0), {
    points: { sgd: blue },
    labels: ['sgd'],
    swatches: [blue],
  });
  assert.deepEqual((await svgFrame(spec, 2)).points, { sgd: blue, rmsprop: orange, adam: red });
  // A reversed range: adam, rmsprop, sgd take its colours from its end.
  const reversed = optimisers(
    {},
    { scale: { range: ['#111111', '#222222', '#333333'], reverse: true } },
  );
  assert.deepEqual((await svgFrame(reversed, 0)).points, { sgd: '#111111' });
  assert.deepEqual((await svgFrame(reversed, 2)).points, {
    sgd: '#111111',
    rmsprop: '#222222',
    adam: '#333333',
  });
});

test('an ordinal colour from a sequential scheme keeps the colour it has among all categories', async () => {
  // Vega samples an ordinal scheme by the domain's length: one frame's domain alone would
  // give sgd the scheme's darkest blue.
  const spec = optimisers({}, { type: 'ordinal' });
  const last = await svgFrame(spec, 2);
  assert.equal(new Set(Object.values(last.points)).size, 3);
  for (const k of [0, 1])
    for (const [opt, fill] of Object.entries((await svgFrame(spec, k)).points))
      assert.equal(fill, last.points[opt], `frame ${k}: ${opt}`);
});

test('categories that arrive in the scale’s order leave the scale’s range as the spec gives it', async () => {
  const spec = optimisers();
  const values = (spec.data as { values: Json[] }).values;
  // adam first, then rmsprop, then sgd: each frame's domain starts as the union does.
  for (const v of values) v.opt = { sgd: 'adam', rmsprop: 'rmsprop', adam: 'sgd' }[v.opt as string];
  const scaled = await fixScaleDomains(await compile(spec as SpecInput), []);
  assert.deepEqual(scaled.unionRanges, {});
  const color = (scaled.vega.scales as Json[]).find((s) => s.name === 'color')!;
  assert.equal(color.range, 'category');
  assert.deepEqual(scaled.frameDomains.color, [
    ['adam'],
    ['adam', 'rmsprop'],
    ['adam', 'rmsprop', 'sgd'],
  ]);
});

test('in a tween the colours switch with the domain at the midpoint; the player gets the same signals', async () => {
  const spec = optimisers({ tween: { frames: 1 } });
  const plan = await compile(spec as SpecInput);
  const drawing = await fixScaleDomains(plan, []);
  const color = (drawing.vega.scales as Json[]).find((s) => s.name === 'color')!;
  assert.deepEqual(color.range, { signal: 'vf_range_color' });
  const colours: Record<string, string> = { adam: blue, rmsprop: orange, sgd: red };
  const signals = plan.timeline.map((_, i) => rescaledDomains(plan, drawing, i));
  assert.deepEqual(
    signals.map((s) => s.vf_domain_color),
    [
      ['sgd'],
      ['rmsprop', 'sgd'],
      ['rmsprop', 'sgd'],
      ['adam', 'rmsprop', 'sgd'],
      ['adam', 'rmsprop', 'sgd'],
    ].slice(0, plan.timeline.length),
  );
  for (const s of signals)
    assert.deepEqual(
      s.vf_range_color,
      s.vf_domain_color.map((v) => colours[v as string]),
    );
  const html = path.join(tmp, 'optimisers.html');
  await renderToFile(spec as SpecInput, html, quiet);
  const payload = playerPayload(html);
  assert.deepEqual(
    payload.signals.map((s) => [s.vf_domain_color, s.vf_range_color]),
    signals.map((s) => [s.vf_domain_color, s.vf_range_color]),
  );
  const scales = (payload.vega as { scales: Json[] }).scales;
  assert.deepEqual(scales.find((s) => s.name === 'color')!.range, { signal: 'vf_range_color' });
});

test('points drawn straight into pixels keep their category’s colour too', async () => {
  // 2500 sgd points on the left from the first frame; adam's, on the right, arrive next.
  const grid = (t: number, opt: string, x0: number) =>
    Array.from({ length: 2500 }, (_, i) => ({
      id: `${opt}${i}`,
      t,
      opt,
      x: x0 + (i % 50) / 49,
      y: Math.floor(i / 50) / 49,
    }));
  const values = [...grid(0, 'sgd', 0), ...grid(1, 'sgd', 0), ...grid(1, 'adam', 2)];
  const spec = {
    width: 120,
    height: 40,
    data: { values },
    mark: { type: 'square', size: 30, opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 3], nice: false }, axis: null },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1], nice: false }, axis: null },
      color: { field: 'opt', type: 'nominal', legend: null },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    animation: { rescale: ['color'], tween: { frames: 1 } },
  };
  const hex = (rgb: number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  for (const noFastPath of [false, true]) {
    const { frames, fastMarks } = await renderAll(spec, noFastPath);
    assert.equal(fastMarks.length, noFastPath ? 0 : 1);
    assert.equal(frames.length, 3);
    // Union: adam blue, sgd orange; sgd's centre, in every frame.
    for (const [i, f] of frames.entries())
      assert.equal(hex(pixel(f, 20, 20)), orange, `frame ${i}, fast path ${!noFastPath}`);
    assert.equal(hex(pixel(frames[2], 100, 20)), blue);
  }
});

test('a row that changes category in a tween mixes the two categories’ kept colours', async () => {
  const values = [
    { id: 'a', t: 0, opt: 'sgd', x: 1, y: 1 },
    { id: 'a', t: 1, opt: 'adam', x: 1, y: 1 },
  ];
  const spec = {
    width: 40,
    height: 40,
    data: { values },
    mark: { type: 'square', size: 400, opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 2] }, axis: null },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, 2] }, axis: null },
      color: { field: 'opt', type: 'nominal', legend: null },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    animation: { rescale: ['color'], tween: { frames: 1, easing: 'linear' } },
  };
  const { frames } = await renderAll(spec, true);
  const rgb = frames.map((f) => pixel(f, 20, 20));
  // Union: adam blue, sgd orange; halfway, their mix (as d3's interpolateRgb).
  assert.deepEqual(rgb, [
    [0xf5, 0x85, 0x18],
    [Math.round((0xf5 + 0x4c) / 2), Math.round((0x85 + 0x78) / 2), Math.round((0x18 + 0xa8) / 2)],
    [0x4c, 0x78, 0xa8],
  ]);
});

test('the view is laid out with every category, so a legend that grows over the frames fits', async () => {
  const spec = optimisers();
  const values = (spec.data as { values: Json[] }).values;
  values.push({ t: 2, opt: 'momentum with nesterov', x: 3, y: 4 });
  const { frames } = await renderAll(spec);
  const last = frames[frames.length - 1];
  // The last frame's legend holds the longest label: its ink ends inside the frame.
  let right = -1;
  for (let y = 0; y < last.height; y++)
    for (let x = 0; x < last.width; x++) {
      const i = (y * last.width + x) * 4;
      if (last.rgba[i] < 250 || last.rgba[i + 1] < 250 || last.rgba[i + 2] < 250)
        right = Math.max(right, x);
    }
  assert.ok(right < last.width - 3, `ink to x = ${right} of ${last.width}`);
  assert.deepEqual(
    frames.map((f) => f.width),
    frames.map(() => last.width),
  );
});
