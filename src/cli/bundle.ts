/**
 * What the bundle, dist/vega-frames.cjs, holds: for the launcher (cli/bin.ts) the CLI in the
 * main thread and the render loop in workers; for the package's entry (src/index.ts) the
 * library API.
 */
export { main, runCli } from './main.js';
export { serveRenderWorker } from '../pool/worker.js';
export { startWorkersFromBundle } from '../support/start-worker.js';
export * from '../library.js';
