/**
 * Motion end to end: tweened positions located in pixels, enter/exit effects frame by
 * frame, trails counted, colours mixed, rescaled axes, reveal, and every encoder playing
 * the timeline (frame counts and delays decoded back; MP4, through ffmpeg, in
 * motion.slow.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import UPNG from 'upng-js';
import { type SpecInput, compile, renderToFile } from '../../src/api.js';
import { outputFrameSignals } from '../../src/render/signals.js';
import { decodeGif } from '../helpers/gif-decode.js';
import {
  type Frame,
  centroid,
  isRed,
  pixel,
  pointSpec,
  renderAll,
  square,
  playerPayload,
} from '../helpers/motion.js';
import { rendererFor } from '../helpers/renderer.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-motion-'));
type Json = Record<string, unknown>;

const mover = [
  { id: 'a', t: 0, x: 1, y: 1, c: 'hi' },
  { id: 'a', t: 1, x: 9, y: 9, c: 'hi' },
];

test('a keyed point at t = 0.5 sits at the eased midpoint (quad-in: a quarter of the way)', async () => {
  const { frames } = await renderAll(pointSpec(mover, { tween: { frames: 3, easing: 'quad-in' } }));
  assert.equal(frames.length, 5);
  const [c0, mid, c1] = [centroid(frames[0]), centroid(frames[2]), centroid(frames[4])];
  assert.ok(Math.abs(mid.x - (c0.x + 0.25 * (c1.x - c0.x))) < 0.5, `x ${mid.x}`);
  assert.ok(Math.abs(mid.y - (c0.y + 0.25 * (c1.y - c0.y))) < 0.5, `y ${mid.y}`);
});

test('easing per channel: x linear, y cubic-in, each on its own curve', async () => {
  const { frames } = await renderAll(
    pointSpec(mover, { tween: { frames: 3, easing: { x: 'linear', y: 'cubic-in' } } }),
  );
  const [c0, mid, c1] = [centroid(frames[0]), centroid(frames[2]), centroid(frames[4])];
  assert.ok(Math.abs(mid.x - (c0.x + 0.5 * (c1.x - c0.x))) < 0.5, `x ${mid.x}`);
  assert.ok(Math.abs(mid.y - (c0.y + 0.125 * (c1.y - c0.y))) < 0.5, `y ${mid.y}`);
});

test('rows are matched by key, not by their order in the frame', async () => {
  const values = [
    { id: 'a', t: 0, x: 1, y: 5, c: 'hi' },
    { id: 'z', t: 0, x: 5, y: 1, c: 'b' },
    { id: 'z', t: 1, x: 5, y: 1, c: 'b' },
    { id: 'a', t: 1, x: 9, y: 5, c: 'hi' },
  ];
  const { frames } = await renderAll(pointSpec(values, { tween: { frames: 1 } }));
  const [c0, mid, c1] = [centroid(frames[0]), centroid(frames[1]), centroid(frames[2])];
  assert.ok(Math.abs(mid.x - (c0.x + c1.x) / 2) < 0.5, `x ${mid.x}`);
  assert.ok(Math.abs(mid.y - c0.y) < 0.5, 'the red point keeps its row');
});

// 2,400 grey points keep the mark on the fast path; the red one moves and others enter.
const crowd = (t: number) =>
  Array.from({ length: 2400 }, (_, i) => ({
    id: `g${i}`,
    t,
    x: (i % 60) / 30,
    y: Math.floor(i / 60) / 20,
    c: 'lo',
  }));

test('the fast path draws tweens as Vega does: moved, faded and grown', async () => {
  const values = [
    ...crowd(0),
    ...crowd(1),
    ...mover,
    { id: 'n', t: 1, x: 5, y: 8, c: 'b' },
    { id: 'o', t: 0, x: 8, y: 2, c: 'b' },
  ];
  const spec = pointSpec(values, {
    tween: { frames: 3, easing: 'cubic-in-out' },
    enter: 'fade',
    exit: ['grow', 'fly-left'],
  });
  const fast = await renderAll(spec);
  const vega = await renderAll(spec, true);
  assert.equal(fast.fastMarks.length, 1, 'the mark is drawn by the fast path');
  for (let i = 0; i < fast.frames.length; i++) {
    const a = centroid(fast.frames[i]);
    const b = centroid(vega.frames[i]);
    assert.ok(Math.abs(a.x - b.x) < 0.3 && Math.abs(a.y - b.y) < 0.3, `frame ${i}`);
    const blue = (r: number, g: number, bl: number) => bl > 150 && r < 200 && g < 200;
    const fb = centroid(fast.frames[i], blue);
    const vb = centroid(vega.frames[i], blue);
    assert.ok(
      Math.abs(fb.n - vb.n) <= Math.max(3, 0.1 * vb.n),
      `frame ${i}: ${fb.n} vs ${vb.n} blue px`,
    );
  }
});

test('an entering point fades in frame by frame; an exiting one fades out', async () => {
  const values = [
    ...mover,
    { id: 'n', t: 1, x: 5, y: 5, c: 'b' },
    { id: 'o', t: 0, x: 2, y: 8, c: 'b' },
  ];
  const { frames } = await renderAll(
    pointSpec(values, { tween: { frames: 4 }, enter: 'fade', exit: 'fade' }),
  );
  const blue = (r: number, g: number, b: number) => b > 150 && r < 120;
  const at = centroid(frames[5], blue); // where the new point ends
  const from = centroid(frames[0], blue); // where the old point starts
  // Blue over white: the red channel falls as the opacity rises.
  const inRed = frames.map((f) => pixel(f, at.x, at.y)[0]);
  const outRed = frames.map((f) => pixel(f, from.x, from.y)[0]);
  for (let i = 1; i < frames.length; i++) {
    assert.ok(inRed[i] < inRed[i - 1], `entering: ${inRed.join(',')}`);
    assert.ok(outRed[i] > outRed[i - 1], `exiting: ${outRed.join(',')}`);
  }
  assert.equal(inRed[0], 255);
  assert.equal(outRed[5], 255);
});

test('without enter/exit effects a row appears and vanishes at the midpoint', async () => {
  const values = [...mover, { id: 'n', t: 1, x: 5, y: 5, c: 'b' }];
  const { frames } = await renderAll(pointSpec(values, { tween: { frames: 3 } }));
  const blueCount = frames.map((f) => centroid(f, (r, g, b) => b > 150 && r < 120).n);
  assert.deepEqual(
    blueCount.map((n) => n > 0),
    [false, false, true, true, true],
  );
});

test('a category that changes mixes its colours through the tween', async () => {
  const values = [
    { id: 'm', t: 0, x: 5, y: 5, c: 'hi' },
    { id: 'm', t: 1, x: 5, y: 5, c: 'b' },
  ];
  const { frames } = await renderAll(pointSpec(values, { tween: { frames: 1 } }));
  const c = centroid(frames[0]);
  const [r, , b] = pixel(frames[1], c.x, c.y);
  assert.ok(Math.abs(r - 128) <= 2 && Math.abs(b - 128) <= 2, `mid colour ${r},${b}`);
});

test('a wake trail draws the previous N frames, fainter with age', async () => {
  const values = Array.from({ length: 6 }, (_, t) => ({
    id: 'a',
    t,
    x: 1 + t * 1.5,
    y: 5,
    c: 'hi',
  }));
  const { frames } = await renderAll(pointSpec(values, { trail: { frames: 3, opacity: 0.6 } }));
  const centres = frames.map((f) => centroid(f)); // frame t alone in frame 0; later frames mixed
  const last = frames[5];
  const xOf = (t: number) => centres[0].x + ((centres[5].x - centres[0].x) * t) / 5;
  // The green channel of red over white falls with opacity: 255 × (1 − α).
  const greens = [0, 1, 2, 3, 4].map((t) => pixel(last, xOf(t), centres[0].y)[1]);
  assert.equal(greens[0], 255, 'four frames back: no copy');
  assert.equal(greens[1], 255, 'five frames back: no copy');
  for (const [k, alpha] of [
    [2, 0.2],
    [3, 0.4],
    [4, 0.6],
  ])
    assert.ok(Math.abs(greens[k] - 255 * (1 - alpha)) <= 3, `copy at t=${k}: ${greens.join(',')}`);
});

test('trail mode "all" keeps every past data frame at the trail opacity', async () => {
  const values = Array.from({ length: 5 }, (_, t) => ({ id: 'a', t, x: 1 + t * 2, y: 5, c: 'hi' }));
  const { frames } = await renderAll(pointSpec(values, { trail: { mode: 'all', opacity: 0.5 } }));
  const c0 = centroid(frames[0]);
  const c4 = centroid(frames[4], (r, g, b) => r > 180 && g < 20 && b < 20);
  const greens = [0, 1, 2, 3].map((t) => pixel(frames[4], c0.x + ((c4.x - c0.x) * t) / 4, c0.y)[1]);
  for (const g of greens) assert.ok(Math.abs(g - 128) <= 3, `copies ${greens.join(',')}`);
});

test('rescale: the x axis follows each frame, and the domains tween with it', async () => {
  const values = [
    { id: 'a', t: 0, x: 1, y: 5, c: 'hi' },
    { id: 'z', t: 0, x: 0, y: 5, c: 'b' },
    { id: 'a', t: 1, x: 100, y: 5, c: 'hi' },
    { id: 'z', t: 1, x: 0, y: 5, c: 'b' },
  ];
  const spec = pointSpec(values, { tween: { frames: 3 }, rescale: ['x'] });
  (spec.encoding as Json).x = { field: 'x', type: 'quantitative' };
  const { frames } = await renderAll(spec);
  // The largest x is at the right edge of the plot in every frame, tweens included.
  const xs = frames.map((f) => centroid(f).x);
  for (const x of xs) assert.ok(Math.abs(x - xs[0]) < 0.5, `red x ${xs.join(',')}`);
  // Without rescale the first frame's point sits near the left.
  const fixed = await renderAll({ ...spec, animation: { tween: { frames: 3 } } });
  assert.ok(centroid(fixed.frames[0]).x < xs[0] - 100);
});

test('reveal: a line grows along x, its leading point between data points in a tween', async () => {
  const values = Array.from({ length: 5 }, (_, i) => ({ x: i * 2 + 1, y: i * 2 + 1 }));
  const spec = {
    width: 200,
    height: 200,
    data: { values },
    mark: { type: 'line', color: '#ff0000', strokeWidth: 3 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: square },
      y: { field: 'y', type: 'quantitative', scale: square },
      frame: { field: 'x', type: 'quantitative' },
    },
    animation: { reveal: true, tween: { frames: 1 } },
  };
  const { frames } = await renderAll(spec);
  assert.equal(frames.length, 9);
  const right = (f: Frame) => {
    let max = -1;
    for (let y = 0; y < f.height; y++)
      for (let x = 0; x < f.width; x++) {
        const i = (y * f.width + x) * 4;
        if (isRed(f.rgba[i], f.rgba[i + 1], f.rgba[i + 2]) && x > max) max = x;
      }
    return max;
  };
  const [r2, mid, r4] = [right(frames[2]), right(frames[3]), right(frames[4])];
  assert.ok(r2 < mid && mid < r4, `${r2} < ${mid} < ${r4}`);
  assert.ok(Math.abs(mid - (r2 + r4) / 2) <= 1.5, `${mid} vs ${(r2 + r4) / 2}`);
});

test('{frame} in a tween: interpolated for quantitative frames, the closest for ordinal', async () => {
  const values = [
    { id: 'a', t: 10, x: 1, y: 1, c: 'hi' },
    { id: 'a', t: 20, x: 9, y: 9, c: 'hi' },
  ];
  const q = await compile(pointSpec(values, { tween: { frames: 3 } }) as SpecInput);
  assert.deepEqual(
    q.timeline.map((_, i) => outputFrameSignals(q, i).frame),
    [10, 12.5, 15, 17.5, 20],
  );
  const spec = pointSpec(values, { tween: { frames: 3 } });
  ((spec.encoding as Json).frame as Json).type = 'ordinal';
  const o = await compile(spec as SpecInput);
  assert.deepEqual(
    o.timeline.map((_, i) => outputFrameSignals(o, i).frame),
    [10, 10, 20, 20, 20],
  );
  const s = outputFrameSignals(o, 1);
  assert.equal(s.progress, 0.25);
});

// Timing through every encoder: 3 data frames, 2 in-betweens each, a hold, pauses, rewind.
const timed = pointSpec(
  [...mover, { id: 'a', t: 2, x: 5, y: 1, c: 'hi' }],
  { fps: 10, tween: { frames: 2 }, hold: 0.5, pause: { start: 1 }, rewind: true, loop: false },
  { title: 't {frame:.1f}' },
);
// forward 0,·,·,1,·,·,2 then back ·,·,1,·,·,0: 13 frames; holds 0.4 s extra on data frames.
const expectedCs = [150, 10, 10, 50, 10, 10, 50, 10, 10, 50, 10, 10, 50];

test('GIF: output frames and delays follow tween, hold, pause and rewind', async () => {
  const out = path.join(tmp, 'timed.gif');
  await renderToFile(timed as SpecInput, out);
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 13);
  assert.deepEqual(gif.delaysCs, expectedCs);
  assert.equal(gif.loop, null, 'plays once');
});

test('APNG: the same timeline in milliseconds', async () => {
  const out = path.join(tmp, 'timed.apng');
  await renderToFile(timed as SpecInput, out);
  const png = UPNG.decode(readFileSync(out));
  assert.equal(png.frames.length, 13);
  assert.deepEqual(
    png.frames.map((f) => f.delay),
    expectedCs.map((cs) => cs * 10),
  );
});

test('HTML player: every output frame, with its hold', async () => {
  const out = path.join(tmp, 'timed.html');
  await renderToFile(timed as SpecInput, out);
  const payload = playerPayload(out);
  assert.equal(payload.signals.length, 13);
  assert.deepEqual(
    payload.extraSeconds.map((s) => Math.round(s * 100 + 10)),
    expectedCs,
  );
  assert.deepEqual(payload.labels.slice(0, 4), ['0', '0.3', '0.7', '1']);
});

test('rescale naming a channel without a scale is refused at its path', async () => {
  await assert.rejects(
    compile(pointSpec(mover, { rescale: ['x', 'theta'] }) as SpecInput),
    (e: unknown) => (e as { path?: string }).path === '$.animation.rescale[1]',
  );
});

test('tweens without a key channel warn that rows are matched by order', async () => {
  const spec = pointSpec(mover, { tween: { frames: 1 } });
  delete (spec.encoding as Json).key;
  const plan = await compile(spec as SpecInput);
  assert.ok(plan.warnings.some((w) => /by their order/.test(w) && /encoding\.key/.test(w)));
});

test('small multiples of a tweened animation tile its output frames (PNG)', async () => {
  const out = path.join(tmp, 'strip.png');
  const spec = pointSpec(mover, { tween: { frames: 3 } });
  const plan = await compile(spec as SpecInput);
  const renderer = await rendererFor(plan);
  const one = await renderer.render(0);
  renderer.finalize();
  const result = await renderToFile(spec as SpecInput, out, { as: 'facet', columns: 5 });
  assert.equal(result.frames, 5);
  const png = UPNG.decode(readFileSync(out));
  assert.equal(png.width, 5 * one.width + 6 * 12);
  assert.equal(png.height, one.height + 22 + 2 * 12);
  await assert.rejects(
    renderToFile(spec as SpecInput, path.join(tmp, 'strip.svg'), { as: 'facet' }),
    /write \.png/,
  );
});

test('a tweened GIF is the same bytes from one render thread or two', async () => {
  const spec = path.resolve('specs/motion-countries.yaml');
  const one = path.join(tmp, 'w1.gif');
  const two = path.join(tmp, 'w2.gif');
  await renderToFile(spec, one, { workers: 1 });
  await renderToFile(spec, two, { workers: 2 });
  assert.ok(readFileSync(one).equals(readFileSync(two)));
});
