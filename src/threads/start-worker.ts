/**
 * Starts a worker thread running a module of this package, given as a URL relative to the
 * caller's module (without extension). Built, it is the `.js` file; under tsx (tests,
 * bench) the `.ts` one, and Node 20 does not pass tsx's loader on to worker threads, so a
 * small ESM bootstrap registers it first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(
  callerUrl: string,
  script: string,
  options: WorkerOptions = {},
): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`${script}.js`, callerUrl), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const href = new URL(`${script}.ts`, callerUrl).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
