/**
 * Atomic outputs. A file's bytes go to a hidden temp file next to the target, and only
 * `commit()` (fsync + rename) makes them visible, so a crash or Ctrl-C never leaves a
 * truncated GIF behind. A folder of frames is written as a hidden sibling folder and swapped
 * in whole (`openAtomicFolder`). A process-wide registry lets signal/exit handlers remove
 * every temp file and folder still open.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  type Dirent,
  accessSync,
  chmodSync,
  close,
  fsync,
  mkdirSync,
  openSync,
  write,
  lstatSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  type Stats,
} from 'node:fs';
import {
  constants as fsConstants,
  lstat,
  open,
  realpath,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { UserError } from '../support/user-error.js';
import { encodeMessage } from './messages.js';

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

/** An output grew past its render's budget (`outputBudget`). */
export class OutputLimitError extends UserError {}

/** The output cannot be written where the user asked: a problem they can fix (exit 2). */
export class OutputPathError extends UserError {}

/**
 * The current render's output budget: at most `limit` bytes of output, all its files
 * together. A render runs inside `outputBudget.run({ limit, written: 0 }, render)`;
 * AsyncLocalStorage keeps concurrent renders apart.
 */
export const outputBudget = new AsyncLocalStorage<{ limit: number; written: number }>();

/** Adds `bytes` to the current render's output and throws once it is over its limit. */
export function countOutput(bytes: number): void {
  const budget = outputBudget.getStore();
  if (!budget) return;
  budget.written += bytes;
  if (budget.written > budget.limit) {
    throw new OutputLimitError(encodeMessage.outputOverLimit(budget.limit));
  }
}

/**
 * Temp files and folders that exist (or are being created) and are neither committed nor
 * aborted, and replaced folders not yet removed: what an interrupt must remove.
 */
const openTempPaths = new Set<string>();

/** `.NAME.PID.HEX` beside the target: hidden, and naming the process that owns it. */
function hiddenSibling(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`,
  );
}

export async function openAtomic(targetPath: string): Promise<AtomicFile> {
  const target = path.resolve(targetPath);
  const folder = path.dirname(target);
  const tempPath = `${hiddenSibling(target)}.tmp`;

  assertReplaceableFile(target, await lstat(target).catch(() => undefined));
  makeOutputFolder(folder);
  // Registered before it exists, and created synchronously: a signal handler then never
  // runs while the creation waits in libuv's thread pool, to complete after the cleanup.
  openTempPaths.add(tempPath);
  let fd: number;
  try {
    fd = openSync(tempPath, 'wx', 0o666);
  } catch (err) {
    openTempPaths.delete(tempPath);
    throw outputFolderError(err, folder);
  }
  let fdOpen = true;
  // Once only: a second close could close another file given the same number meanwhile.
  const closeOnce = async (): Promise<void> => {
    if (!fdOpen) return;
    fdOpen = false;
    await new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
  };

  let state: 'open' | 'committed' | 'aborted' = 'open';

  const discard = async (): Promise<void> => {
    await closeOnce().catch(() => undefined);
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
      // A write may write fewer bytes than asked; loop until all are on disk.
      while (offset < bytes.byteLength) {
        offset += await new Promise<number>((resolve, reject) =>
          write(fd, bytes, offset, bytes.byteLength - offset, null, (e, n) =>
            e ? reject(e) : resolve(n),
          ),
        );
      }
    },
    async commit() {
      if (state !== 'open') throw new Error(`Cannot commit ${target}: file already ${state}.`);
      state = 'committed';
      try {
        await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
        await closeOnce();
        // Checked again in the same step as the rename: what is at the path now (a link or
        // a device made during the render) is what the rename would replace.
        assertReplaceableFile(target, lstatSync(target, { throwIfNoEntry: false }));
        renameSync(tempPath, target);
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

/**
 * Refuses a file target that a rename would wrongly replace. A regular file (or nothing) is
 * replaced. A device, FIFO or socket is refused: the rename would put a regular file in
 * its place (`-o /dev/null` run as root would replace /dev/null). A symbolic link is
 * refused rather than followed: the output would go wherever the link points, which in a
 * shared folder such as /tmp someone else may have chosen, and replacing the link instead
 * would silently break it.
 */
function assertReplaceableFile(target: string, stats: Stats | undefined): void {
  if (!stats || stats.isFile()) return;
  if (stats.isDirectory()) {
    throw new OutputPathError(encodeMessage.outputIsFolder(target));
  }
  if (stats.isSymbolicLink()) throw new OutputPathError(symbolicLinkMessage(target));
  throw new OutputPathError(encodeMessage.outputNotRegular(target, kindOf(stats)));
}

function symbolicLinkMessage(target: string): string {
  let to: string | undefined;
  try {
    to = readlinkSync(target);
  } catch {
    // gone meanwhile: the message still names the path
  }
  return encodeMessage.outputIsLink(target, to);
}

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  return 'a file';
}

/** A file the render reads: the spec, a data file, an image. */
export interface InputFile {
  path: string;
  /** How messages name it: `the spec file`, `the data file "points.csv"`. */
  what: string;
}

/**
 * Refuses an output path that is one of the render's inputs, or (for a folder of frames) a
 * folder holding one: the output would replace the spec or its data. Files are compared
 * by device and inode, so `x/../data.csv`, a symbolic link and a hard link to the data are
 * caught as well as its own path.
 */
export async function assertNotAnInput(
  outPath: string,
  inputs: readonly InputFile[],
): Promise<void> {
  const target = path.resolve(outPath);
  const targetStats = await stat(target).catch(() => undefined);
  if (!targetStats) return; // nothing there yet: nothing to replace
  const realTarget = targetStats.isDirectory()
    ? await realpath(target).catch(() => undefined)
    : undefined;
  for (const input of inputs) {
    const stats = await stat(input.path).catch(() => undefined);
    if (!stats) continue;
    const inputPath = path.resolve(input.path);
    if (stats.dev === targetStats.dev && stats.ino === targetStats.ino) {
      const same = inputPath === target ? undefined : inputPath;
      throw new OutputPathError(encodeMessage.outputIsInput(target, input.what, same));
    }
    if (realTarget) {
      const real = await realpath(input.path).catch(() => undefined);
      if (real?.startsWith(realTarget + path.sep)) {
        throw new OutputPathError(encodeMessage.outputFolderHoldsInput(target, input.what, real));
      }
    }
  }
}

/** A folder written as a whole: files go to a hidden temp folder that `commit()` swaps in. */
export interface AtomicFolder {
  /** The final folder, replaced only by `commit()`. */
  readonly targetPath: string;
  /** The hidden temp folder beside it (same filesystem, so the renames are atomic). */
  readonly tempPath: string;
  /** Writes one file of the new folder (counted against the output limit). */
  writeFile(name: string, bytes: Uint8Array): Promise<void>;
  /** Replaces the target folder, if any, by the temp folder, then removes the old one. */
  commit(): Promise<void>;
  /** Removes the temp folder. Idempotent, and a no-op after a successful commit. */
  abort(): Promise<void>;
}

export interface AtomicFolderOptions {
  /**
   * Whether an entry of an existing target folder is output of the same kind, which may be
   * removed with it. A folder holding any other entry is refused, not replaced.
   */
  replaceable(entry: Dirent): boolean;
  /** What the folder holds, for messages: `PNG frames (frame-NNNNN.png)`. */
  contents: string;
}

/**
 * The file system calls of `openAtomicFolder` that fail on a read-only or vanishing folder:
 * a seam for tests, which run as root on writable disks and cannot provoke some of them.
 */
export const folderFs = { mkdirSync, writeFile, renameSync, access: accessSync };

/**
 * Opens a folder output that is replaced atomically: a run interrupted (by an error or any
 * of CLEANUP_SIGNALS) leaves the old folder as it was, and a finished one the complete new
 * folder, never a mix. The target folder must be missing, empty, or hold only entries that
 * `options.replaceable` accepts (user files in it are refused, not deleted).
 */
export async function openAtomicFolder(
  targetPath: string,
  options: AtomicFolderOptions,
): Promise<AtomicFolder> {
  const target = path.resolve(targetPath);
  const parent = path.dirname(target);
  const hidden = hiddenSibling(target);
  const tempPath = `${hidden}.tmp`;
  // The old folder's name between the swap and its removal. Not `.tmp`: a cleanup that
  // removes this process's temp files must not remove it while it holds the only copy.
  const oldPath = `${hidden}.old`;

  makeOutputFolder(parent);
  await assertReplaceableFolder(target, options);
  // Created synchronously, as openAtomic's file is. Files are written into it
  // asynchronously: removeOpenTempFiles retries when one appears as it removes the folder.
  openTempPaths.add(tempPath);
  try {
    folderFs.mkdirSync(tempPath);
  } catch (err) {
    openTempPaths.delete(tempPath);
    throw outputFolderError(err, parent);
  }

  let state: 'open' | 'committed' | 'aborted' = 'open';
  const discard = async (): Promise<void> => {
    await rm(tempPath, { recursive: true, force: true });
    openTempPaths.delete(tempPath);
  };

  return {
    targetPath: target,
    tempPath,
    async writeFile(name, bytes) {
      if (state !== 'open') throw new Error(`Cannot write to ${target}: folder already ${state}.`);
      countOutput(bytes.byteLength);
      try {
        await folderFs.writeFile(path.join(tempPath, name), bytes, { flag: 'wx' });
      } catch (err) {
        throw tempFolderError(err, tempPath, target);
      }
    },
    async commit() {
      if (state !== 'open') throw new Error(`Cannot commit ${target}: folder already ${state}.`);
      state = 'committed';
      let replaced: boolean;
      try {
        replaced = swapFolder(tempPath, target, oldPath, options);
      } catch (err) {
        state = 'aborted';
        await discard().catch(() => undefined); // keep the original error
        throw err;
      }
      await syncFolder(parent);
      if (replaced) {
        // The old folder is garbage now, registered so that an interrupt removes it too. A
        // failure leaves a hidden folder, not a wrong output: the render succeeded.
        await rm(oldPath, { recursive: true, force: true }).catch(() => undefined);
        openTempPaths.delete(oldPath);
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await discard();
    },
  };
}

/**
 * Moves the target aside, the temp folder into its place, and registers the old one for
 * removal. Synchronous from the check to the registration: signal handlers run on the
 * event loop, so none runs between the renames, and an interrupt finds the old folder or
 * the new one in place. A SIGKILL or power loss between the two renames leaves the old
 * folder whole under its hidden `.old` name. Returns whether a folder was replaced.
 */
function swapFolder(
  temp: string,
  target: string,
  old: string,
  options: AtomicFolderOptions,
): boolean {
  // Checked again: another program may have written to the folder during the render.
  const stats = checkFolderTarget(target, options);
  if (stats) {
    try {
      chmodSync(temp, stats.mode & 0o7777); // the replaced folder's permissions
    } catch {
      // Best effort: the temp folder keeps the default ones.
    }
  }
  let replaced = false;
  try {
    folderFs.renameSync(target, old);
    replaced = true;
  } catch (err) {
    // Missing: removed during the render, so there is nothing to replace.
    if (errnoCode(err) !== 'ENOENT') throw replaceFolderError(err, target);
  }
  try {
    folderFs.renameSync(temp, target);
  } catch (err) {
    if (replaced) {
      try {
        folderFs.renameSync(old, target);
      } catch {
        throw new OutputPathError(
          encodeMessage.folderNotRestored(target, errnoCode(err) ?? String(err), old),
          { cause: err },
        );
      }
    }
    throw moveInError(err, temp, target);
  }
  openTempPaths.delete(temp);
  if (replaced) openTempPaths.add(old);
  return replaced;
}

async function assertReplaceableFolder(
  target: string,
  options: AtomicFolderOptions,
): Promise<void> {
  if (path.dirname(target) === target) {
    throw new OutputPathError(encodeMessage.folderIsRoot(target));
  }
  checkFolderTarget(target, options);
}

/**
 * Refuses a folder target that is not ours to replace; returns its stats when it exists. A
 * symbolic link is refused for the reasons in assertReplaceableFile; the current folder
 * (replacing it would leave the shell that started the render in a deleted folder) too.
 */
function checkFolderTarget(target: string, options: AtomicFolderOptions): Stats | undefined {
  const stats = lstatSync(target, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (stats.isSymbolicLink()) throw new OutputPathError(symbolicLinkMessage(target));
  if (!stats.isDirectory()) {
    throw new OutputPathError(
      encodeMessage.folderNotAFolder(target, options.contents, kindOf(stats)),
    );
  }
  if (sameFile(target, process.cwd())) {
    throw new OutputPathError(encodeMessage.folderIsCurrent(target));
  }
  const foreign = readdirSync(target, { withFileTypes: true })
    .filter((entry) => !options.replaceable(entry))
    .map((entry) => entry.name)
    .sort();
  if (foreign.length > 0)
    throw new OutputPathError(encodeMessage.folderHoldsOthers(target, foreign, options.contents));
  try {
    // Replacing the folder removes its old files, which needs write access to it.
    folderFs.access(target, fsConstants.W_OK);
  } catch (err) {
    throw notWritableError(target, err, `its earlier ${options.contents} cannot be removed`);
  }
  return stats;
}

/** Whether two paths name the same file or folder (false if either is missing). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
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
  for (const tempPath of openTempPaths) removeNow(tempPath);
  openTempPaths.clear();
}

/**
 * The signals after which the process removes its temp files and folders, then exits with
 * the conventional 128 + the signal's number (SIGHUP 129, SIGINT 130, SIGQUIT 131, SIGUSR2
 * 140, SIGTERM 143, …): every signal whose default action ends the process and that Node
 * lets a program handle, but SIGUSR1 (it opens Node's inspector), SIGPROF (V8's profiler
 * samples with it), SIGPIPE and SIGXFSZ (Node ignores them: the write fails instead, and
 * the render's error removes its files), and the signals of a native crash (SIGSEGV,
 * SIGBUS, SIGFPE, SIGILL, SIGABRT), after which no JavaScript runs. SIGKILL and SIGSTOP
 * cannot be caught. A signal this platform lacks is skipped.
 */
export const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGUSR2',
  'SIGALRM',
  'SIGVTALRM',
  'SIGXCPU',
  'SIGPWR',
];

/**
 * Removes a temp file or folder. A write into the folder already in libuv's thread pool can
 * add a file after the folder was listed (its removal then fails, ENOTEMPTY): removing again
 * lists it anew. No new write starts meanwhile: the caller holds the event loop.
 */
function removeNow(tempPath: string): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      rmSync(tempPath, { recursive: true, force: true });
      return;
    } catch (err) {
      // Cannot remove it now: nothing more to do on the way out.
      if (errnoCode(err) !== 'ENOTEMPTY' && errnoCode(err) !== 'EEXIST') return;
    }
  }
}

let cleanupHandlersInstalled = false;

/**
 * Call once from the CLI. Each of CLEANUP_SIGNALS removes temp files and folders, then
 * exits with 128 + the signal's number. Uncaught errors end the process through 'exit',
 * which also removes them (the 'exit' event fires after an uncaught exception prints its
 * stack).
 */
export function installCleanupHandlers(): void {
  if (cleanupHandlersInstalled) return;
  cleanupHandlersInstalled = true;
  process.on('exit', removeOpenTempFiles);
  const numbers = osConstants.signals as Partial<Record<NodeJS.Signals, number>>;
  for (const signal of CLEANUP_SIGNALS) {
    const number = numbers[signal];
    if (number !== undefined) process.on(signal, () => exitAfterCleanup(128 + number));
  }
}

function exitAfterCleanup(code: number): never {
  removeOpenTempFiles();
  process.exit(code);
}

/**
 * What a process killed before its own cleanup ran (SIGKILL, a power loss) leaves beside
 * the output `outPath`: its temp files and folders, removed, and a folder it had set
 * aside, put back when the output folder is missing (the kill came between the two renames
 * of the swap) and removed otherwise.
 */
export function removeLeftoversOf(pid: number, outPath: string): void {
  const target = path.resolve(outPath);
  const folder = path.dirname(target);
  const prefix = `.${path.basename(target)}.${pid}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const kind = /^[0-9a-f]+\.(tmp|old)$/.exec(name.slice(prefix.length))?.[1];
    if (!kind) continue;
    const leftover = path.join(folder, name);
    try {
      if (kind === 'old' && !lstatSync(target, { throwIfNoEntry: false })) {
        renameSync(leftover, target);
      } else {
        rmSync(leftover, { recursive: true, force: true });
      }
    } catch {
      // Best effort: another program may be using the folder.
    }
  }
}

/**
 * Creates the output's folder and any missing folders above it, as `mkdir -p` does. A path
 * component that exists and is not a folder is refused, naming that component.
 */
function makeOutputFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'ENOTDIR' && code !== 'EEXIST') throw outputFolderError(err, folder);
    // The topmost component that exists and is not a folder (links to folders are followed).
    let blocker: { at: string; stats: Stats } | undefined;
    for (let up = folder; path.dirname(up) !== up; up = path.dirname(up)) {
      let stats: Stats | undefined;
      try {
        stats = statSync(up);
      } catch {
        continue; // missing, or below the component that is not a folder
      }
      if (!stats.isDirectory()) blocker = { at: up, stats };
    }
    if (!blocker) throw outputFolderError(err, folder);
    throw new OutputPathError(
      encodeMessage.folderBlocked(folder, blocker.at, kindOf(blocker.stats)),
      { cause: err },
    );
  }
}

function outputFolderError(err: unknown, folder: string): Error {
  const code = errnoCode(err);
  switch (code) {
    case 'ENOENT':
      return new OutputPathError(encodeMessage.folderMissing(folder), { cause: err });
    case 'ENOTDIR':
      return new OutputPathError(encodeMessage.folderIsFile(folder), { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritableError(folder, err, 'no file can be created in it');
    default:
      return new Error(encodeMessage.cannotCreateIn(folder, String(err)), { cause: err });
  }
}

function notWritableError(folder: string, err: unknown, consequence: string): OutputPathError {
  const code = errnoCode(err) ?? String(err);
  return new OutputPathError(encodeMessage.folderNotWritable(folder, code, consequence), {
    cause: err,
  });
}

/** A write into the temp folder failed: the folder vanished, or its disk is full or read-only. */
function tempFolderError(err: unknown, temp: string, target: string): Error {
  const code = errnoCode(err);
  const parent = path.dirname(target);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new OutputPathError(encodeMessage.tempFolderGone(parent, temp, target, code), {
        cause: err,
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritableError(parent, err, `the files of ${target} cannot be written`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new OutputPathError(encodeMessage.noSpace(target, code), { cause: err });
    default:
      return new Error(encodeMessage.cannotWriteFiles(target, temp, String(err)), { cause: err });
  }
}

/** Moving the old output folder aside failed: nothing was changed. */
function replaceFolderError(err: unknown, target: string): Error {
  const code = errnoCode(err);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritableError(path.dirname(target), err, `${target} cannot be replaced`);
    case 'EBUSY':
      return new OutputPathError(encodeMessage.folderBusy(target), { cause: err });
    default:
      return new Error(encodeMessage.cannotReplaceFolder(target, String(err)), { cause: err });
  }
}

/** Moving the new folder into place failed: the old one is back where it was. */
function moveInError(err: unknown, temp: string, target: string): Error {
  const code = errnoCode(err);
  switch (code) {
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new OutputPathError(encodeMessage.folderWrittenMeanwhile(target, code), {
        cause: err,
      });
    case 'ENOENT':
      return tempFolderError(err, temp, target);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritableError(path.dirname(target), err, `${target} cannot be replaced`);
    default:
      return new Error(encodeMessage.cannotMoveIn(target, String(err)), { cause: err });
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

/** Writes `bytes` to `outPath` atomically: the file appears whole, or not at all. */
export async function writeFileAtomically(outPath: string, bytes: Uint8Array): Promise<void> {
  const file = await openAtomic(outPath);
  try {
    await file.write(bytes);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
}
