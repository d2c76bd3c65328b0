/**
 * Motion's edge cases: rescale on the fast path, numbers encoded as categories, discrete
 * rescaled domains, repeated keys, dates written as text, default sizes, fly inside
 * concat, fps overrides, one data frame, video rounding, rewind in the player.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpecInput, compile, renderToFile } from '../../src/api.js';
import { resolveAnimation } from '../../src/compile/animation.js';
import { buildTimeline } from '../../src/compile/timeline.js';
import { videoRepeats } from '../../src/encode/video.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { centroid, pixel, pointSpec, renderAll, square, playerPayload } from '../helpers/motion.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-motion-edges-'));
type Json = Record<string, unknown>;
const red = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 90;

test('rescale with the fast path: points drawn with the frame’s own domain', async () => {
  const values = [0, 1].flatMap((t) =>
    Array.from({ length: 2500 }, (_, i) => ({
      id: i,
      t,
      x: t * 100 + (i % 50) / 49,
      y: Math.floor(i / 50) / 5,
      c: 'hi',
    })),
  );
  const spec = pointSpec(values, { tween: { frames: 1 }, rescale: ['x'] });
  (spec.encoding as Json).x = { field: 'x', type: 'quantitative' };
  const fast = await renderAll(spec);
  const vega = await renderAll(spec, true);
  assert.equal(fast.fastMarks.length, 1);
  for (let i = 0; i < 3; i++) {
    const [a, b] = [centroid(fast.frames[i], red), centroid(vega.frames[i], red)];
    assert.ok(a.n > 0, `frame ${i}: red pixels drawn`);
    assert.ok(
      Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5,
      `frame ${i}: ${a.x} vs ${b.x}`,
    );
  }
});

test('a number encoded as a category switches at the midpoint instead of vanishing', async () => {
  const values = [
    { id: 'a', t: 0, rank: 1, v: 5 },
    { id: 'b', t: 0, rank: 2, v: 3 },
    { id: 'a', t: 1, rank: 2, v: 6 },
    { id: 'b', t: 1, rank: 1, v: 7 },
  ];
  const spec = {
    width: 200,
    height: 100,
    data: { values },
    mark: { type: 'bar', color: '#ff0000' },
    encoding: {
      y: { field: 'rank', type: 'ordinal' },
      x: { field: 'v', type: 'quantitative', scale: { domain: [0, 10] } },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    animation: { tween: { frames: 3 } },
  };
  const { frames } = await renderAll(spec);
  // Both bars are drawn in every frame: about 2 × 20 px high.
  for (const f of frames) assert.ok(centroid(f, red).n > 2 * 15 * 60, `${centroid(f, red).n} px`);
});

test('a rescaled ordinal axis of numbers switches domains rather than interpolating them', async () => {
  const values = [2000, 2001, 2002, 2001, 2002, 2003].map((year, i) => ({
    t: i < 3 ? 0 : 1,
    year,
    v: 5,
  }));
  const spec = {
    width: 150,
    height: 100,
    data: { values },
    mark: { type: 'bar', color: '#ff0000' },
    encoding: {
      x: { field: 'year', type: 'ordinal' },
      y: { field: 'v', type: 'quantitative', scale: { domain: [0, 10] } },
      frame: { field: 't', type: 'quantitative' },
    },
    animation: { tween: { frames: 1 }, rescale: ['x'] },
  };
  const { frames } = await renderAll(spec);
  for (const f of frames) assert.ok(centroid(f, red).n > 3 * 20 * 40, `${centroid(f, red).n} px`);
});

test('rows sharing a key are matched in order, not collapsed', async () => {
  const values = [0, 1].flatMap((t) => [
    { id: 'a', t, x: 1, y: 5, c: 'hi' },
    { id: 'a', t, x: 9, y: 5, c: 'hi' },
  ]);
  const { frames } = await renderAll(pointSpec(values, { tween: { frames: 1 } }));
  const [first, mid] = [frames[0], frames[1]];
  const c = centroid(first, red);
  assert.ok(Math.abs(centroid(mid, red).x - c.x) < 0.5, 'nothing moves');
  assert.equal(pixel(mid, c.x, c.y)[1], 255, 'no point halfway');
});

test('dates written as text tween as timestamps', async () => {
  const values = [
    { id: 'a', t: 0, d: '2024-01-01', y: 5, c: 'hi' },
    { id: 'a', t: 1, d: '2024-01-05', y: 5, c: 'hi' },
    { id: 'z', t: 0, d: '2024-01-03', y: 2, c: 'b' },
    { id: 'z', t: 1, d: '2024-01-03', y: 2, c: 'b' },
  ];
  const spec = pointSpec(values, { tween: { frames: 1 } });
  (spec.encoding as Json).x = { field: 'd', type: 'temporal' };
  const { frames } = await renderAll(spec);
  const blue = (r: number, g: number, b: number) => b > 150 && r < 120;
  // Half way from the 1st to the 5th is the 3rd: above the blue point.
  assert.ok(Math.abs(centroid(frames[1], red).x - centroid(frames[1], blue).x) < 0.5);
});

test('default symbol sizes: the fast path draws Vega’s (styles, not 64), growing or not', async () => {
  const values = [0, 1].flatMap((t) =>
    Array.from({ length: 2500 }, (_, i) => ({
      id: t ? i : i + 5000,
      t,
      x: (i % 50) / 5,
      y: Math.floor(i / 50) / 5,
    })),
  );
  const spec = {
    width: 300,
    height: 300,
    data: { values },
    mark: { type: 'circle', color: '#ff0000', opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: square },
      y: { field: 'y', type: 'quantitative', scale: square },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    config: { axis: { grid: false } },
    animation: { tween: { frames: 1 }, enter: 'grow', exit: 'grow' },
  };
  const fast = await renderAll(spec);
  const vega = await renderAll(spec, true);
  assert.equal(fast.fastMarks.length, 1);
  // Ink: coverage-weighted (anti-aliased edges count in part), so both renderers compare.
  const ink = (f: { rgba: Uint8Array }) => {
    let sum = 0;
    for (let i = 0; i < f.rgba.length; i += 4) sum += (255 - f.rgba[i + 1]) / 255;
    return sum;
  };
  for (let i = 0; i < 3; i++) {
    const [a, b] = [ink(fast.frames[i]), ink(vega.frames[i])];
    assert.ok(Math.abs(a - b) <= 0.03 * b, `frame ${i}: ${a} vs ${b} ink`);
  }
  assert.ok(ink(vega.frames[1]) < 0.8 * ink(vega.frames[0]), 'grown');
});

test('fly inside a concat moves by the unit’s own plot size', async () => {
  const values = [
    { id: 'n', t: 1, x: 5, y: 5, c: 'hi' },
    { id: 'm', t: 0, x: 1, y: 1, c: 'b' },
    { id: 'm', t: 1, x: 1, y: 1, c: 'b' },
  ];
  const { animation, config, ...unit } = pointSpec(values, {
    tween: { frames: 1 },
    enter: 'fly-bottom',
  });
  const spec = { vconcat: [unit], config, animation };
  const { frames } = await renderAll(spec);
  const [mid, end] = [centroid(frames[1], red), centroid(frames[2], red)];
  // Half the 200 px plot below its place at t = 0.5 (linear).
  assert.ok(Math.abs(mid.y - end.y - 100) < 1.5, `${mid.y} vs ${end.y}`);
});

test('--fps refits holds and durations in seconds', async () => {
  const spec = pointSpec(
    [
      { id: 'a', t: 0, x: 1, y: 1, c: 'hi' },
      { id: 'a', t: 1, x: 9, y: 9, c: 'hi' },
    ],
    { fps: 10, duration: 2 },
  );
  const out = path.join(tmp, 'fps.gif');
  await renderToFile(spec as SpecInput, out, { fps: 20 });
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 40);
  assert.equal(
    gif.delaysCs.reduce((s, d) => s + d, 0),
    200,
  );
});

test('one data frame: a duration holds it; nframes is refused with its path', () => {
  const one = buildTimeline(1, resolveAnimation({ fps: 10, duration: 3 }));
  assert.equal(one.length, 1);
  assert.ok(Math.abs(one[0].extra + 0.1 - 3) < 1e-9);
  assert.throws(
    () => buildTimeline(1, resolveAnimation({ nframes: 10 })),
    (e: unknown) => (e as { path?: string }).path === '$.animation.nframes',
  );
});

test('video repeats accumulate their rounding: a 0.25 s hold at 10 fps', () => {
  const repeats = videoRepeats([0.15, 0, 0.15, 0, 0.15, 0, 0.15], 10);
  const frames = repeats.reduce((s, r) => s + r + 1, 0);
  assert.equal(frames, Math.round(7 * 0.1 * 10 + 4 * 0.15 * 10));
});

test('HTML player with rewind and no tween shows the right data frame at every step', async () => {
  const values = [0, 1, 2].map((t) => ({ id: 'a', t, x: 1 + 4 * t, y: 5, c: 'hi' }));
  const out = path.join(tmp, 'rewind.html');
  await renderToFile(pointSpec(values, { rewind: true }) as SpecInput, out);
  const payload = playerPayload(out);
  assert.deepEqual(payload.frames, [0, 1, 2, 1]);
  assert.equal(payload.signals.length, 4);
  assert.equal(payload.sources[0].offsets!.length, 4);
  const plan = await compile(pointSpec(values, { rewind: true }) as SpecInput);
  assert.equal(plan.timeline.length, 4);
});

test('keys of every kind match: integers, text, fractions (a Map), repeated', async () => {
  for (const ids of [
    [7, 3],
    ['p', 'q'],
    [0.5, 1e9 + 0.25],
  ]) {
    const values = [
      { id: ids[0], t: 0, x: 1, y: 5, c: 'hi' },
      { id: ids[1], t: 0, x: 5, y: 1, c: 'b' },
      { id: ids[1], t: 1, x: 5, y: 1, c: 'b' },
      { id: ids[0], t: 1, x: 9, y: 5, c: 'hi' },
    ];
    const { frames } = await renderAll(pointSpec(values, { tween: { frames: 1 } }));
    const [c0, mid, c1] = [
      centroid(frames[0], red),
      centroid(frames[1], red),
      centroid(frames[2], red),
    ];
    assert.ok(Math.abs(mid.x - (c0.x + c1.x) / 2) < 0.5, `${JSON.stringify(ids)}: x ${mid.x}`);
  }
});
