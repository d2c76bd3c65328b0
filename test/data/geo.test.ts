/**
 * Data Vega-Lite reads that vega-frames reads for it: TopoJSON (features and meshes), a
 * lookup's secondary data from a file, and codes written as numbers ("00501") kept as the
 * text Vega-Lite shows. The reference is plain Vega rendering the same Vega-Lite spec (a View
 * whose loader reads the same local files, renderer 'none', drawn by toCanvas through the
 * same canvas library, in the same font).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Canvas } from 'canvas';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { compile } from '../../src/api.js';
import { registerFonts } from '../../src/render/fonts.js';
import { parseTopoJson } from '../../src/data/topojson.js';
import { type Rgba, diffFraction } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';

type Json = Record<string, unknown>;

const DATASETS = new URL('../../node_modules/vega-datasets/data/', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'vf-geo-'));
for (const f of ['us-10m.json', 'unemployment.tsv', 'world-110m.json'])
  copyFileSync(path.join(DATASETS, f), path.join(dir, f));

/** Plain Vega's rendering of a Vega-Lite spec, its files read from `dir`. */
async function plainVega(spec: Json): Promise<Rgba> {
  registerFonts();
  const config = { ...((spec.config as Json | undefined) ?? {}), font: 'DejaVu Sans' };
  const view = new vega.View(vega.parse(vl.compile({ ...spec, config } as never).spec), {
    renderer: 'none',
    loader: vega.loader({ baseURL: `${dir}/`, mode: 'file' }),
  });
  await view.runAsync();
  const canvas = (await view.toCanvas()) as unknown as Canvas;
  view.finalize();
  const { width, height } = canvas;
  return { width, height, rgba: canvas.getContext('2d').getImageData(0, 0, width, height).data };
}

/** The spec written to `dir` as `name`, its path. */
function specFile(name: string, spec: Json): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** vega-frames' rendering of frame `k` of a spec written to `dir` as `name`. */
async function ours(name: string, spec: Json, k = 0): Promise<Rgba> {
  const file = specFile(name, spec);
  const renderer = await rendererFor(await compile(file));
  try {
    const frame = await renderer.render(k);
    return { width: frame.width, height: frame.height, rgba: Uint8Array.from(frame.rgba) };
  } finally {
    renderer.finalize();
  }
}

function assertSame(a: Rgba, b: Rgba, what: string): void {
  assert.deepEqual([a.width, a.height], [b.width, b.height], `${what}: size`);
  const fraction = diffFraction(a, b);
  assert.ok(fraction <= 0.0005, `${what}: ${(fraction * 100).toFixed(3)}% of pixels differ`);
}

/** Vega-Lite's choropleth example: county shapes from TopoJSON, rates looked up in a TSV. */
const CHOROPLETH: Json = {
  width: 500,
  height: 300,
  data: { url: 'us-10m.json', format: { type: 'topojson', feature: 'counties' } },
  transform: [
    {
      lookup: 'id',
      from: { data: { url: 'unemployment.tsv' }, key: 'id', fields: ['rate'] },
    },
  ],
  projection: { type: 'albersUsa' },
  mark: 'geoshape',
  encoding: { color: { field: 'rate', type: 'quantitative' } },
};

test('a TopoJSON feature with a lookup from a TSV file renders as Vega-Lite renders it', async () => {
  const plan = await compile(specFile('choropleth.json', CHOROPLETH));
  // Both files are read here, the TSV as a source of its own, whole (no frames to split).
  const topology = JSON.parse(readFileSync(path.join(dir, 'us-10m.json'), 'utf8'));
  const tsvRows = readFileSync(path.join(dir, 'unemployment.tsv'), 'utf8').trim().split('\n');
  assert.deepEqual(
    plan.planned.map((s) => [s.data.url, s.table.length, s.partition]),
    [
      ['us-10m.json', topology.objects.counties.geometries.length, undefined],
      ['unemployment.tsv', tsvRows.length - 1, undefined],
    ],
  );
  const counties = plan.planned[0].table;
  assert.ok(counties.columns.geometry?.kind === 'value', 'each county keeps its geometry');
  assertSame(await ours('choropleth.json', CHOROPLETH), await plainVega(CHOROPLETH), 'choropleth');
});

test('a TopoJSON mesh of state borders over the counties renders as Vega-Lite renders it', async () => {
  const spec: Json = {
    width: 500,
    height: 300,
    projection: { type: 'albersUsa' },
    layer: [
      {
        data: { url: 'us-10m.json', format: { type: 'topojson', feature: 'states' } },
        mark: { type: 'geoshape', fill: '#ddd', stroke: null },
      },
      {
        data: { url: 'us-10m.json', format: { type: 'topojson', mesh: 'states' } },
        mark: { type: 'geoshape', filled: false, stroke: 'steelblue', strokeWidth: 1.5 },
      },
    ],
  };
  const plan = await compile(specFile('mesh.json', spec));
  assert.equal(plan.planned[1].table.length, 1, 'a mesh is one row');
  assertSame(await ours('mesh.json', spec), await plainVega(spec), 'mesh');
  // The world's countries, a feature of another file.
  const world: Json = {
    width: 400,
    height: 220,
    data: { url: 'world-110m.json', format: { type: 'topojson', feature: 'countries' } },
    projection: { type: 'equalEarth' },
    mark: { type: 'geoshape', stroke: 'white', strokeWidth: 0.5 },
    encoding: { color: { field: 'id', type: 'quantitative' } },
  };
  assertSame(await ours('world.json', world), await plainVega(world), 'world');
});

test('TopoJSON is read by the access policy, and a topology that is not one is refused', async () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'vf-geo-outside-'));
  copyFileSync(path.join(DATASETS, 'us-10m.json'), path.join(outside, 'us.json'));
  const inner = path.join(dir, 'inner');
  mkdirSync(inner, { recursive: true });
  symlinkSync(path.join(outside, 'us.json'), path.join(inner, 'linked.json'));
  copyFileSync(path.join(DATASETS, 'us-10m.json'), path.join(inner, 'us.json'));
  const spec = (url: string, format: Json = { type: 'topojson', feature: 'states' }) => {
    const file = path.join(inner, 'spec.json');
    writeFileSync(file, JSON.stringify({ data: { url, format }, mark: 'geoshape' }));
    return file;
  };
  await assert.rejects(compile(spec('linked.json')), /through a symbolic link, outside/);
  await assert.rejects(compile(spec('../../us-10m.json')), /outside the spec's folder/);
  await assert.rejects(
    compile(spec('us.json', { type: 'topojson', feature: 'county' })),
    /no object "county"; it has "counties", "states", "land"/,
  );
  // The lookup's file too.
  const lookup = path.join(inner, 'lookup.json');
  writeFileSync(
    lookup,
    JSON.stringify({
      ...CHOROPLETH,
      data: { ...(CHOROPLETH.data as Json), url: 'us.json' },
      transform: [
        { lookup: 'id', from: { data: { url: 'linked.json' }, key: 'id', fields: ['rate'] } },
      ],
    }),
  );
  await assert.rejects(compile(lookup), /through a symbolic link, outside/);

  // Arcs that do not exist, and a few bytes of shapes that draw one arc a million times.
  const arc = Array.from({ length: 1000 }, (_, i) => [i, i]);
  const topology = (geometries: unknown[]) =>
    JSON.stringify({
      type: 'Topology',
      arcs: [arc],
      objects: { lines: { type: 'GeometryCollection', geometries } },
    });
  assert.throws(
    () => parseTopoJson(topology([{ type: 'LineString', arcs: [1] }]), { feature: 'lines' }),
    /names arc 1, but the topology has 1 arcs/,
  );
  const bomb = topology(Array.from({ length: 20_000 }, () => ({ type: 'LineString', arcs: [0] })));
  assert.throws(() => parseTopoJson(bomb, { feature: 'lines' }), /20,000,000 positions.*refused/);
  // A mesh draws each arc once, however many shapes name it.
  assert.equal(parseTopoJson(bomb, { mesh: 'lines' }).length, 1);
  assert.throws(
    () => parseTopoJson('{"type": "FeatureCollection"}', { feature: 'x' }),
    /not a TopoJSON topology/,
  );
});

test('a lookup from a file joins every frame, its rows never split by frame', async () => {
  writeFileSync(
    path.join(dir, 'names.csv'),
    'code,label,weight\n00501,Holtsville,3\n00544,Holtsville IRS,5\n01001,Agawam,2\n1001,Plain 1001,7\n',
  );
  const values = [0, 1, 2].flatMap((t) =>
    ['00501', '00544', '01001', '1001'].map((code, i) => ({ t, code, v: ((t + 1) * (i + 2)) % 7 })),
  );
  const spec = (frame: boolean): Json => ({
    width: 240,
    height: 160,
    data: { values },
    transform: [
      ...(frame ? [] : [{ filter: 'datum.t == 1' }]),
      {
        lookup: 'code',
        from: { data: { url: 'names.csv' }, key: 'code', fields: ['label', 'weight'] },
      },
      { calculate: 'datum.v * datum.weight', as: 'score' },
    ],
    mark: 'bar',
    encoding: {
      x: { field: 'label', type: 'nominal' },
      y: { field: 'score', type: 'quantitative', scale: { domain: [0, 50] } },
      color: { field: 'code', type: 'nominal' },
      ...(frame ? { frame: { field: 't', type: 'ordinal' } } : {}),
    },
  });
  const plan = await compile(specFile('lookup-frames.json', spec(true)));
  const names = plan.planned.find((s) => s.data.url === 'names.csv')!;
  assert.equal(names.partition, undefined);
  assert.equal(names.table.length, 4);
  // The codes are text, as in the inline rows: "01001" and "1001" are two labels.
  assert.equal(names.table.columns.code.kind, 'string');
  assertSame(
    await ours('lookup-frames.json', spec(true), 1),
    await plainVega(spec(false)),
    'frame 1',
  );
});

test('zip codes with leading zeros are nominal colour classes of their own, as in Vega-Lite', async () => {
  // 00501 and 501 are two codes: read as numbers they were one colour and one bar.
  writeFileSync(
    path.join(dir, 'zips.csv'),
    'zip,count\n00501,3\n501,5\n00544,4\n10001,6\n12345678901234567890,2\n12345678901234567891,1\n',
  );
  const spec: Json = {
    width: 300,
    height: 160,
    data: { url: 'zips.csv' },
    mark: 'bar',
    encoding: {
      x: { field: 'zip', type: 'nominal' },
      y: { field: 'count', type: 'quantitative' },
      color: { field: 'zip', type: 'nominal' },
    },
  };
  const plan = await compile(specFile('zips.json', spec));
  const zip = plan.planned[0].table.columns.zip;
  assert.ok(zip.kind === 'string');
  assert.equal(new Set(zip.dict).size, 6);
  assertSame(await ours('zips.json', spec), await plainVega(spec), 'zips');
  // A quantitative encoding reads them as numbers, as Vega's scale does (+"00501" is 501).
  const quantitative: Json = {
    ...spec,
    encoding: {
      x: { field: 'count', type: 'quantitative' },
      y: { field: 'zip', type: 'quantitative', scale: { type: 'log' } },
    },
    mark: 'point',
  };
  const q = await compile(specFile('zips-q.json', quantitative));
  assert.equal(q.planned[0].table.columns.zip.kind, 'number');
  assertSame(
    await ours('zips-q.json', quantitative),
    await plainVega(quantitative),
    'zips as numbers',
  );
});

test('a temporal field read from CSV text is a date, as Vega-Lite parses it', async () => {
  // "2001" read as a number reached the time scale as 2001 ms past 1970 (an axis of ".003").
  writeFileSync(
    path.join(dir, 'years.csv'),
    'year,v,when\n2001,1,2001-03-04\n2002,3,2002-05-06\n2003,2,2003-07-08\n',
  );
  const spec: Json = {
    width: 300,
    height: 160,
    data: { url: 'years.csv' },
    layer: [
      {
        mark: 'line',
        encoding: {
          x: { field: 'year', type: 'temporal' },
          y: { field: 'v', type: 'quantitative' },
        },
      },
      {
        mark: 'point',
        encoding: {
          x: { field: 'when', timeUnit: 'year', type: 'ordinal' },
          y: { field: 'v', type: 'quantitative' },
        },
      },
    ],
  };
  assertSame(await ours('years.json', spec), await plainVega(spec), 'years');
  // A parse the spec gives itself is kept: year as a number stays a number.
  const asNumber: Json = {
    ...spec,
    data: { url: 'years.csv', format: { parse: { year: 'number' } } },
  };
  const plan = await compile(specFile('years-n.json', asNumber));
  assert.equal(
    (plan.planned[0].table.columns.year as { values: ArrayLike<number> }).values[0],
    2001,
  );
  assertSame(await ours('years-n.json', asNumber), await plainVega(asNumber), 'years as numbers');
});
