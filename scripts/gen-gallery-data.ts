/**
 * Data for the gallery (docs/gallery.md). Small files are committed in specs/data/; the two
 * large ones are generated on demand (`npm run gallery-data`), deterministic on every machine:
 *
 *   tsx scripts/gen-gallery-data.ts small                 # digit tiles, weights.npy, waves.npy, coin flips (committed)
 *   tsx scripts/gen-gallery-data.ts coin-flips            # coin-flips.csv alone
 *   tsx scripts/gen-gallery-data.ts labelprop OUT.csv [points] [frames]   # + labelprop-seeds.csv beside it
 *   tsx scripts/gen-gallery-data.ts umap OUT.csv [points] [epochs]   # = gen-data.ts umap
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas } from 'canvas';
import { registerFonts } from '../src/render/fonts.js';
import { rng, writeMatrixNpy, writeUmap, writeWeightsMatrix } from './gen-data.js';

const DATA = new URL('../specs/data/', import.meta.url).pathname;
const lines = (header: string, rows: (string | number)[][]) =>
  [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';

/** A glyph drawn in DejaVu Sans on a size×size canvas: alpha per pixel, row-major, 0–1. */
function glyph(text: string, size: number, font: string): Float64Array {
  registerFonts();
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#000';
  ctx.fillText(text, size / 2, size / 2 + 1);
  const data = ctx.getImageData(0, 0, size, size).data;
  return Float64Array.from({ length: size * size }, (_, i) => data[i * 4 + 3] / 255);
}

/** One example image per digit, 28×28 like MNIST (drawn, since no download is allowed). */
function digitTiles(): string {
  const rows: (string | number)[][] = [];
  for (let d = 0; d <= 9; d++) {
    const a = glyph(String(d), 28, 'bold 24px "DejaVu Sans"');
    a.forEach((v, i) => v > 0.02 && rows.push([d, Math.floor(i / 28), i % 28, +v.toFixed(3)]));
  }
  return lines('digit,row,col,value', rows);
}

/**
 * The chance of at least half heads in k flips of a coin whose heads come with probability
 * p = e^x: the sum over i from floor(k/2) to k of C(k, i) p^i (1 − p)^(k − i), for
 * k = 2, 4, …, 1024 and x at numpy's linspace(-5, 0, 100). Each term is taken in log space
 * (log C(k, i) from summed logs, log(1 − p) as log(−expm1(x)), exact near p = 1) and the
 * terms are summed by log-sum-exp, so no term's factors over- or underflow on the way.
 */
export function coinFlips(): string {
  const K = Array.from({ length: 10 }, (_, i) => 2 ** (i + 1));
  const logFact = [0];
  for (let n = 1; n <= 1024; n++) logFact.push(logFact[n - 1] + Math.log(n));
  const rows: (string | number)[][] = [];
  for (const k of K)
    for (let j = 0; j < 100; j++) {
      // numpy's linspace: j * step + start, the last value exactly the stop.
      const x = j === 99 ? 0 : j * (5 / 99) - 5;
      const logTail = Math.log(-Math.expm1(x)); // log(1 − p); −Infinity at p = 1
      const terms: number[] = [];
      for (let i = Math.floor(k / 2); i <= k; i++)
        terms.push(
          logFact[k] - logFact[i] - logFact[k - i] + i * x + (i === k ? 0 : (k - i) * logTail),
        );
      const top = Math.max(...terms);
      const p =
        top === -Infinity ? 0 : Math.exp(top) * terms.reduce((s, t) => s + Math.exp(t - top), 0);
      // 8 decimals written out (never an exponent), trailing zeros dropped.
      const text = Math.min(1, p).toFixed(8);
      rows.push([k, x, text.replace(/\.?0+$/, '')]);
    }
  return lines('k,log_bias,probability', rows);
}

/** A little-endian float64 .npy file of a 3-D array (frames × rows × cols). */
function npy(shape: [number, number, number], values: Float64Array): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]);
}

const NEIGHBOURS = [
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, 0.5],
  [1, -1, 0.5],
  [-1, 1, 0.5],
  [-1, -1, 0.5],
];

/**
 * Label propagation on a single-cell-like map: n points in 14 clusters at fixed positions;
 * heat spreads from two seed points along occupied cells of a 160×160 grid (so it follows
 * the clusters); per frame, each point's diffusion value and its rank, quantile-normalised
 * as scipy's rankdata(value) / n does (ties share their average rank).
 */
export function writeLabelpropGallery(path: string, n = 200000, frames = 18, seed = 11): void {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const centres = Array.from({ length: 14 }, () => [-8 + r() * 24, -8 + r() * 24]);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[Math.floor(r() * 14)];
    xs[i] = cx + gauss() * 1.2;
    ys[i] = cy + gauss() * 1.2;
  }
  const G = 160;
  const [x0, x1, y0, y1] = [-14, 22, -14, 22];
  const cellOf = (i: number) => {
    const gx = Math.min(G - 1, Math.max(0, Math.floor(((xs[i] - x0) / (x1 - x0)) * G)));
    const gy = Math.min(G - 1, Math.max(0, Math.floor(((ys[i] - y0) / (y1 - y0)) * G)));
    return gy * G + gx;
  };
  const cell = Int32Array.from({ length: n }, (_, i) => cellOf(i));
  const occupied = new Uint8Array(G * G);
  cell.forEach((c) => (occupied[c] = 1));
  const seeds = [cell[0], cell[1]];
  let heat = new Float64Array(G * G);
  const out: string[] = ['index,x,y,frame,value,rank,seed'];
  const order = new Uint32Array(n);
  const rank = new Float64Array(n);
  const value = new Float64Array(n);
  for (let f = 0; f < frames; f++) {
    for (const s of seeds) heat[s] = 1;
    // Below 1e-4 counts as not reached (else any trace of heat outranks every zero).
    for (let i = 0; i < n; i++) value[i] = heat[cell[i]] < 1e-4 ? 0 : heat[cell[i]];
    // rankdata(value, 'average') / n
    order.forEach((_, i) => (order[i] = i));
    order.sort((a, b) => value[a] - value[b]);
    for (let k = 0; k < n;) {
      let j = k;
      while (j + 1 < n && value[order[j + 1]] === value[order[k]]) j++;
      const avg = (k + j) / 2 + 1;
      for (let m = k; m <= j; m++) rank[order[m]] = avg / n;
      k = j + 1;
    }
    for (let i = 0; i < n; i++)
      out.push(
        `${i},${xs[i].toFixed(4)},${ys[i].toFixed(4)},${f},${value[i].toExponential(4)},${rank[i].toFixed(5)},${i < 2 ? 1 : 0}`,
      );
    // Diffusion steps between frames, only through occupied cells (8 neighbours, diagonals
    // weighted less, for a rounder spread than 4 would give).
    for (let step = 0; step < 30; step++) {
      const next = heat.slice();
      for (let c = 0; c < G * G; c++) {
        if (!occupied[c]) continue;
        const [gx, gy] = [c % G, Math.floor(c / G)];
        let sum = 0;
        for (const [dx, dy, w] of NEIGHBOURS) {
          const [nx, ny] = [gx + dx, gy + dy];
          if (nx < 0 || ny < 0 || nx >= G || ny >= G) continue;
          const nc = ny * G + nx;
          if (occupied[nc]) sum += w * (heat[nc] - heat[c]);
        }
        next[c] = heat[c] + 0.15 * sum;
      }
      heat = next;
    }
  }
  writeFileSync(path, out.join('\n') + '\n');
  // The seeds apart, so their ring layer does not share (and slow) the 200k-point source.
  writeFileSync(
    join(dirname(path), 'labelprop-seeds.csv'),
    lines(
      'x,y',
      [0, 1].map((i) => [xs[i].toFixed(4), ys[i].toFixed(4)]),
    ),
  );
}

const [kind, outPath, ...args] = process.argv.slice(2);
const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (!isMain) {
  // imported by tests: no command line to run
} else if (kind === 'small') {
  writeFileSync(`${DATA}digit-tiles.csv`, digitTiles());
  const { values } = writeWeightsMatrix(30, 10, 20);
  writeFileSync(`${DATA}weights.npy`, npy([30, 10, 20], values));
  writeFileSync(`${DATA}coin-flips.csv`, coinFlips());
  writeMatrixNpy(`${DATA}waves.npy`, 20, 32);
} else if (kind === 'coin-flips') writeFileSync(`${DATA}coin-flips.csv`, coinFlips());
else if (kind === 'labelprop')
  writeLabelpropGallery(outPath, Number(args[0] ?? 200000), Number(args[1] ?? 18));
else if (kind === 'umap')
  await writeUmap(outPath, Number(args[0] ?? 30000), Number(args[1] ?? 200));
else {
  console.error(
    'usage: gen-gallery-data.ts small | coin-flips | labelprop OUT.csv [n] [frames] | umap OUT.csv [n] [epochs]',
  );
  process.exit(2);
}
