/**
 * What the package exports (src/index.ts loads it from the bundle where it can).
 */
export { compile, info, render, renderToFile, selectFrames, validate } from './api.js';
export type { CompileOptions, RenderOptions, RenderResult, SpecInfo, SpecInput } from './api.js';
export type { MarkInfo } from './render/mark-report.js';
export type {
  AnimationParams,
  FrameBinParams,
  FrameFieldDef,
  FrameSort,
  PauseParams,
  VegaFramesSpec,
} from './spec/types.js';
// Every error a user can act on is a UserError, with the exit code the command line gives it.
export { UserError, type UserExitCode } from './support/user-error.js';
export { OptionError, SpecError, SpecErrors, formatSpecError } from './spec/errors.js';
export { FormatError } from './encode/format-error.js';
export { validateSpec } from './spec/validate.js';
export { parseSpecText, loadSpecFile } from './spec/load.js';
export type { FramePlan } from './data/plan.js';
export { CompileError } from './compile/index.js';
export { FrameRenderer } from './render/frame-renderer.js';
