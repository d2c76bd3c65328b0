/**
 * One fast symbol layer (render/fast-symbols.ts) on a canvas of its own, without Vega's
 * View: discs and squares of the right area at their scaled places, opacity, rows that are
 * not drawn, the rows Vega lays out with, the paint deferred into the frame's pixels when
 * nothing Vega draws later overlaps it, and Vega's symbol drawing hooked only while asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type SKRSContext2D, createCanvas } from 'canvas';
import * as vega from 'vega';
import type { PlannedSource } from '../../src/data/partition.js';
import { type ColumnTable, tableFromRows } from '../../src/data/table.js';
import {
  FastSymbolLayer,
  type ScaleLookup,
  type SceneMark,
  withFastMarks,
} from '../../src/render/fast-symbols.js';
import type { ChannelRule, DirectMark } from '../../src/render/mark-plan.js';

type Scale = ((v: unknown) => unknown) & {
  domain(d: unknown[]): Scale;
  range(r: unknown[]): Scale;
};
const linear = (domain: number[], range: number[]) =>
  (vega.scale('linear') as () => Scale)().domain(domain).range(range);
const ordinal = (domain: string[], range: string[]) =>
  (vega.scale('ordinal') as () => Scale)().domain(domain).range(range);

/** Scales x and y from 0–10 onto a 100×100 plot, colours by name. */
function scalesOf(
  extra: Record<string, Scale> = {},
): ScaleLookup & { scales: Record<string, Scale> } {
  const scales: Record<string, Scale> = {
    x: linear([0, 10], [0, 100]),
    y: linear([0, 10], [0, 100]),
    color: ordinal(['a', 'b'], ['#ff0000', '#0000ff']),
    ...extra,
  };
  return {
    scales,
    scale: (name) => scales[name],
    signal: (name) => (name === 'width' || name === 'height' ? 100 : undefined),
  };
}

const field = (name: string, scale?: string): ChannelRule => ({
  kind: 'field',
  field: name,
  scale,
});
const value = (v: unknown): ChannelRule => ({ kind: 'value', value: v });

/** A layer over `rows` drawn with `channels` (x and y from their fields by default). */
function layerOf(
  rows: Record<string, unknown>[],
  channels: DirectMark['channels'],
  scales = scalesOf(),
) {
  const table: ColumnTable = tableFromRows(rows);
  const mark: DirectMark = {
    kind: 'symbols',
    markName: 'points',
    source: 0,
    datasets: ['source_0'],
    dataset: 'source_0',
    ownsSource: true,
    channels: { x: field('x', 'x'), y: field('y', 'y'), ...channels },
    validFields: ['x', 'y'],
  };
  const layer = new FastSymbolLayer(mark, { table } as unknown as PlannedSource, scales);
  layer.setFrameData(
    table,
    Uint32Array.from(rows, (_, i) => i),
  );
  return layer;
}

/** A white 100×100 canvas, drawn on at identity transform. */
function whiteCanvas() {
  const canvas = createCanvas(100, 100);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 100, 100);
  return { canvas, ctx };
}

const scene = (): SceneMark => ({ marktype: 'symbol', name: 'points', items: [] });
const pixels = (ctx: SKRSContext2D) => ctx.getImageData(0, 0, 100, 100).data;

/** Red ink on white: the sum over pixels of how far each went from white to red, in pixels. */
function redArea(rgba: Uint8Array | Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += (255 - rgba[i + 1]) / 255;
  return sum;
}
const at = (rgba: Uint8Array | Uint8ClampedArray, x: number, y: number) =>
  Array.from(rgba.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 3));

test('a disc of size s covers s·π/4 pixels around its scaled centre', () => {
  const layer = layerOf([{ x: 5, y: 3 }], { fill: value('#ff0000'), size: value(100) });
  const { ctx } = whiteCanvas();
  layer.draw(ctx, scene());
  const rgba = pixels(ctx);
  const area = redArea(rgba);
  assert.ok(
    Math.abs(area - 25 * Math.PI) < 2,
    `area ${area.toFixed(2)}, not ${(25 * Math.PI).toFixed(2)}`,
  );
  assert.deepEqual(at(rgba, 50, 30), [255, 0, 0], 'red at the centre (50, 30)');
  assert.deepEqual(at(rgba, 50, 37), [255, 255, 255], 'white past the radius');
  assert.deepEqual(at(rgba, 57, 30), [255, 255, 255]);
});

test('a square of size 64 covers 64 pixels, 8 on a side', () => {
  // x = 4.5 → 45, snapped to the centre of its eighth of a pixel: (45.0625, 45.0625), so the
  // square spans 41.06…49.06, pixels 42–48 whole.
  const layer = layerOf([{ x: 4.5, y: 4.5 }], {
    fill: value('#ff0000'),
    size: value(64),
    shape: value('square'),
  });
  const { ctx } = whiteCanvas();
  layer.draw(ctx, scene());
  const rgba = pixels(ctx);
  assert.ok(Math.abs(redArea(rgba) - 64) < 0.5, `area ${redArea(rgba)}`);
  assert.deepEqual(at(rgba, 42, 42), [255, 0, 0]);
  assert.deepEqual(at(rgba, 48, 48), [255, 0, 0]);
  assert.deepEqual(at(rgba, 40, 45), [255, 255, 255]);
  assert.deepEqual(at(rgba, 50, 45), [255, 255, 255]);
});

test('colours by scale, opacity, and rows with a missing position not drawn', () => {
  const layer = layerOf(
    [
      { x: 2, y: 2, g: 'a', o: 1 },
      { x: 8, y: 2, g: 'b', o: 0.5 },
      { x: null, y: 5, g: 'a', o: 1 },
      { x: 5, y: Number.NaN, g: 'a', o: 1 },
      { x: 5, y: 8, g: 'a', o: 0 },
    ],
    { fill: field('g', 'color'), opacity: field('o'), size: value(100) },
  );
  const { ctx } = whiteCanvas();
  layer.draw(ctx, scene());
  const rgba = pixels(ctx);
  assert.deepEqual(at(rgba, 20, 20), [255, 0, 0]);
  // Half-opaque blue over white.
  const half = at(rgba, 80, 20);
  assert.ok(
    Math.abs(half[0] - 128) <= 1 && Math.abs(half[1] - 128) <= 1 && half[2] === 255,
    String(half),
  );
  // Nothing else: no disc at x = 0 (null), none for NaN, none at opacity 0.
  assert.deepEqual(at(rgba, 0, 50), [255, 255, 255]);
  assert.deepEqual(at(rgba, 50, 80), [255, 255, 255]);
  const ink = redArea(rgba);
  assert.ok(Math.abs(ink - 1.5 * 25 * Math.PI) < 3, `ink ${ink}`);
});

test('the rows Vega lays out with: the furthest in each direction and the largest', () => {
  const rows = [
    { x: 5, y: 5, s: 4 }, // 0: inside
    { x: 1, y: 5, s: 4 }, // 1: leftmost
    { x: 9.5, y: 5, s: 4 }, // 2: rightmost
    { x: 5, y: 0.5, s: 4 }, // 3: top
    { x: 5, y: 9, s: 4 }, // 4: bottom, level with 5 but smaller
    { x: 6, y: 8.5, s: 400 }, // 5: largest, and its 10-pixel half reaches furthest down
    { x: null, y: 0, s: 1000 }, // 6: not drawn, so not laid out
  ];
  const layer = layerOf(rows, { size: field('s') });
  assert.deepEqual(
    Array.from(layer.boundsRows()).sort((a, b) => a - b),
    [1, 2, 3, 5],
  );
  assert.equal(layer.rowCount, 7);
  layer.setFrameData(layer.frameTable, new Uint32Array(0));
  assert.deepEqual(Array.from(layer.boundsRows()), []);
});

test('scales that change (a rescaled frame) move the symbols once told', () => {
  const scales = scalesOf();
  const layer = layerOf([{ x: 5, y: 5 }], { fill: value('#ff0000'), size: value(36) }, scales);
  let { ctx } = whiteCanvas();
  layer.draw(ctx, scene());
  assert.deepEqual(at(pixels(ctx), 50, 50), [255, 0, 0]);
  scales.scales.x.domain([0, 20]);
  layer.scalesChanged();
  ({ ctx } = whiteCanvas());
  layer.draw(ctx, scene());
  assert.deepEqual(at(pixels(ctx), 25, 50), [255, 0, 0]);
  assert.deepEqual(at(pixels(ctx), 50, 50), [255, 255, 255]);
});

test('with nothing drawn after it, the paint waits and blends into the frame as the overlay would', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    x: (i * 7) % 10,
    y: ((i * 3) % 10) + 0.3,
    g: i % 2 ? 'a' : 'b',
  }));
  const channels = { fill: field('g', 'color'), size: value(50), opacity: value(0.7) };
  const drawn = whiteCanvas();
  layerOf(rows, channels).draw(drawn.ctx, scene());

  const layer = layerOf(rows, channels);
  layer.allowDeferred = true;
  const deferred = whiteCanvas();
  layer.draw(deferred.ctx, scene());
  assert.ok(
    pixels(deferred.ctx).every((v) => v === 255),
    'nothing on the canvas yet',
  );
  const rgba = new Uint8Array(pixels(deferred.ctx));
  layer.blendDeferred(rgba, 100, 100);
  const expected = pixels(drawn.ctx);
  let worst = 0;
  for (let i = 0; i < rgba.length; i++) worst = Math.max(worst, Math.abs(rgba[i] - expected[i]));
  assert.ok(worst <= 2, `differs by up to ${worst}`);
  assert.ok(redArea(rgba) > 100, 'something was drawn');
  // Blended once: a second call adds nothing.
  const again = Uint8Array.from(rgba);
  layer.blendDeferred(again, 100, 100);
  assert.ok(Buffer.from(again).equals(Buffer.from(rgba)));
});

test('a mark Vega draws later over the symbols keeps them on the canvas, in order', () => {
  /** The fast mark and a later rectangle inside one root group. */
  const sceneWithLater = (bounds: { x1: number; y1: number; x2: number; y2: number }) => {
    const root: SceneMark = { marktype: 'group', items: [] };
    const fast: SceneMark = { marktype: 'symbol', name: 'points', items: [] };
    const later: SceneMark = { marktype: 'rect', name: 'later', bounds, items: [] };
    const item = { x: 0, y: 0, items: [fast, later], mark: root };
    root.items.push(item);
    fast.group = item;
    return fast;
  };
  const rows = [{ x: 5, y: 5 }];
  const channels = { fill: value('#ff0000'), size: value(100) };
  for (const [where, bounds, deferred] of [
    ['over them', { x1: 40, y1: 40, x2: 60, y2: 60 }, false],
    ['elsewhere', { x1: 80, y1: 80, x2: 95, y2: 95 }, true],
  ] as const) {
    const layer = layerOf(rows, channels);
    layer.allowDeferred = true;
    const { ctx } = whiteCanvas();
    layer.draw(ctx, sceneWithLater(bounds));
    const onCanvas = at(pixels(ctx), 50, 50);
    assert.deepEqual(onCanvas, deferred ? [255, 255, 255] : [255, 0, 0], where);
  }
});

test("Vega's symbol drawing is hooked for the named marks only while a render runs", () => {
  const symbol = (vega as unknown as { Marks: Record<string, { draw: (...a: unknown[]) => void }> })
    .Marks.symbol;
  const calls: string[] = [];
  const hooks = new Map([['points', (_: SKRSContext2D, s: SceneMark) => void calls.push(s.name!)]]);
  const { ctx } = whiteCanvas();
  withFastMarks(hooks, () => {
    symbol.draw(ctx, { marktype: 'symbol', name: 'points', items: [] });
    symbol.draw(ctx, { marktype: 'symbol', name: 'others', items: [] });
  });
  assert.deepEqual(calls, ['points']);
  symbol.draw(ctx, { marktype: 'symbol', name: 'points', items: [] });
  assert.deepEqual(calls, ['points'], 'not after the render');
  // A render that throws leaves the hooks off too.
  assert.throws(() =>
    withFastMarks(hooks, () => {
      throw new Error('render failed');
    }),
  );
  symbol.draw(ctx, { marktype: 'symbol', name: 'points', items: [] });
  assert.deepEqual(calls, ['points']);
});
