/**
 * In the supervised render process: a byte on fd 3 every second while this thread's event
 * loop turns. A thread stuck in one evaluation stops sending, and the supervisor
 * (cli/supervisor.ts) stops it past --stall-timeout. Render workers are watched by the
 * render process instead (pool/pool.ts). A render whose supervisor is gone (killed with
 * SIGKILL, which it cannot pass on) ends itself, removing its temp files on the way out,
 * rather than run on unwatched.
 */
import { write } from 'node:fs';

export function startHeartbeat(): void {
  const supervisor = process.ppid;
  setInterval(() => {
    if (process.ppid !== supervisor) process.exit(129);
    write(3, '.', () => undefined);
  }, 1000).unref();
}
