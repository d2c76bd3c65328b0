/**
 * Loads a Vega-Lite data source (inline `values` or a `url`) into a columnar table: the
 * file is opened by the access policy and read by its format's loader (loaders/).
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
import type { ColumnTable } from './table.js';
import { type ScanPart, type ScanRequest, scanFramedCsv } from './frame-stream.js';
import { quote } from '../spec/errors.js';
import { dataMessage } from './messages.js';
import type { DataSourceDef } from '../compile/extract.js';
import { DataLoadError, type LoadRequest, formatType, loaderFor } from './loaders/index.js';
import { binaryKind, csvOptions, fileHead } from './loaders/csv.js';
import { fromValues } from './loaders/json.js';

export type { DataSourceDef } from '../compile/extract.js';
export { DataLoadError } from './loaders/index.js';

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
  const kept = loaderFor(formatType(def))?.geoJson
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
  const type = formatType(def);
  const loader = loaderFor(type);
  if (def.values !== undefined) {
    const where = 'inline values';
    if (typeof def.values !== 'string') return fromValues(def.values, def, where);
    if (!loader?.readText) throw new DataLoadError(dataMessage.formatUnsupported(where, type));
    return loader.readText(def.values, { def, type, where, keep, numbers, access });
  }
  if (def.url !== undefined) {
    const file = resolveLocalUrl(def.url, access);
    const where = quote(def.url);
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
      const request: LoadRequest = { def, type, where, keep, numbers, access };
      if (loader?.reads === 'handle') return await loader.readFile({ handle, cannotRead }, request);
      let bytes: Uint8Array;
      try {
        bytes = await readWhole(handle, opened.size, loader?.reads === 'shared bytes');
      } catch (e) {
        throw cannotRead(e);
      }
      // A format no loader reads is refused after the read: a file that cannot be read says
      // so first.
      if (!loader) throw new DataLoadError(dataMessage.formatUnsupported(where, type));
      return await loader.readFile(bytes, request);
    } finally {
      await handle.close();
    }
  }
  throw new DataLoadError(dataMessage.noValuesOrUrl());
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
