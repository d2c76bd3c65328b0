/**
 * The font families a Vega spec names, checked against those vega-frames registers: a
 * family no file was registered for is drawn in DejaVu Sans (render/fonts.ts), not in the
 * font the spec asked for, which deserves a warning. Pure: the registered families are given.
 */
import { type Json, isObject } from '../support/json.js';

/** The names that mean the shipped DejaVu Sans: drawn in it without a warning. */
export const SHIPPED_FAMILIES: readonly string[] = [
  'DejaVu Sans',
  'sans-serif',
  'Helvetica',
  'Arial',
];

/** Vega's font-family properties: `font`, `labelFont`, `titleFont`, `subtitleFont`, … */
export const FONT_KEY = /^(font|[a-z]+Font)$/;

/** The families of a CSS font-family list, unquoted: `"Benton Gothic", sans-serif`. */
export function fontList(value: string): string[] {
  return value
    .split(',')
    .map((f) =>
      f
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2')
        .trim(),
    )
    .filter((f) => f !== '');
}

/**
 * Each family the spec's literal font values name (config, styles, marks, axes, legends,
 * titles; not signals, fields or data) before the first registered family of its list:
 * the ones text would be drawn in were they there. In the order first met, each once.
 */
export function unregisteredFamilies(vega: unknown, registered: readonly string[]): string[] {
  const known = new Set(registered.map((f) => f.toLowerCase()));
  const missing = new Map<string, string>();
  const check = (value: string) => {
    for (const family of fontList(value)) {
      if (known.has(family.toLowerCase())) return;
      if (!missing.has(family.toLowerCase())) missing.set(family.toLowerCase(), family);
    }
  };
  const values = (v: unknown): void => {
    if (typeof v === 'string') check(v);
    else if (Array.isArray(v))
      v.forEach(values); // production rules: [{test, value}, {value}]
    else if (isObject(v) && typeof v.value === 'string') check(v.value);
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'data' || k === 'signals') continue;
      if (FONT_KEY.test(k)) values(v);
      else walk(v);
    }
  };
  walk(vega);
  return [...missing.values()];
}
