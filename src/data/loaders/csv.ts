/**
 * CSV, TSV and DSV (`format.delimiter`) by the CSV reader (data/csv/): a file is read from
 * its handle in chunks, never held whole (unless it needs the general reader); inline text
 * at once. Binary files (images, archives, other formats) are refused by their first bytes.
 */
import type { FileHandle } from 'node:fs/promises';
import { CsvError, type CsvOptions, type FieldParse, parseCsv, readCsvFile } from '../csv/index.js';
import { dataMessage } from '../messages.js';
import type { DataSourceDef } from '../../compile/extract.js';
import { DataLoadError, type HandleLoader } from './loader.js';

export function csvOptions(
  def: DataSourceDef,
  type: string,
  numbers: readonly string[] | undefined,
): CsvOptions {
  const delimiter = type === 'tsv' ? '\t' : type === 'dsv' ? (def.format?.delimiter ?? ',') : ',';
  return {
    delimiter,
    parse: (def.format?.parse ?? undefined) as Record<string, FieldParse | null>,
    numbers,
  };
}

/** What a file that is not text is, from its first bytes; undefined for text. */
export function binaryKind(bytes: Uint8Array): string | undefined {
  const starts = (magic: number[] | string) =>
    (typeof magic === 'string' ? [...Buffer.from(magic, 'latin1')] : magic).every(
      (b, i) => bytes[i] === b,
    );
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (starts('GIF8')) return 'a GIF image';
  if (starts([0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (starts('PK\x03\x04')) return 'a ZIP archive (xlsx, zip, …)';
  if (starts('PAR1')) return 'a Parquet file';
  if (starts('ARROW1')) return 'an Arrow file';
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'a NumPy .npy file (name it .npy)';
  if (starts([0x1f, 0x8b])) return 'a gzip file (decompress it first)';
  if (starts('%PDF')) return 'a PDF';
  // Text has no NUL bytes; UTF-16 text does, and Vega-Lite reads UTF-8 only.
  if (bytes.subarray(0, 4096).includes(0))
    return 'a binary file (it has NUL bytes; UTF-16 text must be saved as UTF-8)';
  return undefined;
}

/** A file's first 4 KB (enough to tell text from a binary format). */
export async function fileHead(handle: FileHandle): Promise<Buffer> {
  const head = Buffer.alloc(4096);
  return head.subarray(0, (await handle.read(head, 0, 4096, 0)).bytesRead);
}

/** The loader of delimited text named by `extensions` (DSV: by `format.type` only). */
function delimitedText(extensions: readonly string[]): HandleLoader {
  return {
    extensions,
    reads: 'handle',
    readText(text, { def, type, where, numbers }) {
      const bytes = Buffer.from(text);
      const binary = binaryKind(bytes);
      if (binary) throw new DataLoadError(dataMessage.notText(where, binary, type));
      try {
        return parseCsv(bytes, csvOptions(def, type, numbers));
      } catch (e) {
        throw new DataLoadError(dataMessage.notReadableAs(where, type, (e as Error).message));
      }
    },
    async readFile({ handle, cannotRead }, { def, type, where, keep, numbers }) {
      // Streamed: the file is never held whole (unless it needs the general reader).
      let head: Buffer;
      try {
        head = await fileHead(handle);
      } catch (e) {
        throw cannotRead(e);
      }
      const binary = binaryKind(head);
      if (binary) throw new DataLoadError(dataMessage.notText(where, binary, type));
      try {
        return await readCsvFile(handle, { ...csvOptions(def, type, numbers), keep });
      } catch (e) {
        if (e instanceof CsvError) {
          throw new DataLoadError(dataMessage.notReadableAs(where, type, e.message));
        }
        throw cannotRead(e);
      }
    },
  };
}

export const csvLoader = delimitedText(['csv']);
export const tsvLoader = delimitedText(['tsv']);
export const dsvLoader = delimitedText([]);
