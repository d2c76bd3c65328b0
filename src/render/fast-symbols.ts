/**
 * The fast raster path for large symbol marks: per frame, evaluate the mark's channels
 * straight from typed columns through Vega's own (fixed) scales, rasterize anti-aliased
 * circles/squares into an overlay, and composite the overlay at the mark's place in
 * Vega's draw order, so clipping and z-order stay Vega's. Pixel-close to Vega's canvas
 * renderer; tests bound the difference.
 */
import { type Canvas, type SKRSContext2D, createCanvas } from 'canvas';
import * as vega from 'vega';
import type { FastSymbolMark, ChannelRule, PlannedSource } from '../compile/index.js';
import { frameRows } from '../compile/index.js';
import { type Column, cellValue } from '../data/table.js';
import { parseColor } from './colors.js';

type ScaleFn = ((v: unknown) => unknown) & { bandwidth?: () => number };
export interface ScaleLookup {
  scale(name: string): ScaleFn | undefined;
  signal(name: string): unknown;
}

type Draw = (ctx: SKRSContext2D) => void;

// The marks the active render draws itself, by Vega mark name. Rendering is synchronous,
// so one active map per thread is enough even with several renderers in one process.
let activeHooks: Map<string, Draw> | null = null;
let installed = false;

function installHook(): void {
  if (installed) return;
  installed = true;
  // Vega exports its mark registry at runtime (vega-scenegraph `Marks`), not in its typings.
  const marks = (vega as unknown as { Marks: Record<string, { draw: (...a: unknown[]) => void }> })
    .Marks;
  const symbol = marks.symbol;
  const original = symbol.draw;
  symbol.draw = function (this: unknown, ctx: unknown, scene: unknown, ...rest: unknown[]) {
    const hook = activeHooks?.get((scene as { name?: string }).name ?? '');
    if (hook) hook(ctx as SKRSContext2D);
    else original.call(this, ctx, scene, ...rest);
  };
}

/** Runs `render` with the given marks drawn by the fast path. */
export function withFastMarks(hooks: Map<string, Draw>, render: () => void): void {
  installHook();
  activeHooks = hooks;
  try {
    render();
  } finally {
    activeHooks = null;
  }
}

/** A channel evaluated per row: a number or a colour. */
type RowFn<T> = (row: number) => T;

function numberChannel(
  rule: ChannelRule | undefined,
  fallback: number,
  cols: Record<string, Column>,
  scales: ScaleLookup,
): RowFn<number> {
  if (!rule) return () => fallback;
  if (rule.kind === 'value') {
    const v = Number(rule.value);
    return () => v;
  }
  if (rule.kind === 'signal') {
    const v = Number(scales.signal(rule.signal)) * rule.mult;
    return () => v;
  }
  const col = cols[rule.field];
  const scale = rule.scale ? scales.scale(rule.scale) : undefined;
  if (!col) return () => NaN;
  if (col.kind === 'number' && scale) {
    const values = col.values;
    return (r) => Number(scale(values[r]));
  }
  if (col.kind === 'number') {
    const values = col.values;
    return (r) => values[r];
  }
  if (col.kind === 'string' && scale) {
    // Map each dictionary entry once, not each row.
    const mapped = Float64Array.from(col.dict, (s) => Number(scale(s)));
    const codes = col.codes;
    return (r) => (codes[r] < 0 ? NaN : mapped[codes[r]]);
  }
  return (r) => Number(scale ? scale(cellValue(col, r)) : cellValue(col, r));
}

const TRANSPARENT = new Uint8ClampedArray(4);

function colorChannel(
  rule: ChannelRule | undefined,
  cols: Record<string, Column>,
  scales: ScaleLookup,
): RowFn<Uint8ClampedArray> | undefined {
  if (!rule) return undefined;
  const toRgba = (v: unknown) => (typeof v === 'string' ? parseColor(v) : TRANSPARENT);
  if (rule.kind === 'value') {
    if (rule.value == null || rule.value === 'transparent') return undefined;
    const c = toRgba(rule.value);
    return () => c;
  }
  if (rule.kind !== 'field') return undefined;
  const col = cols[rule.field];
  const scale = rule.scale ? scales.scale(rule.scale) : undefined;
  if (!col) return () => TRANSPARENT;
  if (col.kind === 'string') {
    const mapped = col.dict.map((s) => toRgba(scale ? scale(s) : s));
    const codes = col.codes;
    return (r) => (codes[r] < 0 ? TRANSPARENT : mapped[codes[r]]);
  }
  // Numbers: memoise per value; label-propagation ranks repeat heavily.
  const memo = new Map<unknown, Uint8ClampedArray>();
  return (r) => {
    const v = cellValue(col, r);
    let c = memo.get(v);
    if (!c) {
      c = toRgba(scale ? scale(v) : v);
      if (memo.size < 65536) memo.set(v, c);
    }
    return c;
  };
}

/** Straight-alpha RGBA overlay with a dirty rectangle, composited with one drawImage. */
class Overlay {
  readonly acc: Float32Array; // premultiplied RGBA in 0..1
  x0 = Infinity;
  y0 = Infinity;
  x1 = -Infinity;
  y1 = -Infinity;
  private canvas: Canvas | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.acc = new Float32Array(width * height * 4);
  }

  /** Composites colour `c` with coverage×alpha `a` over pixel (x, y). */
  blend(x: number, y: number, c: Uint8ClampedArray, a: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || a <= 0) return;
    const i = (y * this.width + x) * 4;
    const acc = this.acc;
    const k = 1 - a;
    acc[i] = (c[0] / 255) * a + acc[i] * k;
    acc[i + 1] = (c[1] / 255) * a + acc[i + 1] * k;
    acc[i + 2] = (c[2] / 255) * a + acc[i + 2] * k;
    acc[i + 3] = a + acc[i + 3] * k;
    if (x < this.x0) this.x0 = x;
    if (x > this.x1) this.x1 = x;
    if (y < this.y0) this.y0 = y;
    if (y > this.y1) this.y1 = y;
  }

  /** Draws the overlay onto ctx (device pixels) and clears it for the next frame. */
  flush(ctx: SKRSContext2D): void {
    if (this.x1 < this.x0) return;
    const w = this.x1 - this.x0 + 1;
    const h = this.y1 - this.y0 + 1;
    if (!this.canvas || this.canvas.width < w || this.canvas.height < h) {
      this.canvas = createCanvas(this.width, this.height);
    }
    const octx = this.canvas.getContext('2d');
    const img = octx.createImageData(w, h);
    const out = img.data;
    const acc = this.acc;
    for (let y = 0; y < h; y++) {
      let i = ((y + this.y0) * this.width + this.x0) * 4;
      let o = y * w * 4;
      for (let x = 0; x < w; x++, i += 4, o += 4) {
        const a = acc[i + 3];
        if (a > 0) {
          out[o] = (acc[i] / a) * 255 + 0.5;
          out[o + 1] = (acc[i + 1] / a) * 255 + 0.5;
          out[o + 2] = (acc[i + 2] / a) * 255 + 0.5;
          out[o + 3] = a * 255 + 0.5;
          acc[i] = acc[i + 1] = acc[i + 2] = acc[i + 3] = 0;
        }
      }
    }
    octx.putImageData(img, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.canvas, 0, 0, w, h, this.x0, this.y0, w, h);
    ctx.restore();
    this.x0 = this.y0 = Infinity;
    this.x1 = this.y1 = -Infinity;
  }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Coverage of pixel (px, py) by a disc of radius r at (cx, cy), device space. */
function discCoverage(px: number, py: number, cx: number, cy: number, r: number): number {
  const dx = px + 0.5 - cx;
  const dy = py + 0.5 - cy;
  return clamp01(r + 0.5 - Math.sqrt(dx * dx + dy * dy));
}

/** Coverage of pixel (px, py) by an axis-aligned square of half-side h at (cx, cy). */
function squareCoverage(px: number, py: number, cx: number, cy: number, h: number): number {
  const ox = Math.min(px + 1, cx + h) - Math.max(px, cx - h);
  const oy = Math.min(py + 1, cy + h) - Math.max(py, cy - h);
  return ox > 0 && oy > 0 ? ox * oy : 0;
}

export class FastSymbolLayer {
  private overlay: Overlay | undefined;
  private frame = 0;

  constructor(
    readonly mark: FastSymbolMark,
    private readonly source: PlannedSource,
    private readonly scales: ScaleLookup,
  ) {}

  setFrame(frame: number): void {
    this.frame = frame;
  }

  /** Draws the current frame's symbols onto `ctx` at its current transform. */
  readonly draw = (ctx: SKRSContext2D): void => {
    const rows = frameRows(this.source, this.frame);
    if (!rows || rows.length === 0) return;
    const canvas = ctx.canvas as Canvas;
    if (
      !this.overlay ||
      this.overlay.width !== canvas.width ||
      this.overlay.height !== canvas.height
    ) {
      this.overlay = new Overlay(canvas.width, canvas.height);
    }
    const overlay = this.overlay;
    const t = ctx.getTransform();
    const sx = t.a;
    const sy = t.d;
    const cols = this.source.table.columns;
    const ch = this.mark.channels;
    const x = numberChannel(ch.x, 0, cols, this.scales);
    const y = numberChannel(ch.y, 0, cols, this.scales);
    const size = numberChannel(ch.size, 64, cols, this.scales);
    const opacity = numberChannel(ch.opacity, 1, cols, this.scales);
    const fillOpacity = numberChannel(ch.fillOpacity, 1, cols, this.scales);
    const strokeOpacity = numberChannel(ch.strokeOpacity, 1, cols, this.scales);
    const strokeWidth = numberChannel(ch.strokeWidth, 1, cols, this.scales);
    const fill = colorChannel(ch.fill, cols, this.scales);
    const stroke = colorChannel(ch.stroke, cols, this.scales);
    const square = ch.shape?.kind === 'value' && ch.shape.value === 'square';
    const valid = this.mark.validFields.map((f) => cols[f]).filter(Boolean);
    const isValid = (r: number) =>
      valid.every((c) =>
        c.kind === 'number'
          ? Number.isFinite(c.values[r])
          : c.kind === 'string'
            ? c.codes[r] >= 0
            : c.values[r] != null,
      );

    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (valid.length && !isValid(r)) continue;
      const px = x(r);
      const py = y(r);
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      const op = opacity(r);
      if (!(op > 0)) continue;
      const cx = t.e + sx * px;
      const cy = t.f + sy * py;
      const half = (Math.sqrt(Math.max(0, size(r))) / 2) * sx;
      if (fill) this.paint(overlay, cx, cy, half, 0, fill(r), op * fillOpacity(r), square);
      if (stroke) {
        const w = strokeWidth(r) * sx;
        if (w > 0) this.paint(overlay, cx, cy, half, w, stroke(r), op * strokeOpacity(r), square);
      }
    }
    overlay.flush(ctx);
  };

  /** Paints a filled shape (strokeWidth 0) or its outline of width w. */
  private paint(
    o: Overlay,
    cx: number,
    cy: number,
    half: number,
    w: number,
    c: Uint8ClampedArray,
    alpha: number,
    square: boolean,
  ): void {
    const a = alpha * (c[3] / 255);
    if (a <= 0) return;
    const outer = half + w / 2;
    const inner = half - w / 2;
    const x0 = Math.floor(cx - outer - 1);
    const x1 = Math.ceil(cx + outer + 1);
    const y0 = Math.floor(cy - outer - 1);
    const y1 = Math.ceil(cy + outer + 1);
    const cover = square ? squareCoverage : discCoverage;
    // Tiny discs: the per-pixel estimate over-covers; scale to the true area.
    let norm = 1;
    if (!square && w === 0 && half < 1) {
      let sum = 0;
      for (let py = y0; py <= y1; py++)
        for (let px = x0; px <= x1; px++) sum += cover(px, py, cx, cy, half);
      norm = sum > 0 ? Math.min(1, (Math.PI * half * half) / sum) : 0;
    }
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
        let cov = cover(px, py, cx, cy, w === 0 ? half : outer);
        if (w > 0 && inner > 0) cov -= cover(px, py, cx, cy, inner);
        if (cov > 0) o.blend(px, py, c, a * cov * norm);
      }
    }
  }
}
