/**
 * Video outputs, opened back with ffprobe and ffmpeg: MP4 and WebM streams, their frames
 * and pauses, a failing ffmpeg, and the same bytes from the same frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderToFile } from '../../src/api.js';
import { diffFraction } from '../helpers/golden.js';
import { probe, videoFrame } from '../helpers/video.js';
import { referenceFrames, spec } from '../helpers/outputs-chart.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-outputs-'));

test('MP4: H.264, yuv420p, even size, frames with the pause, duration, title tag', async () => {
  const out = path.join(dir, 'a.mp4');
  await renderToFile(spec, out, { workers: 1 });
  const p = probe(out);
  const expected = await referenceFrames();
  assert.equal(p.codec_name, 'h264');
  assert.equal(p.pix_fmt, 'yuv420p');
  assert.equal(p.width, expected[0].width + (expected[0].width % 2));
  assert.equal(p.height, expected[0].height + (expected[0].height % 2));
  assert.equal(p.width % 2, 0);
  // 6 frames + 1 s of the last at 5 fps = 11 frames, 2.2 s.
  assert.equal(p.frames, 11);
  assert.ok(Math.abs(Number(p.format.duration) - 2.2) < 0.05, p.format.duration);
  assert.equal(p.format.tags?.title, 'outputs test');
  // Lossy, but the same picture: frame 2 against the rendered frame 2.
  const rgba = videoFrame(out, 2, p.width, p.height);
  const cropped = new Uint8Array(expected[2].width * expected[2].height * 4);
  for (let y = 0; y < expected[2].height; y++)
    cropped.set(
      rgba.subarray(y * p.width * 4, (y * p.width + expected[2].width) * 4),
      y * expected[2].width * 4,
    );
  const diff = diffFraction({ ...expected[2], rgba: cropped }, expected[2], 0.2);
  assert.ok(diff < 0.05, `differs in ${(diff * 100).toFixed(2)}% of pixels`);
});

test('WebM: VP9 with every frame', async () => {
  const out = path.join(dir, 'a.webm');
  await renderToFile(spec, out, { workers: 1, frames: '0:4' });
  const p = probe(out);
  assert.equal(p.codec_name, 'vp9');
  assert.equal(p.frames, 4); // a slice that does not reach the end has no end pause
});

test('ffmpeg dying mid-way: its message, no output and no temp file', async () => {
  // A stand-in ffmpeg first on PATH: it reads a little of the stream, complains and exits.
  const bin = path.join(dir, 'fake-bin');
  mkdirSync(bin);
  writeFileSync(
    path.join(bin, 'ffmpeg'),
    '#!/bin/sh\nhead -c 1000 >/dev/null\necho "Conversion failed: disk quota" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  const out = path.join(dir, 'bad', 'x.mp4');
  mkdirSync(path.dirname(out));
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${saved}`;
  try {
    await assert.rejects(renderToFile(spec, out, { workers: 1 }), /disk quota/);
  } finally {
    process.env.PATH = saved;
  }
  assert.deepEqual(readdirSync(path.dirname(out)), []);
});

test('video is reproducible: the same frames give the same MP4 and WebM bytes', async () => {
  for (const ext of ['mp4', 'webm']) {
    const a = path.join(dir, `same-a.${ext}`);
    const b = path.join(dir, `same-b.${ext}`);
    await renderToFile(spec, a, { workers: 1, frames: '0:3' });
    await renderToFile(spec, b, { workers: 1, frames: '0:3' });
    assert.ok(readFileSync(a).equals(readFileSync(b)), ext);
  }
});
