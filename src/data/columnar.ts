/**
 * Columnar files straight into columns, never a row object: Arrow IPC (apache-arrow) and
 * Parquet (hyparquet, pure JS, with its zstd/snappy/gzip/brotli/lz4 codecs). Numbers,
 * integers (64-bit ones as numbers), timestamps and dates (as epoch milliseconds, which
 * Vega-Lite reads as temporal), strings (dictionary-coded) and booleans.
 */
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import {
  type Column,
  type ColumnTable,
  type NumberArray,
  columnRecord,
  sharedFloat64,
  sharedInt32,
} from './table.js';
import { dataMessage } from './messages.js';
import { UserError } from '../support/user-error.js';

export class ColumnarError extends UserError {}

/** Fills one column from values arriving in chunks, whatever their JS type. */
class ColumnFiller {
  private nums: Float64Array | undefined;
  private codes: Int32Array | undefined;
  private bools: (boolean | null)[] | undefined;
  private readonly dict: string[] = [];
  private readonly dictIndex = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly kind: 'number' | 'string' | 'boolean',
    private readonly length: number,
  ) {
    if (kind === 'number') this.nums = sharedFloat64(length);
    else if (kind === 'string') this.codes = sharedInt32(length);
    else this.bools = new Array(length).fill(null);
  }

  set(start: number, values: ArrayLike<unknown>): void {
    const n = Math.min(values.length, this.length - start);
    if (this.nums) {
      const out = this.nums;
      for (let i = 0; i < n; i++) out[start + i] = toNumber(values[i]);
    } else if (this.codes) {
      const out = this.codes;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v == null) {
          out[start + i] = -1;
          continue;
        }
        const s = String(v);
        let code = this.dictIndex.get(s);
        if (code === undefined) {
          code = this.dict.length;
          this.dict.push(s);
          this.dictIndex.set(s, code);
        }
        out[start + i] = code;
      }
    } else {
      for (let i = 0; i < n; i++) this.bools![start + i] = values[i] == null ? null : !!values[i];
    }
  }

  column(): Column {
    if (this.nums) return { kind: 'number', values: this.nums };
    if (this.codes) return { kind: 'string', codes: this.codes, dict: this.dict };
    return { kind: 'value', values: this.bools! };
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return v == null ? NaN : Number(v);
}

/**
 * Why a library could not read a file, for the user: its own sentence when it has one ("parquet
 * file is too short"), and nothing from JavaScript itself: a TypeError or RangeError from
 * inside a reader ("Cannot read properties of null") means the bytes are not what the
 * format says, nothing more useful.
 */
function readerFailure(what: string, e: unknown): ColumnarError {
  const internal = e instanceof TypeError || e instanceof RangeError;
  const said = String((e as Error).message).split('\n')[0];
  return new ColumnarError(
    dataMessage.readerFailed(what, internal || said === '' ? undefined : said),
    { cause: e },
  );
}

const startsWith = (bytes: Uint8Array, text: string, at = 0) =>
  [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** An Arrow IPC file or stream (`.arrow`, `.feather` v2). */
export function parseArrow(bytes: Uint8Array): ColumnTable {
  if (bytes.length === 0) throw new ColumnarError(dataMessage.emptyFile());
  // The file format begins and ends with ARROW1 (a stream has neither): a file without its
  // end was cut short, which the reader would report from deep inside.
  if (
    startsWith(bytes, 'ARROW1') &&
    (bytes.length < 12 || !startsWith(bytes, 'ARROW1', bytes.length - 6))
  ) {
    throw new ColumnarError(dataMessage.arrowCutShort(bytes.length));
  }
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw readerFailure('not a readable Arrow IPC file', e);
  }
  const length = table.numRows;
  checkArrowBuffers(table);
  const columns = columnRecord();
  const names: string[] = [];
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const type = String(field.type);
    const kind = /^(Float|Int|Uint|Timestamp|Date|Decimal)/i.test(type)
      ? 'number'
      : /^(Utf8|LargeUtf8|Dictionary)/i.test(type)
        ? 'string'
        : /^Bool/i.test(type)
          ? 'boolean'
          : undefined;
    if (!kind) throw new ColumnarError(dataMessage.columnType(field.name, type));
    const kept = kind === 'number' ? ownTypedColumn(vector) : undefined;
    if (kept) {
      columns[field.name] = { kind: 'number', values: kept };
      names.push(field.name);
      continue;
    }
    const filler = new ColumnFiller(field.name, kind, length);
    let start = 0;
    for (const chunk of vector.data) {
      // Null slots read as null through get(); the typed values are used when there are none.
      const part = vector.slice(start, start + chunk.length);
      // Plain numbers without nulls come as a typed array; the rest (nulls, timestamps,
      // dates, dictionaries) through get(), which gives numbers, Dates or strings.
      const plain = /^(Float|Int|Uint)/i.test(type) && chunk.nullCount === 0;
      const values = plain ? part.toArray() : [...part];
      filler.set(start, values as ArrayLike<unknown>);
      start += chunk.length;
    }
    columns[field.name] = filler.column();
    names.push(field.name);
  }
  return { length, names, columns };
}

const NATIVE_ARRAYS = [
  Float64Array,
  Float32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
];

/**
 * A number column without nulls in the file's own type: the values where they lie when
 * the file was read into shared memory in one record batch (no copy), else one shared
 * copy of that type. Undefined for nulls (NaN needs Float64) and 64-bit integers.
 */
function ownTypedColumn(vector: {
  data: readonly { nullCount: number }[];
  length: number;
  toArray(): unknown;
}): NumberArray | undefined {
  if (vector.data.some((d) => d.nullCount > 0)) return undefined;
  const values = vector.toArray();
  const Type = NATIVE_ARRAYS.find((T) => values instanceof T);
  if (!Type) return undefined;
  const typed = values as NumberArray;
  if (typed.buffer instanceof SharedArrayBuffer && typed.length === vector.length) return typed;
  const TypedArray = Type as unknown as new (buffer: SharedArrayBuffer) => NumberArray;
  const shared = new TypedArray(new SharedArrayBuffer(typed.length * typed.BYTES_PER_ELEMENT));
  shared.set(typed as ArrayLike<number>);
  return shared;
}

/** A Parquet file, read row group by row group into typed columns. */
export async function parseParquet(
  bytes: Uint8Array,
  maxColumnBytes = Infinity,
): Promise<ColumnTable> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  if (bytes.length === 0) throw new ColumnarError(dataMessage.emptyFile());
  if (!startsWith(bytes, 'PAR1')) throw new ColumnarError(dataMessage.parquetNoMagic());
  if (bytes.length < 12 || !startsWith(bytes, 'PAR1', bytes.length - 4)) {
    throw new ColumnarError(dataMessage.parquetCutShort(bytes.length));
  }
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw readerFailure("the Parquet file's metadata cannot be read", e);
  }
  const length = Number(metadata.num_rows);
  // The row count sizes every column before a value is read: it must agree with the row
  // groups', or a damaged footer could ask for any amount of memory.
  const grouped = (metadata.row_groups ?? []).reduce((n, g) => n + Number(g.num_rows), 0);
  if (!Number.isSafeInteger(length) || length < 0 || length !== grouped) {
    throw new ColumnarError(dataMessage.parquetRowCounts(String(metadata.num_rows), grouped));
  }
  const [root, ...leaves] = metadata.schema;
  // Each column is decoded into a Float64Array (numbers) or Int32Array codes (text, flags).
  const bytesPerRow = leaves.reduce(
    (n, s) =>
      n +
      (s.type === 'BYTE_ARRAY' || s.type === 'FIXED_LEN_BYTE_ARRAY' || s.type === 'BOOLEAN'
        ? 4
        : 8),
    0,
  );
  checkDeclaredSize(length, leaves.length, length * bytesPerRow, maxColumnBytes);
  // What the writer says its column chunks take once decompressed: a page of zeros can
  // decompress a thousandfold, so a small file may declare gigabytes.
  const uncompressed = (metadata.row_groups ?? []).reduce(
    (n, g) => n + Number(g.total_byte_size ?? 0),
    0,
  );
  if (uncompressed > maxColumnBytes)
    throw new ColumnarError(dataMessage.parquetDecompressed(uncompressed, maxColumnBytes));
  if (
    leaves.length !== Number(root.num_children ?? leaves.length) ||
    leaves.some((s) => s.num_children)
  ) {
    throw new ColumnarError(dataMessage.parquetNested());
  }
  const fillers = new Map<string, ColumnFiller>();
  for (const s of leaves) {
    const logical = (s.logical_type as { type?: string } | undefined)?.type;
    const kind =
      s.type === 'BOOLEAN'
        ? 'boolean'
        : s.type === 'BYTE_ARRAY' || s.type === 'FIXED_LEN_BYTE_ARRAY'
          ? logical === 'STRING' || s.converted_type === 'UTF8' || logical === 'ENUM'
            ? 'string'
            : undefined
          : 'number';
    if (!kind) throw new ColumnarError(dataMessage.columnBinary(s.name));
    try {
      fillers.set(s.name, new ColumnFiller(s.name, kind, length));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new ColumnarError(dataMessage.rowsOverMemory(length), { cause: e });
    }
  }
  try {
    await parquetRead({
      file,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) =>
        fillers.get(columnName)?.set(Number(rowStart), columnData as ArrayLike<unknown>),
    });
  } catch (e) {
    throw readerFailure('the Parquet file could not be read', e);
  }
  const names = [...fillers.keys()];
  return {
    length,
    names,
    columns: Object.fromEntries(names.map((n) => [n, fillers.get(n)!.column()])),
  };
}

/**
 * Refuses a Parquet file whose own metadata declares more rows × columns than the render
 * may hold, before a column is allocated: a few KB of Parquet can declare 90 million rows.
 * (Arrow's fixed-width columns are read where they lie in the file, bounded by its size.)
 */
function checkDeclaredSize(
  rows: number,
  columns: number,
  bytes: number,
  maxColumnBytes: number,
): void {
  if (bytes > maxColumnBytes)
    throw new ColumnarError(dataMessage.declaredTooLarge(rows, columns, bytes, maxColumnBytes));
}

/**
 * Refuses an Arrow file whose batches declare more values than their buffers hold: a few
 * hundred bytes with a patched length would read as 20 million rows of NaN (and the reader
 * reads past the buffers it has).
 */
function checkArrowBuffers(table: {
  schema: { fields: { name: string; type: unknown }[] };
  getChild(name: string): { data: readonly unknown[] } | null;
}): void {
  for (const field of table.schema.fields) {
    for (const chunk of table.getChild(field.name)?.data ?? []) {
      const d = chunk as unknown as {
        length: number;
        stride?: number;
        values?: ArrayLike<unknown>;
        valueOffsets?: ArrayLike<unknown>;
        typeId?: number;
      };
      const held =
        d.valueOffsets !== undefined
          ? d.valueOffsets.length - 1
          : d.values !== undefined
            ? String(field.type) === 'Bool'
              ? d.values.length * 8
              : Math.floor(d.values.length / (d.stride || 1))
            : d.length;
      if (held < d.length)
        throw new ColumnarError(dataMessage.arrowBufferShort(field.name, d.length, held));
    }
  }
}
