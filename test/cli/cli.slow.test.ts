/** The command line as a user runs it: exit codes, messages, outputs, determinism. */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGif } from '../helpers/gif-decode.js';
import { decodePng } from '../helpers/golden.js';
import { COMMAND_V8_FLAGS, cacheFileOf } from '../../src/support/cached-script.js';
import { CLI, ROOT, run } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-cli-'));

test('render writes a GIF with the spec’s frames, fps and pause; one summary line off a TTY', () => {
  const out = path.join(tmp, 'umap.gif');
  const r = run('render', 'specs/umap-epochs.yaml', '-o', out, '--frames', '0:40:4');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /umap\.gif: 10 frames in [\d.]+ s/);
  // Progress lines come every 5 s (pipes.slow.test.ts); on a busy machine this render may last that long.
  assert.deepEqual(
    r.err
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('progress: ')).length,
    1,
  );
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 10);
  // fps 12 → accumulated 8/8/9 cs; the slice ends before the last frame, so no end pause
  assert.equal(
    gif.delaysCs.reduce((a, b) => a + b, 0),
    83,
  );
  assert.equal(gif.loop, 0);
});

test('--fps overrides animation.fps; -q prints nothing', () => {
  const out = path.join(tmp, 'fast.gif');
  const r = run('render', 'specs/coin-flips.yaml', '-o', out, '--fps', '5', '-q');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.deepEqual(decodeGif(out).delaysCs, [20, 20, 20, 20, 20, 20, 20, 20, 20, 220]);
});

test('one frame as PNG and SVG', () => {
  const png = path.join(tmp, 'f3.png');
  assert.equal(run('render', 'specs/weights-heatmap.yaml', '--frame', '3', '-o', png).code, 0);
  assert.deepEqual(
    [...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''),
    'PNG',
  );
  const svg = path.join(tmp, 'f3.svg');
  assert.equal(run('render', 'specs/weights-heatmap.yaml', '--frame', '3', '-o', svg).code, 0);
  const text = readFileSync(svg, 'utf8');
  assert.match(text, /^<svg/);
  assert.match(text, /Weights at epoch 3/);
});

test('the same spec gives byte-identical GIFs in two processes', () => {
  const a = path.join(tmp, 'a.gif');
  const b = path.join(tmp, 'b.gif');
  assert.equal(run('render', 'specs/coin-flips.yaml', '-o', a, '-q').code, 0);
  assert.equal(run('render', 'specs/coin-flips.yaml', '-o', b, '-q').code, 0);
  assert.ok(readFileSync(a).equals(readFileSync(b)));
});

test('validate: exit 0 for good specs, 2 with path and line:col for bad ones', () => {
  const good = run('validate', 'specs/umap-epochs.yaml', 'specs/coin-flips.yaml');
  assert.equal(good.code, 0, good.err);
  const bad = path.join(tmp, 'bad.yaml');
  writeFileSync(bad, 'data: {url: x.csv}\nmark: pointt\nencoding:\n  frame: {field: epoch}\n');
  const r = run('validate', bad);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.yaml:2:\d+/);
  assert.match(r.err, /\$\.mark/);
  assert.doesNotMatch(r.err, /at .*\.js:\d+/, 'no stack trace');
});

test('schema prints the JSON Schema; info prints frames and size', () => {
  const s = run('schema');
  assert.equal(s.code, 0);
  assert.ok(JSON.parse(s.out).definitions.FrameFieldDef);
  const i = run('info', 'specs/coin-flips.yaml');
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /frames: 10/);
  assert.match(i.out, /frame values: 2, 4, 8, 16, 32, 64/);
  assert.match(i.out, /size: \d+×\d+ px/);
  assert.match(i.out, /1000 rows/);
  // 10 frames render in this thread: data plus one thread's share, an estimate.
  assert.match(
    i.out,
    /memory: \d+ MiB of data in memory; a GIF render peaks around \d+ MiB \(1 render thread/,
  );
  // Each mark, where the spec writes it, and how it is drawn.
  assert.match(
    i.out,
    /\nmarks:\n {2}line marks of the spec \(1,000 a frame\): drawn by Vega: only point, circle, square and rect marks are drawn directly\n/,
  );
  const json = JSON.parse(run('info', 'specs/umap-epochs.yaml', '--json').out);
  assert.equal(json.memory.renderThreads, 1, '40 small frames: too little work for a worker');
  assert.deepEqual(json.marks[0], {
    path: '$.layer[0]',
    mark: 'point',
    name: 'layer_0_marks',
    items: 2000,
    drawn: 'direct',
  });
  const tweened = JSON.parse(run('info', 'specs/motion-orbits.yaml', '--json').out);
  assert.equal(tweened.memory.renderThreads, 2, 'hundreds of frames: this thread and a worker');
  assert.ok(
    tweened.memory.estimatedPeakBytes > tweened.memory.dataBytes + 2 * 100 * 2 ** 20,
    'two threads each hold a View',
  );
});

test('user errors exit 2 with one clear line; nothing is written', () => {
  const out = path.join(tmp, 'never.gif');
  const missing = run('render', 'specs/nope.yaml', '-o', out);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.yaml/);
  const escape = path.join(tmp, 'escape.yaml');
  writeFileSync(escape, 'data: {url: ../../etc/passwd}\nmark: point\n');
  const e = run('render', escape, '-o', out);
  assert.equal(e.code, 2);
  assert.match(e.err, /outside the spec's folder/);
  const badFrames = run('render', 'specs/coin-flips.yaml', '-o', out, '--frames', '9:2');
  assert.equal(badFrames.code, 2);
  assert.match(badFrames.err, /selects no frame/);
  // A missing folder is made (mkdir -p); a path through a file is refused, naming it.
  writeFileSync(path.join(tmp, 'a-file'), 'not a folder');
  const underFile = run('render', 'specs/coin-flips.yaml', '-o', path.join(tmp, 'a-file/x.gif'));
  assert.equal(underFile.code, 2);
  assert.match(underFile.err, /a-file is a file, not a folder/);
  assert.equal(existsSync(out), false);
  assert.deepEqual(
    readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('output formats: extension, --format, --as facet; bad choices exit 2', () => {
  const mp4 = path.join(tmp, 'coins.mp4');
  const r = run('render', 'specs/coin-flips.yaml', '-o', mp4, '--crf', '30', '-q');
  assert.equal(r.code, 0, r.err);
  assert.ok(readFileSync(mp4).subarray(4, 8).toString() === 'ftyp', 'an MP4 container');
  const forced = path.join(tmp, 'coins.bin');
  assert.equal(
    run('render', 'specs/coin-flips.yaml', '-o', forced, '--format', 'apng', '-q').code,
    0,
  );
  assert.equal(readFileSync(forced).subarray(1, 4).toString(), 'PNG');
  const facet = path.join(tmp, 'coins-facet.svg');
  assert.equal(run('render', 'specs/coin-flips.yaml', '-o', facet, '--as', 'facet', '-q').code, 0);
  assert.match(readFileSync(facet, 'utf8'), /^<svg/);
  for (const [args, message] of [
    [['--format', 'tiff'], /--format "tiff" is not one of/],
    [['--as', 'grid'], /--as "grid"/],
    [['--as', 'facet'], /still figure/],
    [['--crf', '80'], /--crf/],
  ] as const) {
    const bad = run('render', 'specs/coin-flips.yaml', '-o', path.join(tmp, 'x.gif'), ...args);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, message);
  }
  const ext = run('render', 'specs/coin-flips.yaml', '-o', path.join(tmp, 'x.tiff'));
  assert.equal(ext.code, 2);
  assert.match(ext.err, /\.apng, \.mp4, \.webm/);
  assert.equal(existsSync(path.join(tmp, 'x.gif')), false);
});

test('worker threads give the same bytes as one thread', () => {
  const one = path.join(tmp, 'one.gif');
  const two = path.join(tmp, 'two.gif');
  // --workers 2: this thread and a worker share the 40 frames (asked for, so whatever the work)
  assert.equal(run('render', 'specs/umap-epochs.yaml', '-o', one, '--workers', '1', '-q').code, 0);
  const r = run('render', 'specs/umap-epochs.yaml', '-o', two, '--workers', '2', '-q');
  assert.equal(r.code, 0, r.err);
  assert.equal(decodeGif(two).frameCount, 40);
  assert.ok(readFileSync(one).equals(readFileSync(two)));
});

test('the command runs the bundle (with its worker) and writes what the unbundled modules write', () => {
  // bin.js falls back to the modules only without the bundle or on a Node < 20.19: here it
  // must take the bundle, so a broken bundle cannot hide behind the fallback.
  assert.ok(existsSync(path.join(ROOT, 'dist/vega-frames.cjs')), 'npm run build makes the bundle');
  assert.ok(existsSync(path.join(ROOT, 'dist/vega-frames.v8cache')));
  assert.equal((process.features as { require_module?: boolean }).require_module, true);
  const bundled = path.join(tmp, 'bundled.gif');
  const modules = path.join(tmp, 'modules.gif');
  const args = ['render', 'specs/umap-epochs.yaml', '--workers', '2', '-q', '--frames', '0:12'];
  assert.equal(run(...args, '-o', bundled).code, 0);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist/cli/main.js'), ...args, '-o', modules],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(decodeGif(bundled).frameCount, 12);
  assert.ok(readFileSync(bundled).equals(readFileSync(modules)));
  // As installed, by its #! line (a plain `env node`: test/cli/launcher.slow.test.ts); the
  // supervised child runs with the V8 flags its code caches were made for.
  const shebang = readFileSync(CLI, 'utf8').split('\n')[0];
  assert.equal(shebang, '#!/usr/bin/env node');
  for (const file of ['dist/vega-frames.cjs', 'schemas/vega-frames.validator.cjs']) {
    assert.ok(existsSync(path.join(ROOT, cacheFileOf(file, COMMAND_V8_FLAGS))), file);
  }
  // Through a bin link, as npm installs it: to bin.js, or to main.js (links made when it was
  // the command stay in npx's cache), the command runs, and once.
  for (const target of ['dist/cli/bin.js', 'dist/cli/main.js']) {
    const link = path.join(mkdtempSync(path.join(tmp, 'bin-')), 'vega-frames');
    symlinkSync(path.join(ROOT, target), link);
    const v = spawnSync(link, ['validate', 'specs/umap-epochs.yaml'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout, 'specs/umap-epochs.yaml: valid\n', target);
  }
  const direct = path.join(tmp, 'direct.gif');
  const d = spawnSync(CLI, [...args, '-o', direct], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(d.status, 0, d.stderr);
  assert.ok(readFileSync(direct).equals(readFileSync(modules)));
});

test('--ppi scales raster output; --background repaints under the chart', () => {
  const base = path.join(tmp, 'base.png');
  const hi = path.join(tmp, 'hi.png');
  const dark = path.join(tmp, 'dark.png');
  assert.equal(run('render', 'specs/coin-flips.yaml', '--frame', '2', '-o', base, '-q').code, 0);
  assert.equal(
    run('render', 'specs/coin-flips.yaml', '--frame', '2', '-o', hi, '--ppi', '144', '-q').code,
    0,
  );
  assert.equal(
    run(
      'render',
      'specs/coin-flips.yaml',
      '--frame',
      '2',
      '-o',
      dark,
      '--background',
      'black',
      '-q',
    ).code,
    0,
  );
  const [b, h, d] = [base, hi, dark].map((f) => decodePng(readFileSync(f)));
  assert.equal(h.width, b.width * 2);
  assert.equal(h.height, b.height * 2);
  assert.deepEqual([...d.rgba.subarray(0, 4)], [0, 0, 0, 255]);
  assert.deepEqual([...b.rgba.subarray(0, 4)], [255, 255, 255, 255]);
  const both = run('render', 'specs/coin-flips.yaml', '-o', hi, '--ppi', '144', '--scale', '2');
  assert.equal(both.code, 2);
});

test('a real render killed mid-way (SIGINT, SIGTERM) leaves no output, no temp file, no ffmpeg', async () => {
  const { spawn } = await import('node:child_process');
  for (const [signal, code, ext] of [
    ['SIGINT', 130, 'gif'],
    ['SIGTERM', 143, 'mp4'],
  ] as const) {
    const folder = mkdtempSync(path.join(tmp, 'killed-'));
    const out = path.join(folder, `umap.${ext}`);
    const child = spawn(process.execPath, [CLI, 'render', 'specs/umap-epochs.yaml', '-o', out], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Wait until frames are being written (the temp file exists), then stop the render.
    const started = Date.now();
    while (readdirSync(folder).length === 0 && Date.now() - started < 20000)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(readdirSync(folder).length > 0, 'the render had started writing');
    child.kill(signal);
    const exit = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(exit, code, signal);
    await new Promise((r) => setTimeout(r, 200)); // let a stray writer show itself
    assert.deepEqual(readdirSync(folder), [], `${signal}: nothing left in the output folder`);
    const ffmpegs = spawnSync('pgrep', ['-f', `${folder}`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(ffmpegs, '', 'no ffmpeg still writing');
  }
});
