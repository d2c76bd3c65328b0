/**
 * JSON: an array of rows (at `format.property`), each object a row and any other value a
 * row `{data: value}`; `format.parse` turns fields into numbers or dates. Inline `values`
 * given as an array are read by `fromValues` without text.
 */
import { type ColumnTable, tableFromRows } from '../table.js';
import { dataMessage } from '../messages.js';
import type { DataSourceDef } from '../../compile/extract.js';
import { type BytesLoader, DataLoadError, type LoadRequest } from './loader.js';

export const jsonLoader: BytesLoader = {
  extensions: ['json'],
  reads: 'bytes',
  geoJson: true,
  readText: (text, request) => fromJson(text, request),
  readFile: (bytes, request) => fromJson(bytes, request),
};

function fromJson(text: string | Uint8Array, { def, where }: LoadRequest): ColumnTable {
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

export function fromValues(values: unknown, def: DataSourceDef, where: string): ColumnTable {
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
export function applyParse(
  table: ColumnTable,
  parse: Record<string, string | null> | undefined,
): void {
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
