/**
 * Untrusted specs: limits checked before the work they bound, and Vega expressions that
 * try to reach Node refused with their JSON path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LimitError, OutputLimitError, compile, renderToFile } from '../src/api.js';
import { CompileError } from '../src/compile/messages.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-safety-'));
const SPEC = path.resolve('specs/umap-epochs.yaml'); // 2,000 points × 40 frames, 500×500

const nothingWritten = () =>
  assert.deepEqual(
    readdirSync(dir).filter((f) => !/^[ab]\.gif$/.test(f)),
    [],
  );

test('limits: frames, rows and a spec-declared size stop the render before it starts', async () => {
  const out = path.join(dir, 'x.gif');
  await assert.rejects(renderToFile(SPEC, out, { limits: { maxFrames: 39 } }), (e: Error) => {
    assert.ok(e instanceof LimitError);
    assert.match(
      e.message,
      /frames to render is 40, over the limit of 39; raise it with --max-frames/,
    );
    return true;
  });
  await assert.rejects(
    renderToFile(SPEC, out, { limits: { maxRows: 80_000 } }),
    /data rows is 80,001/,
  );
  await assert.rejects(
    compile(SPEC, { limits: { maxPixels: 200_000 } }),
    /chart's size \(500×500 at scale 1\) is 250,000, over the limit of 200,000/,
  );
  nothingWritten();
});

test('limits: the laid-out frame size is checked in the render workers too', async () => {
  // 500×500 at scale 3 passes the spec check (2.25 M); with legend and title the frame is
  // larger, which only layout knows. 40 frames render in workers.
  const out = path.join(dir, 'big.gif');
  await assert.rejects(
    renderToFile(SPEC, out, { scale: 3, limits: { maxPixels: 2_400_000 } }),
    (e: Error) => e instanceof LimitError && /a frame is \d+×\d+ = [\d,]+ pixels/.test(e.message),
  );
  nothingWritten();
});

test('limits: a wall-clock budget stops the render and leaves nothing behind', async () => {
  const out = path.join(dir, 'slow.gif');
  await assert.rejects(
    renderToFile(SPEC, out, { limits: { timeoutSeconds: 0.01 } }),
    /took longer than 0.01 s/,
  );
  nothingWritten();
});

const attempts = [
  "constructor.constructor('return process')()",
  'this.process',
  'process.exit(3)',
  "datum['__proto__']['constructor']['constructor']('return process')().exit(5)",
  '(function(){ return process })()',
  "datum.a.constructor.constructor('return globalThis')()",
];

for (const expr of attempts) {
  test(`an expression cannot reach Node: ${expr}`, async () => {
    const spec = {
      data: { values: [{ a: 1 }] },
      transform: [{ calculate: expr, as: 'p' }],
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    };
    await assert.rejects(compile(spec), (e: Error) => {
      assert.ok(e instanceof CompileError, e.message);
      assert.equal(e.path, '$.transform[0].calculate');
      assert.match(e.message, /is not allowed/);
      return true;
    });
  });
}

test('ordinary expressions with fields, params and frame params still compile', async () => {
  const spec = {
    data: {
      values: [
        { a: 1, t: 0 },
        { a: 2, t: 1 },
      ],
    },
    params: [{ name: 'k', value: 2 }],
    transform: [
      { calculate: 'datum.a * k + frame_index + progress', as: 'p' },
      { filter: 'datum.a > 0 && isValid(datum.p)' },
    ],
    mark: 'point',
    encoding: {
      x: { field: 'p', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const plan = await compile(spec);
  assert.equal(plan.clock.values.length, 2);
});

test('limits: output bytes, counted as the files grow, for GIF and for ffmpeg-written MP4', async () => {
  for (const ext of ['gif', 'mp4']) {
    const out = path.join(dir, `capped.${ext}`);
    await assert.rejects(
      renderToFile(SPEC, out, { limits: { maxOutputBytes: 150_000 } }),
      (e: Error) =>
        e instanceof OutputLimitError && /over the limit of 150,000 bytes/.test(e.message),
    );
  }
  nothingWritten();
  // The budget belongs to each render: two at once do not share it.
  const [a, b] = await Promise.all(
    ['a.gif', 'b.gif'].map((f) =>
      renderToFile(SPEC, path.join(dir, f), { frames: '0:2', limits: { maxOutputBytes: 400_000 } }),
    ),
  );
  assert.equal(a.frames + b.frames, 4);
});

test('image marks: local images inside the folder draw; URLs and escapes are refused clearly', async () => {
  const { copyFileSync, readFileSync } = await import('node:fs');
  const { decodePng } = await import('./helpers/golden.js');
  const { DataAccessError } = await import('../src/data/access.js');
  const imgDir = path.join(dir, 'img');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(imgDir);
  copyFileSync(path.resolve('docs/images/coin-flips-f6.png'), path.join(imgDir, 'pic.png'));
  const image = (url: string) => ({
    data: { values: [{ u: url }] },
    width: 100,
    height: 80,
    mark: { type: 'image', width: 100, height: 80 },
    encoding: { url: { field: 'u' }, x: { value: 50 }, y: { value: 40 } },
  });
  const out = path.join(imgDir, 'out.png');
  await renderToFile(image('pic.png'), out, { baseDir: imgDir });
  const rgba = decodePng(readFileSync(out)).rgba;
  assert.ok(
    rgba.some((v, i) => i % 4 !== 3 && v < 128),
    'the image is drawn (dark curves)',
  );
  for (const [url, message] of [
    ['https://example.com/a.png', /image "https:\/\/example\.com\/a\.png" is a network URL/],
    ['../secret.png', /image "\.\.\/secret\.png" is outside the spec's folder/],
  ] as const) {
    await assert.rejects(
      renderToFile(image(url), path.join(imgDir, 'refused.png'), { baseDir: imgDir }),
      (e: Error) => e instanceof DataAccessError && message.test(e.message),
    );
  }
  assert.ok(!readdirSync(imgDir).includes('refused.png'));
});
