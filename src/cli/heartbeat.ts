/**
 * In the supervised render process: a byte on fd 3 every second while this thread's event
 * loop turns. A thread stuck in one evaluation stops sending, and the supervisor
 * (cli/supervisor.ts) stops it past --stall-timeout. Render workers are watched by the
 * render process instead (pool/pool.ts).
 */
import { write } from 'node:fs';

export function startHeartbeat(): void {
  setInterval(() => write(3, '.', () => undefined), 1000).unref();
}
