/**
 * Stage 1 of compile: find the `frame` (or Vega-Lite `time`) channel in every unit, give
 * each data source a runtime name so vega-frames (not Vega's loader) supplies its rows,
 * and strip what the engine drives itself (the frame channel, Vega-Lite's timer params).
 */
import type { FrameFieldDef } from '../spec/types.js';
import type { Messages } from './messages.js';
import { message } from './messages.js';
import { quote } from '../spec/errors.js';
import { type Json, isObject } from '../support/json.js';

/** A Vega-Lite data source as the spec writes it: what data/ reads. */
export interface DataSourceDef {
  url?: string;
  values?: unknown;
  format?: {
    type?: string;
    delimiter?: string;
    property?: string;
    parse?: Record<string, string | null> | null;
    /** TopoJSON: the object whose shapes are the rows, or whose borders are one row. */
    feature?: string;
    mesh?: string;
  };
}

export interface SourceRef {
  /** The Vega dataset name the rows are supplied under. */
  name: string;
  data: DataSourceDef;
  /** The frame channel of the units that use this source, if any. */
  frame?: FrameFieldDef;
  /**
   * Where the frame channel is written, when a shared `encoding` above this source's view
   * gives it (a layer with data of its own under a framed top level): such a source
   * without the field is drawn whole in every frame (a label, a year in the corner).
   */
  frameShared?: string;
  /**
   * Fields read as numbers even where their text would change ("00501" → 501): those a
   * quantitative encoding or frame channel reads. Elsewhere such text stays text.
   */
  numbers?: string[];
  /** What tweening needs of a framed source's units (see motionOf). */
  motion?: SourceMotion;
  /**
   * The JSON path of what holds this `data`: a view (`$`, `$.layer[1]`, …) or a lookup's
   * `from` (`$.transform[0].from`).
   */
  view?: string;
}

/** How a framed source is drawn, as far as tweens, trails and reveal need to know. */
export interface SourceMotion {
  /** The `key` channel's field: rows with equal keys are the same object across frames. */
  key?: string;
  /** Channel → field, from the units' encodings (the first unit naming a channel wins). */
  channels: Record<string, string>;
  /** Fields that split rows into series (color, detail, stroke, …): one line each. */
  series: string[];
  /** The units' mark types. */
  marks: string[];
  /** Fields encoded as nominal or ordinal: switched at a tween's midpoint, never interpolated. */
  discrete: string[];
  /** Fields encoded as temporal: interpolated as timestamps, even when written as text. */
  temporal: string[];
}

const SERIES_CHANNELS = ['color', 'fill', 'stroke', 'detail', 'strokeDash', 'shape'];

function fieldOf(def: unknown): string | undefined {
  return isObject(def) && typeof def.field === 'string' ? def.field : undefined;
}

/** The motion facts of the units drawing one framed source. */
function motionOf(units: { unit: Json; encoding: Json }[]): SourceMotion {
  const motion: SourceMotion = { channels: {}, series: [], marks: [], discrete: [], temporal: [] };
  for (const { unit, encoding: enc } of units) {
    const mark = isObject(unit.mark) ? unit.mark.type : unit.mark;
    if (typeof mark === 'string' && !motion.marks.includes(mark)) motion.marks.push(mark);
    for (const [channel, def] of Object.entries(enc)) {
      const defs = Array.isArray(def) ? def : [def];
      for (const d of defs) {
        const field = fieldOf(d);
        if (!field) continue;
        if (channel === 'key') motion.key ??= field;
        else motion.channels[channel] ??= field;
        const numeric = isObject(d) && (d.type === 'quantitative' || d.type === 'temporal');
        const type = isObject(d) ? d.type : undefined;
        if ((type === 'nominal' || type === 'ordinal') && !motion.discrete.includes(field))
          motion.discrete.push(field);
        if (type === 'temporal' && !motion.temporal.includes(field)) motion.temporal.push(field);
        if (SERIES_CHANNELS.includes(channel) && !numeric && !motion.series.includes(field))
          motion.series.push(field);
      }
    }
  }
  return motion;
}

/** The fields the units read as quantities (quantitative encodings and frame channels). */
function quantitativeFields(units: { encoding: Json; frame?: FrameFieldDef }[]): string[] {
  const fields = new Set<string>();
  for (const { encoding, frame } of units) {
    if (frame?.type === 'quantitative') fields.add(frame.field);
    for (const def of Object.values(encoding))
      for (const d of Array.isArray(def) ? def : [def])
        if (isObject(d) && d.type === 'quantitative' && typeof d.field === 'string')
          fields.add(d.field);
  }
  return [...fields];
}

/**
 * The source with Vega-Lite's implicit parse of dates: a field a temporal encoding or a
 * time unit reads is parsed as a date where the data is read (`format.parse: {f: "date"}`),
 * as Vega-Lite asks Vega's loader to. Without it a CSV year "2001" would reach the time
 * scale as the number 2001, i.e. 2 s past 1970. A field `format.parse` names (or
 * `parse: null`) is left as the spec says.
 */
function withImplicitDates(
  def: DataSourceDef,
  units: { encoding: Json; frame?: FrameFieldDef }[],
): DataSourceDef {
  const parse = def.format?.parse;
  if (parse === null) return def;
  const dates = new Set<string>();
  const visit = (d: unknown) => {
    if (Array.isArray(d)) d.forEach(visit);
    else if (isObject(d)) {
      if (typeof d.field === 'string' && (d.type === 'temporal' || d.timeUnit !== undefined))
        dates.add(d.field);
      if (d.condition !== undefined) visit(d.condition);
    }
  };
  for (const { encoding, frame } of units) {
    Object.values(encoding).forEach(visit);
    if (frame) visit(frame);
  }
  const implicit = [...dates].filter((f) => !(parse && Object.hasOwn(parse, f)));
  if (implicit.length === 0) return def;
  return {
    ...def,
    format: {
      ...def.format,
      parse: { ...parse, ...Object.fromEntries(implicit.map((f) => [f, 'date'])) },
    },
  };
}

/** A `lookup` transform's `from` that names a data source, with the transform's path. */
interface LookupFrom {
  from: Json;
  /** The view whose transforms hold it: the lookup joins to the rows of its units. */
  view: string;
  /** The JSON path of the `from`. */
  at: string;
}

function lookupsOf(transforms: unknown, view: string): LookupFrom[] {
  if (!Array.isArray(transforms)) return [];
  return transforms.flatMap((t, i) =>
    isObject(t) && typeof t.lookup === 'string' && isObject(t.from) && isObject(t.from.data)
      ? [{ from: t.from, view, at: `${view}.transform[${i}].from` }]
      : [],
  );
}

/**
 * The fields of a lookup's source its view reads as quantities: the quantitative fields of
 * the units below it, under the names the lookup gives them (`as`) or their own.
 */
function lookupNumbers(from: Json, quantitative: string[]): string[] {
  const fields = Array.isArray(from.fields) ? from.fields : [];
  const as = Array.isArray(from.as) ? from.as : [from.as];
  const named = fields.filter(
    (f, i): f is string => typeof f === 'string' && quantitative.includes(String(as[i] ?? f)),
  );
  return [...new Set([...quantitative, ...named])];
}

export interface Extracted {
  /** The Vega-Lite spec without frame channels, its data replaced by named sources. */
  spec: Json;
  sources: SourceRef[];
}

const CHILD_KEYS = ['layer', 'hconcat', 'vconcat', 'concat'] as const;

function children(node: Json): Json[] {
  const out: Json[] = [];
  for (const key of CHILD_KEYS) {
    const list = node[key];
    if (Array.isArray(list)) out.push(...list.filter(isObject));
  }
  if (isObject(node.spec)) out.push(node.spec);
  return out;
}

/** The frame channel of a unit (`frame`, or `time` as its alias), removed from the encoding. */
function takeFrameChannel(unit: Json, path: string, log: Messages): FrameFieldDef | undefined {
  const enc = unit.encoding;
  if (!isObject(enc)) return undefined;
  const frame = enc.frame as FrameFieldDef | undefined;
  const time = enc.time as FrameFieldDef | undefined;
  if (frame && time) log.warn(message.frameAndTime(path));
  delete enc.frame;
  delete enc.time;
  return frame ?? time;
}

/** Each field a transform list makes (every `as`, at any depth), with the transform's path. */
function fieldsMadeBy(transforms: unknown, path: string): [string, string][] {
  if (!Array.isArray(transforms)) return [];
  const made: [string, string][] = [];
  const collect = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((n) => collect(n, at));
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'as') {
          for (const name of [value].flat()) if (typeof name === 'string') made.push([name, at]);
        } else collect(value, at);
      }
    }
  };
  transforms.forEach((t, i) => collect(t, `${path}[${i}]`));
  return made;
}

/** Removes Vega-Lite timer point selections and the filters on them: frames are ours to drive. */
function stripTimerParams(node: Json): void {
  const params = node.params;
  if (!Array.isArray(params)) return;
  const timers = new Set<string>();
  node.params = params.filter((p) => {
    const select = isObject(p) ? p.select : undefined;
    const on = isObject(select) ? select.on : undefined;
    const isTimer = on === 'timer' || (isObject(on) && on.type === 'timer');
    if (isTimer) timers.add(String((p as Json).name));
    return !isTimer;
  });
  if ((node.params as unknown[]).length === 0) delete node.params;
  const dropFilters = (n: Json) => {
    if (Array.isArray(n.transform)) {
      n.transform = n.transform.filter((t) => {
        const f = isObject(t) ? t.filter : undefined;
        return !(isObject(f) && typeof f.param === 'string' && timers.has(f.param));
      });
      if ((n.transform as unknown[]).length === 0) delete n.transform;
    }
    children(n).forEach(dropFilters);
  };
  if (timers.size) dropFilters(node);
}

function sameFrame(a: FrameFieldDef, b: FrameFieldDef): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function extractSources(input: Json, log: Messages): Extracted {
  const spec = structuredClone(input);
  delete spec.animation;
  delete spec.fonts; // read by data/fonts.ts, registered by render/fonts.ts
  delete spec.$schema;
  const datasets = isObject(spec.datasets) ? spec.datasets : {};
  const sources: SourceRef[] = [];
  const pending: {
    owner: Json;
    units: {
      unit: Json;
      frame?: FrameFieldDef;
      /** The JSON path of the encoding that gives the frame channel. */
      frameAt?: string;
      path: string;
      encoding: Json;
      /** Fields the unit's transforms (and those above it) make, with where. */
      derived: Map<string, string>;
    }[];
    path: string;
  }[] = [];
  // Every unit (with what it inherits) and every lookup from a data source, for the
  // lookups' sources.
  const drawn: { path: string; encoding: Json; frame?: FrameFieldDef }[] = [];
  const lookups: LookupFrom[] = [];

  // Walk the tree; every unit belongs to the nearest node above it (or itself) with data,
  // and inherits a frame channel from a shared `encoding` above it (layer, facet).
  type Owner = (typeof pending)[number];
  const walk = (
    node: Json,
    path: string,
    owner: Owner | undefined,
    inherited: FrameFieldDef | undefined,
    inheritedAt: string | undefined,
    inheritedEncoding: Json,
    inheritedDerived: Map<string, string>,
  ) => {
    stripTimerParams(node);
    const derived = new Map([
      ...inheritedDerived,
      ...fieldsMadeBy(node.transform, `${path}.transform`),
    ]);
    let owned = owner;
    if (isObject(node.data)) {
      owned = { owner: node, units: [], path };
      pending.push(owned);
    }
    const own = takeFrameChannel(node, path, log);
    const frame = own ?? inherited;
    const frameAt = own ? `${path}.encoding.frame` : inheritedAt;
    const encoding = { ...inheritedEncoding, ...(isObject(node.encoding) ? node.encoding : {}) };
    if ('mark' in node) {
      if (owned) owned.units.push({ unit: node, frame, frameAt, path, encoding, derived });
      else if (frame) throw log.error(message.frameWithoutData(path));
    }
    if ('mark' in node) drawn.push({ path, encoding, frame });
    lookups.push(...lookupsOf(node.transform, path));
    for (const key of CHILD_KEYS) {
      const list = node[key];
      if (Array.isArray(list))
        list.forEach(
          (c, i) =>
            isObject(c) &&
            walk(c, `${path}.${key}[${i}]`, owned, frame, frameAt, encoding, derived),
        );
    }
    if (isObject(node.spec))
      walk(node.spec, `${path}.spec`, owned, frame, frameAt, encoding, derived);
  };
  walk(spec, '$', undefined, undefined, undefined, {}, new Map());

  for (const group of pending) {
    const data = group.owner.data as Json;
    // Frames are partitioned from the rows as loaded, before any transform runs: a frame
    // field a transform makes does not exist yet, and one it overwrites would disagree
    // with what is drawn.
    for (const u of group.units) {
      const madeAt = u.frame && u.derived.get(u.frame.field);
      if (madeAt)
        throw log.error(
          message.frameFieldDerived(u.frame!.field, madeAt),
          `${u.path}.encoding.frame.field`,
        );
    }
    let def: DataSourceDef;
    if (typeof data.name === 'string' && data.url === undefined && data.values === undefined) {
      if (!(data.name in datasets)) {
        // A runtime-named source: leave it to the caller, who cannot partition it.
        const framed = group.units.find((u) => u.frame);
        if (framed)
          throw log.error(
            message.frameOnGenerator(`named data ${quote(data.name)}`),
            `${framed.path}.encoding.frame`,
          );
        continue;
      }
      def = { values: datasets[data.name], format: data.format as DataSourceDef['format'] };
    } else if (data.url !== undefined || data.values !== undefined) {
      def = {
        url: data.url as string | undefined,
        values: data.values,
        format: data.format as DataSourceDef['format'],
      };
    } else {
      // Generators (sequence, graticule, sphere) stay with Vega-Lite, whole in every frame.
      const framed = group.units.find((u) => u.frame);
      const kind = ['sequence', 'graticule', 'sphere'].find((k) => k in data) ?? 'generated data';
      if (framed)
        throw log.error(message.frameOnGenerator(`data.${kind}`), `${framed.path}.encoding.frame`);
      continue;
    }
    const framed = group.units.filter((u) => u.frame);
    let frame: FrameFieldDef | undefined;
    for (const u of framed) {
      if (frame && !sameFrame(frame, u.frame!))
        throw log.error(message.framesDiffer(group.path, u.path));
      frame = u.frame;
    }
    def = withImplicitDates(def, group.units);
    const name = `vf_data_${sources.length}`;
    // Every copy of the source reads its columns as the same types.
    const numbers = quantitativeFields(group.units);
    const asNumbers = numbers.length ? { numbers } : {};
    // A frame written above the view that holds the data: shared, not the view's own.
    const above = (at: string | undefined) =>
      at !== undefined && !at.startsWith(`${group.path}.`) && group.path !== '$';
    const shared = framed.length > 0 && framed.every((u) => above(u.frameAt));
    sources.push({
      name,
      data: def,
      frame,
      ...(shared ? { frameShared: framed[0].frameAt } : {}),
      ...(frame ? { motion: motionOf(framed) } : {}),
      ...asNumbers,
      view: group.path,
    });
    group.owner.data = { name };
    // Units sharing framed data but without a frame channel stay static: they get all rows.
    if (frame) {
      for (const u of group.units) {
        if (u.frame || u.unit === group.owner) continue;
        const staticName = `vf_data_${sources.length}`;
        sources.push({ name: staticName, data: def, view: group.path, ...asNumbers });
        u.unit.data = { name: staticName };
      }
    }
  }

  // A lookup's secondary data is read like the rest and joined by Vega whole, under its
  // name (frames partition only the rows a unit draws).
  for (const { from, view, at } of lookups) {
    const data = from.data as Json;
    const format = data.format as DataSourceDef['format'];
    let def: DataSourceDef;
    if (typeof data.name === 'string' && data.url === undefined && data.values === undefined) {
      if (!(data.name in datasets)) continue; // a runtime-named source: the caller's to fill
      def = { values: datasets[data.name], format };
    } else if (data.url !== undefined || data.values !== undefined) {
      def = { url: data.url as string | undefined, values: data.values, format };
    } else continue; // a generator: Vega-Lite's own
    const below = drawn.filter((u) => u.path === view || u.path.startsWith(`${view}.`));
    const numbers = lookupNumbers(from, quantitativeFields(below));
    const name = `vf_data_${sources.length}`;
    sources.push({ name, data: def, ...(numbers.length ? { numbers } : {}), view: at });
    from.data = { name };
  }
  return { spec, sources };
}
