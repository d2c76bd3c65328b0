/** One benchmark run in a fresh process: renders a workload, prints one JSON line. */
import { renderToFile } from '../src/api.js';

const [spec, out, base] = process.argv.slice(2);
const start = performance.now();
const r = await renderToFile(spec, out, { baseDir: base });
const wall = (performance.now() - start) / 1000;
console.log(
  JSON.stringify({ wall, frames: r.frames, maxRssMiB: process.resourceUsage().maxRSS / 1024 }),
);
