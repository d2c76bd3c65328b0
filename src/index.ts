/**
 * vega-frames: a Vega-Lite spec plus a `frame` channel and an `animation` block, rendered
 * headless to GIF (or one frame to PNG/SVG).
 *
 * The API runs from the build's bundle, dist/vega-frames.cjs, as the command does: there
 * Vega draws on this package's own canvas, whereas Vega's modules loaded as they are take
 * whichever `canvas` package the installing project resolves first (its own node-canvas,
 * or one whose native binding does not load), and fail. The bundle also loads from its
 * code cache. Where there is no bundle (the sources under tsx) or Node cannot require() an
 * ES module from CommonJS (before 20.19), the modules themselves are loaded.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Library from './library.js';

export type * from './library.js';

const BUNDLE_FILE = fileURLToPath(new URL('./vega-frames.cjs', import.meta.url));
const nodeRequiresEsm = (process.features as { require_module?: boolean }).require_module;

async function load(): Promise<typeof Library> {
  if (!existsSync(BUNDLE_FILE) || !nodeRequiresEsm) return import('./library.js');
  const { runCommonJs } = await import('./support/cached-script.js');
  const bundle = runCommonJs(BUNDLE_FILE).exports as unknown as typeof Library & {
    startWorkersFromBundle(launcher: URL): void;
  };
  // Render workers start through the command's launcher, which runs the bundle in a worker.
  bundle.startWorkersFromBundle(new URL('./cli/bin.js', import.meta.url));
  return bundle;
}

const library = await load();

export const {
  compile,
  info,
  render,
  renderToFile,
  selectFrames,
  validate,
  formatSpecError,
  validateSpec,
  parseSpecText,
  loadSpecFile,
} = library;
// Classes: the value from the library, and its instance type under the same name.
export const UserError = library.UserError;
export type UserError = Library.UserError;
export const OptionError = library.OptionError;
export type OptionError = Library.OptionError;
export const SpecError = library.SpecError;
export type SpecError = Library.SpecError;
export const SpecErrors = library.SpecErrors;
export type SpecErrors = Library.SpecErrors;
export const FormatError = library.FormatError;
export type FormatError = Library.FormatError;
export const CompileError = library.CompileError;
export type CompileError = Library.CompileError;
export const FrameRenderer = library.FrameRenderer;
export type FrameRenderer = Library.FrameRenderer;
