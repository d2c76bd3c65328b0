/**
 * Where an encoder's frames come from (pipeline/frame-supply.ts): this thread alone, or this
 * thread and a render worker together. Either way the frames asked for arrive in the order
 * asked, with the pixels one renderer draws, palette-mapped alike for a GIF; frames already
 * rendered are handed out as they are; and how many workers a render gets.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type SpecInput, compile } from '../../src/api.js';
import type { FramePlan } from '../../src/data/plan.js';
import { type Palette, type RGB, buildPalette, indexedFrame } from '../../src/encode/palette.js';
import type { RasterFrame } from '../../src/encode/sink.js';
import {
  type FrameSupply,
  mayUseWorkers,
  openFrameSupply,
  workersFor,
} from '../../src/pipeline/frame-supply.js';
import { RenderPool, defaultWorkers } from '../../src/pool/pool.js';
import { planDrawing } from '../../src/render/drawing.js';
import { rendererFor } from '../helpers/renderer.js';

// 8 data frames of 60 points, tweened: 15 output frames, each different.
const values = Array.from({ length: 480 }, (_, i) => ({
  id: i % 60,
  t: Math.floor(i / 60),
  x: ((i % 60) * 7 + Math.floor(i / 60) * 13) % 100,
  y: ((i % 60) * 11 + Math.floor(i / 60) * 5) % 100,
  g: String(i % 4),
}));
const spec = {
  width: 160,
  height: 120,
  data: { values },
  mark: { type: 'circle', size: 60 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'g', type: 'nominal' },
    key: { field: 'id' },
    frame: { field: 't' },
  },
  animation: { tween: { frames: 1 } },
};

let plan: FramePlan;
/** Every output frame, as one renderer in this thread draws it. */
let reference: RasterFrame[];

before(async () => {
  plan = await compile(spec as SpecInput);
  const renderer = await rendererFor(plan);
  reference = [];
  for (let k = 0; k < renderer.frameCount; k++) {
    const f = await renderer.render(k);
    reference.push({ ...f, rgba: Uint8Array.from(f.rgba) });
  }
  renderer.finalize();
});

const supplies: FrameSupply[] = [];
after(() => Promise.all(supplies.map((s) => s.close())));

async function supply(workers: number): Promise<FrameSupply> {
  const s = await openFrameSupply(await planDrawing(plan), workers);
  supplies.push(s);
  return s;
}

// Frames handed to render workers, counted where the supply asks the pool for one.
let workerFrames = 0;
const poolRender = RenderPool.prototype.render;
RenderPool.prototype.render = function (this: RenderPool, ...args) {
  workerFrames++;
  return poolRender.apply(this, args);
};

/**
 * The supply of this thread and one worker, set up as asked, whose worker has its View:
 * until then this thread renders every frame itself, which is not what these tests are
 * about. One supply serves every test (a worker takes a second or so to start).
 */
let shared: Promise<FrameSupply> | undefined;
async function withWorker(palette?: { colors: RGB[]; background: RGB }): Promise<FrameSupply> {
  shared ??= (async () => {
    const s = await supply(1);
    await s.samples([0]);
    s.setup(reference[0].width, reference[0].height);
    const all = reference.map((_, k) => k);
    for (let round = 0; round < 200; round++) {
      const before = workerFrames;
      for await (const _ of s.frames(all));
      if (workerFrames > before) return s;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail('the render worker never started');
  })();
  const s = await shared;
  s.setup(reference[0].width, reference[0].height, palette);
  return s;
}

/** The frames handed out, copied as they arrive (each is valid until the next is asked for). */
async function collect(frames: AsyncIterable<RasterFrame>): Promise<RasterFrame[]> {
  const out: RasterFrame[] = [];
  for await (const f of frames)
    out.push({
      width: f.width,
      height: f.height,
      rgba: Uint8Array.from(f.rgba),
      indexed: f.indexed && Uint8Array.from(f.indexed),
    });
  return out;
}

const samePixels = (a: RasterFrame, b: RasterFrame) =>
  a.width === b.width && a.height === b.height && Buffer.from(a.rgba).equals(Buffer.from(b.rgba));

test('the chart has 15 output frames, no two alike', () => {
  assert.equal(reference.length, 15);
  for (let k = 1; k < reference.length; k++)
    assert.ok(!samePixels(reference[k], reference[k - 1]), `frame ${k}`);
});

test('this thread alone: the frames asked for, in the order asked, as one renderer draws them', async () => {
  const s = await supply(0);
  s.setup(reference[0].width, reference[0].height);
  const order = [4, 0, 14, 7, 7, 2];
  const frames = await collect(s.frames(order));
  assert.equal(frames.length, order.length);
  order.forEach((k, i) =>
    assert.ok(samePixels(frames[i], reference[k]), `position ${i}: frame ${k}`),
  );
});

test('samples are copies of their own, and frames already rendered are handed out as they are', async () => {
  const s = await supply(0);
  const samples = await s.samples([3, 9]);
  s.setup(samples[0].width, samples[0].height);
  // Rendering other frames afterwards leaves the samples as they were.
  const rendered = new Map([[9, samples[1]]]);
  const seen: RasterFrame[] = [];
  for await (const f of s.frames([8, 9, 10], rendered)) seen.push(f);
  assert.equal(seen[1], samples[1], 'frame 9 is the sample itself, not rendered again');
  assert.ok(samePixels(samples[0], reference[3]));
  assert.ok(samePixels(samples[1], reference[9]));
});

test('this thread and a worker: every frame in order, the same pixels as one thread', async () => {
  const s = await withWorker();
  const samples = await s.samples([0, 7, 14]);
  samples.forEach((f, i) => assert.ok(samePixels(f, reference[[0, 7, 14][i]]), `sample ${i}`));
  const all = reference.map((_, k) => k);
  const before = workerFrames;
  const frames = await collect(s.frames(all, new Map([[0, samples[0]]])));
  assert.ok(workerFrames > before, 'the worker rendered some of them');
  assert.equal(frames.length, all.length);
  frames.forEach((f, k) => assert.ok(samePixels(f, reference[k]), `frame ${k}`));
  // Asked again, in another order: the same frames in that order.
  const order = [14, 13, 1, 1, 6];
  const again = await collect(s.frames(order));
  order.forEach((k, i) =>
    assert.ok(samePixels(again[i], reference[k]), `position ${i}: frame ${k}`),
  );
});

test('with a GIF palette, frames from either thread map to the same palette indices', async () => {
  const palette: Palette = buildPalette({ sample: [reference[0], reference[7]] });
  const colors = palette.colors.map((c) => [c[0], c[1], c[2]] as [number, number, number]);
  const expected = reference.map((f) => indexedFrame(palette, f).indexed!);
  const setup = { colors, background: palette.background };
  for (const workers of [0, 1]) {
    const s = workers ? await withWorker(setup) : await supply(0);
    if (!workers) s.setup(reference[0].width, reference[0].height, setup);
    const frames = await collect(s.frames(reference.map((_, k) => k)));
    if (workers)
      assert.ok(
        frames.some((f) => f.indexed),
        'frames mapped by the worker',
      );
    frames.forEach((f, k) => {
      // A worker's frame arrives indexed; one rendered here may still be RGBA.
      const indexed = f.indexed ?? indexedFrame(palette, f).indexed!;
      assert.ok(Buffer.from(indexed).equals(Buffer.from(expected[k])), `${workers}: frame ${k}`);
    });
  }
});

test('setup fixes every frame to one size, from either thread', async () => {
  const { width, height } = reference[0];
  for (const workers of [0, 1]) {
    const s = workers ? await withWorker() : await supply(0);
    s.setup(width + 10, height + 4);
    const before = workerFrames;
    const frames = await collect(s.frames(reference.map((_, k) => k)));
    if (workers) assert.ok(workerFrames > before, 'the worker rendered some of them');
    assert.deepEqual(
      frames.map((f) => [f.width, f.height, f.rgba.length]),
      Array(15).fill([width + 10, height + 4, (width + 10) * (height + 4) * 4]),
      `${workers} workers`,
    );
  }
});

test('workers: none below two threads; as many as asked, but one per frame to share', () => {
  assert.equal(mayUseWorkers({ workers: 0 }), false);
  assert.equal(mayUseWorkers({ workers: 1 }), false);
  assert.equal(mayUseWorkers({ workers: 2 }), true);
  assert.equal(mayUseWorkers(), defaultWorkers() >= 2);
  assert.equal(workersFor(plan, 40, { workers: 1 }), 0);
  assert.equal(workersFor(plan, 40, { workers: 3 }), 2);
  assert.equal(workersFor(plan, 2, { workers: 4 }), 1, 'two frames: this thread and one worker');
});

test('workers by default: only when the frames are work enough to pay for one', () => {
  if (defaultWorkers() < 2) {
    assert.equal(workersFor(plan, 10_000), 0);
    return;
  }
  // 480 rows over 8 data frames: each frame about one unit of work, a worker per 64.
  assert.equal(workersFor(plan, 15), 0);
  assert.equal(workersFor(plan, 63), 0);
  assert.equal(workersFor(plan, 64), 1);
  assert.equal(workersFor(plan, 100_000), defaultWorkers() - 1, 'at most one per core');
});
