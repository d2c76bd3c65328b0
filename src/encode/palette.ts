/**
 * One global palette for a whole GIF. Per-frame quantizing makes colours flicker between frames
 * and shifts a chart's categorical colours; instead the colours known from the spec (colour scale
 * ranges, background) are always included exactly, and only the leftover slots are quantized from
 * a few sample frames (anti-aliasing, text, gradients).
 */
import { createRequire } from 'node:module';
import type { RasterFrame } from './sink.js';
import { wasmModule } from '../support/wasm.js';

export type RGB = [number, number, number];

export interface PaletteOptions {
  /** Colours that must be in the palette exactly (the chart's colour scales, text colours…). */
  requiredColors?: RGB[];
  /** A few frames to quantize the remaining slots from (e.g. first, middle and last). */
  sample: RasterFrame[];
  /** At most 256 (a GIF colour table's limit). */
  maxColors?: number;
  /** Opaque colour that pixels with alpha < 255 are composited over; always palette index 0. */
  background?: RGB;
  /**
   * Leave one slot of `maxColors` unquantized, for a GIF's transparent index (frames after
   * the first mark unchanged pixels with it). Exact colours may still use every slot.
   */
  spareSlot?: boolean;
  /** Ordered dithering of colours the palette does not hold (see `Palette.dither`). */
  dither?: boolean;
  /**
   * Colours the animation draws in frames `sample` does not show (fades, trails, colour
   * tweens), each standing for `weight` sample pixels: the free slots are chosen from them
   * and the samples' pixels together.
   */
  between?: readonly WeightedColor[];
}

/** A colour and how many sample pixels it stands for. */
export interface WeightedColor {
  color: RGB;
  weight: number;
  /**
   * Taken only into slots no other colour needs (farthest-first among such colours): the
   * many blends of a fade over a chart's other colours, which must not crowd out the rest.
   */
  spare?: boolean;
}

export interface Palette {
  /** Palette colours; index 0 is the background and the required colours follow in order. */
  readonly colors: readonly RGB[];
  readonly background: RGB;
  /** Whether colours the palette does not hold are dithered (ordered, Bayer 8×8). */
  readonly dither: boolean;
  /**
   * Writes each pixel's nearest palette index into `out` (one byte per pixel). A colour that is in
   * the palette always maps to its own index. Dithered, a colour it does not hold maps to one
   * of two entries by the pixel's place in the frame, whose rows are `width` pixels.
   */
  indexFrame(rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array, width?: number): void;
}

interface GifencQuantizer {
  quantize(rgba: Uint8Array, maxColors: number, options?: { format?: 'rgb565' }): number[][];
}

// gifenc ships CommonJS without type declarations; require it and state the part we use.
const { quantize } = createRequire(import.meta.url)('gifenc') as GifencQuantizer;

const WHITE: RGB = [255, 255, 255];
const GIF_MAX_COLORS = 256;

export function buildPalette({
  requiredColors = [],
  sample,
  maxColors = GIF_MAX_COLORS,
  background = WHITE,
  spareSlot = false,
  between = [],
  dither = false,
}: PaletteOptions): Palette {
  if (!Number.isInteger(maxColors) || maxColors < 1 || maxColors > GIF_MAX_COLORS) {
    throw new RangeError(
      `maxColors must be an integer from 1 to ${GIF_MAX_COLORS}, got ${maxColors}`,
    );
  }
  for (const color of [background, ...requiredColors]) assertRgb(color);

  const colors: RGB[] = [];
  const present = new Set<number>();
  const add = (color: RGB): void => {
    const key = packRgb(color[0], color[1], color[2]);
    if (present.has(key)) return;
    present.add(key);
    colors.push([color[0], color[1], color[2]]);
  };
  add(background);
  requiredColors.forEach(add);
  if (colors.length > maxColors) {
    throw new RangeError(
      `The chart needs ${colors.length} exact colours (background + colour scales) but the ` +
        `palette holds at most ${maxColors}.`,
    );
  }

  const freeSlots = maxColors - (spareSlot ? 1 : 0) - colors.length;
  if (freeSlots > 0) {
    for (const color of leftoverColors(sample, colors, background, freeSlots, between)) add(color);
  }
  return createPalette(colors, background, dither);
}

/**
 * Colours for the free slots, from sample pixels and the colours between the samples that
 * are not already in the palette: the distinct colours themselves when they fit (exact);
 * otherwise most slots from a gifenc (pairwise-nearest-neighbour) quantization, which
 * follows where pixels are many, and the rest chosen one at a time as the colour farthest
 * from every entry so far, which bounds the error of the few pixels (a fade's
 * in-between shades, anti-aliased edges) that quantization merges away.
 */
const QUANTIZE_SAMPLE_PIXELS = 120_000;

/** Spare colours this near an entry (Euclidean, in levels) take no slot. */
const SPARE_WITHIN = 6;

/** The share of quantized slots given to the farthest colours. */
const FARTHEST_SHARE = 0.375;

function leftoverColors(
  sample: RasterFrame[],
  present: readonly RGB[],
  background: RGB,
  freeSlots: number,
  between: readonly WeightedColor[],
): RGB[] {
  const presentKeys = new Set(present.map((c) => packRgb(c[0], c[1], c[2])));
  const totalPixels = sample.reduce((sum, frame) => sum + frame.width * frame.height, 0);
  // Quantizing is O(pixels): a strided subsample of at most ~120k pixels keeps the palette
  // representative while building it in tens of milliseconds, not a second.
  const stride = Math.max(1, Math.ceil(totalPixels / QUANTIZE_SAMPLE_PIXELS)) * 4;
  const sampled = Math.ceil(totalPixels / (stride / 4)) + sample.length;
  const spare = between.filter((c) => c.spare);
  between = between.filter((c) => !c.spare);
  const betweenWeight = between.reduce((sum, c) => sum + c.weight, 0);
  // The colours between weigh at most as much as the sampled pixels, so the frames shown
  // keep their share of the palette.
  const betweenScale = betweenWeight > sampled ? sampled / betweenWeight : 1;
  const betweenCopies = between.map((c) => Math.max(1, Math.round(c.weight * betweenScale)));
  // Packed little-endian RGBA with alpha 255, the layout gifenc's quantize reads as Uint32.
  const pixels = new Uint32Array(sampled + betweenCopies.reduce((sum, n) => sum + n, 0));
  let count = 0;
  const distinct = new Set<number>();
  const push = (r: number, g: number, b: number): void => {
    const key = packRgb(r, g, b);
    if (presentKeys.has(key)) return;
    distinct.add(key);
    pixels[count++] = (0xff << 24) | (b << 16) | (g << 8) | r;
  };
  for (const frame of sample) {
    assertFrame(frame);
    const { rgba } = frame;
    for (let j = 0; j < rgba.length; j += stride) {
      let r = rgba[j];
      let g = rgba[j + 1];
      let b = rgba[j + 2];
      const a = rgba[j + 3];
      if (a !== 255) {
        r = blend(r, background[0], a);
        g = blend(g, background[1], a);
        b = blend(b, background[2], a);
      }
      push(r, g, b);
    }
  }
  between.forEach(({ color: [r, g, b] }, i) => {
    for (let k = 0; k < betweenCopies[i]; k++) push(r, g, b);
  });
  if (distinct.size <= freeSlots) {
    const exact = [...distinct].sort((a, b) => a - b).map(unpackRgb);
    const room = freeSlots - exact.length;
    if (room === 0 || spare.length === 0) return exact;
    // Heaviest first (the blends over the most frequent colours), each weight's colours
    // farthest-first until every one is within SPARE_WITHIN of an entry.
    const chosen = [...present, ...exact];
    const weights = [...new Set(spare.map((c) => c.weight))].sort((a, b) => b - a);
    for (const weight of weights) {
      const candidates = new Set<number>();
      for (const c of spare) {
        if (c.weight !== weight) continue;
        const key = packRgb(c.color[0], c.color[1], c.color[2]);
        if (!presentKeys.has(key) && !distinct.has(key)) candidates.add(key);
      }
      const room = freeSlots - (chosen.length - present.length);
      if (room <= 0) break;
      chosen.push(...farthestColors(candidates, chosen, room, SPARE_WITHIN ** 2));
    }
    return chosen.slice(present.length);
  }

  const farthest = Math.floor(freeSlots * FARTHEST_SHARE);
  const bytes = new Uint8Array(pixels.buffer, 0, count * 4);
  // gifenc may return fewer colours than asked, or one already present: the farthest
  // colours fill every slot left.
  const quantized = new Map<number, RGB>();
  for (const [r, g, b] of quantize(bytes, freeSlots - farthest, { format: 'rgb565' })) {
    const key = packRgb(r, g, b);
    if (!presentKeys.has(key)) quantized.set(key, [r, g, b]);
  }
  const chosen = [...quantized.values()];
  return [
    ...chosen,
    ...farthestColors(distinct, [...present, ...chosen], freeSlots - chosen.length),
  ];
}

/**
 * `n` colours of `candidates`, each in turn the one farthest from the palette so far
 * (`chosen`, then the colours picked before it): greedy k-centre, which keeps the largest
 * distance from any candidate to its nearest entry within twice the least possible.
 * Candidates are first merged into rgb555 cells (their mean), which bounds the work. Stops
 * early once every candidate is within squared distance `within` of an entry.
 */
function farthestColors(
  candidates: ReadonlySet<number>,
  chosen: readonly RGB[],
  n: number,
  within = 0,
): RGB[] {
  const cells = new Map<number, [number, number, number, number]>();
  for (const key of candidates) {
    const r = (key >> 16) & 0xff;
    const g = (key >> 8) & 0xff;
    const b = key & 0xff;
    const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const sum = cells.get(cell);
    if (sum) {
      sum[0] += r;
      sum[1] += g;
      sum[2] += b;
      sum[3]++;
    } else cells.set(cell, [r, g, b, 1]);
  }
  // Cells in key order: the result does not depend on the order pixels came in.
  const order = [...cells.keys()].sort((a, b) => a - b);
  const m = order.length;
  const cr = new Int32Array(m);
  const cg = new Int32Array(m);
  const cb = new Int32Array(m);
  order.forEach((cell, i) => {
    const [r, g, b, k] = cells.get(cell)!;
    cr[i] = Math.round(r / k);
    cg[i] = Math.round(g / k);
    cb[i] = Math.round(b / k);
  });
  const nearest = new Float64Array(m).fill(Infinity);
  const closer = (r: number, g: number, b: number): void => {
    for (let i = 0; i < m; i++) {
      const dr = cr[i] - r;
      const dg = cg[i] - g;
      const db = cb[i] - b;
      const d = dr * dr + dg * dg + db * db;
      if (d < nearest[i]) nearest[i] = d;
    }
  };
  for (const [r, g, b] of chosen) closer(r, g, b);
  const out: RGB[] = [];
  const taken = new Set(chosen.map((c) => packRgb(c[0], c[1], c[2])));
  while (out.length < n) {
    let best = -1;
    for (let i = 0; i < m; i++)
      if (nearest[i] > within && (best < 0 || nearest[i] > nearest[best])) best = i;
    if (best < 0) break; // every candidate is an entry, or near enough
    const color: RGB = [cr[best], cg[best], cb[best]];
    nearest[best] = 0;
    const key = packRgb(color[0], color[1], color[2]);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push(color);
    closer(color[0], color[1], color[2]);
  }
  return out;
}

/** What an animation draws between its sampled frames (see `AnimationJob.between`). */
export interface Tones {
  opacities: readonly number[];
  mixes: readonly number[];
}

/** Sample colours taken as a chart's mark colours: the most frequent, at most this many. */
const MOST_BASES = 32;
/** Sample colours a fading mark is blended over (gridlines, axes, marks under it), at most. */
const MOST_GROUNDS = 8;
/** Scale colours layered over one another in pairs, at most. */
const MOST_LAYERED = 12;
/** Colour pairs mixed, at most: beyond, fewer fractions per pair. */
const MOST_MIXED = 4096;

/**
 * The colours fades, trails and colour tweens make from a chart's colours: each colour over
 * the background at each opacity, each pair of scale colours mixed at each fraction. A
 * chart's colours are its scale colours and its samples' most frequent colours (a mark's
 * own opacity is in what the samples show). Each stands for as many pixels as its colour
 * covers in a sample frame, the area a fading or mixed mark covers. Each colour at each
 * opacity over the samples' most frequent other colours (where a fading mark crosses a
 * gridline, an axis or another mark) is a spare colour: it fills only slots left over.
 */
export function colorsBetween(
  sample: readonly RasterFrame[],
  scaleColors: readonly RGB[],
  background: RGB,
  tones: Tones,
): WeightedColor[] {
  if (tones.opacities.length === 0 && tones.mixes.length === 0) return [];
  // Pixels counted as leftoverColors samples them (strided), each standing for `stride`.
  const totalPixels = sample.reduce((sum, frame) => sum + frame.width * frame.height, 0);
  const stride = Math.max(1, Math.ceil(totalPixels / QUANTIZE_SAMPLE_PIXELS));
  const counts = new Map<number, number>();
  for (const frame of sample) {
    const bytes = frame.rgba;
    for (let j = 0; j < bytes.length; j += stride * 4) {
      if (bytes[j + 3] !== 255) continue;
      const key = packRgb(bytes[j], bytes[j + 1], bytes[j + 2]);
      counts.set(key, (counts.get(key) ?? 0) + stride);
    }
  }
  const backgroundKey = packRgb(background[0], background[1], background[2]);
  const perFrame = (key: number) => Math.max(1, Math.round((counts.get(key) ?? 0) / sample.length));
  const frequent = [...counts]
    .filter(([key]) => key !== backgroundKey)
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, MOST_BASES)
    .map(([key]) => key);
  const scaleKeys = [...new Set(scaleColors.map((c) => packRgb(c[0], c[1], c[2])))].filter(
    (key) => key !== backgroundKey,
  );
  const bases = [...new Set([...scaleKeys, ...frequent])];
  const out = new Map<number, number>();
  const spare = new Map<number, number>();
  const put = (r: number, g: number, b: number, weight: number) => {
    const key = packRgb(r, g, b);
    out.set(key, Math.max(out.get(key) ?? 0, weight));
  };
  const [bgR, bgG, bgB] = background;
  for (const base of bases) {
    const [r, g, b] = unpackRgb(base);
    const weight = perFrame(base);
    for (const o of tones.opacities) {
      const a = Math.round(o * 255);
      put(blend(r, bgR, a), blend(g, bgG, a), blend(b, bgB, a), weight);
    }
  }
  const grounds = frequent.slice(0, MOST_GROUNDS);
  const overs = [...new Set([...scaleKeys, ...grounds])];
  for (const ground of grounds) {
    const [gr, gg, gb] = unpackRgb(ground);
    for (const over of overs) {
      if (over === ground) continue;
      // The two colours meet over at most the smaller one's area.
      const weight = Math.min(perFrame(over), perFrame(ground));
      const [r, g, b] = unpackRgb(over);
      for (const o of tones.opacities) {
        const a = Math.round(o * 255);
        const key = packRgb(blend(r, gr, a), blend(g, gg, a), blend(b, gb, a));
        spare.set(key, Math.max(spare.get(key) ?? 0, weight));
      }
    }
  }
  // Trail copies and fading marks over one another: each of a few scale colours at an
  // opacity over another at an opacity (eighths of the opacities used, at most).
  if (tones.opacities.length > 0 && scaleKeys.length <= MOST_LAYERED) {
    const few = tones.opacities.filter((_, k) => k % Math.ceil(tones.opacities.length / 8) === 0);
    for (const under of scaleKeys)
      for (const over of scaleKeys) {
        if (under === over) continue;
        const [ur, ug, ub] = unpackRgb(under);
        const [or, og, ob] = unpackRgb(over);
        for (const u of few) {
          const ua = Math.round(u * 255);
          const [r, g, b] = [blend(ur, bgR, ua), blend(ug, bgG, ua), blend(ub, bgB, ua)];
          for (const o of [...few, 1]) {
            const oa = Math.round(o * 255);
            put(blend(or, r, oa), blend(og, g, oa), blend(ob, b, oa), 1);
          }
        }
      }
  }
  const pairs = (scaleKeys.length * (scaleKeys.length - 1)) / 2;
  const step = Math.max(1, Math.ceil((pairs * tones.mixes.length) / MOST_MIXED));
  for (let i = 0; i < scaleKeys.length; i++)
    for (let j = i + 1; j < scaleKeys.length; j++) {
      const [r0, g0, b0] = unpackRgb(scaleKeys[i]);
      const [r1, g1, b1] = unpackRgb(scaleKeys[j]);
      const weight = Math.min(perFrame(scaleKeys[i]), perFrame(scaleKeys[j]));
      for (let k = 0; k < tones.mixes.length; k += step) {
        const t = tones.mixes[k];
        // As mixColors in render/tween.ts (d3's interpolateRgb): rounded per channel.
        const r = Math.round(r0 + (r1 - r0) * t);
        const g = Math.round(g0 + (g1 - g0) * t);
        const b = Math.round(b0 + (b1 - b0) * t);
        put(r, g, b, weight);
        // A mixed mark's anti-aliased edges: the mix over the background at eighths.
        for (let a = 32; a < 255; a += 32)
          put(blend(r, bgR, a), blend(g, bgG, a), blend(b, bgB, a), 1);
      }
    }
  for (const key of out.keys()) spare.delete(key);
  return [
    ...[...out].map(([key, weight]) => ({ color: unpackRgb(key), weight })),
    ...[...spare].map(([key, weight]) => ({ color: unpackRgb(key), weight, spare: true })),
  ];
}

/** What rebuilds a palette in another thread: its colours and how it maps. */
export interface PaletteColors {
  colors: RGB[];
  background: RGB;
  dither?: boolean;
}

/** A palette with exactly these colours (index 0 the background), e.g. rebuilt in a worker. */
export function paletteFromColors(
  colors: readonly RGB[],
  background: RGB,
  dither = false,
): Palette {
  return createPalette(
    colors.map((c) => [c[0], c[1], c[2]]),
    background,
    dither,
  );
}

/**
 * The Bayer 8×8 threshold of each place (row-major): a colour drawn a fraction k/64 of the
 * way from one entry to another takes the second at the k places of lowest threshold, which
 * spreads them evenly over every 8×8 block.
 */
const BAYER_8 = (() => {
  const out = new Uint8Array(64);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      let v = 0;
      for (let bit = 0, xy = x ^ y; bit < 3; bit++)
        v |= (((xy >> bit) & 1) << (5 - 2 * bit)) | (((y >> bit) & 1) << (4 - 2 * bit));
      out[y * 8 + x] = v;
    }
  return out;
})();

/**
 * Colours nearer than this (on every channel) to their nearest entry are not dithered: the
 * pattern would cost more than it shows.
 */
const DITHER_FROM = 6;

/**
 * Entries further apart than this (on some channel) are not mixed: a pattern of far colours
 * (an anti-aliased edge as black and white) reads as noise, not as the colour between.
 */
const DITHER_SPAN = 48;

function createPalette(colors: RGB[], background: RGB, dither: boolean): Palette {
  const paletteR = Int32Array.from(colors, (c) => c[0]);
  const paletteG = Int32Array.from(colors, (c) => c[1]);
  const paletteB = Int32Array.from(colors, (c) => c[2]);

  // Palette colours map to themselves exactly: a small open-addressing table of their
  // 24-bit keys (at most 256 in 1,024 slots, so a miss ends at the first or second slot).
  const exactKey = new Int32Array(1024).fill(-1);
  const exactIndex = new Uint16Array(1024);
  const slot = (key: number) => (Math.imul(key, 0x9e3779b1) >>> 22) & 1023;
  colors.forEach((c, i) => {
    const key = packRgb(c[0], c[1], c[2]);
    let h = slot(key);
    while (exactKey[h] !== -1 && exactKey[h] !== key) h = (h + 1) & 1023;
    if (exactKey[h] === -1) {
      exactKey[h] = key;
      exactIndex[h] = i;
    }
  });
  // Every other colour: its nearest entry, searched among the few entries that can be
  // nearest to any colour of its rgb555 bucket (found once per bucket), so anti-aliased
  // blends and a fade's shades cost a short search each. The result is the nearest entry
  // to the colour itself (the first of equals), a pure function of it, so the mapping is
  // the same whatever order colours arrive in (worker threads see different ones). 128 KB
  // that stay in cache, where a 24-bit table (32 MB per thread) misses it.
  // bucketEntry: 0 not yet known, index + 1 when one entry is nearest to all of the
  // bucket, −(start + 1) of its candidates in `bucketLists` (a count, then the indices).
  const bucketEntry = new Int32Array(1 << 15);
  let bucketLists = new Uint8Array(4096);
  let listsEnd = 0;
  const boxDistance = new Int32Array(colors.length);
  const bucketCandidates = (bucket: number): number => {
    // The bucket's box: [lo, lo + 7] on each axis. An entry can be nearest to a colour of
    // it only if its least distance to the box is within the greatest distance from some
    // one entry to the box (that entry is at least that near to every colour of it).
    const lr = (bucket >> 10) << 3;
    const lg = ((bucket >> 5) & 31) << 3;
    const lb = (bucket & 31) << 3;
    const n = paletteR.length;
    const least = boxDistance;
    let bound = Infinity;
    const hr = lr + 7;
    const hg = lg + 7;
    const hb = lb + 7;
    for (let i = 0; i < n; i++) {
      const r = paletteR[i];
      const g = paletteG[i];
      const b = paletteB[i];
      const nr = r < lr ? lr - r : r > hr ? r - hr : 0;
      const ng = g < lg ? lg - g : g > hg ? g - hg : 0;
      const nb = b < lb ? lb - b : b > hb ? b - hb : 0;
      least[i] = nr * nr + ng * ng + nb * nb;
      const fr = r - lr > hr - r ? r - lr : hr - r;
      const fg = g - lg > hg - g ? g - lg : hg - g;
      const fb = b - lb > hb - b ? b - lb : hb - b;
      const most = fr * fr + fg * fg + fb * fb;
      if (most < bound) bound = most;
    }
    let count = 0;
    let only = 0;
    for (let i = 0; i < n; i++)
      if (least[i] <= bound) {
        count++;
        only = i;
      }
    if (count === 1) return only + 1;
    if (listsEnd + count + 1 > bucketLists.length) {
      const grown = new Uint8Array(Math.max(bucketLists.length * 2, listsEnd + count + 1));
      grown.set(bucketLists);
      bucketLists = grown;
    }
    const start = listsEnd;
    bucketLists[listsEnd++] = count - 1; // count − 1: 256 candidates fit a byte
    for (let i = 0; i < n; i++) if (least[i] <= bound) bucketLists[listsEnd++] = i;
    return -(start + 1);
  };
  // Whole RGBA words seen lately → index + 1 (0: empty). The mapping is a pure function of
  // the word, so what the cache holds never changes a result. Made on first use: with
  // palette.wat the cache lives in its memory instead.
  let wordCacheKey: Uint32Array | undefined;
  let wordCacheIndex: Uint16Array | undefined;
  const [bgR, bgG, bgB] = background;
  /** The nearest entry to an opaque colour (the first of equals). */
  const nearestOpaque = (r: number, g: number, b: number): number => {
    const key = (r << 16) | (g << 8) | b;
    let h = slot(key);
    while (exactKey[h] !== -1 && exactKey[h] !== key) h = (h + 1) & 1023;
    if (exactKey[h] === key) return exactIndex[h];
    const bucket = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    let entry = bucketEntry[bucket];
    if (entry === 0) entry = bucketEntry[bucket] = bucketCandidates(bucket);
    if (entry > 0) return entry - 1;
    const start = -entry - 1;
    const end = start + 2 + bucketLists[start];
    let best = 0;
    let bestDistance = Infinity;
    for (let k = start + 1; k < end; k++) {
      const i = bucketLists[k];
      const dr = paletteR[i] - r;
      const dg = paletteG[i] - g;
      const db = paletteB[i] - b;
      const distance = dr * dr + dg * dg + db * db;
      // Strict < over candidates in index order keeps the first of equal entries.
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  };
  const lookup = (r: number, g: number, b: number, a: number): number => {
    if (a !== 255) {
      r = blend(r, bgR, a);
      g = blend(g, bgG, a);
      b = blend(b, bgB, a);
    }
    return nearestOpaque(r, g, b);
  };
  const lookupWord = (word: number): number =>
    lookup(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
  let wasmIndexer: WasmIndexer | null | undefined;

  /**
   * A colour's dithering: its nearest entry, the entry it is mixed with and in how many of
   * 64 places (0: none), packed as near | other << 8 | places << 16. The other entry is the
   * one whose line from the nearest passes closest to the colour; a colour the palette
   * holds, or nearly, is not mixed.
   */
  /** The entries other than `near`, in index order, within DITHER_SPAN of it. */
  const mixableWith = (near: number): Uint8Array => {
    const out: number[] = [];
    for (let i = 0; i < paletteR.length; i++) {
      const span = Math.max(
        Math.abs(paletteR[i] - paletteR[near]),
        Math.abs(paletteG[i] - paletteG[near]),
        Math.abs(paletteB[i] - paletteB[near]),
      );
      if (span > 0 && span <= DITHER_SPAN) out.push(i);
    }
    return Uint8Array.from(out);
  };
  const mixable: (Uint8Array | undefined)[] = [];
  const mixPlan = (r: number, g: number, b: number): number => {
    const near = nearestOpaque(r, g, b);
    const nr = paletteR[near];
    const ng = paletteG[near];
    const nb = paletteB[near];
    const er = r - nr;
    const eg = g - ng;
    const eb = b - nb;
    if (Math.max(Math.abs(er), Math.abs(eg), Math.abs(eb)) < DITHER_FROM) return near;
    const alone = er * er + eg * eg + eb * eb;
    let other = near;
    // A mix must come nearer the colour than a third of its squared error alone.
    let best = alone / 3;
    let share = 0;
    const partners = (mixable[near] ??= mixableWith(near));
    for (let k = 0; k < partners.length; k++) {
      const i = partners[k];
      const dr = paletteR[i] - nr;
      const dg = paletteG[i] - ng;
      const db = paletteB[i] - nb;
      const length = dr * dr + dg * dg + db * db;
      const along = er * dr + eg * dg + eb * db;
      if (along <= 0) continue;
      const t = Math.min(1, along / length);
      const rr = er - t * dr;
      const rg = eg - t * dg;
      const rb = eb - t * db;
      const residual = rr * rr + rg * rg + rb * rb;
      if (residual < best) {
        best = residual;
        other = i;
        share = t;
      }
    }
    const places = Math.round(share * 64);
    return places === 0 ? near : near | (other << 8) | (places << 16);
  };
  let ditherKeys: Uint32Array | undefined;
  let ditherPlans: Int32Array | undefined;
  /** Dithered mapping: each pixel's plan (through a cache of words), then its place's pick. */
  const indexDithered = (
    rgba: Uint8Array | Uint8ClampedArray,
    out: Uint8Array,
    width: number,
  ): void => {
    const keys = (ditherKeys ??= new Uint32Array(1 << (32 - WORD_CACHE_SHIFT)));
    const plans = (ditherPlans ??= new Int32Array(1 << (32 - WORD_CACHE_SHIFT)).fill(-1));
    let lastWord = -1;
    let plan = 0;
    const height = out.length / width;
    for (let y = 0, i = 0; y < height; y++) {
      const row = BAYER_8.subarray((y & 7) << 3, ((y & 7) << 3) + 8);
      for (let x = 0; x < width; x++, i++) {
        const j = i << 2;
        const word =
          ((rgba[j + 3] << 24) | (rgba[j + 2] << 16) | (rgba[j + 1] << 8) | rgba[j]) >>> 0;
        if (word !== lastWord) {
          lastWord = word;
          const h = Math.imul(word, 0x9e3779b1) >>> WORD_CACHE_SHIFT;
          if (plans[h] >= 0 && keys[h] === word) plan = plans[h];
          else {
            let r = rgba[j];
            let g = rgba[j + 1];
            let b = rgba[j + 2];
            const a = rgba[j + 3];
            if (a !== 255) {
              r = blend(r, bgR, a);
              g = blend(g, bgG, a);
              b = blend(b, bgB, a);
            }
            plan = mixPlan(r, g, b);
            keys[h] = word;
            plans[h] = plan;
          }
        }
        out[i] = plan < 256 || row[x & 7] >= plan >>> 16 ? plan & 0xff : (plan >>> 8) & 0xff;
      }
    }
  };

  return {
    colors,
    background,
    dither,
    indexFrame(rgba, out, width) {
      if (out.length * 4 !== rgba.length) {
        throw new RangeError(`indexFrame: ${rgba.length / 4} pixels but ${out.length} index slots`);
      }
      if (dither) {
        if (width === undefined || !Number.isInteger(width) || width < 1 || out.length % width)
          throw new RangeError(`indexFrame: dithering needs the frame's width, got ${width}`);
        indexDithered(rgba, out, width);
        return;
      }
      if (wasmIndexer === undefined)
        wasmIndexer = LITTLE_ENDIAN ? createWasmIndexer(lookupWord) : null;
      if (wasmIndexer) {
        wasmIndexer(rgba, out);
        return;
      }
      // (palette.wat runs this same loop.)
      // Charts are mostly runs of one colour: comparing each pixel's four bytes, as one word,
      // with the previous pixel's skips the lookup. Other pixels (anti-aliased edges of many
      // points) repeat across a frame: a direct-mapped cache of whole words answers most.
      let lastIndex = 0;
      let lastWord = -1; // no word equals it: words are unsigned
      if (rgba.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
        const keys = (wordCacheKey ??= new Uint32Array(1 << (32 - WORD_CACHE_SHIFT)));
        const indices = (wordCacheIndex ??= new Uint16Array(1 << (32 - WORD_CACHE_SHIFT)));
        const words = new Uint32Array(rgba.buffer, rgba.byteOffset, out.length);
        for (let i = 0; i < out.length; i++) {
          const word = words[i];
          if (word !== lastWord) {
            lastWord = word;
            const h = Math.imul(word, 0x9e3779b1) >>> WORD_CACHE_SHIFT;
            if (indices[h] !== 0 && keys[h] === word) lastIndex = indices[h] - 1;
            else {
              lastIndex = lookup(
                word & 0xff,
                (word >>> 8) & 0xff,
                (word >>> 16) & 0xff,
                word >>> 24,
              );
              keys[h] = word;
              indices[h] = lastIndex + 1;
            }
          }
          out[i] = lastIndex;
        }
        return;
      }
      for (let i = 0, j = 0; i < out.length; i++, j += 4) {
        const word =
          ((rgba[j + 3] << 24) | (rgba[j + 2] << 16) | (rgba[j + 1] << 8) | rgba[j]) >>> 0;
        if (word !== lastWord) {
          lastWord = word;
          lastIndex = lookup(rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]);
        }
        out[i] = lastIndex;
      }
    },
  };
}

type WasmIndexer = (rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array) => void;

/**
 * palette.wat's memory: its word cache (384 KiB), then a strip of a frame's pixels and their
 * indices. Strips of 64 Ki pixels keep it at ~0.7 MiB whatever the frame size (the mapping
 * is per pixel, so strips give the same indices).
 */
const WASM_PIXELS_AT = 384 << 10;
const WASM_STRIP_PIXELS = 64 << 10;

/**
 * indexFrame's loop in WebAssembly (palette.wat), with `lookup` for the words its cache
 * misses, or null without the kernel. It maps a frame in less time than the JavaScript loop.
 */
function createWasmIndexer(lookup: (word: number) => number): WasmIndexer | null {
  const module = wasmModule('palette');
  if (!module) return null;
  const { memory, index } = new WebAssembly.Instance(module, { palette: { lookup } })
    .exports as unknown as {
    memory: WebAssembly.Memory;
    index(rgbaAt: number, n: number, outAt: number): void;
  };
  const outAt = WASM_PIXELS_AT + WASM_STRIP_PIXELS * 4;
  memory.grow(Math.ceil((outAt + WASM_STRIP_PIXELS - memory.buffer.byteLength) / 65536));
  const pixels = new Uint8Array(memory.buffer, WASM_PIXELS_AT, WASM_STRIP_PIXELS * 4);
  const indices = new Uint8Array(memory.buffer, outAt, WASM_STRIP_PIXELS);
  return (rgba, out) => {
    for (let from = 0; from < out.length; from += WASM_STRIP_PIXELS) {
      const n = Math.min(WASM_STRIP_PIXELS, out.length - from);
      pixels.set(rgba.subarray(from * 4, (from + n) * 4));
      index(WASM_PIXELS_AT, n, outAt);
      out.set(n === WASM_STRIP_PIXELS ? indices : indices.subarray(0, n), from);
    }
  };
}

/**
 * 2^(32 − this) entries in the word cache: 65,536, 384 KB with their indices, which map
 * the benchmarks' frames 15–20% faster than 32,768.
 */
const WORD_CACHE_SHIFT = 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `frame` mapped to `palette`: its indices only (a quarter of its RGBA bytes). */
export function indexedFrame(palette: Palette, frame: RasterFrame): RasterFrame {
  const indexed = new Uint8Array(frame.width * frame.height);
  palette.indexFrame(frame.rgba, indexed, frame.width);
  return { width: frame.width, height: frame.height, rgba: new Uint8Array(0), indexed };
}

/** Straight-alpha "over" onto an opaque background, rounded to the nearest byte. */
function blend(channel: number, backgroundChannel: number, alpha: number): number {
  return ((channel * alpha + backgroundChannel * (255 - alpha) + 127) / 255) | 0;
}

function packRgb(r: number, g: number, b: number): number {
  return (r << 16) | (g << 8) | b;
}

function unpackRgb(key: number): RGB {
  return [(key >> 16) & 0xff, (key >> 8) & 0xff, key & 0xff];
}

function assertRgb(color: RGB): void {
  if (color.length !== 3 || !color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw new RangeError(`Palette colours must be [r, g, b] integers 0–255, got [${color}]`);
  }
}

function assertFrame(frame: RasterFrame): void {
  if (frame.rgba.length !== frame.width * frame.height * 4) {
    throw new RangeError(
      `Frame is ${frame.width}×${frame.height} but has ${frame.rgba.length} bytes, not ${frame.width * frame.height * 4}`,
    );
  }
}
