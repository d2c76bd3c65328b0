/**
 * Which encoder writes which PNG: the canvas's for opaque stills and PNG frames (its
 * files carry the sRGB chunk it writes), encode/png.ts for APNG and for partial
 * transparency; every one records its ppi (pHYs) and the software.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { render, renderToFile } from '../../src/api.js';
import type { VegaFramesSpec } from '../../src/spec/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-png-encoder-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  data: {
    values: [
      { a: 1, b: 2, t: 0 },
      { a: 2, b: 1, t: 1 },
    ],
  },
  mark: 'point',
  width: 60,
  height: 40,
  encoding: {
    x: { field: 'a', type: 'quantitative' },
    y: { field: 'b', type: 'quantitative' },
    frame: { field: 't' },
  },
} as VegaFramesSpec;

function chunkTypes(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = [];
  for (let o = 8; o < png.length; o += 12 + view.getUint32(o))
    out.push(String.fromCharCode(...png.subarray(o + 4, o + 8)));
  return out;
}

const ppiOf = (png: Uint8Array) => {
  const types = chunkTypes(png);
  const b = Buffer.from(png);
  let o = 8;
  for (const t of types) {
    if (t === 'pHYs') return Math.round(b.readUInt32BE(o + 8) * 0.0254);
    o += 12 + b.readUInt32BE(o);
  }
  return undefined;
};

test('an opaque PNG still: the canvas encoder, with pHYs and text', async () => {
  const png = await render(spec, { format: 'png', ppi: 144, workers: 1 });
  const types = chunkTypes(png);
  assert.ok(types.includes('sRGB'), types.join());
  assert.deepEqual(types.slice(0, 2), ['IHDR', 'pHYs']);
  assert.ok(types.includes('tEXt'));
  assert.equal(ppiOf(png), 144);
  assert.match(Buffer.from(png).toString('latin1'), /Software\0vega-frames/);
  // Same bytes on a second render.
  assert.deepEqual(await render(spec, { format: 'png', ppi: 144, workers: 1 }), png);
});

test('a transparent still and an APNG: encode/png.ts', async () => {
  const clear = await render(spec, { format: 'png', background: 'transparent', workers: 1 });
  assert.ok(!chunkTypes(clear).includes('sRGB'));
  const decoded = PNG.sync.read(Buffer.from(clear));
  assert.equal(decoded.data[3], 0); // the corner is transparent
  const apng = await render(spec, { format: 'apng', workers: 1 });
  assert.ok(chunkTypes(apng).includes('acTL'));
  assert.ok(!chunkTypes(apng).includes('sRGB'));
});

test('PNG frames: the canvas encoder, each with its pHYs', async () => {
  const out = path.join(dir, 'frames') + '/';
  await renderToFile(spec, out, { ppi: 300, workers: 1 });
  const files = readdirSync(out).sort();
  assert.deepEqual(files, ['frame-00001.png', 'frame-00002.png']);
  for (const f of files) {
    const png = new Uint8Array(readFileSync(path.join(out, f)));
    assert.ok(chunkTypes(png).includes('sRGB'));
    assert.equal(ppiOf(png), 300);
    PNG.sync.read(Buffer.from(png)); // CRCs and pixels read back
  }
});
