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
  type FrameStream,
  FrameStreamError,
  readRun,
  scanFramedCsv,
  scanPart,
  streamedRunsRead,
} from '../src/data/frame-stream.js';
import { parseCsv } from '../src/data/csv.js';
import { type ColumnTable, cellValue, numberSummary } from '../src/data/table.js';
import { useWasmKernel } from '../src/wasm.js';
import { renderToFile } from '../src/api.js';
import { RenderPool } from '../src/pool/pool.js';
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
        const stream = await scanFramedCsv(file, 'framed.csv', {}, 't', new Set(['x', 'cat']), {
          chunkBytes: CHUNK,
        });
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
  const stream = await scanFramedCsv(file, 'f', {}, 't', new Set(), { chunkBytes: CHUNK });
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
  assert.equal(
    await scanFramedCsv(file, 'f', {}, 't', new Set(), { chunkBytes: CHUNK }),
    undefined,
  );
  const missing = write('nofield.csv', framedCsv([1, 2], 2000));
  assert.equal(
    await scanFramedCsv(missing, 'f', {}, 'epoch', new Set(), { chunkBytes: CHUNK }),
    undefined,
  );
});

test('a file scanned in two halves (the second by a helper) gives the stream of one scan', async () => {
  // A frame's rows cross the middle (checked below); text frame values; oddities.
  const text = framedCsv(['p', 'q', 'r', 's'], 3000, { oddities: true });
  const file = write('halves.csv', text);
  const fields = new Set(['x', 'y', 'cat']);
  const one = await scanFramedCsv(file, 'h', {}, 't', fields, { chunkBytes: CHUNK });
  let helped = 0;
  let middle = -1;
  const helper = async (part: Parameters<typeof scanPart>[0]) => {
    helped++;
    middle = part.from;
    return structuredClone(await scanPart(structuredClone(part)));
  };
  const two = await scanFramedCsv(file, 'h', {}, 't', fields, {
    chunkBytes: CHUNK,
    helper,
    splitBytes: 0,
  });
  assert.equal(helped, 1);
  assert.ok(one && two);
  assert.ok(!one.runs.some((r) => r.byte === middle), 'the middle falls inside a run');
  const summaryRows = (s: FrameStream) => rowsOf(s.summary, 0, s.summary.length);
  assert.deepEqual(two.runs, one.runs);
  assert.deepEqual(summaryRows(two), summaryRows(one));
  assert.deepEqual(two.layout, one.layout);
  assert.equal(two.rows, one.rows);
  for (let k = 0; k < 4; k++)
    assert.deepEqual(rowsOf(readRun(two, k), 0, 3000), rowsOf(readRun(one, k), 0, 3000));
  // A value in both halves, not where they meet: no stream.
  const split = write('split-halves.csv', framedCsv([1, 2, 3, 1], 3000));
  const opts = { chunkBytes: CHUNK, helper, splitBytes: 0 };
  assert.equal(await scanFramedCsv(split, 'h', {}, 't', fields, opts), undefined);
  // A helper that fails: no stream (the file is then loaded whole).
  const failing = async () => {
    throw new Error('worker gone');
  };
  assert.equal(
    await scanFramedCsv(file, 'h', {}, 't', fields, { ...opts, helper: failing }),
    undefined,
  );
});

test('a render worker scans a part as this thread does, before it has a plan', async () => {
  const file = write('worker-part.csv', framedCsv([5, 6, 7], 3000));
  const fields = new Set(['x']);
  let request: Parameters<typeof scanPart>[0] | undefined;
  const mine = await scanFramedCsv(file, 'w', {}, 't', fields, {
    chunkBytes: CHUNK,
    splitBytes: 0,
    helper: async (part) => {
      request = part;
      return scanPart(part);
    },
  });
  const workers = RenderPool.spawn(1);
  try {
    const fromWorker = await workers.scan(request!);
    assert.deepEqual(fromWorker, await scanPart(request!));
    const viaWorker = await scanFramedCsv(file, 'w', {}, 't', fields, {
      chunkBytes: CHUNK,
      splitBytes: 0,
      helper: (part) => workers.scan(part),
    });
    assert.deepEqual(viaWorker?.runs, mine?.runs);
    // A part the worker cannot read is an error there, and no stream here.
    await assert.rejects(workers.scan({ ...request!, file: path.join(dir, 'gone.csv') }));
  } finally {
    await workers.terminate();
  }
});

test('a file changed after its scan is an error when a frame is read, not other data', async () => {
  const file = write('changes.csv', framedCsv([1, 2, 3], 2000));
  const stream = await scanFramedCsv(file, 'changes.csv', {}, 't', new Set(), {
    chunkBytes: CHUNK,
  });
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
