/**
 * Progress on stderr: on a terminal a bar with frames done/total and ETA, redrawn in place;
 * elsewhere (a pipe, a notebook's `!`, CI) a plain line every few seconds; `--progress json`
 * a JSON object a line, for tools. Then one summary line.
 */
import { STDERR_TTY_ENV } from './supervisor.js';

export const PROGRESS_MODES = ['auto', 'lines', 'json'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** Seconds between progress lines off a terminal (and JSON lines); default 5. */
export const PROGRESS_INTERVAL_ENV = 'VF_PROGRESS_INTERVAL';
const DEFAULT_INTERVAL_MS = 5_000;

export function progressIntervalMs(env = process.env): number {
  const seconds = Number(env[PROGRESS_INTERVAL_ENV]);
  return env[PROGRESS_INTERVAL_ENV] !== undefined && Number.isFinite(seconds) && seconds >= 0
    ? seconds * 1000
    : DEFAULT_INTERVAL_MS;
}

export interface Progress {
  update(done: number, total: number): void;
  /** A warning: a `warning: …` line, or a JSON line with --progress json. */
  warn(message: string): void;
  /** The summary line; with --progress json, `details` as the last JSON line. */
  done(summary: string, details?: Record<string, unknown>): void;
}

export interface ProgressOptions {
  quiet: boolean;
  mode?: ProgressMode;
  intervalMs?: number;
}

export function createProgress(
  stream: NodeJS.WriteStream,
  { quiet, mode = 'auto', intervalMs = progressIntervalMs() }: ProgressOptions,
): Progress {
  const startedAt = performance.now();
  // The rate is measured from the first finished frame: start-up is not frame time.
  let firstFrameAt: number | undefined;
  let firstDone = 0;
  // Under the command's supervisor stderr is a pipe to it, which passes it to a terminal.
  const terminal = stream.isTTY === true || process.env[STDERR_TTY_ENV] === '1';
  const style = quiet
    ? 'none'
    : mode === 'json'
      ? 'json'
      : mode === 'auto' && terminal
        ? 'bar'
        : 'lines';
  let lastDraw = 0;
  let lastLine = startedAt;
  const json = (event: string, fields: Record<string, unknown>) =>
    stream.write(`${JSON.stringify({ event, ...fields })}\n`);
  return {
    update(done, total) {
      if (style === 'none') return;
      const now = performance.now();
      if (firstFrameAt === undefined) {
        firstFrameAt = now;
        firstDone = done;
      }
      const elapsed = (now - firstFrameAt) / 1000;
      const rate = done > firstDone ? elapsed / (done - firstDone) : 0;
      const eta = rate * (total - done);
      if (style !== 'bar') {
        if (now - lastLine < intervalMs) return;
        lastLine = now;
        const seconds = (now - startedAt) / 1000;
        if (style === 'json') {
          json('progress', {
            done,
            total,
            seconds: Number(seconds.toFixed(2)),
            ...(rate > 0 ? { etaSeconds: Number(eta.toFixed(2)) } : {}),
          });
        } else {
          stream.write(
            `progress: ${done}/${total} frames (${Math.floor((done / total) * 100)}%) in ${seconds.toFixed(1)} s${rate > 0 ? `, ETA ${eta.toFixed(1)} s` : ''}\n`,
          );
        }
        return;
      }
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      const etaText = rate > 0 ? `ETA ${eta.toFixed(1)} s` : 'ETA …';
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} frames  ${etaText} `,
      );
    },
    warn(message) {
      if (style === 'json') json('warning', { message });
      else stream.write(`warning: ${message}\n`);
    },
    done(summary, details) {
      if (style === 'bar') stream.write('\r\x1b[K');
      if (style === 'json') json('done', details ?? { message: summary });
      else if (style !== 'none') stream.write(summary + '\n');
    },
  };
}
