/**
 * Panels on one clock: the clock is the union of every unit's frame values, and a unit with
 * no rows in a frame shows nothing there (cumulative: every row up to that frame), whatever
 * its mark and scales. Each case is a unit ("B") with rows in frames 2 and 4 only, beside a
 * unit with rows in every frame (0–5), rendered as
 *
 *   - a GIF of an hconcat [B, clock unit]: B's region is blank in its empty frames, drawn in
 *     the others;
 *   - the HTML player of the same spec: its data holds B's rows per frame, and in Chromium
 *     (when installed) each frame's B region is blank or drawn as in the GIF;
 *   - small multiples of a layer [clock layer, B] on shared data: B's panels for frames
 *     without its rows are empty, the others drawn.
 *
 * B has no axes and no view stroke, so an empty B region is pure background.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { compile, render, renderToFile } from '../../src/api.js';
import { fixScaleDomains } from '../../src/render/scales.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { type Rgba, decodePng, encodePng } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';

type Json = Record<string, unknown>;

const dir = mkdtempSync(path.join(tmpdir(), 'vf-clock-'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);

/** The clock: the clock unit has rows in every frame, B in B_FRAMES only. */
const FRAMES = [0, 1, 2, 3, 4, 5];
const B_FRAMES = [2, 4];
/** B's plot size, Vega's padding, and the spacing of concat units and facet panels. */
const W = 60;
const H = 40;
const PAD = 5;
const SPACING = 20;

/** Whether B draws in frame k: a frame of its own, or (cumulative) any frame after its first. */
const drawnIn = (k: number, cumulative: boolean) =>
  cumulative ? k >= B_FRAMES[0] : B_FRAMES.includes(k);

const q = (field: string, extra: Json = {}) => ({ field, type: 'quantitative', ...extra });
const nom = (field: string, extra: Json = {}) => ({ field, type: 'nominal', ...extra });
const ord = (field: string, extra: Json = {}) => ({ field, type: 'ordinal', ...extra });

/** A small red square, for image marks. */
const IMAGE = `data:image/png;base64,${encodePng({
  width: 4,
  height: 4,
  rgba: new Uint8Array(64).map((_, i) => (i % 4 === 1 || i % 4 === 2 ? 0 : 255)),
}).toString('base64')}`;

/** B's rows in frame f (2 or 4): every field a case may read, moving between its frames. */
function rows(f: number): Json[] {
  return [0, 1, 2, 3].map((i) => ({
    x: i + 1 + f / 4,
    x2: i + 1.5 + f / 4,
    y: ((i * 3 + f) % 7) + 1,
    y2: ((i * 3 + f) % 7) + 2,
    v: i * 2 + f / 2 + 1,
    w: i + f,
    c: ['p', 'q', 'r'][i % 3],
    n: 'abcd'[i],
    t: `2021-0${i + 1}-${10 + f}`,
    img: IMAGE,
  }));
}

/** Rows enough for the fast path to draw the unit (2,000 or more in a frame). */
function manyRows(f: number): Json[] {
  return Array.from({ length: 2500 }, (_, i) => ({
    x: (i % 50) + f,
    y: Math.floor(i / 50),
    v: (i % 7) + f,
  }));
}

/** A square per row, moved and tinted by frame, as a unit drawing a map would have. */
function features(f: number): Json[] {
  return [0, 1, 2].map((i) => {
    const x = i * 2 + f / 4;
    return {
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, 0],
            [x + 1.5, 0],
            [x + 1.5, 1.5],
            [x, 1.5],
            [x, 0],
          ],
        ],
      },
      v: i + f,
    };
  });
}

interface Case {
  name: string;
  mark: unknown;
  encoding: Json;
  rows?: (f: number) => Json[];
  /** Properties of B's unit besides data, mark and encoding (a projection). */
  unit?: Json;
  /** The same in small multiples, when they differ. */
  facetUnit?: Json;
  /** Drawn by the fast path in the animation (asserted). */
  fast?: boolean;
}

const CASES: Case[] = [
  { name: 'point, linear x and y', mark: 'point', encoding: { x: q('x'), y: q('y') } },
  {
    name: 'circle, log y',
    mark: 'circle',
    encoding: { x: q('x'), y: q('y', { scale: { type: 'log' } }) },
  },
  {
    name: 'square, sqrt x and pow y',
    mark: 'square',
    encoding: { x: q('x', { scale: { type: 'sqrt' } }), y: q('y', { scale: { type: 'pow' } }) },
  },
  {
    name: 'point, symlog x',
    mark: 'point',
    encoding: { x: q('x', { scale: { type: 'symlog' } }), y: q('y') },
  },
  {
    name: 'point, point-scale x and ordinal shape',
    mark: 'point',
    encoding: { x: ord('n'), y: q('y'), shape: nom('c') },
  },
  {
    name: 'point, linear size and opacity',
    mark: { type: 'point', filled: true },
    encoding: { x: q('x'), y: q('y'), size: q('w'), opacity: q('v') },
  },
  {
    name: 'point, time x',
    mark: 'point',
    encoding: { x: { field: 't', type: 'temporal' }, y: q('y') },
  },
  {
    name: 'point, utc x',
    mark: 'point',
    encoding: { x: { field: 't', type: 'temporal', scale: { type: 'utc' } }, y: q('y') },
  },
  {
    name: 'circle, sequential colour',
    mark: 'circle',
    encoding: { x: q('x'), y: q('y'), color: q('v') },
  },
  {
    name: 'circle, log colour',
    mark: 'circle',
    encoding: { x: q('x'), y: q('y'), color: q('v', { scale: { type: 'log' } }) },
  },
  {
    name: 'circle, 2,500 rows (fast path), sequential colour',
    mark: 'circle',
    encoding: { x: q('x'), y: q('y'), color: q('v') },
    rows: manyRows,
    fast: true,
  },
  { name: 'bar, band x and linear y', mark: 'bar', encoding: { x: nom('n'), y: q('y') } },
  {
    name: 'bar, band y and ordinal colour',
    mark: 'bar',
    encoding: { y: nom('n'), x: q('x'), color: nom('c') },
  },
  {
    name: 'bar, mean per category',
    mark: 'bar',
    encoding: { x: nom('c'), y: q('y', { aggregate: 'mean' }) },
  },
  {
    name: 'bar, binned x and count',
    mark: 'bar',
    encoding: { x: q('x', { bin: true }), y: { aggregate: 'count', type: 'quantitative' } },
  },
  {
    name: 'line, linear and ordinal colour',
    mark: 'line',
    encoding: { x: q('x'), y: q('y'), color: nom('c') },
  },
  {
    name: 'line, time x',
    mark: 'line',
    encoding: { x: { field: 't', type: 'temporal' }, y: q('y') },
  },
  { name: 'area, linear', mark: 'area', encoding: { x: q('x'), y: q('y') } },
  {
    name: 'area, stacked by ordinal colour',
    mark: 'area',
    encoding: { x: ord('n'), y: q('y'), color: nom('c') },
  },
  {
    name: 'rect, heatmap with sequential colour',
    mark: 'rect',
    encoding: { x: ord('n'), y: ord('c'), color: q('v') },
  },
  {
    name: 'rect, quantize colour',
    mark: 'rect',
    encoding: { x: ord('n'), y: ord('c'), color: q('v', { scale: { type: 'quantize' } }) },
  },
  {
    name: 'rect, quantile colour',
    mark: 'rect',
    encoding: { x: ord('n'), y: ord('c'), color: q('v', { scale: { type: 'quantile' } }) },
  },
  {
    name: 'rect, threshold colour',
    mark: 'rect',
    encoding: {
      x: ord('n'),
      y: ord('c'),
      color: q('v', { scale: { type: 'threshold', domain: [3, 5] } }),
    },
  },
  {
    name: 'rect, diverging colour',
    mark: 'rect',
    encoding: {
      x: ord('n'),
      y: ord('c'),
      color: q('v', { scale: { domainMid: 4, scheme: 'redblue' } }),
    },
  },
  {
    name: 'rect, linear x, x2, y, y2',
    mark: 'rect',
    encoding: { x: q('x'), x2: { field: 'x2' }, y: q('y'), y2: { field: 'y2' } },
  },
  {
    name: 'rule, linear x and colour',
    mark: { type: 'rule', strokeWidth: 2 },
    encoding: { x: q('x'), color: q('v') },
  },
  {
    name: 'rule, linear y from x to x2',
    mark: { type: 'rule', strokeWidth: 2 },
    encoding: { y: q('y'), x: q('x'), x2: { field: 'x2' } },
  },
  { name: 'tick, linear x and band y', mark: 'tick', encoding: { x: q('x'), y: nom('c') } },
  {
    name: 'text, sequential colour',
    mark: { type: 'text', fontWeight: 'bold' },
    encoding: { x: q('x'), y: q('y'), text: { field: 'n' }, color: q('v') },
  },
  {
    name: 'trail, linear size',
    mark: 'trail',
    encoding: { x: q('x'), y: q('y'), size: q('w') },
  },
  {
    name: 'image',
    mark: { type: 'image', width: 8, height: 8 },
    encoding: { x: q('x'), y: q('y'), url: { field: 'img' } },
  },
  {
    name: 'arc, ordinal colour',
    mark: 'arc',
    encoding: { theta: q('v'), color: nom('n') },
  },
  {
    name: 'arc, sqrt radius and sequential colour',
    mark: 'arc',
    encoding: {
      theta: q('v', { stack: true }),
      // An explicit range: Vega-Lite's default one reads the width of a concat, 0.
      radius: q('w', { scale: { type: 'sqrt', zero: true, range: [0, 20] } }),
      color: q('v'),
    },
  },
  {
    name: 'geoshape, sequential colour',
    mark: 'geoshape',
    encoding: { color: q('v') },
    rows: features,
    unit: { projection: { type: 'identity', reflectY: true } },
    // Vega-Lite fits a faceted projection to a dataset the facet does not have: a fixed one.
    facetUnit: { projection: { type: 'identity', reflectY: true, scale: 6, translate: [2, 38] } },
  },
  { name: 'boxplot', mark: 'boxplot', encoding: { x: nom('c'), y: q('y') } },
];

/** B's encoding without axes (an empty B region is then pure background). */
function withoutAxes(encoding: Json): Json {
  const out = { ...encoding };
  for (const k of ['x', 'y']) if (out[k]) out[k] = { ...(out[k] as Json), axis: null };
  return out;
}

const config = { view: { stroke: null }, facet: { spacing: SPACING } };

function bRows(c: Case): Json[] {
  return B_FRAMES.flatMap((f) => (c.rows ?? rows)(f).map((r) => ({ ...r, f })));
}

/** hconcat [B, clock unit]: B's data has frames 2 and 4, the clock unit's 0–5. */
function concatSpec(c: Case, cumulative: boolean): Json {
  return {
    config,
    hconcat: [
      {
        data: { values: bRows(c) },
        mark: c.mark,
        encoding: { ...withoutAxes(c.encoding), frame: { field: 'f', cumulative } },
        width: W,
        height: H,
        ...c.unit,
      },
      {
        data: { values: FRAMES.map((f) => ({ f, k: f })) },
        mark: { type: 'point', color: 'black' },
        encoding: { x: q('k'), y: q('k'), frame: { field: 'f' } },
        width: W,
        height: H,
      },
    ],
  };
}

/** layer [invisible clock layer, B] on shared data: B's rows come through its filter. */
function layerSpec(c: Case, cumulative: boolean): Json {
  const frame = { field: 'f', cumulative };
  return {
    config,
    data: { values: [...FRAMES.map((f) => ({ f, kind: 'clock' })), ...bRows(c)] },
    width: W,
    height: H,
    ...(c.facetUnit ?? c.unit),
    layer: [
      {
        transform: [{ filter: "datum.kind == 'clock'" }],
        mark: { type: 'point', opacity: 0 },
        encoding: { frame },
      },
      {
        transform: [{ filter: "datum.kind !== 'clock'" }],
        mark: c.mark,
        encoding: { ...withoutAxes(c.encoding), frame },
      },
    ],
  };
}

/** Pixels in a rectangle that differ from white by more than anti-aliasing of white does. */
function ink(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  [x0, y0, x1, y1]: number[],
): number {
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      if (255 - Math.min(rgba[i], rgba[i + 1], rgba[i + 2]) > 16) n++;
    }
  return n;
}

/** B's region in the hconcat: its plot and half the spacing around it. */
const B_REGION = [0, 0, PAD + W + SPACING / 2, PAD + H + SPACING / 2];

/** Which frames have ink in B's region, e.g. "..x.x." for frames 2 and 4. */
const pattern = (inked: number[]) => inked.map((n) => (n > 0 ? 'x' : '.')).join('');
const expected = (cumulative: boolean) =>
  FRAMES.map((k) => (drawnIn(k, cumulative) ? 'x' : '.')).join('');

/** One browser for every case (launched once, though cases ask for it at once). */
let browser: Promise<Browser> | undefined;
const openBrowser = () =>
  (browser ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  }));

/**
 * What plotly users write: an image panel whose data has every second component beside a
 * distortion curve at every component, the image on a quantitative colour scale.
 */
function imagesAndCurve(animation?: Json): Json {
  const cells = [0, 2, 4].flatMap((f) =>
    [0, 1, 2, 3].map((i) => ({ f, x: i % 2, y: Math.floor(i / 2), v: f * 2 + i + 1 })),
  );
  return {
    ...(animation ? { animation } : {}),
    vconcat: [
      {
        data: { values: cells },
        mark: 'rect',
        encoding: {
          x: ord('x'),
          y: ord('y'),
          color: q('v'),
          frame: { field: 'f' },
        },
      },
      {
        data: { values: [0, 1, 2, 3, 4].map((f) => ({ f, d: 1 / (f + 1) })) },
        mark: 'line',
        encoding: { x: q('f'), y: q('d'), frame: { field: 'f', cumulative: true } },
      },
    ],
  };
}

test('images every second component beside a curve at every one: the colour scale spans the frames with images', async () => {
  const plan = await compile(imagesAndCurve());
  assert.deepEqual(plan.clock.values, [0, 1, 2, 3, 4]);
  const { vega } = await fixScaleDomains(plan, []);
  const color = (vega.scales as Json[]).find((s) => s.name === 'color')!;
  assert.deepEqual(color.domain, [1, 12]);
  const gif = decodeGif(await render(imagesAndCurve(), { workers: 1 }));
  assert.equal(gif.frameCount, 5);
});

test('rescale: where its units have no rows, a scale keeps the domain of the frame before', async () => {
  const plan = await compile(imagesAndCurve({ rescale: ['color'] }));
  const perFrame = (await fixScaleDomains(plan, [])).frameDomains.color;
  assert.deepEqual(perFrame, [
    [1, 4],
    [1, 4],
    [5, 8],
    [5, 8],
    [9, 12],
  ]);
  const gif = decodeGif(await render(imagesAndCurve({ rescale: ['color'] }), { workers: 1 }));
  assert.equal(gif.frameCount, 5);
});

/** Runs once per case and cumulative or not, named after both. */
function eachCase(
  run: (c: Case, cumulative: boolean, slug: string, name: string) => Promise<void>,
) {
  for (const c of CASES)
    for (const cumulative of [false, true]) {
      const name = `${c.name}${cumulative ? ', cumulative' : ''}`;
      test(name, () => run(c, cumulative, name.replace(/[^a-z0-9]+/gi, '-'), name));
    }
}

describe("GIF: B's region is blank in its empty frames", () => {
  eachCase(async (c, cumulative, slug) => {
    const out = path.join(dir, `${slug}.gif`);
    await renderToFile(concatSpec(c, cumulative), out, { workers: 1 });
    const gif = decodeGif(out);
    assert.equal(gif.frameCount, FRAMES.length);
    const inked = FRAMES.map((k) => ink(gif.frame(k), gif.width, B_REGION));
    assert.equal(pattern(inked), expected(cumulative), `ink in B's region: ${inked}`);
    if (c.fast) {
      const renderer = await rendererFor(await compile(concatSpec(c, cumulative)));
      assert.equal(renderer.fastMarks.length, 1, 'the fast path draws B');
      renderer.finalize();
    }
  });
});

describe("small multiples: the panels of B's empty frames are empty", () => {
  eachCase(async (c, cumulative, slug) => {
    const out = path.join(dir, `${slug}-facet.png`);
    await renderToFile(layerSpec(c, cumulative), out, { as: 'facet', columns: FRAMES.length });
    const png = decodePng(readFileSync(out));
    const inked = panelColumns(png).map((column) => ink(png.rgba, png.width, column));
    assert.equal(pattern(inked), expected(cumulative), `ink in B's panels: ${inked}`);
  });
});

/**
 * Each panel's plot of a one-row facet without axes: the rectangle below the header labels
 * (the first band of ink from the top), centred on its label, as wide as a panel and its
 * spacing.
 */
function panelColumns(png: Rgba): number[][] {
  const rowInk = (y: number) => ink(png.rgba, png.width, [0, y, png.width, y + 1]);
  let top = 0;
  while (top < png.height && rowInk(top) === 0) top++;
  let bottom = top;
  while (bottom < png.height && rowInk(bottom) > 0) bottom++;
  const centres: number[] = [];
  let start = -1;
  for (let x = 0; x <= png.width; x++) {
    const inked = x < png.width && ink(png.rgba, png.width, [x, top, x + 1, bottom]) > 0;
    if (inked && start < 0) start = x;
    if (!inked && start >= 0) {
      centres.push((start + x) / 2);
      start = -1;
    }
  }
  // The labels come first from the left; a legend's title may follow.
  return centres
    .slice(0, FRAMES.length)
    .map((c) => [
      Math.max(0, Math.round(c - (W + SPACING) / 2)),
      bottom,
      Math.min(png.width, Math.round(c + (W + SPACING) / 2)),
      png.height,
    ]);
}

/**
 * The cases also played in Chromium (a page takes about half a second to load): each kind
 * of colour scale, the player's own drawing of large circles, growing lines, images, text.
 */
const IN_BROWSER = new Set([
  'circle, sequential colour',
  'circle, 2,500 rows (fast path), sequential colour',
  'circle, 2,500 rows (fast path), sequential colour, cumulative',
  'bar, band y and ordinal colour',
  'line, linear and ordinal colour, cumulative',
  'rect, heatmap with sequential colour',
  'rect, heatmap with sequential colour, cumulative',
  'rect, quantize colour',
  'rect, diverging colour',
  'text, sequential colour',
  'image',
  'geoshape, sequential colour',
]);

describe(
  'HTML player: B has no rows in its empty frames, and draws nothing there',
  {
    concurrency: 3,
  },
  () => {
    eachCase(async (c, cumulative, slug, name) => {
      const out = path.join(dir, `${slug}.html`);
      await renderToFile(concatSpec(c, cumulative), out, { workers: 1 });
      const html = readFileSync(out, 'utf8');
      const payload = JSON.parse(
        /<script class="vf-payload" type="application\/json">(.*?)<\/script>/s.exec(html)![1],
      ) as { vega: Json; sources: { offsets?: number[]; cumulative?: boolean }[] };
      // The scales fixed over all frames (the GIF's too) hold values at both ends: an empty
      // frame's [null, null] would break every colour interpolator.
      for (const scale of payload.vega.scales as Json[])
        if (Array.isArray(scale.domain))
          assert.ok(!scale.domain.includes(null), `${scale.name}: ${JSON.stringify(scale.domain)}`);
      // B's source is the first: its rows in each frame as the player slices them.
      const b = payload.sources[0];
      const shown = FRAMES.map((k) => b.offsets![k + 1] - (b.cumulative ? 0 : b.offsets![k]));
      assert.equal(pattern(shown), expected(cumulative), `B's rows per frame: ${shown}`);
      if (!haveBrowser || !IN_BROWSER.has(name)) return;
      const page = await (await openBrowser()).newPage();
      try {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`file://${out}`);
        await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 30000 });
        const inked: number[] = [];
        for (const k of FRAMES) {
          inked.push(
            await page.evaluate(
              async ({ k, region }) => {
                const p = (window as unknown as { vfPlayer: { seek(k: number): Promise<void> } })
                  .vfPlayer;
                await p.seek(k);
                const canvas = document.querySelector('.vf-chart canvas') as HTMLCanvasElement;
                const ratio = canvas.width / canvas.clientWidth;
                const [x0, y0, x1, y1] = region.map((v) => Math.round(v * ratio));
                const { data } = canvas.getContext('2d')!.getImageData(x0, y0, x1 - x0, y1 - y0);
                let n = 0;
                for (let i = 0; i < data.length; i += 4) {
                  const white = 255 - Math.min(data[i], data[i + 1], data[i + 2]) <= 16;
                  if (data[i + 3] > 16 && !white) n++;
                }
                return n;
              },
              { k, region: B_REGION },
            ),
          );
        }
        assert.equal(pattern(inked), expected(cumulative), `ink in B's region: ${inked}`);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  },
);

after(async () => {
  await (await browser)?.close();
  // Each player page inlines Vega and the fonts: 100 MB in all, not left behind.
  rmSync(dir, { recursive: true, force: true });
});
