/**
 * Collects the frames' pixel copies this thread has dropped. The canvas library hands each
 * frame's pixels over in a new buffer (800×800: 2.5 MB) that V8 frees only in a full
 * collection (the buffer outlives the young-generation collections its frame spans), and
 * V8 lets ~64 MB of such memory pile up in each thread before it runs one, so peak memory
 * would vary from run to run with when that happens. A full collection after every
 * FULL_GC_BYTES of frames bounds it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Frame bytes between full collections. */
export const FULL_GC_BYTES = 64 << 20;

let collect: (() => void) | undefined;

/**
 * V8's `gc()`, without starting Node with --expose-gc: the flag is set just to make a
 * context that has it, then reset (unless the process was started with it), so V8's flags
 * stay as they were (it takes code caches only from a process with the same flags).
 * Undefined if V8 did not give it: flags are the process's, and another thread may have
 * reset the flag in between (then the next call tries again).
 */
function fullCollection(): (() => void) | undefined {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as () => void;
  if (collect) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('typeof gc === "function" ? gc : undefined') as unknown;
    if (typeof gc === 'function') collect = () => (gc as () => void)();
  } catch {
    // no collection then
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

let dropped = 0;
let collections = 0;

/** Full collections this thread has run for frame copies (tests check it does). */
export function fullCollections(): number {
  return collections;
}

/** Counts a frame's pixel copy, dropped once the frame is done with; may collect. */
export function frameCopied(bytes: number): void {
  dropped += bytes;
  if (dropped < FULL_GC_BYTES) return;
  dropped = 0;
  const gc = fullCollection();
  if (!gc) return;
  gc();
  collections++;
}
