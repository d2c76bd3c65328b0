/**
 * What tweens, enter/exit effects, trails and rescaling change in the compiled Vega spec.
 * The engine interpolates the data (render/tween.ts) and adds a few columns that the
 * marks here are rewritten to read; rows without them (plain data frames) draw as before:
 *
 *   vf_alpha        opacity multiplier (fade, trails)
 *   vf_grow         size / font size multiplier (grow)
 *   vf_fly_x, _y    offset as a fraction of the plot's width / height (fly)
 *   vf_color_S      a colour mixed between two values of scale S (categorical colours)
 *
 * Rescaled scales get a signal domain, `vf_domain_S`, set for every output frame; a rescaled
 * discrete scale whose categories would change their colours (or shapes) as the domain
 * grows gets a signal range too, `vf_range_S`: each category's value in the union over all
 * frames.
 */
import { type ResolvedAnimation, hasInBetweens } from './animation.js';
import type { SourceRef } from './extract.js';
import { type Messages, message } from './messages.js';
import { symbolDefaults } from './symbol-defaults.js';
import { type SpecUnit, unitOfMark } from './units.js';
import { type Json, isObject } from '../support/json.js';

export const MOTION_COLUMNS = {
  alpha: 'vf_alpha',
  grow: 'vf_grow',
  flyX: 'vf_fly_x',
  flyY: 'vf_fly_y',
} as const;
export const colorColumn = (scale: string) => `vf_color_${scale}`;
export const domainSignal = (scale: string) => `vf_domain_${scale}`;
export const rangeSignal = (scale: string) => `vf_range_${scale}`;

/** A categorical field coloured through a scale: its colour is mixed in tweens. */
export interface ColorMix {
  scale: string;
  field: string;
}

const guard = (col: string, otherwise: number) =>
  `(datum["${col}"] == null ? ${otherwise} : datum["${col}"])`;

/** `rule` scaled by the expression `factor` (Vega's `mult` on a value reference). */
function multiplied(rule: Json, factor: string): Json {
  if (rule.mult === undefined) return { ...rule, mult: { signal: factor } };
  if (typeof rule.mult === 'number')
    return { ...rule, mult: { value: rule.mult, mult: { signal: factor } } };
  if (isObject(rule.mult) && rule.mult.mult === undefined)
    return { ...rule, mult: { ...rule.mult, mult: { signal: factor } } };
  return rule;
}

/** `rule` shifted by the value reference `shift`. */
function offsetBy(rule: Json, shift: Json): Json {
  if (rule.offset === undefined) return { ...rule, offset: shift };
  if (typeof rule.offset === 'number')
    return { ...rule, offset: { value: rule.offset, offset: shift } };
  if (isObject(rule.offset) && rule.offset.offset === undefined)
    return { ...rule, offset: { ...rule.offset, offset: shift } };
  return rule;
}

function mapRules(entry: unknown, f: (rule: Json) => Json): unknown {
  if (Array.isArray(entry)) return entry.map((r) => (isObject(r) ? f(r) : r));
  return isObject(entry) ? f(entry) : entry;
}

/** The datasets fed (directly or through derived datasets and facets) by `sources`. */
function derivedDatasets(spec: Json, sources: Set<string>): Set<string> {
  const out = new Set(sources);
  const visit = (node: Json) => {
    for (const d of (Array.isArray(node.data) ? node.data : []) as Json[]) {
      if (typeof d.source === 'string' && out.has(d.source)) out.add(d.name as string);
      if (Array.isArray(d.source) && d.source.some((s) => out.has(s))) out.add(d.name as string);
    }
    for (const m of (Array.isArray(node.marks) ? node.marks : []) as Json[]) {
      const from = isObject(m.from) ? m.from : {};
      const facet = isObject(from.facet) ? from.facet : undefined;
      if (facet && out.has(facet.data as string)) out.add(facet.name as string);
      visit(m);
    }
  };
  visit(spec);
  return out;
}

/**
 * Deletes Vega's join key from the marks fed by `sources`, in place. Each frame's rows are
 * supplied anew, and the engine matches rows across frames itself (render/tween.ts), so
 * Vega's join has nothing to keep; a join by a field the rows lack (a key from a shared
 * encoding above a layer with data of its own), or by a key two rows share, would fold
 * them into one item.
 */
export function dropJoinKeys(spec: Json, sources: Set<string>): void {
  const fed = derivedDatasets(spec, sources);
  const visit = (node: Json) => {
    for (const m of (Array.isArray(node.marks) ? node.marks : []) as Json[]) {
      const from = isObject(m.from) ? m.from : {};
      if (typeof from.data === 'string' && fed.has(from.data)) delete m.key;
      visit(m);
    }
  };
  visit(spec);
}

export interface MotionRewrite {
  /** Colour mixes the tween must supply (`vf_color_S` columns), over every mark. */
  colorMixes: ColorMix[];
}

/**
 * Rewrites, in place, the marks fed by `framedSources` to read the motion columns. Marks
 * named in `skip` (drawn by the fast path, which reads the columns itself) are left alone
 * but still report their colour mixes. `categorical` tells whether a field is not numeric.
 * The scales named in `ranges` (rescaled too) read their range from `vf_range_S`.
 */
export function rewriteForMotion(
  spec: Json,
  framedSources: Set<string>,
  skip: Set<string>,
  categorical: (field: string) => boolean,
  rescale: string[],
  ranges: readonly string[] = [],
): MotionRewrite {
  const fed = derivedDatasets(spec, framedSources);
  const mixes = new Map<string, ColorMix>();
  const alpha = guard(MOTION_COLUMNS.alpha, 1);
  const grow = guard(MOTION_COLUMNS.grow, 1);
  // A fraction of the enclosing group's size: the unit's plot, also inside concat and facet.
  const flyX = { field: { group: 'width' }, mult: { signal: guard(MOTION_COLUMNS.flyX, 0) } };
  const flyY = { field: { group: 'height' }, mult: { signal: guard(MOTION_COLUMNS.flyY, 0) } };

  const visitMarks = (node: Json) => {
    for (const m of (Array.isArray(node.marks) ? node.marks : []) as Json[]) {
      const from = isObject(m.from) ? m.from : {};
      if (m.type !== 'group' && typeof from.data === 'string' && fed.has(from.data)) {
        // Trails repeat keys: the engine matches rows itself, Vega must not join them.
        delete m.key;
        const update = ((m.encode ??= {}) as Json).update as Json | undefined;
        const enc = (update ?? ((m.encode as Json).update = {})) as Json;
        for (const channel of ['fill', 'stroke']) {
          const rules = Array.isArray(enc[channel]) ? (enc[channel] as Json[]) : [enc[channel]];
          for (const r of rules) {
            if (
              isObject(r) &&
              typeof r.scale === 'string' &&
              typeof r.field === 'string' &&
              categorical(r.field)
            )
              mixes.set(r.scale, { scale: r.scale, field: r.field });
          }
        }
        if (skip.has(m.name as string)) continue;
        for (const channel of ['fill', 'stroke']) {
          const rules = Array.isArray(enc[channel]) ? (enc[channel] as Json[]) : [enc[channel]];
          const mixed: Json | undefined = rules.find(
            (r): r is Json =>
              isObject(r) && typeof r.scale === 'string' && mixes.has(r.scale) && !('test' in r),
          );
          if (mixed) {
            const col = colorColumn(mixed.scale as string);
            enc[channel] = [{ test: `datum["${col}"] != null`, field: col }, ...rules];
          }
        }
        enc.opacity =
          enc.opacity === undefined
            ? { signal: alpha }
            : mapRules(enc.opacity, (r) => multiplied(r, alpha));
        growRewrite(spec, m)?.(grow);
        for (const channel of ['x', 'x2', 'xc'])
          if (enc[channel] !== undefined)
            enc[channel] = mapRules(enc[channel], (r) => offsetBy(r, flyX));
        for (const channel of ['y', 'y2', 'yc'])
          if (enc[channel] !== undefined)
            enc[channel] = mapRules(enc[channel], (r) => offsetBy(r, flyY));
      }
      visitMarks(m);
    }
  };
  visitMarks(spec);

  for (const s of (Array.isArray(spec.scales) ? spec.scales : []) as Json[]) {
    if (!rescale.includes(scaleChannel(s.name as string))) continue;
    s.domain = { signal: domainSignal(s.name as string) };
    delete s.nice;
    s.zero = false; // Vega's default for linear scales is true, even for signal domains
    delete s.domainMin;
    delete s.domainMax;
    // Each frame's domain holds the mid already ([min, mid, max]).
    delete s.domainMid;
    if (ranges.includes(s.name as string)) {
      s.range = { signal: rangeSignal(s.name as string) };
      // Each frame's range is in the order the scale gives, reversed already when asked.
      delete s.reverse;
    }
  }
  return { colorMixes: [...mixes.values()] };
}

/**
 * How grow applies to a mark, as a rewrite of its update encoding given the grow
 * expression (0 → 1), or undefined where it cannot apply (lines, rules, arcs, images,
 * shapes, and encodings built of conditional rules). Symbols scale their area and text its
 * font size; a bar or an area grows out of its baseline along its length (`y` from `y2`,
 * or `x` from `x2`), and a rect without a baseline (a heatmap's tile) about its centre.
 */
export function growRewrite(spec: Json, m: Json): ((grow: string) => void) | undefined {
  const encode = isObject(m.encode) ? m.encode : {};
  const enc = (isObject(encode.update) ? encode.update : {}) as Json;
  const single = (channel: string) => isObject(enc[channel]) && !('test' in enc[channel]);
  const sized = (channel: string, fallback?: number) => (grow: string) => {
    const update = ((m.encode ??= {}) as Json).update as Json;
    if (update[channel] === undefined && fallback !== undefined)
      update[channel] = { value: fallback };
    if (update[channel] !== undefined)
      update[channel] = mapRules(update[channel], (r) => multiplied(r, grow));
  };
  if (m.type === 'symbol') return sized('size', symbolDefaults(spec, m).size ?? 64);
  if (m.type === 'text') return sized('fontSize', textFontSize(spec, m));
  if (m.type === 'trail' && enc.size !== undefined) return sized('size');
  if (m.type !== 'rect' && m.type !== 'area') return undefined;
  const pair = (a: string) => single(a) && single(`${a}2`);
  let along: string[];
  if (m.type === 'area') {
    const orient = isObject(enc.orient) ? enc.orient.value : undefined;
    along = [orient === 'horizontal' ? 'x' : 'y'];
  } else if (pair('x') && pair('y'))
    // A histogram's bin runs between its start and end; its length is the other dimension.
    along = [isBinEnd(enc.y2) && !isBinEnd(enc.x2) ? 'x' : 'y'];
  else along = ['x', 'y'].filter(pair);
  if (along.length > 0) {
    if (!along.every(pair)) return undefined;
    // The far end moves from the baseline to its place: grow × end + (1 − grow) × baseline.
    return (grow) => {
      for (const a of along)
        enc[a] = {
          signal: grow,
          mult: enc[a],
          offset: { signal: `1 - ${grow}`, mult: enc[`${a}2`] },
        };
    };
  }
  // A tile: each side, given by a start or a centre and a size, shrinks about its centre.
  const sides = [
    ['x', 'xc', 'width'],
    ['y', 'yc', 'height'],
  ].filter(([start, centre, size]) => single(size) && (single(start) || single(centre)));
  if (sides.length === 0) return undefined;
  return (grow) => {
    for (const [start, , size] of sides) {
      if (single(start))
        enc[start] = {
          signal: '1',
          mult: enc[start],
          offset: { signal: `(1 - ${grow}) / 2`, mult: enc[size] },
        };
      enc[size] = { signal: grow, mult: enc[size] };
    }
  };
}

const isBinEnd = (rule: unknown) =>
  isObject(rule) && typeof rule.field === 'string' && /^bin_.*_end$/.test(rule.field);

/** Marks whose rows connect into one path: trails of them would join into it. */
const PATH_MARKS = ['line', 'area', 'trail'];

/**
 * Motion options that would do nothing, each a warning at its JSON path: enter/exit
 * without tweens, tween frames beside a duration (or a total the engine fits), grow on a
 * mark it cannot size, trails of rows a path draws, a wake's size with mode "all".
 */
export function checkEffects(
  written: unknown,
  vega: Json,
  sources: SourceRef[],
  animation: ResolvedAnimation,
  units: SpecUnit[],
  log: Messages,
): void {
  const given = (isObject(written) ? written : {}) as Json;
  const tween = isObject(given.tween) ? given.tween : {};
  const fitted =
    animation.nframes !== undefined
      ? 'nframes'
      : animation.duration !== undefined
        ? 'duration'
        : undefined;
  const tweens = hasInBetweens(animation);
  for (const option of ['enter', 'exit'] as const)
    if (animation[option].length > 0 && !tweens)
      log.warn(message.effectWithoutTween(option, animation[option]), `$.animation.${option}`);
  if (animation.tween && !tweens)
    log.warn(
      message.tweenWithoutFrames(
        (['easing', 'spacing', 'wrap'] as const).filter((k) => tween[k] !== undefined),
      ),
      '$.animation.tween',
    );
  if (typeof tween.frames === 'number' && typeof tween.duration === 'number')
    log.warn(
      message.tweenFramesAndDuration(tween.frames, tween.duration),
      '$.animation.tween.duration',
    );
  if (fitted)
    for (const key of ['frames', 'duration'] as const)
      if (tween[key] !== undefined)
        log.warn(message.tweenFitted(key, fitted), `$.animation.tween.${key}`);
  const trail = animation.trail;
  if (trail?.mode === 'all' && isObject(given.trail) && given.trail.frames !== undefined)
    log.warn(message.trailFramesWithAll(), '$.animation.trail.frames');
  if (trail?.mode === 'all' && isObject(given.trail) && given.trail.size !== undefined)
    log.warn(message.trailSizeWithAll(), '$.animation.trail.size');

  // Each framed source's marks: what grow and trails do to them.
  const framed = sources.filter((s) => s.frame);
  if (framed.length === 0) return;
  const fed = derivedDatasets(vega, new Set(framed.map((s) => s.name)));
  const growing = (['enter', 'exit'] as const).filter(
    (o) => animation[o].includes('grow') && tweens,
  );
  const warned = new Set<string>();
  const once = (text: string, path: string) => {
    if (!warned.has(text)) log.warn(text, path);
    warned.add(text);
  };
  const visit = (node: Json) => {
    for (const m of (Array.isArray(node.marks) ? node.marks : []) as Json[]) {
      const from = isObject(m.from) ? m.from : {};
      if (m.type !== 'group' && typeof from.data === 'string' && fed.has(from.data)) {
        const unit = unitOfMark(units, String(m.name ?? ''));
        const where = unit?.path ?? '$';
        for (const option of growing)
          if (!growRewrite(vega, structuredClone(m)))
            once(
              message.growCannotApply(option, unit?.mark ?? String(m.type), where),
              `$.animation.${option}`,
            );
      }
      visit(m);
    }
  };
  visit(vega);
  if (trail)
    for (const s of framed)
      for (const mark of s.motion?.marks ?? [])
        if (PATH_MARKS.includes(mark)) {
          const unit = units.find(
            (u) =>
              u.mark === mark &&
              s.view !== undefined &&
              (u.path === s.view || u.path.startsWith(`${s.view}.`)),
          );
          once(message.trailOnPaths(mark, unit?.path ?? s.view ?? '$'), '$.animation.trail');
        }
}

/** The font size Vega gives a text mark that sets none: its styles, then config.text. */
function textFontSize(spec: Json, mark: Json): number {
  const config = isObject(spec.config) ? spec.config : {};
  const styles = isObject(config.style) ? config.style : {};
  let size =
    isObject(config.text) && typeof config.text.fontSize === 'number' ? config.text.fontSize : 11;
  for (const name of (Array.isArray(mark.style) ? mark.style : [mark.style]) as string[]) {
    const st = styles[name];
    if (isObject(st) && typeof st.fontSize === 'number') size = st.fontSize;
  }
  return size;
}

/** The channel a Vega-Lite scale belongs to: "x" for "x", "concat_0_x", "layer_1_x". */
export function scaleChannel(name: string): string {
  const i = name.lastIndexOf('_');
  return i < 0 ? name : name.slice(i + 1);
}
