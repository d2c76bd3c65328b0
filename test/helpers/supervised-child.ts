/**
 * Stands in for the render process under the command's supervisor (test/cli-supervisor):
 * `node supervised-child.ts MODE -o OUT` runs supervised, and the child it starts (this
 * file again, with VF_SUPERVISED=1) does what MODE says, after creating the hidden temp
 * file a render would have open beside OUT.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHeartbeat } from '../../src/cli/heartbeat.js';
import { isSupervisedChild, superviseCli } from '../../src/cli/supervisor.js';

const argv = process.argv.slice(2);
if (!isSupervisedChild()) {
  superviseCli(fileURLToPath(import.meta.url), argv);
} else {
  const [mode] = argv;
  startHeartbeat();
  const out = path.resolve(argv[argv.indexOf('-o') + 1]);
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.0badc0de.tmp`);
  writeFileSync(temp, 'partial');
  process.stdout.write(`started ${process.pid}\n`);
  const spin = () => {
    // As the render does, it would clean up on SIGTERM: a handler that cannot run while
    // the thread never yields.
    process.on('SIGTERM', () => process.exit(143));
    for (;;);
  };
  if (mode === 'spin') spin();
  if (mode === 'grow') {
    const held: Buffer[] = [];
    for (;;) held.push(Buffer.alloc(16 << 20, 1));
  }
  if (mode === 'v8-fatal') {
    process.stderr.write('frame 3 of 10\n\n<--- Last few GCs --->\n[1:0x2] 5 ms: Mark-Compact\n');
    process.stderr.write(
      'FATAL ERROR: invalid table size Allocation failed\n 1: 0xb78db3 node::Abort\n',
    );
    process.abort();
  }
  if (mode === 'skia-fatal') {
    // What Skia prints before it traps (an allocation it asserts on), then the trap itself.
    process.stderr.write('frame 1 of 1\n');
    process.stderr.write(
      '[skia] ** ERROR ** ../../src/core/SkBitmap.cpp:252: fatal error: "assertf(this->tryAllocPixels(info, rowBytes))"\n',
    );
    process.kill(process.pid, 'SIGILL');
  }
  if (mode === 'tidy') {
    process.on('SIGTERM', () => {
      writeFileSync(temp, ''); // what cleanup would do, then remove it
      import('node:fs').then(({ rmSync }) => (rmSync(temp), process.exit(143)));
    });
    setInterval(() => undefined, 1000);
  }
  if (mode === 'idle') setInterval(() => undefined, 1000);
  if (mode === 'exit3') {
    process.stderr.write('error: something the user can fix\n');
    import('node:fs').then(({ rmSync }) => (rmSync(temp), process.exit(3)));
  }
}
