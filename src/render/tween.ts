/**
 * The data of an output frame when the animation has motion: a data frame's rows, or a
 * tween between two data frames (rows matched by key, numbers interpolated with their
 * channel's easing, enter/exit effects, categorical colours mixed), with trails of earlier
 * frames in front of it. Built per frame as typed columns; nothing is kept across frames.
 */
import type { ColorMix, Easing, OutputFrame } from '../compile/index.js';
import type { FramePlan } from '../data/plan.js';
import type { PlannedSource } from '../data/partition.js';
import { MOTION_COLUMNS, channelEasing, colorColumn } from '../compile/index.js';
import { frameRows } from '../data/partition.js';
import { type Column, type ColumnTable, cellValue, columnRecord } from '../data/table.js';
import type { EnterExit } from '../spec/types.js';
import { parseColor } from './colors.js';

export interface FrameData {
  table: ColumnTable;
  rows: Uint32Array;
}

/** A colour for a value through a Vega scale (or undefined when there is no such scale). */
export type ColorOf = (scale: string, value: unknown) => string | undefined;

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Marks whose rows connect into one path: trails of them would join into it. */
const PATH_MARKS = ['line', 'area', 'trail'];

export class MotionData {
  private readonly easingOf = new Map<string, Easing>();
  private readonly defaultEasing: Easing;

  constructor(
    private readonly plan: FramePlan,
    private readonly colorMixes: ColorMix[],
    private readonly colorOf: ColorOf,
  ) {
    const easing = plan.animation.tween?.easing;
    this.defaultEasing = channelEasing(easing, undefined);
    // Each field eases as the first of its channels that the easing names.
    const named = new Set<string>();
    for (const s of plan.planned) {
      for (const [channel, field] of Object.entries(s.motion?.channels ?? {})) {
        const isNamed = typeof easing === 'object' && channel in easing;
        if (named.has(field) || (this.easingOf.has(field) && !isNamed)) continue;
        this.easingOf.set(field, channelEasing(easing, channel));
        if (isNamed) named.add(field);
      }
    }
  }

  private easing(field: string): Easing {
    return this.easingOf.get(field) ?? this.defaultEasing;
  }

  /** What source `s` (with a partition) draws in output frame `i`. */
  frame(s: PlannedSource, i: number): FrameData {
    const f = this.plan.timeline[i];
    const current = this.state(s, f);
    const trail = this.plan.animation.trail;
    const marks = s.motion?.marks ?? [];
    if (!trail || marks.some((m) => PATH_MARKS.includes(m))) return current;
    const parts: TrailPart[] = [];
    if (trail.mode === 'all') {
      // Every earlier data frame (gganimate's shadow_mark), the tween's origin included.
      const last = f.t > 0 ? f.from : f.from - 1;
      for (let k = 0; k <= last; k++)
        parts.push({
          data: { table: s.table, rows: frameRows(s, k)! },
          alpha: trail.opacity,
          grow: 1,
        });
    } else {
      // The previous output frames, oldest, faintest and smallest first (shadow_wake).
      for (let j = trail.frames; j >= 1; j--) {
        if (i - j < 0) continue;
        const youth = (trail.frames - j + 1) / trail.frames;
        parts.push({
          data: this.state(s, this.plan.timeline[i - j]),
          alpha: trail.opacity * youth,
          grow: trail.size + (1 - trail.size) * youth,
        });
      }
    }
    if (parts.length === 0) return current;
    parts.push({ data: current, alpha: NaN, grow: NaN });
    return concatFrames(parts);
  }

  /** One output frame's own rows: a data frame, or a tween. */
  private state(s: PlannedSource, f: OutputFrame): FrameData {
    if (f.t === 0 || f.from === f.to) return { table: s.table, rows: frameRows(s, f.from)! };
    return this.tween(s, f.from, f.to, f.t);
  }

  private tween(s: PlannedSource, a: number, b: number, t: number): FrameData {
    const { table } = s;
    const anim = this.plan.animation;
    const A = frameRows(s, a)!;
    const B = frameRows(s, b)!;
    const e = this.defaultEasing(t);

    // Match B's rows to A's: by key, else by position in the frame.
    const partner = new Int32Array(B.length).fill(-1);
    const matched = new Uint8Array(A.length);
    const keyCol = s.motion?.key ? table.columns[s.motion.key] : undefined;
    if (keyCol) {
      matchByKey(keyCol, A, B, partner, matched);
    } else {
      for (let j = 0; j < Math.min(A.length, B.length); j++) {
        partner[j] = j;
        matched[j] = 1;
      }
    }

    // Revealed series: an entering row slides out of its series' latest earlier row.
    const from = new Int32Array(B.length).fill(-1);
    if (anim.reveal) {
      const seriesCols = (s.motion?.series ?? []).map((f) => table.columns[f]).filter(Boolean);
      const seriesOf = (r: number) => seriesCols.map((c) => String(cellValue(c, r))).join('\u0000');
      const latest = new Map<string, number>();
      for (let i = 0; i < A.length; i++) latest.set(seriesOf(A[i]), i);
      for (let j = 0; j < B.length; j++)
        if (partner[j] < 0) from[j] = latest.get(seriesOf(B[j])) ?? -1;
    }

    const enter = anim.enter;
    const exit = anim.exit;
    // Rows on one side only with no effect appear / vanish at the midpoint.
    const keepEnter = enter.length > 0 || t >= 0.5;
    const keepExit = exit.length > 0 || t < 0.5;
    const exits: number[] = [];
    if (keepExit) for (let i = 0; i < A.length; i++) if (!matched[i]) exits.push(i);
    const entries: number[] = [];
    for (let j = 0; j < B.length; j++)
      if (partner[j] >= 0 || from[j] >= 0 || keepEnter) entries.push(j);
    const n = exits.length + entries.length;

    // Per output row: the A row and B row it comes from (-1: none), and its role.
    const rowA = new Int32Array(n).fill(-1);
    const rowB = new Int32Array(n).fill(-1);
    exits.forEach((i, o) => (rowA[o] = A[i]));
    entries.forEach((j, k) => {
      const o = exits.length + k;
      rowB[o] = B[j];
      if (partner[j] >= 0) rowA[o] = A[partner[j]];
      else if (from[j] >= 0) rowA[o] = A[from[j]];
    });
    const revealed = (o: number) => o >= exits.length && partner[entries[o - exits.length]] < 0;

    const columns = columnRecord();
    const discrete = new Set(s.motion?.discrete ?? []);
    const temporal = new Set(s.motion?.temporal ?? []);
    for (const name of table.names) {
      const c = table.columns[name];
      // Numbers interpolate unless encoded as categories; dates written as text interpolate
      // as timestamps (Vega parses either).
      const interpolated = !discrete.has(name) && (c.kind === 'number' || temporal.has(name));
      if (interpolated) {
        const [va, vb] = numbersAt(c, rowA, rowB);
        const ease = this.easing(name)(t);
        const out = new Float64Array(n);
        for (let o = 0; o < n; o++) {
          const [a0, b0] = [va[o], vb[o]];
          if (rowB[o] < 0) out[o] = a0;
          else if (rowA[o] < 0) out[o] = b0;
          else
            out[o] =
              Number.isFinite(a0) && Number.isFinite(b0)
                ? a0 + (b0 - a0) * ease
                : t < 0.5
                  ? a0
                  : b0;
        }
        columns[name] = { kind: 'number', values: out };
      } else {
        // Categories and other values switch at the midpoint (a revealed row is its own).
        const pick = (o: number) =>
          rowB[o] < 0 ? rowA[o] : rowA[o] < 0 || t >= 0.5 || revealed(o) ? rowB[o] : rowA[o];
        if (c.kind === 'string') {
          const codes = new Int32Array(n);
          for (let o = 0; o < n; o++) codes[o] = c.codes[pick(o)];
          columns[name] = { kind: 'string', dict: c.dict, codes };
        } else if (c.kind === 'number') {
          const values = new Float64Array(n);
          for (let o = 0; o < n; o++) values[o] = c.values[pick(o)];
          columns[name] = { kind: 'number', values };
        } else
          columns[name] = {
            kind: 'value',
            values: Array.from({ length: n }, (_, o) => c.values[pick(o)]),
          };
      }
    }

    // Enter / exit effects: entering rows (no partner, not revealed) go 0 → 1, exits 1 → 0.
    const effects = (list: EnterExit[], amount: number) => ({
      alpha: list.includes('fade') ? amount : NaN,
      grow: list.includes('grow') ? amount : NaN,
      flyX: list.includes('fly-left')
        ? -(1 - amount)
        : list.includes('fly-right')
          ? 1 - amount
          : NaN,
      flyY:
        list.includes('fly') || list.includes('fly-bottom')
          ? 1 - amount
          : list.includes('fly-top')
            ? -(1 - amount)
            : NaN,
    });
    const inFx = effects(enter, e);
    const outFx = effects(exit, 1 - e);
    const motionCols = {
      alpha: new Float64Array(n).fill(NaN),
      grow: new Float64Array(n).fill(NaN),
      flyX: new Float64Array(n).fill(NaN),
      flyY: new Float64Array(n).fill(NaN),
    };
    let used = false;
    for (let o = 0; o < n; o++) {
      const fx = rowB[o] < 0 ? outFx : rowA[o] < 0 ? inFx : undefined;
      if (!fx) continue;
      motionCols.alpha[o] = fx.alpha;
      motionCols.grow[o] = fx.grow;
      motionCols.flyX[o] = fx.flyX;
      motionCols.flyY[o] = fx.flyY;
      used = true;
    }
    const names = [...table.names];
    if (used) {
      for (const k of ['alpha', 'grow', 'flyX', 'flyY'] as const) {
        const name = MOTION_COLUMNS[k];
        columns[name] = { kind: 'number', values: motionCols[k] };
        names.push(name);
      }
    }

    // Categorical colours that change between matched rows are mixed.
    for (const mix of this.colorMixes) {
      const c = table.columns[mix.field];
      if (!c || (c.kind === 'number' && !discrete.has(mix.field))) continue;
      const ease = this.easing(mix.field)(t);
      const dict: string[] = [];
      const seen = new Map<string, number>();
      const codes = new Int32Array(n).fill(-1);
      for (let o = 0; o < n; o++) {
        if (rowA[o] < 0 || rowB[o] < 0 || revealed(o)) continue;
        const va = cellValue(c, rowA[o]);
        const vb = cellValue(c, rowB[o]);
        if (va === vb) continue;
        const pair = `${String(va)}\u0000${String(vb)}`;
        let code = seen.get(pair);
        if (code === undefined) {
          code = dict.length;
          dict.push(mixColors(this.colorOf(mix.scale, va), this.colorOf(mix.scale, vb), ease));
          seen.set(pair, code);
        }
        codes[o] = code;
      }
      if (dict.length) {
        const name = colorColumn(mix.scale);
        columns[name] = { kind: 'string', dict, codes };
        names.push(name);
      }
    }
    return { table: { length: n, names, columns }, rows: identity(n) };
  }
}

/**
 * A column's values at each output row's A and B rows, as numbers: the numbers themselves,
 * or timestamps for dates and date text (text parsed once per distinct value).
 */
function numbersAt(c: Column, rowA: Int32Array, rowB: Int32Array): [Float64Array, Float64Array] {
  let at: (r: number) => number;
  if (c.kind === 'number') at = (r) => c.values[r];
  else if (c.kind === 'string') {
    const parsed = c.dict.map((d) => Date.parse(d));
    at = (r) => (c.codes[r] < 0 ? NaN : parsed[c.codes[r]]);
  } else
    at = (r) => {
      const v = c.values[r];
      return v instanceof Date ? +v : typeof v === 'number' ? v : Date.parse(String(v));
    };
  const gather = (rows: Int32Array) => {
    const out = new Float64Array(rows.length);
    for (let o = 0; o < rows.length; o++) out[o] = rows[o] < 0 ? NaN : at(rows[o]);
    return out;
  };
  return [gather(rowA), gather(rowB)];
}

/**
 * Pairs B's rows with A's rows of the same key (`partner[j]` = index into A), rows sharing a
 * key in their order in each frame. Keys that are small integers, or text (dictionary
 * codes), index a typed array; others go through a Map.
 */
function matchByKey(
  keyCol: Column,
  A: Uint32Array,
  B: Uint32Array,
  partner: Int32Array,
  matched: Uint8Array,
): void {
  let slot: ((r: number) => number) | undefined;
  let size = 0;
  if (keyCol.kind === 'string') {
    // Codes, with the null key (-1) in slot 0.
    slot = (r) => keyCol.codes[r] + 1;
    size = keyCol.dict.length + 1;
  } else if (keyCol.kind === 'number') {
    let [lo, hi] = [Infinity, -Infinity];
    let integers = true;
    for (const rows of [A, B])
      for (let i = 0; i < rows.length && integers; i++) {
        const v = keyCol.values[rows[i]];
        integers = Number.isInteger(v);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    if (integers && hi - lo < 4 * (A.length + B.length) + 1024) {
      slot = (r) => keyCol.values[r] - lo;
      size = hi - lo + 1;
    }
  }
  const next = new Int32Array(A.length);
  if (slot) {
    const first = new Int32Array(Math.max(0, size)).fill(-1);
    for (let i = A.length - 1; i >= 0; i--) {
      const k = slot(A[i]);
      next[i] = first[k];
      first[k] = i;
    }
    for (let j = 0; j < B.length; j++) {
      const k = slot(B[j]);
      const i = k >= 0 && k < size ? first[k] : -1;
      if (i < 0) continue;
      partner[j] = i;
      matched[i] = 1;
      first[k] = next[i];
    }
    return;
  }
  const first = new Map<unknown, number>();
  for (let i = A.length - 1; i >= 0; i--) {
    const k = keyOf(keyCol, A[i]);
    next[i] = first.get(k) ?? -1;
    first.set(k, i);
  }
  for (let j = 0; j < B.length; j++) {
    const k = keyOf(keyCol, B[j]);
    const i = first.get(k) ?? -1;
    if (i < 0) continue;
    partner[j] = i;
    matched[i] = 1;
    first.set(k, next[i]); // -1 once used up (set, not delete: deletes make the map rehash)
  }
}

function keyOf(c: Column, r: number): unknown {
  if (c.kind === 'number') return c.values[r];
  if (c.kind === 'string') return c.codes[r] < 0 ? null : c.dict[c.codes[r]];
  const v = c.values[r];
  return v instanceof Date ? +v : v;
}

/** The colour a fraction `t` of the way from `a` to `b`, in RGB as d3's interpolateRgb. */
export function mixColors(a: string | undefined, b: string | undefined, t: number): string {
  if (a === undefined || b === undefined) return (t < 0.5 ? a : b) ?? 'transparent';
  const ca = parseColor(a);
  const cb = parseColor(b);
  const ch = (k: number) => Math.round(ca[k] + (cb[k] - ca[k]) * t);
  const alpha = (ca[3] + (cb[3] - ca[3]) * t) / 255;
  return alpha >= 1
    ? `rgb(${ch(0)}, ${ch(1)}, ${ch(2)})`
    : `rgba(${ch(0)}, ${ch(1)}, ${ch(2)}, ${+alpha.toFixed(4)})`;
}

/** A trail copy: `alpha` and `grow` multiply its opacity and size (NaN: as it is). */
export interface TrailPart {
  data: FrameData;
  alpha: number;
  grow?: number;
}

/** Trail copies and the current frame as one table, in drawing order. */
export function concatFrames(parts: TrailPart[]): FrameData {
  const n = parts.reduce((sum, p) => sum + p.data.rows.length, 0);
  const names: string[] = [];
  for (const p of parts)
    for (const name of p.data.table.names) if (!names.includes(name)) names.push(name);
  if (!names.includes(MOTION_COLUMNS.alpha)) names.push(MOTION_COLUMNS.alpha);
  const shrinks = parts.some((p) => p.grow !== undefined && !Number.isNaN(p.grow) && p.grow !== 1);
  if (shrinks && !names.includes(MOTION_COLUMNS.grow)) names.push(MOTION_COLUMNS.grow);
  const factorOf: Partial<Record<string, (p: TrailPart) => number | undefined>> = {
    [MOTION_COLUMNS.alpha]: (p) => p.alpha,
    [MOTION_COLUMNS.grow]: (p) => p.grow,
  };
  const columns = columnRecord();
  for (const name of names) {
    const kinds = new Set(parts.map((p) => p.data.table.columns[name]?.kind).filter(Boolean));
    const factor = factorOf[name];
    if (factor || (kinds.size === 1 && kinds.has('number'))) {
      const out = new Float64Array(n).fill(NaN);
      let o = 0;
      for (const p of parts) {
        const { data } = p;
        const c = data.table.columns[name];
        const k = factor?.(p);
        for (let i = 0; i < data.rows.length; i++, o++) {
          const v = c?.kind === 'number' ? c.values[data.rows[i]] : NaN;
          out[o] = k === undefined || Number.isNaN(k) ? v : (Number.isNaN(v) ? 1 : v) * k;
        }
      }
      columns[name] = { kind: 'number', values: out };
    } else if (kinds.size === 1 && kinds.has('string')) {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(n).fill(-1);
      let o = 0;
      for (const { data } of parts) {
        const c = data.table.columns[name];
        const remap =
          c?.kind === 'string'
            ? c.dict.map((d) => index.get(d) ?? (index.set(d, dict.length), dict.push(d) - 1))
            : [];
        for (let i = 0; i < data.rows.length; i++, o++) {
          const code = c?.kind === 'string' ? c.codes[data.rows[i]] : -1;
          codes[o] = code < 0 ? -1 : remap[code];
        }
      }
      columns[name] = { kind: 'string', dict, codes };
    } else {
      const values: unknown[] = [];
      for (const { data } of parts) {
        const c = data.table.columns[name];
        for (let i = 0; i < data.rows.length; i++)
          values.push(c ? cellValue(c, data.rows[i]) : null);
      }
      columns[name] = { kind: 'value', values };
    }
  }
  return { table: { length: n, names, columns }, rows: identity(n) };
}
