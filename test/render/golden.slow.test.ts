/**
 * The 30,000-point scatter over epochs (generated data), drawn by the direct raster path:
 * its golden key frame, its distance from Vega's own drawing, and its GIF decoded back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, renderToFile } from '../../src/api.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { diffFraction, expectGolden } from '../helpers/golden.js';
import { writeUmap } from '../../scripts/gen-data.js';
import { rendererFor } from '../helpers/renderer.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-golden-'));
/** Largest fraction of pixels (pixelmatch threshold 0.1) the fast path may differ from Vega. */
const FAST_PATH_MAX_DIFF = 0.01;

async function frameOf(spec: string | Record<string, unknown>, k: number, baseDir?: string) {
  const plan = await compile(spec, { baseDir });
  const renderer = await rendererFor(plan);
  try {
    const f = await renderer.render(k);
    return { frame: { ...f, rgba: Uint8Array.from(f.rgba) }, renderer, plan };
  } finally {
    renderer.finalize();
  }
}

test('30k-point scatter over epochs: epoch title and a progress-bar rule', async () => {
  writeFileSync(path.join(tmp, 'spec-dir-marker'), '');
  await writeUmap(path.join(tmp, 'umap.csv'), 30000, 3);
  const spec = {
    title: 'epoch {frame}',
    width: 400,
    height: 400,
    data: { url: 'umap.csv' },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 3, opacity: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] } },
          y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] } },
          color: { field: 'digit', type: 'nominal' },
          frame: { field: 'epoch', type: 'ordinal' },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: 'firebrick', strokeWidth: 6 },
        encoding: { x: { value: 0 }, x2: { value: { expr: 'progress * width' } }, y: { value: 0 } },
      },
    ],
    animation: { fps: 20, pause: { start: 0.5, end: 1 } },
  };
  const { frame, renderer } = await frameOf(spec, 1, tmp);
  assert.deepEqual(renderer.fastMarks, ['layer_0_marks'], 'the 30k points take the fast path');
  expectGolden('umap-30k-f1', frame);
  // The direct raster path stays pixel-close to Vega's own canvas rendering of the frame.
  const plan = await compile(spec, { baseDir: tmp });
  const vegaOnly = await rendererFor(plan, { noFastPath: true });
  const reference = await vegaOnly.render(1);
  vegaOnly.finalize();
  const fraction = diffFraction(reference, frame);
  assert.ok(
    fraction < FAST_PATH_MAX_DIFF,
    `fast path differs from Vega in ${(fraction * 100).toFixed(2)}% of pixels`,
  );
  const out = path.join(tmp, 'umap.gif');
  await renderToFile(spec, out, { baseDir: tmp });
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 3);
  assert.deepEqual(gif.delaysCs, [5 + 50, 5, 5 + 100]);
});
