/**
 * `animation.crf`: the spec's video quality reaches the encoder (the same bytes as `--crf`
 * with that value), `--crf` overrides it, and the video stays yuv420p.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpecInput, renderToFile } from '../../src/api.js';
import { probe } from '../helpers/video.js';
import { spec } from '../helpers/outputs-chart.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-crf-'));
const withCrf = (crf: number) =>
  ({ ...spec, animation: { ...spec.animation, crf } }) as unknown as SpecInput;

async function render(s: SpecInput, file: string, crf?: number) {
  const out = path.join(dir, file);
  const { warnings } = await renderToFile(s, out, { workers: 1, crf });
  assert.deepEqual(
    warnings.filter((w) => /crf/.test(w)),
    [],
  );
  return { out, bytes: readFileSync(out), size: statSync(out).size };
}

test('an MP4 from a spec with animation.crf 22: yuv420p, encoded at crf 22, not 18', async () => {
  const spec22 = await render(withCrf(22), 'spec22.mp4');
  const option22 = await render(spec as SpecInput, 'option22.mp4', 22);
  const plain = await render(spec as SpecInput, 'plain.mp4');
  const p = probe(spec22.out);
  assert.equal(p.codec_name, 'h264');
  assert.equal(p.pix_fmt, 'yuv420p');
  assert.equal(p.frames, 11);
  assert.ok(spec22.bytes.equals(option22.bytes), 'the same bytes as --crf 22');
  assert.notEqual(spec22.size, plain.size);
  assert.ok(spec22.size < plain.size, `crf 22: ${spec22.size} B, crf 18: ${plain.size} B`);
  // The CLI's --crf overrides the spec's.
  const overridden = await render(withCrf(22), 'override18.mp4', 18);
  assert.ok(overridden.bytes.equals(plain.bytes), '--crf 18 over animation.crf 22 is crf 18');
});

test('a WebM from a spec with animation.crf 45: encoded at crf 45, not 31', async () => {
  const spec45 = await render(withCrf(45), 'spec45.webm');
  const option45 = await render(spec as SpecInput, 'option45.webm', 45);
  const plain = await render(spec as SpecInput, 'plain.webm');
  assert.equal(probe(spec45.out).pix_fmt, 'yuv420p');
  assert.ok(spec45.bytes.equals(option45.bytes), 'the same bytes as --crf 45');
  assert.ok(spec45.size < plain.size, `crf 45: ${spec45.size} B, crf 31: ${plain.size} B`);
});
