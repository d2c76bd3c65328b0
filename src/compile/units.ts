/**
 * The units of a Vega-Lite spec (the nodes with a `mark`) with the names Vega-Lite gives
 * their Vega marks, so a Vega mark can be told by where it is written in the spec.
 * Vega-Lite names a model after its place: `layer_1`, `concat_0`, a facet's `child`, each
 * prefixed with its parent's name (or the `name` a spec gives), and a unit's marks
 * `<name>_marks`; composite marks (boxplot, errorbar, a line with points) become layers
 * under the unit's name, so every Vega mark starts with its unit's name.
 */
import { type Json, isObject } from '../support/json.js';
import { type Messages, message } from './messages.js';

export interface SpecUnit {
  /** JSON path of the unit in the spec: `$`, `$.layer[1]`, `$.hconcat[0].layer[0]`, … */
  path: string;
  /** Vega-Lite's mark type: point, circle, bar, … */
  mark: string;
  /** The prefix of its Vega marks' names ('' at the root). */
  prefix: string;
  /** The mark's `smooth` option (rect cells drawn as an image), when the spec sets it. */
  smooth?: boolean;
}

/** Vega-Lite's varName: what a name becomes in Vega. */
const varName = (s: string) => (/^\d/.test(s) ? '_' : '') + s.replace(/\W/g, '_');

const FACET_CHANNELS = ['row', 'column', 'facet'];

export function specUnits(spec: Json): SpecUnit[] {
  const units: SpecUnit[] = [];
  const walk = (node: Json, path: string, given: string) => {
    const name = typeof node.name === 'string' ? varName(node.name) : given;
    const child = (text: string) => varName(name ? `${name}_${text}` : text);
    if ('mark' in node) {
      const mark = isObject(node.mark) ? node.mark.type : node.mark;
      // A unit with row/column/facet channels is a facet of itself: its model is `child`.
      const enc = isObject(node.encoding) ? node.encoding : {};
      const faceted = FACET_CHANNELS.some((c) => enc[c] !== undefined);
      const smooth = isObject(node.mark) ? node.mark.smooth : undefined;
      units.push({
        path,
        mark: String(mark),
        prefix: faceted ? child('child') : name,
        ...(typeof smooth === 'boolean' ? { smooth } : {}),
      });
      return;
    }
    (['layer', 'hconcat', 'vconcat', 'concat'] as const).forEach((key) => {
      const list = node[key];
      if (!Array.isArray(list)) return;
      list.forEach((c: unknown, i) => {
        if (isObject(c))
          walk(c, `${path}.${key}[${i}]`, child(key === 'layer' ? `layer_${i}` : `concat_${i}`));
      });
    });
    // A facet's (or a repeat's) inner spec. Repeat names its copies after what they
    // repeat: their marks fall to the repeat itself.
    if (isObject(node.spec)) walk(node.spec, `${path}.spec`, node.facet ? child('child') : name);
  };
  walk(spec, '$', '');
  return units;
}

/** The unit a Vega mark belongs to: the one with the longest name its name starts with. */
export function unitOfMark(units: SpecUnit[], markName: string): SpecUnit | undefined {
  let best: SpecUnit | undefined;
  for (const u of units) {
    const starts = u.prefix === '' || markName.startsWith(`${u.prefix}_`);
    if (starts && (!best || u.prefix.length > best.prefix.length)) best = u;
  }
  return best;
}

/**
 * Takes the spec's own mark options (`smooth`), which Vega-Lite does not know, out of
 * every mark definition: they travel in the units (specUnits, read first).
 */
export function withoutMarkOptions(spec: Json): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (isObject(node.mark)) delete node.mark.smooth;
    for (const key of ['layer', 'hconcat', 'vconcat', 'concat', 'spec'] as const) walk(node[key]);
  };
  walk(spec);
}

/** Warns of `smooth` on a mark it does nothing for (only rect cells are drawn as images). */
export function checkMarkOptions(units: SpecUnit[], log: Messages): void {
  for (const u of units)
    if (u.smooth !== undefined && u.mark !== 'rect')
      log.warn(message.smoothNotRect(u.mark), `${u.path}.mark.smooth`);
}
