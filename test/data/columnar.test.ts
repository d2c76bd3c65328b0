/**
 * Arrow and Parquet straight into columns: specs that read them, damaged files, typed
 * columns in shared memory (the large vega-datasets files, read whole and checked against
 * their JSON, in columnar.slow.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import path from 'node:path';
import { ColumnarError, parseArrow, parseParquet } from '../../src/data/columnar.js';
import { DataLoadError } from '../../src/data/load.js';
import { compile, render } from '../../src/api.js';

const DATASETS = new URL('../../node_modules/vega-datasets/data/', import.meta.url).pathname;

test('a spec reads .arrow by its extension; clear errors for broken files', async () => {
  const plan = await compile(
    {
      data: { url: 'flights-200k.arrow' },
      mark: 'point',
      encoding: {
        x: { field: 'distance', type: 'quantitative' },
        y: { field: 'delay', type: 'quantitative' },
        frame: { field: 'time', bin: { maxbins: 6 } },
      },
    },
    { baseDir: DATASETS },
  );
  assert.ok(plan.clock.values.length >= 3);
  assert.throws(() => parseArrow(Buffer.from('not arrow at all')), /not a readable Arrow IPC file/);
  await assert.rejects(parseParquet(Buffer.from('PAR1 and then nothing')), /cut short/);
});

test('malformed Arrow and Parquet files: a sentence each, never a TypeError from the reader', async () => {
  const ipc = (format: 'file' | 'stream') =>
    Buffer.from(tableToIPC(tableFromArrays({ x: Float64Array.from([1, 2, 3]) }), format));
  const arrow: [string, Buffer, RegExp][] = [
    ['0 bytes', Buffer.alloc(0), /^the file is empty \(0 bytes\)$/],
    [
      'the magic alone',
      Buffer.from('ARROW1\0\0'),
      /^the Arrow file is cut short: it begins with ARROW1 and does not end with it \(8 bytes\)$/,
    ],
    ['half a file', ipc('file').subarray(0, 200), /^the Arrow file is cut short/],
    [
      'a stream cut short',
      ipc('stream').subarray(0, ipc('stream').length - 20),
      /^not a readable Arrow IPC file: Expected to read \d+ bytes for message body/,
    ],
    ['text', Buffer.from('hello world, not arrow'), /^not a readable Arrow IPC file: /],
  ];
  for (const [what, bytes, message] of arrow) {
    assert.throws(
      () => parseArrow(bytes),
      (e: unknown) => e instanceof ColumnarError && message.test((e as Error).message),
      what,
    );
  }
  // The footer of a real file (its metadata, length and PAR1) after a PAR1: damaged at will.
  const real = readFileSync(path.join(DATASETS, 'flights-3m.parquet'));
  const footer = real.subarray(real.length - real.readUInt32LE(real.length - 8) - 8);
  const damaged = (at: number, value: number) => {
    const b = Buffer.concat([Buffer.from('PAR1'), footer]);
    b[4 + at] = value;
    return b;
  };
  const parquet: [string, Buffer, RegExp][] = [
    ['0 bytes', Buffer.alloc(0), /^the file is empty \(0 bytes\)$/],
    ['not PAR1', Buffer.from('a,b\n1,2\n'), /^not a Parquet file: it does not begin with PAR1$/],
    [
      'cut short',
      real.subarray(0, 100_000),
      /^the Parquet file is cut short: it begins with PAR1 and does not end with it \(100,000 bytes\)$/,
    ],
    [
      'the footer without its start',
      Buffer.concat([Buffer.from('PAR1'), footer.subarray(200)]),
      /^the Parquet file's metadata cannot be read: /,
    ],
    [
      'metadata whose reader throws a TypeError',
      damaged(0, 0),
      /^the Parquet file's metadata cannot be read: the file is damaged or cut short$/,
    ],
    [
      'metadata whose reader throws a RangeError',
      damaged(46, 255),
      /^the Parquet file's metadata cannot be read: the file is damaged or cut short$/,
    ],
  ];
  for (const [what, bytes, message] of parquet) {
    await assert.rejects(
      parseParquet(bytes),
      (e: unknown) => e instanceof ColumnarError && message.test((e as Error).message),
      what,
    );
  }
  // Through a spec: a DataLoadError naming the file (exit 2 on the command line).
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-bad-columnar-'));
  writeFileSync(path.join(dir, 'empty.arrow'), Buffer.alloc(0));
  writeFileSync(path.join(dir, 'cut.parquet'), real.subarray(0, 4096));
  for (const [url, message] of [
    ['empty.arrow', /^"empty\.arrow": the file is empty \(0 bytes\)$/],
    ['cut.parquet', /^"cut\.parquet": the Parquet file is cut short/],
  ] as const) {
    await assert.rejects(
      compile({ data: { url }, mark: 'point', encoding: { x: { field: 'x' } } }, { baseDir: dir }),
      (e: unknown) => e instanceof DataLoadError && message.test((e as Error).message),
      url,
    );
  }
});

test('Arrow number columns without nulls keep their type in shared memory; frames render as from CSV', async () => {
  // 3,000 points × 4 frames, positions on a 1/8 grid (exact in float32 and in decimal text).
  const n = 12_000;
  const x = Float32Array.from({ length: n }, (_, i) => ((i * 37) % 800) / 8);
  const y = Float32Array.from({ length: n }, (_, i) => ((i * 91) % 640) / 8);
  const frame = Int16Array.from({ length: n }, (_, i) => Math.floor(i / 3000));
  const digit = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-arrow-'));
  writeFileSync(
    path.join(dir, 'points.arrow'),
    tableToIPC(
      tableFromArrays({ x, y, frame, digit, withNull: [1.5, null, ...new Array(n - 2).fill(2)] }),
      'file',
    ),
  );
  const csv = ['x,y,frame,digit,withNull'];
  for (let i = 0; i < n; i++) csv.push(`${x[i]},${y[i]},${frame[i]},${digit[i]},`);
  writeFileSync(path.join(dir, 'points.csv'), csv.join('\n'));
  const spec = (url: string) => ({
    width: 200,
    height: 160,
    data: { url },
    mark: { type: 'circle' as const, size: 9 },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const },
      y: { field: 'y', type: 'quantitative' as const },
      color: { field: 'digit', type: 'nominal' as const },
      frame: { field: 'frame', type: 'ordinal' as const },
    },
  });
  const plan = await compile(
    { ...spec('points.arrow'), transform: [{ filter: 'datum.withNull != null' }] },
    { baseDir: dir },
  );
  const columns = plan.planned[0].table.columns;
  const values = (name: string) => (columns[name] as { values: ArrayLike<number> }).values;
  assert.ok(values('x') instanceof Float32Array, 'float32 stays float32');
  assert.ok(values('frame') instanceof Int16Array && values('digit') instanceof Uint8Array);
  assert.ok((values('x') as Float32Array).buffer instanceof SharedArrayBuffer, 'workers share it');
  assert.ok(values('withNull') instanceof Float64Array, 'a column with nulls: Float64, NaN');
  assert.ok(Number.isNaN(values('withNull')[1]));
  assert.equal(plan.planned[0].partition!.order, undefined, 'rows in frame order: no order array');
  // Same pixels as the same numbers read from text.
  for (const k of [0, 3]) {
    const fromArrow = await render(spec('points.arrow'), { baseDir: dir, format: 'png', frame: k });
    const fromCsv = await render(spec('points.csv'), { baseDir: dir, format: 'png', frame: k });
    assert.ok(Buffer.from(fromArrow).equals(Buffer.from(fromCsv)), `frame ${k}`);
  }
});

test('an Arrow file whose lengths declare more values than its buffers hold is refused', () => {
  const bytes = Buffer.from(
    tableToIPC(tableFromArrays({ f: Float64Array.from([1, 2]), s: ['a', 'b'] }), 'file'),
  );
  assert.equal(parseArrow(new Uint8Array(bytes)).length, 2);
  // Every aligned 64-bit 2 (the batch's and the columns' lengths) patched to 20 million.
  for (let i = 8; i + 8 <= bytes.length - 10; i += 8)
    if (bytes.readBigInt64LE(i) === 2n) bytes.writeBigInt64LE(20_000_000n, i);
  assert.throws(
    () => parseArrow(new Uint8Array(bytes)),
    (e: Error) =>
      e instanceof ColumnarError &&
      /the Arrow file is damaged: column "f" declares 20,000,000 values and its buffer holds 2/.test(
        e.message,
      ),
  );
});
