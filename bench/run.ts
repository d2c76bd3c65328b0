/**
 * `npm run bench [-- --runs N] [-- --peers] [-- --only w1,w2,w3,w1t]`: renders the workloads with
 * the built CLI, in fresh processes and prints median wall seconds, ms/frame and peak RSS. Data: the peers'
 * generated CSVs in $DATA (default /tmp/benchdata) when present, else the same shapes
 * generated here (scripts/gen-data.ts). `--peers` runs matplotlib on the same files.
 * `--scaling` instead sweeps W1's chart over points per frame and over frame counts.
 * `--player` builds W1s (30,000 points × 40 epochs) as the HTML player, against plotly's
 * HTML of the same data when `--peers` is given, and plays it in Chromium to count frames.
 * `--spellings` renders W1, W2 and W3 (or those in --only) as written and as the other ways
 * of writing the same chart in bench/ (w1-parse.yaml: column types declared, w1-circle.yaml,
 * …), alternating, and prints each one's median wall and CPU seconds against the chart as
 * written, and whether its GIF is the same bytes.
 * `--cells` renders the matrix workload (bench/m1.yaml) as one image per frame and as rects.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  writeLabelprop,
  writeMatrixNpy,
  writeUmap,
  writeUmapArrow,
  writeWeights,
} from '../scripts/gen-data.js';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(option('runs', '3'));
const ONLY = option('only', 'w1,w2,w3,w1t').split(',');
const DATA = process.env.DATA ?? '/tmp/benchdata';
const OUT = path.join(ROOT, '.bench');
const PEERS = path.resolve(ROOT, '../shared/peers');
mkdirSync(OUT, { recursive: true });

interface Workload {
  name: string;
  spec: string;
  data: string;
  make: (file: string) => Promise<void>;
  peer: string[];
  frames: number;
}

const workloads: Workload[] = [
  {
    name: 'w1',
    spec: 'bench/w1.yaml',
    data: 'umap_epochs.csv',
    make: (f) => writeUmap(f, 30000, 200),
    peer: ['p1_mpl_funcanim.py', '--workload', 'umap', '--fps', '20'],
    frames: 200,
  },
  {
    name: 'w2',
    spec: 'bench/w2.yaml',
    data: 'weights.csv',
    make: (f) => writeWeights(f, 100, 10, 20),
    peer: ['p4_mpl_heatmap.py', '--idiom', 'update'],
    frames: 100,
  },
  {
    name: 'w3',
    spec: 'bench/w3.yaml',
    data: 'labelprop.csv',
    make: (f) => writeLabelprop(f, 200000, 18),
    peer: ['p1_mpl_funcanim.py', '--workload', 'labelprop', '--fps', '5'],
    frames: 18,
  },
  {
    // Motion: W1 with 3 tweened frames per epoch (no peer: matplotlib has no tweening).
    name: 'w1t',
    spec: 'bench/w1t.yaml',
    data: 'umap_epochs.csv',
    make: (f) => writeUmap(f, 30000, 200),
    peer: [],
    frames: 797,
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function timed(cmd: string, argv: string[]): { wall: number; maxRssMiB: number; cpu: number } {
  // GNU time reports the child's CPU seconds and peak RSS; wall from our clock.
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wall = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  const [user, sys, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, maxRssMiB: kb / 1024, cpu: user + sys };
}

/**
 * Other ways of writing W1, W2 and W3 (bench/<workload>-<spelling>.yaml): each draws the
 * same GIF, and should cost the same.
 */
const SPELLINGS: Record<string, string[]> = {
  w1: ['parse', 'circle', 'encoding', 'config', 'layer'],
  w2: ['parse', 'encoding', 'color'],
  w3: ['point', 'parse', 'encoding'],
};

async function spellings(): Promise<void> {
  const lines: string[] = [];
  for (const w of workloads.filter((w) => SPELLINGS[w.name] && ONLY.includes(w.name))) {
    const dataDir = await dataFor(w);
    const cli = path.join(ROOT, 'dist/cli/bin.js');
    const names = ['', ...SPELLINGS[w.name]];
    const gif = (n: string) => path.join(OUT, `${w.name}${n ? `-${n}` : ''}.gif`);
    const spec = (n: string) => path.join(ROOT, 'bench', `${w.name}${n ? `-${n}` : ''}.yaml`);
    const runs = new Map(names.map((n) => [n, [] as ReturnType<typeof timed>[]]));
    // Alternating, so a slow period of the machine falls on every spelling alike.
    for (let i = 0; i < RUNS; i++)
      for (const n of names)
        runs.get(n)!.push(timed(cli, ['render', spec(n), '-o', gif(n), '--base', dataDir, '-q']));
    const [baseWall, baseCpu] = [
      median(runs.get('')!.map((r) => r.wall)),
      median(runs.get('')!.map((r) => r.cpu)),
    ];
    const baseBytes = readFileSync(gif(''));
    for (const n of names) {
      const wall = median(runs.get(n)!.map((r) => r.wall));
      const cpu = median(runs.get(n)!.map((r) => r.cpu));
      const same = readFileSync(gif(n)).equals(baseBytes) ? 'yes' : 'NO';
      lines.push(
        `| ${w.name} | ${n || 'as written'} | ${wall.toFixed(2)} | ${(wall / baseWall).toFixed(2)} | ${cpu.toFixed(2)} | ${(cpu / baseCpu).toFixed(2)} | ${same} |`,
      );
      console.error(
        `${w.name} ${n || 'as written'}: ${runs
          .get(n)!
          .map((r) => r.wall.toFixed(2))
          .join(', ')} s`,
      );
    }
  }
  console.log(
    `\n${RUNS} runs each, alternating, medians\n\n| workload | spelling | wall s | × as written | CPU s | × as written | same GIF |\n|---|---|---|---|---|---|---|\n${lines.join('\n')}`,
  );
}

/** The folder holding w's data: $DATA's copy, else one generated in .bench/. */
async function dataFor(w: Workload): Promise<string> {
  if (existsSync(path.join(DATA, w.data))) return DATA;
  if (!existsSync(path.join(OUT, w.data))) await w.make(path.join(OUT, w.data));
  return OUT;
}

/**
 * W1's chart at other sizes: the marginal cost of a frame (the whole render minus a
 * one-frame render of the same data, over the other frames) and the peak RSS.
 */
async function scaling(): Promise<void> {
  const cases: { points: number; frames: number; arrow?: boolean }[] = [
    ...[1000, 10000, 100000, 1000000].map((points) => ({ points, frames: 40 })),
    ...[50, 200, 1000].map((frames) => ({ points: 10000, frames })),
    // The memory case: 100 million rows, as float32 Arrow (1.1 GB; CSV is 2.7 GB).
    { points: 1000000, frames: 100, arrow: true },
  ];
  console.log(
    `\n${RUNS} runs, medians\n\n| points per frame | frames | rows | wall s | marginal ms/frame | one-frame wall s | peak RSS MiB |\n|---|---|---|---|---|---|---|`,
  );
  for (const { points, frames, arrow } of cases) {
    const dir = path.join(OUT, `scale-${points}x${frames}${arrow ? '-arrow' : ''}`);
    mkdirSync(dir, { recursive: true });
    const dataFile = path.join(dir, arrow ? 'umap_epochs.arrow' : 'umap_epochs.csv');
    if (!existsSync(dataFile)) await (arrow ? writeUmapArrow : writeUmap)(dataFile, points, frames);
    const cli = path.join(ROOT, 'dist/cli/bin.js');
    const run = (extra: string[]) =>
      timed(cli, [
        'render',
        path.join(ROOT, arrow ? 'bench/w1-arrow.yaml' : 'bench/w1.yaml'),
        '-o',
        path.join(dir, 'out.gif'),
        '--base',
        dir,
        '-q',
        ...extra,
      ]);
    const all = Array.from({ length: RUNS }, () => run([]));
    const one = Array.from({ length: RUNS }, () => run(['--frames', '0:1']));
    const wall = median(all.map((r) => r.wall));
    const wall1 = median(one.map((r) => r.wall));
    const rss = median(all.map((r) => r.maxRssMiB));
    const marginal = ((wall - wall1) * 1000) / (frames - 1);
    console.log(
      `| ${points.toLocaleString('en')}${arrow ? ' (Arrow, float32)' : ''} | ${frames} | ${(points * frames).toLocaleString('en')} | ${wall.toFixed(2)} | ${marginal.toFixed(1)} | ${wall1.toFixed(2)} | ${rss.toFixed(0)} |`,
    );
  }
}

/** W1s as the HTML player: build time, file size, and frames per second in Chromium. */
async function player(): Promise<void> {
  const data = existsSync(path.join(DATA, 'umap_epochs_40.csv')) ? DATA : OUT;
  if (data === OUT && !existsSync(path.join(OUT, 'umap_epochs_40.csv')))
    await writeUmap(path.join(OUT, 'umap_epochs_40.csv'), 30000, 40);
  const out = path.join(OUT, 'w1s.html');
  const cli = path.join(ROOT, 'dist/cli/bin.js');
  const builds = Array.from({ length: RUNS }, () =>
    timed(cli, ['render', path.join(ROOT, 'bench/w1s.yaml'), '-o', out, '--base', data, '-q']),
  );
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const fpsRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    await page.goto(`file://${out}`);
    await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 60000 });
    // Frames shown in 3 s of playing at 4× speed (faster than any frame can render).
    fpsRuns.push(
      await page.evaluate(async () => {
        const p = (
          window as unknown as {
            vfPlayer: { frame: number; seek(k: number): Promise<void>; play(): void };
          }
        ).vfPlayer;
        await p.seek(0);
        (document.querySelector('.vf-speed') as HTMLSelectElement).value = '4';
        document.querySelector('.vf-speed')!.dispatchEvent(new Event('change'));
        let shown = 0;
        let last = p.frame;
        p.play();
        const end = performance.now() + 3000;
        while (performance.now() < end) {
          await new Promise((r) => requestAnimationFrame(r));
          if (p.frame !== last) {
            shown++;
            last = p.frame;
          }
        }
        return shown / 3;
      }),
    );
    await page.close();
  }
  await browser.close();
  const size = statSync(out).size / 2 ** 20;
  let line = `| W1s player | ${median(builds.map((b) => b.wall)).toFixed(2)} s | ${size.toFixed(1)} MiB | ${median(fpsRuns).toFixed(1)} fps |`;
  if (flag('peers')) {
    const peerOut = path.join(OUT, 'w1s-plotly.html');
    const peer = Array.from({ length: RUNS }, () =>
      timed('/usr/bin/python3', [
        path.join(PEERS, 'p5_plotly.py'),
        '--data',
        path.join(data, 'umap_epochs_40.csv'),
        '--out',
        peerOut,
      ]),
    );
    const peerSize = statSync(peerOut).size / 2 ** 20;
    line += ` ${median(peer.map((p) => p.wall)).toFixed(2)} s | ${peerSize.toFixed(1)} MiB | ${(size / peerSize).toFixed(2)} |`;
  }
  console.log(
    `\n${RUNS} runs, medians\n\n| workload | build | HTML | playback (Chromium, no GPU) |${flag('peers') ? ' plotly build | plotly HTML | size ratio |' : ''}\n|---|---|---|---|${flag('peers') ? '---|---|---|' : ''}\n${line}`,
  );
}

/**
 * The matrix workload (bench/m1.yaml, 512×512 × 100 frames) as one image per frame and,
 * with `--no-fast-path`, as a Vega rect per cell: wall, ms/frame, peak RSS and the ratio.
 * The rects take minutes and gigabytes: they run `--rect-runs` times (default 1), with the
 * memory ceiling raised.
 */
async function cells(): Promise<void> {
  const data = path.join(OUT, 'matrix_512x100.npy');
  if (!existsSync(data)) writeMatrixNpy(data, 100, 512);
  const cli = path.join(ROOT, 'dist/cli/bin.js');
  const run = (extra: string[]) =>
    timed(cli, [
      'render',
      path.join(ROOT, 'bench/m1.yaml'),
      '-o',
      path.join(OUT, `m1${extra.length ? '-rects' : ''}.gif`),
      '--base',
      OUT,
      '-q',
      ...extra,
    ]);
  const image = Array.from({ length: RUNS }, () => run([]));
  const rects = Array.from({ length: Number(option('rect-runs', '1')) }, () =>
    run(['--no-fast-path', '--max-memory', '16G', '--stall-timeout', '600']),
  );
  const line = (name: string, runs: ReturnType<typeof timed>[]) => {
    const wall = median(runs.map((r) => r.wall));
    return `| ${name} | ${runs.length} | ${wall.toFixed(2)} | ${((wall * 1000) / 100).toFixed(1)} | ${median(runs.map((r) => r.maxRssMiB)).toFixed(0)} |`;
  };
  console.log(
    `\n| m1: 512×512 × 100 frames | runs | wall s | ms/frame | peak RSS MiB |\n|---|---|---|---|---|\n${line('one image per frame', image)}`,
  );
  // --rect-runs 0: the image path alone.
  if (rects.length === 0) return;
  const ratio = median(rects.map((r) => r.wall)) / median(image.map((r) => r.wall));
  console.log(
    `${line('a rect per cell (--no-fast-path)', rects)}\n\nrects / image: ${ratio.toFixed(1)}×`,
  );
}

if (flag('cells')) {
  await cells();
  process.exit(0);
}

if (flag('player')) {
  await player();
  process.exit(0);
}

if (flag('scaling')) {
  await scaling();
  process.exit(0);
}

if (flag('spellings')) {
  await spellings();
  process.exit(0);
}

const rows: string[] = [];
for (const w of workloads.filter((w) => ONLY.includes(w.name))) {
  let dataDir = DATA;
  if (!existsSync(path.join(DATA, w.data))) {
    dataDir = OUT;
    if (!existsSync(path.join(OUT, w.data))) await w.make(path.join(OUT, w.data));
  }
  const ours: { wall: number; maxRssMiB: number }[] = [];
  const peers: { wall: number; maxRssMiB: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = path.join(OUT, `${w.name}.gif`);
    // The built command, exactly as a user runs it: by its #! line, with its V8 flags
    // (`npm run bench` builds first).
    const cli = path.join(ROOT, 'dist/cli/bin.js');
    ours.push(timed(cli, ['render', path.join(ROOT, w.spec), '-o', out, '--base', dataDir, '-q']));
    if (flag('peers') && w.peer.length) {
      peers.push(
        timed('/usr/bin/python3', [
          path.join(PEERS, w.peer[0]),
          ...w.peer.slice(1),
          '--data',
          path.join(dataDir, w.data),
          '--out',
          path.join(OUT, `${w.name}-peer.gif`),
        ]),
      );
    }
  }
  const size = (statSync(path.join(OUT, `${w.name}.gif`)).size / 2 ** 20).toFixed(1);
  const wall = median(ours.map((r) => r.wall));
  const rss = median(ours.map((r) => r.maxRssMiB));
  let line = `| ${w.name} | ${w.frames} | ${wall.toFixed(2)} | ${((wall * 1000) / w.frames).toFixed(1)} | ${rss.toFixed(0)} | ${size} MB`;
  if (peers.length) {
    const pw = median(peers.map((r) => r.wall));
    const pr = median(peers.map((r) => r.maxRssMiB));
    line += ` | ${pw.toFixed(2)} | ${pr.toFixed(0)} | ${(pw / wall).toFixed(1)}× | ${(rss / pr).toFixed(2)}`;
  }
  rows.push(line + ' |');
  console.error(
    `${w.name}: runs ${ours.map((r) => r.wall.toFixed(2)).join(', ')} s${peers.length ? `; matplotlib ${peers.map((r) => r.wall.toFixed(2)).join(', ')} s` : ''}`,
  );
}
console.log(`\ndata: ${DATA} (else generated in .bench/), ${RUNS} runs, medians\n`);
console.log(
  flag('peers')
    ? '| workload | frames | wall s | ms/frame | peak RSS MiB | GIF | matplotlib wall s | matplotlib RSS MiB | speed-up | RSS ratio |\n|---|---|---|---|---|---|---|---|---|---|'
    : '| workload | frames | wall s | ms/frame | peak RSS MiB | GIF |\n|---|---|---|---|---|---|',
);
console.log(rows.join('\n'));
