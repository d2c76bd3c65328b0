/**
 * Runs a command as a hostile input is run in the tests: under a watchdog that measures its
 * wall time and the peak resident memory of its process tree (the command's supervisor and
 * the render process below it), and kills it past a hard limit.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendantsOf } from '../../src/cli/supervisor.js';

export interface WatchedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** The largest VmHWM (peak resident set) of any one process of the tree, in bytes. */
  peakBytes: number;
  /** Whether the watchdog had to kill it. */
  killed: boolean;
}

function peakOf(pid: number): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kib ? Number(kib[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function runWatched(
  command: string,
  args: string[],
  options: { cwd: string; killAfterSeconds?: number; input?: string },
): Promise<WatchedRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let peakBytes = 0;
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdin.end(options.input ?? '');
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      for (const pid of [child.pid, ...descendantsOf(child.pid)])
        peakBytes = Math.max(peakBytes, peakOf(pid));
      if (performance.now() - started > (options.killAfterSeconds ?? 30) * 1000) {
        killed = true;
        for (const pid of [...descendantsOf(child.pid), child.pid]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
      }
    }, 25);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakBytes,
        killed,
      });
    });
  });
}
