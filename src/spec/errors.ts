/**
 * User-facing spec errors: a message, the JSON path of the offending node and, when the
 * spec came from a file, its 1-based line and column. The CLI prints these with
 * formatSpecError and no stack trace, since they are mistakes in the spec, not bugs.
 * Also the helpers every user-facing message uses: quote() for the user's own text, and
 * JSON paths both ways.
 */
import { UserError } from '../support/user-error.js';

/** A path into a spec as the segments of a JSON path: `['layer', 1, 'mark']`. */
export type JsonPathSegments = readonly (string | number)[];

export interface SpecErrorDetails {
  /** JSON path of the offending node, e.g. `$.encoding.frame.field` or `$.layer[1].mark`. */
  path: string;
  line?: number;
  col?: number;
  file?: string;
  /** What would have been accepted, e.g. `one of "ordinal", "nominal"` or `a number`. */
  expected?: string;
  /** A likely fix, e.g. `did you mean "color"?`. */
  hint?: string;
}

export class SpecError extends UserError {
  override name = 'SpecError';
  path: string;
  line?: number;
  col?: number;
  file?: string;
  expected?: string;
  hint?: string;
  /** The problem alone, without `expected` and `hint`. */
  reason: string;

  constructor(reason: string, details: SpecErrorDetails) {
    super(composeMessage(reason, details), { jsonPath: details.path });
    this.reason = reason;
    this.path = details.path;
    this.line = details.line;
    this.col = details.col;
    this.file = details.file;
    this.expected = details.expected;
    this.hint = details.hint;
  }
}

/** Several spec errors found at once, e.g. every schema violation of one spec. */
export class SpecErrors extends UserError {
  override name = 'SpecErrors';
  errors: SpecError[];

  constructor(errors: SpecError[]) {
    super(errors.map(formatSpecError).join('\n'));
    this.errors = errors;
  }
}

function composeMessage(reason: string, { expected, hint }: SpecErrorDetails): string {
  let message = reason;
  if (expected) message += `; expected ${expected}`;
  if (hint) message += ` (${hint})`;
  return message;
}

/**
 * One line per error: `umap.yaml:7:5 $.encoding.x.type: "quantitive" is not allowed;
 * expected one of "quantitative", ... (did you mean "quantitative"?)`.
 */
export function formatSpecError(error: SpecError | SpecErrors): string {
  if (error instanceof SpecErrors) return error.errors.map(formatSpecError).join('\n');
  const position = error.line === undefined ? [] : [error.line, error.col ?? 1];
  const location = [error.file ?? (position.length ? '<spec>' : undefined), ...position]
    .filter((part) => part !== undefined)
    .join(':');
  return `${location ? `${location} ` : ''}${error.path}: ${error.message}`;
}

/**
 * An option of a render (a CLI flag or an API option) that cannot be honoured: a `--frames`
 * slice that selects nothing, a `--frame` past the last frame, a `--crf` the codec does not
 * allow. The caller's mistake, not a fault of the program.
 */
export class OptionError extends UserError {
  override name = 'OptionError';
}

/**
 * The user's own text (a field name, a value, an expression, a URL) as it appears in a
 * message: JSON-quoted, so that quotes, newlines and invisible characters show, and cut
 * after `max` characters with a count of the rest, so that a 500 MB header field makes a
 * message of one line, not of 500 MB.
 */
export function quote(text: unknown, max = 200): string {
  const s = String(text);
  if (s.length <= max) return JSON.stringify(s);
  const rest = s.length - max;
  return `${JSON.stringify(s.slice(0, max))}…(${rest.toLocaleString('en')} more character${rest === 1 ? '' : 's'})`;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `['layer', 1, 'mark']` → `$.layer[1].mark`; odd keys are quoted: `$["my key"]`. */
export function formatJsonPath(segments: JsonPathSegments): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (identifier.test(segment)) path += `.${segment}`;
    else path += `[${quote(segment)}]`;
  }
  return path;
}

/**
 * `$.layer[1]["my key"]` → `['layer', 1, 'my key']`, the inverse of formatJsonPath (for
 * finding a node's line and column); undefined for text that is not such a path, e.g. one
 * with a key that quote() cut short.
 */
export function parseJsonPath(path: string): JsonPathSegments | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: (string | number)[] = [];
  const token = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const m = token.exec(path);
    if (!m) return undefined;
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
  }
  return segments;
}

/**
 * Edit distance for "did you mean" suggestions: insertions, deletions, substitutions and
 * swaps of two neighbouring letters (`epcoh` is one swap from `epoch`), each costing 1.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** Longest name a suggestion is looked for (the distance costs the product of the lengths). */
const MAX_SUGGESTED = 200;

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo:
 * within a third of the longer word's length (at least 1), ignoring case. Names longer
 * than MAX_SUGGESTED get none: a file's header may hold 200,000 of them.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > MAX_SUGGESTED) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The lengths' difference is the least the distance can be.
    if (
      candidate.length > MAX_SUGGESTED ||
      Math.abs(candidate.length - input.length) >= bestDistance
    )
      continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}
