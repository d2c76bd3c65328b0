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
  sharedFloat64,
  sharedInt32,
} from './table.js';

export class ColumnarError extends Error {}

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

/** An Arrow IPC file or stream (`.arrow`, `.feather` v2). */
export function parseArrow(bytes: Uint8Array): ColumnTable {
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new ColumnarError(`not an Arrow IPC file: ${(e as Error).message}`);
  }
  const length = table.numRows;
  const columns: Record<string, Column> = {};
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
    if (!kind)
      throw new ColumnarError(`column "${field.name}" has type ${type}, which is not supported`);
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
export async function parseParquet(bytes: Uint8Array): Promise<ColumnTable> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw new ColumnarError(`not a Parquet file: ${(e as Error).message}`);
  }
  const length = Number(metadata.num_rows);
  const [root, ...leaves] = metadata.schema;
  if (
    leaves.length !== Number(root.num_children ?? leaves.length) ||
    leaves.some((s) => s.num_children)
  ) {
    throw new ColumnarError('nested Parquet columns (structs, lists, maps) are not supported');
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
    if (!kind)
      throw new ColumnarError(`column "${s.name}" holds binary data, which is not supported`);
    fillers.set(s.name, new ColumnFiller(s.name, kind, length));
  }
  try {
    await parquetRead({
      file,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) =>
        fillers.get(columnName)?.set(Number(rowStart), columnData as ArrayLike<unknown>),
    });
  } catch (e) {
    throw new ColumnarError(`the Parquet file could not be read: ${(e as Error).message}`);
  }
  const names = [...fillers.keys()];
  return {
    length,
    names,
    columns: Object.fromEntries(names.map((n) => [n, fillers.get(n)!.column()])),
  };
}
