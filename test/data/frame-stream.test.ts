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
  scanPart,
  streamSummary,
  streamedRunsRead,
} from '../../src/data/frame-stream.js';
import { parseCsv } from '../../src/data/csv/index.js';
import {
  type ColumnTable,
  type FrameStream,
  cellValue,
  everyRow,
  rowsAt,
} from '../../src/data/table.js';
import { planFrames } from '../../src/data/partition.js';
import { createMessages } from '../../src/compile/messages.js';
import { summaryRowIndices } from '../../src/render/scales.js';
import type { FrameFieldDef } from '../../src/spec/types.js';
import { useWasmKernel } from '../../src/support/wasm.js';
import { renderToFile } from '../../src/api.js';
import { RenderPool } from '../../src/pool/pool.js';
import { decodeGif } from '../helpers/gif-decode.js';

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

/**
 * The rows fixed scale domains are computed from, for `text` loaded whole (summaryRowIndices
 * over the partitioned table) and streamed from `file` (its runs' summaries in frame order).
 */
async function bothSummaries(
  text: string,
  file: string,
  frame: FrameFieldDef,
  fields: string[],
  scan: Parameters<typeof scanFramedCsv>[5] = {},
) {
  const source = { name: 'data_0', data: { url: 'f.csv' }, frame };
  const whole = parseCsv(Buffer.from(text));
  const loaded = planFrames([source], [whole], createMessages()).planned[0];
  const wholeRows = rowsAt(whole, summaryRowIndices(loaded, new Set(fields)));
  const stream = await scanFramedCsv(file, 'f.csv', {}, frame.field, new Set(fields), {
    chunkBytes: CHUNK,
    ...scan,
  });
  assert.ok(stream, 'streamed');
  const table = { length: stream.rows, names: stream.layout.kept, columns: {}, stream };
  const streamed = planFrames([source], [table], createMessages()).planned[0];
  const streamRows = everyRow(streamSummary(stream, streamed.partition!.runs!));
  return { wholeRows, streamRows };
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
        // x as a quantitative encoding reads it: "1.0e0" is a number there, not a code.
        const asked = { numbers: ['x'] };
        const whole = parseCsv(Buffer.from(text), asked);
        const stream = await scanFramedCsv(file, 'framed.csv', asked, 't', new Set(['x', 'cat']), {
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
        // The summary rows are the ones the loaded table gives.
        const { wholeRows, streamRows } = await bothSummaries(text, file, { field: 't' }, [
          'x',
          'cat',
        ]);
        assert.ok(streamRows.length >= 9);
        assert.deepEqual(streamRows, wholeRows);
      } finally {
        useWasmKernel('csv', true);
      }
    });
  }
}

test('the summary rows are those of the loaded table: frameless rows, frame order, ties, many values', async () => {
  const line = (i: number, x: string, y: number | string, k: number, t: string | number) =>
    `${i},${x},${y},${k},${t}`;
  const frames = (
    order: (number | string)[],
    perFrame: number,
    extra?: (t: unknown) => string[],
  ) => {
    const lines = ['i,x,y,k,t'];
    let i = 0;
    for (const t of order) {
      if (t === '') {
        // Frameless rows holding every extreme: in no frame, so in no domain.
        for (let r = 0; r < 10; r++, i++) lines.push(line(i, String(5000 + r), -9000, 99, ''));
        continue;
      }
      lines.push(...(extra?.(t) ?? []).map((l) => `${i++},${l}`));
      for (let r = 0; r < perFrame; r++, i++)
        lines.push(
          line(i, (((i * 7919) % 10007) / 97).toFixed(4), (i * 104729) % 1009, i % 1500, t),
        );
    }
    return lines.join('\n') + '\n';
  };
  // y = 2000 first in the file in frame 1 (x missing there), then in frame 0: ascending
  // frames reach frame 0's row first.
  const tie = (t: unknown) => (t === 1 ? [`,2000,1,${t}`] : t === 0 ? [`1.5,2000,2,${t}`] : []);
  const cases: [string, string, FrameFieldDef][] = [
    ['frameless rows', frames([0, 1, '', 2, 3], 1200), { field: 't' }],
    ['frames out of order, a tie', frames([1, 0, 3, 2], 1200, tie), { field: 't' }],
    ['descending', frames([1, 0, 3, 2], 1200, tie), { field: 't', sort: 'descending' }],
    ['a custom order', frames([1, 0, 3, 2], 1200, tie), { field: 't', sort: [2, 0] }],
    ['text frames', frames(['b', 'a', 'c'], 1500), { field: 't' }],
  ];
  for (const [label, text, frame] of cases) {
    const file = write(`summary-${label.length}.csv`, text);
    for (const fields of [['x', 'y'], ['k'], ['x', 'y', 'k']]) {
      const { wholeRows, streamRows } = await bothSummaries(text, file, frame, fields);
      assert.deepEqual(streamRows, wholeRows, `${label}: ${fields.join(', ')}`);
      // Split in two parts (the second as a render worker scans it): the same rows.
      const split = await bothSummaries(text, file, frame, fields, {
        scanInWorker: scanPart,
        splitBytes: 0,
      });
      assert.deepEqual(split.streamRows, wholeRows, `${label}, split: ${fields.join(', ')}`);
    }
  }
});

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

test('rows without a frame value first, or where a part begins, are runs of their own', async () => {
  const csv = (frameless: (i: number) => boolean, rows: number) => {
    const lines = ['i,x,y,cat,t'];
    for (let i = 0, f = 0; i < rows; i++) {
      const t = frameless(i) ? '' : String(f);
      if (i % 3000 === 2999) f++;
      lines.push(`${i},${(i % 977) / 8},${i % 13},${i % 5},${t}`);
    }
    return lines.join('\n') + '\n';
  };
  // The first 50 rows have no frame value.
  const first = write(
    'frameless-first.csv',
    csv((i) => i < 50, 12_000),
  );
  const a = await scanFramedCsv(first, 'f', {}, 't', new Set(['x']), { chunkBytes: CHUNK });
  assert.ok(a);
  assert.deepEqual(
    a.runs.map((r) => [r.value, r.start, r.count]),
    [
      [null, 0, 50],
      [0, 50, 2950],
      [1, 3000, 3000],
      [2, 6000, 3000],
      [3, 9000, 3000],
    ],
  );
  // 600 frameless rows between frames 1 and 2, where the file's middle falls.
  const middle = write(
    'frameless-middle.csv',
    csv((i) => i >= 5700 && i < 6300, 12_000),
  );
  const one = await scanFramedCsv(middle, 'f', {}, 't', new Set(['x']), { chunkBytes: CHUNK });
  let from = -1;
  const two = await scanFramedCsv(middle, 'f', {}, 't', new Set(['x']), {
    chunkBytes: CHUNK,
    splitBytes: 0,
    scanInWorker: (part) => ((from = part.from), scanPart(part)),
  });
  assert.ok(one && two);
  const frameless = one.runs.find((r) => r.value === null)!;
  assert.ok(from > frameless.byte, 'the second part starts inside the frameless rows');
  assert.deepEqual(two.runs, one.runs);
  assert.deepEqual(
    one.runs.map((r) => r.value),
    [0, 1, null, 2, 3],
  );
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

test('a file scanned in two halves (the second by a render worker) gives the stream of one scan', async () => {
  // A frame's rows cross the middle (checked below); text frame values; oddities.
  const text = framedCsv(['p', 'q', 'r', 's'], 3000, { oddities: true });
  const file = write('halves.csv', text);
  const fields = new Set(['x', 'y', 'cat']);
  // x and y as a quantitative encoding reads them: "1.0e0" is a number there, not a code.
  const asked = { numbers: ['x', 'y'] };
  const one = await scanFramedCsv(file, 'h', asked, 't', fields, { chunkBytes: CHUNK });
  let helped = 0;
  let middle = -1;
  const helper = async (part: Parameters<typeof scanPart>[0]) => {
    helped++;
    middle = part.from;
    return structuredClone(await scanPart(structuredClone(part)));
  };
  const two = await scanFramedCsv(file, 'h', asked, 't', fields, {
    chunkBytes: CHUNK,
    scanInWorker: helper,
    splitBytes: 0,
  });
  assert.equal(helped, 1);
  assert.ok(one && two);
  assert.ok(!one.runs.some((r) => r.byte === middle), 'the middle falls inside a run');
  const summaryRows = (s: FrameStream) =>
    everyRow(
      streamSummary(
        s,
        s.runs.map((r, i) => (r.value === null ? -1 : i)),
      ),
    );
  assert.deepEqual(two.runs, one.runs);
  assert.deepEqual(summaryRows(two), summaryRows(one));
  assert.deepEqual(two.layout, one.layout);
  assert.equal(two.rows, one.rows);
  for (let k = 0; k < 4; k++)
    assert.deepEqual(rowsOf(readRun(two, k), 0, 3000), rowsOf(readRun(one, k), 0, 3000));
  // A value in both halves, not where they meet: no stream.
  const split = write('split-halves.csv', framedCsv([1, 2, 3, 1], 3000));
  const opts = { chunkBytes: CHUNK, scanInWorker: helper, splitBytes: 0 };
  assert.equal(await scanFramedCsv(split, 'h', {}, 't', fields, opts), undefined);
  // A worker's scan that fails: no stream (the file is then loaded whole).
  const failing = async () => {
    throw new Error('worker gone');
  };
  assert.equal(
    await scanFramedCsv(file, 'h', {}, 't', fields, { ...opts, scanInWorker: failing }),
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
    scanInWorker: async (part) => {
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
      scanInWorker: (part) => workers.scan(part),
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
