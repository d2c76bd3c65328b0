/**
 * Collects the frames' pixel copies this thread has dropped. The canvas library hands each
 * frame's pixels over in a new buffer (800×800: 2.5 MB) that V8 frees only in a full
 * collection (the buffer outlives the young-generation collections its frame spans), and
 * V8 lets ~64 MB of such memory pile up in each thread before it runs one: W1's peak RSS
 * varied by ~60 MiB from run to run with when that happened. A full collection after every
 * FULL_GC_BYTES of frames bounds it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Frame bytes between full collections. */
export const FULL_GC_BYTES = 64 << 20;

let collect: (() => void) | null | undefined;

/** V8's `gc()`, without starting Node with --expose-gc (null where V8 will not give it). */
function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    collect = null;
  } finally {
    // Back as it was: V8 takes code caches only from a process with the same flags.
    v8.setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

let dropped = 0;

/** Counts a frame's pixel copy, dropped once the frame is done with; may collect. */
export function frameCopied(bytes: number): void {
  dropped += bytes;
  if (dropped < FULL_GC_BYTES) return;
  dropped = 0;
  fullCollection()?.();
}
