/**
 * The direct path for a grid of cells: a rect mark whose x and y are band scales (a
 * heatmap, an image from a matrix). Per frame, each row's colour goes into one pixel of a
 * columns × rows image, which is drawn over the grid's extent with one drawImage, at the
 * mark's place in Vega's draw order (clips and z-order stay Vega's). Rects filled one by
 * one leave a faint seam wherever a cell edge falls between device pixels (each edge is
 * anti-aliased against the background); one scaled image has no inner edges, so none.
 */
import { type Canvas, type SKRSContext2D, createCanvas } from 'canvas';
import type { DirectMark } from './mark-plan.js';
import { MOTION_COLUMNS } from '../compile/index.js';
import { type Column, type ColumnTable, cellValue } from '../data/table.js';
import {
  type DirectLayer,
  FrameRowsLayer,
  type RowFn,
  type SceneMark,
  colorChannel,
  mixedColor,
  numberChannel,
  scaledBy,
} from './fast-symbols.js';

type BandScale = ((v: unknown) => unknown) & {
  bandwidth?: () => number;
  domain?: () => unknown[];
};

/** One axis of the grid: where its cells start, their size, and each row's cell. */
interface Axis {
  /** Cells along the axis (the band scale's domain). */
  count: number;
  /** The first cell's start, in the mark's group (scene units). */
  start: number;
  /** A cell's size (the band), scene units. */
  band: number;
  /** The cell of row r along the axis, left to right / top to bottom; −1: off the grid. */
  cellOf: RowFn<number>;
}

/** A value as a key: dates by their time, so a column's Date and the domain's number meet. */
const key = (v: unknown) => (v instanceof Date ? +v : v);

/**
 * The axis of a band scale, read from the scale as Vega made it: cell k of the domain sits
 * at scale(domain[k]); with no inner padding the cells tile the range, so its place in the
 * image is its distance from the first cell in bands (a reversed or sorted domain included).
 */
function bandAxis(col: Column | undefined, scale: BandScale | undefined): Axis | undefined {
  const band = scale?.bandwidth?.() ?? 0;
  const domain = scale?.domain?.() ?? [];
  if (!scale || !col || !(band > 0) || domain.length === 0) return undefined;
  const at = domain.map((d) => Number(scale(d)));
  const start = at.reduce((a, b) => Math.min(a, b), Infinity);
  if (!Number.isFinite(start)) return undefined;
  const cells = at.map((p) => Math.round((p - start) / band));
  const count = cells.reduce((a, b) => Math.max(a, b), -1) + 1;
  if (col.kind === 'string') {
    const byText = new Map(domain.map((d, k) => [String(d), cells[k]]));
    const ofCode = Int32Array.from(col.dict, (s) => byText.get(s) ?? -1);
    const codes = col.codes;
    return { count, start, band, cellOf: (r) => (codes[r] < 0 ? -1 : ofCode[codes[r]]) };
  }
  const byValue = new Map(domain.map((d, k) => [key(d), cells[k]]));
  if (col.kind === 'number') {
    const values = col.values;
    // Whole-number domains (row and column indices) look up in an array, not a map.
    const whole = domain.every((d) => Number.isInteger(d));
    const lo = whole ? domain.reduce<number>((a, d) => Math.min(a, Number(d)), Infinity) : 0;
    const hi = whole ? domain.reduce<number>((a, d) => Math.max(a, Number(d)), -Infinity) : 0;
    if (whole && hi - lo < 4 * domain.length + 1024) {
      const table = new Int32Array(hi - lo + 1).fill(-1);
      domain.forEach((d, k) => (table[Number(d) - lo] = cells[k]));
      return {
        count,
        start,
        band,
        cellOf: (r) => {
          const i = values[r] - lo;
          return i >= 0 && i < table.length && Number.isInteger(i) ? table[i] : -1;
        },
      };
    }
    return { count, start, band, cellOf: (r) => byValue.get(values[r]) ?? -1 };
  }
  return { count, start, band, cellOf: (r) => byValue.get(key(cellValue(col, r))) ?? -1 };
}

export class FastCellLayer extends FrameRowsLayer implements DirectLayer {
  allowDeferred = false;
  private image: Canvas | undefined;
  private pixels: ReturnType<SKRSContext2D['createImageData']> | undefined;

  /** Cells are painted where Vega draws the mark; nothing is deferred. */
  blendDeferred(): void {}

  /**
   * The rows of the first and last cell along each axis: Vega lays out with these few (the
   * grid's extent), and never draws them.
   */
  boundsRows(): Uint32Array {
    const grid = this.grid();
    if (!grid) return new Uint32Array(0);
    const { x, y, valid } = grid;
    let [left, right, top, bottom] = [-1, -1, -1, -1];
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const r of this.rows) {
      const cx = x.cellOf(r);
      const cy = y.cellOf(r);
      if (cx < 0 || cy < 0 || !valid(r)) continue;
      if (cx < minX) [minX, left] = [cx, r];
      if (cx > maxX) [maxX, right] = [cx, r];
      if (cy < minY) [minY, top] = [cy, r];
      if (cy > maxY) [maxY, bottom] = [cy, r];
    }
    return Uint32Array.from(new Set([left, right, top, bottom].filter((r) => r >= 0)));
  }

  private cached:
    { key: string; table: ColumnTable; grid: ReturnType<FastCellLayer['build']> } | undefined;

  /** The axes and channels, rebuilt when the table, the scales or the view's size change. */
  private grid() {
    const key = this.channelsKey();
    if (this.cached?.key !== key || this.cached.table !== this.table)
      this.cached = { key, table: this.table, grid: this.build() };
    return this.cached.grid;
  }

  private build() {
    const cols = this.table.columns;
    const ch = this.mark.channels;
    const scaleOf = (rule: DirectMark['channels']['x']) =>
      rule?.kind === 'field' && rule.scale
        ? (this.scales.scale(rule.scale) as BandScale | undefined)
        : undefined;
    const x = ch.x?.kind === 'field' ? bandAxis(cols[ch.x.field], scaleOf(ch.x)) : undefined;
    const y = ch.y?.kind === 'field' ? bandAxis(cols[ch.y.field], scaleOf(ch.y)) : undefined;
    if (!x || !y) return undefined;
    const checks = this.mark.validFields.map((f) => cols[f]).filter(Boolean);
    const valid: RowFn<boolean> = (r) =>
      checks.every((c) =>
        c.kind === 'number'
          ? Number.isFinite(c.values[r])
          : c.kind === 'string'
            ? c.codes[r] >= 0
            : c.values[r] != null,
      );
    return {
      x,
      y,
      valid,
      fill: mixedColor(ch.fill, colorChannel(ch.fill, cols, this.scales), cols),
      opacity: scaledBy(
        numberChannel(ch.opacity, 1, cols, this.scales),
        cols[MOTION_COLUMNS.alpha],
      ),
      fillOpacity: numberChannel(ch.fillOpacity, 1, cols, this.scales),
    };
  }

  readonly draw = (ctx: SKRSContext2D, _scene: SceneMark): void => {
    const grid = this.grid();
    if (!grid || !grid.fill || this.rows.length === 0) return;
    const { x, y, valid, fill, opacity, fillOpacity } = grid;
    const width = x.count;
    const height = y.count;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = createCanvas(width, height);
      this.pixels = this.image.getContext('2d').createImageData(width, height);
    }
    const ictx = this.image.getContext('2d');
    // One pixel buffer for the animation, cleared each frame: a missing cell is empty.
    const pixels = this.pixels!;
    const data = pixels.data;
    data.fill(0);
    for (const r of this.rows) {
      const cx = x.cellOf(r);
      const cy = y.cellOf(r);
      if (cx < 0 || cy < 0 || !valid(r)) continue;
      const c = fill(r);
      // NaN (a null opacity) draws nothing; above 1 is 1, as on a canvas.
      const a = Math.min(1, (c[3] / 255) * opacity(r) * fillOpacity(r));
      if (!(a > 0)) continue;
      const i = (cy * width + cx) * 4;
      data[i] = c[0];
      data[i + 1] = c[1];
      data[i + 2] = c[2];
      data[i + 3] = a * 255 + 0.5;
    }
    ictx.putImageData(pixels, 0, 0);
    const t = ctx.getTransform();
    // Unset: blocks of pixels while a cell covers a device pixel or more; smaller cells are
    // averaged, or whole rows and columns of the matrix would be skipped.
    const smooth = this.mark.smooth ?? (x.band * Math.abs(t.a) < 1 || y.band * Math.abs(t.d) < 1);
    ctx.save();
    ctx.imageSmoothingEnabled = smooth;
    // 'medium' is Skia's bilinear over mipmaps: bilinear up, an average of the cells down.
    // 'high' is a cubic without mipmaps, which samples a few cells per pixel when shrinking
    // by more than two (moiré, skipped columns).
    if (smooth) ctx.imageSmoothingQuality = 'medium';
    ctx.drawImage(this.image, x.start, y.start, width * x.band, height * y.band);
    ctx.restore();
  };
}

/** The parts of a Vega rect item the snapped drawing reads. */
interface RectItem {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: unknown;
  opacity?: number;
  fillOpacity?: number;
  stroke?: unknown;
  cornerRadius?: number;
}

/**
 * Draws a grid of cells Vega lays out itself (in a facet's panels, after a transform) with
 * each cell's edges on whole device pixels: neighbours share an edge exactly, so no seam
 * opens where an anti-aliased edge would fall between pixels. Items with a stroke, rounded
 * corners or a gradient, or a rotated or skewed transform, are drawn by Vega as they are.
 */
export const drawSnappedRects = (
  ctx: SKRSContext2D,
  scene: SceneMark,
  vegaDraw: () => void,
): void => {
  const t = ctx.getTransform();
  const items = scene.items as unknown as RectItem[];
  const plain = items.every(
    (i) =>
      (i.fill === undefined || typeof i.fill === 'string') &&
      (i.stroke == null || i.stroke === 'transparent') &&
      !i.cornerRadius,
  );
  // Cells smaller than a pixel would round to nothing: Vega's blending keeps them.
  const first = items[0];
  const small =
    first !== undefined &&
    (Math.abs(t.a * (first.width ?? 0)) < 1 || Math.abs(t.d * (first.height ?? 0)) < 1);
  if (!plain || small || t.b !== 0 || t.c !== 0) return vegaDraw();
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  for (const i of items) {
    if (typeof i.fill !== 'string' || i.fill === 'transparent') continue;
    const alpha = (i.opacity ?? 1) * (i.fillOpacity ?? 1);
    if (!(alpha > 0)) continue;
    const [x, y] = [i.x ?? 0, i.y ?? 0];
    const x0 = Math.round(t.a * x + t.e);
    const x1 = Math.round(t.a * (x + (i.width ?? 0)) + t.e);
    const y0 = Math.round(t.d * y + t.f);
    const y1 = Math.round(t.d * (y + (i.height ?? 0)) + t.f);
    if (x1 === x0 || y1 === y0) continue;
    ctx.globalAlpha = Math.min(1, alpha);
    ctx.fillStyle = i.fill;
    ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
  }
  ctx.restore();
};
