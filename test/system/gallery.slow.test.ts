/**
 * The gallery (docs/gallery.md): the five scenarios users brought, each a committed spec
 * rendered here on its data (the two large data sets generated at a smaller size), checked
 * against golden key frames, its outputs decoded back, and its spec quoted verbatim in the
 * docs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, renderToFile } from '../../src/api.js';
import { fixScaleDomains } from '../../src/render/scales.js';
import { coinFlips, writeLabelpropGallery } from '../../scripts/gen-gallery-data.js';
import { writeUmap } from '../../scripts/gen-data.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { expectGolden } from '../helpers/golden.js';
import { probe } from '../helpers/video.js';
import { playerPayload } from '../helpers/motion.js';
import { rendererFor } from '../helpers/renderer.js';

const SPECS = path.resolve('specs');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-gallery-'));
mkdirSync(path.join(tmp, 'data'));
const spec = (name: string) => path.join(SPECS, `${name}.yaml`);

async function keyFrame(file: string, k: number, baseDir?: string) {
  const plan = await compile(file, { baseDir });
  const renderer = await rendererFor(plan);
  try {
    const f = await renderer.render(k);
    return { plan, frame: { ...f, rgba: Uint8Array.from(f.rgba) }, fastMarks: renderer.fastMarks };
  } finally {
    renderer.finalize();
  }
}

test('docs/gallery.md quotes every gallery spec as committed', () => {
  const doc = readFileSync('docs/gallery.md', 'utf8');
  for (const name of [
    'labelprop',
    'coin-flips',
    'weights-heatmap',
    'mnist-umap',
    'pca-reconstruction',
  ])
    assert.ok(
      doc.includes(readFileSync(spec(name), 'utf8').trim()),
      `${name}.yaml is quoted whole`,
    );
});

test('1. label propagation: 200,000 cells recoloured by rank, seeds ringed; GIF and player', async () => {
  // The committed generator, 3 of the 18 iterations (each frame is the same in both).
  writeLabelpropGallery(path.join(tmp, 'data/labelprop.csv'), 200000, 3);
  const { plan, frame, fastMarks } = await keyFrame(spec('labelprop'), 2, tmp);
  assert.deepEqual(plan.warnings, []);
  assert.equal(plan.planned[0].table.length, 600000);
  assert.deepEqual(fastMarks, ['layer_0_marks'], 'the 200k cells take the fast path');
  // The two seed cells are ringed in every frame: a source of their own, two rows, not framed.
  const seeds = plan.planned.find((s) => s.view === '$.layer[1]');
  assert.equal(seeds?.table.length, 2);
  assert.ok(!seeds.partition, 'the rings show in every frame');
  // …and drawn: the rings' #e4572e is in no viridis colour (309 such pixels at frame 2).
  let ringPixels = 0;
  for (let i = 0; i < frame.rgba.length; i += 4) {
    const [r, g, b] = frame.rgba.subarray(i, i + 3);
    if (Math.abs(r - 0xe4) + Math.abs(g - 0x57) + Math.abs(b - 0x2e) < 30) ringPixels++;
  }
  assert.ok(ringPixels > 200, `${ringPixels} pixels of the rings' colour`);
  expectGolden('gallery-labelprop-f2', frame);
  const gif = path.join(tmp, 'labelprop.gif');
  await renderToFile(spec('labelprop'), gif, { baseDir: tmp });
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 3);
  assert.deepEqual(decoded.delaysCs, [25, 25, 225]);
  const html = path.join(tmp, 'labelprop.html');
  await renderToFile(spec('labelprop'), html, { baseDir: tmp });
  assert.equal(playerPayload(html).signals.length, 3);
});

test("2. coin flips: the original's curves, a curve per k kept, the legend growing inside; GIF", async () => {
  // The committed data is the generator's, and its numbers are the binomial tails.
  const csv = readFileSync(path.join(SPECS, 'data/coin-flips.csv'), 'utf8');
  assert.equal(csv, coinFlips(), 'specs/data/coin-flips.csv is what the generator writes');
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  assert.equal(rows.length, 10 * 100);
  // numpy's linspace(-5, 0, 100) for every k, and P = 1 at p = 1.
  for (const [j, [, x]] of rows.slice(0, 100).entries())
    assert.equal(x, j === 99 ? 0 : j * (5 / 99) - 5);
  const tail: Record<number, (p: number) => number> = {
    2: (p) => 1 - (1 - p) ** 2,
    4: (p) => 1 - (1 - p) ** 4 - 4 * p * (1 - p) ** 3,
  };
  for (const [k, x, prob] of rows) {
    if (x === 0) assert.equal(prob, 1, `k=${k} at p = 1`);
    if (k === 2 || k === 4)
      assert.ok(Math.abs(prob - tail[k](Math.exp(x))) <= 5e-9, `k=${k} x=${x}: ${prob}`);
    // At p ≤ e^-1 the mean is 377 heads of 1024, 512 is 8.7 sd above it: below 1e-8.
    if (k === 1024 && x <= -1) assert.equal(prob, 0, `k=1024 x=${x}`);
  }

  const plan = await compile(spec('coin-flips'));
  assert.deepEqual(plan.warnings, []);
  assert.deepEqual(plan.clock.values, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
  const scaled = await fixScaleDomains(plan, []);
  assert.deepEqual(
    scaled.frameDomains.color,
    plan.clock.values.map((_, i) => plan.clock.values.slice(0, i + 1)),
    'the legend holds the curves drawn so far, in order of k',
  );
  const scales = (scaled.vega as { scales: { name: string; domain: unknown; range: unknown }[] })
    .scales;
  const byName = Object.fromEntries(scales.map((s) => [s.name, s]));
  // matplotlib's 5% margins around x in [-5, 0] and y in [0, 1]; its tab10 cycle.
  assert.deepEqual(byName.x.domain, [-5.25, 0.25]);
  assert.deepEqual(byName.y.domain, [-0.05, 1.05]);
  assert.deepEqual(byName.color.range, { scheme: 'category10' });

  const { frame } = await keyFrame(spec('coin-flips'), 9);
  expectGolden('gallery-coin-flips-f9', frame);
  // The legend at frame 3 lists k=2 … k=16 in order, inside the plot, and nothing later.
  const svg = path.join(tmp, 'coins-f3.svg');
  await renderToFile(spec('coin-flips'), svg, { frame: 3 });
  const text = readFileSync(svg, 'utf8');
  const labels = [...text.matchAll(/>(k=\d+)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ['k=2', 'k=4', 'k=8', 'k=16']);
  assert.match(text, /Chance of at least half heads in k coin flips/);
  assert.match(text, /Negative loss \(log Pr\(single coin head\)\)/);
  assert.match(text, /Probability of event/);

  const gif = path.join(tmp, 'coins.gif');
  await renderToFile(spec('coin-flips'), gif);
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 10);
  assert.deepEqual(decoded.delaysCs, [50, 50, 50, 50, 50, 50, 50, 50, 50, 250]);
  // A 6.4 × 4.8 in figure at a point a pixel (matplotlib's 640 × 480 at --ppi 100).
  assert.deepEqual([decoded.width, decoded.height], [461, 346]);
});

test('3. weights from a .npy stack: 30 heatmaps, values written, YlGn on [0, 0.05]; GIF', async () => {
  const { plan, frame } = await keyFrame(spec('weights-heatmap'), 29);
  assert.deepEqual(plan.warnings, []);
  assert.deepEqual(plan.planned[0].table.names, ['frame', 'row', 'col', 'value']);
  assert.equal(plan.clock.values.length, 30);
  expectGolden('weights-heatmap-f29', frame);
  // A 15:10 figure, as the original's figsize.
  assert.deepEqual([frame.width, frame.height], [1609, 1076]);

  // annotate_heatmap's text colours: white where a value passes half its own frame's
  // largest value (0.01195 at epoch 0, 0.02495 at epoch 29), black elsewhere.
  const white: number[] = [];
  for (const [k, below, above] of [
    [0, '0.011900000', '0.012000000'],
    [29, '0.024600000', '0.025400000'],
  ] as const) {
    const svg = path.join(tmp, `weights-f${k}.svg`);
    await renderToFile(spec('weights-heatmap'), svg, { frame: k });
    const text = readFileSync(svg, 'utf8');
    const cells = [...text.matchAll(/<text[^>]* fill="(\w+)"[^>]*>(\d\.\d{9})<\/text>/g)].map(
      (m) => ({ fill: m[1], text: m[2], value: Number(m[2]) }),
    );
    assert.equal(cells.length, 200, 'every cell written with 9 decimals');
    const half = Math.max(...cells.map((c) => c.value)) / 2;
    for (const c of cells)
      assert.equal(c.fill, c.value > half ? 'white' : 'black', `epoch ${k}: ${c.text}`);
    assert.equal(cells.find((c) => c.text === below)?.fill, 'black', `epoch ${k}: ${below}`);
    assert.equal(cells.find((c) => c.text === above)?.fill, 'white', `epoch ${k}: ${above}`);
    white.push(cells.filter((c) => c.fill === 'white').length);
    // Column labels on top, rotated as matplotlib's rotation=-30, ha="right",
    // rotation_mode="anchor": the label's end at the tick, turned 30° clockwise.
    assert.match(
      text,
      /text-anchor="end" transform="translate\([\d.]+,-7\) rotate\(30\)[^>]*>orig_dim_0</,
    );
    assert.match(text, />embed_dim_9</);
  }
  // The cells matplotlib's annotate_heatmap writes white on these two epochs.
  assert.deepEqual(white, [151, 58]);
  const gif = path.join(tmp, 'weights.gif');
  await renderToFile(spec('weights-heatmap'), gif);
  assert.equal(decodeGif(gif).frameCount, 30);
});

test("4. MNIST by UMAP: the original's 8×8 in embedding beside its 3×8 in digit tiles; MP4 at 30 fps and GIF", async () => {
  await writeUmap(path.join(tmp, 'data/mnist-umap.csv'), 30000, 3);
  copyFileSync(path.join(SPECS, 'data/digit-tiles.csv'), path.join(tmp, 'data/digit-tiles.csv'));
  const { plan, frame, fastMarks } = await keyFrame(spec('mnist-umap'), 1, tmp);
  assert.deepEqual(plan.warnings, []);
  assert.equal(fastMarks.length, 1, 'the 30k points take the fast path');
  // 800 + 300 by 800 pixels: the two plotnine figures at 100 dpi, stacked side by side.
  assert.deepEqual([frame.width, frame.height], [1100, 800]);
  const at = (x: number, y: number) =>
    Array.from(frame.rgba.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 3));
  const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  // The progress bar: white at y = 1.05 of (0, 1.06) over the panel from 105 to 760, from
  // x = 40 to epoch / epochs of the 720 px panel (1/3 at epoch 1), black past its end.
  assert.deepEqual(at(45, 117), [255, 255, 255]);
  assert.deepEqual(at(278, 117), [255, 255, 255]);
  assert.deepEqual(at(283, 117), [0, 0, 0]);
  assert.deepEqual(at(45, 112), [0, 0, 0], 'nothing above the bar but the subtitle');
  // The tiles: ColorBrewer Paired by digit, a 28×28 image in 5 px cells from (804, 26), a
  // column of two every 152 px; neighbouring full cells meet with no seam.
  const paired = ['#a6cee3', '#1f78b4', '#b2df8a', '#33a02c', '#fb9a99', '#e31a1c', '#fdbf6f'];
  paired.push('#ff7f00', '#cab2d6', '#6a3d9a');
  const tiles = readFileSync(path.join(SPECS, 'data/digit-tiles.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const full = new Set(tiles.filter((t) => t[3] === 1).map(([d, r, c]) => `${d},${r},${c}`));
  for (let d = 0; d < 10; d++) {
    const pair = tiles.find(
      ([dd, r, c, v]) => dd === d && v === 1 && full.has(`${d},${r},${c + 1}`),
    );
    assert.ok(pair, `digit ${d} has two full cells side by side`);
    const [, row, col] = pair;
    const x0 = 804 + (d % 2) * 152 + col * 5;
    const y0 = 26 + Math.floor(d / 2) * 152 + row * 5;
    for (const x of [x0, x0 + 4, x0 + 5, x0 + 9])
      assert.deepEqual(at(x, y0 + 2), hex(paired[d]), `digit ${d} at (${x}, ${y0 + 2})`);
  }
  // The points in the same colours: each digit's colour is drawn in the panel.
  const seen = new Set<string>();
  for (let y = 130; y < 760; y++) for (let x = 40; x < 760; x++) seen.add(at(x, y).join());
  for (const c of paired) assert.ok(seen.has(hex(c).join()), `${c} among the points`);
  expectGolden('gallery-mnist-umap-f1', frame);

  // The MP4: the spec's animation.crf 22 (the same bytes as --crf 22), yuv420p, 30 fps.
  const mp4 = path.join(tmp, 'mnist.mp4');
  const video = await renderToFile(spec('mnist-umap'), mp4, { baseDir: tmp });
  assert.deepEqual(video.warnings, []);
  const p = probe(mp4);
  assert.equal(p.codec_name, 'h264');
  assert.equal(p.pix_fmt, 'yuv420p');
  assert.deepEqual([p.width, p.height], [1100, 800]);
  assert.equal(p.frames, 3, 'one frame an epoch, no pause, as the original');
  assert.ok(Math.abs(Number(p.format.duration) - 3 / 30) < 0.005, p.format.duration);
  const crf22 = path.join(tmp, 'mnist-22.mp4');
  await renderToFile(spec('mnist-umap'), crf22, { baseDir: tmp, crf: 22 });
  assert.ok(readFileSync(mp4).equals(readFileSync(crf22)), 'encoded at crf 22');
  const crf18 = path.join(tmp, 'mnist-18.mp4');
  await renderToFile(spec('mnist-umap'), crf18, { baseDir: tmp, crf: 18 });
  assert.ok(!readFileSync(mp4).equals(readFileSync(crf18)), 'not at the default crf 18');

  const gif = path.join(tmp, 'mnist.gif');
  const animated = await renderToFile(spec('mnist-umap'), gif, { baseDir: tmp });
  const line = readFileSync(spec('mnist-umap'), 'utf8').split('\n').indexOf('  crf: 22') + 1;
  assert.deepEqual(animated.warnings, [
    `${spec('mnist-umap')}:${line}:3 at $.animation.crf: animation.crf applies to MP4 and WebM only; gif output ignores it`,
  ]);
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 3);
  assert.deepEqual(decoded.delaysCs, [3, 3, 4]);
  assert.deepEqual([decoded.width, decoded.height], [frame.width, frame.height]);
});

const PYTHON = '/usr/bin/python3';
const haveSklearn = spawnSync(PYTHON, ['-c', 'import sklearn']).status === 0;

test(
  '5. PCA data: specs/data/pca-*.csv are what scripts/gen-pca-digits.py writes',
  { skip: !haveSklearn && `needs ${PYTHON} with Debian's python3-sklearn` },
  () => {
    const out = mkdtempSync(path.join(tmpdir(), 'vf-pca-'));
    const run = spawnSync(PYTHON, ['scripts/gen-pca-digits.py', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    for (const name of ['pca-images.csv', 'pca-distortion.csv'])
      assert.equal(
        readFileSync(path.join(out, name), 'utf8'),
        readFileSync(path.join(SPECS, 'data', name), 'utf8'),
        name,
      );
  },
);

/** The committed CSV as rows of numbers by column name. */
function csvRows(name: string): Record<string, number>[] {
  const [head, ...lines] = readFileSync(path.join(SPECS, 'data', name), 'utf8')
    .trim()
    .split('\n');
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], Number(v)])));
}

test('5. PCA reconstruction: a digit, its reconstruction and what remains over the distortion at every n; player and GIF', async () => {
  const pcs = [...Array.from({ length: 25 }, (_, i) => 2 * i + 1), 50];
  const images = csvRows('pca-images.csv');
  const distortion = csvRows('pca-distortion.csv');
  assert.equal(images.length, 26 * 64);
  assert.deepEqual(
    distortion.map((r) => r.components),
    Array.from({ length: 50 }, (_, i) => i + 1),
    'the distortion at every component count',
  );
  // Each count from the first image frame that shows it: frame PCs n draws counts 1..n.
  for (const r of distortion)
    assert.equal(
      r.frame,
      pcs.find((n) => n >= r.components),
      `count ${r.components}`,
    );

  const plan = await compile(spec('pca-reconstruction'));
  assert.deepEqual(plan.warnings, []);
  assert.deepEqual(plan.clock.values, pcs);
  // px.imshow(binary_string=True) rescales the whole stack at once: one grey ramp, black at
  // the least value of any image in any frame, white at the greatest.
  const values = images.flatMap((r) => [r.original, r.reconstructed, r.remaining]);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const scales = (
    (await fixScaleDomains(plan, [])).vega as { scales: Record<string, unknown>[] }
  ).scales.filter((s) => String(s.name).endsWith('color'));
  assert.equal(scales.length, 1, 'the three images share one colour scale');
  assert.deepEqual(scales[0].domain, [lo, hi]);

  const { frame } = await keyFrame(spec('pca-reconstruction'), 3);
  expectGolden('gallery-pca-f3', frame);

  // Frame 5 (PCs 11) as SVG: every pixel of the three images in its grey on that ramp
  // (plotly truncates where Vega rounds: within one level of the original's PNG).
  const svg = (k: number) => {
    const file = path.join(tmp, `pca-f${k}.svg`);
    return renderToFile(spec('pca-reconstruction'), file, { frame: k }).then(() =>
      readFileSync(file, 'utf8'),
    );
  };
  const f5 = await svg(5);
  const cells = [
    ...f5.matchAll(
      /aria-label="col: (\d); row: (\d); (\w+): [^"]*"[^>]* fill="rgb\((\d+), \d+, \d+\)"/g,
    ),
  ];
  assert.equal(cells.length, 3 * 64);
  for (const [, col, row, field, grey] of cells) {
    const v = images.find((r) => r.components === 11 && r.row === +row && r.col === +col)![field];
    assert.equal(+grey, Math.round((255 * (v - lo)) / (hi - lo)), `${field} at ${row},${col}`);
  }
  // plotly's default scatter mode: markers while the trace has fewer than 20 points.
  const points = (text: string) => text.match(/aria-roledescription="point"/g)?.length ?? 0;
  assert.equal(points(await svg(9)), 19, 'PCs 19: 19 markers');
  assert.equal(points(await svg(10)), 0, 'PCs 21: the line alone');

  // The player: Play and Pause (one button, as plotly's two), waiting for Play as plotly does.
  const html = path.join(tmp, 'pca.html');
  await renderToFile(spec('pca-reconstruction'), html, { autoplay: false });
  const page = readFileSync(html, 'utf8');
  assert.ok(
    page.includes('<button class="vf-play" type="button" aria-pressed="false">Play</button>'),
    'a Play button',
  );
  assert.ok(
    /textContent ?= ?on ?\? ?["']Pause["'] ?: ?["']Play["']/.test(page),
    'the button reads Pause while playing',
  );
  const payload = playerPayload(html);
  assert.equal(payload.autoplay, false);
  assert.equal(payload.signals.length, 26);
  assert.deepEqual(payload.labels.slice(0, 3), ['1', '3', '5']);
  assert.deepEqual(payload.labels.slice(-2), ['49', '50']);

  // A frame a second (plotly's frame duration 1000 ms), played once as plotly's Play does.
  const gif = path.join(tmp, 'pca.gif');
  await renderToFile(spec('pca-reconstruction'), gif);
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 26);
  assert.deepEqual(decoded.delaysCs, Array(26).fill(100));
  assert.equal(decoded.loop, null, 'no NETSCAPE loop block: plays once');
});
