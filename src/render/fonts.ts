/**
 * Fonts by names no system font has. The canvas draws a family from the machine's own fonts
 * when it has one of that name, before a file registered under the name (a machine with
 * Lato installed draws its Lato for a spec's Lato file, and for an unregistered "Lato"),
 * so no family name the spec gives ever reaches the canvas: every font file is registered
 * under an alias (`vega-frames …`), and every font list is rewritten to aliases. A family
 * the spec registered becomes its files' alias; any other (unregistered, generic, or the
 * names the shipped font stands for) becomes the shipped DejaVu Sans's, so text is measured
 * and drawn the same on every machine, whatever fonts it has.
 *
 * Glyphs DejaVu Sans lacks (emoji) come from the shipped Noto Emoji: the canvas falls back
 * along a font's family list only, never to a font merely registered, so every list ends in
 * DejaVu Sans and then the fallback family. Text DejaVu Sans covers is measured and drawn
 * exactly as without it.
 *
 * Two places rewrite: the Vega spec (`withFontAliases`: literal font values, and the values
 * of font expressions through `vegaFramesFont`), so that Vega's text measurement, whose
 * width cache is keyed by the font string, keys each render's fonts apart; and each canvas
 * context text passes through (`aliasingFonts`: the frame canvas, the PDF page and the one
 * Vega measures text with), which turns any name that is still no alias (a text mark
 * without a font, which Vega sets in `sans-serif`) into DejaVu Sans's.
 */
import { GlobalFonts, type SKRSContext2D, createCanvas } from 'canvas';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { type Json, isObject } from '../support/json.js';
import { FONT_KEY, fontList } from '../compile/index.js';
import type { FontFile } from '../data/fonts.js';

const FONT_DIR = new URL('../../fonts/', import.meta.url);
const FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const FALLBACK_FACE = 'NotoEmoji-Regular.ttf';
/** What every alias starts with: a name no system font has. */
const ALIAS_PREFIX = 'vega-frames ';
/** The shipped DejaVu Sans's alias: unregistered families are drawn in it. */
export const SHIPPED_ALIAS = `${ALIAS_PREFIX}DejaVu Sans`;
/** The emoji fallback's alias, the last family of every list. */
export const FALLBACK_FAMILY = `${ALIAS_PREFIX}Noto Emoji`;

/** A spec family (lower case, as CSS matches them) → the alias its files are registered under. */
export type FontAliases = ReadonlyMap<string, string>;

let registered = false;

/** Registers the shipped fonts under their aliases, once per thread. */
export function registerFonts(): void {
  if (registered) return;
  for (const face of FACES) {
    const file = fileURLToPath(new URL(face, FONT_DIR));
    if (!GlobalFonts.registerFromPath(file, SHIPPED_ALIAS))
      throw new Error(`could not register the shipped font ${file}`);
  }
  const fallback = fileURLToPath(new URL(FALLBACK_FACE, FONT_DIR));
  if (!GlobalFonts.registerFromPath(fallback, FALLBACK_FAMILY))
    throw new Error(`could not register the shipped font ${fallback}`);
  aliasMeasuringContext();
  registered = true;
}

/** The aliases registered in this thread, and the family each stands for (for SVG). */
const aliasNames = new Map<string, string>([
  [SHIPPED_ALIAS, 'DejaVu Sans'],
  [FALLBACK_FAMILY, FALLBACK_FAMILY],
]);

/**
 * Registers the spec's own font files (data/fonts.ts read them), once per thread: each
 * render thread and worker calls this before it builds its View. A family's files share
 * one alias, made from its name and their bytes, so two renders in one process that give a
 * family different files draw each its own, and the same files are registered once.
 */
export function registerFontFiles(fonts: readonly FontFile[]): FontAliases {
  const families = new Map<string, FontFile[]>();
  for (const font of fonts) {
    const key = font.family.toLowerCase();
    families.set(key, [...(families.get(key) ?? []), font]);
  }
  const aliases = new Map<string, string>();
  for (const [key, files] of families) {
    const hash = createHash('sha256').update(key);
    for (const f of files) hash.update(createHash('sha256').update(f.bytes).digest());
    const alias = `${ALIAS_PREFIX}f${hash.digest('hex').slice(0, 16)}`;
    if (!aliasNames.has(alias)) {
      for (const f of files)
        if (!GlobalFonts.register(Buffer.from(f.bytes), alias))
          throw new Error(`could not register the font ${f.source}`);
      aliasNames.set(alias, files[0].family);
    }
    aliases.set(key, alias);
  }
  return aliases;
}

/**
 * Aliases as one font-family list: each once, then DejaVu Sans (for what the others lack)
 * and the emoji fallback. A list already in this form comes back unchanged.
 */
function aliasList(aliases: readonly string[]): string {
  const out = [...new Set(aliases)].filter((a) => a !== FALLBACK_FAMILY);
  if (!out.includes(SHIPPED_ALIAS)) out.push(SHIPPED_ALIAS);
  return [...out, FALLBACK_FAMILY].join(', ');
}

/** A CSS font-family list of the spec's families as the aliases the canvas draws them in. */
export function aliasedFamilies(families: string, aliases: FontAliases): string {
  return aliasList(fontList(families).map((f) => aliases.get(f.toLowerCase()) ?? SHIPPED_ALIAS));
}

/** The expression function font expressions are wrapped in (`withFontAliases`). */
const FONT_FUNCTION = 'vegaFramesFont';
/** Each View's aliases in this thread, by a key its font expressions name. */
const aliasTables = new Map<string, FontAliases>();

/**
 * A copy of a Vega spec in which every font family it names (config, styles, marks, axes,
 * legends, titles) is an alias: literal values rewritten here, expressions (`{signal}`,
 * a Vega-Lite `{expr}`, which may read data) wrapped so that their values are rewritten as
 * they are computed. Datasets and the spec's own signals are left alone: a column may be
 * called `font`.
 */
export function withFontAliases(spec: unknown, aliases: FontAliases): unknown {
  const key = createHash('sha256')
    .update(JSON.stringify([...aliases].sort()))
    .digest('hex')
    .slice(0, 16);
  aliasTables.set(key, aliases);
  const fix = (v: unknown): unknown =>
    typeof v === 'string'
      ? aliasedFamilies(v, aliases)
      : Array.isArray(v)
        ? v.map(fix) // production rules: [{test, value}, {value}]
        : isObject(v) && typeof v.value === 'string'
          ? { ...v, value: aliasedFamilies(v.value, aliases) }
          : isObject(v) && typeof v.signal === 'string'
            ? { ...v, signal: `${FONT_FUNCTION}(${v.signal}, '${key}')` }
            : v;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === 'data' || k === 'signals' ? v : FONT_KEY.test(k) ? fix(v) : walk(v);
    return out;
  };
  return walk(spec);
}

vega.expressionFunction(FONT_FUNCTION, (value: unknown, key: string) =>
  value == null || value === ''
    ? value
    : aliasedFamilies(String(value), aliasTables.get(key) ?? new Map()),
);

/**
 * A CSS font shorthand (`bold 11px Lato, sans-serif`) split before its family list: the
 * size (number and unit, a line height after a slash) is the last part before the list.
 */
const FONT_SHORTHAND =
  /^(\s*(?:\S+\s+)*?[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[a-z%]+(?:\s*\/\s*\S+)?\s+)(.+)$/i;

/** Font shorthands as the canvas gets them, memoised (a frame sets the same few often). */
const canvasFonts = new Map<string, string>();

/**
 * A font shorthand whose families are all aliases: any name that is none (Vega's own
 * `sans-serif` for text no font was set for) is DejaVu Sans's. The same string always
 * gives the same font, whatever a render registered, so Vega's cached widths stay true.
 */
export function canvasFont(font: string): string {
  let out = canvasFonts.get(font);
  if (out !== undefined) return out;
  const m = FONT_SHORTHAND.exec(font);
  out = m
    ? m[1] + aliasList(fontList(m[2]).map((f) => (f.startsWith(ALIAS_PREFIX) ? f : SHIPPED_ALIAS)))
    : font;
  if (canvasFonts.size > 10_000) canvasFonts.clear();
  canvasFonts.set(font, out);
  return out;
}

type FontAccessor = { get(this: SKRSContext2D): string; set(this: SKRSContext2D, v: string): void };

let ownAccessor: FontAccessor | undefined;

/** The canvas context's own `font` accessor (on its prototype). */
function fontAccessor(): FontAccessor {
  if (ownAccessor) return ownAccessor;
  const proto = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as object;
  const own = Object.getOwnPropertyDescriptor(proto, 'font');
  if (!own?.get || !own.set) throw new Error('the canvas context has no font accessor');
  return (ownAccessor = own as FontAccessor);
}

/** A context whose fonts are set as `canvasFont` gives them: every family an alias. */
export function aliasingFonts<T extends SKRSContext2D>(ctx: T): T {
  const { get, set } = fontAccessor();
  Object.defineProperty(ctx, 'font', {
    configurable: true,
    enumerable: true,
    get,
    set(this: SKRSContext2D, v: string) {
      set.call(this, canvasFont(String(v)));
    },
  });
  return ctx;
}

/**
 * Vega measures text (its layout, labels' overlap, truncation) on a context of its own,
 * made when it loads: found here as the context that measures one text, and set to alias
 * its fonts too, or layout would measure a system font the drawing does not use.
 */
function aliasMeasuringContext(): void {
  // Exported by vega-scenegraph at runtime, not in Vega's typings.
  const metrics = (vega as unknown as { textMetrics: unknown }).textMetrics as {
    width: unknown;
    measureWidth: (item: object, text: string) => number;
  };
  if (metrics.width !== metrics.measureWidth) return; // no canvas: widths are estimates
  const proto = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as {
    measureText(this: SKRSContext2D, text: string): unknown;
  };
  const measureText = proto.measureText;
  const measuring: SKRSContext2D[] = [];
  proto.measureText = function (this: SKRSContext2D, text: string) {
    measuring.push(this);
    return measureText.call(this, text);
  };
  try {
    // Vega caches widths by font and text: a text it has never measured (a second copy of
    // this module, sharing one Vega, probes again).
    metrics.measureWidth({ font: SHIPPED_ALIAS, fontSize: 1 }, `probe ${randomUUID()}`);
  } finally {
    proto.measureText = measureText;
  }
  if (measuring.length !== 1)
    throw new Error('Vega measures text on a canvas this package does not load');
  aliasingFonts(measuring[0]);
}

/**
 * SVG markup whose font-family lists name the families the text was drawn in (the spec's
 * own and DejaVu Sans), not the aliases: a viewer finds them by those names.
 */
export function svgFontNames(svg: string): string {
  return svg.replace(/font-family="([^"]*)"/g, (all, list: string) =>
    list.includes(ALIAS_PREFIX)
      ? `font-family="${list
          .split(', ')
          .map((f) => cssFamily(aliasNames.get(f) ?? f))
          .join(', ')
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/"/g, '&quot;')}"`
      : all,
  );
}

/** A family as CSS writes it: bare when it is words, else quoted. */
function cssFamily(family: string): string {
  return /^-?[A-Za-z_][\w-]*( -?[A-Za-z_][\w-]*)*$/.test(family)
    ? family
    : `"${family.replace(/["\\]/g, '\\$&')}"`;
}

/** The shipped font files, for outputs that embed them (the HTML player). */
export function fontFiles(): { family: string; weight: string; path: string }[] {
  return FACES.map((face, i) => ({
    family: 'DejaVu Sans',
    weight: i === 0 ? 'normal' : 'bold',
    path: fileURLToPath(new URL(face, FONT_DIR)),
  }));
}
