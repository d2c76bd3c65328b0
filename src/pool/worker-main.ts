/** The render worker's entry when run from the unbundled modules (tests, `tsx`). */
import { parentPort } from 'node:worker_threads';
import { serveRenderWorker } from './worker.js';

serveRenderWorker(parentPort!);
