/**
 * Every compile message as a function returning a full sentence that quotes the property
 * (after Vega-Lite's src/log/message.ts). The logger travels in a context object, never a
 * global, because renders run concurrently in workers.
 */

export class CompileError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface Messages {
  warnings: string[];
  warn(text: string): void;
  error(text: string, path?: string): CompileError;
}

export function createMessages(): Messages {
  const warnings: string[] = [];
  return {
    warnings,
    warn: (text) => void warnings.push(text),
    error: (text, path) => new CompileError(text, path),
  };
}

export const message = {
  frameAndTime: (path: string) =>
    `${path}.encoding has both "frame" and "time"; "frame" is used and "time" ignored.`,
  frameWithoutData: (path: string) =>
    `${path}.encoding.frame needs data: the unit has no "data" and inherits none.`,
  framesDiffer: (owner: string, unit: string) =>
    `${unit}.encoding.frame differs from another unit sharing the data at ${owner}.data; units sharing data must share one frame channel.`,
  frameFieldMissing: (field: string, source: string, fields: string[]) =>
    `encoding.frame.field "${field}" is not a field of ${source}; its fields are ${fields.map((f) => `"${f}"`).join(', ')}.`,
  reservedParam: (name: string) =>
    `params: "${name}" is a name vega-frames defines for every expression (frame, frame_index, frame_count, progress); rename the param.`,
  noFrameValues: (field: string) =>
    `encoding.frame.field "${field}" has no valid values (all null or NaN): nothing to animate.`,
  tooManyFrames: (count: number, limit: number) =>
    `the spec has ${count} frames, over the limit of ${limit}; raise it with --max-frames or select with --frames a:b.`,
};
