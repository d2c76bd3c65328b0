/**
 * A data format's reader as load.ts calls it: a Loader, registered under its format type
 * in loaders/index.ts. load.ts opens a source's file by the access policy and hands it to
 * the loader in the form the loader asks for (its open handle, or its bytes read whole);
 * the loader returns the table. A string `values` (inline text) goes to `readText`.
 */
import type { FileHandle } from 'node:fs/promises';
import type { DataAccess } from '../access.js';
import type { ColumnTable } from '../table.js';
import type { DataSourceDef } from '../../compile/extract.js';
import { UserError } from '../../support/user-error.js';

/** A source that cannot be loaded; the message names its file (or its inline values). */
export class DataLoadError extends UserError {}

/** What a loader is asked to load. */
export interface LoadRequest {
  /**
   * The source as the spec writes it: its `format` holds the delimiter, `parse`,
   * `property`, and TopoJSON's `feature` or `mesh`.
   */
  def: DataSourceDef;
  /** Its format: `format.type`, else its file's extension (formatType in loaders/index.ts). */
  type: string;
  /** The source as messages name it: its quoted URL, or "inline values". */
  where: string;
  /** Columns to keep; a reader may skip the others (load.ts drops them from any table). */
  keep?: (name: string) => boolean;
  /** Columns read as numbers even where the text would change (CsvOptions.numbers). */
  numbers?: readonly string[];
  /** The access policy the file was opened under, with its limits (maxColumnBytes). */
  access: DataAccess;
}

/** An open data file, as a loader that reads its handle receives it. */
export interface OpenDataFile {
  /** The file the access policy checked; load.ts closes it after `readFile`. */
  handle: FileHandle;
  /**
   * The error to throw for one met reading the file: a DataLoadError naming the file for
   * the file system's errors (they have a code), any other (a fault of the reader) as it is.
   */
  cannotRead(e: unknown): unknown;
}

interface LoaderBase {
  /** File extensions (lower case, no dot) that name this format when `format.type` does not. */
  extensions: readonly string[];
  /**
   * Rows are objects whose GeoJSON members (type, geometry, properties, …) stay whatever
   * `keep` says: a geoshape draws the row itself.
   */
  geoJson?: boolean;
  /** The table of a string `values`; without it, the format is read from files only. */
  readText?(text: string, request: LoadRequest): ColumnTable;
}

/** A loader that reads the open file as it needs (a file too large to hold whole). */
export interface HandleLoader extends LoaderBase {
  reads: 'handle';
  readFile(file: OpenDataFile, request: LoadRequest): Promise<ColumnTable>;
}

/**
 * A loader of the file's bytes, read whole; 'shared bytes' puts them in a SharedArrayBuffer,
 * for columns that stay where they lie in the file and that render workers read too.
 */
export interface BytesLoader extends LoaderBase {
  reads: 'bytes' | 'shared bytes';
  readFile(bytes: Uint8Array, request: LoadRequest): ColumnTable | Promise<ColumnTable>;
}

export type Loader = HandleLoader | BytesLoader;
