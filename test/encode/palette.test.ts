import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RasterFrame } from '../../src/encode/sink.js';
import { buildPalette, colorsBetween, type RGB } from '../../src/encode/palette.js';

const WHITE: RGB = [255, 255, 255];
const RED: RGB = [214, 39, 40];
const GREY: RGB = [221, 221, 221];

/** A frame of white with `rows` rows of each colour below it. */
function striped(width: number, stripes: [RGB, number][]): RasterFrame {
  const height = stripes.reduce((sum, [, rows]) => sum + rows, 0) + 10;
  const rgba = new Uint8Array(width * height * 4).fill(255);
  let y = 10;
  for (const [[r, g, b], rows] of stripes)
    for (let k = 0; k < rows; k++, y++)
      for (let x = 0; x < width; x++) rgba.set([r, g, b, 255], (y * width + x) * 4);
  return { width, height, rgba };
}

const over = ([r, g, b]: RGB, [ur, ug, ub]: RGB, o: number): RGB => {
  const a = Math.round(o * 255);
  const blend = (c: number, u: number) => ((c * a + u * (255 - a) + 127) / 255) | 0;
  return [blend(r, ur), blend(g, ug), blend(b, ub)];
};

test('colorsBetween: a fade over the samples’ other frequent colours gives spare colours', () => {
  const sample = [
    striped(20, [
      [RED, 20],
      [GREY, 2],
    ]),
  ];
  const colours = colorsBetween(sample, [], WHITE, { opacities: [0.25, 0.5], mixes: [] });
  const key = (c: RGB) => c.join();
  const spare = new Set(colours.filter((c) => c.spare).map((c) => key(c.color)));
  const main = new Set(colours.filter((c) => !c.spare).map((c) => key(c.color)));
  // Red at each opacity over the gridline grey (and grey over red) are spare…
  assert.ok(spare.has(key(over(RED, GREY, 0.25))));
  assert.ok(spare.has(key(over(RED, GREY, 0.5))));
  assert.ok(spare.has(key(over(GREY, RED, 0.5))));
  // …and the colours over the background are not.
  assert.ok(main.has(key(over(RED, WHITE, 0.25))));
  assert.ok(!spare.has(key(over(RED, WHITE, 0.25))));
  // Without opacities there is nothing to blend.
  assert.deepEqual(colorsBetween(sample, [], WHITE, { opacities: [], mixes: [] }), []);
});

test('buildPalette: spare colours fill only slots no other colour needs', () => {
  const sample = [
    striped(20, [
      [RED, 20],
      [GREY, 2],
    ]),
  ];
  const between = colorsBetween(sample, [], WHITE, { opacities: [0.25, 0.5], mixes: [] });
  const needed = between.filter((c) => !c.spare).map((c) => c.color.join());
  const spare = between.filter((c) => c.spare).map((c) => c.color.join());
  // Room for all: the spare blends are entries (or within a few levels of one).
  const roomy = buildPalette({ sample, between, maxColors: 64 });
  const nearest = (c: string) => {
    const [r, g, b] = c.split(',').map(Number);
    return Math.min(
      ...roomy.colors.map(([pr, pg, pb]) =>
        Math.max(Math.abs(pr - r), Math.abs(pg - g), Math.abs(pb - b)),
      ),
    );
  };
  for (const c of spare)
    assert.ok(nearest(c) <= 6, `${c} is ${nearest(c)} levels from the palette`);
  // Room for the sample's colours and the fade over the background only: those, no spare.
  const tight = buildPalette({ sample, between, maxColors: 3 + needed.length });
  const entries = new Set(tight.colors.map((c) => c.join()));
  for (const c of needed) assert.ok(entries.has(c), `${c} kept`);
  assert.ok(spare.every((c) => !entries.has(c)));
  // Without spare colours the same palette comes out.
  const without = buildPalette({
    sample,
    between: between.filter((c) => !c.spare),
    maxColors: 3 + needed.length,
  });
  assert.deepEqual(tight.colors, without.colors);
});
