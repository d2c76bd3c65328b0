/**
 * Child process for encode-atomic tests: opens an atomic file (or, in `folder` mode, a PNG
 * frames folder over an existing one), writes to it, reports the temp path on stdout, then
 * either waits to be signalled or crashes with an uncaught error.
 * Usage: node --import tsx atomic-signal-child.ts <target> [wait|crash|folder]
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { installCleanupHandlers, openAtomic } from '../../src/encode/atomic.js';
import { createPngSequenceSink } from '../../src/encode/png.js';

const [target, mode = 'wait'] = process.argv.slice(2);
installCleanupHandlers();
if (mode === 'folder') {
  const sink = await createPngSequenceSink(target, { frameCount: 3 });
  const frame = { width: 2, height: 2, rgba: new Uint8Array(16).fill(200) };
  await sink.write(frame, 0);
  await sink.write(frame, 1);
  const parent = path.dirname(path.resolve(target));
  const hidden = readdirSync(parent).filter((name) => name.startsWith('.'));
  process.stdout.write(`ready ${hidden.map((name) => path.join(parent, name)).join(' ')}\n`);
} else {
  const file = await openAtomic(target);
  await file.write(new Uint8Array(4096).fill(0x47));
  process.stdout.write(`ready ${file.tempPath}\n`);
}

if (mode === 'crash') {
  setTimeout(() => {
    throw new Error('simulated crash while encoding');
  }, 10);
} else {
  setInterval(() => undefined, 1000); // stay alive until the parent signals
}
