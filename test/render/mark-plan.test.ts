/**
 * Which marks are drawn directly is each mark's own affair: what the charts beside it
 * write, or whether they read the same data, changes nothing. Where Vega draws a mark,
 * `info` says why, and a render of a large one warns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, info, renderToFile } from '../../src/api.js';
import { planMarks } from '../../src/render/mark-plan.js';
import { diffFraction } from '../helpers/golden.js';
import { rng } from '../../scripts/gen-data.js';
import { rendererFor } from '../helpers/renderer.js';

type Json = Record<string, unknown>;

const r = rng(11);
/** 2 frames of 3,000 points (the direct path pays from 2,000 a frame). */
const values = Array.from({ length: 6000 }, (_, i) => ({
  x: r(),
  y: r(),
  g: String(i % 4),
  t: i % 2,
}));
/** A scatter of `values`' rows, as a layer (no size of its own). */
const point = (extra: Json = {}): Json => ({
  mark: { type: 'point', filled: true, size: 12, opacity: 1 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'g', type: 'nominal' },
    frame: { field: 't' },
  },
  ...extra,
});
const scatter = (extra: Json = {}): Json => ({ width: 150, height: 150, ...point(extra) });

/** Fast marks of the spec, and how far its frame 1 is from Vega's drawing of every mark. */
async function drawn(spec: Json): Promise<{ fast: string[]; diff: number }> {
  const plan = await compile(spec as never);
  const fast = await rendererFor(plan);
  const vega = await rendererFor(plan, { noFastPath: true });
  try {
    const a = await fast.render(1);
    const copy = { ...a, rgba: Uint8Array.from(a.rgba) };
    return { fast: fast.fastMarks, diff: diffFraction(copy, await vega.render(1)) };
  } finally {
    fast.finalize();
    vega.finalize();
  }
}

test('a facet beside the scatter, whose data names repeat its own, leaves it direct', async () => {
  // Vega-Lite names the facet's data "data_0" inside its group, as the scatter's is named
  // at the top level; with a sort on the facet the names met and the scatter lost its path.
  const facet = {
    data: {
      values: [
        { a: 'p', b: 3, c: 'u' },
        { a: 'q', b: 5, c: 'v' },
      ],
    },
    facet: { row: { field: 'c', type: 'nominal', sort: 'descending' } },
    spec: {
      width: 80,
      height: 40,
      mark: 'bar',
      encoding: {
        y: { field: 'a', type: 'nominal', sort: 'descending' },
        x: { field: 'b', type: 'quantitative' },
      },
    },
  };
  const { fast, diff } = await drawn({ hconcat: [scatter({ data: { values } }), facet] });
  assert.deepEqual(fast, ['concat_0_marks']);
  assert.ok(diff < 0.01, `${diff}`);
});

test('charts and layers reading the same data leave the scatter direct, drawn alike', async () => {
  const counts = {
    width: 80,
    height: 150,
    mark: 'bar',
    encoding: {
      y: { field: 'g', type: 'nominal', sort: 'descending' },
      x: { aggregate: 'count', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const mean = {
    mark: { type: 'rule', color: 'black', strokeWidth: 2 },
    encoding: { y: { aggregate: 'mean', field: 'y', type: 'quantitative' }, frame: { field: 't' } },
  };
  const layered = { layer: [point(), mean], width: 150, height: 150 };
  const spec = { data: { values }, hconcat: [layered, counts] };
  const { fast, diff } = await drawn(spec);
  assert.deepEqual(fast, ['concat_0_layer_0_marks']);
  assert.ok(diff < 0.01, `${diff}`);
  // The scatter reads a dataset of its own; the source still feeds the bar and the rule.
  const plan = await compile(spec as never);
  const [verdict] = planMarks(plan.vega, plan.planned).filter((v) => v.fast);
  assert.equal(verdict.fast!.ownsSource, false);
  assert.ok(verdict.fast!.route);
});

test('a tweened scatter sharing its data is drawn as Vega draws it, colours mixed', async () => {
  const keyed = values.map((v, i) => ({ ...v, id: i >> 1, g: String(((i >> 1) % 4) ^ (i & 1)) }));
  const layer = point();
  (layer.encoding as Json).key = { field: 'id' };
  const counts = {
    mark: 'bar',
    encoding: {
      x: { field: 'g', type: 'nominal' },
      y: { aggregate: 'count', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const spec = {
    data: { values: keyed },
    hconcat: [{ ...layer, width: 150, height: 150 }, counts],
    animation: { tween: { frames: 2 } },
  };
  const plan = await compile(spec as never);
  const fast = await rendererFor(plan);
  const vega = await rendererFor(plan, { noFastPath: true });
  try {
    assert.deepEqual(fast.fastMarks, ['concat_0_marks']);
    // Output frame 1: a third of the way from frame 0 to 1, every point's colour mixed.
    const a = await fast.render(1);
    const copy = { ...a, rgba: Uint8Array.from(a.rgba) };
    const diff = diffFraction(copy, await vega.render(1));
    assert.ok(diff < 0.01, `${diff}`);
  } finally {
    fast.finalize();
    vega.finalize();
  }
});

test('a large scatter without frames under an animated one is direct too', async () => {
  const background = {
    data: { values: values.map(({ x, y }) => ({ x: y, y: x })) },
    mark: { type: 'circle', size: 20, color: '#ddd', opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
    },
  };
  const spec = { data: { values }, layer: [background, point()], width: 150, height: 150 };
  const { fast, diff } = await drawn(spec);
  assert.deepEqual(fast, ['layer_0_marks', 'layer_1_marks']);
  assert.ok(diff < 0.01, `${diff}`);
});

test('two scatters of one source are both direct, and Vega gets none of its rows', async () => {
  const second = point();
  (second.encoding as Json).y = { field: 'x', type: 'quantitative' };
  const spec = { data: { values }, layer: [point(), second], width: 150, height: 150 };
  const { fast, diff } = await drawn(spec);
  assert.deepEqual(fast, ['layer_0_marks', 'layer_1_marks']);
  assert.ok(diff < 0.01, `${diff}`);
  const plan = await compile(spec as never);
  const verdicts = planMarks(plan.vega, plan.planned);
  assert.ok(verdicts.every((v) => v.fast?.ownsSource));
});

test('each mark Vega draws has its reason', async () => {
  const reasons = async (spec: Json) => {
    const plan = await compile(spec as never);
    return planMarks(plan.vega, plan.planned).map((v) => v.reason);
  };
  const withMark = (mark: Json) => scatter({ data: { values }, mark });
  const cases: [Json, string][] = [
    [withMark({ type: 'point', filled: true, strokeDash: [2, 2] }), 'has a stroke dash'],
    [withMark({ type: 'point', shape: 'triangle' }), 'its shape is "triangle"'],
    [withMark({ type: 'line' }), 'only point, circle, square and rect marks are drawn directly'],
    [withMark({ type: 'rect' }), 'its x is not a field on a band scale (a grid of cells)'],
    [
      scatter({
        data: { values },
        transform: [{ joinaggregate: [{ op: 'mean', field: 'x', as: 'm' }] }],
      }),
      'its data goes through a joinaggregate transform',
    ],
    [
      scatter({ data: { values }, transform: [{ filter: 'datum.x > 0.5' }] }),
      'its data is filtered by an expression',
    ],
    [
      scatter({ data: { values: values.slice(0, 200) } }),
      'at most 100 items a frame (the direct path pays from 2,000)',
    ],
    [
      { ...scatter({ data: { values } }), encoding: { ...scatter().encoding!, frame: undefined } },
      'the chart has no frames',
    ],
    [
      {
        ...scatter({ data: { values } }),
        encoding: { ...scatter().encoding!, column: { field: 'g' } },
      },
      'is drawn in each panel of a facet',
    ],
  ];
  for (const [spec, reason] of cases) assert.deepEqual(await reasons(spec), [reason]);
});

test('info names every mark, where the spec writes it, its items and how it is drawn', async () => {
  const seeds = {
    data: { values: [{ x: 0.5, y: 0.5 }] },
    mark: 'square',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  };
  const spec = {
    data: { values },
    hconcat: [
      {
        layer: [point(), seeds],
        width: 150,
        height: 150,
      },
      { mark: { type: 'point', strokeDash: [1, 1] }, encoding: point().encoding },
      { mark: 'bar', encoding: { x: { field: 'g' }, y: { aggregate: 'count' } } },
    ],
  };
  const { marks } = await info(spec as never);
  assert.deepEqual(marks, [
    {
      path: '$.hconcat[0].layer[0]',
      mark: 'point',
      name: 'concat_0_layer_0_marks',
      items: 3000,
      drawn: 'direct',
    },
    {
      path: '$.hconcat[0].layer[1]',
      mark: 'square',
      name: 'concat_0_layer_1_marks',
      items: 1,
      drawn: 'vega',
      reason: 'at most 1 item a frame (the direct path pays from 2,000)',
    },
    {
      path: '$.hconcat[1]',
      mark: 'point',
      name: 'concat_1_marks',
      items: 3000,
      drawn: 'vega',
      reason: 'has a stroke dash',
    },
    {
      path: '$.hconcat[2]',
      mark: 'bar',
      name: 'concat_2_marks',
      items: 4,
      drawn: 'vega',
      reason: 'its y is not a field on a band scale (a grid of cells)',
    },
  ]);
});

test('a render says when a mark of over 10,000 items a frame is drawn by Vega, and why', async () => {
  const many = Array.from({ length: 24_000 }, (_, i) => ({ x: r(), y: r(), t: i % 2 }));
  const spec = {
    width: 60,
    height: 60,
    data: { values: many },
    mark: { type: 'point', size: 4, strokeDash: [1, 1] },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'vf-marks-')), 'out.gif');
  const { warnings } = await renderToFile(spec as never, out, { workers: 1 });
  assert.deepEqual(
    warnings.filter((w) => w.includes('drawn by Vega')),
    [
      'point marks of the spec (12,000 a frame): drawn by Vega: has a stroke dash (drawn directly, a mark this large renders many times faster)',
    ],
  );
  // Direct marks, and Vega's small ones, say nothing.
  const quiet = { ...spec, mark: { type: 'point', size: 4 } };
  const again = await renderToFile(quiet as never, out, { workers: 1 });
  assert.deepEqual(
    again.warnings.filter((w) => w.includes('drawn by Vega')),
    [],
  );
});
