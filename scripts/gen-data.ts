/**
 * Deterministic generators for the bundled example and the benchmarks, shaped like the
 * peers' data (../shared/peers): W1 "umap-epochs" (index,x,y,digit,epoch: points easing
 * from uniform noise into 10 clusters) and W2 "weights" (frame,row,col,value).
 *
 *   tsx scripts/gen-data.ts umap OUT.csv [points] [epochs]
 *   tsx scripts/gen-data.ts weights OUT.csv [frames] [rows] [cols]
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, seeded, the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

async function writeLines(
  path: string,
  header: string,
  body: (emit: (line: string) => void) => void,
): Promise<void> {
  const out = createWriteStream(path);
  let buf: string[] = [header];
  const flush = async () => {
    if (!out.write(buf.join('\n') + '\n')) await once(out, 'drain');
    buf = [];
  };
  const lines: string[] = [];
  body((l) => lines.push(l));
  for (let i = 0; i < lines.length; i += 50000) {
    buf.push(...lines.slice(i, i + 50000));
    await flush();
  }
  out.end();
  await once(out, 'finish');
}

export async function writeUmap(path: string, n: number, epochs: number, seed = 42): Promise<void> {
  const r = rng(seed);
  const centres = Array.from({ length: 10 }, (_, d) => {
    const a = (2 * Math.PI * d) / 10 + (r() - 0.5) * 0.4;
    const rad = 0.3 + (r() - 0.5) * 0.12;
    return [0.5 + rad * Math.cos(a), 0.5 + rad * Math.sin(a)];
  });
  const pts = Array.from({ length: n }, () => {
    const digit = Math.floor(r() * 10);
    const [cx, cy] = centres[digit];
    return {
      digit,
      sx: r(),
      sy: r(),
      fx: cx + gauss(r) * 0.035,
      fy: cy + gauss(r) * 0.035,
      speed: 0.7 + r() * 0.8,
      ph: r() * 2 * Math.PI,
    };
  });
  const out = createWriteStream(path);
  out.write('index,x,y,digit,epoch\n');
  for (let e = 0; e < epochs; e++) {
    const u = epochs > 1 ? e / (epochs - 1) : 1;
    const lines: string[] = [];
    pts.forEach((p, i) => {
      const t = 1 - Math.pow(1 - u, 3 * p.speed);
      const wobble = 0.02 * (1 - u) * Math.sin(6 * u + p.ph);
      const x = p.sx + (p.fx - p.sx) * t + wobble;
      const y = p.sy + (p.fy - p.sy) * t - wobble;
      lines.push(`${i},${x.toFixed(5)},${y.toFixed(5)},${p.digit},${e}`);
    });
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * writeUmap's points as an Arrow IPC file of float32 positions (uint8 digit, int16 epoch),
 * the form large embeddings usually come in; 1M points × 100 epochs is 1.1 GB.
 */
export async function writeUmapArrow(
  path: string,
  n: number,
  epochs: number,
  seed = 42,
): Promise<void> {
  const { tableFromArrays, tableToIPC } = await import('apache-arrow');
  const r = rng(seed);
  const centres = Array.from({ length: 10 }, (_, d) => {
    const a = (2 * Math.PI * d) / 10 + (r() - 0.5) * 0.4;
    const rad = 0.3 + (r() - 0.5) * 0.12;
    return [0.5 + rad * Math.cos(a), 0.5 + rad * Math.sin(a)];
  });
  const digit = new Uint8Array(n);
  const start = new Float64Array(n * 2);
  const end = new Float64Array(n * 2);
  const speed = new Float64Array(n);
  const phase = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    digit[i] = Math.floor(r() * 10);
    const [cx, cy] = centres[digit[i]];
    start[2 * i] = r();
    start[2 * i + 1] = r();
    end[2 * i] = cx + gauss(r) * 0.035;
    end[2 * i + 1] = cy + gauss(r) * 0.035;
    speed[i] = 0.7 + r() * 0.8;
    phase[i] = r() * 2 * Math.PI;
  }
  const x = new Float32Array(n * epochs);
  const y = new Float32Array(n * epochs);
  const epoch = new Int16Array(n * epochs);
  const digits = new Uint8Array(n * epochs);
  for (let e = 0; e < epochs; e++) {
    const u = epochs > 1 ? e / (epochs - 1) : 1;
    for (let i = 0; i < n; i++) {
      const t = 1 - Math.pow(1 - u, 3 * speed[i]);
      const wobble = 0.02 * (1 - u) * Math.sin(6 * u + phase[i]);
      const k = e * n + i;
      x[k] = start[2 * i] + (end[2 * i] - start[2 * i]) * t + wobble;
      y[k] = start[2 * i + 1] + (end[2 * i + 1] - start[2 * i + 1]) * t - wobble;
      epoch[k] = e;
      digits[k] = digit[i];
    }
  }
  writeFileSync(path, tableToIPC(tableFromArrays({ x, y, digit: digits, epoch }), 'file'));
}

/** The weight matrices of writeWeights: frames × rows × cols values, rounded as written. */
export function writeWeightsMatrix(
  frames = 100,
  rows = 10,
  cols = 20,
  seed = 7,
): { values: Float64Array } {
  const r = rng(seed);
  const w0 = Array.from({ length: rows * cols }, () => 0.01 + r() * 0.01);
  const target = Array.from({ length: rows * cols }, () =>
    r() < 0.15 ? 0.04 + r() * 0.01 : r() * 0.03,
  );
  const ph = Array.from({ length: rows * cols }, () => r() * 2 * Math.PI);
  const values = new Float64Array(frames * rows * cols);
  for (let f = 0; f < frames; f++) {
    const s = frames > 1 ? f / (frames - 1) : 1;
    const ease = 1 - Math.pow(1 - s, 3);
    for (let i = 0; i < rows * cols; i++) {
      const v = w0[i] + (target[i] - w0[i]) * ease + 0.004 * (1 - s) * Math.sin(8 * s + ph[i]);
      values[f * rows * cols + i] = +Math.max(0, v).toFixed(4);
    }
  }
  return { values };
}

export async function writeWeights(
  path: string,
  frames = 100,
  rows = 10,
  cols = 20,
  seed = 7,
): Promise<void> {
  const { values } = writeWeightsMatrix(frames, rows, cols, seed);
  await writeLines(path, 'frame,row,col,value', (emit) => {
    for (let f = 0; f < frames; f++)
      for (let i = 0; i < rows * cols; i++)
        emit(`${f},${Math.floor(i / cols)},${i % cols},${values[f * rows * cols + i].toFixed(4)}`);
  });
}

/**
 * W3-shaped data (index,x,y,frame,value): n points in 14 Gaussian clusters at fixed
 * positions; a value spreading from two seed points, as a rank in [0, 1] per frame.
 */
export async function writeLabelprop(
  path: string,
  n = 200000,
  frames = 18,
  seed = 11,
): Promise<void> {
  const r = rng(seed);
  const centres = Array.from({ length: 14 }, () => [-8 + r() * 24, -8 + r() * 24]);
  const pts = Array.from({ length: n }, () => {
    const [cx, cy] = centres[Math.floor(r() * 14)];
    return [cx + gauss(r) * 1.2, cy + gauss(r) * 1.2];
  });
  const seeds = [pts[0], pts[1]];
  const dist = pts.map(([x, y]) =>
    Math.min(...seeds.map(([sx, sy]) => Math.hypot(x - sx, y - sy))),
  );
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[a] - dist[b]);
  const rank = new Float64Array(n);
  order.forEach((i, k) => (rank[i] = k));
  await writeLines(path, 'index,x,y,frame,value', (emit) => {
    for (let f = 0; f < frames; f++) {
      const reached = f === 0 ? 2 : Math.round((n * f * f) / (frames * frames));
      pts.forEach(([x, y], i) => {
        const v = rank[i] < reached ? 1 - rank[i] / n : 0;
        emit(`${i},${x.toFixed(4)},${y.toFixed(4)},${f},${v.toFixed(5)}`);
      });
    }
  });
}

const [kind, out, ...args] = process.argv.slice(2);
const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (!isMain) {
  // imported by tests and the bench: no command line to run
} else if (kind === 'umap') await writeUmap(out, Number(args[0] ?? 30000), Number(args[1] ?? 200));
else if (kind === 'weights')
  await writeWeights(out, Number(args[0] ?? 100), Number(args[1] ?? 10), Number(args[2] ?? 20));
else if (kind) {
  console.error('usage: gen-data.ts umap|weights OUT.csv [sizes…]');
  process.exit(2);
}

/**
 * A frames × size × size float32 `.npy` stack of smooth moving waves (an attention map or a
 * field over training steps): the matrix workload drawn as one image per frame.
 */
export function writeMatrixNpy(path: string, frames: number, size: number): void {
  const values = new Float32Array(frames * size * size);
  for (let f = 0; f < frames; f++) {
    const t = (f / frames) * 2 * Math.PI;
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) {
        const [x, y] = [c / size, r / size];
        values[(f * size + r) * size + c] =
          Math.sin(6 * x + t) * Math.cos(5 * y - t) + 0.5 * Math.sin(9 * (x + y) + 2 * t);
      }
  }
  // numpy.lib.format 1.0: magic, version, header length, a dict padded to 64 bytes with \n.
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${frames}, ${size}, ${size}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  writeFileSync(
    path,
    Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]),
  );
}
