/** Slices rendered apart and joined play exactly like their parts, in order. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { decodeGif } from '../helpers/gif-decode.js';
import { decodePng } from '../helpers/golden.js';
import { findFfmpeg } from '../../src/encode/video.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-join-'));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

test('join: two slices make the whole animation, frame for frame', () => {
  const a = path.join(tmp, 'a.gif');
  const b = path.join(tmp, 'b.gif');
  const all = path.join(tmp, 'all.gif');
  const whole = path.join(tmp, 'whole.gif');
  assert.equal(run('render', 'specs/coin-flips.yaml', '--frames', '0:4', '-o', a, '-q').status, 0);
  assert.equal(run('render', 'specs/coin-flips.yaml', '--frames', '4:10', '-o', b, '-q').status, 0);
  assert.equal(run('render', 'specs/coin-flips.yaml', '-o', whole, '-q').status, 0);
  const r = run('join', a, b, '-o', all);
  assert.equal(r.status, 0, r.stderr);
  const [ga, gb, joined, full] = [a, b, all, whole].map((f) => decodeGif(f));
  assert.equal(joined.frameCount, 10);
  assert.deepEqual(joined.delaysCs, full.delaysCs, 'timing as one render: pauses only at the ends');
  assert.equal(joined.loop, full.loop);
  for (let i = 0; i < 4; i++)
    assert.ok(Buffer.from(joined.frame(i)).equals(Buffer.from(ga.frame(i))), `frame ${i}`);
  for (let i = 0; i < 6; i++)
    assert.ok(Buffer.from(joined.frame(4 + i)).equals(Buffer.from(gb.frame(i))), `frame ${4 + i}`);
});

test('join refuses parts of different sizes and files that are not GIFs', () => {
  const small = path.join(tmp, 'small.gif');
  assert.equal(
    run('render', 'specs/umap-epochs.yaml', '--frames', '0:2', '-o', small, '-q').status,
    0,
  );
  const coins = path.join(tmp, 'coins.gif');
  assert.equal(
    run('render', 'specs/coin-flips.yaml', '--frames', '0:2', '-o', coins, '-q').status,
    0,
  );
  const r = run('join', coins, small, '-o', path.join(tmp, 'x.gif'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /slices of one animation share a size/);
  const text = path.join(tmp, 'not.gif');
  writeFileSync(text, 'hello');
  const t = run('join', text, '-o', path.join(tmp, 'y.gif'));
  assert.equal(t.status, 2);
  assert.match(t.stderr, /not a GIF/);
  const cut = path.join(tmp, 'cut.gif');
  writeFileSync(cut, readFileSync(coins).subarray(0, 2000));
  assert.match(run('join', cut, '-o', path.join(tmp, 'z.gif')).stderr, /truncated/);
});

/** A video's frames decoded to raw RGBA by ffmpeg, and how many there are. */
function videoFrames(file: string, width: number, height: number) {
  const raw = execFileSync(
    findFfmpeg(),
    ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'],
    {
      maxBuffer: 1 << 30,
    },
  );
  const size = width * height * 4;
  return { count: raw.length / size, frame: (i: number) => raw.subarray(i * size, (i + 1) * size) };
}

test('join MP4 slices: stream copy, every frame of each part, pauses only at the ends', () => {
  const a = path.join(tmp, 'a.mp4');
  const b = path.join(tmp, 'b.mp4');
  const all = path.join(tmp, 'all.mp4');
  const whole = path.join(tmp, 'whole.mp4');
  assert.equal(run('render', 'specs/coin-flips.yaml', '--frames', '0:4', '-o', a, '-q').status, 0);
  assert.equal(run('render', 'specs/coin-flips.yaml', '--frames', '4:10', '-o', b, '-q').status, 0);
  assert.equal(run('render', 'specs/coin-flips.yaml', '-o', whole, '-q').status, 0);
  const r = run('join', a, b, '-o', all);
  assert.equal(r.status, 0, r.stderr);
  const { width, height } = decodePng(
    execFileSync(findFfmpeg(), [
      '-v',
      'error',
      '-i',
      whole,
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'png',
      '-',
    ]),
  );
  const [va, vb, joined, full] = [a, b, all, whole].map((f) => videoFrames(f, width, height));
  assert.equal(joined.count, full.count, 'as many frames as one render');
  assert.equal(joined.count, va.count + vb.count);
  // Stream copy: the joined video decodes to exactly its parts' frames.
  for (const i of [0, va.count - 1]) assert.ok(joined.frame(i).equals(va.frame(i)), `frame ${i}`);
  for (const i of [0, vb.count - 1])
    assert.ok(joined.frame(va.count + i).equals(vb.frame(i)), `frame ${va.count + i}`);
  const mixed = run('join', a, path.join(tmp, 'x.gif'), '-o', path.join(tmp, 'm.mp4'));
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /one format/);
});
