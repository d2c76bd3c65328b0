/** Motion's timeline played by the MP4 encoder (ffmpeg), its frames counted by ffprobe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpecInput, renderToFile } from '../../src/api.js';
import { pointSpec } from '../helpers/motion.js';
import { probe } from '../helpers/video.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-motion-'));

const mover = [
  { id: 'a', t: 0, x: 1, y: 1, c: 'hi' },
  { id: 'a', t: 1, x: 9, y: 9, c: 'hi' },
];

// The timeline motion.test.ts plays through the other encoders: 3 data frames, 2 in-betweens
// each, a hold, pauses, rewind.
const timed = pointSpec(
  [...mover, { id: 'a', t: 2, x: 5, y: 1, c: 'hi' }],
  { fps: 10, tween: { frames: 2 }, hold: 0.5, pause: { start: 1 }, rewind: true, loop: false },
  { title: 't {frame:.1f}' },
);
// forward 0,·,·,1,·,·,2 then back ·,·,1,·,·,0: 13 frames; holds 0.4 s extra on data frames.
const expectedCs = [150, 10, 10, 50, 10, 10, 50, 10, 10, 50, 10, 10, 50];

test('MP4: holds and pauses become repeated frames at a constant rate', async () => {
  const out = path.join(tmp, 'timed.mp4');
  await renderToFile(timed as SpecInput, out);
  const p = probe(out);
  assert.equal(
    p.frames,
    expectedCs.reduce((s, cs) => s + cs / 10, 0),
  );
});
