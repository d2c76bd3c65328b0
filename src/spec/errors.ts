/**
 * User-facing spec errors: a message, the JSON path of the offending node and, when the
 * spec came from a file, its 1-based line and column. The CLI prints these with
 * formatSpecError and no stack trace, since they are mistakes in the spec, not bugs.
 */

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

export class SpecError extends Error {
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
    super(composeMessage(reason, details));
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
export class SpecErrors extends Error {
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

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `['layer', 1, 'mark']` → `$.layer[1].mark`; odd keys are quoted: `$["my key"]`. */
export function formatJsonPath(segments: JsonPathSegments): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (identifier.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo:
 * within a third of the longer word's length (at least 1), ignoring case.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}
