/**
 * Small multiples: the same spec with its frame channel turned into a Vega-Lite facet, one
 * panel per selected frame, titled with its frame value, on shared scales. The figure for
 * the paper beside the GIF, from one committed spec.
 */
import type { FrameFieldDef } from '../spec/types.js';
import { PLACEHOLDER } from './templates.js';
import { message } from './messages.js';
import { UserError } from '../support/user-error.js';
import { type Json, isObject } from '../support/json.js';

export class FacetError extends UserError {}

/** Top-level properties that stay outside the facet; the rest describe one panel. */
const OUTER = new Set([
  '$schema',
  'title',
  'description',
  'name',
  'data',
  'transform',
  'config',
  'background',
  'padding',
  'usermeta',
  'datasets',
  'resolve',
]);

/** The column the panels are faceted by: each row's panel label (its frame value). */
export const PANEL_FIELD = 'vf_frame';

/**
 * The faceted Vega-Lite spec, faceted by `PANEL_FIELD` in the order of `labels`: the data
 * gains that column, holding each row's frame as the clock formats it (a cumulative frame's
 * rows appear in every later panel). `{frame}` placeholders in the top-level title become
 * the range of the selected frames (e.g. "0–200"); the panels carry the single values.
 */
export function smallMultiplesSpec(
  input: Json,
  options: { columns: number; labels: string[] },
): Json {
  if (!('mark' in input) && !('layer' in input)) {
    throw new FacetError(message.facetNeedsOneView());
  }
  if (!findFrame(input)) throw new FacetError(message.facetNeedsFrame());
  const outer: Json = {};
  const inner: Json = {};
  for (const [key, value] of Object.entries(input)) {
    // autosize "fit" does not apply to a facet; the fonts are the render's, read once.
    if (key === 'animation' || key === 'autosize' || key === 'fonts') continue;
    if (OUTER.has(key)) outer[key] = value;
    else inner[key] = value;
  }
  stripFrame(inner);
  panelTemplates(inner);
  // Selection params belong to the panel's unit; variable params may stay at the top.
  if (Array.isArray(inner.params)) {
    const variables = (inner.params as Json[]).filter((p) => !('select' in p));
    const selections = (inner.params as Json[]).filter((p) => 'select' in p);
    if (variables.length) outer.params = variables;
    if (selections.length) inner.params = selections;
    else delete inner.params;
  }
  const { labels } = options;
  const range = labels.length > 1 ? `${labels[0]}–${labels[labels.length - 1]}` : labels[0];
  if (outer.title !== undefined) outer.title = retitle(outer.title, range ?? '');
  if (Array.isArray(outer.transform)) outer.transform = outer.transform.map(perPanel);
  layersPerPanel(inner);
  return {
    ...outer,
    facet: {
      field: PANEL_FIELD,
      type: 'ordinal',
      sort: labels,
      header: { title: null, labelFontSize: 12, labelFontWeight: 'bold' },
    },
    columns: options.columns,
    spec: inner,
  };
}

/** The default grid: as square as possible. */
export function defaultColumns(panels: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(panels)));
}

function findFrame(node: Json): FrameFieldDef | undefined {
  const enc = node.encoding;
  if (isObject(enc)) {
    const f = enc.frame ?? enc.time;
    if (isObject(f)) return f as unknown as FrameFieldDef;
  }
  if (Array.isArray(node.layer)) {
    for (const l of node.layer) {
      if (!isObject(l)) continue;
      if (l.data !== undefined) {
        throw new FacetError(message.facetLayerData());
      }
      const f = findFrame(l);
      if (f) return f;
    }
  }
  return undefined;
}

function stripFrame(node: Json): void {
  if (isObject(node.encoding)) {
    delete node.encoding.frame;
    delete node.encoding.time;
  }
  if (Array.isArray(node.layer)) node.layer.forEach((l) => isObject(l) && stripFrame(l));
}

/** Transforms that compute over groups of rows; in an animation each frame is its own. */
const GROUPED = [
  'aggregate',
  'joinaggregate',
  'window',
  'impute',
  'pivot',
  'regression',
  'loess',
  'density',
  'quantile',
  'stack',
];

/**
 * A top-level transform, made to compute within each panel as it does within each frame
 * of the animation: the panel field joins its groupby (and is kept by an aggregate).
 */
function perPanel(transform: unknown): unknown {
  if (!isObject(transform) || !GROUPED.some((k) => k in transform)) return transform;
  const groupby = Array.isArray(transform.groupby) ? transform.groupby : [];
  return { ...transform, groupby: [...groupby, PANEL_FIELD] };
}

/**
 * A layer's own grouped transforms (a frame's max, a window over a frame's rows) run per
 * panel too, as they run per frame in the animation: grouped by the panel field. (Without
 * it they would span every panel, and Vega-Lite's compiler fails on a facet whose layers
 * aggregate over the facet's whole data.)
 */
function layersPerPanel(node: Json): void {
  if (!Array.isArray(node.layer)) return;
  for (const layer of node.layer as unknown[]) {
    if (!isObject(layer)) continue;
    if (Array.isArray(layer.transform)) layer.transform = layer.transform.map(perPanel);
    layersPerPanel(layer);
  }
}

/**
 * `{frame}` in a panel's text marks means that panel's frame: rewritten to read the row's
 * panel field (every row of a panel carries it), not the animation's frame param.
 */
function panelTemplates(node: Json): void {
  const rewrite = (t: unknown) =>
    typeof t === 'string' ? t.replace(/\{frame(:[^}]*)?\}/g, '{panel_frame}') : t;
  if (isObject(node.mark)) node.mark.text = rewrite(node.mark.text);
  if (isObject(node.mark) && node.mark.text === undefined) delete node.mark.text;
  const enc = node.encoding;
  if (isObject(enc) && isObject(enc.text) && 'value' in enc.text)
    enc.text.value = rewrite(enc.text.value);
  if (Array.isArray(node.layer)) node.layer.forEach((l) => isObject(l) && panelTemplates(l));
}

function retitle(title: unknown, frameText: string): unknown {
  const sub = (t: unknown) =>
    typeof t === 'string'
      ? t.replace(PLACEHOLDER, (m) => (m === '{{' ? '{' : m === '}}' ? '}' : frameText))
      : t;
  if (isObject(title)) {
    const out: Json = { ...title, text: sub(title.text) };
    if (title.subtitle !== undefined) out.subtitle = sub(title.subtitle);
    return out;
  }
  return sub(title);
}
