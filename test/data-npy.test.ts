/** NumPy .npy arrays as tidy tables (fixtures written by numpy itself). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNpy } from '../src/data/npy.js';
import { cellValue } from '../src/data/table.js';
import { compile } from '../src/api.js';

const FIXTURES = path.resolve('test/fixtures/npy');
const load = (name: string) => parseNpy(readFileSync(path.join(FIXTURES, name)));
const column = (t: ReturnType<typeof parseNpy>, name: string) =>
  Array.from({ length: t.length }, (_, r) => cellValue(t.columns[name], r));

test('a 3-D stack becomes frame,row,col,value in C order', () => {
  const t = load('stack-f4.npy'); // value = frame·100 + row·10 + col + 0.5
  assert.deepEqual(t.names, ['frame', 'row', 'col', 'value']);
  assert.equal(t.length, 3 * 2 * 4);
  const [f, r, c, v] = ['frame', 'row', 'col', 'value'].map((n) => column(t, n)) as number[][];
  for (let i = 0; i < t.length; i++) assert.equal(v[i], f[i] * 100 + r[i] * 10 + c[i] + 0.5);
  assert.deepEqual(f.slice(0, 9), [0, 0, 0, 0, 0, 0, 0, 0, 1]);
});

test('a Fortran-order matrix reads by its indices, not its byte order', () => {
  const t = load('matrix-f8-fortran.npy'); // value = row·10 + col + 0.25
  assert.deepEqual(t.names, ['row', 'col', 'value']);
  const [r, c, v] = ['row', 'col', 'value'].map((n) => column(t, n)) as number[][];
  for (let i = 0; i < t.length; i++) assert.equal(v[i], r[i] * 10 + c[i] + 0.25);
});

test('big-endian ints, bools and half floats', () => {
  assert.deepEqual(column(load('vector-i2-big.npy'), 'value'), [-3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(column(load('vector-i2-big.npy'), 'index'), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(column(load('flags-bool.npy'), 'value'), [1, 0, 1]);
  assert.deepEqual(column(load('half-f2.npy'), 'value'), [0.5, -2, 65504]);
});

test('clear errors: strings, 4-D, truncated, not .npy', () => {
  assert.throws(() => load('strings.npy'), /dtype <U1 is not supported/);
  assert.throws(() => load('four-d.npy'), /4-D array: only 1-D, 2-D and 3-D/);
  const whole = readFileSync(path.join(FIXTURES, 'stack-f4.npy'));
  assert.throws(
    () => parseNpy(whole.subarray(0, whole.length - 10)),
    /truncated: shape \(3, 2, 4\) needs 96 bytes/,
  );
  assert.throws(() => parseNpy(Buffer.from('index,x\n1,2\n')), /not a \.npy file/);
});

test('a spec animates a .npy stack with the frame channel', async () => {
  const plan = await compile(
    {
      data: { url: 'stack-f4.npy' },
      mark: 'rect',
      encoding: {
        x: { field: 'col', type: 'ordinal' },
        y: { field: 'row', type: 'ordinal' },
        color: { field: 'value', type: 'quantitative' },
        frame: { field: 'frame' },
      },
    },
    { baseDir: FIXTURES },
  );
  assert.deepEqual(plan.clock.values, [0, 1, 2]);
});
