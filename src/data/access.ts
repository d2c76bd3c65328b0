/**
 * The file/URL access policy for untrusted specs: relative data URLs resolve inside the
 * base folder (the spec's folder unless told otherwise); absolute paths, `..` escapes,
 * `file://` and network URLs are refused unless allowed.
 */
import path from 'node:path';

export interface DataAccess {
  /** Folder that relative URLs resolve against. */
  baseDir: string;
  /** Further folders that may be read. */
  allowRead?: string[];
}

export class DataAccessError extends Error {}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Resolves a data URL to a local file path, or throws a DataAccessError naming the rule. */
export function resolveLocalUrl(url: string, access: DataAccess): string {
  if (/^https?:\/\//i.test(url)) {
    throw new DataAccessError(
      `"${url}" is a network URL; network access is off: vega-frames reads local files only (download it next to the spec)`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) {
    throw new DataAccessError(
      `"${url}": only relative file paths inside the spec's folder are read`,
    );
  }
  const allowed = [access.baseDir, ...(access.allowRead ?? [])];
  const file = path.resolve(access.baseDir, url);
  if (!allowed.some((dir) => inside(dir, file))) {
    throw new DataAccessError(
      `"${url}" is outside the spec's folder ${access.baseDir}; allow it with --allow-read DIR or set --base`,
    );
  }
  return file;
}
