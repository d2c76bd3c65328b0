/**
 * The spec's own fonts: the files its `fonts:` lists (relative to the spec's folder, read
 * through the access policy like data) and those in `--font-dir` folders, with the family,
 * weight and style each file's name and OS/2 tables give. Render threads and the HTML
 * player register them from these bytes, so text is drawn in them on every machine.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type DataAccess, readLocalFile, resolveLocalUrl } from './access.js';
import { dataMessage } from './messages.js';
import { DEFAULT_LIMITS, checkLimit } from '../spec/limits.js';
import { OptionError } from '../spec/errors.js';
import { CompileError, message } from '../compile/messages.js';
import { SHIPPED_FAMILIES, unregisteredFamilies } from '../compile/index.js';

export interface FontFile {
  /** The family text names it by: the spec's `family`, else the file's own. */
  family: string;
  /** CSS weight (100–900) and style, from the file's OS/2 table. */
  weight: number;
  style: 'normal' | 'italic';
  /** Where it came from, for messages. */
  source: string;
  bytes: Uint8Array;
}

/** An entry of the spec's `fonts:` list. */
export type FontEntry = string | { path: string; family?: string };

/** Font files the canvas reads: TrueType and OpenType (with TrueType or CFF outlines). */
const FONT_FILE = /\.(ttf|otf)$/i;

/**
 * A `fonts:` entry's bytes. The file system's errors (a missing file, say) are the entry's
 * mistake, so they are errors at its JSON path; the policy's errors pass as they are.
 */
async function readFontFile(url: string, access: DataAccess, at: string): Promise<Uint8Array> {
  try {
    return await readLocalFile(url, access, 'font file');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new CompileError(
      code === 'ENOENT'
        ? dataMessage.fontNotFound(url, path.dirname(resolveLocalUrl(url, access)))
        : dataMessage.cannotReadFont(url, (e as Error).message),
      at,
    );
  }
}

/** The names in a `--font-dir` folder; a folder that cannot be listed is the option's mistake. */
async function fontDirNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    const reason =
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'ENOTDIR'
          ? 'not a folder'
          : (e as Error).message;
    throw new OptionError(dataMessage.fontDirUnreadable(dir, reason));
  }
}

/** The spec's fonts and those in `fontDirs`, in that order. */
export async function readFonts(
  entries: readonly FontEntry[],
  access: DataAccess,
  fontDirs: readonly string[] = [],
): Promise<FontFile[]> {
  const out: FontFile[] = [];
  for (const [i, entry] of entries.entries()) {
    const { path: url, family } = typeof entry === 'string' ? { path: entry } : entry;
    const at = typeof entry === 'string' ? `$.fonts[${i}]` : `$.fonts[${i}].path`;
    if (!FONT_FILE.test(url)) throw new CompileError(dataMessage.notFontFile(url), at);
    const bytes = new Uint8Array(await readFontFile(url, access, at));
    const font = described(bytes, url, family);
    if (!font) throw new CompileError(dataMessage.unreadableFont(url), at);
    out.push(font);
  }
  for (const dir of fontDirs) {
    const names = (await fontDirNames(dir)).filter((n) => FONT_FILE.test(n)).sort();
    if (names.length === 0) throw new OptionError(dataMessage.noFontsInDir(dir));
    for (const name of names) {
      const file = path.join(dir, name);
      const bytes = new Uint8Array(await readFile(file));
      checkLimit(
        { ...DEFAULT_LIMITS, maxFileBytes: access.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes },
        'maxFileBytes',
        bytes.length,
        `the size of the font file ${file} in bytes`,
      );
      const font = described(bytes, file);
      if (!font) throw new OptionError(dataMessage.unreadableFont(file));
      out.push(font);
    }
  }
  return out;
}

function described(bytes: Uint8Array, source: string, family?: string): FontFile | undefined {
  const info = fontInfo(bytes);
  if (!info) return undefined;
  return { family: family ?? info.family, weight: info.weight, style: info.style, source, bytes };
}

/**
 * A TrueType/OpenType file's family (the typographic family, name ID 16, else ID 1),
 * weight and style, or undefined when it is not such a file.
 */
export function fontInfo(
  bytes: Uint8Array,
): { family: string; weight: number; style: 'normal' | 'italic' } | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = view.getUint32(0);
  // 0x00010000 TrueType, 'OTTO' CFF, 'true' (old Apple TrueType).
  if (tag !== 0x00010000 && tag !== 0x4f54544f && tag !== 0x74727565) return undefined;
  const tables = new Map<string, { offset: number; length: number }>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const o = 12 + i * 16;
    if (o + 16 > bytes.length) return undefined;
    const name = String.fromCharCode(...bytes.subarray(o, o + 4));
    tables.set(name, { offset: view.getUint32(o + 8), length: view.getUint32(o + 12) });
  }
  const family = nameOf(view, tables.get('name'));
  if (!family) return undefined;
  const os2 = tables.get('OS/2');
  let weight = 400;
  let style: 'normal' | 'italic' = 'normal';
  if (os2 && os2.length >= 64 && os2.offset + 64 <= bytes.length) {
    weight = view.getUint16(os2.offset + 4) || 400;
    style = view.getUint16(os2.offset + 62) & 1 ? 'italic' : 'normal';
  }
  return { family, weight, style };
}

/** The family in a name table: Windows (UTF-16) or Macintosh (Roman) records. */
function nameOf(
  view: DataView,
  table: { offset: number; length: number } | undefined,
): string | undefined {
  if (!table || table.offset + 6 > view.byteLength) return undefined;
  const count = view.getUint16(table.offset + 2);
  const strings = table.offset + view.getUint16(table.offset + 4);
  const found = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const r = table.offset + 6 + i * 12;
    if (r + 12 > view.byteLength) break;
    const platform = view.getUint16(r);
    const nameId = view.getUint16(r + 6);
    const length = view.getUint16(r + 8);
    const start = strings + view.getUint16(r + 10);
    if ((nameId !== 1 && nameId !== 16) || start + length > view.byteLength) continue;
    let text = '';
    if (platform === 3 || platform === 0)
      for (let k = 0; k + 1 < length; k += 2)
        text += String.fromCharCode(view.getUint16(start + k));
    else if (platform === 1)
      for (let k = 0; k < length; k++) text += String.fromCharCode(view.getUint8(start + k));
    else continue;
    // Windows names win over Macintosh ones of the same ID.
    if (text && (!found.has(nameId) || platform === 3)) found.set(nameId, text);
  }
  return found.get(16) ?? found.get(1);
}

/**
 * A warning for each font family the compiled chart names that neither the shipped fonts
 * nor `fonts` provide: such text is drawn in the default family instead, never silently.
 */
export function fontWarnings(vega: unknown, fonts: readonly FontFile[]): string[] {
  const registered = [...new Set([...SHIPPED_FAMILIES, ...fonts.map((f) => f.family)])];
  return unregisteredFamilies(vega, registered).map((family) =>
    message.fontNotRegistered(family, registered),
  );
}
