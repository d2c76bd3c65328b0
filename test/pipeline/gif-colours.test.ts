/**
 * A GIF's frames stay close to the RGB frames of the same render where fades, colour tweens
 * and trails draw colours no sampled frame shows, and its palette uses every slot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type SpecInput, renderToFile } from '../../src/api.js';
import { decodeGif } from '../helpers/gif-decode.js';

const bars = (rows: object[]) => ({
  data: { values: rows },
  mark: 'bar',
  width: 200,
  height: 150,
  encoding: {
    x: { field: 'k', type: 'nominal' },
    y: { field: 'v', type: 'quantitative', scale: { domain: [0, 7] } },
    color: {
      field: 'c',
      type: 'nominal',
      scale: { range: ['#888888', '#e41a1c', '#377eb8'] },
    },
    key: { field: 'k' },
    frame: { field: 'f' },
  },
});

/** A bar that fades in (and one that fades out) over a 15-frame tween. */
const fade = {
  ...bars([
    { k: 'a', v: 3, f: 0, c: 'x' },
    { k: 'b', v: 5, f: 0, c: 'y' },
    { k: 'a', v: 3, f: 1, c: 'x' },
    { k: 'c', v: 6, f: 1, c: 'y' },
  ]),
  animation: { tween: { frames: 15 }, enter: 'fade', exit: 'fade' },
};

/** Bars whose colours tween from one category's to another's. */
const colourTween = {
  ...bars([
    { k: 'a', v: 4, f: 0, c: 'x' },
    { k: 'b', v: 5, f: 0, c: 'y' },
    { k: 'c', v: 6, f: 0, c: 'z' },
    { k: 'a', v: 4, f: 1, c: 'y' },
    { k: 'b', v: 5, f: 1, c: 'z' },
    { k: 'c', v: 6, f: 1, c: 'x' },
  ]),
  animation: { tween: { frames: 12 } },
};

/** Two discs moving with a wake of six fading copies. */
const trail = {
  data: {
    values: [
      [1, 1, 5, 2],
      [2, 3, 4, 4],
      [4, 5, 2, 2],
      [6, 3, 1, 5],
    ].flatMap(([x1, y1, x2, y2], f) => [
      { k: 'a', x: x1, y: y1, f, c: 'p' },
      { k: 'b', x: x2, y: y2, f, c: 'q' },
    ]),
  },
  mark: { type: 'circle', size: 900, opacity: 1 },
  width: 200,
  height: 150,
  encoding: {
    x: { field: 'x', type: 'quantitative', scale: { domain: [0, 7] } },
    y: { field: 'y', type: 'quantitative', scale: { domain: [0, 6] } },
    color: { field: 'c', type: 'nominal', scale: { range: ['#d62728', '#2ca02c'] } },
    key: { field: 'k' },
    frame: { field: 'f' },
  },
  animation: { tween: { frames: 6 }, trail: { mode: 'wake', frames: 6, opacity: 0.6 } },
};

/** A red bar fading in over the gridlines that cross it. */
const fadeOverGrid = {
  width: 300,
  height: 200,
  data: {
    values: [
      { t: 0, k: 'a', v: 4 },
      { t: 1, k: 'a', v: 4 },
      { t: 1, k: 'b', v: 6 },
    ],
  },
  mark: { type: 'bar', color: '#d62728' },
  encoding: {
    x: { field: 'k', type: 'nominal' },
    y: { field: 'v', type: 'quantitative' },
    key: { field: 'k' },
    frame: { field: 't', type: 'ordinal' },
  },
  animation: { fps: 10, tween: { frames: 15 }, enter: 'fade' },
};

interface Compared {
  /** The largest difference of any channel of any pixel of any frame. */
  maxError: number;
  /** Distinct RGB colours over the PNG frames. */
  colours: number;
  /** Colours in the GIF's global table, and its size in entries. */
  tableColours: number;
  tableEntries: number;
}

/** The spec rendered as a GIF and as PNG frames, the GIF's frames decoded and compared. */
async function compare(spec: object, workers = 0): Promise<Compared> {
  const dir = mkdtempSync(join(tmpdir(), 'vf-gif-colours-'));
  try {
    const gifPath = join(dir, 'out.gif');
    await renderToFile(spec as SpecInput, gifPath, { workers });
    await renderToFile(spec as SpecInput, join(dir, 'frames') + '/', { workers });
    const gif = decodeGif(gifPath);
    const pngs = readdirSync(join(dir, 'frames')).sort();
    assert.equal(pngs.length, gif.frameCount);
    let maxError = 0;
    const colours = new Set<number>();
    for (let i = 0; i < gif.frameCount; i++) {
      const decoded = gif.frame(i);
      const rgb = PNG.sync.read(readFileSync(join(dir, 'frames', pngs[i]))).data;
      assert.equal(decoded.length, rgb.length);
      for (let j = 0; j < rgb.length; j += 4) {
        colours.add((rgb[j] << 16) | (rgb[j + 1] << 8) | rgb[j + 2]);
        for (let c = 0; c < 3; c++)
          maxError = Math.max(maxError, Math.abs(decoded[j + c] - rgb[j + c]));
      }
    }
    const bytes = readFileSync(gifPath);
    const tableEntries = 2 << (bytes[10] & 7);
    // Colours written past the palette's are padding (black): count the palette's own, up to
    // the transparent index the first later frame names.
    const transparent = gif.frameCount > 1 ? gif.frameInfo(1).transparent_index : null;
    const tableColours = transparent ?? tableEntries;
    return { maxError, colours: colours.size, tableColours, tableEntries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a bar fading in and out over a tween: GIF frames within 16 levels of the RGB frames', async () => {
  const r = await compare(fade);
  assert.ok(r.maxError <= 16, `max error ${r.maxError}`);
});

test('bars tweening between colours: GIF frames within 16 levels of the RGB frames', async () => {
  const r = await compare(colourTween);
  assert.ok(r.maxError <= 16, `max error ${r.maxError}`);
});

test('a trail of fading copies: GIF frames within 16 levels of the RGB frames', async () => {
  const r = await compare(trail);
  assert.ok(r.maxError <= 16, `max error ${r.maxError}`);
});

test('a bar fading in over gridlines: GIF frames within 16 levels of the RGB frames', async () => {
  const r = await compare(fadeOverGrid);
  assert.ok(r.maxError <= 16, `max error ${r.maxError}`);
});

test('a bar fading in over gridlines: the same GIF bytes with one thread and with a render worker', async () => {
  assert.ok((await gifBytes(fadeOverGrid, 1)).equals(await gifBytes(fadeOverGrid, 2)));
});

test('frames with more colours than a palette holds fill all 256 entries (255 colours and the transparent index)', async () => {
  const r = await compare(trail);
  assert.ok(r.colours > 256, `${r.colours} colours`);
  assert.equal(r.tableEntries, 256);
  assert.equal(r.tableColours, 255);
});

/** Twenty colours fading in and out: more shades than 255 entries hold. */
const manyFades = {
  data: {
    values: [0, 1, 2].flatMap((f) =>
      Array.from({ length: 20 }, (_, k) => ({ k, v: ((k * 7 + f * 3) % 10) + 1, f })).filter(
        ({ k }) => (k + f) % 3 !== 0,
      ),
    ),
  },
  mark: 'bar',
  width: 300,
  height: 150,
  encoding: {
    x: { field: 'k', type: 'ordinal' },
    y: { field: 'v', type: 'quantitative' },
    color: { field: 'k', type: 'nominal', scale: { scheme: 'category20' }, legend: null },
    key: { field: 'k' },
    frame: { field: 'f' },
  },
  animation: { tween: { frames: 9 }, enter: 'fade', exit: 'fade' },
};

async function gifBytes(spec: object, workers: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'vf-gif-dither-'));
  try {
    await renderToFile(spec as SpecInput, join(dir, 'out.gif'), { workers });
    return readFileSync(join(dir, 'out.gif'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('animation.dither: the same GIF bytes with one thread and with a render worker', async () => {
  const spec = { ...manyFades, animation: { ...manyFades.animation, dither: true } };
  const one = await gifBytes(spec, 1);
  const two = await gifBytes(spec, 2);
  assert.ok(one.equals(two));
  assert.ok(!one.equals(await gifBytes(manyFades, 1)), 'dithering changed nothing');
});

test('animation.dither changes only pixels whose colour the palette does not hold', async () => {
  const plain = decodeGif(await gifBytes(manyFades, 1));
  const dithered = decodeGif(
    await gifBytes({ ...manyFades, animation: { ...manyFades.animation, dither: true } }, 1),
  );
  const bytes = await gifBytes(manyFades, 1);
  const held = new Set<number>();
  for (let i = 0; i < 255; i++)
    held.add((bytes[13 + 3 * i] << 16) | (bytes[14 + 3 * i] << 8) | bytes[15 + 3 * i]);
  const dir = mkdtempSync(join(tmpdir(), 'vf-gif-dither-'));
  try {
    await renderToFile(manyFades as SpecInput, join(dir, 'frames') + '/', { workers: 1 });
    const pngs = readdirSync(join(dir, 'frames')).sort();
    let changed = 0;
    for (let i = 0; i < plain.frameCount; i++) {
      const a = plain.frame(i);
      const b = dithered.frame(i);
      const rgb = PNG.sync.read(readFileSync(join(dir, 'frames', pngs[i]))).data;
      for (let j = 0; j < a.length; j += 4) {
        if (a[j] === b[j] && a[j + 1] === b[j + 1] && a[j + 2] === b[j + 2]) continue;
        changed++;
        const colour = (rgb[j] << 16) | (rgb[j + 1] << 8) | rgb[j + 2];
        assert.ok(!held.has(colour), `frame ${i}: a held colour was dithered`);
      }
    }
    assert.ok(changed > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('animation.dither on another format warns that it is ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-gif-dither-'));
  try {
    const spec = { ...fade, animation: { ...fade.animation, dither: true } } as SpecInput;
    const png = await renderToFile(spec, join(dir, 'f') + '/', { workers: 1 });
    assert.ok(png.warnings.some((w) => /animation\.dither applies to GIF only/.test(w)));
    const gif = await renderToFile(spec, join(dir, 'out.gif'), { workers: 1 });
    assert.ok(!gif.warnings.some((w) => /dither/.test(w)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
