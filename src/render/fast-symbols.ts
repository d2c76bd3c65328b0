/**
 * The fast raster path for large symbol marks: per frame, evaluate the mark's channels
 * straight from typed columns through Vega's own (fixed) scales, rasterize anti-aliased
 * circles/squares into an overlay, and composite the overlay at the mark's place in
 * Vega's draw order, so clipping and z-order stay Vega's. Pixel-close to Vega's canvas
 * renderer; tests bound the difference.
 */
import { type Canvas, type SKRSContext2D, createCanvas } from 'canvas';
import { allocatingCanvas } from './allocate.js';
import * as vega from 'vega';
import type { DirectMark, ChannelRule } from './mark-plan.js';
import type { PlannedSource } from '../data/partition.js';
import { MOTION_COLUMNS, colorColumn } from '../compile/index.js';
import { type Column, type ColumnTable, cellValue } from '../data/table.js';
import { parseColor } from './colors.js';

type ScaleFn = ((v: unknown) => unknown) & { bandwidth?: () => number };
export interface ScaleLookup {
  scale(name: string): ScaleFn | undefined;
  signal(name: string): unknown;
}

/** Draws a mark in Vega's place; `vegaDraw` draws it as Vega would have. */
export type Draw = (ctx: SKRSContext2D, scene: SceneMark, vegaDraw: () => void) => void;

/** The parts of a Vega scenegraph mark the fast path reads. */
export interface SceneMark {
  marktype: string;
  name?: string;
  zindex?: number;
  clip?: boolean;
  bounds?: { x1: number; y1: number; x2: number; y2: number };
  items: SceneItem[];
  group?: SceneItem;
}
interface SceneItem {
  x?: number;
  y?: number;
  clip?: boolean;
  items?: SceneMark[];
  mark: SceneMark;
}

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
  for (const type of ['symbol', 'rect']) {
    const mark = marks[type];
    const original = mark.draw;
    mark.draw = function (this: unknown, ctx: unknown, scene: unknown, ...rest: unknown[]) {
      const hook = activeHooks?.get((scene as { name?: string }).name ?? '');
      const vegaDraw = () => original.call(this, ctx, scene, ...rest);
      if (hook) hook(ctx as SKRSContext2D, scene as SceneMark, vegaDraw);
      else vegaDraw();
    };
  }
}

/** A mark the renderer draws itself (symbols one by one, or a grid of cells as an image). */
export interface DirectLayer {
  readonly mark: DirectMark;
  readonly source: PlannedSource;
  /** Rows of the current frame (drawn when valid). */
  readonly rowCount: number;
  /** The table the current frame's rows (and `boundsRows`) index. */
  readonly frameTable: ColumnTable;
  /** Sets the rows to draw: `rows` of `table` (a tweened frame brings its own table). */
  setFrameData(table: ColumnTable, rows: Uint32Array): void;
  /** The few rows Vega is given for its layout (it never draws them: the hook does). */
  boundsRows(): Uint32Array;
  /** The scales' domains changed (a rescaled frame). */
  scalesChanged(): void;
  /** Draws the current frame in place of Vega's drawing of the mark. */
  readonly draw: Draw;
  /** Whether the next draw may defer its paint to `blendDeferred` (raster output only). */
  allowDeferred: boolean;
  /** Blends a deferred paint into opaque RGBA pixels of the given width. */
  blendDeferred(rgba: Uint8Array, width: number, height: number): void;
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
export type RowFn<T> = (row: number) => T;

/**
 * A position channel for a whole frame at once: a tight loop over the column when the
 * scale is affine (checked against the scale itself), else the per-row function.
 */
function positionChannel(
  rule: ChannelRule | undefined,
  cols: Record<string, Column>,
  scales: ScaleLookup,
): (rows: Uint32Array, out: Float64Array) => void {
  const at = numberChannel(rule, 0, cols, scales);
  const col = rule?.kind === 'field' ? cols[rule.field] : undefined;
  const scale = rule?.kind === 'field' && rule.scale ? scales.scale(rule.scale) : undefined;
  const affine = col?.kind === 'number' && scale ? affineOf(scale) : undefined;
  if (affine && col?.kind === 'number') {
    const { a, b } = affine;
    const values = col.values;
    return (rows, out) => {
      for (let i = 0; i < rows.length; i++) out[i] = a * values[rows[i]] + b;
    };
  }
  return (rows, out) => {
    for (let i = 0; i < rows.length; i++) out[i] = at(rows[i]);
  };
}

/**
 * y = a·x + b when the scale is exactly that (a linear scale without clamping or rounding),
 * verified at points inside and outside its domain; else undefined.
 */
function affineOf(scale: ScaleFn): { a: number; b: number } | undefined {
  const s = scale as ScaleFn & { type?: string; domain?: () => unknown[] };
  if (s.type !== 'linear' || !s.domain) return undefined;
  const d = s.domain().map(Number);
  if (d.length !== 2 || !Number.isFinite(d[0]) || !Number.isFinite(d[1]) || d[0] === d[1])
    return undefined;
  const f = (v: number) => Number(scale(v));
  const a = (f(d[1]) - f(d[0])) / (d[1] - d[0]);
  const b = f(d[0]) - a * d[0];
  const span = d[1] - d[0];
  for (const t of [-0.5, 0.137, 0.5, 0.861, 1.5]) {
    const v = d[0] + t * span;
    const expected = f(v);
    if (!(Math.abs(expected - (a * v + b)) <= 1e-9 * (1 + Math.abs(expected)))) return undefined;
  }
  return { a, b };
}

export function numberChannel(
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

// Motion columns (compile/motion.ts): a tweened frame's table may carry them; a null cell
// (NaN) leaves the row as drawn without motion.

export function scaledBy(at: RowFn<number>, factor: Column | undefined): RowFn<number> {
  if (factor?.kind !== 'number') return at;
  const f = factor.values;
  return (r) => (Number.isNaN(f[r]) ? at(r) : at(r) * f[r]);
}

function flown(
  fill: (rows: Uint32Array, out: Float64Array) => void,
  fraction: Column | undefined,
  span: () => number,
): (rows: Uint32Array, out: Float64Array) => void {
  if (fraction?.kind !== 'number') return fill;
  const f = fraction.values;
  return (rows, out) => {
    fill(rows, out);
    const s = span();
    for (let i = 0; i < rows.length; i++) {
      const v = f[rows[i]];
      if (!Number.isNaN(v)) out[i] += v * s;
    }
  };
}

export function mixedColor(
  rule: ChannelRule | undefined,
  at: RowFn<Uint8ClampedArray> | undefined,
  cols: Record<string, Column>,
): RowFn<Uint8ClampedArray> | undefined {
  const mixed = rule?.kind === 'field' && rule.scale ? cols[colorColumn(rule.scale)] : undefined;
  if (!at || mixed?.kind !== 'string') return at;
  const colors = mixed.dict.map((c) => parseColor(c));
  const codes = mixed.codes;
  return (r) => (codes[r] < 0 ? at(r) : colors[codes[r]]);
}

export function colorChannel(
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
  // Linear colour scales: a table sampled from the scale itself over its domain, so a
  // value costs an index, not a scale call and a colour parse (200k distinct values a
  // frame in label propagation). 2048 steps are finer than a GIF palette can show.
  const lut = col.kind === 'number' && scale ? linearColorTable(scale, toRgba) : undefined;
  if (lut && col.kind === 'number') {
    const { table, lo, step, size } = lut;
    const values = col.values;
    return (r) => {
      const v = values[r];
      const k = Math.round((v - lo) / step);
      if (k >= 0 && k < size) return table[k];
      return Number.isNaN(v) ? TRANSPARENT : toRgba(scale!(v));
    };
  }
  // Other numbers: memoise per value.
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

const LUT_SIZE = 2048;

function linearColorTable(
  scale: ScaleFn,
  toRgba: (v: unknown) => Uint8ClampedArray,
): { table: Uint8ClampedArray[]; lo: number; step: number; size: number } | undefined {
  const s = scale as ScaleFn & { type?: string; domain?: () => unknown[] };
  // Vega names them 'linear', or 'sequential-linear' / 'diverging-linear' with a scheme.
  if (!/^(sequential-|diverging-)?linear$|^sequential$/.test(String(s.type)) || !s.domain)
    return undefined;
  const domain = s.domain().map(Number);
  // Reduced, not spread: a spec's domain may be longer than a call's argument list.
  const lo = domain.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = domain.reduce((a, b) => Math.max(a, b), -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return undefined;
  // A domain point given twice is a jump in colour: a table would blur it over a step, and
  // values beside it would take the other side's colour. Such scales map each value.
  if (domain.some((d, k) => k > 0 && d === domain[k - 1])) return undefined;
  const step = (hi - lo) / (LUT_SIZE - 1);
  const table = Array.from({ length: LUT_SIZE }, (_, k) => toRgba(scale(lo + k * step)));
  return { table, lo, step, size: LUT_SIZE };
}

/** Straight-alpha RGBA overlay with a dirty rectangle, composited with one drawImage. */
class Overlay implements PaintTarget {
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

  /**
   * Composites colour `c` (bytes) with opacity `alpha` through a coverage stamp whose centre
   * pixel is (px, py). Bounds are checked once per stamp, not per pixel.
   */
  stamp(px: number, py: number, st: Stamp, c: Uint8ClampedArray, alpha: number): void {
    const { width, height, acc } = this;
    const xa = px + st.minDx;
    const xb = px + st.maxDx;
    const ya = py + st.minDy;
    const yb = py + st.maxDy;
    if (xb < 0 || yb < 0 || xa >= width || ya >= height) return;
    const inside = xa >= 0 && ya >= 0 && xb < width && yb < height;
    const r = c[0] / 255;
    const g = c[1] / 255;
    const b = c[2] / 255;
    const { dx, dy, cov, n } = st;
    for (let k = 0; k < n; k++) {
      const x = px + dx[k];
      const y = py + dy[k];
      if (!inside && (x < 0 || y < 0 || x >= width || y >= height)) continue;
      const a = alpha * cov[k];
      const i = (y * width + x) * 4;
      const keep = 1 - a;
      acc[i] = r * a + acc[i] * keep;
      acc[i + 1] = g * a + acc[i + 1] * keep;
      acc[i + 2] = b * a + acc[i + 2] * keep;
      acc[i + 3] = a + acc[i + 3] * keep;
    }
    if (xa < this.x0) this.x0 = Math.max(0, xa);
    if (xb > this.x1) this.x1 = Math.min(width - 1, xb);
    if (ya < this.y0) this.y0 = Math.max(0, ya);
    if (yb > this.y1) this.y1 = Math.min(height - 1, yb);
  }

  /** Draws the overlay onto ctx (device pixels) and clears it for the next frame. */
  flush(ctx: SKRSContext2D): void {
    if (this.x1 < this.x0) return;
    const w = this.x1 - this.x0 + 1;
    const h = this.y1 - this.y0 + 1;
    if (!this.canvas || this.canvas.width < w || this.canvas.height < h) {
      this.canvas = allocatingCanvas(this.width, this.height, () =>
        createCanvas(this.width, this.height),
      );
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

/**
 * What every direct layer holds: the current frame's table (the source's own, or a
 * tween's) and rows in it, and a key that changes when what its channel functions read
 * changes (the view's size, a rescaled frame's domains).
 */
export abstract class FrameRowsLayer {
  protected table: ColumnTable;
  protected rows: Uint32Array = new Uint32Array(0);
  private scalesVersion = 0;

  constructor(
    readonly mark: DirectMark,
    readonly source: PlannedSource,
    protected readonly scales: ScaleLookup,
  ) {
    this.table = source.table;
  }

  /** Rows of the current frame (drawn when valid). */
  get rowCount(): number {
    return this.rows.length;
  }

  /** The table the current frame's rows (and `boundsRows`) index. */
  get frameTable(): ColumnTable {
    return this.table;
  }

  /** Sets the rows to draw: `rows` of `table` (a tweened frame brings its own table). */
  setFrameData(table: ColumnTable, rows: Uint32Array): void {
    this.table = table;
    this.rows = rows;
  }

  /** The scales' domains changed (a rescaled frame): re-derive the channel functions. */
  scalesChanged(): void {
    this.scalesVersion++;
  }

  /**
   * Keys the channel functions: scales are fixed for the whole animation and the columns
   * never change; only `width`/`height` signals (which some encodings and the scales'
   * ranges read) and a rescaled frame's domains can.
   */
  protected channelsKey(): string {
    return `${this.scales.signal('width')},${this.scales.signal('height')},${this.scalesVersion}`;
  }
}

export class FastSymbolLayer extends FrameRowsLayer implements DirectLayer {
  private overlay: Overlay | undefined;
  private readonly stamps = new StampCache();

  override setFrameData(table: ColumnTable, rows: Uint32Array): void {
    super.setFrameData(table, rows);
    this.evaluated = false;
  }

  /** The size of the group the mark sits in, as last drawn (fly offsets are fractions of it). */
  private groupSize: { width?: number; height?: number } = {};

  override scalesChanged(): void {
    super.scalesChanged();
    this.evaluated = false;
  }

  // The current frame's positions (Vega's scene units) and validity, evaluated once and
  // shared by boundsRows (before Vega runs) and record (when the mark draws).
  private px = new Float64Array(0);
  private py = new Float64Array(0);
  private ok = new Uint8Array(0);
  private evaluated = false;

  private evaluate(rows: Uint32Array): void {
    // Re-evaluate when the channels were rebuilt since (a run changed width/height, and so
    // the scales' ranges, after boundsRows evaluated the frame).
    if (this.evaluated && this.evaluatedWith === this.cached) return;
    if (this.px.length < rows.length) {
      this.px = new Float64Array(rows.length);
      this.py = new Float64Array(rows.length);
      this.ok = new Uint8Array(rows.length);
    }
    const { fillX, fillY, fillValid } = this.channels();
    fillX(rows, this.px);
    fillY(rows, this.py);
    fillValid(rows, this.ok);
    this.evaluated = true;
    this.evaluatedWith = this.cached;
  }
  private evaluatedWith: unknown;

  /**
   * Draws the current frame's symbols at `ctx`'s transform. When nothing Vega draws later
   * overlaps them (and no clip applies), the paint is deferred and blended straight into
   * the frame's pixels after Vega finishes (`blendDeferred`): no overlay, no drawImage.
   */
  readonly draw = (ctx: SKRSContext2D, scene: SceneMark): void => {
    this.ops.clear();
    this.deferred = false;
    // Fly offsets read the group's size: re-evaluate only when it changed (undefined for
    // a group without one, which stays undefined).
    const group = scene.group as { width?: number; height?: number } | undefined;
    const [w, h] = [group?.width, group?.height];
    if (w !== this.groupSize.width || h !== this.groupSize.height) {
      this.groupSize = { width: w, height: h };
      if (this.table.columns[MOTION_COLUMNS.flyX] || this.table.columns[MOTION_COLUMNS.flyY])
        this.evaluated = false;
    }
    const rows = this.rows;
    if (rows.length === 0) return;
    const canvas = ctx.canvas as Canvas;
    const t = ctx.getTransform();
    this.record(rows, t.a, t.d, t.e, t.f);
    const later = this.allowDeferred ? laterMarkBounds(scene) : undefined;
    if (later && !later.clipped) {
      const ox = t.e - t.a * later.groupX;
      const oy = t.f - t.d * later.groupY;
      const overlaps = later.bounds.some(
        (b) =>
          !(
            ox + t.a * b.x2 < this.ops.x0 - 1 ||
            ox + t.a * b.x1 > this.ops.x1 + 1 ||
            oy + t.d * b.y2 < this.ops.y0 - 1 ||
            oy + t.d * b.y1 > this.ops.y1 + 1
          ),
      );
      if (!overlaps) {
        this.deferred = true;
        return;
      }
    }
    if (
      !this.overlay ||
      this.overlay.width !== canvas.width ||
      this.overlay.height !== canvas.height
    ) {
      this.overlay = new Overlay(canvas.width, canvas.height);
    }
    this.ops.replay(this.overlay);
    this.overlay.flush(ctx);
  };

  /**
   * The rows of the current frame whose symbols reach furthest left, right, up and down
   * (centre ± half the symbol's width), and the largest one. Vega gets these few rows (it never draws them: the hook does), so
   * its layout — autosize, bounds, origin — is the one it would compute from every row.
   */
  boundsRows(): Uint32Array {
    const rows = this.rows;
    if (rows.length === 0) return new Uint32Array(0);
    this.evaluate(rows);
    const { size } = this.channels();
    const { px: xs, py: ys, ok } = this;
    let [left, right, top, bottom, largest] = [-1, -1, -1, -1, -1];
    let [minX, maxX, minY, maxY, maxSize] = [Infinity, -Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < rows.length; i++) {
      const px = xs[i];
      const py = ys[i];
      if (!ok[i] || !Number.isFinite(px) || !Number.isFinite(py)) continue;
      const r = rows[i];
      const s = size(r);
      // Reach from the centre (in the mark's units; a stroke adds little and is rare here).
      const reach = Math.sqrt(Math.max(0, s)) / 2;
      if (px - reach < minX) [minX, left] = [px - reach, r];
      if (px + reach > maxX) [maxX, right] = [px + reach, r];
      if (py - reach < minY) [minY, top] = [py - reach, r];
      if (py + reach > maxY) [maxY, bottom] = [py + reach, r];
      if (s > maxSize) [maxSize, largest] = [s, r];
    }
    const best = [left, right, top, bottom, largest];
    return Uint32Array.from(new Set(best.filter((r) => r >= 0)));
  }

  /** Whether the next draw may defer its paint to `blendDeferred` (raster output only). */
  allowDeferred = false;
  private deferred = false;
  private readonly ops = new PaintOps();

  /** Blends a deferred paint into opaque RGBA pixels of the given width. */
  blendDeferred(rgba: Uint8Array, width: number, height: number): void {
    if (this.deferred) this.ops.replay(new DirectTarget(rgba, width, height));
    this.deferred = false;
  }

  private cached:
    { key: string; channels: ReturnType<FastSymbolLayer['buildChannels']> } | undefined;

  /** The row → value functions, built once per channelsKey and table. */
  private channels() {
    const key = this.channelsKey();
    if (this.cached?.key !== key || this.cachedTable !== this.table) {
      this.cached = { key, channels: this.buildChannels() };
      this.cachedTable = this.table;
    }
    return this.cached.channels;
  }
  private cachedTable: ColumnTable | undefined;

  private buildChannels() {
    const cols = this.table.columns;
    const ch = this.mark.channels;
    const valid = this.mark.validFields.map((f) => cols[f]).filter(Boolean);
    return {
      // Fly offsets are fractions of the mark's group (its unit's plot), as in Vega.
      fillX: flown(
        positionChannel(ch.x, cols, this.scales),
        cols[MOTION_COLUMNS.flyX],
        () => this.groupSize.width ?? Number(this.scales.signal('width')),
      ),
      fillY: flown(
        positionChannel(ch.y, cols, this.scales),
        cols[MOTION_COLUMNS.flyY],
        () => this.groupSize.height ?? Number(this.scales.signal('height')),
      ),
      fillValid: (rows: Uint32Array, ok: Uint8Array) => {
        ok.fill(1, 0, rows.length);
        for (const c of valid) {
          if (c.kind === 'number') {
            const v = c.values;
            for (let i = 0; i < rows.length; i++) if (!Number.isFinite(v[rows[i]])) ok[i] = 0;
          } else if (c.kind === 'string') {
            const k = c.codes;
            for (let i = 0; i < rows.length; i++) if (k[rows[i]] < 0) ok[i] = 0;
          } else {
            const v = c.values;
            for (let i = 0; i < rows.length; i++) if (v[rows[i]] == null) ok[i] = 0;
          }
        }
      },
      size: scaledBy(numberChannel(ch.size, 64, cols, this.scales), cols[MOTION_COLUMNS.grow]),
      opacity: scaledBy(
        numberChannel(ch.opacity, 1, cols, this.scales),
        cols[MOTION_COLUMNS.alpha],
      ),
      fillOpacity: numberChannel(ch.fillOpacity, 1, cols, this.scales),
      strokeOpacity: numberChannel(ch.strokeOpacity, 1, cols, this.scales),
      strokeWidth: numberChannel(ch.strokeWidth, 1, cols, this.scales),
      fill: mixedColor(ch.fill, colorChannel(ch.fill, cols, this.scales), cols),
      stroke: mixedColor(ch.stroke, colorChannel(ch.stroke, cols, this.scales), cols),
      square: ch.shape?.kind === 'value' && ch.shape.value === 'square',
    };
  }

  /** Evaluates every row's channels and records its paint operations (device space). */
  private record(rows: Uint32Array, sx: number, sy: number, tx: number, ty: number): void {
    const { size, opacity, fillOpacity, strokeOpacity, strokeWidth, fill, stroke, square } =
      this.channels();
    this.evaluate(rows);
    const { px: xs, py: ys, ok } = this;
    for (let i = 0; i < rows.length; i++) {
      if (!ok[i]) continue;
      const px = xs[i];
      const py = ys[i];
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      const r = rows[i];
      const op = opacity(r);
      if (!(op > 0)) continue;
      const cx = tx + sx * px;
      const cy = ty + sy * py;
      const half = (Math.sqrt(Math.max(0, size(r))) / 2) * sx;
      if (fill) this.paint(cx, cy, half, 0, fill(r), op * fillOpacity(r), square);
      if (stroke) {
        const w = strokeWidth(r) * sx;
        if (w > 0) this.paint(cx, cy, half, w, stroke(r), op * strokeOpacity(r), square);
      }
    }
  }

  /** Paints a filled shape (strokeWidth 0) or its outline of width w. */
  private paint(
    cx: number,
    cy: number,
    half: number,
    w: number,
    c: Uint8ClampedArray,
    alpha: number,
    square: boolean,
  ): void {
    // NaN (a null opacity cell) draws nothing; above 1 is 1, as on a canvas.
    const a = Math.min(1, alpha * (c[3] / 255));
    if (!(a > 0)) return;
    const px = Math.floor(cx);
    const py = Math.floor(cy);
    const qx = Math.min(STAMP_SUB - 1, Math.floor((cx - px) * STAMP_SUB));
    const qy = Math.min(STAMP_SUB - 1, Math.floor((cy - py) * STAMP_SUB));
    this.ops.push(px, py, this.stamps.get(half, w, square, qx, qy), c, a);
  }
}

/** Where recorded paint lands: the overlay (Vega's z-order) or the final pixels. */
interface PaintTarget {
  stamp(px: number, py: number, st: Stamp, c: Uint8ClampedArray, alpha: number): void;
}

/** One frame's paint operations, in draw order, with their device-space extent. */
class PaintOps {
  private x = new Int32Array(1024);
  private y = new Int32Array(1024);
  private alpha = new Float32Array(1024);
  private stamps: Stamp[] = [];
  private colors: Uint8ClampedArray[] = [];
  private n = 0;
  x0 = Infinity;
  y0 = Infinity;
  x1 = -Infinity;
  y1 = -Infinity;

  clear(): void {
    this.n = 0;
    this.x0 = this.y0 = Infinity;
    this.x1 = this.y1 = -Infinity;
  }

  push(px: number, py: number, st: Stamp, c: Uint8ClampedArray, alpha: number): void {
    if (this.n === this.x.length) {
      const grow = <T extends Int32Array | Float32Array>(a: T, b: T) => (b.set(a), b);
      this.x = grow(this.x, new Int32Array(this.n * 2));
      this.y = grow(this.y, new Int32Array(this.n * 2));
      this.alpha = grow(this.alpha, new Float32Array(this.n * 2));
    }
    const k = this.n++;
    this.x[k] = px;
    this.y[k] = py;
    this.alpha[k] = alpha;
    this.stamps[k] = st;
    this.colors[k] = c;
    if (px + st.minDx < this.x0) this.x0 = px + st.minDx;
    if (px + st.maxDx > this.x1) this.x1 = px + st.maxDx;
    if (py + st.minDy < this.y0) this.y0 = py + st.minDy;
    if (py + st.maxDy > this.y1) this.y1 = py + st.maxDy;
  }

  replay(target: PaintTarget): void {
    for (let k = 0; k < this.n; k++)
      target.stamp(this.x[k], this.y[k], this.stamps[k], this.colors[k], this.alpha[k]);
  }
}

/** Straight "over" compositing onto opaque RGBA bytes (the rendered frame). */
class DirectTarget implements PaintTarget {
  constructor(
    private readonly rgba: Uint8Array,
    private readonly width: number,
    private readonly height: number,
  ) {}

  stamp(px: number, py: number, st: Stamp, c: Uint8ClampedArray, alpha: number): void {
    const { width, height, rgba } = this;
    const { cov, n } = st;
    const r = c[0];
    const g = c[1];
    const b = c[2];
    if (
      px + st.minDx >= 0 &&
      py + st.minDy >= 0 &&
      px + st.maxDx < width &&
      py + st.maxDy < height
    ) {
      // Wholly inside (nearly every point): byte offsets from the centre, made once per
      // frame width, instead of x/y arithmetic and bounds checks per pixel.
      let offsets = st.offsets;
      if (!offsets || st.offsetsWidth !== width) {
        offsets = st.offsets = Int32Array.from(st.dx, (dx, k) => (st.dy[k] * width + dx) * 4);
        st.offsetsWidth = width;
      }
      const centre = (py * width + px) * 4;
      for (let k = 0; k < n; k++) {
        const a = alpha * cov[k];
        const keep = 1 - a;
        const i = centre + offsets[k];
        rgba[i] = r * a + rgba[i] * keep + 0.5;
        rgba[i + 1] = g * a + rgba[i + 1] * keep + 0.5;
        rgba[i + 2] = b * a + rgba[i + 2] * keep + 0.5;
      }
      return;
    }
    const { dx, dy } = st;
    for (let k = 0; k < n; k++) {
      const x = px + dx[k];
      const y = py + dy[k];
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const a = alpha * cov[k];
      const keep = 1 - a;
      const i = (y * width + x) * 4;
      rgba[i] = r * a + rgba[i] * keep + 0.5;
      rgba[i + 1] = g * a + rgba[i + 1] * keep + 0.5;
      rgba[i + 2] = b * a + rgba[i + 2] * keep + 0.5;
    }
  }
}

/** A rectangle in scene coordinates. */
interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The bounds of every mark Vega draws after `fast` (one rectangle each, in the scene
 * root's coordinates), the root offset of `fast`'s group, and whether a clip applies to
 * `fast` (then the overlay path, which Vega clips, is used).
 */
function laterMarkBounds(
  fast: SceneMark,
): { bounds: Rect[]; groupX: number; groupY: number; clipped: boolean } | undefined {
  let root = fast;
  while (root.group?.mark) root = root.group.mark;
  const bounds: Rect[] = [];
  let found = false;
  let groupX = 0;
  let groupY = 0;
  let clipped = !!fast.clip;
  let reordered = false;
  const visit = (mark: SceneMark, ox: number, oy: number, clip: boolean): void => {
    // Vega draws marks with a zindex after their siblings, out of array order; and a later
    // fast mark has no bounds of its own. Either way, only the overlay keeps the order.
    if (mark.zindex) reordered = true;
    if (found && mark.name !== undefined && activeHooks?.has(mark.name)) reordered = true;
    if (found) {
      const b = mark.bounds;
      if (b && b.x2 >= b.x1)
        bounds.push({ x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy });
      return;
    }
    if (mark === fast) {
      found = true;
      groupX = ox;
      groupY = oy;
      clipped ||= clip;
      return;
    }
    if (mark.marktype !== 'group') return;
    for (const item of mark.items) {
      for (const child of item.items ?? [])
        visit(child, ox + (item.x ?? 0), oy + (item.y ?? 0), clip || !!item.clip);
    }
  };
  visit(root, 0, 0, false);
  return found ? { bounds, groupX, groupY, clipped: clipped || reordered } : undefined;
}

/** Sub-pixel positions per axis for which coverage stamps are precomputed. */
const STAMP_SUB = 8;

/** A shape's pixel coverage around its centre pixel, nonzero entries only. */
interface Stamp {
  dx: Int16Array;
  dy: Int16Array;
  cov: Float32Array;
  n: number;
  minDx: number;
  maxDx: number;
  minDy: number;
  maxDy: number;
  /** Byte offsets of the pixels from the centre in RGBA rows of `offsetsWidth` pixels. */
  offsets?: Int32Array;
  offsetsWidth?: number;
}

/**
 * Coverage stamps for one shape at STAMP_SUB² sub-pixel positions: a point then costs a
 * table lookup and a few blends instead of a square root per pixel. Centres are snapped to
 * an eighth of a pixel, invisible at chart scale and checked against Vega's renderer in tests.
 */
class StampCache {
  private readonly byShape = new Map<string, Stamp[]>();
  private lastHalf = NaN;
  private lastW = NaN;
  private lastSquare = false;
  private last: Stamp[] = [];

  get(half: number, w: number, square: boolean, qx: number, qy: number): Stamp {
    if (half !== this.lastHalf || w !== this.lastW || square !== this.lastSquare) {
      const key = `${half},${w},${square}`;
      let stamps = this.byShape.get(key);
      if (!stamps) {
        if (this.byShape.size > 256) this.byShape.clear(); // many sizes: keep memory bounded
        stamps = [];
        for (let y = 0; y < STAMP_SUB; y++) {
          for (let x = 0; x < STAMP_SUB; x++) {
            stamps.push(makeStamp(half, w, square, (x + 0.5) / STAMP_SUB, (y + 0.5) / STAMP_SUB));
          }
        }
        this.byShape.set(key, stamps);
      }
      this.lastHalf = half;
      this.lastW = w;
      this.lastSquare = square;
      this.last = stamps;
    }
    return this.last[qy * STAMP_SUB + qx];
  }
}

function makeStamp(half: number, w: number, square: boolean, fx: number, fy: number): Stamp {
  const outer = half + w / 2;
  const inner = half - w / 2;
  const reach = Math.ceil(outer + 1);
  const size = 2 * reach + 1;
  const offset = -reach;
  const full = new Float32Array(size * size);
  const cover = square ? squareCoverage : discCoverage;
  let sum = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const px = offset + i;
      const py = offset + j;
      let v = cover(px, py, fx, fy, w === 0 ? half : outer);
      if (w > 0 && inner > 0) v -= cover(px, py, fx, fy, inner);
      full[j * size + i] = Math.max(0, v);
      sum += Math.max(0, v);
    }
  }
  // Tiny discs: the per-pixel estimate over-covers; scale to the true area.
  if (!square && w === 0 && half < 1 && sum > 0) {
    const norm = Math.min(1, (Math.PI * half * half) / sum);
    for (let k = 0; k < full.length; k++) full[k] *= norm;
  }
  const nonzero: number[] = [];
  full.forEach((v, k) => v > 0 && nonzero.push(k));
  const dx = Int16Array.from(nonzero, (k) => (k % size) + offset);
  const dy = Int16Array.from(nonzero, (k) => Math.floor(k / size) + offset);
  return {
    dx,
    dy,
    cov: Float32Array.from(nonzero, (k) => full[k]),
    n: nonzero.length,
    minDx: dx.reduce((m, v) => Math.min(m, v), 0),
    maxDx: dx.reduce((m, v) => Math.max(m, v), 0),
    minDy: dy.reduce((m, v) => Math.min(m, v), 0),
    maxDy: dy.reduce((m, v) => Math.max(m, v), 0),
  };
}
