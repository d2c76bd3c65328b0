/**
 * What a CSV reading is asked for (CsvOptions) and what it finds: the header and column
 * types (CsvHead), the layout a byte range of records is read again with (CsvLayout), and
 * the arrays and input the readers share. Types only: every module of the reader, and the
 * frame stream, import them without importing a reader.
 */

export type FieldParse = 'number' | 'boolean' | 'date' | 'string';

export interface CsvOptions {
  delimiter?: string;
  parse?: Record<string, FieldParse | null>;
  /** Columns to keep; the others are skipped while parsing, never stored. Default: all. */
  keep?: (name: string) => boolean;
  /**
   * Columns read as numbers even where the text would change (a quantitative encoding
   * reads them): "00501" is 501 there. In the other columns such text keeps the column
   * text (see `codedNumber`), as Vega-Lite, which parses only what it is asked to, shows it.
   */
  numbers?: readonly string[];
}

/** How a CSV file's records are read: what a byte range of them needs to be read alike. */
export interface CsvLayout {
  delimiter: string;
  parse: Record<string, FieldParse | null>;
  /** Every column of the file, in order. */
  names: string[];
  /** The columns stored (the others are skipped). */
  kept: string[];
  numeric: boolean[];
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  /** Number columns that held only whole numbers in the whole file (stored as Int32). */
  integral: boolean[];
}

/** A CSV file's header and column types: what reading any part of it needs. */
export interface CsvHead {
  names: string[];
  /** Where the first record starts. */
  bodyStart: number;
  numeric: boolean[];
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  integral: boolean[];
}

/** A ColumnBuilder's arrays, by column (null: not that kind, or skipped). */
export interface ColumnArrays {
  nums: (Float64Array | Int32Array | null)[];
  codes: (Int32Array | null)[];
}

/** What both readers read: the bytes from the first record on, and the column plan. */
export interface CsvInput {
  bytes: Uint8Array;
  from: number;
  delim: number;
  names: string[];
  numeric: boolean[];
  parse: Record<string, FieldParse | null>;
  /** numberColumns: the columns whose coded text is still read as numbers. */
  asNumber: boolean[];
  keep?: (name: string) => boolean;
  integral?: boolean[];
}
