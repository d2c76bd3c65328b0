/**
 * The interactive HTML player: one self-contained file (Vega, the compiled spec with its
 * fixed scales, the data, the images and the fonts inlined; nothing fetched) that redraws
 * each frame in the browser from the data, so its size grows with the data, not with
 * frames × pixels. As a fragment (a `<div>` for a notebook's output or another page), the
 * same player without the page around it: any number of them work in one page.
 * Columns are stored compactly: decimals as scaled integers, delta-coded against the
 * previous row or the same row of the previous frame (whichever gzips smaller), gzipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PlannedSource } from '../data/partition.js';
import { hasMotion } from '../compile/index.js';
import { wholeAnimationText } from '../compile/templates.js';
import { frameLabels, outputFrameLabels } from '../data/partition.js';
import type { Column, NumberArray } from '../data/table.js';
import { rescaledDomains } from '../render/scales.js';
import type { DrawingPlan } from '../render/drawing.js';
import { outputFrameSignals } from '../render/signals.js';
import { FrameRenderer } from '../render/frame-renderer.js';
import { concatFrames } from '../render/tween.js';
import { fontFiles } from '../render/fonts.js';
import { STATIC_SEED, frameSeed, usesRandomness } from '../render/random.js';
import { imageDataUrl, isImageDataUrl, readLocalImage } from '../render/loader.js';
import { installBoundedFunctions } from '../render/bounded-functions.js';
import { type PlayerColumn, type PlayerPayload, type PlayerSource, playerMain } from './runtime.js';
import { sliderSteps } from './slider.js';
import type { Json } from '../support/json.js';

const b64gz = (bytes: Uint8Array): string => gzipSync(bytes, { level: 6 }).toString('base64');

const bytesOf = (a: ArrayBufferView): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function deltas(ints: Int32Array, stride: number): Int32Array {
  const out = new Int32Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = ints[i] - (i >= stride ? ints[i - stride] : 0);
  return out;
}

/** The power of ten that turns every value into an exact integer (≤ 1e6), if any. */
function decimalDivisor(values: NumberArray): number | undefined {
  for (let d = 0; d <= 6; d++) {
    const p = 10 ** d;
    let ok = true;
    for (let i = 0; i < values.length && ok; i++) {
      const v = values[i];
      const n = Math.round(v * p);
      ok = Number.isFinite(v) && Math.abs(n) < 2 ** 31 && n / p === v;
    }
    if (ok) return p;
  }
  return undefined;
}

function encodeColumn(name: string, col: Column, frameSize: number | undefined): PlayerColumn {
  if (col.kind === 'value') return { name, kind: 'val', values: col.values };
  if (col.kind === 'string')
    return { name, kind: 'str', dict: col.dict, data: b64gz(bytesOf(col.codes)) };
  const divisor = decimalDivisor(col.values);
  if (divisor === undefined) {
    const f64 = col.values instanceof Float64Array ? col.values : Float64Array.from(col.values);
    return { name, kind: 'f64', data: b64gz(bytesOf(f64)) };
  }
  const ints = new Int32Array(col.values.length);
  for (let i = 0; i < ints.length; i++) ints[i] = Math.round(col.values[i] * divisor);
  // The stride whose deltas compress best, judged on a sample, then the column once.
  const sample = Math.min(ints.length, 1 << 18);
  let stride = 1;
  if (frameSize && frameSize > 1 && frameSize < sample) {
    const size = (k: number) => gzipSync(bytesOf(deltas(ints.subarray(0, sample), k))).length;
    if (size(frameSize) < size(1)) stride = frameSize;
  }
  return { name, kind: 'int', divisor, stride, data: b64gz(bytesOf(deltas(ints, stride))) };
}

function encodeSource(s: PlannedSource): PlayerSource {
  const p = s.partition;
  // Rows come grouped by frame; when every frame has as many rows, the same row of the
  // previous frame is often the same point a little moved.
  const sizes = p ? new Set(p.offsets.slice(1).map((o, k) => o - p.offsets[k])) : undefined;
  const frameSize = sizes && sizes.size === 1 ? [...sizes][0] : undefined;
  // Rows already in frame order (no `order`) need no reordering.
  const reordered = p?.order ? reorder(s, p.order) : undefined;
  const table = reordered ?? s.table;
  return {
    name: s.name,
    length: s.table.length,
    columns: table.names.map((n) => encodeColumn(n, table.columns[n], frameSize)),
    // Reordered, frame k's rows are simply offsets[k]…offsets[k+1].
    ...(p ? { offsets: Array.from(p.offsets), cumulative: !!s.frame?.cumulative } : {}),
  };
}

/** The table's columns in partition order, so each frame's rows are contiguous. */
function reorder(s: PlannedSource, order: Uint32Array) {
  const columns: Record<string, Column> = {};
  for (const name of s.table.names) {
    const c = s.table.columns[name];
    if (c.kind === 'number') {
      const values = new Float64Array(order.length);
      for (let i = 0; i < order.length; i++) values[i] = c.values[order[i]];
      columns[name] = { kind: 'number', values };
    } else if (c.kind === 'string') {
      const codes = new Int32Array(order.length);
      for (let i = 0; i < order.length; i++) codes[i] = c.codes[order[i]];
      columns[name] = { kind: 'string', dict: c.dict, codes };
    } else columns[name] = { kind: 'value', values: Array.from(order, (r) => c.values[r]) };
  }
  return { length: order.length, names: s.table.names, columns };
}

/**
 * Every output frame's rows as one source partitioned by output frame: the player plays
 * tweens and trails exactly as the GIF shows them (made by the same code), at the cost of
 * shipping the in-between rows too.
 */
async function outputFrameSources(drawing: DrawingPlan): Promise<PlannedSource[]> {
  const { plan } = drawing;
  const renderer = await FrameRenderer.create(drawing);
  try {
    const dataOf = await renderer.outputFrameData();
    return plan.planned.map((s) => {
      if (!s.partition) return s;
      const frames = plan.timeline.map((_, i) => ({ data: dataOf(s, i), alpha: NaN }));
      const offsets = new Uint32Array(frames.length + 1);
      frames.forEach((f, i) => (offsets[i + 1] = offsets[i] + f.data.rows.length));
      const { table, rows } = concatFrames(frames);
      return {
        ...s,
        table,
        partition: { order: rows, offsets },
        frame: s.frame && { ...s.frame, cumulative: false },
      };
    });
  } finally {
    renderer.finalize();
  }
}

/** Whether a Vega spec has an image mark, at any depth. */
function hasImageMark(node: Json): boolean {
  return ((node.marks ?? []) as Json[]).some((m) => m.type === 'image' || hasImageMark(m));
}

/**
 * The images the chart shows, as data: URLs by their URL in the chart: the page loads them
 * from itself (it stays one offline file), and a URL the access rule refuses is refused
 * here with the same error as any other output. Every output frame is laid out headless to
 * find them, so URLs computed by expressions are found too; charts without image marks
 * skip this.
 */
async function embeddedImages(drawing: DrawingPlan): Promise<Record<string, string>> {
  const { plan } = drawing;
  if (!hasImageMark(drawing.vega)) return {};
  const renderer = await FrameRenderer.create(drawing);
  const images: Record<string, string> = Object.create(null) as Record<string, string>;
  try {
    for (const url of await renderer.imageUrls()) {
      if (!isImageDataUrl(url)) images[url] = imageDataUrl(await readLocalImage(url, plan.access));
    }
  } finally {
    renderer.finalize();
  }
  return images;
}

// Inlined code must not end its <script> early.
const escapeScript = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1');

export interface PlayerPageOptions {
  /** Overrides the animation's fps. */
  fps?: number;
  /** The page's title (default: the spec's). */
  title?: string;
  /** Whether it starts playing once loaded (default true). */
  autoplay?: boolean;
  /** The player alone, as a `<div>` to put in a page of one's own, not a whole page. */
  fragment?: boolean;
}

/**
 * The player page (or fragment) for a drawing plan made for it
 * (`planDrawing(plan, { forPlayer: true })`: the page's Vega draws every mark).
 */
export async function playerHtml(
  drawing: DrawingPlan,
  options: PlayerPageOptions = {},
): Promise<string> {
  const { plan, vega: fixedVega } = drawing;
  const motion = hasMotion(plan.animation);
  const labels = outputFrameLabels(plan.clock, plan.timeline);
  const sources = motion ? await outputFrameSources(drawing) : plan.planned;
  const images = await embeddedImages(drawing);
  const payload: PlayerPayload = {
    vega: {
      ...fixedVega,
      ...(plan.animation.background ? { background: plan.animation.background } : {}),
    },
    sources: sources.map(encodeSource),
    signals: plan.timeline.map((_, i) => ({
      ...outputFrameSignals(plan, i),
      ...rescaledDomains(plan, drawing, i),
    })),
    // Which stored frame each output frame shows (tweens are stored as frames of their own).
    frames: plan.timeline.map((f, i) => (motion ? i : f.from)),
    labels,
    fps: options.fps ?? plan.animation.fps,
    loop: plan.animation.loop,
    extraSeconds: plan.timeline.map((f) => f.extra),
    images,
    fonts: [
      ...fontFiles().map((f) => ({
        family: f.family,
        weight: f.weight,
        data: b64gz(readFileSync(f.path)),
      })),
      // The spec's own fonts, under the families its text names.
      ...(plan.fonts ?? []).map((f) => ({
        family: f.family,
        weight: String(f.weight),
        style: f.style,
        data: b64gz(f.bytes),
      })),
    ],
    ...(usesRandomness(fixedVega)
      ? { seeds: { static: STATIC_SEED, frames: plan.timeline.map((f) => frameSeed(f)) } }
      : {}),
    slider: {
      labels: frameLabels(plan.clock),
      ...sliderSteps(plan.timeline, plan.clock.values.length),
    },
    autoplay: options.autoplay ?? true,
  };
  const json = JSON.stringify(payload).replace(/</g, '\\u003c');
  // The page shows every frame: its title's placeholders stand for all of them.
  const specTitle =
    plan.title === undefined
      ? undefined
      : wholeAnimationText(plan.title, {
          values: plan.clock.values,
          labels: frameLabels(plan.clock),
        });
  const title = escapeText(options.title ?? specTitle ?? 'vega-frames');
  const player = playerElement(json, title, !options.fragment);
  if (options.fragment) return `${player}\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vega-frames">
<title>${title}</title>
<style>
body { margin: 16px; }
</style>
</head>
<body>
${player}
</body>
</html>
`;
}

const escapeText = (text: string) =>
  text.replace(/[<&"]/g, (c) => (c === '<' ? '&lt;' : c === '&' ? '&amp;' : '&quot;'));

/**
 * The player's own style, every rule under its root's class: a page holding it keeps its
 * own look. The slider is drawn here (its thumb 14 px wide, as runtime.ts places the ticks
 * for).
 */
const PLAYER_CSS = `
.vf-player { display: block; width: min-content; min-width: 360px; max-width: 100%; font: 14px "DejaVu Sans", sans-serif; color: #222; text-align: left; }
.vf-player:focus { outline: none; }
.vf-player:focus-visible { outline: 2px solid #4c78a8; outline-offset: 4px; }
.vf-player .vf-bar { display: flex; gap: 10px; align-items: flex-start; margin-top: 8px; }
.vf-player .vf-play { min-width: 5em; font: inherit; }
.vf-player .vf-track { flex: 1 1 auto; min-width: 160px; }
.vf-player .vf-slider { -webkit-appearance: none; appearance: none; display: block; width: 100%; height: 20px; margin: 0; padding: 0; background: transparent; }
.vf-player .vf-slider::-webkit-slider-runnable-track { height: 4px; border-radius: 2px; background: #c8c8c8; }
.vf-player .vf-slider::-webkit-slider-thumb { -webkit-appearance: none; appearance: none; width: 14px; height: 14px; margin-top: -5px; border: 0; border-radius: 50%; background: #4c78a8; }
.vf-player .vf-slider::-moz-range-track { height: 4px; border-radius: 2px; background: #c8c8c8; }
.vf-player .vf-slider::-moz-range-thumb { width: 14px; height: 14px; border: 0; border-radius: 50%; background: #4c78a8; }
.vf-player .vf-slider:focus-visible { outline: 2px solid #4c78a8; outline-offset: 2px; }
.vf-player .vf-ticks { position: relative; height: 20px; }
.vf-player .vf-tick { position: absolute; top: 0; width: 1px; height: 5px; margin-left: -0.5px; background: #999; }
.vf-player .vf-tick-label { position: absolute; top: 5px; font-size: 11px; line-height: 14px; color: #555; white-space: nowrap; }
.vf-player .vf-value { min-width: 5em; line-height: 20px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.vf-player .vf-options { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; margin-top: 2px; font-size: 12px; color: #555; }
.vf-player .vf-options label, .vf-player .vf-options span { white-space: nowrap; }
.vf-player .vf-options select { font: inherit; }
.vf-player .vf-options input { margin: 0 4px 0 0; vertical-align: -2px; }
`;

/** Vega and re2js as the player loads them: once per page, however many players it holds. */
let libraries: { code: string; key: string } | undefined;

function playerLibraries(): { code: string; key: string } {
  if (libraries) return libraries;
  // vega's package exports hide build/; its main entry sits in that folder.
  const require = createRequire(import.meta.url);
  const vegaMain = require.resolve('vega');
  const vegaJs = readFileSync(path.join(path.dirname(vegaMain), 'vega.min.js'), 'utf8');
  // re2js's browser build (its main entry sits beside it) defines RE2JS, whose RE2JS class
  // the bounded expression functions match with, as they do headless.
  const re2Main = require.resolve('re2js');
  const re2Js = readFileSync(path.join(path.dirname(re2Main), 'index.umd.js'), 'utf8');
  const bounded = installBoundedFunctions.toString();
  // Players made from the same libraries share them; others load their own.
  const key = createHash('sha256')
    .update(vegaJs)
    .update(re2Js)
    .update(bounded)
    .digest('hex')
    .slice(0, 16);
  // Each UMD build is given a module and exports of its own, so it fills those objects:
  // not window.vega (a page's own Vega stays its own), not an AMD loader's define (a
  // classic Jupyter notebook has require.js).
  const code = `var shared = window.vegaFramesLibraries || (window.vegaFramesLibraries = {});
if (!shared['${key}']) {
var vega = {};
var re2 = {};
(function (define, module, exports) {
${vegaJs}
}).call(window, undefined, { exports: vega }, vega);
(function (define, module, exports) {
${re2Js}
}).call(window, undefined, { exports: re2 }, re2);
// The spec's expressions run in the viewer's browser: with the bounds they have headless
// (RE2's linear-time regular expressions, sizes refused past a bound), registered before
// any chart is parsed, so a spec cannot hang or exhaust the tab.
(${bounded})(vega, re2.RE2JS);
shared['${key}'] = vega;
}`;
  libraries = { code: escapeScript(code), key };
  return libraries;
}

/**
 * One player: its root element holds its style, chart, controls, data and script, which
 * finds the root as its own script's parent (no ids: any number of players per page).
 */
function playerElement(json: string, title: string, standalone: boolean): string {
  const { code, key } = playerLibraries();
  return `<div class="vf-player" tabindex="0" role="group" aria-label="${title}">
<style>${PLAYER_CSS}</style>
<div class="vf-chart"></div>
<div class="vf-bar">
<button class="vf-play" type="button" aria-pressed="false">Play</button>
<div class="vf-track"><input class="vf-slider" type="range" min="0" value="0" step="1" aria-label="frame"><div class="vf-ticks" aria-hidden="true"></div></div>
<span class="vf-value"></span>
</div>
<div class="vf-options">
<label>speed <select class="vf-speed"><option value="0.25">0.25×</option><option value="0.5">0.5×</option><option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option></select></label>
<label><input class="vf-loop" type="checkbox"> loop</label>
<span>space: play/pause · ←/→: step</span>
</div>
<script class="vf-payload" type="application/json">${json}</script>
<script>
(function (script) {
var root = script && script.parentElement;
if (!root || !root.classList.contains('vf-player')) {
  // The script's text run by a copy elsewhere (jQuery's append does so, in the classic
  // notebook's output): this player is the first not started yet.
  root = Array.prototype.find.call(document.querySelectorAll('.vf-player'), function (r) {
    return !r.hasAttribute('data-vf-started');
  });
}
root.setAttribute('data-vf-started', '');
// __name: the helper esbuild (tsx, in tests) inserts into function source; tsc does not.
var __name = function (f) { return f; };
${code}
(${escapeScript(playerMain.toString())})(JSON.parse(root.querySelector('.vf-payload').textContent), shared['${key}'], root, ${standalone});
})(document.currentScript);
</script>
</div>`;
}
