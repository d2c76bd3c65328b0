/**
 * The two PNG encoders on one 800×800 chart frame: encode/png.ts (filters chosen per row,
 * Node's zlib) against the canvas's own (`canvas.encode('png')`), medians of 15 runs each.
 * `npx tsx bench/png-encoders.ts`.
 */
import { performance } from 'node:perf_hooks';
import { planSpec } from '../src/pipeline/index.js';
import { planDrawing } from '../src/render/drawing.js';
import { FrameRenderer } from '../src/render/frame-renderer.js';
import { encodePng } from '../src/encode/png.js';
import { canvasPng } from '../src/render/png.js';

const n = 4000;
const values = Array.from({ length: n }, (_, i) => ({
  x: Math.sin(i * 0.37) * 10 + (i % 17),
  y: Math.cos(i * 0.11) * 8 + (i % 23),
  c: `g${i % 6}`,
}));
const spec = {
  width: 745,
  height: 753,
  data: { values },
  mark: { type: 'circle', size: 30 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'c', type: 'nominal' },
  },
  config: { legend: { disable: true } },
};
const { plan } = await planSpec(spec as never);
const renderer = await FrameRenderer.create(await planDrawing(plan, {}));
const frame = await renderer.render(0);
const canvas = await renderer.renderCanvas(0);

/** Median ms of each encoder, run in turn (so load from other processes hits all alike). */
async function medians(runs: Record<string, () => unknown>, rounds = 25): Promise<void> {
  const times: Record<string, number[]> = {};
  for (let r = -3; r < rounds; r++)
    for (const [label, run] of Object.entries(runs)) {
      const t = performance.now();
      await run();
      if (r >= 0) (times[label] ??= []).push(performance.now() - t);
    }
  for (const [label, ts] of Object.entries(times)) {
    ts.sort((a, b) => a - b);
    console.log(`${label}: ${ts[ts.length >> 1].toFixed(1)} ms`);
  }
}

console.log(`frame ${frame.width}×${frame.height}`);
const own = encodePng(frame);
const fromCanvas = await canvasPng(canvas);
const fromRgba = await canvasPng(frame);
console.log(
  `bytes: encodePng ${own.length}, canvas ${fromCanvas.length}, canvas from RGBA ${fromRgba.length}`,
);
await medians({
  'encodePng (RGBA)': () => encodePng(frame),
  "canvas.encode('png'), the canvas drawn": () => canvasPng(canvas),
  "canvas.encode('png') from RGBA (putImageData)": () => canvasPng(frame),
});
renderer.finalize();
