/**
 * Child process for the frames-folder signal test: renders PNG frames into one folder
 * again and again, alternating two sets (set 0: FRAMES_0 frames of one colour, set 1:
 * FRAMES_1 of another), and prints `done K` after each, until it is signalled.
 * Usage: node --import tsx frames-rerender-child.ts <folder>
 */
import { installCleanupHandlers } from '../../src/encode/atomic.js';
import { createPngSequenceSink } from '../../src/encode/png.js';

export const FRAME_COUNTS = [40, 25] as const;

/** Every frame of set `k` (2×2 pixels of one colour per set). */
export function setFrame(k: 0 | 1) {
  return { width: 2, height: 2, rgba: new Uint8Array(16).fill(k === 0 ? 40 : 220) };
}

const isMain = process.argv[1]?.endsWith('frames-rerender-child.ts');
if (isMain) {
  const [folder] = process.argv.slice(2);
  installCleanupHandlers();
  for (let round = 0; ; round++) {
    const k = (round % 2) as 0 | 1;
    const count = FRAME_COUNTS[k];
    const sink = await createPngSequenceSink(folder, { frameCount: count });
    for (let i = 0; i < count; i++) await sink.write(setFrame(k), i);
    await sink.finish();
    process.stdout.write(`done ${round}\n`);
  }
}
