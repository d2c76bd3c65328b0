/**
 * Every output format, opened back with a tool that is not ours: APNG with upng-js, PNG
 * with pngjs, PDF by its structure (MP4 and WebM, through ffmpeg, in outputs.slow.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import UPNG from 'upng-js';
import { type SpecInput, compile, renderToFile } from '../../src/api.js';
import { FfmpegMissingError, locateFfmpeg } from '../../src/encode/video.js';
import { decodePng, diffFraction, expectGolden } from '../helpers/golden.js';
import { FacetError } from '../../src/compile/index.js';
import { OutputPathError } from '../../src/encode/atomic.js';
import { rendererFor } from '../helpers/renderer.js';
import { referenceFrames, spec, values } from '../helpers/outputs-chart.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-outputs-'));

test('GIF: a chart without a fast mark gets its colour scale in the palette exactly', async () => {
  // 120 points a frame: Vega draws them (no fast path). The palette must hold the nominal
  // scale's three colours themselves, read before any frame renders, from any thread.
  const renderer = await rendererFor(await compile(spec as SpecInput));
  assert.deepEqual(renderer.scaleColors().slice(0, 3), ['#4c78a8', '#f58518', '#e45756']);
  renderer.finalize();
  const out = path.join(dir, 'palette.gif');
  await renderToFile(spec as SpecInput, out, { workers: 1 });
  const gif = readFileSync(out);
  const table = gif.subarray(13, 13 + 3 * (2 << (gif[10] & 7)));
  const entries = new Set<string>();
  for (let i = 0; i < table.length; i += 3)
    entries.add(
      '#' + [...table.subarray(i, i + 3)].map((b) => b.toString(16).padStart(2, '0')).join(''),
    );
  for (const c of ['#4c78a8', '#f58518', '#e45756']) assert.ok(entries.has(c), c);
});

test('APNG: lossless frames, delays with the pause, loop count and text metadata', async () => {
  const out = path.join(dir, 'a.apng');
  await renderToFile(spec, out, { workers: 1 });
  const img = UPNG.decode(readFileSync(out));
  const expected = await referenceFrames();
  assert.equal(img.frames.length, 6);
  assert.equal(img.width, expected[0].width);
  assert.equal(img.height, expected[0].height);
  // 5 fps = 200 ms a frame; the last holds 1 s more.
  assert.deepEqual(
    img.frames.map((f) => f.delay),
    [200, 200, 200, 200, 200, 1200],
  );
  const tabs = img.tabs as { acTL: { num_plays: number }; tEXt: Record<string, string> };
  assert.equal(tabs.acTL.num_plays, 3);
  assert.equal(tabs.tEXt.Title, 'outputs test');
  assert.match(tabs.tEXt.Software, /^vega-frames \d+\.\d+\.\d+/);
  // Frames after the first carry only what changed, and compose back exactly.
  assert.ok(img.frames.slice(1).some((f) => f.rect.width * f.rect.height < img.width * img.height));
  const decoded = UPNG.toRGBA8(img);
  decoded.forEach((frame, k) =>
    assert.deepEqual(new Uint8Array(frame), expected[k].rgba, `frame ${k}`),
  );
});

test('APNG over a transparent background keeps straight alpha', async () => {
  const clear = { ...spec, background: 'transparent', animation: { fps: 5 } };
  const out = path.join(dir, 'clear.apng');
  await renderToFile(clear, out, { workers: 1 });
  const first = new Uint8Array(UPNG.toRGBA8(UPNG.decode(readFileSync(out)))[0]);
  assert.equal(first[3], 0, 'the corner is transparent');
  assert.ok(
    first.some((v, i) => i % 4 === 3 && v > 0 && v < 255),
    'anti-aliased edges',
  );
  // Straight alpha composited over white is the chart drawn on white; premultiplied
  // colours composited that way would come out darker at every edge.
  const overWhite = first.map((v, i) => {
    if (i % 4 === 3) return 255;
    const a = first[i - (i % 4) + 3];
    return Math.round((v * a + 255 * (255 - a)) / 255);
  });
  const [onWhite] = await referenceFrames({ ...spec, background: 'white' });
  const diff = diffFraction({ ...onWhite, rgba: overWhite }, onWhite, 0.05);
  assert.ok(diff < 0.002, `differs in ${(diff * 100).toFixed(2)}% of pixels`);
});

test('PNG frames: a folder of frame-00001.png …, each the rendered frame, nothing staged left', async () => {
  const out = path.join(dir, 'frames') + '/';
  await renderToFile(spec, out, { frames: '1:5:2', workers: 1 });
  assert.deepEqual(readdirSync(out), ['frame-00001.png', 'frame-00002.png']);
  const expected = await referenceFrames();
  const second = decodePng(readFileSync(path.join(out, 'frame-00002.png')));
  assert.deepEqual(new Uint8Array(second.rgba), expected[3].rgba);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
  );
});

test('no ffmpeg anywhere: an error that names both places to get one', () => {
  assert.throws(
    () => locateFfmpeg('', () => undefined),
    (e: Error) =>
      e instanceof FfmpegMissingError &&
      /PATH/.test(e.message) &&
      /@ffmpeg-installer\/ffmpeg/.test(e.message),
  );
  assert.throws(
    () =>
      locateFfmpeg('/nonexistent', () => {
        throw new Error('not installed');
      }),
    FfmpegMissingError,
  );
});

test('single frames: PNG with metadata, PDF and SVG with every point (no raster shortcut)', async () => {
  const many = {
    ...spec,
    data: {
      values: Array.from({ length: 6000 }, (_, i) => ({ x: i % 97, y: i % 89, g: 'a', t: i % 2 })),
    },
  };
  const png = path.join(dir, 'one.png');
  await renderToFile(many, png, { frame: 1 });
  const bytes = readFileSync(png);
  assert.ok(bytes.includes(Buffer.from('tEXtTitle\0outputs test')));
  const svg = path.join(dir, 'one.svg');
  await renderToFile(many, svg, { frame: 1 });
  // 3000 rows in frame 1 → 3000 symbol paths (the fast raster path must not apply here).
  const paths = (readFileSync(svg, 'utf8').match(/<path /g) ?? []).length;
  assert.ok(paths >= 3000, `${paths} paths`);
  const pdf = path.join(dir, 'one.pdf');
  await renderToFile(many, pdf, { frame: 1 });
  const doc = readFileSync(pdf);
  assert.equal(doc.subarray(0, 5).toString(), '%PDF-');
  assert.ok(doc.includes(Buffer.from('/Type /Page')) || doc.includes(Buffer.from('/Type/Page')));
  assert.ok(doc.includes(Buffer.from('DejaVu')), 'the shipped font is embedded');
  assert.ok(existsSync(pdf));
});

test('small multiples: one panel per selected frame, titled with its value, shared scales', async () => {
  const titled = { ...spec, title: 'step {frame}' };
  const png = path.join(dir, 'facet.png');
  const result = await renderToFile(titled, png, { as: 'facet', frames: '0:6:2', columns: 3 });
  assert.equal(result.frames, 3);
  expectGolden('facet-3-panels', decodePng(readFileSync(png)), 0.003);
  const svg = path.join(dir, 'facet.svg');
  await renderToFile(titled, svg, { as: 'facet', frames: '0:6:2', columns: 3 });
  const markup = readFileSync(svg, 'utf8');
  // The panels' headers are the frame values; the title names the range.
  for (const header of ['>0<', '>2<', '>4<']) assert.ok(markup.includes(header), header);
  assert.ok(markup.includes('step 0–4'));
  // 120 points in each of the 3 panels, each one of them drawn.
  const symbols = markup.match(/<path [^>]*transform="translate/g) ?? [];
  assert.ok(symbols.length >= 360, `${symbols.length} symbols`);
});

test('small multiples of a cumulative frame: each panel holds every row up to its frame', async () => {
  const cumulative = {
    ...spec,
    encoding: { ...spec.encoding, frame: { field: 't', cumulative: true } },
  };
  const svg = path.join(dir, 'cumulative.svg');
  await renderToFile(cumulative, svg, { as: 'facet', frames: '0:6:2' });
  const symbols = readFileSync(svg, 'utf8').match(/<path [^>]*transform="translate/g) ?? [];
  // Panels for frames 0, 2 and 4 hold 120, 360 and 600 points; the legend adds 3 symbols.
  assert.equal(symbols.length, 120 + 360 + 600 + 3);
});

test('small multiples: clear errors for what cannot be faceted', async () => {
  await assert.rejects(
    renderToFile(spec, path.join(dir, 'no.gif'), { as: 'facet' }),
    /still figure/,
  );
  const concat = { data: { values }, hconcat: [{ mark: 'point', encoding: spec.encoding }] };
  await assert.rejects(renderToFile(concat, path.join(dir, 'no.png'), { as: 'facet' }), FacetError);
  assert.ok(!existsSync(path.join(dir, 'no.png')));
  assert.ok(!existsSync(path.join(dir, 'no.gif')));
});

test('PNG frames replace an earlier render’s frames; a non-Latin-1 title goes in iTXt', async () => {
  const out = path.join(dir, 'again') + '/';
  const titled = { ...spec, title: 'épreuve — 試験' };
  await renderToFile(titled, out, { workers: 1 });
  assert.equal(readdirSync(out).length, 6);
  // A file that is not a frame: the folder is refused, not replaced.
  writeFileSync(path.join(out, 'notes.txt'), 'mine');
  await assert.rejects(
    renderToFile(titled, out, { workers: 1, frames: '0:2' }),
    (e) => e instanceof OutputPathError && /holds "notes\.txt", which vega-frames/.test(e.message),
  );
  assert.equal(readdirSync(out).length, 7);
  rmSync(path.join(out, 'notes.txt'));
  await renderToFile(titled, out, { workers: 1, frames: '0:2' });
  assert.deepEqual(readdirSync(out).sort(), ['frame-00001.png', 'frame-00002.png']);
  const png = readFileSync(path.join(out, 'frame-00001.png'));
  assert.ok(png.includes(Buffer.from('iTXtTitle\0\0\0\0\0épreuve — 試験', 'utf8')));
});

test('small multiples keep top-level aggregates within each panel', async () => {
  // Mean y per group, per frame: each panel must hold its own frame's means.
  const aggregated = {
    data: { values },
    transform: [{ aggregate: [{ op: 'mean', field: 'y', as: 'my' }], groupby: ['g'] }],
    mark: 'bar',
    encoding: {
      x: { field: 'g', type: 'nominal' },
      y: { field: 'my', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const svg = path.join(dir, 'agg.svg');
  await renderToFile(aggregated, svg, { as: 'facet', frames: '0:3' });
  const bars = readFileSync(svg, 'utf8').match(/aria-roledescription="bar"/g) ?? [];
  assert.equal(bars.length, 9, '3 groups in each of 3 panels');
});

test('small multiples keep a layer’s own grouped transforms within each panel', async () => {
  // Each frame's largest y, joined onto its rows in a layer: per panel, as per frame.
  const layered = {
    data: { values },
    encoding: { frame: { field: 't' } },
    layer: [
      {
        mark: 'point',
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
        },
      },
      {
        transform: [
          { joinaggregate: [{ op: 'max', field: 'y', as: 'top' }] },
          { filter: 'datum.y === datum.top' },
        ],
        mark: 'text',
        encoding: { text: { field: 'top', type: 'quantitative', format: '.6f' } },
      },
    ],
  };
  const svg = path.join(dir, 'layer-agg.svg');
  await renderToFile(layered, svg, { as: 'facet', frames: '0:3' });
  // The text layer keeps each panel's rows at its own largest y: one text a panel (over
  // every panel, only the one largest y would be kept).
  const tops = values.filter((v) => v.t < 3);
  const perFrame = [0, 1, 2].map((t) =>
    Math.max(...tops.filter((v) => v.t === t).map((v) => v.y)).toFixed(6),
  );
  const text = readFileSync(svg, 'utf8');
  for (const top of perFrame) assert.ok(text.includes(`>${top}<`), `${top} in its panel`);
});

test('small multiples: {frame} in a panel’s text is that panel’s frame', async () => {
  const layered = {
    data: { values: values.filter((_, i) => i % 40 === 0) },
    layer: [
      {
        mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 't' } },
      },
      {
        mark: { type: 'text', text: 'step {frame}' },
        encoding: { x: { value: 20 }, y: { value: 10 }, frame: { field: 't' } },
      },
    ],
  };
  const svg = path.join(dir, 'panel-text.svg');
  await renderToFile(layered, svg, { as: 'facet', frames: '0:6:2' });
  const markup = readFileSync(svg, 'utf8');
  for (const t of ['step 0', 'step 2', 'step 4']) assert.ok(markup.includes(`>${t}<`), t);
  assert.ok(!markup.includes('>step 1<'));
});
