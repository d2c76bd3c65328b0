#!/usr/bin/env node
/**
 * The `vega-frames` command. It runs the build's bundle, dist/vega-frames.cjs (vega-frames,
 * Vega and Vega-Lite in one CommonJS file), from its V8 code cache: ~60 ms to load, where
 * the same code as separate ES modules takes several times as long in every render and
 * each render worker. Without the bundle (a build that skipped it), or on a Node that
 * cannot require() an ES module from CommonJS (hyparquet is one; Node < 20.19), it runs the
 * modules themselves.
 *
 * The #! line is a plain `env node`: BusyBox's env (Alpine images) has no -S to pass V8
 * flags there. The process that renders is the supervised child, which the supervisor starts
 * with COMMAND_V8_FLAGS: V8's young generation capped at 2 MB semi-spaces (default 16), as
 * that thread's short-lived garbage is a frame's worth and the default lets the space grow
 * to 32 MB that stays resident. The command code caches are made with the same flags; a
 * process without them (the commands that run unsupervised, `VF_SUPERVISED=off`, the API)
 * runs from the others.
 *
 * A command that reads a spec runs in a child process that cli/supervisor.ts watches for
 * memory and time; the child is this same file with VF_SUPERVISED=1.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, type MessagePort, workerData } from 'node:worker_threads';

const BUNDLE_FILE = fileURLToPath(new URL('../vega-frames.cjs', import.meta.url));

interface Bundle {
  runCli(argv: string[]): void;
  serveRenderWorker(port: MessagePort): void;
  startWorkersFromBundle(launcher: URL): void;
}

const nodeRequiresEsm = (process.features as { require_module?: boolean }).require_module;

/**
 * Commands that read a spec or data, and so run supervised (preview-render: each version of
 * `vega-frames preview`, started by the preview's server, cli/preview.ts).
 */
const SUPERVISED_COMMANDS = new Set(['render', 'info', 'validate', 'join', 'preview-render']);

// Each process loads only what its part needs: the supervisor its watch, the render the
// bundle (a module more at start is milliseconds on every command).
const supervised = process.env.VF_SUPERVISED;
if (
  isMainThread &&
  supervised !== '1' &&
  supervised !== 'off' &&
  SUPERVISED_COMMANDS.has(process.argv[2] ?? '') &&
  process.platform !== 'win32'
) {
  const { superviseCli } = await import('./supervisor.js');
  superviseCli(fileURLToPath(import.meta.url), process.argv.slice(2));
} else {
  if (isMainThread && supervised === '1') (await import('./heartbeat.js')).startHeartbeat();
  await runCommand();
}

async function runCommand(): Promise<void> {
  const { runCommonJs } = await import('../support/cached-script.js');
  if (existsSync(BUNDLE_FILE) && nodeRequiresEsm) {
    const bundle = runCommonJs(BUNDLE_FILE).exports as unknown as Bundle;
    if (isMainThread) {
      bundle.startWorkersFromBundle(new URL(import.meta.url));
      bundle.runCli(process.argv.slice(2));
    } else {
      // A worker started through the bundle (threads/start-worker.ts): the render worker is
      // the only one that is.
      const { script } = workerData as { script?: string };
      if (script !== './worker-main') throw new Error(`no bundled worker "${script}"`);
      bundle.serveRenderWorker(parentPort!);
    }
  } else {
    const { runCli } = await import('./main.js');
    runCli(process.argv.slice(2));
  }
}
