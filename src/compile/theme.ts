/**
 * Themes and config: a vega-themes theme (by `--theme`, or Altair's
 * `usermeta.embedOptions.theme`), then a config object (`--config FILE`), then the spec's own
 * `config`, merged in that order, so what the spec says wins over `--config`, which wins over
 * the theme (as vl-convert and Vega-Embed apply them).
 */
import { mergeConfig } from 'vega';
import * as vegaThemes from 'vega-themes';
import { OptionError, closestMatch } from '../spec/errors.js';
import { type Json, isObject } from '../support/json.js';
import { type Messages, message } from './messages.js';

/** The look of a render: a named theme and a config object under the spec's own. */
export interface StyleOptions {
  /** A vega-themes theme: overrides the spec's `usermeta.embedOptions.theme`. */
  theme?: string;
  /** A Vega-Lite config object, merged over the theme and under the spec's `config`. */
  config?: Json;
  /**
   * The whole figure's width and height in chart pixels (1/72 in at scale 1), axes, title
   * and legends included: the chart is laid out to fill it (autosize "fit", padding
   * included), its text keeping its size. Single and layered views only.
   */
  width?: number;
  height?: number;
}

/**
 * The spec laid out at the figure size `style` asks for (see StyleOptions.width), in place;
 * a concat, facet or repeat at the top is an OptionError (Vega-Lite fits single views only).
 */
export function sizeSpec(spec: Json, style: StyleOptions): void {
  if (style.width === undefined && style.height === undefined) return;
  if (!('mark' in spec) && !('layer' in spec)) throw new OptionError(message.figureSizeOneView());
  if (style.width !== undefined) spec.width = style.width;
  if (style.height !== undefined) spec.height = style.height;
  // A size given alone fits that side only: the other stays as the chart lays it out.
  const type = style.height === undefined ? 'fit-x' : style.width === undefined ? 'fit-y' : 'fit';
  spec.autosize = { type, contains: 'padding' };
}

const THEMES = vegaThemes as unknown as Record<string, unknown>;

/** The names of the vega-themes themes, sorted. */
export const THEME_NAMES: readonly string[] = Object.keys(THEMES)
  .filter((k) => isObject(THEMES[k]))
  .sort();

const unknownTheme = (name: string) =>
  message.unknownTheme(name, closestMatch(name, THEME_NAMES), THEME_NAMES);

/** A theme's config; an unknown name is an OptionError. */
export function themeConfig(name: string): Json {
  const config = THEMES[name];
  if (!THEME_NAMES.includes(name) || !isObject(config)) throw new OptionError(unknownTheme(name));
  return structuredClone(config) as Json;
}

/**
 * The spec's config with the theme and the config option merged under it, or the spec's
 * own when neither applies. The theme is `style.theme`, else the spec's
 * `usermeta.embedOptions.theme` (where Altair's `alt.theme.enable('dark')` puts it).
 */
export function styledConfig(spec: Json, style: StyleOptions, log: Messages): Json | undefined {
  const own = isObject(spec.config) ? spec.config : undefined;
  const usermeta = isObject(spec.usermeta) ? spec.usermeta : undefined;
  const embed = usermeta && isObject(usermeta.embedOptions) ? usermeta.embedOptions : undefined;
  let theme: Json | undefined;
  if (style.theme !== undefined) theme = themeConfig(style.theme);
  else if (embed && embed.theme !== undefined) {
    const name = embed.theme;
    if (typeof name !== 'string' || !THEME_NAMES.includes(name))
      throw log.error(unknownTheme(String(name)), '$.usermeta.embedOptions.theme');
    theme = themeConfig(name);
  }
  if (!theme && !style.config) return own;
  return mergeConfig({}, theme ?? {}, style.config ?? {}, own ?? {}) as Json;
}
