/** Progress on a TTY (a bar with frames done/total and ETA); one summary line otherwise. */
import { STDERR_TTY_ENV } from './supervisor.js';

export interface Progress {
  update(done: number, total: number): void;
  done(summary: string): void;
}

export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  // The rate is measured from the first finished frame: start-up is not frame time.
  let firstFrameAt: number | undefined;
  let firstDone = 0;
  // Under the command's supervisor stderr is a pipe to it, which passes it to a terminal.
  const tty = (stream.isTTY === true || process.env[STDERR_TTY_ENV] === '1') && !quiet;
  let lastDraw = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = performance.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      if (firstFrameAt === undefined) {
        firstFrameAt = now;
        firstDone = done;
      }
      const elapsed = (now - firstFrameAt) / 1000;
      const rate = done > firstDone ? elapsed / (done - firstDone) : 0;
      const eta = rate * (total - done);
      const etaText = rate > 0 ? `ETA ${eta.toFixed(1)} s` : 'ETA …';
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} frames  ${etaText} `,
      );
    },
    done(summary) {
      if (tty) stream.write('\r\x1b[K');
      if (!quiet) stream.write(summary + '\n');
    },
  };
}
