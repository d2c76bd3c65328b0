/**
 * What a render reads of its data, decided from the spec before any file is opened: which
 * columns (those the spec names) and which sources may be read a frame at a time.
 */
import type { CompiledSpec } from './index.js';
import { hasMotion } from './animation.js';
import type { SourceRef } from './extract.js';

/**
 * Framed CSV files from this size on are read a frame at a time when an animation is
 * rendered, if their rows come grouped by frame: that costs a second parse of the file and
 * saves holding its columns (97 MB for a 162 MB file). Below this size the columns take
 * ~100 MiB or less, and holding them is faster, most of all when frames have many rows
 * (200,000 a frame), which make the parse a larger share of each frame.
 */
export const STREAM_MIN_BYTES = 128 << 20;

/**
 * Whether a source can be read a frame at a time: every frame needs only its own rows (no
 * cumulative frames, tweens, trails, reveal or rescaled axes, which read other frames'), and
 * its frame values are the field's own (no time unit, binning or date parsing).
 */
export function streamable(s: SourceRef, compiled: CompiledSpec): boolean {
  const f = s.frame;
  return (
    f !== undefined &&
    !f.cumulative &&
    !f.timeUnit &&
    !f.bin &&
    f.type !== 'temporal' &&
    !hasMotion(compiled.animation)
  );
}

/**
 * The spec's own text, to find the columns it can reach, taken before compiling (which
 * rewrites the spec). A column's type in format.parse does not read it.
 */
export function specTextForColumns(spec: unknown): string {
  return JSON.stringify(spec, (key, value: unknown) =>
    key === 'format' && typeof value === 'object' && value !== null && 'parse' in value
      ? { ...value, parse: undefined }
      : value,
  );
}

/** A character that continues an identifier (`frame_index` is one name, not `index`). */
const IDENTIFIER_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/**
 * Whether the spec's text holds `name` as a whole: not inside a longer identifier at an
 * edge where the name itself is an identifier's (`index` in `datum.index`,
 * `datum["index"]` or `"field":"index"`, not in `frame_index` or `indexes`). A name is
 * found as JSON writes it (a quote in it as `\"`).
 */
function namesColumn(specText: string, name: string): boolean {
  const written = JSON.stringify(name).slice(1, -1);
  if (written === '') return true;
  const open = IDENTIFIER_PART.test(written[0]);
  const close = IDENTIFIER_PART.test(written[written.length - 1]);
  for (let at = specText.indexOf(written); at >= 0; at = specText.indexOf(written, at + 1)) {
    const end = at + written.length;
    if (open && at > 0 && IDENTIFIER_PART.test(specText[at - 1])) continue;
    if (close && end < specText.length && IDENTIFIER_PART.test(specText[end])) continue;
    return true;
  }
  return false;
}

/**
 * Which columns to load: those the spec names. A wide file of which a chart uses three
 * columns holds three (a CSV's other columns are not even parsed). Conservative: a column
 * is kept if its name occurs as a whole anywhere in the spec's text (`namesColumn`), and
 * all are kept when the spec can reach fields it does not name (a tooltip of all fields,
 * `datum[...]` with a computed key).
 */
export function columnsNamedIn(specText: string): ((name: string) => boolean) | undefined {
  // datum['name'] names its field (quotes appear escaped, \", in JSON text); any other
  // key is computed, so any field may be reached.
  // The key is read where the match ends (a sticky pattern), never from a copy of the rest
  // of the text: a spec of many `datum[` stays linear to scan.
  const literalKey = /\s*(?:'[^']*'|\\"(?:[^"\\]|\\.)*?\\")\s*\]/y;
  const computedKey = [...specText.matchAll(/datum\s*\[/g)].some((m) => {
    literalKey.lastIndex = m.index + m[0].length;
    return !literalKey.test(specText);
  });
  const reachesAll = /"tooltip":(true|\{[^}]*"content":"data")/.test(specText) || computedKey;
  return reachesAll ? undefined : (name) => namesColumn(specText, name);
}
