/**
 * Registers the shipped DejaVu Sans (regular and bold) so text is measured and drawn the
 * same on every machine, whatever fonts the system has. Also under the generic names
 * Vega falls back to, so a spec that names no font still gets DejaVu Sans.
 *
 * Glyphs DejaVu Sans lacks (emoji) come from the shipped Noto Emoji: the canvas falls back
 * along a font's family list only, never to a font merely registered, so every font Vega
 * is given ends in the fallback family (`withFallbackFont`). Text DejaVu Sans covers is
 * measured and drawn exactly as without it.
 */
import { GlobalFonts } from 'canvas';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Json, isObject } from '../support/json.js';
import { DEFAULT_FONT, FONT_KEY, SHIPPED_FAMILIES, fontList } from '../compile/index.js';
import type { FontFile } from '../data/fonts.js';

const FONT_DIR = new URL('../../fonts/', import.meta.url);
const FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const FAMILIES = SHIPPED_FAMILIES;
const FALLBACK_FACE = 'NotoEmoji-Regular.ttf';
/**
 * The fallback's family name: one no system font has, as a system font of the same name
 * would be drawn instead of the shipped one.
 */
export const FALLBACK_FAMILY = 'vega-frames Noto Emoji';

let registered = false;

export function registerFonts(): void {
  if (registered) return;
  for (const face of FACES) {
    const file = fileURLToPath(new URL(face, FONT_DIR));
    for (const family of FAMILIES) {
      if (!GlobalFonts.registerFromPath(file, family)) {
        throw new Error(`could not register the shipped font ${file}`);
      }
    }
  }
  const fallback = fileURLToPath(new URL(FALLBACK_FACE, FONT_DIR));
  if (!GlobalFonts.registerFromPath(fallback, FALLBACK_FAMILY))
    throw new Error(`could not register the shipped font ${fallback}`);
  registered = true;
}

/** The spec's font files registered in this thread, by their bytes' hash and family. */
const registeredFiles = new Set<string>();

/**
 * Registers the spec's own font files (data/fonts.ts read them) under their families,
 * once per thread: each render thread and worker calls this before it builds its View.
 */
export function registerFontFiles(fonts: readonly FontFile[]): void {
  for (const font of fonts) {
    const key = `${font.family}\0${createHash('sha256').update(font.bytes).digest('hex')}`;
    if (registeredFiles.has(key)) continue;
    if (!GlobalFonts.register(Buffer.from(font.bytes), font.family))
      throw new Error(`could not register the font ${font.source}`);
    registeredFiles.add(key);
  }
}

/**
 * A CSS font-family list ending in the shipped DejaVu Sans (a family no font was registered
 * for is drawn in it, not in the emoji font's empty boxes) and then the fallback family.
 */
export function withFallbackFont(family: string): string {
  if (family.includes(FALLBACK_FAMILY)) return family;
  const shipped = fontList(family).some((f) => f.toLowerCase() === DEFAULT_FONT.toLowerCase());
  return shipped
    ? `${family}, ${FALLBACK_FAMILY}`
    : `${family}, "${DEFAULT_FONT}", ${FALLBACK_FAMILY}`;
}

/**
 * A copy of a Vega spec in which every font family it names (config, styles, marks, axes,
 * legends, titles; literal values, not signals or fields) ends in the fallback family.
 * Datasets are left alone: a column may be called `font`.
 */
export function withFallbackFonts(spec: unknown): unknown {
  const fix = (v: unknown): unknown =>
    typeof v === 'string'
      ? withFallbackFont(v)
      : Array.isArray(v)
        ? v.map(fix) // production rules: [{test, value}, {value}]
        : isObject(v) && typeof v.value === 'string'
          ? { ...v, value: withFallbackFont(v.value) }
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

/** The shipped font files, for outputs that embed them (the HTML player). */
export function fontFiles(): { family: string; weight: string; path: string }[] {
  return FACES.map((face, i) => ({
    family: 'DejaVu Sans',
    weight: i === 0 ? 'normal' : 'bold',
    path: fileURLToPath(new URL(face, FONT_DIR)),
  }));
}
