/**
 * Atomic output files: bytes go to a hidden temp file next to the target, and only `commit()`
 * (fsync + rename) makes them visible, so a crash or Ctrl-C never leaves a truncated GIF behind.
 * A process-wide registry lets signal/exit handlers remove every temp file still open.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicFile {
  /** The final path, written only by `commit()`. */
  readonly targetPath: string;
  /** The hidden temp file in the same folder (same filesystem, so rename is atomic). */
  readonly tempPath: string;
  write(bytes: Uint8Array): Promise<void>;
  /** fsync, close and rename over the target. */
  commit(): Promise<void>;
  /** Close and unlink the temp file. Idempotent, and a no-op after a successful commit. */
  abort(): Promise<void>;
}

/** An output grew past the limit set with `setOutputLimit`. */
export class OutputLimitError extends Error {}

/** The current render's output budget; AsyncLocalStorage keeps concurrent renders apart. */
const outputBudget = new AsyncLocalStorage<{ limit: number; written: number }>();

/** Runs `render` with at most `limit` bytes of output (all its files together). */
export function withOutputLimit<T>(limit: number, render: () => Promise<T>): Promise<T> {
  return outputBudget.run({ limit, written: 0 }, render);
}

/** Adds `bytes` to the current render's output and throws once it is over its limit. */
export function countOutput(bytes: number): void {
  const budget = outputBudget.getStore();
  if (!budget) return;
  budget.written += bytes;
  if (budget.written > budget.limit) {
    throw new OutputLimitError(
      `the output is over the limit of ${budget.limit.toLocaleString('en')} bytes; raise it with --max-output-bytes if you trust this spec (nothing was written)`,
    );
  }
}

/** Temp files that exist (or are being created) and are neither committed nor aborted. */
const openTempPaths = new Set<string>();

export async function openAtomic(targetPath: string): Promise<AtomicFile> {
  const target = path.resolve(targetPath);
  const folder = path.dirname(target);
  const base = path.basename(target);
  const tempPath = path.join(
    folder,
    `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );

  await assertTargetIsNotFolder(target);
  // Register before creating, so a signal arriving mid-open still removes the file.
  openTempPaths.add(tempPath);
  let handle: FileHandle;
  try {
    handle = await open(tempPath, 'wx', 0o666);
  } catch (err) {
    openTempPaths.delete(tempPath);
    throw outputFolderError(err, folder);
  }

  let state: 'open' | 'committed' | 'aborted' = 'open';

  const discard = async (): Promise<void> => {
    await handle.close().catch(() => undefined);
    await unlink(tempPath).catch(ignoreMissing);
    // Only forget the file once it is really gone, so the exit handler can retry otherwise.
    openTempPaths.delete(tempPath);
  };

  return {
    targetPath: target,
    tempPath,
    async write(bytes) {
      if (state !== 'open') throw new Error(`Cannot write to ${target}: file already ${state}.`);
      countOutput(bytes.byteLength);
      let offset = 0;
      // FileHandle.write may write fewer bytes than asked; loop until all are on disk.
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
        offset += bytesWritten;
      }
    },
    async commit() {
      if (state !== 'open') throw new Error(`Cannot commit ${target}: file already ${state}.`);
      state = 'committed';
      try {
        await handle.sync();
        await handle.close();
        await rename(tempPath, target);
      } catch (err) {
        state = 'aborted';
        await discard().catch(() => undefined); // keep the original error
        throw err;
      }
      openTempPaths.delete(tempPath);
      await syncFolder(folder);
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await discard();
    },
  };
}

/** Child processes (ffmpeg) writing our temp files: stopped before those are removed. */
const children = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();

export function trackChild(child: { kill(signal?: NodeJS.Signals): boolean }): void {
  children.add(child);
}

export function untrackChild(child: { kill(signal?: NodeJS.Signals): boolean }): void {
  children.delete(child);
}

/** Registers a temp file or folder for removal if the process is interrupted. */
export function trackTempPath(tempPath: string): void {
  openTempPaths.add(tempPath);
}

/** Forgets a temp path that was removed or moved into place. */
export function untrackTempPath(tempPath: string): void {
  openTempPaths.delete(tempPath);
}

/** Synchronously removes every temp file still open. Safe to call from an 'exit' handler. */
export function removeOpenTempFiles(): void {
  // A writer still running could recreate a file after it is removed.
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const tempPath of openTempPaths) {
    try {
      rmSync(tempPath, { recursive: true, force: true });
    } catch {
      // Cannot remove it now: nothing more to do on the way out.
    }
  }
  openTempPaths.clear();
}

let cleanupHandlersInstalled = false;

/**
 * Call once from the CLI. SIGINT/SIGTERM remove temp files then exit with the conventional
 * 128 + signal code (130 / 143). Uncaught errors end the process through 'exit', which also
 * removes them (the 'exit' event fires after an uncaught exception prints its stack).
 */
export function installCleanupHandlers(): void {
  if (cleanupHandlersInstalled) return;
  cleanupHandlersInstalled = true;
  process.on('exit', removeOpenTempFiles);
  process.on('SIGINT', () => exitAfterCleanup(130));
  process.on('SIGTERM', () => exitAfterCleanup(143));
}

function exitAfterCleanup(code: number): never {
  removeOpenTempFiles();
  process.exit(code);
}

async function assertTargetIsNotFolder(target: string): Promise<void> {
  const stats = await stat(target).catch(() => undefined);
  if (stats?.isDirectory()) {
    throw new OutputPathError(`Output path is a folder, not a file: ${target}`);
  }
}

/** The output cannot be written where the user asked: a problem they can fix (exit 2). */
export class OutputPathError extends Error {}

function outputFolderError(err: unknown, folder: string): Error {
  const code = errnoCode(err);
  switch (code) {
    case 'ENOENT':
      return new OutputPathError(`Output folder does not exist: ${folder}`, { cause: err });
    case 'ENOTDIR':
      return new OutputPathError(`Output folder is not a folder: ${folder}`, { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new OutputPathError(`Output folder is not writable: ${folder} (${code})`, {
        cause: err,
      });
    default:
      return new Error(`Cannot create a file in output folder ${folder}: ${String(err)}`, {
        cause: err,
      });
  }
}

/** fsync the folder so the rename itself survives a power loss; best effort (fails on Windows). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const dirHandle = await open(folder, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Not supported on this platform/filesystem; the data itself is already fsynced.
  }
}

function ignoreMissing(err: unknown): void {
  if (errnoCode(err) !== 'ENOENT') throw err;
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
}
