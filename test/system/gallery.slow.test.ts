/**
 * The gallery (docs/gallery.md): the five scenarios users brought, each a committed spec
 * rendered here on its data (the two large data sets generated at a smaller size), checked
 * against golden key frames, its outputs decoded back, and its spec quoted verbatim in the
 * docs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, renderToFile } from '../../src/api.js';
import { fixScaleDomains } from '../../src/render/scales.js';
import { writeLabelpropGallery } from '../../scripts/gen-gallery-data.js';
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

test('2. coin flips: a curve per k kept, the legend growing with them; GIF', async () => {
  const plan = await compile(spec('coin-flips'));
  assert.deepEqual(plan.clock.values, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
  const domains = (await fixScaleDomains(plan, [])).frameDomains.color;
  assert.deepEqual(
    domains.map((d) => d.length),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    'the legend holds the curves drawn so far',
  );
  const { frame } = await keyFrame(spec('coin-flips'), 9);
  expectGolden('gallery-coin-flips-f9', frame);
  const gif = path.join(tmp, 'coins.gif');
  await renderToFile(spec('coin-flips'), gif);
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 10);
  assert.deepEqual(decoded.delaysCs, [50, 50, 50, 50, 50, 50, 50, 50, 50, 250]);
});

test('3. weights from a .npy stack: 30 heatmaps, values written, YlGn on [0, 0.05]; GIF', async () => {
  const { plan, frame } = await keyFrame(spec('weights-heatmap'), 29);
  assert.deepEqual(plan.planned[0].table.names, ['frame', 'row', 'col', 'value']);
  assert.equal(plan.clock.values.length, 30);
  // The .npy holds the same numbers as weights.csv: the golden made from the CSV holds.
  expectGolden('weights-heatmap-f29', frame);
  const gif = path.join(tmp, 'weights.gif');
  await renderToFile(spec('weights-heatmap'), gif);
  assert.equal(decodeGif(gif).frameCount, 30);
});

test('4. MNIST by UMAP: 30,000 points on black, progress bar, digit tiles; MP4 at 30 fps and GIF', async () => {
  await writeUmap(path.join(tmp, 'data/mnist-umap.csv'), 30000, 3);
  copyFileSync(path.join(SPECS, 'data/digit-tiles.csv'), path.join(tmp, 'data/digit-tiles.csv'));
  const { plan, frame, fastMarks } = await keyFrame(spec('mnist-umap'), 1, tmp);
  assert.deepEqual(plan.warnings, []);
  assert.equal(fastMarks.length, 1, 'the 30k points take the fast path');
  expectGolden('gallery-mnist-umap-f1', frame);
  const mp4 = path.join(tmp, 'mnist.mp4');
  await renderToFile(spec('mnist-umap'), mp4, { baseDir: tmp });
  const p = probe(mp4);
  assert.equal(p.codec_name, 'h264');
  // 3 epochs, then the 1.5 s end pause as 45 repeated frames at 30 fps.
  assert.equal(p.frames, 3 + 45);
  assert.ok(Math.abs(Number(p.format.duration) - 48 / 30) < 0.05);
  const gif = path.join(tmp, 'mnist.gif');
  await renderToFile(spec('mnist-umap'), gif, { baseDir: tmp });
  const decoded = decodeGif(gif);
  assert.equal(decoded.frameCount, 3);
  assert.deepEqual([decoded.width, decoded.height], [frame.width, frame.height]);
});

test('5. PCA reconstruction: original, reconstruction, residual over a growing curve; player and GIF', async () => {
  const { plan, frame } = await keyFrame(spec('pca-reconstruction'), 3);
  assert.deepEqual(plan.clock.values, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32]);
  expectGolden('gallery-pca-f3', frame);
  const html = path.join(tmp, 'pca.html');
  await renderToFile(spec('pca-reconstruction'), html);
  const payload = playerPayload(html);
  assert.equal(payload.signals.length, 16);
  assert.deepEqual(payload.labels.slice(0, 3), ['2', '4', '6']);
  const gif = path.join(tmp, 'pca.gif');
  await renderToFile(spec('pca-reconstruction'), gif);
  assert.equal(decodeGif(gif).frameCount, 16);
});
