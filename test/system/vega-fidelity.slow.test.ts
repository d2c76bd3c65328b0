/**
 * Rendered as Vega renders it: seeded randomness (the same bytes every run, on every thread
 * and in every slice), symbols turned by their angle, and glyphs DejaVu Sans lacks drawn
 * from the shipped emoji font. The reference is plain Vega (a View with renderer 'none',
 * drawn by toCanvas through the same canvas library) or a golden checked by eye.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Canvas, createCanvas } from 'canvas';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { chromium } from 'playwright-core';
import { compile, renderToFile } from '../../src/api.js';
import { findDirectMarks } from '../../src/render/mark-plan.js';
import type { RenderedFrame } from '../../src/render/frame-renderer.js';
import { FALLBACK_FAMILY, SHIPPED_ALIAS, registerFonts } from '../../src/render/fonts.js';
import { STATIC_SEED, seededRandom } from '../../src/render/random.js';
import { type Rgba, decodePng, diffFraction, expectGolden } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';
import { JITTER as JITTER_CHART } from '../helpers/jitter-spec.js';

type Json = Record<string, unknown>;
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-fidelity-'));

/**
 * Plain Vega's rendering of a Vega-Lite spec, set in the shipped font as vega-frames sets it
 * (by its alias: the name "DejaVu Sans" may be a system font).
 */
async function plainVega(spec: Json, font = SHIPPED_ALIAS, seed?: number): Promise<Rgba> {
  registerFonts();
  const config = { ...((spec.config as Json | undefined) ?? {}), font };
  const view = new vega.View(vega.parse(vl.compile({ ...spec, config } as never).spec), {
    renderer: 'none',
  });
  if (seed !== undefined)
    (vega as unknown as { setRandom(r: () => number): void }).setRandom(seededRandom(seed));
  await view.runAsync();
  const canvas = (await view.toCanvas()) as unknown as Canvas;
  view.finalize();
  const { width, height } = canvas;
  return { width, height, rgba: canvas.getContext('2d').getImageData(0, 0, width, height).data };
}

async function renderFrames(spec: Json, order: number[]): Promise<Map<number, Uint8Array>> {
  const renderer = await rendererFor(await compile(spec));
  const out = new Map<number, Uint8Array>();
  try {
    for (const k of order) out.set(k, Uint8Array.from((await renderer.render(k)).rgba));
  } finally {
    renderer.finalize();
  }
  return out;
}

const same = (a: Uint8Array | Uint8ClampedArray, b: Uint8Array | Uint8ClampedArray) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

// --- 1. Randomness is seeded ---------------------------------------------------------------

/** The jitter chart with rewind: backwards, each frame must come out as it did forwards. */
const JITTER: Json = { ...JITTER_CHART, animation: { fps: 4, rewind: true } };

test('random numbers are seeded: every frame the same whatever the order, thread or slice', async () => {
  const plan = await compile(JITTER);
  const n = plan.timeline.length;
  const forward = Array.from({ length: n }, (_, k) => k);
  const a = await renderFrames(JITTER, forward);
  const b = await renderFrames(JITTER, forward);
  const reversed = await renderFrames(JITTER, forward.slice().reverse());
  for (const k of forward) {
    assert.ok(same(a.get(k)!, b.get(k)!), `frame ${k} differs between two renders`);
    assert.ok(same(a.get(k)!, reversed.get(k)!), `frame ${k} differs rendered last to first`);
    const alone = await renderFrames(JITTER, [k]);
    assert.ok(same(a.get(k)!, alone.get(k)!), `frame ${k} differs rendered on its own`);
  }
  // The data frames differ (the jitter is drawn per frame); the rewind repeats them exactly.
  assert.ok(!same(a.get(0)!, a.get(1)!));
  for (const [k, f] of plan.timeline.entries())
    if (f.t === 0 && k !== f.from) assert.ok(same(a.get(k)!, a.get(f.from)!), `rewound ${k}`);

  // Through the command's path: one thread, two, and a slice, written as PNG frames.
  const files = async (name: string, options: Json) => {
    const dir = path.join(tmp, name);
    await renderToFile(JITTER as never, `${dir}/`, { ...options, format: 'frames' });
    return readdirSync(dir)
      .sort()
      .map((f) => readFileSync(path.join(dir, f)));
  };
  const one = await files('one', { workers: 1 });
  const two = await files('two', { workers: 2 });
  const slice = await files('slice', { workers: 1, frames: '2:5' });
  assert.equal(one.length, n);
  assert.deepEqual(two, one, '--workers 2 wrote other frames than --workers 1');
  assert.deepEqual(slice, one.slice(2, 5), '--frames 2:5 wrote other frames than the whole');
  for (const [k, png] of one.entries())
    assert.ok(same(decodePng(png).rgba, a.get(k)!), `frame ${k}: the file is not the render`);
});

test('a static chart with random jitter is plain Vega with the same seed', async () => {
  // The static parts run first under STATIC_SEED: the numbers Vega draws for them, in
  // Vega's order, are the numbers plain Vega draws from that seed.
  const spec: Json = {
    width: 200,
    height: 120,
    data: { values: Array.from({ length: 40 }, (_, i) => ({ g: ['a', 'b'][i % 2], v: i })) },
    transform: [{ calculate: 'random()', as: 'jitter' }],
    mark: { type: 'point', filled: true },
    encoding: {
      x: { field: 'g', type: 'nominal' },
      xOffset: { field: 'jitter', type: 'quantitative' },
      y: { field: 'v', type: 'quantitative' },
    },
  };
  const ours = (await renderFrames(spec, [0])).get(0)!;
  const plain = await plainVega(spec, SHIPPED_ALIAS, STATIC_SEED);
  assert.ok(same(ours, plain.rgba), 'differs from plain Vega seeded alike');
  const unseeded = await plainVega(spec, SHIPPED_ALIAS, 12345);
  assert.ok(!same(ours, unseeded.rgba), 'the jitter is not drawn at all');
});

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

test(
  'the HTML player draws the same random numbers as the rendered frames',
  { skip: !existsSync(CHROMIUM) && 'no Chromium' },
  async () => {
    const html = path.join(tmp, 'jitter.html');
    await renderToFile(JITTER as never, html);
    // The jittered, sampled rows and the static layer's random levels, as Vega holds them.
    const pick = (rows: Json[]) =>
      rows
        .map((r) => [r.g, r.v, r.jitter, r.level])
        .sort((a, b) => String(a).localeCompare(String(b)));
    const renderer = await rendererFor(await compile(JITTER));
    const view = (renderer as unknown as { view: vega.View }).view;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 30000 });
      const count = renderer.frameCount;
      // Out of order, as a user scrubs.
      for (const k of [3, 0, count - 1, 1, 2, 0]) {
        await renderer.render(k);
        const inPlayer = await page.evaluate(async (frame) => {
          const p = (
            window as unknown as { vfPlayer: { seek(k: number): Promise<void>; view: vega.View } }
          ).vfPlayer;
          await p.seek(frame);
          return ['data_0', 'data_1'].map((name) => p.view.data(name) as Json[]);
        }, k);
        assert.equal(inPlayer[0].length, 20, 'the sample');
        assert.deepEqual(pick(inPlayer[0]), pick(view.data('data_0') as Json[]), `frame ${k}`);
        assert.deepEqual(pick(inPlayer[1]), pick(view.data('data_1') as Json[]), `frame ${k}`);
      }
    } finally {
      await browser.close();
      renderer.finalize();
    }
  },
);

// --- 2. Symbols are turned by their angle ---------------------------------------------------

/** Vega-Lite's wind vector map, reduced: wedges on a row, one per angle. */
const ANGLES = [0, 45, 90, 135, 180, 225, 270, 315];
const WEDGES: Json = {
  width: 640,
  height: 100,
  data: { values: ANGLES.map((a, i) => ({ i, dir: a })) },
  mark: { type: 'point', shape: 'wedge', filled: true, size: 2500, color: 'black', opacity: 1 },
  encoding: {
    x: { field: 'i', type: 'ordinal', axis: null },
    angle: { field: 'dir', type: 'quantitative', scale: { domain: [0, 360], range: [0, 360] } },
  },
};

test('symbol angle: each wind-vector wedge points along its angle (golden checked by eye)', async () => {
  const renderer = await rendererFor(await compile(WEDGES));
  let frame: RenderedFrame;
  try {
    frame = await renderer.render(0);
  } finally {
    renderer.finalize();
  }
  expectGolden('vega-wedge-angles', frame);
  // Vega's wedge has its centroid at its anchor (the x position's centre, the plot's
  // middle): its tip reaches twice as far from it as its base, along the angle, clockwise
  // from up. Measured from the ink: how far it reaches along the angle, against it, across.
  const { width, height, rgba } = frame;
  const step = 640 / ANGLES.length;
  for (const [i, a] of ANGLES.entries()) {
    const [cx, cy] = [5 + (i + 0.5) * step, 5 + 50];
    const rad = (a * Math.PI) / 180;
    let [ahead, behind, across] = [0, 0, 0];
    for (let y = 0; y < height; y++)
      for (let x = Math.floor(cx - step / 2); x < cx + step / 2; x++) {
        if (rgba[(y * width + x) * 4] > 192) continue; // not ink
        const [dx, dy] = [x + 0.5 - cx, y + 0.5 - cy];
        const along = dx * Math.sin(rad) - dy * Math.cos(rad);
        ahead = Math.max(ahead, along);
        behind = Math.max(behind, -along);
        across = Math.max(across, Math.abs(dx * Math.cos(rad) + dy * Math.sin(rad)));
      }
    const at = `wedge at ${a}°: reaches ${ahead.toFixed(1)} px ahead, ${behind.toFixed(1)} behind, ${across.toFixed(1)} across`;
    // r = √2500 / 2 = 25: the tip 1.15 r ahead (its last pixels too faint to count), the
    // base 0.58 r behind and 0.25 r across.
    assert.ok(ahead > 24 && behind < 17 && across < 8, at);
  }
});

test('the fast path leaves symbols with an angle to Vega', async () => {
  // 2,500 rows in one frame: a plain square mark is the fast path's.
  const rows = Array.from({ length: 2500 }, (_, i) => ({ x: i % 50, y: i / 50, a: i, t: 1 }));
  const encoding = {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    frame: { field: 't', type: 'ordinal' },
  };
  const fast = async (spec: Json) => {
    const plan = await compile({ data: { values: rows }, encoding, ...spec });
    return findDirectMarks(plan.vega, plan.planned).length;
  };
  assert.equal(await fast({ mark: 'square' }), 1);
  assert.equal(await fast({ mark: { type: 'square', angle: 30 } }), 0);
  assert.equal(await fast({ mark: 'square', config: { square: { angle: 30 } } }), 0);
  const turned = { ...encoding, angle: { field: 'a', type: 'quantitative' } };
  assert.equal(await fast({ mark: 'square', encoding: turned }), 0);
  // A circle looks the same turned: it stays.
  assert.equal(await fast({ mark: 'circle', config: { circle: { angle: 30 } } }), 1);
});

// --- 3. Glyphs DejaVu Sans lacks come from the shipped emoji font -----------------------------

/** The bounding box of the dark pixels of an RGBA image (within an optional region). */
function inkBox(img: Rgba, region = { x0: 0, y0: 0, x1: img.width, y1: img.height }) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = region.y0; y < region.y1; y++)
    for (let x = region.x0; x < region.x1; x++) {
      if (img.rgba[(y * img.width + x) * 4] > 128) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

function crop(img: Rgba, b: { x0: number; y0: number; x1: number; y1: number }): Rgba {
  const width = b.x1 - b.x0;
  const height = b.y1 - b.y0;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    rgba.set(
      img.rgba.subarray(((b.y0 + y) * img.width + b.x0) * 4, ((b.y0 + y) * img.width + b.x1) * 4),
      y * width * 4,
    );
  return { width, height, rgba };
}

/** One glyph drawn straight onto a canvas in a font, black on white. */
function glyph(text: string, font: string): Rgba {
  registerFonts();
  const canvas = createCanvas(120, 120);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, 120, 120);
  ctx.fillStyle = 'black';
  ctx.font = font;
  ctx.fillText(text, 20, 90);
  return { width: 120, height: 120, rgba: ctx.getImageData(0, 0, 120, 120).data };
}

const EMOJI: Json = {
  width: 260,
  height: 90,
  data: { values: [{ label: '🚀 ok ✓' }] },
  mark: { type: 'text', fontSize: 48, align: 'left', baseline: 'alphabetic', color: 'black' },
  encoding: { text: { field: 'label' }, x: { value: 10 }, y: { value: 70 } },
};

test('emoji: a glyph DejaVu Sans lacks is drawn from the fallback font, not as a box', async () => {
  const plain = await plainVega(EMOJI, `${SHIPPED_ALIAS}, ${FALLBACK_FAMILY}`);
  const { width, height } = plain;
  const frame = { width, height, rgba: (await renderFrames(EMOJI, [0])).get(0)! };
  // Plain Vega with the fallback in its font list draws the same pixels.
  assert.ok(same(frame.rgba, plain.rgba), 'differs from plain Vega with the fallback listed');

  // The rocket (the text starts at x = 15: 10 and the padding) against the fallback font's
  // own rocket, and against the box DejaVu Sans draws for a glyph it lacks.
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.font = `48px ${SHIPPED_ALIAS}, ${FALLBACK_FAMILY}`;
  const end = Math.round(15 + ctx.measureText('🚀').width);
  const rocket = crop(frame, inkBox(frame, { x0: 0, y0: 0, x1: end, y1: height }));
  const own = glyph('🚀', `48px ${FALLBACK_FAMILY}`);
  const ownRocket = crop(own, inkBox(own));
  const tofu = glyph('🚀', `48px ${SHIPPED_ALIAS}`);
  const box = crop(tofu, inkBox(tofu));
  assert.deepEqual([rocket.width, rocket.height], [ownRocket.width, ownRocket.height]);
  assert.ok(diffFraction(rocket, ownRocket) < 0.01, 'not the fallback font’s rocket');
  assert.ok(diffFraction(rocket, box) > 0.2, 'a box (tofu)');

  // "ok ✓" is DejaVu Sans's own: the same ink as without the fallback (shifted by the
  // rocket's advance, which differs from the box's).
  const dejavu = await plainVega(EMOJI, SHIPPED_ALIAS);
  const text = (img: Rgba, x0: number) =>
    crop(img, inkBox(img, { x0, y0: 0, x1: width, y1: height }));
  ctx.font = `48px ${SHIPPED_ALIAS}`;
  const boxEnd = Math.round(15 + ctx.measureText('🚀').width);
  assert.ok(diffFraction(text(frame, end), text(dejavu, boxEnd)) < 0.01, '"ok ✓" changed');
});

test('text DejaVu Sans covers measures and draws the same with the fallback listed', () => {
  registerFonts();
  const ctx = createCanvas(10, 10).getContext('2d');
  for (const style of ['', 'bold ', 'italic '])
    for (const size of [9, 11, 13, 20])
      for (const text of ['Hello, world', 'x: 0.25 · y → ∞', 'ÄÖÜ ß ✓ ★ ☂', '1,234.5']) {
        ctx.font = `${style}${size}px ${SHIPPED_ALIAS}`;
        const plain = ctx.measureText(text).width;
        ctx.font = `${style}${size}px ${SHIPPED_ALIAS}, ${FALLBACK_FAMILY}`;
        assert.equal(ctx.measureText(text).width, plain, `${style}${size}px ${text}`);
      }
  for (const text of ['Hello, world', 'ÄÖÜ ß ✓ ★ ☂'])
    assert.ok(
      same(
        glyph(text, `11px ${SHIPPED_ALIAS}`).rgba,
        glyph(text, `11px ${SHIPPED_ALIAS}, ${FALLBACK_FAMILY}`).rgba,
      ),
      text,
    );
});
