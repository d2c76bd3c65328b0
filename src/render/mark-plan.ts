/**
 * Finds the marks the renderer may draw straight into pixels instead of through Vega's
 * dataflow and canvas, fed by one source through nothing but Vega-Lite's validity filters:
 * - large symbol marks (circles and squares) whose encodings are plain field → scale
 *   lookups or constants (`symbols`);
 * - rect marks on a grid of cells, x and y on band scales without inner padding and a
 *   cell's size the band's (a heatmap, an image from a matrix): drawn as one image per
 *   frame, one pixel per cell scaled to the grid, so no seams open between cells at any
 *   size (`cells`).
 * Everything else stays Vega's, with the reason (planMarks).
 */
import type { PlannedSource } from '../data/partition.js';
import type { Column } from '../data/table.js';
import type { ResolvedAnimation, SpecUnit } from '../compile/index.js';
import { unitOfMark } from '../compile/index.js';
import { symbolDefaults } from '../compile/symbol-defaults.js';
import { type Json, isObject } from '../support/json.js';

/** One encoded channel, reduced to what the fast path evaluates. */
export type ChannelRule =
  | { kind: 'value'; value: unknown }
  | { kind: 'field'; field: string; scale?: string }
  | { kind: 'signal'; signal: string; mult: number };

export interface DirectMark {
  /** Symbols drawn one by one, or a grid of cells drawn as one image. */
  kind: 'symbols' | 'cells';
  /** The Vega mark's name (how the renderer recognises it in the scenegraph). */
  markName: string;
  /** Index into the plan's sources (one without frames is drawn whole in every frame). */
  source: number;
  /** The Vega datasets from the mark's up to the source's. */
  datasets: string[];
  /**
   * The Vega dataset the renderer sets each frame's bounding rows in (Vega lays out with
   * them, never draws them): the source's, or the mark's own when it shares its data.
   */
  dataset: string;
  /** Whether nothing but fast marks reads the source: then Vega is given none of its rows. */
  ownsSource: boolean;
  /**
   * Set when other marks read the mark's data: the spec is changed (routeFastMarks) so the
   * mark reads `dataset`, a new top-level dataset with these validity filters, set at `at`
   * (keys from the spec's root) under `key`: the mark's `from.data`, or the `source` of its
   * own first dataset.
   */
  route?: { at: (string | number)[]; key: 'data' | 'source'; transform: Json[] };
  channels: Partial<Record<FastChannel, ChannelRule>>;
  /** Fields that must be valid (finite / non-null) for a row to be drawn. */
  validFields: string[];
  /**
   * Cells only: how the image is scaled to the grid. true: smoothed; false: each cell a
   * block of pixels (nearest neighbour); undefined: blocks while a cell covers at least one
   * device pixel, smoothed (averaged) when cells are smaller than pixels.
   */
  smooth?: boolean;
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

/** A dataset as Vega resolves it: by name, in the scope of the group that defines it. */
interface DataNode {
  name: string;
  /** Its definition (a facet's partition has none of its own). */
  def?: Json;
  /** Where `def` sits in the spec, as keys from the root. */
  path: (string | number)[];
  top: boolean;
  /** What it derives from (several: a merge). */
  sources: DataNode[];
  derived: DataNode[];
  /** Marks reading it (a group with `from` reads it too). */
  marks: MarkSite[];
  /** Scales and expressions reading it. */
  otherReaders: number;
}

interface MarkSite {
  mark: Json;
  path: (string | number)[];
  data?: DataNode;
  /** Inside a facet (or a group made per row): drawn once per panel, with its rows. */
  faceted: boolean;
}

interface Scope {
  parent?: Scope;
  names: Map<string, DataNode>;
}

/**
 * Every dataset and mark of a Vega spec, with names resolved as Vega resolves them: a name
 * defined in a group (a facet's partition, the group's own `data`) hides the same name
 * outside it. Vega-Lite names a facet's data `data_0` while the top level has its own.
 */
function dataGraph(vega: Json): { nodes: DataNode[]; sites: MarkSite[] } {
  const nodes: DataNode[] = [];
  const sites: MarkSite[] = [];
  const resolve = (scope: Scope | undefined, name: unknown): DataNode | undefined => {
    if (typeof name !== 'string') return undefined;
    for (let s = scope; s; s = s.parent) {
      const n = s.names.get(name);
      if (n) return n;
    }
    return undefined;
  };
  const node = (name: string, path: (string | number)[], top: boolean, def?: Json) => {
    const n: DataNode = {
      name,
      def,
      path,
      top,
      sources: [],
      derived: [],
      marks: [],
      otherReaders: 0,
    };
    nodes.push(n);
    return n;
  };
  const define = (scope: Scope, list: unknown, at: (string | number)[], top: boolean) => {
    if (!Array.isArray(list)) return;
    list.forEach((d: unknown, i) => {
      if (!isObject(d) || typeof d.name !== 'string') return;
      const n = node(d.name, [...at, 'data', i], top, d);
      for (const from of [d.source].flat()) {
        const s = resolve(scope, from);
        if (!s) continue;
        n.sources.push(s);
        s.derived.push(n);
      }
      scope.names.set(d.name, n);
    });
  };
  // Scales in groups read their data while the animation runs; top-level ones are fixed
  // before it (fixScaleDomains), all but bin-ordinal ones.
  const readScales = (scope: Scope, scales: unknown, top: boolean) => {
    for (const s of (Array.isArray(scales) ? scales : []) as unknown[]) {
      if (!isObject(s) || (top && s.type !== 'bin-ordinal')) continue;
      const domain = isObject(s.domain) ? s.domain : {};
      const refs = [domain, ...(Array.isArray(domain.fields) ? domain.fields : [])];
      for (const r of refs) {
        const n = isObject(r) ? resolve(scope, r.data) : undefined;
        if (n) n.otherReaders++;
      }
    }
  };
  const visit = (scope: Scope, list: unknown, at: (string | number)[], faceted: boolean) => {
    if (!Array.isArray(list)) return;
    list.forEach((m: unknown, i) => {
      if (!isObject(m)) return;
      const path = [...at, 'marks', i];
      const from = isObject(m.from) ? m.from : {};
      const facet = isObject(from.facet) ? from.facet : undefined;
      const site: MarkSite = { mark: m, path, faceted };
      site.data = resolve(scope, facet ? facet.data : from.data);
      site.data?.marks.push(site);
      sites.push(site);
      if (m.type !== 'group') return;
      const inner: Scope = { parent: scope, names: new Map() };
      if (facet && typeof facet.name === 'string') {
        const part = node(facet.name, [...path, 'from', 'facet'], false);
        if (site.data) {
          part.sources.push(site.data);
          site.data.derived.push(part);
        }
        inner.names.set(facet.name, part);
      }
      define(inner, m.data, path, false);
      readScales(inner, m.scales, false);
      visit(inner, m.marks, path, faceted || !!site.data);
    });
  };
  const top: Scope = { names: new Map() };
  define(top, vega.data, [], true);
  readScales(top, vega.scales, true);
  visit(top, vega.marks, [], false);
  // Expressions that read a dataset by name: data('d'), indata('d', …), and the like.
  const text = JSON.stringify(vega);
  for (const n of nodes) {
    const quoted = n.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`\\(\\s*(?:'${quoted}'|\\\\"${quoted}\\\\")`).test(text)) n.otherReaders++;
  }
  return { nodes, sites };
}

/** Transforms after which a mark has at most as many items as its source has rows. */
const ROW_WISE = new Set([
  'formula',
  'project',
  'identifier',
  'collect',
  'window',
  'joinaggregate',
  'lookup',
  'stack',
  'bin',
  'timeunit',
  'extent',
]);

/** How one Vega mark is drawn, and why Vega draws it when the fast path does not. */
export interface MarkVerdict {
  /** The Vega mark's name (Vega-Lite's: `marks`, `layer_0_marks`, `concat_1_marks`, …). */
  markName: string;
  /** The Vega mark type: symbol, rect, line, text, … */
  type: string;
  /** Set when the fast path draws it. */
  fast?: DirectMark;
  /** Why Vega draws it. */
  reason?: string;
  /** Index into the plan's sources of the data it draws, when one source feeds it. */
  source?: number;
  /**
   * Items it draws in a frame, at most: its source's rows in the largest frame, when nothing
   * between them can make more (undefined when a transform decides).
   */
  items?: number;
}

/** Rows of a planned source in its largest frame (all of them when it has no frames). */
export function rowsPerFrame(source: PlannedSource): number {
  if (!source.partition) return source.table.length;
  const { offsets } = source.partition;
  let most = 0;
  for (let k = 0; k + 1 < offsets.length; k++)
    most = Math.max(most, source.frame?.cumulative ? offsets[k + 1] : offsets[k + 1] - offsets[k]);
  return most;
}

/** How a channel Vega draws but the fast path does not is named in a reason. */
const UNSUPPORTED: Record<string, string> = {
  strokeDash: 'has a stroke dash',
  strokeDashOffset: 'has a stroke dash',
  angle: 'is rotated (angle)',
  zindex: 'has a z-index',
  blend: 'has a blend mode',
  strokeCap: 'has a stroke cap',
  strokeJoin: 'has a stroke join',
  strokeMiterLimit: 'has a stroke miter limit',
  strokeForeground: 'has strokeForeground',
  strokeOffset: 'has a stroke offset',
  xc: 'is placed by xc',
  yc: 'is placed by yc',
  clip: 'is clipped',
};

const FACETED = 'is drawn in each panel of a facet';

/**
 * Why the fast path cannot draw `site` (undefined: it can), and what it would draw: the
 * mark's channels, its datasets up to the source, and their validity filters.
 */
function judge(
  vega: Json,
  site: MarkSite,
  sources: PlannedSource[],
  scaleNames: Set<string>,
  context: MarkContext,
): {
  reason?: string;
  source?: number;
  items?: number;
  chain?: DataNode[];
  candidate?: Omit<DirectMark, 'dataset' | 'ownsSource'>;
} {
  const { mark } = site;
  // The data first: what the mark draws from, and how many items a frame.
  const chain: DataNode[] = [];
  const validFields: string[] = [];
  let transformed: string | undefined;
  let rowWise = true;
  for (let n = site.data; n; n = n.sources[0]) {
    if (chain.includes(n)) break;
    chain.push(n);
    if (n.sources.length > 1) transformed ??= 'its data merges several datasets';
    if (n.def?.url !== undefined || n.def?.values !== undefined || n.def?.format !== undefined)
      transformed ??= 'its data is read or parsed by Vega';
    for (const t of (Array.isArray(n.def?.transform) ? n.def.transform : []) as Json[]) {
      const fields =
        t.type === 'filter' && typeof t.expr === 'string' ? validityFields(t.expr) : undefined;
      if (fields) {
        validFields.push(...fields);
        continue;
      }
      transformed ??=
        t.type === 'filter'
          ? 'its data is filtered by an expression'
          : `its data goes through ${article(String(t.type))} ${String(t.type)} transform`;
      if (!ROW_WISE.has(String(t.type))) rowWise = false;
    }
  }
  const root = chain[chain.length - 1];
  const sourceIndex = root?.top ? sources.findIndex((s) => s.name === root.name) : -1;
  const source = sources[sourceIndex];
  const items = !site.data ? 1 : source && rowWise ? rowsPerFrame(source) : undefined;
  const known = { source: source ? sourceIndex : undefined, items };
  const cells = mark.type === 'rect';
  if (mark.type !== 'symbol' && !cells) return { ...known, reason: ONLY_DIRECT };
  const grid = cells ? notAGrid(vega, mark) : undefined;
  if (grid) return { ...known, reason: grid };
  if (typeof mark.name !== 'string') return { ...known, reason: 'has no name' };
  if (site.faceted) return { ...known, reason: FACETED };
  if (!site.data)
    return { ...known, reason: `draws one ${cells ? 'rect' : 'symbol'}, not rows of data` };
  // Few items first: drawn directly or not, Vega is as fast for them. Cells are drawn
  // directly at any count: one image has no seams between cells, Vega's rects do.
  if (!cells && items !== undefined && items < FAST_PATH_MIN_ROWS)
    return {
      ...known,
      reason: `at most ${items.toLocaleString('en')} item${items === 1 ? '' : 's'} a frame (the direct path pays from ${FAST_PATH_MIN_ROWS.toLocaleString('en')})`,
    };
  if (transformed) return { ...known, reason: transformed };
  if (!source) return { ...known, reason: 'its data is made by Vega' };
  // Data without frames is drawn whole in every frame of a chart that has frames (its
  // scales are fixed over all frames first); a still chart of symbols is one frame, Vega's.
  // Cells are drawn directly in a still chart too: Vega's rects would leave seams.
  if (!cells && !source.partition && !sources.some((s) => s.partition))
    return { ...known, reason: 'the chart has no frames' };
  const encode = isObject(mark.encode) ? mark.encode : {};
  const other = Object.keys(encode).find((k) => k !== 'update' && k !== 'enter');
  if (other) return { ...known, reason: `has ${article(other)} ${other} encoding` };
  if (cells) {
    // A file read a frame at a time keeps up to 1,000 distinct values a column in its
    // summaries; a grid's rows and columns need every one before the first frame.
    if (source.table.stream)
      return { ...known, reason: 'its data is read a frame at a time (a large CSV file)' };
    const judged = judgeCells(vega, mark, encode, context);
    if ('reason' in judged) return { ...known, reason: judged.reason };
    // A null row or column value is a band of its own on Vega's scale ("null"), which the
    // grid's summary of distinct values does not hold.
    const nullAxis = (['x', 'y'] as const).find((axis) => {
      const rule = judged.channels[axis];
      return rule?.kind === 'field' && hasNull(source.table.columns[rule.field]);
    });
    if (nullAxis) return { ...known, reason: `its ${nullAxis} field has null values` };
    return {
      ...known,
      chain,
      candidate: {
        kind: 'cells',
        markName: mark.name,
        source: sourceIndex,
        datasets: chain.map((n) => n.name),
        channels: judged.channels,
        validFields,
        ...(judged.smooth !== undefined ? { smooth: judged.smooth } : {}),
      },
    };
  }
  const channels: DirectMark['channels'] = {};
  for (const block of [encode.enter, encode.update]) {
    if (!isObject(block)) continue;
    for (const [key, def] of Object.entries(block)) {
      if (IGNORED.has(key)) continue;
      if (!(CHANNELS as readonly string[]).includes(key))
        return { ...known, reason: UNSUPPORTED[key] ?? `has ${key}` };
      const rule = channelRule(def);
      if (!rule)
        return {
          ...known,
          reason: Array.isArray(def)
            ? `its ${key} has a condition`
            : `its ${key} is not a plain field, scale or value`,
        };
      if (rule.kind === 'field' && rule.scale !== undefined && !scaleNames.has(rule.scale))
        return { ...known, reason: `its ${key} scale is not one of the chart's top-level scales` };
      channels[key as FastChannel] = rule;
    }
  }
  const shape = channels.shape;
  if (shape?.kind === 'field') return { ...known, reason: 'its shape is encoded by a field' };
  if (shape && !(shape.kind === 'value' && (shape.value === 'circle' || shape.value === 'square')))
    return {
      ...known,
      reason: `its shape is ${shape.kind === 'value' ? JSON.stringify(shape.value) : 'a signal'}`,
    };
  if (!channels.x || !channels.y) return { ...known, reason: 'has no x or no y' };
  // What Vega draws when the encoding says nothing: the mark's styles, then symbol defaults.
  const defaults = symbolDefaults(vega, mark);
  for (const key of ['size', 'shape', 'strokeWidth'] as const)
    if (!channels[key] && defaults[key] !== undefined)
      channels[key] = { kind: 'value', value: defaults[key] };
  // An angle from a style or config.symbol turns squares; the fast path draws them upright
  // (an angle channel is no channel it knows, so such marks are Vega's already).
  const angle = Number(defaults.angle ?? 0);
  const drawn = channels.shape?.kind === 'value' ? channels.shape.value : undefined;
  if (angle % 90 !== 0 && drawn !== 'circle')
    return { ...known, reason: 'its squares are turned by an angle from the config' };
  return {
    ...known,
    chain,
    candidate: {
      kind: 'symbols',
      markName: mark.name,
      source: sourceIndex,
      datasets: chain.map((n) => n.name),
      channels,
      validFields,
    },
  };
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Why Vega draws a mark of a type the direct path does not draw. */
export const ONLY_DIRECT = 'only point, circle, square and rect marks are drawn directly';

/** What of the compiled spec, beyond the Vega spec, decides how a mark is drawn. */
export interface MarkContext {
  /** Where each mark is written, with the spec's own mark options (`smooth`). */
  units?: SpecUnit[];
  /** Enter/exit effects and trails the direct cells path does not draw. */
  animation?: Pick<ResolvedAnimation, 'enter' | 'exit' | 'trail'>;
}

/** The cell channels the direct path draws; the rest of a rect's channels are Vega's. */
const CELL_CHANNELS = new Set(['x', 'y', 'width', 'height', 'fill', 'opacity', 'fillOpacity']);

/** A rect's size written as Vega-Lite writes a band's: `max(0.25, bandwidth('x'))`. */
function isBandSize(def: unknown, scale: string): boolean {
  if (!isObject(def)) return false;
  if (typeof def.signal === 'string')
    return (
      def.signal.replace(/\s/g, '') === `max(0.25,bandwidth('${scale}'))` ||
      def.signal.replace(/\s/g, '') === `bandwidth('${scale}')`
    );
  return def.scale === scale && def.band === 1 && Object.keys(def).length === 2;
}

/** Whether a column holds a null (NaN in a number column, no code in a string column). */
function hasNull(col: Column | undefined): boolean {
  if (!col) return false;
  if (col.kind === 'number') return col.values.some((v) => Number.isNaN(v));
  if (col.kind === 'string') return col.codes.some((c) => c < 0);
  return col.values.some((v) => v == null);
}

/** The rect's encoding, enter and update merged. */
function rectBlock(mark: Json): Json {
  const encode = isObject(mark.encode) ? mark.encode : {};
  return {
    ...(isObject(encode.enter) ? encode.enter : {}),
    ...(isObject(encode.update) ? encode.update : {}),
  };
}

/**
 * Why a rect mark is not a grid of cells (a bar, a rect between two values, padded bands),
 * or undefined: x and y fields on top-level band scales without inner padding, each cell
 * the band's size.
 */
function notAGrid(vega: Json, mark: Json): string | undefined {
  const block = rectBlock(mark);
  const scales = (Array.isArray(vega.scales) ? vega.scales : []) as Json[];
  const bands = (['x', 'y'] as const).map((axis) => {
    const rule = channelRule(block[axis]);
    const scale =
      rule?.kind === 'field' && rule.scale ? scales.find((s) => s.name === rule.scale) : undefined;
    return scale?.type === 'band' && block[`${axis}2`] === undefined ? scale : undefined;
  });
  const off = bands.findIndex((b) => !b);
  if (off >= 0) return `its ${'xy'[off]} is not a field on a band scale (a grid of cells)`;
  for (const [k, size] of (['width', 'height'] as const).entries()) {
    const scale = bands[k]!;
    if (!isBandSize(block[size], String(scale.name))) return `its ${size} is not the band's`;
    if ((scale.paddingInner ?? scale.padding ?? 0) !== 0)
      return `its ${'xy'[k]} band has padding between cells`;
    // Sorted by an aggregate of the rows (sort: {field, op}, "-color", count): the order
    // needs every row, and Vega is given only the grid's corner rows.
    const sort = isObject(scale.domain) ? scale.domain.sort : undefined;
    if (isObject(sort) && (sort.field !== undefined || sort.op !== undefined))
      return `its ${'xy'[k]} band is sorted by its rows' values`;
  }
  return undefined;
}

/**
 * Whether a grid of cells (notAGrid found none) can be drawn as one image: its fill and
 * opacity plain fields or values, no stroke, no motion but fades. Returns the channels,
 * or why not.
 */
function judgeCells(
  vega: Json,
  mark: Json,
  encode: Json,
  context: MarkContext,
): { channels: DirectMark['channels']; smooth?: boolean } | { reason: string } {
  const block = rectBlock({ encode });
  const scales = new Map(
    ((Array.isArray(vega.scales) ? vega.scales : []) as Json[]).map((s) => [s.name, s]),
  );
  const channels: DirectMark['channels'] = {};
  for (const [key, def] of Object.entries(block)) {
    if (IGNORED.has(key)) continue;
    if ((key === 'stroke' || key === 'strokeWidth') && isObject(def) && def.value == null) continue;
    if (!CELL_CHANNELS.has(key))
      return {
        reason:
          key === 'stroke' || key === 'strokeWidth'
            ? 'its cells have a stroke'
            : key === 'cornerRadius' || key.startsWith('cornerRadius')
              ? 'its cells have rounded corners'
              : (UNSUPPORTED[key] ?? `has ${key}`),
      };
    if (key === 'width' || key === 'height') continue;
    const rule = channelRule(def);
    if (!rule || rule.kind === 'signal')
      return {
        reason: Array.isArray(def)
          ? `its ${key} has a condition`
          : `its ${key} is not a plain field, scale or value`,
      };
    if (rule.kind === 'field' && rule.scale !== undefined && !scales.has(rule.scale))
      return { reason: `its ${key} scale is not one of the chart's top-level scales` };
    channels[key as FastChannel] = rule;
  }
  const animation = context.animation;
  const motion = [...(animation?.enter ?? []), ...(animation?.exit ?? [])].find(
    (e) => e !== 'fade',
  );
  if (motion) return { reason: `its cells enter or exit by ${motion}, which Vega draws` };
  if (animation?.trail) return { reason: 'the animation has a trail, which Vega draws' };
  const unit = context.units ? unitOfMark(context.units, String(mark.name)) : undefined;
  return { channels, ...(unit?.smooth !== undefined ? { smooth: unit.smooth } : {}) };
}

/** A dataset name the spec does not use yet. */
function freshName(used: Set<string>, base: string): string {
  let name = base;
  for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
  used.add(name);
  return name;
}

/**
 * How every mark of a Vega spec (groups aside) is drawn: directly, or by Vega and why.
 * Eligibility is the mark's own: its data, encodings and scales. A mark whose data other
 * marks also read gets a dataset of its own (see DirectMark.route), so a chart beside
 * it, or a layer over it, changes nothing.
 */
export function planMarks(
  vega: Json,
  sources: PlannedSource[],
  context: MarkContext = {},
): MarkVerdict[] {
  const { nodes, sites } = dataGraph(vega);
  const scaleNames = new Set(
    ((Array.isArray(vega.scales) ? vega.scales : []) as Json[]).map((s) => s.name as string),
  );
  const used = new Set(nodes.map((n) => n.name));
  const judged = sites
    .filter((s) => s.mark.type !== 'group')
    .map((site) => ({ site, ...judge(vega, site, sources, scaleNames, context) }));
  const fastSites = new Set(judged.filter((j) => j.candidate).map((j) => j.site));
  // Whether a dataset's rows reach anything the fast path does not draw.
  const needed = (n: DataNode, seen = new Set<DataNode>()): boolean => {
    if (seen.has(n)) return false;
    seen.add(n);
    return (
      n.otherReaders > 0 ||
      n.marks.some((m) => !fastSites.has(m)) ||
      n.derived.some((d) => needed(d, seen))
    );
  };
  return judged.map(({ site, reason, source, items, chain, candidate }) => {
    const verdict: MarkVerdict = {
      markName: String(site.mark.name ?? ''),
      type: String(site.mark.type),
      source,
      items,
    };
    if (!candidate || !chain) return { ...verdict, reason };
    // The datasets only this mark reads, from the mark up; the first one anything else
    // reads (or derives from) starts the part it must not take rows from.
    const own = (n: DataNode, below: DataNode | undefined) =>
      n.otherReaders === 0 &&
      n.marks.every((m) => m === site) &&
      n.derived.every((d) => d === below);
    let j = 0;
    while (j < chain.length && own(chain[j], chain[j - 1])) j++;
    const root = chain[chain.length - 1];
    const fast: DirectMark = { ...candidate, dataset: root.name, ownsSource: !needed(root) };
    if (j < chain.length) {
      // Shared: the mark (or its own datasets) reads a new top-level dataset instead, with
      // the validity filters of the shared part, which the fast path fills with its rows.
      const transform = chain
        .slice(j)
        .flatMap((n) => (Array.isArray(n.def?.transform) ? (n.def.transform as Json[]) : []));
      fast.dataset = freshName(used, `vf_fast_${candidate.markName}`);
      fast.route =
        j === 0
          ? { at: [...site.path, 'from'], key: 'data', transform: structuredClone(transform) }
          : { at: chain[j - 1].path, key: 'source', transform: structuredClone(transform) };
    }
    return { ...verdict, fast };
  });
}

export function findDirectMarks(
  vega: Json,
  sources: PlannedSource[],
  context: MarkContext = {},
): DirectMark[] {
  return planMarks(vega, sources, context).flatMap((v) => (v.fast ? [v.fast] : []));
}

/**
 * Gives each fast mark whose data other marks read a dataset of its own (DirectMark.
 * route): the mark, or its own datasets, read it instead of the shared one. `spec` has the
 * layout of the spec the marks were found in.
 */
export function routeFastMarks(spec: Json, fast: DirectMark[]): void {
  const added: Json[] = [];
  for (const m of fast) {
    if (!m.route) continue;
    let at: unknown = spec;
    for (const key of m.route.at) at = (at as Record<string | number, unknown>)[key];
    (at as Json)[m.route.key] = m.dataset;
    added.push({ name: m.dataset, transform: m.route.transform });
  }
  // First: Vega resolves a dataset's source among those defined before it.
  if (added.length) spec.data = [...added, ...((spec.data as Json[] | undefined) ?? [])];
}

/**
 * The rect marks that are grids of cells (band x and y, each cell the band's size) which
 * Vega lays out itself, because the direct path does not draw them (in a facet's panels,
 * after a transform): drawn with each cell on whole device pixels (drawSnappedRects).
 */
export function findSnappedGrids(vega: Json, direct: readonly DirectMark[]): string[] {
  const directNames = new Set(direct.map((m) => m.markName));
  const names: string[] = [];
  const visit = (marks: unknown) => {
    for (const m of (Array.isArray(marks) ? marks : []) as unknown[]) {
      if (!isObject(m)) continue;
      if (m.type === 'group') visit(m.marks);
      if (m.type !== 'rect' || typeof m.name !== 'string' || directNames.has(m.name)) continue;
      const block = rectBlock(m);
      const stroked = Object.keys(block).some(
        (k) =>
          k.startsWith('cornerRadius') ||
          ((k === 'stroke' || k === 'strokeWidth') &&
            !(isObject(block[k]) && block[k].value == null)),
      );
      if (!stroked && notAGrid(vega, m) === undefined) names.push(m.name);
    }
  };
  visit(vega.marks);
  return names;
}
