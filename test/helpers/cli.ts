/**
 * The built command, run as a user runs it: `node dist/cli/bin.js ARGS` from the repository's
 * root, its exit code and both streams as text.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CLI = path.join(ROOT, 'dist/cli/bin.js');

export function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
