#!/usr/bin/env node
/**
 * The `vega-frames` command. It runs the build's bundle, dist/vega-frames.cjs (vega-frames,
 * Vega and Vega-Lite in one CommonJS file), from its V8 code cache: ~60 ms to load instead
 * of ~300 ms for the same code as separate ES modules, which every render and each render
 * worker paid at start. Without the bundle (a build that skipped it), or on a Node that
 * cannot require() an ES module from CommonJS (hyparquet is one; Node < 20.19), it runs the
 * modules themselves.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { runCommonJs } from '../cached-script.js';

const BUNDLE_FILE = fileURLToPath(new URL('../vega-frames.cjs', import.meta.url));

interface Bundle {
  runCli(argv: string[]): void;
  serveRenderWorker(port: MessagePort): void;
  startWorkersFromBundle(launcher: URL): void;
}

const nodeRequiresEsm = (process.features as { require_module?: boolean }).require_module;

if (existsSync(BUNDLE_FILE) && nodeRequiresEsm) {
  const bundle = runCommonJs(BUNDLE_FILE).exports as unknown as Bundle;
  if (isMainThread) {
    bundle.startWorkersFromBundle(new URL(import.meta.url));
    bundle.runCli(process.argv.slice(2));
  } else {
    // A render worker started by the bundle (threads/start-worker.ts).
    bundle.serveRenderWorker(parentPort!);
  }
} else {
  const { runCli } = await import('./main.js');
  runCli(process.argv.slice(2));
}
