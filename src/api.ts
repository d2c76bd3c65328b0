/**
 * The library API: options in, the pipeline (pipeline/index.ts) run, results out.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateOrThrow } from './spec/validate.js';
import type { VegaFramesSpec } from './spec/types.js';
import type { FramePlan } from './data/plan.js';
import { planSpec, readSpec, renderToFile } from './pipeline/index.js';
import type { CompileOptions, RenderOptions, SpecInput } from './pipeline/options.js';

export { renderToFile } from './pipeline/index.js';
export { info, type SpecInfo } from './pipeline/info.js';
export { selectFrames } from './pipeline/frame-selection.js';
export type { CompileOptions, RenderOptions, RenderResult, SpecInput } from './pipeline/options.js';
export { formatFromPath, OUTPUT_FORMATS, type OutputFormat } from './pipeline/formats.js';
export { DEFAULT_LIMITS, LimitError, type Limits } from './spec/limits.js';
export { OutputLimitError } from './encode/atomic.js';
export { OptionError } from './spec/errors.js';

/** Validates a spec (a path or an object); throws SpecErrors listing every problem. */
export async function validate(input: SpecInput): Promise<VegaFramesSpec> {
  const { spec, loaded } = await readSpec(input);
  return validateOrThrow(spec, loaded);
}

/** Loads, validates and compiles a spec with its data: everything but rendering. */
export async function compile(input: SpecInput, options: CompileOptions = {}): Promise<FramePlan> {
  return (await planSpec(input, options)).plan;
}

/** Renders a spec to bytes in memory (GIF by default), through the same streaming path. */
export async function render(input: SpecInput, options: RenderOptions = {}): Promise<Uint8Array> {
  const format = options.format ?? 'gif';
  const dir = await mkdtemp(path.join(tmpdir(), 'vega-frames-'));
  try {
    const file = path.join(dir, `out.${format}`);
    await renderToFile(input, file, { ...options, format });
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
