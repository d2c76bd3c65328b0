/**
 * Child process for encode-atomic tests: opens an atomic file, writes to it, reports the temp
 * path on stdout, then either waits to be signalled or crashes with an uncaught error.
 * Usage: node --import tsx atomic-signal-child.ts <target> [wait|crash]
 */
import { installCleanupHandlers, openAtomic } from '../../src/encode/atomic.js';

const [target, mode = 'wait'] = process.argv.slice(2);
installCleanupHandlers();
const file = await openAtomic(target);
await file.write(new Uint8Array(4096).fill(0x47));
process.stdout.write(`ready ${file.tempPath}\n`);

if (mode === 'crash') {
  setTimeout(() => {
    throw new Error('simulated crash while encoding');
  }, 10);
} else {
  setInterval(() => undefined, 1000); // stay alive until the parent signals
}
