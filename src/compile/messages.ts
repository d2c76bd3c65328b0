/**
 * Every compile message as a function returning a full sentence that quotes the property
 * (after Vega-Lite's src/log/message.ts). The logger travels in a context object, never a
 * global, because renders run concurrently in workers.
 */
import { closestMatch, parseJsonPath, quote } from '../spec/errors.js';
import type { LoadedSpec } from '../spec/load.js';
import { UserError } from '../support/user-error.js';

export class CompileError extends UserError {
  override name = 'CompileError';
  /** Where `path` is in the spec file, when the spec came from one (see locateCompileError). */
  file?: string;
  line?: number;
  col?: number;

  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message, { jsonPath: path });
  }
}

/**
 * Gives a CompileError the file, line and column of its JSON path in the spec's source
 * (`locate` from spec/load.ts), so that the CLI can point at the line as for schema errors.
 * Other errors pass through unchanged.
 */
export function locateCompileError(
  error: unknown,
  source: Pick<LoadedSpec, 'file' | 'locate'> | undefined,
): unknown {
  if (!(error instanceof CompileError) || !error.path || !source) return error;
  const segments = parseJsonPath(error.path);
  const at = segments && source.locate(segments);
  if (!at) return error;
  error.file = source.file;
  error.line = at.line;
  error.col = at.col;
  return error;
}

export interface Messages {
  warnings: string[];
  /** A warning; with a JSON path, it starts with the path (and line:col, when known). */
  warn(text: string, path?: string): void;
  error(text: string, path?: string): CompileError;
}

/**
 * A logger for one compile. Given the spec's source, a warning at a JSON path starts with
 * its place in the file, as an error does: `spec.yaml:7:5 at $.encoding.tooltip[1].field: …`.
 */
export function createMessages(source?: Pick<LoadedSpec, 'file' | 'locate'>): Messages {
  const warnings: string[] = [];
  const placed = (path: string) => {
    const segments = source && parseJsonPath(path);
    const at = segments && source.locate(segments);
    return at ? `${source.file}:${at.line}:${at.col} at ${path}` : `at ${path}`;
  };
  return {
    warnings,
    warn: (text, path) => void warnings.push(path ? `${placed(path)}: ${text}` : text),
    error: (text, path) => new CompileError(text, path),
  };
}

/** Names in a message: each quoted, the first 20 of a long list (a file may have 200,000). */
function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => quote(n, 60));
  const rest = names.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en')} more` : ''}`;
}

export const message = {
  frameAndTime: (path: string) =>
    `${path}.encoding has both "frame" and "time"; "frame" is used and "time" ignored.`,
  frameWithoutData: (path: string) =>
    `${path}.encoding.frame needs data: the unit has no "data" and inherits none.`,
  framesDiffer: (owner: string, unit: string) =>
    `${unit}.encoding.frame differs from another unit sharing the data at ${owner}.data; units sharing data must share one frame channel: give each its own data to frame them differently.`,
  frameFieldMissing: (field: string, source: string, fields: string[]) => {
    const near = closestMatch(field, fields);
    return `encoding.frame.field ${quote(field)} is not a field of ${source}${near === undefined ? '' : ` (did you mean ${quote(near)}?)`}; its fields are ${quoteList(fields)}.`;
  },
  frameFieldDerived: (field: string, transformPath: string) =>
    `encoding.frame.field ${quote(field)} is made by the transform at ${transformPath}; frames are taken from the data as it is read, before transforms run: compute ${quote(field)} in the data file (or inline values), or put the frame on a field the data has.`,
  frameOnGenerator: (source: string) =>
    `encoding.frame on ${source}: frames are taken from rows vega-frames reads (a data url, inline values or datasets), and ${source} is made by Vega inside each frame; write the rows to a file or inline values to animate them.`,
  reservedParam: (name: string) =>
    `params: ${quote(name)} is a name vega-frames defines for every expression (frame, frame_index, frame_count, progress); rename the param.`,
  noFrameValues: (field: string) =>
    `encoding.frame.field ${quote(field)} has no valid values (all null or NaN): nothing to animate.`,
  tooManyFrames: (count: number, limit: number) =>
    `the spec has ${count} frames, over the limit of ${limit}; raise it with --max-frames or select with --frames a:b.`,
};
