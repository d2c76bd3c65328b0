/**
 * Finds the marks the renderer may draw straight into pixels instead of through Vega's
 * dataflow and canvas: large symbol marks (circles and squares) whose encodings are plain
 * field → scale lookups or constants, fed by one framed source through nothing but
 * Vega-Lite's validity filters, and read by no other mark. Everything else stays Vega's.
 */
import type { PlannedSource } from './frames.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One encoded channel, reduced to what the fast path evaluates. */
export type ChannelRule =
  | { kind: 'value'; value: unknown }
  | { kind: 'field'; field: string; scale?: string }
  | { kind: 'signal'; signal: string; mult: number };

export interface FastSymbolMark {
  /** The Vega mark's name (how the renderer recognises it in the scenegraph). */
  markName: string;
  /** Index into the plan's sources. */
  source: number;
  /** The Vega dataset the mark reads; it is fed no rows while the fast path draws. */
  datasets: string[];
  channels: Partial<Record<FastChannel, ChannelRule>>;
  /** Fields that must be valid (finite / non-null) for a row to be drawn. */
  validFields: string[];
}

const CHANNELS = [
  'x',
  'y',
  'fill',
  'stroke',
  'size',
  'shape',
  'opacity',
  'fillOpacity',
  'strokeOpacity',
  'strokeWidth',
] as const;
export type FastChannel = (typeof CHANNELS)[number];
const IGNORED = new Set(['description', 'ariaRoleDescription', 'tooltip', 'href', 'cursor']);

/** Vega's own defaults for styled symbol marks (vega-parser config.js). */
const VEGA_STYLES: Record<string, Json> = {
  point: { size: 30, strokeWidth: 2, shape: 'circle' },
  circle: { size: 30, strokeWidth: 2 },
  square: { size: 30, strokeWidth: 2, shape: 'square' },
};

/**
 * The size, shape and stroke width Vega gives a symbol mark whose encoding has none: its
 * styles (Vega-Lite's "point", "circle", "square"; later ones win), then `config.symbol`.
 */
export function symbolDefaults(
  vega: Json,
  mark: Json,
): { size?: number; shape?: string; strokeWidth?: number; angle?: number } {
  const config = isObject(vega.config) ? vega.config : {};
  const userStyles = isObject(config.style) ? config.style : {};
  const symbol = isObject(config.symbol) ? config.symbol : {};
  const out: Json = { size: 64, shape: 'circle', strokeWidth: 1, ...symbol };
  const styles = Array.isArray(mark.style) ? mark.style : mark.style ? [mark.style] : [];
  for (const name of styles as string[]) {
    Object.assign(out, VEGA_STYLES[name] ?? {});
    const user = userStyles[name];
    if (isObject(user)) Object.assign(out, user);
  }
  return out as { size?: number; shape?: string; strokeWidth?: number; angle?: number };
}

/** Rows per frame from which drawing a mark directly beats Vega's dataflow by a margin. */
export const FAST_PATH_MIN_ROWS = 2000;

function channelRule(def: unknown): ChannelRule | undefined {
  if (!isObject(def)) return undefined;
  const keys = Object.keys(def);
  if (keys.length === 1 && 'value' in def) return { kind: 'value', value: def.value };
  if (
    'field' in def &&
    typeof def.field === 'string' &&
    keys.every((k) => k === 'field' || k === 'scale')
  ) {
    if (def.field.includes('.') || def.field.includes('[')) return undefined;
    return { kind: 'field', field: def.field, scale: def.scale as string | undefined };
  }
  if (
    typeof def.signal === 'string' &&
    /^(width|height)$/.test(def.signal) &&
    keys.every((k) => k === 'signal' || k === 'mult')
  ) {
    return {
      kind: 'signal',
      signal: def.signal,
      mult: typeof def.mult === 'number' ? def.mult : 1,
    };
  }
  return undefined;
}

/** Fields in a Vega-Lite validity filter: `isValid(datum["f"]) && isFinite(+datum["f"])`. */
function validityFields(expr: string): string[] | undefined {
  const terms = expr.split('&&').map((t) => t.trim());
  const fields: string[] = [];
  for (const t of terms) {
    const m =
      /^(?:isValid\(datum\["([^"\]]+)"\]\)|isFinite\(\+datum\["([^"\]]+)"\]\)|datum\["([^"\]]+)"\] !== null)$/.exec(
        t,
      );
    if (!m) return undefined;
    fields.push(m[1] ?? m[2] ?? m[3]);
  }
  return fields;
}

function walkMarks(marks: unknown, visit: (mark: Json) => void): void {
  if (!Array.isArray(marks)) return;
  for (const m of marks) {
    if (!isObject(m)) continue;
    visit(m);
    walkMarks(m.marks, visit);
  }
}

export function findFastSymbolMarks(vega: Json, sources: PlannedSource[]): FastSymbolMark[] {
  const data = (Array.isArray(vega.data) ? vega.data : []) as Json[];
  const byName = new Map(data.map((d) => [d.name as string, d]));
  // Which marks read which dataset (and which datasets derive from which).
  const readers = new Map<string, number>();
  const allMarks: Json[] = [];
  walkMarks(vega.marks, (m) => {
    allMarks.push(m);
    const from = isObject(m.from) ? m.from : undefined;
    const name =
      from &&
      (typeof from.data === 'string'
        ? from.data
        : isObject(from.facet)
          ? (from.facet.data as string)
          : undefined);
    if (name) readers.set(name, (readers.get(name) ?? 0) + 1);
  });
  const derivedFrom = (name: string) =>
    data.filter((d) => d.source === name).map((d) => d.name as string);

  const result: FastSymbolMark[] = [];
  for (const mark of allMarks) {
    if (mark.type !== 'symbol' || typeof mark.name !== 'string') continue;
    const dsName = isObject(mark.from) ? mark.from.data : undefined;
    if (typeof dsName !== 'string') continue;
    // Walk up the dataset chain to a framed source, collecting validity filters.
    const chain: string[] = [];
    const validFields: string[] = [];
    let cursor: Json | undefined = byName.get(dsName);
    let ok = true;
    while (cursor) {
      chain.push(cursor.name as string);
      for (const t of (Array.isArray(cursor.transform) ? cursor.transform : []) as Json[]) {
        const fields =
          t.type === 'filter' && typeof t.expr === 'string' ? validityFields(t.expr) : undefined;
        if (!fields) ok = false;
        else validFields.push(...fields);
      }
      if (cursor.url || cursor.values || cursor.format) ok = false;
      cursor = typeof cursor.source === 'string' ? byName.get(cursor.source) : undefined;
    }
    const sourceIndex = sources.findIndex((s) => s.name === chain[chain.length - 1]);
    const source = sources[sourceIndex];
    if (!ok || !source?.partition) continue;
    // Nothing else may read the chain: the fast path feeds it no rows.
    const exclusive = chain.every(
      (n) =>
        (readers.get(n) ?? 0) === (n === dsName ? 1 : 0) &&
        derivedFrom(n).every((d) => chain.includes(d)),
    );
    if (!exclusive) continue;
    const { offsets } = source.partition;
    let maxRows = 0;
    for (let k = 0; k + 1 < offsets.length; k++)
      maxRows = Math.max(
        maxRows,
        source.frame?.cumulative ? offsets[k + 1] : offsets[k + 1] - offsets[k],
      );
    if (maxRows < FAST_PATH_MIN_ROWS) continue;
    const encode = isObject(mark.encode) ? mark.encode : {};
    if (Object.keys(encode).some((k) => k !== 'update' && k !== 'enter')) continue;
    const channels: FastSymbolMark['channels'] = {};
    let simple = true;
    for (const block of [encode.enter, encode.update]) {
      if (!isObject(block)) continue;
      for (const [key, def] of Object.entries(block)) {
        if (IGNORED.has(key)) continue;
        const rule = (CHANNELS as readonly string[]).includes(key) ? channelRule(def) : undefined;
        if (!rule) simple = false;
        else channels[key as FastChannel] = rule;
      }
    }
    const shape = channels.shape;
    if (
      shape &&
      !(shape.kind === 'value' && (shape.value === 'circle' || shape.value === 'square'))
    )
      simple = false;
    if (!simple || !channels.x || !channels.y) continue;
    // What Vega draws when the encoding says nothing: the mark's styles, then symbol defaults.
    const defaults = symbolDefaults(vega, mark);
    for (const key of ['size', 'shape', 'strokeWidth'] as const)
      if (!channels[key] && defaults[key] !== undefined)
        channels[key] = { kind: 'value', value: defaults[key] };
    // An angle from a style or config.symbol turns squares; the fast path draws them upright
    // (an angle channel is no channel it knows, so such marks are Vega's already).
    const angle = Number(defaults.angle ?? 0);
    const drawn = channels.shape?.kind === 'value' ? channels.shape.value : undefined;
    if (angle % 90 !== 0 && drawn !== 'circle') continue;
    result.push({
      markName: mark.name,
      source: sourceIndex,
      datasets: chain,
      channels,
      validFields,
    });
  }
  return result;
}
