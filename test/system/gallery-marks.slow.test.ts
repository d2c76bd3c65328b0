/**
 * How `info` says each gallery spec's marks are drawn: directly (the raster path for large
 * symbol marks) or by Vega, every mark of every spec in specs/. The two large data sets
 * are generated here, smaller (as test/system/gallery.slow.test.ts does): the marks are the
 * same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { info } from '../../src/api.js';
import { writeLabelpropGallery } from '../../scripts/gen-gallery-data.js';
import { writeUmap } from '../../scripts/gen-data.js';

const SPECS = path.resolve('specs');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-gallery-marks-'));
mkdirSync(path.join(tmp, 'data'));

/** Where each spec's data is: generated in tmp, else beside the spec. */
const generated: Record<string, () => Promise<void>> = {
  labelprop: async () => writeLabelpropGallery(path.join(tmp, 'data/labelprop.csv'), 20000, 2),
  'mnist-umap': async () => {
    await writeUmap(path.join(tmp, 'data/mnist-umap.csv'), 5000, 2);
    copyFileSync(path.join(SPECS, 'data/digit-tiles.csv'), path.join(tmp, 'data/digit-tiles.csv'));
  },
};

const ONLY_DIRECT = 'only point, circle, square and rect marks are drawn directly';

/** Every gallery spec's marks: [path, mark, drawn] (with the reason when Vega draws it). */
const expected: Record<string, [string, string, 'direct' | 'vega', string?][]> = {
  'coin-flips': [['$', 'line', 'vega', ONLY_DIRECT]],
  labelprop: [
    ['$.layer[0]', 'circle', 'direct'],
    ['$.layer[1]', 'point', 'vega', 'at most 2 items a frame (the direct path pays from 2,000)'],
  ],
  'mnist-umap': [
    ['$.hconcat[0].layer[0]', 'circle', 'direct'],
    ['$.hconcat[0].layer[1]', 'rule', 'vega', ONLY_DIRECT],
    ['$.hconcat[1].spec', 'rect', 'vega', 'is drawn in each panel of a facet'],
  ],
  'motion-bounce': [
    ['$', 'circle', 'vega', 'at most 1 item a frame (the direct path pays from 2,000)'],
  ],
  'motion-countries': [
    ['$', 'circle', 'vega', 'at most 10 items a frame (the direct path pays from 2,000)'],
  ],
  'motion-orbits': [
    ['$', 'circle', 'vega', 'at most 3 items a frame (the direct path pays from 2,000)'],
  ],
  'motion-rescale': [
    ['$', 'circle', 'vega', 'at most 40 items a frame (the direct path pays from 2,000)'],
  ],
  'motion-reveal': [
    ['$.layer[0]', 'line', 'vega', ONLY_DIRECT],
    ['$.layer[1]', 'circle', 'vega', 'its data goes through a joinaggregate transform'],
  ],
  'motion-timing': [['$', 'bar', 'vega', 'its y is not a field on a band scale (a grid of cells)']],
  'pca-reconstruction': [
    ['$.vconcat[0].hconcat[0]', 'rect', 'direct'],
    ['$.vconcat[0].hconcat[1]', 'rect', 'direct'],
    ['$.vconcat[0].hconcat[2]', 'rect', 'direct'],
    ['$.vconcat[1].layer[0]', 'line', 'vega', ONLY_DIRECT],
    ['$.vconcat[1].layer[1]', 'point', 'vega', 'its data is filtered by an expression'],
  ],
  'umap-epochs': [
    ['$.layer[0]', 'point', 'direct'],
    ['$.layer[1]', 'rule', 'vega', ONLY_DIRECT],
  ],
  'matrix-image': [['$', 'rect', 'direct']],
  'weights-heatmap': [
    ['$.layer[0]', 'rect', 'direct'],
    // The white grid over the cells: a stroke, which Vega draws.
    ['$.layer[1]', 'rect', 'vega', 'its cells have a stroke'],
    ['$.layer[2]', 'text', 'vega', ONLY_DIRECT],
  ],
};

test('every gallery spec has its marks listed here', () => {
  const specs = readdirSync(SPECS)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));
  assert.deepEqual(specs.sort(), Object.keys(expected).sort());
});

for (const [name, marks] of Object.entries(expected)) {
  test(`${name}: how info says each mark is drawn`, async () => {
    await generated[name]?.();
    const i = await info(path.join(SPECS, `${name}.yaml`), {
      baseDir: generated[name] ? tmp : undefined,
    });
    assert.deepEqual(
      i.marks.map((m) => [m.path, m.mark, m.drawn, ...(m.reason ? [m.reason] : [])]),
      marks,
    );
    assert.deepEqual(
      i.fastMarks,
      i.marks.filter((m) => m.drawn === 'direct').map((m) => m.name),
    );
  });
}
