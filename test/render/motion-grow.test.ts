/**
 * Grow on marks without a size: a bar or an area enters growing out of its baseline and
 * exits shrinking back to it (gganimate's enter_grow / exit_shrink), measured in pixels
 * frame by frame; a heatmap's tile grows about its centre; a wake's copies shrink with age.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Frame, centroid, pixel, pointSpec, renderAll } from '../helpers/motion.js';

type Json = Record<string, unknown>;
type Match = (r: number, g: number, b: number) => boolean;
const red: Match = (r, g, b) => r > 180 && g < 90 && b < 90;
const blue: Match = (r, g, b) => b > 180 && r < 90 && g < 90;
const green: Match = (r, g, b) => g > 120 && r < 90 && b < 90;

/** The box of the pixels `match` picks (width and height 0 when none). */
function box(f: Frame, match: Match) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) {
      const i = (y * f.width + x) * 4;
      if (!match(f.rgba[i], f.rgba[i + 1], f.rgba[i + 2])) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  return x1 < x0
    ? { x0, y0, x1, y1, w: 0, h: 0 }
    : { x0, y0, x1, y1, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

const colors = {
  field: 'id',
  type: 'nominal',
  scale: { domain: ['a', 'b', 'c'], range: ['#ff0000', '#0000ff', '#00aa00'] },
  legend: null,
};
const length = { field: 'v', type: 'quantitative', scale: { domain: [0, 10], nice: false } };

/** Bars a (stays, 6 → 8), b (exits) and c (enters), 4 in-betweens. */
function barSpec(horizontal: boolean, mark: Json | string = 'bar'): Json {
  const band = { field: 'id', type: 'nominal', scale: { domain: ['a', 'b', 'c'] } };
  return {
    width: 200,
    height: 200,
    data: {
      values: [
        { id: 'a', t: 0, v: 6 },
        { id: 'b', t: 0, v: 8 },
        { id: 'a', t: 1, v: 8 },
        { id: 'c', t: 1, v: 5 },
      ],
    },
    mark,
    encoding: {
      ...(horizontal ? { y: band, x: length } : { x: band, y: length }),
      color: colors,
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    config: { axis: { grid: false, domain: false, ticks: false } },
    animation: { tween: { frames: 4 }, enter: 'grow', exit: 'grow' },
  };
}

const ts = [0, 0.2, 0.4, 0.6, 0.8, 1];
const near = (a: number, b: number) => Math.abs(a - b) <= 1.5;

for (const horizontal of [false, true]) {
  const dir = horizontal ? 'horizontal' : 'vertical';
  test(`grow on ${dir} bars: the entering bar grows out of its baseline, the exiting one shrinks into it`, async () => {
    const { frames, plan } = await renderAll(barSpec(horizontal));
    assert.deepEqual(plan.warnings, []);
    assert.equal(frames.length, 6);
    const extent = (f: Frame, m: Match) => {
      const b = box(f, m);
      return horizontal ? { len: b.w, base: b.x0 } : { len: b.h, base: b.y1 };
    };
    const full = 200 / 10; // pixels per unit of v
    const exiting = frames.map((f) => extent(f, blue));
    const entering = frames.map((f) => extent(f, green));
    const staying = frames.map((f) => extent(f, red));
    ts.forEach((t, i) => {
      assert.ok(near(exiting[i].len, (1 - t) * 8 * full), `frame ${i}: b ${exiting[i].len} px`);
      assert.ok(near(entering[i].len, t * 5 * full), `frame ${i}: c ${entering[i].len} px`);
      assert.ok(near(staying[i].len, (6 + 2 * t) * full), `frame ${i}: a ${staying[i].len} px`);
    });
    // Every bar keeps its baseline: the bottom edge (vertical) or the left (horizontal).
    const base = staying[0].base;
    for (const e of [...exiting.slice(0, 5), ...entering.slice(1)])
      assert.ok(Math.abs(e.base - base) <= 1, `baseline ${e.base} vs ${base}`);
  });
}

test('grow on an area: an entering series rises from the baseline, an exiting one sinks', async () => {
  // Side by side: b over x 0–1.5, c over 2.5–4.
  const rows = (id: string, t: number, v: number, from: number) =>
    [0, 0.5, 1, 1.5].map((x) => ({ id, t, x: from + x, v }));
  const spec = {
    width: 200,
    height: 200,
    data: { values: [...rows('b', 0, 8, 0), ...rows('c', 1, 5, 2.5)] },
    mark: { type: 'area', opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 4], nice: false } },
      y: { ...length, stack: null },
      color: colors,
      // A series' rows share a key (matched in order): Vega-Lite splits paths by key.
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    config: { axis: { grid: false, domain: false, ticks: false } },
    animation: { tween: { frames: 4 }, enter: 'grow', exit: 'grow' },
  };
  const { frames, plan } = await renderAll(spec);
  assert.deepEqual(plan.warnings, []);
  const baseline = box(frames[0], blue).y1;
  const height = (f: Frame, m: Match) => {
    const b = box(f, m);
    return b.h === 0 ? 0 : baseline - b.y0 + 1;
  };
  ts.forEach((t, i) => {
    const [b, c] = [height(frames[i], blue), height(frames[i], green)];
    assert.ok(near(b, (1 - t) * 160), `frame ${i}: b ${b} px high`);
    assert.ok(near(c, t * 100), `frame ${i}: c ${c} px high`);
    if (b > 0) assert.equal(box(frames[i], blue).y1, baseline, 'b sits on the baseline');
    if (c > 0) assert.equal(box(frames[i], green).y1, baseline, 'c sits on the baseline');
  });
});

test('grow on a heatmap tile: it grows about its centre', async () => {
  const spec = {
    width: 100,
    height: 100,
    data: {
      values: [
        { id: 'a', t: 0, col: 'p', row: 'q' },
        { id: 'c', t: 1, col: 'r', row: 's' },
      ],
    },
    mark: 'rect',
    encoding: {
      x: { field: 'col', type: 'nominal', scale: { domain: ['p', 'r'] } },
      y: { field: 'row', type: 'nominal', scale: { domain: ['q', 's'] } },
      color: colors,
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    config: { axis: { grid: false, domain: false, ticks: false } },
    animation: { tween: { frames: 1 }, enter: 'grow', exit: 'grow' },
  };
  const { frames, plan } = await renderAll(spec);
  assert.deepEqual(plan.warnings, []);
  const [whole, half] = [box(frames[0], red), box(frames[1], red)];
  assert.ok(near(half.w, whole.w / 2) && near(half.h, whole.h / 2), `${half.w}×${half.h}`);
  assert.ok(near((half.x0 + half.x1) / 2, (whole.x0 + whole.x1) / 2), 'the same centre');
  assert.ok(near((half.y0 + half.y1) / 2, (whole.y0 + whole.y1) / 2), 'the same centre');
  assert.ok(near(box(frames[1], green).w, box(frames[2], green).w / 2));
});

test('a wake shrinks as it fades: older copies are smaller and fainter; size: 1 keeps them whole', async () => {
  const values = Array.from({ length: 5 }, (_, t) => ({ id: 'a', t, x: 1 + t * 2, y: 5, c: 'hi' }));
  const mark = { mark: { type: 'point', filled: true, size: 400, opacity: 1 } };
  const plain = await renderAll(pointSpec(values, {}, mark));
  const places = plain.frames.map((f) => centroid(f));
  const measure = async (trail: Json) => {
    const { frames, plan } = await renderAll(pointSpec(values, { trail }, mark));
    assert.deepEqual(plan.warnings, []);
    const last = frames[4];
    // Each copy alone in a window around its place: its area in pixels, its centre's opacity.
    return [1, 2, 3, 4].map((t) => {
      let n = 0;
      for (let dy = -18; dy <= 18; dy++)
        for (let dx = -18; dx <= 18; dx++) {
          const [r, g] = pixel(last, places[t].x + dx, places[t].y + dy);
          if (r > 200 && g < 250) n++;
        }
      return { n, alpha: 1 - pixel(last, places[t].x, places[t].y)[1] / 255 };
    });
  };
  const shrinking = await measure({ frames: 3, opacity: 0.9 });
  const whole = shrinking[3].n; // the current frame
  // Copies 3, 2 and 1 frames back: 1/3, 2/3 and the whole size and opacity 0.9.
  [1 / 3, 2 / 3, 1].forEach((youth, k) => {
    const copy = shrinking[k];
    assert.ok(Math.abs(copy.n - youth * whole) <= 0.12 * whole, `area ${copy.n} of ${whole}`);
    assert.ok(Math.abs(copy.alpha - 0.9 * youth) < 0.03, `opacity ${copy.alpha}`);
  });
  const kept = await measure({ frames: 3, opacity: 0.9, size: 1 });
  for (const copy of kept.slice(0, 3)) assert.ok(Math.abs(copy.n - whole) <= 0.05 * whole);
});

test('the fast path shrinks a wake as Vega does', async () => {
  // 2,400 grey points keep the mark on the fast path; the red one leaves a wake.
  const crowd = (t: number) =>
    Array.from({ length: 2400 }, (_, i) => ({
      id: `g${i}`,
      t,
      x: (i % 60) / 30,
      y: 8 + Math.floor(i / 60) / 20,
      c: 'lo',
    }));
  const values = [0, 1, 2, 3, 4].flatMap((t) => [
    ...crowd(t),
    { id: 'a', t, x: 1 + t * 2, y: 5, c: 'hi' },
  ]);
  const spec = pointSpec(
    values,
    { trail: { frames: 3, opacity: 0.9 } },
    { mark: { type: 'point', filled: true, size: 400, opacity: 1 } },
  );
  const fast = await renderAll(spec);
  const vega = await renderAll(spec, true);
  assert.equal(fast.fastMarks.length, 1, 'the mark is drawn by the fast path');
  const reddish = (r: number, g: number, b: number) => r > 200 && g < 200 && g === b;
  const last = (f: Frame) => centroid(f, reddish).n;
  const [a, b] = [last(fast.frames[4]), last(vega.frames[4])];
  assert.ok(Math.abs(a - b) <= 0.05 * b, `${a} vs ${b} wake pixels`);
  const whole = centroid(fast.frames[0], reddish).n;
  assert.ok(a < 3 * whole, `shrunk: ${a} px for the point and three copies of ${whole} px`);
});
