/**
 * Starts a worker thread running a module of this package, given as a URL relative to the
 * caller's module (without extension). Built, it is the `.js` file; under tsx (tests,
 * bench) the `.ts` one, and Node 20 does not pass tsx's loader on to worker threads, so a
 * small ESM bootstrap registers it first. Run from the bundle (the `vega-frames` command),
 * a worker runs the bundle's launcher too, so it also starts from the code cache.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

let bundleLauncher: URL | undefined;

/** Called by the bundle's launcher: later workers start through `launcher` as well. */
export function startWorkersFromBundle(launcher: URL): void {
  bundleLauncher = launcher;
}

export function startWorker(
  callerUrl: string,
  script: string,
  options: WorkerOptions = {},
  /** false: the module itself even from the bundle (one that needs little of it). */
  viaBundle = true,
): Worker {
  if (bundleLauncher && viaBundle)
    return new Worker(bundleLauncher, { ...options, workerData: { script } });
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`${script}.js`, callerUrl), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const href = new URL(`${script}.ts`, callerUrl).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
