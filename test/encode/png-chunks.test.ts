/**
 * PNGs from another encoder get the chunks encode/png.ts records (pHYs, text), and
 * encodePngWith chooses that encoder for opaque frames only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { type PngEncoder, encodePng, encodePngWith, withPngChunks } from '../../src/encode/png.js';
import type { RasterFrame } from '../../src/encode/sink.js';

function chunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = [];
  for (let o = 8; o < png.length;) {
    const len = view.getUint32(o);
    out.push({
      type: String.fromCharCode(...png.subarray(o + 4, o + 8)),
      data: png.subarray(o + 8, o + 8 + len),
    });
    o += 12 + len;
  }
  return out;
}

const frame = (alpha = 255): RasterFrame => {
  const rgba = new Uint8Array(6 * 4 * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([i % 251, 40, 200, alpha], i);
  return { width: 6, height: 4, rgba };
};

test('withPngChunks puts pHYs and text after IHDR, replacing the encoder’s own', () => {
  const plain = encodePng(frame(), { ppi: 96, text: { Title: 'old' } });
  const png = withPngChunks(plain, { ppi: 300, text: { Title: 'Épreuve – 2', Software: 'vf' } });
  const list = chunks(png);
  assert.deepEqual(
    list.map((c) => c.type),
    ['IHDR', 'pHYs', 'iTXt', 'tEXt', 'IDAT', 'IEND'],
  );
  const phys = new DataView(list[1].data.buffer, list[1].data.byteOffset, 9);
  assert.equal(phys.getUint32(0), Math.round(300 / 0.0254));
  assert.equal(phys.getUint32(4), Math.round(300 / 0.0254));
  assert.equal(list[1].data[8], 1);
  // pngjs checks every CRC and reads the same pixels back.
  const back = PNG.sync.read(Buffer.from(png));
  assert.deepEqual(new Uint8Array(back.data), frame().rgba);
});

test('encodePngWith uses the encoder for an opaque frame, encodePng for transparency', async () => {
  let calls = 0;
  const marked: PngEncoder = async (f) => {
    calls++;
    return encodePng(f, { text: { By: 'the other encoder' } });
  };
  const opaque = await encodePngWith(frame(), { ppi: 150, text: { Software: 'vf' } }, marked);
  assert.equal(calls, 1);
  // The other encoder's text is replaced by the options' text.
  assert.deepEqual(
    chunks(opaque).map((c) => c.type),
    ['IHDR', 'pHYs', 'tEXt', 'IDAT', 'IEND'],
  );
  assert.match(Buffer.from(opaque).toString('latin1'), /Software\0vf/);
  assert.doesNotMatch(Buffer.from(opaque).toString('latin1'), /other encoder/);
  const clear = await encodePngWith(frame(128), { ppi: 150 }, marked);
  assert.equal(calls, 1);
  assert.deepEqual(clear, encodePng(frame(128), { ppi: 150 }));
  // Without an encoder, encodePng's bytes.
  assert.deepEqual(await encodePngWith(frame(), {}, undefined), encodePng(frame()));
});
