/**
 * Limits that keep an untrusted spec from exhausting the machine: checked before the work
 * they bound (frames and rows once the data is read, pixels from the spec and again after
 * layout, time while rendering). Each can be raised by the user (CLI flags, API options).
 */
import { UserError } from '../support/user-error.js';
import { specMessage } from './messages.js';

export interface Limits {
  /** Device pixels in one frame (width × height × scale²). */
  maxPixels: number;
  /** Frames rendered. */
  maxFrames: number;
  /** Rows over all data sources. */
  maxRows: number;
  /** Wall-clock seconds for a render; Infinity for none. */
  timeoutSeconds: number;
  /** Bytes of output, all files of a render together. */
  maxOutputBytes: number;
  /** Resident memory of the render process, checked between frames and by the supervisor. */
  maxMemoryBytes: number;
  /**
   * Seconds one step may run without finishing: a frame's evaluation in a render worker, or
   * any stretch in which the command's render process does not return to its event loop.
   */
  stallSeconds: number;
  /** Bytes of one file the spec names (data or image), checked on the opened file. */
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPixels: 16_777_216, // 4096 × 4096
  maxFrames: 10_000,
  maxRows: 100_000_000,
  timeoutSeconds: Infinity,
  maxOutputBytes: 2 ** 31, // 2 GiB
  // Twice the largest render we bench (1 M points × 100 frames from Arrow peaks at 1.5 GiB
  // with --max-memory raised; the gallery and the bench workloads peak at 230–360 MiB), and
  // far below this 24 GiB machine's or a laptop's memory, so the kernel never has to step in.
  maxMemoryBytes: 2 * 2 ** 30,
  // Six times the largest input we bench (a 162 MB CSV), so real data passes untouched,
  // while a file that keeps growing or a link to a huge one stops before it is read.
  maxFileBytes: 2 ** 30, // 1 GiB
  // One frame of the largest render we bench takes under 2 s even drawn by Vega; a spec
  // whose one evaluation runs a minute is computing something no chart shows.
  stallSeconds: 60,
};

/** A limit was exceeded: the message names the limit, the value, and the flag that raises it. */
export class LimitError extends UserError {}

const FLAGS: Record<keyof Limits, string> = {
  maxPixels: '--max-pixels',
  maxFrames: '--max-frames',
  maxRows: '--max-rows',
  timeoutSeconds: '--timeout',
  maxOutputBytes: '--max-output-bytes',
  maxMemoryBytes: '--max-memory',
  maxFileBytes: '--max-file-bytes',
  stallSeconds: '--stall-timeout',
};

export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  return {
    ...DEFAULT_LIMITS,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
}

export function checkLimit(
  limits: Limits,
  key: Exclude<keyof Limits, 'timeoutSeconds' | 'stallSeconds'>,
  value: number,
  what: string,
): void {
  if (value > limits[key]) {
    throw new LimitError(
      specMessage.overLimit(what, formatCount(value), formatCount(limits[key]), FLAGS[key]),
    );
  }
}

/** Throws once this process holds more resident memory than the render may use. */
export function checkMemory(limits: Pick<Limits, 'maxMemoryBytes'>): void {
  const rss = process.memoryUsage.rss();
  if (rss > limits.maxMemoryBytes) {
    throw new LimitError(
      specMessage.memoryOverLimit(
        formatBytes(rss),
        formatBytes(limits.maxMemoryBytes),
        FLAGS.maxMemoryBytes,
      ),
    );
  }
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
  tib: 2 ** 40,
};

/**
 * `"2g"`, `"1536MiB"`, `"500m"`, `"4096"` → bytes. Units are binary (as `free -h` and
 * Docker's `--memory` read them); throws a RangeError naming the accepted forms.
 */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || !(Number(m[1]) > 0)) {
    throw new RangeError(specMessage.notASize(text));
  }
  return Math.floor(Number(m[1]) * unit);
}

/**
 * A count as a person reads it: `1,000,000`, and past a quadrillion `1.0e+308` (a spec's
 * 1e308 would otherwise print as 309 digits).
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'endless' : String(value);
  return Math.abs(value) >= 1e15 ? value.toExponential(1) : Math.round(value).toLocaleString('en');
}

/** Bytes as a person reads them: `2 GiB`, `512 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Throws once the deadline has passed. */
export function checkDeadline(at: number, limits: Pick<Limits, 'timeoutSeconds'>): void {
  if (Date.now() > at) {
    throw new LimitError(specMessage.tookTooLong(limits.timeoutSeconds, FLAGS.timeoutSeconds));
  }
}

/** The sentence for a step that ran past `stallSeconds` (a render worker's, or the command's). */
export function stallMessage(seconds: number, what: string): string {
  return specMessage.stalled(seconds, what, FLAGS.stallSeconds);
}
