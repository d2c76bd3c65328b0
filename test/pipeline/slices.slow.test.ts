/**
 * A render split into slices (`--frames a:b`) gives exactly the frames of the whole render:
 * the GIF palette, frame size and timing come from the whole animation, not the slice, so
 * slices rendered on many machines and joined equal one render.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import UPNG from 'upng-js';
import { renderToFile } from '../../src/api.js';
import { videoRepeats } from '../../src/encode/video.js';
import { wholeAnimation } from '../../src/pipeline/animation.js';
import { frameDelaysMs, gifDelays } from '../../src/encode/timing.js';
import { decodeGif, type DecodedGif } from '../helpers/gif-decode.js';
import { probe } from '../helpers/video.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vf-slices-'));

// 40 frames of 3,000 points each, translucent and coloured along a continuous scale: far
// more colours than a GIF palette holds, so the leftover slots are quantized from samples.
const FRAMES = 40;
const POINTS = 3000;
const rows = ['t,x,y,v'];
for (let t = 0; t < FRAMES; t++) {
  for (let i = 0; i < POINTS; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = Math.sqrt(i / POINTS) * (0.3 + (0.7 * t) / FRAMES);
    const x = 0.5 + r * Math.cos(a + t / 7) * 0.5;
    const y = 0.5 + r * Math.sin(a + t / 5) * 0.5;
    rows.push(`${t},${x.toFixed(4)},${y.toFixed(4)},${((i * 7919) % 1000) / 10 + t}`);
  }
}
writeFileSync(path.join(dir, 'points.csv'), rows.join('\n'));
const spec = path.join(dir, 'spec.json');
writeFileSync(
  spec,
  JSON.stringify({
    title: 'slices',
    width: 120,
    height: 100,
    data: { url: 'points.csv' },
    mark: { type: 'circle', size: 14, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] } },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] } },
      color: { field: 'v', type: 'quantitative', scale: { scheme: 'turbo' } },
      frame: { field: 't' },
    },
    // 30 fps: GIF delays of 3, 3, 4 cs, whose rhythm a slice must keep from its start; the
    // pauses are 16.5 and 31.5 video frames, whose rounding a slice must keep too.
    animation: { fps: 30, pause: { start: 0.55, end: 1.05 }, loop: 3 },
  }),
);

const out = (name: string) => path.join(dir, name);
const render = (file: string, frames?: string, workers = 1) =>
  renderToFile(spec, out(file), { frames, workers });
const join = (parts: string[], to: string) => {
  const r = spawnSync(process.execPath, [CLI, 'join', ...parts.map(out), '-o', out(to)], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return decodeGif(out(to));
};

function assertSameGif(actual: DecodedGif, expected: DecodedGif, what: string) {
  assert.equal(actual.frameCount, expected.frameCount, `${what}: frame count`);
  assert.deepEqual(actual.delaysCs, expected.delaysCs, `${what}: delays`);
  assert.equal(actual.loop, expected.loop, `${what}: loop`);
  for (let i = 0; i < expected.frameCount; i++) {
    assert.ok(
      Buffer.from(actual.frame(i)).equals(Buffer.from(expected.frame(i))),
      `${what}: frame ${i} differs from the whole render's`,
    );
  }
}

/** The GIF's comment extensions' text, found by walking its blocks (not by scanning bytes). */
function gifComments(file: string): string[] {
  const b = readFileSync(file);
  const comments: string[] = [];
  // Sub-blocks from i: their bytes joined, and where the terminator ends.
  const subBlocks = (i: number): { data: Buffer; end: number } => {
    const parts: Buffer[] = [];
    while (b[i] !== 0) {
      parts.push(b.subarray(i + 1, i + 1 + b[i]));
      i += b[i] + 1;
    }
    return { data: Buffer.concat(parts), end: i + 1 };
  };
  const tableBytes = (flags: number) => (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let i = 13 + tableBytes(b[10]);
  while (i < b.length && b[i] !== 0x3b) {
    if (b[i] === 0x21) {
      const { data, end } = subBlocks(i + 2);
      if (b[i + 1] === 0xfe) comments.push(data.toString('latin1'));
      i = end;
    } else if (b[i] === 0x2c) {
      i += 10 + tableBytes(b[i + 9]) + 1; // descriptor, local table, LZW minimum code size
      i = subBlocks(i).end;
    } else throw new Error(`not a GIF block at byte ${i}: 0x${b[i].toString(16)}`);
  }
  return comments;
}

test('timing: slices of the delays and video repeats are the whole animation’s', () => {
  const extra = Array.from({ length: 40 }, (_, i) => (i === 0 ? 0.55 : i === 39 ? 1.05 : 0));
  const delays = gifDelays(40, { fps: 30, extraSeconds: extra });
  const ms = frameDelaysMs(40, { fps: 7, extraSeconds: extra });
  const repeats = videoRepeats(extra, 30);
  for (const [a, b] of [
    [0, 13],
    [13, 27],
    [27, 40],
  ]) {
    const part = { fps: 30, extraSeconds: extra.slice(a, b), startFrame: a };
    assert.deepEqual(gifDelays(b - a, part), delays.slice(a, b));
    assert.deepEqual(frameDelaysMs(b - a, { ...part, fps: 7 }), ms.slice(a, b));
    assert.deepEqual(videoRepeats(extra.slice(0, b), 30).slice(a), repeats.slice(a, b));
  }
  assert.deepEqual(wholeAnimation([20, 21, 22], 40), {
    frames: Array.from({ length: 40 }, (_, i) => i),
    start: 20,
  });
  // A stepped slice belongs to every step-th frame from its first's remainder.
  assert.deepEqual(wholeAnimation([21, 24], 30), {
    frames: [0, 3, 6, 9, 12, 15, 18, 21, 24, 27],
    start: 7,
  });
  assert.deepEqual(wholeAnimation([7], 10, 5), { frames: [2, 7], start: 1 });
  assert.deepEqual(wholeAnimation([3, 5, 6], 10), { frames: [3, 5, 6], start: 0 });
});

test('GIF: two and three slices joined equal the whole render, comment and all', async () => {
  await render('whole.gif', undefined, 2); // this thread and a worker; the slices in one
  await Promise.all([
    render('a.gif', '0:20'),
    render('b.gif', '20:40'),
    render('p.gif', ':13'),
    render('q.gif', '13:27'),
    render('r.gif', '27:'),
  ]);
  const whole = decodeGif(out('whole.gif'));
  assert.equal(whole.frameCount, FRAMES);
  assertSameGif(join(['a.gif', 'b.gif'], 'ab.gif'), whole, 'two slices');
  assertSameGif(join(['p.gif', 'q.gif', 'r.gif'], 'pqr.gif'), whole, 'three slices');
  const [comment] = gifComments(out('whole.gif'));
  assert.match(comment, /vega-frames/);
  assert.deepEqual(gifComments(out('ab.gif')), [comment], 'the joined GIF names its software');
  assert.deepEqual(gifComments(out('pqr.gif')), [comment]);
});

test('GIF: stepped slices joined equal the stepped whole render', async () => {
  await Promise.all([
    render('s.gif', '1::3'),
    render('s1.gif', '1:22:3'),
    render('s2.gif', '22::3'),
  ]);
  assertSameGif(join(['s1.gif', 's2.gif'], 's12.gif'), decodeGif(out('s.gif')), 'stepped');
});

test('APNG: each slice decodes to the whole render’s frames, with their delays', async () => {
  await render('whole.apng');
  await Promise.all([render('a.apng', '0:20'), render('b.apng', '20:40')]);
  const decode = (file: string) => {
    const img = UPNG.decode(readFileSync(out(file)));
    return { img, frames: UPNG.toRGBA8(img).map((f) => Buffer.from(f)) };
  };
  const whole = decode('whole.apng');
  assert.equal(whole.frames.length, FRAMES);
  let at = 0;
  for (const part of ['a.apng', 'b.apng'].map(decode)) {
    assert.equal(part.img.width, whole.img.width);
    assert.equal(part.img.height, whole.img.height);
    part.frames.forEach((f, i) => {
      assert.ok(f.equals(whole.frames[at + i]), `frame ${at + i}`);
      assert.equal(part.img.frames[i].delay, whole.img.frames[at + i].delay, `delay ${at + i}`);
    });
    at += part.frames.length;
  }
  assert.equal(at, FRAMES);
});

test('PNG frames: each slice’s folder holds the whole render’s pixels', async () => {
  await render('whole/');
  await Promise.all([render('a/', '0:20'), render('b/', '20:40')]);
  const pixels = (folder: string) =>
    new Map(
      readdirSync(out(folder)).map((f) => [
        f,
        Buffer.from(UPNG.toRGBA8(UPNG.decode(readFileSync(path.join(out(folder), f))))[0]),
      ]),
    );
  const whole = pixels('whole');
  // Numbered as in the whole render: the slices' folders merge into its folder.
  const parts = new Map([...pixels('a'), ...pixels('b')]);
  assert.deepEqual([...parts.keys()].sort(), [...whole.keys()].sort());
  assert.ok(parts.has('frame-00021.png'));
  for (const [name, p] of parts) assert.ok(p.equals(whole.get(name)!), name);
});

test('MP4: slices hold as many frames as the whole render, pauses and all', async () => {
  await Promise.all([render('whole.mp4'), render('a.mp4', '0:20'), render('b.mp4', '20:40')]);
  const [whole, a, b] = ['whole.mp4', 'a.mp4', 'b.mp4'].map((f) => probe(out(f)).frames);
  assert.equal(whole, 40 + 17 + 31); // 16.5 and 31.5 frames of pause, rounded on the total
  assert.equal(a + b, whole);
});
