/**
 * Options a render cannot honour for its output warn, and a warning about a spec property
 * names its JSON path (and its line:col when the spec came from a file), as the compile's
 * warnings do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SpecInput, renderToFile } from '../../src/api.js';
import { pipelineMessage } from '../../src/pipeline/messages.js';

const yaml = `data:
  values: [{x: 1, f: 1}, {x: 2, f: 2}]
mark: point
encoding:
  x: {field: x, type: quantitative}
  frame: {field: f, type: ordinal}
animation:
  fps: 4
  dither: true
`;

test('animation.dither on a still warns at its JSON path with its line:col', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-ignored-'));
  try {
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, yaml);
    const { warnings } = await renderToFile(file, join(dir, 'f.png'), { workers: 1 });
    const dither = warnings.filter((w) => /dither/.test(w));
    assert.deepEqual(dither, [
      `${file}:9:3 at $.animation.dither: animation.dither applies to GIF only; png output ignores it`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('animation.dither in an object spec warns at its JSON path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-ignored-'));
  try {
    const spec: SpecInput = {
      data: {
        values: [
          { x: 1, f: 1 },
          { x: 2, f: 2 },
        ],
      },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 'f', type: 'ordinal' } },
      animation: { fps: 4, dither: true },
    };
    for (const format of ['apng', 'html']) {
      const { warnings } = await renderToFile(spec, join(dir, `out.${format}`), { workers: 1 });
      assert.deepEqual(
        warnings.filter((w) => /dither/.test(w)),
        [
          `at $.animation.dither: animation.dither applies to GIF only; ${format} output ignores it`,
        ],
      );
    }
    const gif = await renderToFile(spec, join(dir, 'out.gif'), { workers: 1 });
    assert.ok(!gif.warnings.some((w) => /dither/.test(w)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('animation.crf on an output that is not a video warns, in one line at its line:col', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-ignored-'));
  try {
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, yaml.replace('  dither: true\n', '  crf: 22\n'));
    for (const [out, format] of [
      ['out.gif', 'gif'],
      ['f.png', 'png'],
      ['frames/', 'frames'],
      ['out.html', 'html'],
    ]) {
      const { warnings } = await renderToFile(file, join(dir, out), { workers: 1 });
      assert.deepEqual(
        warnings.filter((w) => /crf/.test(w)),
        [
          `${file}:9:3 at $.animation.crf: animation.crf applies to MP4 and WebM only; ${format} output ignores it`,
        ],
        out,
      );
    }
    // --crf given to a GIF is ignored as well, and says so beside the spec's own.
    const both = await renderToFile(file, join(dir, 'out.gif'), { workers: 1, crf: 30 });
    assert.deepEqual(
      both.warnings.filter((w) => /crf/.test(w)),
      [
        `${file}:9:3 at $.animation.crf: animation.crf applies to MP4 and WebM only; gif output ignores it`,
        pipelineMessage.crfVideoOnly('--crf', 'gif'),
      ],
    );
    writeFileSync(file, yaml.replace('  dither: true\n', ''));
    const plain = await renderToFile(file, join(dir, 'out.gif'), { workers: 1 });
    assert.ok(!plain.warnings.some((w) => /crf/.test(w)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--scale and --ppi on a PDF warn: its page is sized in points', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-ignored-'));
  try {
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, yaml.replace('  dither: true\n', ''));
    const pdf = join(dir, 'f.pdf');
    const plain = await renderToFile(file, pdf, { workers: 1 });
    assert.ok(!plain.warnings.some((w) => /--scale|--ppi/.test(w)));
    const ppi = await renderToFile(file, pdf, { workers: 1, ppi: 300, scale: 300 / 72 });
    assert.ok(
      ppi.warnings.includes(pipelineMessage.pdfIgnoresScale('--ppi')),
      String(ppi.warnings),
    );
    const facet = await renderToFile(file, pdf, { workers: 1, scale: 2, as: 'facet' });
    assert.ok(facet.warnings.includes(pipelineMessage.pdfIgnoresScale('--scale')));
    const png = await renderToFile(file, join(dir, 'f.png'), { workers: 1, scale: 2 });
    assert.ok(!png.warnings.some((w) => /--scale|--ppi/.test(w)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
