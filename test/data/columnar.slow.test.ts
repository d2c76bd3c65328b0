/**
 * Arrow and Parquet straight into columns, checked against files written by other tools:
 * vega-datasets' flights-200k.arrow against its flights-200k.json, and flights-3m.parquet
 * (zstd-compressed, timestamps, 64-bit ints, strings), each read whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArrow, parseParquet } from '../../src/data/columnar.js';
import { cellValue } from '../../src/data/table.js';

const DATASETS = new URL('../../node_modules/vega-datasets/data/', import.meta.url).pathname;

test('Arrow: flights-200k.arrow holds exactly the rows of flights-200k.json', () => {
  const table = parseArrow(readFileSync(path.join(DATASETS, 'flights-200k.arrow')));
  const json = JSON.parse(readFileSync(path.join(DATASETS, 'flights-200k.json'), 'utf8')) as Record<
    string,
    number
  >[];
  assert.deepEqual(table.names, ['delay', 'distance', 'time']);
  assert.equal(table.length, json.length);
  for (const name of table.names) {
    const col = table.columns[name];
    assert.equal(col.kind, 'number');
    for (let i = 0; i < json.length; i++) {
      const v = cellValue(col, i) as number;
      // time is stored as float32 in the Arrow file; JSON prints the float32 rounded.
      assert.ok(
        Math.abs(v - json[i][name]) <= 1e-6 * Math.max(1, Math.abs(json[i][name])),
        `${name}[${i}]`,
      );
    }
  }
});

test('Parquet: flights-3m.parquet (zstd) as typed columns: timestamps, int64s, strings', async () => {
  const table = await parseParquet(readFileSync(path.join(DATASETS, 'flights-3m.parquet')));
  assert.equal(table.length, 3_000_000);
  assert.deepEqual(table.names, ['date', 'delay', 'distance', 'origin', 'destination']);
  assert.deepEqual(
    table.names.map((n) => table.columns[n].kind),
    ['number', 'number', 'number', 'string', 'string'],
  );
  const date = table.columns.date;
  const origin = table.columns.origin;
  assert.ok(date.kind === 'number' && origin.kind === 'string');
  // Every row filled: dates in 2001, airports as three-letter codes.
  const start = Date.UTC(2001, 0, 1);
  const end = Date.UTC(2002, 0, 1);
  for (let i = 0; i < table.length; i += 997) {
    const d = date.values[i];
    assert.ok(d >= start && d < end, `date[${i}] = ${d}`);
    assert.match(origin.dict[origin.codes[i]], /^[A-Z]{3}$/);
  }
  assert.equal(cellValue(table.columns.distance, 0), 2176);
  assert.equal(cellValue(table.columns.delay, 0), 33);
  assert.ok(
    origin.dict.length > 100 && origin.dict.length < 1000,
    `${origin.dict.length} airports`,
  );
});
