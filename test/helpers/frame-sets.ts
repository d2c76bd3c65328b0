/**
 * Two sets of PNG frames (frames-rerender-child.ts) written into one folder, and what the
 * folder holds at a moment: one whole set, or a mix that an interrupted render left.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createPngSequenceSink, encodePng } from '../../src/encode/png.js';
import { FRAME_COUNTS, setFrame } from './frames-rerender-child.js';

const expectedBytes = [0, 1].map((k) => Buffer.from(encodePng(setFrame(k as 0 | 1))));

/** Writes frame set `k` (all its frames) into `folder` through the sink. */
export async function renderSet(folder: string, k: 0 | 1): Promise<void> {
  const sink = await createPngSequenceSink(folder, { frameCount: FRAME_COUNTS[k] });
  for (let i = 0; i < FRAME_COUNTS[k]; i++) await sink.write(setFrame(k), i);
  await sink.finish();
}

/** `set K` when `folder` holds exactly frame set K, else a description of what it holds. */
export function folderState(folder: string): string {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code}`;
  }
  for (const k of [0, 1] as const) {
    const expected = Array.from(
      { length: FRAME_COUNTS[k] },
      (_, i) => `frame-${String(i + 1).padStart(5, '0')}.png`,
    );
    if (
      names.join() === expected.join() &&
      names.every((n) => readFileSync(path.join(folder, n)).equals(expectedBytes[k]))
    ) {
      return `set ${k}`;
    }
  }
  const kinds = names.map((n) => {
    try {
      const bytes = readFileSync(path.join(folder, n));
      return bytes.equals(expectedBytes[0]) ? '0' : bytes.equals(expectedBytes[1]) ? '1' : '?';
    } catch {
      return '-';
    }
  });
  return `${names.length} files, of sets ${[...new Set(kinds)].sort().join('')}`;
}

/** The hidden entries (temp folders) beside `folder`. */
export const hiddenBeside = (folder: string) =>
  readdirSync(path.dirname(folder)).filter((n) => n.startsWith('.'));
