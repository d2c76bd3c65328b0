/**
 * `{frame}`-style placeholders in titles and text become Vega expressions over the frame
 * params. `{frame:.1f}` applies a d3-format, `{frame:%Y}` a time format; `{{` and `}}`
 * escape braces.
 */

export const FRAME_PARAMS = ['frame', 'frame_index', 'frame_count', 'progress'] as const;

export const PLACEHOLDER =
  /\{\{|\}\}|\{(frame_index|frame_count|frame|progress|panel_frame)(?::([^}]*))?\}/g;

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The expression for a template string, or undefined if it has no placeholder. */
export function templateExpr(text: string, temporal: boolean): string | undefined {
  const parts: string[] = [];
  let literal = '';
  let last = 0;
  let found = false;
  for (const m of text.matchAll(PLACEHOLDER)) {
    literal += text.slice(last, m.index);
    last = m.index! + m[0].length;
    if (m[0] === '{{') literal += '{';
    else if (m[0] === '}}') literal += '}';
    else {
      found = true;
      if (literal) parts.push(quote(literal));
      literal = '';
      const [, name, fmt] = m;
      if (name === 'panel_frame') {
        // Small multiples: a panel's own frame value, as its header shows it.
        parts.push(`'' + datum.vf_frame`);
        continue;
      }
      if (fmt !== undefined) {
        const isTime = /%[a-zA-Z]/.test(fmt);
        parts.push(`${isTime ? 'timeFormat' : 'format'}(${name}, ${quote(fmt)})`);
      } else if (name === 'frame' && temporal) parts.push(`timeFormat(frame, '%Y-%m-%d')`);
      else parts.push(`'' + ${name}`);
    }
  }
  literal += text.slice(last);
  if (!found) return undefined;
  if (literal) parts.push(quote(literal));
  return parts.join(' + ');
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function templated(value: unknown, temporal: boolean): unknown {
  if (typeof value !== 'string') return value;
  const expr = templateExpr(value, temporal);
  return expr === undefined ? value : { expr };
}

/** Rewrites titles, subtitles, mark text and text values throughout the spec tree. */
export function applyTemplates(node: Json, temporal: boolean): void {
  if (typeof node.title === 'string') {
    const t = templated(node.title, temporal);
    if (t !== node.title) node.title = { text: t };
  } else if (isObject(node.title)) {
    node.title.text = templated(node.title.text, temporal);
    node.title.subtitle = templated(node.title.subtitle, temporal);
    if (node.title.subtitle === undefined) delete node.title.subtitle;
  }
  if (isObject(node.mark)) node.mark.text = templated(node.mark.text, temporal);
  if (isObject(node.mark) && node.mark.text === undefined) delete node.mark.text;
  const enc = node.encoding;
  if (isObject(enc) && isObject(enc.text) && 'value' in enc.text) {
    enc.text.value = templated(enc.text.value, temporal);
  }
  for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((c) => isObject(c) && applyTemplates(c, temporal));
  }
  if (isObject(node.spec)) applyTemplates(node.spec, temporal);
}
