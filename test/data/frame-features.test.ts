/** The frame channel's options and composition, rendered end to end on small inline data. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, renderToFile } from '../../src/api.js';
import { fixScaleDomains } from '../../src/render/scales.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { rendererFor } from '../helpers/renderer.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-features-'));
const rows = Array.from({ length: 24 }, (_, i) => ({
  date: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15`,
  year: 2020 + Math.floor(i / 12),
  v: i,
  g: i % 3 === 0 ? 'a' : 'b',
}));

test('timeUnit: a temporal field floored to years gives one frame per year', async () => {
  const plan = await compile({
    data: { values: rows },
    mark: 'point',
    encoding: {
      x: { field: 'v', type: 'quantitative' },
      frame: { field: 'date', type: 'temporal', timeUnit: 'utcyear' },
    },
  });
  assert.deepEqual(plan.clock.values, [Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1)]);
  assert.equal(plan.clock.temporal, true);
});

test('bin: a quantitative field binned into frames (bin start values)', async () => {
  const plan = await compile({
    data: { values: rows },
    mark: 'point',
    encoding: {
      x: { field: 'v', type: 'quantitative' },
      frame: { field: 'v', type: 'quantitative', bin: { step: 10 } },
    },
  });
  assert.deepEqual(plan.clock.values, [0, 10, 20]);
  const offsets = [...plan.planned[0].partition!.offsets];
  assert.deepEqual(offsets, [0, 10, 20, 24]);
});

test('hconcat: units with different data share one clock', async () => {
  const plan = await compile({
    hconcat: [
      {
        data: {
          values: [
            { t: 1, y: 1 },
            { t: 2, y: 2 },
          ],
        },
        mark: 'bar',
        encoding: { y: { field: 'y', type: 'quantitative' }, frame: { field: 't' } },
      },
      {
        data: { values: [{ t: 3, y: 1 }] },
        mark: 'bar',
        encoding: { y: { field: 'y', type: 'quantitative' }, frame: { field: 't' } },
      },
    ],
  });
  assert.deepEqual(plan.clock.values, [1, 2, 3]);
  const renderer = await rendererFor(plan);
  const sizes = [];
  for (let k = 0; k < 3; k++) sizes.push((await renderer.render(k)).width);
  renderer.finalize();
  assert.equal(new Set(sizes).size, 1, 'every frame has one size');
});

test('facet: the frame channel in the inner spec filters every panel', async () => {
  const plan = await compile({
    data: { values: rows },
    facet: { field: 'g', type: 'nominal' },
    spec: {
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' }, frame: { field: 'year' } },
    },
  });
  assert.deepEqual(plan.clock.values, [2020, 2021]);
  const out = path.join(tmp, 'facet.gif');
  await renderToFile(
    {
      data: { values: rows },
      facet: { field: 'g', type: 'nominal' },
      spec: {
        mark: 'point',
        encoding: { x: { field: 'v', type: 'quantitative' }, frame: { field: 'year' } },
      },
      animation: { loop: false },
    },
    out,
  );
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 2);
  assert.equal(gif.loop, null, 'loop: false writes no NETSCAPE block: play once');
});

test('animation.background paints under every frame', async () => {
  const out = path.join(tmp, 'bg.gif');
  await renderToFile(
    {
      data: { values: rows },
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' }, frame: { field: 'year' } },
      animation: { background: '#102030', loop: 3 },
    },
    out,
  );
  const gif = decodeGif(out);
  const px = gif.frame(1).subarray(0, 4);
  assert.deepEqual([...px], [0x10, 0x20, 0x30, 255]);
  assert.equal(gif.loop, 2, 'loop: 3 plays three times: two repeats');
});

test('frame on a missing field is a clear compile error', async () => {
  await assert.rejects(
    compile({ data: { values: rows }, mark: 'point', encoding: { frame: { field: 'epoch' } } }),
    /encoding.frame.field "epoch" is not a field of the inline data; its fields are "date", "year", "v", "g"/,
  );
});

test('frame labels: values as they are; timestamps as local dates, with the time when needed', async () => {
  const { frameLabels } = await import('../../src/data/partition.js');
  assert.deepEqual(frameLabels({ values: [2, 4.5, 'a'], temporal: false }), ['2', '4.5', 'a']);
  const days = [new Date(2024, 0, 1).getTime(), new Date(2024, 0, 2).getTime()];
  assert.deepEqual(frameLabels({ values: days, temporal: true }), ['2024-01-01', '2024-01-02']);
  const hours = [new Date(2024, 0, 1, 0).getTime(), new Date(2024, 0, 1, 6).getTime()];
  assert.deepEqual(frameLabels({ values: hours, temporal: true }), [
    '2024-01-01 00:00:00',
    '2024-01-01 06:00:00',
  ]);
});

test('fixed scale domains: one run of all rows where the rows are only filtered one by one, else per frame', async () => {
  // A heatmap's cells over 3 frames: frame 2 alone has column 'z' and the extreme values.
  const cells = [0, 1, 2].flatMap((t) =>
    ['x', 'y', ...(t === 2 ? ['z'] : [])].map((col, i) => ({
      t,
      col,
      v: t === 2 && i === 0 ? -9 : t === 2 && i === 2 ? 7 : i === 1 && t === 1 ? NaN : t + i,
    })),
  );
  const base = {
    data: { values: cells },
    mark: 'rect',
    encoding: {
      x: { field: 'col', type: 'ordinal' },
      color: { field: 'v', type: 'quantitative', scale: { domainMid: 0 } },
      frame: { field: 't' },
    },
  };
  const domains = async (spec: object) => {
    const plan = await compile(spec as Parameters<typeof compile>[0]);
    const { vega } = await fixScaleDomains(plan, []);
    return Object.fromEntries(
      (vega.scales as { name: string; domain: unknown }[]).map((s) => [s.name, s.domain]),
    );
  };
  // Row-wise (only Vega-Lite's filter of invalid values): all frames' values, NaN left out.
  assert.deepEqual(await domains(base), { x: ['x', 'y', 'z'], color: [-9, 0, 7] });
  // A filter that reads the frame keeps each frame's own rows only in that frame: one run
  // would see frame 0's rows alone; per frame, the union is every frame's.
  const perFrame = { ...base, transform: [{ filter: 'datum.t == frame' }] };
  assert.deepEqual(await domains(perFrame), { x: ['x', 'y', 'z'], color: [-9, 0, 7] });
});
