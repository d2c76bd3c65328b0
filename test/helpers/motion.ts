/** Helpers for motion tests: render every output frame, find marks by colour in pixels. */
import { readFileSync } from 'node:fs';
import { type SpecInput, compile } from '../../src/api.js';
import type { PlayerPayload } from '../../src/player/runtime.js';
import { rendererFor } from './renderer.js';

type Json = Record<string, unknown>;

/** Every output frame of a spec, rendered (fast path unless told otherwise). */
export async function renderAll(spec: Json, noFastPath = false) {
  const plan = await compile(spec as SpecInput);
  const renderer = await rendererFor(plan, { noFastPath });
  try {
    const frames = [];
    for (let i = 0; i < renderer.frameCount; i++) {
      const f = await renderer.render(i);
      frames.push({ ...f, rgba: Uint8Array.from(f.rgba) });
    }
    return { plan, frames, fastMarks: renderer.fastMarks };
  } finally {
    renderer.finalize();
  }
}

export type Frame = { width: number; height: number; rgba: Uint8Array };
export const isRed = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 90;

/** Centroid of the pixels `match` picks (NaN when none). */
export function centroid(f: Frame, match = isRed): { x: number; y: number; n: number } {
  let [sx, sy, n] = [0, 0, 0];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) {
      const i = (y * f.width + x) * 4;
      if (match(f.rgba[i], f.rgba[i + 1], f.rgba[i + 2])) {
        sx += x;
        sy += y;
        n++;
      }
    }
  return { x: sx / n, y: sy / n, n };
}

export const pixel = (f: Frame, x: number, y: number) => {
  const i = (Math.round(y) * f.width + Math.round(x)) * 4;
  return [f.rgba[i], f.rgba[i + 1], f.rgba[i + 2]];
};

export const square = { domain: [0, 10], nice: false, zero: false };
/** Points on a fixed 0–10 square, coloured by `c` (hi: red, lo: light grey, b: blue). */
export function pointSpec(values: Json[], animation: Json, extra: Json = {}): Json {
  return {
    width: 200,
    height: 200,
    data: { values },
    mark: { type: 'point', filled: true, size: 150, opacity: 1 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: square },
      y: { field: 'y', type: 'quantitative', scale: square },
      color: {
        field: 'c',
        type: 'nominal',
        scale: { domain: ['hi', 'lo', 'b'], range: ['#ff0000', '#dddddd', '#0000ff'] },
        legend: null,
      },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    // No grid: tests read pixels at points' centres, and grid lines would tint them.
    config: { axis: { grid: false } },
    animation,
    ...extra,
  };
}

/** The data a player page carries (its inlined JSON payload). */
export function playerPayload(file: string): PlayerPayload {
  const html = readFileSync(file, 'utf8');
  const json = html.match(
    /<script class="vf-payload" type="application\/json">(.*?)<\/script>/s,
  )![1];
  return JSON.parse(json) as PlayerPayload;
}
