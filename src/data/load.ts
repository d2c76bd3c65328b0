/**
 * Loads a Vega-Lite data source (inline `values` or a `url`) into a columnar table.
 */
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  type DataAccess,
  DataAccessError,
  type LocalFile,
  openLocalFile,
  resolveLocalUrl,
} from './access.js';
import { LimitError } from '../spec/limits.js';
import { CsvError, type CsvOptions, type FieldParse, parseCsv, readCsvFile } from './csv/index.js';
import { type ColumnTable, tableFromRows } from './table.js';
import { type ScanPart, type ScanRequest, scanFramedCsv } from './frame-stream.js';
import { NpyError, parseNpy } from './npy.js';
import { quote } from '../spec/errors.js';
import { dataMessage } from './messages.js';
import { TopoJsonError, parseTopoJson } from './topojson.js';
import type { DataSourceDef } from '../compile/extract.js';
import { UserError } from '../support/user-error.js';

export type { DataSourceDef } from '../compile/extract.js';

export class DataLoadError extends UserError {}

function formatType(def: DataSourceDef): string {
  if (def.format?.type) return def.format.type;
  if (def.url) {
    const ext = path.extname(def.url.split('?')[0]).slice(1).toLowerCase();
    if (['tsv', 'csv', 'json', 'topojson', 'npy', 'arrow', 'parquet'].includes(ext)) return ext;
    if (ext === 'feather' || ext === 'ipc') return 'arrow';
  }
  return 'json';
}

function csvOptions(
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

function fromText(
  text: string | Uint8Array,
  def: DataSourceDef,
  where: string,
  numbers?: readonly string[],
): ColumnTable {
  const type = formatType(def);
  if (type === 'csv' || type === 'tsv' || type === 'dsv') {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    const binary = binaryKind(bytes);
    if (binary) throw new DataLoadError(dataMessage.notText(where, binary, type));
    try {
      return parseCsv(bytes, csvOptions(def, type, numbers));
    } catch (e) {
      throw new DataLoadError(dataMessage.notReadableAs(where, type, (e as Error).message));
    }
  }
  if (type === 'npy') {
    if (typeof text === 'string') throw new DataLoadError(dataMessage.npyNotAFile(where));
    try {
      return parseNpy(text);
    } catch (e) {
      if (!(e instanceof NpyError)) throw e; // a fault here, not the file's
      throw new DataLoadError(dataMessage.notReadableNpy(where, e.message));
    }
  }
  if (type === 'json') {
    let parsed: unknown;
    try {
      const source = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
      // A UTF-8 byte order mark is not JSON, but browsers (and so Vega) read past it.
      parsed = JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
    } catch (e) {
      throw new DataLoadError(dataMessage.notJson(where, (e as Error).message));
    }
    return fromValues(parsed, def, where);
  }
  if (type === 'topojson') {
    let rows: object[];
    try {
      const source = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
      rows = parseTopoJson(source, def.format ?? {});
    } catch (e) {
      if (!(e instanceof TopoJsonError)) throw e; // a fault here, not the file's
      throw new DataLoadError(dataMessage.unreadable(where, e.message));
    }
    const table = tableFromRows(rows);
    applyParse(table, def.format?.parse ?? undefined);
    return table;
  }
  throw new DataLoadError(dataMessage.formatUnsupported(where, type));
}

/** What a file that is not text is, from its first bytes; undefined for text. */
function binaryKind(bytes: Uint8Array): string | undefined {
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

function fromValues(values: unknown, def: DataSourceDef, where: string): ColumnTable {
  let v = values;
  if (def.format?.property) {
    for (const key of def.format.property.split('.')) v = (v as Record<string, unknown>)?.[key];
  }
  if (!Array.isArray(v)) throw new DataLoadError(dataMessage.notRows(where));
  const rows = v.map((x) => (x !== null && typeof x === 'object' ? x : { data: x }));
  const table = tableFromRows(rows);
  applyParse(table, def.format?.parse ?? undefined);
  return table;
}

/** `format.parse: {field: "date"}` on JSON rows: dates become timestamps. */
function applyParse(table: ColumnTable, parse: Record<string, string | null> | undefined): void {
  if (!parse) return;
  for (const [field, type] of Object.entries(parse)) {
    const col = table.columns[field];
    if (!col || col.kind === 'number' || !type) continue;
    const values = Array.from({ length: table.length }, (_, i) =>
      col.kind === 'string' ? (col.codes[i] < 0 ? null : col.dict[col.codes[i]]) : col.values[i],
    );
    const f = new Float64Array(new SharedArrayBuffer(table.length * 8));
    if (type === 'number')
      values.forEach((x, i) => (f[i] = x == null || x === '' ? NaN : Number(x)));
    else if (type.startsWith('date'))
      values.forEach((x, i) => (f[i] = x == null ? NaN : +new Date(x as string)));
    else continue;
    table.columns[field] = { kind: 'number', values: f };
  }
}

/**
 * The members of a GeoJSON object: a geoshape draws the row itself, so they are kept
 * whether or not the spec names them.
 */
const GEOJSON_MEMBERS = new Set(['type', 'geometry', 'geometries', 'coordinates', 'properties']);

export async function loadDataSource(
  def: DataSourceDef,
  access: DataAccess,
  keep?: (name: string) => boolean,
  /** Columns read as numbers even where the text would change (CsvOptions.numbers). */
  numbers?: readonly string[],
): Promise<ColumnTable> {
  const table = await loadAll(def, access, keep, numbers);
  if (!keep) return table;
  const type = formatType(def);
  const kept =
    type === 'json' || type === 'topojson'
      ? (name: string) => GEOJSON_MEMBERS.has(name) || keep(name)
      : keep;
  const names = table.names.filter(kept);
  if (names.length === table.names.length) return table;
  return {
    ...table,
    names,
    columns: Object.fromEntries(names.map((n) => [n, table.columns[n]])),
    sourceNames: table.sourceNames ?? table.names,
  };
}

async function loadAll(
  def: DataSourceDef,
  access: DataAccess,
  keep: ((name: string) => boolean) | undefined,
  numbers: readonly string[] | undefined,
): Promise<ColumnTable> {
  if (def.values !== undefined) {
    return typeof def.values === 'string'
      ? fromText(def.values, def, 'inline values', numbers)
      : fromValues(def.values, def, 'inline values');
  }
  if (def.url !== undefined) {
    const file = resolveLocalUrl(def.url, access);
    const where = quote(def.url);
    const type = formatType(def);
    const cannotRead = (e: unknown) => {
      if (e instanceof DataAccessError || e instanceof LimitError) return e;
      const code = (e as NodeJS.ErrnoException).code;
      // Only the file system's errors (ENOENT, EACCES, EISDIR: they have a code) are about
      // the file; any other is a fault of the reader and must not pass for the user's.
      if (typeof code !== 'string') return e;
      return new DataLoadError(
        code === 'ENOENT'
          ? dataMessage.notFound(def.url!, path.dirname(file))
          : dataMessage.cannotRead(def.url!, (e as Error).message),
      );
    };
    // Every read below is of this handle: the file the policy checked.
    let opened: LocalFile;
    try {
      opened = await openLocalFile(def.url, access);
    } catch (e) {
      throw cannotRead(e);
    }
    const { handle } = opened;
    try {
      if (type === 'csv' || type === 'tsv' || type === 'dsv') {
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
      }
      let bytes: Uint8Array;
      try {
        // Arrow's fixed-width columns are used where they lie in the file's bytes: in shared
        // memory, render workers read them too.
        bytes = await readWhole(handle, opened.size, type === 'arrow');
      } catch (e) {
        throw cannotRead(e);
      }
      if (type === 'arrow' || type === 'parquet') {
        // Loaded on first use: apache-arrow and hyparquet take ~150 ms to import, which
        // every CSV render would otherwise pay at startup.
        const columnar = await import('./columnar.js');
        try {
          return type === 'arrow'
            ? columnar.parseArrow(bytes)
            : await columnar.parseParquet(bytes, access.maxColumnBytes);
        } catch (e) {
          if (!(e instanceof columnar.ColumnarError)) throw e; // a fault here, not the file's
          throw new DataLoadError(dataMessage.unreadable(where, e.message));
        }
      }
      return fromText(bytes, def, where, numbers);
    } finally {
      await handle.close();
    }
  }
  throw new DataLoadError(dataMessage.noValuesOrUrl());
}

/** A file's first 4 KB (enough to tell text from a binary format). */
async function fileHead(handle: FileHandle): Promise<Buffer> {
  const head = Buffer.alloc(4096);
  return head.subarray(0, (await handle.read(head, 0, 4096, 0)).bytesRead);
}

/**
 * The `size` bytes of an open file (as checked when it was opened; a file that grew since
 * is read as it was), in a SharedArrayBuffer if `shared`.
 */
async function readWhole(handle: FileHandle, size: number, shared: boolean): Promise<Uint8Array> {
  const bytes = shared ? new Uint8Array(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
  for (let at = 0; at < size;) {
    const { bytesRead } = await handle.read(bytes, at, size - at, at);
    if (bytesRead === 0) throw new Error(`the file ended at byte ${at} of ${size}`);
    at += bytesRead;
  }
  return bytes;
}

/**
 * A framed CSV or TSV file of at least `minBytes`, as a table whose rows are read a frame at
 * a time (data/frame-stream.ts); undefined when it is not one (too small, another format,
 * a frame's rows not together), or on any error: loaded whole, it reports that error.
 */
export async function streamDataSource(
  def: DataSourceDef,
  access: DataAccess,
  keep: ((name: string) => boolean) | undefined,
  frameField: string,
  summaryFields: ReadonlySet<string>,
  minBytes: number,
  /** Scans the second half of the file elsewhere (a render worker) meanwhile. */
  scanInWorker?: (part: ScanRequest) => Promise<ScanPart | undefined>,
  /** Columns read as numbers even where the text would change (CsvOptions.numbers). */
  numbers?: readonly string[],
): Promise<ColumnTable | undefined> {
  const type = formatType(def);
  if (def.url === undefined || def.values !== undefined) return undefined;
  if (type !== 'csv' && type !== 'tsv' && type !== 'dsv') return undefined;
  try {
    // The policy's checks on the file opened; the scan below opens its real path again,
    // and the stream must be of that same file (and every frame's read checks it is).
    const opened = await openLocalFile(def.url, access);
    let text: boolean;
    try {
      text = opened.size >= minBytes && !binaryKind(await fileHead(opened.handle));
    } finally {
      await opened.handle.close();
    }
    if (!text) return undefined;
    const stream = await scanFramedCsv(
      opened.path,
      def.url,
      { ...csvOptions(def, type, numbers), keep },
      frameField,
      summaryFields,
      { scanInWorker },
    );
    if (!stream || stream.ino !== opened.ino || stream.dev !== opened.dev) return undefined;
    const names = stream.layout.kept;
    return {
      length: stream.rows,
      names,
      columns: {},
      stream,
      ...(names.length < stream.layout.names.length ? { sourceNames: stream.layout.names } : {}),
    };
  } catch {
    return undefined;
  }
}
