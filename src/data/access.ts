/**
 * The file/URL access policy for untrusted specs: relative data URLs resolve inside the
 * base folder (the spec's folder unless told otherwise); absolute paths, `..` escapes,
 * `file://` and network URLs are refused unless allowed. A file is read only through
 * `openLocalFile`, which also follows symbolic links before deciding (a link inside the
 * folder to a file outside it is outside), and reads regular files of bounded size only.
 */
import { type Stats, constants } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_LIMITS, checkLimit } from '../spec/limits.js';
import { quote } from '../spec/errors.js';
import { dataMessage } from './messages.js';
import { UserError } from '../support/user-error.js';

export interface DataAccess {
  /** Folder that relative URLs resolve against. */
  baseDir: string;
  /** Further folders that may be read. */
  allowRead?: string[];
  /** Most bytes one file may have (Limits.maxFileBytes; its default when absent). */
  maxFileBytes?: number;
  /** Most pixels an image may decode to (Limits.maxPixels; its default when absent). */
  maxImagePixels?: number;
  /** Most bytes of columns a Parquet file's own metadata may declare (Limits.maxMemoryBytes). */
  maxColumnBytes?: number;
}

export class DataAccessError extends UserError {}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a data URL to a local file path by its text alone, or throws a DataAccessError
 * naming the rule. Reading goes through `openLocalFile`, which also checks where the path
 * really leads.
 */
export function resolveLocalUrl(url: string, access: DataAccess): string {
  if (/^https?:\/\//i.test(url)) {
    throw new DataAccessError(dataMessage.networkUrl(url));
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) {
    throw new DataAccessError(dataMessage.notAFilePath(url));
  }
  const allowed = [access.baseDir, ...(access.allowRead ?? [])];
  const file = path.resolve(access.baseDir, url);
  if (!allowed.some((dir) => inside(dir, file))) {
    throw new DataAccessError(dataMessage.outsideFolder(url, access.baseDir));
  }
  return file;
}

/**
 * Flags for opening a checked file: never through a link swapped in since the check
 * (the path is already real), and without waiting for a writer should it have become a
 * FIFO (an open of a FIFO blocks until one comes).
 */
export const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What a file that is not a regular file is, for messages. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'a special file';
}

/** A real path, or the path as given when it does not exist (it cannot hold a link then). */
async function realOrResolved(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

/**
 * Where `url` really leads (every symbolic link followed), checked against the real paths
 * of the allowed folders; throws a DataAccessError when it leads outside them, and the
 * file system's error (ENOENT, …) when it does not exist.
 */
export async function realLocalPath(url: string, access: DataAccess): Promise<string> {
  const file = resolveLocalUrl(url, access);
  const real = await realpath(file);
  const allowed = await Promise.all(
    [access.baseDir, ...(access.allowRead ?? [])].map(realOrResolved),
  );
  if (!allowed.some((dir) => inside(dir, real))) {
    throw new DataAccessError(dataMessage.linkOutside(url, real, access.baseDir));
  }
  return real;
}

/** A file the policy allows, open for reading. */
export interface LocalFile {
  handle: FileHandle;
  /** Its real path (no links). */
  path: string;
  /** Its size, device and inode when opened: later opens by path check they find it still. */
  size: number;
  dev: number;
  ino: number;
  mtimeMs: number;
}

/**
 * Opens the file `url` names, by the policy: inside an allowed folder once links are
 * followed, a regular file (a FIFO would block forever, a device such as /dev/zero never
 * ends), and at most `maxFileBytes`, judged on the opened handle so that what is checked
 * is what is read. Throws DataAccessError or LimitError naming the file and the fix, or the
 * file system's error (ENOENT, …).
 */
export async function openLocalFile(
  url: string,
  access: DataAccess,
  /** What the file is, for messages. */
  what = 'data file',
): Promise<LocalFile> {
  const real = await realLocalPath(url, access);
  // Checked before opening too: opening a device can itself do something.
  const before = await stat(real);
  if (!before.isFile()) throw notRegular(url, before);
  const handle = await open(real, OPEN_FLAGS);
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw notRegular(url, s);
    checkLimit(
      { ...DEFAULT_LIMITS, maxFileBytes: access.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes },
      'maxFileBytes',
      s.size,
      `the size of the ${what} ${quote(url)} in bytes`,
    );
    return { handle, path: real, size: s.size, dev: s.dev, ino: s.ino, mtimeMs: s.mtimeMs };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

function notRegular(url: string, s: Stats): DataAccessError {
  return new DataAccessError(dataMessage.notRegularFile(url, kindOf(s)));
}

/** A whole file the policy allows (see openLocalFile). */
export async function readLocalFile(
  url: string,
  access: DataAccess,
  what?: string,
): Promise<Buffer> {
  const file = await openLocalFile(url, access, what);
  try {
    const bytes = Buffer.alloc(file.size);
    for (let at = 0; at < file.size;) {
      const { bytesRead } = await file.handle.read(bytes, at, file.size - at, at);
      if (bytesRead === 0) return bytes.subarray(0, at);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await file.handle.close();
  }
}
