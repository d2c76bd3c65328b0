/**
 * Limits that keep an untrusted spec from exhausting the machine: checked before the work
 * they bound (frames and rows once the data is read, pixels from the spec and again after
 * layout, time while rendering). Each can be raised by the user (CLI flags, API options).
 */
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
}

export const DEFAULT_LIMITS: Limits = {
  maxPixels: 16_777_216, // 4096 × 4096
  maxFrames: 10_000,
  maxRows: 100_000_000,
  timeoutSeconds: Infinity,
  maxOutputBytes: 2 ** 31, // 2 GiB
};

/** A limit was exceeded: the message names the limit, the value, and the flag that raises it. */
export class LimitError extends Error {}

const FLAGS: Record<keyof Limits, string> = {
  maxPixels: '--max-pixels',
  maxFrames: '--max-frames',
  maxRows: '--max-rows',
  timeoutSeconds: '--timeout',
  maxOutputBytes: '--max-output-bytes',
};

export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  return {
    ...DEFAULT_LIMITS,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
}

export function checkLimit(
  limits: Limits,
  key: Exclude<keyof Limits, 'timeoutSeconds'>,
  value: number,
  what: string,
): void {
  if (value > limits[key]) {
    throw new LimitError(
      `${what} is ${value.toLocaleString('en')}, over the limit of ${limits[key].toLocaleString('en')}; raise it with ${FLAGS[key]} if you trust this spec`,
    );
  }
}

/** The render's deadline (ms since the epoch), from when it starts. */
export function deadlineAt(limits: Limits, start = Date.now()): number {
  return start + limits.timeoutSeconds * 1000;
}

/** Throws once the deadline has passed. */
export function checkDeadline(at: number, limits: Pick<Limits, 'timeoutSeconds'>): void {
  if (Date.now() > at) {
    throw new LimitError(
      `the render took longer than ${limits.timeoutSeconds} s (${FLAGS.timeoutSeconds}); nothing was written`,
    );
  }
}
