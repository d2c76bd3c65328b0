/**
 * Stage 2 of compile: the frame clock (every frame value across all sources, in order)
 * and, per source, its rows partitioned by frame: a counting sort into `order`, with
 * `offsets[k]..offsets[k+1]` the rows of frame k. Cumulative frames read the prefix
 * `0..offsets[k+1]`. Typed arrays only; no object per row.
 */
import { bin as vegaBin, timeFloor, utcFloor } from '../compile/vega-functions.js';
import type { FrameFieldDef } from '../spec/types.js';
import { quote } from '../spec/errors.js';
import { type Column, type ColumnTable, type FrameRun, cellValue, sharedUint32 } from './table.js';
import { readRun } from './frame-stream.js';
import type { SourceRef } from '../compile/extract.js';
import type { OutputFrame } from '../compile/timeline.js';
import { CompileError, type Messages, message } from '../compile/messages.js';
import { dataMessage } from './messages.js';

export type FrameValue = number | string | boolean;

export interface FramePartition {
  /** Row indices grouped by frame; absent when the rows already are (the identity). */
  order?: Uint32Array;
  /** `offsets[k]..offsets[k+1]` index `order` (or the rows) for frame k; length = frame count + 1. */
  offsets: Uint32Array;
  /** A streamed source's run of rows for each frame (−1: none): see `frameData`. */
  runs?: Int32Array;
}

export interface FrameClock {
  values: FrameValue[];
  /** Whether frame values are timestamps (temporal frames). */
  temporal: boolean;
  /**
   * Whether values between frames mean something (quantitative or temporal frames): a
   * tween's `{frame}` is then interpolated, else it is the closest frame's value.
   */
  continuous?: boolean;
}

const TIME_UNIT_PARTS = [
  'year',
  'quarter',
  'month',
  'week',
  'dayofyear',
  'day',
  'date',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
];

/** Splits a Vega-Lite time unit such as "utcyearmonthdate" into Vega's unit list. */
function splitTimeUnit(unit: string): { utc: boolean; units: string[] } {
  let rest = unit.toLowerCase();
  const utc = rest.startsWith('utc');
  if (utc) rest = rest.slice(3);
  const units: string[] = [];
  while (rest.length) {
    const part = TIME_UNIT_PARTS.find((p) => rest.startsWith(p));
    if (!part) {
      throw new CompileError(dataMessage.unknownTimeUnit(unit), '$.encoding.frame.timeUnit');
    }
    units.push(part);
    rest = rest.slice(part.length);
  }
  return { utc, units };
}

/** A function from a row to its frame value (after timeUnit/bin), or undefined if invalid. */
function frameValueOf(
  column: Column,
  def: FrameFieldDef,
  table: ColumnTable,
): (row: number) => FrameValue | undefined {
  const temporal = def.type === 'temporal' || def.timeUnit !== undefined;
  let base: (row: number) => FrameValue | undefined = (row) => {
    const v = cellValue(column, row);
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (v instanceof Date) return +v;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    return String(v);
  };
  if (temporal) {
    const raw = base;
    base = (row) => {
      const v = raw(row);
      if (v === undefined) return undefined;
      const t = typeof v === 'number' ? v : Date.parse(String(v));
      return Number.isFinite(t) ? t : undefined;
    };
  }
  if (def.timeUnit) {
    const { utc, units } = splitTimeUnit(def.timeUnit);
    const floor = (utc ? utcFloor : timeFloor)(units);
    const raw = base;
    base = (row) => {
      const v = raw(row);
      return v === undefined ? undefined : +floor(new Date(v as number));
    };
  }
  if (def.bin) {
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < table.length; r++) {
      const v = base(r);
      if (typeof v === 'number') {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    const params = def.bin === true ? {} : def.bin;
    const b = vegaBin({ extent: [min, max], maxbins: params.maxbins ?? 10, step: params.step });
    const raw = base;
    base = (row) => {
      const v = raw(row);
      if (typeof v !== 'number') return undefined;
      const k = Math.min(
        Math.floor((v - b.start) / b.step),
        Math.ceil((b.stop - b.start) / b.step) - 1,
      );
      return b.start + k * b.step;
    };
  }
  return base;
}

function compareValues(a: FrameValue, b: FrameValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface PlannedSource extends SourceRef {
  table: ColumnTable;
  partition?: FramePartition;
}

/** Builds the shared clock and each framed source's partition. */
export function planFrames(
  sources: SourceRef[],
  tables: ColumnTable[],
  log: Messages,
): { clock: FrameClock; planned: PlannedSource[] } {
  const lacks = (s: SourceRef, table: ColumnTable) =>
    !table.stream && !Object.hasOwn(table.columns, s.frame!.field);
  let framed = sources
    .map((s, i) => ({ s, table: tables[i] }))
    .filter(({ s }) => s.frame !== undefined);
  // A source given the frame channel by a shared encoding above its view, without the
  // field, is drawn whole in every frame (a label layer with inline data), as long as
  // another source has the field to frame by.
  const unframed = new Set(
    framed.filter(({ s, table }) => s.frameShared && lacks(s, table)).map(({ s }) => s),
  );
  if (unframed.size < framed.length) framed = framed.filter(({ s }) => !unframed.has(s));
  else unframed.clear();
  const valueFns = framed.map(({ s, table }) => {
    const def = s.frame!;
    // A streamed table's values are its runs' (read below); it streams a plain field only.
    if (table.stream) return () => undefined;
    // Own columns only: a frame field named "constructor" is not Object's.
    const column = Object.hasOwn(table.columns, def.field) ? table.columns[def.field] : undefined;
    if (!column)
      throw log.error(
        message.frameFieldMissing(def.field, describe(s), table.sourceNames ?? table.names),
        '$.encoding.frame.field',
      );
    return frameValueOf(column, def, table);
  });

  // The clock: distinct values in first-appearance order, then sorted as asked.
  const seen = new Map<FrameValue, number>();
  const firstSeen: FrameValue[] = [];
  framed.forEach(({ table }, k) => {
    if (table.stream) {
      for (const { value } of table.stream.runs) {
        if (value !== null && !seen.has(value)) {
          seen.set(value, firstSeen.length);
          firstSeen.push(value);
        }
      }
      return;
    }
    const fn = valueFns[k];
    // Tables usually come sorted by frame: a row like the one before needs no lookup.
    let last: FrameValue | undefined;
    for (let r = 0; r < table.length; r++) {
      const v = fn(r);
      if (v === last) continue;
      last = v;
      if (v !== undefined && !seen.has(v)) {
        seen.set(v, firstSeen.length);
        firstSeen.push(v);
      }
    }
  });
  const def = framed[0]?.s.frame;
  if (def && firstSeen.length === 0) throw log.error(message.noFrameValues(def.field));
  let values = firstSeen;
  const sort = def?.sort === undefined ? 'ascending' : def.sort;
  if (Array.isArray(sort)) {
    const listed = sort.filter((v) => seen.has(v as FrameValue)) as FrameValue[];
    const rest = firstSeen.filter((v) => !sort.includes(v as never)).sort(compareValues);
    values = [...listed, ...rest];
  } else if (sort === 'ascending') values = [...firstSeen].sort(compareValues);
  else if (sort === 'descending') values = [...firstSeen].sort((a, b) => compareValues(b, a));
  const temporal = def !== undefined && (def.type === 'temporal' || def.timeUnit !== undefined);
  const indexOf = new Map(values.map((v, i) => [v, i]));

  const planned: PlannedSource[] = sources.map((s, i) => {
    if (!unframed.has(s)) return { ...s, table: tables[i] };
    const { frame: _frame, motion: _motion, frameShared: _shared, ...whole } = s;
    return { ...whole, table: tables[i] };
  });
  framed.forEach(({ s, table }, k) => {
    const target = planned[sources.indexOf(s)];
    if (table.stream) {
      target.partition = streamPartition(table.stream.runs, indexOf, values.length);
      warnDropped(table.length - target.partition.offsets[values.length], table.length, s, log);
      return;
    }
    const fn = valueFns[k];
    // Each row's frame index, remembering the last value (tables usually come sorted by
    // frame, so a row like the one before needs no lookup).
    let last: FrameValue | undefined;
    let lastFrame = -1;
    const frameOf = (r: number): number => {
      const v = fn(r);
      if (v !== last || r === 0) {
        last = v;
        lastFrame = v === undefined ? -1 : (indexOf.get(v) ?? -1);
      }
      return lastFrame;
    };
    const counts = new Uint32Array(values.length + 1);
    let sorted = true;
    let previous = 0;
    for (let r = 0; r < table.length; r++) {
      const f = frameOf(r);
      if (f >= 0) counts[f + 1]++;
      if (f < previous) sorted = false; // a dropped row (-1) counts as out of order
      previous = f;
    }
    const offsets = sharedUint32(values.length + 1);
    for (let f = 0; f < values.length; f++) offsets[f + 1] = offsets[f] + counts[f + 1];
    warnDropped(table.length - offsets[values.length], table.length, s, log);
    if (sorted) {
      // Rows already in frame order: frame k is rows offsets[k]…offsets[k+1], no `order`
      // (100 million rows would have needed 400 MB for it).
      target.partition = { offsets };
      return;
    }
    const cursor = offsets.slice(0, values.length);
    const order = sharedUint32(offsets[values.length]);
    last = undefined;
    for (let r = 0; r < table.length; r++) {
      const f = frameOf(r);
      if (f >= 0) order[cursor[f]++] = r;
    }
    target.partition = { order, offsets };
  });
  const continuous =
    temporal || (def?.type === 'quantitative' && values.every((v) => typeof v === 'number'));
  return { clock: { values: values.length ? values : [0], temporal, continuous }, planned };
}

function warnDropped(dropped: number, rows: number, s: SourceRef, log: Messages): void {
  if (dropped <= 0) return;
  log.warn(
    `${dropped.toLocaleString('en')} of ${rows.toLocaleString('en')} rows of ${describe(s)} have no valid ${quote(s.frame!.field)} (missing, null or NaN) and appear in no frame`,
  );
}

/**
 * A streamed source's partition: frame k's rows are one run of the file (`runs[k]`, −1 when
 * the source has no rows for it); `offsets` count rows as for a loaded table.
 */
function streamPartition(
  runs: FrameRun[],
  indexOf: Map<FrameValue, number>,
  frames: number,
): FramePartition {
  const runOf = new Int32Array(frames).fill(-1);
  runs.forEach((run, i) => {
    if (run.value !== null) runOf[indexOf.get(run.value)!] = i;
  });
  const offsets = sharedUint32(frames + 1);
  for (let f = 0; f < frames; f++)
    offsets[f + 1] = offsets[f] + (runOf[f] < 0 ? 0 : runs[runOf[f]].count);
  return { offsets, runs: runOf };
}

/**
 * Frame k's rows of a framed source, as a table and the rows of it to draw: the source's
 * own table, or for a streamed source a table of that frame's rows read from the file.
 */
export function frameData(
  source: PlannedSource,
  frame: number,
): { table: ColumnTable; rows: Uint32Array } {
  const { stream } = source.table;
  if (!stream) return { table: source.table, rows: frameRows(source, frame) ?? new Uint32Array(0) };
  const table = readRun(stream, source.partition!.runs![frame]);
  return { table, rows: identityRows(table.length) };
}

let identity = new Uint32Array(0);

/** 0, 1, … n − 1 (a view of one array, grown as needed). */
function identityRows(n: number): Uint32Array {
  if (identity.length < n) {
    identity = new Uint32Array(n);
    for (let i = 0; i < n; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}

function describe(s: SourceRef): string {
  return s.data.url ? quote(s.data.url) : 'the inline data';
}

/** The row indices of one frame (or of every frame up to it, when cumulative). */
export function frameRows(source: PlannedSource, frame: number): Uint32Array | undefined {
  const p = source.partition;
  if (!p) return undefined;
  if (source.table.stream)
    throw new Error('a streamed source has no rows in memory: use frameData');
  const start = source.frame?.cumulative ? 0 : p.offsets[frame];
  const end = p.offsets[frame + 1];
  if (p.order) return p.order.subarray(start, end);
  // Rows in frame order: the range, made once per frame asked (callers ask repeatedly).
  const made = lastRange.get(p);
  if (made && made.start === start && made.rows.length === end - start) return made.rows;
  const rows = new Uint32Array(end - start);
  for (let i = 0; i < rows.length; i++) rows[i] = start + i;
  lastRange.set(p, { start, rows });
  return rows;
}

const lastRange = new WeakMap<FramePartition, { start: number; rows: Uint32Array }>();

/**
 * Each frame's value as text (facet headers, the player's label): numbers and strings as
 * they are; timestamps in local time like `{frame}` templates, as a date when every frame
 * falls on a midnight, else with the time.
 */
export function frameLabels(clock: FrameClock): string[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const dates = clock.values.map((v) =>
    clock.temporal && typeof v === 'number' ? new Date(v) : null,
  );
  const midnights = dates.every(
    (d) => !d || (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0),
  );
  return clock.values.map((v, k) => {
    const d = dates[k];
    if (!d) return String(v);
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return midnights
      ? day
      : `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  });
}

/** Each output frame's label: its data frame's, or in a tween the interpolated value. */
export function outputFrameLabels(clock: FrameClock, timeline: OutputFrame[]): string[] {
  const labels = frameLabels(clock);
  const { values, continuous, temporal } = clock;
  const valueOf = (f: OutputFrame) => {
    const [a, b] = [values[f.from], values[f.to]];
    return typeof a === 'number' && typeof b === 'number' ? a + (b - a) * f.t : NaN;
  };
  // Enough decimals to tell consecutive in-between frames apart, and no more.
  let step = Infinity;
  for (let i = 1; i < timeline.length; i++) {
    const d = Math.abs(valueOf(timeline[i]) - valueOf(timeline[i - 1]));
    if (d > 0) step = Math.min(step, d);
  }
  const decimals = Number.isFinite(step)
    ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step))))
    : 0;
  return timeline.map((f) => {
    if (f.t === 0) return labels[f.from];
    const v = valueOf(f);
    if (!continuous || Number.isNaN(v)) return labels[f.t < 0.5 ? f.from : f.to];
    return temporal
      ? frameLabels({ values: [v], temporal: true })[0]
      : String(+v.toFixed(decimals));
  });
}
