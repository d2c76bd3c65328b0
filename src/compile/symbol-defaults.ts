/**
 * The symbol size, shape and stroke width Vega gives a mark whose encoding sets none.
 */
import { type Json, isObject } from '../support/json.js';

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
