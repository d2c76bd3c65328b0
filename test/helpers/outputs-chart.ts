/**
 * The chart the output-format tests render, and its frames as the renderer draws them (the
 * reference each decoded output is compared with).
 */
import { type SpecInput, compile } from '../../src/api.js';
import { rendererFor } from './renderer.js';

// 6 frames of 120 points, an odd width (video pads it to even), a title and a pause.
export const values = Array.from({ length: 720 }, (_, i) => ({
  x: (i * 37) % 101,
  y: (i * 53) % 97,
  g: String(i % 3),
  t: Math.floor(i / 120),
}));
export const spec = {
  title: 'outputs test',
  width: 151,
  height: 120,
  data: { values },
  mark: { type: 'circle', size: 40 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'g', type: 'nominal' },
    frame: { field: 't' },
  },
  animation: { fps: 5, pause: { end: 1 }, loop: 3 },
};

export async function referenceFrames(s: SpecInput = spec as SpecInput) {
  const renderer = await rendererFor(await compile(s));
  const frames = [];
  for (let k = 0; k < renderer.frameCount; k++) {
    const f = await renderer.render(k);
    frames.push({ ...f, rgba: Uint8Array.from(f.rgba) });
  }
  renderer.finalize();
  return frames;
}
