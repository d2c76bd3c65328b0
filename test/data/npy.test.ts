/** NumPy .npy arrays as tidy tables (fixtures written by numpy itself). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NpyError, parseNpy } from '../../src/data/npy.js';
import { cellValue } from '../../src/data/table.js';
import { compile } from '../../src/api.js';

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
  assert.throws(() => load('strings.npy'), /dtype "<U1" is not supported/);
  assert.throws(() => load('four-d.npy'), /4-D array: only 1-D, 2-D and 3-D/);
  const whole = readFileSync(path.join(FIXTURES, 'stack-f4.npy'));
  assert.throws(
    () => parseNpy(whole.subarray(0, whole.length - 10)),
    /truncated: shape \(3, 2, 4\) needs 96 bytes/,
  );
  assert.throws(() => parseNpy(Buffer.from('index,x\n1,2\n')), /not a \.npy file/);
});

/** A .npy file of `header` (padded as NumPy pads it) and `data`, in format version `major`. */
function npy(header: string, data: Buffer = Buffer.alloc(48), major = 1, minor = 0): Buffer {
  const prefix = major === 1 ? 10 : 12;
  const text = header.padEnd(Math.ceil((prefix + header.length + 1) / 64) * 64 - prefix - 1) + '\n';
  const head = Buffer.alloc(prefix);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  [head[6], head[7]] = [major, minor];
  if (major === 1) head.writeUInt16LE(text.length, 8);
  else head.writeUInt32LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), data]);
}
const dict = (shape: string, descr = "'<f8'", order = 'False') =>
  `{'descr': ${descr}, 'fortran_order': ${order}, 'shape': ${shape}, }`;

test('a malformed .npy gets a sentence, never a RangeError or a table of NaN rows', () => {
  const cut = (b: Buffer, n: number) => b.subarray(0, n);
  const headerPastEnd = npy(dict('(6,)'));
  headerPastEnd.writeUInt16LE(60_000, 8);
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /^the file is empty \(0 bytes\)$/],
    [
      'negative shape',
      npy(dict('(-1,)')),
      /^the shape "\(-1,\)" has "-1", not a whole number of at least 0$/,
    ],
    ['negative 2-D shape', npy(dict('(-2, -3)')), /has "-2", not a whole number/],
    ['fractional shape', npy(dict('(1.5,)')), /has "1\.5", not a whole number/],
    ['shape of words', npy(dict('(nan,)')), /has "nan", not a whole number/],
    [
      'shape product past 2^53',
      npy(dict('(9007199254740993,)')),
      /has more values than any file holds/,
    ],
    [
      'shape product overflowing',
      npy(dict(`(1${'0'.repeat(400)},)`)),
      /…\(\d+ more characters\) has more values/,
    ],
    [
      'shape product past the data',
      npy(dict('(100000, 100000, 100000)')),
      /the data is truncated: shape \(100000, 100000, 100000\) needs 8,000,000,000,000,000 bytes, the file has 48/,
    ],
    ['no shape', npy("{'descr': '<f8', 'fortran_order': False, }"), /^the header has no shape: /],
    [
      'no dtype',
      npy("{'fortran_order': False, 'shape': (6,), }"),
      /^the header has no dtype \('descr'\)/,
    ],
    [
      'structured dtype',
      npy(dict('(6,)', "[('a', '<f8')]")),
      /^a structured array \(named fields\)/,
    ],
    [
      'fortran_order neither',
      npy(dict('(6,)', "'<f8'", 'Maybe')),
      /'fortran_order' is "Maybe", not True or False/,
    ],
    [
      'version 0',
      npy(dict('(6,)'), undefined, 0),
      /^format version 0\.0 is not supported: NumPy writes versions 1\.0, 2\.0 and 3\.0$/,
    ],
    ['version 4', npy(dict('(6,)'), undefined, 4), /^format version 4\.0 is not supported/],
    [
      'header past the end',
      headerPastEnd,
      /^the header is truncated: it says it holds 60,000 bytes, and \d+ follow$/,
    ],
    [
      'ends in the length field',
      cut(npy(dict('(6,)'), undefined, 2), 11),
      /^the file ends inside its header$/,
    ],
    ['empty header', Buffer.from('\x93NUMPY\x01\x00\x00\x00', 'latin1'), /^the header is empty$/],
    [
      'data short of the shape',
      npy(dict('(7,)')),
      /^the data is truncated: shape \(7\) needs 56 bytes, the file has 48$/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(
      () => parseNpy(bytes),
      (e: unknown) => e instanceof NpyError && message.test((e as Error).message),
      what,
    );
  }
  // Versions 2 and 3 (4-byte header length) still read.
  for (const major of [2, 3]) assert.equal(parseNpy(npy(dict('(6,)'), undefined, major)).length, 6);
  assert.equal(parseNpy(npy(dict('(0, 5)'), Buffer.alloc(0))).length, 0);
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
