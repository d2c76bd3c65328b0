/**
 * `{frame}`-style placeholders in titles and text become Vega expressions over the frame
 * params. `{frame:.1f}` applies a d3-format, `{frame:%Y}` a time format; `{{` and `}}`
 * escape braces.
 */

import * as vega from 'vega';
import { closestMatch } from '../spec/errors.js';
import { looksLikeTime, numberFormatProblem, timeFormatProblem } from './formats.js';
import { type Messages, message } from './messages.js';
import { type Json, isObject } from '../support/json.js';

export const FRAME_PARAMS = [
  'frame',
  'frame_index',
  'frame_count',
  'progress',
  'previous_frame',
  'next_frame',
] as const;

/**
 * The param holding `frame` as `{frame}` shows it: a data frame's value as it is, an
 * interpolated one rounded to the data frames' own decimals (render/signals.ts).
 */
export const FRAME_TEXT = 'vf_frame_text';

export const PLACEHOLDER =
  /\{\{|\}\}|\{(frame_index|frame_count|frame|progress|previous_frame|next_frame|panel_frame)(?::([^}]*))?\}/g;

/** The variables holding a frame value (a timestamp, for temporal frames). */
const FRAME_VALUES = ['frame', 'previous_frame', 'next_frame'];

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
      } else if (FRAME_VALUES.includes(name) && temporal)
        parts.push(`timeFormat(${name}, '%Y-%m-%d')`);
      else if (name === 'frame') parts.push(`'' + ${FRAME_TEXT}`);
      else parts.push(`'' + ${name}`);
    }
  }
  literal += text.slice(last);
  if (!found) return undefined;
  if (literal) parts.push(quote(literal));
  return parts.join(' + ');
}

type Formatter = (spec: string) => (value: unknown) => string;
/** Vega's locales, as its format() and timeFormat() use them (their typings say void). */
const numberLocale = (vega.formatLocale as unknown as () => { format: Formatter })();
const timeLocale = (vega.timeFormatLocale as unknown as () => { timeFormat: Formatter })();

/**
 * A template's text for the whole animation, where no single frame is meant (the player
 * page's title and label): a frame value shows the range of the frames ("0–200", as the
 * facet's title does), `{frame_index}` the range of indices, `{frame_count}` the count and
 * `{progress}` "0–1", each through its format if it has one.
 */
export function wholeAnimationText(
  text: string,
  frames: { values: readonly unknown[]; labels: readonly string[] },
): string {
  const n = frames.values.length;
  const range = (a: string, b: string) => (a === b ? a : `${a}–${b}`);
  const formatted = (fmt: string, v: unknown) => {
    if (/%[a-zA-Z]/.test(fmt)) return timeLocale.timeFormat(fmt)(new Date(v as number));
    return typeof v === 'number' ? numberLocale.format(fmt)(v) : String(v);
  };
  return text.replace(PLACEHOLDER, (whole, name: string, fmt: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (n === 0) return '';
    // First and last: as the format says, or else as the frames' own labels.
    const show = (first: unknown, last: unknown, labels: [string, string]) =>
      fmt === undefined ? range(...labels) : range(formatted(fmt, first), formatted(fmt, last));
    if (name === 'frame_count') return fmt === undefined ? String(n) : formatted(fmt, n);
    if (name === 'frame_index') return show(0, n - 1, ['0', String(n - 1)]);
    // A single frame's progress is 1 (render/signals.ts).
    const start = n > 1 ? 0 : 1;
    if (name === 'progress') return show(start, 1, [String(start), '1']);
    const { values, labels } = frames;
    return show(values[0], values[n - 1], [labels[0], labels[n - 1]]);
  });
}

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

/** Every `{name}` or `{name:format}` in a template, whatever the name (and `{{`, `}}`). */
const ANY_PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_$][\w$]*)(?::([^}]*))?\}/g;

/** `[text, JSON path]` of each string applyTemplates reads as a template. */
function templateTexts(node: Json, path: string): [string, string][] {
  const out: [string, string][] = [];
  const add = (value: unknown, at: string) => typeof value === 'string' && out.push([value, at]);
  if (isObject(node.title)) {
    add(node.title.text, `${path}.title.text`);
    add(node.title.subtitle, `${path}.title.subtitle`);
  } else add(node.title, `${path}.title`);
  if (isObject(node.mark)) add(node.mark.text, `${path}.mark.text`);
  const enc = node.encoding;
  if (isObject(enc) && isObject(enc.text)) add(enc.text.value, `${path}.encoding.text.value`);
  for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
    const list = node[key];
    if (Array.isArray(list))
      list.forEach((c, i) => isObject(c) && out.push(...templateTexts(c, `${path}.${key}[${i}]`)));
  }
  if (isObject(node.spec)) out.push(...templateTexts(node.spec, `${path}.spec`));
  return out;
}

/**
 * Placeholders that name no frame variable, and formats d3 would refuse or misread. A name
 * close to a frame variable (`{frme}`), or one with a format (`{epoch:.1f}`), is meant as a
 * placeholder: an error. Any other (`{x}`) shows as written, with a warning that says so
 * (`{{x}}` writes braces without one).
 */
export function checkTemplates(spec: Json, log: Messages): void {
  for (const [text, at] of templateTexts(spec, '$')) {
    for (const m of text.matchAll(ANY_PLACEHOLDER)) {
      const [whole, name, fmt] = m;
      if (name === undefined) continue;
      if (name === 'panel_frame' || (FRAME_PARAMS as readonly string[]).includes(name)) {
        const problem =
          fmt === undefined
            ? undefined
            : looksLikeTime(fmt)
              ? timeFormatProblem(fmt)
              : numberFormatProblem(fmt);
        if (problem) throw log.error(message.templateFormat(text, problem), at);
        continue;
      }
      const near = closestMatch(name, FRAME_PARAMS);
      const variables = FRAME_PARAMS.join(', ');
      if (near !== undefined || fmt !== undefined)
        throw log.error(message.notFrameVariable(whole, text, near, fmt, variables), at);
      log.warn(message.shownAsWritten(whole, text, variables), at);
    }
  }
}
