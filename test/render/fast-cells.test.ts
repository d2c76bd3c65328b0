/**
 * Rect grids drawn as one image per frame (render/fast-cells.ts): no seams at any size,
 * the same pixels as Vega's rects where cells are whole pixels, every way a grid is
 * written (reversed, text labels, missing cells, opacity), smoothing, per-frame colour
 * domains, and the reason when Vega draws a rect instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vega from 'vega';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, renderToFile } from '../../src/api.js';
import { describeMarks } from '../../src/render/mark-report.js';
import type { Json } from '../../src/support/json.js';
import { rendererFor } from '../helpers/renderer.js';
import { expectGolden } from '../helpers/golden.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-cells-'));

interface Cell {
  f: number;
  r: number | string;
  c: number | string;
  v: number;
  a?: number;
}

/** An n×m matrix over `frames` frames, value(f, r, c) in each cell. */
function matrix(
  n: number,
  m: number,
  frames: number,
  value: (f: number, r: number, c: number) => number,
) {
  const values: Cell[] = [];
  for (let f = 0; f < frames; f++)
    for (let r = 0; r < n; r++)
      for (let c = 0; c < m; c++) values.push({ f, r, c, v: value(f, r, c) });
  return values;
}

/** A heatmap spec: rect on ordinal c/r, colour by v, one frame per f. */
function heatmap(
  values: Cell[],
  size: number,
  extra: Json = {},
  mark: Json | string = 'rect',
): Json {
  return {
    width: size,
    height: size,
    data: { values },
    mark,
    encoding: {
      x: { field: 'c', type: 'ordinal', axis: null },
      y: { field: 'r', type: 'ordinal', axis: null },
      color: {
        field: 'v',
        type: 'quantitative',
        scale: { domain: [0, 1], scheme: 'viridis' },
        legend: null,
      },
      frame: { field: 'f', type: 'ordinal' },
    },
    config: { view: { stroke: null } },
    ...extra,
  };
}

async function frameOf(spec: Json | string, k = 0, noFastPath = false) {
  const plan = await compile(spec as never);
  const renderer = await rendererFor(plan, { noFastPath });
  try {
    const f = await renderer.render(k);
    return { ...f, rgba: Uint8Array.from(f.rgba), fast: renderer.fastMarks, plan };
  } finally {
    renderer.finalize();
  }
}

const pixel = (f: { width: number; rgba: Uint8Array }, x: number, y: number) => {
  const i = (y * f.width + x) * 4;
  return [f.rgba[i], f.rgba[i + 1], f.rgba[i + 2]];
};

/** Bytes of two frames' RGBA that differ by more than `tolerance`. */
function bytesApart(a: { rgba: Uint8Array }, b: { rgba: Uint8Array }, tolerance: number): number {
  let n = 0;
  for (let i = 0; i < a.rgba.length; i++) if (Math.abs(a.rgba[i] - b.rgba[i]) > tolerance) n++;
  return n;
}

/** The colours of one pixel row from x0 to x1 (exclusive), with their counts. */
function rowColours(f: { width: number; rgba: Uint8Array }, y: number, x0: number, x1: number) {
  const seen = new Map<string, number>();
  for (let x = x0; x < x1; x++) {
    const k = pixel(f, x, y).join(',');
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return seen;
}

/** The plot's extent in the frame: the pixels that are not the white background. */
function plotBox(f: { width: number; height: number; rgba: Uint8Array }) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++)
      if (pixel(f, x, y).some((c) => c !== 255)) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  return { x0, y0, x1, y1 };
}

test('28×28 cells in a 250×250 plot: every pixel row of a uniform image is one colour', async () => {
  const spec = heatmap(
    matrix(28, 28, 2, () => 0.5),
    250,
  );
  const cells = await frameOf(spec, 1);
  assert.deepEqual(cells.fast, ['marks']);
  const box = plotBox(cells);
  assert.deepEqual([box.x1 - box.x0 + 1, box.y1 - box.y0 + 1], [250, 250]);
  for (let y = box.y0; y <= box.y1; y++) {
    const colours = rowColours(cells, y, box.x0, box.x1 + 1);
    assert.equal(colours.size, 1, `row ${y}: ${[...colours.keys()].join(' ')}`);
  }
  assert.deepEqual(
    rowColours(cells, box.y0, box.x0, box.x1 + 1),
    rowColours(cells, box.y1, box.x0, box.x1 + 1),
  );
  // Vega's rects, on the same spec, leave seams where cell edges fall between pixels: the
  // check above is one that fails on them.
  const rects = await frameOf(spec, 1, true);
  const seams = [...Array(250).keys()].filter(
    (dy) => rowColours(rects, box.y0 + dy, box.x0, box.x1 + 1).size > 1,
  );
  assert.ok(seams.length > 100, `${seams.length} rows with seams in Vega's rects`);
});

test('whole-pixel cells draw the same pixels as Vega’s rects', async () => {
  const spec = heatmap(
    matrix(10, 12, 1, (_f, r, c) => ((r * 7 + c * 3) % 11) / 10),
    240,
    { height: 200 },
  );
  const cells = await frameOf(spec);
  const rects = await frameOf(spec, 0, true);
  assert.deepEqual(cells.fast, ['marks']);
  assert.deepEqual([cells.width, cells.height], [rects.width, rects.height]);
  assert.equal(bytesApart(cells, rects, 1), 0);
});

test('a reversed axis, text labels, a sort, missing cells and opacity draw as Vega draws them', async () => {
  const values: Cell[] = [];
  const names = ['gamma', 'alpha', 'beta'];
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 3; c++)
      if (!(r === 2 && c === 1))
        values.push({ f: 0, r, c: names[c], v: (r + c) / 6, a: c === 0 ? 0.5 : 1 });
  const spec: Json = {
    width: 150,
    height: 200,
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'c', type: 'nominal', sort: 'descending', axis: null },
      y: { field: 'r', type: 'ordinal', scale: { reverse: true }, axis: null },
      color: { field: 'v', type: 'quantitative', scale: { scheme: 'plasma' }, legend: null },
      opacity: {
        field: 'a',
        type: 'quantitative',
        scale: { domain: [0, 1], range: [0, 1] },
        legend: null,
      },
      frame: { field: 'f', type: 'ordinal' },
    },
    config: { view: { stroke: null } },
  };
  const cells = await frameOf(spec);
  const rects = await frameOf(spec, 0, true);
  assert.deepEqual(cells.fast, ['marks']);
  assert.equal(bytesApart(cells, rects, 1), 0);
  // The missing cell is background: column 'alpha' is the last of a descending sort (the
  // 3rd of three 50 px columns), row 2 of a reversed axis the 2nd from the top (50 px each).
  assert.deepEqual(pixel(cells, 125, 75), [255, 255, 255]);
  assert.notDeepEqual(pixel(cells, 75, 75), [255, 255, 255]);
});

test('smooth: blocks by default when cells are larger than pixels, averaged when smaller', async () => {
  // A checkerboard.
  const checker = (n: number) => matrix(n, n, 1, (_f, r, c) => (r + c) % 2);
  const grey = (spec: Json, mark: Json | string = 'rect') =>
    frameOf({ ...heatmap(checker(8), 160, {}, mark), ...spec });
  const blocks = await grey({});
  const smooth = await grey({}, { type: 'rect', smooth: true });
  const box = plotBox(blocks);
  // Blocks: two colours across a pixel row; smoothed: blends between them.
  assert.equal(rowColours(blocks, box.y0 + 30, box.x0, box.x1 + 1).size, 2);
  assert.ok(rowColours(smooth, box.y0 + 30, box.x0, box.x1 + 1).size > 10);
  // 512 columns in 128 pixels: averaged by default (a mid colour), every 4th column with
  // smooth: false (only the end colours).
  const fine = heatmap(checker(512), 128);
  const averaged = await frameOf(fine);
  const nearest = await frameOf({ ...fine, mark: { type: 'rect', smooth: false } });
  const fb = plotBox(averaged);
  const ends = new Set(['68,1,84', '253,231,37']);
  const mid = [...rowColours(averaged, fb.y0 + 60, fb.x0 + 2, fb.x1 - 1).keys()];
  assert.ok(
    mid.every((c) => !ends.has(c)),
    mid.join(' '),
  );
  const picked = [...rowColours(nearest, fb.y0 + 60, fb.x0 + 2, fb.x1 - 1).keys()];
  assert.ok(
    picked.every((c) => ends.has(c)),
    picked.join(' '),
  );
});

test('a colour domain per frame (rescale) recolours the image each frame', async () => {
  // Frame 0 spans 0–1, frame 1 spans 0–100: rescaled, both show the scheme's two ends.
  const values = matrix(4, 4, 2, (f, r) => (r / 3) * (f === 0 ? 1 : 100));
  const spec = heatmap(values, 80, { animation: { rescale: ['color'] } });
  const enc = spec.encoding as Json;
  enc.color = { field: 'v', type: 'quantitative', scale: { scheme: 'greys' }, legend: null };
  const a = await frameOf(spec, 0);
  const b = await frameOf(spec, 1);
  assert.deepEqual(a.fast, ['marks']);
  const box = plotBox(a);
  // Bottom row (r = 3, the largest value) is the darkest in both frames.
  assert.deepEqual(pixel(a, box.x0 + 5, box.y1 - 5), pixel(b, box.x0 + 5, box.y1 - 5));
});

test('rects Vega draws say why; smooth where it does nothing warns', async () => {
  const reason = async (spec: Json) => {
    const plan = await compile(spec as never);
    const [mark] = describeMarks(plan);
    return { mark };
  };
  const warningsOf = async (spec: Json, out: string) =>
    (await renderToFile(spec as never, path.join(tmp, out), { workers: 1 })).warnings;
  const values = matrix(3, 3, 2, (_f, r, c) => (r + c) / 4);
  assert.equal((await reason(heatmap(values, 90))).mark.drawn, 'direct');
  const stroked = await reason(
    heatmap(values, 90, {}, { type: 'rect', stroke: 'white', smooth: true }),
  );
  assert.equal(stroked.mark.reason, 'its cells have a stroke');
  assert.deepEqual(
    await warningsOf(
      heatmap(values, 90, {}, { type: 'rect', stroke: 'white', smooth: true }),
      's.gif',
    ),
    [
      'at $.mark.smooth: smooth applies to rect cells drawn as one image, and these are not: rect marks of the spec (9 a frame): drawn by Vega: its cells have a stroke; it is ignored',
    ],
  );
  const smooth = heatmap(values, 90, {}, { type: 'rect', smooth: true });
  assert.deepEqual(await warningsOf(smooth, 'ok.png'), []);
  assert.deepEqual(await warningsOf(smooth, 'v.svg'), [
    'at $.mark.smooth: smooth applies to rect cells drawn as one image, and these are not: svg output draws the rects as Vega does; it is ignored',
  ]);
  const padded = heatmap(values, 90);
  ((padded.encoding as Json).x as Json).scale = { paddingInner: 0.1 };
  assert.equal((await reason(padded)).mark.reason, 'its x band has padding between cells');
  const grown = heatmap(values, 90, { animation: { tween: { frames: 2 }, enter: 'grow' } });
  assert.equal(
    (await reason(grown)).mark.reason,
    'its cells enter or exit by grow, which Vega draws',
  );
  const onLine = await compile({
    data: { values: [{ a: 1, b: 2 }] },
    mark: { type: 'line', smooth: true },
    encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
  } as never);
  assert.ok(
    onLine.warnings.some(
      (w) => w.includes('smooth applies to rect marks') && w.includes('$.mark.smooth'),
    ),
    onLine.warnings.join('\n'),
  );
});

test('a still heatmap (no frames) is drawn as cells, its scales from every row', async () => {
  const values = matrix(28, 28, 1, (_f, r, c) =>
    r === 27 && c === 27 ? 1 : r === 0 && c === 0 ? 0 : 0.5,
  );
  const spec = heatmap(values, 250);
  delete (spec.encoding as Json).frame;
  (((spec.encoding as Json).color as Json).scale as Json).domain = undefined;
  const still = await frameOf(spec);
  assert.deepEqual(still.fast, ['marks']);
  const box = plotBox(still);
  // The domain spans every row, not the few Vega was given: the corners are the scheme's ends.
  assert.deepEqual(pixel(still, box.x0 + 2, box.y0 + 2), [68, 1, 84]);
  assert.deepEqual(pixel(still, box.x1 - 2, box.y1 - 2), [253, 231, 37]);
  for (let y = box.y0 + 10; y < box.y1 - 10; y++)
    assert.equal(rowColours(still, y, box.x0 + 10, box.x1 - 10).size, 1, `row ${y}`);
});

test('a grid wider than 1,000 columns keeps every column on its band scale', async () => {
  const values = matrix(2, 1500, 2, (_f, _r, c) => (c % 2 ? 1 : 0));
  const spec = heatmap(values, 1500, { height: 20 });
  const f = await frameOf(spec, 1);
  assert.deepEqual(f.fast, ['marks']);
  const box = plotBox(f);
  assert.equal(box.x1 - box.x0 + 1, 1500);
  // One pixel per column, alternating: every column drawn, none blank.
  const row = [...Array(1500).keys()].map((x) => pixel(f, box.x0 + x, box.y0 + 5).join(','));
  assert.equal(new Set(row).size, 2);
  assert.ok(row.every((c, x) => c === row[x % 2]));
});

test('specs/matrix-image.yaml: a 32×32 float32 stack from .npy, one image a frame', async () => {
  const f = await frameOf('specs/matrix-image.yaml', 5);
  assert.deepEqual(f.plan.warnings, []);
  assert.deepEqual(f.fast, ['marks']);
  assert.equal(f.plan.clock.values.length, 20);
  expectGolden('matrix-image-f5', f);
});

test('smaller cells than pixels are averaged at any ratio, not sampled (no moiré)', async () => {
  // 512 alternating columns in 250 pixels (a ratio that is not a whole number): every pixel
  // is the mix of the two colours, whether smooth is unset or true.
  const stripes = matrix(4, 512, 1, (_f, _r, c) => c % 2);
  for (const mark of ['rect', { type: 'rect', smooth: true }]) {
    const spec = heatmap(stripes, 250, {}, mark);
    (((spec.encoding as Json).color as Json).scale as Json) = { range: ['black', 'white'] };
    const f = await frameOf(spec);
    const box = plotBox(f);
    for (let x = box.x0 + 2; x < box.x1 - 2; x++) {
      const [grey] = pixel(f, x, box.y0 + 100);
      assert.ok(Math.abs(grey - 128) <= 8, `${JSON.stringify(mark)}: x ${x} is ${grey}`);
    }
  }
});

test('a band sorted by another field (sort: {field, op}, -color) is Vega’s', async () => {
  const values = matrix(4, 4, 2, (_f, r, c) => ((r * 4 + c) % 7) / 6);
  for (const sort of [{ field: 'v', op: 'mean' }, '-color', { op: 'count' }]) {
    const spec = heatmap(values, 120);
    ((spec.encoding as Json).x as Json).sort = sort;
    const plan = await compile(spec as never);
    const [report] = describeMarks(plan);
    assert.equal(report.reason, "its x band is sorted by its rows' values", JSON.stringify(sort));
  }
  // Sorted by its own values, or not at all, it is drawn directly.
  for (const sort of ['descending', null]) {
    const spec = heatmap(values, 120);
    ((spec.encoding as Json).x as Json).sort = sort;
    const plan = await compile(spec as never);
    assert.equal(describeMarks(plan)[0].drawn, 'direct', JSON.stringify(sort));
  }
});

test('a null row or column value (a "null" band of its own) is Vega’s', async () => {
  const values: Cell[] = matrix(3, 3, 1, (_f, r, c) => (r * 3 + c) / 8);
  values.push({ f: 0, r: null as never, c: 0, v: 1 }, { f: 0, r: 1, c: null as never, v: 0 });
  const spec = heatmap(values, 120);
  const [report] = describeMarks(await compile(spec as never));
  assert.equal(report.reason, 'its x field has null values');
  const f = await frameOf(spec);
  const box = plotBox(f);
  // 4 × 4 bands of 30 px, null last: the null row's cell (yellow) and the null column's.
  assert.deepEqual(pixel(f, box.x0 + 15, box.y0 + 105), [253, 231, 37]);
  assert.deepEqual(pixel(f, box.x0 + 105, box.y0 + 45), [68, 1, 84]);
  const rowOnly = heatmap(values.slice(0, 10), 120);
  assert.equal(
    describeMarks(await compile(rowOnly as never))[0].reason,
    'its y field has null values',
  );
});

test('a diverging scale with domainMid colours as Vega does, fixed or rescaled, still or animated', async () => {
  const values = matrix(6, 6, 2, (f, r, c) => (r - 2) * (c + 1) * (f + 1) * 0.1);
  for (const [frames, animation] of [
    [true, {}],
    [true, { rescale: ['color'] }],
    [false, {}],
  ] as const) {
    const spec = heatmap(
      values.filter((v) => frames || v.f === 0),
      120,
      { animation },
    );
    const enc = spec.encoding as Json;
    enc.color = {
      field: 'v',
      type: 'quantitative',
      scale: { scheme: 'blueorange', domainMid: 0 },
      legend: null,
    };
    if (!frames) delete enc.frame;
    const k = frames ? 1 : 0;
    const cells = await frameOf(spec, k);
    const rects = await frameOf(spec, k, true);
    assert.deepEqual(cells.fast, ['marks']);
    assert.equal(
      bytesApart(cells, rects, 2),
      0,
      JSON.stringify(animation) + (frames ? ' animated' : ' still'),
    );
    // Row 2 holds 0, the mid: the scheme's middle colour (Vega's vs the rects', which share
    // the fixed domains, is checked against the scheme itself).
    const mid = vega.scheme('blueorange') as (t: number) => string;
    const [r, g, b] = (mid(0.5).match(/\d+/g) ?? []).map(Number);
    const box = plotBox(cells);
    const at = pixel(cells, box.x0 + 10, box.y0 + 50);
    assert.ok(
      Math.abs(at[0] - r) <= 2 && Math.abs(at[1] - g) <= 2 && Math.abs(at[2] - b) <= 2,
      `${at} vs ${mid(0.5)}`,
    );
  }
});

test('a row Vega-Lite drops as invalid does not take its column off the grid', async () => {
  // The first row of column 5 has no value: Vega-Lite filters it, the rest of the column
  // stays on the band scale.
  const values = matrix(4, 8, 2, (_f, r, c) => (r * 8 + c) / 32).map((v) =>
    v.f === 0 && v.r === 0 && v.c === 5 ? { ...v, v: Number.NaN } : v,
  );
  const spec = heatmap(values, 160);
  const cells = await frameOf(spec, 1);
  const rects = await frameOf(spec, 1, true);
  assert.deepEqual(cells.fast, ['marks']);
  assert.equal(bytesApart(cells, rects, 2), 0);
  const box = plotBox(cells);
  assert.equal(box.x1 - box.x0 + 1, 160);
});

test('a matrix stack from Arrow (int16 indices, float32 values) draws as the same stack from CSV', async () => {
  const { tableFromArrays, tableToIPC } = await import('apache-arrow');
  const [frames, n, m] = [3, 12, 16];
  const size = frames * n * m;
  const frame = new Int32Array(size);
  const row = new Int16Array(size);
  const col = new Int16Array(size);
  const value = new Float32Array(size);
  const lines = ['frame,row,col,value'];
  for (let i = 0; i < size; i++) {
    [frame[i], row[i], col[i]] = [Math.floor(i / (n * m)), Math.floor(i / m) % n, i % m];
    value[i] = Math.fround(Math.sin(row[i] * 0.7 + col[i] * 0.3 + frame[i]));
    lines.push(`${frame[i]},${row[i]},${col[i]},${value[i]}`);
  }
  writeFileSync(
    path.join(tmp, 'stack.arrow'),
    tableToIPC(tableFromArrays({ frame, row, col, value }), 'file'),
  );
  writeFileSync(path.join(tmp, 'stack.csv'), lines.join('\n'));
  const specOf = (file: string) => {
    const yaml = [
      `data: {url: ${file}}`,
      'width: 160',
      'height: 120',
      'mark: rect',
      'encoding:',
      '  x: {field: col, type: ordinal}',
      '  y: {field: row, type: ordinal}',
      '  color: {field: value, type: quantitative, scale: {scheme: magma, domain: [-1, 1]}}',
      '  frame: {field: frame, type: ordinal}',
    ].join('\n');
    writeFileSync(path.join(tmp, `${file}.yaml`), yaml);
    return path.join(tmp, `${file}.yaml`);
  };
  const arrow = await frameOf(specOf('stack.arrow'), 2);
  const csv = await frameOf(specOf('stack.csv'), 2);
  assert.deepEqual(arrow.fast, ['marks']);
  assert.ok(Buffer.from(arrow.rgba).equals(Buffer.from(csv.rgba)));
});

test('a colour scale with a jump (a domain point given twice) colours each side as Vega does', async () => {
  // Values on both sides of 0.3, within half a step of a 2,048-step table: it would round
  // 0.29998 to the other side.
  const values = matrix(4, 8, 2, (_f, r, c) => 0.3 + (c - 4) * 2e-5 * (r + 1));
  const spec = heatmap(values, 160);
  (spec.encoding as Json).color = {
    field: 'v',
    type: 'quantitative',
    scale: { domain: [-1, 0.3, 0.3, 1], range: ['#0000ff', '#ccccff', '#ffcc99', '#ff6600'] },
    legend: null,
  };
  const cells = await frameOf(spec, 1);
  const rects = await frameOf(spec, 1, true);
  assert.deepEqual(cells.fast, ['marks']);
  assert.equal(bytesApart(cells, rects, 2), 0);
});

test('a grid Vega lays out (in facet panels) is drawn with cells on whole pixels: no seams', async () => {
  const values = matrix(28, 28, 2, () => 0.5).flatMap((v) => [
    { ...v, p: 'a' },
    { ...v, p: 'b' },
  ]);
  const spec = heatmap(values as Cell[], 125);
  (spec.encoding as Json).column = { field: 'p', type: 'nominal', header: null };
  const snapped = await frameOf(spec, 1);
  const vega = await frameOf(spec, 1, true);
  assert.deepEqual(snapped.fast, [], 'facets are Vega’s to lay out');
  // Each panel: 125 px of 28 cells, edges between pixels. Every pixel row across both
  // panels holds the cell colour and the background between the panels, no seam colours.
  const colours = (f: typeof snapped) => {
    const box = plotBox(f);
    const all = new Set<string>();
    for (let y = box.y0 + 1; y < box.y1; y++)
      for (const c of rowColours(f, y, box.x0, box.x1 + 1).keys()) all.add(c);
    return all;
  };
  assert.deepEqual([...colours(snapped)].sort(), ['255,255,255', '33,145,141']);
  assert.ok(colours(vega).size > 2, 'Vega’s own rects leave seams here');
});

test('small multiples (--as facet) of a heatmap draw their cells on whole pixels', async () => {
  const { decodePng } = await import('../helpers/golden.js');
  const { readFileSync } = await import('node:fs');
  const spec = heatmap(
    matrix(28, 28, 3, () => 0.5),
    125,
  );
  const png = path.join(tmp, 'facet.png');
  await renderToFile(spec as never, png, { as: 'facet', columns: 3, workers: 1 });
  const decoded = decodePng(readFileSync(png));
  const frame = { ...decoded, rgba: Uint8Array.from(decoded.rgba) };
  // A pixel row through the panels: the cell colour and the background between panels,
  // no seam colours between cells.
  const box = plotBox(frame);
  const seen = rowColours(frame, box.y1 - 10, box.x0, box.x1 + 1);
  assert.deepEqual([...seen.keys()].sort(), ['255,255,255', '33,145,141']);
});
