/** Progress on a TTY (a bar with frames done/total and ETA); one summary line otherwise. */

export interface Progress {
  update(done: number, total: number): void;
  done(summary: string): void;
}

export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  const start = performance.now();
  const tty = stream.isTTY === true && !quiet;
  let lastDraw = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = performance.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      const elapsed = (now - start) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} frames  ETA ${eta.toFixed(1)} s `,
      );
    },
    done(summary) {
      if (tty) stream.write('\r\x1b[K');
      if (!quiet) stream.write(summary + '\n');
    },
  };
}
