/**
 * Framed CSV files read a frame at a time (data/frame-stream.ts): the runs, the summary
 * rows, each run's rows read again, and renders that stream giving the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FrameStreamError,
  readRun,
  scanFramedCsv,
  streamedRunsRead,
} from '../src/data/frame-stream.js';
import { parseCsv } from '../src/data/csv.js';
import { type ColumnTable, cellValue, numberSummary } from '../src/data/table.js';
import { useWasmKernel } from '../src/wasm.js';
import { renderToFile } from '../src/api.js';
import { decodeGif } from './helpers/gif-decode.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-stream-'));

/** Frames of `perFrame` rows: x, y, a category, the frame value; the frame's rows together. */
function framedCsv(
  frames: (number | string)[],
  perFrame: number,
  { eol = '\n', oddities = false } = {},
): string {
  const lines = ['i,x,y,cat,t'];
  let i = 0;
  for (const t of frames) {
    for (let r = 0; r < perFrame; r++, i++) {
      const x = ((i * 7919) % 10007) / 97;
      const y = ((i * 104729) % 1009) - 500;
      // Some values the kernel leaves to the JavaScript (an exponent, a gap), and blank lines.
      const xs = oddities && i % 331 === 0 ? `${x.toFixed(1)}e0` : x.toFixed(4);
      const ys = oddities && i % 997 === 0 ? '' : String(y);
      lines.push(`${i},${xs},${ys},${(i * 31) % 7},${t}`);
      if (oddities && i % 1201 === 0) lines.push('');
    }
  }
  return lines.join(eol) + eol;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const CHUNK = 48 << 10; // small chunks (the first must hold 2,000 rows): runs cross their ends

function rowsOf(t: ColumnTable, start: number, count: number): unknown[][] {
  return Array.from({ length: count }, (_, r) =>
    t.names.map((n) => cellValue(t.columns[n], start + r)),
  );
}

for (const [label, options] of [
  ['LF', {}],
  ['CRLF, blank lines, exponents and gaps', { eol: '\r\n', oddities: true }],
] as const) {
  for (const wasm of [true, false]) {
    test(`a framed file's runs read back as the whole file holds them (${label}, ${wasm ? 'WebAssembly' : 'JavaScript'})`, async () => {
      useWasmKernel('csv', wasm);
      try {
        const frames = [3, 1, 4, 15, 9, 2, 6];
        const text = framedCsv(frames, 1500, options);
        const file = write(`framed-${label.length}-${wasm}.csv`, text);
        const whole = parseCsv(Buffer.from(text));
        const stream = await scanFramedCsv(
          file,
          'framed.csv',
          {},
          't',
          new Set(['x', 'cat']),
          CHUNK,
        );
        assert.ok(stream, 'streamed');
        assert.equal(stream.rows, whole.length);
        assert.deepEqual(
          stream.runs.map((r) => [r.value, r.start, r.count]),
          frames.map((t, k) => [t, k * 1500, 1500]),
        );
        for (let k = 0; k < frames.length; k++) {
          const run = readRun(stream, k);
          assert.deepEqual(run.names, whole.names);
          assert.deepEqual(rowsOf(run, 0, run.length), rowsOf(whole, k * 1500, 1500), `run ${k}`);
        }
        // The summary holds the extremes of x and every category, with whole rows.
        const { summary } = stream;
        const x = whole.columns.x;
        assert.ok(x.kind === 'number');
        const all = numberSummary(x.values, null, whole.length);
        const xs = Array.from({ length: summary.length }, (_, r) =>
          cellValue(summary.columns.x, r),
        ) as number[];
        assert.equal(Math.min(...xs), x.values[all.lo]);
        assert.equal(Math.max(...xs), x.values[all.hi]);
        const cats = new Set(
          Array.from({ length: summary.length }, (_, r) => cellValue(summary.columns.cat, r)),
        );
        assert.deepEqual([...cats].sort(), [0, 1, 2, 3, 4, 5, 6]);
        for (let r = 0; r < summary.length; r++) {
          const i = cellValue(summary.columns.i, r) as number;
          assert.deepEqual(rowsOf(summary, r, 1), rowsOf(whole, i, 1));
        }
      } finally {
        useWasmKernel('csv', true);
      }
    });
  }
}

test('text frame values, and rows without one, stream as runs of their own', async () => {
  const text = framedCsv(['a', 'b', '', 'c'], 2000);
  const file = write('text-frames.csv', text);
  const stream = await scanFramedCsv(file, 'f', {}, 't', new Set(), CHUNK);
  assert.ok(stream);
  assert.deepEqual(
    stream.runs.map((r) => [r.value, r.count]),
    [
      ['a', 2000],
      ['b', 2000],
      [null, 2000],
      ['c', 2000],
    ],
  );
  assert.equal(cellValue(readRun(stream, 3).columns.t, 0), 'c');
});

test('a frame whose rows are not together is not streamed', async () => {
  const file = write('split.csv', framedCsv([1, 2, 1], 2000));
  assert.equal(await scanFramedCsv(file, 'f', {}, 't', new Set(), CHUNK), undefined);
  const missing = write('nofield.csv', framedCsv([1, 2], 2000));
  assert.equal(await scanFramedCsv(missing, 'f', {}, 'epoch', new Set(), CHUNK), undefined);
});

test('a file changed after its scan is an error when a frame is read, not other data', async () => {
  const file = write('changes.csv', framedCsv([1, 2, 3], 2000));
  const stream = await scanFramedCsv(file, 'changes.csv', {}, 't', new Set(), CHUNK);
  assert.ok(stream);
  readRun(stream, 0);
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  assert.throws(
    () => readRun(stream, 1),
    (e: unknown) =>
      e instanceof FrameStreamError &&
      e.message ===
        '"changes.csv" changed while it was being rendered: render again with the file as it is now',
  );
});

test('a render that streams its data gives the bytes of one that loads it whole', async () => {
  // 4.5 MB: the scan reads 2 MB chunks, and takes files of more than two.
  const text = framedCsv([0, 1, 2, 3, 4, 5], 36_000, { oddities: true });
  assert.ok(text.length > 4 << 20);
  write('points.csv', text);
  const spec = {
    title: 'frame {frame}',
    width: 160,
    height: 120,
    data: { url: 'points.csv' },
    mark: { type: 'point', filled: true, size: 6 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative', scale: { zero: false } },
      color: { field: 'cat', type: 'nominal' },
      frame: { field: 't', type: 'ordinal' },
    },
  };
  const specFile = write('points.json', JSON.stringify(spec));
  const out = (name: string) => path.join(dir, name);
  const before = streamedRunsRead();
  await renderToFile(specFile, out('whole.gif'), { workers: 1 });
  assert.equal(streamedRunsRead(), before, 'small files load whole');
  await renderToFile(specFile, out('streamed.gif'), { workers: 1, streamMinBytes: 0 });
  assert.ok(streamedRunsRead() - before >= 6, 'each frame read from the file');
  await renderToFile(specFile, out('threads.gif'), { workers: 2, streamMinBytes: 0 });
  const whole = readFileSync(out('whole.gif'));
  assert.ok(whole.equals(readFileSync(out('streamed.gif'))), 'streamed in this thread');
  assert.ok(whole.equals(readFileSync(out('threads.gif'))), 'streamed by two threads');
  const gif = decodeGif(whole);
  assert.equal(gif.frameCount, 6);
});
