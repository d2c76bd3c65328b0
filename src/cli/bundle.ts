/**
 * What the launcher (cli/bin.ts) needs from the bundle, dist/vega-frames.cjs: the CLI for
 * the main thread, the render loop for workers.
 */
export { main, runCli } from './main.js';
export { serveRenderWorker } from '../pool/worker.js';
export { startWorkersFromBundle } from '../support/start-worker.js';
